# Simulation speed of the bitmod SystemC model vs its Verilated RTL (same stream); the Verilated
# library is the one the cross-check links (lowbit_rtl_model_library).
if(LOWBIT_HAVE_SYSTEMC AND LOWBIT_HAVE_VERILATOR AND TARGET vrtl_bitmod_4x4)
  add_executable(bench_bitmod_4x4 ${CMAKE_CURRENT_SOURCE_DIR}/bitmod_speed.cpp)
  target_link_libraries(bench_bitmod_4x4 PRIVATE lowbit_sim vrtl_bitmod_4x4 benchmark::benchmark)
  bitmod_target_defs(bench_bitmod_4x4 4x4)
endif()
