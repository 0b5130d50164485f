#!/usr/bin/env bash
# Runs a govsim command on a bad experiment and checks: exit code 2, exactly one line on stderr matching the
# expected pattern, nothing on stdout, and (for `run`, given --out in a fresh directory) no file left behind.
# Usage: check_plan_error.sh GOVSIM COMMAND EXPECTED_REGEX FILE [extra govsim args...]
set -uo pipefail
govsim=$1
command=$2
pattern=$3
file=$4
shift 4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
extra=()
[ "$command" = run ] && extra=(--out "$tmp/out.h5")
"$govsim" "$command" "$file" "${extra[@]}" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
code=$?
fail() { echo "FAIL: $*"; echo "--- stderr:"; cat "$tmp/stderr"; exit 1; }
[ "$code" -eq 2 ] || fail "exit code $code, expected 2"
lines=$(wc -l <"$tmp/stderr")
[ "$lines" -eq 1 ] || fail "$lines lines on stderr, expected one"
grep -Eq -- "$pattern" "$tmp/stderr" || fail "stderr does not match /$pattern/"
[ ! -s "$tmp/stdout" ] || fail "output on stdout"
left=$(ls -A "$tmp" | grep -v -E '^(stdout|stderr)$' || true)
[ -z "$left" ] || fail "files left behind: $left"
echo "PASS: $(cat "$tmp/stderr")"
