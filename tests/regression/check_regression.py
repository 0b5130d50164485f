#!/usr/bin/env python3
"""Compares a run's summary JSON with the stored expectation; --update rewrites the expectation.

Usage: check_regression.py GOVSIM SCENARIO EXPECTED.json [--update]
"""
import json
import math
import os
import subprocess
import sys
import tempfile

REL_TOL = 1e-9  # same binary, same platform: results are bit-reproducible; allow only printing noise


def main(argv):
    if len(argv) < 4:
        print(__doc__)
        return 2
    govsim, scenario, expected_path = argv[1:4]
    update = "--update" in argv[4:]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.h5")
        summary = os.path.join(tmp, "summary.json")
        proc = subprocess.run([govsim, "run", scenario, "--out", out, "--summary-json", summary, "--quiet"],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            print("FAIL: govsim exited", proc.returncode, proc.stderr.strip())
            return 1
        with open(summary) as f:
            got = json.load(f)
    if update:
        with open(expected_path, "w") as f:
            json.dump(got, f, indent=2, sort_keys=True)
            f.write("\n")
        print("updated", expected_path)
        return 0
    with open(expected_path) as f:
        want = json.load(f)
    bad = []
    if sorted(got["arms"]) != sorted(want["arms"]):
        bad.append("arms %s != %s" % (sorted(got["arms"]), sorted(want["arms"])))
    for arm in sorted(set(got["arms"]) & set(want["arms"])):
        g, w = got["arms"][arm], want["arms"][arm]
        for key in sorted(set(g) | set(w)):
            a_vals, b_vals = g.get(key), w.get(key)
            if a_vals is None or b_vals is None or len(a_vals) != len(b_vals):
                bad.append("%s: %s missing or of another length" % (arm, key))
                continue
            for i, (x, y) in enumerate(zip(a_vals, b_vals)):
                # Strict JSON writes NaN as null (a share with no cases, e.g. a run shorter than six months).
                x = math.nan if x is None else x
                y = math.nan if y is None else y
                if not (math.isclose(x, y, rel_tol=REL_TOL, abs_tol=1e-12) or (math.isnan(x) and math.isnan(y))):
                    bad.append("%s replicate %d: %s = %r, expected %r" % (arm, i, key, x, y))
    if bad:
        print("FAIL: regression summary differs from %s:" % expected_path)
        for line in bad:
            print("  " + line)
        print("If the change is intended, run scripts/update-regression.sh and commit the new expectation.")
        return 1
    n = sum(len(next(iter(v.values()))) for v in want["arms"].values())
    print("PASS: %d runs match %s" % (n, expected_path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
