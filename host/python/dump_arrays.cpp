// Reading a run's --dump folder into NumPy arrays; the temporary folder a run dumps into.
#include "dump_arrays.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace lowbit::py {

namespace pyb = pybind11;
namespace fs = std::filesystem;

pyb::dict load_dump_arrays(const fs::path& dir) {
  std::ifstream in(dir / "manifest.json");
  if (!in)
    throw std::runtime_error(fmt::format("{}: no manifest.json after the run", dir.string()));
  const nlohmann::json manifest = nlohmann::json::parse(in);
  const pyb::object load = pyb::module_::import("numpy").attr("load");
  pyb::dict out;
  for (const auto& layer : manifest.at("layers")) {
    const std::string name = layer.at("name").get<std::string>();
    pyb::dict arrays;
    for (const char* part : {"A", "A_scale", "W_codes", "W_scales", "W_zeros", "O"}) {
      const fs::path file = dir / fmt::format("{}_{}.npy", name, part);
      if (fs::exists(file)) arrays[part] = load(file.string());
    }
    out[pyb::str(name)] = arrays;
  }
  return out;
}

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "lowbit-py-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error(
        fmt::format("{}: cannot make a temporary folder: {}", pattern, std::strerror(errno)));
  }
  m_path = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;  // best effort: a destructor must not throw
  fs::remove_all(m_path, ec);
}

}  // namespace lowbit::py
