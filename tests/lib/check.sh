# Shared by the shell tests: counted checks, a JSON probe, and the closing "N passed, N failed" line.
# Source it after `cd` into the test's work folder.
failures=0
pass=0

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

finish() {  # finish <name>: the closing line, and the exit status
  echo "$1: $pass passed, $failures failed"
  test "$failures" -eq 0
}
