# The run pipeline's test also needs lowbit_run (lowbit::run(): accel, cost, CPU backend); its sim
# case needs SystemC (a build without it runs the golden and reader cases only).
if(TARGET unit_host_run)
  target_link_libraries(unit_host_run PRIVATE lowbit_run)
  if(TARGET lowbit_sim)
    target_compile_definitions(unit_host_run PRIVATE LOWBIT_TEST_WITH_SIM=1)
  else()
    target_compile_definitions(unit_host_run PRIVATE LOWBIT_TEST_WITH_SIM=0)
  endif()
endif()
