#!/usr/bin/env bash
# Threads on a shared machine: the baseline year (default 224 communities, about 1 M residents) at 1 and at 2
# threads, alternated (1, 2, 1, 2, ...), first on the machine as it is and then beside BUSY CPU-bound processes
# (default 1). Prints each time, the medians, and the ratio time(1 thread) / time(2 threads) in each sitting:
# above 1 means two threads help. Set GOVSIM to time another binary, OMP_WAIT_POLICY to override govsim's
# choice of passive waiting.
# Usage: scripts/bench-contended.sh [PAIRS=5] [COMMUNITIES=224] [BUSY=1] [DAYS=365]
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-5} communities=${2:-224} busy=${3:-1} days=${4:-365}
govsim=${GOVSIM:-build/src/govsim}
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
sitting() {
  local what=$1
  for i in $(seq 1 "$pairs"); do
    for t in 1 2; do
      /usr/bin/time -f "%e" -o "$tmp/t" "$govsim" run scenarios/baseline.ini --set district.communities="$communities" \
        --set run.days="$days" --threads "$t" --out "$tmp/x.h5" --quiet >/dev/null
      echo "$what $t $(cat "$tmp/t")" | tee -a "$tmp/times"
    done
  done
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
sitting quiet
for _ in $(seq 1 "$busy"); do
  bash -c 'while :; do :; done' &
  pids+=($!)
done
sleep 1
sitting busy
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$tmp/times" "$busy" <<'PY'
import statistics, sys
t = {}
for line in open(sys.argv[1]):
    what, threads, s = line.split()
    t.setdefault((what, threads), []).append(float(s))
for what, label in (("quiet", "as it is"), ("busy", f"beside {sys.argv[2]} busy process(es)")):
    one, two = statistics.median(t[(what, "1")]), statistics.median(t[(what, "2")])
    print(f"{label}: median 1 thread {one:.2f} s, 2 threads {two:.2f} s, speed-up {one / two:.2f}x "
          f"({len(t[(what, '1')])} pairs)")
PY
