// Area and energy per MAC of a characterized unit's mpGEMM core (see per_mac_cost.h).
#include "model/cost/per_mac_cost.h"

#include <fmt/format.h>

#include <cstdint>
#include <cstdlib>
#include <map>

#include "model/arch/config_error.h"
#include "model/arch/param_info.h"
#include "model/arch/unit_registry.h"
#include "model/cost/characterization.h"
#include "model/json/json_input.h"

namespace lowbit {
namespace {

using OJson = nlohmann::ordered_json;

// The widths a map keyed by bit width ("1", "2", ...) holds; a key that is no width is an error.
std::map<int, std::string> width_keys(const OJson& obj, const std::string& path) {
  std::map<int, std::string> out;
  for (const auto& [k, v] : obj.items()) {
    char* end = nullptr;
    const long b = std::strtol(k.c_str(), &end, 10);
    if (k.empty() || *end != '\0' || b < 1 || b > 64) {
      throw CostInputError(
          fmt::format("{}.{}: not a weight width; allowed: keys 1..64 (weight bits)", path, k));
    }
    out[static_cast<int>(b)] = k;
  }
  if (out.empty()) throw CostInputError(fmt::format("{}: empty; allowed: one key per width", path));
  return out;
}

// The width of `widths` nearest to `bits`, the smaller one on a tie.
int nearest_width(const std::map<int, std::string>& widths, int bits) {
  int best = widths.begin()->first;
  for (const auto& [b, key] : widths) {
    if (std::abs(b - bits) < std::abs(best - bits)) best = b;
  }
  return best;
}

// The unit whose characterized RTL top is `top`.
const IUnitSpec* unit_of_top(const std::string& top) {
  for (const IUnitSpec* u : unit_specs()) {
    if (u->cost().rtl_top == top) return u;
  }
  return nullptr;
}

}  // namespace

CoreCost::CoreCost(const OJson& entry, const OJson& component_activity, std::string where)
    : m_entry(entry), m_component_activity(component_activity), m_where(std::move(where)) {
  if (!entry.is_object()) throw CostInputError(m_where + ": expected an object; allowed: a unit");
  const OJson& top = at(entry, "top", "top");
  std::string tops;
  for (const IUnitSpec* u : unit_specs()) tops += (tops.empty() ? "" : ", ") + u->cost().rtl_top;
  if (!top.is_string() || (m_unit = unit_of_top(top.get<std::string>())) == nullptr) {
    throw CostInputError(fmt::format("{}.top: {} is no registered unit's top; allowed: {}", m_where,
                                     top.dump(), tops));
  }
  // The RTL parameters back to the unit's config keys (one declaration per parameter), the rest
  // at their defaults, then the unit's geometry.
  const OJson& params = at(entry, "params", "params");
  nlohmann::json sub = nlohmann::json::object();
  for (const ParamInfo& p : m_unit->params()) {
    if (p.rtl_name.empty() || !params.contains(p.rtl_name)) continue;
    const OJson& v = params.at(p.rtl_name);
    if (!v.is_number()) {
      throw CostInputError(fmt::format("{}.params.{}: expected a number, got {}; allowed: {}",
                                       m_where, p.rtl_name, v.dump(), param_allowed(p)));
    }
    if (p.type == ParamType::kBool) {
      sub[param_pointer(p.path)] = v.get<double>() != 0.0;
    } else if (v.is_number_integer()) {
      sub[param_pointer(p.path)] = v.get<int64_t>();
    } else {
      sub[param_pointer(p.path)] = v.get<double>();
    }
  }
  try {
    m_geometry = m_unit->geometry(
        read_param_tree(&sub, m_unit->params(), m_where + ".params", std::string(m_unit->name())));
  } catch (const ConfigError& e) {
    throw CostInputError(e.what());
  }
  const OJson& breakdown = at(entry, "breakdown", "breakdown");
  for (const std::string& c : m_unit->cost().mpgemm_core) {
    if (breakdown.contains(c)) m_parts.push_back(c);
  }
}

const OJson& CoreCost::at(const OJson& obj, const std::string& key, const std::string& path) const {
  if (!obj.is_object() || !obj.contains(key)) {
    throw CostInputError(fmt::format(
        "{}.{}: missing; allowed: a characterization entry of rtl/synth/characterize.py", m_where,
        path));
  }
  return obj.at(key);
}

double CoreCost::number(const OJson& obj, const std::string& key, const std::string& path) const {
  const OJson& v = at(obj, key, path);
  if (!v.is_number()) {
    throw CostInputError(fmt::format("{}.{}: expected a number, got {}; allowed: a number", m_where,
                                     path, v.dump()));
  }
  return v.get<double>();
}

double CoreCost::area_um2() const {
  const OJson& bd = at(m_entry, "breakdown", "breakdown");
  double a = 0.0;
  for (const std::string& c : m_parts) {
    a += number(at(bd, c, "breakdown." + c), "area_um2", "breakdown." + c + ".area_um2");
  }
  return a;
}

// A beat is rows x tile_cols x beat_k products; it takes `bits` cycles on a bit-serial unit (one
// plane a cycle) and beat_cycles on the others (bitmod: two slice beats per K step, counted as
// one beat of products over two cycles).
double CoreCost::macs_per_cycle(int bits) const {
  const int products = m_geometry.rows * m_geometry.tile_cols * m_geometry.beat_k;
  return static_cast<double>(products) / (m_geometry.bit_serial ? bits : m_geometry.beat_cycles);
}

// Dynamic energy of the core parts over the run that simulated the nearest width, per MAC of that
// run (a bit-serial unit at another width walks bits / near as many planes per beat), plus the
// parts' leakage per steady-state cycle at power_period_ns.
std::optional<PerMacCost> CoreCost::switching_per_mac(int bits, ActivityData acts) const {
  const std::string key = acts == ActivityData::kInt8 ? "activity" : "activity_fp16";
  if (!m_entry.contains(key) || !m_entry.at(key).contains("per_bits")) return std::nullopt;
  const OJson& runs = m_entry.at(key).at("per_bits");
  if (runs.empty()) return std::nullopt;
  const auto widths = width_keys(runs, m_where + "." + key + ".per_bits");
  const int near = widths.count(bits) ? bits : nearest_width(widths, bits);
  const std::string rp = key + ".per_bits." + widths.at(near);
  const OJson& run = runs.at(widths.at(near));
  const OJson& counts = at(run, "counts", rp + ".counts");
  const double busy =
      number(counts, m_unit->cost().busy_count, rp + ".counts." + m_unit->cost().busy_count);
  const double cycles = number(counts, "cycles", rp + ".counts.cycles");
  // busy counts beats (lutcore: planes; bitmod: slice beats, beat_cycles per K step).
  const double products =
      static_cast<double>(m_geometry.rows * m_geometry.tile_cols * m_geometry.beat_k) * busy;
  const double macs = products / (m_geometry.bit_serial ? near : m_geometry.beat_cycles);
  const OJson& by_comp = at(run, "pj_per_cycle_by_component", rp + ".pj_per_cycle_by_component");
  double dyn = 0.0;
  for (const std::string& c : m_parts) {
    double part = 0.0;
    if (by_comp.contains(c)) {
      for (const auto& [k, v] : by_comp.at(c).items()) {
        part += number(by_comp.at(c), k, rp + ".pj_per_cycle_by_component." + c + "." + k);
      }
    }
    dyn += part;
  }
  dyn = dyn * cycles / macs;
  if (m_geometry.bit_serial && near != bits) dyn *= static_cast<double>(bits) / near;
  const OJson& pw = at(at(m_entry, "power_at_ref_activity", "power_at_ref_activity"),
                       "by_component", "power_at_ref_activity.by_component");
  double leak = 0.0;
  for (const std::string& c : m_parts) {
    leak += number(at(pw, c, "power_at_ref_activity.by_component." + c), "leakage_w",
                   "power_at_ref_activity.by_component." + c + ".leakage_w");
  }
  leak = leak * number(m_entry, "power_period_ns", "power_period_ns") * 1e3;
  PerMacCost out;
  out.area_um2 = area_um2() / macs_per_cycle(bits);
  out.energy_pj = dyn + leak / macs_per_cycle(bits);
  if (near != bits) out.nearest_bits = near;
  out.energy_method = "switching_activity";
  return out;
}

// The flow's first estimate: dynamic power at the reference activity scaled linearly to the
// measured activity of the width (or of the nearest measured width), leakage at power_period_ns.
PerMacCost CoreCost::global_per_mac(int bits) const {
  const OJson& measured = at(m_entry, "measured_activity", "measured_activity");
  const auto widths = width_keys(measured, m_where + ".measured_activity");
  const int near = widths.count(bits) ? bits : nearest_width(widths, bits);
  const std::string ap = "measured_activity." + widths.at(near);
  const OJson& act = measured.at(widths.at(near));
  const OJson& power = at(m_entry, "power_at_ref_activity", "power_at_ref_activity");
  const OJson& pw = at(power, "by_component", "power_at_ref_activity.by_component");
  const double ref = number(power, "activity", "power_at_ref_activity.activity");
  const double period = number(m_entry, "power_period_ns", "power_period_ns");
  double dyn = 0.0, leak = 0.0;
  for (const std::string& c : m_parts) {
    double rate = 0.0;
    if (act.is_object()) {
      // Activity by class: the file's map says which class drives the component.
      if (!m_component_activity.is_object() || !m_component_activity.contains(c) ||
          !m_component_activity.at(c).is_string()) {
        throw CostInputError(
            fmt::format("{}: lutcore_component_activity.{}: missing; allowed: the flow's "
                        "component -> activity-class map (rerun rtl/synth/characterize.py)",
                        m_where.substr(0, m_where.find(": ")), c));
      }
      rate = number(act, m_component_activity.at(c).get<std::string>(),
                    ap + "." + m_component_activity.at(c).get<std::string>());
    } else {
      rate = number(measured, widths.at(near), ap);
    }
    const std::string cp = "power_at_ref_activity.by_component." + c;
    dyn += number(at(pw, c, cp), "dynamic_w", cp + ".dynamic_w") * rate / ref;
  }
  for (const std::string& c : m_parts) {
    const std::string cp = "power_at_ref_activity.by_component." + c;
    leak += number(at(pw, c, cp), "leakage_w", cp + ".leakage_w");
  }
  PerMacCost out;
  out.area_um2 = area_um2() / macs_per_cycle(bits);
  out.energy_pj = (dyn + leak) * period * 1e3 / macs_per_cycle(bits);
  if (near != bits) out.nearest_bits = near;
  out.energy_method = "global_activity";
  return out;
}

PerMacCost CoreCost::per_mac(int bits, ActivityData acts) const {
  if (m_entry.contains("energy_method") && m_entry.at("energy_method") == "switching_activity") {
    if (auto s = switching_per_mac(bits, acts)) return *s;
  }
  return global_per_mac(bits);
}

nlohmann::ordered_json per_mac_document(const std::filesystem::path& characterization,
                                        const std::vector<int>& bits) {
  const std::string path = characterization.string();
  OJson doc;
  try {
    doc = read_ordered_json_input(characterization);
  } catch (const JsonInputError& e) {
    throw CostInputError(fmt::format(
        "{} (a characterization JSON, rtl/synth/characterization/<node>.json)", e.what()));
  }
  if (!doc.is_object() || doc.value("schema", "") != kCharacterizationSchema) {
    throw CostInputError(fmt::format("{}: schema: not a characterization file; allowed: {}", path,
                                     kCharacterizationSchema));
  }
  if (!doc.contains("units") || !doc.at("units").is_object()) {
    throw CostInputError(fmt::format("{}: units: missing; allowed: an object of entries", path));
  }
  static const OJson kNone;
  const OJson& comp_act =
      doc.contains("lutcore_component_activity") ? doc.at("lutcore_component_activity") : kNone;

  auto figures = [&bits](const CoreCost& core) {
    OJson e;
    e["unit"] = std::string(core.unit().name());
    e["core_components"] = core.components();
    e["core_area_um2"] = core.area_um2();
    OJson by_acts = OJson::object();
    for (const auto& [name, acts] :
         {std::pair{"int8", ActivityData::kInt8}, std::pair{"fp16", ActivityData::kFp16}}) {
      OJson by_bits = OJson::object();
      for (int b : bits) {
        const PerMacCost c = core.per_mac(b, acts);
        OJson f;
        f["macs_per_cycle"] = core.macs_per_cycle(b);
        f["area_um2_per_mac_cycle"] = c.area_um2;
        f["energy_pj_per_mac"] = c.energy_pj;
        f["nearest_bits"] = c.nearest_bits ? OJson(*c.nearest_bits) : OJson(nullptr);
        f["energy_method"] = c.energy_method;
        by_bits[std::to_string(b)] = std::move(f);
      }
      by_acts[name] = std::move(by_bits);
    }
    e["per_mac"] = std::move(by_acts);
    return e;
  };

  OJson out;
  out["schema"] = "lowbit.per_mac";
  out["schema_version"] = 1;
  out["characterization"] = path;
  out["node"] = doc.value("node", "");
  out["boundary"] =
      "the unit's mpGEMM core (IUnitSpec cost().mpgemm_core): what turns (activation, weight "
      "code) into an integer or fixed-point group sum; group dequant, output scaling, buffers and "
      "control are outside";
  OJson units = OJson::object();
  for (const auto& [name, entry] : doc.at("units").items()) {
    // Entries of blocks outside the registered units (the FP32 operators) have no core.
    if (!entry.is_object() || !entry.contains("top") || !entry.at("top").is_string() ||
        unit_of_top(entry.at("top").get<std::string>()) == nullptr) {
      continue;
    }
    const std::string where = path + ": units." + name;
    OJson e = figures(CoreCost(entry, comp_act, where));
    if (entry.contains("scaled") && entry.at("scaled").is_object() &&
        entry.at("scaled").contains("power_at_ref_activity")) {
      e["scaled"] = figures(CoreCost(entry.at("scaled"), comp_act, where + ".scaled"));
      e["scaled"]["config"] = entry.at("scaled").value("config", "");
    }
    units[name] = std::move(e);
  }
  out["units"] = std::move(units);
  return out;
}

}  // namespace lowbit
