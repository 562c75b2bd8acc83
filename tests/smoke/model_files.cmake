# Model files end to end: a GGUF (Q4_0, Q8_0, TQ2_0, F16, TQ1_0, Q5_0) and a safetensors (FP16)
# model written by the test run through `lowbit run --model` on the sim backend, verified against
# golden; --dump shows the file's own codes and scales; broken files are one line, exit 2.
if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
  lowbit_add_sim_test(smoke.model_files)  # registers it as skipped, with the reason
  return()
endif()
add_executable(write_model_files write_model_files.cpp)
target_link_libraries(write_model_files PRIVATE lowbit_host)
lowbit_add_sim_test(smoke.model_files
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/model_files_test.sh $<TARGET_FILE:lowbit>
          $<TARGET_FILE:write_model_files> ${PROJECT_SOURCE_DIR}
  LABELS smoke TIMEOUT 300)
