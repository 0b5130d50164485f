#!/usr/bin/env bash
# Fuzzes the input parsers (scenario, experiment, calibration and optimisation files) with libFuzzer under
# AddressSanitizer and UndefinedBehaviorSanitizer: builds build-fuzz with clang (-DGOVSIM_FUZZ=ON, target
# govsim_fuzz_parsers, tests/fuzz/fuzz_parsers.cpp), then runs it for SECONDS (default 120) over a fresh copy
# of the seed corpus (scenarios/*.ini, scenarios/experiments/*.ini, tests/calibration/*.ini,
# tests/bad_inputs/cases/*.ini, tests/fuzz/regressions/*) with the dictionary tests/fuzz/ini.dict.
#
# Usage: scripts/fuzz.sh [SECONDS] [LIBFUZZER_ARGS...]
#   e.g. scripts/fuzz.sh 600 -fork=1 -ignore_crashes=1   (keep going after a finding)
# Prints `fuzz: N executions, C crashes` and exits non-zero on any crash, leak, timeout (10 s per input),
# out-of-memory (2048 MB) or sanitizer report. Findings are written to build-fuzz/run/findings/ (reproduce one
# with build-fuzz/tests/fuzz/govsim_fuzz_parsers FILE; save it under tests/fuzz/regressions/ once fixed, and
# every later run starts from it). Needs clang and libclang-rt (scripts/install-deps.sh --test).
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-120}
shift || true
case "$budget" in
  '' | *[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, got '$budget'" >&2; exit 2 ;;
esac

cc=clang cxx=clang++
if command -v clang++-14 >/dev/null; then cc=clang-14 cxx=clang++-14; fi
if ! command -v "$cxx" >/dev/null; then
  echo "fuzz.sh: clang++ not found (scripts/install-deps.sh --test installs clang-14)" >&2
  exit 2
fi
# -O1 -g without NDEBUG: assertions stay on and stacks stay readable.
cmake -S . -B build-fuzz -G Ninja -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
      -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
      -DGOVSIM_FUZZ=ON -DGOVSIM_BUILD_TESTS=OFF -DGOVSIM_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-fuzz --target govsim_fuzz_parsers

run=build-fuzz/run
rm -rf "$run"
mkdir -p "$run/corpus" "$run/findings" "$run/tmp"
for f in scenarios/*.ini scenarios/experiments/*.ini tests/calibration/*.ini tests/bad_inputs/cases/*.ini \
         tests/fuzz/regressions/*; do
  if [ -f "$f" ]; then cp "$f" "$run/corpus/$(echo "$f" | tr / _)"; fi
done
# Seeds with a second file (the harness writes what follows a `%%` line as inc.ini): each example experiment
# including its scenario from inc.ini.
for f in scenarios/experiments/*.ini; do
  { echo "include = inc.ini"; grep -v '^include' "$f"; printf '%%%%\n'; cat scenarios/baseline.ini; } \
    >"$run/corpus/inc_$(basename "$f")"
done

export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive TMPDIR="$PWD/$run/tmp"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
echo "fuzz.sh: fuzzing for ${budget} s ($(ls "$run/corpus" | wc -l) seeds)"
set +e
build-fuzz/tests/fuzz/govsim_fuzz_parsers -max_total_time="$budget" -timeout=10 -rss_limit_mb=2048 \
  -dict=tests/fuzz/ini.dict -artifact_prefix="$run/findings/" -print_final_stats=1 "$@" "$run/corpus" \
  >"$run/fuzz.log" 2>&1
rc=$?
set -e
# Executions: libFuzzer's final statistics (one per job in fork mode), else its last status line.
execs=$(awk -F': *' '/^stat::number_of_executed_units/ {n += $2} END {print n + 0}' "$run/fuzz.log")
if [ "$execs" -eq 0 ]; then
  execs=$(grep -oE '^#[0-9]+' "$run/fuzz.log" | tail -1 | tr -d '#' || true)
fi
crashes=$(find "$run/findings" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
              -o -name 'oom-*' \) | wc -l)
grep -E '^==[0-9]+== *ERROR|FINDING|runtime error|^SUMMARY|Test unit written' "$run/fuzz.log" | head -n 20 || true
echo "fuzz: ${execs:-0} executions, ${crashes} crashes"
if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
  echo "fuzz.sh: failed (libFuzzer exit code $rc); log $run/fuzz.log, inputs in $run/findings/" >&2
  exit 1
fi
