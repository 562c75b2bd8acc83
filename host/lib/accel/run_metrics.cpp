// RunMetrics: the derived cost metrics and the "metrics" object of a run record.
#include "lowbit/run_metrics.h"

#include <fmt/format.h>

#include "lowbit/error.h"

namespace lowbit {
namespace {

using OJ = nlohmann::ordered_json;

OJ opt(const std::optional<double>& v) { return v ? OJ(*v) : OJ(nullptr); }

// Reads the members of a "metrics" object, naming `where` and the key in errors.
class MetricsReader {
 public:
  MetricsReader(const nlohmann::ordered_json& j, const std::string& where)
      : m_j(j), m_where(where) {
    if (!j.is_object()) fail("metrics", j, "an object");
  }

  [[noreturn]] void fail(const std::string& key, const nlohmann::ordered_json& v,
                         const std::string& allowed) const {
    throw InputError(
        fmt::format("{}: {}: {} is not allowed; allowed: {}", m_where, key, v.dump(), allowed));
  }

  bool has(const char* key) const { return m_j.contains(key); }

  const nlohmann::ordered_json& at(const char* key) const {
    if (!m_j.contains(key)) {
      throw InputError(
          fmt::format("{}: metrics.{}: missing; allowed: a run record's metrics", m_where, key));
    }
    return m_j.at(key);
  }

  double number(const char* key) const {
    const nlohmann::ordered_json& v = at(key);
    if (!v.is_number()) fail(std::string("metrics.") + key, v, "a number");
    return v.get<double>();
  }

  uint64_t count(const char* key) const {
    const nlohmann::ordered_json& v = at(key);
    if (!v.is_number_unsigned()) fail(std::string("metrics.") + key, v, "an integer >= 0");
    return v.get<uint64_t>();
  }

  std::string text(const char* key) const {
    const nlohmann::ordered_json& v = at(key);
    if (!v.is_string()) fail(std::string("metrics.") + key, v, "a string");
    return v.get<std::string>();
  }

  // A number or null (not characterized); absent = nullopt.
  std::optional<double> number_or_null(const char* key) const {
    if (!has(key) || m_j.at(key).is_null()) return std::nullopt;
    return number(key);
  }

 private:
  const nlohmann::ordered_json& m_j;
  std::string m_where;
};

}  // namespace

CostMetrics cost_metrics(const CostBreakdown& cost, const std::string& node, double ops,
                         double seconds, int tokens) {
  CostMetrics c;
  c.node = node;
  if (cost.energy_pj) {
    const double e = *cost.energy_pj;
    c.energy_pj = e;
    c.pj_per_op = e / ops;
    c.joules_per_token = tokens > 0 ? e * 1e-12 / tokens : 0.0;
    c.tops_per_w = ops / (e * 1e-12) / 1e12;
  }
  if (cost.area_um2) {
    c.area_mm2 = *cost.area_um2 * 1e-6;
    c.tops_per_mm2 = ops / seconds / 1e12 / (*cost.area_um2 * 1e-6);
  }
  return c;
}

OJ to_json(const RunMetrics& m) {
  OJ j = {{"cycles", m.cycles},
          {"seconds", m.seconds},
          {"clock_mhz", m.clock_mhz},
          {"ops", m.ops},
          {"ops_per_second", m.ops_per_second},
          {"utilization", m.utilization},
          {"dram_bytes", m.dram_bytes},
          {"dram_bandwidth_used_gbps", m.dram_bandwidth_used_gbps},
          {"memory_bandwidth_deliverable_gbps", m.memory_bandwidth_deliverable_gbps},
          {"memory_bandwidth_limit", m.memory_bandwidth_limit},
          {"weight_port_gbps", m.weight_port_gbps},
          {"roofline_compute_cycles", m.roofline_compute_cycles},
          {"roofline_memory_cycles", m.roofline_memory_cycles},
          {"roofline_bound_cycles", m.roofline_bound_cycles},
          {"cycles_over_bound", m.cycles_over_bound},
          {"op_row_occupancy", m.op_row_occupancy},
          {"tokens_per_second", m.tokens_per_second}};
  if (m.compute_cycles_at_rows_in_use) {
    j["compute_cycles_at_rows_in_use"] = *m.compute_cycles_at_rows_in_use;
  }
  if (m.dequant_stall_cycles) j["dequant_stall_cycles"] = *m.dequant_stall_cycles;
  if (m.dram_energy_spec) j["dram_energy_spec"] = *m.dram_energy_spec;
  if (m.cost) {
    const CostMetrics& c = *m.cost;
    j["cost_node"] = c.node;
    j["energy_pj"] = opt(c.energy_pj);
    if (c.energy_pj) {
      j["pj_per_op"] = opt(c.pj_per_op);
      j["joules_per_token"] = opt(c.joules_per_token);
      j["tops_per_w"] = opt(c.tops_per_w);
    }
    j["area_mm2"] = opt(c.area_mm2);
    if (c.area_mm2) j["tops_per_mm2"] = opt(c.tops_per_mm2);
  }
  return j;
}

RunMetrics run_metrics_from_json(const nlohmann::ordered_json& j, const std::string& where) {
  const MetricsReader r(j, where);
  RunMetrics m;
  m.cycles = r.count("cycles");
  m.seconds = r.number("seconds");
  m.clock_mhz = r.number("clock_mhz");
  m.ops = r.number("ops");
  m.ops_per_second = r.number("ops_per_second");
  m.utilization = r.number("utilization");
  m.dram_bytes = r.number("dram_bytes");
  m.dram_bandwidth_used_gbps = r.number("dram_bandwidth_used_gbps");
  m.memory_bandwidth_deliverable_gbps = r.number("memory_bandwidth_deliverable_gbps");
  m.memory_bandwidth_limit = r.text("memory_bandwidth_limit");
  m.weight_port_gbps = r.number("weight_port_gbps");
  m.roofline_compute_cycles = r.number("roofline_compute_cycles");
  m.roofline_memory_cycles = r.number("roofline_memory_cycles");
  m.roofline_bound_cycles = r.number("roofline_bound_cycles");
  m.cycles_over_bound = r.number("cycles_over_bound");
  m.op_row_occupancy = r.number("op_row_occupancy");
  m.tokens_per_second = r.number("tokens_per_second");
  if (r.has("compute_cycles_at_rows_in_use")) {
    m.compute_cycles_at_rows_in_use = r.number("compute_cycles_at_rows_in_use");
  }
  if (r.has("dequant_stall_cycles")) m.dequant_stall_cycles = r.count("dequant_stall_cycles");
  if (r.has("dram_energy_spec")) m.dram_energy_spec = r.text("dram_energy_spec");
  if (r.has("cost_node")) {
    CostMetrics c;
    c.node = r.text("cost_node");
    c.energy_pj = r.number_or_null("energy_pj");
    c.pj_per_op = r.number_or_null("pj_per_op");
    c.joules_per_token = r.number_or_null("joules_per_token");
    c.tops_per_w = r.number_or_null("tops_per_w");
    c.area_mm2 = r.number_or_null("area_mm2");
    c.tops_per_mm2 = r.number_or_null("tops_per_mm2");
    m.cost = c;
  }
  return m;
}

const std::vector<std::string>& run_metric_names() {
  static const std::vector<std::string> names = {"cycles",
                                                 "seconds",
                                                 "clock_mhz",
                                                 "ops",
                                                 "ops_per_second",
                                                 "utilization",
                                                 "dram_bytes",
                                                 "dram_bandwidth_used_gbps",
                                                 "memory_bandwidth_deliverable_gbps",
                                                 "weight_port_gbps",
                                                 "roofline_compute_cycles",
                                                 "roofline_memory_cycles",
                                                 "roofline_bound_cycles",
                                                 "cycles_over_bound",
                                                 "op_row_occupancy",
                                                 "tokens_per_second",
                                                 "compute_cycles_at_rows_in_use",
                                                 "dequant_stall_cycles",
                                                 "energy_pj",
                                                 "pj_per_op",
                                                 "joules_per_token",
                                                 "tops_per_w",
                                                 "area_mm2",
                                                 "tops_per_mm2"};
  return names;
}

}  // namespace lowbit
