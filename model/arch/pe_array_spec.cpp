// The common registry description of the PE-array units (mixpe, mac).
#include "model/arch/pe_array_spec.h"

#include <algorithm>

namespace lowbit {

PeArraySpec::PeArraySpec(std::string_view unit, std::string_view converter,
                         std::initializer_list<std::string_view> converter_components)
    : m_weight_dequant(unit == "mac") {
  m_cost.rtl_top = std::string(unit) + "_array";
  m_cost.instance = "array";
  m_cost.events = {{"step_b{}", "array.step", true, {"dequant", "output_scale"}, true},
                   {"dequant", "array.dequant", false, {}},
                   {"output_beat", "array.output_scale", false, {}}};
  m_cost.bits_numerator = "accumulate.weight_bits";
  m_cost.bits_denominator = "accumulate.steps";
  m_cost.dequant_stall_counter = "accumulate.stall_drain_busy";
  m_cost.datapath = std::string(unit) + " array datapath x arrays: PE array, " +
                    std::string(converter) +
                    ", control and group FIFO, per-group dequant, output scale, result buffers "
                    "(cell area, dynamic energy per event, leakage x time)";
  m_cost.mpgemm_core = {"pe_array"};
  for (std::string_view c : converter_components) m_cost.mpgemm_core.emplace_back(c);
  m_cost.busy_count = "steps";
}

const std::vector<ParamInfo>& PeArraySpec::params() const {
  static const std::vector<ParamInfo> infos = param_infos_of(pe_array_param_fields());
  return infos;
}

// A group of G elements takes G steps; its drain starts F cycles after them (the fill latency) and
// takes R cycles, and drains start at least gap + 1 apart (docs/mixpe.md: T = sum max(G, R + 1 +
// F)).
int PeArraySpec::min_dequant_group(const nlohmann::json& tree, int) const {
  const PeArrayParams p = params_from_tree(tree, pe_array_param_fields());
  return std::max(p.rows + 1 + p.fill_latency(m_weight_dequant), p.drain_gap() + 1);
}

CoreTiming PeArraySpec::core_timing(const nlohmann::json& tree) const {
  // The latencies the units' cycle models (sim/) give their PeArrayCore.
  const PeArrayParams p = params_from_tree(tree, pe_array_param_fields());
  CoreTiming t;
  t.kind = CoreTiming::Kind::kPeArray;
  t.rows = p.rows;
  t.latency = {p.fill_latency(m_weight_dequant), p.drain_latency(), p.drain_gap()};
  return t;
}

UnitGeometry PeArraySpec::geometry(const nlohmann::json& tree) const {
  const PeArrayParams p = params_from_tree(tree, pe_array_param_fields());
  UnitGeometry g;
  g.rows = p.rows;
  g.tile_cols = p.cols;
  g.beat_k = 1;
  g.fp16 = p.fp16;
  g.bit_serial = false;
  g.min_weight_bits = 1;
  g.max_weight_bits = 8;
  g.layout = WeightLayout::kPackedCodes;
  g.pad_short_group = false;
  return g;
}

}  // namespace lowbit
