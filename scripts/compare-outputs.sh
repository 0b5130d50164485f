#!/usr/bin/env bash
# Usage: scripts/compare-outputs.sh [--quick] [--keep DIR] [--threads N] OLD_BINARY NEW_BINARY
#
# Checks that two govsim binaries write the same outputs (for refactors that must not change any output).
# Runs, with each binary, every scenario in scenarios/*.ini and every file in tests/validation/*.ini
# (govsim run --out --summary-json), govsim validate of all of tests/validation/*.ini (--json), and the
# sweeps tests/sweep/sweep_small.ini and sweep_sampled.ini (govsim sweep, then govsim merge, virtual and
# --copy); then compares every file the two wrote (scripts/compare_outputs.py): every HDF5 group, dataset
# and attribute (shard, journal and merged files included), the JSON outputs as data, and the printed
# tables. Provenance is not compared: the version, git revision, creation time, command line, wall-clock
# seconds, and the sweep's run ids and fingerprint (they hash the git revision; run ids compare by the plan
# row they name). Two runs of one binary compare equal: scripts/compare-outputs.sh --quick B B is the
# self-test.
#
#   --quick      60 days, 2 replicates, 40 communities for chongqing_city (about a minute a binary);
#                without it, the files as shipped (several minutes a binary on 2 cores)
#   --keep DIR   work in DIR (created; must be empty) and keep it: DIR/old, DIR/new, with each command's
#                stdout, stderr and exit status; otherwise a temporary directory removed at exit
#   --threads N  OpenMP threads per command (default 2)
#
# Prints one line per compared file (same / DIFFERENT and the first difference) and a summary line.
# Exit 0 if nothing differs, 1 if anything differs or a command failed, 2 on a usage error.
set -euo pipefail

usage() {  # the comment above; exit status $1 (2: a usage error)
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit "${1:-2}"
}

repo=$(cd "$(dirname "$0")/.." && pwd)
python=/usr/bin/python3  # Debian's, with h5py and numpy (the python3 first on PATH lacks them)
quick=0 keep="" threads=2
bins=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --keep) [[ $# -ge 2 ]] || usage; keep=$2; shift ;;
    --threads) [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || usage; threads=$2; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "compare-outputs: unknown option $1" >&2; usage ;;
    *) bins+=("$1") ;;
  esac
  shift
done
[[ ${#bins[@]} -eq 2 ]] || usage
for b in "${bins[@]}"; do
  [[ -f $b && -x $b ]] || { echo "compare-outputs: $b: not an executable file" >&2; exit 2; }
done
old=$(realpath "${bins[0]}")
new=$(realpath "${bins[1]}")

if [[ -n $keep ]]; then
  if [[ -e $keep && -n $(ls -A "$keep") ]]; then
    echo "compare-outputs: --keep $keep: not empty" >&2
    exit 2
  fi
  mkdir -p "$keep"
  work=$(realpath "$keep")
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/compare-outputs.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi

# Nothing from the caller's environment may change what either binary writes or reads.
unset GOVSIM_TEST_FAIL_RUNS HDF5_VDS_PREFIX OMP_NUM_THREADS SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_COUNT \
  SLURM_ARRAY_TASK_MIN SLURM_CPUS_PER_TASK OMPI_COMM_WORLD_SIZE PMIX_RANK PMI_RANK

shrink=()
[[ $quick == 1 ]] && shrink=(--set run.days=60 --set run.replicates=2)

# step NAME COMMAND...: NAME.stdout, NAME.stderr, NAME.rc (a failure is reported by the comparison).
step() {
  local name=$1
  shift
  echo "  $name" >&2
  local rc=0
  "$@" >"$name.stdout" 2>"$name.stderr" || rc=$?
  echo "$rc" >"$name.rc"
}

# produce SIDE BINARY: every output into $work/SIDE. Paths inside it are relative, so that the names the
# files record (merge sources, virtual dataset mappings, "Wrote ..." lines) are the same for both sides.
produce() {
  local side=$1 bin=$2 start=$SECONDS
  echo "compare-outputs: $side: $bin" >&2
  mkdir -p "$work/$side"/{scenarios,validation,validate,sweeps}
  cd "$work/$side"
  local ini name extra
  for ini in "$repo"/scenarios/*.ini; do
    name=$(basename "$ini" .ini)
    extra=()
    # The city has 11,000 communities (3.6 GB, over a minute a run): 40 are enough to iterate.
    [[ $quick == 1 && $name == chongqing_city ]] && extra=(--set district.communities=40)
    step "scenarios/$name" "$bin" run "$ini" "${shrink[@]}" "${extra[@]}" --threads "$threads" \
      --out "scenarios/$name.h5" --summary-json "scenarios/$name.summary.json"
  done
  for ini in "$repo"/tests/validation/*.ini; do
    name=$(basename "$ini" .ini)
    step "validation/$name" "$bin" run "$ini" "${shrink[@]}" --threads "$threads" \
      --out "validation/$name.h5" --summary-json "validation/$name.summary.json"
  done
  # A failing check is an outcome to compare, not an error: its exit status must only match.
  step validate/validate "$bin" validate "$repo"/tests/validation/*.ini "${shrink[@]}" --threads "$threads" \
    --json validate/validate.json
  mv validate/validate.rc validate/validate.exit
  for name in sweep_small sweep_sampled; do
    step "sweeps/$name.sweep" "$bin" sweep "$repo/tests/sweep/$name.ini" --threads "$threads" --out "sweeps/$name"
    step "sweeps/$name.merge" "$bin" merge "sweeps/$name" --out "sweeps/$name.merged.h5"
    step "sweeps/$name.merge-copy" "$bin" merge "sweeps/$name" --copy --out "sweeps/$name.merged-copy.h5"
  done
  echo "compare-outputs: $side: $((SECONDS - start)) s" >&2
}

produce old "$old"
produce new "$new"
cd "$work"
rc=0
"$python" "$repo/scripts/compare_outputs.py" old new || rc=$?
[[ -n $keep ]] && echo "compare-outputs: outputs kept in $work" >&2
exit "$rc"
