# mac in the rtl backend's plugin: a PE array (mixpe/rtl_adapter.cmake) with the MAC core.
function(lowbit_rtl_adapter_mac config class out_header out_factory out_why)
  lowbit_pe_array_rtl_adapter(MacCore sim/mac/mac_core.h ${config} ${class} h f w)
  set(${out_header} "${h}" PARENT_SCOPE)
  set(${out_factory} "${f}" PARENT_SCOPE)
  set(${out_why} "${w}" PARENT_SCOPE)
endfunction()
