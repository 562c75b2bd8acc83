#!/usr/bin/env bash
# Smoke test of the FP4 weight formats on lutcore (issue 19, docs/fp-weights.md): the done-when runs
# (lutcore_m2n64k4, M 4, N 256, K 1024, fp4_e2m1 and mxfp4) verify against golden on the golden, sim
# and rtl backends with rtl = sim cycle for cycle; the tile walks 5 planes per beat; the two FP4
# decoder presets, cut small, run a decode token verified on sim; units without
# FP4 (bitmod) and mxfp4 with a group other than 32 are refused in one line with exit code 2.
# Usage: fp4_weights_test.sh <lowbit binary> <source dir> [rtl|no-rtl]
set -uo pipefail
lowbit=$1
src=$2
rtl=${3:-rtl}
# shellcheck source=../lib/check.sh
source "$src/tests/lib/check.sh"
enter_temp_dir
cfg="$src/configs/lutcore_m2n64k4.json"
backends="golden sim"
[ "$rtl" = rtl ] && backends="$backends rtl"

for f in fp4_e2m1 mxfp4; do
  for b in $backends; do
    "$lowbit" run -c "$cfg" --m 4 --n 256 --k 1024 --weights "$f" --backend "$b" --no-progress \
      -o "r_${f}_$b.json" --stats "s_${f}_$b.json" >"o_${f}_$b.txt" 2>&1
    check "$f on $b verifies against golden" grep -q "verified against golden: yes" "o_${f}_$b.txt"
  done
  check "$f: the golden kernels agree (direct sums = LUT planes)" \
    test "$(jget "r_${f}_sim.json" "d['layers'][0]['integer_paths_bit_exact']")" = True
  check "$f: the layer records its format and group" test "$(jget "r_${f}_sim.json" \
    "(d['layers'][0]['weight_format'], d['layers'][0]['group_size'])")" = "('$f', $([ $f = mxfp4 ] && echo 32 || echo 128))"
  check "$f: 5 planes per beat on the tile" test "$(jget "s_${f}_sim.json" \
    "d['stats']['core']['tile0']['array']['planes']['value'] == 5 * d['stats']['core']['tile0']['io']['beats_in']['value']")" = True
  if [ "$rtl" = rtl ]; then
    check "$f: rtl and sim give the same cycles and stats" cmp -s "s_${f}_sim.json" \
      <(sed 's/"backend": "rtl"/"backend": "sim"/' "s_${f}_rtl.json")
  fi
done

# The analytic tier reads the format from the cfg instruction: FP4 beats take 5 planes there too
# (within 1% of the cycle tier; an affine reading of the codes gives 4/5 of the cycles).
for f in fp4_e2m1 mxfp4; do
  "$lowbit" estimate -c "$cfg" --m 4 --n 256 --k 1024 --weights "$f" --stats "e_$f.json" \
    >"oe_$f.txt" 2>&1
  check "$f: the analytic estimate is within 1% of the cycle tier" test "$(python3 -c "
import json, sys
e = json.load(open(sys.argv[1]))['metrics']['cycles']
c = json.load(open(sys.argv[2]))['metrics']['cycles']
print(abs(e - c) <= 0.01 * c)" "e_$f.json" "s_${f}_sim.json")" = True
done

# The INT4 run of the same shape takes 4 planes per beat: FP4 costs 5/4 of its array cycles.
"$lowbit" run -c "$cfg" --m 4 --n 256 --k 1024 --weights int4 --backend sim --no-progress \
  -o r_int4.json --stats s_int4.json >o_int4.txt 2>&1
check "int4 on sim verifies" grep -q "verified against golden: yes" o_int4.txt
check "fp4 busy cycles are 5/4 of int4's" test "$(jget s_int4.json \
  "5 * d['stats']['core']['tile0']['busy_cycles']['value']")" = "$(jget s_fp4_e2m1_sim.json \
  "4 * d['stats']['core']['tile0']['busy_cycles']['value']")"

# The FP4 decoder presets, cut to two blocks of a 256-wide model (2 heads of 128, FFN 512, context
# 64): a decode token runs verified on sim (whole decoder blocks, docs/decoder.md).
for w in llama2_7b_decode_mxfp4 llama3_8b_decode_fp4; do
  /usr/bin/python3 "$src/tests/smoke/cut_decoder_workload.py" "$src/workloads/$w.json" >"cut_$w.json"
  "$lowbit" run -c "$cfg" --workload "cut_$w.json" --backend sim --no-progress -o "d_$w.json" \
    >"d_$w.txt" 2>&1
  check "$w (2 blocks of a cut model) runs verified on sim" \
    grep -q "verified against golden: yes" "d_$w.txt"
done

# --dump: the FP codes and block scales as .npy (mxfp4: E8M0 codes as uint8, fp4_e2m1: FP16) with
# the decoding rule in the manifest.
for f in fp4_e2m1 mxfp4; do
  "$lowbit" run -c "$cfg" --m 2 --n 64 --k 256 --weights "$f" --backend golden --no-progress \
    -o "dump_$f.json" --dump "dump_$f" >/dev/null 2>&1
  check "$f --dump: the manifest states the decoding rule" test "$(jget "dump_$f/manifest.json" \
    "'OCP FP4 E2M1' in d['layers'][0]['weight_decoding']")" = True
  want="'<f2'"
  [ "$f" = mxfp4 ] && want="'|u1'"
  check "$f --dump: W_scales.npy has the scale dtype" grep -q "'descr': $want" "dump_$f/gemm_W_scales.npy"
done

# Refusals: one line, exit code 2.
"$lowbit" run -c "$src/configs/bitmod_4x4.json" --m 4 --n 64 --k 256 --weights mxfp4 \
  --backend golden --no-progress -o bad.json >/dev/null 2>err1.txt
rc=$?
check "bitmod refuses mxfp4 with exit code 2" test "$rc" -eq 2
check "... in one line" grep -q "weight format mxfp4 does not run on the bitmod unit; allowed: " err1.txt
check "... one line only" test "$(wc -l <err1.txt)" -eq 1
"$lowbit" run -c "$cfg" --m 4 --n 64 --k 256 --weights mxfp4 --group 128 --backend golden \
  --no-progress -o bad.json >/dev/null 2>err2.txt
rc=$?
check "mxfp4 with --group 128 is refused with exit code 2" test "$rc" -eq 2
check "... naming the allowed group" grep -q "allowed: 32 (the OCP MX block)" err2.txt
check "... one line only" test "$(wc -l <err2.txt)" -eq 1

finish "fp4_weights smoke"
