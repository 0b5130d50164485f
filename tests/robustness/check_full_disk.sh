#!/usr/bin/env bash
# A full disk (a small tmpfs, mounted by this test: needs root): run, sweep and merge end with one line naming
# the output path and exit 1, no crash and no file under a final name; the sweep resumes once space is freed
# and ends equal to a sweep that never ran out of space.
# Usage: check_full_disk.sh GOVSIM PYTHON EXPERIMENT SCENARIO
set -uo pipefail
govsim=$1; py=$2; exp=$3; scenario=$4
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
disk="$tmp/disk"
mkdir -p "$disk"
cleanup() { umount "$disk" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
mount -t tmpfs -o size=4m tmpfs "$disk" || fail "cannot mount a tmpfs (the test needs root)"

# Leaves `left` KiB free on the tmpfs (a filler file takes the rest).
leave_free() {
  rm -f "$disk/filler"
  local free_kb
  free_kb=$(df -k --output=avail "$disk" | tail -1)
  [ "$free_kb" -gt "$1" ] && dd if=/dev/zero of="$disk/filler" bs=1k count=$((free_kb - $1)) status=none
  true
}
# One command on the full disk: exit 1, one stderr line naming `path`, no final file.
expect_full() {
  local path=$1; shift
  "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local code=$?
  [ "$code" -eq 1 ] || { cat "$tmp/stderr"; fail "$* exited $code on a full disk (expected 1)"; }
  [ "$(wc -l <"$tmp/stderr")" -eq 1 ] || { cat "$tmp/stderr"; fail "$*: more than one line on stderr"; }
  grep -q -- "$path" "$tmp/stderr" || { cat "$tmp/stderr"; fail "$*: the message does not name $path"; }
  grep -qi "no space left" "$tmp/stderr" || { cat "$tmp/stderr"; fail "$*: the message does not say the disk is full"; }
  echo "ok: $* -> $(cat "$tmp/stderr")"
}

# govsim run: the output does not fit.
leave_free 100
expect_full "$disk/run.h5" "$govsim" run "$scenario" --out "$disk/run.h5" --quiet --set run.days=60
[ ! -e "$disk/run.h5" ] || fail "run left $disk/run.h5 on a full disk"
[ -z "$(ls "$disk" | grep '\.tmp\.')" ] || fail "run left a temporary on a full disk"

# govsim sweep: space for a few journals, not the shard file.
"$govsim" sweep "$exp" --out "$tmp/ref" --quiet >/dev/null || fail "reference sweep failed"
leave_free 350
"$govsim" sweep "$exp" --out "$disk/sw" --quiet >"$tmp/stdout" 2>"$tmp/stderr"
code=$?
[ "$code" -eq 1 ] || { cat "$tmp/stderr"; fail "sweep exited $code on a full disk (expected 1)"; }
[ "$(wc -l <"$tmp/stderr")" -eq 1 ] || { cat "$tmp/stderr"; fail "sweep: more than one line on stderr"; }
grep -q "$disk/sw" "$tmp/stderr" || { cat "$tmp/stderr"; fail "sweep: the message does not name the output"; }
echo "ok: sweep -> $(cat "$tmp/stderr")"
"$govsim" verify "$disk/sw" >/dev/null || fail "a journal under its final name fails verification after a full disk"
rm -f "$disk/filler"
"$govsim" sweep "$exp" --out "$disk/sw" --quiet >/dev/null 2>&1 || fail "the sweep did not resume once space was freed"
"$py" "$here/../sweep/compare_results.py" "$tmp/ref/shard-0-of-1.h5" "$disk/sw/shard-0-of-1.h5" >/dev/null ||
  fail "the resumed sweep differs from one that never ran out of space"
echo "ok: the sweep resumed once space was freed, equal to the reference"

# govsim merge --copy: the merged file does not fit.
mv "$disk/sw" "$tmp/sw"
leave_free 100
expect_full "$disk/merged.h5" "$govsim" merge "$tmp/sw" --out "$disk/merged.h5" --copy
[ ! -e "$disk/merged.h5" ] || fail "merge left $disk/merged.h5 on a full disk"
# A read-only directory is found before any work: exit 2, naming the path.
rm -f "$disk/filler"
mount -o remount,ro "$disk" || fail "cannot remount the tmpfs read-only"
"$govsim" run "$scenario" --out "$disk/ro.h5" --quiet >"$tmp/stdout" 2>"$tmp/stderr"
code=$?
[ "$code" -eq 2 ] || { cat "$tmp/stderr"; fail "run onto a read-only directory exited $code (expected 2)"; }
grep -q "cannot create files in $disk.*[Rr]ead-only" "$tmp/stderr" || { cat "$tmp/stderr"; fail "run onto a read-only directory: unclear message"; }
echo "ok: read-only --out -> $(cat "$tmp/stderr")"
echo "PASS: run, sweep and merge on a full disk: exit 1, one line naming the output, nothing under a final name; a read-only --out refused before running"
