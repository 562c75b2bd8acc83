// Names of the hardware weight kinds (model/formats/weight_kind.h).
#include "model/formats/weight_kind.h"

namespace lowbit {

const std::vector<std::string>& weight_kind_names() {
  static const std::vector<std::string> names = {"binary", "ternary", "signed", "unsigned"};
  return names;
}

std::string_view weight_kind_name(WeightKind kind) {
  return weight_kind_names()[weight_kind_field(kind)];
}

}  // namespace lowbit
