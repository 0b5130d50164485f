#!/usr/bin/env bash
# How the stylised facts depend on the ladder's capacity (docs/ODD.md §13): runs the validation files with the
# community's, streets' and departments' staff scaled by each multiplier and writes one JSON verdict file per
# multiplier and a Markdown table (fact x multiplier: effect and verdict).
#   scripts/fact-sensitivity.sh GOVSIM OUTDIR [MULTIPLIER ...]      (default multipliers: 0.5 1 2)
# Example: scripts/fact-sensitivity.sh build/src/govsim /tmp/sens 0.5 2 -- --set run.replicates=5
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 GOVSIM OUTDIR [MULTIPLIER ...] [-- EXTRA govsim validate OPTIONS]" >&2; exit 2; }
govsim=$1 out=$2
shift 2
mults=() extra=()
while [[ $# -gt 0 ]]; do
  if [[ $1 == -- ]]; then shift; extra=("$@"); break; fi
  mults+=("$1"); shift
done
[[ ${#mults[@]} -gt 0 ]] || mults=(0.5 1 2)
here=$(cd "$(dirname "$0")/.." && pwd)
# Facts 1-7 (08 and 09 are the long stationarity and principle checks).
files=("$here"/tests/validation/0[1-7]_*.ini)
mkdir -p "$out"
# Defaults of the capacities scaled (src/params/params.h): read them from govsim describe, not copied here.
base() { "$govsim" describe 2>/dev/null | awk -v k="$1" '$1 == k {print $3; exit}'; }
cs=$(base ladder.community_staff) ss=$(base ladder.street_staff) ds=$(base ladder.department_staff_per_street)
[[ -n $cs && -n $ss && -n $ds ]] || { echo "$0: could not read the ladder's staff from '$govsim describe'" >&2; exit 1; }
for m in "${mults[@]}"; do
  scale() { /usr/bin/python3 -c "print($1 * $m)"; }
  echo "capacity x$m: community_staff=$(scale "$cs") street_staff=$(scale "$ss") department_staff_per_street=$(scale "$ds")" >&2
  "$govsim" validate "${files[@]}" --set "ladder.community_staff=$(scale "$cs")" --set "ladder.street_staff=$(scale "$ss")" \
    --set "ladder.department_staff_per_street=$(scale "$ds")" "${extra[@]}" --json "$out/capacity_x$m.json" \
    > "$out/capacity_x$m.txt" || true  # a failing fact is a result here, not an error
done
/usr/bin/python3 - "$out" "${mults[@]}" <<'PY'
import json, os, sys
out, mults = sys.argv[1], sys.argv[2:]
runs = {m: json.load(open(os.path.join(out, f"capacity_x{m}.json"))) for m in mults}
keys = []
for m in mults:
    for v in runs[m]:
        k = (os.path.basename(v["file"]).split("_")[0], v["fact"])
        if k not in keys: keys.append(k)
lines = ["| fact | check | " + " | ".join(f"capacity ×{m}" for m in mults) + " |",
         "|---|---|" + "---|" * len(mults)]
for f, check in keys:
    cells = []
    for m in mults:
        v = next((v for v in runs[m] if os.path.basename(v["file"]).startswith(f) and v["fact"] == check), None)
        cells.append("—" if v is None else f"{v['mean']:+.3g} {'pass' if v['pass'] else '**fail**'}")
    lines.append(f"| {f} | `{check}` | " + " | ".join(cells) + " |")
open(os.path.join(out, "table.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
