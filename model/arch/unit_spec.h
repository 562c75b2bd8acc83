// The one description of a compute unit that everything outside the unit's own folders uses:
// parameters, geometry, operand layout, opcode, golden arithmetic and cost events.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/arch/core_timing.h"
#include "model/arch/param_info.h"
#include "model/formats/weight_kind.h"
#include "model/isa/isa.h"

namespace lowbit {

/// How a beat's weight codes sit in its record (the operand codec, docs/top.md).
enum class WeightLayout {
  /// Bit-plane major: bit ((p * tile_cols + j) * beat_k + kk) is bit p of the code of column j,
  /// lane kk (lutcore's in_w_i order).
  kBitPlanes,
  /// Code major: the code of column j, lane kk in bits [((kk * tile_cols + j) * bits), +bits).
  kPackedCodes,
};

/// What a unit's parameters imply for the compiler, the core driver and the golden backend.
struct UnitGeometry {
  int rows = 1;             ///< activation rows of one op (per tile)
  int tile_cols = 1;        ///< output columns of one tile
  int beat_k = 1;           ///< K elements per beat
  bool fp16 = false;        ///< built with FP16 activation support
  bool bit_serial = false;  ///< a beat takes `bits` cycles (one weight bit-plane per cycle)
  /// Cycles of one beat of a unit that is not bit_serial (bitmod: 2, one per 2-bit slice of the
  /// weight's mantissa); the tile descriptor's K and group lengths count beats x this.
  int beat_cycles = 1;
  int min_weight_bits = 1;
  int max_weight_bits = 8;
  WeightLayout layout = WeightLayout::kPackedCodes;
  /// Every group, the short last one too, occupies the beats of a whole group (the tile's group
  /// framing is fixed per block).
  bool pad_short_group = false;
};

/// How a group's partial sum is formed in the golden arithmetic (docs/kernels.md).
enum class GroupRule {
  kExactInteger,  ///< exact integer sum of a * q, one FP32 dequant step per group
  kMacFp16,       ///< mac FP16: weight dequantized to FP16, FP32 products and accumulator
};

/// One energy event of a unit: characterization key ({} = the weight bits) and the components
/// whose power makes it (for scaled entries). The stats counter it counts is not restated here:
/// the characterization JSON maps each event to its counter ("event_counters", model/cost).
struct CostEvent {
  std::string key;
  std::string component;
  bool per_bit = false;
  std::vector<std::string> parts;  ///< empty: unchanged per event
  bool all_but = false;            ///< parts lists the components NOT in the event
};

/// How the cost model prices a unit's runs (model/cost).
struct UnitCost {
  std::string rtl_top;   ///< the characterized RTL top module
  std::string instance;  ///< stats subtree prefix of one instance: "tile" or "array"
  std::vector<CostEvent> events;
  /// Stats counters whose ratio is the weight width of a run (numerator / denominator).
  std::string bits_numerator, bits_denominator;
  std::string datapath;  ///< what the unit's characterized area and energy include
  /// Stats counter (under each instance subtree) of cycles spent waiting for the dequantizer.
  std::string dequant_stall_counter;
  /// The components of the mpGEMM core, what turns (activation, weight code) into an integer or
  /// fixed-point group sum: the boundary of the per-MAC area and energy (model/cost/per_mac_cost.h;
  /// group dequant, output scaling, buffers and control are outside).
  std::vector<std::string> mpgemm_core;
  /// The count of a characterization activity run ("activity.per_bits.<b>.counts") that, times the
  /// MACs of one busy cycle, is the run's MACs: "planes" (lutcore) or "steps" (PE arrays).
  std::string busy_count;
};

/// What it describes: one compute-unit family (lutcore, mixpe, mac, ...). Implementations live in
/// model/arch/<unit>/ and are listed once in unit_registry.cpp. Implementers must keep every
/// method a pure function of its arguments (specs are shared, immutable singletons).
class IUnitSpec {
 public:
  virtual ~IUnitSpec() = default;
  /// The config's "core" value, the config subtree key and the folder name in rtl/ sim/ model/.
  virtual std::string_view name() const = 0;
  virtual std::string_view description() const = 0;
  /// The parameters of the unit's config subtree, in declaration order.
  virtual const std::vector<ParamInfo>& params() const = 0;
  /// Cross-parameter rules on a tree whose keys passed their own checks; throws ConfigError.
  virtual void check(const nlohmann::json& tree, std::string_view source) const;
  virtual UnitGeometry geometry(const nlohmann::json& tree) const = 0;
  /// The tile-op opcode this unit executes (the compiler emits it, the top checks it).
  virtual isa::Opcode opcode() const = 0;
  /// The row scale the compiler stores for FP16 activations (fixed point a * 2^24: 2^-24).
  virtual float fp16_row_scale() const { return 0x1p-24f; }
  virtual GroupRule group_rule(bool fp16_acts) const;
  /// How the unit decodes weight codes: kAffine (the kit's binary .. uintN, the default) or
  /// kBitmod (BitMoD per-group datatypes). The compiler refuses formats of the other codec.
  virtual WeightCodec weight_codec() const { return WeightCodec::kAffine; }
  /// Whether the unit's tile op decodes `codec` (default: only weight_codec(); lutcore also runs
  /// the FP4 codecs, docs/fp-weights.md).
  virtual bool runs_codec(WeightCodec codec) const { return codec == weight_codec(); }
  /// The integer value of weight code `code` in a group whose scale record carries `group_byte`
  /// (the zero point, or the unit's per-group datatype id): the golden arithmetic of the unit's
  /// tile op. Default: weight_value(kind, bits, code, group_byte) of weight_kind.h.
  virtual int weight_value(WeightKind kind, int bits, uint32_t code, uint32_t group_byte) const;
  /// Weight formats the unit runs, for error messages ("int2..int8, uint2..uint8, ...").
  virtual std::string weight_formats_allowed(const UnitGeometry& g) const;
  virtual const UnitCost& cost() const = 0;
  /// The shortest weight group (elements) whose per-group dequant does not stall the unit at
  /// `bits`-bit weights (docs/top.md, "Dequant-limited groups").
  virtual int min_dequant_group(const nlohmann::json& tree, int bits) const = 0;
  /// How the unit's output blocks are timed (model/arch/core_timing.h): the closed forms its cycle
  /// model follows, for the analytic tier (docs/analytic.md).
  virtual CoreTiming core_timing(const nlohmann::json& tree) const = 0;
};

}  // namespace lowbit
