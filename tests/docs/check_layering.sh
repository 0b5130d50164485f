#!/usr/bin/env bash
# The house has floors and nothing points up: a file under src/<floor>/ includes only its own floor and the
# floors below it (docs/DEVELOPING.md). No mechanism includes the simulation's header: a mechanism's whole
# world is model/day_api.h. Prints the folder-level include graph (edge counts) and fails on any upward edge.
# Usage: check_layering.sh SRC_DIR
set -euo pipefail
src=$1
floors=(util params core model mechanisms io experiment cli)
rank() { local i; for i in "${!floors[@]}"; do [[ ${floors[$i]} == "$1" ]] && { echo "$i"; return; }; done; echo -1; }
fail=0
declare -A edges=()
while IFS= read -r line; do
  file=${line%%:*}
  inc=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"${line#*:}")
  from=${file#"$src"/}; from=${from%%/*}
  to=${inc%%/*}
  [[ $inc == */* ]] || continue  # a generated header (govsim_revision.h) or a sibling without a folder
  rf=$(rank "$from"); rt=$(rank "$to")
  if [[ $rf -lt 0 || $rt -lt 0 ]]; then echo "FAIL: $file includes $inc: unknown floor"; fail=1; continue; fi
  edges["$from -> $to"]=$(( ${edges["$from -> $to"]:-0} + 1 ))
  if (( rt > rf )); then echo "FAIL: $file includes $inc ($from is below $to)"; fail=1; fi
  if [[ $from == mechanisms && $inc == model/simulation.h ]]; then
    echo "FAIL: $file includes the simulation's header (mechanisms see model/day_api.h only)"; fail=1
  fi
done < <(grep -rn --include='*.h' --include='*.cpp' '^#include "' "$src" | sed -E 's/^([^:]+):[0-9]+:/\1:/')
echo "include graph (floor -> floor: includes), floors from the ground up: ${floors[*]}"
for k in "${!edges[@]}"; do echo "  $k: ${edges[$k]}"; done | sort
[[ $fail -eq 0 ]] && echo "PASS: no include points up a floor; no mechanism includes model/simulation.h"
exit $fail
