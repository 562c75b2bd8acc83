// report.csv: the report's headline numbers, one row per design plus one for the CPU reference.
#include "lowbit/report_csv.h"

#include <string>
#include <vector>

namespace lowbit {
namespace {

using OJ = nlohmann::ordered_json;

// A JSON value at a '/'-separated path as CSV text: numbers exactly as report.json prints them,
// strings quoted when needed, null / absent as an empty cell.
std::string cell(const OJ& root, const std::string& pointer) {
  const OJ::json_pointer p(pointer);
  if (!root.contains(p)) return "";
  const OJ& v = root.at(p);
  if (v.is_null()) return "";
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  return v.dump();
}

struct Column {
  const char* name;
  const char* design;  // JSON pointer inside a design; "" = none
  const char* cpu;     // JSON pointer inside report.cpu; "" = none
};

constexpr Column kColumns[] = {
    {"name", "/name", "/cpu"},
    {"core", "/core", ""},
    {"workload", "/workload", "/workload"},
    {"seconds_per_run", "/throughput/seconds_per_run", "/seconds_per_run"},
    {"ops_per_run", "/throughput/ops_per_run", "/ops_per_run"},
    {"ops_per_second", "/throughput/ops_per_second", "/ops_per_second"},
    {"tokens_per_second", "/throughput/tokens_per_second", "/tokens_per_second"},
    {"energy_pj", "/energy/total_pj", ""},
    {"joules_per_run", "", "/joules_per_run"},
    {"pj_per_op", "/energy/pj_per_op", "/pj_per_op"},
    {"joules_per_token", "/energy/joules_per_token", "/joules_per_token"},
    {"energy_label", "", "/energy_label"},
    {"area_mm2", "/area/total_mm2", ""},
    {"tops_per_mm2", "/efficiency/tops_per_mm2", ""},
    {"tops_per_w", "/efficiency/tops_per_w", ""},
    {"operational_intensity_ops_per_byte", "/roofline/operational_intensity_ops_per_byte", ""},
    {"peak_ops_per_second", "/roofline/peak_ops_per_second", ""},
    {"bound", "/roofline/bound", ""},
    {"speedup_vs_cpu", "/vs_cpu/speedup", ""},
    {"energy_ratio_vs_cpu", "/vs_cpu/energy_ratio", ""},
    {"energy_compute_pj", "/energy/by_group_pj/compute", ""},
    {"energy_leakage_pj", "/energy/by_group_pj/leakage", ""},
    {"energy_buffers_pj", "/energy/by_group_pj/buffers", ""},
    {"energy_dram_pj", "/energy/by_group_pj/dram", ""},
    {"area_compute_mm2", "/area/by_group_mm2/compute", ""},
    {"area_buffers_mm2", "/area/by_group_mm2/buffers", ""},
    // Whole decoder blocks (empty without them): the step and its operator classes, seconds.
    {"decoder_seconds_per_token_step", "/decoder/seconds_per_token_step",
     "/decoder/seconds_per_token_step"},
    {"decoder_tokens_per_second", "/decoder/tokens_per_second", "/decoder/tokens_per_second"},
    {"decoder_time_to_first_token_s", "/decoder/time_to_first_token_s",
     "/decoder/time_to_first_token_s"},
    {"decoder_linear_s", "/decoder/breakdown_seconds/linear", "/decoder/breakdown_seconds/linear"},
    {"decoder_attention_matmuls_s", "/decoder/breakdown_seconds/attention_matmuls",
     "/decoder/breakdown_seconds/attention_matmuls"},
    {"decoder_kv_traffic_s", "/decoder/breakdown_seconds/kv_traffic",
     "/decoder/breakdown_seconds/kv_traffic"},
    {"decoder_nonlinear_s", "/decoder/breakdown_seconds/nonlinear",
     "/decoder/breakdown_seconds/nonlinear"},
    {"decoder_embedding_s", "/decoder/breakdown_seconds/embedding", ""},
    {"decoder_joules_per_token", "/decoder/joules_per_token", ""},
    {"decoder_model_tokens_per_second", "/decoder/whole_model/tokens_per_second",
     "/decoder/whole_model/tokens_per_second"},
    {"decoder_speedup_vs_cpu", "/decoder/vs_cpu/speedup", ""},
    {"node", "", ""},
};

}  // namespace

std::string report_csv(const OJ& report) {
  std::string out = "kind";
  for (const Column& c : kColumns) out += std::string(",") + c.name;
  out += "\n";
  for (const OJ& d : report.at("designs")) {
    out += "accelerator";
    for (const Column& c : kColumns) {
      out += ",";
      if (std::string(c.name) == "node") {
        out += cell(report, "/node");
      } else if (*c.design != '\0') {
        out += cell(d, c.design);
      }
    }
    out += "\n";
  }
  if (report.contains("cpu")) {
    const OJ& cpu = report.at("cpu");
    out += "cpu";
    for (const Column& c : kColumns) {
      out += ",";
      if (*c.cpu != '\0') out += cell(cpu, c.cpu);
    }
    out += "\n";
  }
  return out;
}

}  // namespace lowbit
