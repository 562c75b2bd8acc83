# `lowbit sweep` end to end: local -j2, resume after SIGINT/SIGKILL, Pareto HTML, analytic tier, and
# the Slurm executor on a single-node Slurm the script starts (skipped part when not installed).
if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
  lowbit_add_skipped_test(smoke.sweep "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
  return()
endif()
if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
  lowbit_add_skipped_test(smoke.sweep "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
  return()
endif()
add_test(NAME smoke.sweep COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/sweep_test.sh
                                      $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR})
set_tests_properties(smoke.sweep PROPERTIES LABELS smoke TIMEOUT 300 COST 30)
