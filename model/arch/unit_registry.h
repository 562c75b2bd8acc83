// The registered compute units, looked up by the name configs use ("core": "lutcore").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/arch/unit_spec.h"

namespace lowbit {

/// Every registered unit, in registration order (unit_registry.cpp is the one list).
const std::vector<const IUnitSpec*>& unit_specs();
/// The unit of that name, or nullptr.
const IUnitSpec* find_unit_spec(std::string_view name);
/// "lutcore, mixpe, mac": for "allowed:" messages.
std::string unit_names();

}  // namespace lowbit
