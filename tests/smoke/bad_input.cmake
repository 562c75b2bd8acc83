# smoke.bad_input: 200+ bad inputs across every file kind and flag; each must exit 2 with one line
# naming the file, the key and what is allowed, and leave its folder unchanged.
if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
  lowbit_add_skipped_test(smoke.bad_input "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
  return()
endif()
add_test(NAME smoke.bad_input
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/bad_input_test.py
                 $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR})
set_tests_properties(smoke.bad_input PROPERTIES LABELS smoke TIMEOUT 600)
