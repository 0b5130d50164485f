"""Figures for sweep files (a root ``design`` attribute): what a sweep is for. The response of an outcome to each
varied parameter, main effects and two-factor interactions of a factorial design, where in the parameter space
one arm beats another (paired differences under common random numbers), and the Morris mu*-sigma plane.

Every value is one run's reduction of a series (tidy.summarise_runs: ``final``, ``mean``, ``sum``...); failed
runs are skipped. A parameter's values are the design point's (io.param_values). Each function returns a
matplotlib Figure; axes carry units (``dimensionless`` where there are none).
"""

from __future__ import annotations

import itertools
import math

import matplotlib
import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from .figures import _label, _style, _units, _wrap, arm_styles
from .io import arms as _arms, design as _design, param_coord, param_values
from .stats import mean_interval
from .tidy import summarise_runs

DIVERGING = "RdBu_r"  # arm differences: blue below 0, red above, white at 0
MAX_DISCRETE = 8      # a parameter with at most this many values is binned by value


def unit_text(units):
    """A unit for an axis label: ``dimensionless`` for none or ``1``."""
    return units if units and units != "1" else "dimensionless"


def sweep_axes(ds):
    """The design's varied parameters found in ``ds`` with two or more values, in axis order: dicts with key,
    coord, kind ("levels"/"bounds"), units, categories (level names of a non-numeric axis, else None) and
    discrete (binned by value)."""
    out = []
    status = _ok(ds)
    for ax in (_design(ds) or {}).get("axes", []):
        coord = param_coord(ds, ax.get("key", ""))
        if coord is None:
            continue
        # the design point's value: absent (NaN, "") in the runs of an arm without the parameter's mechanism
        raw = param_values(ds, ax["key"])[status]
        cats = None
        if raw.dtype == object:
            levels = [str(v) for v in ax.get("levels", [])]
            present = set(map(str, raw)) - {""}
            cats = [v for v in levels if v in present] or sorted(present)
            n = len(cats)
        else:
            n = pd.Series(raw).nunique()
        if n < 2:
            continue
        # binned by value: a levels axis or a category; a sampled axis is binned by rank whatever its count
        levels_axis = ax.get("kind", "levels") == "levels"
        out.append({"key": ax["key"], "coord": coord, "kind": ax.get("kind", "levels"), "categories": cats,
                    "units": "category" if cats else unit_text(_units(ds, coord)),
                    "discrete": bool(cats) or levels_axis or (n <= MAX_DISCRETE and ax.get("kind") != "bounds")})
    return out


def _ok(ds):
    R = ds.sizes["run"]
    return ds["status"].values.astype(str) == "ok" if "status" in ds.coords else np.ones(R, dtype=bool)


def _pair_key(ds):
    return "pair" if "pair" in ds.coords else "replicate"


def run_values(ds, metric, how="final", axes=None):
    """One row per ok run with a finite value: value, arm, point, pair and one column per varied parameter (its
    key; category codes for a non-numeric axis). attrs: units (of the value), metric, how."""
    axes = sweep_axes(ds) if axes is None else axes
    v = summarise_runs(ds, metric, how)
    R = ds.sizes["run"]
    df = pd.DataFrame({"value": np.asarray(v.values, dtype=float),
                       "arm": ds["arm"].values.astype(str) if "arm" in ds.coords else np.array(["(one arm)"] * R),
                       "point": ds["point"].values if "point" in ds.coords else np.zeros(R, dtype=int),
                       "pair": ds[_pair_key(ds)].values if _pair_key(ds) in ds.coords else np.zeros(R, dtype=int)})
    for ax in axes:
        raw = param_values(ds, ax["key"])
        if ax["categories"]:
            df[ax["key"]] = [ax["categories"].index(str(r)) if str(r) in ax["categories"] else np.nan for r in raw]
        else:
            df[ax["key"]] = pd.to_numeric(pd.Series(raw), errors="coerce").to_numpy(float)
    df = df[_ok(ds) & np.isfinite(df["value"].to_numpy())].reset_index(drop=True)
    df.attrs.update(units=unit_text(v.attrs.get("units", "")), metric=metric, how=how)
    return df


def counts(df):
    """What a figure of ``df`` rests on: arms, design points, replicates per point (min, max), runs."""
    per = df.groupby(["arm", "point"]).size()
    return {"arms": list(dict.fromkeys(df["arm"])), "points": int(df["point"].nunique()),
            "rep_min": int(per.min()) if len(per) else 0, "rep_max": int(per.max()) if len(per) else 0,
            "runs": int(len(df))}


def counts_text(c):
    """'16 design points × 2 replicates per point' (a range where failed runs make them uneven)."""
    reps = str(c["rep_min"]) if c["rep_min"] == c["rep_max"] else f"{c['rep_min']}–{c['rep_max']}"
    return (f"{c['points']} design point{'s' if c['points'] != 1 else ''} × {reps} replicate"
            f"{'s' if c['rep_max'] != 1 else ''} per point")


def point_means(df, axes):
    """Per arm and design point: the mean over its replicates (value), their number (n) and the parameters."""
    agg = {"value": "mean", "pair": "size", **{ax["key"]: "first" for ax in axes}}
    return df.groupby(["arm", "point"], sort=False).agg(agg).rename(columns={"pair": "n"}).reset_index()


def _bins(x, discrete, bins):
    """A bin per run of ``x``: its value where discrete, else equal-count bins by rank (at least 3 per bin)."""
    x = np.asarray(x, dtype=float)
    if discrete:
        return x
    n = len(x)
    nb = max(1, min(bins, n // 3))
    # equal-count bins by value: equal values (Saltelli's A and AB rows) share a bin
    return pd.qcut(x, nb, labels=False, duplicates="drop").astype(float)


def _interval(values, level):
    return mean_interval(values, level=level)


def _yerr(m, lo, hi):
    return np.abs(np.vstack([np.asarray(m) - np.asarray(lo), np.asarray(hi) - np.asarray(m)]))


def _set_ticks(ax, axis, spec, values):
    """Ticks at the levels of a levels or categorical parameter on ``axis`` ('x' or 'y'); sampled parameters keep
    matplotlib's ticks (their few values may lie close together)."""
    vals = sorted(set(v for v in values if np.isfinite(v)))
    if spec["categories"]:
        labels = [spec["categories"][int(v)] for v in vals]
    elif spec["kind"] == "levels":
        labels = [f"{v:.4g}" for v in vals]
    else:
        return
    (ax.set_xticks if axis == "x" else ax.set_yticks)(vals, labels)


def _grid(n, ncols):
    ncols = max(1, min(ncols, n))
    return math.ceil(n / ncols), ncols


def _split(fig, legend_rows):
    """(panels, legend) subfigures: a strip below the panels for a legend (matplotlib 3.6 cannot place one
    outside the axes under constrained layout)."""
    h = fig.get_figheight()
    strip = 0.35 + 0.24 * legend_rows
    return fig.subfigures(2, 1, height_ratios=[h - strip, strip])


def _chars(fig):
    """Characters of suptitle text that fit the figure's width."""
    return max(40, int(fig.get_figwidth() * 10))


def _value_label(df):
    return _label(f"{df.attrs['how']} of {df.attrs['metric']}", df.attrs["units"])


def interval_basis(ds, df):
    """What the response figure's intervals run across: "replicates" where every design axis has fixed levels
    (a factorial: the other factors' levels are the design's, not a sample) and there are replicates, else
    "points" (sampled designs: the design points in a bin sample the other parameters)."""
    kinds = [ax.get("kind") for ax in (_design(ds) or {}).get("axes", [])]
    return "replicates" if kinds and all(k == "levels" for k in kinds) and counts(df)["rep_min"] > 1 else "points"


def response(ds, metric, how="final", params=None, arms=None, bins=8, level=0.95, title=None):
    """A panel per varied parameter: each design point's mean over its replicates (small hollow markers, per arm)
    against the parameter's value, and per arm the mean of those point means at each value of the parameter
    (where it has at most MAX_DISCRETE, or levels) or in equal-count bins, with a ``level`` t-interval across
    the points averaged there (their spread over the other parameters and the replicate noise) or, for a
    factorial (interval_basis), across replicates (each replicate's mean over those points)."""
    axes = [a for a in sweep_axes(ds) if params is None or a["key"] in params]
    if not axes:
        raise ValueError("no varied parameter with two or more values in this file")
    df = run_values(ds, metric, how, axes)
    basis = interval_basis(ds, df)
    names = [a for a in (arms or _arms(ds) or ["(one arm)"]) if (df["arm"] == a).any()]
    pts = point_means(df, axes)
    styles = arm_styles(names)
    rows, cols = _grid(len(axes), 3)
    with _style():
        fig = Figure(figsize=(0.6 + 3.9 * cols, 1.5 + 3.1 * rows), layout="constrained")
        top, bottom = _split(fig, math.ceil((len(names) + 1) / 2))
        panels = top.subplots(rows, cols, squeeze=False, sharey=True)
        for ax, spec in zip(panels.flat, axes):
            key = spec["key"]
            span = np.ptp(pts[key].to_numpy(float)) or 1.0
            for i, a in enumerate(names):
                st = styles[a]
                p = pts[pts["arm"] == a].dropna(subset=[key])
                dodge = (i - (len(names) - 1) / 2) * 0.025 * span if spec["discrete"] else 0.0
                ax.plot(p[key] + dodge, p["value"], linestyle="none", marker=st["marker"], markersize=4,
                        markerfacecolor="none", markeredgecolor=st["color"], alpha=0.55, markeredgewidth=0.8)
                b = _bins(p[key], spec["discrete"], bins)
                runs = df[df["arm"] == a]
                stats = [(p[key][b == k].mean(), *(_interval(p["value"][b == k], level) if basis == "points" else
                                                   _level_means(runs, runs["point"].isin(p["point"][b == k]), level)))
                         for k in np.unique(b)]
                if not stats:
                    continue
                bx, bm, blo, bhi, bn = map(np.array, zip(*stats))
                yerr = _yerr(bm, np.where(bn > 1, blo, bm), np.where(bn > 1, bhi, bm))
                line = ax.errorbar(bx + dodge, bm, yerr=yerr, color=st["color"], linestyle=st["linestyle"],
                                   marker=st["marker"], markersize=7, markeredgecolor="black", linewidth=1.8,
                                   capsize=4)
                line.lines[0].set_gid(f"response:{a}")
            _set_ticks(ax, "x", spec, pts[key].to_numpy(float))
            ax.set_xlabel(_label(key, spec["units"]))
            ax.set_ylabel(_value_label(df))
            ax.set_title(key)
        for ax in list(panels.flat)[len(axes):]:
            ax.set_visible(False)
        handles = [Line2D([], [], color=styles[a]["color"], linestyle=styles[a]["linestyle"],
                          marker=styles[a]["marker"], markeredgecolor="black", label=f"{a}: mean per value or bin, "
                          f"{level:.0%} t-interval across {basis}") for a in names]
        handles.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="none", markeredgecolor="0.3",
                              label="one design point: mean over its replicates"))
        bottom.legend(handles=handles, loc="center", ncol=min(2, len(handles)), frameon=False)
        long = ds[metric].attrs.get("long_name", metric) if metric in ds.variables else metric
        fig.suptitle(_wrap(title or f"{how} of {metric} ({long}) against each varied parameter\n"
                                    f"{counts_text(counts(df))}", _chars(fig)))
    return fig


def _level_means(df, mask, level):
    """The mean over the design points in ``mask`` with a ``level`` t-interval across replicates: per pair
    (replicate) the mean over those points, then the mean and interval of these; (mean, lo, hi, n)."""
    per = df[mask].groupby("pair")["value"].mean()
    return _interval(per.to_numpy(), level)


def _levels_of(pts_or_df, key):
    return sorted(v for v in pd.unique(pts_or_df[key]) if np.isfinite(v))


def _draw_levels(ax, x, m, lo, hi, n, st, label, dodge=0.0):
    x, m, lo, hi, n = map(np.asarray, (x, m, lo, hi, n))
    yerr = _yerr(m, np.where(n > 1, lo, m), np.where(n > 1, hi, m))
    bars = ax.errorbar(x + dodge, m, yerr=yerr, color=st["color"], linestyle=st["linestyle"], marker=st["marker"],
                       markersize=7, markeredgecolor="black", linewidth=1.8, capsize=4, label=label)
    bars.lines[0].set_gid(f"levels:{label}")
    return bars


def _factor_specs(ds, factors):
    axes = [a for a in sweep_axes(ds) if a["discrete"]]
    return [a for a in axes if factors is None or a["key"] in factors]


def main_effects(ds, metrics, factors=None, arms=None, level=0.95, title=None):
    """Main-effect plots of a factorial design: a row per metric ((name, how) pairs), a panel per factor; per arm
    the mean outcome at each level of the factor (over the design points at that level, i.e. averaged over the
    other factors' levels) with a ``level`` t-interval across replicates (each replicate's mean over those points;
    none with one replicate), and the arm's mean over every run (dotted)."""
    axes = _factor_specs(ds, factors)
    if not axes:
        raise ValueError("no factor with levels in this file")
    frames = [run_values(ds, m, h, axes) for m, h in metrics]
    names = [a for a in (arms or _arms(ds) or ["(one arm)"]) if any((f["arm"] == a).any() for f in frames)]
    styles = arm_styles(names)
    with _style():
        fig = Figure(figsize=(0.9 + 3.4 * len(axes), 1.9 + 2.4 * len(frames)), layout="constrained")
        top, bottom = _split(fig, 1 + math.ceil((len(names) + 1) / 3))
        panels = top.subplots(len(frames), len(axes), squeeze=False, sharey="row")
        for r, df in enumerate(frames):
            for c, spec in enumerate(axes):
                ax, key = panels[r, c], spec["key"]
                levels = _levels_of(df, key)
                span = (max(levels) - min(levels)) or 1.0
                for i, a in enumerate(names):
                    sub = df[df["arm"] == a]
                    if sub.empty:
                        continue
                    stats = [_level_means(sub, sub[key] == v, level) for v in levels]
                    m, lo, hi, n = zip(*stats)
                    dodge = (i - (len(names) - 1) / 2) * 0.03 * span
                    _draw_levels(ax, levels, m, lo, hi, n, styles[a], a, dodge)
                    ax.axhline(sub["value"].mean(), color=styles[a]["color"], linestyle=":", linewidth=1.0)
                _set_ticks(ax, "x", spec, levels)
                ax.set_xlabel(_label(key, spec["units"]))
                if c == 0:
                    ax.set_ylabel(_wrap(_value_label(df), 30))
                if r == 0:
                    ax.set_title(key)
        bottom.legend(handles=[Line2D([], [], color=styles[a]["color"], linestyle=styles[a]["linestyle"],
                                      marker=styles[a]["marker"], markeredgecolor="black", label=a) for a in names]
                      + [Line2D([], [], color="0.3", linestyle=":", label="arm's mean over all its runs")],
                      loc="center", ncol=min(3, len(names) + 1), frameon=False, title="arm")
        fig.suptitle(_wrap(title or f"Main effects: mean at each level, {level:.0%} t-interval across replicates\n"
                                    f"{counts_text(counts(frames[0]))}", _chars(fig)))
    return fig


def factor_pairs(ds, factors=None, limit=3):
    """Pairs of factorial factors for interaction plots, the first ``limit`` in axis order."""
    keys = [a["key"] for a in _factor_specs(ds, factors)]
    return list(itertools.combinations(keys, 2))[:limit]


def interactions(ds, metrics, pair, arms=None, level=0.95, title=None):
    """Interaction plot of two factors: a row per metric, a panel per arm; the mean outcome against the first
    factor's levels, one line per level of the second (averaged over any other factors), with a ``level``
    t-interval across replicates. Parallel lines: no interaction."""
    f1, f2 = pair
    specs = {a["key"]: a for a in _factor_specs(ds, None)}
    if f1 not in specs or f2 not in specs:
        raise ValueError(f"{pair} are not factors with levels in this file")
    s1, s2 = specs[f1], specs[f2]
    frames = [run_values(ds, m, h, [s1, s2]) for m, h in metrics]
    names = [a for a in (arms or _arms(ds) or ["(one arm)"]) if any((f["arm"] == a).any() for f in frames)]
    levels2 = _levels_of(frames[0], f2)
    lab2 = [s2["categories"][int(v)] if s2["categories"] else f"{v:.4g}" for v in levels2]
    styles = arm_styles([f"{f2} = {v}" for v in lab2])
    with _style():
        fig = Figure(figsize=(0.9 + 3.6 * len(names), 2.0 + 2.4 * len(frames)), layout="constrained")
        top, bottom = _split(fig, 1 + math.ceil(len(styles) / 4))
        panels = top.subplots(len(frames), len(names), squeeze=False, sharey="row")
        for r, df in enumerate(frames):
            levels1 = _levels_of(df, f1)
            span = (max(levels1) - min(levels1)) or 1.0
            for c, a in enumerate(names):
                ax = panels[r, c]
                sub = df[df["arm"] == a]
                for j, (v2, l2) in enumerate(zip(levels2, lab2)):
                    stats = [_level_means(sub, (sub[f1] == v1) & (sub[f2] == v2), level) for v1 in levels1]
                    m, lo, hi, n = zip(*stats)
                    dodge = (j - (len(levels2) - 1) / 2) * 0.03 * span
                    _draw_levels(ax, levels1, m, lo, hi, n, styles[f"{f2} = {l2}"], f"{f2} = {l2}", dodge)
                _set_ticks(ax, "x", s1, levels1)
                ax.set_xlabel(_label(f1, s1["units"]))
                if c == 0:
                    ax.set_ylabel(_wrap(_value_label(df), 30))
                if r == 0:
                    ax.set_title(f"arm {a}")
        bottom.legend(handles=[Line2D([], [], color=styles[k]["color"], linestyle=styles[k]["linestyle"],
                                      marker=styles[k]["marker"], markeredgecolor="black", label=k) for k in styles],
                      loc="center", ncol=min(4, len(styles)), frameon=False,
                   title=f"{f2} ({s2['units']})")
        fig.suptitle(_wrap(title or f"Interaction of {f1} and {f2}: mean, {level:.0%} t-interval across "
                                    f"replicates\n{counts_text(counts(frames[0]))}", _chars(fig)))
    return fig


def paired_differences(df, arm, baseline, keys, level=0.95):
    """arm − baseline over runs at the same design point and pair (common random numbers), per cell of ``keys``
    (parameter values; design points sharing them are averaged): per pair the mean difference over the cell's
    points, then its mean, ``level`` t-interval across pairs, n (pairs) and points. Columns: keys, diff, lo, hi,
    n, points, excludes_zero."""
    a = df[df["arm"] == arm].set_index(["point", "pair"])
    b = df[df["arm"] == baseline].set_index(["point", "pair"])["value"]
    j = a.join(b.rename("base"), how="inner")
    j = j.assign(d=j["value"] - j["base"]).reset_index()
    rows = []
    for cell, g in j.groupby(keys if len(keys) > 1 else keys[0], sort=True):
        cell = cell if isinstance(cell, tuple) else (cell,)
        m, lo, hi, n = _interval(g.groupby("pair")["d"].mean().to_numpy(), level)
        rows.append({**dict(zip(keys, cell)), "diff": m, "lo": lo, "hi": hi, "n": n,
                     "points": int(g["point"].nunique()), "excludes_zero": bool(n > 1 and (lo > 0 or hi < 0))})
    return pd.DataFrame(rows, columns=list(keys) + ["diff", "lo", "hi", "n", "points", "excludes_zero"])


def arm_difference(ds, metrics, arm, baseline=None, params=None, level=0.95, title=None):
    """Where ``arm`` beats ``baseline``: a panel per metric ((name, how) pairs) of the paired difference arm −
    baseline (same design point and pair) over the first two varied parameters (``params``): a heat map for two
    factors with levels, else a scatter of the cells, coloured on a diverging scale centred on 0; cells whose
    ``level`` t-interval across pairs excludes 0 are outlined in black (and starred). With one varied parameter
    the difference is drawn against it with its interval."""
    names = _arms(ds)
    baseline = baseline if baseline is not None else names[0]
    if arm not in names or baseline not in names or arm == baseline:
        raise ValueError(f"need two arms of this file ({', '.join(names)}), got {arm!r} and {baseline!r}")
    axes = [a for a in sweep_axes(ds) if params is None or a["key"] in params][:2]
    if not axes:
        raise ValueError("no varied parameter with two or more values in this file")
    keys = [a["key"] for a in axes]
    frames = [run_values(ds, m, h, axes) for m, h in metrics]
    rows, cols = _grid(len(frames), 3)
    with _style():
        fig = Figure(figsize=(0.6 + 4.6 * cols, 1.8 + 3.6 * rows), layout="constrained")
        top, bottom = _split(fig, 1)
        panels = top.subplots(rows, cols, squeeze=False)
        for ax, df in zip(panels.flat, frames):
            t = paired_differences(df, arm, baseline, keys, level)
            label = _label(f"{arm} − {baseline}", df.attrs["units"])
            ax.set_title(_wrap(f"{df.attrs['how']} of {df.attrs['metric']}", 40))
            if len(axes) == 1:
                _difference_line(ax, t, axes[0], label)
            else:
                _difference_map(top, ax, t, axes, label)
        for ax in list(panels.flat)[len(frames):]:
            ax.set_visible(False)
        what = f"the {level:.0%} t-interval across replicate pairs excludes 0"
        handles = [Line2D([], [], linestyle="none", marker="o", markersize=8, color="black", label=f"filled: {what}")
                   if len(axes) == 1 else
                   Line2D([], [], linestyle="none", marker="s", markersize=10, markerfacecolor="white",
                          markeredgecolor="black", markeredgewidth=2.2, label=f"* black outline: {what}")]
        bottom.legend(handles=handles, loc="center", frameon=False)
        c = counts(frames[0])
        fig.suptitle(_wrap(title or f"Paired difference {arm} − {baseline} (same design point and seed) over "
                                    f"{' and '.join(keys)}\n{counts_text(c)}", _chars(fig)))
    return fig


def _difference_line(ax, t, spec, label):
    key = spec["key"]
    x, m = t[key].to_numpy(float), t["diff"].to_numpy(float)
    n = t["n"].to_numpy()
    ax.errorbar(x, m, yerr=_yerr(m, np.where(n > 1, t["lo"], m), np.where(n > 1, t["hi"], m)), color="black",
                linestyle="-", marker="o", markersize=7, capsize=4, linewidth=1.4, markerfacecolor="white")
    sig = t["excludes_zero"].to_numpy(bool)
    ax.plot(x[sig], m[sig], linestyle="none", marker="o", markersize=7, color="black")
    ax.axhline(0.0, color="0.35", linestyle="--", linewidth=1.0)
    _set_ticks(ax, "x", spec, x)
    ax.set_xlabel(_label(key, spec["units"]))
    ax.set_ylabel(label)


def _short(v):
    """A cell's number: 3 significant digits, whole numbers from 1,000 on."""
    return f"{v:,.0f}" if abs(v) >= 1e3 else f"{v:.3g}"


def _difference_map(fig, ax, t, axes, label):
    (s1, s2), (k1, k2) = axes, (axes[0]["key"], axes[1]["key"])
    m = t["diff"].to_numpy(float)
    vmax = float(np.nanmax(np.abs(m))) if np.isfinite(m).any() else 1.0
    norm = mcolors.Normalize(-(vmax or 1.0), vmax or 1.0)
    cmap = matplotlib.colormaps[DIVERGING]
    sig = t["excludes_zero"].to_numpy(bool)
    if s1["discrete"] and s2["discrete"]:
        l1, l2 = _levels_of(t, k1), _levels_of(t, k2)
        grid = np.full((len(l2), len(l1)), np.nan)
        for (_, r), s in zip(t.iterrows(), sig):
            i, j = l2.index(r[k2]), l1.index(r[k1])
            grid[i, j] = r["diff"]
            if s:  # inset, so that neighbouring outlined cells stay apart
                ax.add_patch(Rectangle((j - 0.44, i - 0.44), 0.88, 0.88, fill=False, edgecolor="black",
                                       linewidth=2.4))
            if np.isfinite(r["diff"]) and len(l1) * len(l2) <= 36:
                dark = np.mean(cmap(norm(r["diff"]))[:3]) < 0.45
                ax.text(j, i, _short(r["diff"]) + ("*" if s else ""), ha="center", va="center", fontsize=9,
                        color="white" if dark else "black", fontweight="bold" if s else "normal")
        im = ax.imshow(grid, origin="lower", cmap=cmap, norm=norm, aspect="auto",
                       extent=(-0.5, len(l1) - 0.5, -0.5, len(l2) - 0.5))
        ax.grid(False)
        lab = lambda s, v: s["categories"][int(v)] if s["categories"] else f"{v:.4g}"  # noqa: E731
        ax.set_xticks(range(len(l1)), [lab(s1, v) for v in l1])
        ax.set_yticks(range(len(l2)), [lab(s2, v) for v in l2])
    else:
        x, y = t[k1].to_numpy(float), t[k2].to_numpy(float)
        im = ax.scatter(x, y, c=m, cmap=cmap, norm=norm, s=70, edgecolors="0.5", linewidths=0.6)
        ax.scatter(x[sig], y[sig], s=70, facecolors="none", edgecolors="black", linewidths=2.2)
        _set_ticks(ax, "x", s1, x)
        _set_ticks(ax, "y", s2, y)
    cb = fig.colorbar(im, ax=ax, shrink=0.9)
    cb.set_label(_wrap(label, 34))
    ax.set_xlabel(_label(k1, s1["units"]))
    ax.set_ylabel(_label(k2, s2["units"]))


def morris_plane(table, units=None, title=None):
    """The Morris mu*-sigma plane of a morris() table: each parameter at (mu*, sigma) in the unit cube's
    scaling (output change per a step across the parameter's whole range), labelled, with mu*'s bootstrap
    interval as a horizontal bar; the dashed line sigma = mu* (above it: non-linear or interacting). A panel per
    arm."""
    if "mu_star" not in table.columns:
        raise ValueError("expected a table from morris()")
    arms = list(dict.fromkeys(table["arm"])) if "arm" in table.columns else [None]
    metric = table["metric"].iloc[0] if "metric" in table.columns and len(table) else ""
    how, _, name = str(metric).rpartition(":")
    metric = f"{how} of {name}" if how else name
    u = unit_text(units)
    per = f"{u} per parameter range" if u != "dimensionless" else "dimensionless"
    with _style():
        fig = Figure(figsize=(7.2, 0.8 + 4.6 * len(arms)), layout="constrained")
        panels = fig.subplots(len(arms), 1, squeeze=False)[:, 0]
        for ax, a in zip(panels, arms):
            t = table if a is None else table[table["arm"] == a]
            mu, sd = t["mu_star"].to_numpy(float), t["sigma"].to_numpy(float)
            lo, hi = t["mu_star_lo"].to_numpy(float), t["mu_star_hi"].to_numpy(float)
            xerr = np.where(np.isfinite([lo, hi]), np.abs(np.vstack([mu - lo, hi - mu])), 0.0)
            ax.errorbar(mu, sd, xerr=xerr, fmt="o", color="black", markerfacecolor="#d4d4d4", markersize=7,
                        capsize=3, linewidth=1.0)
            top = float(np.nanmax(np.concatenate([hi[np.isfinite(hi)], mu, sd]))) if len(t) else 1.0
            top = top if np.isfinite(top) and top > 0 else 1.0
            ax.plot([0, 1.1 * top], [0, 1.1 * top], color="0.4", linestyle="--", linewidth=1.0, label="σ = μ*")
            order = np.argsort(sd)
            for k, i in enumerate(order):  # alternate sides so neighbouring labels part
                ax.annotate(str(t["factor"].iloc[i]), (mu[i], sd[i]), xytext=(6, 6 if k % 2 else -12),
                            textcoords="offset points", fontsize=9)
            ax.set_xlim(0, 1.15 * top)
            ax.set_ylim(0, 1.15 * top)
            ax.set_xlabel(_label("μ*: mean |elementary effect|", per))
            ax.set_ylabel(_label("σ: sd of the elementary effects", per))
            ax.set_title(f"arm {a}" if a is not None else str(metric))
            ax.legend(loc="upper left", frameon=False)
        fig.suptitle(_wrap(title or f"Morris μ*–σ plane: {metric}", _chars(fig)))
    return fig
