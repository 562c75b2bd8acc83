#!/usr/bin/env bash
# Smoke test of the FP4 weight formats on the PE arrays (issue 19, docs/fp-weights.md, "The PE
# arrays"): fp4_e2m1 and mxfp4 on mixpe_8x8 and mac_8x8 (M 4, N 64, K 256) verify against golden on
# the golden, sim and rtl backends with rtl = sim cycle for cycle; mixpe's PEs shift&add the 5 bits
# of u = 2v + 16 per step; mixpe also takes FP16 activations exactly; the analytic estimate stays
# within 1% of the cycle tier; cut FP4 decode tokens run verified on sim; mac with FP16
# activations, bitmod and mxfp4 with a group other than 32 are refused in one line with exit code 2.
# Usage: fp4_arrays_test.sh <lowbit binary> <source dir> [rtl|no-rtl]
set -uo pipefail
lowbit=$1
src=$2
rtl=${3:-rtl}
# shellcheck source=../lib/check.sh
source "$src/tests/lib/check.sh"
enter_temp_dir
backends="golden sim"
[ "$rtl" = rtl ] && backends="$backends rtl"

for unit in mixpe mac; do
  cfg="$src/configs/${unit}_8x8.json"
  for f in fp4_e2m1 mxfp4; do
    for b in $backends; do
      "$lowbit" run -c "$cfg" --m 4 --n 64 --k 256 --weights "$f" --backend "$b" --no-progress \
        -o "r_${unit}_${f}_$b.json" --stats "s_${unit}_${f}_$b.json" >"o_${unit}_${f}_$b.txt" 2>&1
      check "$f on $unit, $b verifies against golden" \
        grep -q "verified against golden: yes" "o_${unit}_${f}_$b.txt"
    done
    check "$f on $unit: the golden kernels agree" \
      test "$(jget "r_${unit}_${f}_sim.json" "d['layers'][0]['integer_paths_bit_exact']")" = True
    if [ "$rtl" = rtl ]; then
      check "$f on $unit: rtl and sim give the same cycles and stats" cmp -s \
        "s_${unit}_${f}_sim.json" <(sed 's/"backend": "rtl"/"backend": "sim"/' "s_${unit}_${f}_rtl.json")
    fi
    "$lowbit" estimate -c "$cfg" --m 4 --n 64 --k 256 --weights "$f" --stats "e_${unit}_$f.json" \
      >"oe_${unit}_$f.txt" 2>&1
    check "$f on $unit: the analytic estimate is within 1% of the cycle tier" test "$(python3 -c "
import json, sys
e = json.load(open(sys.argv[1]))['metrics']['cycles']
c = json.load(open(sys.argv[2]))['metrics']['cycles']
print(abs(e - c) <= 0.01 * c)" "e_${unit}_$f.json" "s_${unit}_${f}_sim.json")" = True
  done
done

# mixpe walks the 5 bits of u = 2v + 16 per step (the E2M1 exponent is one more shift): R x C x 5
# shift&adds per K step, against R x C x 4 for int4 codes.
"$lowbit" run -c "$src/configs/mixpe_8x8.json" --m 4 --n 64 --k 256 --weights int4 --backend sim \
  --no-progress -o r_int4.json --stats s_int4.json >o_int4.txt 2>&1
check "int4 on mixpe verifies" grep -q "verified against golden: yes" o_int4.txt
check "mixpe: fp4 shift&adds are 5/4 of int4's, same cycles" test "$(jget s_int4.json \
  "(5 * d['stats']['core']['array0']['pe']['shift_adds']['value'], d['metrics']['cycles'])")" = \
  "$(jget s_mixpe_fp4_e2m1_sim.json \
  "(4 * d['stats']['core']['array0']['pe']['shift_adds']['value'], d['metrics']['cycles'])")"

# FP16 activations: exact on mixpe (a * 2^24 in fixed point), refused on mac (FP16 dequant path).
for f in fp4_e2m1 mxfp4; do
  "$lowbit" run -c "$src/configs/mixpe_8x8.json" --m 4 --n 64 --k 256 --weights "$f" \
    --activations fp16 --backend sim --no-progress -o "h_$f.json" >"oh_$f.txt" 2>&1
  check "$f x fp16 on mixpe verifies on sim" grep -q "verified against golden: yes" "oh_$f.txt"
done
"$lowbit" run -c "$src/configs/mac_8x8.json" --m 4 --n 64 --k 256 --weights mxfp4 \
  --activations fp16 --backend golden --no-progress -o bad.json >/dev/null 2>err0.txt
rc=$?
check "mac refuses mxfp4 x fp16 with exit code 2" test "$rc" -eq 2
check "... naming int8 activations" grep -q \
  "weight format mxfp4 with fp16 activations does not run on the mac unit.*allowed: int8 activations" err0.txt
check "... one line only" test "$(wc -l <err0.txt)" -eq 1

# The arrays are characterized at b = 5 on fp4_e2m1 data (rtl/synth/fp4_stimulus.py): an FP4 run
# prices its 5-bit steps with step_b5 (Nangate45, the default node) instead of "not characterized".
for unit in mixpe mac; do
  for f in fp4_e2m1 mxfp4; do
    check "$f on $unit: energy and area priced at Nangate45" grep -q \
      "^energy and area (nangate45, .*pJ/op.*mm^2" "o_${unit}_${f}_sim.txt"
    check "$f on $unit: the steps are priced with step_b5" test "$(jget "s_${unit}_${f}_sim.json" \
      "any('energy_pj step_b5 ' in t['source'] and t['value'] for t in d['cost']['energy_terms_pj'])")" = True
  done
done

# Decode tokens on the arrays: the FP4 presets cut to two blocks of a 256-wide model (as
# fp4_weights_test.sh cuts them) run verified on sim: llama3_8b_decode_fp4 (fp4_e2m1 x INT8) on both
# arrays, llama2_7b_decode_mxfp4 (mxfp4 x FP16) on mixpe (mac refuses FP4 with FP16 activations).
for w in llama2_7b_decode_mxfp4 llama3_8b_decode_fp4; do
  /usr/bin/python3 "$src/tests/smoke/cut_decoder_workload.py" "$src/workloads/$w.json" >"cut_$w.json"
done
for run in mixpe:llama2_7b_decode_mxfp4 mixpe:llama3_8b_decode_fp4 mac:llama3_8b_decode_fp4; do
  unit=${run%%:*}
  w=${run#*:}
  "$lowbit" run -c "$src/configs/${unit}_8x8.json" --workload "cut_$w.json" --backend sim \
    --no-progress -o "d_${unit}_$w.json" >"d_${unit}_$w.txt" 2>&1
  check "$w (2 blocks of a cut model) runs verified on $unit, sim" \
    grep -q "verified against golden: yes" "d_${unit}_$w.txt"
done

# Refusals: one line, exit code 2 (bitmod's refusal of FP4 is fp4_weights_test.sh's).
"$lowbit" run -c "$src/configs/mixpe_8x8.json" --m 4 --n 64 --k 256 --weights mxfp4 --group 128 \
  --backend golden --no-progress -o bad.json >/dev/null 2>err2.txt
rc=$?
check "mxfp4 with --group 128 on mixpe is refused with exit code 2" test "$rc" -eq 2
check "... naming the allowed group" grep -q "allowed: 32 (the OCP MX block)" err2.txt
check "... one line only" test "$(wc -l <err2.txt)" -eq 1

finish "fp4_arrays smoke"
