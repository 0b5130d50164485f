#!/usr/bin/python3
"""Compare two govsim schema-1 files (docs/OUTPUT.md) value for value.

Usage:
    /usr/bin/python3 tests/sweep/compare_results.py A.h5 B.h5

Compares every dataset in /series, /series_by_community, /communities and /time, the root dimension
scales, and every /runs column except wall_seconds (not reproducible): names, shapes, dtypes and values,
with NaN equal to NaN. Root attributes are ignored except schema_version (so files written at other times,
by other commands, or merged from shards compare equal to a local run). Virtual and copied datasets compare
alike: the values are what count.

Prints "EQUAL A B" and exits 0, or prints a summary of the differences and exits 1; exit 2 on a usage
error or a file that cannot be read. Uses Debian's /usr/bin/python3 (numpy, h5py).
"""

import sys

GROUPS = ("series", "series_by_community", "communities", "time", "runs")
SCALES = ("run", "day", "community")
IGNORED_RUN_COLUMNS = ("wall_seconds",)
MAX_LISTED = 10
MAX_REPORTED = 25


def values(d):
    """A dataset's values, strings as str."""
    import numpy as np

    x = d[()]
    if d.dtype.kind in ("O", "S"):
        x = np.array([v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in np.ravel(x)],
                     dtype=object).reshape(np.shape(x))
    return x


def compare_dataset(name, a, b, diffs):
    import numpy as np

    if a.shape != b.shape:
        diffs.append("%s: shape %s vs %s" % (name, a.shape, b.shape))
        return
    ka, kb = a.dtype.kind, b.dtype.kind
    text = ka in ("O", "S") or kb in ("O", "S")
    if (ka in ("O", "S")) != (kb in ("O", "S")) or (not text and a.dtype != b.dtype):
        diffs.append("%s: dtype %s vs %s" % (name, a.dtype, b.dtype))
        return
    x, y = values(a), values(b)
    if text:
        bad = x != y
    elif ka == "f":
        bad = ~((x == y) | (np.isnan(x) & np.isnan(y)))
    else:
        bad = x != y
    bad = np.asarray(bad)
    if bad.any():
        where = np.argwhere(bad)
        first = tuple(int(i) for i in where[0])
        xv = x[first] if x.ndim else x
        yv = y[first] if y.ndim else y
        rows = sorted(set(int(w[0]) for w in where)) if bad.ndim else []
        diffs.append("%s: %d of %d values differ (rows %s%s); first at %s: %r vs %r"
                     % (name, int(bad.sum()), bad.size, rows[:MAX_LISTED], ", ..." if len(rows) > MAX_LISTED else "",
                        first, xv, yv))


def compare(path_a, path_b):
    import h5py

    diffs = []
    with h5py.File(path_a, "r") as fa, h5py.File(path_b, "r") as fb:
        va, vb = fa.attrs.get("schema_version"), fb.attrs.get("schema_version")
        if va is None or vb is None or int(va) != int(vb):
            diffs.append("schema_version: %r vs %r" % (va, vb))
        for s in SCALES:
            if (s in fa) != (s in fb):
                diffs.append("/%s: only in %s" % (s, path_a if s in fa else path_b))
            elif s in fa:
                compare_dataset("/" + s, fa[s], fb[s], diffs)
        for g in GROUPS:
            ga, gb = fa.get(g), fb.get(g)
            if ga is None or gb is None:
                if ga is not None or gb is not None:
                    diffs.append("/%s: only in %s" % (g, path_a if ga is not None else path_b))
                continue
            na, nb = list(ga), list(gb)
            if g == "runs":
                na = [n for n in na if n not in IGNORED_RUN_COLUMNS]
                nb = [n for n in nb if n not in IGNORED_RUN_COLUMNS]
            only_a = [n for n in na if n not in gb]
            only_b = [n for n in nb if n not in ga]
            if only_a:
                diffs.append("/%s: only in A: %s%s" % (g, only_a[:MAX_LISTED], " ..." if len(only_a) > MAX_LISTED else ""))
            if only_b:
                diffs.append("/%s: only in B: %s%s" % (g, only_b[:MAX_LISTED], " ..." if len(only_b) > MAX_LISTED else ""))
            for n in na:
                if n in gb:
                    compare_dataset("/%s/%s" % (g, n), ga[n], gb[n], diffs)
    return diffs


def main(argv):
    if len(argv) != 3:
        print("usage: %s A.h5 B.h5" % argv[0], file=sys.stderr)
        return 2
    try:
        diffs = compare(argv[1], argv[2])
    except (OSError, KeyError) as e:
        print("compare_results: %s" % e, file=sys.stderr)
        return 2
    if diffs:
        print("DIFFERENT %s %s: %d difference(s)" % (argv[1], argv[2], len(diffs)))
        for d in diffs[:MAX_REPORTED]:
            print("  " + d)
        if len(diffs) > MAX_REPORTED:
            print("  ... and %d more" % (len(diffs) - MAX_REPORTED))
        return 1
    print("EQUAL %s %s" % (argv[1], argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
