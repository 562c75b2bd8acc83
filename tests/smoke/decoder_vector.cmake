# The attention phase of decode runs on the SystemC vector unit (docs/decoder.md): a cut decoder
# preset on sim at two lane counts, GQA with an INT8 KV cache, an out buffer too small, and on rtl
# (Verilated tiles, the same SystemC vector unit) when the plugin is built (a few seconds).
lowbit_add_backend_smoke_test(smoke.decoder_vector ${CMAKE_CURRENT_SOURCE_DIR}/decoder_vector_test.sh 300)
