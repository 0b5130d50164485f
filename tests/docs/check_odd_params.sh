#!/usr/bin/env bash
# Every parameter key the binary declares must be documented in docs/ODD.md.
# Usage: check_odd_params.sh GOVSIM ODD.md
set -euo pipefail
govsim=$1
odd=$2
missing=0
section=""
n=0
while IFS= read -r line; do
  case "$line" in
    \#*|"") continue ;;
    \[*\]) section=${line#[}; section=${section%]} ;;
    *=*) key="$section.$(echo "${line%%=*}" | xargs)"; n=$((n + 1))
         grep -qF "\`$key\`" "$odd" || { echo "missing from $odd: $key"; missing=$((missing + 1)); } ;;
  esac
done < <("$govsim" describe --format ini)
[ "$n" -gt 50 ] || { echo "FAIL: only $n keys described"; exit 1; }
[ "$missing" -eq 0 ] || { echo "FAIL: $missing of $n parameters undocumented"; exit 1; }
echo "PASS: all $n parameters documented in $odd"
