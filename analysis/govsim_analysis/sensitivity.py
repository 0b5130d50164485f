"""Global sensitivity analysis of sweep files: Sobol' indices (Saltelli designs), Morris elementary effects
(Morris designs) and partial rank correlation coefficients (Latin hypercube and other sampled designs).

Each estimator takes either a Dataset from open_results() of a sweep file (runs with /runs columns
``block``, ``group``, ``point``, ``pair`` and one column per varied parameter, and the root ``design``
attribute) or plain arrays. From a Dataset the value per run is tidy.summarise_runs(ds, metric, how, days);
with ``replicates="mean"`` (default) the replicates of a design row are averaged first, so the indices
describe the expected output; with ``replicates="each"`` every replicate is its own base sample (rows
matched by ``pair``: within a base point the replicates share their seeds), so the replicate noise is part of
the output's variance. Several arms give one set of rows per arm. The equations and references are in
analysis/README.md.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import xarray as xr
from scipy import stats as _st

from .io import arms as _arms, design as _design, param_coord, param_values
from .tidy import summarise_runs

_AB = re.compile(r"^AB(\d+)$")
_STEP = re.compile(r"^step(\d+)(?::(\d+))?$")


# ---------------------------------------------------------------------------------------------- samples

def saltelli_sample(n, d, skip=1):
    """Saltelli (2010) rows in [0,1)^d as govsim's design::saltelli: for each base point j the rows
    A_j, AB_j^1..AB_j^d, B_j, where A and B are the first and last d columns of the 2d-dimensional
    unscrambled Sobol' sequence after skipping ``skip`` points (the origin). Returns (U, block, group)."""
    from scipy.stats import qmc

    eng = qmc.Sobol(2 * d, scramble=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # balance warning for n not a power of 2
        if skip:
            eng.fast_forward(skip)
        base = eng.random(n)
    A, B = base[:, :d], base[:, d:]
    rows, block, group = [], [], []
    for j in range(n):
        rows.append(A[j])
        block.append("A")
        for i in range(d):
            ab = A[j].copy()
            ab[i] = B[j, i]
            rows.append(ab)
            block.append(f"AB{i + 1}")
        rows.append(B[j])
        block.append("B")
        group.extend([j] * (d + 2))
    return np.array(rows), np.array(block, dtype=object), np.array(group, dtype=np.int64)


def morris_sample(r, d, levels=4, seed=0):
    """Morris (1991) trajectories on a ``levels``-level grid in [0,1]^d, step levels/(2(levels-1)): each of
    r trajectories starts at a random grid point and changes one factor per step in a random order (up if it
    stays in [0,1], else down). Returns (U, block, group) with blocks "step0", "step<k>:<factor 1-based>".
    The same layout as govsim's design::morris, not the same random stream."""
    rng = np.random.default_rng(seed)
    delta = levels / (2.0 * (levels - 1))
    grid = np.arange(levels) / (levels - 1)
    rows, block, group = [], [], []
    for t in range(r):
        x = rng.choice(grid, size=d)
        rows.append(x.copy())
        block.append("step0")
        group.append(t)
        for k, i in enumerate(rng.permutation(d), start=1):
            x[i] = x[i] + delta if x[i] + delta <= 1 + 1e-12 else x[i] - delta
            rows.append(x.copy())
            block.append(f"step{k}:{i + 1}")
            group.append(t)
    return np.array(rows), np.array(block, dtype=object), np.array(group, dtype=np.int64)


def scale(U, bounds):
    """Unit-cube points to parameter values: lo + u (hi - lo) for each column's (lo, hi)."""
    b = np.asarray(bounds, dtype=float)
    return b[:, 0] + np.asarray(U, dtype=float) * (b[:, 1] - b[:, 0])


# ------------------------------------------------------------------------------------------ from a file

def _factors(ds, metric, params):
    """(keys, bounds, names) for a sweep Dataset: the design's sampled axes and the factors to analyse
    (``params``, else those axes)."""
    if metric is None:
        raise ValueError("metric is required with a Dataset")
    keys, bounds = _sampled_axes(ds)
    names = list(params) if params is not None else keys
    if not names:
        raise ValueError("no factors: pass params=[...] (the design has no sampled axes)")
    return keys, bounds, names


def _sampled_axes(ds):
    """(keys, bounds) of the design's sampled axes (kind "bounds"), in axis order."""
    des = _design(ds) or {}
    keys, bounds = [], []
    for ax in des.get("axes", []):
        if ax.get("kind") == "bounds":
            keys.append(ax["key"])
            bounds.append((float(ax["lo"]), float(ax["hi"])))
    return keys, bounds


def _per_run(ds, metric, how, days, arm):
    """Values per run with the design columns, for one arm (or the whole file)."""
    v = summarise_runs(ds, metric, how, days)
    cols = {"value": v.values}
    for c in ("arm", "block", "group", "point", "pair", "replicate", "status"):
        if c in ds.coords:
            cols[c] = ds[c].values
    df = pd.DataFrame(cols, index=ds["run"].values)
    for c in ds.coords:  # parameters under their keys, as the design point set them (io.param_values)
        key = ds[c].attrs.get("key", c)
        if ds[c].dims == ("run",) and "." in key and key not in df.columns:
            df[key] = param_values(ds, key)
    if arm is not None:
        df = df[df["arm"] == arm]
    return df


def _by_arm(ds, arm, fn):
    """Run fn(arm) for the given arm, or for each arm (adding an 'arm' column) when the file has several."""
    names = _arms(ds) if "arm" in ds.coords else [None]
    if arm is not None or len(names) <= 1:
        out = fn(arm)
        if "arm" in ds.coords:
            out.insert(0, "arm", arm if arm is not None else names[0])
        return out
    frames = []
    for a in names:
        out = fn(a)
        out.insert(0, "arm", a)
        frames.append(out)
    return pd.concat(frames, ignore_index=True)


def _rows(df, replicates):
    """The unit of a design row: (group, block) with replicates averaged, or (group, pair, block)."""
    if replicates == "mean":
        return df.groupby(["group", "block"], sort=False)["value"].mean().unstack("block")
    if replicates == "each":
        key = "pair" if "pair" in df.columns else "replicate"
        return df.groupby(["group", key, "block"], sort=False)["value"].mean().unstack("block")
    raise ValueError("replicates must be 'mean' or 'each'")


# ------------------------------------------------------------------------------------------------ Sobol'

def sobol_from_arrays(fA, fB, fAB, names=None, n_boot=1000, conf=0.95, seed=0):
    """First-order (Saltelli 2010) and total (Jansen 1999) indices from model outputs f(A) (N,), f(B) (N,)
    and f(AB^i) (N, d), with bootstrap percentile intervals over base points (seeded)."""
    fA = np.asarray(fA, dtype=float)
    fB = np.asarray(fB, dtype=float)
    fAB = np.asarray(fAB, dtype=float)
    if fAB.ndim == 1:
        fAB = fAB[:, None]
    N, d = fAB.shape
    if fA.shape != (N,) or fB.shape != (N,):
        raise ValueError("fA and fB must have one value per base point (N,), fAB (N, d)")
    ok = np.isfinite(fA) & np.isfinite(fB) & np.isfinite(fAB).all(axis=1)
    fA, fB, fAB = fA[ok], fB[ok], fAB[ok]
    N = len(fA)
    names = list(names) if names is not None else [f"x{i + 1}" for i in range(d)]

    def est(a, b, ab):
        # a, b: (..., N); ab: (..., N, d)
        ab_ = np.concatenate([a, b], axis=-1)
        V = np.var(ab_, axis=-1)[..., None]
        # Centred outputs (as SALib): the same expectation, but S1's sum no longer carries the output's mean
        # times the noise of f(AB^i) - f(A); uncentred, a backlog of 24 +- 3 cases gave S1 = 1.2 at N = 64.
        m = ab_.mean(axis=-1, keepdims=True)
        a, b, ab = a - m, b - m, ab - m[..., None]
        with np.errstate(invalid="ignore", divide="ignore"):
            S1 = np.mean(b[..., None] * (ab - a[..., None]), axis=-2) / V
            ST = 0.5 * np.mean((a[..., None] - ab) ** 2, axis=-2) / V
        return S1, ST

    S1, ST = est(fA, fB, fAB)
    lo1 = hi1 = loT = hiT = np.full(d, np.nan)
    if n_boot and N > 1:
        rng = np.random.default_rng(seed)
        b1, bT = [], []
        for start in range(0, n_boot, 64):  # chunks bound the memory to 64 x N x d
            idx = rng.integers(0, N, size=(min(64, n_boot - start), N))
            s1, st = est(fA[idx], fB[idx], fAB[idx])
            b1.append(s1)
            bT.append(st)
        b1, bT = np.concatenate(b1), np.concatenate(bT)
        q = [(1 - conf) / 2 * 100, (1 + conf) / 2 * 100]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a constant output: all NaN, said by S1 itself
            lo1, hi1 = np.nanpercentile(b1, q, axis=0)
            loT, hiT = np.nanpercentile(bT, q, axis=0)
    out = pd.DataFrame({"factor": names, "S1": S1, "S1_lo": lo1, "S1_hi": hi1, "ST": ST, "ST_lo": loT,
                        "ST_hi": hiT, "n_base": N})
    out.attrs.update(variance=float(np.var(np.concatenate([fA, fB]))) if N else np.nan, conf=conf,
                     n_boot=n_boot, n_dropped=int((~ok).sum()))
    return out


def sobol_indices(data, metric=None, how="final", days=None, params=None, arm=None, replicates="mean",
                  n_boot=1000, conf=0.95, seed=0, d=None):
    """Sobol' indices S1 and ST with bootstrap intervals.

    data: a Dataset of a Saltelli sweep (blocks "A", "B", "AB1".."ABd"; group = base point), with
    ``metric`` reduced per run by ``how``; or a 1-D array of outputs in saltelli_sample()'s row order (pass
    ``d`` or ``params``); or a dict with "A", "B" (N,) and "AB" (N, d). Factor names: ``params``, else the
    design's sampled axes, else x1..xd. Base points with a NaN (failed runs) are dropped (attrs n_dropped).
    Returns a DataFrame: [arm,] factor, S1, S1_lo, S1_hi, ST, ST_lo, ST_hi, n_base [, metric].
    """
    kw = dict(n_boot=n_boot, conf=conf, seed=seed)
    if isinstance(data, dict):
        return sobol_from_arrays(data["A"], data["B"], data["AB"], names=params, **kw)
    if not isinstance(data, xr.Dataset):
        y = np.asarray(data, dtype=float).ravel()
        d = d if d is not None else len(params)
        if y.size % (d + 2):
            raise ValueError(f"{y.size} outputs are not a multiple of d + 2 = {d + 2}")
        y = y.reshape(-1, d + 2)
        return sobol_from_arrays(y[:, 0], y[:, -1], y[:, 1:-1], names=params, **kw)
    if metric is None:
        raise ValueError("metric is required with a Dataset")
    ds = data
    if "block" not in ds.coords or "group" not in ds.coords:
        raise ValueError("not a Saltelli sweep file: no /runs/block and /runs/group columns")
    keys, _ = _sampled_axes(ds)

    def one(a):
        rows = _rows(_per_run(ds, metric, how, days, a), replicates)
        ab = sorted((int(m.group(1)), c) for c in rows.columns if (m := _AB.match(str(c))))
        if "A" not in rows.columns or "B" not in rows.columns or not ab:
            raise ValueError("a Saltelli design needs blocks A, B and AB1..ABd")
        dd = len(ab)
        if [i for i, _ in ab] != list(range(1, dd + 1)):
            raise ValueError(f"AB blocks are not AB1..AB{dd}: {[c for _, c in ab]}")
        names = params or (keys if len(keys) == dd else [f"x{i}" for i in range(1, dd + 1)])
        out = sobol_from_arrays(rows["A"].values, rows["B"].values, rows[[c for _, c in ab]].values,
                                names=names, **kw)
        out["metric"] = f"{how}:{metric}" if ":" not in metric and metric in ds.data_vars else metric
        return out

    return _by_arm(ds, arm, one)


# ------------------------------------------------------------------------------------------------ Morris

def morris_from_arrays(X, Y, bounds=None, names=None, changed=None, n_boot=1000, conf=0.95, seed=0):
    """Elementary effects from trajectories X (r, d+1, d) and outputs Y (r, d+1).

    X is in parameter units with ``bounds`` [(lo, hi)] per factor, or in the unit cube without. Step k
    changes one factor: ``changed`` (r, d) 0-based indices, else the factor whose scaled value moved most.
    EE in the unit cube: (Y_k - Y_{k-1}) / (u_k - u_{k-1}); in parameter units: (Y_k - Y_{k-1}) / (x_k - x_{k-1}).
    Per factor: mu, mu_star = mean |EE|, sigma (ddof 1) in both units; mu_star's bootstrap interval over
    trajectories (Campolongo et al. 2007)."""
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    r, k1, d = X.shape
    if Y.shape != (r, k1):
        raise ValueError("Y must be (r, d+1) for X (r, d+1, d)")
    b = np.asarray(bounds, dtype=float) if bounds is not None else np.tile([0.0, 1.0], (d, 1))
    width = b[:, 1] - b[:, 0]
    U = (X - b[:, 0]) / width
    dU = np.diff(U, axis=1)  # (r, d, d)
    dX = np.diff(X, axis=1)
    dY = np.diff(Y, axis=1)  # (r, d)
    if changed is None:
        changed = np.argmax(np.abs(dU), axis=2)
    changed = np.asarray(changed, dtype=int)
    ee_u = [[] for _ in range(d)]
    ee_x = [[] for _ in range(d)]
    for t in range(r):
        for k in range(k1 - 1):
            i = changed[t, k]
            du, dx, dy = dU[t, k, i], dX[t, k, i], dY[t, k]
            if du == 0 or not np.isfinite(dy):
                continue
            ee_u[i].append(dy / du)
            ee_x[i].append(dy / dx)
    names = list(names) if names is not None else [f"x{i + 1}" for i in range(d)]
    rng = np.random.default_rng(seed)
    q = [(1 - conf) / 2 * 100, (1 + conf) / 2 * 100]
    rows = []
    for i in range(d):
        eu, ex = np.array(ee_u[i]), np.array(ee_x[i])
        n = len(eu)
        row = {"factor": names[i], "r": n}
        for suffix, e in (("", eu), ("_param", ex)):
            row["mu" + suffix] = e.mean() if n else np.nan
            row["mu_star" + suffix] = np.abs(e).mean() if n else np.nan
            row["sigma" + suffix] = e.std(ddof=1) if n > 1 else np.nan
        if n_boot and n > 1:
            boot = np.abs(eu[rng.integers(0, n, size=(n_boot, n))]).mean(axis=1)
            row["mu_star_lo"], row["mu_star_hi"] = np.percentile(boot, q)
        else:
            row["mu_star_lo"] = row["mu_star_hi"] = np.nan
        rows.append(row)
    cols = ["factor", "mu", "mu_star", "mu_star_lo", "mu_star_hi", "sigma", "mu_param", "mu_star_param",
            "sigma_param", "r"]
    return pd.DataFrame(rows)[cols]


def morris(data, metric=None, how="final", days=None, params=None, bounds=None, arm=None, replicates="mean",
           n_boot=1000, conf=0.95, seed=0, y=None):
    """Morris elementary effects: from a Dataset of a Morris sweep (blocks "step0", "step<k>:<factor>" or
    "step<k>"; group = trajectory; one /runs column per factor), or from arrays: ``morris(X, y=Y,
    bounds=...)`` as morris_from_arrays. Factors and bounds default to the design's sampled axes.
    Returns [arm,] factor, mu, mu_star, mu_star_lo, mu_star_hi, sigma (unit cube), mu_param,
    mu_star_param, sigma_param (parameter units), r [, metric]."""
    kw = dict(n_boot=n_boot, conf=conf, seed=seed)
    if not isinstance(data, xr.Dataset):
        return morris_from_arrays(data, y, bounds=bounds, names=params, **kw)
    ds = data
    keys, ax_bounds, names = _factors(ds, metric, params)
    if bounds is None:
        if names != keys:
            raise ValueError("pass bounds=[(lo, hi)...] for params that are not the design's sampled axes")
        bounds = ax_bounds
    missing = [k for k in names if param_coord(ds, k) is None]
    if missing:
        raise ValueError(f"no /runs column for {missing}")

    def one(a):
        df = _per_run(ds, metric, how, days, a)
        if replicates == "each":
            key = ["group", "pair" if "pair" in df.columns else "replicate"]
        elif replicates == "mean":
            key = ["group"]
        else:
            raise ValueError("replicates must be 'mean' or 'each'")
        parsed = df["block"].astype(str).str.extract(_STEP.pattern)
        if parsed[0].isna().any():
            raise ValueError("not a Morris sweep: blocks must be step0, step<k>[:<factor>]")
        df = df.assign(step=parsed[0].astype(int), factor=pd.to_numeric(parsed[1]))
        agg = df.groupby(key + ["step"], sort=True).agg(
            {**{"value": "mean", "factor": "first"}, **{k: "first" for k in names}})
        Xs, Ys, Cs = [], [], []
        for _, g in agg.groupby(level=list(range(len(key))), sort=False):
            g = g.droplevel(list(range(len(key))))
            if list(g.index) != list(range(len(names) + 1)):
                continue  # an incomplete trajectory
            Xs.append(g[names].to_numpy(float))
            Ys.append(g["value"].to_numpy(float))
            f = g["factor"].to_numpy()[1:]
            Cs.append(None if np.isnan(f).any() else (f - 1).astype(int))
        if not Xs:
            raise ValueError("no complete trajectory")
        changed = None if any(c is None for c in Cs) else np.array(Cs)
        out = morris_from_arrays(np.array(Xs), np.array(Ys), bounds=bounds, names=names, changed=changed, **kw)
        out["metric"] = f"{how}:{metric}" if metric in ds.data_vars else metric
        return out

    return _by_arm(ds, arm, one)


# -------------------------------------------------------------------------------------------------- PRCC

def prcc_from_arrays(X, y, names=None):
    """Partial rank correlation of each column of X (n, k) with y (n,), controlling for the other columns,
    and its two-sided p-value: t = r sqrt((n - 2 - p) / (1 - r^2)) on n - 2 - p degrees of freedom, p = k - 1
    (Marino et al. 2008)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(y) & np.isfinite(X).all(axis=1)
    X, y = X[ok], y[ok]
    n, k = X.shape
    R = np.column_stack([_st.rankdata(X[:, j]) for j in range(k)])
    ry = _st.rankdata(y)
    names = list(names) if names is not None else [f"x{i + 1}" for i in range(k)]
    rows = []
    for j in range(k):
        Z = np.column_stack([np.ones(n), np.delete(R, j, axis=1)])
        res_x = R[:, j] - Z @ np.linalg.lstsq(Z, R[:, j], rcond=None)[0]
        res_y = ry - Z @ np.linalg.lstsq(Z, ry, rcond=None)[0]
        denom = np.sqrt((res_x @ res_x) * (res_y @ res_y))
        r = float(res_x @ res_y / denom) if denom > 0 else np.nan
        df = n - 2 - (k - 1)
        if df > 0 and np.isfinite(r) and abs(r) < 1:
            t = r * np.sqrt(df / (1 - r * r))
            p = float(2 * _st.t.sf(abs(t), df))
        else:
            p = 0.0 if np.isfinite(r) and abs(r) >= 1 and df > 0 else np.nan
        rows.append({"factor": names[j], "prcc": r, "p_value": p, "n": n})
    return pd.DataFrame(rows)


def prcc(data, metric=None, params=None, how="final", days=None, arm=None, replicates="mean"):
    """Partial rank correlation coefficients with p-values.

    data: a Dataset of a sampled sweep (lhs, sobol...: parameters in /runs columns), ``metric`` reduced per
    run by ``how`` and, with replicates="mean", averaged per design ``point``; or a DataFrame with the
    ``params`` columns and the output column ``metric``. ``params`` defaults to the design's sampled axes.
    Returns [arm,] factor, prcc, p_value, n [, metric]."""
    if isinstance(data, pd.DataFrame):
        if params is None or metric is None:
            raise ValueError("pass params=[...] and metric=<output column> with a DataFrame")
        return prcc_from_arrays(data[list(params)].to_numpy(float), data[metric].to_numpy(float), params)
    ds = data
    _, _, names = _factors(ds, metric, params)

    def one(a):
        df = _per_run(ds, metric, how, days, a)
        if replicates == "mean" and "point" in df.columns:
            df = df.groupby("point", sort=False).agg({"value": "mean", **{k: "first" for k in names}})
        elif replicates not in ("mean", "each"):
            raise ValueError("replicates must be 'mean' or 'each'")
        out = prcc_from_arrays(df[names].to_numpy(float), df["value"].to_numpy(float), names)
        out["metric"] = f"{how}:{metric}" if metric in ds.data_vars else metric
        return out

    return _by_arm(ds, arm, one)
