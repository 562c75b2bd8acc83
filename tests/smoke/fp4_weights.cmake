# FP4 E2M1 / MXFP4 weights end to end on lutcore (tests/smoke/fp4_weights_test.sh, docs/fp-weights.md).
lowbit_add_backend_smoke_test(smoke.fp4_weights ${CMAKE_CURRENT_SOURCE_DIR}/fp4_weights_test.sh 600)
