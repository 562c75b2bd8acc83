#!/usr/bin/python3
"""Characterizes every RTL unit top: Yosys 0.23 area, OpenSTA fmax and power, energy per event.

Usage (from the repository root; docs/energy-model.md explains every number):
  /usr/bin/python3 rtl/synth/characterize.py [--nodes nangate45,sky130hd] [--units a,b]
      [--work build/characterize] [--out rtl/synth/characterization] [--lowbit PATH] [--jobs 2]
      [--check DIR --tolerance 0.05] [--clock-gating | --no-clock-gating]

Per unit: one technology-independent `synth` (cached as RTLIL in --work), then per node
(when gated) integrated clock gates on enable registers (clock_gating.py), dfflibmap +
abc (buffering and sizing toward a delay target) + stat; OpenSTA for the critical path and power
at -global activities; activity measured from real workload data (lowbit run --dump) streamed
into the unit's ports. Writes <out>/<node>.json (schema "lowbit.characterization",
version 1). --check re-runs the selected units and compares against the JSON files in DIR instead
of writing (exit 1 on a difference beyond --tolerance, relative). Clock gating: each entry records
its flow (`clock_gating`) and is re-run with it unless a flag says otherwise; a new unit is gated.
A missing yosys or sta prints "SKIPPED: <reason>" and exits 0.
"""
import argparse
import concurrent.futures
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time

import fp4_stimulus as fp4
import yosys_stat

SCHEMA = "lowbit.characterization"
SCHEMA_VERSION = 1
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PDK = os.path.join(os.path.dirname(ROOT), "shared", "pdk")

# Per node: liberty, cells the flow names, ABC delay target and load, nominal clock for energy.
NODES = {
    "nangate45": {
        "liberty": "nangate45_typ.lib.gz", "description": "Nangate 45 nm open cell library, typical",
        "tiehi": "LOGIC1_X1 Z", "tielo": "LOGIC0_X1 Z", "buf": "BUF_X1 A Z",
        "driving_cell": "BUF_X1", "load": 3.0, "delay_ps": 1000, "sta_period_ns": 10.0,
        "energy_clock_mhz": 500.0, "flop_regex": r"^(DFF|SDFF|TLAT)",
    },
    "sky130hd": {
        "liberty": "sky130hd_tt.lib.gz",
        "description": "SkyWater 130 nm sky130_fd_sc_hd, tt corner",
        "tiehi": "sky130_fd_sc_hd__conb_1 HI", "tielo": "sky130_fd_sc_hd__conb_1 LO",
        "buf": "sky130_fd_sc_hd__buf_1 A X", "driving_cell": "sky130_fd_sc_hd__buf_1",
        "load": 0.005, "delay_ps": 3000, "sta_period_ns": 20.0, "flop_regex": r"^sky130_fd_sc_hd__(df|sdf|dlx|dlr|edf)",
    },
}

# Integrated clock gates on every enable register (clock_gating.py) for synth_map callers that do
# not choose (pipeline_depth.py, scaling_check.py, validate_energy.py); characterize.py's own runs
# choose per entry (gating_of).
CLOCK_GATING = False

# Reference activity for the one power run; dynamic power is linear in -global activity.
REF_ACTIVITY = 0.1


def config_params(name):
    with open(os.path.join(ROOT, "configs", name + ".json")) as f:
        return json.load(f)


def rtl_params(unit, c):
    """RTL parameters of a config's `unit` subtree `c`, by the one declaration of each parameter
    (rtl/params.json, written by `lowbit params --json`; ctest unit_arch_params keeps it current).
    A parameter marked rtl_only_if_changed (lutcore Sym) is listed only when not at its default, so
    the default design keeps its params (the cost model's key)."""
    with open(os.path.join(ROOT, "rtl", "params.json")) as f:
        decl = json.load(f)["units"][unit]["params"]
    params = {}
    for p in decl:
        if not p["rtl"]:
            continue
        v = c.get(p["key"], p["default"])
        v = int(v) if p["type"] == "bool" else v
        if p["rtl_only_if_changed"] and v == (int(p["default"]) if p["type"] == "bool" else p["default"]):
            continue
        params[p["rtl"]] = v
    return params


def lutcore_rtl_params(c):
    """lutcore_tile parameters of a config's lutcore subtree (rtl_params)."""
    return rtl_params("lutcore", c)


def unit_list():
    """Every characterized unit: name, top, RTL parameters, kind, and what it stands for."""
    # The default config's dequant / array pipeline (DqStages, ArrStages when not 0): the scaling
    # probe of the default tile is built with it, so that with lutcore_m2n8k4_pipe (the same
    # pipeline at N = 8) it stands for the config's tile. The INT8-only tiles of the LUT vs MAC
    # comparison have it too, as the pipelined 8x8 PE arrays they are compared with have theirs
    # (issue 14: compared at clocks each meets); the tile-shape study tiles stay unpipelined (they
    # are compared with each other).
    pipe = {k: v for k, v in lutcore_rtl_params(config_params("lutcore_m2n64k4")["lutcore"]).items()
            if k in ("DqStages", "ArrStages")}
    units = [
        {"name": "lb_fp32_add", "top": "lb_fp32_add", "kind": "comb", "params": {}},
        {"name": "lb_fp32_mul", "top": "lb_fp32_mul", "kind": "comb", "params": {}},
    ]
    for cfg in ("lutcore_m3n5k6g2", "lutcore_m2n8k4", "lutcore_m2n8k4_nosym", "lutcore_m2n8k4_pipe",
                "lutcore_m2n64k4"):
        c = config_params(cfg)["lutcore"]
        units.append({"name": cfg, "top": "lutcore_tile", "kind": "lutcore", "config": cfg,
                      "params": lutcore_rtl_params(c)})
        if cfg == "lutcore_m2n64k4":
            # Fitted from m2n8k4 and the probe by default (derive_scaled); synthesized only when
            # named in --units (tens of minutes on the shared 2-core machine).
            units[-1]["on_request"] = True
    # Scaling probe for lutcore_m2n64k4 (too big to synthesize here): the m2n8k4 datapath with twice
    # the columns at the same dequant lanes, so per-column and per-lane slopes can be fitted.
    units.append({"name": "lutcore_m2n16k4_int8_dq4", "top": "lutcore_tile", "kind": "lutcore",
                  "role": "scaling probe for the fitted lutcore_m2n64k4_int8 (INT8-only tile at "
                          "the default shape, for docs/results.md; no config)",
                  "params": dict({"M": 2, "N": 16, "K": 4, "G": 4, "Fp16": 0, "DqLanes": 4},
                                 **pipe)})
    units.append({"name": "lutcore_m2n16k4_dq4", "top": "lutcore_tile", "kind": "lutcore",
                  "role": "study: tile shape at M*N*K=128 (FP16, G = 4, DqLanes = 4; no config)",
                  "params": {"M": 2, "N": 16, "K": 4, "G": 4, "Fp16": 1, "DqLanes": 4}})
    units.append({"name": "lutcore_m2n16k4_dq4_pipe", "top": "lutcore_tile", "kind": "lutcore",
                  "role": "scaling probe for lutcore_m2n64k4 (N = 16, DqLanes = 4, the default "
                          "config's pipeline; no config)",
                  "params": dict({"M": 2, "N": 16, "K": 4, "G": 4, "Fp16": 1, "DqLanes": 4}, **pipe)})
    # Design-study units (no config; docs/results.md): the m2n8k4 tile without FP16 support, to
    # compare LUT and MAC at INT8 with mac_8x8_int8 / mixpe_8x8_int8; and the tile shapes at the
    # probe's M*N*K = 128 (FP16, g 4, 4 dequant lanes), incl. K = 8 (two tables per row).
    units.append({"name": "lutcore_m2n8k4_int8", "top": "lutcore_tile", "kind": "lutcore",
                  "role": "study: INT8-only LUT vs MAC (lutcore_m2n8k4_pipe with Fp16 = 0; no "
                          "config)",
                  "params": dict({"M": 2, "N": 8, "K": 4, "G": 4, "Fp16": 0, "DqLanes": 4},
                                 **pipe)})
    for m, n, k in ((1, 32, 4), (4, 8, 4), (8, 4, 4), (4, 4, 8)):
        units.append({"name": "lutcore_m%dn%dk%d_dq4" % (m, n, k), "top": "lutcore_tile",
                      "kind": "lutcore",
                      "role": "study: tile shape at M*N*K=128 (FP16, G = 4, DqLanes = 4; no config)",
                      "params": {"M": m, "N": n, "K": k, "G": 4, "Fp16": 1, "DqLanes": 4}})
    for fam in ("mixpe", "mac"):
        c = config_params(fam + "_8x8")[fam]
        units.append({"name": fam + "_8x8", "top": fam + "_array", "kind": fam,
                      "config": fam + "_8x8",
                      "params": rtl_params(fam, c)})
        big = config_params(fam + "_64x64")[fam]
        units.append({"name": fam + "_8x8_int8", "top": fam + "_array", "kind": fam,
                      "params": dict(rtl_params(fam, big), Rows=8, Cols=8),
                      "scaled_to": {"config": fam + "_64x64", "rows": big["rows"],
                                    "cols": big["cols"]}})
    # BitMoD: the cross-check array (its config) stands for the paper's 32 x 32 discriminative
    # shape, an 8 x 8 representative for the 64 x 16 generative one (per-PE scaling, as above:
    # one representative per scaled config, and the same parameters but Rows and Cols).
    for name, rep_rows, big_cfg in (("bitmod_4x4", 4, "bitmod_32x32"),
                                    ("bitmod_8x8", 8, "bitmod_64x16")):
        big = config_params(big_cfg)["bitmod"]
        u = {"name": name, "top": "bitmod_array", "kind": "bitmod",
             "params": dict(rtl_params("bitmod", big), Rows=rep_rows, Cols=rep_rows),
             "scaled_to": {"config": big_cfg, "rows": big["rows"], "cols": big["cols"]}}
        if name == "bitmod_4x4":
            u["config"] = name
            u["params"] = rtl_params("bitmod", config_params(name)["bitmod"])
        units.append(u)
    return units


def rtl_sources():
    """All modules of rtl/common and the unit folders (lint_all.sh's rule), packages first."""
    rtl = os.path.join(ROOT, "rtl")
    dirs = [os.path.join(rtl, "common")] + sorted(
        os.path.join(rtl, d) for d in os.listdir(rtl)
        if d not in ("common", "lint", "synth") and os.path.isdir(os.path.join(rtl, d)))
    pkgs, mods = [], []
    for d in dirs:
        for f in sorted(os.listdir(d)):
            if f.endswith(".sv"):
                (pkgs if f.endswith("_pkg.sv") else mods).append(os.path.join(d, f))
    return pkgs + mods


def fill(template, fields):
    with open(os.path.join(HERE, template)) as f:
        text = f.read()
    for k, v in fields.items():
        text = text.replace("@" + k + "@", str(v))
    return text


def run(cmd, log, cwd=None):
    with open(log, "w") as f:
        r = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=cwd)
    if r.returncode != 0:
        with open(log) as f:
            tail = f.read()[-3000:]
        raise RuntimeError("%s failed (log %s):\n%s" % (" ".join(cmd), log, tail))


def write_json(path, doc):
    """Writes `doc` as indented JSON to `path` atomically (a temp file, then rename), creating
    its folder; prints the path."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path + ".tmp", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(path + ".tmp", path)
    print("wrote %s" % path)


def liberty(work, node):
    path = os.path.join(work, node + ".lib")
    if not os.path.exists(path):
        with gzip.open(os.path.join(PDK, NODES[node]["liberty"]), "rb") as src:
            data = src.read()
        with open(path + ".tmp", "wb") as dst:
            dst.write(data)
        os.replace(path + ".tmp", path)
    return path


_GENERIC_LOCKS = {}
_GENERIC_LOCKS_GUARD = threading.Lock()


def synth_generic(unit, work):
    """Technology-independent synthesis, cached: <work>/<unit>/generic.il. The nodes of one unit
    run in parallel jobs: the first synthesizes, the others wait for its netlist."""
    with _GENERIC_LOCKS_GUARD:
        lock = _GENERIC_LOCKS.setdefault(unit["name"], threading.Lock())
    with lock:
        return _synth_generic(unit, work)


def _synth_generic(unit, work):
    d = os.path.join(work, unit["name"])
    os.makedirs(d, exist_ok=True)
    il = os.path.join(d, "generic.il")
    if os.path.exists(il):
        return il
    chparams = " ".join("-chparam %s %d" % kv for kv in unit["params"].items())
    ys = os.path.join(d, "generic.ys")
    with open(ys, "w") as f:
        f.write(fill("synth_generic.ys.in", {"SOURCES": " ".join(rtl_sources()), "TOP": unit["top"],
                                             "CHPARAMS": chparams, "GENERIC": il + ".tmp"}))
    run(["yosys", "-q", "-l", os.path.join(d, "generic.log"), ys], os.path.join(d, "generic.out"))
    os.replace(il + ".tmp", il)
    return il


def synth_map(unit, node, work, gating=None):
    """Maps the generic netlist to one node: <work>/<unit>/<node>[_cg].{v,stat.json} (_cg: with
    clock gating, clock_gating.py; `gating` chooses, CLOCK_GATING when None)."""
    gating = CLOCK_GATING if gating is None else gating
    d = os.path.join(work, unit["name"])
    os.makedirs(d, exist_ok=True)
    lib = liberty(work, node)
    n = NODES[node]
    tag = node + ("_cg" if gating else "")
    netlist = os.path.join(d, tag + ".v")
    stat = os.path.join(d, tag + ".stat.json")
    if os.path.exists(netlist) and os.path.exists(stat):
        return netlist, stat
    constr = os.path.join(d, node + ".constr")
    with open(constr, "w") as f:
        f.write("set_driving_cell %s\nset_load %g\n" % (n["driving_cell"], n["load"]))
    import activity_flow
    import clock_gating
    cells = activity_flow.library(work, lib) if gating else None
    gate_cmds = clock_gating.yosys_commands(cells, d) if gating else ""
    if gating and not gate_cmds:
        raise RuntimeError("%s: the liberty has no plain integrated clock gate; map this node "
                           "with --no-clock-gating" % node)
    ys = os.path.join(d, tag + ".ys")
    with open(ys, "w") as f:
        f.write(fill("synth_map.ys.in", {
            "GENERIC": synth_generic(unit, work), "CLOCK_GATING": gate_cmds, "LIB": lib,
            "CONSTR": constr, "DELAY_PS": n["delay_ps"], "TIEHI": n["tiehi"], "TIELO": n["tielo"],
            "BUF": n["buf"], "STAT_JSON": stat + ".tmp", "NETLIST": netlist + ".tmp"}))
    run(["yosys", "-q", "-l", os.path.join(d, tag + ".map.log"), ys],
        os.path.join(d, tag + ".map.out"))
    if gate_cmds:
        clock_gating.size(netlist + ".tmp", cells, stat + ".tmp")
    unmapped = unmapped_cells(stat + ".tmp")
    if unmapped:
        raise RuntimeError("%s: cells left unmapped by the flow: %s" % (stat, ", ".join(unmapped)))
    os.replace(stat + ".tmp", stat)
    os.replace(netlist + ".tmp", netlist)
    return netlist, stat


def unmapped_cells(stat_path):
    """Internal Yosys cells ($not, $_AND_, ...) left in a mapped netlist's stat (submodules,
    $paramod..., are not cells): the liberty has no area, timing or power for them."""
    doc = yosys_stat.read(stat_path)
    return sorted({"%s in %s" % (c, base_name(m)) for m, v in doc["modules"].items()
                   for c in v.get("num_cells_by_type", {})
                   if c.startswith("$") and not c.startswith("$paramod")})


# ---- Area: hierarchical Yosys stat ------------------------------------------------------------

def base_name(module):
    """'$paramod$<hash>\\lut_array' or '$paramod\\lb_lzc\\Width=..' -> 'lut_array' / 'lb_lzc'."""
    parts = [p for p in module.split("\\") if p and not p.startswith("$") and "=" not in p]
    return parts[0].strip() if parts else module


CATEGORIES = {
    "lutcore": {"lut_precompute": "precompute", "lut_array": "array", "lut_dequant": "dequant"},
    "mixpe": {"lb_pe_array_ctrl": "control", "lb_act_conv": "row_converters",
              "mixpe_pe": "pe_array", "mixpe_dequant": "dequant", "lb_pe_array_dq": "dequant",
              "lb_fp32_mul_pipe": "output_scale", "lb_pe_array_out": "buffers"},
    "mac": {"lb_pe_array_ctrl": "control", "mac_wdeq": "weight_dequant", "mac_pe": "pe_array",
            "lb_pe_array_dq": "dequant", "lb_fp32_mul_pipe": "output_scale",
            "lb_pe_array_out": "buffers"},
    # bitmod_decode: a column's (datatype, code, slice) -> signed digit and shift decoder, the
    # counterpart of mac's weight dequantizers (one per column).
    "bitmod": {"lb_pe_array_ctrl": "control", "lb_act_conv": "row_converters",
               "bitmod_decode": "weight_dequant", "bitmod_pe": "pe_array",
               "lb_pe_array_dq": "dequant", "lb_fp32_mul_pipe": "output_scale",
               "lb_pe_array_out": "buffers"},
    "comb": {},
}
# Wrapper modules the component split looks through: their submodules are categorized as if the
# top instantiated them, their own cells join the top's own (TOP_OWN).
TRANSPARENT = ("lb_pe_array_drain",)
# What the top module's own cells (outside every submodule) are, per unit kind. A submodule may
# join that component (mixpe/mac: lb_pe_array_out holds the running results and output buffer).
TOP_OWN = {
    "lutcore": "registers",   # weight planes, stage C/D buffers, counters, muxes (tables: split)
    "mixpe": "buffers",       # row sums, running FP32 results, output buffer, drain/output muxes
    "mac": "buffers",
    "bitmod": "buffers",
    "comb": "logic",
}


_LIBERTY = {}


def liberty_cells(lib):
    """(cell -> area, cell -> output pin names) from a liberty file (Yosys 0.23's stat -json leaves
    the area out; the table split needs the pin directions)."""
    if lib not in _LIBERTY:
        with open(lib) as f:
            text = f.read()
        areas, outs = {}, {}
        heads = list(re.finditer(r"^\s*cell\s*\(\s*\"?(\w+)\"?\s*\)\s*\{", text, re.M))
        for h, nxt in zip(heads, heads[1:] + [None]):
            body = text[h.end():nxt.start() if nxt else len(text)]
            a = re.search(r"^\s*area\s*:\s*([0-9.eE+-]+)", body, re.M)
            if a:
                areas[h.group(1)] = float(a.group(1))
            pins = list(re.finditer(r"\bpin\s*\(\s*\"?(\w+)\"?\s*\)\s*\{", body))
            o = set()
            for pn, nx in zip(pins, pins[1:] + [None]):
                d = re.search(r"\bdirection\s*:\s*\"?(\w+)",
                              body[pn.end():nx.start() if nx else len(body)])
                if d and d.group(1) in ("output", "inout"):
                    o.add(pn.group(1))
            outs[h.group(1)] = o
        _LIBERTY[lib] = (areas, outs)
    return _LIBERTY[lib]


def cell_areas(lib):
    """Cell name -> area from a liberty file."""
    return liberty_cells(lib)[0]


# Components carved out of the top module's own cells (TOP_OWN), per unit kind: name -> regex on
# the net a flop's output drives. The component is those flops plus the maximum fanout-free cone of
# their D inputs (the cells that feed only them: load/hold muxes and their enable buffer tree).
TOP_SPLITS = {
    "lutcore": {"table_registers": r"^tables_q\["},  # lutcore_tile.sv's table registers
}
IDENT = r"(?:\\\S+|[A-Za-z_][\w$]*)"


def top_split_cells(unit, netlist, lib, flop_regex):
    """Leaf cells of each TOP_SPLITS component in the mapped netlist's top module:
    {component: {"names": [...], "types": {cell type: count}, "flops": n}} (empty if none)."""
    groups = TOP_SPLITS.get(unit["kind"], {})
    if not groups:
        return {}
    outs_of = liberty_cells(lib)[1]
    with open(netlist) as f:
        text = f.read()
    body = None
    for m in re.finditer(r"^module\s+(" + IDENT + r")\s*\(", text, re.M):
        if base_name(m.group(1)) == unit["top"]:
            body = text[m.end():text.index("\nendmodule", m.end())]
            break
    if body is None:
        raise RuntimeError("no module %s in %s" % (unit["top"], netlist))
    # Nets seen outside leaf-cell pins (output ports, assigns, submodule instances) are external.
    ext = set(re.findall(r"^\s*(?:output|inout)\s+(?:\[[^\]]*\]\s*)?(" + IDENT + r")\s*;",
                         body, re.M))
    for a in re.finditer(r"^\s*assign\s+(.*?);", body, re.M | re.S):
        ext.update(n.strip() for n in re.findall(IDENT, a.group(1)))
    info, drv, loads = {}, {}, {}
    for m in re.finditer(r"^\s*(" + IDENT + r")\s+(" + IDENT + r")\s*\((.*?)\);", body,
                         re.M | re.S):
        typ, name = m.group(1).strip(), m.group(2).strip()
        conns = [(p, e.strip()) for p, e in re.findall(r"\.(\w+)\(([^()]*)\)", m.group(3))]
        if typ not in outs_of:
            for _, e in conns:
                ext.update(n.strip() for n in re.findall(IDENT, e))
            continue
        info[name] = (typ, dict(conns))
        for p, e in conns:
            if p in outs_of[typ]:
                drv[e] = name
            else:
                loads.setdefault(e, set()).add(name)

    def external(net):
        return net in ext or re.match(r"(\\\S+|[^\[\s]+)", net).group(1) in ext

    out = {}
    for comp, q_regex in groups.items():
        flops = {n for n, (t, c) in info.items() if re.match(flop_regex, t)
                 and any(p in outs_of[t] and re.match(q_regex, e) for p, e in c.items())}
        cone = set(flops)
        frontier = {info[f][1].get("D") for f in flops}
        changed = True
        while changed:  # a driver joins once every load of its outputs is inside (reconvergence)
            changed = False
            for net in list(frontier):
                c = drv.get(net)
                if c is None or c in cone or re.match(flop_regex, info[c][0]):
                    frontier.discard(net)
                    continue
                t, conns = info[c]
                outs = [e for p, e in conns.items() if p in outs_of[t]]
                if all(loads.get(o, set()) <= cone and not external(o) for o in outs):
                    cone.add(c)
                    changed = True
                    frontier.discard(net)
                    frontier.update(e for p, e in conns.items() if p not in outs_of[t])
        types = {}
        for c in cone:
            types[info[c][0]] = types.get(info[c][0], 0) + 1
        if flops:
            out[comp] = {"names": sorted(cone), "types": types, "flops": len(flops)}
    return out


def area_report(stat_path, top, kind, flop_regex, lib, split=None):
    """Area, cells, flops in total and per component; split (top_split_cells) moves the named
    cells of the top module's own ones into their components."""
    raw = yosys_stat.read(stat_path)["modules"]
    # Instances name unparameterized modules without the leading backslash of the module list.
    mods = {m.lstrip("\\"): {"num_cells_by_type": {c.lstrip("\\"): n for c, n in
                                                  s["num_cells_by_type"].items()}}
            for m, s in raw.items()}
    by_base = {}
    for m in mods:
        by_base.setdefault(base_name(m), []).append(m)
    memo = {}
    areas = cell_areas(lib)

    def own_area(m):
        return sum(n * areas[c] for c, n in mods[m]["num_cells_by_type"].items() if c not in mods)

    def total(m):
        """(area, cells, flops) of module m with everything below it."""
        if m in memo:
            return memo[m]
        s = mods[m]
        area, cells, flops = own_area(m), 0, 0
        for cell, n in s["num_cells_by_type"].items():
            if cell in mods:
                a, c, fl = total(cell)
                area, cells, flops = area + n * a, cells + n * c, flops + n * fl
            else:
                cells += n
                flops += n if re.match(flop_regex, cell) else 0
        memo[m] = (area, cells, flops)
        return memo[m]

    top_mod = by_base[top][0]
    area, cells, flops = total(top_mod)
    breakdown = {}
    own = mods[top_mod]
    own_cells = sum(n for c, n in own["num_cells_by_type"].items() if c not in mods)
    own_flops = sum(n for c, n in own["num_cells_by_type"].items()
                    if c not in mods and re.match(flop_regex, c))
    breakdown[TOP_OWN[kind]] = {"area_um2": own_area(top_mod), "cells": own_cells,
                                "flops": own_flops, "instances": 1}
    for comp, sc in (split or {}).items():
        b = {"area_um2": sum(n * areas[c] for c, n in sc["types"].items()),
             "cells": sum(sc["types"].values()),
             "flops": sum(n for c, n in sc["types"].items() if re.match(flop_regex, c)),
             "instances": 1}
        rest = breakdown[TOP_OWN[kind]]
        for k in ("area_um2", "cells", "flops"):
            rest[k] -= b[k]
        breakdown[comp] = b
    def add(cat, n, a, c, fl, counted):
        b = breakdown.setdefault(cat, {"area_um2": 0.0, "cells": 0, "flops": 0, "instances": 0})
        b["area_um2"] += n * a
        b["cells"] += n * c
        b["flops"] += n * fl
        b["instances"] += n if counted and cat != TOP_OWN[kind] else 0  # top's own: one instance

    for cell, n in own["num_cells_by_type"].items():
        if cell not in mods:
            continue
        if base_name(cell) in TRANSPARENT:  # its submodules as the top's, its own cells the top's
            sub = mods[cell]["num_cells_by_type"]
            own_c = sum(k for t, k in sub.items() if t not in mods)
            add(TOP_OWN[kind], n, own_area(cell), own_c,
                sum(k for t, k in sub.items() if t not in mods and re.match(flop_regex, t)), False)
            for scell, sn in sub.items():
                if scell in mods:
                    cat = CATEGORIES[kind].get(base_name(scell), "other_" + base_name(scell))
                    add(cat, n * sn, *total(scell), True)
            continue
        cat = CATEGORIES[kind].get(base_name(cell), "other_" + base_name(cell))
        add(cat, n, *total(cell), True)
    for b in breakdown.values():
        b["area_um2"] = round(b["area_um2"], 3)
    return {"area_um2": round(area, 3), "cells": cells, "flops": flops, "breakdown": breakdown}


# ---- Timing and power: OpenSTA ----------------------------------------------------------------

NUM = r"([-+0-9.eE]+)"


def split_power_tcl(split):
    """OpenSTA lines (after the template's power loop, at its last -global activity) printing the
    summed power of each split component's cells: LOWBIT_GPOWER <component> <int> <switch> <leak>."""
    out = []
    for comp, sc in sorted(split.items()):
        names = " ".join("{%s}" % n.lstrip("\\") for n in sc["names"])
        out += ["set lowbit_sum {0 0 0}",
                "foreach c [get_cells [list %s]] {" % names,
                "  set p [sta::instance_power $c $corner]",
                "  lassign $lowbit_sum i0 s0 l0",
                "  set lowbit_sum [list [expr {$i0 + [lindex $p 0]}] [expr {$s0 + [lindex $p 1]}] "
                "[expr {$l0 + [lindex $p 2]}]]",
                "}",
                "puts \"LOWBIT_GPOWER %s $lowbit_sum\"" % comp]
    return "\n".join(out) + "\n"


def sta_report(unit, node, netlist, work, split=None):
    d = os.path.join(work, unit["name"])
    n = NODES[node]
    seq = unit["kind"] != "comb"
    tcl = os.path.join(d, node + ".sta.tcl")
    text = fill("sta.tcl.in", {
            "LIB": liberty(work, node), "NETLIST": netlist, "TOP": unit["top"],
            "PERIOD": n["sta_period_ns"], "CLOCK_PORT": "[get_ports clk_i]" if seq else "",
            "CLOCK_NAME": "clk_i" if seq else "no_clock_port",
            "FALSE_PATHS": "set_false_path -from [get_ports rst_ni]" if seq else "",
            "ACTIVITIES": REF_ACTIVITY, "TRANSPARENT": " ".join(TRANSPARENT)})
    if split:  # the template ends in `exit`: the split components' power goes before it
        head, _, tail = text.rpartition("\nexit")
        text = head + "\n" + split_power_tcl(split) + "exit" + tail
    log = os.path.join(d, node + ".sta.log")
    # Cached like the netlists: reused when the script is unchanged, the log is complete and newer
    # than the netlist (a --check run removes the work folder first).
    cached = (os.path.exists(tcl) and os.path.exists(log)
              and os.path.getmtime(log) >= os.path.getmtime(netlist))
    if cached:
        with open(tcl) as f:
            cached = f.read() == text
    if cached:
        with open(log) as f:
            cached = "LOWBIT_POWER_END" in f.read()
    if not cached:
        with open(tcl, "w") as f:
            f.write(text)
        run(["sta", "-no_splash", "-exit", tcl], log)
    with open(log) as f:
        text = f.read()
    slacks = [float(s) for s in re.findall(NUM + r"\s+slack \(", text)]
    if not slacks:
        raise RuntimeError("no slack in " + log)
    crit = n["sta_period_ns"] - min(slacks)
    m = re.search(r"Endpoint: (\S+)", text)
    insts = dict(re.findall(r"^LOWBIT_INST (\S+) (\S+)$", text, re.M))
    block = text.split("LOWBIT_POWER_BEGIN")[1].split("LOWBIT_POWER_END")[0]
    tot = re.search(r"^Total\s+" + r"\s+".join([NUM] * 4), block, re.M)
    total = {"internal_w": float(tot.group(1)), "switching_w": float(tot.group(2)),
             "leakage_w": float(tot.group(3))}
    per_inst = {}
    for row in re.finditer(r"^LOWBIT_IPOWER (\S+) " + " ".join([NUM] * 3) + r"$", block, re.M):
        if row.group(1) != "<top>":
            per_inst[row.group(1)] = {"internal_w": float(row.group(2)),
                                      "switching_w": float(row.group(3)),
                                      "leakage_w": float(row.group(4))}
    groups = {}
    for row in re.finditer(r"^LOWBIT_GPOWER (\S+) " + " ".join([NUM] * 3) + r"$", text, re.M):
        groups[row.group(1)] = {"internal_w": float(row.group(2)),
                                "switching_w": float(row.group(3)),
                                "leakage_w": float(row.group(4))}
    missing = set(split or {}) - set(groups)
    if missing:
        raise RuntimeError("no LOWBIT_GPOWER %s in %s" % (sorted(missing), log))
    return {"critical_path_ns": round(crit, 4), "endpoint": m.group(1) if m else "",
            "total": total, "instances": per_inst, "inst_ref": insts, "groups": groups}


def power_breakdown(unit, sta):
    """Dynamic (internal + switching) and leakage power per area category at REF_ACTIVITY."""
    cats = {}
    inst_dyn = 0.0
    inst_leak = 0.0
    for inst, p in sta["instances"].items():
        ref = sta["inst_ref"].get(inst, inst)
        cat = CATEGORIES[unit["kind"]].get(base_name(ref), "other_" + base_name(ref))
        c = cats.setdefault(cat, {"dynamic_w": 0.0, "leakage_w": 0.0})
        c["dynamic_w"] += p["internal_w"] + p["switching_w"]
        c["leakage_w"] += p["leakage_w"]
        inst_dyn += p["internal_w"] + p["switching_w"]
        inst_leak += p["leakage_w"]
    for comp, p in sta.get("groups", {}).items():  # split out of the top's own cells
        cats[comp] = {"dynamic_w": p["internal_w"] + p["switching_w"], "leakage_w": p["leakage_w"]}
        inst_dyn += p["internal_w"] + p["switching_w"]
        inst_leak += p["leakage_w"]
    t = sta["total"]
    own = cats.setdefault(TOP_OWN[unit["kind"]], {"dynamic_w": 0.0, "leakage_w": 0.0})
    own["dynamic_w"] += max(0.0, t["internal_w"] + t["switching_w"] - inst_dyn)
    own["leakage_w"] += max(0.0, t["leakage_w"] - inst_leak)
    return cats


# ---- Activity: toggles of real workload data at the unit's ports --------------------------------

# lutcore: b = 1..4 integer codes (b planes per beat); mixpe / mac: b = 1..4, 8. b = 5 is FP4 E2M1
# on the three (fp4_stimulus: fp4_e2m1 weights, walked / shifted as the 5 bits of 2v + 16; MXFP4
# runs the same array path, only its scale operand differs, and takes the b = 5 events).
LUT_BITS = (1, 2, 3, 4, fp4.BITS)
PE_BITS = (1, 2, 3, 4, fp4.BITS, 8)
BITMOD_BITS = (3, 4)  # bitmod_w3, bitmod_w4
# x beats per K step: BitMoD sends each step's activations and codes twice, one beat per 2-bit
# slice of the unified mantissa (kBitmodSlices, docs/bitmod.md); the other arrays one.
SLICES = {"bitmod": 2}


def bits_of(kind, acts="int8"):
    """The weight widths a unit kind is characterized at (with these activations)."""
    bits = {"lutcore": LUT_BITS, "bitmod": BITMOD_BITS}.get(kind, PE_BITS)
    return tuple(b for b in bits if not fp4.is_fp4(b) or fp4.runs(kind, acts))


def weight_format(kind, bits):
    """The `--weights` name of the workload layer a unit kind streams at `bits`."""
    if kind == "bitmod":
        return "bitmod_w%d" % bits
    if fp4.is_fp4(bits):
        return fp4.WEIGHTS
    return "binary" if bits == 1 else "uint%d" % bits


def index_planes(codes, bits):
    """The bit-planes a lutcore array reads for codes of width `bits` (b = 5: the FP4 planes)."""
    u = fp4.doubled_offset(codes) if fp4.is_fp4(bits) else codes
    return [(u >> q) & 1 for q in range(bits)]


WORKLOAD = {"m": 8, "n": 128, "k": 1024, "group": 128, "dist": "heavy_tailed", "seed": 1}


def dump_config(unit):
    """The config the golden run of a unit's workload uses: one whose core accepts its weight
    formats (`lowbit run` exits 2 on e.g. 8-bit weights with the default lutcore config). The
    dumped A and W codes depend only on the workload and seed, not on the config."""
    if unit["kind"] == "lutcore":
        return unit.get("config") or "lutcore_m2n64k4"
    if unit["kind"] == "bitmod":
        return "bitmod_4x4"
    return unit["kind"] + "_8x8"


def workload_dump(lowbit, bits, work, config, acts="int8", everything=False):
    """lowbit run -b golden --dump of one real-shaped layer -> (A, W codes); A as INT8 codes (low
    byte) or FP16 bits. everything: also the FP16 group scales and the zero points [N][groups]
    (BitMoD: the groups' datatype ids)."""
    import numpy as np
    fmt = weight_format(config_params(config)["core"], bits)
    d = os.path.join(work, "workload", config, fmt + ("" if acts == "int8" else "_" + acts))
    # manifest.json is written last: a dump without it is from a failed run. One dump at a time:
    # parallel jobs of units with the same dump config would otherwise write the same folder.
    with _DUMP_LOCK:
        if not os.path.exists(os.path.join(d, "manifest.json")):
            _run_dump(lowbit, fmt, d, config, acts)
    raw = np.load(os.path.join(d, "gemm_A.npy"))
    a = (raw.view(np.uint16).astype(np.int64) if acts == "fp16"
         else raw.astype(np.int64) & 0xFF)
    wc = (np.load(os.path.join(d, "gemm_W_codes.npy")).astype(np.int64)
          & ((1 << fp4.code_bits(bits)) - 1))
    if not everything:
        return a, wc
    scales = np.load(os.path.join(d, "gemm_W_scales.npy")).view(np.uint16).astype(np.int64)
    zeros = np.load(os.path.join(d, "gemm_W_zeros.npy")).astype(np.int64)
    return a, wc, scales, zeros


_DUMP_LOCK = threading.Lock()


def _run_dump(lowbit, fmt, d, config, acts="int8"):
    """One lowbit run -b golden --dump into d (the caller holds _DUMP_LOCK)."""
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d, exist_ok=True)
    w = WORKLOAD
    run([lowbit, "run", "-b", "golden", "--config", os.path.join(ROOT, "configs",
                                                                 config + ".json"),
         "--m", str(w["m"]), "--n", str(w["n"]), "--k",
         str(w["k"]), "--weights", fmt, "--activations", acts, "--group", str(w["group"]),
         "--dist", w["dist"], "--seed", str(w["seed"]), "--dump", d, "--no-progress",
         "-o", os.path.join(d, "result.json")], os.path.join(d, "lowbit.log"))


def popcount(x):
    import numpy as np
    x = x.astype(np.uint64)
    return sum(int(((x >> np.uint64(i)) & np.uint64(1)).sum()) for i in range(64))


def beat_toggles(beats):
    """Mean toggled bits between consecutive beats (rows of an int array of bit fields)."""
    import numpy as np
    b = np.asarray(beats, dtype=np.int64)
    return popcount(b[1:] ^ b[:-1]) / max(1, len(b) - 1)


# Which measured rate drives each lutcore component (measured_activity): the array reads a new
# bit-plane of N x K index bits every cycle; the precompute and the table registers see new
# activations once per beat (every b cycles); the other registers load at the port rate.
LUT_COMPONENT_ACTIVITY = {"array": "index", "precompute": "activations",
                          "table_registers": "activations", "registers": "ports",
                          "dequant": "ports"}


def measured_activity(unit, bits, lowbit, work):
    """Toggles per data bit per cycle while streaming the layer through the unit.

    mixpe/mac: an x beat carries R INT8 activations and C b-bit codes, one per cycle; one rate.
    lutcore: a beat carries M x K INT8 activations and b planes of N x K weight bits and is held b
    cycles. Three rates (LUT_COMPONENT_ACTIVITY): "activations" (activation toggles per beat /
    (M*K*8) / b), "index" (toggles of the plane the array reads, per cycle / (N*K)) and "ports"
    (all port toggles per beat / port data bits / b). One port rate for the whole tile would charge
    the array as if it idled b - 1 of its b busy cycles.
    Order: output tiles (rows, then columns), K innermost, as the compiler streams a GEMM.
    """
    a, wc = workload_dump(lowbit, bits, work, dump_config(unit))
    p = unit["params"]
    if unit["kind"] == "lutcore":
        m, n, k, hold = p["M"], p["N"], p["K"], bits
    else:
        m, n, k, hold = p["Rows"], p["Cols"], 1, SLICES.get(unit["kind"], 1)
    act_beats, w_beats = [], []
    for m0 in range(0, a.shape[0] - m + 1, m):
        for n0 in range(0, wc.shape[0] - n + 1, n):
            for k0 in range(0, a.shape[1] - k + 1, k):
                act_beats.append(a[m0:m0 + m, k0:k0 + k].ravel())
                w_beats.append(wc[n0:n0 + n, k0:k0 + k].ravel())
    if len(act_beats) < 2:
        raise ValueError("workload %s smaller than the unit's ports %s" % (WORKLOAD, p))
    act_t, w_t = beat_toggles(act_beats), beat_toggles(w_beats)
    # FP4 beats carry 4 code bits per weight on the weight port (lutcore holds them 5 cycles).
    port_bits = fp4.code_bits(bits)
    ports = (act_t + w_t) / (m * k * 8 + n * k * port_bits) / hold
    if unit["kind"] != "lutcore":
        return ports
    planes = [pl for w in w_beats for pl in index_planes(w, bits)]
    return {"activations": round(act_t / (m * k * 8) / hold, 5),
            "index": round(beat_toggles(planes) / (n * k), 5), "ports": round(ports, 5)}


# ---- Events -----------------------------------------------------------------------------------

def dyn_energy_pj(pw, period_ns, activity):
    """Dynamic energy per cycle (pJ) of a component whose dynamic power at REF_ACTIVITY is pw."""
    return pw * (activity / REF_ACTIVITY) * period_ns * 1e3


def events(unit, pcat, period_ns, act):
    """Energy per event (pJ) for activities act[b] (b -> toggles per bit per cycle)."""
    p = unit["params"]
    dyn = {c: v["dynamic_w"] for c, v in pcat.items()}
    g = lambda *cats: sum(dyn.get(c, 0.0) for c in cats)  # noqa: E731
    out = {}
    if unit["kind"] == "lutcore":
        tables = p["M"] * p["K"] // p["G"]

        def e(comp, a):  # a: one rate for all, or the measured rates by LUT_COMPONENT_ACTIVITY
            rate = a[LUT_COMPONENT_ACTIVITY[comp]] if isinstance(a, dict) else a
            return dyn_energy_pj(g(comp), period_ns, rate)
        for b, a in act.items():
            out["plane_b%d" % b] = e("array", a) + e("registers", a) + e("table_registers", a)
            out["table_b%d" % b] = e("precompute", a) * b / tables
        out["dequant_lane"] = e("dequant", act[max(act)]) / p["DqLanes"]
    elif unit["kind"] in ("mixpe", "mac", "bitmod"):
        for b, a in act.items():
            out["step_b%d" % b] = dyn_energy_pj(
                g("pe_array", "row_converters", "control", "buffers", "weight_dequant"),
                period_ns, a)
        a4 = act[4]
        out["dequant"] = dyn_energy_pj(g("dequant"), period_ns, a4) / p["Cols"]
        out["output_beat"] = dyn_energy_pj(g("output_scale"), period_ns, a4)
    else:
        for b, a in act.items():
            out["op"] = dyn_energy_pj(g(*dyn.keys()), period_ns, a)
    return {k: round(v, 5) for k, v in out.items()}


def scale_area(unit, area):
    """Per-PE scaling of an 8 x 8 representative to the named big config (labelled 'scaled')."""
    s = unit["scaled_to"]
    r, c = s["rows"] / unit["params"]["Rows"], s["cols"] / unit["params"]["Cols"]
    factor = {"pe_array": r * c, "buffers": r * c, "row_converters": r, "dequant": c,
              "weight_dequant": c, "output_scale": c, "control": 1.0}
    bd = {k: round(v["area_um2"] * factor.get(k, 1.0), 3) for k, v in area["breakdown"].items()}
    rr, rc = unit["params"]["Rows"], unit["params"]["Cols"]
    return {"config": s["config"], "method": "scaled", "rule": (
        "%dx%d representative synthesized; pe_array and buffers x (R*C/%d), row_converters x "
        "R/%d, dequant, weight_dequant and output_scale x C/%d, control x 1"
        % (rr, rc, rr * rc, rr, rc)),
        "area_um2": round(sum(bd.values()), 3), "breakdown_area_um2": bd, "factors": factor}


def characterize(unit, node, work, lowbit, gating):
    netlist, stat = synth_map(unit, node, work, gating)
    n = NODES[node]
    split = top_split_cells(unit, netlist, liberty(work, node), n["flop_regex"])
    area = area_report(stat, unit["top"], unit["kind"], n["flop_regex"], liberty(work, node),
                       split)
    sta = sta_report(unit, node, netlist, work, split)
    pcat = power_breakdown(unit, sta)
    period = n["sta_period_ns"]
    crit = sta["critical_path_ns"]
    entry = {"top": unit["top"], "params": unit["params"], "config": unit.get("config"),
             "method": "synthesized", "clock_gating": gating,
             "area_um2": area["area_um2"], "cells": area["cells"], "flops": area["flops"],
             "breakdown": area["breakdown"], "critical_path_ns": crit,
             "fmax_mhz": round(1e3 / crit, 2) if crit > 0 else None,
             "critical_endpoint": sta["endpoint"], "power_period_ns": period,
             "leakage_w": sta["total"]["leakage_w"],
             "power_at_ref_activity": {"activity": REF_ACTIVITY, "by_component": pcat}}
    bits = bits_of(unit["kind"])
    if unit["kind"] == "comb":
        entry["energy_pj"] = {"default_activity": events(unit, pcat, period, {0: REF_ACTIVITY}),
                              "random_operands_0.5": events(unit, pcat, period, {0: 0.5})}
    else:
        entry["energy_pj"] = {"default_activity": events(unit, pcat, period,
                                                         {b: REF_ACTIVITY for b in bits})}
        if lowbit and os.access(lowbit, os.X_OK):
            act = {b: measured_activity(unit, b, lowbit, work) for b in bits}
            entry["measured_activity"] = {str(b): a if isinstance(a, dict) else round(a, 5)
                                          for b, a in act.items()}
            entry["energy_pj"]["measured_activity"] = events(unit, pcat, period, act)
            if unit["kind"] in ACTIVITY_KINDS:
                entry.update(switching_activity_entry(unit, node, netlist, work, lowbit, split,
                                                      entry["energy_pj"]["measured_activity"]))
        else:
            entry["measured_activity"] = "not measured: lowbit binary not found (--lowbit)"
    if "_events" in entry:
        entry["energy_pj"]["global_port_rate"] = entry.pop("energy_pj_global_port_rate")
        entry["energy_pj"]["measured_activity"] = entry.pop("_events")
        if "_events_fp16" in entry:
            entry["energy_pj"]["measured_activity_fp16"] = entry.pop("_events_fp16")
    entry.setdefault("energy_method", "global_activity")
    entry["event_counters"] = event_counters(entry["energy_pj"]["default_activity"])
    if "role" in unit:
        entry["role"] = unit["role"]
    if "scaled_to" in unit:
        entry["scaled"] = scale_area(unit, area)
    return entry


# Unit kinds whose events come from gate-level simulation of workload tiles (unit_activity.py);
# the others keep the global-activity estimate (energy_method says which).
ACTIVITY_KINDS = ("mixpe", "mac", "bitmod", "lutcore")
# --no-fp16-data (a shorter run) leaves out the FP16-data simulations of FP16-capable units.
ACTIVITY_FP16 = True
ENERGY_METHODS = {
    "switching_activity": "per-net toggles from zero-delay gate-level simulation of the mapped "
                          "netlist on workload tiles; energy from the liberty's internal-power "
                          "tables, pin capacitances and wire-load model (rtl/synth/"
                          "unit_activity.py, docs/energy-model.md)",
    "global_activity": "OpenSTA set_power_activity -global: every net of a component toggles at "
                       "one measured port rate (the first method; an upper-bound-like estimate)",
}


def switching_activity_entry(unit, node, netlist, work, lowbit, split, global_events):
    """Fields of an entry whose events come from simulated switching activity: energy_pj.
    measured_activity replaced (the global-activity values kept as global_port_rate), the
    activity record, and the b = 4 run's energy per cycle per component (the cost model weights
    a scaled entry's components with it)."""
    import activity_flow
    import unit_activity
    n = NODES[node]
    lib_path = liberty(work, node)
    lib = activity_flow.library(work, lib_path)

    def dump(b, acts):
        return workload_dump(lowbit, b, work, dump_config(unit), acts, everything=True)
    t0 = time.time()
    runs = {}
    # INT8 data always (the cost model's events; the default decode is W2A8); FP16-capable units
    # also on FP16 data (energy_pj.measured_activity_fp16).
    for acts in ["int8"] + (["fp16"] if int(unit["params"]["Fp16"]) and ACTIVITY_FP16 else []):
        runs[acts] = unit_activity.events_from_activity(
            unit, n, netlist, lib_path, lib, work, dump, CATEGORIES[unit["kind"]],
            TOP_OWN[unit["kind"]], {c: sc["names"] for c, sc in split.items()},
            bits_of(unit["kind"], acts),
            log=lambda m: print("  %s %s (%.0f s)" % (node, m, time.time() - t0), flush=True),
            acts=acts)
    r = runs["int8"]
    pc = r["activity"]["per_bits"]["4"]["pj_per_cycle_by_component"]
    out = {"energy_method": "switching_activity",
           "energy_pj_global_port_rate": global_events,
           "activity": r["activity"],
           "dynamic_pj_per_cycle_by_component": {c: round(sum(t.values()), 6)
                                                 for c, t in pc.items()},
           "_events": r["energy_pj"]}
    if "fp16" in runs:
        out["activity_fp16"] = runs["fp16"]["activity"]
        out["_events_fp16"] = runs["fp16"]["energy_pj"]
    return out


EVENT_DEFINITIONS = {
    "plane_b<b>": "lutcore: one array cycle walking one weight bit-plane (M*N*K/g lookups, "
                  "accumulate, table/plane/stage registers clocked; components array + registers "
                  "+ table_registers) while streaming b-bit weights (b = 5: FP4 E2M1 codes, "
                  "walked as the 5 planes of 2v + 16; MXFP4 takes the same event); "
                  "multiply by stats lutcore.array.planes",
    "table_b<b>": "lutcore: one precomputed table (2^(g-1) entries of g activations, 2^g when "
                  "Sym = 0); multiply by lutcore.precompute.tables",
    "dequant_lane": "lutcore: one lane dequantized (int->fp32, x scale, + out); multiply by "
                    "lutcore.dequant.dequants",
    "step_b<b>": "mixpe/mac: one x beat = one K step of the R x C array (R*C MACs; mac includes "
                 "its C weight dequantizers) with b-bit weights (b = 5: FP4 E2M1 codes, the 5 "
                 "bits of 2v + 16 on mixpe, 2v into mac's multipliers; MXFP4 takes the same "
                 "event); bitmod: one x beat = one 2-bit "
                 "slice of a K step (two beats per R*C MACs, incl. the C column type decoders); "
                 "multiply by accumulate.steps",
    "dequant": "mixpe/mac/bitmod: one output element's group dequant in a column unit; multiply by "
               "drain.dequants",
    "output_beat": "mixpe/mac/bitmod: one output row times act_scale (C FP32 multipliers); multiply by "
                   "output.beats",
    "op": "rtl/common FP unit: one operation",
}


# The stats.json counter (lowbit run --stats) each event energy multiplies, summed over the tiles /
# arrays of the top (<i> = every instance).
EVENT_COUNTERS = {
    "plane_b": "stats.core.tile<i>.array.planes",
    "table_b": "stats.core.tile<i>.precompute.tables",
    "dequant_lane": "stats.core.tile<i>.dequant.dequants",
    "step_b": "stats.core.array<i>.accumulate.steps",
    "dequant": "stats.core.array<i>.drain.dequants",
    "output_beat": "stats.core.array<i>.output.beats",
    "op": None,
}


def event_counters(events_pj):
    """Event key -> stats.json counter path (the weight bit width b picks the plane/step key)."""
    out = {}
    for key in events_pj:
        base = re.sub(r"\d+$", "", key)
        out[key] = EVENT_COUNTERS.get(base, EVENT_COUNTERS.get(key))
    return out


# ---- Scaled entries: configs too big to synthesize here, from synthesized representatives -------

def comp_quantities(e):
    """Per component: area, cells, flops (breakdown) and dynamic / leakage power at REF_ACTIVITY."""
    out = {}
    for c, b in e["breakdown"].items():
        out.setdefault(c, {}).update({"area_um2": b["area_um2"], "cells": b["cells"],
                                      "flops": b["flops"], "instances": b["instances"]})
    for c, pw in e["power_at_ref_activity"]["by_component"].items():
        out.setdefault(c, {}).update(pw)
    return out


QUANTITIES = ("area_um2", "cells", "flops", "dynamic_w", "leakage_w")


def assemble_scaled(name, top, params, config, comps, crit, crit_note, unit_kind, act, how):
    """A full unit entry (same fields as a synthesized one) from scaled per-component quantities."""
    bd = {c: {"area_um2": round(q.get("area_um2", 0.0), 3), "cells": int(round(q.get("cells", 0))),
              "flops": int(round(q.get("flops", 0))),
              "instances": int(round(q.get("instances", 0)))} for c, q in comps.items()}
    pcat = {c: {"dynamic_w": q.get("dynamic_w", 0.0), "leakage_w": q.get("leakage_w", 0.0)}
            for c, q in comps.items()}
    unit = {"kind": unit_kind, "params": params}
    e = {"top": top, "params": params, "config": config, "method": "scaled",
         "energy_method": "global_activity"}
    e.update(how)
    e.update({"area_um2": round(sum(b["area_um2"] for b in bd.values()), 3),
              "cells": sum(b["cells"] for b in bd.values()),
              "flops": sum(b["flops"] for b in bd.values()), "breakdown": bd,
              "critical_path_ns": crit, "fmax_mhz": round(1e3 / crit, 2) if crit > 0 else None,
              "critical_path_note": crit_note, "power_period_ns": how["power_period_ns"],
              "leakage_w": sum(p["leakage_w"] for p in pcat.values()),
              "power_at_ref_activity": {"activity": REF_ACTIVITY, "by_component": pcat}})
    bits = bits_of(unit_kind)
    e["energy_pj"] = {"default_activity": events(unit, pcat, how["power_period_ns"],
                                                 {b: REF_ACTIVITY for b in bits})}
    if act:
        e["measured_activity"] = {str(b): a if isinstance(a, dict) else round(a, 5)
                                  for b, a in act.items()}
        e["energy_pj"]["measured_activity"] = events(unit, pcat, how["power_period_ns"], act)
    else:
        e["measured_activity"] = "not measured: lowbit binary not found (--lowbit)"
    e["event_counters"] = event_counters(e["energy_pj"]["default_activity"])
    return e


def act_for(kind, params, lowbit, work, config):
    if not (lowbit and os.access(lowbit, os.X_OK)):
        return None
    u = {"kind": kind, "params": params, "config": config}
    return {b: measured_activity(u, b, lowbit, work)
            for b in bits_of(kind)}


# Fitted lutcore tiles: (name, small synthesized tile, N = 16 probe, config or None, FP16).
LUT_FITS = (("lutcore_m2n64k4", "lutcore_m2n8k4_pipe", "lutcore_m2n16k4_dq4_pipe", "lutcore_m2n64k4",
             1),
            ("lutcore_m2n64k4_int8", "lutcore_m2n8k4_int8", "lutcore_m2n16k4_int8_dq4", None, 0))


# The fitted tile's column count; its dequant lanes are LUT_FIT_N / 4 (16), as the probe's 4 at N 16.
LUT_FIT_N = 64


def lut_fit_quantity(comp, key, q8, q16, n):
    """lut_fit_rule for one quantity of one component: `q8` of the N = 8 tile, `q16` of the N = 16
    probe (4 dequant lanes each), fitted to N = n columns with n / 4 dequant lanes. key "instances"
    (how many instances) stays the probe's; every other quantity (area, cells, flops, power,
    energy) follows the component's rule. rtl/synth/scaling_check.py checks it at n = 32."""
    if comp in ("precompute", "table_registers") or key == "instances":
        return q16
    if comp == "dequant":
        return n / 16 * q16
    return max(0.0, q16 + (n - 16) / 8 * (q16 - q8))


def lut_fit_rule(name, small, probe, fp16):
    return (
        "%s (M2 N64 K4 g4 %s, 16 dequant lanes) is not synthesized (too big for the 2-core "
        "machine); it is fitted per component from two synthesized tiles with the same M, K, g, "
        "FP16 support: %s (N 8, 4 lanes) and the probe %s (N 16, 4 lanes). "
        "precompute and table_registers: the probe's (the same M*K/g tables of the same width are "
        "computed and stored; neither grows with N); array and registers: linear in N through the "
        "two points, q(64) = q16 + (64 - 16) / 8 * (q16 - q8) (lookups, accumulators, weight "
        "planes, stage C/D registers grow with N; counters and row sums do not); dequant: "
        "4 x the probe's (64 / 16 columns and 16 / 4 lanes: both the lanes and the M*N output "
        "accumulators grow 4x and every lane selects among the same M * N / DqLanes = 8 chunks). "
        "The same rule is applied to area, cells, flops, dynamic and leakage power of each "
        "component." % (name, "FP16" if fp16 else "INT8-only", small, probe))


def scaled_activity_events(rep, factors, col_factor):
    """Switching-activity events of a scaled PE array from its representative's simulated energy
    per cycle per component: step = sum of the step components x their factors over the run /
    x beats; dequant per element unchanged; output beat x C / 8 (a row of C multipliers)."""
    import unit_activity
    out = {}
    for b, run in sorted(rep["activity"]["per_bits"].items(), key=lambda kv: int(kv[0])):
        pc, cnt = run["pj_per_cycle_by_component"], run["counts"]
        step = (sum(sum(pc.get(c, {}).values()) * factors.get(c, 1.0)
                    for c in unit_activity.STEP_COMPONENTS)
                + sum(pc.get("dequant", {}).get(t, 0.0) for t in unit_activity.CLOCK_TERMS)
                * factors.get("dequant", 1.0)) * cnt["cycles"] / cnt["steps"]
        out["step_b" + b] = round(step, 5)
    per_bits = {b: {"counts": run["counts"], "pj_per_cycle_by_component": {
        c: {t: round(v * factors.get(c, 1.0), 6) for t, v in terms.items()}
        for c, terms in run["pj_per_cycle_by_component"].items()}}
        for b, run in rep["activity"]["per_bits"].items()}
    rm = rep["energy_pj"]["measured_activity"]
    out["dequant"] = rm["dequant"]
    out["output_beat"] = round(rm["output_beat"] * col_factor, 5)
    return {"energy_method": "switching_activity",
            "energy_pj": {"default_activity": rep["energy_pj"]["default_activity"],
                          "measured_activity": out},
            "activity": {"method": rep["activity"]["method"],
                         "note": "the representative's simulated energy per cycle per component "
                                 "x the factors (the same run's counts)",
                         "per_bits": per_bits},
            "dynamic_pj_per_cycle_by_component": {
                c: round(v * factors.get(c, 1.0), 6)
                for c, v in rep["dynamic_pj_per_cycle_by_component"].items()}}


def fitted_activity_events(small, probe):
    """Switching-activity events of the fitted M2 N64 tile (LUT_FITS) with lut_fit_rule's rule
    applied to each component's simulated energy over the run (the two tiles ran the same K
    window and planes): array and registers linear in N, precompute and table_registers the
    probe's, dequant 4x the probe's (4x the lanes, so the same energy per lane)."""
    import unit_activity

    def fit(comp, e8, e16):
        return lut_fit_quantity(comp, "energy", e8, e16, LUT_FIT_N)
    out = {"energy_method": "switching_activity", "energy_pj": {}}
    for key, ekey in (("activity", "measured_activity"),
                      ("activity_fp16", "measured_activity_fp16")):
        if key not in small or key not in probe:
            continue
        ev, per_bits = {}, {}
        # The widths both tiles were simulated at (an entry characterized before b = 5 existed
        # has no FP4 run: the fitted tile then has no FP4 events either).
        for b in sorted(set(small[key]["per_bits"]) & set(probe[key]["per_bits"]), key=int):
            r8, r16 = small[key]["per_bits"][b], probe[key]["per_bits"][b]
            cyc = r16["counts"]["cycles"]
            comps = {}
            for c in sorted(set(r8["pj_per_cycle_by_component"]) |
                            set(r16["pj_per_cycle_by_component"])):
                t8 = r8["pj_per_cycle_by_component"].get(c, {})
                t16 = r16["pj_per_cycle_by_component"].get(c, {})
                comps[c] = {t: round(fit(c, t8.get(t, 0.0) * r8["counts"]["cycles"],
                                         t16.get(t, 0.0) * cyc) / cyc, 6)
                            for t in sorted(set(t8) | set(t16))}
            counts = dict(r16["counts"])
            counts["dequants"] *= 4
            per_bits[b] = {"counts": counts, "pj_per_cycle_by_component": comps}
            clk = lambda ts: sum(comps.get("dequant", {}).get(t, 0.0) for t in ts) * cyc  # noqa
            tot = lambda cs: sum(sum(comps.get(c, {}).values()) for c in cs) * cyc  # noqa: E731
            ev["plane_b" + b] = round((tot(("array", "registers", "table_registers"))
                                       + clk(unit_activity.CLOCK_TERMS))
                                      / counts["planes"], 5)
            ev["table_b" + b] = round(tot(("precompute",)) / counts["tables"], 5)
            if b == "4":
                ev["dequant_lane"] = round(clk(unit_activity.WORK_TERMS) / counts["dequants"], 5)
        out["energy_pj"][ekey] = ev
        out[key] = {"method": probe[key]["method"], "activations": probe[key]["activations"],
                    "note": "fitted per component and term from %s and %s (rule above), "
                            "expressed per cycle of the probe's run" % (small["params"],
                                                                         probe["params"]),
                    "per_bits": per_bits}
    return out


def full_size_timing(out_dir, node, name, params):
    """The critical path of `name` synthesized whole for timing (rtl/synth/pipeline_depth.py,
    pipeline_depth_<node>.json) at the pipeline of `params`, or None when it was not run."""
    path = os.path.join(out_dir, "pipeline_depth_%s.json" % node)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        rows = json.load(f).get("units", {}).get(name, [])
    want = "DqStages %d, ArrStages %d" % (params.get("DqStages", 0), params.get("ArrStages", 0))
    hit = [r for r in rows if r.get("stages") == want]
    return (hit[0], os.path.relpath(path, ROOT)) if hit else None


def derive_scaled(units, lowbit, work, node=None, out_dir=None):
    """Entries for the configs characterized by scaling (method 'scaled'), from merged units."""
    out = {}
    for fam, rep_name in (("mixpe", "mixpe_8x8_int8"), ("mac", "mac_8x8_int8"),
                          ("bitmod", "bitmod_4x4"), ("bitmod", "bitmod_8x8")):
        rep = units.get(rep_name)
        if not rep or "scaled" not in rep:
            continue
        shape = "%dx%d" % (rep["params"]["Rows"], rep["params"]["Cols"])
        s = rep["scaled"]
        f = s["factors"]
        big = config_params(s["config"])[fam]
        # The top's own cells (buffers) stay one "instance"; everything else scales with its count.
        comps = {c: {k: v * (1.0 if (k == "instances" and c == TOP_OWN[fam]) else f.get(c, 1.0))
                     for k, v in q.items() if k in QUANTITIES + ("instances",)}
                 for c, q in comp_quantities(rep).items()}
        params = dict(rep["params"], Rows=big["rows"], Cols=big["cols"])
        # The workload has 8 rows (fewer than 64): the toggle rate per data bit of the 8x8 ports
        # stands for the 64x64 ones (same data, more lanes of the same distribution).
        act = ({int(b): a for b, a in rep["measured_activity"].items()}
               if isinstance(rep.get("measured_activity"), dict) else None)
        how = {"scaled_from": rep_name,
               "activity_note": "measured activity of the %s representative's ports" % shape,
               "rule_power_energy": "the area factors also for cells, flops, dynamic and leakage "
               "power per component; step energy = the scaled step components, dequant energy "
               "per element unchanged, output beat x C/8",
               "factors": f, "power_period_ns": rep["power_period_ns"]}
        if rep["params"].get("Systolic"):
            timing = ("of the %s representative; systolic, so every operand register drives one "
                      "PE at any size and the PE paths do not grow with R and C; what does grow "
                      "at %d x %d (the drain's R:1 row select, the control and group-parameter "
                      "nets to C columns) is not timed, and the whole 16 x 16 array closes lower at "
                      "Nangate45 (rtl/synth/scaling_check.py): not a bound for the larger array"
                      % (shape, big["rows"], big["cols"]))
        else:
            timing = ("of the %s representative; the %d x %d array's longer broadcast nets add "
                      "buffer stages (not modelled): an optimistic bound"
                      % (shape, big["rows"], big["cols"]))
        full = assemble_scaled(
            s["config"], rep["top"], params, s["config"], comps, rep["critical_path_ns"],
            timing, fam, act, how)
        full["clock_gating"] = bool(rep.get("clock_gating"))  # the representative's flow
        if rep.get("energy_method") == "switching_activity":
            full.update(scaled_activity_events(rep, f, big["cols"] / rep["params"]["Cols"]))
        # Kept inside the representative's `scaled` object (area fields as before, the rest added):
        # a top-level entry with the 64x64 top and params would read as synthesized at them.
        for k, v in full.items():
            s.setdefault(k, v)
    for name, small, probe, config, fp16 in LUT_FITS:
        a, b = units.get(small), units.get(probe)
        if not (a and b):
            continue
        qa, qb = comp_quantities(a), comp_quantities(b)
        comps = {}
        for c in sorted(set(qa) | set(qb)):  # sorted: set order varies run to run
            x, y = qa.get(c, {}), qb.get(c, {})
            comps[c] = {}
            for k in QUANTITIES + ("instances",):
                comps[c][k] = lut_fit_quantity(c, k, x.get(k, 0.0), y.get(k, 0.0), LUT_FIT_N)
        params = lutcore_rtl_params(config_params("lutcore_m2n64k4")["lutcore"])
        params["Fp16"] = fp16
        for k in ("DqStages", "ArrStages"):  # the pipeline of the tiles it is fitted from
            params.pop(k, None)
            if k in a["params"]:
                params[k] = a["params"][k]
        rule = lut_fit_rule(name, small, probe, fp16)
        how = {"scaled_from": [small, probe], "rule": rule,
               "power_period_ns": b["power_period_ns"]}
        crit = max(a["critical_path_ns"], b["critical_path_ns"])
        crit_note = ("of the slower of the two synthesized tiles it is fitted from (%s, %s: same "
                     "lane and adder structure); the table broadcast to 64 columns adds buffer "
                     "stages that are not timed: an optimistic bound" % (small, probe))
        whole = full_size_timing(out_dir, node, name, params) if (node and out_dir) else None
        if whole:
            crit = whole[0]["critical_path_ns"]
            crit_note = ("the whole tile at this size and pipeline, synthesized for timing in the "
                         "same flow (rtl/synth/pipeline_depth.py, %s; limiting net %s); area and "
                         "energy are fitted" % (whole[1], whole[0].get("critical_endpoint", "?")))
        out[name] = assemble_scaled(
            name, "lutcore_tile", params, config, comps, crit, crit_note,
            "lutcore", act_for("lutcore", params, lowbit, work, "lutcore_m2n64k4"), how)
        # Fitted from two netlists: gated only if both were (a mixed pair is said so).
        gates = {bool(a.get("clock_gating")), bool(b.get("clock_gating"))}
        out[name]["clock_gating"] = gates.pop() if len(gates) == 1 else "mixed: %s %s, %s %s" % (
            small, bool(a.get("clock_gating")), probe, bool(b.get("clock_gating")))
        if all(x.get("energy_method") == "switching_activity" for x in (a, b)):
            fa = fitted_activity_events(a, b)
            out[name]["energy_pj"].update(fa.pop("energy_pj"))
            out[name].update(fa)
        real = units.get(name)
        if real and real.get("method") == "synthesized":
            # The real tile wins; the fit is kept beside it as a check of the scaling rule.
            fit = out.pop(name)
            real["fit_check"] = {
                "rule": rule,
                "fitted": {k: fit[k] for k in ("area_um2", "cells", "flops", "leakage_w")},
                "fitted_breakdown_area_um2": {c: v["area_um2"] for c, v in fit["breakdown"].items()},
                "fitted_over_synthesized": {
                    k: round(fit[k] / real[k], 4) for k in ("area_um2", "cells", "flops",
                                                           "leakage_w") if real.get(k)}}
    return out


def tool_version(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (r.stdout + r.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown"


def node_header(node):
    n = NODES[node]
    return {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "node": node,
            "description": n["description"], "liberty": "../shared/pdk/" + n["liberty"],
            "tools": {"yosys": tool_version(["yosys", "-V"]),
                      "sta": tool_version(["sta", "-version"])},
            "flow": {"synth": "synth -top T (hierarchy kept); dfflibmap; abc -liberty -constr "
                              "(driving %s, load %g) -D %d; hilomap; insbuf; stat -json"
                              % (n["driving_cell"], n["load"], n["delay_ps"]),
                     "sta": "clock on clk_i (virtual for combinational units), input/output "
                            "delay 0, reset paths false; critical path = period - worst slack",
                     "power": "energy_method switching_activity (mixpe, mac): gate-level "
                              "simulation of workload tiles, energy from the liberty tables "
                              "(this OpenSTA crashes on propagated activity); global_activity "
                              "(the rest, and every entry's default_activity): set_power_activity "
                              "-global, dynamic power linear in activity, computed at %g and "
                              "scaled" % REF_ACTIVITY,
                     "workload": WORKLOAD,
                     "command": "/usr/bin/python3 rtl/synth/characterize.py"},
            "units_note": "energies in pJ, dynamic only; leakage_w is static power (W) to multiply "
                          "by time; areas in um^2 (cell area, no wiring or placement utilization)",
            "event_definitions": EVENT_DEFINITIONS,
            "lutcore_component_activity": LUT_COMPONENT_ACTIVITY,
            "energy_methods": ENERGY_METHODS,
            "event_counters": {k + ("<b>" if k.endswith("_b") else ""): v
                               for k, v in EVENT_COUNTERS.items() if v},
            "methods": {"synthesized": "Yosys + OpenSTA on the unit itself",
                        "scaled": "too big to synthesize here: per-component scaling of "
                                  "synthesized representatives, the rule in the entry's `rule`"},
            "units": {}}


def compare(old, new, tol):
    """Differences beyond a relative tolerance in area, cells and critical path."""
    bad = []
    for key in ("area_um2", "cells", "critical_path_ns"):
        o, n = old.get(key), new.get(key)
        if o is None or n is None or abs(n - o) > tol * max(abs(o), 1e-9):
            bad.append("%s: checked-in %s, now %s (tolerance %.0f%%)" % (key, o, n, tol * 100))
    return bad


def print_table(out):
    print("| node | unit | method | energy | area (um^2) | cells | flops | fmax (MHz) | "
          "leakage (uW) | energy per event, measured activity (pJ) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for node in NODES:
        path = os.path.join(out, node + ".json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            doc = json.load(f)
        rows = []
        for name, e in doc["units"].items():
            rows.append((name, e))
            sc = e.get("scaled")
            if isinstance(sc, dict) and "energy_pj" in sc:  # a big config scaled from this entry
                rows.append(("%s (in %s.scaled)" % (sc["config"], name), sc))
        for name, e in sorted(rows):
            en = e["energy_pj"].get("measured_activity", e["energy_pj"].get("default_activity"))
            gated = e.get("clock_gating")
            print("| %s | %s | %s | %s | %.0f | %d | %d | %.0f | %.3g | %s |" % (
                node, name, e.get("method", "synthesized") + (
                    ", gated" if gated is True else ", gated in part" if gated else ""),
                {"switching_activity": "switching"}.get(e.get("energy_method"), "global"),
                e["area_um2"], e["cells"], e["flops"], e["fmax_mhz"] or 0,
                e["leakage_w"] * 1e6, ", ".join("%s %.3g" % kv for kv in en.items())))
    return 0


def explain(out, node, name, bits):
    """Energy per MAC of a switching-activity entry, component by component and term by term
    (docs/energy-model.md): the b-bit run's energy over the run / its MACs."""
    import activity_power
    with open(os.path.join(out, node + ".json")) as f:
        units = json.load(f)["units"]
    e = units.get(name)
    if e is None:
        for u in units.values():  # a scaled 64 x 64 inside its representative
            if isinstance(u.get("scaled"), dict) and u["scaled"].get("config") == name:
                e = u["scaled"]
    if e is None or "activity" not in e:
        print("characterize: --explain %s: no switching-activity entry in %s.json" % (name, node))
        return 2
    run = e["activity"]["per_bits"].get(str(bits))
    if run is None:
        print("characterize: --bits %d: allowed %s" % (bits, ", ".join(e["activity"]["per_bits"])))
        return 2
    p, cnt = e["params"], run["counts"]
    if "steps" in cnt:
        slices = SLICES.get("bitmod" if e.get("top") == "bitmod_array" else "", 1)
        macs = p["Rows"] * p["Cols"] * cnt["steps"] // slices
        what = "per MAC (%d x %d array, %d x beats" % (p["Rows"], p["Cols"], cnt["steps"])
    else:
        macs = p["M"] * p["N"] * p["K"] * cnt["planes"] / bits
        what = "per MAC (M%d N%d K%d tile, %d planes" % (p["M"], p["N"], p["K"], cnt["planes"])
    print("%s %s, W%d: pJ %s, %d cycles)" % (node, name, bits, what, cnt["cycles"]))
    print("| component | logic | registers | clock | total |")
    print("|---|---|---|---|---|")
    tot = {"logic": 0.0, "registers": 0.0, "clock": 0.0}
    for c, t in sorted(run["pj_per_cycle_by_component"].items()):
        k = cnt["cycles"] / macs
        v = {"logic": (t["comb_internal"] + t["comb_switching"]) * k,
             "registers": (t["reg_internal"] + t["reg_switching"]) * k,
             "clock": activity_power.clock_energy(t) * k}
        for x in tot:
            tot[x] += v[x]
        print("| %s | %.4f | %.4f | %.4f | %.4f |" % (c, v["logic"], v["registers"], v["clock"],
                                                      sum(v.values())))
    print("| all | %.4f | %.4f | %.4f | %.4f |" % (tot["logic"], tot["registers"], tot["clock"],
                                                  sum(tot.values())))
    return 0


def gating_of(args, name, node):
    """Clock gating for one unit at one node: --clock-gating / --no-clock-gating, else what the
    unit's entry in the reference file (--check DIR or --out) records, so that the default
    command (and a --check) reproduces every entry with its own flow; gated for a new unit."""
    if args.clock_gating is not None:
        return args.clock_gating
    ref = os.path.join(args.check or args.out, node + ".json")
    if os.path.exists(ref):
        with open(ref) as f:
            entry = json.load(f).get("units", {}).get(name)
        if entry is not None:
            return bool(entry.get("clock_gating", False))
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", default=",".join(NODES))
    ap.add_argument("--units", default="")
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "characterize"))
    ap.add_argument("--out", default=os.path.join(HERE, "characterization"))
    ap.add_argument("--lowbit", default=os.path.join(ROOT, "build", "default", "host", "tools",
                                                     "lowbit"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--check", default="")
    ap.add_argument("--tolerance", type=float, default=0.05)
    ap.add_argument("--explain", default="", metavar="UNIT",
                    help="pJ per MAC of a switching-activity entry by component and term")
    ap.add_argument("--bits", type=int, default=4, help="weight width for --explain")
    ap.add_argument("--no-fp16-data", action="store_true",
                    help="simulate FP16-capable units on INT8 data only (half the run time)")
    gate = ap.add_mutually_exclusive_group()
    gate.add_argument("--clock-gating", dest="clock_gating", action="store_const", const=True,
                      help="put enable registers behind the liberty's integrated clock gates "
                           "(clock_gating.py) instead of hold multiplexers (default: as the "
                           "unit's entry records, gated for a unit without one)")
    gate.add_argument("--no-clock-gating", dest="clock_gating", action="store_const",
                      const=False, help="map enable registers as hold multiplexers")
    ap.add_argument("--rederive", action="store_true",
                    help="characterize nothing: rewrite the JSON header and the scaled / fitted "
                         "entries from the checked-in units")
    ap.add_argument("--table", action="store_true",
                    help="print the checked-in JSON as markdown tables (docs/energy-model.md)")
    args = ap.parse_args()
    if args.table:
        return print_table(args.out)
    if args.explain:
        return explain(args.out, args.nodes.split(",")[0], args.explain, args.bits)
    for tool in ("yosys", "sta"):
        if not shutil.which(tool):
            print("SKIPPED: %s not found (apt-get install %s)" % (
                tool, "opensta" if tool == "sta" else tool))
            return 0
    nodes = [n for n in args.nodes.split(",") if n]
    units = unit_list()
    global ACTIVITY_FP16, CLOCK_GATING
    ACTIVITY_FP16 = not args.no_fp16_data
    CLOCK_GATING = bool(args.clock_gating)
    if args.rederive:
        units = []
    elif args.units:
        want = args.units.split(",")
        unknown = [u for u in want if u not in [x["name"] for x in units]]
        if unknown:
            print("characterize: unknown unit %s; allowed: %s" % (
                unknown[0], ", ".join(x["name"] for x in units)))
            return 2
        units = [u for u in units if u["name"] in want]
    else:
        units = [u for u in units if not u.get("on_request")]
    os.makedirs(args.work, exist_ok=True)
    if args.check:  # a check re-runs the whole flow: drop the cached netlists of these units
        for u in units:
            shutil.rmtree(os.path.join(args.work, u["name"]), ignore_errors=True)
    t0 = time.time()
    results = {n: {} for n in nodes}
    errors = []
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as ex:
        # Node-major order: parallel jobs start different units (each unit's generic synthesis
        # runs once, in its first node's job; the other nodes reuse it).
        futs = {ex.submit(characterize, u, n, args.work, args.lowbit,
                          gating_of(args, u["name"], n)): (u["name"], n)
                for n in nodes for u in units}
        for f in concurrent.futures.as_completed(futs):
            name, node = futs[f]
            try:
                results[node][name] = f.result()
            except Exception as err:  # the other units are still written; exit 1 at the end
                errors.append("%s %s: %s" % (name, node, err))
                print("%-18s %-10s FAILED (%.0f s): %s" % (name, node, time.time() - t0, err),
                      flush=True)
                continue
            e = results[node][name]
            print("%-18s %-10s area %12.1f um2  cells %7d  fmax %8.1f MHz  (%.0f s)" % (
                name, node, e["area_um2"], e["cells"], e["fmax_mhz"] or 0, time.time() - t0),
                flush=True)
    failures = 0
    for node in nodes:
        ref = os.path.join(args.check or args.out, node + ".json")
        old = {}
        if os.path.exists(ref):
            with open(ref) as f:
                old = json.load(f)
        if args.check:
            for name, e in sorted(results[node].items()):
                bad = compare(old.get("units", {}).get(name, {}), e, args.tolerance)
                print("%s  %s %s%s" % ("FAIL" if bad else "PASS", node, name,
                                       "".join("\n      " + b for b in bad)))
                failures += bool(bad)
            continue
        doc = node_header(node)
        if "validation" in old:  # validate_energy.py's, kept as it is
            doc["validation"] = old["validation"]
        doc["units"] = dict(old.get("units", {}))
        doc["units"].update(results[node])
        for name, e in list(doc["units"].items()):  # entries of runs before these fields
            e.setdefault("method", "synthesized")
            e.setdefault("energy_method", "global_activity")
            e.setdefault("clock_gating", False)  # runs before the flow could gate clocks
            if "energy_pj" in e and "event_counters" not in e:
                e["event_counters"] = event_counters(e["energy_pj"]["default_activity"])
        for e in doc["units"].values():  # events from the recorded runs, with today's rules
            kind = "lutcore" if e.get("top") == "lutcore_tile" else "pe"
            for key, ekey in (("activity", "measured_activity"),
                              ("activity_fp16", "measured_activity_fp16")):
                if e.get("energy_method") == "switching_activity" and key in e:
                    import unit_activity
                    e["energy_pj"][ekey] = unit_activity.events_from_runs(
                        kind, e[key]["per_bits"])
        for name in [n for n, e in doc["units"].items() if e.get("method") == "scaled"]:
            del doc["units"][name]  # derived entries are re-derived from the merged units
        for e in doc["units"].values():
            if isinstance(e.get("scaled"), dict):  # area part only; derive_scaled adds the rest
                e["scaled"] = {k: e["scaled"][k] for k in ("config", "method", "rule", "area_um2",
                                                           "breakdown_area_um2", "factors")}
        doc["units"].update(derive_scaled(doc["units"], args.lowbit, args.work, node, args.out))
        doc["units"] = dict(sorted(doc["units"].items()))
        os.makedirs(args.out, exist_ok=True)
        with open(ref + ".tmp", "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
        os.replace(ref + ".tmp", ref)
        print("wrote " + os.path.relpath(ref, ROOT))
    print("characterize: %d unit(s) x %d node(s) in %.0f s%s" % (
        len(units), len(nodes), time.time() - t0, ", %d failed" % failures if args.check else ""))
    for err in errors:
        print("characterize: FAILED " + err)
    return 1 if failures or errors else 0


if __name__ == "__main__":
    sys.exit(main())
