// The arrays of a `--dump` folder as NumPy: the one format a run writes them in, read back with
// numpy.load.
#pragma once

#include <pybind11/pybind11.h>

#include <filesystem>

namespace lowbit::py {

/// {layer: {"A", "A_scale" (int8 activations only), "W_codes", "W_scales", "W_zeros", "O":
/// ndarray}} for every layer of the folder's manifest.json, in its order.
pybind11::dict load_dump_arrays(const std::filesystem::path& dir);

/// A fresh private folder under the system's temp folder, removed with everything in it when
/// the object goes away (the arrays are in memory by then).
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

}  // namespace lowbit::py
