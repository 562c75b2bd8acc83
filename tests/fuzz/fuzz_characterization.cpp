// libFuzzer target: characterization JSON (schema lowbit.characterization v1).
// Bad input must be a CostInputError / JsonInputError; any other exception is a crash.
#include <cstdint>

#include "fuzz_input.h"
#include "model/cost/characterization.h"
#include "model/json/json_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lowbit;
  try {
    (void)parse_characterization(parse_json_input(fuzz::as_text(data, size), "fuzz.json"),
                                 "fuzz.json");
  } catch (const CostInputError&) {
  } catch (const JsonInputError&) {
  }
  return 0;
}
