#!/usr/bin/env bash
# The command line's conventions (issue 13): every subcommand's --help exits 0 with usage and an example;
# options are named in full (`--run.d 3` is refused, not taken for run.days); an unknown key gets a "did you
# mean"; an existing --out is refused without --force; off a terminal, a sweep prints progress lines.
# Usage: check_cli.sh GOVSIM SCENARIO_DIR WORK_DIR
set -euo pipefail
govsim=$1 scenarios=$(cd "$2" && pwd) work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

for cmd in run validate plan sweep merge verify calibrate optimise slurm report export serve describe; do
  out=$("$govsim" "$cmd" --help) || fail "govsim $cmd --help exited $?"
  grep -q "^Usage:" <<< "$out" && grep -q "govsim $cmd" <<< "$out" && grep -q "^Example:" <<< "$out" ||
    fail "govsim $cmd --help lacks its usage or example:"$'\n'"$out"
done

small="$scenarios/baseline.ini"
if err=$("$govsim" run "$small" --run.d 3 --out "$work/a.h5" 2>&1); then fail "--run.d 3 was accepted"; fi
grep -q "unrecognised option '--run.d'\|unrecognized option '--run.d'" <<< "$err" || fail "--run.d 3: $err"
if err=$("$govsim" run "$small" --thr 2 --out "$work/a.h5" 2>&1); then fail "--thr 2 was accepted"; fi

err=$("$govsim" run "$small" --set grid.hours_per_dya=7 --out "$work/a.h5" 2>&1) && fail "a typo was accepted"
grep -qF "did you mean 'grid.hours_per_day'?" <<< "$err" || fail "no suggestion for a typo: $err"
err=$("$govsim" run "$small" --set run.hours_per_day=7 --out "$work/a.h5" 2>&1) && fail "a wrong section was accepted"
grep -qF "did you mean 'grid.hours_per_day'?" <<< "$err" || fail "no suggestion for a wrong section: $err"

"$govsim" run "$small" --set run.days=5 --set district.communities=2 --out "$work/a.h5" --quiet
if err=$("$govsim" run "$small" --set run.days=5 --set district.communities=2 --out "$work/a.h5" 2>&1); then
  fail "an existing --out was replaced without --force"
fi
grep -q "exists (--force replaces it)" <<< "$err" || fail "existing --out: $err"

cat > "$work/sweep.ini" <<INI
include = $small
[run]
days = 20
[district]
communities = 2
[experiment]
design = factorial
replicates = 3
[vary]
grid.hours_per_day = 7, 8
INI
GOVSIM_PROGRESS_SECONDS=0 "$govsim" sweep "$work/sweep.ini" --out "$work/sw" --threads 1 2> "$work/progress.txt" > /dev/null
lines=$(grep -c "^sweep: [0-9]*/6 runs after .* runs/min, ETA .*, 0 failed$" "$work/progress.txt" || true)
[ "$lines" -ge 3 ] || fail "off a terminal the sweep printed $lines progress lines:"$'\n'"$(cat "$work/progress.txt")"

# A varied parameter of a mechanism that never acts within the run's days: plan and sweep warn, naming the line.
cat > "$work/idle.ini" <<INI
include = $small
[run]
days = 20
mechanisms = joint_handling
[district]
communities = 2
[vary]
joint_handling.cohandlers = 1, 2
shock.demand_multiplier_shared = 2, 3
grid.hours_per_day = 7, 8
INI
err=$("$govsim" plan "$work/idle.ini" 2>&1 > /dev/null) || fail "plan of idle.ini failed: $err"
grep -qF "idle.ini:8: [vary] joint_handling.cohandlers: joint_handling first acts on day 29, after the run's 20 days: its levels cannot change any outcome" <<< "$err" ||
  fail "no warning for a mechanism that starts after the last day: $err"
grep -qF "idle.ini:9: [vary] shock.demand_multiplier_shared: shock is in no arm's run.mechanisms" <<< "$err" ||
  fail "no warning for a mechanism that is off: $err"
[ "$(grep -c warning <<< "$err")" = 2 ] || fail "a parameter that acts was warned about: $err"
err=$("$govsim" plan "$work/idle.ini" --set run.days=60 2>&1 > /dev/null)
grep -qF "joint_handling.cohandlers: joint_handling compiles its first list of hard problems on day 149 (the first meeting from joint_handling.campaign_start_day 120), after the run's 60 days: its levels can change only what joint_handling does before that" <<< "$err" ||
  fail "no warning for a list compiled after the last day: $err"
err=$("$govsim" plan "$work/idle.ini" --set run.days=150 2>&1 > /dev/null)
grep -q "cohandlers" <<< "$err" && fail "warned although joint handling lists on day 149 of 150: $err"

# run.start_date: a calendar date, or a one-line error naming the key
err=$("$govsim" run "$small" --set run.start_date=2019-02-29 --out "$work/d.h5" 2>&1) && fail "2019-02-29 accepted"
grep -qF "key 'run.start_date': '2019-02-29' is not a calendar date YYYY-MM-DD" <<< "$err" || fail "start_date: $err"
"$govsim" run "$small" --set run.start_date=2020-02-29 --set run.days=3 --set district.communities=2 --out "$work/d.h5" --quiet ||
  fail "a leap day was refused"
echo "PASS: --help for 13 commands, exact option names, did-you-mean, --force, $lines progress lines off a terminal, idle-parameter warnings, run.start_date"
