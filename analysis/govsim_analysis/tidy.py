"""Long tables and one value per run from a Dataset of open_results()."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from .io import BY_COMMUNITY_SUFFIX

HOWS = ("final", "mean", "sum", "max", "min", "year", "drift")

# The rows of govsim's summary table (src/experiment/comparison.cpp summary_fields) that a file can
# reproduce, as reductions of its series (Simulation::summary in src/model/simulation.cpp). Median and p90
# resolution hours and utilisation come from run-level histograms and hour totals the file does not hold;
# the share of hard problems closed within 6 months is a ratio of two sums (use both series); the inequality of
# resolution times is over the run's per-community means, which the 30-day series do not give.
SUMMARY_FIELDS = {
    "demands raised": ("sum", "new_demands"),
    "demands reported": ("sum", "new_reported"),
    "cases resolved": ("sum", "new_resolved"),
    "hard problems reported": ("sum", "new_hard_problems"),
    "hard problems closed": ("sum", "new_hard_problems_closed"),
    "cases abandoned": ("sum", "new_abandoned"),
    "grid workers quitting": ("sum", "new_quits"),
    "share good/very good": ("final", "share_good"),
    "mean trust": ("final", "mean_trust"),
    "share aware": ("final", "share_aware"),
    "committee rated good": ("final", "share_committee_good"),
    "Gini share good": ("final", "gini_share_good"),
    "worst 10% share good": ("final", "worst_decile_share_good"),
}

# The cost rows (docs/ODD.md §7.20), which scale a sum by the run's days or divide two sums: (series, divisor).
# No divisor: the sum times 365 / days, in million yuan a year; a divisor: the sum over the divisor's sum. Sums
# are taken day by day in order, as Simulation::summary does, so the values equal govsim's own.
COST_FIELDS = {
    "cost (million yuan/year)": ("new_cost_yuan", None),
    "added cost (million yuan/year)": ("new_added_cost_yuan", None),
    "cost per resolved demand (yuan)": ("new_cost_yuan", "new_resolved"),
}


def _cost_field(ds, label):
    """One value per run of a COST_FIELDS row."""
    name, divisor = COST_FIELDS[label]
    if name not in ds.data_vars:
        raise KeyError(f"{label!r} needs the series {name} (files written before cost accounting lack it)")

    def run_sum(var):
        x = np.asarray(ds[var].transpose("run", "day").values, dtype=float)
        ok = np.isfinite(x)
        return np.cumsum(np.where(ok, x, 0.0), axis=-1)[:, -1], ok.sum(axis=-1)

    total, days = run_sum(name)
    with np.errstate(invalid="ignore", divide="ignore"):
        if divisor is None:
            values = np.where(days > 0, total * 365.0 / days / 1e6, np.nan)
            units = "million yuan/year"
        else:
            den = run_sum(divisor)[0]
            values = np.where(den > 0, total / den, np.nan)
            units = "yuan/case"
    out = xr.DataArray(values, dims=("run",), coords={c: ds[c] for c in run_coords(ds)})
    out.attrs = {"units": units, "long_name": label, "kind": "run", "how": "run", "metric": name}
    out.name = label
    return out


def run_coords(ds):
    """Names of the coordinates on the run dimension alone (arm, replicate, seed, pair, parameters...)."""
    return [c for c in ds.coords if ds[c].dims == ("run",)]


def run_table(ds):
    """One row per run (index: run) with every /runs column of the file."""
    cols = {c: ds[c].values for c in run_coords(ds) if c != "run"}
    return pd.DataFrame(cols, index=pd.Index(ds["run"].values, name="run"))


def district_metrics(ds):
    """Names of the district series (/series) in file order."""
    return [v for v in ds.data_vars if ds[v].dims == ("run", "day")]


def community_metrics(ds):
    """Names of the per-community metrics (without the _by_community suffix)."""
    return [v[: -len(BY_COMMUNITY_SUFFIX)] for v in ds.data_vars if v.endswith(BY_COMMUNITY_SUFFIX)]


def parse_metric(metric, how=None):
    """'final:share_good' -> ('final', 'share_good'); a summary-table label -> its reduction."""
    if metric in SUMMARY_FIELDS:
        return SUMMARY_FIELDS[metric]
    if ":" in metric:
        h, _, name = metric.partition(":")
        if h in HOWS:
            return h, name
    return how, metric


def _reduce(x, how):
    """Reduce the last axis skipping NaN days, as govsim's run_value (src/experiment/comparison.cpp)."""
    x = np.asarray(x, dtype=float)
    ok = np.isfinite(x)
    n = ok.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if how == "final":
            idx = x.shape[-1] - 1 - np.argmax(ok[..., ::-1], axis=-1)
            out = np.take_along_axis(x, idx[..., None], axis=-1)[..., 0]
        elif how == "mean":
            out = np.where(ok, x, 0).sum(axis=-1) / n
        elif how == "sum":
            out = np.where(ok, x, 0).sum(axis=-1)
        elif how == "max":
            out = np.where(ok, x, -np.inf).max(axis=-1)
        elif how == "min":
            out = np.where(ok, x, np.inf).min(axis=-1)
        elif how in ("year", "drift"):
            # year: mean of the last 365 days (after trailing NaN days); drift: that minus the year before's.
            flat = x.reshape(-1, x.shape[-1])
            res = np.full(flat.shape[0], np.nan)
            for i, row in enumerate(flat):
                end = len(row)
                while end > 0 and not np.isfinite(row[end - 1]):
                    end -= 1

                def year_mean(e):
                    w = row[max(0, e - 365):e]
                    w = w[np.isfinite(w)]
                    return w.mean() if e >= 365 and w.size else np.nan

                res[i] = year_mean(end) if how == "year" else year_mean(end) - year_mean(end - 365 if end >= 365 else 0)
            out = res.reshape(x.shape[:-1])
        else:
            raise ValueError(f"how={how!r}: expected one of {', '.join(HOWS)}")
    return np.where(n > 0, out, np.nan)


def summarise_runs(ds, metric, how="final", days=None):
    """One value per run: a DataArray on ``run`` carrying the run coordinates.

    ``metric`` is a series name with ``how`` one of final (last finite day), mean, sum, max, min (NaN days
    skipped, NaN if none: govsim's ``final:``/``mean:``/``sum:``/``max:`` forms); or ``"how:name"``; or a
    row label of govsim's summary table (``"hard problems closed"``, ``"share good/very good"``, the cost rows
    of COST_FIELDS...); or a
    /runs column such as a mechanism outcome (``"shock_peak_backlog"``), returned as it is. ``days`` selects
    days by label first (a slice, ``slice(100, None)``, or a list).
    """
    if metric in COST_FIELDS:
        return _cost_field(ds, metric)
    how, name = parse_metric(metric, how)
    if name in ds.data_vars:
        da = ds[name]
        if days is not None:
            da = da.sel(day=days)
        if "day" not in da.dims:
            raise ValueError(f"{name} has no day dimension")
        values = _reduce(da.transpose(..., "day").values, how)
        out = xr.DataArray(values, dims=[d for d in da.dims if d != "day"],
                           coords={c: da[c] for c in da.coords if "day" not in da[c].dims})
        units = da.attrs.get("display_units", da.attrs.get("units", ""))  # what is counted, for tables
        if how == "sum" and units.endswith("/day"):
            units = units[: -len("/day")]  # a flow summed over days is a count
        out.attrs = {"units": units, "long_name": f"{how} of {da.attrs.get('long_name', name)}",
                     "kind": da.attrs.get("kind", ""), "how": how, "metric": name}
        out.name = f"{how}:{name}"
        return out
    if name in ds.coords and ds[name].dims == ("run",):
        out = xr.DataArray(np.asarray(ds[name].values, dtype=float), dims=("run",),
                           coords={c: ds[c] for c in run_coords(ds)})
        out.attrs = dict(ds[name].attrs, how="outcome", metric=name)
        out.name = name
        return out
    raise KeyError(f"unknown metric {metric!r}: not a series, a summary label or a /runs column")


def tidy(ds, metrics=None, by="run", days=None, coords=None):
    """A long DataFrame with one row per value.

    by="run" (default): district series, columns run, <run coords>, day, metric, value.
    by="community": the per-community series, with a ``community`` column (metric names without suffix).
    by="arm": mean across the runs of each arm and day, with n, lo and hi (95% t-interval, govsim's table).

    ``metrics``: names (default: all of that level); ``days``: label selection; ``coords``: run coordinates to
    include (default all: arm, replicate, seed, pair, status, parameters...).
    """
    from .stats import mean_interval_array

    if by not in ("run", "community", "arm"):
        raise ValueError("by must be 'run', 'community' or 'arm'")
    if metrics is None:
        metrics = community_metrics(ds) if by == "community" else district_metrics(ds)
    elif isinstance(metrics, str):
        metrics = [metrics]
    keep = run_coords(ds) if coords is None else ["run"] + [c for c in coords if c != "run"]
    table = run_table(ds)
    frames = []
    for m in metrics:
        var = m + BY_COMMUNITY_SUFFIX if by == "community" else m
        if var not in ds.data_vars:
            raise KeyError(f"no {'per-community ' if by == 'community' else ''}metric {m!r} in this file")
        da = ds[var]
        if days is not None:
            da = da.sel(day=days)
        day = da["day"].values
        x = da.values
        if by == "arm":
            arm = ds["arm"].values
            for a in dict.fromkeys(arm.tolist()):
                mean, lo, hi, n = mean_interval_array(x[arm == a], axis=0)
                frames.append(pd.DataFrame({"arm": a, "day": day, "metric": m, "value": mean, "lo": lo,
                                            "hi": hi, "n": n}))
            continue
        if by == "community":
            R, C, T = x.shape
            df = pd.DataFrame({"run": np.repeat(ds["run"].values, C * T),
                               "community": np.tile(np.repeat(ds["community"].values, T), R),
                               "day": np.tile(day, R * C), "metric": m, "value": x.ravel()})
        else:
            R, T = x.shape
            df = pd.DataFrame({"run": np.repeat(ds["run"].values, T), "day": np.tile(day, R), "metric": m,
                               "value": x.ravel()})
        frames.append(df)
    if not frames:
        return pd.DataFrame(columns=["run", "day", "metric", "value"])
    out = pd.concat(frames, ignore_index=True)
    if by == "arm":
        return out
    extra = table[[c for c in keep if c in table.columns]]
    out = out.merge(extra, left_on="run", right_index=True, how="left")
    first = ["run"] + [c for c in ("arm", "replicate") if c in out.columns]
    rest = [c for c in out.columns if c not in first and c not in ("community", "day", "metric", "value")]
    tail = (["community"] if by == "community" else []) + ["day", "metric", "value"]
    return out[first + rest + tail]
