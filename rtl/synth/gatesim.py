"""Cycle-based, zero-delay simulation of a mapped gate-level netlist that counts toggles per net.

The netlist is Yosys' flattened JSON of the liberty-mapped design (write_json after flatten); each
cell is evaluated from its liberty `function` (combinational outputs) or `ff` group (flip-flops,
rising edge, asynchronous clear / preset). 64 * words independent stimulus lanes run bit-parallel
in numpy uint64 words: every net is one row of `words` words, lane j in bit j % 64 of word j // 64.
Per cycle: drive the input ports, settle the combinational cells in topological order, count the
nets that changed since the last cycle (functional toggles: zero delay, so glitches are not seen),
then clock every flop. The clock net itself is not simulated: it toggles twice per cycle.
Integrated clock gates (liberty clock_gating_integrated_cell latch_posedge, clock_gating.py) on
the clock: a flop on a gated clock loads only in the lanes where the gate's enable is 1 at the
end of the cycle (the ICG's latch holds the enable while the clock is low), and the gated clock
net toggles twice in those lanes and cycles, not at all in the others.
"""
import json
import re

import numpy as np

_POP16 = np.array([bin(i).count("1") for i in range(1 << 16)], dtype=np.uint8)


def popcount_rows(x):
    """Set bits per row of a (n, words) uint64 array."""
    return _POP16[x.view(np.uint16)].reshape(x.shape[0], -1).sum(axis=1, dtype=np.int64)


def _fn_to_python(fn, pins):
    """Liberty function ("!(A1 & A2)", "A B'", "(A^B)+C") -> python expression over numpy words."""
    toks = re.findall(r"[A-Za-z_][A-Za-z0-9_\[\]]*|[01]|[!'&*|+^()]", fn)
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else None

    def take():
        pos[0] += 1
        return toks[pos[0] - 1]

    def primary():
        t = take()
        if t == "!":
            e = "(~%s)" % primary()
        elif t == "(":
            e = expr_or()
            take()
        elif t == "0":
            e = "ZERO"
        elif t == "1":
            e = "ONES"
        else:
            if t not in pins:
                raise ValueError("function %r names unknown pin %s" % (fn, t))
            e = "p[%d]" % pins.index(t)
        while peek() == "'":
            take()
            e = "(~%s)" % e
        return e

    def expr_and():
        e = primary()
        while peek() is not None and peek() not in ("|", "+", "^", ")"):
            if peek() in ("&", "*"):
                take()
            e = "(%s & %s)" % (e, primary())
        return e

    def expr_xor():
        e = expr_and()
        while peek() == "^":
            take()
            e = "(%s ^ %s)" % (e, expr_and())
        return e

    def expr_or():
        e = expr_xor()
        while peek() in ("|", "+"):
            take()
            e = "(%s | %s)" % (e, expr_xor())
        return e

    out = expr_or()
    if pos[0] != len(toks):
        raise ValueError("cannot parse liberty function %r" % fn)
    return out


class Netlist:
    """Flat netlist: nets 0 (constant 0) and 1 (constant 1), then every other net. Read from
    Yosys' `write_blif -impltf -conn -cname` (compact, fast) or `write_json`."""

    def __init__(self, path, top, lib):
        if path.endswith(".blif"):
            self._read_blif(path, lib)
            return
        json_path = path
        with open(json_path) as f:
            doc = json.load(f)
        mod = doc["modules"][top]
        ids = {"0": 0, "1": 1, "x": 0, "z": 0}
        self.n = 2

        def net(b):
            if isinstance(b, str):
                return ids[b]
            if b not in ids:
                ids[b] = self.n
                self.n += 1
            return ids[b]

        self.ports = {}  # name -> (direction, [net ids, LSB first])
        for name, p in mod["ports"].items():
            self.ports[name] = (p["direction"], [net(b) for b in p["bits"]])
        self.names = {}  # net id -> a name (shortest hdlname) for reports
        for name, nn in mod["netnames"].items():
            for k, b in enumerate(nn["bits"]):
                i = net(b)
                label = name if len(nn["bits"]) == 1 else "%s[%d]" % (name, k)
                if i >= 2 and (i not in self.names or len(label) < len(self.names[i])):
                    self.names[i] = label
        self.cells = []  # (name, type, {pin: net})
        for cname, c in mod["cells"].items():
            if c["type"] not in lib.cells:
                raise ValueError("cell %s of type %s is not in the liberty" % (cname, c["type"]))
            conns = {}
            for pin, bits in c["connections"].items():
                if len(bits) != 1:
                    raise ValueError("cell %s pin %s is %d bits wide" % (cname, pin, len(bits)))
                conns[pin] = net(bits[0])
            self.cells.append((cname, c["type"], conns))
        self.lib = lib


    def _read_blif(self, path, lib):
        with open(path) as f:
            text = f.read().replace("\\\n", " ")
        alias = {}

        def find(x):
            while alias.get(x, x) != x:
                x = alias[x]
            return x
        lines = text.splitlines()
        for ln in lines:
            if ln.startswith(".conn "):
                _, a, b = ln.split()
                ra, rb = find(a), find(b)
                if ra != rb:
                    alias[rb] = ra
        ids = {"$false": 0, "$true": 1, "$undef": 0}
        self.n = 2

        def net(name):
            r = find(name)
            if r not in ids:
                ids[r] = self.n
                self.n += 1
            return ids[r]
        self.ports, self.cells, self.names = {}, [], {}
        port_bits = {}
        pending = None
        for ln in lines:
            if ln.startswith(".inputs ") or ln.startswith(".outputs "):
                d = "input" if ln.startswith(".inputs") else "output"
                for b in ln.split()[1:]:
                    m = re.match(r"^(.*)\[(\d+)\]$", b)
                    base, idx = (m.group(1), int(m.group(2))) if m else (b, 0)
                    port_bits.setdefault(base, (d, {}))[1][idx] = net(b)
            elif ln.startswith(".subckt "):
                if pending:
                    self.cells.append(pending)
                parts = ln.split()
                typ = parts[1]
                if typ not in lib.cells:
                    raise ValueError("cell type %s is not in the liberty" % typ)
                conns = {}
                for pc in parts[2:]:
                    pin, _, nm = pc.partition("=")
                    conns[pin] = net(nm)
                pending = ["_%d" % len(self.cells), typ, conns]
            elif ln.startswith(".cname ") and pending:
                pending[0] = ln[len(".cname "):].strip()
        if pending:
            self.cells.append(pending)
        self.cells = [tuple(c) for c in self.cells]
        for base, (d, bits) in port_bits.items():
            self.ports[base] = (d, [bits[i] for i in sorted(bits)])
        for name, i in ids.items():
            if i >= 2:
                self.names[i] = name
        self.lib = lib


class Simulator:
    """Bit-parallel simulation of a Netlist with per-net toggle counters."""

    def __init__(self, nl, clock_port, words=1):
        self.nl, self.words = nl, words
        lib = nl.lib
        clock = set(nl.ports[clock_port][1]) if clock_port else set()
        self.driver = {}          # net -> (cell index, pin)
        self.flops = []           # (cell index, d, clear fn, preset fn, q nets, qn nets)
        self.gates = {}           # gated clock net -> [enable nets] of its ICG
        comb = []
        for ci, (name, typ, conns) in enumerate(nl.cells):
            icg = lib.cells[typ].icg
            if icg:
                ck, ens, gck = icg
                if conns.get(ck) not in clock:
                    raise ValueError("clock gate %s is not clocked by %s" % (name, clock_port))
                if gck in conns:
                    self.gates[conns[gck]] = [conns.get(e, 0) for e in ens]
        for ci, (name, typ, conns) in enumerate(nl.cells):
            cell = lib.cells[typ]
            for o in cell.outputs:
                if o in conns:
                    self.driver[conns[o]] = (ci, o)
            if cell.icg:
                continue
            if cell.ff:
                state, state_n, nxt, clk, clear, preset = cell.ff
                if clk not in conns or (conns[clk] not in clock and conns[clk] not in self.gates):
                    raise ValueError("flop %s is not clocked by %s or a clock gate on it"
                                     % (name, clock_port))
                if nxt not in cell.inputs:
                    raise ValueError("flop %s: next_state %r is not a pin" % (name, nxt))
                q = [conns[o] for o in cell.outputs if o in conns and cell.function.get(o) == state]
                qn = [conns[o] for o in cell.outputs
                      if o in conns and state_n and cell.function.get(o) == state_n]
                self.flops.append((ci, conns[nxt], self._pin_fn(cell, clear, conns),
                                   self._pin_fn(cell, preset, conns), q, qn, conns[clk]))
            elif cell.latch:
                raise ValueError("latch %s (%s): not simulated" % (name, typ))
            else:
                comb.append(ci)
        # Levelize the combinational cells (Kahn): level = 1 + max level of the cells driving them.
        comb_cells = set(comb)
        level = {}
        fanout = {}
        indeg = {}
        for ci in comb:
            typ, conns = nl.cells[ci][1], nl.cells[ci][2]
            deps = set()
            for p in lib.cells[typ].inputs:
                if p in conns:
                    d = self.driver.get(conns[p])
                    if d and d[0] in comb_cells:
                        deps.add(d[0])
            indeg[ci] = len(deps)
            for d in deps:
                fanout.setdefault(d, []).append(ci)
        ready = [ci for ci in comb if indeg[ci] == 0]
        for ci in ready:
            level[ci] = 0
        k = 0
        while k < len(ready):
            ci = ready[k]
            k += 1
            for f in fanout.get(ci, []):
                level[f] = max(level.get(f, 0), level[ci] + 1)
                indeg[f] -= 1
                if indeg[f] == 0:
                    ready.append(f)
        if len(ready) != len(comb):
            raise ValueError("combinational loop: %d cells not levelized" % (len(comb) - len(ready)))
        # Groups of (level, type, output pin): one vectorized evaluation each.
        groups = {}
        for ci in comb:
            typ, conns = nl.cells[ci][1], nl.cells[ci][2]
            for o, fn in lib.cells[typ].function.items():
                if o in conns:
                    groups.setdefault((level[ci], typ, o), []).append(ci)
        self.plan = []
        for (lv, typ, o), cis in sorted(groups.items(), key=lambda kv: kv[0]):
            cell = lib.cells[typ]
            pins = cell.inputs
            code = compile(_fn_to_python(cell.function[o], pins), typ + "." + o, "eval")
            idx = [np.array([nl.cells[ci][2].get(p, 0) for ci in cis], dtype=np.int64)
                   for p in pins]
            out = np.array([nl.cells[ci][2][o] for ci in cis], dtype=np.int64)
            self.plan.append((code, idx, out))
        self.vals = np.zeros((nl.n, words), dtype=np.uint64)
        self.vals[1] = ~np.uint64(0)
        self.prev = None
        self.toggles = np.zeros(nl.n, dtype=np.int64)
        self.cycles = 0
        self.state = np.zeros((len(self.flops), words), dtype=np.uint64)
        self._d = np.array([f[1] for f in self.flops], dtype=np.int64)
        qs = [(n, k) for k, f in enumerate(self.flops) for n in f[4]]
        qns = [(n, k) for k, f in enumerate(self.flops) for n in f[5]]
        self._q = (np.array([n for n, _ in qs], dtype=np.int64),
                   np.array([k for _, k in qs], dtype=np.int64))
        self._qn = (np.array([n for n, _ in qns], dtype=np.int64),
                    np.array([k for _, k in qns], dtype=np.int64))
        # Asynchronous clear / preset, grouped by cell type: (code, pin net arrays, flops, clear?).
        agroups = {}
        for k, f in enumerate(self.flops):
            for which, a in ((True, f[2]), (False, f[3])):
                if a is not None:
                    key = (nl.cells[f[0]][1], which)
                    agroups.setdefault(key, (a[0], [], []))
                    agroups[key][1].append(a[1])
                    agroups[key][2].append(k)
        self._async = [(code, np.array(nets, dtype=np.int64).T, np.array(ks, dtype=np.int64),
                        which) for (_, which), (code, nets, ks) in sorted(
                            agroups.items(), key=lambda kv: (kv[0][0], kv[0][1]))]
        # Gated flops: per gated clock, its enable nets and the flops it clocks.
        self._gated = []
        for g, ens in sorted(self.gates.items()):
            ks = np.array([k for k, f in enumerate(self.flops) if f[6] == g], dtype=np.int64)
            self._gated.append((g, np.array(ens, dtype=np.int64), ks))

    @staticmethod
    def _pin_fn(cell, fn, conns):
        if not fn:
            return None
        return (compile(_fn_to_python(fn, cell.inputs), "async", "eval"),
                [conns.get(p, 0) for p in cell.inputs])

    def set_port(self, name, lanes):
        """Drive an input port: lanes is an int array (lanes,) of port values, or a uint64 array
        (width, words) of bit-packed values already."""
        bits = self.nl.ports[name][1]
        v = np.asarray(lanes)
        if v.dtype == np.uint64 and v.ndim == 2:
            self.vals[bits] = v
            return
        self.vals[bits] = pack_lanes(v, len(bits), self.words)

    def get_port(self, name):
        """(width, words) uint64 bit-packed values of a port."""
        return self.vals[self.nl.ports[name][1]].copy()

    def _settle(self):
        consts = {"ZERO": np.uint64(0), "ONES": ~np.uint64(0)}
        v = self.vals
        for code, idx, out in self.plan:
            v[out] = eval(code, consts, {"p": [v[i] for i in idx]})

    def step(self, count=True):
        """One clock cycle with the ports as driven: settle, count toggles, clock the flops."""
        v = self.vals
        v[self._q[0]] = self.state[self._q[1]]
        v[self._qn[0]] = ~self.state[self._qn[1]]
        self._settle()
        if count and self.prev is not None:
            self.toggles += popcount_rows(v ^ self.prev)
            self.cycles += 1
        self.prev = v.copy()
        nxt = v[self._d]
        for g, ens, ks in self._gated:
            open_ = np.bitwise_or.reduce(v[ens], axis=0)  # lanes whose gate passes this edge
            if count and self.prev is not None:
                self.toggles[g] += 2 * int(popcount_rows(open_[None, :])[0])
            if len(ks):
                nxt[ks] = (nxt[ks] & open_) | (self.state[ks] & ~open_)
        consts = {"ZERO": np.uint64(0), "ONES": ~np.uint64(0)}
        for code, nets, ks, clear in self._async:
            a = eval(code, consts, {"p": [v[n] for n in nets]})
            if clear:
                nxt[ks] &= ~a
            else:
                nxt[ks] |= a
        self.state = nxt

    def toggle_rate(self):
        """Toggles per net per cycle per lane."""
        return self.toggles / max(1, self.cycles * 64 * self.words)


def pack_lanes(values, width, words):
    """(lanes,) ints -> (width, words) uint64, lane j in bit j % 64 of word j // 64."""
    v = np.asarray(values, dtype=object if width > 63 else np.int64)
    lanes = 64 * words
    if len(v) != lanes:
        raise ValueError("%d lane values for %d lanes" % (len(v), lanes))
    out = np.zeros((width, words), dtype=np.uint64)
    for b in range(width):
        bits = np.array([(int(x) >> b) & 1 for x in v], dtype=np.uint64) if v.dtype == object \
            else ((v >> b) & 1).astype(np.uint64)
        w = bits.reshape(words, 64)
        out[b] = (w << np.arange(64, dtype=np.uint64)).sum(axis=1, dtype=np.uint64)
    return out


def unpack_lanes(packed):
    """(width, words) uint64 -> (lanes,) python ints."""
    width, words = packed.shape
    out = [0] * (64 * words)
    for b in range(width):
        for w in range(words):
            x = int(packed[b, w])
            for j in range(64):
                if (x >> j) & 1:
                    out[w * 64 + j] |= 1 << b
    return out
