"""Drives a gate-level lutcore_tile with real workload blocks through its input stream.

Stimulus: the layer of characterize.WORKLOAD dumped by `lowbit run -b golden --dump`. Lane j of the
bit-parallel simulation computes one output block: rows of row tile (j // C) % R, columns of column
tile j % C (C = N_layer / N, R = M_layer / M) over the K window j // (C * R), in beats of M x K
activations and N x K b-bit codes (bit-planes in in_w_i), the group's scales and zero points held
on the ports during the group, every beat building its tables (no reuse: each lane is its own
block). Every lane has the same configuration and handshake timing (checked every cycle).
"""
import numpy as np

import fp4_stimulus as fp4
import pe_array_stimulus as pes


def lane_blocks(a, codes, scales, zeros, m, n, k_win, group, words):
    """Per-lane blocks: act [lanes][m][k_win], codes [lanes][n][k_win], scales / zeros
    [lanes][n][k_win / group]."""
    lanes = 64 * words
    ct, rt, kw = codes.shape[0] // n, a.shape[0] // m, a.shape[1] // k_win
    if ct * rt * kw < lanes:
        raise ValueError("layer %s too small for %d lanes of %d x %d x k%d blocks"
                         % (a.shape, lanes, m, n, k_win))
    act, cod, sc, ze = [], [], [], []
    for j in range(lanes):
        n0, m0, k0 = (j % ct) * n, ((j // ct) % rt) * m, (j // (ct * rt)) * k_win
        g0 = k0 // group
        act.append(a[m0:m0 + m, k0:k0 + k_win])
        cod.append(codes[n0:n0 + n, k0:k0 + k_win])
        sc.append(scales[n0:n0 + n, g0:g0 + k_win // group])
        ze.append(zeros[n0:n0 + n, g0:g0 + k_win // group])
    return np.array(act), np.array(cod), np.array(sc), np.array(ze)


def run(sim, p, fp16, kind, bits, k_win, group, act, codes, scales, zeros, act_scale_bits):
    """Resets the tile, streams one block per lane, returns event counts per lane: cycles, planes
    (beats x b), tables (beats x M*K/G), dequants (M*N lanes per group), blocks. bits = 5: FP4
    E2M1 codes with FP16 scales (fp4_stimulus: cfg_wfp_i = 1 and cfg_kind_i / cfg_bits_i as the
    driver sends them; the tile then ignores the two)."""
    code_bits = fp4.code_bits(bits)
    m, n, k, g = p["M"], p["N"], p["K"], p["G"]
    words = sim.words
    lanes = 64 * words
    beats = k_win // k
    groups = k_win // group
    const = lambda v, w: pes._pack(np.array(  # noqa: E731
        [[(v >> i) & 1 for i in range(w)]] * lanes, dtype=np.uint64))
    # Beat t: activations (i*K + l)*16, weight bit p of (j, l) at (p*N + j)*K + l.
    a_beats = act.reshape(lanes, m, beats, k).transpose(2, 0, 1, 3).reshape(beats, lanes, m * k)
    in_act = pes._pack(pes._bits_matrix(a_beats, 16))
    c_beats = codes.reshape(lanes, n, beats, k).transpose(2, 0, 1, 3)  # (beats, lanes, n, k)
    planes = np.stack([(c_beats >> q) & 1 if q < code_bits else np.zeros_like(c_beats)
                       for q in range(4)], axis=2)                     # (beats, lanes, 4, n, k)
    in_w = pes._pack(planes.reshape(beats, lanes, 4 * n * k))
    in_scale = pes._pack(pes._bits_matrix(np.swapaxes(scales, 1, 2).swapaxes(0, 1), 16))
    in_zero = pes._pack(pes._bits_matrix(np.swapaxes(zeros, 1, 2).swapaxes(0, 1), 8))
    in_as = pes._pack(pes._bits_matrix(np.tile(act_scale_bits, (lanes, 1)), 32))
    sim.set_port("rst_ni", const(0, 1))
    for name in ("in_valid_i", "out_ready_i", "in_reuse_table_i"):
        sim.set_port(name, const(0, 1))
    for _ in range(3):
        sim.step(count=False)
    sim.set_port("rst_ni", const(1, 1))
    sim.set_port("out_ready_i", const(1, 1))
    sim.set_port("cfg_act_fp16_i", const(int(fp16), 1))
    sim.set_port("cfg_kind_i", const(kind, 2))
    sim.set_port("cfg_bits_i", const(fp4.PIN_BITS if fp4.is_fp4(bits) else bits, 3))
    sim.set_port("cfg_wfp_i", const(fp4.WFP_PIN if fp4.is_fp4(bits) else 0, 2))
    sim.set_port("cfg_group_tiles_i", const(group // k, 16))
    sim.set_port("cfg_groups_i", const(groups, 16))
    sim.set_port("in_act_scale_i", in_as)

    def one(port):
        v = sim.get_port(port)[0]
        if v.any() and not (v == ~np.uint64(0)).all():
            raise RuntimeError("lanes disagree on %s: the blocks do not share one schedule" % port)
        return bool(v[0] & np.uint64(1))

    nxt, done, cycles = 0, False, 0
    limit = 4 * (beats * bits + groups * (m * n) + 16) + 100
    while not done:
        sim.set_port("in_valid_i", const(int(nxt < beats), 1))
        if nxt < beats:
            sim.set_port("in_act_i", in_act[nxt])
            sim.set_port("in_w_i", in_w[nxt])
            gi = nxt // (group // k)
            sim.set_port("in_scale_i", in_scale[gi])
            sim.set_port("in_zero_i", in_zero[gi])
        sim.step(count=True)
        cycles += 1
        if nxt < beats and one("in_ready_o"):
            nxt += 1
        done = one("out_valid_o")
        if cycles > limit:
            raise RuntimeError("block did not finish in %d cycles (beats %d/%d)"
                               % (limit, nxt, beats))
    return {"cycles": sim.cycles, "planes": beats * bits, "tables": beats * m * k // g,
            "dequants": m * n * groups, "blocks": 1}
