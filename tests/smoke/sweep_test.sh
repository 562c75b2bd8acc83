#!/usr/bin/env bash
# lowbit sweep end to end: a tiny local sweep (-j2), stable ids, bad keys, resume after SIGINT and
# SIGKILL losing nothing, the Pareto front in the HTML, the analytic tier, and the Slurm executor
# against a real single-node Slurm started here (skipped with the reason when it is not installed).
# Usage: sweep_test.sh <lowbit binary> <source dir>
set -euo pipefail
B=$1
SRC=$2
D=$SRC/tests/smoke/sweep
T=$(mktemp -d /tmp/lowbit_sweep_test.XXXXXX)
export SC_COPYRIGHT_MESSAGE=DISABLE
cleanup() {
  local pids=()
  for f in "$T"/slurm/slurmd.pid "$T"/slurm/slurmctld.pid "$T"/slurm/munged.pid; do
    [ -f "$f" ] && pids+=("$(cat "$f")")
  done
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  for _ in $(seq 1 50); do  # the daemons write their state on the way out
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2> /dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
count_ok() { grep -c ',ok,' "$1/results.csv" || true; }
ids() { grep '"id"' "$1/manifest.json" | sort; }

echo "== local sweep, -j2"
"$B" sweep "$D/tiny_spec.json" -o "$T/local" -j2 --no-progress > "$T/local.out"
[ "$(count_ok "$T/local")" = 4 ] || fail "expected 4 finished points"
for f in manifest.json results.csv results.sqlite report.html; do
  [ -s "$T/local/$f" ] || fail "missing $f"
done
grep -q 'class="pareto"' "$T/local/report.html" || fail "no Pareto point in the HTML"
grep -q '<svg' "$T/local/report.html" || fail "no SVG plot"
if grep -Eq '<script|<link|src="http' "$T/local/report.html"; then fail "HTML is not self-contained"; fi
if command -v sqlite3 > /dev/null; then
  [ "$(sqlite3 "$T/local/results.sqlite" 'select count(*) from results where status="ok"')" = 4 ] ||
    fail "sqlite rows"
fi

echo "== stable ids on re-expansion; an existing folder needs --resume"
"$B" sweep "$D/tiny_spec.json" -o "$T/again" --expand-only 2> /dev/null
[ "$(ids "$T/local")" = "$(ids "$T/again")" ] || fail "ids changed on re-expansion"
set +e
"$B" sweep "$D/tiny_spec.json" -o "$T/local" --no-progress 2> "$T/err"; rc=$?
set -e
[ $rc = 2 ] && [ "$(wc -l < "$T/err")" = 1 ] || fail "reuse of a folder: rc $rc"

echo "== unknown key: one line, exit 2, nothing written"
sed -e 's/top.dram.bandwidth_gbps/top.dram.bandwith_gbps/' -e "s|../../../configs|$SRC/configs|" \
  -e "s|\"tiny_workload|\"$D/tiny_workload|" "$D/tiny_spec.json" > "$T/typo.json"
set +e
"$B" sweep "$T/typo.json" -o "$T/typo" 2> "$T/err"; rc=$?
set -e
[ $rc = 2 ] || fail "typo: exit $rc"
[ "$(wc -l < "$T/err")" = 1 ] || fail "typo: not one line: $(cat "$T/err")"
grep -q "did you mean 'top.dram.bandwidth_gbps'" "$T/err" || fail "typo: no suggestion"
[ ! -e "$T/typo/manifest.json" ] || fail "typo: manifest written"

echo "== failed points are reported (exit 1) and rerun by --resume"
set +e
"$B" sweep "$D/failing_spec.json" -o "$T/failing" -j2 --no-progress > /dev/null 2> "$T/err"; rc=$?
set -e
[ $rc = 1 ] || fail "failing: exit $rc"
grep -q "failed; log" "$T/err" || fail "failing: not reported"

# Kill a sweep mid-way, then --resume: finished points stay byte-identical, the rest complete.
kill_and_resume() {
  local sig=$1 out=$T/slow_$1
  "$B" sweep "$D/slow_spec.json" -o "$out" -j1 --no-progress > /dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do
    [ "$(ls "$out"/points/*/status.json 2> /dev/null | wc -l)" -ge 2 ] && break
    sleep 0.05
  done
  kill -"$sig" $pid
  wait $pid 2> /dev/null || true
  local manifest_sum done_before
  manifest_sum=$(md5sum < "$out/manifest.json")
  done_before=$(ls "$out"/points/*/status.json | wc -l)
  [ "$done_before" -ge 2 ] && [ "$done_before" -lt 6 ] || fail "$sig: $done_before done at the kill"
  (cd "$out" && md5sum points/*/stats.json points/*/status.json > "$T/before_$sig.md5")
  sleep 0.3  # a killed point process must not write afterwards (it dies with the sweep)
  (cd "$out" && md5sum -c --quiet "$T/before_$sig.md5") || fail "$sig: a result changed after the kill"
  "$B" sweep "$D/slow_spec.json" -o "$out" -j2 --resume --no-progress > "$T/resume.out" 2> /dev/null
  grep -q "already done" "$T/resume.out" || fail "$sig: no resume summary"
  local skipped
  skipped=$(sed -n 's/.*finished now, \([0-9]*\) already done.*/\1/p' "$T/resume.out")
  [ "$skipped" = "$done_before" ] || fail "$sig: resumed skipped $skipped, expected $done_before"
  [ "$(count_ok "$out")" = 6 ] || fail "$sig: not all 6 points finished after --resume"
  (cd "$out" && md5sum -c --quiet "$T/before_$sig.md5") || fail "$sig: resume rewrote a result"
  [ "$(md5sum < "$out/manifest.json")" = "$manifest_sum" ] || fail "$sig: manifest changed"
  echo "   $sig after $done_before of 6: resumed, nothing lost"
}
echo "== kill with SIGINT, resume"
kill_and_resume INT
echo "== kill with SIGKILL, resume"
kill_and_resume KILL

echo "== analytic tier, two-stage, tier comparison"
"$B" sweep "$D/tiny_spec.json" -o "$T/two" --two-stage -j2 --no-progress > "$T/two.out"
grep -q ',analytic,analytic,' "$T/two/results.csv" || fail "two-stage: no analytic rows"
grep -q ',cycle,sim,' "$T/two/results.csv" || fail "two-stage: no cycle rows"
# Analytic points are estimated inside the sweep's process: each one's status says so, and its
# stats.json is byte for byte what `lowbit estimate` writes for the same config and workload.
python3 - "$T/two" > "$T/two.points" << 'PY' || fail "two-stage: cannot read the points"
import json, sys
root = sys.argv[1]
for p in json.load(open(root + "/manifest.json"))["points"]:
    st = json.load(open(f"{root}/points/{p['id']}/status.json"))
    print(p["id"], p["tier"], st["runner"], p["workload_path"])
PY
n_an=0
while read -r id tier runner wl; do
  if [ "$tier" = analytic ]; then
    [ "$runner" = in-process ] || fail "analytic point $id ran as '$runner', not in-process"
    "$B" estimate --config "$T/two/points/$id/config.json" --workload "$wl" \
      --stats "$T/est_$id.json" > "$T/est_$id.out"
    cmp -s "$T/est_$id.json" "$T/two/points/$id/stats.json" ||
      fail "analytic point $id: stats.json differs from lowbit estimate's"
    cmp -s "$T/est_$id.out" "$T/two/points/$id/log.txt" ||
      fail "analytic point $id: log.txt differs from lowbit estimate's output"
    n_an=$((n_an + 1))
  else
    [ "$runner" = process ] || fail "cycle point $id ran as '$runner', not as a process"
  fi
done < "$T/two.points"
[ "$n_an" -gt 0 ] || fail "two-stage: no analytic points checked"
echo "   $n_an analytic points estimated in-process, identical to lowbit estimate"
# A point that fails on bad input (8-bit weights on the LUT tile) fails alone: exit code 2 and its
# one-line error in its own files; the sweep goes on and reports it.
sed 's/"uint2"/"uint8"/' "$D/tiny_workload.json" > "$T/w8.json"
cat > "$T/bad_spec.json" << EOF
{"name": "bad", "config": "$SRC/configs/lutcore_m2n8k4.json", "parameters": {"top.tiles": [1, 2]},
 "workloads": ["$D/tiny_workload.json", "$T/w8.json"], "tier": "analytic",
 "objectives": [{"metric": "tokens_per_second", "goal": "maximize"}]}
EOF
rc=0
"$B" sweep "$T/bad_spec.json" -o "$T/bad" --no-progress > "$T/bad.out" 2> "$T/bad.err" || rc=$?
[ "$rc" = 1 ] || fail "a sweep with failed points exited $rc, not 1"
grep -q "2 finished now, 0 already done, 2 failed" "$T/bad.out" || fail "bad sweep: $(cat "$T/bad.out")"
n_bad=0
for st in "$T"/bad/points/*/status.json; do
  d=$(dirname "$st")
  if grep -q '"failed"' "$st"; then
    grep -q '"exit_code": 2' "$st" || fail "failed analytic point $d: exit code not 2"
    [ "$(wc -l < "$d/log.txt")" = 1 ] || fail "failed analytic point $d: log is not one line"
    grep -q "8-bit weights do not fit the lutcore unit; allowed:" "$d/log.txt" ||
      fail "failed analytic point $d: $(cat "$d/log.txt")"
    [ ! -e "$d/stats.json" ] || fail "failed analytic point $d left a stats.json"
    n_bad=$((n_bad + 1))
  fi
done
[ "$n_bad" = 2 ] || fail "expected 2 failed analytic points, saw $n_bad"
echo "   a bad analytic point fails alone (exit code 2, one line)"
"$B" sweep "$D/tiny_spec.json" -o "$T/cmp" --compare-tiers -j2 --no-progress > "$T/cmp.out"
grep -q "analytic vs cycle-level cycles on 4 design" "$T/cmp.out" || fail "no tier error"
[ -s "$T/cmp/tier_error.json" ] || fail "no tier_error.json"

echo "== slurm executor"
if ! command -v slurmctld > /dev/null || ! command -v slurmd > /dev/null ||
   ! command -v munged > /dev/null || ! command -v sbatch > /dev/null; then
  echo "SKIPPED (slurm part): slurmctld/slurmd/munged/sbatch not installed (scripts/setup installs slurm-wlm munge)"
  echo "PASS (local)"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "SKIPPED (slurm part): starting slurmd needs root"
  echo "PASS (local)"
  exit 0
fi
S=$T/slurm
mkdir -p "$S/state" "$S/spool"
host=$(hostname -s)
port=$((20000 + RANDOM % 20000))
head -c 1024 /dev/urandom > "$S/munge.key"
chmod 400 "$S/munge.key"
munged --force --key-file="$S/munge.key" --socket="$S/munge.socket" --pid-file="$S/munged.pid" \
  --log-file="$S/munged.log" --seed-file="$S/munged.seed" || fail "munged did not start"
mem=$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)
cat > "$S/slurm.conf" <<CONF
ClusterName=lowbittest
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$S/munge.socket
CredType=cred/munge
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/slurmctld.log
SlurmdLogFile=$S/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$S/slurm.conf
slurmctld -f "$S/slurm.conf" || fail "slurmctld did not start: $(tail -3 "$S/slurmctld.log")"
slurmd -f "$S/slurm.conf" || fail "slurmd did not start: $(tail -3 "$S/slurmd.log")"
for _ in $(seq 1 60); do
  sinfo -h -o %t 2> /dev/null | grep -q idle && break
  sleep 0.5
done
sinfo -h -o %t | grep -q idle || fail "slurm node not idle: $(sinfo 2>&1 | tail -2)"
"$B" sweep "$D/tiny_spec.json" -o "$T/slurm_out" --executor slurm --poll 0.3 --no-progress \
  > "$T/slurm.out" 2> "$T/slurm.err" || fail "slurm sweep: $(cat "$T/slurm.err")"
[ "$(count_ok "$T/slurm_out")" = 4 ] || fail "slurm: expected 4 finished points"
[ -s "$T/slurm_out/slurm/job-0.sh" ] || fail "slurm: no array script"
grep -q -- '--array=0-3' "$T/slurm_out/slurm/job-0.sh" || fail "slurm: array size"
# Failures: reported, and --resume resubmits only the failed task.
set +e
"$B" sweep "$D/failing_spec.json" -o "$T/slurm_fail" --executor slurm --poll 0.3 --no-progress \
  > /dev/null 2> "$T/err"; rc=$?
set -e
[ $rc = 1 ] && grep -q "failed; log" "$T/err" || fail "slurm: failure not reported (rc $rc)"
set +e
"$B" sweep "$D/failing_spec.json" -o "$T/slurm_fail" --executor slurm --poll 0.3 --resume \
  --no-progress > "$T/resume.out" 2> /dev/null
set -e
grep -q -- '--array=0-0' "$T/slurm_fail/slurm/job-1.sh" || fail "slurm: resubmission not just the failed task"
grep -q "1 already done" "$T/resume.out" || fail "slurm: resume did not skip the finished point"
echo "PASS (local and slurm)"
