#!/usr/bin/env bash
# Lints every RTL module as its own top: Verilator --lint-only -Wall and a Yosys 0.23 elaboration.
#
# Usage: rtl/lint/lint_all.sh [--verilator|--yosys|--all] [RTL_DIR]
#   RTL_DIR defaults to the rtl/ folder this script lives in. Files are found when the script runs,
#   so RTL added after configuration is checked too. Conventions it relies on (CONVENTIONS.md):
#   one module per rtl/<unit>/<module>.sv (module names unique across rtl/), packages named
#   *_pkg.sv (passed first, never a top), waivers in rtl/lint/<unit>.vlt. A top is linted with its
#   own unit's waivers and rtl/common's; instantiated modules are found in its unit first, then
#   rtl/common, then the other units (mac reuses mixpe's controller, for instance).
# Prints one PASS/FAIL line per check with the tool's output under each failure; exits 1 if any
# check fails, 0 otherwise. A missing tool prints "SKIPPED: <reason>" and exits 0 (ctest maps that
# line to a skipped test).
set -uo pipefail

mode=all
rtl_dir=""
for arg in "$@"; do
  case "$arg" in
    --verilator) mode=verilator ;;
    --yosys) mode=yosys ;;
    --all) mode=all ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) rtl_dir="$arg" ;;
  esac
done
[[ -n "$rtl_dir" ]] || rtl_dir="$(cd "$(dirname "$0")/.." && pwd)"
rtl_dir="$(cd "$rtl_dir" && pwd)" || { echo "lint_all: no such RTL folder: $rtl_dir"; exit 2; }

run_verilator=0
run_yosys=0
[[ "$mode" == verilator || "$mode" == all ]] && run_verilator=1
[[ "$mode" == yosys || "$mode" == all ]] && run_yosys=1
if (( run_verilator )) && ! command -v verilator >/dev/null; then
  echo "SKIPPED: verilator not found (apt-get install verilator)"
  run_verilator=0
fi
if (( run_yosys )) && ! command -v yosys >/dev/null; then
  echo "SKIPPED: yosys not found (apt-get install yosys)"
  run_yosys=0
fi
(( run_verilator || run_yosys )) || exit 0

shopt -s nullglob
common_dir="$rtl_dir/common"

# Every unit folder (not lint/ or synth/) holding SystemVerilog, rtl/common first.
unit_dirs=()
[[ -d "$common_dir" ]] && unit_dirs+=("$common_dir")
for d in "$rtl_dir"/*/; do
  d="${d%/}"
  case "$(basename "$d")" in common|lint|synth) continue ;; esac
  sv=("$d"/*.sv)
  (( ${#sv[@]} )) && unit_dirs+=("$d")
done

# All packages (common's first) and all modules, for Yosys, which has no library search path.
all_pkgs=()
all_mods=()
for d in "${unit_dirs[@]}"; do
  for f in "$d"/*.sv; do
    if [[ "$f" == *_pkg.sv ]]; then all_pkgs+=("$f"); else all_mods+=("$f"); fi
  done
done

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
checks=0
failures=0

# report NAME STATUS: prints PASS, or FAIL plus the captured tool output, indented.
report() {
  checks=$((checks + 1))
  if [[ "$2" -eq 0 ]]; then
    echo "PASS  $1"
  else
    failures=$((failures + 1))
    echo "FAIL  $1"
    sed 's/^/      | /' "$log"
  fi
}

for unit_dir in "${unit_dirs[@]}"; do
  unit="$(basename "$unit_dir")"
  waivers=()
  for w in "$rtl_dir/lint/common.vlt" "$rtl_dir/lint/$unit.vlt"; do
    [[ -f "$w" ]] && [[ ! " ${waivers[*]} " == *" $w "* ]] && waivers+=("$w")
  done
  # Library search order for Verilator: the unit itself, rtl/common, then the other units.
  libs=(-y "$unit_dir" +incdir+"$unit_dir")
  for d in "${unit_dirs[@]}"; do
    [[ "$d" == "$unit_dir" ]] || libs+=(-y "$d" +incdir+"$d")
  done

  for file in "$unit_dir"/*.sv; do
    [[ "$file" == *_pkg.sv ]] && continue
    top="$(basename "$file" .sv)"
    if (( run_verilator )); then
      verilator --lint-only -Wall --top-module "$top" "${waivers[@]}" "${all_pkgs[@]}" "$file" \
        "${libs[@]}" >"$log" 2>&1
      report "verilator -Wall  $unit/$top" $?
    fi
  done
done

# Yosys: read everything once, then elaborate each top from a saved copy of the parsed design. If
# that single run fails, rerun top by top so each failure is attributed to its module.
if (( run_yosys )); then
  tops=()
  for f in "${all_mods[@]}"; do tops+=("$(basename "$(dirname "$f")")/$(basename "$f" .sv)"); done
  script="read_verilog -sv ${all_pkgs[*]} ${all_mods[*]}; design -save parsed"
  for t in "${tops[@]}"; do script+="; design -load parsed; hierarchy -check -top ${t#*/}"; done
  if yosys -q -p "$script" >"$log" 2>&1; then
    for t in "${tops[@]}"; do report "yosys elaborate  $t" 0; done
  else
    for t in "${tops[@]}"; do
      yosys -q -p "read_verilog -sv ${all_pkgs[*]} ${all_mods[*]}; hierarchy -check -top ${t#*/}" \
        >"$log" 2>&1
      report "yosys elaborate  $t" $?
    done
  fi
fi

echo "lint_all: $checks checks, $failures failed (RTL in $rtl_dir)"
(( failures == 0 ))
