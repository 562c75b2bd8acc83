# Unit test of the lutcore config parser (plain C++: compiled in, so it needs no SystemC).
lowbit_add_gtest(unit_lutcore_params
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/lutcore_params.cpp
          ${PROJECT_SOURCE_DIR}/sim/lutcore/lutcore_params.cpp
  LIBS lowbit_model
  LABELS unit)
