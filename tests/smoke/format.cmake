# C++ style: every tracked .cpp / .h follows .clang-format (clang-format --dry-run -Werror), and a
# deliberately misformatted file written here is reported, so the check cannot pass vacuously.
find_program(LOWBIT_CLANG_FORMAT clang-format)
find_program(LOWBIT_GIT git)
if(NOT LOWBIT_CLANG_FORMAT OR NOT LOWBIT_GIT)
  lowbit_add_skipped_test(lint.clang_format "clang-format or git not found (apt-get install clang-format git)")
  return()
endif()
add_test(NAME lint.clang_format
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/format_test.sh ${LOWBIT_CLANG_FORMAT}
                 ${PROJECT_SOURCE_DIR})
set_tests_properties(lint.clang_format PROPERTIES LABELS "smoke;lint" TIMEOUT 300
                                                  SKIP_REGULAR_EXPRESSION "SKIPPED:")
