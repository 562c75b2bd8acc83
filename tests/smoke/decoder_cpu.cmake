# The CPU reference of whole decoder blocks (docs/cpu-reference.md): part "preset" runs
# `lowbit run --backend cpu` on a shipped decoder preset (1 block, context 128); part "report" runs
# a tiny decoder on sim and on the CPU and checks the per-class breakdown in report.json, the CSV
# and the HTML.
if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
  lowbit_add_skipped_test(smoke.decoder_cpu "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
  lowbit_add_skipped_test(smoke.decoder_cpu_report "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
  return()
endif()
foreach(part IN ITEMS preset report)
  set(name smoke.decoder_cpu)
  if(part STREQUAL "report")
    set(name smoke.decoder_cpu_report)
  endif()
  add_test(NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/decoder_cpu_test.sh
                                     $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR} ${part})
  # The preset part takes about 30 s alone on the 2-core VM (70 s under load), mostly the
  # per-layer kernel table and the golden layers at 7B shapes; the block step itself < 1 s.
  set_tests_properties(${name} PROPERTIES LABELS smoke TIMEOUT 300)
endforeach()
