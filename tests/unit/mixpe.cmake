# Unit test of the mixpe / mac config parser (lowbit_arch: plain C++, no SystemC).
lowbit_add_gtest(unit_mixpe_params
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/mixpe_params.cpp
  LIBS lowbit_arch
  LABELS unit)
