# Accelerator top: directed DMA / buffer / controller sequences (one process per test: SystemC).
if(LOWBIT_HAVE_SYSTEMC)
  lowbit_add_gtest(component_top SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/top_test.cpp
                   LIBS lowbit_sim LABELS component)
else()
  lowbit_add_skipped_test(component_top "lowbit_sim needs SystemC (apt-get install libsystemc-dev)")
endif()
