"""Glue of the switching-activity power method: flat netlist, simulator, per-component energy.

characterize.py (units) and validate_energy.py (the Horowitz primitives) both use it:
flat_netlist() flattens a mapped netlist with Yosys and loads it for gatesim, component_of()
maps a flattened cell name to the unit's component (the top-level instance it sits in, or a split
of the top's own cells), energy_per_cycle() turns a simulator's toggle counts into pJ per cycle.
"""
import os
import subprocess

import activity_power
import gatesim
import liberty

METHOD = ("switching activity: zero-delay cycle simulation of the mapped netlist (rtl/synth/"
          "gatesim.py, cells from the liberty's function / ff groups) counts the toggles of every "
          "net; energy from the liberty's internal-power tables, pin capacitances and default "
          "wire-load model (rtl/synth/activity_power.py); clock net toggles twice per cycle")


def method(gated):
    """METHOD, with the clock gating the netlist was mapped with."""
    return METHOD + ("; enable registers behind integrated clock gates (rtl/synth/clock_gating."
                     "py), a gated clock toggling only in the cycles its gate is open" if gated
                     else "; no clock gating (enables as hold multiplexers)")


def library(work, node_lib_path):
    return liberty.load(node_lib_path, work)


def flat_netlist(netlist, top, lib_path, lib, work_dir):
    """Yosys-flattened BLIF of a mapped netlist (cached beside it) -> gatesim.Netlist."""
    out = os.path.splitext(netlist)[0] + ".flat.blif"
    if not (os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(netlist)):
        script = ("read_liberty -lib %s; read_verilog %s; hierarchy -top %s; flatten; "
                  "opt_clean -purge; write_blif -impltf -conn -cname %s"
                  % (lib_path, netlist, top, out + ".tmp"))
        log = os.path.splitext(netlist)[0] + ".flat.log"
        with open(log, "w") as f:
            r = subprocess.run(["yosys", "-q", "-p", script], stdout=f, stderr=subprocess.STDOUT)
        if r.returncode != 0:
            raise RuntimeError("yosys flatten failed (log %s)" % log)
        os.replace(out + ".tmp", out)
    return gatesim.Netlist(out, top, lib)


def top_instances(netlist, top, lib):
    """Instance name -> module base name of the hierarchical netlist's top-level submodules; the
    submodules of a module characterize.TRANSPARENT stands in their place ("u_drain.gen_dq[0].
    u_dq"), its own cells joining the top's."""
    import re
    import characterize
    with open(netlist) as f:
        text = f.read()
    bodies = {}
    for m in re.finditer(r"^module\s+(" + characterize.IDENT + r")\s*\(", text, re.M):
        bodies[m.group(1).strip().lstrip("\\")] = text[m.end():text.index("\nendmodule", m.end())]

    def instances(body):
        out = {}
        for m in re.finditer(r"^\s*(" + characterize.IDENT + r")\s+(" + characterize.IDENT +
                             r")\s*\(", body, re.M):
            typ, inst = m.group(1).strip(), m.group(2).strip()
            if typ not in lib.cells and typ not in ("module", "input", "output", "wire", "assign"):
                out[inst.lstrip("\\").strip()] = typ.lstrip("\\")
        return out
    tops = [b for name, b in bodies.items() if characterize.base_name(name) == top]
    if not tops:
        raise RuntimeError("no module %s in %s" % (top, netlist))
    out = {}
    for inst, typ in instances(tops[0]).items():
        if characterize.base_name(typ) in characterize.TRANSPARENT and typ in bodies:
            for sub, styp in instances(bodies[typ]).items():
                out[inst + "." + sub] = characterize.base_name(styp)
        else:
            out[inst] = characterize.base_name(typ)
    return out


def component_mapper(insts, categories, top_own, split_names):
    """cell name of the flat netlist -> component (the top-level instance's category, a split of
    the top's own cells, or the top's own category)."""
    split = {}
    for comp, names in split_names.items():
        for n in names:
            split[n.lstrip("\\")] = comp
    memo = {}

    def of(name):
        if name in memo:
            return memo[name]
        n = name[len("$flatten"):] if name.startswith("$flatten") else name
        n = n.lstrip("\\")
        comp = split.get(n)
        if comp is None:
            comp = top_own
            k = n.find(".")
            while k > 0:
                inst = n[:k]
                if inst in insts:
                    comp = categories.get(insts[inst], "other_" + insts[inst])
                    break
                k = n.find(".", k + 1)
        memo[name] = comp
        return comp
    return of


def energy_per_cycle(sim, clock_port, driving_cell, port_load, component_of):
    """{component: {term: pJ per cycle}} from a simulator's toggle counts."""
    nl = sim.nl
    clock = set(nl.ports[clock_port][1]) if clock_port else set()
    by = activity_power.cell_energies(nl, sim.toggle_rate(), clock, driving_cell, port_load,
                                      component_of, gated=set(sim.gates))
    return {c: {k: v * 1e12 for k, v in t.items()} for c, t in by.items()}
