#!/usr/bin/python3
"""fmax against pipeline depth of the pipelined FP32 units, in the characterization flow.

Usage (from the repository root): /usr/bin/python3 rtl/synth/pipeline_depth.py
    [--node nangate45] [--work build/pipeline_depth] [--out rtl/synth/characterization]
    [--units lb_fp32_add_pipe,...,lutcore_m2n8k4,mixpe_8x8_int8,...] [--pipelines 116]
    [--target-mhz 1000] [--table [--failing UNIT [--top N]]]

Every depth of lb_fp32_add_pipe, lb_fp32_mul_pipe and lb_int_to_fp32_pipe (Width 32 and 64), and
the lutcore_m2n8k4 tile (INT8-only and FP16-capable) unpipelined and pipelined, and the default
config's lutcore_m2n64k4 tile at its pipeline, go
through the same Yosys 0.23 synth + dfflibmap + abc (-D 1000) and OpenSTA script as
characterize.py (rtl/synth/*.in; ports at 0 input / output delay, i.e. driven by and captured in
registers with clk-to-q and setup not counted, as for every unit), and the critical path, fmax,
area, flops and the endpoint that limits it are written to <out>/pipeline_depth_<node>.json.
--target-mhz F also lists, for every pipelined row that misses F, each register with a path
slower than 1000/F ns, its worst slack and how many of its bits miss (what stands between the unit
and that clock). --table prints that JSON as the markdown table of docs/pipelining.md;
--table --failing UNIT the registers of UNIT that miss. A missing yosys or sta prints
"SKIPPED: <reason>" and exits 0.
"""
import argparse
import json
import os
import re
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import characterize as ch  # noqa: E402  (the flow: templates, synthesis, STA)
import yosys_stat  # noqa: E402

SCHEMA = "lowbit.pipeline_depth"
SCHEMA_VERSION = 1
# (unit, top, fixed parameters, deepest Stages); Stages 0 is the combinational unit.
UNITS = [
    ("lb_fp32_add_pipe", "lb_fp32_add_pipe", {}, 6),
    ("lb_fp32_mul_pipe", "lb_fp32_mul_pipe", {}, 7),
    ("lb_int_to_fp32_pipe_w32", "lb_int_to_fp32_pipe", {"Width": 32}, 4),
    ("lb_int_to_fp32_pipe_w64", "lb_int_to_fp32_pipe", {"Width": 64}, 4),
]
# Whole tiles before and after pipelining (timing only; energy is characterize.py's): the
# lutcore_m2n8k4 shape, INT8-only and FP16-capable, at (DqStages, ArrStages) = (0, 0) and (6, 1).
TILE_SHAPE = {"M": 2, "N": 8, "K": 4, "G": 4, "DqLanes": 4}
# The default config's tile lutcore_m2n64k4 (16 dequant lanes, the table broadcast to 64 columns)
# at the configs' pipeline only: the check that the clock configs/lutcore_m2n64k4.json sets is met
# at full size (the characterization's m2n64k4 entry is fitted from smaller tiles).
# The INT8-only tile also at intermediate depths (fmax against depth toward the 1 GHz target).
TILE_PIPELINES = [(0, 0), (6, 1)]
TILE_KEYS = ("DqStages", "ArrStages")
TILES = [("lutcore_m2n8k4_int8", dict(TILE_SHAPE, Fp16=0), [(0, 0), (2, 1), (4, 1), (6, 0), (6, 1)]),
         ("lutcore_m2n8k4", dict(TILE_SHAPE, Fp16=1), TILE_PIPELINES),
         ("lutcore_m2n64k4", dict(TILE_SHAPE, N=64, DqLanes=16, Fp16=1), [(6, 1)])]

# The mixpe and mac 8 x 8 arrays (INT8-only and FP16-capable), broadcast and unpipelined against
# the configs' systolic pipeline, the INT8-only ones also without the PE register and with a
# shallower drain: (Systolic, PeStages, DqStages).
ARRAY_PIPELINES = [(0, 0, 0), (1, 1, 6)]
ARRAY_KEYS = ("Systolic", "PeStages", "DqStages")
ARRAYS = [("%s_8x8%s" % (u, sfx), "%s_array" % u, {"Rows": 8, "Cols": 8, "Fp16": fp},
           [(0, 0, 0), (1, 0, 6), (1, 1, 3), (1, 1, 6)] if fp == 0 else ARRAY_PIPELINES)
          for u in ("mixpe", "mac") for sfx, fp in (("_int8", 0), ("", 1))]


def characterize_depth(name, top, params, stages, node, work, tag=None, target_mhz=None):
    label = tag if tag is not None else "s%d" % stages
    unit = {"name": "%s_%s" % (name, label), "top": top,
            "kind": "comb" if (stages == 0 and tag is None) else "pipe", "params": params}
    netlist, stat = ch.synth_map(unit, node, work)
    design = yosys_stat.read(stat)["design"]
    areas, _ = ch.liberty_cells(ch.liberty(work, node))
    by_type = design.get("num_cells_by_type", {})
    area = sum(n * areas.get(c.lstrip("\\"), 0.0) for c, n in by_type.items())
    cells = design.get("num_cells", 0)
    crit, endpoint = sta_critical(unit, node, netlist, work)
    flops = 0
    for cell, count in by_type.items():
        if re.match(ch.NODES[node]["flop_regex"], cell):
            flops += count
    row = {"stages": stages if tag is None else tag, "critical_path_ns": round(crit, 4),
           "fmax_mhz": round(1000.0 / crit, 1), "area_um2": round(area, 3), "cells": cells,
           "flops": flops, "critical_endpoint": endpoint}
    if target_mhz and unit["kind"] != "comb" and 1000.0 / crit < target_mhz:
        row["at_target"] = failing_registers(unit, node, netlist, work, target_mhz)
    return row


def failing_registers(unit, node, netlist, work, target_mhz):
    """Every register that misses target_mhz, grouped by the register it belongs to.

    One path per endpoint with negative slack at the target period (OpenSTA find_timing_paths);
    a flop is named by its Q net (a flop at the top of a hierarchical netlist has a generated
    cell name), bit and generate indices dropped, so `u_dequant/gen_lane.u_add/u_c0/q_o` is the
    first stage register of every lane's FP32 adder. Returns the count of failing endpoints and
    the registers worst slack first: [name, worst slack (ns), endpoints]."""
    d = os.path.join(work, unit["name"])
    period = 1000.0 / target_mhz
    tcl = os.path.join(d, node + ".target.tcl")
    with open(tcl, "w") as f:
        f.write(sta_preamble(unit, node, netlist, work, period))
        f.write("foreach pe [find_timing_paths -path_delay max -group_count 1000000 "
                "-endpoint_count 1 -slack_max -1e-6] {\n"
                "  set pin [get_property $pe endpoint]\n"
                "  set q [get_pins -quiet [get_full_name [get_cells -of_objects $pin]]/Q]\n"
                "  set net [get_full_name $pin]\n"
                "  if {[llength $q]} {\n"
                "    set n [get_nets -quiet -of_objects $q]\n"
                "    if {[llength $n]} { set net [get_full_name $n] }\n"
                "  }\n"
                "  puts \"LOWBIT_FAIL $net [get_property $pe slack]\"\n"
                "}\nexit\n")
    log = os.path.join(d, node + ".target.log")
    ch.run(["sta", "-no_splash", "-exit", tcl], log)
    groups = {}
    with open(log) as f:
        for line in f:
            m = re.match(r"LOWBIT_FAIL (\S+) (\S+)$", line.strip())
            if not m:
                continue
            name = re.sub(r"\[\d+\]", "", m.group(1))
            slack = float(m.group(2))
            worst, count = groups.get(name, (0.0, 0))
            groups[name] = (min(worst, slack), count + 1)
    regs = sorted(([k, round(w, 3), c] for k, (w, c) in groups.items()), key=lambda r: r[1])
    return {"target_mhz": target_mhz, "failing_endpoints": sum(r[2] for r in regs),
            "registers": regs}


def sta_preamble(unit, node, netlist, work, period):
    """The OpenSTA commands every timing run here starts with: the mapped netlist, a clock of
    `period` ns on clk_i (a virtual one for a combinational unit), ports at 0 input / output
    delay, reset a false path."""
    seq = unit["kind"] != "comb"
    clk = "clk_i" if seq else "no_clock_port"
    return ("read_liberty %s\nread_verilog %s\nlink_design %s\n" % (
                ch.liberty(work, node), netlist, unit["top"]) +
            "create_clock -name clk -period %g %s\n" % (period, "[get_ports clk_i]" if seq else "") +
            "set_input_delay 0 -clock clk [delete_from_list [all_inputs] "
            "[get_ports -quiet %s]]\n" % clk +
            "set_output_delay 0 -clock clk [all_outputs]\n"
            "set_false_path -from [get_ports -quiet rst_ni]\n")


def sta_critical(unit, node, netlist, work):
    d = os.path.join(work, unit["name"])
    n = ch.NODES[node]
    tcl = os.path.join(d, node + ".depth.tcl")
    with open(tcl, "w") as f:
        f.write(sta_preamble(unit, node, netlist, work, n["sta_period_ns"]))
        f.write("report_checks -path_delay max -digits 4 -group_count 1 -fields {net}\nexit\n")
    log = os.path.join(d, node + ".depth.log")
    ch.run(["sta", "-no_splash", "-exit", tcl], log)
    with open(log) as f:
        text = f.read()
    # Several path groups may be reported; the worst slack is the critical path.
    blocks = text.split("Startpoint:")[1:]
    slacks = [float(re.search(ch.NUM + r"\s+slack \(", b).group(1)) for b in blocks]
    worst = min(range(len(slacks)), key=lambda i: slacks[i])
    slack = slacks[worst]
    nets = re.findall(r"^\s+\d+\s+(\S+) \(net\)$", blocks[worst], re.M)
    named = [x for x in nets if not re.match(r"^(\S+/)?_\d+_(\[\d+\])?$", x)]
    endpoint = named[-1] if named else ""
    return n["sta_period_ns"] - slack, endpoint


def sweep(name, top, params, pipelines, keys, label, args, result, t0):
    """One tile or array at each of its pipelines (--pipelines: only those digit strings, e.g.
    116 or 61); the rows of pipelines not run stay as they were in the JSON."""
    rows = []
    for p in pipelines:
        if args.pipelines and "".join(map(str, p)) not in args.pipelines.split(","):
            continue
        r = characterize_depth(name, top, dict(params, **dict(zip(keys, p))), 0, args.node,
                               args.work, tag=label % p, target_mhz=args.target_mhz)
        r["stages"] = ", ".join("%s %d" % kv for kv in zip(keys, p))
        rows.append(r)
        report(name, r, t0)
    new = {r["stages"] for r in rows}
    listed = {", ".join("%s %d" % kv for kv in zip(keys, p)) for p in pipelines}
    rows = [r for r in result["units"].get(name, [])
            if r["stages"] in listed and r["stages"] not in new] + rows
    rows.sort(key=lambda r: [int(x) for x in re.findall(r"\d+", r["stages"])])
    result["units"][name] = rows


def report(name, r, t0):
    print("%-24s %-24s %6.3f ns  %6.0f MHz  %9.0f um2  (%.0f s)" % (
        name, r["stages"], r["critical_path_ns"], r["fmax_mhz"], r["area_um2"], time.time() - t0),
        flush=True)


def table(path, failing=None, top=12):
    with open(path) as f:
        data = json.load(f)
    if failing:  # the registers of one unit that miss its target clock
        if failing not in data["units"]:
            print("%s: units.%s: not in this file; allowed: %s" % (
                path, failing, ", ".join(sorted(data["units"]))), file=sys.stderr)
            return 2
        for r in data["units"][failing]:
            t = r.get("at_target")
            if not t:
                continue
            print("%s, %s: %d endpoints miss %g MHz (%.3f ns); the %d worst registers of %d:\n" % (
                failing, r["stages"], t["failing_endpoints"], t["target_mhz"],
                1000.0 / t["target_mhz"], min(top, len(t["registers"])), len(t["registers"])))
            print("| register (Q net) or output | worst slack (ns) | stage delay (ns) | endpoints |")
            print("|---|---|---|---|")
            for name, slack, count in t["registers"][:top]:
                print("| `%s` | %.3f | %.3f | %d |" % (name, slack,
                                                     1000.0 / t["target_mhz"] - slack, count))
            print()
        return
    print("| unit | pipeline | critical path (ns) | fmax (MHz) | area (um^2) | flops | limiting net |")
    print("|---|---|---|---|---|---|---|")
    for name, rows in data["units"].items():
        for r in rows:
            print("| %s | %s | %.3f | %.0f | %.0f | %d | `%s` |" % (
                name, r["stages"], r["critical_path_ns"], r["fmax_mhz"], r["area_um2"],
                r["flops"], r["critical_endpoint"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--node", default="nangate45")
    ap.add_argument("--work", default=os.path.join(ch.ROOT, "build", "pipeline_depth"))
    ap.add_argument("--out", default=os.path.join(ch.HERE, "characterization"))
    ap.add_argument("--units", default="")
    ap.add_argument("--table", action="store_true")
    ap.add_argument("--target-mhz", type=float, default=None,
                    help="also list every register that misses this clock, per pipelined row")
    ap.add_argument("--failing", default="",
                    help="with --table: the registers of this unit that miss its target clock")
    ap.add_argument("--top", type=int, default=12, help="with --failing: registers per row")
    ap.add_argument("--pipelines", default="",
                    help="tiles and PE arrays: only these pipelines, as digits: (Systolic, "
                         "PeStages, DqStages) e.g. 116, or (DqStages, ArrStages) e.g. 61")
    args = ap.parse_args()
    out = os.path.join(args.out, "pipeline_depth_%s.json" % args.node)
    if args.table:
        return table(out, args.failing, args.top) or 0
    if args.failing:
        print("--failing: only with --table", file=sys.stderr)
        return 2
    for tool in ("yosys", "sta"):
        if shutil.which(tool) is None:
            print("SKIPPED: %s not found (apt-get install yosys opensta)" % tool)
            return 0
    wanted = set(filter(None, args.units.split(",")))
    t0 = time.time()
    result = {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "node": args.node,
              "liberty": ch.NODES[args.node]["liberty"],
              "flow": "characterize.py's synth_generic / synth_map (Yosys 0.23, abc -D %d) and "
                      "OpenSTA, input / output delay 0" % ch.NODES[args.node]["delay_ps"],
              "command": "/usr/bin/python3 rtl/synth/pipeline_depth.py", "units": {}}
    if (wanted or args.pipelines) and os.path.exists(out):  # replace what runs, keep the rest
        with open(out) as f:
            result["units"] = json.load(f)["units"]
    for name, top, params, deepest in UNITS:
        if wanted and name not in wanted:
            continue
        rows = []
        for s in range(deepest + 1):
            r = characterize_depth(name, top, dict(params, Stages=s), s, args.node, args.work,
                                   target_mhz=args.target_mhz)
            rows.append(r)
            report(name, r, t0)
        result["units"][name] = rows
    for name, params, pipelines in TILES:
        if not wanted or name in wanted:
            sweep(name, "lutcore_tile", params, pipelines, TILE_KEYS, "dq%d_arr%d", args, result, t0)
    for name, top, params, pipelines in ARRAYS:
        if not wanted or name in wanted:
            sweep(name, top, params, pipelines, ARRAY_KEYS, "sys%d_pe%d_dq%d", args, result, t0)
    ch.write_json(out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
