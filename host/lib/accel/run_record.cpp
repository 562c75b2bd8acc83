// RunRecord: result.json and stats.json of a run, and reading a stats.json back.
#include "lowbit/run_record.h"

#include <fmt/format.h>

#include "lowbit/error.h"

namespace lowbit {
namespace {

using OJ = nlohmann::ordered_json;
using Json = nlohmann::ordered_json;

OJ layer_json(const LayerRecord& l) {
  OJ j = {{"name", l.name},
          {"m", l.m},
          {"n", l.n},
          {"k", l.k},
          {"weight_format", l.weight_format},
          {"group_size", l.group_size},
          {"activation_format", l.activation_format},
          {"seed", l.seed},
          {"repeat", l.repeat},
          {"ops", l.ops},
          {"integer_paths_bit_exact", l.integer_paths_bit_exact},
          {"max_abs_diff_vs_reference", l.max_abs_diff_vs_reference},
          {"error_bound", l.error_bound},
          {"quantization_rel_error", l.quantization_rel_error}};
  if (!l.model_tensor.empty()) {
    j["model_tensor"] = l.model_tensor;
    j["model_type"] = l.model_type;
  }
  if (!l.weight_type_mix.empty()) {
    OJ mix = OJ::object();
    for (const auto& [type, groups] : l.weight_type_mix) mix[type] = groups;
    j["weight_type_mix"] = mix;
    j["rtn_weight_format"] = l.rtn_weight_format;
    j["rtn_quantization_rel_error"] = l.rtn_quantization_rel_error;
  }
  return j;
}

[[noreturn]] void bad(const std::string& path, const std::string& key, const Json* v,
                      const std::string& allowed) {
  throw InputError(fmt::format("{}: {}: {}; allowed: {}", path, key,
                               v != nullptr ? v->dump() + " is not allowed" : "missing", allowed));
}

const Json& member(const Json& obj, const std::string& key, const std::string& path,
                   const std::string& where) {
  if (!obj.is_object() || !obj.contains(key)) {
    bad(path, where + key, nullptr, "a stats.json written by `lowbit run --stats`");
  }
  return obj.at(key);
}

std::string text(const Json& obj, const std::string& key, const std::string& path,
                 const std::string& where = "") {
  const Json& v = member(obj, key, path, where);
  if (!v.is_string()) bad(path, where + key, &v, "a string");
  return v.get<std::string>();
}

template <typename T>
T integer(const Json& obj, const std::string& key, const std::string& path,
          const std::string& where) {
  const Json& v = member(obj, key, path, where);
  if (!v.is_number_integer() || v.get<int64_t>() < 0) bad(path, where + key, &v, "an integer >= 0");
  return v.get<T>();
}

double number(const Json& obj, const std::string& key, const std::string& path,
              const std::string& where) {
  const Json& v = member(obj, key, path, where);
  if (!v.is_number()) bad(path, where + key, &v, "a number");
  return v.get<double>();
}

bool boolean(const Json& obj, const std::string& key, const std::string& path,
             const std::string& where) {
  const Json& v = member(obj, key, path, where);
  if (!v.is_boolean()) bad(path, where + key, &v, "true or false");
  return v.get<bool>();
}

LayerTiling tiling_from_json(const Json& t, const std::string& path, const std::string& where) {
  LayerTiling x;
  x.name = text(t, "layer", path, where);
  x.m = integer<int>(t, "m", path, where);
  x.n = integer<int>(t, "n", path, where);
  x.k = integer<int>(t, "k", path, where);
  x.group = integer<int>(t, "group", path, where);
  x.rows_per_op = integer<int>(t, "rows_per_op", path, where);
  x.cols_per_op = integer<int>(t, "cols_per_op", path, where);
  x.k_chunk = integer<int>(t, "k_chunk", path, where);
  x.act_resident = boolean(t, "act_resident", path, where);
  x.weight_stationary = boolean(t, "weight_stationary", path, where);
  x.m_blocks = integer<int>(t, "m_blocks", path, where);
  x.n_blocks = integer<int>(t, "n_blocks", path, where);
  x.k_chunks = integer<int>(t, "k_chunks", path, where);
  x.peak_macs_per_cycle = number(t, "peak_macs_per_cycle", path, where);
  x.weight_bytes = integer<uint64_t>(t, "weight_bytes", path, where);
  x.scale_bytes = integer<uint64_t>(t, "scale_bytes", path, where);
  x.act_bytes = integer<uint64_t>(t, "act_bytes", path, where);
  x.out_bytes = integer<uint64_t>(t, "out_bytes", path, where);
  if (t.contains("act_datapath")) {  // absent in records written before the key
    x.act_datapath = text(t, "act_datapath", path, where);
    if (x.act_datapath != "int8" && x.act_datapath != "fp16") {
      bad(path, where + "act_datapath", &t.at("act_datapath"), "\"int8\" or \"fp16\"");
    }
  }
  return x;
}

}  // namespace

LayerRecord layer_record(const LayerSpec& l) {
  LayerRecord r;
  r.name = l.name;
  r.m = l.m;
  r.n = l.n;
  r.k = l.k;
  r.weight_format = l.weight_format;
  r.group_size = l.group_size;
  r.activation_format = l.activation_format;
  r.seed = l.seed;
  r.repeat = l.repeat;
  r.ops = layer_ops(l);
  r.model_tensor = l.model_tensor;
  r.model_type = l.model_type;
  return r;
}

OJ result_json(const RunRecord& r) {
  OJ j = {{"schema_version", r.schema_version},
          {"workload", r.workload},
          {"config", r.config_name},
          {"core", r.core},
          {"backend", r.backend}};
  for (const LayerRecord& l : r.layers) j["layers"].push_back(layer_json(l));
  if (r.backend == "cpu") {
    j["cpu"] = r.cpu;
  } else {
    j["metrics"] = r.metrics ? to_json(*r.metrics) : OJ(nullptr);
    j["ops_per_run"] = r.ops_per_run;
    j["not_modelled"] = r.not_modelled;
    if (!r.decoder.is_null()) j["decoder"] = r.decoder;
  }
  j["verified"] = r.outputs_computed ? OJ(r.verified) : OJ(nullptr);
  return j;
}

OJ stats_json(const RunRecord& r) {
  OJ tiling = OJ::array();
  for (const LayerTiling& t : r.tiling) tiling.push_back(t.to_json());
  OJ j = {{"schema_version", r.schema_version},
          {"workload", r.workload},
          {"config", r.config},
          {"backend", r.backend},
          {"metrics", r.metrics ? to_json(*r.metrics) : OJ(nullptr)},
          {"tiling", tiling}};
  if (!r.stats.is_null()) j["stats"] = r.stats;
  if (r.cost) j["cost"] = cost_to_json(*r.cost);
  if (!r.decoder.is_null()) j["decoder"] = r.decoder;
  return j;
}

RunRecord run_record_from_stats_json(const Json& doc, const std::string& path) {
  if (!doc.is_object()) {
    throw InputError(
        fmt::format("{}: (top level): not a JSON object; allowed: a stats.json "
                    "written by `lowbit run --stats`",
                    path));
  }
  const std::string version_allowed = fmt::format(
      "{} (a stats.json written by `lowbit run --stats` of this version; rerun older runs)",
      kRunRecordSchemaVersion);
  if (!doc.contains("schema_version")) bad(path, "schema_version", nullptr, version_allowed);
  const Json& v = doc.at("schema_version");
  if (!v.is_number_integer() || v.get<int64_t>() != kRunRecordSchemaVersion) {
    bad(path, "schema_version", &v, version_allowed);
  }
  RunRecord r;
  r.schema_version = kRunRecordSchemaVersion;
  r.workload = text(doc, "workload", path);
  const Json& config = member(doc, "config", path, "");
  if (!config.is_object()) bad(path, "config", &config, "the config tree `lowbit run` writes");
  r.config = config;
  r.config_name = config.contains("name") ? text(config, "name", path, "config.") : "";
  r.core = text(config, "core", path, "config.");
  r.backend = text(doc, "backend", path);
  const Json& metrics = member(doc, "metrics", path, "");
  if (!metrics.is_null()) r.metrics = run_metrics_from_json(metrics, path);
  const Json& tiling = member(doc, "tiling", path, "");
  if (!tiling.is_array()) bad(path, "tiling", &tiling, "an array of layer tilings");
  for (size_t i = 0; i < tiling.size(); ++i) {
    r.tiling.push_back(tiling_from_json(tiling[i], path, "tiling[]."));
  }
  if (doc.contains("stats")) {
    if (!doc.at("stats").is_object()) bad(path, "stats", &doc.at("stats"), "an object");
    r.stats = doc.at("stats");
  }
  if (doc.contains("cost")) {
    try {
      r.cost = cost_from_json(doc.at("cost"), path);
    } catch (const CostInputError& e) {
      throw InputError(e.what());
    }
    r.cost->config = r.config_name;
    r.cost->core = r.core;
  }
  if (doc.contains("decoder")) {
    if (!doc.at("decoder").is_object()) bad(path, "decoder", &doc.at("decoder"), "an object");
    r.decoder = doc.at("decoder");
  }
  if (r.metrics) r.ops_per_run = r.metrics->ops;
  return r;
}

}  // namespace lowbit
