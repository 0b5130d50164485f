#!/usr/bin/env python3
"""A comparison file: every run has every metric (NaN where its arm lacks the mechanism) and each arm's
mechanisms describe themselves under /mechanisms/<arm>/<name>.

Usage: check_comparison_file.py FILE.h5
"""
import sys

import h5py
import numpy as np


def main(path):
    bad = []
    with h5py.File(path, "r") as f:
        arms = [a.decode() if isinstance(a, bytes) else a for a in f["runs/arm"][()]]
        mechs = [m.decode() if isinstance(m, bytes) else m for m in f["runs/run.mechanisms"][()]]
        for name, mechanism in [("new_jh_listed", "joint_handling"), ("mean_unit_engagement", "joint_handling")]:
            x = f["series/" + name][()]
            for i, (arm, m) in enumerate(zip(arms, mechs)):
                on = mechanism in m.split(",")
                if on and np.isnan(x[i]).any():
                    bad.append("%s: NaN in run %d (%s) although %s is on" % (name, i, arm, mechanism))
                if not on and not np.isnan(x[i]).all():
                    bad.append("%s: values in run %d (%s) although %s is off" % (name, i, arm, mechanism))
        for arm, m in sorted(set(zip(arms, mechs))):
            for name in filter(None, m.split(",")):
                if "mechanisms/%s/%s" % (arm, name) not in f:
                    bad.append("missing /mechanisms/%s/%s" % (arm, name))
        variant = f["mechanisms/downshift_staffed/downshift"].attrs["variant"]
        if variant != "staffed":
            bad.append("downshift_staffed describes variant %r" % variant)
    for b in bad:
        print("FAIL: " + b)
    print("PASS: comparison file layout" if not bad else "%d problems" % len(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
