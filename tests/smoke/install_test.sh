#!/usr/bin/env bash
# smoke.install: install the build tree into a fresh prefix, build docs/example against it (nothing
# else on its include or library path) and run it on the golden and (with SystemC) sim backends,
# through connect() and through lowbit::run().
set -euo pipefail
build=$1 src=$2 have_systemc=$3
. "$src/tests/lib/check.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
check "headers installed" test -f "$tmp/prefix/include/lowbit/accelerator.h"
check "package config installed" test -f "$tmp/prefix/lib/cmake/lowbit/lowbitConfig.cmake"
check "no sim/ headers needed by the API" test ! -e "$tmp/prefix/include/sim"
cmake -S "$src/docs/example" -B "$tmp/example" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_BUILD_TYPE=Release >"$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log"; exit 1; }
cmake --build "$tmp/example" -j2 >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
prog="$tmp/example/host_program"
out=$("$prog" "$src/configs/mixpe_8x8.json" golden)
echo "$out"
check "golden: 120 outputs compared, 0 mismatches" grep -q "120 outputs compared, 0 mismatches" <<<"$out"
out=$("$prog" "$src/configs/mixpe_8x8.json" golden run)
echo "$out"
check "golden: lowbit::run verified" grep -q "lowbit::run q on golden: verified yes, 120 outputs compared" <<<"$out"
check "lowbit_run installed" test -f "$tmp/prefix/lib/liblowbit_run.a"
if [ "$have_systemc" = "ON" ]; then
  out=$(SC_COPYRIGHT_MESSAGE=DISABLE "$prog" "$src/configs/lutcore_m2n8k4.json" sim)
  echo "$out"
  check "sim: verified" grep -q "120 outputs compared, 0 mismatches" <<<"$out"
  check "sim: stats read" grep -q "stats core.macs: " <<<"$out"
  out=$(SC_COPYRIGHT_MESSAGE=DISABLE "$prog" "$src/configs/lutcore_m2n8k4.json" sim run)
  echo "$out"
  check "sim: lowbit::run verified, timed" grep -qE "lowbit::run q on sim: verified yes, 120 outputs compared, [1-9][0-9]* cycles" <<<"$out"
fi
set +e
"$prog" /nonexistent.json golden 2>"$tmp/err"
rc=$?
set -e
check "bad config: exit 2" test "$rc" -eq 2
finish smoke.install
