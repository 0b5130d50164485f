#!/usr/bin/env bash
# Kill-and-resume: a sweep killed with SIGKILL at several points and restarted with the same command ends
# with every run present exactly once and equal to an uninterrupted sweep.
# Usage: check_kill_resume.sh GOVSIM PYTHON EXPERIMENT
set -euo pipefail
govsim=$1; py=$2; exp=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

start=$(date +%s%N)
"$govsim" sweep "$exp" --out "$tmp/ref" --threads 2 --quiet
wall_ns=$(( $(date +%s%N) - start ))
total=$(($(wc -l < "$tmp/ref/plan.tsv") - 1))
# Kill each attempt once it has journaled one more run than the last (a fixed delay may be shorter than
# start-up plus a run, and then no attempt gets anywhere), a little later in each attempt (0 to a sixteenth
# of the uninterrupted time: mid-run, mid-journal, mid-shard file), until a sweep finishes by itself.
shopt -s nullglob
journaled() {  # without forking: polled every few milliseconds
  local all=("$tmp"/resumed/runs/*.h5) failed=("$tmp"/resumed/runs/*.failed.h5)
  echo $((${#all[@]} - ${#failed[@]}))
}
interrupted=0
for attempt in $(seq 1 20); do
  before=$(journaled)
  "$govsim" sweep "$exp" --out "$tmp/resumed" --threads 2 --quiet &
  pid=$!
  while kill -0 "$pid" 2>/dev/null && [ "$(journaled)" -le "$before" ]; do sleep 0.005; done
  sleep "$(awk -v ns="$wall_ns" -v k="$attempt" 'BEGIN { printf "%.3f", ns / 16e9 * ((k * 7) % 10) / 10 }')"
  if kill -9 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || true
    done_runs=$(find "$tmp/resumed/runs" -name '*.h5' 2>/dev/null | grep -vc failed || true)
    echo "attempt $attempt: killed with $done_runs of $total runs journaled"
    interrupted=$((interrupted + 1))
  else
    wait "$pid"
    echo "attempt $attempt: finished"
    break
  fi
done
if [ "$interrupted" -lt 2 ]; then echo "FAIL: only $interrupted sweep(s) were interrupted"; exit 1; fi
# One more time with the same command: nothing left to run.
out=$("$govsim" sweep "$exp" --out "$tmp/resumed" --threads 2)
echo "$out"
echo "$out" | grep -q "(0 run, $total already done, 0 failed)" || { echo "FAIL: a finished sweep ran runs again"; exit 1; }
leftover=$(find "$tmp/resumed" -name '*.tmp.*' | wc -l)
if [ "$leftover" -ne 0 ]; then echo "FAIL: $leftover temporary file(s) left:"; find "$tmp/resumed" -name "*.tmp.*"; exit 1; fi
"$py" "$here/check_sweep_dir.py" "$tmp/resumed" "$tmp/resumed/shard-0-of-1.h5"
"$py" "$here/compare_results.py" "$tmp/ref/shard-0-of-1.h5" "$tmp/resumed/shard-0-of-1.h5"
echo "PASS: $interrupted kills, every run present once and equal to the uninterrupted sweep"
