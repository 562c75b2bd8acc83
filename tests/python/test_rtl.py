"""lowbit.run() on the rtl backend (the Verilated tiles in lockstep with the models, loaded from the
build tree): verified against golden, with the sim backend's cycles and core stats."""
import os
import sys
import unittest

import lowbit_testing as t

import lowbit  # noqa: E402

CONFIG = os.path.join(t.CONFIGS, "lutcore_m2n8k4.json")
LAYER = dict(m=2, n=64, k=256, weights="uint2", group=128, seed=11, config=CONFIG)


class RtlRun(unittest.TestCase):
    def test_rtl_equals_sim(self):
        rtl = lowbit.run(**LAYER, backend="rtl")
        sim = lowbit.run(**LAYER, backend="sim")
        self.assertIs(rtl.verified, True)
        self.assertEqual(rtl.backend, "rtl")
        self.assertGreater(rtl.cycles, 0)
        self.assertEqual(rtl.cycles, sim.cycles)
        self.assertEqual(rtl.stats["core"], sim.stats["core"])

    def test_config_not_verilated(self):
        with self.assertRaises(ValueError) as e:
            lowbit.run(**LAYER, backend="rtl", set={"lutcore.n": 16})
        self.assertIn("verilated", str(e.exception))


if __name__ == "__main__":
    unittest.main(argv=sys.argv)
