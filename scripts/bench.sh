#!/usr/bin/env bash
# Runs the benchmarks with repetitions and prints medians and the speed-up over 1 thread.
# Thread counts above the machine's cores are skipped; each count is kept on every day (GOVSIM_FIXED_THREADS=1).
# Usage: scripts/bench.sh [repetitions]
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DGOVSIM_BUILD_BENCHMARKS=ON >/dev/null
cmake --build build-bench --target govsim_bench >/dev/null
cores=$(nproc)
filter="threads:($(seq -s '|' 1 "$cores"))(/|\$)"
# Every thread on every day (no probing for a faster count: this measures scaling).
GOVSIM_FIXED_THREADS=1 ./build-bench/tests/govsim_bench --benchmark_filter="$filter" --benchmark_repetitions="$reps" \
  --benchmark_report_aggregates_only=true --benchmark_format=json --benchmark_out=build-bench/bench.json \
  --benchmark_out_format=json >/dev/null
/usr/bin/python3 - build-bench/bench.json <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
med = {}
for b in data["benchmarks"]:
    if b.get("aggregate_name") == "median":
        name, rest = b["run_name"].split("/threads:")
        med[(name, int(rest.split("/")[0]))] = b["real_time"]
print("host: %s, %d cpus" % (data["context"].get("host_name", "?"), data["context"]["num_cpus"]))
print("%-22s %8s %12s %10s" % ("benchmark", "threads", "median ms", "speed-up"))
for (name, t), ms in sorted(med.items()):
    print("%-22s %8d %12.1f %9.2fx" % (name, t, ms, med[(name, 1)] / ms))
PY
