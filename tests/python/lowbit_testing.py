"""Shared by the Python tests: the paths ctest passes, the NumPy check, the CLI for comparisons."""
import os
import subprocess
import sys

SOURCE_DIR = os.environ["LOWBIT_SOURCE_DIR"]
CLI = os.environ["LOWBIT_CLI"]
CONFIGS = os.path.join(SOURCE_DIR, "configs")


def require_numpy():
    """Reports the test as skipped (ctest: "SKIPPED:") when NumPy is not installed."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        print("SKIPPED: NumPy is not installed (scripts/setup installs python3-numpy)")
        sys.exit(0)


def cli(args, cwd):
    """Runs the lowbit CLI in cwd; returns (exit code, stdout, stderr)."""
    p = subprocess.run([CLI] + args, cwd=cwd, capture_output=True, text=True, check=False)
    return p.returncode, p.stdout, p.stderr


def cli_error_line(args, cwd):
    """The one line `lowbit` prints for bad input (without its "lowbit: " prefix); asserts exit 2."""
    code, _, err = cli(args, cwd)
    assert code == 2, f"lowbit {' '.join(args)}: exit {code}, stderr {err!r}"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lowbit: "), err
    return lines[0][len("lowbit: "):]
