"""A model file run from Python: the tiny GGUF of the model-file smoke test (Q4_0, Q8_0, TQ2_0,
F16, TQ1_0, Q5_0 in llama.cpp naming) on the sim backend, verified against golden; its weights
as NumPy equal the codes, scales and zero points the writer put in the file."""
import os
import subprocess
import sys
import tempfile
import unittest

import lowbit_testing as t

t.require_numpy()
import numpy as np  # noqa: E402

import lowbit  # noqa: E402

ROLES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


class ModelFile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.files = os.path.join(cls.tmp.name, "files")
        subprocess.run([os.environ["LOWBIT_WRITE_MODEL_FILES"], cls.files, "uint4", "64"],
                       check=True, capture_output=True)
        cls.gguf = os.path.join(cls.files, "tiny.gguf")
        cls.rec = lowbit.run(model=cls.gguf, weights="uint4", group=64,
                             config=os.path.join(t.CONFIGS, "mixpe_8x8.json"), backend="sim",
                             arrays=True)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_runs_verified_on_sim(self):
        self.assertIs(self.rec.verified, True)
        self.assertEqual(self.rec.backend, "sim")
        self.assertGreater(self.rec.cycles, 0)
        self.assertEqual(self.rec.workload, "tiny.gguf")

    def test_layers_of_the_file(self):
        names = [l["name"] for l in self.rec.layers]
        self.assertEqual(names, [f"blk{b}.{r}" for b in range(2) for r in ROLES])
        self.assertEqual([l["model_type"] for l in self.rec.layers[:7]],
                         ["Q4_0", "Q8_0", "TQ2_0", "F16", "TQ1_0", "Q5_0", "Q4_0"])
        self.assertEqual(self.rec.layers[0]["model_tensor"], "blk.0.attn_q.weight")

    def test_weights_are_the_files(self):
        expect = os.path.join(self.files, "expect_gguf")
        self.assertEqual(sorted(self.rec.arrays), sorted(l["name"] for l in self.rec.layers))
        for layer in self.rec.layers:
            got = self.rec.arrays[layer["name"]]
            for part in ("W_codes", "W_scales", "W_zeros"):
                want = np.load(os.path.join(expect, f"{layer['name']}_{part}.npy"))
                self.assertEqual(got[part].dtype, want.dtype, (layer["name"], part))
                self.assertTrue(np.array_equal(got[part], want), (layer["name"], part))
            self.assertEqual(got["O"].shape, (layer["m"], layer["n"]))

    def test_blocks_and_layers(self):
        r = lowbit.run(model=self.gguf, layers=["q_proj", "down_proj"], blocks="1",
                       backend="golden")
        self.assertEqual([l["name"] for l in r.layers], ["blk1.q_proj", "blk1.down_proj"])
        self.assertIs(r.verified, True)

    def test_broken_file_is_a_value_error(self):
        with self.assertRaises(ValueError) as e:
            lowbit.run(model=os.path.join(self.files, "truncated.gguf"), backend="golden")
        self.assertIn("truncated.gguf", str(e.exception))
        self.assertEqual(len(str(e.exception).splitlines()), 1)


if __name__ == "__main__":
    unittest.main(argv=sys.argv)
