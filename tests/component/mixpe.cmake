# mixpe and mac component tests: directed sequences through the SystemC models alone.
if(LOWBIT_HAVE_SYSTEMC)
  foreach(unit mixpe mac)
    lowbit_add_gtest(component_${unit} SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/mixpe_component.cpp
                     LIBS lowbit_sim LABELS component)
    if(unit STREQUAL "mac")
      target_compile_definitions(component_${unit} PRIVATE XC_UNIT_MAC=1)
    else()
      target_compile_definitions(component_${unit} PRIVATE XC_UNIT_MAC=0)
    endif()
    target_compile_definitions(component_${unit} PRIVATE
      XC_CONFIG_PATH="${PROJECT_SOURCE_DIR}/configs/${unit}_8x8.json"
      XC_SUITE=Component_${unit})
  endforeach()
else()
  lowbit_add_skipped_test(component_mixpe "needs SystemC (apt-get install libsystemc-dev)")
  lowbit_add_skipped_test(component_mac "needs SystemC (apt-get install libsystemc-dev)")
endif()
