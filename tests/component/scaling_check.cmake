# The per-PE scaling rule of the 64 x 64 arrays (docs/energy-model.md, "64 x 64 arrays") against a
# whole synthesis of the same arrays at 16 x 16 (rtl/synth/scaling_check.py, tens of minutes: not
# re-run here).
# - component_scaling_check_band: the checked-in scaling_check_nangate45.json; fails if the rule's
#   total area or flop error leaves the stated band (+-10%) or no array was checked.
# - component_scaling_check_band_bad: the same check on a file with one array outside the band,
#   which must be reported (the check can fail).
set(SC_SCRIPT ${PROJECT_SOURCE_DIR}/rtl/synth/scaling_check.py)
add_test(NAME component_scaling_check_band
  COMMAND /usr/bin/python3 ${SC_SCRIPT} --check-band
    --out ${PROJECT_SOURCE_DIR}/rtl/synth/characterization)
set_tests_properties(component_scaling_check_band PROPERTIES LABELS "characterize;component")

set(SC_BAD_DIR ${CMAKE_CURRENT_BINARY_DIR}/scaling_check_bad)
file(WRITE ${SC_BAD_DIR}/scaling_check_nangate45.json [=[
{"units": {
  "mac": {"comparison": {"area_um2": {"error": 0.02}, "flops": {"error": -0.01}}},
  "mixpe": {"comparison": {"area_um2": {"error": 0.25}, "flops": {"error": 0.0}}}}}
]=])
add_test(NAME component_scaling_check_band_bad
  COMMAND /usr/bin/python3 ${SC_SCRIPT} --check-band --out ${SC_BAD_DIR})
set_tests_properties(component_scaling_check_band_bad PROPERTIES
  LABELS "characterize;component"
  PASS_REGULAR_EXPRESSION "PASS  mac area_um2.*OUT OF BAND: mixpe area_um2: rule error \\+25.0%")
