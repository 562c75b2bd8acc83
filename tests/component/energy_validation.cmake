# Energy method validation (docs/energy-model.md): the switching-activity energy of five registered
# primitives against Horowitz's 45 nm table, within 3x at the liberty's voltage.
# - component_energy_validation_band: the checked-in nangate45.json (no tools needed); fails if a
#   regenerated characterization leaves the band or lost a primitive.
# - component_energy_validation_band_bad: the same check on a file with one primitive out of the
#   band and one missing, which must be reported (the check can fail).
# - component_energy_validation_flow: re-synthesizes the 8-bit adder and the 8 x 8 multiplier from
#   an empty work folder, simulates them gate by gate (results bit-exact against golden
#   arithmetic, seed printed, LOWBIT_SEED replays) and checks the band; about a minute. Skipped
#   with the reason when yosys or the liberty is missing.
# - component_energy_gating_flow: the clock-gating check (validate_energy.py --gating-check): a
#   32-bit register bank enabled in 1 of 8 cycles, synthesized without and with integrated clock
#   gates (rtl/synth/clock_gating.py) and simulated gate by gate on the same stimulus (results
#   bit-exact against the add with holding registers); fails unless gating cuts the clock energy
#   below half, to within 2 x duty of the ungated one, with every enabled flop behind a gate.
set(EV_SCRIPT ${PROJECT_SOURCE_DIR}/rtl/synth/validate_energy.py)
add_test(NAME component_energy_validation_band
  COMMAND /usr/bin/python3 ${EV_SCRIPT} --check-band
    --out ${PROJECT_SOURCE_DIR}/rtl/synth/characterization)
set_tests_properties(component_energy_validation_band PROPERTIES LABELS "characterize;component")

set(EV_BAD_DIR ${CMAKE_CURRENT_BINARY_DIR}/energy_validation_bad)
file(WRITE ${EV_BAD_DIR}/nangate45.json [=[
{"validation": {"voltage": 1.1, "primitives": {
  "add8": {"datapath_pj": 0.08, "horowitz_pj": 0.03, "horowitz_at_node_voltage_pj": 0.0448},
  "add32": {"datapath_pj": 0.4, "horowitz_pj": 0.1, "horowitz_at_node_voltage_pj": 0.149},
  "mul8": {"datapath_pj": 0.65, "horowitz_pj": 0.2, "horowitz_at_node_voltage_pj": 0.299},
  "fadd32": {"datapath_pj": 30.0, "horowitz_pj": 0.9, "horowitz_at_node_voltage_pj": 1.344}}}}
]=])
add_test(NAME component_energy_validation_band_bad
  COMMAND /usr/bin/python3 ${EV_SCRIPT} --check-band --out ${EV_BAD_DIR})
set_tests_properties(component_energy_validation_band_bad PROPERTIES
  LABELS "characterize;component"
  PASS_REGULAR_EXPRESSION "PASS  add8.*FAIL  fadd32.*FAIL  fmul32: not in.*2 of 5 primitives outside")

find_program(EV_YOSYS yosys)
set(EV_PDK ${PROJECT_SOURCE_DIR}/../shared/pdk/nangate45_typ.lib.gz)
if(NOT EV_YOSYS)
  lowbit_add_skipped_test(component_energy_validation_flow "yosys not found (apt-get install yosys)")
  lowbit_add_skipped_test(component_energy_gating_flow "yosys not found (apt-get install yosys)")
elseif(NOT EXISTS ${EV_PDK})
  lowbit_add_skipped_test(component_energy_validation_flow
    "the Nangate45 liberty is not at ${EV_PDK} (shared/pdk beside the repository)")
  lowbit_add_skipped_test(component_energy_gating_flow
    "the Nangate45 liberty is not at ${EV_PDK} (shared/pdk beside the repository)")
else()
  set(EV_WORK ${CMAKE_CURRENT_BINARY_DIR}/energy_validation_flow)
  add_test(NAME component_energy_validation_flow
    COMMAND ${CMAKE_COMMAND} -E env bash -c
      "rm -rf '${EV_WORK}' && mkdir -p '${EV_WORK}/out' && /usr/bin/python3 '${EV_SCRIPT}' --only add8,mul8 --cycles 100 --words 1 --work '${EV_WORK}' --out '${EV_WORK}/out' --check-band")
  set_tests_properties(component_energy_validation_flow PROPERTIES
    LABELS "characterize;component" SKIP_REGULAR_EXPRESSION "SKIPPED:" TIMEOUT 600)
  set(EV_GATE_WORK ${CMAKE_CURRENT_BINARY_DIR}/energy_gating_flow)
  add_test(NAME component_energy_gating_flow
    COMMAND ${CMAKE_COMMAND} -E env bash -c
      "rm -rf '${EV_GATE_WORK}' && mkdir -p '${EV_GATE_WORK}' && /usr/bin/python3 '${EV_SCRIPT}' --gating-check --cycles 100 --words 1 --work '${EV_GATE_WORK}'")
  set_tests_properties(component_energy_gating_flow PROPERTIES
    LABELS "characterize;component" SKIP_REGULAR_EXPRESSION "SKIPPED:"
    PASS_REGULAR_EXPRESSION "gating check passed" TIMEOUT 600)
endif()
set_tests_properties(component_energy_validation_flow component_energy_gating_flow PROPERTIES
  LABELS "characterize;component")
