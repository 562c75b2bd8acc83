"""Drives a gate-level mixpe_array / mac_array with real workload tiles through its handshake.

Stimulus: the layer of characterize.WORKLOAD dumped by `lowbit run -b golden --dump` (activations
INT8 or FP16 as the unit computes, b-bit weight codes, FP16 group scales, zero points). Lane j of
the bit-parallel simulation runs one output tile: the unit's R rows, column tile j % (N / C) and
the K window (j // (N / C)) * k .. + k, so every lane has the same tile command and the same
handshake timing (checked every cycle) and different data. The testbench offers every pending
t / g / x beat at once and keeps o_ready high, as the compiler's schedule streams a GEMM.
"""
import numpy as np

import fp4_stimulus as fp4
import gatesim

KIND = {"binary": 0, "ternary": 1, "signed": 2, "unsigned": 3}  # model/formats/weight_kind.h


def _bits_matrix(fields, width):
    """(..., lanes, n) ints -> (..., lanes, n * width) 0/1, field i at bits i*width.."""
    f = np.asarray(fields, dtype=np.uint64)
    sh = np.arange(width, dtype=np.uint64)
    b = (f[..., None] >> sh) & np.uint64(1)
    return b.reshape(f.shape[:-1] + (f.shape[-1] * width,))


def _pack(bits):
    """(..., lanes, nbits) 0/1 -> (..., nbits, words) uint64, lane j in bit j % 64 of word j//64."""
    b = np.asarray(bits, dtype=np.uint64)
    lanes = b.shape[-2]
    words = lanes // 64
    b = np.swapaxes(b, -1, -2)  # (..., nbits, lanes)
    b = b.reshape(b.shape[:-1] + (words, 64))
    return (b << np.arange(64, dtype=np.uint64)).sum(axis=-1, dtype=np.uint64)


def lane_tiles(a, codes, scales, zeros, rows, cols, k, group, words):
    """Per-lane tiles of a dumped layer: act [lanes][k][rows], codes [lanes][k][cols],
    scales / zeros [lanes][groups][cols]."""
    lanes = 64 * words
    ctiles = codes.shape[0] // cols
    windows = a.shape[1] // k
    if ctiles * windows < lanes or a.shape[0] < rows:
        raise ValueError("layer %s too small for %d lanes of %d x %d x k%d tiles"
                         % (a.shape, lanes, rows, cols, k))
    act, cod, sc, ze = [], [], [], []
    for j in range(lanes):
        n0, k0 = (j % ctiles) * cols, (j // ctiles) * k
        act.append(a[:rows, k0:k0 + k].T)
        cod.append(codes[n0:n0 + cols, k0:k0 + k].T)
        g0 = k0 // group
        sc.append(scales[n0:n0 + cols, g0:g0 + k // group].T)
        ze.append(zeros[n0:n0 + cols, g0:g0 + k // group].T)
    return np.array(act), np.array(cod), np.array(sc), np.array(ze)


def run(sim, rows, cols, fp16, kind, bits, k, group, act, codes, scales, zeros, act_scale_bits,
        slices=1):
    """Resets the unit, streams one tile per lane, returns the event counts per lane:
    {"cycles", "steps", "dequants", "output_beats"} (cycles counted from the end of reset; steps
    counts x beats). bits = fp4.BITS: FP4 E2M1 codes (t_wfp_i = 1, t_kind_i / t_bits_i as the driver
    sends them for fp4_e2m1). slices: x beats per K step (bitmod_array: 2, each step's activations and
    codes sent once per slice, the tile's K and group lengths counted in beats)."""
    words = sim.words
    lanes = 64 * words
    groups = k // group
    const = lambda v, w: gatesim.pack_lanes(np.full(lanes, v, dtype=np.int64), w, words)  # noqa
    x_act = _pack(_bits_matrix(np.swapaxes(act, 0, 1), 16))      # (k, rows*16, words)
    x_w = _pack(_bits_matrix(np.swapaxes(codes, 0, 1), 8))       # (k, cols*8, words)
    g_scale = _pack(_bits_matrix(np.swapaxes(scales, 0, 1), 16))  # (groups, cols*16, words)
    g_zero = _pack(_bits_matrix(np.swapaxes(zeros, 0, 1), 8))
    t_scale = _pack(_bits_matrix(np.tile(act_scale_bits, (lanes, 1)), 32))
    zero1 = const(0, 1)
    sim.set_port("rst_ni", zero1)
    for name, w in (("t_valid_i", 1), ("g_valid_i", 1), ("x_valid_i", 1), ("o_ready_i", 1)):
        sim.set_port(name, const(0, w))
    for _ in range(3):
        sim.step(count=False)
    sim.set_port("rst_ni", const(1, 1))
    sim.set_port("o_ready_i", const(1, 1))
    sim.set_port("t_fp16_i", const(int(fp16), 1))
    sim.set_port("t_kind_i", const(kind, 2))
    sim.set_port("t_bits_i", const(fp4.PIN_BITS if fp4.is_fp4(bits) else bits, 4))
    if "t_wfp_i" in sim.nl.ports:  # mixpe / mac (bitmod has no codec pin and no FP4)
        sim.set_port("t_wfp_i", const(fp4.WFP_PIN if fp4.is_fp4(bits) else 0, 2))
    sim.set_port("t_k_i", const(k * slices, 16))
    sim.set_port("t_group_i", const(group * slices, 16))
    sim.set_port("t_act_scale_i", t_scale)
    t_left, g_next, x_next = 1, 0, 0
    out_beats = 0
    cycles = 0
    beats = k * slices
    limit = 4 * (beats + groups * (rows + 2) + 2 * rows) + 100

    def one(port):
        v = sim.get_port(port)[0]
        if v.any() and not (v == ~np.uint64(0)).all():
            raise RuntimeError("lanes disagree on %s: the tiles do not share one schedule" % port)
        return bool(v[0] & np.uint64(1))

    while out_beats < rows:
        sim.set_port("t_valid_i", const(int(t_left > 0), 1))
        sim.set_port("g_valid_i", const(int(g_next < groups), 1))
        sim.set_port("x_valid_i", const(int(x_next < beats), 1))
        if g_next < groups:
            sim.set_port("g_scale_i", g_scale[g_next])
            sim.set_port("g_zero_i", g_zero[g_next])
        if x_next < beats:
            sim.set_port("x_act_i", x_act[x_next // slices])
            sim.set_port("x_w_i", x_w[x_next // slices])
        sim.step(count=True)
        cycles += 1
        if t_left and one("t_ready_o"):
            t_left = 0
        if g_next < groups and one("g_ready_o"):
            g_next += 1
        if x_next < beats and one("x_ready_o"):
            x_next += 1
        if one("o_valid_o"):
            out_beats += 1
        if cycles > limit:
            raise RuntimeError("tile did not finish in %d cycles (x %d/%d, out %d/%d)"
                               % (limit, x_next, beats, out_beats, rows))
    return {"cycles": sim.cycles, "steps": beats, "dequants": rows * cols * groups,
            "output_beats": rows}
