# DRAM model and DMA engine: directed transfer sequences against closed-form timing.
if(LOWBIT_HAVE_SYSTEMC)
  lowbit_add_gtest(component_dma SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/dma_test.cpp
                   LIBS lowbit_sim LABELS component)
else()
  lowbit_add_skipped_test(component_dma "lowbit_sim needs SystemC (apt-get install libsystemc-dev)")
endif()
