#!/usr/bin/env bash
# A long fuzzing campaign: every libFuzzer target (or those named) for a number of runs or seconds
# each, new inputs and crash files under build/fuzz/campaign/<target>/, one summary line per target.
# Usage: tests/fuzz/campaign.sh [-runs N] [-seconds S] [target...]   (build with the fuzz preset
# first; default 10^7 runs; with both, whichever limit comes first ends a target)
set -euo pipefail
cd "$(dirname "$0")/../.."
limit=(-runs=10000000)
if [[ ${1:-} == -runs ]]; then limit=(-runs="$2"); shift 2; fi
if [[ ${1:-} == -seconds ]]; then limit+=(-max_total_time="$2"); shift 2; fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^lowbit_add_fuzzer(\([a-z_]*\).*/\1/p' tests/fuzz/CMakeLists.txt)
  targets+=(gguf safetensors)  # model_file.cmake's readers
fi
bin=build/fuzz/tests/fuzz
for t in "${targets[@]}"; do
  out=build/fuzz/campaign/$t
  mkdir -p "$out/corpus" "$out/artifacts"
  seed=${LOWBIT_SEED:-$(( (RANDOM << 15 | RANDOM) + 1 ))}
  set +e
  # -timeout=30: the slowest valid inputs (a sweep grid of 10^5 points) take 2-3 s of CPU under
  # ASan, and 10 s tripped on a loaded machine (docs/fuzzing.md).
  # Inputs up to the longest seed, at least 4 KiB (libFuzzer's own default): every key of a config,
  # workload, spec or program fits, and left at 64 KiB the inputs grew to tens of KiB over a long
  # run and the rate fell fivefold (docs/fuzzing.md, "Campaign results").
  max_len=4096
  for f in "tests/fuzz/corpus/$t"/*; do
    [ -f "$f" ] && [ "$(stat -c %s "$f")" -gt $max_len ] && max_len=$(stat -c %s "$f")
  done
  "$bin/fuzz_$t" "${limit[@]}" -seed="$seed" -timeout=30 -rss_limit_mb=2048 -max_len=$max_len \
    -print_final_stats=1 -artifact_prefix="$out/artifacts/" "$out/corpus" "tests/fuzz/corpus/$t" \
    >"$out/log.txt" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log.txt" | tail -1)
  secs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/log.txt" | tail -1)
  crashes=$(find "$out/artifacts" -type f | wc -l)
  echo "$t: seed $seed, ${execs:-?} executions, ${secs:-?} exec/s, exit $rc, $crashes crash/timeout/oom files (log $out/log.txt)"
done
