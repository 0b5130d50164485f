"""Means with 95% intervals across replicates and paired differences under common random numbers.

Reproduces src/experiment/stats.cpp: the same t quantiles (a six-decimal table for 1..30 degrees of freedom,
then the Cornish-Fisher expansion), NaN values skipped, and for n = 1 an interval that is the mean itself. The
per-run values are govsim's own reductions (tidy.summarise_runs), so compare() gives the numbers of the table
that ``govsim run`` prints for the same file.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .io import arms as _arms
from .tidy import parse_metric, summarise_runs

# t_{0.975, df} for df = 1..30 as tabulated in stats.cpp (six decimals): equal numbers, not scipy's.
_T_TABLE = (12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157,
            2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922,
            2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831,
            2.048407, 2.045230, 2.042272)


def t_quantile_975(df, exact=False):
    """Student t 97.5% quantile. exact=False: govsim's table and expansion; exact=True: scipy."""
    if df < 1:
        return math.nan
    if exact:
        from scipy.stats import t
        return float(t.ppf(0.975, df))
    if df <= 30:
        return _T_TABLE[int(df) - 1]
    # Abramowitz & Stegun 26.7.5, as stats.cpp
    z = 1.959963984540054
    n = float(df)
    z3 = z * z * z
    z5 = z3 * z * z
    z7 = z5 * z * z
    z9 = z7 * z * z
    return (z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n)
            + (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * n * n * n * n))


def mean_interval(x, exact_t=False):
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
    half = t_quantile_975(n - 1, exact_t) * math.sqrt(ss / (n - 1) / n)
    return mean, mean - half, mean + half, n


def mean_interval_array(x, axis=0, exact_t=False):
    """Vectorised mean_interval along an axis (for bands over days): arrays mean, lo, hi, n."""
    x = np.asarray(x, dtype=float)
    ok = np.isfinite(x)
    n = ok.sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, x, 0).sum(axis=axis) / n
        dev = np.where(ok, x - np.expand_dims(mean, axis), 0)
        var = (dev * dev).sum(axis=axis) / (n - 1)
        t = np.array([t_quantile_975(k - 1, exact_t) if k > 1 else 0.0 for k in np.ravel(n)]).reshape(np.shape(n))
        half = np.where(n > 1, t * np.sqrt(var / n), 0.0)
    mean = np.where(n > 0, mean, np.nan)
    return mean, mean - half, mean + half, n


def paired_difference(a, b, exact_t=False):
    """Interval of a[i] - b[i]; pairs with a NaN are skipped (stats.cpp paired_difference)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError("paired_difference: unequal replicate counts")
    return mean_interval(a - b, exact_t)


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
    for k in extra:
        cols[k] = ds[k].values
    return pd.DataFrame(cols, index=ds["run"].values)


def compare(ds, metric, baseline=None, how="final", days=None, by=None, exact_t=False):
    """Per arm: n, mean and 95% t-interval of one value per run; and the paired difference from `baseline`.

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
            m, lo, hi, n = mean_interval(x["value"].values, exact_t)
            row = dict(zip(by, gkey))
            row.update(arm=a, n=n, mean=m, lo=lo, hi=hi, baseline=baseline)
            if a == baseline:
                row.update(n_pairs=n, diff=math.nan, diff_lo=math.nan, diff_hi=math.nan, excludes_zero=False)
            else:
                xa = x.set_index(keys)["value"]
                if xa.index.has_duplicates:
                    raise ValueError(f"arm {a!r} has several runs with the same {keys}: pass by=... to separate them")
                joined = pd.concat([xa.rename("a"), base.rename("b")], axis=1, join="inner")
                d, dlo, dhi, dn = paired_difference(joined["a"].values, joined["b"].values, exact_t)
                row.update(n_pairs=dn, diff=d, diff_lo=dlo, diff_hi=dhi, excludes_zero=excludes_zero(dlo, dhi, dn))
            rows.append(row)
    out = pd.DataFrame(rows)
    out.insert(0, "units", values.attrs.get("units", ""))
    out.insert(0, "how", how if name in ds.data_vars else "outcome")
    out.insert(0, "metric", name)
    return out


def contrast(ds, metric, a, b, how="final", days=None, exact_t=False):
    """Paired difference a - b (a [contrasts] line of govsim): dict with n, diff, lo, hi, excludes_zero."""
    t = compare(ds, metric, baseline=b, how=how, days=days, exact_t=exact_t)
    r = t[t["arm"] == a]
    if r.empty:
        raise ValueError(f"no arm {a!r}")
    r = r.iloc[0]
    return {"metric": t["metric"].iloc[0], "a": a, "b": b, "n": int(r["n_pairs"]), "diff": r["diff"],
            "lo": r["diff_lo"], "hi": r["diff_hi"], "excludes_zero": bool(r["excludes_zero"])}


def effect_table(ds, metrics=None, baseline=None, how="final", days=None, exact_t=False):
    """compare() for several metrics, stacked. ``metrics`` items are names (reduced by ``how``), "how:name"
    forms, summary labels, or (name, how) pairs; default: metrics.KEY_METRICS present in the file."""
    from .metrics import key_metrics

    if metrics is None:
        metrics = key_metrics(ds)
    frames = []
    for m in metrics:
        if isinstance(m, tuple):
            name, h = m
        else:
            h, name = parse_metric(m, how)
        frames.append(compare(ds, name, baseline=baseline, how=h, days=days, exact_t=exact_t))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
