#!/usr/bin/env python3
"""The comparison's acceptance facts, as tests: paired 95% intervals (common random numbers) that exclude zero.

Usage: check_comparison.py GOVSIM SCENARIO
  1. joint handling closes more hard problems than the baseline;
  2. tasks-only down-shifting raises grid-worker utilisation above down-shifting with staff and funds;
  3. ... and raises the median and 90th-percentile resolution time.
"""
import json
import math
import os
import subprocess
import sys
import tempfile

# t_{0.975, df}, df = 1..30
T975 = [12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
        2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963,
        2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272]


def paired(a, b):
    d = [x - y for x, y in zip(a, b)]
    n = len(d)
    mean = sum(d) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in d) / (n - 1))
    half = (T975[n - 2] if n - 1 <= 30 else 1.96) * sd / math.sqrt(n)
    return mean, mean - half, mean + half


def main(argv):
    govsim, scenario = argv[1:3]
    with tempfile.TemporaryDirectory() as tmp:
        table = os.path.join(tmp, "table.json")
        proc = subprocess.run([govsim, "run", scenario, "--out", os.path.join(tmp, "c.h5"), "--summary-json", table],
                              capture_output=True, text=True)
        print(proc.stdout)
        if proc.returncode != 0:
            print("FAIL: govsim exited %d: %s" % (proc.returncode, proc.stderr.strip()))
            return 1
        arms = json.load(open(table))["arms"]
    checks = [
        ("joint handling closes more hard problems than the baseline",
         "joint_handling", "baseline", "hard problems closed"),
        ("tasks-only down-shifting raises utilisation above staffed down-shifting",
         "downshift_tasks", "downshift_staffed", "grid-worker utilisation"),
        ("tasks-only down-shifting raises the median resolution time above staffed",
         "downshift_tasks", "downshift_staffed", "median resolution (h)"),
        ("tasks-only down-shifting raises the p90 resolution time above staffed",
         "downshift_tasks", "downshift_staffed", "p90 resolution (h)"),
    ]
    failed = 0
    for text, a, b, metric in checks:
        mean, lo, hi = paired(arms[a][metric], arms[b][metric])
        ok = lo > 0
        failed += not ok
        print("%s: %s - %s, %s: %+.4g [%+.4g, %+.4g] -> %s" % ("PASS" if ok else "FAIL", a, b, metric, mean, lo, hi,
                                                                 text))
    print("%d passed, %d failed" % (len(checks) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
