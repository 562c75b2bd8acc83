# Shared by the shell tests: counted checks, a JSON probe, and the closing "N passed, N failed" line.
# Source it first (from "$src/tests/lib/check.sh"), then call enter_temp_dir.
failures=0
pass=0

enter_temp_dir() {  # enter_temp_dir: cd into a fresh folder ($work), removed when the script exits
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cd "$work" || exit 1
}

check() {  # check <description> <condition command...>
  local what=$1
  shift
  if "$@"; then
    pass=$((pass + 1))
  else
    echo "FAIL: $what"
    failures=$((failures + 1))
  fi
}

jget() {  # jget <file.json> <python expression over d>: prints the value
  /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"
}

metric() {  # metric <stats.json> <python expression over m = the file's "metrics">: prints it
  jget "$1" "(lambda m: $2)(d['metrics'])"
}

finish() {  # finish <name>: the closing line, and the exit status
  echo "$1: $pass passed, $failures failed"
  test "$failures" -eq 0
}
