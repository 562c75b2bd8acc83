#!/usr/bin/env bash
# The analytic tier (docs/analytic.md): `lowbit estimate --batch` gives each point the metrics
# `lowbit estimate` gives it alone; bad batch files are one-line errors with exit 2 and write
# nothing; and scripts/analytic_error --check: the analytic tier within 2% mean / 5% max of the
# committed cycle-tier cycles on every unit of bench/analytic_spec.json, the committed table in
# docs/analytic.md, and the cycle tier on a few points giving the committed cycles.
# Usage: analytic_test.sh <lowbit binary> <source dir>
set -euo pipefail
B=$1
SRC=$2
T=$(mktemp -d /tmp/lowbit_analytic_test.XXXXXX)
trap 'rm -rf "$T"' EXIT
export SC_COPYRIGHT_MESSAGE=DISABLE
fail() { echo "FAIL: $*" >&2; exit 1; }
C=$SRC/configs

# 1. Batch = one process per point, metric for metric.
cat > "$T/batch.json" <<JSON
{"points": [
  {"config": "$C/mixpe_64x64.json", "m": 64, "n": 512, "k": 512, "weights": "uint4", "group": 32,
   "set": ["top.dram.bandwidth_gbps=256", "top.tiles=2", "top.buffers.out.kib=128"]},
  {"config": "$C/lutcore_m2n64k4.json", "workload": "$SRC/bench/sweep/llama2_7b_block_w2a8.json",
   "set": ["top.dram.bandwidth_gbps=16"]},
  {"config": "$C/bitmod_4x4.json", "m": 3, "n": 40, "k": 300, "weights": "bitmod_w3",
   "activations": "fp16", "group": 64},
  {"m": 1, "n": 1024, "k": 1024}
]}
JSON
"$B" estimate --batch "$T/batch.json" -o "$T/est.jsonl" > /dev/null
"$B" estimate -c "$C/mixpe_64x64.json" --m 64 --n 512 --k 512 --weights uint4 --group 32 \
  --set top.dram.bandwidth_gbps=256 --set top.tiles=2 --set top.buffers.out.kib=128 \
  --stats "$T/s0.json" > /dev/null
"$B" estimate -c "$C/lutcore_m2n64k4.json" -w "$SRC/bench/sweep/llama2_7b_block_w2a8.json" \
  --set top.dram.bandwidth_gbps=16 --stats "$T/s1.json" > /dev/null
"$B" estimate -c "$C/bitmod_4x4.json" --m 3 --n 40 --k 300 --weights bitmod_w3 --activations fp16 \
  --group 64 --stats "$T/s2.json" > /dev/null
"$B" estimate --m 1 --n 1024 --k 1024 --stats "$T/s3.json" > /dev/null
python3 - "$T" <<'PY' || fail "batch metrics differ from the per-point estimate"
import json, sys
t = sys.argv[1]
rows = [json.loads(l) for l in open(f"{t}/est.jsonl")]
assert [r["point"] for r in rows] == [0, 1, 2, 3], rows
for i, r in enumerate(rows):
    one = json.load(open(f"{t}/s{i}.json"))["metrics"]
    assert r["metrics"] == one, (i, r["metrics"], one)
PY
echo "batch = per point: ok"

# 2. Bad batch files: exit 2, one line naming the file, point and key; nothing written.
bad() {
  local want=$1 doc=$2
  echo "$doc" > "$T/bad.json"
  rm -f "$T/bad.jsonl"
  set +e
  "$B" estimate --batch "$T/bad.json" -o "$T/bad.jsonl" > "$T/out.txt" 2> "$T/err.txt"
  local rc=$?
  set -e
  [ $rc = 2 ] || fail "$doc: exit $rc, want 2"
  [ "$(wc -l < "$T/err.txt")" = 1 ] || fail "$doc: not one line: $(cat "$T/err.txt")"
  grep -q -- "$want" "$T/err.txt" || fail "$doc: '$want' not in: $(cat "$T/err.txt")"
  [ ! -e "$T/bad.jsonl" ] || fail "$doc: wrote the output"
}
bad "points\[1\]: mm: unknown key; allowed:" '{"points": [{"m": 1}, {"mm": 1}]}'
bad "points\[0\]: m: 0 is out of range" '{"points": [{"m": 0, "n": 8, "k": 8}]}'
bad "points\[0\]: n: \"8\"" '{"points": [{"m": 1, "n": "8", "k": 8}]}'
bad "top.dram.bandwith_gbps: unknown key; did you mean" \
  '{"points": [{"m": 1, "set": ["top.dram.bandwith_gbps=8"]}]}'
bad "points\[0\]: config: 'nope.json' is not a file" '{"points": [{"config": "nope.json"}]}'
bad "points: missing or not a list" '{"point": []}'
bad "points\[1\]: .*weight_format: \"uint9\" is not allowed" '{"points": [{"m": 1}, {"m": 1, "weights": "uint9"}]}'
set +e
"$B" estimate --batch "$T/batch.json" --m 4 > /dev/null 2> "$T/err.txt"
rc=$?
set -e
[ $rc = 2 ] && grep -q -- "--batch: given with a point's options" "$T/err.txt" ||
  fail "--batch with --m: exit $rc: $(cat "$T/err.txt")"
echo "bad input: ok"

# 3. The error bounds, the committed table and a few cycle-tier points.
python3 "$SRC/scripts/analytic_error" --check --subset 4 --lowbit "$B"
