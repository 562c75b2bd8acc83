// Writers of the parameter declarations as JSON and Markdown (see param_doc.h).
#include "model/arch/param_doc.h"

#include <fmt/format.h>

#include "model/arch/top_params.h"
#include "model/arch/unit_registry.h"
#include "model/arch/vector_params.h"

namespace lowbit {
namespace {

nlohmann::ordered_json value_of(const ParamInfo& p, double v) {
  if (p.type == ParamType::kString) return "";
  if (p.type == ParamType::kBool) return v != 0;
  if (p.type == ParamType::kInt) return static_cast<int64_t>(v);
  return v;
}

nlohmann::ordered_json param_list(const std::vector<ParamInfo>& infos) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ParamInfo& p : infos) {
    list.push_back({{"key", p.path},
                    {"type", param_type_name(p.type)},
                    {"default", value_of(p, p.default_value)},
                    {"min", value_of(p, p.min_value)},
                    {"max", value_of(p, p.max_value)},
                    {"unit", p.unit},
                    {"description", p.description},
                    {"rtl", p.rtl_name},
                    {"rtl_only_if_changed", p.rtl_only_if_changed}});
  }
  return list;
}

std::string table(const std::string& prefix, const std::vector<ParamInfo>& infos) {
  std::string s =
      "| key | type | default | range | unit | RTL parameter | meaning |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const ParamInfo& p : infos) {
    const std::string range = p.type == ParamType::kBool ? "true, false"
                              : p.type == ParamType::kString
                                  ? "a name"
                                  : fmt::format("{} .. {}", value_of(p, p.min_value).dump(),
                                                value_of(p, p.max_value).dump());
    s += fmt::format("| `{}.{}` | {} | {} | {} | {} | {} | {} |\n", prefix, p.path,
                     param_type_name(p.type), value_of(p, p.default_value).dump(), range, p.unit,
                     p.rtl_name.empty() ? "-" : p.rtl_name, p.description);
  }
  return s;
}

}  // namespace

nlohmann::ordered_json params_json() {
  nlohmann::ordered_json j = {{"schema", 1}, {"top", param_list(top_param_infos())}};
  j["units"] = nlohmann::ordered_json::object();
  for (const IUnitSpec* u : unit_specs()) {
    const isa::OpSpec* op = isa::find_op(static_cast<uint8_t>(u->opcode()));
    j["units"][std::string(u->name())] = {{"description", u->description()},
                                          {"opcode", op ? op->mnemonic : "?"},
                                          {"rtl_top", u->cost().rtl_top},
                                          {"params", param_list(u->params())}};
  }
  return j;
}

std::string params_markdown() {
  std::string s = fmt::format("### top\n\n{}", table("top", top_param_infos()));
  s += fmt::format(
      "\n### vector\n\nThe vector / special-function unit and the KV cache (docs/decoder.md); "
      "not in rtl/params.json (the unit has no RTL).\n\n{}",
      table("vector", vector_param_infos()));
  for (const IUnitSpec* u : unit_specs()) {
    s += fmt::format("\n### {}\n\n{}\n\n{}", u->name(), u->description(),
                     table(std::string(u->name()), u->params()));
  }
  return s;
}

}  // namespace lowbit
