# bitmod's core driver (sim, and rtl when the plugin is built) against golden and the cycle formula.
if(LOWBIT_HAVE_SYSTEMC)
  lowbit_add_gtest(component_bitmod_driver
                   SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bitmod_driver_test.cpp
                   LIBS lowbit_rtl_loader LABELS component)
  target_compile_definitions(component_bitmod_driver PRIVATE
    BITMOD_CONFIG_DIR="${PROJECT_SOURCE_DIR}/configs")
  if(TARGET lowbit_rtl_tiles)
    add_dependencies(component_bitmod_driver lowbit_rtl_tiles)
  endif()
else()
  lowbit_add_skipped_test(component_bitmod_driver "needs SystemC (apt-get install libsystemc-dev)")
endif()
