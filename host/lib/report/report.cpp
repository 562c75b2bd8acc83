// Builds report.json: per design throughput, energy, area, efficiency, roofline, and the CPU side.
#include "lowbit/report.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <tuple>

#include "lowbit/error.h"
#include "lowbit/run_record.h"
#include "lowbit/workload.h"
#include "model/cost/characterization.h"
#include "model/json/json_input.h"

namespace lowbit {
namespace {

using Json = nlohmann::json;
using OJ = nlohmann::ordered_json;

Json read_json(const std::string& path, const std::string& what) {
  Json doc;
  try {
    doc = read_json_input(path);
  } catch (const JsonInputError& e) {
    throw InputError(fmt::format("{} ({})", e.what(), what));
  }
  if (!doc.is_object()) {
    throw InputError(fmt::format("{}: (file): not a JSON object; allowed: {}", path, what));
  }
  return doc;
}

// What a run can report: wider ranges are damaged or hand-made input (1e308 ops made the roofline
// axis loop forever). Times must be positive: rates divide by them.
struct Range {
  double lo, hi;
  bool lo_open;  ///< lo itself excluded (seconds > 0)
};
constexpr Range kCount = {0, 1e24, false};
constexpr Range kSeconds = {0, 1e9, true};

double number_at(const Json& doc, const std::string& path, const std::vector<std::string>& keys,
                 Range range = kCount) {
  const Json* j = &doc;
  std::string dotted;
  for (const std::string& k : keys) {
    dotted += dotted.empty() ? k : "." + k;
    if (!j->is_object() || !j->contains(k)) {
      throw InputError(fmt::format("{}: {}: missing; allowed: a stats.json of `lowbit run --stats`",
                                   path, dotted));
    }
    j = &j->at(k);
  }
  const bool in_range =
      j->is_number() &&
      (range.lo_open ? j->get<double>() > range.lo : j->get<double>() >= range.lo) &&
      j->get<double>() <= range.hi;
  if (!in_range) {
    throw InputError(fmt::format("{}: {}: {} is not allowed; allowed: a number in {}{}, {}]", path,
                                 dotted, j->dump(), range.lo_open ? "(" : "[", range.lo, range.hi));
  }
  return j->get<double>();
}

// An optional member: `fallback` when absent, an InputError naming the key when of another type.
std::string opt_text(const Json& obj, const char* key, const std::string& path,
                     const std::string& where) {
  if (!obj.is_object() || !obj.contains(key)) return {};
  const Json& v = obj.at(key);
  if (!v.is_string()) {
    throw InputError(
        fmt::format("{}: {}{}: {} is not a string; allowed: a string", path, where, key, v.dump()));
  }
  return v.get<std::string>();
}

double opt_number(const Json& obj, const char* key, double fallback, const std::string& path,
                  const std::string& where) {
  if (!obj.is_object() || !obj.contains(key)) return fallback;
  const Json& v = obj.at(key);
  if (!v.is_number() || !(std::abs(v.get<double>()) <= kCount.hi)) {
    throw InputError(fmt::format("{}: {}{}: {} is not allowed; allowed: a number in [-{}, {}]",
                                 path, where, key, v.dump(), kCount.hi, kCount.hi));
  }
  return v.get<double>();
}

const Json& object_at(const Json& doc, const char* key, const std::string& path) {
  if (!doc.contains(key) || !doc.at(key).is_object()) {
    throw InputError(
        fmt::format("{}: {}: missing or not an object; allowed: the object `lowbit "
                    "run` writes",
                    path, key));
  }
  return doc.at(key);
}

OJ opt(std::optional<double> v) { return v ? OJ(*v) : OJ(nullptr); }

std::optional<double> div(std::optional<double> a, std::optional<double> b) {
  if (!a || !b || *b == 0.0) return std::nullopt;
  return *a / *b;
}

// Sum of a group's terms; nullopt when one of them is not characterized.
std::optional<double> group_sum(const std::vector<CostTerm>& terms, const std::string& group) {
  double s = 0.0;
  for (const CostTerm& t : terms) {
    if (t.group != group) continue;
    if (!t.value) return std::nullopt;
    s += *t.value;
  }
  return s;
}

using Shape = std::tuple<std::string, double, double, double>;

std::set<Shape> stats_shapes(const Json& doc, const std::string& path) {
  std::set<Shape> s;
  if (!doc.contains("tiling") || !doc.at("tiling").is_array()) return s;
  for (const Json& t : doc.at("tiling")) {
    if (!t.is_object()) {
      throw InputError(
          fmt::format("{}: tiling[]: {} is not an object; allowed: the tiling `lowbit "
                      "run` writes",
                      path, t.dump()));
    }
    s.insert({opt_text(t, "layer", path, "tiling[]."), opt_number(t, "m", 0, path, "tiling[]."),
              opt_number(t, "n", 0, path, "tiling[]."), opt_number(t, "k", 0, path, "tiling[].")});
  }
  return s;
}

std::string shapes_text(const std::set<Shape>& s) {
  std::string out;
  for (const auto& [name, m, n, k] : s) {
    out += fmt::format("{}{} {}x{}x{}", out.empty() ? "" : ", ", name, m, n, k);
  }
  return out.empty() ? "(none)" : out;
}

// Why a report re-evaluates a run's cost instead of reading the record's ("" = it reads it): the
// record has none, or the report asks for another node, file, activity, DRAM spec, weight width
// or a projection than the run used.
std::string reevaluate_reason(const RunRecord& rec, const std::string& char_path,
                              const ReportOptions& opts) {
  if (!rec.cost || !rec.metrics || !rec.metrics->cost) return "the run record has no cost";
  const CostBreakdown& c = *rec.cost;
  if (c.node != opts.node) return "node " + opts.node + " instead of the run's " + c.node;
  if (c.characterization != char_path) return "characterization " + char_path;
  if (opts.cost.activity != "measured") return "activity " + opts.cost.activity;
  const std::string run_dram = rec.metrics->dram_energy_spec.value_or("");
  if (!opts.dram_from_runs && opts.cost.dram_spec != run_dram) {
    return "DRAM energy " + opts.cost.dram_spec;
  }
  if (opts.cost.weight_bits) return fmt::format("weight bits {}", *opts.cost.weight_bits);
  if (opts.cost.project_to_nm) return "a projection";
  return "";
}

// The decoder's figures of an accelerator run (stats.json "decoder", timed backends): seconds per
// token step and by operator class (the record's cycles at the run's clock), tokens/s, time to
// first token, J/token; null without whole decoder blocks.
OJ design_decoder(const std::string& path, const Json& doc, double clock_hz) {
  if (!doc.contains("decoder") || !doc.at("decoder").is_object()) return nullptr;
  const Json& dec = doc.at("decoder");
  if (!dec.contains("timing") || dec.at("timing").is_null()) return nullptr;
  const auto num = [&](std::vector<std::string> keys, Range r = kCount) {
    keys.insert(keys.begin(), "decoder");
    return number_at(doc, path, keys, r);
  };
  OJ by_class = OJ::object();
  for (const char* k : {"linear", "attention_matmuls", "kv_traffic", "nonlinear", "embedding"}) {
    by_class[k] = num({"timing", "breakdown_cycles", k}) / clock_hz;
  }
  const std::string phase = opt_text(dec, "phase", path, "decoder.");
  OJ d = {
      {"phase", phase},
      {"context", static_cast<int64_t>(num({"context"}))},
      {"blocks", static_cast<int64_t>(num({"blocks"}))},
      {"model_blocks", static_cast<int64_t>(num({"model_blocks"}))},
      {"seconds_per_token_step", num({"timing", "seconds_per_token_step"}, kSeconds)},
      {"tokens_per_second", num({"timing", "tokens_per_second"})},
      {"breakdown_seconds", by_class},
      {"attention_phase_bound_by",
       opt_text(dec.at("timing").value("breakdown_cycles", Json::object()),
                "attention_phase_bound_by", path, "decoder.timing.breakdown_cycles.")},
      {"breakdown_note",
       "kv_traffic overlaps the attention matmuls on the accelerator (the attention phase costs "
       "the larger of the two), so the classes need not sum to the step"}};
  if (phase == "prefill") d["time_to_first_token_s"] = num({"timing", "time_to_first_token_s"});
  const Json& energy = dec.value("energy", Json::object());
  d["joules_per_token"] =
      energy.contains("joules_per_token") && energy.at("joules_per_token").is_number()
          ? OJ(num({"energy", "joules_per_token"}))
          : OJ(nullptr);
  // The vector unit's share of it (docs/decoder.md, "Vector unit energy and area"); null when it
  // was not characterized at the run's node (then it is not in joules_per_token).
  const Json& vu = energy.contains("vector_unit") ? energy.at("vector_unit") : Json();
  d["vector_unit_joules_per_step"] =
      vu.is_object() ? OJ(num({"energy", "vector_unit", "pj"}) * 1e-12) : OJ(nullptr);
  const Json& timing = dec.at("timing");
  if (timing.contains("whole_model")) {
    d["whole_model"] = {{"blocks", static_cast<int64_t>(num({"timing", "whole_model", "blocks"}))},
                        {"seconds_per_token_step",
                         num({"timing", "whole_model", "seconds_per_token_step"}, kSeconds)},
                        {"tokens_per_second", num({"timing", "whole_model", "tokens_per_second"})}};
    if (energy.contains("model_joules_per_token")) {
      d["whole_model"]["joules_per_token"] = num({"energy", "model_joules_per_token"});
    }
  }
  return d;
}

// The CPU's whole-block figures (result.json cpu.decoder); null for a linear-only CPU result.
OJ cpu_decoder(const std::string& path, const Json& doc) {
  const Json& c = doc.at("cpu");
  if (!c.contains("decoder") || !c.at("decoder").is_object()) return nullptr;
  const Json& dec = c.at("decoder");
  const auto num = [&](std::vector<std::string> keys, Range r = kCount) {
    keys.insert(keys.begin(), {"cpu", "decoder"});
    return number_at(doc, path, keys, r);
  };
  OJ by_class = OJ::object();
  for (const char* k : {"linear", "attention_matmuls", "kv_traffic", "nonlinear"}) {
    by_class[k] = num({"breakdown_seconds", k});
  }
  const std::string phase = opt_text(dec, "phase", path, "cpu.decoder.");
  OJ d = {{"phase", phase},
          {"context", static_cast<int64_t>(num({"context"}))},
          {"blocks", static_cast<int64_t>(num({"blocks"}))},
          {"model_blocks", static_cast<int64_t>(num({"model_blocks"}))},
          {"caches", opt_text(dec, "caches", path, "cpu.decoder.")},
          {"threads", static_cast<int64_t>(num({"threads"}))},
          {"seconds_per_token_step", num({"seconds_per_token_step"}, kSeconds)},
          {"tokens_per_second", num({"tokens_per_second"})},
          {"breakdown_seconds", by_class},
          {"joules_per_token_step", num({"joules_per_token_step"})},
          {"energy_source", opt_text(dec, "energy_source", path, "cpu.decoder.")},
          {"warm_seconds_per_token_step", num({"warm", "seconds_per_token_step"}, kSeconds)},
          {"linear_kernels", dec.value("linear_kernels", Json::object())},
          {"block0_within_rule",
           dec.value("checks", Json::object()).value("block0_within_rule", false)}};
  if (phase == "prefill") d["time_to_first_token_s"] = num({"time_to_first_token_s"});
  if (dec.contains("whole_model")) {
    d["whole_model"] = {
        {"blocks", static_cast<int64_t>(num({"whole_model", "blocks"}))},
        {"seconds_per_token_step", num({"whole_model", "seconds_per_token_step"}, kSeconds)},
        {"tokens_per_second", num({"whole_model", "tokens_per_second"})}};
  }
  return d;
}

OJ design_entry(const std::string& path, const Json& doc, const Characterization& ch,
                const std::string& char_path, const ReportOptions& opts) {
  // The run record: its metrics and cost as `lowbit run` computed them (schema-checked).
  const RunRecord rec = run_record_from_stats_json(OJ(doc), path);
  if (!rec.metrics) {
    throw InputError(
        fmt::format("{}: metrics: null is not allowed; allowed: the metrics of a "
                    "timed run (sim, rtl)",
                    path));
  }
  const std::string reason = reevaluate_reason(rec, char_path, opts);
  CostBreakdown cost;
  std::optional<CostMetrics> cm;
  if (reason.empty()) {
    cost = *rec.cost;
    cm = *rec.metrics->cost;
  } else {
    CostOptions co = opts.cost;
    if (opts.dram_from_runs && rec.metrics->dram_energy_spec) {
      co.dram_spec = *rec.metrics->dram_energy_spec;
    }
    try {
      cost = evaluate_cost(doc, path, ch, co);
    } catch (const CostInputError& e) {
      throw InputError(e.what());
    }
  }
  const Json& m = object_at(doc, "metrics", path);
  auto metric = [&](const char* k) { return number_at(doc, path, {"metrics", k}); };
  const double seconds = number_at(doc, path, {"metrics", "seconds"}, kSeconds);
  const double ops = metric("ops");
  const double ops_per_second = metric("ops_per_second");
  const double tokens_per_second = metric("tokens_per_second");
  const double tokens_per_run = std::round(tokens_per_second * seconds);
  // Counted as an int by the cost metrics (fuzz_report found 2e10 reaching that cast, UB).
  if (tokens_per_run > std::numeric_limits<int>::max()) {
    throw InputError(fmt::format(
        "{}: metrics.tokens_per_second: {} x metrics.seconds {} is {} tokens per run; allowed: at "
        "most {} tokens per run",
        path, tokens_per_second, seconds, tokens_per_run, std::numeric_limits<int>::max()));
  }
  const double clock_hz = number_at(doc, path, {"metrics", "clock_mhz"}, {1, 10000, false}) * 1e6;
  const double compute_cycles = metric("roofline_compute_cycles");
  const double dram_bytes = metric("dram_bytes");
  const double bw =
      number_at(doc, path, {"config", "top", "dram", "bandwidth_gbps"}, {0.1, 100000, false}) * 1e9;
  const double peak = compute_cycles > 0 ? ops / (compute_cycles / clock_hz) : 0.0;
  const double intensity = dram_bytes > 0 ? ops / dram_bytes : 0.0;

  // The same derived metrics as the run's (cost_metrics(), lowbit/run_metrics.h).
  if (!cm) cm = cost_metrics(cost, ch.node, ops, seconds, static_cast<int>(tokens_per_run));
  const std::optional<double> energy_j =
      cm->energy_pj ? std::optional<double>(*cm->energy_pj * 1e-12) : std::nullopt;
  const std::optional<double> area_mm2 = cm->area_mm2;
  const std::optional<double> power_w = div(energy_j, seconds);
  const double tops = ops_per_second / 1e12;

  OJ e_groups = OJ::object();
  for (const char* g : {"compute", "leakage", "buffers", "dram"}) {
    e_groups[g] = opt(group_sum(cost.energy, g));
  }
  OJ a_groups = OJ::object();
  for (const char* g : {"compute", "buffers"}) {
    const auto a = group_sum(cost.area, g);
    a_groups[g] = opt(a ? std::optional<double>(*a * 1e-6) : std::nullopt);
  }
  OJ e_components = OJ::array();
  for (const CostTerm& t : cost.energy) {
    e_components.push_back({{"component", t.component}, {"group", t.group}, {"pj", opt(t.value)}});
  }
  OJ a_components = OJ::array();
  for (const CostTerm& t : cost.area) {
    a_components.push_back(
        {{"component", t.component},
         {"group", t.group},
         {"mm2", opt(t.value ? std::optional<double>(*t.value * 1e-6) : std::nullopt)}});
  }
  const std::string name = opt_text(object_at(doc, "config", path), "name", path, "config.");
  OJ d = {{"name", name.empty() ? path : name},
          {"stats_file", path},
          {"core", cost.core},
          {"backend", opt_text(doc, "backend", path, "")},
          {"workload", opt_text(doc, "workload", path, "")},
          {"clock_mhz", clock_hz / 1e6},
          {"tiles", cost.tiles},
          {"throughput",
           {{"seconds_per_run", seconds},
            {"cycles", metric("cycles")},
            {"ops_per_run", ops},
            {"ops_per_second", ops_per_second},
            {"tokens_per_run", tokens_per_run},
            {"tokens_per_second", tokens_per_second},
            {"utilization", metric("utilization")}}},
          {"roofline",
           {{"peak_ops_per_second", peak},
            {"dram_bandwidth_bytes_per_second", bw},
            {"ridge_ops_per_byte", bw > 0 ? peak / bw : 0.0},
            {"operational_intensity_ops_per_byte", intensity},
            {"attainable_ops_per_second", std::min(peak, intensity * bw)},
            {"achieved_ops_per_second", ops_per_second},
            {"bound", intensity * bw < peak ? "memory" : "compute"},
            {"cycles_over_bound", opt_number(m, "cycles_over_bound", 0.0, path, "metrics.")}}},
          {"energy",
           {{"total_pj", opt(cm->energy_pj)},
            {"known_pj", cost.energy_known_pj},
            {"pj_per_op", opt(cm->pj_per_op)},
            {"joules_per_token", opt(cm->joules_per_token)},
            {"average_power_w", opt(power_w)},
            {"by_group_pj", e_groups},
            {"by_component", e_components}}},
          {"area",
           {{"total_mm2", opt(area_mm2)},
            {"known_mm2", cost.area_known_um2 * 1e-6},
            {"by_group_mm2", a_groups},
            {"by_component", a_components}}},
          {"efficiency",
           {{"tops", tops},
            {"tops_per_mm2", opt(cm->tops_per_mm2)},
            {"tops_per_w", opt(cm->tops_per_w)}}},
          {"cost_source", reason.empty() ? std::string("the run's record (stats.json cost)")
                                         : "re-evaluated: " + reason},
          {"cost", cost_to_json(cost)}};
  const OJ dec = design_decoder(path, doc, clock_hz);
  if (!dec.is_null()) d["decoder"] = dec;
  return d;
}

OJ cpu_entry(const std::string& path, const Json& doc) {
  if (opt_text(doc, "backend", path, "") != "cpu" || !doc.contains("cpu") ||
      !doc.at("cpu").is_object()) {
    throw InputError(
        fmt::format("{}: backend: not a CPU reference result; allowed: the result "
                    "JSON of `lowbit run --backend cpu`",
                    path));
  }
  const Json& c = doc.at("cpu");
  const double seconds = number_at(doc, path, {"cpu", "seconds_per_run"}, kSeconds);
  const double joules = number_at(doc, path, {"cpu", "joules_per_run"});
  const double tps = number_at(doc, path, {"cpu", "tokens_per_second"});
  double ops = 0.0;
  if (doc.contains("layers") && doc.at("layers").is_array()) {
    for (const Json& l : doc.at("layers")) {
      ops += opt_number(l, "ops", 0.0, path, "layers[].") *
             opt_number(l, "repeat", 1.0, path, "layers[].");
    }
  }
  const std::string source = opt_text(c, "energy_source", path, "cpu.");
  const bool measured = source.rfind("rapl", 0) == 0;
  const double tokens = std::round(tps * seconds);
  OJ best = OJ::array();
  if (c.contains("layers") && c.at("layers").is_array()) {
    for (const Json& l : c.at("layers")) {
      best.push_back({{"layer", opt_text(l, "name", path, "cpu.layers[].")},
                      {"best", opt_text(l, "best", path, "cpu.layers[].")}});
    }
  }
  OJ e = {{"result_file", path},
          {"cpu", opt_text(c, "cpu", path, "cpu.")},
          {"logical_cpus", opt_number(c, "logical_cpus", 0, path, "cpu.")},
          {"stream_triad_gbps", opt_number(c, "stream_triad_gbps", 0.0, path, "cpu.")},
          {"workload", opt_text(doc, "workload", path, "")},
          {"seconds_per_run", seconds},
          {"ops_per_run", ops},
          {"ops_per_second", seconds > 0 ? ops / seconds : 0.0},
          {"tokens_per_run", tokens},
          {"tokens_per_second", tps},
          {"joules_per_run", joules},
          {"pj_per_op", ops > 0 ? joules * 1e12 / ops : 0.0},
          {"joules_per_token", tokens > 0 ? joules / tokens : 0.0},
          {"energy_label", measured ? "measured (RAPL)" : "estimate"},
          {"energy_source", source},
          {"best_kernels", best},
          // The figures above are cold-cache (docs/cpu-reference.md); the warm ones beside them.
          {"caches", c.value("caches", std::string("warm (result without a caches label)"))},
          {"warm", c.value("warm", Json::object())},
          {"area", "not reported: a CPU die area is not measured here"}};
  OJ dec = cpu_decoder(path, doc);
  if (!dec.is_null()) e["decoder"] = std::move(dec);
  return e;
}

}  // namespace

std::pair<Characterization, std::string> report_characterization(const ReportOptions& opts) {
  std::string char_path = opts.characterization.empty() ? default_characterization_path(opts.node)
                                                        : opts.characterization;
  try {
    return {load_characterization(char_path), std::move(char_path)};
  } catch (const CostInputError& e) {
    throw InputError(e.what());
  }
}

OJ build_report(const std::vector<std::string>& stats_paths,
                const std::optional<std::string>& cpu_path, const ReportOptions& opts) {
  const auto [ch, char_path] = report_characterization(opts);
  return build_report(stats_paths, cpu_path, opts, ch, char_path);
}

OJ build_report(const std::vector<std::string>& stats_paths,
                const std::optional<std::string>& cpu_path, const ReportOptions& opts,
                const Characterization& ch, const std::string& char_path) {
  if (stats_paths.empty()) {
    throw InputError("report: no stats.json given; allowed: one or more stats.json files");
  }
  if (ch.node != opts.node) {
    throw InputError(
        fmt::format("{}: node: '{}' but the report asked for node '{}'; allowed: the "
                    "characterization file of that node",
                    char_path, ch.node, opts.node));
  }
  OJ designs = OJ::array();
  std::string workload;
  std::set<Shape> shapes;
  double ops = 0.0;
  for (std::size_t i = 0; i < stats_paths.size(); ++i) {
    const std::string& p = stats_paths[i];
    const Json doc = read_json(p, "a stats.json written by `lowbit run --stats`");
    OJ d = design_entry(p, doc, ch, char_path, opts);
    const std::set<Shape> s = stats_shapes(doc, p);
    if (i == 0) {
      workload = d["workload"];
      shapes = s;
      ops = d["throughput"]["ops_per_run"];
    } else if (d["workload"] != workload || s != shapes) {
      throw InputError(fmt::format(
          "{}: workload: '{}' ({}) differs from {}'s '{}' ({}); allowed: stats of one workload", p,
          d["workload"].get<std::string>(), shapes_text(s), stats_paths[0], workload,
          shapes_text(shapes)));
    }
    designs.push_back(std::move(d));
  }
  OJ report = {{"schema", kReportSchema},
               {"schema_version", kReportSchemaVersion},
               {"workload", workload},
               {"node", ch.node},
               {"characterization", char_path},
               {"activity", opts.cost.activity},
               {"dram_energy_spec", opts.dram_from_runs
                                        ? "each run's recorded spec, else " + opts.cost.dram_spec
                                        : opts.cost.dram_spec},
               {"designs", designs}};
  if (cpu_path) {
    const Json doc = read_json(*cpu_path, "the result JSON of `lowbit run --backend cpu`");
    OJ cpu = cpu_entry(*cpu_path, doc);
    const double cpu_ops = cpu["ops_per_run"];
    if (cpu["workload"] != workload || std::abs(cpu_ops - ops) > 1e-9 * std::max(1.0, ops)) {
      throw InputError(fmt::format(
          "{}: workload: '{}' with {} ops per run differs from the accelerator runs' '{}' with {} "
          "ops; allowed: a CPU result of the same workload",
          *cpu_path, cpu["workload"].get<std::string>(), cpu_ops, workload, ops));
    }
    for (OJ& d : report["designs"]) {
      const double acc_s = d["throughput"]["seconds_per_run"];
      const OJ& acc_pj = d["energy"]["total_pj"];
      const double cpu_j = cpu["joules_per_run"];
      d["vs_cpu"] = {{"speedup", acc_s > 0 ? cpu["seconds_per_run"].get<double>() / acc_s : 0.0},
                     {"energy_ratio",
                      acc_pj.is_null() ? OJ(nullptr) : OJ(cpu_j / (acc_pj.get<double>() * 1e-12))},
                     {"cpu_energy_label", cpu["energy_label"]},
                     {"meaning",
                      "speedup = CPU seconds / accelerator seconds per run; energy_ratio = CPU "
                      "joules / accelerator joules per run (> 1: the accelerator uses less)"}};
    }
    // Whole decoder blocks: the step on the accelerator against the CPU's whole-block step, when
    // both ran the same phase, context and blocks (whole-model figures when both were scaled).
    const OJ cd = cpu.contains("decoder") ? cpu["decoder"] : OJ(nullptr);
    for (OJ& d : report["designs"]) {
      if (!d.contains("decoder") || cd.is_null()) continue;
      OJ& ad = d["decoder"];
      for (const char* k : {"phase", "context", "blocks"}) {
        // A prefill's context is its prompt (the layers' m, equal since the ops are).
        if (std::string(k) == "context" && ad["phase"] == "prefill") continue;
        if (ad[k] != cd[k]) {
          throw InputError(fmt::format(
              "{}: cpu.decoder.{}: {} differs from {}'s decoder.{} {}; allowed: a CPU result of "
              "the same decoder step",
              *cpu_path, k, cd[k].dump(), d["stats_file"].get<std::string>(), k, ad[k].dump()));
        }
      }
      const bool whole = ad.contains("whole_model") && cd.contains("whole_model");
      const double acc_s = whole ? ad["whole_model"]["seconds_per_token_step"].get<double>()
                                 : ad["seconds_per_token_step"].get<double>();
      const double cpu_s = whole ? cd["whole_model"]["seconds_per_token_step"].get<double>()
                                 : cd["seconds_per_token_step"].get<double>();
      ad["vs_cpu"] = {{"speedup", cpu_s / acc_s},
                      {"over", whole ? "the whole model, both scaled to model_blocks"
                                     : "the run's blocks and LM head"},
                      {"meaning",
                       "CPU seconds / accelerator seconds per token step of whole decoder blocks "
                       "(cold caches on the CPU)"}};
    }
    report["cpu"] = std::move(cpu);
  }
  return report;
}

}  // namespace lowbit
