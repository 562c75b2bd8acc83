"""Bad input raises ValueError carrying the one line `lowbit` prints for the same input (exit 2),
from the arguments, from the config and workload readers, and from inside a run."""
import os
import sys
import tempfile
import unittest

import lowbit_testing as t

import lowbit  # noqa: E402

LAYER = dict(m=2, n=64, k=256)
CLI_LAYER = ["--m", "2", "--n", "64", "--k", "256"]


class Errors(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def same_error(self, kwargs, cli_args):
        """lowbit.run(**kwargs) raises ValueError with the CLI's line for `lowbit run cli_args`."""
        line = t.cli_error_line(["run", "--no-progress"] + cli_args, self.tmp.name)
        with self.assertRaises(ValueError) as e:
            lowbit.run(**kwargs)
        self.assertEqual(str(e.exception), line)
        return line

    def test_bad_config_key(self):
        line = self.same_error(dict(LAYER, backend="golden", set={"top.tilez": 2}),
                               CLI_LAYER + ["--backend", "golden", "--set", "top.tilez=2"])
        self.assertIn("did you mean 'top.tiles'", line)

    def test_bad_value_type(self):
        self.same_error(dict(LAYER, backend="golden", set={"top.tiles": "two"}),
                        CLI_LAYER + ["--backend", "golden", "--set", "top.tiles=two"])

    def test_bad_weight_format(self):
        line = self.same_error(dict(LAYER, weights="uint9", backend="golden"),
                               CLI_LAYER + ["--weights", "uint9", "--backend", "golden"])
        self.assertIn("allowed:", line)

    def test_bad_backend(self):
        self.same_error(dict(LAYER, backend="fpga"), CLI_LAYER + ["--backend", "fpga"])

    def test_bad_workload(self):
        self.same_error(dict(workload="no_such_workload", backend="golden"),
                        ["--workload", "no_such_workload", "--backend", "golden"])

    def test_exclusive_inputs(self):
        self.same_error(dict(LAYER, workload="llama2_7b_decode_w2a8", backend="golden"),
                        CLI_LAYER + ["--workload", "llama2_7b_decode_w2a8", "--backend", "golden"])

    def test_error_inside_a_sim_run(self):
        # Found inside lowbit::run(), in the sim run's child process: the dump folder.
        bad = os.path.join(self.tmp.name, "file")
        open(bad, "w").close()
        self.same_error(dict(LAYER, backend="sim", dump=bad),
                        CLI_LAYER + ["--backend", "sim", "--dump", bad])

    def test_set_value_of_another_type(self):
        with self.assertRaises(ValueError) as e:
            lowbit.run(**LAYER, backend="golden", set={"top.tiles": object()})
        self.assertIn("top.tiles", str(e.exception))
        self.assertIn("allowed:", str(e.exception))

    def test_sweep_bad_spec(self):
        with self.assertRaises(ValueError) as e:
            lowbit.sweep({"name": "x", "config": "nope.json", "parameterz": {}},
                         os.path.join(self.tmp.name, "sw"))
        self.assertIn("parameterz", str(e.exception))


if __name__ == "__main__":
    unittest.main(argv=sys.argv)
