// MX block quantization of matrices, on top of the MX block codec.
#include "model/quant/mx_quant.h"

#include <algorithm>
#include <span>
#include <stdexcept>

namespace lowbit {

MxTensor mx_quantize(const std::vector<float>& data, int rows, int cols, MxElement element) {
  if (rows < 0 || cols < 0 || data.size() != static_cast<size_t>(rows) * cols)
    throw std::invalid_argument("mx_quantize: data size does not match rows x cols");
  MxTensor t;
  t.rows = rows;
  t.cols = cols;
  t.element = element;
  const int blocks = t.blocks_per_row();
  t.scales.resize(static_cast<size_t>(rows) * blocks);
  t.codes.resize(data.size());
  for (int r = 0; r < rows; ++r) {
    for (int b = 0; b < blocks; ++b) {
      const int c0 = b * kMxBlockSize;
      const int len = std::min(kMxBlockSize, cols - c0);
      const size_t off = static_cast<size_t>(r) * cols + c0;
      const MxBlock block = mx_encode_block(element, std::span<const float>(&data[off], len));
      t.scales[static_cast<size_t>(r) * blocks + b] = block.scale;
      std::copy_n(block.codes.begin(), len, t.codes.begin() + static_cast<std::ptrdiff_t>(off));
    }
  }
  return t;
}

std::vector<float> mx_dequantize(const MxTensor& t) {
  std::vector<float> out(t.codes.size());
  const int blocks = t.blocks_per_row();
  for (int r = 0; r < t.rows; ++r) {
    for (int b = 0; b < blocks; ++b) {
      const int c0 = b * kMxBlockSize;
      const int len = std::min(kMxBlockSize, t.cols - c0);
      const size_t off = static_cast<size_t>(r) * t.cols + c0;
      MxBlock block;
      block.scale = t.scales[static_cast<size_t>(r) * blocks + b];
      std::copy_n(t.codes.begin() + static_cast<std::ptrdiff_t>(off), len, block.codes.begin());
      std::array<double, kMxBlockSize> values{};
      mx_decode_block(t.element, block, std::span<double>(values.data(), len));
      for (int i = 0; i < len; ++i) out[off + i] = static_cast<float>(values[i]);
    }
  }
  return out;
}

double mx_bits_per_element(const MxTensor& t) {
  if (t.codes.empty()) return 0.0;
  const double bits = static_cast<double>(t.codes.size()) * mx_element_bits(t.element) +
                      static_cast<double>(t.scales.size()) * 8.0;
  return bits / static_cast<double>(t.codes.size());
}

}  // namespace lowbit
