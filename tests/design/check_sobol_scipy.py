#!/usr/bin/python3
"""The C++ Sobol' points (govsim_print_sobol) equal scipy.stats.qmc.Sobol(d, scramble=False) exactly.

Usage: check_sobol_scipy.py GOVSIM_PRINT_SOBOL
Checks the first 1,024 points in 10 dimensions, 256 points after skipping 37 (scipy's fast_forward) in
3 dimensions, and 64 points in the last supported dimensions (991..1000).
"""
import subprocess
import sys
import warnings

import numpy as np
from scipy.stats import qmc

exe = sys.argv[1]
warnings.simplefilter("ignore")  # scipy warns when n is not a power of two


def cpp(n, d, skip=0):
    out = subprocess.run([exe, str(n), str(d), str(skip)], check=True, capture_output=True, text=True).stdout
    return np.array([[float(x) for x in line.split()] for line in out.splitlines()])


def scipy_points(n, d, skip=0):
    s = qmc.Sobol(d, scramble=False)
    if skip:
        s.fast_forward(skip)
    return s.random(n)


failures = 0
for n, d, skip, cols in [(1024, 10, 0, slice(None)), (256, 3, 37, slice(None)), (64, 1000, 0, slice(990, 1000))]:
    a, b = cpp(n, d, skip)[:, cols], scipy_points(n, d, skip)[:, cols]
    if a.shape != b.shape or not np.array_equal(a, b):
        bad = np.argwhere(a != b) if a.shape == b.shape else []
        print(f"FAIL n={n} d={d} skip={skip}: shapes {a.shape} {b.shape}, first differences {bad[:5].tolist()}")
        failures += 1
    else:
        print(f"ok   n={n} d={d} skip={skip}: {a.size} coordinates identical")
sys.exit(1 if failures else 0)
