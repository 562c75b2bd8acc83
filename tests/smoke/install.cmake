# `cmake --install` gives a CMake package: docs/example (a host program outside the source tree)
# configures against the installed prefix only, builds, connects to golden and sim and verifies.
if(NOT TARGET lowbit_accel)
  lowbit_add_skipped_test(smoke.install "lowbit_accel is not built")
  return()
endif()
if(CMAKE_CXX_FLAGS MATCHES "sanitize")
  # The installed static libraries carry the sanitizer runtime's symbols; a consumer built without
  # the same flags cannot link them. The default preset runs this test.
  lowbit_add_skipped_test(smoke.install "a sanitizer build installs libraries only sanitized programs can link")
  return()
endif()
add_test(NAME smoke.install
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/install_test.sh ${PROJECT_BINARY_DIR}
                 ${PROJECT_SOURCE_DIR} ${LOWBIT_HAVE_SYSTEMC})
set_tests_properties(smoke.install PROPERTIES LABELS smoke TIMEOUT 900 )
