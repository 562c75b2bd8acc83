# The accelerator end to end on every named config and backend (tests/smoke/accel_test.sh).
if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
  lowbit_add_skipped_test(smoke.accel "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
  return()
endif()
if(TARGET lowbit_rtl_tiles)
  add_test(NAME smoke.accel COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/accel_test.sh
                                       $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR} rtl)
  set_tests_properties(smoke.accel PROPERTIES ENVIRONMENT
                       "LOWBIT_RTL_TILES=$<TARGET_FILE:lowbit_rtl_tiles>")
else()
  add_test(NAME smoke.accel COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/accel_test.sh
                                       $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR} no-rtl)
endif()
set_tests_properties(smoke.accel PROPERTIES LABELS smoke TIMEOUT 900)
