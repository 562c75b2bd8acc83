#!/usr/bin/env bash
# Fidelity: the memory system delivers its configured bandwidth. A memory-bound GEMV (M = 1, 4096 x
# 4096 uint8 on 64 mac arrays, whose 4096 B/cycle of weight consumption is above every swept
# bandwidth) must run within 10% of the roofline bound at every DRAM bandwidth from 16 GB/s to
# 2 TB/s and on every memory preset (docs/top.md, "Memory system").
# Usage: memory_bandwidth_test.sh <lowbit binary> <source dir>
set -uo pipefail
lowbit=$1
src=$2
# shellcheck source=../lib/check.sh
source "$src/tests/lib/check.sh"
enter_temp_dir

# 64 arrays of 64 columns: one N-block of 4096; buffers wide and large enough that only DRAM limits.
# The clock is pinned at 1 GHz: the 4096 B/cycle of weight consumption must exceed 2 TB/s, and this
# test is about the memory system, not about a clock the array's RTL meets (mac_64x64's own clock,
# 80 MHz, would make the array the bound above about 300 GB/s).
base=(run --config "$src/configs/mac_64x64.json" --m 1 --n 4096 --k 4096 --weights uint8
      --set top.clock_mhz=1000 --set top.tiles=64 --set top.buffers.weight.kib=1024
      --set top.buffers.weight.width_bytes=2048
      --set top.buffers.out.kib=2048 --no-progress -o r.json --stats s.json)

point() {  # point <label> <extra args...>
  local label=$1
  shift
  "$lowbit" "${base[@]}" "$@" >out.txt 2>&1
  check "$label: verified" grep -q "verified against golden: yes" out.txt
  local ratio
  ratio=$(metric s.json "round(m['cycles'] / m['roofline_bound_cycles'], 4)")
  echo "$label: $(metric s.json "m['cycles']") cycles, bound $(metric s.json \
    "round(m['roofline_bound_cycles'])") ($(metric s.json "m['memory_bandwidth_limit']")), \
used $(metric s.json "round(m['dram_bandwidth_used_gbps'], 1)") GB/s, cycles / bound = $ratio"
  check "$label: memory-bound" test "$(metric s.json \
    "m['roofline_memory_cycles'] > m['roofline_compute_cycles']")" = True
  check "$label: within 10% of the bound (got $ratio)" test "$(metric s.json \
    "m['roofline_bound_cycles'] <= m['cycles'] <= 1.10 * m['roofline_bound_cycles']")" = True
}

for bw in 16 32 64 128 256 512 1024 2048; do
  point "$bw GB/s" --set top.dram.bandwidth_gbps=$bw
done
for preset in ddr4_3200_x64 lpddr5x_8533_x64 hbm2e_stack hbm3_stack; do
  point "$preset" --set top.dram.preset=$preset
done

# The roofline uses what the memory system delivers: a DMA window set below the bandwidth-latency
# product (64 bursts x 64 B per 101-cycle round trip = 40.6 B/cycle at 1 TB/s) is the limit, and the console
# says so.
point "1 TB/s, 64-burst window" --set top.dram.bandwidth_gbps=1000 --set top.dram.max_outstanding=64
check "window-limited run reports the DMA window" grep -q "limit: DMA window" out.txt
check "window-limited roofline uses 40.6 GB/s" test "$(metric s.json \
  "abs(m['memory_bandwidth_deliverable_gbps'] - 64 * 64 / 101) < 0.01")" = True

# A preset sets its keys; an explicit key beside it wins.
"$lowbit" "${base[@]}" --set top.dram.preset=hbm3_stack --set top.dram.latency_ns=50 >out.txt 2>&1
check "preset + override: channels from the preset" test "$(jget s.json \
  "d['config']['top']['dram']['channels']")" = 32
check "preset + override: latency from --set" test "$(jget s.json \
  "d['config']['top']['dram']['latency_ns']")" = 50.0
check "preset + override: bandwidth from the preset" test "$(jget s.json \
  "d['config']['top']['dram']['bandwidth_gbps']")" = 819.2

# The DRAM energy follows the preset, in the run's cost and in `lowbit report` (docs/top.md).
check "preset's DRAM energy spec recorded" test "$(metric s.json "m['dram_energy_spec']")" = hbm2_oconnor2017
"$lowbit" report s.json -o rep >/dev/null 2>&1
check "report costs DRAM with the preset's spec" test "$(jget rep/report.json "any('hbm2_oconnor2017' \
  in t.get('source', '') for t in d['designs'][0]['cost']['energy_terms_pj'])")" = True

# An unknown preset: one line naming the key and the allowed names, exit 2.
"$lowbit" "${base[@]}" --set top.dram.preset=ddr9 >out.txt 2>&1
check "unknown preset exits 2" test $? -eq 2
check "unknown preset names the key and the presets" grep -q "top.dram.preset: 'ddr9' is not a memory preset; allowed: \"\", ddr4_3200_x64" out.txt

finish "fidelity.memory_bandwidth"
