# The compiler's program for a decode block's other vector operators (RMSNorm, rotary, SiLU x
# gate, residuals, requantization) on the SystemC top and the golden interpreter (one process per
# test: SystemC).
if(LOWBIT_HAVE_SYSTEMC)
  lowbit_add_gtest(component_block_vector SOURCES
                   ${CMAKE_CURRENT_SOURCE_DIR}/block_vector_program_test.cpp
                   LIBS lowbit_accel LABELS component)
else()
  lowbit_add_skipped_test(component_block_vector "lowbit_sim needs SystemC (apt-get install libsystemc-dev)")
endif()
