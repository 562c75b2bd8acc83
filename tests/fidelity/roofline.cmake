# Simulated cycles against the roofline bound (tests/fidelity/roofline_test.sh, rule in docs/top.md).
lowbit_add_sim_test(fidelity.roofline
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/roofline_test.sh $<TARGET_FILE:lowbit>
          ${PROJECT_SOURCE_DIR}
  LABELS fidelity TIMEOUT 900)
