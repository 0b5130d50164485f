#!/usr/bin/env bash
# Runs govsim on bad input and checks: exit code 2, exactly one line on stderr matching the expected pattern,
# and no output file (nor temporary file) left behind.
# Usage: check_bad_input.sh GOVSIM EXPECTED_REGEX SCENARIO [extra govsim args...]
set -uo pipefail
govsim=$1
pattern=$2
scenario=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$govsim" run "$scenario" --out "$tmp/out.h5" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
code=$?
fail() { echo "FAIL: $*"; echo "--- stderr:"; cat "$tmp/stderr"; exit 1; }
[ "$code" -eq 2 ] || fail "exit code $code, expected 2"
lines=$(wc -l <"$tmp/stderr")
[ "$lines" -eq 1 ] || fail "$lines lines on stderr, expected one"
grep -Eq -- "$pattern" "$tmp/stderr" || fail "stderr does not match /$pattern/"
left=$(ls -A "$tmp" | grep -v -E '^(stdout|stderr)$' || true)
[ -z "$left" ] || fail "files left behind: $left"
echo "PASS: $(cat "$tmp/stderr")"
