#!/usr/bin/env bash
# Smoke test of the accelerator end to end: every named config x a small workload on the golden,
# sim and rtl backends, verified against golden; sim and rtl agree cycle for cycle; stats are
# reproducible; bad configs and overrides are one-line errors (exit 2).
# Usage: accel_test.sh <lowbit binary> <source dir> [rtl|no-rtl]
set -uo pipefail
lowbit=$1
src=$2
rtl=${3:-rtl}
py=/usr/bin/python3
# shellcheck source=../lib/check.sh
source "$src/tests/lib/check.sh"
enter_temp_dir

# A small two-layer workload: a GEMM with M > rows per op and a short last group, and a GEMV.
cat >small.json <<'JSON'
{"name": "small", "not_modelled": ["everything but the two linear layers"],
 "defaults": {"weight_format": "int3", "group_size": 64, "activation_format": "int8", "seed": 7},
 "layers": [{"name": "gemm", "m": 5, "n": 70, "k": 200, "repeat": 2},
            {"name": "gemv", "m": 1, "n": 130, "k": 256, "weight_format": "uint2"}]}
JSON
# The same layers in the BitMoD formats, for the bitmod configs.
sed -e 's/"int3"/"bitmod_w3"/' -e 's/"uint2"/"bitmod_w4"/' -e 's/"small"/"small_bitmod"/' small.json \
  >small_bitmod.json
for cfg in "$src"/configs/*.json; do
  name=$(basename "$cfg" .json)
  wl=small.json
  case $name in bitmod_*)
    # The bitmod unit runs the BitMoD weight formats only: the kit's are refused in one line, and
    # the same workload in bitmod_w3 / bitmod_w4 runs on every backend (docs/bitmod.md).
    "$lowbit" run --config "$cfg" --workload small.json --backend golden --no-progress \
      -o "r_$name.json" >"out_$name.txt" 2>&1
    rc=$?
    check "$name refuses the kit's int3 weights (rc $rc, exit 2)" test "$rc" -eq 2
    check "$name names what it allows" grep -q "does not run on the bitmod unit; allowed: bitmod_w3, bitmod_w4" \
      "out_$name.txt"
    check "$name writes nothing" test ! -e "r_$name.json"
    wl=small_bitmod.json ;;
  esac
  backends="golden sim"
  if [ "$rtl" = rtl ]; then
    case $name in *64x64) ;; *) backends="$backends rtl" ;; esac
  fi
  case $name in bitmod_64x16|bitmod_32x32) backends="golden sim" ;; esac  # 1024 PEs: not verilated
  for b in $backends; do
    "$lowbit" run --config "$cfg" --workload "$wl" --backend "$b" --no-progress \
      -o "r_${name}_$b.json" --stats "s_${name}_$b.json" >"out_${name}_$b.txt" 2>&1
    rc=$?
    check "$name on $b exits 0 (rc $rc)" test "$rc" -eq 0
    [ "$rc" -eq 0 ] || { tail -3 "out_${name}_$b.txt"; continue; }
    check "$name on $b verified" grep -q "verified against golden: yes" "out_${name}_$b.txt"
    check "$name on $b result says verified" test "$(jget "r_${name}_$b.json" "d['verified']")" = True
  done
  # Every named config runs at a clock its RTL meets at Nangate45 (issue 14): the cost says so
  # and the console prints it.
  if [ -e "s_${name}_sim.json" ]; then
    check "$name: top.clock_mhz is met at nangate45 ($(jget "s_${name}_sim.json" \
      "(d['cost']['clock_mhz'], d['cost']['unit_fmax_mhz'])"))" \
      test "$(jget "s_${name}_sim.json" "d['cost']['clock_met']")" = True
    check "$name: the console prints the met clock" grep -q "MHz, met by the RTL" "out_${name}_sim.txt"
  fi
  # The stats are byte-identical when rerun.
  "$lowbit" run --config "$cfg" --workload "$wl" --no-progress -o again.json \
    --stats again_stats.json >/dev/null 2>&1
  check "$name: same inputs give byte-identical stats.json" cmp -s "s_${name}_sim.json" again_stats.json
  if [ -e "s_${name}_rtl.json" ]; then
    check "$name: rtl and sim give the same cycles and stats" cmp -s "s_${name}_sim.json" \
      <(sed 's/"backend": "rtl"/"backend": "sim"/' "s_${name}_rtl.json")
  fi
done

# One bank per buffer: no double buffering possible, the run is slower and says why.
"$lowbit" run --config "$src/configs/lutcore_m2n64k4.json" --m 1 --n 1024 --k 4096 --no-progress \
  --set top.buffers.weight.banks=1 -o conflict.json --stats conflict_stats.json >conflict.txt 2>&1
check "one weight bank: verified" grep -q "verified against golden: yes" conflict.txt
check "one weight bank: buffer conflicts counted" test "$(jget conflict_stats.json \
  "d['stats']['core']['stall_buffer_conflict_cycles']['value'] + d['stats']['load']['stall_buffer_conflict_cycles']['value'] > 0")" = True
# K chunks of even size: a 12 KiB act buffer holds 5 of the 8 groups per half, so 2 chunks of 4
# (not 5 + 3, whose short last chunk cannot hide the next loads).
"$lowbit" run --config "$src/configs/mac_8x8.json" --m 8 --n 64 --k 1024 --weights uint4 \
  --no-progress --set top.buffers.act.kib=12 -o chunks.json --stats chunks_stats.json >chunks.txt 2>&1
check "even chunks: verified" grep -q "verified against golden: yes" chunks.txt
check "even chunks: 2 chunks of 512" test "$(jget chunks_stats.json \
  "(d['tiling'][0]['k_chunks'], d['tiling'][0]['k_chunk'])")" = "(2, 512)"
# The measured CPU reference on the same workload and data, verified by each kernel's rule.
"$lowbit" run --backend cpu --workload small.json --threads 2 --no-progress -o cpu.json >cpu.txt 2>&1
check "cpu backend runs verified" grep -q "verified against golden: yes" cpu.txt
check "cpu backend reports the STREAM bandwidth" grep -q "STREAM triad" cpu.txt
check "cpu result has per-kernel runs" test "$(jget cpu.json "len(d['cpu']['layers'][0]['runs']) >= 3")" = True
# Each kernel and thread count is timed with cold and with warm caches; the per-run figure is the
# cold one (docs/cpu-reference.md), the warm one is kept beside it, both labelled.
check "cpu runs are timed cold and warm" test "$(jget cpu.json \
  "sorted({r['caches'] for r in d['cpu']['layers'][0]['runs'] if 'caches' in r})")" = "['cold', 'warm']"
check "cpu per-run figure is labelled cold" test "$(jget cpu.json "d['cpu']['caches'].startswith('cold')")" = True
check "cpu warm figure is kept beside it" test "$(jget cpu.json "d['cpu']['warm']['caches'].startswith('warm')")" = True
check "cpu console prints both figures" test "$(grep -c '^CPU per run, \(cold\|warm\) caches' cpu.txt)" -eq 2

# More tiles side by side: same results, fewer cycles on a compute-bound layer.
for t in 1 4; do
  "$lowbit" run --config "$src/configs/lutcore_m2n8k4.json" --m 2 --n 256 --k 1024 --weights int4 \
    --set top.tiles=$t --no-progress -o tiles$t.json --stats tiles${t}_stats.json >tiles$t.txt 2>&1
  check "tiles=$t verified" grep -q "verified against golden: yes" tiles$t.txt
done
check "4 tiles take fewer than half the cycles of 1" test "$($py -c "import json; a=json.load(open('tiles1_stats.json'))['metrics']['cycles']; b=json.load(open('tiles4_stats.json'))['metrics']['cycles']; print(b * 2 < a)")" = True

# Trace and waveforms.
"$lowbit" run --config "$src/configs/mixpe_8x8.json" --workload small.json --no-progress \
  --trace trace.json --vcd waves.vcd -o t.json --stats t_stats.json >/dev/null 2>&1
check "trace has core and load events" test "$(jget trace.json \
  "sum(1 for e in d['traceEvents'] if e.get('ph') == 'X') > 10")" = True
check "vcd written with unit signals" grep -q "core_busy" waves.vcd

# Bad input: one line, exit 2, nothing written.
expect_bad() {  # expect_bad <stderr substring> <args...>
  local expect=$1
  shift
  rm -f bad.json
  "$lowbit" "$@" -o bad.json >/dev/null 2>err.txt
  local rc=$?
  check "exit 2 for: $*" test "$rc" -eq 2
  check "one stderr line for: $*" test "$(wc -l <err.txt)" -eq 1
  check "stderr names '$expect' for: $*" grep -qF -- "$expect" err.txt
  check "nothing written for: $*" test ! -e bad.json
}
expect_bad "did you mean 'top.dram.bandwidth_gbps'" run --m 1 --n 8 --k 8 --set top.dram.bandwith_gbps=10
expect_bad "top.tiles" run --m 1 --n 8 --k 8 --set top.tiles=0
expect_bad "do not fit the lutcore unit" run --m 1 --n 8 --k 8 --weights int8
expect_bad "weight format bitmod_w3 does not run on the lutcore unit; allowed: a config of unit bitmod" \
  run --m 1 --n 8 --k 8 --weights bitmod_w3 --backend golden
expect_bad "weight format bitmod_w4 does not run on the mixpe unit; allowed: a config of unit bitmod" \
  run --config "$src/configs/mixpe_8x8.json" --m 1 --n 8 --k 8 --weights bitmod_w4
expect_bad "has no CPU reference kernel" run --backend cpu --m 1 --n 8 --k 8 --weights bitmod_w4
expect_bad "k = 40000 is 80000 beats of the bitmod unit" run --config "$src/configs/bitmod_4x4.json" \
  --m 1 --n 4 --k 40000 --weights bitmod_w4 --backend golden
expect_bad "fp16 activations need a core built with FP16 support" run --config "$src/configs/mixpe_64x64.json" \
  --m 1 --n 8 --k 8 --activations fp16
printf '{"core": "lutcore", "lutcore": {"m": 2}, "top": {"dram": {"latency": 5}}}' >badcfg.json
expect_bad "badcfg.json: top.dram.latency: unknown key" run --config badcfg.json --m 1 --n 8 --k 8
expect_bad "backend" run --backend nonesuch --m 1 --n 8 --k 8

finish "accel smoke"
