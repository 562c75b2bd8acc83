// Declaration, parsing and validation of the accelerator top's parameters.
#include "model/arch/top_params.h"

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "model/arch/dram_presets.h"

namespace lowbit {

namespace {
const char* const kBufferNames[4] = {"act", "weight", "scale", "out"};
// Largest capacity whose every byte address fits the ISA fields that carry it (docs/isa.md):
// ld/st sram, the tile ops' a and w and blk's o are 24 bits (16 MiB); the tile ops' s field, the
// scale buffer address, is 20 bits (1 MiB). The compiler can then never emit an unencodable
// address (issue 16).
const double kBufferMaxKib[4] = {16384, 16384, 1024, 16384};
const char* const kBufferAddressBits[4] = {"24", "24", "20", "24"};

template <int B>
void add_buffer(std::vector<ParamField<TopParams>>& v) {
  const TopParams d;
  const std::string n = kBufferNames[B];
  const std::string p = "buffers." + n + ".";
  v.push_back(
      {{p + "kib", ParamType::kInt, double(d.buffers[B].kib), 1, kBufferMaxKib[B], "KiB",
        n + " buffer capacity (addresses are " + kBufferAddressBits[B] + " bits in the ISA)"},
       [](TopParams& t) -> ParamRef { return &t.buffers[B].kib; }});
  v.push_back({{p + "width_bytes", ParamType::kInt, double(d.buffers[B].width_bytes), 1, 4096,
                "bytes/cycle", n + " buffer port width per bank"},
               [](TopParams& t) -> ParamRef { return &t.buffers[B].width_bytes; }});
  v.push_back({{p + "banks", ParamType::kInt, double(d.buffers[B].banks), 1, 64, "banks",
                n + " buffer banks (contiguous ranges, one port each); divides the capacity"},
               [](TopParams& t) -> ParamRef { return &t.buffers[B].banks; }});
}
}  // namespace

const std::vector<ParamField<TopParams>>& top_param_fields() {
  static const std::vector<ParamField<TopParams>> fields = [] {
    const TopParams d;
    std::vector<ParamField<TopParams>> v = {
        {{"clock_mhz", ParamType::kFloat, d.clock_mhz, 1, 10000, "MHz",
          "accelerator clock frequency"},
         [](TopParams& t) -> ParamRef { return &t.clock_mhz; }},
        {{"tiles", ParamType::kInt, double(d.tiles), 1, 64, "tiles",
          "instances of the configured compute unit (tiles or PE arrays) side by side; an op's N "
          "columns are split across them"},
         [](TopParams& t) -> ParamRef { return &t.tiles; }},
        {{"queue_depth", ParamType::kInt, double(d.queue_depth), 1, 1024, "instructions",
          "instruction queue entries per unit (load, store, core); a full queue stalls dispatch"},
         [](TopParams& t) -> ParamRef { return &t.queue_depth; }},
        {{"dram.bandwidth_gbps", ParamType::kFloat, d.dram_bandwidth_gbps, 0.1, 100000, "GB/s",
          "peak DRAM bandwidth (1e9 B/s)"},
         [](TopParams& t) -> ParamRef { return &t.dram_bandwidth_gbps; }},
        {{"dram.latency_ns", ParamType::kFloat, d.dram_latency_ns, 0, 100000, "ns",
          "DRAM request to first data"},
         [](TopParams& t) -> ParamRef { return &t.dram_latency_ns; }},
        {{"dram.burst_bytes", ParamType::kInt, double(d.dram_burst_bytes), 8, 4096, "bytes",
          "DRAM transfer granularity (power of two); requests round up to bursts"},
         [](TopParams& t) -> ParamRef { return &t.dram_burst_bytes; }},
        {{"dram.max_outstanding", ParamType::kInt, double(d.dram_max_outstanding), 0, 65536,
          "bursts",
          "bursts in flight per DMA queue (load, store); by Little's law a queue moves at most "
          "max_outstanding * burst_bytes / latency bytes per cycle; 0 = enough for the bandwidth "
          "(docs/top.md)"},
         [](TopParams& t) -> ParamRef { return &t.dram_max_outstanding; }},
        {{"dram.channels", ParamType::kInt, double(d.dram_channels), 1, 1024, "channels",
          "independent DRAM channels sharing the bandwidth; consecutive bursts interleave across "
          "them"},
         [](TopParams& t) -> ParamRef { return &t.dram_channels; }},
        {{"dram.preset", ParamType::kString, 0, 0, 0, "name",
          "named memory (\"\" = none, " + dram_preset_names() +
              ") setting bandwidth, latency, burst and channels; keys beside it override it"},
         [](TopParams& t) -> ParamRef { return &t.dram_preset; }},
    };
    add_buffer<0>(v);
    add_buffer<1>(v);
    add_buffer<2>(v);
    add_buffer<3>(v);
    return v;
  }();
  return fields;
}

const std::vector<ParamInfo>& top_param_infos() {
  static const std::vector<ParamInfo> infos = param_infos_of(top_param_fields());
  return infos;
}

uint32_t TopParams::dram_latency_cycles() const {
  return static_cast<uint32_t>(std::ceil(dram_latency_ns * clock_mhz / 1e3));
}

TopParams top_params_from_json(const nlohmann::json& config, std::string_view source) {
  const nlohmann::json* sub =
      config.is_object() && config.contains("top") ? &config.at("top") : nullptr;
  const nlohmann::json tree = read_param_tree(sub, top_param_infos(), source, "top");
  TopParams p = params_from_tree(tree, top_param_fields());
  auto fail = [&](const std::string& key, const std::string& what) {
    throw ConfigError(fmt::format("{}: top.{}: {}", source, key, what));
  };
  if (!p.dram_preset.empty()) {
    const DramPreset* d = find_dram_preset(p.dram_preset);
    if (d == nullptr) {
      fail("dram.preset", fmt::format("'{}' is not a memory preset; allowed: \"\", {}",
                                      p.dram_preset, dram_preset_names()));
    }
    // The preset sets the DRAM keys; a key given beside it overrides it.
    const nlohmann::json* dram =
        sub != nullptr && sub->contains("dram") ? &sub->at("dram") : nullptr;
    auto given = [&](const char* key) { return dram != nullptr && dram->contains(key); };
    if (!given("bandwidth_gbps")) p.dram_bandwidth_gbps = d->bandwidth_gbps;
    if (!given("latency_ns")) p.dram_latency_ns = d->latency_ns;
    if (!given("burst_bytes")) p.dram_burst_bytes = d->burst_bytes;
    if (!given("channels")) p.dram_channels = d->channels;
  }
  if (p.dram_burst_bytes & (p.dram_burst_bytes - 1)) {
    fail("dram.burst_bytes",
         fmt::format("{} is not a power of two; allowed: 8, 16, ..., 4096", p.dram_burst_bytes));
  }
  for (int b = 0; b < 4; ++b) {
    const auto& buf = p.buffers[b];
    if (buf.bytes() % buf.banks != 0) {
      fail(fmt::format("buffers.{}.banks", kBufferNames[b]),
           fmt::format("{} does not divide the capacity of {} KiB; allowed: a divisor of {}",
                       buf.banks, buf.kib, buf.bytes()));
    }
  }
  return p;
}

nlohmann::json top_params_to_json(const TopParams& p) {
  return params_to_tree(p, top_param_fields());
}

}  // namespace lowbit
