stcfg stride=16384
ld    buf=act rows=1 sram=0x1ff80 dram=0x1000 bytes=4 signal=s6
ld    buf=act rows=1 sram=0x0 dram=0x0 bytes=4096 signal=s2
ld    buf=weight rows=1 sram=0x0 dram=0x1040 bytes=65536
ld    buf=scale rows=1 sram=0x0 dram=0x11040 bytes=6144 signal=s0
blk   m=1 n=64 kt=4096 o=0x0 ascale=0x1ff80 wait=s6 signal=s4
lmma  k=4096 s=0x0 a=0x0 w=0x0 wait=s0|s2 signal=s1
st    buf=out rows=1 sram=0x0 dram=0x200000 bytes=256 wait=s4 signal=s5
halt
