# `lowbit report` end to end: runs on two configs and the CPU, JSON/CSV/HTML agree, bad input exits
# 2 with nothing written; the HTML opened in headless Chromium renders every chart, no console errors.
foreach(part IN ITEMS data html)
  set(name smoke.report)
  if(part STREQUAL "html")
    set(name smoke.report_html)
  endif()
  lowbit_add_sim_test(${name}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/report_test.sh $<TARGET_FILE:lowbit>
            ${PROJECT_SOURCE_DIR} ${part}
    LABELS smoke TIMEOUT 120 SKIPPABLE)
endforeach()
