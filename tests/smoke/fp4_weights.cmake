# FP4 E2M1 / MXFP4 weights end to end on lutcore (tests/smoke/fp4_weights_test.sh, docs/fp-weights.md).
if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
  lowbit_add_skipped_test(smoke.fp4_weights
                          "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
  return()
endif()
if(TARGET lowbit_rtl_tiles)
  add_test(NAME smoke.fp4_weights COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/fp4_weights_test.sh
                                             $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR} rtl)
  set_tests_properties(smoke.fp4_weights PROPERTIES ENVIRONMENT
                       "LOWBIT_RTL_TILES=$<TARGET_FILE:lowbit_rtl_tiles>")
else()
  add_test(NAME smoke.fp4_weights COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/fp4_weights_test.sh
                                             $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR} no-rtl)
endif()
set_tests_properties(smoke.fp4_weights PROPERTIES LABELS smoke TIMEOUT 600)
