#!/usr/bin/env bash
# smoke.decoder_vector: `lowbit run` on the cut llama2_7b_decode_w2a8 (2 heads of 128, context 64,
# 2 blocks) and the cut llama3_8b_decode_w4a8 with an INT8 KV cache, on sim: the attention phase
# comes from the SystemC program (KV read through the load DMA = the operator-level KV bytes per
# block, the new token's K / V written through the store DMA = the model's write bytes, the
# context equal to the FP32 kernels), its QK^T cycles follow vector.lanes (64 and 16),
# and the step's cycles contain it once per block; the block's other vector operators likewise
# (rows equal to the chain's, unit cycles = the formula); an out buffer too small skips it, saying so;
# at 8 GB/s the step takes at least every program's DRAM bytes at that bandwidth.
# The cut llama2_7b_prefill_w4a8 (P = 16): its causal attention program, and the other operators'
# program for prompt row 0, counted per row.
# The cut bitnet_b158_3b_decode: BitNet's sub-layer RMSNorms in the chain, the SystemC program
# (rows equal, RMSNorm cycles the formula with the two extra rows) and the console.
# With "rtl" (the plugin is built): the same run on --backend rtl gives the same decoder timing.
set -euo pipefail
LOWBIT=$1
SRC=$2
RTL=${3:-no-rtl}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
/usr/bin/python3 "$SRC/tests/smoke/cut_decoder_workload.py" "$SRC/workloads/llama2_7b_decode_w2a8.json" >w2.json
/usr/bin/python3 "$SRC/tests/smoke/cut_decoder_workload.py" "$SRC/workloads/llama3_8b_decode_w4a8.json" >l3.json
/usr/bin/python3 "$SRC/tests/smoke/cut_decoder_workload.py" "$SRC/workloads/bitnet_b158_3b_decode.json" >bn.json
"$LOWBIT" run -w bn.json --no-progress -o bn.out.json >outbn.txt
grep -q "^decoder decode: .*, sub-layer RMSNorm, o, residual, .*, sub-layer RMSNorm, down, residual)" outbn.txt
grep -q "^verified against golden: yes" outbn.txt
# The cut bitnet_b158_2b4t_decode: squared ReLU (vcfg gact=relu2) in the chain, the block's SystemC
# program and the float64 checks; verified means the program's rows equal the chain's.
/usr/bin/python3 "$SRC/tests/smoke/cut_decoder_workload.py" "$SRC/workloads/bitnet_b158_2b4t_decode.json" >b2.json
"$LOWBIT" run -w b2.json --no-progress -o b2.out.json >outb2.txt
grep -q "^decoder decode: .*, relu(gate)^2 x up, sub-layer RMSNorm, down, residual)" outb2.txt
grep -q "^verified against golden: yes" outb2.txt
/usr/bin/python3 -c "import json, sys; d = json.load(open(sys.argv[1]))['decoder']; \
assert d['ffn_activation'] == 'relu2' and d['timing']['block_vector_systemc']['results_verified'], d" b2.out.json
# The cut llama2_7b_prefill_w4a8, a 16-token prompt: the prompt's KV write and causal attention run
# as a program on the SystemC unit (contexts equal to the kernels); the block's other vector
# operators as prompt row 0's program (rotary at position 0), its rows equal to the chain's,
# counted once per prompt row and block.
/usr/bin/python3 "$SRC/tests/smoke/cut_decoder_workload.py" "$SRC/workloads/llama2_7b_prefill_w4a8.json" >pf.json
"$LOWBIT" run -w pf.json --prompt 16 --no-progress -o pf.out.json >outpf.txt
grep -q "^verified against golden: yes" outpf.txt
grep -q "^RMSNorm, rotary, SiLU x gate, residuals, requantization on the SystemC vector unit (per prompt row and block): .* results equal to the FP32 kernels and quantizers$" outpf.txt
grep -q "^attention on the SystemC vector unit (per prompt and block): .* query rows per pass; context equal to the FP32 kernels$" outpf.txt
/usr/bin/python3 - pf.out.json <<'PY'
import json, math, sys
r = json.load(open(sys.argv[1]))
d = r["decoder"]
t, v = d["timing"], d["timing"]["block_vector_systemc"]
b = t["breakdown_cycles"]
assert r["verified"] and v["results_verified"] and d["prompt_tokens"] == 16, v
assert v["runs_per_block"] == 16, v
assert b["other_vector_phase"] == d["blocks"] * 16 * v["cycles_per_sequence_block"], (b, v)
assert "one per prompt row and block" in t["model"], t["model"]
# The causal attention: the prompt's KV write and every query row's context on the SystemC unit,
# in passes of query rows, each reading K and V up to its last row; contexts equal to the kernels.
a = t["attention_systemc"]
assert a["context_verified"] and b["attention_phase_bound_by"] == "measured (SystemC)", a
assert b["attention_phase"] == d["blocks"] * a["cycles_per_sequence_layer"], (b, a)
assert a["kv_write_bytes"] == a["kv_write_bytes_operator_level"] == d["kv_cache"]["write_bytes"] // d["blocks"], a
rows, P, vb = a["query_rows_per_pass"], 16, 2 * d["head_dim"]
read = sum(2 * min(P, r0 + rows) * vb * d["kv_heads"] for r0 in range(0, P, rows))
assert a["kv_read_bytes"] == read >= a["kv_read_bytes_operator_level"], (a, read)
# The KV DRAM energy prices the bytes the program moved (8 rows per pass re-read K and V).
e = d["energy"]
assert e["kv_bytes_priced"] == "moved by the SystemC attention program", e
per_byte = e["embedding_dram_pj"] / d["lm_head"]["embedding_bytes_read"]
assert read > a["kv_read_bytes_operator_level"], a
assert math.isclose(e["kv_dram_pj"], per_byte * d["blocks"] * (read + a["kv_write_bytes"])), e
for op in ("rmsnorm", "rotary", "residual_add", "requantize", "silu_gate"):
    assert v["vector_cycles"][op] == v["operator_level_vector_cycles"][op], (op, v)
    assert t["vector_op_cycles"][op] >= d["blocks"] * 16 * v["vector_cycles"][op], (op, t)
# The LM head's final RMSNorm and requantization: one row's program on the SystemC unit (the last
# prompt row), its stored row equal to the chain's lm_head input; the step is the sum of programs.
h = t["final_norm_systemc"]
assert h["results_verified"] and h["rows"] == 1, h
assert "final RMSNorm and requantization: SystemC program" in t["model"], t["model"]
for op in ("rmsnorm", "requantize"):
    assert t["vector_op_cycles"][op] == d["blocks"] * 16 * v["vector_cycles"][op] + h["vector_cycles"][op], (op, t)
assert math.isclose(t["cycles"], b["linear"] + b["attention_phase"] + b["other_vector_phase"]
                    + h["cycles_per_row"] + b["embedding"]), t
print("prefill ok")
PY
"$LOWBIT" run -w w2.json --no-progress -o l64.json >out64.txt
"$LOWBIT" run -w w2.json --no-progress --set vector.lanes=16 -o l16.json >out16.txt
"$LOWBIT" run -w l3.json --no-progress --set vector.kv_cache.format=int8 --set vector.kv_cache.group=32 \
  -o l3.json.out >outl3.txt
# An out buffer too small for the scores at context 4096: the run goes on with the operator-level
# attention and says why.
"$LOWBIT" run -w w2.json --no-progress --context 4096 --set top.buffers.out.kib=4 -o small.json >outs.txt
grep -q "^attention on the SystemC vector unit: not run (top.buffers.out.kib: 4 KiB" outs.txt
grep -q "^verified against golden: yes" outs.txt
cat out64.txt
if [[ $RTL == rtl ]]; then
  "$LOWBIT" run -w w2.json --no-progress --backend rtl -o rtl.json >outrtl.txt
  grep -q "^verified against golden: yes" outrtl.txt
  /usr/bin/python3 -c "import json, sys; a, b = (json.load(open(p))['decoder']['timing'] for p in sys.argv[1:]); \
assert a == b, (a, b)" rtl.json l64.json
  "$LOWBIT" run -w pf.json --prompt 16 --no-progress --backend rtl -o pfrtl.json >outpfrtl.txt
  grep -q "^verified against golden: yes" outpfrtl.txt
  /usr/bin/python3 -c "import json, sys; a, b = (json.load(open(p))['decoder']['timing'] for p in sys.argv[1:]); \
assert a == b, (a, b)" pfrtl.json pf.out.json
  echo "rtl: the same decoder timing as sim"
fi
grep -q "^attention on the SystemC vector unit (per sequence and block): .* context equal to the FP32 kernels$" out64.txt
grep -q "^RMSNorm, rotary, SiLU x gate, residuals, requantization on the SystemC vector unit (per sequence and block): .* results equal to the FP32 kernels and quantizers$" out64.txt
"$LOWBIT" run -w w2.json --no-progress --set top.dram.bandwidth_gbps=8 -o bw.json >outbw.txt
/usr/bin/python3 - l64.json l16.json l3.json.out bw.json bn.out.json <<'PY'
import json, math, sys
for path, lanes in ((sys.argv[1], 64), (sys.argv[2], 16), (sys.argv[3], 64), (sys.argv[5], 64)):
    r = json.load(open(path))
    assert r["verified"], path
    d = r["decoder"]
    assert ("sub_norms" in d) == (path == sys.argv[5]), (path, d.keys())
    t = d["timing"]
    a = t["attention_systemc"]
    assert a["context_verified"], path
    # KV bytes through the DMA and DRAM model = the operator-level model's, per block (batch 1).
    assert a["kv_read_bytes"] == d["kv_cache"]["read_bytes"] // d["blocks"], (path, a, d["kv_cache"])
    assert a["kv_read_bytes"] == a["kv_read_bytes_operator_level"], a
    assert a["kv_write_bytes"] == d["kv_cache"]["write_bytes"] // d["blocks"], (path, a)
    assert a["kv_write_bytes"] == a["kv_write_bytes_operator_level"], a
    assert a["dram_bytes_read"] >= a["kv_read_bytes"], a
    b = t["breakdown_cycles"]
    assert b["attention_phase"] == d["blocks"] * a["cycles_per_sequence_layer"], (b, a)
    assert b["attention_phase_bound_by"] == "measured (SystemC)", b
    assert t["cycles"] > b["linear"] + b["attention_phase"], t
    # QK^T on the unit: one vec per query head and chunk; one chunk at context 64, so
    # heads x (ceil(L d / lanes) + latency.scores = 12).
    L, dh, heads = d["context"], d["head_dim"], d["heads"]
    assert a["chunks_per_kv_head"] == 1, a
    assert a["vector_cycles"]["scores"] == heads * (math.ceil(L * dh / lanes) + 12), (path, a)
    assert math.isclose(a["operator_level_error"],
                        (a["operator_level_attention_phase"] - a["measured_attention_phase"]) /
                        a["measured_attention_phase"]), a
    # The other vector operators (RMSNorm, rotary, SiLU x gate, residuals, requantization) on the
    # SystemC unit: every stored row equal to the chain's, each operator's unit cycles the
    # operator-level formula (cut shapes: whole lane groups; SiLU x gate plus one latency per
    # extra chunk), the program's cycles once per block in the step.
    v = t["block_vector_systemc"]
    assert v["results_verified"], (path, v)
    assert b["other_vector_phase"] == d["blocks"] * v["cycles_per_sequence_block"], (b, v)
    f = v["operator_level_vector_cycles"]
    for op in ("rmsnorm", "rotary", "residual_add", "requantize"):
        assert v["vector_cycles"][op] == f[op], (path, op, v)
    assert v["vector_cycles"]["silu_gate"] == f["silu_gate"] + 20 * (v["ffn_chunks"] - 1), v
    assert v["cycles_per_sequence_block"] > sum(v["vector_cycles"].values()), v
    h = t["final_norm_systemc"]
    assert h["results_verified"] and h["rows"] == 1, (path, h)
    assert math.isclose(t["cycles"], b["linear"] + b["attention_phase"] + b["other_vector_phase"]
                        + h["cycles_per_row"] + b["embedding"]), t
# A bandwidth-limited memory (8 GB/s): the token step moves the linear layers' bytes, and per block
# the attention program's (KV read and write, queries, context) and the other operators' program's,
# all through the one DRAM model, so its time is at least those bytes at 8 GB/s.
r = json.load(open(sys.argv[4]))
assert r["verified"], sys.argv[4]
d, t = r["decoder"], r["decoder"]["timing"]
a, v = t["attention_systemc"], t["block_vector_systemc"]
assert r["metrics"]["memory_bandwidth_deliverable_gbps"] <= 8.0 + 1e-9, r["metrics"]
attention_bytes = a["dram_bytes_read"] + a["kv_write_bytes"]
block_bytes = d["blocks"] * (attention_bytes + v["dram_bytes_read"] + v["dram_bytes_written"])
moved = r["metrics"]["dram_bytes"] + block_bytes
assert t["seconds_per_token_step"] * 8e9 >= moved, (t["seconds_per_token_step"] * 8e9, moved)
print("ok")
PY
