// report.html: tables and inline SVG charts (roofline, breakdowns, vs CPU) from report.json.
#include "lowbit/report_html.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "lowbit/html.h"

namespace lowbit {
namespace {

using OJ = nlohmann::ordered_json;

constexpr const char* kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                    "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
constexpr const char* kEnergyGroups[] = {"compute", "leakage", "buffers", "dram"};

// One color per group name, the same in every chart.
const char* group_color(const std::string& g) {
  if (g == "compute") return "#4c72b0";
  if (g == "leakage") return "#8172b2";
  if (g == "buffers") return "#55a868";
  return "#c44e52";
}
constexpr const char* kAreaGroups[] = {"compute", "buffers"};

std::string esc(const std::string& s) { return html_escape(s); }

const char* color(std::size_t i) { return kPalette[i % std::size(kPalette)]; }

// A number from the report, tagged with its JSON pointer and exact value so a test can check that
// the page shows report.json's numbers.
std::string num(const OJ& root, const std::string& pointer, const std::string& unit = "") {
  const OJ::json_pointer p(pointer);
  if (!root.contains(p) || root.at(p).is_null()) {
    return fmt::format(
        "<span class=\"nc\" data-key=\"{}\" data-value=\"null\">not "
        "characterized</span>",
        esc(pointer));
  }
  const OJ& v = root.at(p);
  if (!v.is_number()) return esc(v.is_string() ? v.get<std::string>() : v.dump());
  return fmt::format("<span class=\"n\" data-key=\"{}\" data-value=\"{}\">{}</span>{}",
                     esc(pointer), v.dump(), format_report_number(v.get<double>()),
                     unit.empty() ? "" : " " + unit);
}

double get(const OJ& root, const std::string& pointer, double fallback = 0.0) {
  const OJ::json_pointer p(pointer);
  if (!root.contains(p) || !root.at(p).is_number()) return fallback;
  return root.at(p).get<double>();
}

bool has(const OJ& root, const std::string& pointer) {
  const OJ::json_pointer p(pointer);
  return root.contains(p) && root.at(p).is_number();
}

struct Svg {
  std::string body;
  int width = 640, height = 360;
  std::string finish(const std::string& id, const std::string& title) const {
    return fmt::format(
        "<figure><svg class=\"chart\" id=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" "
        "width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">{}</svg>"
        "<figcaption>{}</figcaption></figure>\n",
        id, width, height, width, height, esc(title), body, esc(title));
  }
  void text(double x, double y, const std::string& t, const std::string& anchor = "start",
            int size = 11) {
    body += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"{}\" text-anchor=\"{}\">{}"
        "</text>",
        x, y, size, anchor, esc(t));
  }
  void line(double x1, double y1, double x2, double y2, const std::string& stroke, double w = 1.0,
            const std::string& dash = "") {
    body += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
        "stroke=\"{}\" stroke-width=\"{}\"{}/>",
        x1, y1, x2, y2, stroke, w, dash.empty() ? "" : " stroke-dasharray=\"" + dash + "\"");
  }
  void rect(double x, double y, double w, double h, const std::string& fill,
            const std::string& tip) {
    body += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
        "fill=\"{}\"><title>{}</title></rect>",
        x, y, w, std::max(h, 0.0), fill, esc(tip));
  }
};

constexpr double kLeft = 70, kRight = 170, kTop = 20, kBottom = 50;

// Stacked bars: one bar per design, segments per group; a bar with a missing group says so.
std::string stacked_chart(const OJ& report, const std::string& id, const std::string& title,
                          const std::string& base, const char* const* groups, std::size_t ngroups,
                          double scale, const std::string& unit) {
  const OJ& designs = report.at("designs");
  Svg s;
  const double pw = s.width - kLeft - kRight, ph = s.height - kTop - kBottom;
  double max_total = 0.0;
  for (std::size_t i = 0; i < designs.size(); ++i) {
    double t = 0.0;
    for (std::size_t g = 0; g < ngroups; ++g) {
      t += get(report, fmt::format("/designs/{}/{}/{}", i, base, groups[g])) * scale;
    }
    max_total = std::max(max_total, t);
  }
  if (max_total <= 0.0) max_total = 1.0;
  s.line(kLeft, kTop, kLeft, kTop + ph, "#000");
  s.line(kLeft, kTop + ph, kLeft + pw, kTop + ph, "#000");
  for (int k = 0; k <= 4; ++k) {
    const double v = max_total * k / 4, y = kTop + ph - ph * k / 4;
    s.line(kLeft - 4, y, kLeft, y, "#000");
    s.text(kLeft - 6, y + 4, format_report_number(v), "end", 10);
  }
  s.text(14, kTop + ph / 2, unit, "middle", 11);
  const double slot = pw / std::max<std::size_t>(designs.size(), 1);
  for (std::size_t i = 0; i < designs.size(); ++i) {
    const double x = kLeft + slot * i + slot * 0.2, w = slot * 0.6;
    double y = kTop + ph;
    std::vector<std::string> missing;
    for (std::size_t g = 0; g < ngroups; ++g) {
      const std::string p = fmt::format("/designs/{}/{}/{}", i, base, groups[g]);
      if (!has(report, p)) {
        missing.push_back(groups[g]);
        continue;
      }
      const double v = get(report, p) * scale;
      const double h = ph * v / max_total;
      y -= h;
      s.rect(x, y, w, h, group_color(groups[g]),
             fmt::format("{} {}: {} {}", designs[i].value("name", ""), groups[g],
                         format_report_number(v), unit));
    }
    if (!missing.empty()) {
      std::string m;
      for (const std::string& g : missing) m += (m.empty() ? "" : ", ") + g;
      s.text(x + w / 2, y - 18, "not characterized:", "middle", 8);
      s.text(x + w / 2, y - 8, m, "middle", 8);
    }
    s.text(x + w / 2, kTop + ph + 16, designs[i].value("name", ""), "middle", 10);
  }
  for (std::size_t g = 0; g < ngroups; ++g) {
    const double y = kTop + 10 + 18 * g;
    s.rect(s.width - kRight + 20, y - 9, 12, 12, group_color(groups[g]), groups[g]);
    s.text(s.width - kRight + 38, y + 1, groups[g]);
  }
  return s.finish(id, title);
}

std::string roofline_chart(const OJ& report) {
  const OJ& designs = report.at("designs");
  Svg s;
  const double pw = s.width - kLeft - kRight, ph = s.height - kTop - kBottom;
  double xmin = 1e300, xmax = 0, ymin = 1e300, ymax = 0;
  for (std::size_t i = 0; i < designs.size(); ++i) {
    const std::string b = fmt::format("/designs/{}/roofline/", i);
    const double oi = get(report, b + "operational_intensity_ops_per_byte");
    const double ridge = get(report, b + "ridge_ops_per_byte");
    const double peak = get(report, b + "peak_ops_per_second");
    const double got = get(report, b + "achieved_ops_per_second");
    for (double x : {oi, ridge}) {
      if (x > 0) xmin = std::min(xmin, x), xmax = std::max(xmax, x);
    }
    for (double y : {peak, got}) {
      if (y > 0) ymin = std::min(ymin, y), ymax = std::max(ymax, y);
    }
  }
  if (xmax <= 0 || ymax <= 0) xmin = 0.1, xmax = 10, ymin = 1, ymax = 10;
  const double lx0 = std::floor(std::log10(xmin)) - 1, lx1 = std::ceil(std::log10(xmax)) + 1;
  const double ly0 = std::floor(std::log10(ymin)) - 1, ly1 = std::ceil(std::log10(ymax)) + 0.5;
  auto X = [&](double x) { return kLeft + pw * (std::log10(x) - lx0) / (lx1 - lx0); };
  auto Y = [&](double y) {
    const double v = std::clamp(std::log10(y), ly0, ly1);
    return kTop + ph - ph * (v - ly0) / (ly1 - ly0);
  };
  s.line(kLeft, kTop, kLeft, kTop + ph, "#000");
  s.line(kLeft, kTop + ph, kLeft + pw, kTop + ph, "#000");
  // Tick loops are bounded: damaged numbers must never make an axis of 10^300 decades.
  for (double e = std::ceil(lx0); e <= lx1 && e <= std::ceil(lx0) + 60; ++e) {
    const double x = X(std::pow(10.0, e));
    s.line(x, kTop + ph, x, kTop + ph + 4, "#000");
    s.text(x, kTop + ph + 16, fmt::format("1e{}", e), "middle", 10);
  }
  for (double e = std::ceil(ly0); e <= ly1 && e <= std::ceil(ly0) + 60; ++e) {
    const double y = Y(std::pow(10.0, e));
    s.line(kLeft - 4, y, kLeft, y, "#000");
    s.text(kLeft - 6, y + 4, fmt::format("1e{}", e), "end", 10);
  }
  s.text(kLeft + pw / 2, s.height - 8, "operational intensity (ops per DRAM byte)", "middle");
  s.text(14, kTop + ph / 2, "op/s", "middle");
  for (std::size_t i = 0; i < designs.size(); ++i) {
    const std::string b = fmt::format("/designs/{}/roofline/", i);
    const double peak = get(report, b + "peak_ops_per_second");
    const double bw = get(report, b + "dram_bandwidth_bytes_per_second");
    const double oi = get(report, b + "operational_intensity_ops_per_byte");
    const double got = get(report, b + "achieved_ops_per_second");
    if (peak <= 0 || bw <= 0) continue;
    std::string pts;
    for (int k = 0; k <= 60; ++k) {
      const double x = std::pow(10.0, lx0 + (lx1 - lx0) * k / 60);
      pts += fmt::format("{:.1f},{:.1f} ", X(x), Y(std::min(peak, x * bw)));
    }
    s.body += fmt::format(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\""
        " stroke-dasharray=\"5 3\"/>",
        pts, color(i));
    if (oi > 0 && got > 0) {
      s.body += fmt::format(
          "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"{}\"><title>{}: "
          "{} ops/B, {} op/s</title></circle>",
          X(oi), Y(got), color(i), esc(designs[i].value("name", "")), format_report_number(oi),
          format_report_number(got));
    }
    const double ly = kTop + 10 + 18 * i;
    s.line(s.width - kRight + 20, ly - 3, s.width - kRight + 34, ly - 3, color(i), 2.0);
    s.text(s.width - kRight + 38, ly + 1, designs[i].value("name", ""));
  }
  return s.finish("chart-roofline",
                  "Roofline: each design's compute roof (peak op/s for its formats) and DRAM roof "
                  "(dashed), and the run's achieved point");
}

// Horizontal bars of one value per row (designs and optionally the CPU).
std::string bar_chart(const std::string& id, const std::string& title,
                      const std::vector<std::pair<std::string, std::optional<double>>>& rows,
                      const std::string& unit, double ref_line = 0.0) {
  Svg s;
  s.height = std::max(120, 40 + 34 * static_cast<int>(rows.size()));
  const double left = 140, pw = s.width - left - 90;
  double vmax = ref_line;
  for (const auto& r : rows) {
    if (r.second) vmax = std::max(vmax, *r.second);
  }
  if (vmax <= 0) vmax = 1;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double y = 20 + 34 * i;
    s.text(left - 6, y + 15, rows[i].first, "end", 10);
    if (!rows[i].second) {
      s.text(left + 4, y + 15, "not characterized", "start", 10);
      continue;
    }
    const double w = pw * *rows[i].second / vmax;
    s.rect(left, y, w, 22, color(i), rows[i].first);
    s.text(left + w + 4, y + 15, format_report_number(*rows[i].second) + " " + unit, "start", 10);
  }
  s.line(left, 14, left, s.height - 10, "#000");
  if (ref_line > 0) {
    const double x = left + pw * ref_line / vmax;
    s.line(x, 14, x, s.height - 10, "#555", 1.0, "4 3");
    s.text(x, 11, format_report_number(ref_line) + " (CPU)", "middle", 9);
  }
  return s.finish(id, title);
}

std::optional<double> opt_at(const OJ& root, const std::string& p) {
  if (!has(root, p)) return std::nullopt;
  return get(root, p);
}

}  // namespace

std::string format_report_number(double v) {
  if (v == 0.0) return "0";
  return fmt::format("{:.4g}", v);
}

std::string report_html(const OJ& report) {
  const OJ& designs = report.at("designs");
  const bool cpu = report.contains("cpu");
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>lowbit report"
       "</title>\n<style>body{font-family:sans-serif;margin:24px;max-width:1100px}"
       "table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #bbb;"
       "padding:3px 6px;text-align:right;font-size:12px}th{background:#eee}td.l,th.l{text-align:"
       "left}.nc{color:#b00;font-weight:bold}.proj{color:#a60}figure{margin:12px 0}"
       "figcaption{font-size:12px;color:#444}small{color:#555}</style>\n</head><body>\n";
  h += fmt::format("<h1>lowbit report: {}</h1>\n", esc(report.value("workload", "")));
  h += fmt::format(
      "<p>Node <b>{}</b> (characterization <code>{}</code>), event energies at {} activity, "
      "DRAM energy <code>{}</code>. Every number below is the value in report.json (4 "
      "significant digits here; the JSON keeps all). <span class=\"nc\">not characterized</span>"
      " marks a number the characterization data cannot give (never shown as 0).</p>\n",
      esc(report.value("node", "")), esc(report.value("characterization", "")),
      esc(report.value("activity", "")), esc(report.value("dram_energy_spec", "")));

  // Headline table.
  h += "<h2>Summary</h2>\n<table><tr><th class=\"l\">design</th><th>op/s</th><th>tokens/s</th>"
       "<th>pJ/op</th><th>J/token</th><th>area mm<sup>2</sup></th><th>TOPS/mm<sup>2</sup></th>"
       "<th>TOPS/W</th><th>roofline bound</th>";
  if (cpu) h += "<th>speedup vs CPU</th><th>energy ratio CPU/acc.</th>";
  h += "</tr>\n";
  for (std::size_t i = 0; i < designs.size(); ++i) {
    const std::string b = fmt::format("/designs/{}", i);
    h += fmt::format("<tr><td class=\"l\">{} <small>({}, {})</small></td>",
                     esc(designs[i].value("name", "")), esc(designs[i].value("core", "")),
                     esc(designs[i].value("stats_file", "")));
    for (const char* k : {"/throughput/ops_per_second", "/throughput/tokens_per_second",
                          "/energy/pj_per_op", "/energy/joules_per_token", "/area/total_mm2",
                          "/efficiency/tops_per_mm2", "/efficiency/tops_per_w"}) {
      h += "<td>" + num(report, b + k) + "</td>";
    }
    h += "<td>" + esc(designs[i]["roofline"].value("bound", "")) + "</td>";
    if (cpu) {
      h += "<td>" + num(report, b + "/vs_cpu/speedup") + "</td><td>" +
           num(report, b + "/vs_cpu/energy_ratio") + "</td>";
    }
    h += "</tr>\n";
  }
  if (cpu) {
    h += fmt::format("<tr><td class=\"l\">CPU reference <small>({}, {})</small></td>",
                     esc(report["cpu"].value("cpu", "")),
                     esc(report["cpu"].value("result_file", "")));
    for (const char* k : {"/cpu/ops_per_second", "/cpu/tokens_per_second", "/cpu/pj_per_op",
                          "/cpu/joules_per_token"}) {
      h += "<td>" + num(report, k) + "</td>";
    }
    h += "<td colspan=\"6\" class=\"l\">energy: <b>" +
         esc(report["cpu"].value("energy_label", "")) +
         "</b>; area not measured; caches: " + esc(report["cpu"].value("caches", "")) +
         "</td></tr>\n";
  }
  h += "</table>\n";
  if (cpu) {
    h += "<p><small>CPU energy source: " + esc(report["cpu"].value("energy_source", "")) +
         "</small></p>\n";
  }
  h += "<p><small>op/s: useful ops (2 x MACs of the workload) per simulated second; tokens/s: "
       "rows of A per run / seconds; pJ/op and J/token: total energy (below) / ops or tokens; "
       "TOPS/mm<sup>2</sup>: achieved TOPS / total area; TOPS/W: ops / energy. Speedup: CPU "
       "seconds / accelerator seconds; energy ratio: CPU joules / accelerator joules (docs/"
       "report.md).</small></p>\n";

  // Charts.
  h += "<h2>Roofline</h2>\n" + roofline_chart(report);
  {
    // Energy per op: each design's group sums (pJ) over its ops per run.
    OJ per_op = report;
    for (std::size_t i = 0; i < designs.size(); ++i) {
      const double ops = get(report, fmt::format("/designs/{}/throughput/ops_per_run", i), 1.0);
      for (const char* g : kEnergyGroups) {
        OJ& v = per_op["designs"][i]["energy"]["by_group_pj"][g];
        if (v.is_number()) v = v.get<double>() / ops;
      }
    }
    h += "<h2>Energy breakdown</h2>\n" +
         stacked_chart(per_op, "chart-energy",
                       "Energy per op by group (pJ/op; report.json energy.by_group_pj / "
                       "throughput.ops_per_run): compute = tile datapath events, leakage = tile "
                       "static power x time, buffers = SRAM accesses, dram = DRAM accesses",
                       "energy/by_group_pj", kEnergyGroups, std::size(kEnergyGroups), 1.0, "pJ/op");
  }
  h += "<h2>Area breakdown</h2>\n" +
       stacked_chart(report, "chart-area",
                     "Area by group (mm2): compute = tile cells, buffers = SRAM model",
                     "area/by_group_mm2", kAreaGroups, std::size(kAreaGroups), 1.0, "mm2");
  if (cpu) {
    std::vector<std::pair<std::string, std::optional<double>>> speed, energy, thr;
    for (std::size_t i = 0; i < designs.size(); ++i) {
      const std::string name = designs[i].value("name", "");
      speed.emplace_back(name, opt_at(report, fmt::format("/designs/{}/vs_cpu/speedup", i)));
      energy.emplace_back(name, opt_at(report, fmt::format("/designs/{}/vs_cpu/energy_ratio", i)));
    }
    h += "<h2>Accelerator vs CPU</h2>\n";
    h += fmt::format(
        "<p>CPU: {} ({} logical CPUs, STREAM triad {} GB/s); CPU energy is <b>{}</b>."
        "</p>\n",
        esc(report["cpu"].value("cpu", "")), report["cpu"].value("logical_cpus", 0),
        num(report, "/cpu/stream_triad_gbps"), esc(report["cpu"].value("energy_label", "")));
    h += bar_chart("chart-speedup",
                   "Speedup over the CPU reference (CPU seconds / accelerator "
                   "seconds per run; dashed: 1 = CPU)",
                   speed, "x", 1.0);
    h += bar_chart("chart-energy-ratio",
                   "Energy ratio (CPU joules, " + report["cpu"].value("energy_label", "") +
                       ", / accelerator joules per run; dashed: 1 = equal)",
                   energy, "x", 1.0);
  }

  // Whole decoder blocks: the step by operator class, accelerator and CPU side by side.
  bool any_decoder = cpu && report["cpu"].contains("decoder");
  for (const OJ& d : designs) any_decoder = any_decoder || d.contains("decoder");
  if (any_decoder) {
    h += "<h2>Decoder blocks by operator class</h2>\n<table><tr><th class=\"l\">design</th>"
         "<th class=\"l\">phase</th><th>blocks</th><th>s per token step</th><th>tokens/s</th>"
         "<th>time to first token s</th><th>linear s</th><th>attention matmuls s</th>"
         "<th>KV traffic s</th><th>nonlinear s</th><th>embedding s</th><th>J/token</th>"
         "<th>whole model tokens/s</th><th>speedup vs CPU</th></tr>\n";
    const auto row = [&](const std::string& name, const std::string& b, bool is_cpu) {
      const OJ& dd = report.at(OJ::json_pointer(b));
      const bool prefill = dd.value("phase", "") == "prefill";
      std::string r = "<tr><td class=\"l\">" + esc(name) + "</td><td class=\"l\">" +
                      esc(dd.value("phase", "")) + "</td><td>" + num(report, b + "/blocks") +
                      "</td><td>" + num(report, b + "/seconds_per_token_step") + "</td><td>" +
                      num(report, b + "/tokens_per_second") + "</td><td>" +
                      (prefill ? num(report, b + "/time_to_first_token_s") : "-") + "</td>";
      for (const char* k : {"linear", "attention_matmuls", "kv_traffic", "nonlinear"}) {
        r += "<td>" + num(report, b + "/breakdown_seconds/" + k) + "</td>";
      }
      r += "<td>" +
           (is_cpu ? std::string("not timed") : num(report, b + "/breakdown_seconds/embedding")) +
           "</td><td>" +
           (is_cpu ? std::string("estimate: ") + num(report, b + "/joules_per_token_step")
                   : num(report, b + "/joules_per_token")) +
           "</td><td>" +
           (dd.contains("whole_model") ? num(report, b + "/whole_model/tokens_per_second") : "-") +
           "</td><td>" + (dd.contains("vs_cpu") ? num(report, b + "/vs_cpu/speedup") : "-") +
           "</td></tr>\n";
      return r;
    };
    for (std::size_t i = 0; i < designs.size(); ++i) {
      if (designs[i].contains("decoder")) {
        h += row(designs[i].value("name", ""), fmt::format("/designs/{}/decoder", i), false);
      }
    }
    if (cpu && report["cpu"].contains("decoder")) {
      h += row("CPU reference (" + report["cpu"]["decoder"].value("caches", "").substr(0, 11) + ")",
               "/cpu/decoder", true);
    }
    h += "</table>\n<p><small>Accelerator: linear layers from the SystemC program; a decode "
         "step's attention phase (QK^T, softmax, PV, the KV read) from the SystemC vector unit "
         "and DRAM model, the other vector operators and the KV write from the operator-level "
         "model (docs/decoder.md); its KV traffic overlaps the attention matmuls, so its classes "
         "need not sum to the step. CPU: the whole "
         "block measured on this machine (docs/cpu-reference.md), cold caches, classes timed "
         "separately (they sum to the step); its energy is an estimate. Speedup: CPU seconds / "
         "accelerator seconds per token step (whole model when both were scaled).</small></p>\n";
  }

  // Per design: boundary, energy and area terms with their sources.
  for (std::size_t i = 0; i < designs.size(); ++i) {
    const OJ& d = designs[i];
    const OJ& c = d["cost"];
    const std::string b = fmt::format("/designs/{}/cost", i);
    h += fmt::format(
        "<h2>{}: cost model</h2>\n<p>Characterization entry <code>{}</code> ({}); "
        "weight bits {} ({}); tiles {}.</p>\n",
        esc(d.value("name", "")),
        c["unit_entry"].is_null() ? "none" : esc(c["unit_entry"].get<std::string>()),
        esc(c.value("method", "")),
        c["weight_bits"].is_null() ? "unknown" : c["weight_bits"].dump(),
        esc(c.value("weight_bits_source", "")), c["tiles"].dump());
    h += "<p><b>Inside the boundary:</b></p><ul>";
    for (const auto& s : c["inside_boundary"]) h += "<li>" + esc(s.get<std::string>()) + "</li>";
    h += "</ul><p><b>Outside the boundary:</b></p><ul>";
    for (const auto& s : c["outside_boundary"]) h += "<li>" + esc(s.get<std::string>()) + "</li>";
    h += "</ul>\n";
    for (const auto& n : c["notes"]) h += "<p><small>" + esc(n.get<std::string>()) + "</small></p>";
    for (const char* kind : {"energy_terms_pj", "area_terms_um2"}) {
      h += fmt::format(
          "<table><tr><th class=\"l\">component</th><th class=\"l\">group</th><th>{}"
          "</th><th class=\"l\">source</th></tr>\n",
          std::string(kind) == "energy_terms_pj" ? "energy (pJ)" : "area (um2)");
      for (std::size_t t = 0; t < c[kind].size(); ++t) {
        const OJ& term = c[kind][t];
        h += fmt::format(
            "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td>"
            "<td class=\"l\"><small>{}</small></td></tr>\n",
            esc(term.value("component", "")), esc(term.value("group", "")),
            num(report, fmt::format("{}/{}/{}/value", b, kind, t)),
            esc(term.contains("source") ? term.value("source", "") : term.value("reason", "")));
      }
      h += "</table>\n";
    }
    if (c.contains("projection")) {
      h += fmt::format(
          "<p class=\"proj\"><b>PROJECTION</b> to {} nm (not characterized): energy "
          "{} pJ, area {} um2. {}</p>\n",
          c["projection"]["target_nm"].dump(), num(report, b + "/projection/energy_pj"),
          num(report, b + "/projection/area_um2"), esc(c["projection"].value("method", "")));
    }
  }

  // Self-check when opened: every chart has drawn marks; errors go to the title.
  h += R"(<script>
(function () {
  var errors = [];
  var origError = console.error;
  console.error = function () { errors.push(Array.prototype.join.call(arguments, ' '));
                                origError.apply(console, arguments); };
  window.addEventListener('error', function (e) { errors.push(String(e.message)); });
  function check() {
    var charts = document.querySelectorAll('svg.chart');
    var bad = [];
    for (var i = 0; i < charts.length; i++) {
      var marks = charts[i].querySelectorAll('rect, circle, polyline, line');
      var box = charts[i].getBoundingClientRect();
      if (charts[i].childElementCount === 0 || marks.length === 0 || box.width <= 0 ||
          box.height <= 0) bad.push(charts[i].id);
    }
    if (charts.length === 0) bad.push('no charts');
    document.title = (bad.length === 0 && errors.length === 0)
        ? 'ok:' + charts.length
        : 'error:' + bad.concat(errors).join(';');
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', check);
  else check();
})();
</script>
</body></html>
)";
  return h;
}

}  // namespace lowbit
