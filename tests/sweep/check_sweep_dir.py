"""Checks a sweep directory: every planned run is in the given result file exactly once, in plan order,
with status ok (or the statuses given), and the file's /runs/run_hash matches DIR/plan.tsv.

Usage: check_sweep_dir.py DIR FILE.h5 [--expect-failed INDEX,...]
"""
import sys

import h5py


def main():
    args = sys.argv[1:]
    expect_failed = set()
    if "--expect-failed" in args:
        i = args.index("--expect-failed")
        expect_failed = {int(x) for x in args[i + 1].split(",") if x}
        del args[i:i + 2]
    sweep_dir, path = args
    with open(f"{sweep_dir}/plan.tsv") as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]
    planned = [r["run_id"] for r in rows]
    with h5py.File(path, "r") as h:
        hashes = [x.decode() if isinstance(x, bytes) else x for x in h["runs/run_hash"][()]]
        index = list(h["runs/index"][()])
        status = [x.decode() if isinstance(x, bytes) else x for x in h["runs/status"][()]]
        message = [x.decode() if isinstance(x, bytes) else x for x in h["runs/message"][()]]
        n_series = len(h["series"])
    problems = []
    if len(set(hashes)) != len(hashes):
        problems.append(f"{len(hashes) - len(set(hashes))} run(s) appear more than once")
    if hashes != planned:
        missing = [i for i, h in enumerate(planned) if h not in hashes]
        problems.append(f"runs differ from the plan: {len(hashes)} in the file, {len(planned)} planned, "
                        f"missing table rows {missing[:10]}")
    if index != list(range(len(planned))):
        problems.append("/runs/index is not the table order 0..N-1")
    for i, (s, m) in enumerate(zip(status, message)):
        want = "failed" if i in expect_failed else "ok"
        if s != want:
            problems.append(f"row {i}: status {s!r} ({m!r}), expected {want!r}")
        if s == "failed" and not m:
            problems.append(f"row {i}: failed without a message")
    if n_series < 20:
        problems.append(f"only {n_series} series")
    if problems:
        print("FAIL: " + "; ".join(problems))
        return 1
    print(f"PASS: {len(planned)} planned runs, each present once in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
