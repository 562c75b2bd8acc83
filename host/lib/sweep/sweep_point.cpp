// Sweep points: manifest entries and content-hash ids.
#include "lowbit/sweep_point.h"

#include <fmt/format.h>

namespace lowbit {

std::string content_hash(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a 64 offset basis
  for (const unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;  // FNV-1a 64 prime
  }
  return fmt::format("{:016x}", h);
}

void assign_point_ids(SweepPoint& p, const nlohmann::json& workload_doc) {
  // nlohmann::json (not ordered_json) dumps object keys sorted: a canonical form.
  nlohmann::json content = {
      {"config", p.config},
      {"workload", workload_doc},
      {"backend", p.tier == "analytic" ? std::string("analytic") : p.backend}};
  p.design = content_hash(nlohmann::json{{"config", p.config}, {"workload", workload_doc}}.dump());
  content["tier"] = p.tier;
  p.id = content_hash(content.dump());
}

nlohmann::ordered_json SweepPoint::to_json() const {
  return {{"id", id},           {"design", design},     {"tier", tier},
          {"backend", backend}, {"workload", workload}, {"workload_path", workload_path.string()},
          {"params", params}};
}

SweepPoint SweepPoint::from_json(const nlohmann::json& j) {
  SweepPoint p;
  p.id = j.at("id").get<std::string>();
  p.design = j.at("design").get<std::string>();
  p.tier = j.at("tier").get<std::string>();
  p.backend = j.at("backend").get<std::string>();
  p.workload = j.at("workload").get<std::string>();
  p.workload_path = j.at("workload_path").get<std::string>();
  p.params = nlohmann::ordered_json::parse(j.at("params").dump());
  return p;
}

}  // namespace lowbit
