#!/usr/bin/env bash
# Smoke test of model files: usage: model_files_test.sh <lowbit> <write_model_files> <source dir>
# A GGUF (Q4_0, Q8_0, TQ2_0, F16, TQ1_0, Q5_0 in llama.cpp naming) and a safetensors model (FP16,
# Hugging Face naming, config.json) written by write_model_files run through `lowbit run --model`
# on the sim backend, verified against golden; --dump equals the codes, scales and zero points
# the writer put in the file (float tensors: lowbit's quantizer on the written floats); broken
# files and bad selections are one line, exit 2, nothing written.
set -uo pipefail
lowbit=$1
writer=$2
src=$3
# shellcheck source=../lib/check.sh
source "$src/tests/lib/check.sh"
enter_temp_dir

"$writer" files uint4 64 >writer.txt
check "the writer wrote the model files" test $? -eq 0
cat writer.txt

# same_dump <expect dir> <dump dir> <count>: every expected .npy is byte-identical in the dump.
same_dump() {
  local n=0 f
  for f in "$1"/*.npy; do
    cmp -s "$f" "$2/$(basename "$f")" || { echo "differs: $(basename "$f")"; return 1; }
    n=$((n + 1))
  done
  test "$n" -eq "$3"
}

mixpe="$src/configs/mixpe_8x8.json"
"$lowbit" run --model files/tiny.gguf --weights uint4 --group 64 --config "$mixpe" --backend sim \
  --no-progress --dump gguf_dump -o gguf.json >out.txt 2>err.txt
check "GGUF model runs on sim" test $? -eq 0
check "GGUF model verified against golden" grep -q "verified against golden: yes" out.txt
check "GGUF result says verified" test "$(jget gguf.json 'd["verified"]')" = True
check "GGUF: 2 blocks x 7 layers" test "$(jget gguf.json 'len(d["layers"])')" = 14
check "GGUF layer types" test "$(jget gguf.json '",".join(l["model_type"] for l in d["layers"][:7])')" \
  = "Q4_0,Q8_0,TQ2_0,F16,TQ1_0,Q5_0,Q4_0"
check "GGUF dump = the file's codes, scales, zeros (42 arrays)" same_dump files/expect_gguf gguf_dump 42
check "activations are said to be synthesized" grep -q "activations synthesized" out.txt

# The LUT core takes the 4-bit and ternary layers of the same file (it has no 5/8-bit weights).
"$lowbit" run --model files/tiny.gguf --layers q_proj,v_proj,gate_proj,down_proj --blocks 1 \
  --backend sim --no-progress --dump lut_dump -o lut.json >out.txt 2>err.txt
check "GGUF 4-bit/ternary layers run on lutcore" test $? -eq 0
check "lutcore run verified" grep -q "verified against golden: yes" out.txt
check "--blocks/--layers pick 4 layers" test "$(jget lut.json '[l["name"] for l in d["layers"]]')" \
  = "['blk1.q_proj', 'blk1.v_proj', 'blk1.gate_proj', 'blk1.down_proj']"
ok=true
for l in blk1.q_proj blk1.v_proj blk1.gate_proj blk1.down_proj; do
  for a in W_codes W_scales W_zeros; do
    cmp -s "files/expect_gguf/${l}_$a.npy" "lut_dump/${l}_$a.npy" || ok=false
  done
done
check "lutcore dump = the file's codes and scales" $ok

"$lowbit" run --model files/hf/model.safetensors --weights uint4 --group 64 --config "$mixpe" \
  --backend sim --no-progress --dump st_dump -o st.json >out.txt 2>err.txt
check "safetensors model runs on sim" test $? -eq 0
check "safetensors model verified against golden" grep -q "verified against golden: yes" out.txt
check "safetensors dump = lowbit's quantizer on the FP16 tensors (42 arrays)" \
  same_dump files/expect_st st_dump 42
check "FP16 quantization error is printed" \
  test "$(jget st.json 'all(l["quantization_rel_error"] > 0 for l in d["layers"])')" = True

# Optional independent reader: Hugging Face's @huggingface/gguf (npm) must see the written file's
# metadata and tensor infos. Set LOWBIT_NODE_MODULES to a node_modules folder that has it.
if [ -n "${LOWBIT_NODE_MODULES:-}" ] && [ -d "$LOWBIT_NODE_MODULES/@huggingface/gguf" ]; then
  cat >hf_check.cjs <<'JS'
const { gguf } = require("@huggingface/gguf");
gguf(process.argv[2], { allowLocalFile: true }).then(({ metadata, tensorInfos }) => {
  const blk0 = tensorInfos.filter((t) => t.name.startsWith("blk.0."));
  const got = JSON.stringify([metadata["general.architecture"], Number(metadata["llama.block_count"]),
    Number(metadata["llama.attention.head_count_kv"]), tensorInfos.length,
    blk0.map((t) => [t.name.split(".")[2], t.shape.map(Number).join("x"), t.dtype])]);
  const want = JSON.stringify(["llama", 2, 2, 17, [["attn_norm", "256", 0], ["attn_q", "256x256", 2],
    ["attn_k", "256x128", 8], ["attn_v", "256x128", 35], ["attn_output", "256x256", 1],
    ["ffn_gate", "256x512", 34], ["ffn_up", "256x512", 6], ["ffn_down", "512x256", 2]]]);
  if (got !== want) { console.log("got  " + got + "\nwant " + want); process.exit(1); }
});
JS
  NODE_PATH="$LOWBIT_NODE_MODULES" node hf_check.cjs files/tiny.gguf
  check "@huggingface/gguf reads the written GGUF's metadata and tensor infos" test $? -eq 0
else
  echo "note: LOWBIT_NODE_MODULES with @huggingface/gguf not set: independent GGUF check not run"
fi

# A workload file naming the model (path relative to the workload file).
cat >files/w.json <<'JSON'
{"name": "tiny-from-file", "model": {"file": "tiny.gguf", "blocks": "0", "layers": ["v_proj"]},
 "defaults": {"m": 4, "activation_format": "fp16"}}
JSON
"$lowbit" run --workload files/w.json --backend sim --no-progress -o w.json >out.txt 2>err.txt
check "workload with a model key runs" test $? -eq 0
check "workload model verified" test "$(jget w.json 'd["verified"]')" = True
check "workload model layer" test "$(jget w.json 'd["layers"][0]["name"]')" = blk0.v_proj

# expect_bad_input <stderr substring> <args...>: exit 2, one stderr line, nothing written.
expect_bad_input() {
  local expect=$1
  shift
  rm -rf bad.json bad_dump
  "$lowbit" run "$@" --backend sim --no-progress -o bad.json --dump bad_dump >out.txt 2>err.txt
  local rc=$?
  check "exit 2 for: $*" test "$rc" -eq 2
  check "one stderr line for: $*" test "$(wc -l <err.txt)" -eq 1
  check "stderr names '$expect' for: $*" grep -qF -- "$expect" err.txt
  check "nothing written after: $*" test ! -e bad.json -a ! -e bad_dump
}
expect_bad_input "truncated.gguf: tensor blk.1.ffn_down.weight: bytes" --model files/truncated.gguf
expect_bad_input "TQ2_0 code 3" --model files/tq2_code3.gguf
expect_bad_input "Q4_K does not map exactly" --model files/kquant.gguf
expect_bad_input "allowed: Q4_0, Q5_0, Q8_0, TQ1_0, TQ2_0, F32, F16, BF16" --model files/kquant.gguf
expect_bad_input "config.json beside the safetensors file" --model files/hf_noconfig/model.safetensors
expect_bad_input "blocks: \"2\" names block 2; allowed: block indices 0 .. 1" --model files/tiny.gguf --blocks 2
expect_bad_input "allowed: q_proj, k_proj" --model files/tiny.gguf --layers attn_q
expect_bad_input "allowed only with --model" --blocks 1
head -c 20 files/tiny.gguf >files/short.gguf
expect_bad_input "short.gguf: truncated at byte 16: metadata count needs 8 bytes, 4 left" --model files/short.gguf
printf 'GGUF\002\000\000\000' >files/v2short.gguf
expect_bad_input "v2short.gguf: truncated" --model files/v2short.gguf
printf '\377\377\377\377\377\377\377\377{}' >files/bad.safetensors
expect_bad_input "bad.safetensors: header length" --model files/bad.safetensors

finish smoke.model_files
