# lutcore component test: the SystemC tile model alone against golden (directed edge cases, a
# short random stream, the tile cycle formula and the stats JSON), per named config.
if(NOT LOWBIT_HAVE_SYSTEMC)
  lowbit_add_skipped_test(component_lutcore "needs SystemC (apt-get install libsystemc-dev)")
else()
  foreach(cfg m2n8k4 m3n5k6g2 m2n64k4 m2n8k4_pipe)
    file(READ ${PROJECT_SOURCE_DIR}/configs/lutcore_${cfg}.json json)
    string(JSON m GET "${json}" lutcore m)
    string(JSON n GET "${json}" lutcore n)
    string(JSON k GET "${json}" lutcore k)
    set(target lutcore_component_${cfg})
    add_executable(${target} ${PROJECT_SOURCE_DIR}/tests/crosscheck/lutcore_crosscheck.cpp)
    target_link_libraries(${target} PRIVATE lowbit_sim)
    target_compile_definitions(${target} PRIVATE
      LUTCORE_M=${m} LUTCORE_N=${n} LUTCORE_K=${k}
      LUTCORE_CONFIG_PATH="${PROJECT_SOURCE_DIR}/configs/lutcore_${cfg}.json"
      LUTCORE_CONFIG_NAME="${cfg}"
      LUTCORE_TEST_NAME="lutcore_component"
      LUTCORE_DEFAULT_TRANSACTIONS=2000)
    add_test(NAME component_lutcore_${cfg} COMMAND ${target})
    set_tests_properties(component_lutcore_${cfg} PROPERTIES
      LABELS component ENVIRONMENT "SC_COPYRIGHT_MESSAGE=DISABLE" TIMEOUT 300)
  endforeach()
endif()
