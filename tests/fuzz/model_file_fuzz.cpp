// libFuzzer targets over the model-file readers: built once per reader (LOWBIT_FUZZ_GGUF or
// LOWBIT_FUZZ_SAFETENSORS). Any input must parse or give one InputError line; anything else
// (a crash, a sanitizer report, another exception, a multi-line message) is a finding.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "lowbit/error.h"
#include "lowbit/ggml_decode.h"
#include "lowbit/gguf_file.h"
#include "lowbit/safetensors_file.h"

namespace {

void check_one_line(const lowbit::InputError& e) {
  if (std::string(e.what()).find('\n') != std::string::npos) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  try {
#if defined(LOWBIT_FUZZ_GGUF)
    const lowbit::GgufFile g = lowbit::GgufFile::parse(bytes, "fuzz.gguf");
    // The block decoders read every tensor the parser accepted: bounds come from the parser.
    for (const lowbit::GgufTensor& t : g.tensors) {
      try {
        switch (lowbit::ggml_mapping(t.type)) {
          case lowbit::GgmlMapping::kExact:
            if (t.dims.size() == 2 && t.dims[0] <= (1u << 20) && t.dims[1] <= (1u << 20)) {
              lowbit::decode_ggml_exact(t, "fuzz.gguf");
            }
            break;
          case lowbit::GgmlMapping::kFloat:
            lowbit::decode_ggml_floats(t, "fuzz.gguf");
            break;
          case lowbit::GgmlMapping::kUnsupported:
            break;
        }
      } catch (const lowbit::InputError& e) {
        check_one_line(e);
      }
    }
#elif defined(LOWBIT_FUZZ_SAFETENSORS)
    const lowbit::SafetensorsFile f = lowbit::SafetensorsFile::parse(bytes, "fuzz.safetensors");
    for (const auto& t : f.tensors) {
      if (f.tensor(t.name) != &t) std::abort();  // lookup by name finds every tensor
    }
#else
#error "define LOWBIT_FUZZ_GGUF or LOWBIT_FUZZ_SAFETENSORS"
#endif
  } catch (const lowbit::InputError& e) {
    check_one_line(e);
  }
  return 0;
}
