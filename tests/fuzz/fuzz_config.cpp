// libFuzzer target: hardware config JSON and `--set` overrides (hw_config, top/unit params).
// Input: the config JSON, optionally a NUL and then one `key=value` override per line.
// Bad input must be a ConfigError / InputError / JsonInputError; any other exception is a crash.
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "lowbit/config_override.h"
#include "lowbit/error.h"
#include "model/arch/hw_config.h"
#include "model/json/json_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lowbit;
  const auto parts = fuzz::split_parts(fuzz::as_text(data, size));
  try {
    HwConfig hw = hw_config_from_json(parse_json_input(parts[0], "fuzz.json"), "fuzz.json");
    if (parts.size() > 1) {
      nlohmann::json j = hw.to_json();
      apply_overrides(j, fuzz::split_lines(parts[1]), "fuzz.json");
      hw = hw_config_from_json(j, "fuzz.json (with --set)");
    }
    // What `lowbit run` does with an accepted config: dump it into stats.json.
    (void)hw.to_json().dump(2);
  } catch (const ConfigError&) {
  } catch (const InputError&) {
  } catch (const JsonInputError&) {
  }
  return 0;
}
