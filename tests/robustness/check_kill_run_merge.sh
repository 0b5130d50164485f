#!/usr/bin/env bash
# kill -9 of `govsim run` and `govsim merge` at spread-out moments: a file under the final name is always
# complete (it passes `govsim verify` and equals an uninterrupted one); nothing is ever lost (an existing
# output replaced with --force is either the old file or the new, whole); the next command removes the
# temporaries the killed one left.
# Usage: check_kill_run_merge.sh GOVSIM PYTHON SCENARIO EXPERIMENT TRIALS
set -uo pipefail
govsim=$1; py=$2; scenario=$3; exp=$4; trials=${5:-12}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
same() { "$py" "$here/../sweep/compare_results.py" "$1" "$2" >/dev/null 2>&1; }

# References, and how long each command takes uninterrupted.
ns() { date +%s%N; }
t0=$(ns); "$govsim" run "$scenario" --out "$tmp/run_ref.h5" --quiet >/dev/null || fail "reference run"; run_ns=$(( $(ns) - t0 ))
"$govsim" sweep "$exp" --out "$tmp/sw" --quiet >/dev/null || fail "sweep"
t0=$(ns); "$govsim" merge "$tmp/sw" --out "$tmp/merge_ref.h5" --copy >/dev/null || fail "reference merge"; merge_ns=$(( $(ns) - t0 ))

killed=0; lost=0
for what in run merge; do
  for k in $(seq 1 "$trials"); do
    out="$tmp/$what.h5"
    # Odd trials write a new file; even trials replace a complete one with --force (it must never be lost).
    rm -f "$out"
    if [ $((k % 2)) -eq 0 ]; then cp "$tmp/${what}_ref.h5" "$out"; fi
    if [ "$what" = run ]; then
      cmd=("$govsim" run "$scenario" --out "$out" --quiet --force); total=$run_ns
    else
      cmd=("$govsim" merge "$tmp/sw" --out "$out" --copy --force); total=$merge_ns
    fi
    "${cmd[@]}" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v ns="$total" -v k="$k" -v n="$trials" 'BEGIN { printf "%.3f", 0.9 * ns / 1e9 * (k - 0.5) / n }')"
    if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
    wait "$pid" 2>/dev/null
    if [ -e "$out" ]; then
      "$govsim" verify "$out" >/dev/null || { lost=$((lost + 1)); echo "$what trial $k: $out fails verification"; }
      same "$tmp/${what}_ref.h5" "$out" || { lost=$((lost + 1)); echo "$what trial $k: $out differs from the reference"; }
    elif [ $((k % 2)) -eq 0 ]; then
      lost=$((lost + 1)); echo "$what trial $k: the existing output was lost"
    fi
    # The next command cleans up after the killed one.
    "${cmd[@]}" >/dev/null 2>&1 || fail "$what after a kill"
    left=$(find "$tmp" -maxdepth 1 -name "$what.h5.tmp.*" | wc -l)
    [ "$left" -eq 0 ] || fail "$what trial $k: $left temporaries left after the next $what"
    same "$tmp/${what}_ref.h5" "$out" || fail "$what trial $k: the rerun differs from the reference"
  done
done
echo "$killed of $((2 * trials)) commands killed mid-way; $lost outputs lost or damaged"
[ "$lost" -eq 0 ] || fail "$lost outputs lost or damaged"
[ "$killed" -ge "$trials" ] || fail "only $killed commands were killed before they finished"
echo "PASS: kill -9 of run and merge: nothing lost, nothing incomplete under a final name, temporaries cleaned"
