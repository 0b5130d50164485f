"""Means with t-intervals (95% unless ``level`` says otherwise) across replicates and paired differences under common random numbers.

Reproduces src/experiment/stats.cpp: t quantiles at any level (scipy here, Boost.Math there; they agree to
1e-9), NaN values skipped, and for n = 1 an interval that is the mean itself. The
per-run values are govsim's own reductions (tidy.summarise_runs), so compare() gives the numbers of the table
that ``govsim run`` prints for the same file.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .io import arms as _arms, param_values
from .tidy import parse_metric, summarise_runs

def t_quantile(level, df):
    """Student t quantile for a two-sided interval at ``level`` (0-1) with ``df`` degrees of freedom
    (scipy; govsim's C++ uses Boost.Math, and the two agree to 1e-9). NaN for df < 1."""
    if df < 1 or not 0 < level < 1:
        return math.nan
    from scipy.stats import t
    return float(t.ppf((1 + level) / 2, df))


def t_quantile_975(df, exact=None):
    """t_quantile(0.95, df). (``exact`` is kept for old callers: every quantile is exact now.)"""
    return t_quantile(0.95, df)


def mean_interval(x, exact_t=None, level=0.95):
    """(mean, lo, hi, n) of the finite values of x, as stats.cpp mean_interval (sums in the same order)."""
    vals = [float(v) for v in np.asarray(x, dtype=float).ravel() if math.isfinite(v)]
    n = len(vals)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    s = 0.0
    for v in vals:
        s += v
    mean = s / n
    if n == 1:
        return mean, mean, mean, 1
    ss = 0.0
    for v in vals:
        ss += (v - mean) * (v - mean)
    half = t_quantile(level, n - 1) * math.sqrt(ss / (n - 1) / n)
    return mean, mean - half, mean + half, n


def mean_interval_array(x, axis=0, exact_t=None, level=0.95):
    """Vectorised mean_interval along an axis (for bands over days): arrays mean, lo, hi, n."""
    x = np.asarray(x, dtype=float)
    ok = np.isfinite(x)
    n = ok.sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, x, 0).sum(axis=axis) / n
        dev = np.where(ok, x - np.expand_dims(mean, axis), 0)
        var = (dev * dev).sum(axis=axis) / (n - 1)
        t = np.array([t_quantile(level, k - 1) if k > 1 else 0.0 for k in np.ravel(n)]).reshape(np.shape(n))
        half = np.where(n > 1, t * np.sqrt(var / n), 0.0)
    mean = np.where(n > 0, mean, np.nan)
    return mean, mean - half, mean + half, n


def paired_difference(a, b, exact_t=None, level=0.95):
    """Interval of a[i] - b[i]; pairs with a NaN are skipped (stats.cpp paired_difference)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError("paired_difference: unequal replicate counts")
    return mean_interval(a - b, level=level)


def excludes_zero(lo, hi, n):
    """govsim's '*': the interval excludes zero and rests on more than one value."""
    return bool(n > 1 and (lo > 0 or hi < 0))


def _pair_keys(ds):
    """Columns identifying a run's partner in another arm: its pair (seed) and its design point if any."""
    keys = ["pair"] if "pair" in ds.coords else ["replicate"]
    if "point" in ds.coords:
        keys = ["point"] + keys
    return keys


def _frame(values, ds, extra):
    cols = {"value": values.values, "arm": ds["arm"].values}
    for k in extra:  # a parameter by its key or coordinate: the design point's value (io.param_values)
        cols[k] = param_values(ds, k) if "." in k or "__" in k else ds[k].values
    return pd.DataFrame(cols, index=ds["run"].values)


def compare(ds, metric, baseline=None, how="final", days=None, by=None, exact_t=None, level=0.95):
    """Per arm: n, mean and t-interval (at ``level``, 95% by default) of one value per run; and the paired
    difference from `baseline`.

    The value per run is summarise_runs(ds, metric, how, days). Runs are paired with the baseline's run of the
    same ``pair`` (equal seeds: common random numbers) and, in sweep files, the same design ``point``. ``by``
    (a coordinate name or list, e.g. ``"point"`` or ``"demand.rate_scale"``) gives one block of rows per value.
    ``baseline`` defaults to the first arm in the file. Failed runs have NaN series and are skipped.

    Columns: metric, how, units, [by...], arm, n, mean, lo, hi, baseline, n_pairs, diff, diff_lo, diff_hi,
    excludes_zero (the paired interval excludes zero, n_pairs > 1; False on the baseline's row).
    """
    how, name = parse_metric(metric, how)
    values = summarise_runs(ds, name, how, days)
    arm_names = _arms(ds)
    if baseline is None:
        baseline = arm_names[0]
    if baseline not in arm_names:
        raise ValueError(f"baseline {baseline!r} is not an arm of this file ({', '.join(arm_names)})")
    by = [] if by is None else ([by] if isinstance(by, str) else list(by))
    keys = [k for k in _pair_keys(ds) if k not in by]
    df = _frame(values, ds, keys + by)
    rows = []
    groups = df.groupby(by if len(by) > 1 else by[0], sort=False, dropna=False) if by else [((), df)]
    for gkey, g in groups:
        gkey = gkey if isinstance(gkey, tuple) else (gkey,)
        base = g[g["arm"] == baseline].set_index(keys)["value"]
        if base.index.has_duplicates:
            raise ValueError(f"arm {baseline!r} has several runs with the same {keys}: pass by=... to separate them")
        for a in arm_names:
            x = g[g["arm"] == a]
            if x.empty:
                continue
            m, lo, hi, n = mean_interval(x["value"].values, level=level)
            row = dict(zip(by, gkey))
            row.update(arm=a, n=n, mean=m, lo=lo, hi=hi, baseline=baseline)
            if a == baseline:
                row.update(n_pairs=n, diff=math.nan, diff_lo=math.nan, diff_hi=math.nan, excludes_zero=False)
            else:
                xa = x.set_index(keys)["value"]
                if xa.index.has_duplicates:
                    raise ValueError(f"arm {a!r} has several runs with the same {keys}: pass by=... to separate them")
                joined = pd.concat([xa.rename("a"), base.rename("b")], axis=1, join="inner")
                d, dlo, dhi, dn = paired_difference(joined["a"].values, joined["b"].values, level=level)
                row.update(n_pairs=dn, diff=d, diff_lo=dlo, diff_hi=dhi, excludes_zero=excludes_zero(dlo, dhi, dn))
            rows.append(row)
    out = pd.DataFrame(rows)
    out.insert(0, "units", values.attrs.get("units", ""))
    out.insert(0, "how", how if name in ds.data_vars else "outcome")
    out.insert(0, "metric", name)
    return out


def contrast(ds, metric, a, b, how="final", days=None, exact_t=None, level=0.95):
    """Paired difference a - b (a [contrasts] line of govsim): dict with n, diff, lo, hi, excludes_zero."""
    t = compare(ds, metric, baseline=b, how=how, days=days, level=level)
    r = t[t["arm"] == a]
    if r.empty:
        raise ValueError(f"no arm {a!r}")
    r = r.iloc[0]
    return {"metric": t["metric"].iloc[0], "a": a, "b": b, "n": int(r["n_pairs"]), "diff": r["diff"],
            "lo": r["diff_lo"], "hi": r["diff_hi"], "excludes_zero": bool(r["excludes_zero"])}


def effect_table(ds, metrics=None, baseline=None, how="final", days=None, exact_t=None, level=0.95):
    """compare() for several metrics, stacked. ``metrics`` items are names (reduced by ``how``), "how:name"
    forms, summary labels, or (name, how) pairs; default: the file's headline metrics (metrics.key_metrics)."""
    from .metrics import key_metrics

    if metrics is None:
        metrics = key_metrics(ds)
    frames = []
    for m in metrics:
        if isinstance(m, tuple):
            name, h = m
        else:
            h, name = parse_metric(m, how)
        frames.append(compare(ds, name, baseline=baseline, how=h, days=days, level=level))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
