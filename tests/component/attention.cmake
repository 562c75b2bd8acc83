# The compiler's attention programs (a decode token's; a prefill's causal one) on the SystemC top
# (vector unit + KV stream through the DMA and DRAM model) and on the golden interpreter (one
# process per test: SystemC).
if(LOWBIT_HAVE_SYSTEMC)
  lowbit_add_gtest(component_attention SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/attention_program_test.cpp
                   LIBS lowbit_accel LABELS component)
  lowbit_add_gtest(component_prefill_attention
                   SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/prefill_attention_program_test.cpp
                   LIBS lowbit_accel LABELS component)
else()
  lowbit_add_skipped_test(component_attention "lowbit_sim needs SystemC (apt-get install libsystemc-dev)")
  lowbit_add_skipped_test(component_prefill_attention
                          "lowbit_sim needs SystemC (apt-get install libsystemc-dev)")
endif()
