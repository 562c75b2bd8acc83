#!/usr/bin/env bash
# Fidelity: simulated cycles against the roofline lower bound max(ops / peak, DRAM bytes / bandwidth).
# Rule (docs/top.md): never below the bound on any config and layer; within 10% of it on a large
# layer whose M fills the op rows and whose buffers have no bank conflicts.
# Usage: roofline_test.sh <lowbit binary> <source dir>
set -uo pipefail
lowbit=$1
src=$2
# shellcheck source=../lib/check.sh
source "$src/tests/lib/check.sh"
enter_temp_dir

# Never below the bound: every config, a compute-heavy and a memory-heavy layer.
for cfg in "$src"/configs/*.json; do
  name=$(basename "$cfg" .json)
  # bitmod runs the BitMoD weight formats only (docs/bitmod.md).
  w1=int4 w2=uint2
  case $name in bitmod_*) w1=bitmod_w4 w2=bitmod_w3 ;; esac
  for shape in "--m 64 --n 256 --k 512 --weights $w1" "--m 1 --n 1024 --k 2048 --weights $w2"; do
    # shellcheck disable=SC2086
    "$lowbit" run --config "$cfg" $shape --no-progress -o r.json --stats s.json >out.txt 2>&1
    check "$name [$shape] runs verified" grep -q "verified against golden: yes" out.txt
    check "$name [$shape]: cycles >= bound" test "$(metric s.json "m['cycles'] >= m['roofline_bound_cycles']")" = True
  done
done

# Within 10% on large layers with full rows and no conflicts (the GEMV at 8 GB/s: memory-bound at
# the default config's 355 MHz, where the M = 1 compute time at half the rows would bind above it).
for run in "lutcore_m2n64k4.json --m 2 --n 4096 --k 4096 --weights uint2" \
           "lutcore_m2n64k4.json --m 1 --n 4096 --k 4096 --weights uint4 --set top.dram.bandwidth_gbps=8" \
           "mixpe_64x64.json --m 64 --n 1024 --k 4096 --weights uint4" \
           "lutcore_m2n64k4.json --m 64 --n 1024 --k 4096 --weights uint4"; do
  set -- $run
  cfg=$1
  shift
  "$lowbit" run --config "$src/configs/$cfg" "$@" --no-progress -o r.json --stats s.json >out.txt 2>&1
  check "$run: verified" grep -q "verified against golden: yes" out.txt
  ratio=$(metric s.json "round(m['cycles'] / m['roofline_bound_cycles'], 4)")
  echo "$run: cycles / bound = $ratio"
  check "$run: within 10% of the bound (got $ratio)" test "$(metric s.json \
    "m['roofline_bound_cycles'] <= m['cycles'] <= 1.10 * m['roofline_bound_cycles']")" = True
done

finish "fidelity"
