#!/usr/bin/env bash
# Corruption is found, never merged: a flipped byte or a truncation in a journal fails `govsim verify` and is
# run again on resume (the result equal to an untouched sweep); a flipped byte in a shard makes merge refuse
# it, naming it; a shard deleted after a virtual merge fails `govsim verify`, the Python loader and `govsim
# report` (exit 2) unless they are told to allow it.
# Usage: check_corruption.sh GOVSIM PYTHON EXPERIMENT
set -uo pipefail
govsim=$1; py=$2; exp=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# Flips one bit of FILE at byte OFFSET (a share of its length, 0-1).
flip() {
  "$py" - "$1" "$2" <<'PY'
import sys
path, share = sys.argv[1], float(sys.argv[2])
b = bytearray(open(path, "rb").read())
i = min(len(b) - 1, max(0, int(len(b) * share)))
b[i] ^= 0x04
open(path, "r+b").write(b)
PY
}

"$govsim" sweep "$exp" --out "$tmp/ref" --quiet >/dev/null || fail "reference sweep"
cp -r "$tmp/ref" "$tmp/sw"
journals=("$tmp"/sw/runs/*.h5)
n=${#journals[@]}
# Damage: a bit in the data (near the end: compressed chunks), one in the metadata (near the start, past the
# seal), one in the seal itself, a truncation, and a journal renamed to another run's name.
flip "${journals[0]}" 0.9
flip "${journals[1]}" 0.01
flip "${journals[2]}" 0.0002
truncate -s 20000 "${journals[3]}"
cp "${journals[5]}" "${journals[4]}"
"$govsim" verify "$tmp/sw" >"$tmp/verify.txt"; code=$?
cat "$tmp/verify.txt"
[ "$code" -eq 1 ] || fail "govsim verify exited $code on a damaged sweep (expected 1)"
[ "$(grep -c '^FAIL' "$tmp/verify.txt")" -ge 5 ] || fail "govsim verify did not find all 5 damaged journals"
out=$("$govsim" sweep "$exp" --out "$tmp/sw" 2>&1) || fail "resume after damage failed: $out"
echo "$out" | grep -q "(5 run, $((n - 5)) already done" || { echo "$out"; fail "the resume did not run exactly the 5 damaged runs again"; }
"$govsim" verify "$tmp/sw" >/dev/null || fail "the resumed sweep fails verification"
"$py" "$here/../sweep/compare_results.py" "$tmp/ref/shard-0-of-1.h5" "$tmp/sw/shard-0-of-1.h5" >/dev/null ||
  fail "the resumed sweep differs from the untouched one"
echo "ok: 5 damaged journals found by verify and run again on resume; the result equals the untouched sweep"

# A damaged shard: merge refuses it, naming it; nothing is written.
cp -r "$tmp/ref" "$tmp/sh"
flip "$tmp/sh/shard-0-of-1.h5" 0.5
"$govsim" merge "$tmp/sh" --out "$tmp/sh/merged.h5" --copy >"$tmp/stdout" 2>"$tmp/stderr"; code=$?
[ "$code" -eq 2 ] || fail "merge exited $code on a damaged shard (expected 2: bad input)"
grep -q "shard-0-of-1.h5: fails verification" "$tmp/stderr" || { cat "$tmp/stderr"; fail "merge's message does not name the damaged shard"; }
[ ! -e "$tmp/sh/merged.h5" ] || fail "merge wrote a file from a damaged shard"
echo "ok: merge refused a damaged shard: $(cat "$tmp/stderr")"

# A shard deleted after a virtual merge.
rm -rf "$tmp/sw2"
"$govsim" sweep "$exp" --out "$tmp/sw2" --shard 0/2 --quiet >/dev/null || fail "shard 0/2"
"$govsim" sweep "$exp" --out "$tmp/sw2" --shard 1/2 --quiet >/dev/null || fail "shard 1/2"
"$govsim" merge "$tmp/sw2" --out "$tmp/sw2/merged.h5" >/dev/null || fail "virtual merge"
"$govsim" verify "$tmp/sw2/merged.h5" >/dev/null || fail "a fresh virtual merge fails verification"
rm "$tmp/sw2/shard-1-of-2.h5"
"$govsim" verify "$tmp/sw2/merged.h5" >"$tmp/verify.txt"; code=$?
[ "$code" -eq 1 ] && grep -q "shard-1-of-2.h5, which is missing" "$tmp/verify.txt" ||
  { cat "$tmp/verify.txt"; fail "govsim verify did not report the missing shard"; }
PYTHONPATH="$here/../../analysis" "$py" - "$tmp/sw2/merged.h5" <<'PY' || fail "the Python loader"
import sys
import numpy as np
from govsim_analysis import MissingSourcesError, open_results
try:
    open_results(sys.argv[1])
except MissingSourcesError as e:
    assert "shard-1-of-2.h5" in str(e), e
else:
    raise SystemExit("open_results read a merged file with a missing shard")
with open_results(sys.argv[1], allow_missing_sources=True) as ds:  # told to: the missing runs are NaN
    assert np.isnan(ds["n_open_cases"].values).any()
PY
"$govsim" report "$tmp/sw2/merged.h5" --out "$tmp/report" >/dev/null 2>"$tmp/stderr"; code=$?
[ "$code" -eq 2 ] || { cat "$tmp/stderr"; fail "govsim report exited $code on a merged file with a missing shard (expected 2)"; }
[ ! -e "$tmp/report" ] || fail "govsim report wrote a report from a merged file with a missing shard"
"$govsim" report "$tmp/sw2/merged.h5" --out "$tmp/report" --allow-missing-sources >/dev/null 2>&1 ||
  fail "govsim report --allow-missing-sources"
echo "ok: a deleted shard: verify exit 1, open_results raises MissingSourcesError, report exit 2 (0 when allowed)"
echo "PASS: every damaged file found; nothing damaged was merged or read as data"
