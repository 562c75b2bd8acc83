"""The characterization's one FP4 rule: weight width b = 5 stands for OCP FP4 E2M1 weights.

An FP4 E2M1 code becomes the 5-bit offset-binary integer u = 2v + 16 in every unit that runs it
(docs/fp-weights.md): lutcore walks the 5 planes of u, mixpe shifts and adds the 5 bits of u, mac
multiplies by 2v. So the flow characterizes FP4 as the b = 5 width of each unit that takes the
codec (events plane_b5 / step_b5, which the cost model looks up for `accumulate.weight_bits` = 5)
on `fp4_e2m1` weights (FP16 group scales; MXFP4 runs the same array path, only its scale operand
differs, and takes the same events). The stimulus drives the pins the drivers drive for that
format (sim/lutcore/lutcore_driver.cpp, sim/mixpe/pe_array_driver.cpp): the weight-format
registry's kind and bits of fp4_e2m1 (signed, 4: model/quant/weight_format.cpp) and the codec pin
weight_codec_pin(kFp4E2M1) = 1 (model/formats/fp_weight.h) on cfg_wfp_i / t_wfp_i. Every script
of the flow takes these from here.
"""
BITS = 5            # the width the flow characterizes FP4 at (the 5 bits of u = 2v + 16)
WEIGHTS = "fp4_e2m1"  # its `lowbit run --weights` name
CODE_BITS = 4       # E2M1 code bits on the weight port (in_w_i planes 0..3, x_w_i bits 3..0)
KIND = "signed"     # the registry's kind of fp4_e2m1 (the units ignore it under the codec pin)
PIN_BITS = 4        # the registry's bits of fp4_e2m1 (cfg_bits_i / t_bits_i, ignored likewise)
WFP_PIN = 1         # weight_codec_pin(WeightCodec::kFp4E2M1)
OFFSET = 16         # kFp4PlaneOffset: u = 2v + 16
# Unit kinds that run the codec (IUnitSpec::runs_codec): bitmod does not. mac runs it with INT8
# activations only (its FP16 path dequantizes weights to FP16; lowbit run exits 2).
KINDS = ("lutcore", "mixpe", "mac")


def is_fp4(bits):
    return bits == BITS


def runs(kind, acts):
    """Whether a unit kind is characterized at b = 5 with these activations."""
    return kind in KINDS and not (kind == "mac" and acts == "fp16")


def code_bits(bits):
    """Data bits per weight on the unit's weight port at width `bits`."""
    return CODE_BITS if is_fp4(bits) else bits


def doubled_offset(codes):
    """FP4 E2M1 codes -> u = 2v + 16 (lb_weight_pkg::fp4_plane_code), elementwise."""
    import numpy as np  # lazily, as characterize.py: --help and --table run without numpy
    c = np.asarray(codes, dtype=np.int64)
    e, m = (c >> 1) & 3, c & 1
    mag = np.where(e == 0, m, (2 + m) << np.maximum(e - 1, 0))
    return np.where(c & 8, OFFSET - mag, OFFSET + mag)
