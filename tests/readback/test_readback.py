#!/usr/bin/python3
"""Read back a govsim HDF5 output file (schema version 1, docs/OUTPUT.md) and check its layout.

Usage:
    /usr/bin/python3 tests/readback/test_readback.py FILE.h5 EXPECTED_RUNS EXPECTED_DAYS

Uses Debian's /usr/bin/python3, which has numpy, h5py and xarray (h5netcdf engine); the `python3` first on
PATH may not. Prints one line, PASS or FAIL with the names of the failing checks, and exits 0 on PASS, 1 on
FAIL, 2 on a usage error.
"""

import sys

SCHEMA_VERSION = 1
ROOT_TEXT_ATTRS = ("govsim_version", "git_revision", "command_line", "created", "config")
RUN_COLUMNS = ("run_id", "arm", "replicate", "seed", "status", "wall_seconds")
SERIES_ATTRS = ("kind", "units", "long_name")
PREFIXES = ("n_", "new_", "cum_", "mean_", "share_", "p90_")
REQUIRED_METRICS = (
    "n_open_cases",
    "new_resolved",
    "cum_resolved",
    "cum_hard_problems_closed",
    "mean_resolution_hours",
    "p90_resolution_hours",
    "mean_gw_utilisation",
    "share_good",
    "mean_trust",
    "share_aware",
    "new_demands_household",
    "new_demands_shared",
    "new_demands_public",
)


class CheckFailed(Exception):
    pass


def require(cond, detail):
    if not cond:
        raise CheckFailed(detail)


def text(value):
    """An HDF5 string attribute or element as str (h5py gives fixed-length strings as numpy.bytes_)."""
    if isinstance(value, bytes):  # includes numpy.bytes_
        return value.decode("utf-8")
    if isinstance(value, str):
        return value
    raise CheckFailed("not a string: %r (%s)" % (value, type(value).__name__))


def scale_names(dim):
    """Names of the dimension scales attached to one dimension of an h5py dataset."""
    return [text(n) for n in dim.keys()]


def main(argv):
    if len(argv) != 4:
        print("usage: %s FILE.h5 EXPECTED_RUNS EXPECTED_DAYS" % argv[0], file=sys.stderr)
        return 2
    path = argv[1]
    try:
        R, T = int(argv[2]), int(argv[3])
    except ValueError:
        print("usage: EXPECTED_RUNS and EXPECTED_DAYS must be integers", file=sys.stderr)
        return 2

    import numpy as np
    import h5py

    failures = []
    passed = []
    state = {}

    def check(name):
        def wrap(fn):
            try:
                fn()
                passed.append(name)
            except CheckFailed as e:
                failures.append("%s (%s)" % (name, e))
            except Exception as e:  # an unexpected error is a failure of that check, not a crash
                failures.append("%s (%s: %s)" % (name, type(e).__name__, e))
            return fn

        return wrap

    @check("h5py_open")
    def _():
        state["f"] = h5py.File(path, "r")

    f = state.get("f")
    if f is None:
        print("FAIL %s: %s" % (path, "; ".join(failures)))
        return 1

    @check("root_schema_version")
    def _():
        require("schema_version" in f.attrs, "attribute missing")
        v = f.attrs["schema_version"]
        require(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)),
                "not an integer: %r" % (v,))
        require(int(v) == SCHEMA_VERSION, "is %r, expected %d" % (v, SCHEMA_VERSION))

    @check("root_text_attributes")
    def _():
        for a in ROOT_TEXT_ATTRS:
            require(a in f.attrs, "attribute %s missing" % a)
            require(text(f.attrs[a]).strip() != "", "attribute %s is empty" % a)
        require("[run]" in text(f.attrs["config"]), "config has no [run] section")

    @check("dimension_scales")
    def _():
        for name in ("run", "day", "community"):
            require(name in f and isinstance(f[name], h5py.Dataset), "/%s missing" % name)
            require(h5py.h5ds.is_scale(f[name].id), "/%s is not a dimension scale" % name)
            require(f[name].ndim == 1, "/%s is not 1-D" % name)
        require(f["run"].shape == (R,), "/run has shape %s, expected (%d,)" % (f["run"].shape, R))
        require(f["day"].shape == (T,), "/day has shape %s, expected (%d,)" % (f["day"].shape, T))

    @check("runs_columns")
    def _():
        require("runs" in f and isinstance(f["runs"], h5py.Group), "/runs missing")
        for c in RUN_COLUMNS:
            require(c in f["runs"], "/runs/%s missing" % c)
            shape = f["runs"][c].shape
            require(shape == (R,), "/runs/%s has shape %s, expected (%d,)" % (c, shape, R))
        for c in f["runs"]:
            require(f["runs"][c].shape == (R,), "/runs/%s has shape %s" % (c, f["runs"][c].shape))

    @check("runs_status_ok")
    def _():
        status = [text(s) for s in f["runs/status"][()]]
        bad = [(i, s) for i, s in enumerate(status) if s != "ok"]
        require(not bad, "runs not ok: %s" % bad[:5])

    @check("time_day")
    def _():
        require("time/day" in f, "/time/day missing")
        day = f["time/day"][()]
        require(day.shape == (T,), "/time/day has shape %s, expected (%d,)" % (day.shape, T))
        require(np.array_equal(day, np.arange(T)), "/time/day is not 0..T-1")

    series = f.get("series")
    by_c = f.get("series_by_community")

    @check("series_layout")
    def _():
        require(isinstance(series, h5py.Group), "/series missing")
        require(len(series) > 0, "/series is empty")
        for name, d in series.items():
            require(isinstance(d, h5py.Dataset), "/series/%s is not a dataset" % name)
            require(d.shape == (R, T), "/series/%s has shape %s, expected (%d, %d)" % (name, d.shape, R, T))
            require(d.dtype == np.float64, "/series/%s has dtype %s" % (name, d.dtype))
            for a in SERIES_ATTRS:
                require(a in d.attrs, "/series/%s has no attribute %s" % (name, a))
                text(d.attrs[a])
            for axis, want in enumerate(("run", "day")):
                got = scale_names(d.dims[axis])
                require(got == [want], "/series/%s dimension %d has scales %s, expected [%r]" % (name, axis, got, want))

    @check("series_by_community_layout")
    def _():
        require(isinstance(by_c, h5py.Group), "/series_by_community missing")
        require(len(by_c) > 0, "/series_by_community is empty")
        C = f["community"].shape[0]
        for name, d in by_c.items():
            require(isinstance(d, h5py.Dataset), "/series_by_community/%s is not a dataset" % name)
            require(d.shape == (R, C, T),
                    "/series_by_community/%s has shape %s, expected (%d, %d, %d)" % (name, d.shape, R, C, T))
            for axis, want in enumerate(("run", "community", "day")):
                got = scale_names(d.dims[axis])
                require(got == [want], "/series_by_community/%s dimension %d has scales %s" % (name, axis, got))

    @check("required_metrics")
    def _():
        missing = [m for m in REQUIRED_METRICS if m not in series]
        require(not missing, "missing from /series: %s" % missing)

    @check("metric_name_prefixes")
    def _():
        names = set(series.keys()) | set(by_c.keys() if by_c is not None else [])
        bad = sorted(n for n in names if not n.startswith(PREFIXES))
        require(not bad, "names without a known prefix: %s" % bad)

    @check("cum_resolved_is_cumsum")
    def _():
        new = series["new_resolved"][()]
        cum = series["cum_resolved"][()]
        require(np.allclose(np.cumsum(new, axis=1), cum), "cum_resolved != cumsum(new_resolved) along day")

    import xarray as xr

    def xr_dims(group):
        with xr.open_dataset(path, group=group, engine="h5netcdf") as ds:
            return dict(ds.sizes)

    @check("xarray_series")
    def _():
        dims = xr_dims("series")
        require(dims == {"run": R, "day": T}, "dims %s, expected {run: %d, day: %d}" % (dims, R, T))

    @check("xarray_series_by_community")
    def _():
        dims = xr_dims("series_by_community")
        require(set(dims) == {"run", "community", "day"}, "dims %s" % dims)
        require(dims["run"] == R and dims["day"] == T, "dims %s" % dims)

    @check("xarray_runs")
    def _():
        dims = xr_dims("runs")
        require(dims == {"run": R}, "dims %s, expected {run: %d}" % (dims, R))

    f.close()
    n = len(passed) + len(failures)
    if failures:
        print("FAIL %s (R=%d, T=%d): %d of %d checks failed: %s" % (path, R, T, len(failures), n, "; ".join(failures)))
        return 1
    print("PASS %s (R=%d, T=%d): %d checks" % (path, R, T, n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
