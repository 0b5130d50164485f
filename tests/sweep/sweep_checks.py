"""Sweep checks run by CTest: each compares a way of running an experiment with a plain local sweep.

Usage: sweep_checks.py CHECK GOVSIM EXPERIMENT [options]
  threads        --threads 1 / --threads 2 --jobs 2 / --threads 2 --jobs 1 give the same file
  shards_merge   four --shard i/4 runs, merged (virtual and --copy), equal the local sweep
  changed        a changed experiment is refused (exit 2, one line) unless --allow-changed
  failure        a run that throws is recorded (status, message), the sweep goes on, exit 1; a rerun retries it
  progress       --json-progress prints one JSON line per run on stderr
  mpi NP MPIBIN  mpirun -np NP MPIBIN sweep, merged, equals the local sweep
  slurm          govsim slurm script (4-task array) submitted to the test cluster, merged, equals local
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PY = sys.executable


def run(cmd, expect=0, env=None, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, **kw)
    if expect is not None and p.returncode != expect:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode} (expected {expect})\n"
                 f"stdout: {p.stdout[-3000:]}\nstderr: {p.stderr[-3000:]}")
    return p


def same(a, b):
    run([PY, os.path.join(HERE, "compare_results.py"), a, b])


def check_dir(d, f, *extra):
    run([PY, os.path.join(HERE, "check_sweep_dir.py"), d, f, *extra])


def local(govsim, exp, tmp, *extra):
    d = os.path.join(tmp, "local")
    run([govsim, "sweep", exp, "--out", d, "--quiet", "--threads", "2", *extra])
    f = os.path.join(d, "shard-0-of-1.h5")
    check_dir(d, f)
    return f


def main():
    check, govsim, exp, *rest = sys.argv[1:]
    tmp = tempfile.mkdtemp(prefix="govsim-sweep-")
    try:
        if check == "threads":
            ref = local(govsim, exp, tmp)
            for i, opts in enumerate([["--threads", "1"], ["--threads", "2", "--jobs", "1"],
                                      ["--threads", "3", "--jobs", "2"]]):
                d = os.path.join(tmp, f"t{i}")
                run([govsim, "sweep", exp, "--out", d, "--quiet", *opts])
                same(ref, os.path.join(d, "shard-0-of-1.h5"))
            print("PASS: same results at 1, 2 and 3 threads, one run at a time or two")
        elif check == "shards_merge":
            ref = local(govsim, exp, tmp)
            d = os.path.join(tmp, "sharded")
            for i in range(4):
                run([govsim, "sweep", exp, "--out", d, "--quiet", "--shard", f"{i}/4", "--threads", "1"])
            for mode in ([], ["--copy"]):
                out = os.path.join(tmp, f"merged{'_copy' if mode else ''}.h5")
                run([govsim, "merge", d, "--out", out, *mode])
                check_dir(d, out)
                same(ref, out)
            # A shard missing: merge refuses.
            os.remove(os.path.join(d, "shard-2-of-4.h5"))
            p = run([govsim, "merge", d, "--out", os.path.join(tmp, "partial.h5")], expect=None)
            if p.returncode == 0 or os.path.exists(os.path.join(tmp, "partial.h5")):
                sys.exit("FAIL: merge of an incomplete sweep succeeded")
            print("PASS: 4 shards merged (virtual and copy) equal the local sweep; an incomplete one is refused")
        elif check == "changed":
            d = os.path.join(tmp, "d")
            run([govsim, "sweep", exp, "--out", d, "--quiet"])
            p = run([govsim, "sweep", exp, "--out", d, "--quiet", "--set", "run.days=30"], expect=2)
            lines = p.stderr.strip().splitlines()
            if len(lines) != 1 or "different experiment" not in lines[0]:
                sys.exit(f"FAIL: expected one line about a different experiment, got {p.stderr!r}")
            p = run([govsim, "sweep", exp, "--out", d, "--set", "run.days=30", "--allow-changed"])
            check_dir(d, os.path.join(d, "shard-0-of-1.h5"))
            print("PASS: a changed experiment is refused, and runs with --allow-changed")
        elif check == "failure":
            d = os.path.join(tmp, "d")
            env = dict(os.environ, GOVSIM_TEST_FAIL_RUNS="1,4")
            p = run([govsim, "sweep", exp, "--out", d], expect=1, env=env)
            if "2 run(s) failed" not in p.stdout:
                sys.exit(f"FAIL: the summary does not report the failures: {p.stdout!r}")
            f = os.path.join(d, "shard-0-of-1.h5")
            check_dir(d, f, "--expect-failed", "1,4")
            import h5py
            import numpy as np
            with h5py.File(f, "r") as h:
                msg = h["runs/message"][1]
                msg = msg.decode() if isinstance(msg, bytes) else msg
                if "injected failure" not in msg:
                    sys.exit(f"FAIL: message of the failed run: {msg!r}")
                if not np.isnan(h["series/n_open_cases"][1]).all():
                    sys.exit("FAIL: a failed run's series are not NaN")
                if np.isnan(h["series/n_open_cases"][0]).any():
                    sys.exit("FAIL: an ok run's series hold NaN")
            run([govsim, "sweep", exp, "--out", d, "--quiet"])  # retried, now without the injected failure
            check_dir(d, f)
            same(local(govsim, exp, tmp), f)
            print("PASS: failed runs recorded with status and message, exit 1, retried on rerun")
        elif check == "progress":
            d = os.path.join(tmp, "d")
            p = run([govsim, "sweep", exp, "--out", d, "--json-progress"])
            events = [json.loads(line) for line in p.stderr.splitlines() if line.startswith("{")]
            total = events[0]["total"]
            finished = [e for e in events if e["status"] in ("ok", "failed", "skipped")]
            if len(finished) != total or events[-1]["done"] != total or events[-1]["failed"] != 0:
                sys.exit(f"FAIL: {len(finished)} run events for {total} runs: {events[-1]}")
            if not all(e["runs_per_min"] > 0 for e in finished):
                sys.exit("FAIL: runs per minute not reported")
            p = run([govsim, "sweep", exp, "--out", d], expect=0)
            if p.stderr.strip():
                sys.exit(f"FAIL: not a terminal, yet progress was printed: {p.stderr!r}")
            print(f"PASS: {total} JSON progress lines; quiet when not a terminal")
        elif check == "mpi":
            np_, mpibin = rest
            ref = local(govsim, exp, tmp)
            d = os.path.join(tmp, "mpi")
            env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                       OMPI_MCA_rmaps_base_oversubscribe="1", OMP_NUM_THREADS="1")
            p = run(["mpirun", "-np", np_, mpibin, "sweep", exp, "--out", d], env=env)
            files = sorted(x for x in os.listdir(d) if x.startswith("rank-"))
            if len(files) != int(np_):
                sys.exit(f"FAIL: expected {np_} rank files, got {files}\n{p.stdout}")
            out = os.path.join(tmp, "merged.h5")
            run([govsim, "merge", d, "--out", out])
            check_dir(d, out)
            same(ref, out)
            print(f"PASS: mpirun -np {np_}: {len(files)} rank files, merged, equal to the local sweep\n{p.stdout}")
        elif check == "slurm":
            ref = local(govsim, exp, tmp)
            d = os.path.join(tmp, "slurm")
            p = run([govsim, "slurm", exp, "--out", d, "--shards", "4", "--cpus-per-task", "1", "--pilot-days", "10"])
            script = os.path.join(d, "sweep.sbatch")
            text = open(script).read()
            for want in ("#SBATCH --array=0-3", "#SBATCH --time=", "#SBATCH --mem="):
                if want not in text:
                    sys.exit(f"FAIL: {want} not in the script:\n{text}")
            # The script as written, submitted as it is: its #SBATCH lines size the array.
            job = run(["sbatch", "--parsable", script]).stdout.strip().split(";")[0]
            deadline = time.time() + 300
            while run(["squeue", "-h", "-j", job], expect=None).stdout.strip():
                if time.time() > deadline:
                    run(["scancel", job], expect=None)
                    sys.exit(f"FAIL: Slurm job {job} did not finish in 300 s")
                time.sleep(0.5)
            logs = sorted(os.listdir(os.path.join(d, "slurm")))
            if len(logs) != 4:
                sys.exit(f"FAIL: expected 4 task logs in {d}/slurm, got {logs}")
            files = sorted(x for x in os.listdir(d) if x.startswith("shard-"))
            if files != [f"shard-{i}-of-4.h5" for i in range(4)]:
                tails = "".join(open(os.path.join(d, "slurm", x)).read()[-500:] for x in logs)
                sys.exit(f"FAIL: shard files {files}; task logs:\n{tails}")
            out = os.path.join(tmp, "merged.h5")
            run([govsim, "merge", d, "--out", out])
            check_dir(d, out)
            same(ref, out)
            print(f"PASS: a 4-task Slurm array, merged, equals the local sweep\n{p.stdout}")
        else:
            sys.exit(f"unknown check {check}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
