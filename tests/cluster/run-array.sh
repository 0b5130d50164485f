#!/usr/bin/env bash
# Runs COMMAND as a Slurm job array on the test cluster, waits for it, and fails unless every task exited 0.
# Usage: run-array.sh --array SPEC --dir DIR [--timeout SECONDS] [--sbatch ARG]... -- COMMAND [ARG...]
#   --array SPEC    sbatch's array spec: 0-3, 0-9:3, 1,4,7, 0-99%4 ...
#   --dir DIR       the job's bookkeeping: DIR/logs/TASK.out (stdout and stderr of each task) and
#                   DIR/status/TASK.rc (its exit code); both are emptied first
#   --timeout S     give up (and scancel the job) after S seconds; default 300
#   --sbatch ARG    one more argument for sbatch, e.g. --sbatch --ntasks=2 for an srun inside the job
# COMMAND runs once per task in the current directory, with Slurm's environment (SLURM_ARRAY_TASK_ID,
# SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_JOB_ID, ...) and the caller's.
#
# Why not `sbatch --wait`: it polls every 10 s; polling squeue every half second is much faster for short
# tasks. Why not sacct: the test cluster keeps no accounting (AccountingStorageType=accounting_storage/none;
# sacct answers "Slurm accounting storage is disabled"), and squeue forgets a job once it has finished.
# So each task writes its own exit code and success is read from those files: a task with no exit-code
# file was killed (time limit, node failure, scancel) or never ran, and counts as failed.
set -euo pipefail

ARRAY="" DIR="" TIMEOUT=300
SBATCH_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --array) ARRAY=$2; shift 2 ;;
    --dir) DIR=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --sbatch) SBATCH_ARGS+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "run-array: unknown option '$1'" >&2; exit 2 ;;
  esac
done
if [ -z "$ARRAY" ] || [ -z "$DIR" ] || [ $# -eq 0 ]; then
  echo "usage: run-array.sh --array SPEC --dir DIR [--timeout S] [--sbatch ARG]... -- COMMAND [ARG...]" >&2
  exit 2
fi

# The task ids the spec names (sbatch's own syntax: ranges with optional steps, commas, a %limit).
expand_array() {
  local spec=${1%%%*} part lo hi step
  IFS=, read -r -a parts <<< "$spec"
  for part in "${parts[@]}"; do
    step=1
    if [[ $part == *:* ]]; then step=${part#*:}; part=${part%%:*}; fi
    if [[ $part == *-* ]]; then lo=${part%-*}; hi=${part#*-}; else lo=$part; hi=$part; fi
    seq "$lo" "$step" "$hi"
  done
}
mapfile -t TASKS < <(expand_array "$ARRAY")
[ ${#TASKS[@]} -gt 0 ] || { echo "run-array: array spec '$ARRAY' names no task" >&2; exit 2; }

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
rm -rf "$DIR/logs" "$DIR/status"
mkdir -p "$DIR/logs" "$DIR/status"
cat > "$DIR/job.sh" <<'EOF'
#!/usr/bin/env bash
# Written by tests/cluster/run-array.sh: runs the command, then records its exit code (renamed into place,
# so a half-written file never reads as success).
status_dir=$1
shift
rc=0
"$@" || rc=$?
echo "$rc" > "$status_dir/$SLURM_ARRAY_TASK_ID.rc.tmp"
mv "$status_dir/$SLURM_ARRAY_TASK_ID.rc.tmp" "$status_dir/$SLURM_ARRAY_TASK_ID.rc"
exit "$rc"
EOF
chmod +x "$DIR/job.sh"

start=$SECONDS
JOB=$(sbatch --parsable --array="$ARRAY" --job-name=govsim-test --chdir="$PWD" --output="$DIR/logs/%a.out" \
             "${SBATCH_ARGS[@]}" "$DIR/job.sh" "$DIR/status" "$@")
JOB=${JOB%%;*}  # --parsable prints JOBID[;CLUSTER]
echo "run-array: submitted job $JOB (array $ARRAY, ${#TASKS[@]} tasks)"

# squeue lists a job until it has finished; a job it no longer knows finished long ago.
while :; do
  if ! out=$(squeue -h -j "$JOB" -o %i 2>&1); then
    case "$out" in
      *"Invalid job id"*) break ;;
      *) echo "run-array: squeue failed: $out" >&2; exit 1 ;;
    esac
  fi
  [ -z "$out" ] && break
  if [ $((SECONDS - start)) -ge "$TIMEOUT" ]; then
    echo "run-array: job $JOB still queued or running after $TIMEOUT s; cancelling it" >&2
    squeue -j "$JOB" >&2 || true
    scancel "$JOB" || true
    exit 1
  fi
  sleep 0.5
done

failed=0
for t in "${TASKS[@]}"; do
  rc_file="$DIR/status/$t.rc"
  if [ ! -e "$rc_file" ]; then
    echo "run-array: task $t left no exit code (killed, or never ran)" >&2
  elif [ "$(cat "$rc_file")" != 0 ]; then
    echo "run-array: task $t exited $(cat "$rc_file")" >&2
  else
    continue
  fi
  failed=$((failed + 1))
  if [ -e "$DIR/logs/$t.out" ]; then
    echo "---- last lines of $DIR/logs/$t.out" >&2
    tail -n 20 "$DIR/logs/$t.out" >&2
  fi
done
if [ "$failed" -gt 0 ]; then
  echo "run-array: job $JOB: $failed of ${#TASKS[@]} tasks failed" >&2
  exit 1
fi
echo "run-array: job $JOB: all ${#TASKS[@]} tasks succeeded in $((SECONDS - start)) s"
