# lutcore in the rtl backend's plugin: the adapter of a verilated configs/lutcore_*.json.
# lowbit_rtl_adapter_lutcore(<config json> <class> <out-header> <out-factory> <out-why>): the header
# to include, the factory expression for the plugin's table, and why the config is not verilated
# ("" when it is).
function(lowbit_rtl_adapter_lutcore config class out_header out_factory out_why)
  set(${out_header} "host/lib/backends/rtl/lutcore/lutcore_rtl_tile.h" PARENT_SCOPE)
  set(${out_factory} "&make_tile<LutcoreRtlTile<${class}>>" PARENT_SCOPE)
  set(${out_why} "" PARENT_SCOPE)
endfunction()
