# Memory system against its configured bandwidth (tests/fidelity/memory_bandwidth_test.sh, docs/top.md).
if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
  lowbit_add_skipped_test(fidelity.memory_bandwidth "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
  return()
endif()
add_test(NAME fidelity.memory_bandwidth COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/memory_bandwidth_test.sh
                                                 $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR})
set_tests_properties(fidelity.memory_bandwidth PROPERTIES LABELS fidelity TIMEOUT 900 COST 60)
