# `lowbit sweep` end to end: local -j2, resume after SIGINT/SIGKILL, Pareto HTML, analytic tier, and
# the Slurm executor on a single-node Slurm the script starts (skipped part when not installed).
lowbit_add_sim_test(smoke.sweep
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/sweep_test.sh $<TARGET_FILE:lowbit>
          ${PROJECT_SOURCE_DIR}
  LABELS smoke TIMEOUT 300 COST 30)
