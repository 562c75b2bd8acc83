# The CPU reference unit test also needs the lowbit_cpu library (OpenBLAS, oneDNN, T-MAC kernels).
if(TARGET unit_host_cpu_reference)
  target_link_libraries(unit_host_cpu_reference PRIVATE lowbit_cpu)
endif()
if(TARGET unit_host_cpu_decoder)
  target_link_libraries(unit_host_cpu_decoder PRIVATE lowbit_cpu)
endif()
