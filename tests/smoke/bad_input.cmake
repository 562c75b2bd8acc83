# smoke.bad_input: 200+ bad inputs across every file kind and flag; each must exit 2 with one line
# naming the file, the key and what is allowed, and leave its folder unchanged.
lowbit_add_sim_test(smoke.bad_input
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/bad_input_test.py
          $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR}
  LABELS smoke TIMEOUT 600)
