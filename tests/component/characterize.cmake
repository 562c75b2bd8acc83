# Characterization flow check: re-runs rtl/synth/characterize.py from an empty work folder on one
# small unit (lb_fp32_add, Nangate45: Yosys synth + map, OpenSTA timing and power) and compares area,
# cell count and critical path with rtl/synth/characterization/nangate45.json within 5 % (Yosys/ABC
# results drift slightly between runs and versions). About 20 s on the 2-core machine.
find_program(CHARACTERIZE_YOSYS yosys)
find_program(CHARACTERIZE_STA sta)
# The liberty files live in ../shared/pdk beside the repository (rtl/synth/characterize.py).
set(CHARACTERIZE_PDK ${PROJECT_SOURCE_DIR}/../shared/pdk/nangate45_typ.lib.gz)
if(NOT EXISTS ${CHARACTERIZE_PDK})
  lowbit_add_skipped_test(component_characterize
    "the Nangate45 liberty is not at ${CHARACTERIZE_PDK} (shared/pdk beside the repository)")
  set_tests_properties(component_characterize PROPERTIES LABELS "characterize;component")
elseif(CHARACTERIZE_YOSYS AND CHARACTERIZE_STA)
  set(CHARACTERIZE_WORK ${CMAKE_CURRENT_BINARY_DIR}/characterize_check)
  add_test(NAME component_characterize
    COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/rtl/synth/characterize.py
      --units lb_fp32_add --nodes nangate45 --work ${CHARACTERIZE_WORK}
      --check ${PROJECT_SOURCE_DIR}/rtl/synth/characterization --tolerance 0.05)
  set_tests_properties(component_characterize PROPERTIES LABELS "characterize;component"
    SKIP_REGULAR_EXPRESSION "SKIPPED:" TIMEOUT 300)
else()
  lowbit_add_skipped_test(component_characterize "yosys or sta not found (apt-get install yosys opensta)")
  set_tests_properties(component_characterize PROPERTIES LABELS "characterize;component")
endif()
