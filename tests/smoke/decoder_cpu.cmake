# The CPU reference of whole decoder blocks (docs/cpu-reference.md): part "preset" runs
# `lowbit run --backend cpu` on a shipped decoder preset (1 block, context 128); part "report" runs
# a tiny decoder on sim and on the CPU and checks the per-class breakdown in report.json, the CSV
# and the HTML.
foreach(part IN ITEMS preset report)
  set(name smoke.decoder_cpu)
  if(part STREQUAL "report")
    set(name smoke.decoder_cpu_report)
  endif()
  # The preset part takes about 30 s alone on the 2-core VM (70 s under load), mostly the
  # per-layer kernel table and the golden layers at 7B shapes; the block step itself < 1 s.
  lowbit_add_sim_test(${name}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/decoder_cpu_test.sh $<TARGET_FILE:lowbit>
            ${PROJECT_SOURCE_DIR} ${part}
    LABELS smoke TIMEOUT 300)
endforeach()
