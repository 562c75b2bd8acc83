# bitmod in the rtl backend's plugin: a PE array (mixpe/rtl_adapter.cmake: PeArrayRtl, arrays over
# 256 PEs only with LOWBIT_MIXPE_RTL_64X64) in lockstep with the bitmod core. The plugin hands out
# the array beat for beat; the loader side (bitmod_rtl.cpp) feeds it two slice beats per K step.
function(lowbit_rtl_adapter_bitmod config class out_header out_factory out_why)
  lowbit_pe_array_rtl_adapter(BitmodCore sim/bitmod/bitmod_core.h ${config} ${class} h f w)
  set(${out_header} "${h}" PARENT_SCOPE)
  set(${out_factory} "${f}" PARENT_SCOPE)
  set(${out_why} "${w}" PARENT_SCOPE)
endfunction()
