# Unit test of the lutcore config parser (lowbit_arch: plain C++, no SystemC).
lowbit_add_gtest(unit_lutcore_params
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/lutcore_params.cpp
  LIBS lowbit_arch
  LABELS unit)
