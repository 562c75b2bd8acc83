"""Reads the JSON that Yosys 0.23's `stat -json` writes (characterize.py's synth_map).

That version prints its hierarchy tree, unquoted, into the JSON: read() drops those lines.
"""
import json


def read(path):
    """The parsed `stat -json` document: {"modules": {...}, "design": {...}}."""
    with open(path) as f:
        return json.loads("".join(ln for ln in f if '"' in ln or ln.strip() in (
            "{", "}", "},", "]", "],")))
