# The model-file benchmark opens GGUF files through the host library.
if(TARGET bench_model_file_bench)
  target_link_libraries(bench_model_file_bench PRIVATE lowbit_host)
endif()
