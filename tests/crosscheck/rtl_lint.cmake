# RTL lint: every module under rtl/ as its own top through Verilator --lint-only -Wall and a Yosys
# 0.23 elaboration. rtl/lint/lint_all.sh finds the files when the test runs, so RTL added after
# configuration is covered. The *_bad tests run the script on a deliberately broken tree written
# here, proving it reports (and names) a failure instead of passing vacuously.
find_program(RTL_LINT_VERILATOR verilator)
find_program(RTL_LINT_YOSYS yosys)
set(RTL_LINT_SCRIPT ${PROJECT_SOURCE_DIR}/rtl/lint/lint_all.sh)

set(RTL_LINT_BAD_DIR ${CMAKE_CURRENT_BINARY_DIR}/rtl_lint_bad)
file(WRITE ${RTL_LINT_BAD_DIR}/lint/common.vlt "`verilator_config\n")
file(WRITE ${RTL_LINT_BAD_DIR}/common/lb_bad_unused.sv
  "// Broken on purpose: an unused input (a -Wall warning only).\n"
  "module lb_bad_unused (\n  input  logic a_i,\n  input  logic b_i,\n  output logic y_o\n);\n"
  "  assign y_o = a_i;\nendmodule\n")
file(WRITE ${RTL_LINT_BAD_DIR}/common/lb_bad_missing.sv
  "// Broken on purpose: instantiates a module that does not exist.\n"
  "module lb_bad_missing (\n  input  logic a_i,\n  output logic y_o\n);\n"
  "  lb_no_such_module u_missing (\n    .a_i(a_i),\n    .y_o(y_o)\n  );\nendmodule\n")

if(RTL_LINT_VERILATOR)
  add_test(NAME rtl_lint_verilator COMMAND bash ${RTL_LINT_SCRIPT} --verilator ${PROJECT_SOURCE_DIR}/rtl)
  add_test(NAME rtl_lint_verilator_bad COMMAND bash ${RTL_LINT_SCRIPT} --verilator ${RTL_LINT_BAD_DIR})
  set_tests_properties(rtl_lint_verilator PROPERTIES
    LABELS "crosscheck;lint" SKIP_REGULAR_EXPRESSION "SKIPPED:" TIMEOUT 900)
  set_tests_properties(rtl_lint_verilator_bad PROPERTIES LABELS "crosscheck;lint"
    PASS_REGULAR_EXPRESSION
    "FAIL  verilator -Wall  common/lb_bad_missing.*FAIL  verilator -Wall  common/lb_bad_unused.*lint_all: 2 checks, 2 failed")
else()
  lowbit_add_skipped_test(rtl_lint_verilator "verilator not found (apt-get install verilator)")
endif()

if(RTL_LINT_YOSYS)
  add_test(NAME rtl_lint_yosys COMMAND bash ${RTL_LINT_SCRIPT} --yosys ${PROJECT_SOURCE_DIR}/rtl)
  add_test(NAME rtl_lint_yosys_bad COMMAND bash ${RTL_LINT_SCRIPT} --yosys ${RTL_LINT_BAD_DIR})
  set_tests_properties(rtl_lint_yosys PROPERTIES
    LABELS "crosscheck;lint" SKIP_REGULAR_EXPRESSION "SKIPPED:" TIMEOUT 900)
  set_tests_properties(rtl_lint_yosys_bad PROPERTIES LABELS "crosscheck;lint"
    PASS_REGULAR_EXPRESSION
    "FAIL  yosys elaborate  common/lb_bad_missing.*PASS  yosys elaborate  common/lb_bad_unused.*lint_all: 2 checks, 1 failed")
else()
  lowbit_add_skipped_test(rtl_lint_yosys "yosys not found (apt-get install yosys)")
endif()
