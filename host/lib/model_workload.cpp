// Workload from a model file: select blocks and linear layers, take shapes and weights from it.
#include "lowbit/model_workload.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "lowbit/error.h"
#include "lowbit/model_file.h"

namespace lowbit {
namespace {

// "0,2-3" -> {0, 2, 3}; every index in [0, blocks).
std::set<int> parse_blocks(const std::string& text, int blocks, const std::string& origin) {
  std::set<int> out;
  if (text.empty()) {
    for (int b = 0; b < blocks; ++b) out.insert(b);
    return out;
  }
  const auto bad = [&](const std::string& why) {
    throw InputError(
        fmt::format("{}: blocks: \"{}\" {}; allowed: block indices 0 .. {} as a list "
                    "of numbers and ranges, e.g. 0,2-3",
                    origin, text, why, blocks - 1));
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t comma = std::min(text.find(',', pos), text.size());
    const std::string item = text.substr(pos, comma - pos);
    const size_t dash = item.find('-');
    const auto number = [&](const std::string& s) {
      int v = -1;
      const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (s.empty() || ec != std::errc() || end != s.data() + s.size()) bad("is not a list");
      if (v < 0 || v >= blocks) bad(fmt::format("names block {}", v));
      return v;
    };
    const int lo = number(item.substr(0, dash));
    const int hi = dash == std::string::npos ? lo : number(item.substr(dash + 1));
    if (hi < lo) bad("has a descending range");
    for (int b = lo; b <= hi; ++b) out.insert(b);
    pos = comma + 1;
  }
  return out;
}

}  // namespace

Workload workload_from_model(const ModelSelection& sel, const LayerSpec& defaults,
                             const std::string& origin) {
  const ModelFile model(sel.file);
  const ModelShape& s = model.shape();
  const std::set<int> blocks = parse_blocks(sel.blocks, s.blocks, origin);
  std::vector<LinearRole> roles;
  std::vector<std::string> all;
  for (LinearRole r : kLinearRoles) all.push_back(linear_role_name(r));
  for (LinearRole r : kLinearRoles) {
    if (sel.layers.empty() ||
        std::find(sel.layers.begin(), sel.layers.end(), linear_role_name(r)) != sel.layers.end()) {
      roles.push_back(r);
    }
  }
  for (const std::string& name : sel.layers) {
    if (std::find(all.begin(), all.end(), name) == all.end()) {
      throw InputError(fmt::format("{}: layers: \"{}\" is not a linear layer; allowed: {}", origin,
                                   name, fmt::join(all, ", ")));
    }
  }

  Workload w;
  w.name = std::filesystem::path(sel.file).filename().string();
  w.description = fmt::format(
      "{} ({} {}): {} of {} blocks, hidden {}, FFN {}, heads {} / KV heads {}; weights from the "
      "file, activations synthesized ({}, seeded)",
      sel.file, model.kind(), s.architecture, blocks.size(), s.blocks, s.hidden, s.ffn, s.heads,
      s.kv_heads, defaults.distribution);
  w.not_modelled = linear_only_not_modelled();
  for (int b : blocks) {
    for (LinearRole r : roles) {
      const ModelTensor t = model.linear(b, r);
      LayerSpec l = defaults;
      l.name = fmt::format("blk{}.{}", b, linear_role_name(r));
      l.n = t.n;
      l.k = t.k;
      if (t.exact) {
        l.weight_format = t.format;
        l.group_size = t.group_size;
      }
      l.seed = defaults.seed + w.layers.size();
      l.repeat = 1;
      l.model_file = sel.file;
      l.model_tensor = t.name;
      l.model_type = t.type;
      // Read and check the data now: a bad block fails before anything is written.
      model.check(t);
      w.layers.push_back(l);
    }
  }
  return w;
}

}  // namespace lowbit
