# libFuzzer targets over the GGUF and safetensors readers (clang with libFuzzer only; no SystemC):
# fuzz_gguf and fuzz_safetensors, and a ctest each that runs a fixed number of inputs from a
# printed, settable seed (LOWBIT_SEED), never a time budget.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  lowbit_add_skipped_test(fuzz.model_file "libFuzzer targets need clang (configure with the fuzz preset)")
  return()
endif()
include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer")
set(CMAKE_REQUIRED_LINK_OPTIONS "-fsanitize=fuzzer")
check_cxx_source_compiles(
  "#include <cstdint>\n#include <cstddef>\nextern \"C\" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }"
  LOWBIT_HAVE_LIBFUZZER)
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_LINK_OPTIONS)
if(NOT LOWBIT_HAVE_LIBFUZZER)
  lowbit_add_skipped_test(fuzz.model_file "this clang has no libFuzzer (-fsanitize=fuzzer)")
  return()
endif()
# The readers are compiled into each target so that they carry the fuzzer's instrumentation.
set(_lowbit_reader_sources
    ${PROJECT_SOURCE_DIR}/host/lib/model_file/ggml_types.cpp
    ${PROJECT_SOURCE_DIR}/host/lib/model_file/gguf_file.cpp
    ${PROJECT_SOURCE_DIR}/host/lib/model_file/safetensors_file.cpp
    ${PROJECT_SOURCE_DIR}/host/lib/model_file/ggml_decode.cpp)
foreach(_reader gguf safetensors)
  string(TOUPPER ${_reader} _upper)
  add_executable(fuzz_${_reader} ${CMAKE_CURRENT_LIST_DIR}/model_file_fuzz.cpp
                                 ${_lowbit_reader_sources})
  target_compile_definitions(fuzz_${_reader} PRIVATE LOWBIT_FUZZ_${_upper})
  if(TARGET lowbit_fuzzers)
    add_dependencies(lowbit_fuzzers fuzz_${_reader})
  endif()
  target_include_directories(fuzz_${_reader} PRIVATE ${PROJECT_SOURCE_DIR}/host/include
                                                     ${PROJECT_SOURCE_DIR})
  target_compile_options(fuzz_${_reader} PRIVATE -fsanitize=fuzzer,address,undefined
                                                 -fno-sanitize-recover=all)
  target_link_options(fuzz_${_reader} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(fuzz_${_reader} PRIVATE lowbit_model nlohmann_json::nlohmann_json fmt::fmt)
  # New inputs go to the build folder; the seeds (tests/fuzz/corpus/<reader>, written by
  # make_model_seeds.py) are read only.
  set(_new_dir ${CMAKE_CURRENT_BINARY_DIR}/new/${_reader})
  file(MAKE_DIRECTORY ${_new_dir})
  add_test(NAME fuzz.model_file.${_reader}
           COMMAND sh -c "seed=\${LOWBIT_SEED:-1}; echo \"seed \$seed (replay: LOWBIT_SEED=\$seed)\"; \
exec \"$<TARGET_FILE:fuzz_${_reader}>\" -runs=200000 -seed=\$seed -max_len=4096 \
${_new_dir} ${CMAKE_CURRENT_LIST_DIR}/corpus/${_reader}")
  set_tests_properties(fuzz.model_file.${_reader} PROPERTIES LABELS fuzz TIMEOUT 600)
endforeach()
