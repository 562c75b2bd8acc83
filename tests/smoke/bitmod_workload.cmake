# The BitMoD workloads end to end (tests/smoke/bitmod_workload_test.sh).
lowbit_add_sim_test(smoke.bitmod_workload
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/bitmod_workload_test.sh
          $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR}
  LABELS smoke TIMEOUT 600)
