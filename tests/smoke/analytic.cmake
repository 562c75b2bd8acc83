# The analytic tier: estimate --batch against per-point estimates, its bad input, and its error
# against the cycle tier on bench/analytic_spec.json (scripts/analytic_error --check, docs/analytic.md).
lowbit_add_sim_test(smoke.analytic
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/analytic_test.sh $<TARGET_FILE:lowbit>
          ${PROJECT_SOURCE_DIR}
  LABELS smoke TIMEOUT 300)
