#!/usr/bin/python3
"""Prints a decoder preset cut to a tiny model for smoke tests: 2 heads (1 KV head) of 128, context
64 (a decode; a prefill keeps its prompt), 2 blocks, hidden 256, FFN 512, a 512-token vocabulary; everything else (formats, group sizes,
phase) as the preset. Usage: cut_decoder_workload.py <workload.json> > cut.json"""
import json
import sys

d = json.load(open(sys.argv[1]))
d["name"] += "_cut"
d["decoder"].update({"heads": 2, "kv_heads": 1, "head_dim": 128})
if d["decoder"].get("phase", "decode") != "prefill":  # a prefill's context is its prompt
    d["decoder"]["context"] = 64
d["defaults"]["repeat"] = 2
shape = {"q_proj": (256, 256), "k_proj": (128, 256), "v_proj": (128, 256), "o_proj": (256, 256),
         "gate_proj": (512, 256), "up_proj": (512, 256), "down_proj": (256, 512),
         "lm_head": (512, 256)}
for layer in d["layers"]:
    layer["n"], layer["k"] = shape[layer["name"]]
print(json.dumps(d))
