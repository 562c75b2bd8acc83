#!/usr/bin/env bash
# smoke.decoder_cpu / smoke.decoder_cpu_report: the CPU reference of whole decoder blocks.
# Part "preset": `lowbit run --backend cpu` on llama2_7b_decode_w2a8, 1 block at context 128:
# verified, the block's classes timed and summing to the step, the whole model scaled, the not
# modelled line without attention. Part "report": tiny_decoder on sim and on the CPU through
# `lowbit report`: the decoder breakdown of both in report.json, the CSV and the HTML, the speedup
# consistent; the same for tiny_prefill (time to first token); a CPU result of another context
# refused (exit 2).
set -euo pipefail
LOWBIT=$1
SRC=$2
PART=${3:-preset}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

if [[ $PART == preset ]]; then
  # The preset with its LM head cut from 32000 to 512 rows: the 32000 x 4096 head alone takes
  # most of a run's time (synthesis, golden, and the per-layer table's SGEMM weight preparation).
  /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); \
d['layers'][-1]['n']=512; json.dump(d, open('llama2_7b_decode_w2a8.json', 'w'))" \
    "$SRC/workloads/llama2_7b_decode_w2a8.json"
  "$LOWBIT" run --backend cpu --threads 1 --workload llama2_7b_decode_w2a8.json --decoder-blocks 1 \
    --context 128 --no-progress -o cpu.json >out.txt
  cat out.txt
  grep -q "^CPU whole decoder blocks (decode, 1 of 32 blocks, context 128, KV fp16" out.txt
  grep -q "^CPU block 0 vs float64 block reference: .*, within; .* yes$" out.txt
  if grep -q "not modelled:.*softmax" out.txt; then echo "FAIL: softmax still not modelled"; exit 1; fi
  /usr/bin/python3 - cpu.json <<'PY'
import json, math, sys
r = json.load(open(sys.argv[1]))
assert r["verified"] is True, r["verified"]
d = r["cpu"]["decoder"]
assert d["phase"] == "decode" and d["context"] == 128 and d["blocks"] == 1, d
assert d["model_blocks"] == 32, d["model_blocks"]
b = d["breakdown_seconds"]
for k in ("linear", "attention_matmuls", "kv_traffic", "nonlinear"):
    assert b[k] > 0, (k, b)
assert math.isclose(sum(b.values()), d["seconds_per_token_step"], rel_tol=1e-9), (b, d)
assert math.isclose(d["tokens_per_second"], 1 / d["seconds_per_token_step"], rel_tol=1e-12)
wm = d["whole_model"]
assert wm["blocks"] == 32 and wm["seconds_per_token_step"] > d["seconds_per_token_step"], wm
# KV read: 2 x 128 positions x 32 heads x 128 x 2 B (FP16) for the one block.
assert d["kv_cache"]["read_bytes"] == 2 * 128 * 32 * 128 * 2, d["kv_cache"]
c = d["checks"]
assert c["block0_within_rule"] and c["linear_within_kernel_rule"], c
assert 0 < c["block0_rel_l2_vs_float64"] <= c["block0_rule"], c
# 7 layers of one block (4096 x3 + 4096 + 11008 x2 + 4096 outputs) and the (cut) LM head's 512.
assert c["linear_outputs_checked"] == 4 * 4096 + 2 * 11008 + 4096 + 512, c
assert set(d["linear_kernels"]) == {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj",
                                    "up_proj", "down_proj", "lm_head"}, d["linear_kernels"]
assert d["warm"]["seconds_per_token_step"] > 0 and "warm" in d["warm"]["caches"]
print("ok")
PY
  exit 0
fi

# tiny_decoder with an LM head of 100 rows, so the report compares whole steps.
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); \
d['layers'].append({'name': 'lm_head', 'n': 100, 'k': 64, 'repeat': 1}); \
json.dump(d, open('tiny_head.json', 'w'))" "$SRC/tests/smoke/data/tiny_decoder.json"
dec=tiny_head.json
"$LOWBIT" run --config "$SRC/configs/mixpe_8x8.json" --workload "$dec" --context 40 --no-progress \
  -o acc_res.json --stats acc.json >/dev/null
"$LOWBIT" run --backend cpu --threads 1 --workload "$dec" --context 40 --no-progress \
  -o cpu.json >cpu.txt
"$LOWBIT" report acc.json --cpu cpu.json -o out >report.txt
cat report.txt
/usr/bin/python3 - out <<'PY'
import csv, json, math, re, sys
out = sys.argv[1]
r = json.load(open(f"{out}/report.json"))
a = r["designs"][0]["decoder"]
c = r["cpu"]["decoder"]
s = json.load(open(f"{out}/../acc.json"))["decoder"]
clock = json.load(open(f"{out}/../acc.json"))["metrics"]["clock_mhz"] * 1e6
for k in ("linear", "attention_matmuls", "kv_traffic", "nonlinear", "embedding"):
    assert math.isclose(a["breakdown_seconds"][k], s["timing"]["breakdown_cycles"][k] / clock,
                        rel_tol=1e-12), k
for k in ("linear", "attention_matmuls", "kv_traffic", "nonlinear"):
    assert c["breakdown_seconds"][k] > 0, (k, c)
assert a["phase"] == c["phase"] == "decode" and a["context"] == c["context"] == 40
assert math.isclose(a["vs_cpu"]["speedup"],
                    c["seconds_per_token_step"] / a["seconds_per_token_step"], rel_tol=1e-12)
rows = list(csv.DictReader(open(f"{out}/report.csv")))
assert [x["kind"] for x in rows] == ["accelerator", "cpu"], rows
for row, d in zip(rows, (a, c)):
    assert float(row["decoder_seconds_per_token_step"]) == d["seconds_per_token_step"]
    for k in ("linear", "attention_matmuls", "kv_traffic", "nonlinear"):
        assert float(row[f"decoder_{k}_s"]) == d["breakdown_seconds"][k], (k, row)
assert float(rows[0]["decoder_speedup_vs_cpu"]) == a["vs_cpu"]["speedup"]
html = open(f"{out}/report.html").read()
assert "<h2>Decoder blocks by operator class</h2>" in html
for p in ("/designs/0/decoder/breakdown_seconds/attention_matmuls",
          "/cpu/decoder/breakdown_seconds/kv_traffic", "/designs/0/decoder/vs_cpu/speedup",
          "/cpu/decoder/seconds_per_token_step"):
    m = re.search(f'data-key="{p}" data-value="([^"]+)"', html)
    assert m, p
# Every number the page shows is report.json's at its pointer.
def at(doc, pointer):
    for part in pointer.strip("/").split("/"):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc
spans = re.findall(r'data-key="(/[^"]*decoder[^"]*)" data-value="([^"]+)"', html)
assert len(spans) >= 18, len(spans)  # 10 accelerator + 8 CPU cells
for p, v in spans:
    assert json.loads(v) == at(r, p), (p, v, at(r, p))
print("ok")
PY
# A prefill (tiny_prefill: 12 prompt tokens, an LM head): time to first token on both sides.
pre="$SRC/tests/smoke/data/tiny_prefill.json"
"$LOWBIT" run --config "$SRC/configs/mixpe_8x8.json" --workload "$pre" --no-progress \
  -o pacc_res.json --stats pacc.json >/dev/null
"$LOWBIT" run --backend cpu --threads 1 --workload "$pre" --no-progress -o pcpu.json >/dev/null
"$LOWBIT" report pacc.json --cpu pcpu.json -o pout >/dev/null
/usr/bin/python3 - pout <<'PY'
import json, math, sys
r = json.load(open(f"{sys.argv[1]}/report.json"))
a, c = r["designs"][0]["decoder"], r["cpu"]["decoder"]
assert a["phase"] == c["phase"] == "prefill", (a["phase"], c["phase"])
assert a["time_to_first_token_s"] == a["seconds_per_token_step"] > 0, a
assert c["time_to_first_token_s"] == c["seconds_per_token_step"] > 0, c
assert math.isclose(sum(c["breakdown_seconds"].values()), c["seconds_per_token_step"], rel_tol=1e-9)
assert math.isclose(a["vs_cpu"]["speedup"], c["time_to_first_token_s"] / a["time_to_first_token_s"],
                    rel_tol=1e-12)
print("prefill ok")
PY
# A CPU result of another context is not the same decoder step: exit 2, nothing written.
"$LOWBIT" run --backend cpu --threads 1 --workload "$dec" --context 41 --no-progress \
  -o cpu41.json >/dev/null
set +e
"$LOWBIT" report acc.json --cpu cpu41.json -o out41 >/dev/null 2>err.txt
rc=$?
set -e
cat err.txt
test $rc -eq 2
grep -q "cpu.decoder.context: 41 differs" err.txt
test ! -e out41/report.json
echo ok
