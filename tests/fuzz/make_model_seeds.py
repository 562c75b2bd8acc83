#!/usr/bin/env python3
"""Writes the seed corpora of fuzz_gguf and fuzz_safetensors (tests/fuzz/corpus/{gguf,safetensors}):
small, valid files (well under the 4 KiB the ctest run allows) with one tensor of each block type
lowbit reads, so that mutations start inside the parsers and decoders rather than at the magic.
Deterministic; rerun to regenerate: python3 tests/fuzz/make_model_seeds.py"""
import json
import pathlib
import random
import struct

HERE = pathlib.Path(__file__).resolve().parent / "corpus"

# ggml type id -> (name, block elements, block bytes) for the types written (ggml.h, ggml-common.h).
TYPES = {0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18), 8: ("Q8_0", 32, 34),
         10: ("Q2_K", 256, 84), 12: ("Q4_K", 256, 144), 35: ("TQ2_0", 256, 66)}


def gstr(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def gguf(tensors, kv, alignment=32):
    """tensors: [(name, dims, type id, bytes)]; kv: [(key, type id, encoded value)]."""
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kv))
    for key, t, value in kv:
        out += gstr(key) + struct.pack("<I", t) + value
    pad = lambda n: (n + alignment - 1) // alignment * alignment
    offset = 0
    offsets = []
    for name, dims, t, data in tensors:
        out += gstr(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        out += struct.pack("<IQ", t, offset)
        offsets.append(offset)
        offset += pad(len(data))
    out += b"\0" * (pad(len(out)) - len(out))
    start = len(out)
    for (name, dims, t, data), off in zip(tensors, offsets):
        out += b"\0" * (start + off - len(out)) + data
    return out


def tensor_bytes(rng, t, ne0, ne1):
    _, be, bb = TYPES[t]
    assert ne0 % be == 0
    if t == 0:
        return b"".join(struct.pack("<f", rng.uniform(-1, 1)) for _ in range(ne0 * ne1))
    if t == 1:
        return b"".join(struct.pack("<e", rng.uniform(-1, 1)) for _ in range(ne0 * ne1))
    blocks = ne0 // be * ne1
    data = bytearray(rng.getrandbits(8) for _ in range(blocks * bb))
    # Finite, small FP16 scales where the block starts with one (Q4_0, Q8_0); K-quants keep theirs.
    if t in (2, 8):
        for b in range(blocks):
            data[b * bb:b * bb + 2] = struct.pack("<e", 0.01 * (1 + b % 7))
    return bytes(data)


def main():
    rng = random.Random(20261205)
    kv = [("general.architecture", 8, gstr("llama")), ("llama.block_count", 4, struct.pack("<I", 1)),
          ("general.alignment", 4, struct.pack("<I", 32))]
    for t, (name, be, _) in TYPES.items():
        ne0 = max(be, 32)
        data = tensor_bytes(rng, t, ne0, 2)
        f = gguf([(f"blk.0.attn_q.weight", [ne0, 2], t, data)], kv)
        (HERE / "gguf" / f"{name.lower()}.gguf").write_bytes(f)
    # Two tensors and an array-valued key in one file.
    arr = struct.pack("<IQ", 4, 3) + b"".join(struct.pack("<I", i) for i in (1, 2, 3))
    f = gguf([("blk.0.ffn_up.weight", [32, 2], 2, tensor_bytes(rng, 2, 32, 2)),
              ("blk.0.ffn_down.weight", [32, 1], 1, tensor_bytes(rng, 1, 32, 1))],
             kv + [("tokenizer.ggml.token_type", 9, arr)])
    (HERE / "gguf" / "two_tensors.gguf").write_bytes(f)

    def safetensors(tensors, metadata=None):
        header, data = {}, b""
        if metadata:
            header["__metadata__"] = metadata
        for name, dtype, shape, b in tensors:
            header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(b)]}
            data += b
        h = json.dumps(header).encode()
        h += b" " * ((len(h) + 7) // 8 * 8 - len(h))
        return struct.pack("<Q", len(h)) + h + data

    f16 = tensor_bytes(rng, 1, 32, 2)
    (HERE / "safetensors" / "f16.safetensors").write_bytes(
        safetensors([("model.layers.0.self_attn.q_proj.weight", "F16", [2, 32], f16)], {"format": "pt"}))
    bf16 = bytes(rng.getrandbits(8) & 0x3F if i % 2 else rng.getrandbits(8) for i in range(128))
    (HERE / "safetensors" / "bf16_f32.safetensors").write_bytes(safetensors([
        ("model.layers.0.mlp.up_proj.weight", "BF16", [2, 32], bf16),
        ("model.layers.0.mlp.down_proj.weight", "F32", [1, 8], tensor_bytes(rng, 0, 8, 1))]))
    (HERE / "safetensors" / "u8_i8.safetensors").write_bytes(safetensors([
        ("a", "U8", [4, 4], bytes(range(16))), ("b", "I8", [16], bytes(range(16)))]))


if __name__ == "__main__":
    main()
