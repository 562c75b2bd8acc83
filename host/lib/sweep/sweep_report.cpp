// HTML report with inline SVG scatter plots, and the analytic tier's error against the cycle tier.
#include "lowbit/sweep_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "lowbit/html.h"

namespace lowbit {
namespace {

using json = nlohmann::json;

std::string esc(const std::string& s) { return html_escape(s); }

std::string fmt_cell(const json& v) {
  if (v.is_null()) return "";
  if (v.is_number_float()) return fmt::format("{:.4g}", v.get<double>());
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string scatter(const ResultTable& t, const std::vector<size_t>& rows, int cx, int cy,
                    const std::string& xl, const std::string& yl) {
  constexpr double W = 420, H = 320, L = 70, R = 15, T = 15, B = 45;
  std::vector<std::pair<double, double>> pts;
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (size_t r : rows) {
    const json& a = t.rows[r][static_cast<size_t>(cx)];
    const json& b = t.rows[r][static_cast<size_t>(cy)];
    if (!a.is_number() || !b.is_number()) continue;
    x0 = std::min(x0, a.get<double>());
    x1 = std::max(x1, a.get<double>());
    y0 = std::min(y0, b.get<double>());
    y1 = std::max(y1, b.get<double>());
  }
  if (x0 > x1) return "<p>no finished points with both values</p>";
  if (x1 == x0) {
    x0 -= 0.5 * std::max(1.0, std::fabs(x0));
    x1 = 2 * x1 - x0;
  }
  if (y1 == y0) {
    y0 -= 0.5 * std::max(1.0, std::fabs(y0));
    y1 = 2 * y1 - y0;
  }
  auto sx = [&](double v) { return L + (v - x0) / (x1 - x0) * (W - L - R); };
  auto sy = [&](double v) { return H - B - (v - y0) / (y1 - y0) * (H - T - B); };
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "font-family=\"sans-serif\" font-size=\"11\"><rect x=\"{}\" y=\"{}\" width=\"{}\" "
      "height=\"{}\" fill=\"none\" stroke=\"#888\"/>",
      W, H, L, T, W - L - R, H - T - B);
  for (int i = 0; i <= 4; ++i) {
    const double xv = x0 + (x1 - x0) * i / 4, yv = y0 + (y1 - y0) * i / 4;
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{:.3g}</text>", sx(xv),
                     H - B + 14, xv);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{:.3g}</text>", L - 4,
                     sy(yv) + 4, yv);
  }
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                   L + (W - L - R) / 2, H - 8, esc(xl));
  s += fmt::format(
      "<text x=\"12\" y=\"{:.1f}\" text-anchor=\"middle\" transform=\"rotate(-90 12 "
      "{:.1f})\">{}</text>",
      T + (H - T - B) / 2, T + (H - T - B) / 2, esc(yl));
  const int pc = t.column("pareto"), idc = t.column("id");
  // Non-front points first, so the front is drawn on top.
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t r : rows) {
      const json& a = t.rows[r][static_cast<size_t>(cx)];
      const json& b = t.rows[r][static_cast<size_t>(cy)];
      if (!a.is_number() || !b.is_number()) continue;
      const bool front = t.rows[r][static_cast<size_t>(pc)] == 1;
      if (front != (pass == 1)) continue;
      s += fmt::format(
          "<circle class=\"{}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\" "
          "fill-opacity=\"0.8\"><title>{} ({:.4g}, {:.4g})</title></circle>",
          front ? "pareto" : "point", sx(a.get<double>()), sy(b.get<double>()), front ? 5 : 3.5,
          front ? "#d62728" : "#999", fmt_cell(t.rows[r][static_cast<size_t>(idc)]),
          a.get<double>(), b.get<double>());
    }
  }
  return s + "</svg>";
}

double median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (size_t i = 0; i < idx.size();) {  // ties share their mean rank
    size_t j = i;
    while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]]) ++j;
    for (size_t k = i; k <= j; ++k) r[idx[k]] = 0.5 * static_cast<double>(i + j);
    i = j + 1;
  }
  return r;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : NAN;
}

}  // namespace

nlohmann::ordered_json tier_error(const ResultTable& t) {
  const int dc = t.column("design"), tc = t.column("tier"), sc = t.column("status");
  std::map<std::string, std::pair<int, int>> by_design;  // analytic row, cycle row
  for (size_t r = 0; r < t.rows.size(); ++r) {
    if (t.rows[r][static_cast<size_t>(sc)] != "ok") continue;
    auto& e = by_design.try_emplace(t.rows[r][static_cast<size_t>(dc)].get<std::string>(), -1, -1)
                  .first->second;
    (t.rows[r][static_cast<size_t>(tc)] == "analytic" ? e.first : e.second) = static_cast<int>(r);
  }
  nlohmann::ordered_json out;
  for (const char* metric : {"cycles", "tokens_per_second"}) {
    const int mc = t.column(metric);
    if (mc < 0) continue;
    std::vector<double> est, ref, err;
    nlohmann::ordered_json pairs = nlohmann::ordered_json::array();
    for (const auto& [design, rows] : by_design) {
      if (rows.first < 0 || rows.second < 0) continue;
      const json& a = t.rows[static_cast<size_t>(rows.first)][static_cast<size_t>(mc)];
      const json& c = t.rows[static_cast<size_t>(rows.second)][static_cast<size_t>(mc)];
      if (!a.is_number() || !c.is_number() || c.get<double>() == 0) continue;
      est.push_back(a.get<double>());
      ref.push_back(c.get<double>());
      err.push_back((est.back() - ref.back()) / ref.back());
      pairs.push_back({{"design", design},
                       {"analytic", est.back()},
                       {"cycle", ref.back()},
                       {"rel_error", err.back()}});
    }
    if (err.empty()) continue;
    std::vector<double> abs_err;
    for (double e : err) abs_err.push_back(std::fabs(e));
    const double rho = pearson(ranks(est), ranks(ref));
    out[metric] = {{"designs", err.size()},
                   {"mean_abs_rel_error", std::accumulate(abs_err.begin(), abs_err.end(), 0.0) /
                                              static_cast<double>(abs_err.size())},
                   {"median_abs_rel_error", median(abs_err)},
                   {"max_abs_rel_error", *std::max_element(abs_err.begin(), abs_err.end())},
                   {"mean_rel_error",
                    std::accumulate(err.begin(), err.end(), 0.0) / static_cast<double>(err.size())},
                   {"spearman", std::isnan(rho) ? json(nullptr) : json(rho)},
                   {"pairs", pairs}};
  }
  return out.empty() ? nlohmann::ordered_json() : out;
}

std::string sweep_report_html(const std::string& title, const ResultTable& t,
                              const nlohmann::json& tier_err) {
  std::string h = fmt::format(
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{0}</title><style>"
      "body{{font-family:sans-serif;margin:1.5em;max-width:1400px}}table{{border-collapse:collapse;"
      "font-size:12px}}td,th{{border:1px solid #ccc;padding:2px 6px;text-align:right}}"
      "th{{background:#eee}}.plots{{display:flex;flex-wrap:wrap;gap:12px}}</style></head><body>"
      "<h1>{0}</h1>\n",
      esc(title));
  const int sc = t.column("status"), tc = t.column("tier"), wc = t.column("workload"),
            pc = t.column("pareto");
  size_t ok = 0, failed = 0, pending = 0;
  for (const auto& r : t.rows) {
    const json& s = r[static_cast<size_t>(sc)];
    (s == "ok" ? ok : s == "failed" ? failed : pending) += 1;
  }
  h += fmt::format("<p>{} points: {} finished, {} failed, {} not run. Objectives: ", t.rows.size(),
                   ok, failed, pending);
  for (size_t i = 0; i < t.objectives.size(); ++i) {
    h += fmt::format("{}{} ({})", i ? ", " : "", esc(t.objectives[i].metric),
                     t.objectives[i].maximize ? "maximize" : "minimize");
  }
  h += ". Red: the Pareto front of each tier and workload.</p>\n";
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> groups;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    if (t.rows[r][static_cast<size_t>(sc)] != "ok") continue;
    groups[{fmt_cell(t.rows[r][static_cast<size_t>(tc)]),
            fmt_cell(t.rows[r][static_cast<size_t>(wc)])}]
        .push_back(r);
  }
  for (const auto& [key, rows] : groups) {
    h += fmt::format("<h2>{} tier, workload {}</h2>\n<div class=\"plots\">", esc(key.first),
                     esc(key.second));
    const auto& ob = t.objectives;
    for (size_t i = 0; i < ob.size(); ++i) {
      for (size_t j = i + 1; j < ob.size(); ++j) {
        const int cx = t.column(ob[i].metric), cy = t.column(ob[j].metric);
        if (cx < 0 || cy < 0) continue;
        h += scatter(t, rows, cx, cy,
                     fmt::format("{} ({})", ob[i].metric, ob[i].maximize ? "max" : "min"),
                     fmt::format("{} ({})", ob[j].metric, ob[j].maximize ? "max" : "min"));
      }
    }
    h += "</div>\n<h3>Pareto front</h3>\n<table><tr>";
    for (const auto& c : t.columns) h += "<th>" + esc(c) + "</th>";
    h += "</tr>\n";
    for (size_t r : rows) {
      if (t.rows[r][static_cast<size_t>(pc)] != 1) continue;
      h += "<tr class=\"front\">";
      for (const auto& v : t.rows[r]) h += "<td>" + esc(fmt_cell(v)) + "</td>";
      h += "</tr>\n";
    }
    h += "</table>\n";
  }
  if (!tier_err.is_null()) {
    h += "<h2>Analytic tier vs cycle-level model (same designs)</h2>\n<table><tr><th>metric</th>"
         "<th>designs</th><th>mean |error|</th><th>median |error|</th><th>max |error|</th>"
         "<th>mean error</th><th>Spearman</th></tr>\n";
    for (const auto& [m, e] : tier_err.items()) {
      h += fmt::format(
          "<tr><td>{}</td><td>{}</td><td>{:.1f}%</td><td>{:.1f}%</td><td>{:.1f}%</td>"
          "<td>{:+.1f}%</td><td>{}</td></tr>\n",
          esc(m), e["designs"].get<size_t>(), 100 * e["mean_abs_rel_error"].get<double>(),
          100 * e["median_abs_rel_error"].get<double>(), 100 * e["max_abs_rel_error"].get<double>(),
          100 * e["mean_rel_error"].get<double>(), fmt_cell(e["spearman"]));
    }
    h += "</table>\n";
  }
  if (failed) {
    h += "<h2>Failed points</h2><ul>";
    const int ic = t.column("id");
    for (const auto& r : t.rows) {
      if (r[static_cast<size_t>(sc)] == "failed") {
        h += "<li>" + esc(fmt_cell(r[static_cast<size_t>(ic)])) +
             " (points/&lt;id&gt;/log.txt)</li>";
      }
    }
    h += "</ul>\n";
  }
  return h + "</body></html>\n";
}

}  // namespace lowbit
