# The workload data benchmark makes whole preset blocks, so it links the host library too.
if(TARGET bench_workload_data_bench)
  target_link_libraries(bench_workload_data_bench PRIVATE lowbit_host)
endif()
