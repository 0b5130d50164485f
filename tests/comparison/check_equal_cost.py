#!/usr/bin/env python3
"""scenarios/equal_cost.ini adds what it says: each mechanism arm's recorded added cost is within 10 % of the
budget the file states (60,000 yuan per community a year), and the baseline adds nothing.

Usage: check_equal_cost.py GOVSIM SCENARIO [COMMUNITIES DAYS]
The scenario is run shrunk (default 20 communities, 120 days, 2 replicates), with the registered in-service
members kept at the file's 168 per community (the dual-registration arm's scale is per member).
"""
import json
import os
import subprocess
import sys
import tempfile

BUDGET_PER_COMMUNITY = 60000.0  # yuan a year, as scenarios/equal_cost.ini states
MEMBERS_PER_COMMUNITY = 168     # district.in_service_members / district.communities at the defaults
TOLERANCE = 0.10
ROW = "added cost (million yuan/year)"


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    govsim, scenario = argv[1:3]
    communities = int(argv[3]) if len(argv) > 3 else 20
    days = int(argv[4]) if len(argv) > 4 else 120
    with tempfile.TemporaryDirectory() as tmp:
        table = os.path.join(tmp, "table.json")
        proc = subprocess.run([govsim, "run", scenario, "--quiet", "--out", os.path.join(tmp, "e.h5"),
                               "--summary-json", table, "--set", "district.communities=%d" % communities,
                               "--set", "district.in_service_members=%d" % (MEMBERS_PER_COMMUNITY * communities),
                               "--set", "run.days=%d" % days, "--set", "run.replicates=2"],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            print("FAIL: govsim exited %d: %s" % (proc.returncode, proc.stderr.strip()))
            return 1
        arms = json.load(open(table))["arms"]
    budget = BUDGET_PER_COMMUNITY * communities / 1e6
    failed = 0
    print("budget: %.4f million yuan/year (%d communities, %d days)" % (budget, communities, days))
    for arm, rows in arms.items():
        added = sum(rows[ROW]) / len(rows[ROW])
        per_resolved = sum(rows["cost per resolved demand (yuan)"]) / len(rows[ROW])
        want = 0.0 if arm == "baseline" else budget
        ok = abs(added - want) <= TOLERANCE * budget
        failed += not ok
        print("%s: %-20s added %.4f (%+.1f %% of the budget), cost per resolved demand %.1f yuan" %
              ("PASS" if ok else "FAIL", arm, added, 100 * (added - want) / budget, per_resolved))
    print("%d passed, %d failed" % (len(arms) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
