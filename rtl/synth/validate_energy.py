#!/usr/bin/python3
"""Validates the switching-activity energy method against Horowitz's 45 nm table (ISSCC 2014).

Usage (from the repository root; docs/energy-model.md shows the table):
  /usr/bin/python3 rtl/synth/validate_energy.py [--node nangate45] [--cycles 200] [--words 2]
      [--work build/characterize] [--out rtl/synth/characterization] [--only add8,mul8]
      [--table] [--check-band]

Each primitive is rtl/common/lb_energy_probe.sv (input registers, operator, result register)
synthesized with the characterization flow (characterize.py: Yosys synth, dfflibmap, abc to the
node's delay target), flattened, and simulated gate by gate (gatesim.py) on random operands in
64 x words lanes; every result is checked bit for bit against Python's integer / numpy float32
arithmetic. Energy per operation (activity_power.py): datapath = the operator's combinational
cells, registers = the flops' data pins and Q nets, clock = the flops' CK pins and the clock net.
Writes the `validation` object of <out>/<node>.json (other keys untouched). --table prints the
markdown table from the JSON. --check-band (alone: reads the JSON only; after a run: checks what
it wrote) exits 1 unless every primitive (or every --only one) is in the JSON with its datapath
energy within BAND of the table at the node's voltage. Seed: LOWBIT_SEED (default 1), printed.
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
        "clock_pj": round(activity_flow.activity_power.clock_energy(t), 5),
        "flops": area["flops"], "cells": area["cells"], "area_um2": area["area_um2"],
        "operations_checked": cycles * lanes,
        "mean_net_toggle_rate": round(float(sim.toggle_rate()[2:].mean()), 4),
    }


GATING_DUTY = 0.125  # the gating check: the registers load in 1 of 8 cycles on average
GATING_OVERHEAD = 2.0  # allowed gated clock energy over duty x ungated: the ICGs' clock pins


def gating_check(node, work, cycles, words, seed, duty=GATING_DUTY):
    """The 32-bit add probe with enabled registers (Hold = 1), enable high in `duty` of the
    cycles per lane at random, synthesized without and with clock gating and simulated on the
    same stimulus (results checked against the add with its registers holding). Returns per
    flow {datapath_pj, registers_pj, clock_pj, area_um2, flops, clock_gates} and the duty."""
    unit = {"name": "probe_gate32", "top": "lb_energy_probe", "kind": "comb",
            "params": {"Op": 0, "W": 32, "Hold": 1}}
    n = characterize.NODES[node]
    lib_path = characterize.liberty(work, node)
    lib = activity_flow.library(work, lib_path)
    out = {"duty": duty}
    saved = characterize.CLOCK_GATING
    try:
        for gated in (False, True):
            characterize.CLOCK_GATING = gated
            netlist, stat = characterize.synth_map(unit, node, work)
            nl = activity_flow.flat_netlist(netlist, unit["top"], lib_path, lib, work)
            sim = activity_flow.gatesim.Simulator(nl, "clk_i", words)
            rng = np.random.default_rng(seed)
            lanes = 64 * words
            a_q = np.zeros(lanes, dtype=np.uint64)
            b_q = np.zeros(lanes, dtype=np.uint64)
            y_q = [0] * lanes
            en_q = np.zeros(lanes, dtype=bool)
            errors = 0
            for t in range(cycles + 2):
                a = random_operands(rng, 0, 32, lanes)
                b = random_operands(rng, 0, 32, lanes)
                en = rng.random(lanes) < duty
                sim.set_port("a_i", a)
                sim.set_port("b_i", b)
                sim.set_port("en_i", en.astype(np.int64))
                sim.step(count=t >= 2)
                if t >= 2:  # the ports as settled before this edge: y_o shows y_q before it
                    got = activity_flow.gatesim.unpack_lanes(sim.get_port("y_o"))
                    errors += sum(1 for p, q in zip(got, y_q) if p != q)
                # The reference registers, updated as the RTL's at this edge.
                y_q = [int(x) + int(y) if e else q for x, y, e, q in zip(a_q, b_q, en_q, y_q)]
                a_q = np.where(en, a, a_q)
                b_q = np.where(en, b, b_q)
                en_q = en
            if errors:
                raise RuntimeError("probe_gate32 (%s): %d results differ from the reference"
                                   % ("gated" if gated else "ungated", errors))
            t = activity_flow.energy_per_cycle(sim, "clk_i", n["driving_cell"], n["load"],
                                               lambda c: "probe")["probe"]
            area = characterize.area_report(stat, unit["top"], "comb", n["flop_regex"], lib_path)
            out["gated" if gated else "ungated"] = {
                "datapath_pj": round(t["comb_internal"] + t["comb_switching"], 5),
                "registers_pj": round(t["reg_internal"] + t["reg_switching"], 5),
                "clock_pj": round(activity_flow.activity_power.clock_energy(t), 5),
                "area_um2": area["area_um2"], "flops": area["flops"],
                "clock_gates": len(sim.gates),
                "gated_flops": sum(len(f[2]) for f in sim._gated),
                "cycles_checked": cycles * lanes}
    finally:
        characterize.CLOCK_GATING = saved
    return out


STA_SPLIT_TCL = """
set corner [sta::cmd_corner]
set_power_activity -global -activity %g -duty 0.5
set ff {0 0}
set cb {0 0}
foreach c [get_cells -hierarchical *] {
  set p [sta::instance_power $c $corner]
  if {[regexp {%s} [get_property $c ref_name]]} {
    set ff [list [expr {[lindex $ff 0] + [lindex $p 0]}] [expr {[lindex $ff 1] + [lindex $p 1]}]]
  } else {
    set cb [list [expr {[lindex $cb 0] + [lindex $p 0]}] [expr {[lindex $cb 1] + [lindex $p 1]}]]
  }
}
puts "LOWBIT_SPLIT flops $ff comb $cb"
exit
"""


def opensta_check(name, node, work, activity=0.1):
    """OpenSTA's report_power model vs activity_power at one global activity on a primitive:
    {opensta|ours: {comb_internal, comb_switching, flop_internal, flop_switching}} in pJ/cycle
    at the flow's STA period (the clock toggles twice per cycle in ours)."""
    import re
    import subprocess
    op, w = {p[0]: (p[1], p[2]) for p in PRIMITIVES}[name]
    unit = {"name": "probe_" + name, "top": "lb_energy_probe", "kind": "comb",
            "params": {"Op": op, "W": w}}
    n = characterize.NODES[node]
    netlist, _ = characterize.synth_map(unit, node, work)
    lib_path = characterize.liberty(work, node)
    d = os.path.join(work, unit["name"])
    tcl = os.path.join(d, node + ".check.tcl")
    with open(tcl, "w") as f:
        f.write(characterize.fill("sta.tcl.in", {
            "LIB": lib_path, "NETLIST": netlist, "TOP": unit["top"], "PERIOD": n["sta_period_ns"],
            "CLOCK_PORT": "[get_ports clk_i]", "CLOCK_NAME": "clk_i", "FALSE_PATHS": "",
            "ACTIVITIES": ""}).rpartition("\nexit")[0])
        f.write(STA_SPLIT_TCL % (activity, n["flop_regex"]))
    r = subprocess.run(["sta", "-no_splash", "-exit", tcl], capture_output=True, text=True)
    m = re.search(r"LOWBIT_SPLIT flops (\S+) (\S+) comb (\S+) (\S+)", r.stdout)
    if not m:
        raise RuntimeError("no LOWBIT_SPLIT in OpenSTA output:\n" + r.stdout[-2000:] + r.stderr)
    pj = [float(x) * n["sta_period_ns"] * 1e3 for x in m.groups()]
    lib = activity_flow.library(work, lib_path)
    nl = activity_flow.flat_netlist(netlist, unit["top"], lib_path, lib, work)
    rate = np.full(nl.n, activity)
    t = activity_flow.activity_power.cell_energies(
        nl, rate, set(nl.ports["clk_i"][1]), n["driving_cell"], n["load"], lambda c: "p")["p"]
    return {"activity": activity,
            "opensta": {"comb_internal": pj[2], "comb_switching": pj[3], "flop_internal": pj[0],
                        "flop_switching": pj[1]},
            "ours": {"comb_internal": t["comb_internal"] * 1e12,
                     "comb_switching": t["comb_switching"] * 1e12,
                     "flop_internal": (t["reg_internal"] + t["clock_internal"]
                                       + t["gated_clock_internal"]) * 1e12,
                     "flop_switching": t["reg_switching"] * 1e12}}


def print_gating(g):
    """The gating check's table and verdict: 0 when the gated bank's clock energy is below half the
    ungated one's and within GATING_OVERHEAD x duty x ungated (the ICGs' own clock pins), every
    enabled flop is behind a gate, and the gated flow's datapath (no hold multiplexers) is not
    larger."""
    u, c, d = g["ungated"], g["gated"], g["duty"]
    print("| probe_gate32 (32-bit add, registers enabled %.1f%% of cycles), pJ per cycle | "
          "ungated (hold multiplexers) | clock-gated (ICG) |" % (100 * d))
    print("|---|---|---|")
    for k in ("datapath_pj", "registers_pj", "clock_pj", "area_um2", "flops", "clock_gates",
              "gated_flops"):
        print("| %s | %s | %s |" % (k.replace("_", " "), u[k], c[k]))
    bound = GATING_OVERHEAD * d * u["clock_pj"]
    checks = [
        ("gated clock %.4f pJ < half the ungated %.4f" % (c["clock_pj"], u["clock_pj"]),
         c["clock_pj"] < 0.5 * u["clock_pj"]),
        ("gated clock %.4f pJ <= %.1f x duty x ungated = %.4f" % (c["clock_pj"],
                                                               GATING_OVERHEAD, bound),
         c["clock_pj"] <= bound),
        ("%d of %d flops gated (all but the enable's own delay flop)" % (c["gated_flops"],
                                                                       c["flops"]),
         c["clock_gates"] >= 1 and c["gated_flops"] == c["flops"] - 1),
        ("gated datapath %.4f pJ <= ungated %.4f (no hold multiplexers)" % (c["datapath_pj"],
                                                                         u["datapath_pj"]),
         c["datapath_pj"] <= u["datapath_pj"]),
    ]
    bad = 0
    for what, ok in checks:
        print("%s  %s" % ("PASS" if ok else "FAIL", what))
        bad += not ok
    print("validate_energy: gating check %s" % ("failed" if bad else "passed"))
    return 1 if bad else 0


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


def check_band(out, node, names):
    """PASS/FAIL per primitive; 0 if every named one is present and within the band."""
    path = os.path.join(out, node + ".json")
    try:
        with open(path) as f:
            v = json.load(f).get("validation", {})
    except (OSError, ValueError) as err:
        print("FAIL  %s: %s" % (path, err))
        return 1
    prims = v.get("primitives", {})
    bad = 0
    for name in names:
        e = prims.get(name)
        if e is None:
            print("FAIL  %s: not in %s (run rtl/synth/validate_energy.py)" % (name, path))
            bad += 1
            continue
        ratio = e["datapath_pj"] / e["horowitz_at_node_voltage_pj"]
        ok = 1.0 / BAND <= ratio <= BAND
        bad += not ok
        print("%s  %-7s datapath %.4f pJ = %.2f x Horowitz %.2f pJ at %.2f V (band 1/%g .. %g)"
              % ("PASS" if ok else "FAIL", name, e["datapath_pj"], ratio, e["horowitz_pj"],
                 v.get("voltage", 0.0), BAND, BAND))
    print("validate_energy: %d of %d primitives outside the band" % (bad, len(names)))
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--node", default="nangate45")
    ap.add_argument("--cycles", type=int, default=200)
    ap.add_argument("--words", type=int, default=2)
    ap.add_argument("--work", default=os.path.join(characterize.ROOT, "build", "characterize"))
    ap.add_argument("--out", default=os.path.join(HERE, "characterization"))
    ap.add_argument("--only", default="", help="comma-separated primitive names (default all)")
    ap.add_argument("--table", action="store_true")
    ap.add_argument("--check-band", action="store_true")
    ap.add_argument("--gating-check", action="store_true",
                    help="the clock-gating check: an enabled 32-bit register bank without and with "
                         "integrated clock gates (exit 1 unless gating cuts its clock energy)")
    ap.add_argument("--opensta-check", default="", metavar="PRIMITIVE",
                    help="compare with OpenSTA's report_power at -global 0.1 on one primitive")
    args = ap.parse_args()
    if args.node not in characterize.NODES:
        print("validate_energy: --node %s: allowed %s" % (args.node, ", ".join(characterize.NODES)))
        return 2
    only = [x for x in args.only.split(",") if x]
    known = [p[0] for p in PRIMITIVES]
    if any(x not in known for x in only):
        print("validate_energy: --only %s: allowed %s" % (args.only, ", ".join(known)))
        return 2
    if args.table:
        return print_table(args.out, args.node)
    if args.opensta_check:
        if args.opensta_check not in known:
            print("validate_energy: --opensta-check %s: allowed %s" % (args.opensta_check,
                                                                      ", ".join(known)))
            return 2
        c = opensta_check(args.opensta_check, args.node, args.work)
        print("| %s at -global %g, pJ per cycle | OpenSTA report_power | activity_power.py |"
              % (args.opensta_check, c["activity"]))
        print("|---|---|---|")
        for k in c["opensta"]:
            print("| %s | %.4f | %.4f |" % (k.replace("_", " "), c["opensta"][k], c["ours"][k]))
        return 0
    if args.check_band and not only:
        return check_band(args.out, args.node, known)
    if args.gating_check:
        if not shutil.which("yosys"):
            print("SKIPPED: yosys not found (apt-get install yosys)")
            return 0
        seed = int(os.environ.get("LOWBIT_SEED", "1"))
        print("validate_energy: gating check, seed %d (LOWBIT_SEED), %d cycles x %d lanes"
              % (seed, args.cycles, 64 * args.words), flush=True)
        os.makedirs(args.work, exist_ok=True)
        return print_gating(gating_check(args.node, args.work, args.cycles, args.words, seed))
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
    doc = {}
    if os.path.exists(path):
        with open(path) as f:
            doc = json.load(f)
    old = doc.get("validation", {}).get("primitives", {})
    old.update(prims)
    doc["validation"] = {
        "reference": "M. Horowitz, Computing's energy problem (and what we can do about it), "
                     "ISSCC 2014: 45 nm, 0.9 V",
        "reference_voltage": HOROWITZ_V, "voltage": lib.voltage, "band": BAND,
        "method": activity_flow.method(characterize.CLOCK_GATING),
        "stimulus": "random operands (integers uniform; FP32 normal numbers of random sign and "
                    "mantissa, exponent within 2^-8..2^8), new operands every cycle, seed %d"
                    % seed,
        "command": "/usr/bin/python3 rtl/synth/validate_energy.py --node %s" % args.node,
        "primitives": {k: old[k] for k in [p[0] for p in PRIMITIVES] if k in old}}
    text = json.dumps(doc, indent=1) + "\n"  # serialized first: nothing half-written on error
    os.makedirs(args.out, exist_ok=True)
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
    bad = [k for k, e in doc["validation"]["primitives"].items() if not e["within_band"]]
    print("wrote %s; outside the %gx band: %s" % (os.path.relpath(path, characterize.ROOT), BAND,
                                                  ", ".join(bad) or "none"))
    if args.check_band:
        return check_band(args.out, args.node, only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
