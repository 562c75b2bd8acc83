# The CPU reference benchmark links the lowbit_cpu kernels (bench/cpu_reference_bench.cpp).
if(TARGET bench_cpu_reference_bench)
  target_link_libraries(bench_cpu_reference_bench PRIVATE lowbit_cpu)
endif()
