"""Checks of govsim calibrate and govsim optimise run by CTest (docs/CALIBRATION.md). FILE is a calibration
file, or an optimisation file (one with [decisions]): then the command is `optimise` and the result
optimisation.h5.

Usage: calibration_checks.py CHECK GOVSIM FILE [options]
  threads          --threads 1 and --threads 2 --jobs 2 give the same result file, and a rerun runs nothing
  kill_resume      killed with SIGKILL at several points and rerun: the same result file as uninterrupted
  bad_input        malformed section lines: one line naming file:line and key, exit 2, no output directory
  synthetic        (CALIBRATION is a plain scenario) data simulated at known parameters: each 95% credible
                   interval covers its true value
  mpi NP MPIBIN    mpirun -np NP MPIBIN calibrate gives the same calibration.h5 as a local run
  slurm RUN_ARRAY  one Slurm allocation of 2 tasks (srun --mpi=pmix MPIBIN calibrate): the same file
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

PY = sys.executable


def run(cmd, expect=0, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if expect is not None and p.returncode != expect:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode} (expected {expect})\n"
                 f"stdout: {p.stdout[-3000:]}\nstderr: {p.stderr[-3000:]}")
    return p


def datasets(f):
    out = {}
    f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return out


def same(a, b):
    """Every dataset equal (NaN equal to NaN), and the root attributes but the creation time and command."""
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        da, db = datasets(fa), datasets(fb)
        if sorted(da) != sorted(db):
            sys.exit(f"FAIL: {a} and {b} hold different datasets: {sorted(set(da) ^ set(db))}")
        for k in da:
            x, y = np.asarray(da[k]), np.asarray(db[k])
            if x.dtype.kind == "f":
                equal = x.shape == y.shape and np.array_equal(x, y, equal_nan=True)
            else:
                equal = x.shape == y.shape and np.array_equal(x, y)
            if not equal:
                sys.exit(f"FAIL: {k} differs between {a} and {b}")
        for k in fa.attrs:
            if k in ("created", "command_line"):
                continue
            if fa.attrs[k] != fb.attrs.get(k):
                sys.exit(f"FAIL: root attribute {k} differs between {a} and {b}")
    return True


COMMAND, RESULT = "calibrate", "calibration.h5"


def calibrate(govsim, cal, out, *extra, expect=0, prefix=()):
    return run([*prefix, govsim, COMMAND, cal, "--out", out, "--quiet", *extra], expect=expect)


BAD = [
    ("[priors]\nnosuch.key = uniform(0, 1)\n", r"unknown key 'nosuch\.key' in \[priors\]"),
    ("[priors]\nopinion.trust_mean = uniform(0.5, 1.5)\n", r"key 'opinion\.trust_mean': the prior uniform\(0\.5, 1\.5\) reaches outside"),
    ("[priors]\nopinion.trust_mean = normal(0.5, 0.1)\n", r"use truncnormal"),
    ("[priors]\nopinion.trust_mean = beta(1, 2)\n", r"key 'opinion\.trust_mean': unknown prior 'beta'"),
    ("[priors]\ndownshift.variant = uniform(0, 1)\n", r"key 'downshift\.variant': a prior needs a numeric parameter"),
    ("[priors]\nrun.days = uniform(10, 20)\n", r"key 'run\.days': run\.\* cannot be calibrated"),
    ("[targets]\nx = mean:share_aware over 150-100 ~ 0.8 +- 0.01\n", r"key 'x': window 'over 150-100'"),
    ("[targets]\nx = mean:share_aware ~ 0.8 +- 0\n", r"key 'x': SE must be a positive number"),
    ("[targets]\nx = mean:no_such_series ~ 0.8 +- 0.1\n", r"key 'x': unknown metric 'mean:no_such_series'"),
    ("[targets]\nx = share aware 0.8\n", r"key 'x': expected 'METRIC \[over FIRST-LAST\] ~ OBSERVED \+- SE'"),
    ("[targets]\nx-y = mean trust ~ 0.8 +- 0.1\n", r"key 'x-y': a name takes letters"),
    ("[calibration]\nparticles = 1\n", r"key 'calibration\.particles': expected an integer in \[2, 1000000\]"),
    ("[calibration]\nsamples = 10\n", r"unknown key 'calibration\.samples'"),
    ("[calibration]\ntolerances = 3, 2, 2.5\n", r"key 'calibration\.tolerances': expected decreasing"),
    ("[arms]\na = opinion.trust_mean=0.5\n", r"\[arms\] is not allowed"),
]


BAD_OPTIMISATION = [
    ("[decisions]\nnosuch.key = [0, 1]\n", r"unknown key 'nosuch\.key' in \[decisions\]"),
    ("[decisions]\ngrid.workers_per_grid = [0, 1]\n", r"key 'grid\.workers_per_grid': bounds \[0, 1\] reach outside"),
    ("[decisions]\ngrid.workers_per_grid = 1, 2\n", r"key 'grid\.workers_per_grid': expected bounds \[lo, hi\]"),
    ("[decisions]\nrun.days = [10, 20]\n", r"key 'run\.days': run\.\* cannot be a decision"),
    ("[decisions]\ndistrict.district_leaders = [3.2, 3.7]\n", r"key 'district\.district_leaders': an integer parameter needs a whole number"),
    ("[objectives]\nx = lower cost (million yuan/year)\n", r"key 'x': expected 'minimise METRIC' or 'maximise METRIC'"),
    ("[objectives]\nx = minimise mean:no_such_series\n", r"key 'x': unknown metric 'mean:no_such_series'"),
    ("[constraints]\nx = mean trust < 3\n", r"key 'x': expected 'METRIC \[over FIRST-LAST\] <= VALUE'"),
    ("[constraints]\nx = mean trust <= many\n", r"key 'x': the bound must be a number"),
    ("[constraints]\ncost = mean trust <= 1\n", r"key 'cost': an objective and a constraint share this name"),
    ("[optimise]\npopulation = 7\n", r"key 'optimise\.population': expected an even integer"),
    ("[optimise]\nparticles = 7\n", r"unknown key 'optimise\.particles'"),
    ("[priors]\nopinion.trust_mean = uniform(0, 1)\n", r"an optimisation file has no"),
]


def main():
    global COMMAND, RESULT
    check, govsim, cal, *rest = sys.argv[1:]
    if check != "synthetic" and "[decisions]" in open(cal).read():
        COMMAND, RESULT = "optimise", "optimisation.h5"
    tmp = tempfile.mkdtemp(prefix="govsim-cal-")
    try:
        ref_dir = os.path.join(tmp, "ref")
        ref = os.path.join(ref_dir, RESULT)
        if check == "threads":
            calibrate(govsim, cal, ref_dir, "--threads", "2", "--jobs", "2")
            t1 = os.path.join(tmp, "t1")
            calibrate(govsim, cal, t1, "--threads", "1")
            same(ref, os.path.join(t1, RESULT))
            # A rerun into the same directory runs nothing and writes the same file.
            p = run([govsim, COMMAND, cal, "--out", t1, "--threads", "1"])
            if not re.search(r" 0 (simulations|runs) run now", p.stdout):
                sys.exit(f"FAIL: a finished {COMMAND} ran simulations again:\n" + p.stdout)
            same(ref, os.path.join(t1, RESULT))
            print(f"PASS: govsim {COMMAND}: the same result at 1 and 2 threads, and after a rerun (nothing run again)")
        elif check == "kill_resume":
            start = time.time()
            calibrate(govsim, cal, ref_dir, "--threads", "2")
            wall = time.time() - start
            d = os.path.join(tmp, "resumed")
            kills = 0
            for attempt in range(1, 30):
                before = sum(len(fs) for _, _, fs in os.walk(d)) if os.path.isdir(d) else 0
                p = subprocess.Popen([govsim, COMMAND, cal, "--out", d, "--quiet", "--threads", "2"])
                # Let it make progress (more files than before), then kill it a little later each time.
                while p.poll() is None and (sum(len(fs) for _, _, fs in os.walk(d)) if os.path.isdir(d) else 0) <= before + 1:
                    time.sleep(0.005)
                time.sleep(wall / 8 * ((attempt * 7) % 10) / 10)
                if p.poll() is None:
                    p.send_signal(signal.SIGKILL)
                    p.wait()
                    kills += 1
                else:
                    if p.returncode != 0:
                        sys.exit(f"FAIL: attempt {attempt} exited {p.returncode}")
                    break
            if kills < 2:
                sys.exit(f"FAIL: only {kills} calibration(s) were interrupted")
            calibrate(govsim, cal, d, "--threads", "2")
            same(ref, os.path.join(d, RESULT))
            left = [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs if ".tmp." in f]
            if left:
                sys.exit(f"FAIL: temporary files left: {left[:5]}")
            print(f"PASS: govsim {COMMAND}: {kills} kills, then the same {RESULT} as an uninterrupted run")
        elif check == "bad_input":
            base = os.path.abspath(cal)
            cases = BAD_OPTIMISATION if COMMAND == "optimise" else BAD
            for i, (section, pattern) in enumerate(cases):
                path = os.path.join(tmp, f"bad{i}.ini")
                with open(path, "w") as f:
                    f.write(f"include = {base}\n{section}")
                out = os.path.join(tmp, f"out{i}")
                p = run([govsim, COMMAND, path, "--out", out], expect=2)
                lines = p.stderr.strip().splitlines()
                if len(lines) != 1 or not lines[0].startswith("govsim: ") or not re.search(pattern, lines[0]):
                    sys.exit(f"FAIL: case {i} ({section.strip()!r}): expected one line matching {pattern!r}, "
                             f"got {p.stderr!r}")
                if f"bad{i}.ini:" not in lines[0] and "command line" not in lines[0]:
                    sys.exit(f"FAIL: case {i}: the message names no file and line: {lines[0]}")
                if os.path.exists(out):
                    sys.exit(f"FAIL: case {i}: {out} was created")
            print(f"PASS: govsim {COMMAND}: {len(cases)} malformed files refused with one line each, nothing written")
        elif check == "synthetic":
            synthetic(govsim, cal, tmp)
        elif check == "mpi":
            np_, mpibin = rest
            calibrate(govsim, cal, ref_dir, "--threads", "2")
            d = os.path.join(tmp, "mpi")
            env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                       OMPI_MCA_rmaps_base_oversubscribe="1")
            run(["mpirun", "-np", np_, mpibin, COMMAND, cal, "--out", d, "--quiet", "--threads", "1"], env=env,
                timeout=280)
            same(ref, os.path.join(d, RESULT))
            print(f"PASS: govsim {COMMAND}: mpirun -np {np_} gives the same result as a local run")
        elif check == "slurm":
            run_array, mpibin = rest
            calibrate(govsim, cal, ref_dir, "--threads", "2")
            d = os.path.join(tmp, "slurm")
            work = os.path.join(tmp, "job")
            run([run_array, "--array", "0", "--dir", work, "--timeout", "300", "--sbatch", "--ntasks=2",
                 "--", "srun", "--mpi=pmix", "-n", "2", mpibin, COMMAND,
                 os.path.abspath(cal), "--out", d, "--quiet", "--threads", "1"], timeout=360)
            same(ref, os.path.join(d, RESULT))
            print(f"PASS: govsim {COMMAND}: one Slurm allocation of 2 tasks gives the same result as a local run")
        else:
            sys.exit(f"unknown check {check}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def synthetic(govsim, scenario, tmp):
    """Observed values simulated by govsim at known parameters; the calibration must cover them.

    SCENARIO is a plain scenario (no calibration sections): it is run once at the true values, and the
    calibration file written here includes it."""
    truth = {"opinion.trust_mean": 0.7, "joint_handling.publicity_reach": 0.2}
    sim = os.path.join(tmp, "truth.h5")
    sets = [a for k, v in truth.items() for a in ("--set", f"{k}={v}")]
    run([govsim, "run", scenario, "--out", sim, "--quiet", "--set", "run.seed=424242", "--set", "run.replicates=1",
         *sets])
    with h5py.File(sim, "r") as f:
        aware = float(np.nanmean(f["series/share_aware"][0, 100:200]))
        good = float(np.nanmean(f["series/share_committee_good"][0, 100:200]))
    own = os.path.join(tmp, "synthetic.ini")
    with open(own, "w") as f:
        f.write(f"include = {os.path.abspath(scenario)}\n"
                "[calibration]\nparticles = 100\ngenerations = 15\ness_keep = 0.5\ntolerance = 1.0\n"
                "max_moves = 3\nmin_acceptance = 0.03\npredictive = 0\nseed = 3\n[priors]\n"
                "opinion.trust_mean = uniform(0.3, 0.95)\njoint_handling.publicity_reach = loguniform(0.01, 1)\n"
                f"[targets]\naware = mean:share_aware over 100-199 ~ {aware!r} +- 0.015\n"
                f"rated_good = mean:share_committee_good over 100-199 ~ {good!r} +- 0.015\n")
    out = os.path.join(tmp, "syn")
    p = run([govsim, "calibrate", own, "--out", out, "--threads", "2"])
    print(p.stdout)
    with h5py.File(os.path.join(out, "calibration.h5"), "r") as f:
        names = [n.decode() if isinstance(n, bytes) else n for n in f["parameters/name"][()]]
        lo, hi = f["posterior/q025"][()], f["posterior/q975"][()]
        tol = f["generations/tolerance"][()]
        sd = f["posterior/sd"][()]
    for j, n in enumerate(names):
        if not lo[j] <= truth[n] <= hi[j]:
            sys.exit(f"FAIL: {n} = {truth[n]} outside its 95% interval [{lo[j]:.4g}, {hi[j]:.4g}]")
        print(f"{n}: truth {truth[n]} within [{lo[j]:.4g}, {hi[j]:.4g}]")
    if not tol[-1] <= 3.0:
        sys.exit(f"FAIL: the tolerance only fell to {tol[-1]:.3g} standard errors ({tol})")
    # The data inform the rating's parameter: its posterior sd is well below the prior's (0.65/sqrt(12)).
    j = names.index("opinion.trust_mean")
    if not sd[j] < 0.5 * 0.65 / 12 ** 0.5:
        sys.exit(f"FAIL: opinion.trust_mean's posterior sd {sd[j]:.3g} is not below half its prior's")
    print("PASS: data simulated at known parameters; each 95% credible interval covers the truth")


if __name__ == "__main__":
    main()
