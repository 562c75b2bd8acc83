# rtl backend tiles (host/lib/backends/rtl) through the plugin loader: every verilated config
# against golden and the lockstep C++ model, stats equal to the model's, and the errors users see.
get_property(rtl_tiles_configs GLOBAL PROPERTY LOWBIT_RTL_TILES_CONFIGS)
set(rtl_tiles_lutcore ${rtl_tiles_configs})
list(FILTER rtl_tiles_lutcore INCLUDE REGEX "^lutcore_")
set(rtl_tiles_arrays ${rtl_tiles_configs})
list(FILTER rtl_tiles_arrays INCLUDE REGEX "^(mixpe|mac)_")
if(NOT LOWBIT_HAVE_SYSTEMC OR NOT LOWBIT_HAVE_VERILATOR)
  lowbit_add_skipped_test(component_rtl_tiles
    "needs SystemC and Verilator (apt-get install libsystemc-dev verilator)")
else()
  lowbit_add_gtest(component_rtl_tiles SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/rtl_tiles_test.cpp
                   LIBS lowbit_rtl_loader LABELS component)
  # The tests dlopen() the plugin (found at its build-tree path), they do not link it.
  add_dependencies(component_rtl_tiles lowbit_rtl_tiles)
  string(REPLACE ";" "," rtl_tiles_lutcore_csv "${rtl_tiles_lutcore}")
  string(REPLACE ";" "," rtl_tiles_arrays_csv "${rtl_tiles_arrays}")
  string(REPLACE ";" "," rtl_tiles_all_csv "${rtl_tiles_configs}")
  target_compile_definitions(component_rtl_tiles PRIVATE
    RTL_TILES_LUTCORE="${rtl_tiles_lutcore_csv}"
    RTL_TILES_ARRAYS="${rtl_tiles_arrays_csv}"
    RTL_TILES_ALL="${rtl_tiles_all_csv}"
    RTL_TILES_CONFIG_DIR="${PROJECT_SOURCE_DIR}/configs")
endif()
