#!/usr/bin/env bash
# Skipped per-cycle work is exact (docs/top.md "Skipped work"): every case runs on the sim backend
# as is and with LOWBIT_SIM_FULL=1 (every lookup of every row done); both are verified bit for bit
# and their stats.json are byte-identical. Cases: M = 1 on 2-row tiles (a padding row every
# beat), a padding row in the last M-block, FP16 activations, two tiles, g = 2 tables.
# Usage: sim_skip_test.sh <lowbit binary> <source dir>
set -uo pipefail
lowbit=$1
src=$2
# shellcheck source=../lib/check.sh
source "$src/tests/lib/check.sh"
enter_temp_dir

run_case() {  # run_case <name> <lowbit run arguments...>
  local name=$1
  shift
  "$lowbit" run "$@" -o "$name.skip.result.json" --stats "$name.skip.stats.json" >"$name.skip.log" 2>&1
  check "$name: default run exits 0" test $? -eq 0
  LOWBIT_SIM_FULL=1 "$lowbit" run "$@" -o "$name.full.result.json" --stats "$name.full.stats.json" \
    >"$name.full.log" 2>&1
  check "$name: full run exits 0" test $? -eq 0
  check "$name: default run verified" grep -q "verified against golden: yes" "$name.skip.log"
  check "$name: full run verified" grep -q "verified against golden: yes" "$name.full.log"
  check "$name: stats.json byte-identical" cmp -s "$name.skip.stats.json" "$name.full.stats.json"
}

cfg=$src/configs
run_case gemv_w2a8 -c "$cfg/lutcore_m2n64k4.json" --m 1 --n 192 --k 512 --weights uint2 --group 128
run_case gemv_fp16 -c "$cfg/lutcore_m2n64k4.json" --m 1 --n 128 --k 384 --weights int3 --group 64 \
  --activations fp16
run_case gemm_pad_2tiles -c "$cfg/lutcore_m2n8k4.json" --m 3 --n 40 --k 256 --weights uint4 \
  --group 64 --set top.tiles=2
run_case g2_pad -c "$cfg/lutcore_m3n5k6g2.json" --m 4 --n 20 --k 128 --weights int2 --group 32
finish smoke.sim_skip
