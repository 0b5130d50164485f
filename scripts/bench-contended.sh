#!/usr/bin/env bash
# Threads on a shared machine: the baseline year (default 224 communities, about 1 M residents) at 1 thread,
# at 2 threads, and at 2 threads kept on every day (GOVSIM_FIXED_THREADS=1; govsim otherwise probes now and
# then whether one thread is faster), alternated (1, 2, 2f, 1, 2, 2f, ...), first on the machine as it is and
# then beside BUSY CPU-bound processes (default 1). Prints each time, the medians, and the ratios time(1
# thread) / time(2 threads) in each sitting: above 1 means two threads help. Set GOVSIM to time another
# binary, OMP_WAIT_POLICY to override govsim's choice of passive waiting.
# Usage: scripts/bench-contended.sh [ROUNDS=5] [COMMUNITIES=224] [BUSY=1] [DAYS=365]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5} communities=${2:-224} busy=${3:-1} days=${4:-365}
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
  for i in $(seq 1 "$rounds"); do
    for t in 1 2 2f; do  # 2f: two threads on every day (GOVSIM_FIXED_THREADS=1, no probing for one)
      rm -f "$tmp/x.h5"  # an existing --out is replaced only with --force (which older binaries lack)
      GOVSIM_FIXED_THREADS=$([ "$t" = 2f ] && echo 1 || echo 0) /usr/bin/time -f "%e" -o "$tmp/t" "$govsim" run \
        scenarios/baseline.ini --set district.communities="$communities" --set run.days="$days" \
        --threads "${t%f}" --out "$tmp/x.h5" --quiet >/dev/null
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
    one, two, fixed = (statistics.median(t[(what, k)]) for k in ("1", "2", "2f"))
    print(f"{label}: median 1 thread {one:.2f} s, 2 threads {two:.2f} s (speed-up {one / two:.2f}x), "
          f"2 threads on every day {fixed:.2f} s ({one / fixed:.2f}x) ({len(t[(what, '1')])} rounds)")
PY
