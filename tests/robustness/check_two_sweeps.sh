#!/usr/bin/env bash
# Two sweeps started at once on one directory share its runs (claims, experiment/run_claims.h): together they
# run each run once, both finish, and the result equals a sweep run alone. A claim left by a killed sweep
# (its process gone) is taken over.
# Usage: check_two_sweeps.sh GOVSIM PYTHON EXPERIMENT
set -uo pipefail
govsim=$1; py=$2; exp=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$govsim" sweep "$exp" --out "$tmp/ref" --quiet --threads 1 >/dev/null || fail "reference sweep"
total=$(($(wc -l <"$tmp/ref/plan.tsv") - 1))
"$govsim" sweep "$exp" --out "$tmp/sw" --threads 1 >"$tmp/a.txt" 2>&1 &
a=$!
"$govsim" sweep "$exp" --out "$tmp/sw" --threads 1 >"$tmp/b.txt" 2>&1 &
b=$!
wait "$a" || { cat "$tmp/a.txt"; fail "the first sweep failed"; }
wait "$b" || { cat "$tmp/b.txt"; fail "the second sweep failed"; }
ran() { sed -n 's/.*runs here (\([0-9]*\) run,.*/\1/p' "$1"; }
ra=$(ran "$tmp/a.txt"); rb=$(ran "$tmp/b.txt")
echo "first sweep ran $ra runs, second $rb, of $total"
[ $((ra + rb)) -eq "$total" ] || fail "together they ran $((ra + rb)) runs of $total (a run done twice, or one missed)"
[ "$ra" -gt 0 ] && [ "$rb" -gt 0 ] || echo "note: one sweep did every run (the other started late)"
"$py" "$here/../sweep/compare_results.py" "$tmp/ref/shard-0-of-1.h5" "$tmp/sw/shard-0-of-1.h5" >/dev/null ||
  fail "the shared sweep differs from one run alone"
[ -z "$(find "$tmp/sw" -name '*.claim')" ] || fail "claims left behind"

# A dead process's claim is taken over at once (same host), a live one's is waited for.
rm -rf "$tmp/sw"
"$govsim" plan "$exp" --format tsv >"$tmp/plan.tsv" || fail "plan"
id=$(awk -F'\t' 'NR == 2 { print $2 }' "$tmp/plan.tsv")
mkdir -p "$tmp/sw/runs"
sleep 0 & dead=$!; wait "$dead"
echo "$(hostname) $dead" >"$tmp/sw/runs/$id.claim"
timeout 120 "$govsim" sweep "$exp" --out "$tmp/sw" --quiet >/dev/null || fail "a dead sweep's claim blocked the sweep"
[ -e "$tmp/sw/runs/$id.h5" ] || fail "the run of a dead sweep's claim was not done"
echo "PASS: two sweeps on one directory ran each run once; a dead sweep's claim was taken over"
