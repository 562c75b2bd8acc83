# The `lowbit` CLI end to end: golden runs verify, bad input is one line with exit code 2.
if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
  lowbit_add_skipped_test(smoke.cli "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
  return()
endif()
add_test(NAME smoke.cli COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli_test.sh $<TARGET_FILE:lowbit>
                                    ${PROJECT_SOURCE_DIR})
set_tests_properties(smoke.cli PROPERTIES LABELS smoke TIMEOUT 300)
