"""Dynamic energy per cycle from per-net toggle rates and the liberty's own tables.

Why not OpenSTA: this OpenSTA (Debian 0~20191111) segfaults in report_power whenever activity has
to be propagated, so per-net rates from simulation cannot go through it; the same quantities are
computed here from the liberty directly, the way OpenSTA's report_power does:

- internal energy of an output pin per toggle: the mean of its internal_power rise/fall tables
  (over related pins and `when` states) at the input slew and the pin's load;
- internal energy of an input pin per toggle (a flop's CK and D, for instance): its tables at the
  net's slew;
- switching energy per toggle of a net: C V^2 / 2 with C = the fanout's pin capacitances + the
  default wire-load model's wire capacitance for that fanout (+ the port load on output ports),
  charged to the cell that drives the net;
- slews: the driver's rise/fall transition tables at the net's load (input ports: the node's
  driving cell), one level deep (the driver's own input slew is the driving cell's), capped at
  the library's default_max_transition (a placed design buffers high-fanout nets to meet it);
  the clock net has the driving cell's nominal slew (a clock tree would deliver one).

Clock gates (clock_gating.py): a gated clock net toggles at the rate the simulation counted (twice
in the cycles its gate is open). What only toggles when the gate is open (the ICG's gated output,
the gated net's switching and the CK pins of the flops on it) is `gated_clock`; the ICG's clock
and enable pins, which see the free-running clock and the enable, are `clock` with the ungated
flops' CK pins and the clock net. The two are apart so that a unit's per-cycle and per-work
energy can be told apart (unit_activity.py: a gated dequantizer's clock follows its work).
The clock is not simulated: its net toggles twice per cycle; the flops' CK pin internal energy and
the clock net's switching energy (CK pin capacitances + wire load, no clock tree buffers: the flow
does no clock tree synthesis) are reported as `clock`, apart from the registers' data energy.
Checked against OpenSTA at one global activity (energy_check in validate_energy.py).
"""
import numpy as np


def _mean_lookup(tables, slew, load):
    return sum(t.lookup(slew, load) for t in tables) / len(tables) if tables else 0.0


def cell_energies(nl, rate, clock_nets, driving_cell, port_load, component_of, gated=()):
    """Energy per cycle (J) per component, split into internal / switching for the datapath
    (combinational cells), the registers (flop data pins and Q nets) and the clock.

    rate: toggles per cycle per net (array indexed by net id); clock nets toggle twice; gated:
    the gated clock nets (their rate is the measured one).
    component_of(cell name) -> component name. Returns {component: {term: joules per cycle}}
    with terms comb_internal, comb_switching, reg_internal, reg_switching, clock_internal,
    clock_switching (the free-running clock) and gated_clock_internal, gated_clock_switching
    (behind clock gates).
    """
    lib = nl.lib
    cap_f = lib.cap_to_f
    v2 = lib.voltage ** 2
    fanout = np.zeros(nl.n, dtype=np.int64)
    pin_cap = np.zeros(nl.n)
    for _, typ, conns in nl.cells:
        cell = lib.cells[typ]
        for p in cell.inputs:
            if p in conns and conns[p] >= 2:
                fanout[conns[p]] += 1
                pin_cap[conns[p]] += cell.cap.get(p, 0.0)
    load = pin_cap.copy()
    for i in range(2, nl.n):
        if fanout[i]:
            load[i] += lib.wire_capacitance(int(fanout[i]))
    for name, (d, bits) in nl.ports.items():
        if d == "output":
            for b in bits:
                load[b] += port_load
    # Slews: input ports and clock from the driving cell; cell outputs from their tables.
    drv = lib.cells[driving_cell]
    drv_out = drv.outputs[0]
    nominal = _mean_lookup(drv.out_slew.get(drv_out, []), 0.0, 2 * drv.cap[drv.inputs[0]])
    slew = np.full(nl.n, nominal)
    for name, (d, bits) in nl.ports.items():
        if d == "input":
            for b in bits:
                slew[b] = _mean_lookup(drv.out_slew.get(drv_out, []), nominal, load[b])
    for _, typ, conns in nl.cells:
        cell = lib.cells[typ]
        for o in cell.outputs:
            if o in conns and o in cell.out_slew:
                slew[conns[o]] = _mean_lookup(cell.out_slew[o], nominal, load[conns[o]])
    np.minimum(slew, lib.max_transition, out=slew)
    for c in clock_nets:
        slew[c] = nominal
    r = np.asarray(rate, dtype=float).copy()
    for c in clock_nets:
        r[c] = 2.0
    gated = set(gated)
    clocks = set(clock_nets) | gated
    out = {}
    for name, typ, conns in nl.cells:
        cell = lib.cells[typ]
        comp = out.setdefault(component_of(name), {
            "comb_internal": 0.0, "comb_switching": 0.0, "reg_internal": 0.0,
            "reg_switching": 0.0, "clock_internal": 0.0, "clock_switching": 0.0,
            "gated_clock_internal": 0.0, "gated_clock_switching": 0.0})
        reg = cell.ff is not None
        icg = getattr(cell, "icg", None) is not None
        in_slews = [slew[conns[p]] for p in cell.inputs if p in conns]
        s_in = sum(in_slews) / len(in_slews) if in_slews else nominal
        for o in cell.outputs:
            if o not in conns or conns[o] < 2:
                continue
            n = conns[o]
            # internal_power tables are energies in (capacitance unit) x (voltage unit)^2.
            e_int = r[n] * _mean_lookup(cell.out_power.get(o, []), s_in, load[n]) * cap_f
            e_sw = r[n] * 0.5 * load[n] * cap_f * v2
            if icg or n in clocks:  # the gated clock: its switching is added below, per sink
                comp["gated_clock_internal" if n in gated else "clock_internal"] += e_int
                continue
            comp["reg_internal" if reg else "comb_internal"] += e_int
            comp["reg_switching" if reg else "comb_switching"] += e_sw
        for p, tables in cell.pin_power.items():
            if p not in conns or conns[p] < 2:
                continue
            n = conns[p]
            e = r[n] * _mean_lookup(tables, slew[n], 0.0) * cap_f
            if n in gated:  # a CK pin behind a clock gate
                comp["gated_clock_internal"] += e
            elif n in clocks or icg:
                comp["clock_internal"] += e
            else:
                comp["reg_internal" if reg else "comb_internal"] += e
    # The clock nets' own switching (pins + wire), charged to the components by their clock pins:
    # r[c] / 2 x C V^2 per cycle (twice per cycle for the clock, as measured for a gated one).
    sinks = {}
    for name, typ, conns in nl.cells:
        cell = lib.cells[typ]
        for p in cell.inputs:
            c = conns.get(p)
            if c in clocks and fanout[c]:
                sinks.setdefault(c, []).append((name, cell.cap.get(p, 0.0)))
    for c, pins in sinks.items():
        wire = load[c] - pin_cap[c]
        for name, cap in pins:
            share = (cap + wire / fanout[c]) * cap_f * v2 * r[c] / 2.0
            out[component_of(name)]["gated_clock_switching" if c in gated
                                    else "clock_switching"] += share
    return out


CLOCK_TERMS = ("clock_internal", "clock_switching", "gated_clock_internal",
               "gated_clock_switching")


def clock_energy(terms):
    """A component's clock energy from its terms: free-running and behind clock gates."""
    return sum(terms.get(t, 0.0) for t in CLOCK_TERMS)


def totals(by_comp):
    """Sum of every term over the components."""
    t = {}
    for terms in by_comp.values():
        for k, v in terms.items():
            t[k] = t.get(k, 0.0) + v
    return t
