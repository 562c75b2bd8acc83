# Simulated cycles against the roofline bound (tests/fidelity/roofline_test.sh, rule in docs/top.md).
if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
  lowbit_add_skipped_test(fidelity.roofline "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
  return()
endif()
add_test(NAME fidelity.roofline COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/roofline_test.sh
                                           $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR})
set_tests_properties(fidelity.roofline PROPERTIES LABELS fidelity TIMEOUT 900)
