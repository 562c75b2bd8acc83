# `lowbit report` end to end: runs on two configs and the CPU, JSON/CSV/HTML agree, bad input exits
# 2 with nothing written; the HTML opened in headless Chromium renders every chart, no console errors.
if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
  lowbit_add_skipped_test(smoke.report "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
  lowbit_add_skipped_test(smoke.report_html
                          "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
  return()
endif()
foreach(part IN ITEMS data html)
  set(name smoke.report)
  if(part STREQUAL "html")
    set(name smoke.report_html)
  endif()
  add_test(NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/report_test.sh
                                     $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR} ${part})
  set_tests_properties(${name} PROPERTIES LABELS smoke TIMEOUT 120
                                          SKIP_REGULAR_EXPRESSION "SKIPPED:")
endforeach()
