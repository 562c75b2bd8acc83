# The PE-array units (mixpe, mac) in the rtl backend's plugin.
option(LOWBIT_MIXPE_RTL_64X64
       "Verilate the 64x64 mixpe/mac RTL for cross-check and bench (slow build; run with ulimit -s unlimited)" OFF)

# lowbit_pe_array_rtl_adapter(<core class> <its header> <config json> <class> <out-header>
# <out-factory> <out-why>): the adapter PeArrayRtl<class, core> of a verilated config; arrays over
# 256 PEs (the 64 x 64 design points: 50-80 MB of generated C++ each) only with
# LOWBIT_MIXPE_RTL_64X64.
function(lowbit_pe_array_rtl_adapter core core_header config class out_header out_factory out_why)
  lowbit_unit_rtl_params(${config} P)
  math(EXPR pes "${P_Rows} * ${P_Cols}")
  set(why "")
  if(pes GREATER 256 AND NOT LOWBIT_MIXPE_RTL_64X64)
    string(CONCAT why "arrays over 256 PEs are not verilated by default: 50-80 MB of generated "
                      "C++; configure with -DLOWBIT_MIXPE_RTL_64X64=ON and rebuild lowbit_rtl_tiles")
  endif()
  set(${out_header} "host/lib/backends/rtl/mixpe/pe_array_rtl.h;${core_header}" PARENT_SCOPE)
  set(${out_factory} "&make_tile<PeArrayRtl<${class}, ${core}>>" PARENT_SCOPE)
  set(${out_why} "${why}" PARENT_SCOPE)
endfunction()

function(lowbit_rtl_adapter_mixpe config class out_header out_factory out_why)
  lowbit_pe_array_rtl_adapter(MixpeCore sim/mixpe/mixpe_core.h ${config} ${class} h f w)
  set(${out_header} "${h}" PARENT_SCOPE)
  set(${out_factory} "${f}" PARENT_SCOPE)
  set(${out_why} "${w}" PARENT_SCOPE)
endfunction()
