#!/usr/bin/env bash
# Smoke test of the BitMoD workloads (workloads/llama2_7b_decode_bitmod_w{3,4}.json): both compile
# and estimate on the paper's 64 x 16 config; a one-block cut of the w3 one (every layer's N and K
# divided by 16) runs on the sim backend verified bit for bit against golden, printing its
# quantization error; the kit's units refuse it in one line (docs/bitmod.md, "End to end").
# Usage: bitmod_workload_test.sh <lowbit binary> <source dir>
set -uo pipefail
lowbit=$1
src=$2
py=/usr/bin/python3
# shellcheck source=../lib/check.sh
source "$src/tests/lib/check.sh"
enter_temp_dir
cfg="$src/configs/bitmod_64x16.json"

for b in 3 4; do
  w="$src/workloads/llama2_7b_decode_bitmod_w$b.json"
  "$lowbit" run --config "$cfg" --workload "$w" --backend analytic --no-progress -o "a$b.json" \
    >"a$b.txt" 2>&1
  check "llama2_7b_decode_bitmod_w$b compiles and estimates on bitmod_64x16" \
    grep -q "analytic estimate:" "a$b.txt"
done

# One block of the w3 workload at 1/16 of every N and K.
$py - "$src/workloads/llama2_7b_decode_bitmod_w3.json" >cut.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["name"] = "llama2_7b_decode_bitmod_w3_cut"
d["defaults"]["repeat"] = 1
for l in d["layers"]:
    l["n"] //= 16
    l["k"] //= 16
print(json.dumps(d))
PY
"$lowbit" run --config "$cfg" --workload cut.json --backend sim --no-progress -o cut_r.json \
  --stats cut_s.json >cut.txt 2>&1
check "the cut runs on sim, verified against golden" grep -q "verified against golden: yes" cut.txt
check "its 7 layers print bitmod_w3 and a quantization error" test "$(grep -cE \
  '^[a-z_]+ +1 +[0-9]+ +[0-9]+ +bitmod_w3 +128 +fp16 .* [0-9.]+e-0[1-3] ' cut.txt)" -eq 7
check "the result records the quantization error" test "$(jget cut_r.json \
  "all(0 < l['quantization_rel_error'] < 0.5 for l in d['layers'])")" = True
check "each layer prints its datatype mix and int3 RTN's error" test "$(grep -c \
  'datatypes of [0-9]* groups: fp3_er_pos .*; int3 RTN on the same weights: quant.err' cut.txt)" -eq 7
check "the record has the mix, and BitMoD beats int3 RTN on every layer" test "$(jget cut_r.json \
  "all(sum(l['weight_type_mix'].values()) == l['n'] * -(-l['k'] // 128) and \
  l['quantization_rel_error'] < l['rtn_quantization_rel_error'] for l in d['layers'])")" = True
# Two cycles per weight: the array's busy time is at least N K / C x 2 per layer (M = 1).
check "the sim takes 2 cycles per weight per column group" test "$(jget cut_s.json \
  "d['metrics']['cycles'] >= sum(2 * l['n'] * l['k'] // 16 for l in d['tiling'])")" = True

"$lowbit" run --workload cut.json --backend golden --no-progress -o bad.json >/dev/null 2>err.txt
rc=$?
check "the default lutcore config refuses it (rc $rc, exit 2)" test "$rc" -eq 2
check "in one line naming the bitmod unit" grep -q "does not run on the lutcore unit; allowed: a config of unit bitmod" err.txt
check "writing nothing" test ! -e bad.json

finish "bitmod workload smoke"
