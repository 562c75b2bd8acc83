// Declaration, parsing and validation of the accelerator top's parameters.
#include "sim/top/top_params.h"

#include <cmath>

#include <fmt/format.h>

namespace lowbit {

namespace {
const char* const kBufferNames[4] = {"act", "weight", "scale", "out"};
const BufferParams kBufferDefaults[4] = {{128, 64, 2}, {512, 128, 4}, {64, 32, 2}, {64, 64, 2}};
// Largest capacity whose every byte address fits the ISA fields that carry it (docs/isa.md):
// ld/st sram, the tile ops' a and w and blk's o are 24 bits (16 MiB); the tile ops' s field, the
// scale buffer address, is 20 bits (1 MiB). The compiler can then never emit an unencodable
// address.
const double kBufferMaxKib[4] = {16384, 16384, 1024, 16384};
const char* const kBufferAddressBits[4] = {"24", "24", "20", "24"};
}  // namespace

const std::vector<TopParamInfo>& top_param_infos() {
  static const std::vector<TopParamInfo> infos = [] {
    std::vector<TopParamInfo> v = {
        {"clock_mhz", "float", 1000, 1, 10000, "MHz", "accelerator clock frequency"},
        {"tiles", "int", 1, 1, 64, "tiles",
         "compute tiles (lutcore) or PE arrays (mixpe, mac) side by side; an op's N columns are "
         "split across them"},
        {"queue_depth", "int", 16, 1, 1024, "instructions",
         "instruction queue entries per unit (load, store, core); a full queue stalls dispatch"},
        {"dram.bandwidth_gbps", "float", 64, 0.1, 100000, "GB/s", "peak DRAM bandwidth (1e9 B/s)"},
        {"dram.latency_ns", "float", 100, 0, 100000, "ns", "DRAM request to first data"},
        {"dram.burst_bytes", "int", 64, 8, 4096, "bytes",
         "DRAM transfer granularity (power of two); requests round up to bursts"},
        {"dram.max_outstanding", "int", 128, 1, 4096, "bursts",
         "bursts in flight per DMA queue (load, store); by Little's law a queue moves at most max_outstanding * burst_bytes / latency bytes per cycle"},
    };
    for (int b = 0; b < 4; ++b) {
      const std::string p = std::string("buffers.") + kBufferNames[b] + ".";
      v.push_back({p + "kib", "int", double(kBufferDefaults[b].kib), 1, kBufferMaxKib[b], "KiB",
                   std::string(kBufferNames[b]) + " buffer capacity (addresses are " +
                       kBufferAddressBits[b] + " bits in the ISA)"});
      v.push_back({p + "width_bytes", "int", double(kBufferDefaults[b].width_bytes), 1, 4096,
                   "bytes/cycle", std::string(kBufferNames[b]) + " buffer port width per bank"});
      v.push_back({p + "banks", "int", double(kBufferDefaults[b].banks), 1, 64, "banks",
                   std::string(kBufferNames[b]) +
                       " buffer banks (contiguous ranges, one port each); divides the capacity"});
    }
    return v;
  }();
  return infos;
}

uint32_t TopParams::dram_latency_cycles() const {
  return static_cast<uint32_t>(std::ceil(dram_latency_ns * clock_mhz / 1e3));
}

namespace {

[[noreturn]] void fail(std::string_view source, const std::string& key, const std::string& what) {
  throw ConfigError(fmt::format("{}: top.{}: {}", source, key, what));
}

// Collects leaf keys of a JSON object as dotted paths.
void leaves(const nlohmann::json& j, const std::string& prefix,
            std::vector<std::pair<std::string, const nlohmann::json*>>& out) {
  for (const auto& [key, value] : j.items()) {
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    if (value.is_object()) {
      leaves(value, path, out);
    } else {
      out.emplace_back(path, &value);
    }
  }
}

}  // namespace

TopParams top_params_from_json(const nlohmann::json& config, std::string_view source) {
  TopParams p;
  for (int b = 0; b < 4; ++b) p.buffers[b] = kBufferDefaults[b];
  if (!config.contains("top")) return p;
  const auto& sub = config.at("top");
  if (!sub.is_object()) fail(source, "", "must be an object; allowed: an object of top keys");
  std::vector<std::pair<std::string, const nlohmann::json*>> given;
  leaves(sub, "", given);
  const auto& infos = top_param_infos();
  for (const auto& [path, value] : given) {
    const TopParamInfo* info = nullptr;
    for (const auto& i : infos) {
      if (i.path == path) info = &i;
    }
    if (!info) {
      std::string names;
      for (const auto& i : infos) names += (names.empty() ? "" : ", ") + i.path;
      fail(source, path, "unknown key; allowed keys: " + names);
    }
    const bool is_int = info->type == "int";
    if (!value->is_number() || (is_int && !value->is_number_integer())) {
      fail(source, path, fmt::format("{} is not a{}; allowed: {} in [{}, {}] {}", value->dump(),
                                     is_int ? "n integer" : " number",
                                     is_int ? "an integer" : "a number", info->min_value,
                                     info->max_value, info->unit));
    }
    const double v = value->get<double>();
    if (!(v >= info->min_value && v <= info->max_value)) {
      fail(source, path, fmt::format("{} out of range; allowed: {} in [{}, {}] {}", value->dump(),
                                     is_int ? "an integer" : "a number", info->min_value,
                                     info->max_value, info->unit));
    }
  }
  auto get = [&](const std::string& path, double def) {
    const nlohmann::json* node = &sub;
    size_t start = 0;
    while (true) {
      const size_t dot = path.find('.', start);
      const std::string key = path.substr(start, dot == std::string::npos ? dot : dot - start);
      if (!node->contains(key)) return def;
      node = &node->at(key);
      if (dot == std::string::npos) return node->get<double>();
      start = dot + 1;
    }
  };
  p.clock_mhz = get("clock_mhz", p.clock_mhz);
  p.tiles = static_cast<int>(get("tiles", p.tiles));
  p.queue_depth = static_cast<int>(get("queue_depth", p.queue_depth));
  p.dram_bandwidth_gbps = get("dram.bandwidth_gbps", p.dram_bandwidth_gbps);
  p.dram_latency_ns = get("dram.latency_ns", p.dram_latency_ns);
  p.dram_burst_bytes = static_cast<int>(get("dram.burst_bytes", p.dram_burst_bytes));
  p.dram_max_outstanding = static_cast<int>(get("dram.max_outstanding", p.dram_max_outstanding));
  if (p.dram_burst_bytes & (p.dram_burst_bytes - 1)) {
    fail(source, "dram.burst_bytes",
         fmt::format("{} is not a power of two; allowed: 8, 16, ..., 4096", p.dram_burst_bytes));
  }
  for (int b = 0; b < 4; ++b) {
    const std::string pre = std::string("buffers.") + kBufferNames[b] + ".";
    auto& buf = p.buffers[b];
    buf.kib = static_cast<uint32_t>(get(pre + "kib", buf.kib));
    buf.width_bytes = static_cast<uint32_t>(get(pre + "width_bytes", buf.width_bytes));
    buf.banks = static_cast<uint32_t>(get(pre + "banks", buf.banks));
    if (buf.bytes() % buf.banks != 0) {
      fail(source, pre + "banks",
           fmt::format("{} does not divide the capacity of {} KiB; allowed: a divisor of {}",
                       buf.banks, buf.kib, buf.bytes()));
    }
  }
  return p;
}

nlohmann::json top_params_to_json(const TopParams& p) {
  nlohmann::json j = {{"clock_mhz", p.clock_mhz},
                      {"tiles", p.tiles},
                      {"queue_depth", p.queue_depth},
                      {"dram",
                       {{"bandwidth_gbps", p.dram_bandwidth_gbps},
                        {"latency_ns", p.dram_latency_ns},
                        {"burst_bytes", p.dram_burst_bytes},
                        {"max_outstanding", p.dram_max_outstanding}}}};
  for (int b = 0; b < 4; ++b) {
    j["buffers"][kBufferNames[b]] = {{"kib", p.buffers[b].kib},
                                     {"width_bytes", p.buffers[b].width_bytes},
                                     {"banks", p.buffers[b].banks}};
  }
  return j;
}

}  // namespace lowbit
