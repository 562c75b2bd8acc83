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

# Includes every *.cmake fragment of the current source folder (one per unit: <unit>.cmake, ...).
macro(lowbit_include_fragments)
  file(GLOB _lowbit_fragments CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cmake)
  list(SORT _lowbit_fragments)
  foreach(_frag IN LISTS _lowbit_fragments)
    include(${_frag})
  endforeach()
endmacro()

# lowbit_hot_loops(TARGET src...): compiles these sources of TARGET (paths relative to the current
# folder) at -O3 in Release builds. GCC 12's -O2 vectorizes only loops that need no scalar
# epilogue (-fvect-cost-model=very-cheap), which left the integer dot products, code scans and
# table walks that dominate a decode token scalar (docs/top.md, issue 20). -O3 changes no
# result: there is no -ffast-math, so floating-point sums are never reassociated, and the x86-64
# baseline has no FMA to contract into; integer sums are exact in any order. -fno-math-errno
# (errno is never read here) lets sqrt be one instruction without the call for negative inputs,
# which kept the loops around it scalar and branchy (data synthesis: 4.4 -> 3.1 ns per weight);
# sqrt is correctly rounded either way. -fno-trapping-math (no code here enables FP traps or reads
# the exception flags) lets GCC turn the selects of std::clamp / std::min on doubles into vector
# blends, so the quantizers' round-and-clamp loops vectorize; every IEEE operation and its
# rounding is unchanged.
function(lowbit_hot_loops target)
  set(paths)
  foreach(src IN LISTS ARGN)
    list(APPEND paths ${CMAKE_CURRENT_SOURCE_DIR}/${src})
  endforeach()
  set_source_files_properties(${paths} TARGET_DIRECTORY ${target}
                              PROPERTIES COMPILE_OPTIONS
                                         "$<$<CONFIG:Release>:-O3;-fno-math-errno;-fno-trapping-math>")
endfunction()

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

# lowbit_add_sim_test(NAME COMMAND cmd... LABELS l... TIMEOUT s [COST c] [SKIPPABLE])
# A test of the `lowbit` CLI on the sim backend: reported as skipped with the reason when the build
# has no SystemC. SKIPPABLE: output containing "SKIPPED:" marks it skipped (a tool it needs is
# missing).
function(lowbit_add_sim_test name)
  cmake_parse_arguments(ARG "SKIPPABLE" "TIMEOUT;COST" "COMMAND;LABELS" ${ARGN})
  if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
    lowbit_add_skipped_test(${name}
                            "runs the sim backend, which needs SystemC (apt-get install libsystemc-dev)")
    return()
  endif()
  add_test(NAME ${name} COMMAND ${ARG_COMMAND})
  set(props LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT})
  if(ARG_COST)
    list(APPEND props COST ${ARG_COST})
  endif()
  if(ARG_SKIPPABLE)
    list(APPEND props SKIP_REGULAR_EXPRESSION "SKIPPED:")
  endif()
  set_tests_properties(${name} PROPERTIES ${props})
endfunction()

# A smoke test that runs `bash <script> <lowbit> <source dir> rtl|no-rtl`: rtl (with the Verilated
# tiles' plugin in LOWBIT_RTL_TILES) when the build has them; skipped with the reason when the
# build has no SystemC (the script runs the sim backend).
function(lowbit_add_backend_smoke_test name script timeout)
  if(NOT TARGET lowbit OR NOT LOWBIT_HAVE_SYSTEMC)
    lowbit_add_sim_test(${name})  # registers it as skipped, with the reason
    return()
  endif()
  if(TARGET lowbit_rtl_tiles)
    add_test(NAME ${name} COMMAND bash ${script} $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR} rtl)
    set_tests_properties(${name} PROPERTIES ENVIRONMENT
                         "LOWBIT_RTL_TILES=$<TARGET_FILE:lowbit_rtl_tiles>")
  else()
    add_test(NAME ${name} COMMAND bash ${script} $<TARGET_FILE:lowbit> ${PROJECT_SOURCE_DIR} no-rtl)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS smoke TIMEOUT ${timeout})
endfunction()

# Applies the SystemC compile settings: Debian's libsystemc is built as C++17 (see TOOLCHAIN.md).
function(lowbit_use_systemc target)
  target_link_libraries(${target} PUBLIC PkgConfig::SystemC)
  target_compile_definitions(${target} PUBLIC SC_CPLUSPLUS=201703L SC_INCLUDE_DYNAMIC_PROCESSES)
endfunction()

# Reads a config's unit subtree into RTL parameters, by the declarations in rtl/params.json (written
# by `lowbit params --json` from the one C++ declaration of each parameter; ctest unit_arch_params
# fails when it is stale). Sets <prefix>_UNIT (the config's "core"), <prefix>_<RTLNAME> for every
# declared parameter with an RTL name (the config's value or its default; booleans as 0/1) and
# <prefix>_GARGS, the Verilator -G list of all of them, and <prefix>_KEYVALS, the same as
# "key=value ..." (what rtl_param_list() in model/arch/param_info.h writes). The one place CMake maps config keys to RTL parameters, for every unit.
function(lowbit_unit_rtl_params path prefix)
  file(READ ${path} json)
  file(READ ${PROJECT_SOURCE_DIR}/rtl/params.json decl)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${path}
                                                               ${PROJECT_SOURCE_DIR}/rtl/params.json)
  string(JSON unit GET "${json}" core)
  string(JSON n LENGTH "${decl}" units ${unit} params)
  math(EXPR last "${n} - 1")
  set(gargs "")
  set(keyvals "")
  foreach(i RANGE ${last})
    string(JSON rtl GET "${decl}" units ${unit} params ${i} rtl)
    if(rtl STREQUAL "")
      continue()
    endif()
    string(JSON key GET "${decl}" units ${unit} params ${i} key)
    string(JSON type GET "${decl}" units ${unit} params ${i} type)
    string(JSON def GET "${decl}" units ${unit} params ${i} default)
    string(JSON value ERROR_VARIABLE missing GET "${json}" ${unit} ${key})
    if(missing)
      set(value ${def})
    endif()
    if(type STREQUAL "bool")
      foreach(v value def)
        if(${v})
          set(${v} 1)
        else()
          set(${v} 0)
        endif()
      endforeach()
    endif()
    set(${prefix}_${rtl} ${value} PARENT_SCOPE)
    list(APPEND gargs -G${rtl}=${value})
    string(APPEND keyvals " ${key}=${value}")
  endforeach()
  string(STRIP "${keyvals}" keyvals)
  set(${prefix}_UNIT ${unit} PARENT_SCOPE)
  set(${prefix}_GARGS ${gargs} PARENT_SCOPE)
  set(${prefix}_KEYVALS "${keyvals}" PARENT_SCOPE)
endfunction()

# lowbit_rtl_sources(<unit> <out-var>): the SystemVerilog of rtl/<unit> and rtl/common in the order
# Verilator and Yosys need: packages (*_pkg.sv, rtl/common's first) before the modules that use
# them, then the unit's modules, then rtl/common's. Found at build time (CONFIGURE_DEPENDS).
function(lowbit_rtl_sources unit out)
  set(rtl ${PROJECT_SOURCE_DIR}/rtl)
  file(GLOB common_pkgs CONFIGURE_DEPENDS ${rtl}/common/*_pkg.sv)
  file(GLOB unit_pkgs CONFIGURE_DEPENDS ${rtl}/${unit}/*_pkg.sv)
  file(GLOB common_all CONFIGURE_DEPENDS ${rtl}/common/*.sv)
  file(GLOB unit_all CONFIGURE_DEPENDS ${rtl}/${unit}/*.sv)
  set(mods ${unit_all} ${common_all})
  foreach(pkg IN LISTS common_pkgs unit_pkgs)
    list(REMOVE_ITEM mods ${pkg})
  endforeach()
  set(${out} ${common_pkgs} ${unit_pkgs} ${mods} PARENT_SCOPE)
endfunction()

# lowbit_verilate_rtl_unit(<target> <unit> <top> <prefix> <config json> [SYSTEMC] [args...]):
# verilates <top> of rtl/<unit> into <target> with PREFIX <prefix>, the RTL parameters of the named
# config (lowbit_unit_rtl_params), the lint waivers of rtl/common and the unit, and the extra
# Verilator arguments. Only the units' own functions (rtl/<unit>/CMakeLists.txt) call it.
function(lowbit_verilate_rtl_unit target unit top prefix config)
  cmake_parse_arguments(ARG "SYSTEMC" "" "" ${ARGN})
  lowbit_rtl_sources(${unit} srcs)
  lowbit_unit_rtl_params(${config} P)
  set(mode "")
  if(ARG_SYSTEMC)
    set(mode SYSTEMC)
  endif()
  verilate(${target} ${mode}
    PREFIX ${prefix}
    TOP_MODULE ${top}
    SOURCES ${PROJECT_SOURCE_DIR}/rtl/lint/common.vlt ${PROJECT_SOURCE_DIR}/rtl/lint/${unit}.vlt
            ${srcs}
    VERILATOR_ARGS ${P_GARGS} ${ARG_UNPARSED_ARGUMENTS})
endfunction()

# Generated C++ of Verilator (and its runtime) is not -Wall -Werror clean and is large: compile it
# without warnings, without debug info and at LOWBIT_VERILATED_OPT. Our own sources keep -Werror.
# Each Verilated model's generated .cpp files (5 to 30 per model, each of which parses verilated.h
# again) are compiled as one translation unit, as Verilator's own make flow does with its __ALL.cpp:
# the generated files are written at configure time (verilate() runs Verilator then), so a small
# file that #includes them is written beside them, and the originals stay in the target as
# HEADER_FILE_ONLY (their custom command still regenerates them; OBJECT_DEPENDS makes the unity
# file's object wait for it). On the CI machine this took the Verilated C++ from about 410 to
# about 150 CPU seconds (crosscheck_fp32 alone: 177 files, 167 s); the code is the same.
set(LOWBIT_VERILATED_OPT "-O1" CACHE STRING
    "Optimization flag for Verilated C++ (generated models and the Verilator runtime)")
function(lowbit_quiet_verilated_sources target)
  set(quiet "-w;-g0;${LOWBIT_VERILATED_OPT}")
  get_target_property(srcs ${target} SOURCES)
  get_target_property(bindir ${target} BINARY_DIR)
  set(models)
  foreach(src IN LISTS srcs)
    if(src MATCHES "^${VERILATOR_ROOT}/")
      set_source_files_properties(${src} TARGET_DIRECTORY ${target} PROPERTIES
                                  COMPILE_OPTIONS "${quiet}")
    elseif(src MATCHES "/(V[^/]*)\\.dir/[^/]*\\.cpp$")
      set(model ${CMAKE_MATCH_1})
      list(APPEND models ${model})
      list(APPEND model_srcs_${model} ${src})
    endif()
  endforeach()
  list(REMOVE_DUPLICATES models)
  foreach(model IN LISTS models)
    set(unity ${bindir}/${target}_verilated/${model}__unity.cpp)
    set(text "// One translation unit for the Verilated model ${model} (lowbit_quiet_verilated_sources)\n")
    foreach(src IN LISTS model_srcs_${model})
      string(APPEND text "#include \"${src}\"\n")
    endforeach()
    file(CONFIGURE OUTPUT ${unity} CONTENT "${text}" @ONLY)
    set_source_files_properties(${model_srcs_${model}} TARGET_DIRECTORY ${target} PROPERTIES
                                HEADER_FILE_ONLY ON)
    target_sources(${target} PRIVATE ${unity})
    set_source_files_properties(${unity} TARGET_DIRECTORY ${target} PROPERTIES
                                COMPILE_OPTIONS "${quiet}" OBJECT_DEPENDS "${model_srcs_${model}}")
  endforeach()
endfunction()

# The Verilator runtime (verilated.cpp, ...) in C++ mode, compiled once for every Verilated model
# library (lowbit_rtl_model_library), position-independent (the rtl plugin is a shared module).
function(lowbit_verilated_runtime sources)
  if(TARGET lowbit_verilated_runtime)
    return()
  endif()
  add_library(lowbit_verilated_runtime STATIC ${sources})
  set_target_properties(lowbit_verilated_runtime PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_compile_definitions(lowbit_verilated_runtime PUBLIC
    VM_COVERAGE=0 VM_SC=0 VM_TRACE=0 VM_TRACE_VCD=0 VM_TRACE_FST=0)
  target_include_directories(lowbit_verilated_runtime SYSTEM PUBLIC
    ${VERILATOR_ROOT}/include ${VERILATOR_ROOT}/include/vltstd)
  target_link_libraries(lowbit_verilated_runtime PUBLIC Threads::Threads)
  lowbit_quiet_verilated_sources(lowbit_verilated_runtime)
endfunction()

# lowbit_rtl_model_library(<config json> <out-var>): the Verilated RTL of a named config
# (configs/<unit>_<name>.json) as the static library vrtl_<unit>_<name>, Verilator C++ mode, class
# V<unit>_<name> (header "V<unit>_<name>.h"), verilated by its unit's function
# (lowbit_verilate_<unit>, rtl/<unit>/CMakeLists.txt). Built once per config and shared by every
# user: the rtl backend's plugin, the cross-checks (through a SystemC wrapper) and the benches.
# Sets <out-var> to the library's name.
function(lowbit_rtl_model_library config out)
  get_filename_component(stem ${config} NAME_WE)
  set(lib vrtl_${stem})
  set(${out} ${lib} PARENT_SCOPE)
  if(TARGET ${lib})
    return()
  endif()
  lowbit_unit_rtl_params(${config} P)
  add_library(${lib} STATIC EXCLUDE_FROM_ALL)
  set_target_properties(${lib} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  cmake_language(CALL lowbit_verilate_${P_UNIT} ${lib} V${stem} ${config} -O3)
  # verilate() adds the runtime to every target it is given: take it out, compile it once.
  get_target_property(srcs ${lib} SOURCES)
  set(runtime ${srcs})
  list(FILTER runtime INCLUDE REGEX "^${VERILATOR_ROOT}/include/.*\\.cpp$")
  list(FILTER srcs EXCLUDE REGEX "^${VERILATOR_ROOT}/include/.*\\.cpp$")
  set_property(TARGET ${lib} PROPERTY SOURCES ${srcs})
  lowbit_verilated_runtime("${runtime}")
  target_link_libraries(${lib} PUBLIC lowbit_verilated_runtime)
  lowbit_quiet_verilated_sources(${lib})
endfunction()
