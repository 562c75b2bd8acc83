# `cmake --install`: the host library as a CMake package. find_package(lowbit) gives the imported
# targets lowbit::lowbit_run (lowbit::run(): the whole pipeline of one run and its RunRecord, with
# the cpu and analytic backends: lowbit::lowbit_cpu, lowbit::lowbit_sweep),
# lowbit::lowbit_accel (compiler + connect() with the golden, sim and rtl backends),
# lowbit::lowbit_host (workloads, golden runs, writers), lowbit::lowbit_arch (configs, unit
# registry, cost model) and lowbit::lowbit_model (formats, quantizers, golden kernels, ISA); the
# public headers go to include/lowbit (host API) and include/model (what they include); the CLI to
# bin/. docs/example/ is a program built against the installed package (ctest smoke.install).
include(CMakePackageConfigHelpers)

set(LOWBIT_INSTALL_TARGETS lowbit_model lowbit_arch lowbit_model_file lowbit_host lowbit_accel
                           lowbit_cpu lowbit_sweep lowbit_run)
if(TARGET lowbit_sim)
  list(APPEND LOWBIT_INSTALL_TARGETS lowbit_sim lowbit_rtl_loader)
endif()
# What lowbit_cpu links privately (static: its consumers link them too): the package config finds
# the same (OpenBLAS by pkg-config; oneDNN by its CMake config, or the bare library, or none).
get_property(LOWBIT_PACKAGE_DNNL GLOBAL PROPERTY LOWBIT_CPU_DNNL)
install(TARGETS ${LOWBIT_INSTALL_TARGETS} EXPORT lowbitTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET lowbit)
  install(TARGETS lowbit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/host/include/lowbit
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/model
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/configs ${PROJECT_SOURCE_DIR}/workloads
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lowbit)
install(EXPORT lowbitTargets NAMESPACE lowbit:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lowbit)

set(LOWBIT_PACKAGE_WITH_SYSTEMC ${LOWBIT_HAVE_SYSTEMC})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/lowbitConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/lowbitConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lowbit)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/lowbitConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/lowbitConfig.cmake ${PROJECT_BINARY_DIR}/lowbitConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lowbit)
