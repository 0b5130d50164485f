#!/usr/bin/env bash
# A 4-task array job on the test cluster through run-array.sh: every task runs once and sees its own id
# and the task count.
# Usage: check_array_smoke.sh RUN_ARRAY_SH WORK_DIR
set -euo pipefail
RUN_ARRAY=$1
DIR=$2
rm -rf "$DIR"
mkdir -p "$DIR/out"
# shellcheck disable=SC2016  # expanded by the task's shell, not here
"$RUN_ARRAY" --array 0-3 --dir "$DIR" --timeout 240 -- \
  sh -c 'echo "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" > "$0/task-$SLURM_ARRAY_TASK_ID.txt"' "$DIR/out"
for t in 0 1 2 3; do
  got=$(cat "$DIR/out/task-$t.txt" 2>/dev/null || echo "(missing)")
  if [ "$got" != "$t/4" ]; then
    echo "FAIL: task $t wrote '$got', expected '$t/4'" >&2
    exit 1
  fi
done
n=$(find "$DIR/out" -type f | wc -l)
[ "$n" -eq 4 ] || { echo "FAIL: $n output files, expected 4" >&2; exit 1; }
echo "OK: 4 tasks, each saw its id and SLURM_ARRAY_TASK_COUNT=4"
