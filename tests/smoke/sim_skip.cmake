# Skipped per-cycle work against the full per-cycle run (tests/smoke/sim_skip_test.sh).
lowbit_add_sim_test(smoke.sim_skip
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/sim_skip_test.sh $<TARGET_FILE:lowbit>
          ${PROJECT_SOURCE_DIR}
  LABELS smoke TIMEOUT 300)
