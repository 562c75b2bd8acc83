# fmax against depth and what misses a target clock (rtl/synth/pipeline_depth.py) on one small unit:
# lb_int_to_fp32_pipe at Width 32, every depth 0..4, synthesized from an empty work folder with
# --target-mhz 1000 (no depth of it reaches 1 GHz in this flow: docs/pipelining.md).
# - component_pipeline_depth_run: the run; its JSON goes to a folder of the build tree.
# - component_pipeline_depth_failing: --table --failing on that JSON must list, for the pipelined
#   depths, the endpoints that miss 1000 MHz and the registers they belong to (the feature the
#   docs' "what stands between the units and 1 GHz" tables are printed with).
find_program(PIPELINE_DEPTH_YOSYS yosys)
find_program(PIPELINE_DEPTH_STA sta)
set(PD_PDK ${PROJECT_SOURCE_DIR}/../shared/pdk/nangate45_typ.lib.gz)
if(NOT EXISTS ${PD_PDK})
  foreach(t run failing)
    lowbit_add_skipped_test(component_pipeline_depth_${t}
      "the Nangate45 liberty is not at ${PD_PDK} (shared/pdk beside the repository)")
    set_tests_properties(component_pipeline_depth_${t} PROPERTIES LABELS "characterize;component")
  endforeach()
elseif(PIPELINE_DEPTH_YOSYS AND PIPELINE_DEPTH_STA)
  set(PD_DIR ${CMAKE_CURRENT_BINARY_DIR}/pipeline_depth_check)
  set(PD_SCRIPT ${PROJECT_SOURCE_DIR}/rtl/synth/pipeline_depth.py)
  add_test(NAME component_pipeline_depth_run
    COMMAND ${CMAKE_COMMAND} -E env PD_DIR=${PD_DIR} sh -c
      "rm -rf \"$PD_DIR\" && mkdir -p \"$PD_DIR/out\" && /usr/bin/python3 ${PD_SCRIPT} --units lb_int_to_fp32_pipe_w32 --target-mhz 1000 --work \"$PD_DIR/work\" --out \"$PD_DIR/out\"")
  set_tests_properties(component_pipeline_depth_run PROPERTIES LABELS "characterize;component"
    FIXTURES_SETUP pipeline_depth_json TIMEOUT 600)
  add_test(NAME component_pipeline_depth_failing
    COMMAND /usr/bin/python3 ${PD_SCRIPT} --table --failing lb_int_to_fp32_pipe_w32
      --out ${PD_DIR}/out)
  set_tests_properties(component_pipeline_depth_failing PROPERTIES
    LABELS "characterize;component" FIXTURES_REQUIRED pipeline_depth_json
    PASS_REGULAR_EXPRESSION "lb_int_to_fp32_pipe_w32, 1: [1-9][0-9]* endpoints miss 1000 MHz.*\\| `u_[^`]+` \\| -0\\.[0-9]+ \\| 1\\.[0-9]+ \\| [1-9][0-9]* \\|.*lb_int_to_fp32_pipe_w32, 4: [1-9]")
else()
  foreach(t run failing)
    lowbit_add_skipped_test(component_pipeline_depth_${t} "yosys or sta not found (apt-get install yosys opensta)")
    set_tests_properties(component_pipeline_depth_${t} PROPERTIES LABELS "characterize;component")
  endforeach()
endif()
