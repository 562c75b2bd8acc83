# comment
mpe k=64 s=0 a=0 w=0 wait=1 signal=s0|s7
mmac k=1 s=0xfffff a=0xffffff w=0
sync
st buf=out rows=4096 sram=0xffffff dram=0xffffffffff bytes=0xffffff
