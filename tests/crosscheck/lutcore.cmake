# lutcore cross-check (golden vs SystemC model vs Verilated RTL), one binary per named config, and
# the RTL lint / Yosys parse checks. RTL parameters come from configs/lutcore_<name>.json; the tile
# is verilated by the unit's function (rtl/lutcore/CMakeLists.txt), never here.
set(LUTCORE_RTL_DIR ${PROJECT_SOURCE_DIR}/rtl/lutcore)
file(GLOB LUTCORE_RTL_SOURCES CONFIGURE_DEPENDS ${LUTCORE_RTL_DIR}/*.sv)
# The unit with rtl/common, packages first (lowbit_rtl_sources), and the packages alone: a file
# that imports one (lb_weight_pkg, for instance) parses only after it.
lowbit_rtl_sources(lutcore LUTCORE_ALL_SOURCES)
file(GLOB LUTCORE_PKG_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/rtl/common/*_pkg.sv)
string(REPLACE ";" " " LUTCORE_PKG_LIST "${LUTCORE_PKG_SOURCES}")

# Transactions (input beats) per weight format in CI, per config; LOWBIT_TRANSACTIONS or
# LOWBIT_CAMPAIGN=1 override at run time.
set(LUTCORE_CROSSCHECK_CONFIGS m2n8k4 m2n8k4_nosym m3n5k6g2 m2n64k4 m2n8k4_pipe)
set(LUTCORE_TRANSACTIONS_m2n8k4 100000)
set(LUTCORE_TRANSACTIONS_m2n8k4_nosym 100000)
set(LUTCORE_TRANSACTIONS_m3n5k6g2 20000)
set(LUTCORE_TRANSACTIONS_m2n8k4_pipe 100000)
set(LUTCORE_TRANSACTIONS_m2n64k4 3000)
# FP4 weights (docs/fp-weights.md): one ctest per format on these configs, the same binary with
# the format as its argument; LUTCORE_FP_TRANSACTIONS_<cfg> transactions per format.
set(LUTCORE_FP_CONFIGS m2n8k4 m3n5k6g2)
set(LUTCORE_FP_TRANSACTIONS_m2n8k4 100000)
set(LUTCORE_FP_TRANSACTIONS_m3n5k6g2 20000)

find_program(LUTCORE_YOSYS yosys)
find_program(LUTCORE_VERILATOR_BIN verilator)

if(NOT LOWBIT_HAVE_SYSTEMC OR NOT LOWBIT_HAVE_VERILATOR)
  foreach(cfg IN LISTS LUTCORE_CROSSCHECK_CONFIGS)
    lowbit_add_skipped_test(crosscheck_lutcore_${cfg}
      "needs SystemC and Verilator (apt-get install libsystemc-dev verilator)")
  endforeach()
else()
  foreach(cfg IN LISTS LUTCORE_CROSSCHECK_CONFIGS)
    lowbit_unit_rtl_params(${PROJECT_SOURCE_DIR}/configs/lutcore_${cfg}.json LC)
    # The config's Verilated model, the same library the rtl backend's plugin links.
    lowbit_rtl_model_library(${PROJECT_SOURCE_DIR}/configs/lutcore_${cfg}.json vlib)
    set(target lutcore_crosscheck_${cfg})
    add_executable(${target} ${CMAKE_CURRENT_SOURCE_DIR}/lutcore_crosscheck.cpp)
    target_link_libraries(${target} PRIVATE lowbit_sim ${vlib})
    target_compile_definitions(${target} PRIVATE
      LUTCORE_M=${LC_M} LUTCORE_N=${LC_N} LUTCORE_K=${LC_K}
      LUTCORE_VCLASS=Vlutcore_${cfg}
      LUTCORE_VTOP_HEADER="Vlutcore_${cfg}.h"
      LUTCORE_CONFIG_PATH="${PROJECT_SOURCE_DIR}/configs/lutcore_${cfg}.json"
      LUTCORE_CONFIG_NAME="${cfg}"
      LUTCORE_TEST_NAME="lutcore_crosscheck"
      LUTCORE_DEFAULT_TRANSACTIONS=${LUTCORE_TRANSACTIONS_${cfg}})
    add_test(NAME crosscheck_lutcore_${cfg} COMMAND ${target})
    set_tests_properties(crosscheck_lutcore_${cfg} PROPERTIES
      LABELS crosscheck ENVIRONMENT "SC_COPYRIGHT_MESSAGE=DISABLE" TIMEOUT 900)
    if(cfg IN_LIST LUTCORE_FP_CONFIGS)
      foreach(wf fp4_e2m1 mxfp4)
        add_test(NAME crosscheck_lutcore_${cfg}_${wf}
          COMMAND ${target} ${wf} ${LUTCORE_FP_TRANSACTIONS_${cfg}})
        set_tests_properties(crosscheck_lutcore_${cfg}_${wf} PROPERTIES
          LABELS crosscheck ENVIRONMENT "SC_COPYRIGHT_MESSAGE=DISABLE" TIMEOUT 900)
      endforeach()
    endif()
  endforeach()
endif()

# Lint: verilator -Wall for every named config; Yosys 0.23 must parse every file.
if(LUTCORE_VERILATOR_BIN)
  file(GLOB lutcore_configs ${PROJECT_SOURCE_DIR}/configs/lutcore_*.json)
  foreach(path IN LISTS lutcore_configs)
    get_filename_component(stem ${path} NAME_WE)
    string(REGEX REPLACE "^lutcore_" "" cfg ${stem})
    lowbit_unit_rtl_params(${PROJECT_SOURCE_DIR}/configs/lutcore_${cfg}.json LC)
    add_test(NAME lint_lutcore_${cfg}
      COMMAND ${LUTCORE_VERILATOR_BIN} --lint-only -Wall --top-module lutcore_tile
              ${LC_GARGS}
              ${PROJECT_SOURCE_DIR}/rtl/lint/common.vlt ${PROJECT_SOURCE_DIR}/rtl/lint/lutcore.vlt
              ${LUTCORE_ALL_SOURCES})
    set_tests_properties(lint_lutcore_${cfg} PROPERTIES LABELS "crosscheck;lint")
  endforeach()
else()
  lowbit_add_skipped_test(lint_lutcore "verilator not found (apt-get install verilator)")
endif()
if(LUTCORE_YOSYS)
  foreach(src IN LISTS LUTCORE_RTL_SOURCES)
    get_filename_component(stem ${src} NAME_WE)
    add_test(NAME yosys_parse_lutcore_${stem}
      COMMAND ${LUTCORE_YOSYS} -q -p "read_verilog -sv ${LUTCORE_PKG_LIST} ${src}")
    set_tests_properties(yosys_parse_lutcore_${stem} PROPERTIES LABELS "crosscheck;lint")
  endforeach()
else()
  lowbit_add_skipped_test(yosys_parse_lutcore "yosys not found (apt-get install yosys)")
endif()
