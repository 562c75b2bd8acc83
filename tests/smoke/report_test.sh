#!/usr/bin/env bash
# smoke.report / smoke.report_html: `lowbit run` on two characterized configs and one that is not,
# `--backend cpu`, then `lowbit report`. Part "data": report.json and report.csv agree, the totals
# are the sums of their terms, "not characterized" is null (never 0), the HTML shows the JSON's
# numbers, bad input exits 2 writing nothing. Part "html": headless Chromium renders every chart
# (the page's self-check sets document.title to ok:<charts>) with no console errors.
set -euo pipefail
LOWBIT=$1
SRC=$2
PART=${3:-data}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

shape=(--m 4 --n 64 --k 256 --weights uint2 --no-progress)
"$LOWBIT" run --config "$SRC/configs/lutcore_m3n5k6g2.json" "${shape[@]}" -o a_res.json \
  --stats a.json >/dev/null
"$LOWBIT" run --config "$SRC/configs/mixpe_64x64.json" "${shape[@]}" -o b_res.json \
  --stats b.json >/dev/null
# A 4 x 8 mac array has no characterization entry (only 8 x 8 and its scaled 64 x 64 do).
"$LOWBIT" run --config "$SRC/configs/mac_8x8.json" --set mac.rows=4 "${shape[@]}" -o c_res.json \
  --stats c.json >/dev/null
"$LOWBIT" run --backend cpu --threads 1 "${shape[@]}" -o cpu.json >/dev/null
"$LOWBIT" report a.json b.json c.json --cpu cpu.json -o out >report.txt
cat report.txt

if [[ $PART == data ]]; then
  /usr/bin/python3 - "$WORK/out" <<'PY'
import csv, html.parser, json, math, re, sys
out = sys.argv[1]
r = json.load(open(f"{out}/report.json"))
rows = list(csv.DictReader(open(f"{out}/report.csv")))
assert r["schema"] == "lowbit.report" and r["schema_version"] == 2 and r["node"] == "nangate45", r
# The report reads each run's record (metrics and cost as lowbit run computed them), one set of
# metric names: the run's energy_pj / pj_per_op / joules_per_token / tops_per_w / area_mm2 /
# tops_per_mm2 are the report's, bit for bit.
for d, f in zip(r["designs"], ["a.json", "b.json", "c.json"]):
    s = json.load(open(f"{out}/../{f}"))
    assert s["schema_version"] == 1, f
    assert d["cost_source"].startswith("the run's record"), d["cost_source"]
    assert d["cost"] == s["cost"], f
    m = s["metrics"]
    for key, (a, b) in {"energy_pj": ("energy", "total_pj"), "pj_per_op": ("energy", "pj_per_op"),
                        "joules_per_token": ("energy", "joules_per_token"),
                        "tops_per_w": ("efficiency", "tops_per_w"),
                        "area_mm2": ("area", "total_mm2"),
                        "tops_per_mm2": ("efficiency", "tops_per_mm2")}.items():
        assert d[a][b] == m.get(key), (f, key, d[a][b], m.get(key))
assert [x["kind"] for x in rows] == ["accelerator"] * 3 + ["cpu"], rows
cols = {"ops_per_second": ("throughput", "ops_per_second"),
        "tokens_per_second": ("throughput", "tokens_per_second"),
        "energy_pj": ("energy", "total_pj"), "pj_per_op": ("energy", "pj_per_op"),
        "joules_per_token": ("energy", "joules_per_token"), "area_mm2": ("area", "total_mm2"),
        "tops_per_mm2": ("efficiency", "tops_per_mm2"), "tops_per_w": ("efficiency", "tops_per_w"),
        "speedup_vs_cpu": ("vs_cpu", "speedup"), "energy_ratio_vs_cpu": ("vs_cpu", "energy_ratio")}
for d, row in zip(r["designs"], rows):
    assert row["name"] == d["name"], (row["name"], d["name"])
    for col, (a, b) in cols.items():
        v = d[a][b]
        if v is None:
            assert row[col] == "", (d["name"], col, row[col])
        else:
            assert float(row[col]) == v, (d["name"], col, row[col], v)
    # Totals are the sums of their terms; per-op and per-token follow from them.
    c = d["cost"]
    if d["energy"]["total_pj"] is not None:
        s = sum(t["value"] for t in c["energy_terms_pj"])
        assert math.isclose(s, d["energy"]["total_pj"], rel_tol=1e-12), (s, d["energy"])
        assert math.isclose(d["energy"]["pj_per_op"],
                            s / d["throughput"]["ops_per_run"], rel_tol=1e-12)
        tops = d["throughput"]["ops_per_second"] / 1e12
        watts = s * 1e-12 / d["throughput"]["seconds_per_run"]
        assert math.isclose(d["efficiency"]["tops_per_w"], tops / watts, rel_tol=1e-12)
    assert c["inside_boundary"] and c["outside_boundary"], c
cpu = r["cpu"]
assert float(rows[3]["ops_per_second"]) == cpu["ops_per_second"]
assert cpu["energy_label"] in ("measured (RAPL)", "estimate"), cpu["energy_label"]
names = [d["name"] for d in r["designs"]]
assert names == ["lutcore_m3n5k6g2", "mixpe_64x64", "mac_8x8"], names
lut, mixpe, mac = r["designs"]
# lutcore_m3n5k6g2 is synthesized, mixpe_64x64 is the flow's scaled entry: both complete.
for d in (lut, mixpe):
    assert d["energy"]["total_pj"] > 0 and d["area"]["total_mm2"] > 0, d["name"]
    assert not d["cost"]["not_characterized"], d["cost"]["not_characterized"]
assert lut["cost"]["weight_bits"] == 2 and mixpe["cost"]["weight_bits"] == 2
assert mixpe["cost"]["method"].startswith(("scaled", "synthesized")), mixpe["cost"]["method"]
# The uncharacterized 4 x 8 mac: null totals and explicit "not characterized" terms, never 0.
# Its weight width still comes from the stats (accumulate.weight_bits / steps).
assert mac["cost"]["weight_bits"] == 2, mac["cost"]["weight_bits_source"]
assert mac["energy"]["total_pj"] is None and mac["energy"]["pj_per_op"] is None
assert mac["cost"]["not_characterized"]
assert mac["area"]["total_mm2"] is None and mac["cost"]["unit_entry"] is None
nc = [t for t in mac["cost"]["energy_terms_pj"] if t["value"] is None]
assert nc and all(t["status"] == "not characterized" and t["reason"] for t in nc), nc
# The CPU comparison uses the same seconds and joules.
for d in (lut, mixpe):
    assert math.isclose(d["vs_cpu"]["speedup"],
                        cpu["seconds_per_run"] / d["throughput"]["seconds_per_run"], rel_tol=1e-12)
    assert math.isclose(d["vs_cpu"]["energy_ratio"],
                        cpu["joules_per_run"] / (d["energy"]["total_pj"] * 1e-12), rel_tol=1e-12)

# Every number in the HTML is report.json's value at its key, shown with 4 significant digits.
page = open(f"{out}/report.html").read()
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.cur = None; self.found = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-key" in a: self.cur = [a["data-key"], a["data-value"], ""]
        for bad in ("src", "href"):
            assert bad not in a or a[bad].startswith("#"), (tag, a)
    def handle_data(self, data):
        if self.cur is not None: self.cur[2] += data
    def handle_endtag(self, tag):
        if self.cur is not None and tag == "span": self.found.append(self.cur); self.cur = None
p = P(); p.feed(page)
assert len(p.found) > 30, len(p.found)
def at(root, pointer):
    for part in pointer.strip("/").split("/"):
        root = root[int(part)] if isinstance(root, list) else root[part]
    return root
for key, value, text in p.found:
    v = at(r, key)
    if value == "null":
        assert v is None and text == "not characterized", (key, v, text)
    else:
        assert float(value) == v, (key, value, v)
        shown = "0" if v == 0 else "%.4g" % v
        assert text == shown, (key, text, shown)
assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", page), "network reference in HTML"
print(f"report.json, report.csv and report.html agree ({len(p.found)} HTML numbers checked)")
PY

  # Bad input: one line, exit 2, nothing written.
  expect_bad() {
    local what=$1
    shift
    set +e
    "$LOWBIT" report "$@" -o bad_out >bad.out 2>bad.err
    local rc=$?
    set -e
    if [[ $rc -ne 2 ]]; then echo "FAIL ($what): exit $rc, expected 2"; cat bad.err; exit 1; fi
    if [[ $(wc -l <bad.err) -ne 1 ]]; then
      echo "FAIL ($what): not one line"; cat bad.err; exit 1
    fi
    if [[ -e bad_out/report.json || -e bad_out/report.html ]]; then
      echo "FAIL ($what): output written"; exit 1
    fi
    echo "bad input ($what): $(cat bad.err)"
  }
  echo '{"config": {' >broken.json
  expect_bad "malformed stats" broken.json
  expect_bad "missing file" nothere.json
  "$LOWBIT" run --config "$SRC/configs/lutcore_m3n5k6g2.json" --m 2 --n 64 --k 256 \
    --weights uint2 --no-progress -o o_res.json --stats other.json >/dev/null
  expect_bad "different workloads" a.json other.json
  expect_bad "stats as the CPU result" a.json --cpu b.json
  expect_bad "unknown node" a.json --node tsmc28
  python3 -c 'import json,sys; d=json.load(open("a.json")); del d["schema_version"];
json.dump(d, open("noversion.json", "w"))'
  expect_bad "stats without schema_version" noversion.json
  # Options the run did not use re-evaluate the cost model, and say so.
  "$LOWBIT" report a.json --activity default -o reeval >/dev/null
  python3 -c 'import json; d=json.load(open("reeval/report.json"))["designs"][0];
assert d["cost_source"] == "re-evaluated: activity default", d["cost_source"]
assert d["cost"]["activity"].startswith("default activity"), d["cost"]["activity"]'
  echo "report re-evaluates the cost for --activity default"
  echo '{"schema": "lowbit.characterization", "schema_version": 1, "node": "nangate45",
         "units": {"x": {"top": "lutcore_tile", "area_um2": "big"}}}' >badchar.json
  expect_bad "characterization schema" a.json --characterization badchar.json
  echo "smoke.report: ok"
  exit 0
fi

# Part html: open the page in headless Chromium.
CHROME=""
for c in chromium chromium-browser; do
  if command -v "$c" >/dev/null 2>&1; then CHROME=$(command -v "$c"); break; fi
done
if [[ -z $CHROME ]]; then
  echo "SKIPPED: chromium is not installed (scripts/setup installs the Debian package chromium)"
  exit 0
fi
open_page() {  # $1 = page; prints its <title> after load; console messages go to console.txt
  local profile
  profile=$(mktemp -d "$WORK/profile.XXXXXX")
  timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --enable-logging=stderr --v=0 --dump-dom "file://$1" \
    >dom.html 2>chrome.err || { echo "FAIL: chromium exited $?"; cat chrome.err; exit 1; }
  grep -E ':CONSOLE[:(]|Uncaught' chrome.err >console.txt || true
  /usr/bin/python3 -c 'import re; m = re.search(r"<head>.*?<title>([^<]*)</title>",
    open("dom.html").read(), re.S); print(m.group(1) if m else "")'
}
charts=$(grep -o '<svg class="chart"' out/report.html | wc -l)
title=$(open_page "$WORK/out/report.html" | tail -1)
echo "page title after load: $title ($charts charts in the file)"
if [[ $title != "ok:$charts" ]]; then echo "FAIL: expected title ok:$charts"; exit 1; fi
if [[ -s console.txt ]]; then echo "FAIL: console output:"; cat console.txt; exit 1; fi
# The check itself must catch a console error and an empty chart.
sed 's:</body>:<script>console.error("injected");</script></body>:' out/report.html >err.html
title=$(open_page "$WORK/err.html" | tail -1)
if [[ $title != error:* || ! -s console.txt ]]; then
  echo "FAIL: an injected console error was not caught (title $title)"; exit 1
fi
empty='s:<svg class="chart" id="chart-area"\([^>]*\)>.*</svg><figcaption>Area:'
empty+='<svg class="chart" id="chart-area"\1></svg><figcaption>Area:'
sed "$empty" out/report.html >empty.html
title=$(open_page "$WORK/empty.html" | tail -1)
if [[ $title != *chart-area* ]]; then
  echo "FAIL: an empty chart was not caught ($title)"; exit 1
fi
echo "smoke.report_html: ok"
