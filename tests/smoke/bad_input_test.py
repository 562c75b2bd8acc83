#!/usr/bin/python3
"""smoke.bad_input: one table of bad inputs across every file kind and flag of the `lowbit` CLI.

Each case runs in a folder holding only its input files and asserts the kit's error contract:
exit code 2, exactly one line on stderr, that line names the key (and the file where there is one)
and says what is allowed, and the folder is unchanged afterwards (nothing written, nothing left).
Usage: bad_input_test.py <lowbit> <source dir>
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zlib

LOWBIT, SRC = sys.argv[1], sys.argv[2]
ENV = dict(os.environ, SC_COPYRIGHT_MESSAGE="DISABLE")
GOLDEN = ["run", "--backend", "golden", "--no-progress"]
SHAPE = ["--m", "1", "--n", "8", "--k", "32"]

cases = []  # (name, args, files {name: bytes|str}, [substrings the one error line must contain])


def case(name, args, expect, files=None):
    cases.append((name, args, files or {}, expect if isinstance(expect, list) else [expect]))


def jdump(doc):
    return json.dumps(doc)


# ---- hardware configs (--config FILE) ------------------------------------------------------------
LUT = json.load(open(f"{SRC}/configs/lutcore_m2n8k4.json"))
MAC = json.load(open(f"{SRC}/configs/mac_8x8.json"))


def config_case(name, doc_or_text, key):
    text = doc_or_text if isinstance(doc_or_text, str) else jdump(doc_or_text)
    case("config " + name, GOLDEN + SHAPE + ["--config", "c.json"], ["c.json", key],
         {"c.json": text})


for name, text in [("empty file", ""), ("truncated", '{"core": "lutcore"'), ("bare word", "lutcore"),
                   ("trailing garbage", '{"core": "mac"} x'), ("nan", '{"core": NaN}'),
                   ("1e400", '{"core": "mac", "top": {"clock_mhz": 1e400}}'),
                   ("-1e400", '{"core": "mac", "top": {"clock_mhz": -1e400}}'),
                   ("deep 100", '{"x":' + "[" * 100 + "]" * 100 + "}"),
                   ("deep 60000", "[" * 60000 + "]" * 60000),
                   ("deep objects", '{"a":' * 70 + "1" + "}" * 70),
                   # 60,000 levels where the config walkers recurse: SIGSEGV before issue 16.
                   ("deep objects under top",
                    '{"core": "mac", "mac": {}, "top": ' + '{"a": ' * 60000 + "1" + "}" * 60001),
                   ("deep arrays under top",
                    '{"core": "mac", "mac": {}, "top": {"tiles": ' + "[" * 60000 + "]" * 60000 + "}}"),
                   ("bad utf-8 escape", '{"core": "\\ud800x"}'), ("single quotes", "{'core': 'mac'}")]:
    config_case(name, text, "(file)")
config_case("array", [1, 2], "(top)")
config_case("no core", {"name": "x"}, "core")
config_case("core number", {"core": 5}, "core")
config_case("core unknown", {"core": "tpu"}, "core")
config_case("unknown top key", dict(LUT, extra=1), "extra")
config_case("name number", dict(LUT, name=5), "name")
config_case("description array", dict(LUT, description=[1]), "description")
for key, bad in [("m", 0), ("m", -1), ("m", "2"), ("m", 1.5), ("m", True), ("m", None),
                 ("m", 18446744073709551615), ("n", 0), ("n", 1 << 40), ("k", 0), ("k", "4"),
                 ("g", 0), ("g", 99), ("fp16", 1), ("fp16", "yes"), ("dequant_lanes", 0),
                 ("dequant_lanes", -3), ("symmetric", "no"), ("bogus", 1)]:
    doc = json.loads(jdump(LUT))
    doc["lutcore"][key] = bad
    config_case(f"lutcore.{key}={bad!r}", doc, key)
lut_not_object = json.loads(jdump(LUT))
lut_not_object["lutcore"] = [1]
config_case("lutcore not an object", lut_not_object, "lutcore")
for key, bad in [("rows", 0), ("rows", "8"), ("rows", 1 << 40), ("cols", -8), ("cols", 2.5),
                 ("fp16", "no"), ("extra", 1)]:
    doc = json.loads(jdump(MAC))
    doc["mac"][key] = bad
    config_case(f"mac.{key}={bad!r}", doc, key)
TOP_KEYS = {"clock_mhz": 1000, "tiles": 1, "queue_depth": 16, "dram.bandwidth_gbps": 64,
            "dram.latency_ns": 100, "dram.burst_bytes": 64, "dram.max_outstanding": 128}
for b in ["act", "weight", "scale", "out"]:
    for k in ["kib", "width_bytes", "banks"]:
        TOP_KEYS[f"buffers.{b}.{k}"] = 2
for path in TOP_KEYS:
    for bad in ["1", -1, 1e30]:
        doc = json.loads(jdump(MAC))
        node = doc.setdefault("top", {})
        parts = path.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = bad
        config_case(f"top.{path}={bad!r}", doc, "top." + path)
config_case("top.buffers.scale.kib beyond the ISA's 20-bit field",
            dict(MAC, top={"buffers": {"scale": {"kib": 2048}}}), "top.buffers.scale.kib")
config_case("top.dram.burst_bytes not a power of two",
            dict(MAC, top={"dram": {"burst_bytes": 96}}), "top.dram.burst_bytes")
config_case("top.buffers.act.banks not a divisor",
            dict(MAC, top={"buffers": {"act": {"banks": 3}}}), "top.buffers.act.banks")
config_case("top.unknown", dict(MAC, top={"speed": 1}), "top.speed")
config_case("top not an object", dict(MAC, top=7), "top")

# ---- --set overrides ------------------------------------------------------------------------------
for assignment, key in [("top.clock_mhz", "top.clock_mhz"), ("=5", "=5"),
                        ("top.clok_mhz=5", "top.clok_mhz"), ("top=5", "top"),
                        ("top.dram=5", "top.dram"), ("top.tiles=two", "top.tiles"),
                        ("top.tiles=1.5", "top.tiles"), ("top.tiles=99999999999999999999", "top.tiles"),
                        ("top.tiles=0", "top.tiles"), ("top.clock_mhz=fast", "top.clock_mhz"),
                        ("top.clock_mhz=inf", "top.clock_mhz"), ("top.clock_mhz=1e400", "top.clock_mhz"),
                        ("top.clock_mhz=0", "top.clock_mhz"), ("lutcore.fp16=1", "lutcore.fp16"),
                        ("lutcore.n=-4", "lutcore.n"), ("lutcore.m.x=1", "lutcore.m.x"),
                        ("core=tpu", "core"),
                        ("top.buffers.scale.kib=2048", "top.buffers.scale.kib"),
                        ("top.buffers.weight.kib=16385", "top.buffers.weight.kib"),
                        ("top.dram.burst_bytes=100", "top.dram.burst_bytes")]:
    case("--set " + assignment, GOLDEN + SHAPE + ["--set", assignment], key)
case("--set on mac_8x8 scale.kib=2048 (compiler vs encoder)",
     GOLDEN + SHAPE + ["--config", "mac.json", "--set", "top.buffers.scale.kib=2048"],
     ["top.buffers.scale.kib", "1024"], {"mac.json": jdump(MAC)})

# ---- workloads (--workload FILE) ------------------------------------------------------------------
def workload_case(name, doc_or_text, key):
    text = doc_or_text if isinstance(doc_or_text, str) else jdump(doc_or_text)
    case("workload " + name, GOLDEN + ["--workload", "w.json"], ["w.json", key], {"w.json": text})


W = {"name": "w", "layers": [{"name": "a", "n": 8, "k": 32}]}


def layer(**kw):
    d = json.loads(jdump(W))
    d["layers"][0].update(kw)
    return d


for name, text in [("empty", ""), ("truncated", '{"name": "w", "layers": ['),
                   ("1e400", '{"name": "w", "layers": [{"n": 1e400, "k": 8}]}'),
                   ("deep", '{"name": "w", "layers": ' + "[" * 5000 + "]" * 5000 + "}")]:
    workload_case(name, text, "(file)")
workload_case("not an object", [W], "(top)")
workload_case("no name", {"layers": W["layers"]}, "name")
workload_case("name number", dict(W, name=5), "name")
workload_case("description number", dict(W, description=5), "description")
workload_case("not_modelled string", dict(W, not_modelled="x"), "not_modelled")
workload_case("not_modelled numbers", dict(W, not_modelled=[1]), "not_modelled")
workload_case("unknown key", dict(W, blocks=2), "blocks")
workload_case("no layers", {"name": "w"}, "layers")
workload_case("layers empty", dict(W, layers=[]), "layers")
workload_case("layers object", dict(W, layers={"a": 1}), "layers")
workload_case("layer not an object", dict(W, layers=[5]), "layers[0]")
workload_case("layer unknown key", layer(bits=3), "layers[0].bits")
workload_case("layer without n", {"name": "w", "layers": [{"k": 8}]}, "layers[0].n")
for key, bad in [("m", 0), ("m", 65537), ("m", 18446744073709551615), ("m", -1), ("m", 1.5),
                 ("n", 0), ("n", 1048577), ("n", "8"), ("k", 0), ("k", -32), ("k", None),
                 ("repeat", 0), ("repeat", 1048577), ("repeat", "2"),
                 ("weight_format", "int9"), ("weight_format", 4), ("activation_format", "fp8"),
                 ("distribution", "uniform"), ("group_size", 48), ("group_size", "32"),
                 ("seed", -1), ("seed", "1"), ("seed", 1.5)]:
    workload_case(f"layers[0].{key}={bad!r}", layer(**{key: bad}), f"layers[0].{key}")
for bad in ["../escape", "/tmp/abs", ".hidden", "a/b", "", "x" * 129, "a b", "a\\b", 7]:
    workload_case(f"layer name {bad!r}", layer(name=bad), "layers[0].name")
workload_case("duplicate names",
              {"name": "w", "layers": [{"name": "a", "n": 8, "k": 8}, {"name": "a", "n": 8, "k": 8}]},
              "layers[1].name")
workload_case("defaults bad", dict(W, defaults={"m": 0}), "defaults.m")
workload_case("defaults unknown", dict(W, defaults={"x": 0}), "defaults.x")
workload_case("does not fit memory", layer(m=65536, n=1048576, k=1048576), "layers[0]")
case("workload missing file", GOLDEN + ["--workload", "nonexistent.json"], "nonexistent.json")
case("workload empty name", GOLDEN + ["--workload", ""], "--workload")
case("workload is a folder", GOLDEN + ["--workload", "d"], "d", {"d/keep": "x"})

# ---- single-layer flags and other flags of `lowbit run` -------------------------------------------
for args, key in [(["--m", "0"], "m"), (["--n", "-8"], "n"), (["--k", "1048577"], "k"),
                  (["--m", "x"], "--m"), (["--weights", "int9"], "weight_format"),
                  (["--activations", "fp8"], "activation_format"), (["--group", "48"], "group_size"),
                  (["--dist", "cauchy"], "distribution"), (["--seed", "-1"], "--seed"),
                  (["--seed", "18446744073709551616"], "--seed"), (["--seed", "1e3"], "--seed"),
                  (["--threads", "-1"], "--threads"), (["--node", "tsmc5"], "--node"),
                  (["--backend", "fpga"], "--backend"), (["--tile", "gpu"], "--tile"),
                  (["--m", "1", "--n", "1048576", "--k", "1048576"], "layers[0]")]:
    base = ["run", "--no-progress"] + ([] if "--backend" in args else ["--backend", "golden"])
    shaped = any(a in args for a in ("--m", "--n", "--k"))
    case("run " + " ".join(args), base + ([] if shaped else SHAPE) + args, key)
case("run --workload with --m", GOLDEN + ["--workload", "w.json", "--m", "2"], "--workload",
     {"w.json": jdump(W)})
case("run --tile rtl on golden", GOLDEN + SHAPE + ["--tile", "rtl"], "--tile")
case("unknown subcommand", ["frobnicate"], ["frobnicate", "unknown subcommand"])
case("unknown option", ["run", "--frobnicate"], "--frobnicate")
case("run --config missing", GOLDEN + SHAPE + ["--config", "nope.json"], "--config")

# ---- output paths: checked before the run; never replace a non-regular file ------------------------
case("run -o into a missing folder", GOLDEN + SHAPE + ["-o", "missing/r.json"], ["--output"])
case("run -o a symlink", GOLDEN + SHAPE + ["-o", "link"], ["link", "--output"],
     {"link": ("symlink", "/dev/null")})
case("run -o a fifo", GOLDEN + SHAPE + ["-o", "fifo"], ["fifo", "--output"], {"fifo": ("fifo",)})
case("run -o a folder", GOLDEN + SHAPE + ["-o", "d"], ["d", "--output"], {"d/keep": "x"})
# Not "-o /dev/null" itself: a regressed binary run as root would replace the machine's /dev/null
# (it did, once, while this table was checked against the pre-fix binary). The symlink cases cover it.
case("run --stats a symlink", ["run", "--backend", "sim", "--no-progress"] + SHAPE +
     ["--stats", "link"], ["link", "--stats"], {"link": ("symlink", "target")})
# Before issue 16 this was SIGFPE after the whole run (closing a never-opened VCD file).
case("run --vcd into a missing folder", ["run", "--backend", "sim", "--no-progress"] + SHAPE +
     ["--vcd", "missing/x.vcd"], "--vcd")
case("run --vcd a fifo", GOLDEN + SHAPE + ["--vcd", "w.vcd"], "--vcd", {"w.vcd": ("fifo",)})
case("run --trace into a missing folder", GOLDEN + SHAPE + ["--trace", "missing/t.json"],
     "--trace")
case("run --dump onto a file", GOLDEN + SHAPE + ["--dump", "f"], ["f", "--dump"], {"f": "x"})
case("run --dump into a missing folder", GOLDEN + SHAPE + ["--dump", "missing/d"], "--dump")
case("run --dump onto a symlink", GOLDEN + SHAPE + ["--dump", "l"], ["l", "--dump"],
     {"l": ("symlink", "/tmp")})

# ---- assembly (lowbit asm) -----------------------------------------------------------------------
for text, key in [("frob x=1\n", "opcode"), ("ld buf=weight rows=5000 sram=0 dram=0 bytes=1\n", "rows"),
                  ("ld buf=nope rows=1 sram=0 dram=0 bytes=1\n", "buf"),
                  ("ld buf=act rows=1 sram=0 dram=0\n", "bytes"),
                  ("ld buf=act rows=1 sram=0x1000000 dram=0 bytes=1\n", "sram"),
                  ("ld buf=act rows=1 sram=0 dram=0x10000000000 bytes=1\n", "dram"),
                  ("ld buf=act rows=1 sram=0 dram=0 bytes=0\n", "bytes"),
                  ("ld buf=act rows=1 sram=zz dram=0 bytes=1\n", "sram"),
                  ("nop signal=\n", "signal"), ("nop signal=s0|\n", "signal"),
                  ("nop wait=s8\n", "wait"), ("nop wait=256\n", "wait"), ("nop signal=|s1\n", "signal"),
                  ("cfg wkind=float wbits=2 afmt=int8 group=128\n", "wkind"),
                  ("cfg wkind=signed wbits=9 afmt=int8 group=128\n", "wbits"),
                  ("cfg wkind=signed wbits=4 afmt=int8 group=0\n", "group"),
                  ("blk m=0 n=1 kt=1 o=0 ascale=0\n", "m"),
                  ("lmma k=0 s=0 a=0 w=0\n", "k"), ("lmma k=1 s=0x100000 a=0 w=0\n", "s"),
                  ("ldcfg stride=0x100000000\n", "stride"), ("nop extra=1\n", "extra"),
                  ("halt halt\n", "halt")]:
    case("asm " + text.strip(), ["asm", "p.s", "-o", "p.lbp"], ["p.s:1", key], {"p.s": text})
case("asm -o a fifo", ["asm", "p.s", "-o", "fifo"], ["fifo", "--output"],
     {"p.s": "nop\nhalt\n", "fifo": ("fifo",)})
case("asm -o a symlink", ["asm", "p.s", "-o", "l"], ["l", "--output"],
     {"p.s": "nop\nhalt\n", "l": ("symlink", "/dev/null")})
case("asm missing input", ["asm", "none.s", "-o", "p.lbp"], "none.s")


# ---- program binaries (lowbit disasm) ------------------------------------------------------------
def program(words):
    code = b"".join(w0.to_bytes(8, "little") + w1.to_bytes(8, "little") for w0, w1 in words)
    count = len(words).to_bytes(4, "little")
    crc = zlib.crc32(count + code).to_bytes(4, "little")
    return b"LBPROG02" + count + crc + code


GOOD = program([(0x00, 0), (0x01, 0)])  # nop, halt
for name, data, key in [("empty", b"", "magic"), ("bad magic", b"XBPROG02" + GOOD[8:], "magic"),
                        ("old format", b"LBPROG01" + GOOD[8:], "magic"),
                        ("truncated", GOOD[:-1], "count"), ("extra byte", GOOD + b"\0", "count"),
                        ("header only", GOOD[:12], "magic"),
                        ("count too large", GOOD[:8] + (3).to_bytes(4, "little") + GOOD[12:], "count"),
                        ("illegal opcode", program([(0x7F, 0)]), "opcode"),
                        ("reserved bits", program([(0x01, 1)]), "reserved")]:
    case("disasm " + name, ["disasm", "p.lbp"], ["p.lbp", key], {"p.lbp": data})
for bit in [0, 9, 17, 63, 64, 100, 127, 255]:
    flipped = bytearray(GOOD)
    flipped[16 + bit // 8] ^= 1 << (bit % 8)
    case(f"disasm bit flip {bit}", ["disasm", "p.lbp"], ["p.lbp", "checksum"],
         {"p.lbp": bytes(flipped)})

# ---- sweep specs (lowbit sweep) ------------------------------------------------------------------
SPEC = {"name": "s", "config": LUT, "parameters": {"top.tiles": [1, 2]},
        "workloads": ["llama2_7b_decode_w2a8"], "objectives": [{"metric": "tokens_per_second"}]}


def spec_case(name, doc_or_text, key):
    text = doc_or_text if isinstance(doc_or_text, str) else jdump(doc_or_text)
    case("sweep " + name, ["sweep", "s.json", "-o", "out"], ["s.json", key], {"s.json": text})


for name, text in [("empty", ""), ("deep", '{"config":' + "[" * 3000 + "]" * 3000 + "}"),
                   ("deep inline config",
                    '{"config": {"core": "mac", "mac": {}, "top": ' + '{"a": ' * 60000 + "1" + "}" * 60002),
                   ("1e400", '{"config": {}, "sample": {"count": 1e400}}')]:
    spec_case(name, text, "(file)")
for name, patch, key in [("name number", {"name": 5}, "name"), ("tier number", {"tier": 5}, "tier"),
                         ("tier unknown", {"tier": "fast"}, "tier"),
                         ("unknown key", {"points": 3}, "points"),
                         ("config number", {"config": 5}, "config"),
                         ("config missing file", {"config": "nope.json"}, "config"),
                         ("parameters list", {"parameters": [1]}, "parameters"),
                         ("axis empty", {"parameters": {"top.tiles": []}}, "parameters.top.tiles"),
                         ("axis null value", {"parameters": {"top.tiles": [None]}},
                          "parameters.top.tiles"),
                         ("axis step 0", {"parameters": {"top.tiles": {"start": 1, "stop": 2, "step": 0}}},
                          "parameters.top.tiles"),
                         ("axis start > stop", {"parameters": {"top.tiles": {"start": 3, "stop": 2}}},
                          "parameters.top.tiles"),
                         ("axis 10^7 values",
                          {"parameters": {"top.clock_mhz": {"start": 1, "stop": 1e7, "step": 1}}},
                          "parameters.top.clock_mhz"),
                         ("grid 10^9 points",
                          {"parameters": {f"p{i}": list(range(10)) for i in range(9)}}, "parameters"),
                         ("uniform without sample", {"parameters": {"top.tiles": {"min": 1, "max": 2}}},
                          "parameters.top.tiles"),
                         ("sample 10^9", {"sample": {"count": 1000000000}}, "sample.count"),
                         ("sample 0", {"sample": {"count": 0}}, "sample.count"),
                         ("sample seed -1", {"sample": {"count": 2, "seed": -1}}, "sample.seed"),
                         ("sample unknown", {"sample": {"count": 2, "n": 1}}, "sample.n"),
                         ("workloads empty", {"workloads": []}, "workloads"),
                         ("workloads number", {"workloads": [5]}, "workloads"),
                         ("workloads unknown", {"workloads": ["nope"]}, "workloads"),
                         # A name longer than the OS allows (fuzz_sweep_spec found the file test
                         # throwing std::filesystem_error: exit 1 / abort).
                         ("workload name too long", {"workloads": ["w" * 5000]}, "workloads"),
                         ("config name too long", {"config": "c" * 5000}, "config"),
                         ("backends bad", {"backends": ["fpga"]}, "backends"),
                         ("backends empty", {"backends": []}, "backends"),
                         ("objectives empty", {"objectives": []}, "objectives"),
                         ("objective unknown metric", {"objectives": [{"metric": "speed"}]},
                          "objectives[].metric"),
                         ("objective goal number", {"objectives": [{"metric": "cycles", "goal": 5}]},
                          "objectives[].goal"),
                         ("objective goal unknown",
                          {"objectives": [{"metric": "cycles", "goal": "best"}]}, "objectives[].goal"),
                         ("objective twice", {"objectives": [{"metric": "cycles"}, {"metric": "cycles"}]},
                          "objectives"),
                         ("objective not object", {"objectives": ["cycles"]}, "objectives")]:
    spec_case(name, dict(SPEC, **patch), key)
case("sweep -o a file", ["sweep", "s.json", "-o", "f"], ["f", "--output"],
     {"s.json": jdump(SPEC), "f": "x"})
case("sweep -o name too long", ["sweep", "s.json", "-o", "o" * 5000],
     ["--output", "File name too long"], {"s.json": jdump(SPEC)})
case("sweep -o a symlink", ["sweep", "s.json", "-o", "l"], ["l", "--output"],
     {"s.json": jdump(SPEC), "l": ("symlink", "/tmp")})

# ---- report inputs (stats.json, CPU result, characterization) ------------------------------------
STATS = CPU = None


def make_report_inputs(work):
    """A real stats.json and CPU result of one small layer, the baseline the cases damage."""
    global STATS, CPU
    shape = ["--m", "1", "--n", "64", "--k", "128", "--no-progress"]
    subprocess.run([LOWBIT, "run", "--config", f"{SRC}/configs/mixpe_64x64.json", *shape,
                    "-o", "r.json", "--stats", "s.json"], cwd=work, env=ENV, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([LOWBIT, "run", "--backend", "cpu", "--threads", "1", *shape, "-o", "c.json"],
                   cwd=work, env=ENV, check=True, stdout=subprocess.DEVNULL)
    STATS = json.load(open(f"{work}/s.json"))
    CPU = json.load(open(f"{work}/c.json"))


def stats_with(path, value, drop=()):
    d = json.loads(jdump(STATS))
    for k in drop:
        del d[k]
    node = d
    for p in path[:-1]:
        node = node[p]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return jdump(d)


def cpu_with(path, value):
    d = json.loads(jdump(CPU))
    node = d
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    return jdump(d)


report_cases = []  # built once STATS exists


def build_report_cases():
    def rc(name, files, args, key):
        cases.append(("report " + name, ["report", *args, "-o", "out"], files,
                      key if isinstance(key, list) else [key]))

    for path, bad, key in [(["metrics", "seconds"], 0, "metrics.seconds"),
                           (["metrics", "seconds"], -1, "metrics.seconds"),
                           (["metrics", "seconds"], "1", "metrics.seconds"),
                           (["metrics", "ops"], 1e308, "metrics.ops"),
                           (["metrics", "ops"], -5, "metrics.ops"),
                           (["metrics", "clock_mhz"], 1e308, "metrics.clock_mhz"),
                           (["metrics", "clock_mhz"], 0, "metrics.clock_mhz"),
                           (["metrics", "ops_per_second"], None, "metrics.ops_per_second"),
                           (["metrics", "tokens_per_second"], KeyError, "metrics.tokens_per_second"),
                           (["metrics", "cycles_over_bound"], "x", "metrics.cycles_over_bound"),
                           (["metrics"], KeyError, "metrics"), (["metrics"], [1], "metrics"),
                           (["config", "top", "dram", "bandwidth_gbps"], 1e308,
                            "config.top.dram.bandwidth_gbps"),
                           (["config", "name"], 5, "config.name"), (["config"], KeyError, "config"),

                           (["workload"], 5, "workload"), (["backend"], [1], "backend"),
                           (["tiling"], [5], "tiling[]"), (["tiling", 0, "m"], "1", "tiling[].m")]:
        rc(f"stats {'.'.join(map(str, path))}={bad!r}", {"s.json": stats_with(path, bad)},
           ["s.json"], ["s.json", key])
    # Read when the report re-evaluates the cost (here: the record has none) and cast to integers
    # by the cost model: range-checked first (fuzz_report found 6.4e64 reaching a uint32 cast).
    for path, bad in [(["config", "top", "buffers", "out", "width_bytes"], 6.4e64),
                      (["config", "top", "buffers", "act", "kib"], -1),
                      (["config", "top", "buffers", "weight", "banks"], 1.5),
                      (["config", "top", "tiles"], 1e9)]:
        key = ".".join(path)
        rc(f"stats without cost, {key}={bad!r}", {"s.json": stats_with(path, bad, drop=["cost"])},
           ["s.json"], ["s.json", key])
    # Tokens per run (tokens_per_second x seconds) are counted as an int: range-checked first
    # (fuzz_report found 2e10 reaching that cast).
    # An output folder name the system refuses (too long): checked first, one line (it reached a
    # throwing std::filesystem lookup, exit 1).
    cases.append(("report -o name too long", ["report", "s.json", "-o", "o" * 5000],
                  {"s.json": jdump(STATS)}, ["--output", "File name too long"]))
    rc("stats metrics.tokens_per_second=1e24",
       {"s.json": stats_with(["metrics", "tokens_per_second"], 1e24)}, ["s.json"],
       ["s.json", "metrics.tokens_per_second"])
    for name, text in [("empty", ""), ("deep", "[" * 70000 + "]" * 70000), ("array", "[1]"),
                       ("1e400", '{"metrics": {"seconds": 1e400}}')]:
        rc("stats " + name, {"s.json": text}, ["s.json"], ["s.json", "(file)"])
    for path, bad, key in [(["cpu", "seconds_per_run"], 0, "cpu.seconds_per_run"),
                           (["cpu", "seconds_per_run"], -2, "cpu.seconds_per_run"),
                           (["cpu", "joules_per_run"], "x", "cpu.joules_per_run"),
                           (["cpu", "tokens_per_second"], 1e308, "cpu.tokens_per_second"),
                           (["cpu", "energy_source"], 5, "cpu.energy_source"),
                           (["cpu", "cpu"], 5, "cpu.cpu"), (["backend"], "sim", "backend"),
                           (["cpu"], 5, "backend"), (["workload"], "other", "workload")]:
        rc(f"cpu {'.'.join(path)}={bad!r}",
           {"s.json": jdump(STATS), "c.json": cpu_with(path, bad)},
           ["s.json", "--cpu", "c.json"], ["c.json", key])
    ch = json.load(open(f"{SRC}/rtl/synth/characterization/nangate45.json"))
    for name, text, key in [("empty", "", "(file)"), ("array", "[]", ""),
                            ("no node", jdump({k: v for k, v in ch.items() if k != "node"}), "node"),
                            ("node number", jdump(dict(ch, node=5)), "node"),
                            ("deep", "[" * 9000 + "]" * 9000, "(file)")]:
        rc("characterization " + name, {"s.json": jdump(STATS), "ch.json": text},
           ["s.json", "--characterization", "ch.json"], ["ch.json", key])
    rc("-o a file", {"s.json": jdump(STATS), "out": "x"}, ["s.json"], ["out", "--output"])
    rc("--node unknown", {"s.json": jdump(STATS)}, ["s.json", "--node", "tsmc5"], "--node")


# ---- runner --------------------------------------------------------------------------------------
def snapshot(folder):
    out = {}
    for root, dirs, files in os.walk(folder):
        for n in dirs + files:
            p = os.path.join(root, n)
            st = os.lstat(p)
            out[os.path.relpath(p, folder)] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def place(work, files):
    for name, content in files.items():
        path = os.path.join(work, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(content, tuple) and content[0] == "symlink":
            os.symlink(content[1], path)
        elif isinstance(content, tuple) and content[0] == "fifo":
            os.mkfifo(path)
        else:
            with open(path, "wb") as f:
                f.write(content.encode() if isinstance(content, str) else content)


def main():
    base = tempfile.mkdtemp(prefix="lowbit_bad_input_")
    try:
        make_report_inputs(base)
        build_report_cases()
        failures = []
        for i, (name, args, files, expect) in enumerate(cases):
            work = os.path.join(base, f"case{i:03d}")
            os.makedirs(work)
            place(work, files)
            before = snapshot(work)
            try:
                p = subprocess.run([LOWBIT, *args], cwd=work, env=ENV, capture_output=True,
                                   timeout=120)
                rc, err = p.returncode, p.stderr.decode(errors="replace")
            except subprocess.TimeoutExpired:
                rc, err = "timeout", ""
            lines = err.splitlines()
            problems = []
            if rc != 2:
                problems.append(f"exit {rc}, want 2")
            if len(lines) != 1:
                problems.append(f"{len(lines)} stderr lines, want 1")
            for want in expect + ["allowed"]:
                if want and want not in err:
                    problems.append(f"no {want!r}")
            if snapshot(work) != before:
                problems.append("the folder changed")
            if problems:
                failures.append(f"FAIL: {name}: {'; '.join(problems)}: {err.strip()[:300]!r}")
        for f in failures:
            print(f)
        print(f"bad input: {len(cases) - len(failures)} passed, {len(failures)} failed "
              f"({len(cases)} cases)")
        sys.exit(1 if failures or len(cases) < 200 else 0)
    finally:
        shutil.rmtree(base, ignore_errors=True)


main()
