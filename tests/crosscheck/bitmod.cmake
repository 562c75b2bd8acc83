# bitmod cross-checks (golden = SystemC model = Verilated RTL), one binary per named config, plus
# RTL lint and Yosys parse checks (docs/bitmod.md). RTL parameters come from
# configs/bitmod_<name>.json; the array is verilated only by lowbit_verilate_bitmod
# (rtl/bitmod/CMakeLists.txt).

# Reads the bitmod subtree of configs/bitmod_<cfg>.json into <prefix>_ROWS, _COLS, _FP16.
function(bitmod_read_config cfg prefix)
  lowbit_unit_rtl_params(${PROJECT_SOURCE_DIR}/configs/bitmod_${cfg}.json P)
  set(${prefix}_ROWS ${P_Rows} PARENT_SCOPE)
  set(${prefix}_COLS ${P_Cols} PARENT_SCOPE)
  set(${prefix}_FP16 ${P_Fp16} PARENT_SCOPE)
endfunction()

# Compile definitions naming the config, its shape and its Verilated top for a testbench or bench
# target (tests/crosscheck/bitmod_crosscheck.cpp, bench/bitmod_speed.cpp).
function(bitmod_target_defs target cfg)
  bitmod_read_config(${cfg} XC)
  target_compile_definitions(${target} PRIVATE
    XC_R=${XC_ROWS} XC_C=${XC_COLS}
    XC_VCLASS=Vbitmod_${cfg} XC_VTOP_HEADER="Vbitmod_${cfg}.h"
    XC_CONFIG_PATH="${PROJECT_SOURCE_DIR}/configs/bitmod_${cfg}.json"
    XC_NAME="bitmod_${cfg}"
    XC_SUITE=Crosscheck_bitmod_${cfg})
endfunction()

# Transactions (K steps, 2 x beats each) per datatype in CI: bulk on the small config (RTL =
# SystemC = golden), a short SystemC-vs-golden check of the paper's shapes, whose RTL is the same
# parametric code (their Verilated C++ would be tens of MB, as mixpe's 64 x 64: not built in CI).
# LOWBIT_TRANSACTIONS / LOWBIT_CAMPAIGN=1 override at run time.
set(BITMOD_XCHECK_RTL_CONFIGS 4x4)
set(BITMOD_XCHECK_MODEL_CONFIGS 64x16 32x32)
set(BITMOD_TRANSACTIONS_4x4 100000)
set(BITMOD_TRANSACTIONS_64x16 20000)
set(BITMOD_TRANSACTIONS_32x32 20000)

if(NOT LOWBIT_HAVE_SYSTEMC)
  foreach(cfg IN LISTS BITMOD_XCHECK_RTL_CONFIGS BITMOD_XCHECK_MODEL_CONFIGS)
    lowbit_add_skipped_test(crosscheck_bitmod_${cfg} "needs SystemC (apt-get install libsystemc-dev)")
  endforeach()
else()
  foreach(cfg IN LISTS BITMOD_XCHECK_RTL_CONFIGS BITMOD_XCHECK_MODEL_CONFIGS)
    set(target crosscheck_bitmod_${cfg})
    set(with_rtl OFF)
    if(cfg IN_LIST BITMOD_XCHECK_RTL_CONFIGS)
      set(with_rtl ${LOWBIT_HAVE_VERILATOR})
      if(NOT with_rtl)
        lowbit_add_skipped_test(crosscheck_rtl_bitmod_${cfg}
          "needs Verilator (apt-get install verilator): SystemC model checked against golden only")
      endif()
    else()
      lowbit_add_skipped_test(crosscheck_rtl_bitmod_${cfg}
        "the paper-shape RTL is not verilated in CI (same parametric RTL as bitmod_4x4, checked there)")
    endif()
    set(libs lowbit_sim)
    if(with_rtl)
      # The config's Verilated model (C++ mode), the library the rtl backend would link.
      lowbit_rtl_model_library(${PROJECT_SOURCE_DIR}/configs/bitmod_${cfg}.json lib)
      list(APPEND libs ${lib})
    endif()
    lowbit_add_gtest(${target} SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bitmod_crosscheck.cpp
                     LIBS ${libs} LABELS crosscheck)
    bitmod_target_defs(${target} ${cfg})
    target_compile_definitions(${target} PRIVATE
      XC_DEFAULT_TRANSACTIONS=${BITMOD_TRANSACTIONS_${cfg}})
    if(with_rtl)
      target_compile_definitions(${target} PRIVATE XC_HAS_RTL=1)
    else()
      target_compile_definitions(${target} PRIVATE XC_HAS_RTL=0)
    endif()
  endforeach()
endif()

# Lint: verilator -Wall for the small config, odd shapes in both activation modes and the paper's
# shapes (lint only elaborates: seconds); Yosys 0.23 must parse every file.
find_program(BITMOD_VERILATOR_BIN verilator)
find_program(BITMOD_YOSYS yosys)
lowbit_rtl_sources(bitmod bitmod_sources)
if(BITMOD_VERILATOR_BIN)
  foreach(shape 4x4:4:4:1 3x5_int8:3:5:0 3x5_fp16:3:5:1 64x16:64:16:1 32x32:32:32:1)
    string(REPLACE ":" ";" f ${shape})
    list(GET f 0 name)
    list(GET f 1 rows)
    list(GET f 2 cols)
    list(GET f 3 fp16)
    add_test(NAME lint_bitmod_${name}
      COMMAND ${BITMOD_VERILATOR_BIN} --lint-only -Wall --top-module bitmod_array
              -GRows=${rows} -GCols=${cols} -GFp16=${fp16}
              ${PROJECT_SOURCE_DIR}/rtl/lint/common.vlt ${PROJECT_SOURCE_DIR}/rtl/lint/bitmod.vlt
              ${bitmod_sources})
    set_tests_properties(lint_bitmod_${name} PROPERTIES LABELS "crosscheck;lint")
  endforeach()
else()
  lowbit_add_skipped_test(lint_bitmod "verilator not found (apt-get install verilator)")
endif()
if(BITMOD_YOSYS)
  string(REPLACE ";" " " srcs "${bitmod_sources}")
  add_test(NAME yosys_parse_bitmod
    COMMAND ${BITMOD_YOSYS} -q -p
            "read_verilog -sv ${srcs}; hierarchy -check -top bitmod_array -chparam Rows 2 -chparam Cols 3")
  set_tests_properties(yosys_parse_bitmod PROPERTIES LABELS "crosscheck;lint")
else()
  lowbit_add_skipped_test(yosys_parse_bitmod "yosys not found (apt-get install yosys)")
endif()
