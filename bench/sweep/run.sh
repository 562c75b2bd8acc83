#!/usr/bin/env bash
# Sweep throughput: points per minute locally (-j2) for a small and a large workload, cycle-level
# and analytic tiers, the analytic tier's error on the large sweep, and the analytic tier's points per
# second on a 4,096-point grid. Numbers in docs/sweep.md.
# Usage: bench/sweep/run.sh [lowbit binary] [jobs]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
B=${1:-$here/../../build/default/host/tools/lowbit}
J=${2:-2}
T=$(mktemp -d /tmp/lowbit_sweep_bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
for spec in small large; do
  for tier in cycle analytic; do
    n=$(grep -c '"id"' < <("$B" sweep "$here/${spec}_spec.json" -o "$T/n_${spec}_$tier" --tier $tier \
      --expand-only 2> /dev/null; cat "$T/n_${spec}_$tier/manifest.json"))
    t0=$(date +%s.%N)
    "$B" sweep "$here/${spec}_spec.json" -o "$T/${spec}_$tier" --tier $tier -j "$J" --no-progress \
      > /dev/null 2>&1
    t1=$(date +%s.%N)
    awk -v n="$n" -v a="$t0" -v b="$t1" -v s="$spec" -v t="$tier" -v j="$J" \
      'BEGIN {printf "%-6s %-9s %3d points in %6.1f s with -j%d: %7.1f points/min\n", s, t, n, b - a, j, 60 * n / (b - a)}'
  done
done
"$B" sweep "$here/large_spec.json" -o "$T/cmp" --compare-tiers -j "$J" --no-progress 2> /dev/null |
  grep "analytic vs"
# The analytic tier in one process (estimated on -j threads inside the sweep): points per second.
t0=$(date +%s.%N)
"$B" sweep "$here/analytic_grid_spec.json" -o "$T/grid" -j "$J" --no-progress > /dev/null 2>&1
t1=$(date +%s.%N)
n=$(grep -c '"id"' "$T/grid/manifest.json")
awk -v n="$n" -v a="$t0" -v b="$t1" -v j="$J" \
  'BEGIN {printf "grid   analytic %5d points in %6.1f s with -j%d: %7.0f points/s (one process)\n", n, b - a, j, n / (b - a)}'
