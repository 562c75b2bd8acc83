"""Energy per event of a characterized unit from gate-level simulation of real workload tiles.

characterize.py calls events_from_activity() per unit and node: the mapped netlist is flattened,
simulated on the workload layer (characterize.WORKLOAD) with the unit's own activation type, every
net's toggles are counted and turned into energy per cycle per component (activity_flow), and each
event gets the energy of the components it stands for over the run, divided by its count:

- mixpe / mac / bitmod: step_b<b> = (pe_array + row_converters + weight_dequant + control + buffers) over
  the run / x beats; dequant = dequant / dequantized elements (R x C per group); output_beat =
  output_scale / output rows.
- lutcore: plane_b<b> = (array + registers + table_registers) / bit-planes walked; table_b<b> =
  precompute / tables built; dequant_lane = dequant / lanes dequantized (M x N per group).
The dequant units' free-running clock energy (activity_power's `clock` terms: flops without an
enable, the clock gates' clock pins) is paid every cycle and goes with the per-cycle event (step,
plane); their logic, register data and gated clock energy (`gated_clock`: the flops behind a
clock gate, which load only for valid elements) with the dequant event, so a dequantizer that
works once per group costs that energy once per group. Without clock gating (enables as hold
multiplexers) every dequant flop is on the free-running clock.
"""
import numpy as np

import activity_flow
import fp4_stimulus as fp4
import gatesim
import lutcore_stimulus
import pe_array_stimulus

SIM_WORDS = 1          # 64 lanes
SIM_K = 256            # K steps per lane tile (2 groups of 128)
STEP_COMPONENTS = ("pe_array", "row_converters", "weight_dequant", "control", "buffers")
TERMS = ("comb_internal", "comb_switching", "reg_internal", "reg_switching", "clock_internal",
         "clock_switching", "gated_clock_internal", "gated_clock_switching")


PLANE_COMPONENTS = ("array", "registers", "table_registers")


EVENT_SOURCES = {
    "lutcore": {
        "plane_b<b>": "(%s) energy over the run / bit-planes walked, b-bit weights"
                      % " + ".join(PLANE_COMPONENTS),
        "table_b<b>": "precompute energy over the run / tables built",
        "dequant_lane": "dequant energy over the b = 4 run / lanes dequantized"},
    "pe": {
        "step_b<b>": "(%s) energy over the run / x beats, b-bit weights"
                     % " + ".join(STEP_COMPONENTS),
        "dequant": "dequant energy over the b = 4 run / dequantized elements",
        "output_beat": "output_scale energy over the b = 4 run / output rows"},
}
EVENT_SOURCES["mixpe"] = EVENT_SOURCES["mac"] = EVENT_SOURCES["bitmod"] = EVENT_SOURCES["pe"]
# x beats per K step (characterize.SLICES): BitMoD streams every K step as two 2-bit slices.
SLICES = {"bitmod": 2}


# The free-running clock (paid every cycle) and every other term (paid when the component works:
# data, and the clock behind its clock gates).
CLOCK_TERMS = ("clock_internal", "clock_switching")
WORK_TERMS = tuple(t for t in TERMS if t not in CLOCK_TERMS)


def _total(per_cycle, counts, comps, terms=TERMS):
    return sum(sum(per_cycle.get(c, {}).get(t, 0.0) for t in terms)
               for c in comps) * counts["cycles"]


def _events_pe(per_cycle, counts):
    # The dequant units' free-running clock is paid every cycle: it goes with the step.
    return {"step": (_total(per_cycle, counts, STEP_COMPONENTS)
                     + _total(per_cycle, counts, ("dequant",), CLOCK_TERMS)) / counts["steps"],
            "dequant": _total(per_cycle, counts, ("dequant",), WORK_TERMS) / counts["dequants"],
            "output_beat": _total(per_cycle, counts, ("output_scale",)) / counts["output_beats"]}


def _events_lut(per_cycle, counts):
    # The dequant's free-running clock (ungated: its FP32 accumulators) goes with the plane
    # cycles; a lane dequantized costs its logic, register data and gated clock energy.
    return {"plane": (_total(per_cycle, counts, PLANE_COMPONENTS)
                      + _total(per_cycle, counts, ("dequant",), CLOCK_TERMS)) / counts["planes"],
            "table": _total(per_cycle, counts, ("precompute",)) / counts["tables"],
            "dequant_lane": _total(per_cycle, counts, ("dequant",), WORK_TERMS)
            / counts["dequants"]}


def events_from_runs(kind, per_bits):
    """Event energies (pJ) from the recorded runs (activity.per_bits): what the flow writes as
    energy_pj.measured_activity; characterize.py recomputes them from the JSON on every write."""
    out = {}
    for b in sorted(per_bits, key=int):
        pc, cnt = per_bits[b]["pj_per_cycle_by_component"], per_bits[b]["counts"]
        if kind == "lutcore":
            ev = _events_lut(pc, cnt)
            out["plane_b" + b] = round(ev["plane"], 5)
            out["table_b" + b] = round(ev["table"], 5)
            if b == "4":
                out["dequant_lane"] = round(ev["dequant_lane"], 5)
        else:
            ev = _events_pe(pc, cnt)
            out["step_b" + b] = round(ev["step"], 5)
            if b == "4":
                out["dequant"] = round(ev["dequant"], 5)
                out["output_beat"] = round(ev["output_beat"], 5)
    return out


def events_from_activity(unit, node_cfg, netlist, lib_path, lib, work, dump, categories, top_own,
                         split_names, bits_list, log=None, acts=None):
    """{"energy_pj": {event: pJ}, "activity": {...how, per b...}} for a mixpe / mac unit.
    dump(bits, acts) -> (A, codes, scales, zeros) arrays of the workload layer."""
    kind_name = unit["kind"]
    if kind_name not in ("mixpe", "mac", "bitmod", "lutcore"):
        raise ValueError("no switching-activity stimulus for unit kind %s" % kind_name)
    p = unit["params"]
    fp16 = int(p["Fp16"])
    acts = acts or ("fp16" if fp16 else "int8")
    nl = activity_flow.flat_netlist(netlist, unit["top"], lib_path, lib, work)
    insts = activity_flow.top_instances(netlist, unit["top"], lib)
    comp_of = activity_flow.component_mapper(insts, categories, top_own, split_names)
    group = 128
    fp16_data = int(acts == "fp16")
    # FP16 data: act_scale 2^-24 (mixpe, the fixed-point shift) or 1.0 (mac) as the compiler
    # sends; INT8: 1/64 per row (the dump has no activation scale; any normal value works).
    scale = {("mixpe", 1): 0x33800000, ("bitmod", 1): 0x33800000,
             ("mac", 1): 0x3F800000}.get((kind_name, fp16_data), 0x3C800000)
    out_e, per_bits = {}, {}
    for b in bits_list:
        a, codes, scales, zeros = dump(b, acts)
        # BitMoD ignores the kind; its group bytes (the dump's zeros) are the datatype ids. FP4
        # (b = 5): the pins the drivers send for fp4_e2m1 (fp4_stimulus).
        wkind = pe_array_stimulus.KIND[fp4.KIND if fp4.is_fp4(b) else
                                       "binary" if b == 1 else "unsigned"]
        sim = gatesim.Simulator(nl, "clk_i", SIM_WORDS)
        if kind_name == "lutcore":
            rows = p["M"]
            blocks = lutcore_stimulus.lane_blocks(a, codes, scales, zeros, p["M"], p["N"], SIM_K,
                                                  group, SIM_WORDS)
            counts = lutcore_stimulus.run(sim, p, fp16_data, wkind, b, SIM_K, group, *blocks,
                                          np.full(rows, scale, dtype=np.int64))
        else:
            rows, cols = p["Rows"], p["Cols"]
            tiles = pe_array_stimulus.lane_tiles(a, codes, scales, zeros, rows, cols, SIM_K,
                                                 group, SIM_WORDS)
            counts = pe_array_stimulus.run(sim, rows, cols, fp16_data, wkind, b, SIM_K, group,
                                           *tiles, np.full(rows, scale, dtype=np.int64),
                                           slices=SLICES.get(kind_name, 1))
        pc = activity_flow.energy_per_cycle(sim, "clk_i", node_cfg["driving_cell"],
                                            node_cfg["load"], comp_of)
        if kind_name == "lutcore":
            ev = _events_lut(pc, counts)
            out_e["plane_b%d" % b] = round(ev["plane"], 5)
            out_e["table_b%d" % b] = round(ev["table"], 5)
            if b == 4:
                out_e["dequant_lane"] = round(ev["dequant_lane"], 5)
        else:
            ev = _events_pe(pc, counts)
            out_e["step_b%d" % b] = round(ev["step"], 5)
            if b == 4:
                out_e["dequant"] = round(ev["dequant"], 5)
                out_e["output_beat"] = round(ev["output_beat"], 5)
        per_bits[str(b)] = {
            "counts": counts,
            "mean_net_toggle_rate": round(float(sim.toggle_rate()[2:].mean()), 5),
            "pj_per_cycle_by_component": {c: {t: round(v, 6) for t, v in terms.items()}
                                          for c, terms in sorted(pc.items())}}
        if log:
            log("%s %s b%d: %s (%d cycles, toggle rate %.4f)" % (
                unit["name"], acts, b, ", ".join("%s %.3f pJ" % kv for kv in ev.items()),
                counts["cycles"], per_bits[str(b)]["mean_net_toggle_rate"]))
    return {"energy_pj": out_e, "activity": {
        "method": activity_flow.method(bool(sim.gates)),
        "activations": acts,
        "stimulus": "the header's workload layer with %s activations: %d lanes, each one output "
                    "tile / block of the unit's shape over K %d (group 128) from a different "
                    "column tile, row tile or K window, after reset; weights %s"
                    % (acts.upper(), 64 * SIM_WORDS, SIM_K,
                       "bitmod_w<b> (per-group datatypes), each K step as two slice beats"
                       if kind_name == "bitmod" else
                       "binary (b = 1) or uint<b> with zero points"
                       + (", b = 5: fp4_e2m1 codes (FP16 scales, codec pin %d) %s"
                          % (fp4.WFP_PIN, {"lutcore": "walked as the 5 planes of 2v + 16",
                                           "mixpe": "shifted and added as the 5 bits of 2v + 16",
                                           "mac": "dequantized to the integer 2v"}[kind_name])
                          if str(fp4.BITS) in per_bits else "")),
        "event_sources": EVENT_SOURCES[kind_name],
        "per_bits": per_bits}}
