# Helpers shared by every layer's CMakeLists: folders and *.cmake fragments join the build by existing.

# Adds every immediate subfolder of the current source folder that has a CMakeLists.txt.
function(lowbit_add_subdirs)
  file(GLOB children LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}
       ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(SORT children)
  foreach(child IN LISTS children)
    if(IS_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/${child}
       AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${child}/CMakeLists.txt)
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()

# Includes every *.cmake fragment of the current source folder (one per unit: lutcore.cmake, ...).
macro(lowbit_include_fragments)
  file(GLOB _lowbit_fragments CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cmake)
  list(SORT _lowbit_fragments)
  foreach(_frag IN LISTS _lowbit_fragments)
    include(${_frag})
  endforeach()
endmacro()

# lowbit_add_gtest(NAME SOURCES src... LIBS lib... [LABELS l...])
# One GoogleTest executable; each TEST becomes one ctest test, labelled for `ctest -L`.
function(lowbit_add_gtest name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS "${ARG_LABELS}"
                       ENVIRONMENT "LOWBIT_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

# Registers a test that reports as skipped (ctest "Not Run"/skipped), with the reason printed.
function(lowbit_add_skipped_test name reason)
  add_test(NAME ${name} COMMAND ${CMAKE_COMMAND} -E echo "SKIPPED: ${reason}")
  set_tests_properties(${name} PROPERTIES SKIP_REGULAR_EXPRESSION "SKIPPED:")
endfunction()

# Applies the SystemC compile settings: Debian's libsystemc is built as C++17 (see TOOLCHAIN.md).
function(lowbit_use_systemc target)
  target_link_libraries(${target} PUBLIC PkgConfig::SystemC)
  target_compile_definitions(${target} PUBLIC SC_CPLUSPLUS=201703L SC_INCLUDE_DYNAMIC_PROCESSES)
endfunction()

# Reads the lutcore subtree of a config JSON into <prefix>_M, _N, _K, _G, _DQ (dequant_lanes),
# _FP16 and _SYM (0/1; a config without "symmetric" keeps symmetrization on) and <prefix>_GARGS,
# the Verilator -G parameter list of lutcore_tile. The one place CMake maps config keys to RTL.
function(lowbit_read_lutcore_config path prefix)
  file(READ ${path} json)
  foreach(key m n k g)
    string(JSON value GET "${json}" lutcore ${key})
    string(TOUPPER ${key} ukey)
    set(${ukey} ${value})
    set(${prefix}_${ukey} ${value} PARENT_SCOPE)
  endforeach()
  string(JSON dq GET "${json}" lutcore dequant_lanes)
  string(JSON fp16 GET "${json}" lutcore fp16)
  set(fp 0)
  if(fp16)
    set(fp 1)
  endif()
  string(JSON symmetric ERROR_VARIABLE symmetric_missing GET "${json}" lutcore symmetric)
  set(sym 0)
  if(symmetric_missing OR symmetric)
    set(sym 1)
  endif()
  set(${prefix}_DQ ${dq} PARENT_SCOPE)
  set(${prefix}_FP16 ${fp} PARENT_SCOPE)
  set(${prefix}_SYM ${sym} PARENT_SCOPE)
  set(${prefix}_GARGS -GM=${M} -GN=${N} -GK=${K} -GG=${G} -GFp16=${fp} -GDqLanes=${dq} -GSym=${sym}
      PARENT_SCOPE)
endfunction()
