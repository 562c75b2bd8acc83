# Unit test of the mixpe / mac config parser (plain C++: compiled in, so it needs no SystemC).
lowbit_add_gtest(unit_mixpe_params
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/mixpe_params.cpp
          ${PROJECT_SOURCE_DIR}/sim/mixpe/mixpe_params.cpp
  LIBS lowbit_model
  LABELS unit)
