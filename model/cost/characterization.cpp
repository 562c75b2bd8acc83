// Reads and schema-checks characterization JSON (schema lowbit.characterization v1).
#include "model/cost/characterization.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "model/json/json_input.h"

namespace lowbit {
namespace {

using Json = nlohmann::json;

class Reader {
 public:
  explicit Reader(std::string path) : m_path(std::move(path)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& problem,
                         const std::string& allowed) const {
    throw CostInputError(fmt::format("{}: {}: {}; allowed: {}", m_path, key, problem, allowed));
  }

  static std::string kind(const Json& v) {
    if (v.is_null()) return "null";
    if (v.is_boolean()) return "a boolean";
    if (v.is_number()) return "a number";
    if (v.is_string()) return "a string";
    if (v.is_array()) return "an array";
    return "an object";
  }

  const Json& member(const Json& obj, const std::string& key, const std::string& where) const {
    const std::string full = where.empty() ? key : where + "." + key;
    if (!obj.contains(key)) fail(full, "missing", "the schema's required key");
    return obj.at(key);
  }

  double number(const Json& obj, const std::string& key, const std::string& where,
                bool non_negative = true) const {
    const std::string full = where.empty() ? key : where + "." + key;
    const Json& v = member(obj, key, where);
    if (!v.is_number()) fail(full, "expected a number, got " + kind(v), "a number");
    const double d = v.get<double>();
    if (non_negative && !(d >= 0.0)) fail(full, fmt::format("{} is negative", d), ">= 0");
    return d;
  }

  std::optional<double> opt_number(const Json& obj, const std::string& key,
                                   const std::string& where) const {
    if (!obj.contains(key) || obj.at(key).is_null()) return std::nullopt;
    return number(obj, key, where);
  }

  std::string string(const Json& obj, const std::string& key, const std::string& where) const {
    const Json& v = member(obj, key, where);
    if (!v.is_string()) {
      fail(where.empty() ? key : where + "." + key, "expected a string, got " + kind(v),
           "a string");
    }
    return v.get<std::string>();
  }

  const Json& object(const Json& obj, const std::string& key, const std::string& where) const {
    const Json& v = member(obj, key, where);
    if (!v.is_object()) {
      fail(where.empty() ? key : where + "." + key, "expected an object, got " + kind(v),
           "an object");
    }
    return v;
  }

  std::map<std::string, double> number_map(const Json& obj, const std::string& where) const {
    std::map<std::string, double> out;
    for (const auto& [k, v] : obj.items()) out[k] = number(obj, k, where);
    return out;
  }

  // "stats.core.<instance><i>.<counter>" -> {instance, counter}.
  EventCounter event_counter(const Json& v, const std::string& where) const {
    const std::string allowed =
        "\"stats.core.<instance><i>.<counter>\", e.g. "
        "\"stats.core.tile<i>.array.planes\"";
    if (!v.is_string()) fail(where, "expected a string, got " + kind(v), allowed);
    const std::string text = v.get<std::string>();
    const std::string prefix = "stats.core.";
    const std::size_t mark = text.find("<i>.");
    if (text.rfind(prefix, 0) != 0 || mark == std::string::npos || mark <= prefix.size() ||
        mark + 4 >= text.size()) {
      fail(where, "'" + text + "' is not a stats counter path", allowed);
    }
    return {text.substr(prefix.size(), mark - prefix.size()), text.substr(mark + 4)};
  }

  std::map<std::string, EventCounter> event_counter_map(const Json& obj,
                                                        const std::string& where) const {
    std::map<std::string, EventCounter> out;
    for (const auto& [k, v] : obj.items()) {
      // The flow writes null for an entry's events that no stats counter measures ("op").
      if (v.is_null()) continue;
      out[k] = event_counter(v, where + "." + k);
    }
    return out;
  }

  CharUnit unit(const std::string& name, const Json& u) const {
    const std::string w = "units." + name;
    if (!u.is_object()) fail(w, "expected an object, got " + kind(u), "an object");
    CharUnit c;
    c.name = name;
    c.top = string(u, "top", w);
    c.params = u.contains("params") ? object(u, "params", w) : Json::object();
    if (u.contains("config") && u.at("config").is_string()) c.config = u.at("config");
    c.area_um2 = number(u, "area_um2", w);
    c.fmax_mhz = opt_number(u, "fmax_mhz", w);
    if (u.contains("critical_path_note")) c.fmax_note = string(u, "critical_path_note", w);
    c.leakage_w = number(u, "leakage_w", w);
    c.power_period_ns = number(u, "power_period_ns", w);
    if (!(c.power_period_ns > 0.0)) fail(w + ".power_period_ns", "is 0", "> 0");
    const Json& bd = object(u, "breakdown", w);
    const Json* power = nullptr;
    if (u.contains("power_at_ref_activity")) {
      const Json& p = object(u, "power_at_ref_activity", w);
      c.ref_activity = number(p, "activity", w + ".power_at_ref_activity");
      power = &object(p, "by_component", w + ".power_at_ref_activity");
    }
    for (const auto& [k, v] : bd.items()) {
      const std::string bw = w + ".breakdown." + k;
      if (!v.is_object()) fail(bw, "expected an object, got " + kind(v), "an object");
      CharComponent comp;
      comp.name = k;
      comp.area_um2 = number(v, "area_um2", bw);
      if (power != nullptr && power->contains(k)) {
        const std::string pw = w + ".power_at_ref_activity.by_component." + k;
        comp.dynamic_w_ref = number(power->at(k), "dynamic_w", pw);
        comp.leakage_w = number(power->at(k), "leakage_w", pw);
      }
      if (u.contains("dynamic_pj_per_cycle_by_component")) {
        const std::string aw = w + ".dynamic_pj_per_cycle_by_component";
        const Json& a = object(u, "dynamic_pj_per_cycle_by_component", w);
        if (a.contains(k)) comp.dynamic_pj_activity = number(a, k, aw);
      }
      c.breakdown.push_back(std::move(comp));
    }
    const Json& e = object(u, "energy_pj", w);
    c.energy_default = number_map(object(e, "default_activity", w + ".energy_pj"),
                                  w + ".energy_pj.default_activity");
    if (e.contains("measured_activity")) {
      c.energy_measured = number_map(object(e, "measured_activity", w + ".energy_pj"),
                                     w + ".energy_pj.measured_activity");
    }
    if (e.contains("measured_activity_fp16")) {
      c.energy_measured_fp16 = number_map(object(e, "measured_activity_fp16", w + ".energy_pj"),
                                          w + ".energy_pj.measured_activity_fp16");
    }
    if (u.contains("event_counters")) {
      c.event_counters = event_counter_map(object(u, "event_counters", w), w + ".event_counters");
    }
    if (u.contains("method") && u.at("method").is_string()) c.method = u.at("method");
    if (u.contains("rule") && u.at("rule").is_string()) c.rule = u.at("rule");
    if (u.contains("scaled")) {
      const std::string sw = w + ".scaled";
      const Json& s = object(u, "scaled", w);
      CharScaled sc;
      sc.config = string(s, "config", sw);
      if (s.contains("rule") && s.at("rule").is_string()) sc.rule = s.at("rule");
      if (s.contains("critical_path_note")) sc.fmax_note = string(s, "critical_path_note", sw);
      sc.area_um2 = number(s, "area_um2", sw);
      sc.breakdown_area_um2 =
          number_map(object(s, "breakdown_area_um2", sw), sw + ".breakdown_area_um2");
      sc.factors = number_map(object(s, "factors", sw), sw + ".factors");
      c.scaled = std::move(sc);
    }
    return c;
  }

  CharPrimitive primitive(const std::string& name, const Json& v) const {
    const std::string w = "validation.primitives." + name;
    if (!v.is_object()) fail(w, "expected an object, got " + kind(v), "an object");
    CharPrimitive p;
    p.what = v.contains("what") ? string(v, "what", w) : name;
    p.datapath_pj = number(v, "datapath_pj", w);
    p.registers_pj = number(v, "registers_pj", w);
    p.clock_pj = number(v, "clock_pj", w);
    p.area_um2 = number(v, "area_um2", w);
    return p;
  }

  Characterization parse(const Json& doc) const {
    if (!doc.is_object()) fail("(top level)", "expected an object, got " + kind(doc), "an object");
    const std::string schema = string(doc, "schema", "");
    if (schema != kCharacterizationSchema) {
      fail("schema", "'" + schema + "' is not a characterization file", kCharacterizationSchema);
    }
    const Json& ver = member(doc, "schema_version", "");
    if (!ver.is_number_integer() || ver.get<int>() != kCharacterizationSchemaVersion) {
      fail("schema_version", "unsupported version " + ver.dump(),
           std::to_string(kCharacterizationSchemaVersion));
    }
    Characterization c;
    c.path = m_path;
    c.node = string(doc, "node", "");
    if (doc.contains("description") && doc.at("description").is_string()) {
      c.description = doc.at("description");
    }
    if (doc.contains("event_definitions") && doc.at("event_definitions").is_object()) {
      for (const auto& [k, v] : doc.at("event_definitions").items()) {
        if (v.is_string()) c.event_definitions[k] = v.get<std::string>();
      }
    }
    if (doc.contains("event_counters")) {
      c.event_counters = event_counter_map(object(doc, "event_counters", ""), "event_counters");
    }
    for (const auto& [k, v] : object(doc, "units", "").items()) c.units.push_back(unit(k, v));
    if (doc.contains("validation")) {
      const Json& val = object(doc, "validation", "");
      if (val.contains("primitives")) {
        for (const auto& [k, v] : object(val, "primitives", "validation").items()) {
          c.primitives[k] = primitive(k, v);
        }
      }
    }
    return c;
  }

 private:
  std::string m_path;
};

}  // namespace

const CharUnit* Characterization::find(const std::string& name) const {
  for (const CharUnit& u : units) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

const CharPrimitive* Characterization::primitive(const std::string& name) const {
  const auto it = primitives.find(name);
  return it == primitives.end() ? nullptr : &it->second;
}

Characterization parse_characterization(const nlohmann::json& doc, const std::string& path) {
  return Reader(path).parse(doc);
}

Characterization load_characterization(const std::filesystem::path& path) {
  nlohmann::json doc;
  try {
    doc = read_json_input(path);
  } catch (const JsonInputError& e) {
    throw CostInputError(fmt::format(
        "{} (a characterization JSON, rtl/synth/characterization/<node>.json)", e.what()));
  }
  return parse_characterization(doc, path.string());
}

}  // namespace lowbit
