# Cross-check of the shared FP32 RTL (rtl/common) against C++ float (x86-64 SSE: IEEE binary32,
# round to nearest even, subnormals kept): one GoogleTest binary, one Verilated model per unit.
if(LOWBIT_HAVE_VERILATOR)
  set(FP32_RTL_DIR ${PROJECT_SOURCE_DIR}/rtl/common)
  lowbit_add_gtest(crosscheck_fp32
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fp32_add_test.cpp
            ${CMAKE_CURRENT_SOURCE_DIR}/fp32_mul_test.cpp
            ${CMAKE_CURRENT_SOURCE_DIR}/fp32_int_to_fp32_test.cpp
            ${CMAKE_CURRENT_SOURCE_DIR}/fp32_fp16_test.cpp
            ${CMAKE_CURRENT_SOURCE_DIR}/fp32_pipe_test.cpp
    LIBS lowbit_model
    LABELS crosscheck)
  target_include_directories(crosscheck_fp32 PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  # Verilator's runtime headers are not -Wextra clean (unused parameters): mark them as system
  # headers so -Werror applies to our code only (GCC drops a -I that is also an -isystem).
  target_include_directories(crosscheck_fp32 SYSTEM PRIVATE
    ${VERILATOR_ROOT}/include ${VERILATOR_ROOT}/include/vltstd)

  # Verilator warnings are fatal here (-Wall without -Wno-fatal): the RTL must stay lint-clean.
  # The sub-modules (lb_fp32_round, lb_lzc, ...) are found through -y.
  function(fp32_verilate prefix top)
    verilate(crosscheck_fp32
      PREFIX ${prefix}
      TOP_MODULE ${top}
      SOURCES ${FP32_RTL_DIR}/${top}.sv
      INCLUDE_DIRS ${FP32_RTL_DIR}
      VERILATOR_ARGS -Wall -O3 ${ARGN})
  endfunction()
  fp32_verilate(Vlb_fp32_add lb_fp32_add)
  fp32_verilate(Vlb_fp32_mul lb_fp32_mul)
  fp32_verilate(Vlb_fp16_to_fp32 lb_fp16_to_fp32)
  fp32_verilate(Vlb_fp16_mul_fp32 lb_fp16_mul_fp32)
  fp32_verilate(Vlb_int_to_fp32 lb_int_to_fp32)
  fp32_verilate(Vlb_int_to_fp32_w32 lb_int_to_fp32 -GWidth=32)
  fp32_verilate(Vlb_int_to_fp32_w16 lb_int_to_fp32 -GWidth=16)
  fp32_verilate(Vlb_int_to_fp32_w9 lb_int_to_fp32 -GWidth=9)
  # The pipelined forms at every depth (fp32_pipe_test.cpp streams one operand pair per edge).
  foreach(s 1 2 3 4 5 6)
    fp32_verilate(Vlb_fp32_add_pipe_s${s} lb_fp32_add_pipe -GStages=${s})
  endforeach()
  foreach(s 1 2 3 4 5 6 7)
    fp32_verilate(Vlb_fp32_mul_pipe_s${s} lb_fp32_mul_pipe -GStages=${s})
  endforeach()
  foreach(s 1 2 3 4)
    fp32_verilate(Vlb_int_to_fp32_pipe_s${s} lb_int_to_fp32_pipe -GStages=${s})
  endforeach()
  lowbit_quiet_verilated_sources(crosscheck_fp32)
else()
  lowbit_add_skipped_test(crosscheck_fp32
    "Verilator (with SystemC) not found (apt-get install verilator libsystemc-dev)")
endif()
