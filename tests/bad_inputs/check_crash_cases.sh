#!/usr/bin/env bash
# Inputs that once crashed govsim or destroyed a file (issue 14): each must end with exit code 2, one line on
# stderr matching its pattern, and no damage (the scenario intact, nothing written at --out).
# Usage: check_crash_cases.sh GOVSIM SMALL_SCENARIO SMALL_EXPERIMENT
set -uo pipefail
govsim=$1
small=$2
experiment=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() {  # check NAME PATTERN COMMAND...
  local name=$1 pattern=$2
  shift 2
  timeout 60 "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local code=$? lines
  lines=$(wc -l <"$tmp/stderr")
  if [ "$code" -ne 2 ] || [ "$lines" -ne 1 ] || ! grep -Eq -- "$pattern" "$tmp/stderr"; then
    echo "FAIL $name: exit $code, $lines line(s): $(head -c 300 "$tmp/stderr")"
    fails=$((fails + 1))
  else
    echo "ok   $name: $(cat "$tmp/stderr")"
  fi
}
cp "$small" "$tmp/s.ini"
sum=$(md5sum <"$tmp/s.ini")
# A section header with '=' in it.
printf '[grid.hours_per_day = 5]\nx = 1\n' >"$tmp/header.ini"
check section_header "header\.ini:1: malformed section header" "$govsim" run "$tmp/header.ini" --out "$tmp/o.h5"
# A path component over 255 characters.
long=$(printf 'a%.0s' $(seq 1 300))
check long_path "File name too long|not found" "$govsim" run "$tmp/$long/x.ini" --out "$tmp/o.h5"
check long_out "File name too long|does not exist" "$govsim" run "$tmp/s.ini" --out "$tmp/$long.h5"
# An integer range ending at INT64_MAX (it looped for ever).
printf 'include = %s\n[vary]\nrun.seed = 9223372036854775800:9223372036854775807:1\n' "$tmp/s.ini" >"$tmp/range.ini"
check int64_range "range\.ini:3: key 'run\.seed'" "$govsim" plan "$tmp/range.ini"
# A design too large to build (it was allocated before the run count was checked).
printf 'include = %s\n[experiment]\ndesign = lhs\nsamples = 100000000\n[vary]\ngrid.workers_per_grid = [1, 2]\n' \
  "$tmp/s.ini" >"$tmp/huge.ini"
check huge_design "huge\.ini: 2e\+08 runs .* is more than 10,000,000" "$govsim" plan "$tmp/huge.ini"
# A directory is not a scenario, nor is it an include.
mkdir "$tmp/dir"
check directory "dir: not a regular file" "$govsim" run "$tmp/dir" --out "$tmp/o.h5"
printf 'include = dir\n' >"$tmp/incdir.ini"
check include_directory "incdir\.ini:1: include: .*dir is not a regular file" "$govsim" run "$tmp/incdir.ini" --out "$tmp/o.h5"
# --out naming the scenario itself, or something that is not a regular file.
check out_is_input "--out .*s\.ini: is an input of this command" "$govsim" run "$tmp/s.ini" --out "$tmp/s.ini"
check out_is_directory "--out .*dir: exists and is not a regular file" "$govsim" run "$tmp/s.ini" --out "$tmp/dir"
check out_is_device "--out /dev/null: exists and is not a regular file" "$govsim" run "$tmp/s.ini" --out /dev/null
# '#' in a value (it was cut short there), an arm name with '/', a negative thread count.
printf 'include = s.ini\n[run]\nname = arm#1\n' >"$tmp/hash.ini"
check hash_in_value "hash\.ini:3: key 'run\.name': '#' starts a comment" "$govsim" run "$tmp/hash.ini" --out "$tmp/o.h5"
printf 'include = s.ini\n[arms]\na/b = grid.hours_per_day=7\n' >"$tmp/slash.ini"
check arm_with_slash "slash\.ini:3: arm 'a/b': an arm's name cannot" "$govsim" run "$tmp/slash.ini" --out "$tmp/o.h5"
check negative_threads "--threads must be positive" "$govsim" run "$tmp/s.ini" --out "$tmp/o.h5" --threads -1
# `govsim merge` onto one of the shards it merges (it mapped the shard onto itself).
"$govsim" sweep "$experiment" --out "$tmp/sweep" --quiet >/dev/null 2>&1 || { echo "FAIL: the sweep did not run"; fails=$((fails + 1)); }
shard_sum=$(md5sum <"$tmp/sweep/shard-0-of-1.h5")
check merge_onto_shard "--out .*shard-0-of-1\.h5: is an input of this command" \
  "$govsim" merge "$tmp/sweep" --out "$tmp/sweep/shard-0-of-1.h5"
[ "$(md5sum <"$tmp/sweep/shard-0-of-1.h5")" = "$shard_sum" ] || { echo "FAIL: the shard was changed"; fails=$((fails + 1)); }
[ "$(md5sum <"$tmp/s.ini")" = "$sum" ] || { echo "FAIL: the scenario was changed"; fails=$((fails + 1)); }
[ -c /dev/null ] || { echo "FAIL: /dev/null is no longer a device"; fails=$((fails + 1)); }
[ ! -e "$tmp/o.h5" ] || { echo "FAIL: an output was written"; fails=$((fails + 1)); }
[ "$fails" -eq 0 ] && echo "PASS: every case refused with one line, nothing damaged"
exit "$fails"
