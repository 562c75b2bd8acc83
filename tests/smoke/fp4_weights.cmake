# FP4 E2M1 / MXFP4 weights end to end on lutcore (tests/smoke/fp4_weights_test.sh) and on the PE
# arrays (fp4_arrays_test.sh); docs/fp-weights.md.
lowbit_add_backend_smoke_test(smoke.fp4_weights ${CMAKE_CURRENT_SOURCE_DIR}/fp4_weights_test.sh 600)
# The same formats on the mixpe and mac arrays (tests/smoke/fp4_arrays_test.sh).
lowbit_add_backend_smoke_test(smoke.fp4_arrays ${CMAKE_CURRENT_SOURCE_DIR}/fp4_arrays_test.sh 600)
