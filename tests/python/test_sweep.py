"""lowbit.sweep(): a spec (dict or file) runs its points with the lowbit CLI and returns the results
table's rows; each row's metrics are its point's stats.json."""
import csv
import json
import os
import sys
import tempfile
import unittest

import lowbit_testing as t

import lowbit  # noqa: E402

SWEEP_DIR = os.path.join(t.SOURCE_DIR, "tests", "smoke", "sweep")


def spec(tiles):
    return {
        "name": "python_tiles",
        "config": os.path.join(t.CONFIGS, "lutcore_m2n8k4.json"),
        "parameters": {"top.tiles": tiles},
        "workloads": [os.path.join(SWEEP_DIR, "tiny_workload.json")],
        "backends": ["sim"],
        "objectives": [{"metric": "tokens_per_second", "goal": "maximize"},
                       {"metric": "top.tiles", "goal": "minimize"}],
    }


class Sweep(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def test_cycle_sweep_returns_its_points(self):
        out = os.path.join(self.tmp.name, "sw")
        rows = lowbit.sweep(spec([1, 2]), out, jobs=2)
        self.assertEqual(len(rows), 2)
        self.assertEqual([r["top.tiles"] for r in rows], [1, 2])
        for r in rows:
            self.assertEqual((r["status"], r["tier"], r["backend"]), ("ok", "cycle", "sim"))
            with open(os.path.join(out, "points", r["id"], "stats.json")) as f:
                stats = json.load(f)
            self.assertEqual(r["cycles"], stats["metrics"]["cycles"])
            self.assertGreater(r["cycles"], 0)
            self.assertIn(r["pareto"], (0, 1))
        self.assertNotEqual(rows[0]["cycles"], rows[1]["cycles"])
        with open(os.path.join(out, "results.csv")) as f:
            self.assertEqual(len(list(csv.DictReader(f))), 2)
        # The folder holds a sweep now: again only with resume=True (nothing reruns).
        with self.assertRaises(ValueError):
            lowbit.sweep(spec([1, 2]), out)
        again = lowbit.sweep(spec([1, 2]), out, resume=True)
        self.assertEqual([r["cycles"] for r in again], [r["cycles"] for r in rows])

    def test_spec_file_on_the_analytic_tier(self):
        rows = lowbit.sweep(os.path.join(SWEEP_DIR, "tiny_spec.json"),
                            os.path.join(self.tmp.name, "an"), tier="analytic")
        self.assertEqual(len(rows), 4)  # bandwidth {8, 32} x tiles {1, 2}
        self.assertTrue(all(r["status"] == "ok" and r["tier"] == "analytic" for r in rows))
        self.assertTrue(all(r["cycles"] > 0 for r in rows))
        self.assertEqual(sorted((r["top.dram.bandwidth_gbps"], r["top.tiles"]) for r in rows),
                         [(8, 1), (8, 2), (32, 1), (32, 2)])

    def test_bad_tier(self):
        with self.assertRaises(ValueError) as e:
            lowbit.sweep(spec([1]), os.path.join(self.tmp.name, "x"), tier="fast")
        self.assertIn("allowed: cycle, analytic", str(e.exception))


if __name__ == "__main__":
    unittest.main(argv=sys.argv)
