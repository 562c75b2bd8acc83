# Vector unit in the accelerator top: vcfg / vec programs, their cycles against the operator-level
# formula and their results against the FP32 kernels (one process per test: SystemC).
if(LOWBIT_HAVE_SYSTEMC)
  lowbit_add_gtest(component_vector SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/vector_unit_test.cpp
                   LIBS lowbit_sim LABELS component)
else()
  lowbit_add_skipped_test(component_vector "lowbit_sim needs SystemC (apt-get install libsystemc-dev)")
endif()
