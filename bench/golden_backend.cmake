# The golden backend's interpreter speed (bench/golden_backend_speed.cpp).
if(TARGET lowbit_accel)
  add_executable(bench_golden_backend ${CMAKE_CURRENT_SOURCE_DIR}/golden_backend_speed.cpp)
  target_link_libraries(bench_golden_backend PRIVATE lowbit_accel benchmark::benchmark)
  target_compile_definitions(bench_golden_backend PRIVATE LOWBIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endif()
