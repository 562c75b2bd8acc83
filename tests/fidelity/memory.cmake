# Memory system against its configured bandwidth (tests/fidelity/memory_bandwidth_test.sh, docs/top.md).
lowbit_add_sim_test(fidelity.memory_bandwidth
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/memory_bandwidth_test.sh
          $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR}
  LABELS fidelity TIMEOUT 900 COST 60)
