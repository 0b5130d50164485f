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
RUN_COLUMNS = ("run_id", "arm", "replicate", "seed", "pair", "status", "wall_seconds")
SERIES_ATTRS = ("kind", "units", "long_name")
COMMUNITY_COLUMNS = ("street", "n_residents", "n_grids", "type")
PREFIXES = ("n_", "new_", "cum_", "mean_", "share_", "p90_", "gini_", "worst_decile_")
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
    """An HDF5 string or element as str (h5py gives fixed-length strings and string datasets as bytes)."""
    if isinstance(value, bytes):  # includes numpy.bytes_
        return value.decode("utf-8")
    if isinstance(value, str):
        return value
    raise CheckFailed("not a string: %r (%s)" % (value, type(value).__name__))


def str_attr(obj, name, where):
    """A text attribute written by govsim: variable-length UTF-8, so h5py must return str (not bytes)."""
    require(name in obj.attrs, "%s has no attribute %s" % (where, name))
    v = obj.attrs[name]
    require(isinstance(v, str), "%s attribute %s is %s, expected str" % (where, name, type(v).__name__))
    return v


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
            require(str_attr(f, a, "/").strip() != "", "attribute %s is empty" % a)
        require("[run]" in f.attrs["config"], "config has no [run] section")

    @check("dimension_scales")
    def _():
        for name in ("run", "day", "community"):
            require(name in f and isinstance(f[name], h5py.Dataset), "/%s missing" % name)
            require(h5py.h5ds.is_scale(f[name].id), "/%s is not a dimension scale" % name)
            require(f[name].ndim == 1, "/%s is not 1-D" % name)
        require(f["run"].shape == (R,), "/run has shape %s, expected (%d,)" % (f["run"].shape, R))
        require(f["day"].shape == (T,), "/day has shape %s, expected (%d,)" % (f["day"].shape, T))
        for name in ("run", "day", "community"):
            str_attr(f[name], "long_name", "/" + name)
        require(str_attr(f["day"], "units", "/day") == "1", "/day units is %r, expected '1'" % f["day"].attrs["units"])

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

    @check("communities_per_run")
    def _():
        require("communities" in f and isinstance(f["communities"], h5py.Group), "/communities missing")
        C = f["community"].shape[0]
        for c in COMMUNITY_COLUMNS:
            require(c in f["communities"], "/communities/%s missing" % c)
            d = f["communities"][c]
            require(d.shape == (R, C), "/communities/%s has shape %s, expected (%d, %d)" % (c, d.shape, R, C))
            require(d.dtype == np.int32, "/communities/%s has dtype %s" % (c, d.dtype))
            for axis, want in enumerate(("run", "community")):
                got = scale_names(d.dims[axis])
                require(got == [want], "/communities/%s dimension %d has scales %s, expected [%r]" % (c, axis, got, want))
        t = f["communities/type"]
        require(text(t.attrs.get("flag_meanings", "")) == "old commercial work_unit resettled",
                "/communities/type has flag_meanings %r" % t.attrs.get("flag_meanings"))
        require(list(t.attrs.get("flag_values", [])) == [0, 1, 2, 3], "/communities/type has no flag_values 0..3")
        street = f["communities/street"][()]
        types = t[()]
        require(np.all((types >= 0) == (street >= 0)) and np.all(types <= 3),
                "/communities/type is not a type 0..3 for each community and -1 for padding")
        n_res = f["communities/n_residents"][()].sum(axis=1)
        if "series/n_residents" in f and T > 0:
            day0 = f["series/n_residents"][:, 0]
            require(np.array_equal(n_res, day0), "per-run sum of n_residents %s != /series/n_residents day 0 %s"
                    % (n_res.tolist(), day0.tolist()))

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
                str_attr(d, a, "/series/" + name)
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
            for a in SERIES_ATTRS:
                str_attr(d, a, "/series_by_community/" + name)

    @check("mechanism_attributes_str")
    def _():
        require("mechanisms" in f and isinstance(f["mechanisms"], h5py.Group), "/mechanisms missing")
        for name, g in f["mechanisms"].items():
            for a in g.attrs:
                str_attr(g, a, "/mechanisms/" + name)

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
        with xr.open_dataset(path, group="series", engine="h5netcdf") as ds:
            dims = dict(ds.sizes)
            require(dims == {"run": R, "day": T}, "dims %s, expected {run: %d, day: %d}" % (dims, R, T))
            # units "h", not a CF time unit: default decoding must keep hours as numbers, not timedelta64
            for m in ("mean_resolution_hours", "p90_resolution_hours"):
                require(ds[m].dtype.kind == "f", "%s decoded as %s" % (m, ds[m].dtype))

    @check("xarray_communities")
    def _():
        dims = xr_dims("communities")
        C = f["community"].shape[0]
        require(dims == {"run": R, "community": C}, "dims %s, expected {run: %d, community: %d}" % (dims, R, C))

    @check("xarray_root_day_not_timedelta")
    def _():
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            require(ds["day"].dtype.kind == "i", "root day decoded as %s" % ds["day"].dtype)

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
