// The default characterization file of a node.
#include "lowbit/characterization_path.h"

#include <cstdlib>
#include <filesystem>

#include "lowbit/workload.h"

namespace lowbit {

std::string default_characterization_path(const std::string& node) {
  const char* env = std::getenv("LOWBIT_CHARACTERIZATION_DIR");
  const std::filesystem::path dir =
      (env != nullptr && *env != '\0')
          ? std::filesystem::path(env)
          : workload_presets_dir().parent_path() / "rtl" / "synth" / "characterization";
  return (dir / (node + ".json")).string();
}

}  // namespace lowbit
