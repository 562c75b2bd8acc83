# Skipped per-cycle work against the full per-cycle run (tests/smoke/sim_skip_test.sh).
if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
  lowbit_add_skipped_test(smoke.sim_skip "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
  return()
endif()
add_test(NAME smoke.sim_skip COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/sim_skip_test.sh
                                        $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR})
set_tests_properties(smoke.sim_skip PROPERTIES LABELS smoke TIMEOUT 300)
