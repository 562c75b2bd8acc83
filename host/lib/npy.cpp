// NumPy .npy format 1.0: magic, version, little-endian header length, dict header, raw data.
#include "lowbit/npy.h"

#include <fstream>
#include <stdexcept>
#include <string>

#include "lowbit/atomic_file.h"

namespace lowbit {
namespace {

template <typename T>
constexpr const char* npy_descr();
template <>
constexpr const char* npy_descr<int8_t>() {
  return "|i1";
}
template <>
constexpr const char* npy_descr<uint8_t>() {
  return "|u1";
}
template <>
constexpr const char* npy_descr<uint16_t>() {
  return "<u2";
}
template <>
constexpr const char* npy_descr<int32_t>() {
  return "<i4";
}
template <>
constexpr const char* npy_descr<int64_t>() {
  return "<i8";
}
template <>
constexpr const char* npy_descr<float>() {
  return "<f4";
}
template <>
constexpr const char* npy_descr<double>() {
  return "<f8";
}

void write_npy_raw(const std::filesystem::path& path, const char* descr, const void* data,
                   size_t count, size_t bytes, const std::vector<size_t>& shape) {
  size_t expected = 1;
  std::string dims;
  for (size_t d : shape) {
    expected *= d;
    dims += std::to_string(d) + ",";
  }
  if (shape.size() > 1) dims.pop_back();  // "(3,)" for 1-D, "(3,4)" otherwise
  if (count != expected) throw std::invalid_argument("write_npy: shape does not match data size");
  std::string header =
      "{'descr': '" + std::string(descr) + "', 'fortran_order': False, 'shape': (" + dims + "), }";
  // Pad with spaces so that magic(6) + version(2) + len(2) + header + '\n' is a multiple of 64.
  const size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  AtomicFile out(path, std::ios::binary);
  out.stream().write("\x93NUMPY\x01\x00", 8);
  const uint16_t len = static_cast<uint16_t>(header.size());
  const char len_bytes[2] = {static_cast<char>(len & 0xFF), static_cast<char>(len >> 8)};
  out.stream().write(len_bytes, 2);
  out.stream().write(header.data(), static_cast<std::streamsize>(header.size()));
  out.stream().write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
  out.commit();
}

}  // namespace

template <typename T>
void write_npy(const std::filesystem::path& path, std::span<const T> data,
               const std::vector<size_t>& shape) {
  write_npy_raw(path, npy_descr<T>(), data.data(), data.size(), data.size_bytes(), shape);
}

void write_npy_fp16(const std::filesystem::path& path, std::span<const uint16_t> bits,
                    const std::vector<size_t>& shape) {
  write_npy_raw(path, "<f2", bits.data(), bits.size(), bits.size_bytes(), shape);
}

template void write_npy<int8_t>(const std::filesystem::path&, std::span<const int8_t>,
                                const std::vector<size_t>&);
template void write_npy<uint8_t>(const std::filesystem::path&, std::span<const uint8_t>,
                                 const std::vector<size_t>&);
template void write_npy<uint16_t>(const std::filesystem::path&, std::span<const uint16_t>,
                                  const std::vector<size_t>&);
template void write_npy<int32_t>(const std::filesystem::path&, std::span<const int32_t>,
                                 const std::vector<size_t>&);
template void write_npy<int64_t>(const std::filesystem::path&, std::span<const int64_t>,
                                 const std::vector<size_t>&);
template void write_npy<float>(const std::filesystem::path&, std::span<const float>,
                               const std::vector<size_t>&);
template void write_npy<double>(const std::filesystem::path&, std::span<const double>,
                                const std::vector<size_t>&);

}  // namespace lowbit
