// MX block quantization of a row-major matrix: blocks of 32 along each row (the K dimension).
#pragma once

#include <cstdint>
#include <vector>

#include "model/formats/mx.h"

namespace lowbit {

/// A [rows][cols] matrix in one MX format. Row r, block b covers columns 32b .. min(32b+32, cols);
/// the last block of a row is shorter when cols is not a multiple of 32 (its scale is chosen from
/// the elements it has).
struct MxTensor {
  int rows = 0;
  int cols = 0;
  MxElement element = MxElement::kFp8E4M3;
  std::vector<uint8_t> scales;  ///< [rows][blocks_per_row()] E8M0 codes
  std::vector<uint8_t> codes;   ///< [rows][cols] element codes (low bits used for FP4/FP6)

  int blocks_per_row() const { return (cols + kMxBlockSize - 1) / kMxBlockSize; }
};

/// Quantizes data[rows][cols] block by block (mx_encode_block rules: RNE, saturation, NaN block).
MxTensor mx_quantize(const std::vector<float>& data, int rows, int cols, MxElement element);
/// X * P per element, rounded once to float (a value beyond FLT_MAX, possible only for inputs
/// within a factor 1.75 of FLT_MAX, becomes inf).
std::vector<float> mx_dequantize(const MxTensor& t);
/// Storage in bits per element including the shared scales (e.g. MXFP4: 4 + 8/32 = 4.25).
double mx_bits_per_element(const MxTensor& t);

}  // namespace lowbit
