# The attention phase of decode runs on the SystemC vector unit (docs/decoder.md): a cut decoder
# preset on sim at two lane counts and an INT8 KV cache; the measured record's KV bytes, vector
# cycles and verification (a few seconds).
lowbit_add_sim_test(smoke.decoder_vector
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/decoder_vector_test.sh $<TARGET_FILE:lowbit>
          ${PROJECT_SOURCE_DIR}
  LABELS smoke TIMEOUT 300)
