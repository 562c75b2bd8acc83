"""lowbit.run() on the sim backend: verified against golden, cycles and the record equal to what
`lowbit run` writes for the same inputs, outputs and weights as NumPy arrays."""
import json
import os
import sys
import tempfile
import unittest

import lowbit_testing as t

t.require_numpy()
import numpy as np  # noqa: E402

import lowbit  # noqa: E402

CONFIG = os.path.join(t.CONFIGS, "lutcore_m2n8k4.json")
LAYER = dict(m=2, n=64, k=256, weights="uint4", group=64, acts="int8", seed=7)
CLI_LAYER = ["--m", "2", "--n", "64", "--k", "256", "--weights", "uint4", "--group", "64",
             "--activations", "int8", "--seed", "7"]


def reference_output(a):
    """O = A x W^T in float64 from the dumped operands (uint formats: value = code - zero)."""
    A = a["A"].astype(np.float64) * a["A_scale"].astype(np.float64)[:, None]
    n, k = a["W_codes"].shape
    group = k // a["W_scales"].shape[1]
    zeros = np.repeat(a["W_zeros"].astype(np.float64), group, axis=1)
    scales = np.repeat(a["W_scales"].astype(np.float64), group, axis=1)
    W = scales * (a["W_codes"].astype(np.float64) - zeros)
    return A @ W.T


class SimRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = lowbit.run(**LAYER, config=CONFIG, backend="sim", arrays=True)
        cls.golden = lowbit.run(**LAYER, config=CONFIG, backend="golden", arrays=True)

    def test_verified_against_golden(self):
        self.assertIs(self.sim.verified, True)
        self.assertEqual(self.sim.backend, "sim")
        self.assertEqual(self.sim.core, "lutcore")
        self.assertEqual(len(self.sim.layers), 1)
        self.assertTrue(self.sim.layers[0]["integer_paths_bit_exact"])

    def test_cycles(self):
        self.assertIsInstance(self.sim.cycles, int)
        self.assertGreater(self.sim.cycles, 0)
        self.assertEqual(self.sim.cycles, self.sim.metrics["cycles"])
        self.assertIsNone(self.golden.cycles)  # untimed

    def test_outputs_as_numpy(self):
        o = self.sim.outputs["gemm"]
        self.assertIsInstance(o, np.ndarray)
        self.assertEqual(o.dtype, np.float32)
        self.assertEqual(o.shape, (2, 64))
        g = self.golden.outputs["gemm"]
        self.assertTrue(np.array_equal(o.view(np.uint32), g.view(np.uint32)))  # bit for bit
        self.assertTrue(np.any(o != 0))

    def test_weights_as_numpy(self):
        a = self.sim.arrays["gemm"]
        self.assertEqual((a["W_codes"].dtype, a["W_codes"].shape), (np.uint8, (64, 256)))
        self.assertEqual((a["W_scales"].dtype, a["W_scales"].shape), (np.float16, (64, 4)))
        self.assertEqual((a["W_zeros"].dtype, a["W_zeros"].shape), (np.uint8, (64, 4)))
        self.assertEqual((a["A"].dtype, a["A"].shape), (np.int8, (2, 256)))
        self.assertLessEqual(int(a["W_codes"].max()), 15)  # 4-bit codes

    def test_outputs_are_the_product_of_the_arrays(self):
        # Independent of the library: A x W^T from the dumped operands in NumPy is within the
        # record's error bound of O (FP32 rounding: a few parts in 10^7).
        a = self.sim.arrays["gemm"]
        ref = reference_output(a)
        diff = np.abs(a["O"].astype(np.float64) - ref).max()
        self.assertLessEqual(diff, self.sim.layers[0]["error_bound"])
        self.assertLess(diff, 1e-6 * np.abs(ref).max())

    def test_same_record_as_the_cli(self):
        with tempfile.TemporaryDirectory() as d:
            code, out, err = t.cli(["run", "--config", CONFIG, "--backend", "sim", "--no-progress",
                                    "-o", "result.json", "--stats", "stats.json"] + CLI_LAYER, d)
            self.assertEqual(code, 0, err)
            with open(os.path.join(d, "stats.json")) as f:
                stats = json.load(f)
            with open(os.path.join(d, "result.json")) as f:
                result = json.load(f)
        self.assertEqual(self.sim.cycles, stats["metrics"]["cycles"])
        self.assertEqual(self.sim.to_dict(), stats)
        self.assertEqual(self.sim.result_dict(), result)
        self.assertEqual(list(self.sim.to_dict().keys()), list(stats.keys()))

    def test_attributes_are_the_documents_keys(self):
        s, r = self.sim.to_dict(), self.sim.result_dict()
        self.assertEqual(self.sim.config, s["config"])
        self.assertEqual(self.sim.tiling, s["tiling"])
        self.assertEqual(self.sim.stats, s["stats"])
        self.assertEqual(self.sim.cost, s["cost"])
        self.assertEqual(self.sim.workload, r["workload"])
        self.assertEqual(self.sim.config_name, "lutcore_m2n8k4")
        self.assertGreater(self.sim.stats["core"]["busy_cycles"]["value"], 0)

    def test_without_arrays(self):
        r = lowbit.run(**LAYER, config=CONFIG, backend="golden")
        self.assertIsNone(r.arrays)
        self.assertIsNone(r.outputs)

    def test_another_config_in_the_same_process(self):
        # SystemC elaborates once per process: each sim run has its own child process.
        two = lowbit.run(**LAYER, config=CONFIG, backend="sim", set={"top.tiles": 2})
        self.assertIs(two.verified, True)
        self.assertEqual(two.config["top"]["tiles"], 2)
        self.assertNotEqual(two.cycles, self.sim.cycles)

    def test_dump_folder(self):
        with tempfile.TemporaryDirectory() as d:
            r = lowbit.run(**LAYER, config=CONFIG, backend="golden", dump=d)
            self.assertTrue(os.path.exists(os.path.join(d, "gemm_O.npy")))
            self.assertTrue(np.array_equal(r.outputs["gemm"], np.load(os.path.join(d, "gemm_O.npy"))))

    def test_estimate_as_the_cli(self):
        e = lowbit.estimate(**LAYER, config=CONFIG)
        self.assertEqual(e.backend, "analytic")
        self.assertIsNone(e.verified)
        self.assertGreater(e.cycles, 0)
        with tempfile.TemporaryDirectory() as d:
            code, _, err = t.cli(["estimate", "--config", CONFIG, "--stats", "stats.json"]
                                 + CLI_LAYER, d)
            self.assertEqual(code, 0, err)
            with open(os.path.join(d, "stats.json")) as f:
                self.assertEqual(e.to_dict(), json.load(f))

    def test_params(self):
        p = lowbit.params()
        self.assertIn("lutcore", p["units"])
        self.assertIn("tiles", [x["key"] for x in p["top"]])
        self.assertEqual(lowbit.backends(), ["analytic", "cpu", "golden", "rtl", "sim"])


if __name__ == "__main__":
    unittest.main(argv=sys.argv)
