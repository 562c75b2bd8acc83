# The analytic tier's speed in points per second (bench/analytic_speed.cpp).
if(TARGET lowbit_sweep)
  add_executable(bench_analytic ${CMAKE_CURRENT_SOURCE_DIR}/analytic_speed.cpp)
  target_link_libraries(bench_analytic PRIVATE lowbit_sweep benchmark::benchmark)
  target_compile_definitions(bench_analytic PRIVATE LOWBIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endif()
