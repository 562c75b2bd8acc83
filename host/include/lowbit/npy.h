// NumPy .npy (format 1.0) writer so users can load dumped tensors with numpy.load.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace lowbit {

/// Writes a C-order array of the given shape atomically (temp file, then rename).
/// Element types: int8_t, uint8_t, uint16_t, int32_t, int64_t, float, double.
template <typename T>
void write_npy(const std::filesystem::path& path, std::span<const T> data,
               const std::vector<size_t>& shape);

/// Writes FP16 bit patterns as a float16 array (dtype '<f2').
void write_npy_fp16(const std::filesystem::path& path, std::span<const uint16_t> bits,
                    const std::vector<size_t>& shape);

}  // namespace lowbit
