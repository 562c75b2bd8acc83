# The accelerator end to end on every named config and backend (tests/smoke/accel_test.sh).
lowbit_add_backend_smoke_test(smoke.accel ${CMAKE_CURRENT_SOURCE_DIR}/accel_test.sh 900)
