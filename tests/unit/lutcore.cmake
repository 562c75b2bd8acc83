# Unit test of the lutcore config parser (lowbit_arch: plain C++, no SystemC).
lowbit_add_gtest(unit_lutcore_params
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/lutcore_params.cpp
  LIBS lowbit_arch
  LABELS unit)

# The array walk's vector path against its scalar definition: the walk is plain C++, compiled
# into the test from sim/ so that it runs in presets without SystemC (asan) as well.
target_sources(unit_lutcore_walk PRIVATE ${PROJECT_SOURCE_DIR}/sim/lutcore/lutcore_walk.cpp)
