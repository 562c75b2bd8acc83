"""Clock gating in the open flow: every register with an enable gets its clock through an
integrated clock-gate cell (ICG) of the liberty instead of a hold multiplexer.

Yosys 0.23 has no clock-gating pass, so the flow (characterize.synth_map) does it in three steps:

1. techmap (map_verilog()): each enable flip-flop of the generic netlist ($_DFFE_*, $_SDFFE_*,
   $_SDFFCE_*, positive clock) becomes the same flip-flop without enable, clocked by the gated
   clock of an ICG whose enable is the flop's (inverted when active low; for $_SDFFE_, whose
   synchronous reset overrides the enable, the ICG opens on enable or reset);
2. `opt_merge` (the enables' inverters / ORs), then `opt_merge -share_all` on the ICG cells only:
   the ICGs with the same inputs in a module merge, so one ICG serves every flop of an enable, the
   way a synthesis tool shares a gate per register bank;
3. size() after mapping: each ICG gets the smallest drive of the liberty's ICG family whose
   fanout limit covers the flops it clocks (FANOUT_PER_DRIVE flops per unit of drive; a real flow
   would also build a clock tree, which this flow does not do for any clock net).

Flops without an enable (free-running pipeline registers) stay on the ungated clock. The ICGs'
own energy (clock pin every cycle, gated clock net when open) is counted as clock energy
(activity_power.py); gatesim.py clocks a gated flop only in the lanes and cycles its ICG is open.
"""
import json
import os
import re

import yosys_stat

# Flops one unit of ICG drive (X1) is allowed to clock before the next size is used.
FANOUT_PER_DRIVE = 16


def icg_family(lib):
    """[(cell, clock pin, enable pin, gated clock pin, drive)] of the liberty's plain (no test
    pin) latch-based ICGs, smallest first; drive is the cell's _X<n> / _<n> suffix."""
    out = []
    for name, c in lib.cells.items():
        icg = getattr(c, "icg", None)
        if icg and len(icg[1]) == 1:
            m = re.search(r"_X?(\d+)$", name)
            out.append((name, icg[0], icg[1][0], icg[2], int(m.group(1)) if m else 1))
    out.sort(key=lambda t: (t[4], lib.cells[t[0]].area))
    return out


def _flop_variants():
    """(cell type, enable polarity, sync-reset kind, reset polarity, reset value, async ports)
    of every positive-clock enable flop the generic netlist can hold."""
    out = []
    for e in "PN":
        out.append(("$_DFFE_P%s_" % e, e, None, None, None, ""))
        for r in "PN":
            for v in "01":
                out.append(("$_DFFE_P%s%s%s_" % (r, v, e), e, None, None, None, "R"))
                out.append(("$_SDFFE_P%s%s%s_" % (r, v, e), e, "srst", r, v, ""))
                out.append(("$_SDFFCE_P%s%s%s_" % (r, v, e), e, "ce", r, v, ""))
        for s in "PN":
            for r in "PN":
                out.append(("$_DFFSRE_P%s%s%s_" % (s, r, e), e, None, None, None, "SR"))
    return out


def map_verilog(icg):
    """Techmap rules (Verilog) replacing every enable flop by an ungated flop behind `icg`."""
    cell, ck, en, gck = icg[:4]
    mods = []
    for k, (typ, epol, sync, rpol, rval, asyn) in enumerate(_flop_variants()):
        ports = ["C", "D", "E"] + (["R"] if asyn == "R" or sync else []) + \
            (["S", "R"] if asyn == "SR" else [])
        body = ["  wire gck, en;"]
        enable = "E" if epol == "P" else "~E"
        if sync == "srst":  # the reset overrides the enable: the clock must run for it too
            enable = "(%s) | %s" % (enable, "R" if rpol == "P" else "~R")
        body.append("  assign en = %s;" % enable)
        body.append("  \\%s icg (.%s(C), .%s(en), .%s(gck));" % (cell, ck, en, gck))
        if sync:
            plain = "$_SDFF_P%s%s_" % (rpol, rval)
            conn = ".C(gck), .D(D), .R(R), .Q(Q)"
        elif asyn == "R":
            plain = "$_DFF_P%s_" % typ[len("$_DFFE_P"):len("$_DFFE_P") + 2]
            conn = ".C(gck), .D(D), .R(R), .Q(Q)"
        elif asyn == "SR":
            plain = "$_DFFSR_P%s_" % typ[len("$_DFFSRE_P"):len("$_DFFSRE_P") + 2]
            conn = ".C(gck), .D(D), .S(S), .R(R), .Q(Q)"
        else:
            plain = "$_DFF_P_"
            conn = ".C(gck), .D(D), .Q(Q)"
        body.append("  \\%s ff (%s);" % (plain, conn))
        decl = ", ".join("input %s" % p for p in dict.fromkeys(ports)) + ", output Q"
        mods.append('(* techmap_celltype = "%s" *)\nmodule lb_cg_%d (%s);\n%s\nendmodule\n'
                    % (typ, k, decl, "\n".join(body)))
    return "\n".join(mods)


def stub_verilog(icg):
    """A blackbox of the ICG cell with its pin directions (so opt_merge may share instances)."""
    cell, ck, en, gck = icg[:4]
    return ("(* blackbox *)\nmodule %s (input %s, input %s, output %s);\nendmodule\n"
            % (cell, ck, en, gck))


def yosys_commands(lib, out_dir):
    """The synth_map lines that gate the clocks (writes the map and stub files to out_dir), or
    "" when the liberty has no plain ICG."""
    fam = icg_family(lib)
    if not fam:
        return ""
    smallest = fam[0]
    stub = os.path.join(out_dir, "icg_stub.v")
    cmap = os.path.join(out_dir, "icg_map.v")
    for path, text in ((stub, stub_verilog(smallest)), (cmap, map_verilog(smallest))):
        with open(path, "w") as f:
            f.write(text)
    # The map's enable logic (an inverter for an active-low enable, an OR with a synchronous
    # reset) comes out of techmap as word-level $not / $or cells, which abc leaves unmapped:
    # simplemap makes them gates (the rest of the generic netlist is gates already). opt_merge
    # then shares the enables' inverters / ORs, and -share_all only the ICGs: over the whole
    # design it would also merge submodule instances with equal inputs (registers a design
    # duplicates per column to bound fanout), which is not clock gating.
    return ("read_verilog -lib %s\ntechmap -map %s\nsimplemap\nopt_merge\n"
            "opt_merge -share_all t:%s\nopt_clean\n" % (stub, cmap, smallest[0]))


_INST = re.compile(r"^\s*(\\?\S+)\s+(\\?\S+)\s*\((.*?)\);", re.M | re.S)
_PIN = re.compile(r"\.(\w+)\(\s*([^()]*?)\s*\)")


def size(netlist, lib, stat_path):
    """Rewrites the mapped Verilog netlist and its Yosys `stat -json` in place: each ICG instance
    gets the smallest drive of its family with drive x FANOUT_PER_DRIVE >= the flops on its gated
    clock (the largest drive otherwise). Returns, counted per module definition (not per
    instance), {"icgs": n, "gated_flops": n, "fanout_max": n, "by_cell": {cell: n}}."""
    fam = icg_family(lib)
    names = {f[0]: f for f in fam}
    with open(netlist) as f:
        text = f.read()
    stats = {"icgs": 0, "gated_flops": 0, "fanout_max": 0, "by_cell": {}}
    out = []
    changes = []
    pos = 0
    for m in re.finditer(r"^module\s.*?^endmodule", text, re.M | re.S):
        body = m.group(0)
        insts = [(im, im.group(1).lstrip("\\"), dict(_PIN.findall(im.group(3))))
                 for im in _INST.finditer(body)]
        loads = {}
        for _, typ, pins in insts:
            if typ in lib.cells and lib.cells[typ].ff:
                clk = lib.cells[typ].ff[3]
                if clk in pins:
                    loads[pins[clk]] = loads.get(pins[clk], 0) + 1
        edits = []
        for im, typ, pins in insts:
            if typ not in names:
                continue
            fan = loads.get(pins.get(names[typ][3]), 0)
            pick = next((f for f in fam if f[4] * FANOUT_PER_DRIVE >= fan), fam[-1])
            stats["icgs"] += 1
            stats["gated_flops"] += fan
            stats["fanout_max"] = max(stats["fanout_max"], fan)
            stats["by_cell"][pick[0]] = stats["by_cell"].get(pick[0], 0) + 1
            if pick[0] != typ:
                s, e = im.span(1)
                edits.append((s, e, pick[0]))
        mod = re.match(r"module\s+(\\\S+|[^\s(]+)", body).group(1).lstrip("\\")
        for s, e, new in reversed(edits):
            old = body[s:e].lstrip("\\")
            body = body[:s] + new + body[e:]
            changes.append((mod, old, new))
        out.append(text[pos:m.start()])
        out.append(body)
        pos = m.end()
    out.append(text[pos:])
    with open(netlist + ".tmp", "w") as f:
        f.write("".join(out))
    os.replace(netlist + ".tmp", netlist)
    doc = yosys_stat.read(stat_path)
    mods = {k.lstrip("\\"): v for k, v in doc["modules"].items()}
    for mod, old, new in changes:
        by = mods[mod]["num_cells_by_type"]
        key = old if old in by else "\\" + old
        by[key] -= 1
        if not by[key]:
            del by[key]
        by[new] = by.get(new, 0) + 1
    with open(stat_path + ".tmp", "w") as f:
        json.dump(doc, f, indent=1)
    os.replace(stat_path + ".tmp", stat_path)
    return stats
