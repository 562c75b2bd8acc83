#!/usr/bin/env bash
# Smoke test of the FP8 activation formats (fp8_e4m3, fp8_e5m2; docs/fp-weights.md, "FP
# activations"): quantized on the host and handed to the units as their FP16 values, they verify
# against golden on sim and rtl on every unit with an FP16 activation path (lutcore_m2n64k4 at the
# issue's shape, mixpe_8x8, bitmod_4x4, mac_8x8 by its FP16 rule) with rtl = sim cycle for cycle;
# the values reach the units as FP16 (the same cycles and stats as an fp16 run); --dump writes the
# FP8 codes with their decoding rule; a config without FP16 support refuses them in one line with
# exit code 2, as an unknown activation format is refused.
# Usage: fp8_activations_test.sh <lowbit binary> <source dir> [rtl|no-rtl]
set -uo pipefail
lowbit=$1
src=$2
rtl=${3:-rtl}
# shellcheck source=../lib/check.sh
source "$src/tests/lib/check.sh"
enter_temp_dir
backends="sim"
[ "$rtl" = rtl ] && backends="$backends rtl"

# config | shape | weights
runs="lutcore_m2n64k4|--m 4 --n 256 --k 1024|uint4
mixpe_8x8|--m 4 --n 64 --k 256|uint4
bitmod_4x4|--m 4 --n 64 --k 256|bitmod_w4
mac_8x8|--m 4 --n 64 --k 256|uint4"
while IFS='|' read -r cfg shape w; do
  for a in fp8_e4m3 fp8_e5m2; do
    for b in $backends; do
      # shellcheck disable=SC2086  # $shape is several flags
      "$lowbit" run -c "$src/configs/$cfg.json" $shape --weights "$w" --activations "$a" \
        --backend "$b" --no-progress -o "r_${cfg}_${a}_$b.json" --stats "s_${cfg}_${a}_$b.json" \
        >"o_${cfg}_${a}_$b.txt" 2>&1
      check "$a on $cfg, $b verifies against golden" \
        grep -q "verified against golden: yes" "o_${cfg}_${a}_$b.txt"
    done
    if [ "$rtl" = rtl ]; then
      check "$a on $cfg: rtl and sim give the same cycles and stats" cmp -s \
        "s_${cfg}_${a}_sim.json" <(sed 's/"backend": "rtl"/"backend": "sim"/' "s_${cfg}_${a}_rtl.json")
    fi
  done
  # The FP8 values enter the FP16 path: the same cycles as fp16 activations, a different result.
  # shellcheck disable=SC2086
  "$lowbit" run -c "$src/configs/$cfg.json" $shape --weights "$w" --activations fp16 \
    --backend sim --no-progress -o "r_${cfg}_fp16.json" --stats "s_${cfg}_fp16.json" \
    >"o_${cfg}_fp16.txt" 2>&1
  check "fp8_e4m3 on $cfg takes the cycles of fp16" test \
    "$(metric "s_${cfg}_fp8_e4m3_sim.json" "m['cycles']")" = "$(metric "s_${cfg}_fp16.json" "m['cycles']")"
  check "fp8_e4m3 on $cfg: the layer records its activation format" test \
    "$(jget "r_${cfg}_fp8_e4m3_sim.json" "d['layers'][0]['activation_format']")" = fp8_e4m3
done <<<"$runs"

# The quantization error: E4M3 (3 mantissa bits) and E5M2 (2) lose more than FP16 (10), E5M2 most.
err() { jget "$1" "d['layers'][0]['quantization_rel_error']"; }
check "quantization error: fp16 < fp8_e4m3 < fp8_e5m2" /usr/bin/python3 -c "
import sys; a, b, c = map(float, sys.argv[1:]); sys.exit(not (a < b < c))" \
  "$(err r_mixpe_8x8_fp16.json)" "$(err r_mixpe_8x8_fp8_e4m3_sim.json)" \
  "$(err r_mixpe_8x8_fp8_e5m2_sim.json)"

# --dump: the FP8 codes (uint8) beside their FP16 values, and the decoding rule in the manifest.
for a in fp8_e4m3 fp8_e5m2; do
  "$lowbit" run -c "$src/configs/mixpe_8x8.json" --m 2 --n 64 --k 256 --activations "$a" \
    --backend golden --no-progress -o "dump_$a.json" --dump "dump_$a" >/dev/null 2>&1
  check "$a --dump: the manifest states the decoding rule" test "$(jget "dump_$a/manifest.json" \
    "'OFP8 ${a#fp8_}'.upper() in d['layers'][0]['activation_decoding'].upper()")" = True
  check "$a --dump: A_codes.npy holds uint8 codes" grep -q "'descr': '|u1'" "dump_$a/gemm_A_codes.npy"
  check "$a --dump: the codes decode by the manifest's rule to A's FP16 values" /usr/bin/python3 -c "
import sys, numpy as np
fmt, d = sys.argv[1], sys.argv[2]
e_bits, m_bits, bias = (4, 3, 7) if fmt == 'fp8_e4m3' else (5, 2, 15)
c = np.load(d + '/gemm_A_codes.npy').astype(np.int64)
s, e, m = c >> 7, (c >> m_bits) & ((1 << e_bits) - 1), c & ((1 << m_bits) - 1)
v = np.where(e == 0, 2.0 ** (1 - bias) * m / 2 ** m_bits, 2.0 ** (e - bias) * (1 + m / 2 ** m_bits))
v = np.where(s == 1, -v, v)
a = np.load(d + '/gemm_A.npy').view(np.float16).astype(np.float64)
sys.exit(not (np.array_equal(v, a) and np.array_equal(np.signbit(v), np.signbit(a))))" "$a" "dump_$a"
done

# Refusals: one line, exit code 2.
"$lowbit" run -c "$src/configs/mac_64x64.json" --m 4 --n 64 --k 256 --activations fp8_e4m3 \
  --backend sim --no-progress -o bad.json >/dev/null 2>err1.txt
rc=$?
check "mac_64x64 (no FP16 path) refuses fp8_e4m3 with exit code 2" test "$rc" -eq 2
check "... naming the format and what is allowed" grep -q \
  "activation format fp8_e4m3 runs on the FP16 activation path.*allowed: int8 activations" err1.txt
check "... one line only" test "$(wc -l <err1.txt)" -eq 1
"$lowbit" run -c "$src/configs/mixpe_8x8.json" --m 4 --n 64 --k 256 --activations bf16 \
  --backend golden --no-progress -o bad.json >/dev/null 2>err2.txt
rc=$?
check "bf16 activations are refused with exit code 2" test "$rc" -eq 2
check "... listing the FP8 formats as allowed" grep -q "fp8_e4m3, fp8_e5m2" err2.txt
check "... one line only" test "$(wc -l <err2.txt)" -eq 1

finish "fp8_activations smoke"
