// Names of the hardware weight kinds (model/formats/weight_kind.h).
#include "model/formats/weight_kind.h"

namespace lowbit {

const std::vector<std::string>& weight_kind_names() {
  static const std::vector<std::string> names = {"binary", "ternary", "signed", "unsigned"};
  return names;
}

const std::vector<std::string>& weight_codec_names() {
  static const std::vector<std::string> names = {"affine", "bitmod", "fp4_e2m1", "mxfp4"};
  return names;
}

std::string_view weight_kind_name(WeightKind kind) {
  return weight_kind_names()[weight_kind_field(kind)];
}

}  // namespace lowbit
