# Whole-accelerator simulation speed (bench/top_speed.cpp): one binary, one benchmark (SystemC).
if(LOWBIT_HAVE_SYSTEMC AND TARGET lowbit_accel)
  add_executable(bench_top ${CMAKE_CURRENT_SOURCE_DIR}/top_speed.cpp)
  target_link_libraries(bench_top PRIVATE lowbit_accel benchmark::benchmark)
  target_compile_definitions(bench_top PRIVATE LOWBIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endif()
