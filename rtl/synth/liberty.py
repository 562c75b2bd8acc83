"""Reads the parts of a liberty file that gate-level simulation and power need.

Per cell: area, pin directions and capacitances, output functions, the flip-flop (ff group),
internal-power tables (energy per transition) and output transition tables; per library: nominal
voltage, capacitance unit, the default wire-load model. Tables are looked up by bilinear
interpolation with linear extrapolation beyond the index range (OpenSTA does the same).
"""
import os
import pickle
import re

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z0-9_.+\-!\[\]\']+|[(){}:;,]')


class Group:
    """One liberty group: `kind (args) { attrs; children }`."""
    __slots__ = ("kind", "args", "attrs", "children")

    def __init__(self, kind, args):
        self.kind, self.args, self.attrs, self.children = kind, args, {}, []

    def groups(self, kind):
        return [g for g in self.children if g.kind == kind]

    def attr(self, name, default=None):
        v = self.attrs.get(name)
        return v[0] if v else default


def _unquote(t):
    return t[1:-1] if t.startswith('"') else t


def parse(text):
    """Liberty text -> the library Group."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S).replace("\\\n", " ")
    toks = _TOKEN.findall(text)
    root = Group("root", [])
    stack = [root]
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        if t == "}":
            stack.pop()
            i += 1
            continue
        if t == ";":
            i += 1
            continue
        name = t
        if i + 1 < n and toks[i + 1] == ":":  # simple attribute
            j = i + 2
            vals = []
            while j < n and toks[j] not in (";", "}") and not (
                    j + 1 < n and toks[j + 1] == ":" and j > i + 2):
                vals.append(_unquote(toks[j]))
                j += 1
            stack[-1].attrs.setdefault(name, []).append(" ".join(vals))
            i = j
            continue
        if i + 1 < n and toks[i + 1] == "(":
            j = i + 2
            args = []
            while toks[j] != ")":
                if toks[j] != ",":
                    args.append(_unquote(toks[j]))
                j += 1
            j += 1
            if j < n and toks[j] == "{":
                g = Group(name, args)
                stack[-1].children.append(g)
                stack.append(g)
                i = j + 1
            else:  # complex attribute: name (args) ;
                stack[-1].attrs.setdefault(name, []).append(args)
                i = j
            continue
        i += 1  # a stray token
    return root.children[0]


def _floats(s):
    return [float(x) for x in re.split(r"[,\s]+", s.strip()) if x]


class Table:
    """A 1-D or 2-D lookup table with its variables (template order)."""

    def __init__(self, group, templates):
        tmpl = templates.get(group.args[0] if group.args else "", {})
        idx = group.attrs.get("index_1"), group.attrs.get("index_2")
        self.vars = [tmpl.get("variable_1"), tmpl.get("variable_2")]
        self.i1 = _floats(idx[0][0][0]) if idx[0] else tmpl.get("index_1", [0.0])
        self.i2 = _floats(idx[1][0][0]) if idx[1] else tmpl.get("index_2")
        rows = [_floats(r) for r in group.attrs["values"][0]]
        self.values = rows if len(rows) > 1 or self.i2 else [rows[0]]
        if len(rows) == 1 and not self.i2:
            self.values = [[v] for v in rows[0]]
            self.i2 = None

    def lookup(self, slew, load):
        """Value at input transition `slew` and output load `load` (library units)."""
        x = {"input_transition_time": slew, "input_net_transition": slew,
             "total_output_net_capacitance": load}
        a = x.get(self.vars[0], slew)
        if self.i2 is None:
            return _interp(self.i1, [r[0] for r in self.values], a)
        b = x.get(self.vars[1], load)
        col = [_interp(self.i2, row, b) for row in self.values]
        return _interp(self.i1, col, a)


def _interp(xs, ys, x):
    if len(xs) == 1:
        return ys[0]
    k = 0
    while k < len(xs) - 2 and x > xs[k + 1]:
        k += 1
    x0, x1 = xs[k], xs[k + 1]
    return ys[k] + (ys[k + 1] - ys[k]) * (x - x0) / (x1 - x0)


class Cell:
    """What the simulator and the power model use of one liberty cell."""

    def __init__(self, g, templates):
        self.name = g.args[0]
        self.area = float(g.attr("area", 0.0))
        self.inputs, self.outputs = [], []
        self.cap = {}             # input pin -> capacitance (library unit)
        self.function = {}        # output pin -> liberty function string
        self.pin_power = {}       # input pin -> [Table] (energy per transition of that pin)
        self.out_power = {}       # output pin -> [Table] (energy per output transition)
        self.out_related = {}     # output pin -> number of distinct related pins of its tables
        self.out_slew = {}        # output pin -> [Table] (output transition)
        self.ff = None            # (state, state_n, next_state, clocked_on, clear, preset)
        for ff in g.groups("ff"):
            self.ff = (ff.args[0], ff.args[1] if len(ff.args) > 1 else None,
                       ff.attr("next_state"), ff.attr("clocked_on"), ff.attr("clear"),
                       ff.attr("preset"))
        self.latch = bool(g.groups("latch") or g.groups("statetable"))
        # Integrated clock gate (clock_gating_integrated_cell "latch_posedge"): (clock pin, enable
        # pins, gated clock pin); the gated clock is CK & (enable latched while CK is low).
        self.icg = None
        icg_kind = g.attr("clock_gating_integrated_cell")
        icg_pins = {"clock_gate_clock_pin": [], "clock_gate_enable_pin": [],
                    "clock_gate_test_pin": [], "clock_gate_out_pin": []}
        for p in g.groups("pin"):
            name, d = p.args[0], p.attr("direction")
            for k, v in icg_pins.items():
                if p.attr(k) == "true":
                    v.append(name)
            tables = []
            related = set()
            for ip in p.groups("internal_power"):
                related.add(ip.attr("related_pin"))
                for t in ip.children:
                    if t.kind in ("rise_power", "fall_power") and "values" in t.attrs:
                        tables.append(Table(t, templates))
            if d == "input":
                self.inputs.append(name)
                self.cap[name] = float(p.attr("capacitance", 0.0))
                if tables:
                    self.pin_power[name] = tables
            elif d in ("output", "inout"):
                self.outputs.append(name)
                if p.attr("function"):
                    self.function[name] = p.attr("function")
                if tables:
                    self.out_power[name] = tables
                    self.out_related[name] = len(related)
                slews = []
                for tg in p.groups("timing"):
                    for t in tg.children:
                        if t.kind in ("rise_transition", "fall_transition") and "values" in t.attrs:
                            slews.append(Table(t, templates))
                if slews:
                    self.out_slew[name] = slews
        if icg_kind:
            ck, en, test, out = (icg_pins[k] for k in ("clock_gate_clock_pin",
                                 "clock_gate_enable_pin", "clock_gate_test_pin",
                                 "clock_gate_out_pin"))
            if icg_kind == "latch_posedge" and len(ck) == 1 and len(out) == 1 and en:
                self.icg = (ck[0], en + test, out[0])


class Library:
    """The cells of one liberty file plus its voltage, units and default wire-load model."""

    def __init__(self, lib):
        templates = {}
        for g in lib.children:
            if g.kind in ("power_lut_template", "lu_table_template"):
                t = {k: g.attr(k) for k in ("variable_1", "variable_2")}
                for k in ("index_1", "index_2"):
                    if g.attrs.get(k):
                        t[k] = _floats(g.attrs[k][0][0])
                templates[g.args[0]] = t
        self.voltage = float(lib.attr("nom_voltage"))
        self.max_transition = float(lib.attr("default_max_transition", 1.0))
        cu = lib.attrs["capacitive_load_unit"][0]
        self.cap_to_f = float(cu[0]) * {"ff": 1e-15, "pf": 1e-12}[cu[1].lower()]
        self.cells = {g.args[0]: Cell(g, templates) for g in lib.groups("cell")}
        # Fanout-based wire capacitance of the default wire-load model (what OpenSTA applies).
        self.wire_cap = {}
        default = lib.attr("default_wire_load")
        for w in lib.groups("wire_load"):
            if w.args[0] == default:
                per_len = float(w.attr("capacitance", 0.0))
                slope = float(w.attr("slope", 0.0))
                fl = {int(a[0]): float(a[1]) for a in w.attrs.get("fanout_length", [])}
                self.wire_cap = {"per_length": per_len, "slope": slope, "fanout_length": fl,
                                 "name": default}

    def wire_capacitance(self, fanout):
        """Wire capacitance (library unit) of a net with `fanout` loads under the default model."""
        w = self.wire_cap
        if not w or fanout <= 0:
            return 0.0
        fl = w["fanout_length"]
        if fanout in fl:
            length = fl[fanout]
        else:
            top = max(fl)
            length = fl[top] + (fanout - top) * w["slope"]
        return length * w["per_length"]


def load(path, cache_dir=None):
    """Library of a liberty file, pickled in cache_dir (parsing takes a few seconds)."""
    if cache_dir:
        # The version changes with what Cell records (v2: integrated clock gates).
        pk = os.path.join(cache_dir, os.path.basename(path) + ".v2.pkl")
        if os.path.exists(pk) and os.path.getmtime(pk) >= os.path.getmtime(path):
            with open(pk, "rb") as f:
                return pickle.load(f)
    with open(path) as f:
        lib = Library(parse(f.read()))
    if cache_dir:
        with open(pk + ".tmp", "wb") as f:
            pickle.dump(lib, f)
        os.replace(pk + ".tmp", pk)
    return lib
