# docs/results.md is what scripts/results writes: the characterization tables (fast, no simulator;
# the per-MAC figures from `lowbit characterization --json`) and, where SystemC is built, the MixPE
# vs MAC table from two accelerator runs and `lowbit report`.
if(NOT TARGET lowbit)
  lowbit_add_skipped_test(smoke.results_static "the lowbit CLI is not built")
else()
  add_test(NAME smoke.results_static
           COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/scripts/results --check --static
                   --lowbit $<TARGET_FILE:lowbit>)
  set_tests_properties(smoke.results_static PROPERTIES LABELS smoke TIMEOUT 60)
endif()
# The longest test: COST makes a fresh ctest (no timing history) start it first.
lowbit_add_sim_test(smoke.results_runs
  COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/scripts/results --check
          --lowbit $<TARGET_FILE:lowbit>
  LABELS smoke TIMEOUT 900 COST 300)
