// libFuzzer target: workload JSON (schema, ranges, layer names, the memory check).
// Bad input must be an InputError / JsonInputError; any other exception is a crash.
#include <cstdint>
#include <cstdlib>

#include "fuzz_input.h"
#include "lowbit/error.h"
#include "lowbit/output_path.h"
#include "lowbit/workload.h"
#include "model/json/json_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lowbit;
  try {
    const Workload w =
        workload_from_json(parse_json_input(fuzz::as_text(data, size), "fuzz.json"), "fuzz.json");
    check_workload_memory(w);
    // Accepted layer names must stay inside a --dump folder.
    for (const LayerSpec& l : w.layers) {
      if (!is_safe_file_name(l.name)) std::abort();
    }
  } catch (const InputError&) {
  } catch (const JsonInputError&) {
  }
  return 0;
}
