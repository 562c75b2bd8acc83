# lutcore simulation-speed benchmarks: the SystemC tile model and the Verilated RTL of the same
# config on the same stream (bench_lutcore_sc_<cfg>, bench_lutcore_rtl_<cfg>; docs/lutcore.md). The
# Verilated library is the one the cross-check and the rtl backend link (lowbit_rtl_model_library).
if(LOWBIT_HAVE_SYSTEMC)
  foreach(cfg m2n64k4)
    file(READ ${PROJECT_SOURCE_DIR}/configs/lutcore_${cfg}.json json)
    string(JSON m GET "${json}" lutcore m)
    string(JSON n GET "${json}" lutcore n)
    string(JSON k GET "${json}" lutcore k)
    foreach(dut sc rtl)
      if(dut STREQUAL "rtl" AND NOT TARGET vrtl_lutcore_${cfg})
        continue()
      endif()
      set(target bench_lutcore_${dut}_${cfg})
      add_executable(${target} ${CMAKE_CURRENT_SOURCE_DIR}/lutcore.cpp)
      target_link_libraries(${target} PRIVATE lowbit_sim benchmark::benchmark)
      string(TOUPPER ${dut} udut)
      target_compile_definitions(${target} PRIVATE
        LUTCORE_DUT_${udut}=1 LUTCORE_M=${m} LUTCORE_N=${n} LUTCORE_K=${k}
        LUTCORE_CONFIG_PATH="${PROJECT_SOURCE_DIR}/configs/lutcore_${cfg}.json"
        LUTCORE_BENCH_NAME="lutcore_${dut}_${cfg}")
      if(dut STREQUAL "rtl")
        target_link_libraries(${target} PRIVATE vrtl_lutcore_${cfg})
        target_compile_definitions(${target} PRIVATE
          LUTCORE_VCLASS=Vlutcore_${cfg} LUTCORE_VTOP_HEADER="Vlutcore_${cfg}.h")
      endif()
    endforeach()
  endforeach()
endif()
