# The BitMoD workloads end to end (tests/smoke/bitmod_workload_test.sh).
if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
  lowbit_add_skipped_test(smoke.bitmod_workload
                          "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
  return()
endif()
add_test(NAME smoke.bitmod_workload COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/bitmod_workload_test.sh
                                                $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR})
set_tests_properties(smoke.bitmod_workload PROPERTIES LABELS smoke TIMEOUT 600)
