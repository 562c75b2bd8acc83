#!/usr/bin/python3
"""Checks the scaling rules of the configs too big to synthesize against a whole synthesis.

Usage (from the repository root): /usr/bin/python3 rtl/synth/scaling_check.py
    [--units mac,mixpe,lutcore] [--node nangate45] [--work build/scaling_check]
    [--out rtl/synth/characterization] [--table] [--check-band]

mixpe_64x64 and mac_64x64 are not synthesized here (docs/energy-model.md, "64 x 64 arrays"): their
area and energy are the 8 x 8 INT8 representative's components times per-component factors
(characterize.py's scale_area: pe_array and buffers x R*C/64, row_converters x R/8, dequant,
weight_dequant and output_scale x C/8, control x 1), and their fmax is the representative's.
This script synthesizes the representative (8 x 8) and the same array at 16 x 16 (every other
parameter of the 64 x 64 config, as characterize.py's representative) whole, with the
characterization flow (Yosys 0.23 synth + dfflibmap + abc, OpenSTA, ports at 0 delay), applies the
rule from 8 x 8 to 16 x 16 and writes the error of the rule per component and in total (area,
flops) and of the fmax to <out>/scaling_check_<node>.json. --table prints that JSON as the markdown
table of docs/energy-model.md; --check-band fails (exit 1) if the total area or flop error leaves
BAND. A missing yosys or sta prints "SKIPPED: <reason>" and exits 0.

lutcore: lutcore_m2n64k4 (the default tile) is fitted per component from the synthesized N = 8
tile and the N = 16 probe (characterize.py's lut_fit_quantity, the rule in its entry). This script
takes those two entries from <out>/<node>.json, applies the same rule to N = 32 (8 dequant lanes,
the probe's other parameters) and compares it with that tile synthesized whole.
"""
import argparse
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import characterize as ch  # noqa: E402  (the flow: templates, synthesis, STA)
import pipeline_depth as pd  # noqa: E402  (sta_critical: worst path and its endpoint)

SCHEMA = "lowbit.scaling_check"
SCHEMA_VERSION = 1
SIZES = (8, 16)
# The stated error of the scaling rule on total area and flops (docs/energy-model.md).
BAND = 0.10


def unit_at(fam, size):
    big = ch.config_params(fam + "_64x64")[fam]
    return {"name": "%s_%dx%d_int8" % (fam, size, size), "top": fam + "_array", "kind": fam,
            "params": dict(ch.rtl_params(fam, big), Rows=size, Cols=size),
            "scaled_to": {"config": "%s_%dx%d" % (fam, size, size), "rows": size, "cols": size}}


LUT_PROBES = ("lutcore_m2n8k4_pipe", "lutcore_m2n16k4_dq4_pipe")
LUT_CHECK_N = 32


def lut_unit_at(n):
    """The N = 16 probe of the default tile (characterize.py's unit list) at N = n columns and
    n / 4 dequant lanes, as the fitted N = 64 tile has 16."""
    probe = [u for u in ch.unit_list() if u["name"] == LUT_PROBES[1]][0]
    params = dict(probe["params"], N=n, DqLanes=n // 4)
    return {"name": "lutcore_m2n%dk4_dq%d_pipe" % (n, n // 4), "top": "lutcore_tile",
            "kind": "lutcore", "params": params}


def synthesize(unit, node, work):
    netlist, stat = ch.synth_map(unit, node, work)
    n = ch.NODES[node]
    lib = ch.liberty(work, node)
    split = ch.top_split_cells(unit, netlist, lib, n["flop_regex"])
    area = ch.area_report(stat, unit["top"], unit["kind"], n["flop_regex"], lib, split)
    crit, endpoint = pd.sta_critical(unit, node, netlist, work)
    area["critical_path_ns"] = round(crit, 4)
    area["fmax_mhz"] = round(1e3 / crit, 2)
    area["critical_endpoint"] = endpoint
    return area


def compare(fam, small, big):
    """The rule applied from `small` (8 x 8) to 16 x 16 against the synthesized `big`."""
    rep = unit_at(fam, SIZES[0])
    rep["scaled_to"] = {"config": "%s_%dx%d" % (fam, SIZES[1], SIZES[1]), "rows": SIZES[1],
                        "cols": SIZES[1]}
    scaled = ch.scale_area(rep, small)
    f = scaled["factors"]
    comps = {}
    for c in sorted(set(small["breakdown"]) | set(big["breakdown"])):
        s = small["breakdown"].get(c, {"area_um2": 0.0, "flops": 0})
        b = big["breakdown"].get(c, {"area_um2": 0.0, "flops": 0})
        pa = s["area_um2"] * f.get(c, 1.0)
        pf = s["flops"] * f.get(c, 1.0)
        comps[c] = {"factor": f.get(c, 1.0), "predicted_area_um2": round(pa, 1),
                    "synthesized_area_um2": round(b["area_um2"], 1),
                    "area_error": round(pa / b["area_um2"] - 1, 4) if b["area_um2"] else None,
                    "predicted_flops": round(pf), "synthesized_flops": b["flops"]}
    pred_flops = sum(v["predicted_flops"] for v in comps.values())
    return {
        "rule": scaled["rule"],
        "components": comps,
        "area_um2": {"predicted": scaled["area_um2"], "synthesized": big["area_um2"],
                     "error": round(scaled["area_um2"] / big["area_um2"] - 1, 4)},
        "flops": {"predicted": pred_flops, "synthesized": big["flops"],
                  "error": round(pred_flops / big["flops"] - 1, 4)},
        "fmax_mhz": {"predicted": small["fmax_mhz"], "synthesized": big["fmax_mhz"],
                     "error": round(small["fmax_mhz"] / big["fmax_mhz"] - 1, 4),
                     "endpoint_8x8": small["critical_endpoint"],
                     "endpoint_16x16": big["critical_endpoint"]},
    }


def lut_compare(small, probe, big, n):
    """lut_fit_quantity from the N = 8 tile and the N = 16 probe to N = n against `big`."""
    comps = {}
    for c in sorted(set(small["breakdown"]) | set(probe["breakdown"]) | set(big["breakdown"])):
        s, p, b = (x["breakdown"].get(c, {"area_um2": 0.0, "flops": 0})
                   for x in (small, probe, big))
        pa = ch.lut_fit_quantity(c, "area_um2", s["area_um2"], p["area_um2"], n)
        pf = ch.lut_fit_quantity(c, "flops", s["flops"], p["flops"], n)
        comps[c] = {"rule": "N 16 probe's" if c in ("precompute", "table_registers") else
                    "x %g of the probe's" % (n / 16) if c == "dequant" else "linear in N",
                    "predicted_area_um2": round(pa, 1),
                    "synthesized_area_um2": round(b["area_um2"], 1),
                    "area_error": round(pa / b["area_um2"] - 1, 4) if b["area_um2"] else None,
                    "predicted_flops": round(pf), "synthesized_flops": b["flops"]}
    pa = sum(v["predicted_area_um2"] for v in comps.values())
    pf = sum(v["predicted_flops"] for v in comps.values())
    slow = min(small["fmax_mhz"], probe["fmax_mhz"])
    return {
        "rule": ch.lut_fit_rule("lutcore_m2n64k4", LUT_PROBES[0], LUT_PROBES[1], 1),
        "from": "N 8 and N 16", "to": "N %d" % n,
        "components": comps,
        "area_um2": {"predicted": round(pa, 1), "synthesized": big["area_um2"],
                     "error": round(pa / big["area_um2"] - 1, 4)},
        "flops": {"predicted": pf, "synthesized": big["flops"],
                  "error": round(pf / big["flops"] - 1, 4)},
        "fmax_mhz": {"predicted": slow, "synthesized": big["fmax_mhz"],
                     "error": round(slow / big["fmax_mhz"] - 1, 4),
                     "endpoint_%d" % n: big["critical_endpoint"]},
    }


def table(path):
    with open(path) as f:
        doc = json.load(f)
    print("| checked unit | quantity | the rule's prediction (from) | synthesized | error |")
    print("|---|---|---|---|---|")
    for fam, r in sorted(doc["units"].items()):
        c = r["comparison"]
        name = r.get("checked", "%s_16x16_int8" % fam)
        src = c.get("from", "8 x 8")
        for q, fmt in (("area_um2", "{:,.0f}"), ("flops", "{:,}"), ("fmax_mhz", "{:.1f}")):
            v = c[q]
            print("| %s | %s | %s (%s) | %s | %+.1f%% |" % (
                name, q, fmt.format(v["predicted"]), src, fmt.format(v["synthesized"]),
                100 * v["error"]))
        for comp, v in c["components"].items():
            if v["area_error"] is None:
                continue
            how = v["rule"] if "rule" in v else "x %g" % v["factor"]
            print("| %s | area of %s (%s) | %s | %s | %+.1f%% |" % (
                name, comp, how, "{:,.0f}".format(v["predicted_area_um2"]),
                "{:,.0f}".format(v["synthesized_area_um2"]), 100 * v["area_error"]))


def check_band(path):
    with open(path) as f:
        doc = json.load(f)
    bad = []
    for fam, r in sorted(doc["units"].items()):
        for q in ("area_um2", "flops"):
            e = r["comparison"][q]["error"]
            if abs(e) > BAND:
                bad.append("%s %s: rule error %+.1f%% is outside +-%.0f%%" % (
                    fam, q, 100 * e, 100 * BAND))
            else:
                print("PASS  %s %s: rule error %+.1f%% (band +-%.0f%%)" % (
                    fam, q, 100 * e, 100 * BAND))
    for b in bad:
        print("OUT OF BAND: " + b)
    if not doc["units"]:
        print("OUT OF BAND: no array checked")
        return 1
    return 1 if bad else 0


def check_lutcore(node, work, out_dir, t0):
    """The fitted default tile's rule at N = LUT_CHECK_N against its whole synthesis."""
    with open(os.path.join(out_dir, "%s.json" % node)) as f:
        entries = json.load(f)["units"]
    small, probe = (entries[n] for n in LUT_PROBES)
    u = lut_unit_at(LUT_CHECK_N)
    big = synthesize(u, node, work)
    print("%-26s %10.0f um^2 %7d flops %7.1f MHz  (%.0f s)" % (
        u["name"], big["area_um2"], big["flops"], big["fmax_mhz"], time.time() - t0), flush=True)
    return {"checked": u["name"], "params": u["params"],
            "fitted_from": {n: {k: entries[n][k] for k in ("params", "area_um2", "flops",
                                                            "fmax_mhz")} for n in LUT_PROBES},
            "synthesized": {u["name"]: {k: big[k] for k in (
                "area_um2", "cells", "flops", "critical_path_ns", "fmax_mhz",
                "critical_endpoint")}},
            "comparison": lut_compare(small, probe, big, LUT_CHECK_N)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", default="mac,mixpe,lutcore")
    ap.add_argument("--node", default="nangate45")
    ap.add_argument("--work", default=os.path.join(ch.ROOT, "build", "scaling_check"))
    ap.add_argument("--out", default=os.path.join(ch.HERE, "characterization"))
    ap.add_argument("--table", action="store_true")
    ap.add_argument("--check-band", action="store_true")
    args = ap.parse_args()
    out = os.path.join(args.out, "scaling_check_%s.json" % args.node)
    if args.table:
        table(out)
        return 0
    if args.check_band:
        return check_band(out)
    for tool in ("yosys", "sta"):
        if shutil.which(tool) is None:
            print("SKIPPED: %s not found (apt-get install yosys opensta)" % tool)
            return 0
    result = {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "node": args.node,
              "liberty": ch.NODES[args.node]["liberty"],
              "flow": "characterize.py's synth_generic / synth_map (Yosys 0.23, abc -D %d) and "
                      "OpenSTA, input / output delay 0" % ch.NODES[args.node]["delay_ps"],
              "command": "/usr/bin/python3 rtl/synth/scaling_check.py", "band": BAND,
              "units": {}}
    if os.path.exists(out):  # keep the arrays not named in --units
        with open(out) as f:
            result["units"] = json.load(f)["units"]
    t0 = time.time()
    for fam in filter(None, args.units.split(",")):
        if fam == "lutcore":
            result["units"][fam] = check_lutcore(args.node, args.work, args.out, t0)
            continue
        syn = {}
        for size in SIZES:
            u = unit_at(fam, size)
            syn[size] = synthesize(u, args.node, args.work)
            print("%-18s %10.0f um^2 %7d flops %7.1f MHz  (%.0f s)" % (
                u["name"], syn[size]["area_um2"], syn[size]["flops"], syn[size]["fmax_mhz"],
                time.time() - t0), flush=True)
        result["units"][fam] = {
            "checked": "%s_%dx%d_int8" % (fam, SIZES[1], SIZES[1]),
            "params": unit_at(fam, SIZES[0])["params"],
            "synthesized": {"%dx%d" % (s, s): {k: syn[s][k] for k in (
                "area_um2", "cells", "flops", "critical_path_ns", "fmax_mhz",
                "critical_endpoint")} for s in SIZES},
            "comparison": compare(fam, syn[SIZES[0]], syn[SIZES[1]])}
    ch.write_json(out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
