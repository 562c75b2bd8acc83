// Loads the plugin liblowbit_rtl_tiles.so (once, on first use) and wraps its C entry points.
#include "host/lib/backends/rtl/rtl_tiles.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "host/lib/backends/rtl/rtl_tiles_abi.h"
#include "lowbit/error.h"

namespace lowbit {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBuildHint = "build them with: scripts/build default lowbit_rtl_tiles";

struct Plugin {
  std::string path;
  rtl_abi::ConfigsFn configs = nullptr;
  rtl_abi::MakeFn make = nullptr;
};

std::string exe_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

// Candidates and whether they came from the environment.
std::vector<std::string> candidates(bool* from_env) {
  *from_env = false;
  if (const char* env = std::getenv("LOWBIT_RTL_TILES"); env != nullptr && *env != '\0') {
    *from_env = true;
    std::error_code ec;
    fs::path p(env);
    if (fs::is_directory(p, ec)) p /= rtl_abi::kPluginFile;
    return {p.string()};
  }
  std::vector<std::string> c;
  if (const std::string dir = exe_dir(); !dir.empty()) {
    c.push_back((fs::path(dir) / rtl_abi::kPluginFile).string());
  }
  c.push_back(LOWBIT_RTL_TILES_BUILD_PATH);
  return c;
}

// Opens one candidate; on failure returns false with the reason.
bool open_plugin(const std::string& path, Plugin& plugin, std::string& why) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  const std::string rebuild = "; rebuild it with: scripts/build default lowbit_rtl_tiles";
  if (handle == nullptr) {
    const char* e = dlerror();
    why = "--backend rtl: cannot load " + path + ": " + (e ? e : "unknown dlopen error") + rebuild;
    return false;
  }
  auto sym = [&](const char* name) { return dlsym(handle, name); };
  const auto abi = reinterpret_cast<rtl_abi::AbiFn>(sym(rtl_abi::kAbiSymbol));
  plugin.configs = reinterpret_cast<rtl_abi::ConfigsFn>(sym(rtl_abi::kConfigsSymbol));
  plugin.make = reinterpret_cast<rtl_abi::MakeFn>(sym(rtl_abi::kMakeSymbol));
  if (abi == nullptr || plugin.configs == nullptr || plugin.make == nullptr ||
      abi() != rtl_abi::fingerprint()) {
    dlclose(handle);
    why = "--backend rtl: " + path + " does not match this program (built from other sources)" +
          rebuild;
    return false;
  }
  plugin.path = path;
  return true;
}

// The loaded plugin, or nullptr and the reason. A success is kept for the process lifetime (tiles
// it made must never outlive its code); a failure is retried on the next call.
const Plugin* load(std::string& why) {
  static std::mutex mutex;
  static std::unique_ptr<Plugin> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  if (loaded) return loaded.get();
  bool from_env = false;
  const auto paths = candidates(&from_env);
  for (const auto& path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec)) continue;
    auto plugin = std::make_unique<Plugin>();
    if (!open_plugin(path, *plugin, why)) return nullptr;
    loaded = std::move(plugin);
    return loaded.get();
  }
  std::string where;
  if (from_env) {
    where = "LOWBIT_RTL_TILES=" + paths.front() + " does not exist";
  } else {
    where = "neither next to the executable nor at " + paths.back();
  }
#if LOWBIT_RTL_TILES_CONFIGURED
  why = std::string("--backend rtl: the Verilated tiles are not built (") + rtl_abi::kPluginFile +
        " is " + where + "); " + kBuildHint;
#else
  why = std::string("--backend rtl: the Verilated tiles are not built (") + rtl_abi::kPluginFile +
        " is " + where +
        "); this build was configured without Verilator: apt-get install verilator, reconfigure, "
        "then " +
        kBuildHint;
#endif
  return nullptr;
}

const Plugin& require() {
  std::string why;
  const Plugin* p = load(why);
  if (p == nullptr) throw InputError(why);
  return *p;
}

}  // namespace

void* make_rtl_tile_raw(const std::string& unit, const std::string& config_name,
                        const std::string& rtl_params, const void* params, StatGroup& stats) {
  const Plugin& p = require();
  char err[1024] = {};
  void* tile = p.make(unit.c_str(), config_name.c_str(), rtl_params.c_str(), params, &stats, err,
                      sizeof err);
  if (tile == nullptr) throw InputError(std::string("--backend rtl: ") + err);
  return tile;
}

bool rtl_tiles_available(std::string* why) {
  std::string reason;
  const bool ok = load(reason) != nullptr;
  if (why != nullptr) *why = ok ? std::string() : reason;
  return ok;
}

std::vector<std::string> rtl_tiles_configs() {
  const Plugin& p = require();
  std::string buf(p.configs(nullptr, 0) + 1, '\0');
  p.configs(buf.data(), buf.size());
  buf.pop_back();
  std::vector<std::string> names;
  size_t start = 0;
  while (start < buf.size()) {
    size_t end = buf.find(',', start);
    if (end == std::string::npos) end = buf.size();
    names.push_back(buf.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

std::vector<std::string> rtl_tiles_search_path() {
  bool from_env = false;
  return candidates(&from_env);
}

}  // namespace lowbit
