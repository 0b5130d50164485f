#!/usr/bin/env bash
# Speed of two binaries in the same sitting, interleaved (A, B, A, B, ...) so that drift in the machine's load
# hits both alike: the 1 M-resident baseline year (N pairs) and the sweep benchmark (scripts/bench-sweep.sh, M
# pairs); prints each time, the medians and the ratio B/A.
# Usage: scripts/bench-ab.sh A_BINARY B_BINARY [N=5] [M=5]
set -euo pipefail
cd "$(dirname "$0")/.."
a=$1 b=$2 n=${3:-5} m=${4:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in $(seq 1 "$n"); do
  for side in a b; do
    bin=${!side}
    rm -f "$tmp/x.h5"  # govsim replaces an existing --out only with --force, which an older binary lacks
    /usr/bin/time -f "%e" -o "$tmp/t" "$bin" run scenarios/baseline.ini --set district.communities=224 --threads 2 \
      --out "$tmp/x.h5" --quiet >/dev/null
    echo "year $side $(cat "$tmp/t")" | tee -a "$tmp/times"
  done
done
for i in $(seq 1 "$m"); do
  for side in a b; do
    s=$(GOVSIM=${!side} scripts/bench-sweep.sh 1 --threads 2 | sed -n 's/^median of 1: \([0-9.]*\) s wall.*/\1/p')
    echo "sweep $side $s" | tee -a "$tmp/times"
  done
done
/usr/bin/python3 - "$tmp/times" <<'PY'
import statistics, sys
t = {}
for line in open(sys.argv[1]):
    what, side, s = line.split()
    t.setdefault((what, side), []).append(float(s))
for what in ("year", "sweep"):
    if (what, "a") not in t:  # N or M was 0
        continue
    a, b = statistics.median(t[(what, "a")]), statistics.median(t[(what, "b")])
    print(f"{what}: median A {a:.2f} s, B {b:.2f} s, B/A {b / a:.3f} ({len(t[(what, 'a')])} pairs)")
PY
