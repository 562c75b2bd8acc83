// Cost model: stats events x characterized energy per event + leakage x time; units x area + SRAM.
#include "model/cost/cost_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <utility>

#include "model/arch/top_params.h"
#include "model/arch/unit_registry.h"
#include "model/cost/dram_energy.h"
#include "model/cost/sram_model.h"

namespace lowbit {
namespace {

using Json = nlohmann::json;

constexpr double kPjPerJoule = 1e12;
// The largest counter a stats.json may hold where the cost model needs it as an integer: 2^53,
// every integer up to it exact in a double, so the sum of two fits in 64 bits.
constexpr double kMaxCounter = 9007199254740992.0;
constexpr const char* kBufferNames[] = {"act", "weight", "scale", "out"};

class StatsDoc {
 public:
  StatsDoc(const Json& doc, std::string path) : m_doc(doc), m_path(std::move(path)) {
    if (!doc.is_object()) fail("(top level)", "expected an object", "a stats.json of lowbit run");
    for (const char* k : {"config", "metrics", "stats"}) {
      if (!doc.contains(k) || !doc.at(k).is_object()) {
        fail(k, "missing or not an object", "a stats.json written by `lowbit run --stats`");
      }
    }
  }

  [[noreturn]] void fail(const std::string& key, const std::string& problem,
                         const std::string& allowed) const {
    throw CostInputError(fmt::format("{}: {}: {}; allowed: {}", m_path, key, problem, allowed));
  }

  const Json& at(const std::string& dotted) const {
    const Json* j = &m_doc;
    std::size_t pos = 0;
    while (pos <= dotted.size()) {
      const std::size_t dot = dotted.find('.', pos);
      const std::string part = dotted.substr(pos, dot == std::string::npos ? dot : dot - pos);
      if (!j->is_object() || !j->contains(part)) fail(dotted, "missing", "a lowbit run stats.json");
      j = &j->at(part);
      if (dot == std::string::npos) break;
      pos = dot + 1;
    }
    return *j;
  }

  double number(const std::string& dotted) const {
    const Json& j = at(dotted);
    if (!j.is_number()) fail(dotted, "expected a number", "a number");
    return j.get<double>();
  }

  // The integer hardware parameter config.top.<path>, in the range the config parser allows
  // (top_param_infos): checked before any cast, a stats.json is input.
  double top_integer(const std::string& path) const {
    const auto& infos = top_param_infos();
    const auto it = std::find_if(infos.begin(), infos.end(),
                                 [&](const ParamInfo& i) { return i.path == path; });
    if (it == infos.end()) throw std::logic_error("no top parameter " + path);
    const std::string dotted = "config.top." + path;
    const double v = number(dotted), lo = it->min_value, hi = it->max_value;
    if (!(v >= lo && v <= hi) || v != std::floor(v)) {
      fail(dotted, fmt::format("{} is out of range", v),
           fmt::format("an integer in [{}, {}]", lo, hi));
    }
    return v;
  }

  std::string string(const std::string& dotted) const {
    const Json& j = at(dotted);
    if (!j.is_string()) fail(dotted, "expected a string", "a string");
    return j.get<std::string>();
  }

  // A stats leaf {"value": v, ...} at `dotted` (relative to `base`), or nullopt if absent.
  static std::optional<double> leaf(const Json& base, const std::string& dotted) {
    const Json* j = &base;
    std::size_t pos = 0;
    while (true) {
      const std::size_t dot = dotted.find('.', pos);
      const std::string part = dotted.substr(pos, dot == std::string::npos ? dot : dot - pos);
      if (!j->is_object() || !j->contains(part)) return std::nullopt;
      j = &j->at(part);
      if (dot == std::string::npos) break;
      pos = dot + 1;
    }
    if (j->is_object() && j->contains("value") && j->at("value").is_number()) {
      return j->at("value").get<double>();
    }
    return std::nullopt;
  }

  // Sum of `counter` over the core's <instance><i> subtrees (tile0, tile1, ...); nullopt if no
  // subtree has it.
  std::optional<double> core_sum(const std::string& instance, const std::string& counter) const {
    const Json& core = at("stats.core");
    std::optional<double> sum;
    for (const auto& [k, v] : core.items()) {
      if (!v.is_object() || v.contains("value")) continue;
      if (k.rfind(instance, 0) != 0 || k.size() == instance.size()) continue;
      if (!std::all_of(k.begin() + static_cast<std::ptrdiff_t>(instance.size()), k.end(),
                       [](char ch) { return ch >= '0' && ch <= '9'; })) {
        continue;
      }
      if (auto x = leaf(v, counter)) sum = sum.value_or(0.0) + *x;
    }
    return sum;
  }

  const Json& doc() const { return m_doc; }
  const std::string& path() const { return m_path; }

 private:
  const Json& m_doc;
  std::string m_path;
};

// RTL parameter values the config implies, keyed like the characterization's "params": every
// declared parameter with an RTL name (those marked rtl_only_if_changed only when not at their
// default, as characterize.py records them; an older stats.json without such a key means default).
Json expected_params(const StatsDoc& s, const IUnitSpec& unit) {
  const std::string core(unit.name());
  Json p = Json::object();
  for (const ParamInfo& info : unit.params()) {
    if (info.rtl_name.empty()) continue;
    const std::string key = "config." + core + "." + info.path;
    if (info.rtl_only_if_changed && !s.at("config." + core).contains(info.path)) continue;
    const Json& j = s.at(key);
    const double v = j.is_boolean() ? (j.get<bool>() ? 1.0 : 0.0) : s.number(key);
    if (info.rtl_only_if_changed && v == info.default_value) continue;
    p[info.rtl_name] = v;
  }
  return p;
}

bool params_match(const Json& unit_params, const Json& want) {
  // Same key set too: a unit built with an extra parameter (lutcore Sym = 0) is another design.
  if (unit_params.size() != want.size()) return false;
  for (const auto& [k, v] : want.items()) {
    if (!unit_params.contains(k) || !unit_params.at(k).is_number()) return false;
    if (unit_params.at(k).get<double>() != v.get<double>()) return false;
  }
  return true;
}

struct Match {
  const CharUnit* unit = nullptr;
  bool scaled = false;
  std::string why_not;
};

Match find_unit(const Characterization& ch, const StatsDoc& s, const IUnitSpec& unit,
                const std::string& config_name) {
  const Json want = expected_params(s, unit);
  const std::string& top = unit.cost().rtl_top;
  for (const CharUnit& u : ch.units) {
    if (u.top == top && params_match(u.params, want)) return {&u, false, ""};
  }
  // The flow's documented scaling: a representative synthesized for another size stands for this
  // named config, if the non-geometric parameters agree.
  for (const CharUnit& u : ch.units) {
    if (u.top != top || !u.scaled || u.scaled->config != config_name) continue;
    // Every parameter but the array size must agree (a broadcast representative does not stand
    // for a systolic config, nor an INT8-only one for an FP16 one).
    Json rep_geometry = want;
    for (const char* k : {"Rows", "Cols"}) {
      if (u.params.contains(k)) rep_geometry[k] = u.params.at(k);
    }
    bool ok = params_match(u.params, rep_geometry);
    if (ok && u.params.contains("Rows") && u.params.contains("Cols")) {
      const double rep = u.params.at("Rows").get<double>() * u.params.at("Cols").get<double>();
      const double f = want.at("Rows").get<double>() * want.at("Cols").get<double>() / rep;
      auto it = u.scaled->factors.find("pe_array");
      if (it != u.scaled->factors.end() && std::abs(it->second - f) > 1e-9) ok = false;
    }
    if (ok) return {&u, true, ""};
  }
  return {nullptr, false,
          fmt::format("no entry in {} with top {} and params {} (and no scaled entry for config "
                      "'{}')",
                      ch.path, top, want.dump(), config_name)};
}

// Factor of a scaled entry's event: power-weighted mean of its components' area factors. The
// weights are the simulated energy per cycle of switching-activity entries (what their events
// were computed from), else the dynamic power at the reference activity.
std::optional<double> scaled_event_factor(const CharUnit& u, const CostEvent& e) {
  if (e.parts.empty() && !e.all_but) return 1.0;
  const std::set<std::string> listed(e.parts.begin(), e.parts.end());
  const bool activity = std::all_of(u.breakdown.begin(), u.breakdown.end(), [](const auto& c) {
    return c.dynamic_pj_activity.has_value();
  });
  double num = 0.0, den = 0.0;
  for (const CharComponent& c : u.breakdown) {
    if (listed.count(c.name) != 0 && e.all_but) continue;
    if (listed.count(c.name) == 0 && !e.all_but) continue;
    if (!activity && !c.dynamic_w_ref) return std::nullopt;
    const double w = activity ? *c.dynamic_pj_activity : *c.dynamic_w_ref;
    auto it = u.scaled->factors.find(c.name);
    const double f = it == u.scaled->factors.end() ? 1.0 : it->second;
    num += w * f;
    den += w;
  }
  if (den <= 0.0) return std::nullopt;
  return num / den;
}

std::optional<double> scaled_leakage(const CharUnit& u) {
  double sum = 0.0;
  for (const CharComponent& c : u.breakdown) {
    if (!c.leakage_w) return std::nullopt;
    auto it = u.scaled->factors.find(c.name);
    sum += *c.leakage_w * (it == u.scaled->factors.end() ? 1.0 : it->second);
  }
  return sum;
}

// num / den when it is a whole number (one weight width ran), else nullopt; `how` says which.
std::optional<int> whole_ratio(std::optional<double> num, std::optional<double> den,
                               const char* what, std::string& how) {
  if (!num || !den || *den <= 0) return std::nullopt;
  const double b = *num / *den;
  how = fmt::format("stats: {} = {:.0f} / {:.0f}", what, *num, *den);
  // A bit width is 1 .. 64; anything else (a damaged stats.json) is no width, and never cast.
  if (!(b >= 1 && b <= 64)) {
    how += fmt::format(" = {:g} (not a weight bit width)", b);
    return std::nullopt;
  }
  if (std::abs(b - std::round(b)) < 1e-9) return static_cast<int>(std::round(b));
  how += fmt::format(" = {:.3f} (mixed weight widths: pass a weight bit width)", b);
  return std::nullopt;
}

// The weight width of a run: the unit's bit counter over its step counter.
std::optional<int> infer_bits(const StatsDoc& s, const UnitCost& cost, std::string& how) {
  auto leaf_name = [](const std::string& counter) {
    return counter.substr(counter.rfind('.') + 1);
  };
  const std::string what =
      fmt::format("{} / {}", leaf_name(cost.bits_numerator), leaf_name(cost.bits_denominator));
  const auto b = whole_ratio(s.core_sum(cost.instance, cost.bits_numerator),
                             s.core_sum(cost.instance, cost.bits_denominator), what.c_str(), how);
  if (how.empty()) {
    how = fmt::format("the stats have no {} counter (a run older than it): pass a weight bit width",
                      cost.bits_numerator);
  }
  return b;
}

std::string fmt_num(double v) { return fmt::format("{:.6g}", v); }

// The activation datapath the run's layers used, from the compiler's tiling in the stats:
// "fp16" when every layer ran on the FP16 datapath, "int8" when every layer ran on INT8, else ""
// with `why` saying what was found (the events are then priced on INT8 data, and a note says so).
std::string run_act_datapath(const StatsDoc& s, std::string& why) {
  const Json& d = s.doc();
  if (!d.contains("tiling") || !d.at("tiling").is_array() || d.at("tiling").empty()) {
    why = "the stats have no tiling";
    return "";
  }
  std::string seen;
  for (const Json& t : d.at("tiling")) {
    if (!t.is_object() || !t.contains("act_datapath")) {
      why = "the stats' tiling has no act_datapath (a run older than the key)";
      return "";
    }
    const Json& v = t.at("act_datapath");
    if (!v.is_string() || (v != "int8" && v != "fp16")) {
      s.fail("tiling[].act_datapath", v.dump() + " is not known", "\"int8\", \"fp16\"");
    }
    if (seen.empty()) {
      seen = v.get<std::string>();
    } else if (seen != v.get<std::string>()) {
      why = "the run has layers on both the INT8 and the FP16 datapath";
      return "";
    }
  }
  return seen;
}

// The stats counter an event counts, from the characterization (the flow writes the map; the C++
// does not restate it): the entry's own "event_counters" for the concrete `key`, else the file's
// map for the unit's key pattern ("{}" = the weight bits, written "<b>" there).
std::optional<EventCounter> event_counter(const Characterization& ch, const CharUnit* entry,
                                          const CostEvent& e, const std::string& key) {
  if (entry != nullptr) {
    const auto it = entry->event_counters.find(key);
    if (it != entry->event_counters.end()) return it->second;
  }
  std::string pattern = e.key;
  if (const std::size_t at = pattern.find("{}"); at != std::string::npos) {
    pattern.replace(at, 2, "<b>");
  }
  const auto it = ch.event_counters.find(pattern);
  if (it != ch.event_counters.end()) return it->second;
  return std::nullopt;
}

}  // namespace

std::optional<double> node_feature_nm(const std::string& node) {
  if (node == "nangate45") return 45.0;
  if (node == "sky130hd") return 130.0;
  return std::nullopt;
}

CostBreakdown evaluate_cost(const Json& stats_doc, const std::string& stats_path,
                            const Characterization& ch, const CostOptions& opts) {
  const StatsDoc s(stats_doc, stats_path);
  if (opts.activity != "measured" && opts.activity != "default") {
    throw CostInputError(
        fmt::format("activity: '{}' is not known; allowed: measured, default", opts.activity));
  }
  const DramEnergySpec* dram = nullptr;
  try {
    dram = &dram_energy_spec(opts.dram_spec);
  } catch (const std::invalid_argument& e) {
    throw CostInputError(std::string("dram energy: ") + e.what());
  }

  CostBreakdown c;
  c.node = ch.node;
  c.characterization = ch.path;
  c.core = s.string("config.core");
  const IUnitSpec* unit = find_unit_spec(c.core);
  if (unit == nullptr) s.fail("config.core", "'" + c.core + "' is not known", unit_names());
  const UnitCost& ucost = unit->cost();
  c.config = s.doc().at("config").contains("name") ? s.string("config.name") : "";
  c.tiles = static_cast<int>(s.top_integer("tiles"));
  c.seconds = s.number("metrics.seconds");
  c.activity = opts.activity == "measured"
                   ? "measured toggle activity where characterized, else the default 0.1"
                   : "default activity 0.1 (the flow's -global rate)";

  std::string datapath_why;
  const std::string datapath = run_act_datapath(s, datapath_why);
  const bool fp16_data = datapath == "fp16";
  if (opts.activity == "measured") {
    c.activity += fp16_data ? "; events simulated on FP16 activations (the layers' datapath)"
                            : "; events simulated on INT8 activations";
  }
  if (datapath.empty() && opts.activity == "measured") {
    c.notes.push_back("events priced with the energies simulated on INT8 activations: " +
                      datapath_why);
  }
  bool fp16_missing = false;

  std::string bits_how;
  const std::optional<int> inferred = infer_bits(s, ucost, bits_how);
  if (opts.weight_bits) {
    c.weight_bits = opts.weight_bits;
    c.weight_bits_source = "report option";
    if (inferred && *inferred != *opts.weight_bits) {
      c.notes.push_back(fmt::format("weight bits {} given, but {} gives {}", *opts.weight_bits,
                                    bits_how, *inferred));
    }
  } else {
    c.weight_bits = inferred;
    c.weight_bits_source = bits_how;
  }

  const Match m = find_unit(ch, s, *unit, c.config);
  const std::string& tile_word = ucost.instance;
  if (m.unit == nullptr) {
    c.method = "not characterized: " + m.why_not;
  } else {
    c.unit_entry = m.unit->name;
    c.method = m.scaled                          ? "scaled: " + m.unit->scaled->rule
               : m.unit->method == "synthesized" ? "synthesized at these parameters"
                                                 : m.unit->method + ": " + m.unit->rule;
  }

  // Compute energy: one term per event.
  for (const CostEvent& e : ucost.events) {
    CostTerm t;
    t.component = e.component;
    t.group = "compute";
    std::string key = e.key;
    if (e.per_bit && c.weight_bits) key = fmt::format(fmt::runtime(e.key), *c.weight_bits);
    const std::optional<EventCounter> ec = event_counter(ch, m.unit, e, key);
    if (ec) t.count = s.core_sum(ec->instance, ec->counter);
    const std::string counter =
        ec ? fmt::format("stats core.{}*.{}", ec->instance, ec->counter) : std::string();
    if (e.per_bit && !c.weight_bits) {
      t.missing = "weight bit width unknown (" + bits_how + ")";
      c.energy.push_back(std::move(t));
      continue;
    }
    if (!ec) {
      t.missing = fmt::format(
          "{} has no event_counters entry for '{}' (the stats counter it counts)", ch.path, key);
    } else if (!t.count) {
      t.missing = "the stats have no " + counter;
    } else if (m.unit == nullptr) {
      t.missing = "unit not characterized at " + ch.node;
    } else {
      const CharUnit& u = *m.unit;
      std::optional<double> pj;
      std::string which;
      if (opts.activity == "measured" && fp16_data && u.energy_measured_fp16.count(key) != 0) {
        pj = u.energy_measured_fp16.at(key);
        which = "measured activity, FP16 data";
      } else if (opts.activity == "measured" && u.energy_measured.count(key) != 0) {
        pj = u.energy_measured.at(key);
        which = fp16_data ? "measured activity, INT8 data: no FP16-data run" : "measured activity";
        fp16_missing = fp16_missing || fp16_data;
      } else if (u.energy_default.count(key) != 0) {
        pj = u.energy_default.at(key);
        which = opts.activity == "measured" ? "default activity (no measured value)"
                                            : "default activity";
      }
      std::string scale_note;
      if (pj && m.scaled) {
        const auto f = scaled_event_factor(u, e);
        if (!f) {
          pj.reset();
          t.missing = "scaled entry " + u.name + " lacks per-component power for " + key;
        } else {
          *pj *= *f;
          scale_note = fmt::format(" x scaling {} (component power-weighted)", fmt_num(*f));
        }
      } else if (!pj) {
        t.missing = fmt::format("no event '{}' in {} units.{}", key, ch.path, u.name);
      }
      if (pj) {
        t.per_event_pj = *pj;
        t.value = *pj * *t.count;
        t.source = fmt::format("{} units.{} energy_pj {} ({}){} x {} = {:.0f}", ch.path, u.name,
                               key, which, scale_note, counter, *t.count);
      }
    }
    c.energy.push_back(std::move(t));
  }
  if (fp16_missing) {
    c.notes.push_back(fmt::format(
        "the layers ran on the FP16 datapath, but {} units.{} has no energies simulated on FP16 "
        "activations: its INT8-data energies price the compute events",
        ch.path, m.unit->name));
  }
  {
    CostTerm t;
    t.component = tile_word + ".leakage";
    t.group = "leakage";
    if (m.unit == nullptr) {
      t.missing = "unit not characterized at " + ch.node;
    } else {
      const std::optional<double> w = m.scaled ? scaled_leakage(*m.unit) : m.unit->leakage_w;
      if (!w) {
        t.missing = "scaled entry lacks per-component leakage";
      } else {
        t.value = *w * c.tiles * c.seconds * kPjPerJoule;
        t.source = fmt::format("{} units.{} leakage_w {} W{} x {} {}(s) x {} s", ch.path,
                               m.unit->name, fmt_num(*w), m.scaled ? " (scaled by component)" : "",
                               c.tiles, tile_word, fmt_num(c.seconds));
      }
    }
    c.energy.push_back(std::move(t));
  }

  // Compute area: the unit's components x tiles.
  if (m.unit == nullptr) {
    CostTerm t;
    t.component = tile_word;
    t.group = "compute";
    t.missing = "unit not characterized at " + ch.node;
    c.area.push_back(std::move(t));
  } else if (m.scaled) {
    for (const auto& [name, a] : m.unit->scaled->breakdown_area_um2) {
      CostTerm t;
      t.component = tile_word + "." + name;
      t.group = "compute";
      t.value = a * c.tiles;
      t.source = fmt::format("{} units.{}.scaled.breakdown_area_um2.{} x {} {}(s)", ch.path,
                             m.unit->name, name, c.tiles, tile_word);
      c.area.push_back(std::move(t));
    }
  } else {
    for (const CharComponent& comp : m.unit->breakdown) {
      CostTerm t;
      t.component = tile_word + "." + comp.name;
      t.group = "compute";
      t.value = comp.area_um2 * c.tiles;
      t.source = fmt::format("{} units.{}.breakdown.{}.area_um2 x {} {}(s)", ch.path, m.unit->name,
                             comp.name, c.tiles, tile_word);
      c.area.push_back(std::move(t));
    }
  }

  // SRAM buffers: area and energy per access from the analytical 45 nm model.
  for (const char* b : kBufferNames) {
    const std::string buf = std::string("buffers.") + b;
    const std::string base = "config.top." + buf;
    SramGeometry g;
    g.capacity_bytes = static_cast<std::uint64_t>(s.top_integer(buf + ".kib")) * 1024;
    g.width_bits = static_cast<std::uint32_t>(s.top_integer(buf + ".width_bytes")) * 8;
    g.banks = static_cast<std::uint32_t>(s.top_integer(buf + ".banks"));
    SramCost sc;
    try {
      sc = sram_cost(g);
    } catch (const std::invalid_argument& e) {
      s.fail(base, e.what(), "positive capacity, width and banks");
    }
    const std::string geo = fmt::format("{} KiB, {} B wide, {} banks", g.capacity_bytes / 1024,
                                        g.width_bits / 8, g.banks);
    CostTerm a;
    a.component = std::string("buffers.") + b;
    a.group = "buffers";
    a.value = sc.area_um2;
    a.source =
        "SRAM model (model/cost/sram_model.h, 45 nm: Mistry IEDM 2007 bit cell, assumed "
        "efficiency and periphery) for " +
        geo;
    CostTerm e;
    e.component = a.component;
    c.area.push_back(std::move(a));
    e.group = "buffers";
    const auto rd = StatsDoc::leaf(s.at("stats"), std::string("buffers.") + b + ".read_bytes");
    const auto wr = StatsDoc::leaf(s.at("stats"), std::string("buffers.") + b + ".write_bytes");
    if (!rd || !wr) {
      e.missing = std::string("the stats have no buffers.") + b + ".read_bytes/write_bytes";
    } else {
      const double width_bytes = g.width_bits / 8.0;
      e.count = (*rd + *wr) / width_bytes;
      e.per_event_pj = sc.read_energy_pj;
      e.value = *rd / width_bytes * sc.read_energy_pj + *wr / width_bytes * sc.write_energy_pj;
      e.source = fmt::format(
          "SRAM model (Horowitz ISSCC 2014 45 nm anchors) {} pJ per {}-bit access ({}) x (read "
          "{:.0f} + write {:.0f} bytes) / {} B",
          fmt_num(sc.read_energy_pj), g.width_bits, geo, *rd, *wr, width_bytes);
    }
    c.energy.push_back(std::move(e));
  }

  // DRAM access energy.
  {
    CostTerm t;
    t.component = "dram";
    t.group = "dram";
    const auto rd = StatsDoc::leaf(s.at("stats"), "dram.bytes_read");
    const auto wr = StatsDoc::leaf(s.at("stats"), "dram.bytes_written");
    if (!rd || !wr) {
      t.missing = "the stats have no dram.bytes_read/bytes_written";
    } else {
      // Byte counters: checked before the count becomes an integer (a stats.json is input;
      // fuzz_report found 6.7e39 reaching the cast, undefined behaviour).
      for (const auto& [key, v] : {std::pair{"stats.dram.bytes_read.value", *rd},
                                   std::pair{"stats.dram.bytes_written.value", *wr}}) {
        if (!(v >= 0 && v <= kMaxCounter) || v != std::floor(v)) {
          s.fail(key, fmt::format("{} is out of range", v),
                 "a byte count, an integer in [0, 2^53]");
        }
      }
      t.count = *rd + *wr;
      t.per_event_pj = dram->pj_per_bit * 8.0;
      t.value = dram_energy_pj(*dram, static_cast<std::uint64_t>(*rd + *wr));
      t.source = fmt::format("DRAM {} ({}) {} pJ/bit x 8 x (read {:.0f} + written {:.0f} bytes)",
                             dram->name, dram->source, fmt_num(dram->pj_per_bit), *rd, *wr);
    }
    c.energy.push_back(std::move(t));
  }

  bool energy_complete = true, area_complete = true;
  for (const CostTerm& t : c.energy) {
    if (t.value) {
      c.energy_known_pj += *t.value;
    } else {
      energy_complete = false;
      c.not_characterized.push_back("energy " + t.component + ": " + t.missing);
    }
  }
  for (const CostTerm& t : c.area) {
    if (t.value) {
      c.area_known_um2 += *t.value;
    } else {
      area_complete = false;
      c.not_characterized.push_back("area " + t.component + ": " + t.missing);
    }
  }
  if (energy_complete) c.energy_pj = c.energy_known_pj;
  if (area_complete) c.area_um2 = c.area_known_um2;

  c.inside_boundary = {
      ucost.datapath, "SRAM buffers act, weight, scale, out (area; read and write energy)",
      std::string("DRAM access energy (") + std::string(dram->name) + "; not in the area)"};
  c.outside_boundary = {"controller, instruction queues, DMA engines",
                        "wiring, placement utilization, clock tree, I/O pads",
                        "SRAM and DRAM leakage, DRAM background and refresh power",
                        "DRAM area (off chip)"};
  c.clock_mhz = s.number("config.top.clock_mhz");
  if (m.unit != nullptr) {
    c.unit_fmax_mhz = m.unit->fmax_mhz;
    // A scaled entry's own note says what the representative's fmax means at the larger size
    // (broadcast or systolic: characterize.py writes it); older files have none.
    if (!m.scaled) {
      c.unit_fmax_basis = m.unit->fmax_note;
    } else if (!m.unit->scaled->fmax_note.empty()) {
      c.unit_fmax_basis = m.unit->scaled->fmax_note;
    } else {
      c.unit_fmax_basis = fmt::format(
          "of the synthesized {} representative; the larger array is not timed: a bound",
          m.unit->name);
    }
  }
  if (m.unit != nullptr && m.unit->fmax_mhz) {
    const double clock = c.clock_mhz;
    if (clock > *m.unit->fmax_mhz) {
      c.notes.push_back(fmt::format(
          "the config's clock {} MHz is above the characterized fmax {} MHz of {} at {}: the "
          "unit as synthesized does not meet timing there (energies are per event, leakage uses "
          "the simulated time)",
          fmt_num(clock), fmt_num(*m.unit->fmax_mhz), m.unit->name, ch.node));
    }
  }
  if (ch.node != "nangate45") {
    c.notes.push_back("SRAM and DRAM numbers are 45 nm / published-device constants, not " +
                      ch.node + " (no SRAM model for that node)");
  }

  if (opts.project_to_nm) {
    const auto src = node_feature_nm(ch.node);
    if (!src) {
      throw CostInputError(
          fmt::format("project-to: node '{}' has no known feature size; "
                      "allowed: nangate45, sky130hd",
                      ch.node));
    }
    if (!(*opts.project_to_nm > 0.0)) {
      throw CostInputError("project-to: feature size must be > 0 nm; allowed: e.g. 28");
    }
    CostProjection p;
    p.source_nm = *src;
    p.target_nm = *opts.project_to_nm;
    p.area_factor = (p.target_nm / p.source_nm) * (p.target_nm / p.source_nm);
    p.energy_factor = p.target_nm / p.source_nm;
    const double sram_area_f = (p.target_nm / 45.0) * (p.target_nm / 45.0);
    const double sram_energy_f = p.target_nm / 45.0;
    if (c.energy_pj) {
      double e = 0.0;
      for (const CostTerm& t : c.energy) {
        if (t.group == "compute")
          e += *t.value * p.energy_factor;
        else if (t.group == "buffers")
          e += *t.value * sram_energy_f;
        else
          e += *t.value;  // DRAM (off chip) and leakage: not projected
      }
      p.energy_pj = e;
    }
    if (c.area_um2) {
      double a = 0.0;
      for (const CostTerm& t : c.area) {
        a += *t.value * (t.group == "buffers" ? sram_area_f : p.area_factor);
      }
      p.area_um2 = a;
    }
    p.method = fmt::format(
        "PROJECTION, not characterized: classical scaling from {} nm (SRAM from 45 nm) to {} nm "
        "(Dennard et al., IEEE JSSC 1974): area x (L'/L)^2, dynamic energy x L'/L with the supply "
        "voltage held constant (an assumption); DRAM and leakage not projected. Stillmaker and "
        "Baas (Integration 58, 2017) show classical equations can be off by up to 83x below "
        "90 nm: treat as an order of magnitude",
        p.source_nm, p.target_nm);
    c.projection = p;
  }
  return c;
}

nlohmann::ordered_json cost_to_json(const CostBreakdown& c) {
  using OJ = nlohmann::ordered_json;
  auto opt = [](const std::optional<double>& v) { return v ? OJ(*v) : OJ(nullptr); };
  auto terms = [&](const std::vector<CostTerm>& ts) {
    OJ a = OJ::array();
    for (const CostTerm& t : ts) {
      OJ j = {{"component", t.component}, {"group", t.group}, {"value", opt(t.value)}};
      if (t.count) j["count"] = *t.count;
      if (t.per_event_pj) j["per_event_pj"] = *t.per_event_pj;
      if (t.value) {
        j["source"] = t.source;
      } else {
        j["status"] = "not characterized";
        j["reason"] = t.missing;
      }
      a.push_back(std::move(j));
    }
    return a;
  };
  OJ j = {{"node", c.node},
          {"characterization", c.characterization},
          {"unit_entry", c.unit_entry.empty() ? OJ(nullptr) : OJ(c.unit_entry)},
          {"method", c.method},
          {"activity", c.activity},
          {"tiles", c.tiles},
          {"weight_bits", c.weight_bits ? OJ(*c.weight_bits) : OJ(nullptr)},
          {"weight_bits_source", c.weight_bits_source},
          {"seconds", c.seconds},
          {"clock_mhz", c.clock_mhz},
          {"unit_fmax_mhz", opt(c.unit_fmax_mhz)},
          {"unit_fmax_basis", c.unit_fmax_basis},
          {"clock_met", c.clock_met()},
          {"energy_pj", opt(c.energy_pj)},
          {"energy_known_pj", c.energy_known_pj},
          {"area_um2", opt(c.area_um2)},
          {"area_known_um2", c.area_known_um2},
          {"energy_terms_pj", terms(c.energy)},
          {"area_terms_um2", terms(c.area)},
          {"not_characterized", c.not_characterized},
          {"inside_boundary", c.inside_boundary},
          {"outside_boundary", c.outside_boundary},
          {"notes", c.notes}};
  if (c.projection) {
    const CostProjection& p = *c.projection;
    j["projection"] = {{"label", "projection"},
                       {"source_nm", p.source_nm},
                       {"target_nm", p.target_nm},
                       {"area_factor", p.area_factor},
                       {"energy_factor", p.energy_factor},
                       {"energy_pj", opt(p.energy_pj)},
                       {"area_um2", opt(p.area_um2)},
                       {"method", p.method}};
  }
  return j;
}

namespace {

// Reads cost_to_json()'s document; every error names the document and the key.
class CostReader {
 public:
  CostReader(const Json& j, std::string where, std::string prefix)
      : m_j(j), m_where(std::move(where)), m_prefix(std::move(prefix)) {
    if (!j.is_object()) fail("", "an object");
  }

  [[noreturn]] void fail(const std::string& key, const std::string& allowed) const {
    const std::string k = key.empty() ? m_prefix : m_prefix + "." + key;
    const Json* v = !key.empty() && m_j.is_object() && m_j.contains(key) ? &m_j.at(key) : nullptr;
    throw CostInputError(fmt::format("{}: {}: {}; allowed: {}", m_where, k,
                                     v != nullptr ? v->dump() + " is not allowed" : "missing",
                                     allowed));
  }

  const Json& at(const std::string& key) const {
    if (!m_j.contains(key)) fail(key, "the cost breakdown `lowbit run` writes");
    return m_j.at(key);
  }
  bool has(const std::string& key) const { return m_j.contains(key); }

  std::string text(const std::string& key) const {
    if (!at(key).is_string()) fail(key, "a string");
    return at(key).get<std::string>();
  }
  double number(const std::string& key) const {
    if (!at(key).is_number()) fail(key, "a number");
    return at(key).get<double>();
  }
  std::optional<double> number_or_null(const std::string& key) const {
    if (at(key).is_null()) return std::nullopt;
    return number(key);
  }
  std::vector<std::string> texts(const std::string& key) const {
    const Json& a = at(key);
    if (!a.is_array()) fail(key, "an array of strings");
    std::vector<std::string> v;
    for (const Json& x : a) {
      if (!x.is_string()) fail(key, "an array of strings");
      v.push_back(x.get<std::string>());
    }
    return v;
  }
  std::vector<CostTerm> terms(const std::string& key) const {
    const Json& a = at(key);
    if (!a.is_array()) fail(key, "an array of cost terms");
    std::vector<CostTerm> v;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const CostReader r(a[i], m_where, fmt::format("{}.{}[{}]", m_prefix, key, i));
      CostTerm t;
      t.component = r.text("component");
      t.group = r.text("group");
      t.value = r.number_or_null("value");
      if (r.has("count")) t.count = r.number("count");
      if (r.has("per_event_pj")) t.per_event_pj = r.number("per_event_pj");
      if (t.value) {
        t.source = r.text("source");
      } else {
        t.missing = r.text("reason");
      }
      v.push_back(std::move(t));
    }
    return v;
  }

 private:
  const Json& m_j;
  std::string m_where;
  std::string m_prefix;
};

}  // namespace

CostBreakdown cost_from_json(const Json& j, const std::string& where) {
  const CostReader r(j, where, "cost");
  CostBreakdown c;
  c.node = r.text("node");
  c.characterization = r.text("characterization");
  c.unit_entry = r.at("unit_entry").is_null() ? "" : r.text("unit_entry");
  c.method = r.text("method");
  c.activity = r.text("activity");
  if (!r.at("tiles").is_number_integer()) r.fail("tiles", "an integer");
  c.tiles = r.at("tiles").get<int>();
  if (!r.at("weight_bits").is_null()) {
    if (!r.at("weight_bits").is_number_integer()) r.fail("weight_bits", "an integer or null");
    c.weight_bits = r.at("weight_bits").get<int>();
  }
  c.weight_bits_source = r.text("weight_bits_source");
  c.seconds = r.number("seconds");
  c.clock_mhz = r.number("clock_mhz");
  c.unit_fmax_mhz = r.number_or_null("unit_fmax_mhz");
  // Records written before the basis was recorded lack it: fmax as of a synthesized unit.
  if (j.contains("unit_fmax_basis")) c.unit_fmax_basis = r.text("unit_fmax_basis");
  c.energy_pj = r.number_or_null("energy_pj");
  c.energy_known_pj = r.number("energy_known_pj");
  c.area_um2 = r.number_or_null("area_um2");
  c.area_known_um2 = r.number("area_known_um2");
  c.energy = r.terms("energy_terms_pj");
  c.area = r.terms("area_terms_um2");
  c.not_characterized = r.texts("not_characterized");
  c.inside_boundary = r.texts("inside_boundary");
  c.outside_boundary = r.texts("outside_boundary");
  c.notes = r.texts("notes");
  if (r.has("projection")) {
    const CostReader p(r.at("projection"), where, "cost.projection");
    CostProjection q;
    q.source_nm = p.number("source_nm");
    q.target_nm = p.number("target_nm");
    q.area_factor = p.number("area_factor");
    q.energy_factor = p.number("energy_factor");
    q.energy_pj = p.number_or_null("energy_pj");
    q.area_um2 = p.number_or_null("area_um2");
    q.method = p.text("method");
    c.projection = q;
  }
  return c;
}

}  // namespace lowbit
