#!/usr/bin/python3
"""`govsim merge` on a fake sweep directory (tests/merge/make_fake_sweep.cpp): virtual and copy mode.

Usage:
    /usr/bin/python3 tests/merge/check_merge.py GOVSIM MAKE_FAKE_SWEEP SCENARIO.ini WORKDIR

Checks that both merged files equal the local-sweep file the generator writes (tests/sweep/compare_results.py),
that every value comes from the chosen source row (ok rows preferred, padded communities and missing
metrics NaN), that /series/* are virtual datasets with one mapping per source file and relative source names,
that h5py and xarray (h5netcdf) read them from another working directory and after moving the sweep
directory and the merged file together, and the command's exit codes and messages. Prints PASS or FAIL lines
and exits 0 if all pass.
"""

import os
import shutil
import subprocess
import sys
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "sweep"))
import compare_results  # noqa: E402

import h5py  # noqa: E402
import numpy as np  # noqa: E402

# Plan index -> (file, row) that merge must pick (see make_fake_sweep.cpp).
PICKS = {
    0: ("shard-0-of-3.h5", 0),
    1: ("shard-1-of-3.h5", 0),
    2: ("shard-2-of-3.h5", 0),  # rank-0 has a failed row for it: ok wins
    3: ("shard-0-of-3.h5", 1),
    4: ("shard-1-of-3.h5", 1),
    5: ("rank-1-of-3.h5", 0),  # failed in shard 2; fewer communities
    6: ("rank-0-of-3.h5", 0),  # failed in shard 0
    7: ("rank-2-of-3.h5", 0),  # failed everywhere: the failure is recorded
}
# The files in order of first use: /combined_from.
FILES = ["shard-0-of-3.h5", "shard-1-of-3.h5", "shard-2-of-3.h5", "rank-1-of-3.h5", "rank-0-of-3.h5",
         "rank-2-of-3.h5"]

failures = []


def check(name, cond, detail=""):
    print("%s %s%s" % ("PASS" if cond else "FAIL", name, "" if cond else ": " + detail))
    if not cond:
        failures.append(name)


def run(cmd, cwd=None):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def equal_nan(a, b):
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


def check_against_sources(tag, merged, sweep):
    """Every merged value equals its source row's (NaN where the source lacks it, padded communities NaN)."""
    bad = []
    with h5py.File(merged, "r") as f:
        C = f["community"].shape[0]
        for idx, (name, row) in PICKS.items():
            with h5py.File(os.path.join(sweep, name), "r") as s:
                Cs = s["community"].shape[0]
                for m in f["series"]:
                    want = s["series/" + m][row] if "series/" + m in s else np.full(f["day"].shape[0], np.nan)
                    if not equal_nan(f["series/" + m][idx], want):
                        bad.append("series/%s row %d" % (m, idx))
                for m in f["series_by_community"]:
                    got = f["series_by_community/" + m][idx]
                    want = np.full(got.shape, np.nan, dtype=got.dtype)
                    if "series_by_community/" + m in s:
                        want[:Cs] = s["series_by_community/" + m][row]
                    if not equal_nan(got, want):
                        bad.append("series_by_community/%s row %d" % (m, idx))
                for c, pad in (("street", -1), ("n_residents", 0), ("n_grids", 0), ("type", -1)):
                    want = np.full(C, pad, dtype=np.int32)
                    want[:Cs] = s["communities/" + c][row]
                    if not np.array_equal(f["communities/" + c][idx], want):
                        bad.append("communities/%s row %d" % (c, idx))
                for col in f["runs"]:
                    if col in ("run_id", "pair"):
                        continue
                    got = f["runs/" + col][idx]
                    if col not in s["runs"]:
                        continue
                    want = s["runs/" + col][row]
                    if isinstance(got, float):
                        ok = got == want or (np.isnan(got) and np.isnan(want))
                    else:
                        ok = got == want
                    if not ok:
                        bad.append("runs/%s row %d: %r vs %r" % (col, idx, got, want))
        if not np.array_equal(f["runs/run_id"][()], np.arange(len(PICKS))):
            bad.append("run_id not 0..R-1")
        if not np.array_equal(f["runs/index"][()], np.arange(len(PICKS))):
            bad.append("index not in plan order")
    check("%s.values_from_source_rows" % tag, not bad, "; ".join(bad[:8]))


def check_layout(tag, merged, virtual, sweep_rel):
    with h5py.File(merged, "r") as f:
        check("%s.root_attributes" % tag,
              f.attrs["merged"] == ("virtual" if virtual else "copy") and f.attrs["schema_version"] == 1
              and "merge" in f.attrs["command_line"].split()
              and f.attrs["combined_from"].split("\n") == [os.path.join(sweep_rel, n) for n in FILES],
              "merged=%r combined_from=%r command_line=%r" % (f.attrs.get("merged"), f.attrs.get("combined_from"),
                                                              f.attrs.get("command_line")))
        series = [f["series/" + m] for m in f["series"]] + [f["series_by_community/" + m]
                                                           for m in f["series_by_community"]]
        check("%s.series_virtual" % tag, all(d.is_virtual == virtual for d in series),
              "is_virtual differs from %s" % virtual)
        check("%s.others_copied" % tag,
              not any(f[p].is_virtual for p in ("communities/street", "runs/seed", "time/day", "run")))
        dims_ok = all([list(d.dims[k].keys()) for k in range(d.ndim)] in (
            [["run"], ["day"]], [["run"], ["community"], ["day"]]) for d in series)
        check("%s.scales_attached" % tag, dims_ok)
        check("%s.attributes_copied" % tag, f["series/n_open_cases"].attrs["units"] == "1"
              and f["series/n_open_cases"].attrs["display_units"] == "cases"
              and f["series/n_open_cases"].attrs["kind"] == "stock" and "long_name" in f["runs/pair"].attrs)
        check("%s.mechanisms" % tag, list(f["mechanisms"]) == ["jh"]
              and list(f["mechanisms/jh"]) == ["shock", "joint_handling"])
        if virtual:
            bad = []
            for d in series:
                srcs = [v.file_name for v in d.virtual_sources()]
                if len(srcs) != len(set(srcs)):
                    bad.append("%s: %s" % (d.name, srcs))
                if any(os.path.isabs(s) or not s.startswith("sweep/") for s in srcs):
                    bad.append("%s: not relative: %s" % (d.name, srcs))
            check("%s.one_relative_mapping_per_file" % tag, not bad, "; ".join(bad[:4]))
            n = len(f["series/n_open_cases"].virtual_sources())
            check("%s.mapping_count" % tag, n == 5, "n_open_cases has %d mappings, expected 5" % n)


READER = textwrap.dedent("""
    import sys
    sys.path.insert(0, %r)
    import compare_results, h5py, numpy as np, xarray as xr
    merged, expected = sys.argv[1], sys.argv[2]
    diffs = compare_results.compare(merged, expected)
    assert not diffs, diffs[:5]
    with h5py.File(expected, "r") as e:
        want = e["series/n_open_cases"][()]
        want_c = e["series_by_community/mean_trust"][()]
        R, T, C = e["run"].shape[0], e["day"].shape[0], e["community"].shape[0]
    s = xr.open_dataset(merged, group="series", engine="h5netcdf")
    assert dict(s.sizes) == {"run": R, "day": T}, dict(s.sizes)
    assert np.array_equal(s.n_open_cases.values, want, equal_nan=True)
    c = xr.open_dataset(merged, group="series_by_community", engine="h5netcdf")
    assert dict(c.sizes) == {"run": R, "community": C, "day": T}, dict(c.sizes)
    assert c.mean_trust.dims == ("run", "community", "day")
    assert np.array_equal(c.mean_trust.values, want_c, equal_nan=True)
    runs = xr.open_dataset(merged, group="runs", engine="h5netcdf")
    assert dict(runs.sizes) == {"run": R}
    root = xr.open_dataset(merged, engine="h5netcdf")
    assert set(root.coords) == {"run", "day", "community"}
    print("ok")
""") % os.path.join(HERE, "..", "sweep")


def read_elsewhere(tag, merged, expected, cwd):
    r = run([sys.executable, "-c", READER, merged, expected], cwd=cwd)
    check(tag, r.returncode == 0 and r.stdout.strip() == "ok", (r.stdout + r.stderr).strip()[-600:])


def check_bad_input(govsim, work, sweep):
    out = os.path.join(work, "bad.h5")

    def bad(tag, args, code, text):
        r = run([govsim, "merge"] + args)
        lines = r.stderr.strip().splitlines()
        check("bad_input.%s" % tag,
              r.returncode == code and len(lines) == 1 and lines[0].startswith("govsim: ") and text in lines[0]
              and not os.path.exists(out) and not os.path.exists(os.path.join(work, "nodir")),
              "rc %d, stderr %r" % (r.returncode, r.stderr))

    bad("no_dir", [os.path.join(work, "no_such_dir"), "--out", out], 2, "no such directory")
    empty = os.path.join(work, "empty")
    os.makedirs(empty, exist_ok=True)
    bad("no_plan", [empty, "--out", out], 2, "plan.tsv: not found")
    shutil.copy(os.path.join(sweep, "plan.tsv"), empty)
    bad("no_shards", [empty, "--out", out], 2, "no shard-<i>-of-<N>.h5")
    bad("out_dir_missing", [sweep, "--out", os.path.join(work, "nodir", "m.h5")], 2, "does not exist")
    bad("no_out", [sweep], 2, "--out FILE.h5 is required")

    # A planned run with no result anywhere: exit 1, unless --allow-partial.
    partial = os.path.join(work, "partial")
    shutil.copytree(sweep, partial)
    with open(os.path.join(partial, "plan.tsv"), "a") as p:
        p.write("8\tdeadbeefdeadbeef\t0\t\tbase\t4\t1\t1\n")
    bad("missing_runs", [partial, "--out", out], 1, "1 of 9 planned runs have no result")
    r = run([govsim, "merge", partial, "--out", out, "--allow-partial", "--copy"])
    ok = r.returncode == 0 and "--allow-partial" in r.stderr and "(indices 8)" in r.stderr
    if ok:
        with h5py.File(out, "r") as f:
            ok = f["run"].shape == (8,)
        os.remove(out)
    check("allow_partial", ok, "rc %d stdout %r stderr %r" % (r.returncode, r.stdout, r.stderr))

    # A shard changed after its sweep wrote it (here: made to claim schema 2) fails its seal: exit 2, the
    # message names it, nothing is written.
    with h5py.File(os.path.join(partial, "shard-1-of-3.h5"), "r+") as f:
        f.attrs["schema_version"] = np.int64(2)
    r = run([govsim, "merge", partial, "--out", out, "--allow-partial"])
    check("changed_shard", r.returncode == 2 and "shard-1-of-3.h5: fails verification" in r.stderr
          and not os.path.exists(out), "rc %d stderr %r" % (r.returncode, r.stderr))


def main(argv):
    if len(argv) != 5:
        print("usage: check_merge.py GOVSIM MAKE_FAKE_SWEEP SCENARIO.ini WORKDIR", file=sys.stderr)
        return 2
    govsim, maker, scenario, work = (os.path.abspath(a) for a in argv[1:])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    r = run([maker, scenario, work])
    if r.returncode != 0:
        print("FAIL make_fake_sweep: %s" % r.stderr)
        return 1
    sweep = os.path.join(work, "sweep")
    expected = os.path.join(work, "expected.h5")

    # Merge from inside WORKDIR with relative paths, as a user would.
    for tag, extra in (("virtual", []), ("copy", ["--copy"])):
        r = run([govsim, "merge", "sweep", "--out", "merged_%s.h5" % tag] + extra, cwd=work)
        check("%s.exit_and_summary" % tag,
              r.returncode == 0 and r.stdout == "merged 8 runs from 6 files into merged_%s.h5 (%s)\n" % (tag, tag),
              "rc %d stdout %r stderr %r" % (r.returncode, r.stdout, r.stderr))
        merged = os.path.join(work, "merged_%s.h5" % tag)
        diffs = compare_results.compare(merged, expected)
        check("%s.equals_local_sweep" % tag, not diffs, "; ".join(diffs[:5]))
        check_against_sources(tag, merged, sweep)
        check_layout(tag, merged, tag == "virtual", "sweep")

    # compare_results.py is not vacuous: one changed value is reported.
    changed = os.path.join(work, "changed.h5")
    shutil.copy(expected, changed)
    with h5py.File(changed, "r+") as f:
        f["series_by_community/mean_trust"][2, 1, 3] += 1
    r = run([sys.executable, os.path.join(HERE, "..", "sweep", "compare_results.py"), changed, expected])
    check("compare_results.reports_a_difference", r.returncode == 1 and "mean_trust" in r.stdout, r.stdout)
    r = run([sys.executable, os.path.join(HERE, "..", "sweep", "compare_results.py"),
             os.path.join(work, "merged_copy.h5"), expected])
    check("compare_results.equal_exit_0", r.returncode == 0 and r.stdout.startswith("EQUAL"), r.stdout)

    # Reading from another working directory, by absolute and by relative path.
    elsewhere = os.path.join(work, "elsewhere")
    os.makedirs(elsewhere)
    for tag in ("virtual", "copy"):
        read_elsewhere("%s.read_from_other_cwd" % tag, os.path.join(work, "merged_%s.h5" % tag), expected, elsewhere)
    read_elsewhere("virtual.read_by_relative_path", os.path.join("..", "merged_virtual.h5"), expected, elsewhere)

    # Move the sweep directory and the virtual file together: still readable, from anywhere.
    moved = os.path.join(work, "moved", "deeper")
    os.makedirs(moved)
    shutil.move(sweep, os.path.join(moved, "sweep"))
    shutil.move(os.path.join(work, "merged_virtual.h5"), os.path.join(moved, "merged_virtual.h5"))
    read_elsewhere("virtual.read_after_move", os.path.join(moved, "merged_virtual.h5"), expected, elsewhere)
    read_elsewhere("virtual.read_after_move_from_root", os.path.join(moved, "merged_virtual.h5"), expected, "/")
    # The copy does not need the shards at all.
    read_elsewhere("copy.read_without_shards", os.path.join(work, "merged_copy.h5"), expected, "/")
    shutil.move(os.path.join(moved, "sweep"), sweep)

    check_bad_input(govsim, work, sweep)

    print("%s: %d failure(s)" % ("FAIL" if failures else "PASS", len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
