# The sweep unit tests need lowbit_sweep (expansion validates configs; the table reads SQLite).
if(NOT TARGET lowbit_sweep)  # no SystemC: CMakeLists.txt registered them as skipped
  return()
endif()
foreach(t unit_host_sweep_analytic unit_host_sweep_pareto unit_host_sweep_spec unit_host_sweep_table)
  target_link_libraries(${t} PRIVATE lowbit_sweep)
endforeach()
