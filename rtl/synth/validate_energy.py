#!/usr/bin/python3
"""Validates the switching-activity energy method against Horowitz's 45 nm table (ISSCC 2014).

Usage (from the repository root; docs/energy-model.md shows the table):
  /usr/bin/python3 rtl/synth/validate_energy.py [--node nangate45] [--cycles 200] [--words 2]
      [--work build/characterize] [--out rtl/synth/characterization] [--table]

Each primitive is rtl/common/lb_energy_probe.sv (input registers, operator, result register)
synthesized with the characterization flow (characterize.py: Yosys synth, dfflibmap, abc to the
node's delay target), flattened, and simulated gate by gate (gatesim.py) on random operands in
64 x words lanes; every result is checked bit for bit against Python's integer / numpy float32
arithmetic. Energy per operation (activity_power.py): datapath = the operator's combinational
cells, registers = the flops' data pins and Q nets, clock = the flops' CK pins and the clock net.
Writes the `validation` object of <out>/<node>.json (other keys untouched). --table prints the
markdown table from the JSON. Seed: LOWBIT_SEED (default 1), printed.
"""
import argparse
import json
import os
import shutil
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import activity_flow  # noqa: E402
import characterize  # noqa: E402

# M. Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC 2014, 45 nm, 0.9 V.
HOROWITZ_V = 0.9
PRIMITIVES = (  # name, Op, W, Horowitz pJ, what
    ("add8", 0, 8, 0.03, "8-bit integer add"),
    ("add32", 0, 32, 0.1, "32-bit integer add"),
    ("mul8", 1, 8, 0.2, "8 x 8-bit integer multiply"),
    ("fadd32", 2, 32, 0.9, "FP32 add (lb_fp32_add)"),
    ("fmul32", 3, 32, 3.7, "FP32 multiply (lb_fp32_mul)"),
)
BAND = 3.0  # the goal: every primitive's datapath energy within 3x of the table


def random_operands(rng, op, w, lanes):
    """Random data: integers uniform over W bits; FP32 with random sign and mantissa and an
    exponent within 2^-8 .. 2^8 (normal numbers: no NaN, infinity or subnormal operands)."""
    if op in (0, 1):
        return rng.integers(0, 1 << w, size=lanes, dtype=np.uint64)
    sign = rng.integers(0, 2, size=lanes, dtype=np.uint64) << np.uint64(31)
    exp = rng.integers(127 - 8, 127 + 9, size=lanes, dtype=np.uint64) << np.uint64(23)
    man = rng.integers(0, 1 << 23, size=lanes, dtype=np.uint64)
    return sign | exp | man


def golden(op, w, a, b):
    if op == 0:
        return [int(x) + int(y) for x, y in zip(a, b)]
    if op == 1:
        return [int(x) * int(y) for x, y in zip(a, b)]
    fa = np.array(a, dtype=np.uint32).view(np.float32)
    fb = np.array(b, dtype=np.uint32).view(np.float32)
    with np.errstate(all="ignore"):
        r = fa + fb if op == 2 else fa * fb
    return [int(x) for x in r.view(np.uint32)]


def characterize_probe(name, op, w, node, work, cycles, words, seed):
    unit = {"name": "probe_" + name, "top": "lb_energy_probe", "kind": "comb",
            "params": {"Op": op, "W": w}}
    n = characterize.NODES[node]
    netlist, stat = characterize.synth_map(unit, node, work)
    lib_path = characterize.liberty(work, node)
    lib = activity_flow.library(work, lib_path)
    nl = activity_flow.flat_netlist(netlist, unit["top"], lib_path, lib, work)
    sim = activity_flow.gatesim.Simulator(nl, "clk_i", words)
    rng = np.random.default_rng(seed)
    lanes = 64 * words
    hist = []
    errors = 0
    for t in range(cycles + 2):
        a, b = random_operands(rng, op, w, lanes), random_operands(rng, op, w, lanes)
        sim.set_port("a_i", a)
        sim.set_port("b_i", b)
        sim.step(count=t >= 2)  # the first two cycles fill the registers
        hist.append((a, b))
        if t >= 2:
            y = activity_flow.gatesim.unpack_lanes(sim.get_port("y_o"))
            want = golden(op, w, *hist[t - 2])
            errors += sum(1 for p, q in zip(y, want) if p != q)
    if errors:
        raise RuntimeError("%s: %d results differ from the golden arithmetic" % (name, errors))
    by = activity_flow.energy_per_cycle(sim, "clk_i", n["driving_cell"], n["load"],
                                        lambda c: "probe")
    t = by["probe"]
    wire, lib.wire_cap = lib.wire_cap, {}  # the same toggles without the wire-load model
    t0 = activity_flow.energy_per_cycle(sim, "clk_i", n["driving_cell"], n["load"],
                                        lambda c: "probe")["probe"]
    lib.wire_cap = wire
    area = characterize.area_report(stat, unit["top"], "comb", n["flop_regex"], lib_path)
    return {
        "datapath_pj": round(t["comb_internal"] + t["comb_switching"], 5),
        "datapath_internal_pj": round(t["comb_internal"], 5),
        "datapath_switching_pj": round(t["comb_switching"], 5),
        "datapath_without_wire_load_pj": round(t0["comb_internal"] + t0["comb_switching"], 5),
        "registers_pj": round(t["reg_internal"] + t["reg_switching"], 5),
        "clock_pj": round(t["clock_internal"] + t["clock_switching"], 5),
        "flops": area["flops"], "cells": area["cells"], "area_um2": area["area_um2"],
        "operations_checked": cycles * lanes,
        "mean_net_toggle_rate": round(float(sim.toggle_rate()[2:].mean()), 4),
    }


def print_table(out, node):
    with open(os.path.join(out, node + ".json")) as f:
        v = json.load(f)["validation"]
    print("| primitive | Horowitz 45 nm, 0.9 V (pJ) | x (%.2f/0.9)^2 (pJ) | datapath (pJ) | "
          "datapath / Horowitz | datapath / voltage-scaled | registers (pJ) | clock (pJ) | "
          "flops |" % v["voltage"])
    print("|---|---|---|---|---|---|---|---|---|")
    for name, e in v["primitives"].items():
        print("| %s | %.2f | %.3f | %.3f | %.2f | %.2f | %.3f | %.3f | %d |" % (
            e["what"], e["horowitz_pj"], e["horowitz_at_node_voltage_pj"], e["datapath_pj"],
            e["ratio_to_horowitz"], e["ratio_to_voltage_scaled"], e["registers_pj"],
            e["clock_pj"], e["flops"]))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--node", default="nangate45")
    ap.add_argument("--cycles", type=int, default=200)
    ap.add_argument("--words", type=int, default=2)
    ap.add_argument("--work", default=os.path.join(characterize.ROOT, "build", "characterize"))
    ap.add_argument("--out", default=os.path.join(HERE, "characterization"))
    ap.add_argument("--only", default="", help="comma-separated primitive names (default all)")
    ap.add_argument("--table", action="store_true")
    args = ap.parse_args()
    if args.node not in characterize.NODES:
        print("validate_energy: --node %s: allowed %s" % (args.node, ", ".join(characterize.NODES)))
        return 2
    if args.table:
        return print_table(args.out, args.node)
    for tool in ("yosys",):
        if not shutil.which(tool):
            print("SKIPPED: %s not found (apt-get install %s)" % (tool, tool))
            return 0
    seed = int(os.environ.get("LOWBIT_SEED", "1"))
    print("validate_energy: seed %d (LOWBIT_SEED), %d cycles x %d lanes" % (
        seed, args.cycles, 64 * args.words), flush=True)
    os.makedirs(args.work, exist_ok=True)
    lib = activity_flow.library(args.work, characterize.liberty(args.work, args.node))
    prims = {}
    only = [x for x in args.only.split(",") if x]
    for name, op, w, ref, what in PRIMITIVES:
        if only and name not in only:
            continue
        t0 = time.time()
        e = characterize_probe(name, op, w, args.node, args.work, args.cycles, args.words, seed)
        scaled = ref * (lib.voltage / HOROWITZ_V) ** 2
        e.update({"what": what, "horowitz_pj": ref,
                  "horowitz_at_node_voltage_pj": round(scaled, 5),
                  "ratio_to_horowitz": round(e["datapath_pj"] / ref, 3),
                  "ratio_to_voltage_scaled": round(e["datapath_pj"] / scaled, 3),
                  "within_band": bool(1.0 / BAND <= e["datapath_pj"] / scaled <= BAND)})
        prims[name] = e
        print("%-7s datapath %.4f pJ (Horowitz %.2f, x%.2f)  registers %.4f  clock %.4f  "
              "[%d ops bit-exact, %.0f s]" % (name, e["datapath_pj"], ref, e["ratio_to_horowitz"],
                                               e["registers_pj"], e["clock_pj"],
                                               e["operations_checked"], time.time() - t0),
              flush=True)
    path = os.path.join(args.out, args.node + ".json")
    with open(path) as f:
        doc = json.load(f)
    old = doc.get("validation", {}).get("primitives", {})
    old.update(prims)
    doc["validation"] = {
        "reference": "M. Horowitz, Computing's energy problem (and what we can do about it), "
                     "ISSCC 2014: 45 nm, 0.9 V",
        "reference_voltage": HOROWITZ_V, "voltage": lib.voltage, "band": BAND,
        "method": activity_flow.METHOD,
        "stimulus": "random operands (integers uniform; FP32 normal numbers of random sign and "
                    "mantissa, exponent within 2^-8..2^8), new operands every cycle, seed %d"
                    % seed,
        "command": "/usr/bin/python3 rtl/synth/validate_energy.py --node %s" % args.node,
        "primitives": {k: old[k] for k in [p[0] for p in PRIMITIVES] if k in old}}
    text = json.dumps(doc, indent=1) + "\n"  # serialized first: nothing half-written on error
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
    bad = [k for k, e in doc["validation"]["primitives"].items() if not e["within_band"]]
    print("wrote %s; outside the %gx band: %s" % (os.path.relpath(path, characterize.ROOT), BAND,
                                                  ", ".join(bad) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
