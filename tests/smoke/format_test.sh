#!/usr/bin/env bash
# lint.clang_format: the tracked C++ files follow .clang-format; a misformatted probe is caught.
set -euo pipefail
clang_format=$1 src=$2
. "$src/tests/lib/check.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "SKIPPED: $src is not a git checkout (the file list comes from git ls-files)"
  exit 0
fi
mapfile -t files < <(git ls-files '*.cpp' '*.h' '*.cpp.in' | grep -v '\.in$')
bad=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  "$clang_format" --style=file --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
[ ${#bad[@]} -eq 0 ] || printf 'not in .clang-format style (clang-format -i): %s\n' "${bad[@]}"
check "${#files[@]} tracked C++ files follow .clang-format" test ${#bad[@]} -eq 0
cp .clang-format "$tmp/"
printf 'int  main( ){return 0;}\n' >"$tmp/probe.cpp"
check "a misformatted probe is reported" bash -c "! '$clang_format' --style=file --dry-run -Werror '$tmp/probe.cpp' 2>/dev/null"
finish lint.clang_format
