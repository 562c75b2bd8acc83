# The `lowbit` CLI end to end: golden runs verify, bad input is one line with exit code 2.
lowbit_add_sim_test(smoke.cli
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli_test.sh $<TARGET_FILE:lowbit>
          ${PROJECT_SOURCE_DIR}
  LABELS smoke TIMEOUT 300)
