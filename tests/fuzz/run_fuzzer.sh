#!/usr/bin/env bash
# Runs one libFuzzer target for a fixed number of inputs over its seed corpus (the ctest fuzz run).
# Usage: run_fuzzer.sh <target> <runs> <new-input dir> <seed corpus dir>. LOWBIT_SEED replays a run.
set -euo pipefail
target=$1 runs=$2 new_dir=$3 corpus=$4
seed=${LOWBIT_SEED:-$(( (RANDOM << 15 | RANDOM) + 1 ))}
echo "fuzz seed $seed (replay: LOWBIT_SEED=$seed)"
mkdir -p "$new_dir"
# -timeout: one input over 10 s is a hang; -rss_limit_mb: over 2 GiB is a memory blow-up.
exec "$target" -seed="$seed" -runs="$runs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 "$new_dir" "$corpus"
