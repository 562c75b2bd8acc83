# The analytic tier: estimate --batch against per-point estimates, its bad input, and its error
# against the cycle tier on bench/analytic_spec.json (scripts/analytic_error --check, docs/analytic.md).
if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
  lowbit_add_skipped_test(smoke.analytic "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
  return()
endif()
add_test(NAME smoke.analytic COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/analytic_test.sh
                                         $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR})
set_tests_properties(smoke.analytic PROPERTIES LABELS smoke TIMEOUT 300)
