# FP8 E4M3 / E5M2 activations through the units' FP16 path (tests/smoke/fp8_activations_test.sh;
# docs/fp-weights.md, "FP activations").
lowbit_add_backend_smoke_test(smoke.fp8_activations ${CMAKE_CURRENT_SOURCE_DIR}/fp8_activations_test.sh 900)
