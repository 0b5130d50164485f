#!/usr/bin/env bash
# Sweep throughput: runs scenarios/experiments/throughput.ini (24 district-years) N times (default 3) into
# fresh directories and reports the median wall time, district-years per hour and the share of run time spent
# writing HDF5 (journal files plus the shard file), with and without compressing the series, as printed by
# govsim sweep.
# Usage: scripts/bench-sweep.sh [N] [extra govsim sweep arguments, e.g. --threads 2]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3}
shift || true
govsim=${GOVSIM:-build/src/govsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in $(seq 1 "$n"); do
  "$govsim" sweep scenarios/experiments/throughput.ini --out "$tmp/r$i" "$@" | head -1 | tee -a "$tmp/lines"
done
/usr/bin/python3 - "$tmp/lines" <<'PY'
import re, statistics, sys
rows = []
for line in open(sys.argv[1]):
    m = re.search(r"in ([\d.]+) s: .* ([\d.]+) district-years/min; HDF5 writing ([\d.]+)% of (?:run time|the work) "
                  r"\(([\d.]+) s journal(?:, of which ([\d.]+) s compressing;|,) ([\d.]+) s shard file", line)
    if m:
        wall, dym, share, journal, compress, shard = (float(x) if x else 0.0 for x in m.groups())
        # The share without the compression of journal series (0 where govsim does not report it).
        rest = share * (journal + shard - compress) / (journal + shard) if journal + shard > 0 else 0.0
        rows.append((wall, dym, share, rest))
wall = statistics.median(r[0] for r in rows)
dyh = statistics.median(r[1] for r in rows) * 60
share = statistics.median(r[2] for r in rows)
rest = statistics.median(r[3] for r in rows)
print(f"median of {len(rows)}: {wall:.2f} s wall, {dyh:.0f} district-years/hour, HDF5 writing {share:.1f}% of the "
      f"work ({rest:.1f}% without compressing the series)")
PY
