#!/usr/bin/env bash
# Smoke test of the lowbit CLI: usage: cli_test.sh <lowbit binary> <source dir>
set -uo pipefail
lowbit=$1
src=$2
# shellcheck source=../lib/check.sh
source "$src/tests/lib/check.sh"
enter_temp_dir

# expect_bad_input <expected stderr substring> <args...>: exit 2, one stderr line, no result file.
expect_bad_input() {
  local expect=$1
  shift
  rm -f result.json
  "$lowbit" "$@" >out.txt 2>err.txt
  local rc=$?
  check "exit 2 for: $*" test "$rc" -eq 2
  check "one stderr line for: $*" test "$(wc -l <err.txt)" -eq 1
  check "stderr names '$expect' for: $*" grep -qF -- "$expect" err.txt
  check "no result.json after: $*" test ! -e result.json
}

# A small GEMM per weight format family and both activation formats, verified, with --dump.
for wf in binary ternary int3 uint4 int8; do
  for af in int8 fp16; do
    "$lowbit" run --config "$src/configs/mixpe_8x8.json" --m 3 --n 40 --k 200 --weights $wf --activations $af --group 64 \
      -o r_${wf}_${af}.json >out.txt 2>err.txt
    check "run $wf x $af exits 0" test $? -eq 0
    check "run $wf x $af verified" grep -q "verified against golden: yes" out.txt
    check "result $wf x $af says verified" grep -q '"verified": true' r_${wf}_${af}.json
  done
done

# Whole decoder blocks (docs/decoder.md): verified, per-token results, the KV cache, the checks.
dec="$src/tests/smoke/data/tiny_decoder.json"
"$lowbit" run --config "$src/configs/mixpe_8x8.json" --workload "$dec" --context 40 \
  -o dec.json --stats dec_stats.json >out.txt 2>err.txt
check "decoder run exits 0" test $? -eq 0
check "decoder run verified" grep -q "verified against golden: yes" out.txt
check "decoder prints the blocks" grep -q "^decoder decode: 3 of 3 blocks .*context 40" out.txt
check "decoder prints tokens/s" grep -q "^per token step: .* tokens/s" out.txt
check "decoder prints the breakdown" grep -q "^breakdown (cycles): linear .* attention matmuls .* KV traffic .* nonlinear" out.txt
check "decoder vector checks pass" grep -q "^vector ops vs float64 .*: ok$" out.txt
check "decoder energy includes the vector unit" grep -q "^energy per token: .* + vector unit .* (lane operations" out.txt
check "decoder not modelled drops softmax" bash -c '! grep -q "not modelled:.*softmax" out.txt'
# KV: 3 blocks x 2 (K, V) x 40 positions x 2 KV heads x 16 x 2 bytes = 15360 B.
check "decoder KV bytes in stats" grep -q '"read_bytes": 15360' dec_stats.json
check "decoder block in result.json" grep -q '"attention_mapping"' dec.json
"$lowbit" run --config "$src/configs/mixpe_8x8.json" --workload "$dec" --set vector.kv_cache.format=int4 \
  --set vector.kv_cache.group=8 -o dec4.json >out.txt 2>err.txt
check "decoder INT4 KV runs verified" grep -q "verified against golden: yes" out.txt
check "decoder INT4 KV printed" grep -q "^KV cache: int4, one FP16 scale per 8 elements" out.txt
# A shipped FP16-activation preset at real shapes, cut to one block at context 64: its block rule
# (one FP16 step, docs/decoder.md) holds.
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d['defaults']['repeat']=1; \
json.dump(d, open('w4a16_cut.json', 'w'))" "$src/workloads/llama2_7b_decode_w4a16.json"
"$lowbit" run --workload w4a16_cut.json --context 64 --backend golden -o w4a16.json >out.txt 2>err.txt
check "llama2_7b_decode_w4a16 (1 block) verified" grep -q "verified against golden: yes" out.txt
check "its block 0 meets the FP16 rule" grep -q "^block 0 vs its float64 reference: .*: ok" out.txt
# A prefill with attention (time to first token) and the LM head: verified, its figures printed.
pre="$src/tests/smoke/data/tiny_prefill.json"
"$lowbit" run --config "$src/configs/mixpe_8x8.json" --workload "$pre" -o pre.json --stats pre_stats.json \
  >out.txt 2>err.txt
check "prefill run verified" grep -q "verified against golden: yes" out.txt
check "prefill prints the blocks" grep -q "^decoder prefill: 3 of 3 blocks .*causal attention over a prompt of 12 tokens" out.txt
check "prefill prints time to first token" grep -q "^time to first token: .* prompt tokens/s" out.txt
check "prefill prints the LM head" grep -q "^LM head: final RMSNorm, then lm_head (hidden x 300 vocabulary) on the accelerator for 1 row" out.txt
# 3 blocks x 12 rows x 576 outputs of the seven layers + 300 of the LM head's one row.
check "prefill checks the LM head's store" grep -q "(21036 output elements compared bit for bit" out.txt
# KV: 3 blocks x 2 (K, V) x 12 positions x 2 KV heads x 16 x 2 bytes = 4608 B read back once.
check "prefill KV bytes in stats" grep -q '"read_bytes": 4608' pre_stats.json
check "prefill time to first token in stats" grep -q '"time_to_first_token_s"' pre_stats.json
# The step's energy includes the vector unit (docs/decoder.md, "Vector unit energy and area"): its
# lane operations priced with Nangate45's FP32 primitives, the KV bytes through its buffer, leakage.
check "prefill energy sums linear, KV, embedding and the vector unit" /usr/bin/python3 -c "
import json
e = json.load(open('pre_stats.json'))['decoder']['energy']; v = e['vector_unit']
assert v['pj'] > 0 and v['leakage_pj'] > 0 and v['blocks_kv_buffer_pj'] > 0 and v['area_um2'] > 0, v
s = e['linear_pj'] + e['kv_dram_pj'] + e['embedding_dram_pj'] + v['pj']
assert abs(e['joules_per_prefill'] - s * 1e-12) <= 1e-9 * s * 1e-12, (e['joules_per_prefill'], s)
assert abs(e['joules_per_token'] - s * 1e-12) <= 1e-9 * s * 1e-12, (e['joules_per_token'], s)"
check "prefill prints the vector unit's energy" grep -q "^energy per prefill: .* + vector unit .* (lane operations" out.txt
"$lowbit" run --config "$src/configs/mixpe_8x8.json" --workload "$pre" --prompt 5 --decoder-blocks 2 \
  -o pre2.json >out.txt 2>err.txt
check "prefill --prompt --decoder-blocks verified" grep -q "verified against golden: yes" out.txt
check "prefill cut prints the whole model" grep -q "^whole model (3 blocks" out.txt
check "prefill cut prints the prompt" grep -q "^decoder prefill: 2 of 3 blocks .*prompt of 5 tokens" out.txt
# The whole-model figures of a one-block cut against the full run (pipeline fill and DRAM phases
# differ at these tiny shapes: measured 8.7% on mixpe_8x8).
"$lowbit" run --config "$src/configs/mixpe_8x8.json" --workload "$pre" --decoder-blocks 1 -o cut.json \
  --stats cut_stats.json >out.txt 2>err.txt
check "one-block cut scales to the full run within 15%" /usr/bin/python3 -c "
import json
full = json.load(open('pre_stats.json'))['decoder']
cut = json.load(open('cut_stats.json'))['decoder']
a, b = full['timing']['cycles'], cut['timing']['whole_model']['cycles']
assert abs(b - a) / a < 0.15 and b != cut['timing']['cycles'], (a, b)
ja, jb = full['energy']['joules_per_token'], cut['energy']['model_joules_per_token']
assert abs(jb - ja) / ja < 0.15, (ja, jb)"
# The context chart: the run's linear layers once, the operator-level vector / KV model at
# 512..32768; its row at the run's context is the run's step with the operator-level attention
# (timing.cycles_operator_level; the run itself measures the attention on the SystemC unit).
"$lowbit" run --config "$src/configs/mixpe_8x8.json" --workload "$dec" --context 1024 --context-chart chart \
  -o chart.json --stats chart_stats.json >out.txt 2>err.txt
check "context chart run verified" grep -q "verified against golden: yes" out.txt
check "context chart CSV has 7 contexts" test "$(wc -l <chart.csv)" -eq 8
check "context chart SVG has its lines" grep -q "<polyline" chart.svg
run_cycles=$(/usr/bin/python3 -c "import json; print(round(json.load(open('chart_stats.json'))['decoder']['timing']['cycles_operator_level']))")
check "context chart row 1024 is the run's step" grep -q "^1024,$run_cycles," chart.csv
check "context chart tokens/s falls with context" /usr/bin/python3 -c "
import csv; r = list(csv.DictReader(open('chart.csv'))); t = [float(x['tokens_per_second']) for x in r]
assert all(a > b for a, b in zip(t, t[1:])), t"
expect_bad_input "--context-chart: needs a decode workload" run --config "$src/configs/mixpe_8x8.json" \
  --workload "$pre" --context-chart c -o r.json
expect_bad_input "--context: workload 'tiny_prefill' is a prefill" run --config "$src/configs/mixpe_8x8.json" \
  --workload "$pre" --context 64 -o r.json
expect_bad_input "--prompt: workload 'tiny_decoder' is not a prefill" run --config "$src/configs/mixpe_8x8.json" \
  --workload "$dec" --prompt 64 -o r.json
expect_bad_input "--decoder-blocks: 4 is out of range; allowed: [1, 3]" run --config "$src/configs/mixpe_8x8.json" \
  --workload "$pre" --decoder-blocks 4 -o r.json
expect_bad_input "vector.kv_cache.group: 5 does not divide head_dim = 16" run --config "$src/configs/mixpe_8x8.json" \
  --workload "$dec" --set vector.kv_cache.format=int8 --set vector.kv_cache.group=5 -o r.json
expect_bad_input "--context: workload 'tiny' has no decoder section" run \
  --workload "$src/tests/smoke/data/tiny_workload.json" --context 64 -o r.json
expect_bad_input "--context: 0 is out of range" run --config "$src/configs/mixpe_8x8.json" --workload "$dec" \
  --context 0 -o r.json
# --dump of whole decoder blocks (docs/decoder.md, "--dump"): per block and layer A and O, the
# weights once, block 0's FP32 rows, a manifest naming the config, the rounding rules and the
# vector operators' rules; numpy recomputes a block's O from its dumped A and the shared W. A run
# rejected with exit 2 leaves nothing in its dump folder.
expect_bad_input "top.buffers.out.kib" run --config "$src/configs/mixpe_8x8.json" \
  --workload "$dec" --set top.buffers.out.kib=0 --dump dump_dec_bad -o r.json
check "a rejected decoder run leaves no dump folder" test ! -e dump_dec_bad
"$lowbit" run --config "$src/configs/mixpe_8x8.json" --workload "$dec" --dump dump_dec -o r.json \
  --no-progress >out.txt
check "decoder run with --dump verified" grep -q "verified against golden: yes" out.txt
for f in q_proj_W_codes.npy down_proj_W_scales.npy blk0_q_proj_A.npy blk0_q_proj_A_scale.npy \
  blk2_down_proj_A.npy blk2_down_proj_O.npy blk1_gate_proj_O.npy blk0_x.npy blk0_attention.npy \
  blk0_out.npy manifest.json; do
  check "decoder dump wrote $f" test -s dump_dec/$f
done
check "decoder dump manifest names the config and the blocks" /usr/bin/python3 -c "
import json; m = json.load(open('dump_dec/manifest.json'))
assert m['config'] == 'mixpe_8x8' and m['decoder']['blocks'] == 3, m
assert all('integer-exact' in l['O_rounding'] for l in m['layers']), m['layers']
assert 'Error rules' in m['vector_operators']"
if /usr/bin/python3 -c "import numpy" 2>/dev/null; then
  # Block 1's gate_proj from its own dumped input (not block 0's) and the shared weights.
  /usr/bin/python3 - dump_dec <<'PY'
import sys, numpy as np
d = sys.argv[1]
A = np.load(f"{d}/blk1_gate_proj_A.npy").astype(np.float64) * np.load(f"{d}/blk1_gate_proj_A_scale.npy")[:, None]
A0 = np.load(f"{d}/blk0_gate_proj_A.npy")
assert not np.array_equal(A0, np.load(f"{d}/blk1_gate_proj_A.npy")), "blocks share their input"
c = np.load(f"{d}/gate_proj_W_codes.npy").astype(np.float64)
s = np.load(f"{d}/gate_proj_W_scales.npy").astype(np.float64)
z = np.load(f"{d}/gate_proj_W_zeros.npy").astype(np.float64)
k = c.shape[1]; g = 32
W = (c - np.repeat(z, g, axis=1)[:, :k]) * np.repeat(s, g, axis=1)[:, :k]
ref = A @ W.T
O = np.load(f"{d}/blk1_gate_proj_O.npy")
bound = (s.shape[1] + 4) * 2.0**-24 * (np.abs(A) @ np.abs(W).T)
sys.exit(0 if np.all(np.abs(O - ref) <= bound) else 1)
PY
  check "numpy recomputes a block's O from the decoder dump" test $? -eq 0
fi

"$lowbit" run --workload "$src/tests/smoke/data/tiny_workload.json" --dump dump -o tiny.json >out.txt
check "tiny workload runs" test $? -eq 0
check "not modelled is printed" grep -q "not modelled: softmax" out.txt
for f in a_A.npy a_A_scale.npy a_W_codes.npy a_W_scales.npy a_W_zeros.npy a_O.npy b_A.npy manifest.json; do
  check "dump wrote $f" test -s dump/$f
done
if /usr/bin/python3 -c "import numpy" 2>/dev/null; then
  # O from the dumped operands with numpy matches the dumped O within the documented bound.
  /usr/bin/python3 - dump <<'PY'
import sys, numpy as np
d = sys.argv[1]
A = np.load(f"{d}/a_A.npy").astype(np.float64) * np.load(f"{d}/a_A_scale.npy")[:, None]
c = np.load(f"{d}/a_W_codes.npy").astype(np.float64)
s = np.load(f"{d}/a_W_scales.npy").astype(np.float64)
z = np.load(f"{d}/a_W_zeros.npy").astype(np.float64)
k = c.shape[1]; g = 32
W = (c - np.repeat(z, g, axis=1)[:, :k]) * np.repeat(s, g, axis=1)[:, :k]
ref = A @ W.T
O = np.load(f"{d}/a_O.npy")
bound = (s.shape[1] + 4) * 2.0**-24 * (np.abs(A) @ np.abs(W).T)
sys.exit(0 if np.all(np.abs(O - ref) <= bound) else 1)
PY
  check "numpy recomputes O from the dump" test $? -eq 0
else
  echo "note: /usr/bin/python3 with numpy missing: dump contents not recomputed"
fi

# --dump writes what the configured hardware produces (docs/top.md, "--dump"): mac with FP16
# activations rounds as mac_fp16_gemm, mixpe gives the integer-exact O; the manifest says which.
for cfg in mac_8x8 mixpe_8x8; do
  "$lowbit" run --config "$src/configs/$cfg.json" --m 3 --n 40 --k 200 --weights int4 \
    --activations fp16 --group 64 --dump dump_$cfg -o r.json --no-progress >out.txt 2>&1
  check "dump on $cfg: verified" grep -q "verified against golden: yes" out.txt
  check "dump on $cfg: manifest names the config" test "$(jget dump_$cfg/manifest.json "d['config']")" = $cfg
done
check "mac FP16 dump names mac_fp16_gemm" test "$(jget dump_mac_8x8/manifest.json \
  "'mac_fp16_gemm' in d['layers'][0]['O_rounding']")" = True
check "mixpe dump names the integer-exact rule" test "$(jget dump_mixpe_8x8/manifest.json \
  "d['layers'][0]['O_rounding'].startswith('integer-exact')")" = True
if /usr/bin/python3 -c "import numpy" 2>/dev/null; then
  # Same operands, different rounding: the two dumped O differ (the mac one is not the integer O).
  /usr/bin/python3 - <<'PY'
import sys, numpy as np
a, b = (np.load(f"dump_{c}/gemm_O.npy") for c in ("mac_8x8", "mixpe_8x8"))
same = all(np.array_equal(np.load(f"dump_mac_8x8/gemm_{x}.npy"), np.load(f"dump_mixpe_8x8/gemm_{x}.npy"))
           for x in ("A", "W_codes", "W_zeros"))
sys.exit(0 if same and not np.array_equal(a.view(np.uint32), b.view(np.uint32)) else 1)
PY
  check "mac FP16 dump holds its own rounding, not the integer-exact O" test $? -eq 0
fi
# A run rejected with exit 2 (here by the compiler, after the golden layers ran) leaves no dump.
expect_bad_input "top.buffers.out.kib" run --config "$src/configs/mac_64x64.json" --m 1 --n 64 \
  --k 256 --weights int4 --set top.buffers.out.kib=1 --dump rejected
check "rejected run leaves no dump folder" test ! -e rejected

# formats: the table and the codes of a small format.
"$lowbit" formats >formats.txt
check "formats table lists fp8_e4m3 with max 448" grep -Eq "^fp8_e4m3 +8 +-448 +448" formats.txt
check "formats table lists mxfp4" grep -q "^mxfp4" formats.txt
"$lowbit" formats --codes fp4_e2m1 >codes.csv
check "fp4 codes: header + 16 rows" test "$(wc -l <codes.csv)" -eq 17
check "fp4 code 7 is 6" grep -qx "7,6" codes.csv
check "fp4 code 15 is -6" grep -qx "15,-6" codes.csv
expect_bad_input "unknown format 'nope'" formats --codes nope

# asm / disasm round trip and an illegal instruction.
cat >prog.s <<'ASM'
cfg wkind=unsigned wbits=2 afmt=int8 group=128
ld buf=weight rows=64 sram=0x0 dram=0x1000 bytes=64 signal=s0
blk m=1 n=64 kt=128 o=0x0 ascale=0x100
lmma k=128 s=0x0 a=0x0 w=0x0 wait=s0
halt
ASM
"$lowbit" asm prog.s -o prog.lbp >/dev/null
check "asm writes 16 + 5 x 16 bytes" test "$(stat -c %s prog.lbp)" -eq 96
"$lowbit" disasm --no-addresses prog.lbp >back.s
"$lowbit" asm back.s -o back.lbp >/dev/null
check "disasm then asm gives the same binary" cmp -s prog.lbp back.lbp
printf 'ld buf=weight rows=5000 sram=0 dram=0 bytes=1\n' >bad.s
expect_bad_input "bad.s:1: field 'rows'" asm bad.s -o bad.lbp
check "no binary written for bad assembly" test ! -e bad.lbp
# One instruction with opcode 0x7f, its CRC-32 correct (docs/isa.md): the decoder names the field.
printf '\114\102\120\122\117\107\060\062\001\000\000\000\350\164\076\073\177\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >ill.lbp
expect_bad_input "address 0x0 (instruction 0): field 'opcode'" disasm ill.lbp
cp prog.lbp flip.lbp
/usr/bin/python3 -c "b = bytearray(open('flip.lbp', 'rb').read()); b[40] ^= 1; open('flip.lbp', 'wb').write(b)"
expect_bad_input "flip.lbp: checksum" disasm flip.lbp
# The scale buffer's range follows the tile ops' 20-bit s field: its largest size compiles, and a
# larger one is refused up front (it made the compiler emit what the encoder rejects, exit 1).
"$lowbit" compile --config "$src/configs/mac_8x8.json" --set top.buffers.scale.kib=1024 \
  --m 1 --n 64 --k 256 >out.txt 2>err.txt
check "compile with scale.kib=1024 exits 0" test $? -eq 0
expect_bad_input "top.buffers.scale.kib: 2048 out of range; allowed: an integer in [1, 1024]" \
  compile --config "$src/configs/mac_8x8.json" --set top.buffers.scale.kib=2048 --m 1 --n 64 --k 256

expect_bad_input "weight_format" run --m 1 --n 8 --k 8 --weights int9
expect_bad_input "group_size: 48 is not allowed" run --m 1 --n 8 --k 8 --group 48
expect_bad_input "backend" run --backend nonesuch --m 1 --n 8 --k 8
expect_bad_input "allowed: analytic, cpu, golden, rtl, sim" run --backend nonesuch --m 1 --n 8 --k 8

# The analytic backend: the same run record as `lowbit estimate` writes, through `lowbit run`.
"$lowbit" run --backend analytic --config "$src/configs/mac_8x8.json" --m 1 --n 256 --k 512 \
  -o an.json --stats an_stats.json >out.txt 2>err.txt
check "run --backend analytic exits 0" test $? -eq 0
check "analytic: nothing to verify is said" grep -q "verified against golden: not applicable" out.txt
"$lowbit" estimate --config "$src/configs/mac_8x8.json" --m 1 --n 256 --k 512 --stats est.json \
  >/dev/null
check "analytic run = lowbit estimate (record and metrics)" /usr/bin/python3 -c '
import json
a, e, r = (json.load(open(f)) for f in ("an_stats.json", "est.json", "an.json"))
assert a == e and a["schema_version"] == 1 and a["backend"] == "analytic", (a.keys(), e.keys())
assert a["metrics"]["cycles"] > 0 and "cost" not in a and "stats" not in a
assert r["verified"] is None and r["metrics"] == a["metrics"] and r["schema_version"] == 1, r
'
expect_bad_input "--dump: the analytic backend runs nothing" run --backend analytic --m 1 --n 8 \
  --k 8 --dump d
expect_bad_input "no such file" run --workload /nonexistent/w.json
printf '{"name": "x", "layers": [{"n": 4, "k": 4, "bits": 3}]}' >bad_key.json
expect_bad_input "bad_key.json: layers[0].bits: unknown key" run --workload bad_key.json
printf '{"name": "x", "layers": [' >bad_json.json
expect_bad_input "bad_json.json: (file): malformed JSON" run --workload bad_json.json
expect_bad_input "--workload: given with shape flags" run --workload bad_key.json --m 2

finish "cli smoke"
