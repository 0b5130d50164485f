"""Figures for govsim output: per-arm time series, forest plots of paired differences, per-community heat
maps, sensitivity bars and shock recovery. Each function returns a matplotlib Figure (made without pyplot,
so no global state and no display); save() writes it as PNG and SVG.

Legibility: every axis is labelled with its units (the file's ``units`` attributes), text is at least 9 pt,
and arms differ by line style, marker and hatch as well as by a colour cycle of distinct lightness
(cividis), so they stay apart in greyscale print.
"""

from __future__ import annotations

import os
import sys
import textwrap
import warnings

import matplotlib

if "matplotlib.pyplot" not in sys.modules:
    matplotlib.use("Agg")  # headless; a notebook that already chose a backend keeps it
import matplotlib.colors as mcolors  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .io import BY_COMMUNITY_SUFFIX, arms as _arms, config as _config  # noqa: E402
from .stats import mean_interval_array  # noqa: E402

DAY_LABEL = "day of simulation (days)"
MIN_FONT_PT = 9
STYLE = {
    "font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10, "xtick.labelsize": 9, "ytick.labelsize": 9,
    "legend.fontsize": 9, "legend.title_fontsize": 9, "figure.titlesize": 12, "axes.grid": True,
    "grid.alpha": 0.3, "grid.linewidth": 0.6, "hatch.linewidth": 0.6, "svg.fonttype": "none",
    "axes.spines.top": False, "axes.spines.right": False,
}
LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
HATCHES = ("//", "\\\\", "..", "xx", "||", "--", "oo", "++")


def _style():
    return matplotlib.rc_context(STYLE)


def arm_styles(names):
    """Style per arm: colour (cividis, evenly spaced lightness), linestyle, marker and hatch; with 6 line styles
    and 8 markers the (linestyle, marker) pairs are unique for up to 24 arms."""
    n = len(names)
    cmap = matplotlib.colormaps["cividis"]
    pos = np.linspace(0.0, 0.85, n) if n > 1 else [0.0]
    return {a: {"color": mcolors.to_hex(cmap(p)), "linestyle": LINESTYLES[i % len(LINESTYLES)],
                "marker": MARKERS[i % len(MARKERS)], "hatch": HATCHES[i % len(HATCHES)]}
            for i, (a, p) in enumerate(zip(names, pos))}


def luminance(color):
    """Relative lightness 0..1 of a colour as a greyscale print renders it (Rec. 601 weights)."""
    r, g, b = mcolors.to_rgb(color)
    return 0.299 * r + 0.587 * g + 0.114 * b


def _units(ds, var):
    """A variable's unit for labels: display_units (what is counted: cases, demands/day, 0-1), else units."""
    if var not in ds.variables:
        return ""
    a = ds[var].attrs
    return a.get("display_units", a.get("units", ""))


def _label(name, units):
    return f"{name} ({units})" if units else name


def _wrap(title, width=80):
    """Long titles (long_name runs to 99 characters) on several lines rather than cut at the figure's edge."""
    return "\n".join(textwrap.fill(line, width) for line in str(title).split("\n"))


def save(fig, path_stem, dpi=150):
    """Write fig as PATH_STEM.png and PATH_STEM.svg; returns the two paths."""
    stem = os.fspath(path_stem)
    d = os.path.dirname(stem)
    if d:
        os.makedirs(d, exist_ok=True)
    paths = []
    with _style():
        for ext in ("png", "svg"):
            p = f"{stem}.{ext}"
            fig.savefig(p, dpi=dpi, format=ext)
            paths.append(p)
    return paths


def _arm_rows(ds, arms):
    names = _arms(ds) or [None]
    if arms is not None:
        arms = [arms] if isinstance(arms, str) else list(arms)
        unknown = [a for a in arms if a not in names]
        if unknown:
            raise ValueError(f"no arm {unknown} in this file ({', '.join(map(str, names))})")
        names = arms
    arm = ds["arm"].values if "arm" in ds.coords else np.array([None] * ds.sizes["run"])
    return [(a, arm == a) for a in names]


def _markevery(T, i, n):
    step = max(1, T // 8)
    return (int(i * step / max(n, 1)) % step, step)


def _draw_arm_lines(ax, ds, metric, arms, days, band=True):
    """Mean across replicates per arm and day with the 95% t-band; returns {arm: (day, mean, lo, hi)}."""
    da = ds[metric] if days is None else ds[metric].sel(day=days)
    day = da["day"].values
    rows = [(a, m) for a, m in _arm_rows(ds, arms)]
    styles = arm_styles([a for a, _ in rows])
    out = {}
    x = da.values
    for i, (a, m) in enumerate(rows):
        mean, lo, hi, n = mean_interval_array(x[m], axis=0)
        if not np.isfinite(mean).any():
            continue  # the arm does not record this metric
        st = styles[a]
        nrep = int(np.max(n)) if np.size(n) else 0
        (line,) = ax.plot(day, mean, color=st["color"], linestyle=st["linestyle"], marker=st["marker"],
                          markersize=5, markevery=_markevery(len(day), i, len(rows)), linewidth=1.6,
                          label=f"{a} (n={nrep})")
        line.set_gid(f"arm:{a}")
        if band and nrep > 1:
            poly = ax.fill_between(day, lo, hi, facecolor=st["color"], alpha=0.18, hatch=st["hatch"],
                                   edgecolor=st["color"], linewidth=0)
            poly.set_gid(f"band:{a}")
        out[a] = (day, mean, lo, hi)
    return out


def timeseries(ds, metric, arms=None, days=None, band=True, title=None):
    """Per-arm mean of a district series by day with a 95% t-interval band across replicates."""
    if metric not in ds.data_vars:
        raise KeyError(f"no series {metric!r} in this file")
    with _style():
        fig = Figure(figsize=(7.5, 4.2), layout="constrained")
        ax = fig.add_subplot()
        drawn = _draw_arm_lines(ax, ds, metric, arms, days, band)
        ax.set_xlabel(DAY_LABEL)
        ax.set_ylabel(_label(metric, _units(ds, metric)))
        ax.set_title(_wrap(title or ds[metric].attrs.get("long_name", metric)))
        if drawn:
            title_ = "arm: mean and 95% interval" if band else "arm: mean"
            if len(drawn) > 4 or max(len(str(a)) for a in drawn) > 30:
                # many or long names: below the axes, where they cover no data
                ax.legend(title=title_, loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False,
                          ncol=1 if max(len(str(a)) for a in drawn) > 30 else 2)
                fig.set_size_inches(7.5, 4.2 + 0.22 * len(drawn))
            else:
                ax.legend(title=title_, loc="best", frameon=False)
    return fig


def forest(effects, title=None):
    """Forest plot of an effect_table(): per metric a panel with each arm's paired difference from the
    baseline and its 95% interval (filled marker: the interval excludes zero), arm names on the y axis."""
    df = effects[effects["arm"] != effects["baseline"]] if "baseline" in effects.columns else effects
    metrics = list(dict.fromkeys(effects["metric"]))
    arms = list(dict.fromkeys(df["arm"]))
    longest = max((len(str(a)) for a in arms), default=8)
    with _style():
        height = max(2.2, 0.9 + len(metrics) * (0.75 + 0.32 * max(len(arms), 1)))
        fig = Figure(figsize=(max(6.5, 4.5 + 0.075 * longest), height), layout="constrained")
        axes = fig.subplots(len(metrics), 1, squeeze=False)[:, 0] if metrics else []
        for ax, m in zip(axes, metrics):
            sub = df[df["metric"] == m]
            allm = effects[effects["metric"] == m]
            how = allm["how"].iloc[0] if "how" in allm else ""
            units = allm["units"].iloc[0] if "units" in allm else ""
            base = allm["baseline"].iloc[0] if "baseline" in allm else ""
            y = np.arange(len(sub))[::-1]
            for yi, (_, r) in zip(y, sub.iterrows()):
                err = [[r["diff"] - r["diff_lo"]], [r["diff_hi"] - r["diff"]]]
                filled = bool(r.get("excludes_zero", False))
                ax.errorbar([r["diff"]], [yi], xerr=err, fmt="o", color="black", ecolor="black", capsize=3,
                            markersize=6, markerfacecolor="black" if filled else "white", linewidth=1.2)
            ax.axvline(0.0, color="0.35", linewidth=1.0, linestyle="--")
            ax.set_yticks(y)
            ax.set_yticklabels([str(a) for a in sub["arm"]])
            ax.set_ylim(-0.7, max(len(sub), 1) - 0.3)
            ax.grid(axis="y", visible=False)
            ax.set_ylabel("arm")
            ax.set_xlabel(_label(f"paired difference vs {base}", units))
            ax.set_title(f"{how} of {m}" if how else m)
            if sub.empty:
                ax.text(0.5, 0.5, "no arm besides the baseline", transform=ax.transAxes, ha="center")
        fig.suptitle(title or "Paired differences (95% interval; filled: excludes zero)")
    return fig


def gini(x, axis=0):
    """Gini coefficient of non-negative values along an axis (0 = equal, 1 = all in one)."""
    x = np.sort(np.asarray(x, dtype=float), axis=axis)
    n = x.shape[axis]
    idx = np.arange(1, n + 1).reshape([-1 if i == axis else 1 for i in range(x.ndim)])
    tot = x.sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (2 * (idx * x).sum(axis=axis) / (n * tot)) - (n + 1) / n


def _select_run(ds, arm, run):
    """The run label to draw: ``run`` if given, else replicate 0 of ``arm``, else the first run."""
    if run is None:
        rows = ds["run"].values
        if arm is not None:
            rows = rows[ds["arm"].values == arm]
            if rows.size == 0:
                raise ValueError(f"no arm {arm!r}")
        run = rows[0]
    return run


def community_heatmap(ds, metric, arm=None, run=None, per_1000_residents=False, title=None):
    """Heat map of a per-community series (community x day) for one run (``run`` label, else replicate 0
    of ``arm``, else the first run), with the Gini coefficient across communities by day beneath."""
    var = metric + BY_COMMUNITY_SUFFIX
    if var not in ds.data_vars:
        raise KeyError(f"{metric!r} is not kept per community in this file")
    run = _select_run(ds, arm, run)
    da = ds[var].sel(run=run)
    x = np.asarray(da.transpose("community", "day").values, dtype=float)
    units = _units(ds, var)
    if per_1000_residents:
        res = ds["community_n_residents"].sel(run=run).values.astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            x = x / res[:, None] * 1000
        units = f"{units}/1000 residents" if units else "per 1000 residents"
    day = ds["day"].values
    arm_name = str(ds["arm"].sel(run=run).values) if "arm" in ds.coords else ""
    rep = int(ds["replicate"].sel(run=run).values) if "replicate" in ds.coords else run
    finite = np.isfinite(x)
    with _style():
        fig = Figure(figsize=(7.5, 5.4), layout="constrained")
        # a colour-bar column beside the heat map and an empty one beside the Gini panel keep the days aligned
        gs = fig.add_gridspec(2, 2, height_ratios=[3, 1.2], width_ratios=[1, 0.035])
        ax = fig.add_subplot(gs[0, 0])
        axg = fig.add_subplot(gs[1, 0], sharex=ax)
        cax = fig.add_subplot(gs[0, 1])
        C = x.shape[0]
        im = ax.imshow(x, aspect="auto", origin="lower", interpolation="nearest", cmap="cividis",
                       extent=(day[0] - 0.5, day[-1] + 0.5, -0.5, C - 0.5))
        ax.grid(False)
        ax.set_ylabel("community (index)")
        if C <= 30:
            ax.set_yticks(np.arange(0, C, max(1, C // 10)))
        ax.tick_params(labelbottom=False)
        cax.grid(False)
        cb = fig.colorbar(im, cax=cax)
        cb.set_label(_label(metric, units))
        ax.set_title(_wrap(title or f"{ds[var].attrs.get('long_name', metric)} by community\n"
                                    f"arm {arm_name}, replicate {rep} (run {run})"))
        if finite.any() and np.nanmin(x) >= 0:
            g = gini(np.where(finite, x, np.nan), axis=0)
            (line,) = axg.plot(day, g, color="black", linewidth=1.4)
            line.set_gid("gini")
            top = float(np.nanmax(g)) if np.isfinite(g).any() else 1.0
            axg.set_ylim(0, max(0.05, top * 1.15))
        else:
            axg.text(0.5, 0.5, "negative or missing values: no Gini coefficient", transform=axg.transAxes,
                     ha="center")
        axg.set_ylabel("Gini across\ncommunities (1)")
        axg.set_xlabel(DAY_LABEL)
    return fig


# /communities/type's codes in order (its flag_meanings attribute, docs/OUTPUT.md), for files that lack it.
COMMUNITY_TYPES = ("old", "commercial", "work_unit", "resettled")


def community_type_names(ds):
    """Names of the community-type codes 0, 1, ... (from /communities/type's flag_meanings)."""
    if "community_type" not in ds.coords:
        return ()
    meanings = ds["community_type"].attrs.get("flag_meanings", "")
    return tuple(meanings.split()) or COMMUNITY_TYPES


def community_type_order(ds, run):
    """The communities of one run sorted by type, then by index (padding, type -1, left out): (order, types)."""
    types = np.asarray(ds["community_type"].sel(run=run).values)
    keep = np.flatnonzero(types >= 0)
    order = keep[np.lexsort((keep, types[keep]))]
    return order, types[order]


def community_type_heatmap(ds, metric="share_good", arm=None, run=None, deviation=True, title=None):
    """Heat map of a per-community series (community x day) for one run, the communities grouped by type
    (/communities/type: old neighbourhoods, commercial estates, work-unit compounds, resettled communities) and
    labelled with it; beside it the mean of the metric over each type's communities by day. With ``deviation``
    (the default) the heat map shows each community's difference from the mean over the communities that day, so
    that the district's drift over time does not hide the differences between communities."""
    var = metric + BY_COMMUNITY_SUFFIX
    if var not in ds.data_vars:
        raise KeyError(f"{metric!r} is not kept per community in this file")
    if "community_type" not in ds.coords:
        raise KeyError("this file has no /communities/type")
    run = _select_run(ds, arm, run)
    names = community_type_names(ds)
    order, types = community_type_order(ds, run)
    x = np.asarray(ds[var].sel(run=run).transpose("community", "day").values, dtype=float)[order]
    units = _units(ds, var)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a day on which no community has a value
        shown = x - np.nanmean(x, axis=0) if deviation else x
    day = ds["day"].values
    arm_name = str(ds["arm"].sel(run=run).values) if "arm" in ds.coords else ""
    rep = int(ds["replicate"].sel(run=run).values) if "replicate" in ds.coords else run
    present = [t for t in range(len(names)) if (types == t).any()]
    styles = arm_styles([names[t] for t in present])
    with _style():
        fig = Figure(figsize=(10.5, 5.4), layout="constrained")
        gs = fig.add_gridspec(1, 3, width_ratios=[1, 0.03, 0.75])
        ax = fig.add_subplot(gs[0, 0])
        cax = fig.add_subplot(gs[0, 1])
        axm = fig.add_subplot(gs[0, 2])
        C = x.shape[0]
        im = ax.imshow(shown, aspect="auto", origin="upper", interpolation="nearest", cmap="cividis",
                       extent=(day[0] - 0.5, day[-1] + 0.5, C - 0.5, -0.5))
        im.set_gid("type_heatmap")
        ax.grid(False)
        ticks, labels = [], []
        for t in present:
            rows = np.flatnonzero(types == t)
            ticks.append(rows.mean())
            labels.append(f"{names[t]} ({rows.size})")
            if rows[0] > 0:  # a white rule between types
                ax.axhline(rows[0] - 0.5, color="white", linewidth=1.6)
        ax.set_yticks(ticks, labels)
        ax.set_ylabel("community, grouped by type (communities)")
        ax.set_xlabel(DAY_LABEL)
        what = "difference from the mean over communities" if deviation else "by community and type"
        ax.set_title(_wrap(title or f"{ds[var].attrs.get('long_name', metric)}: {what}\n"
                                    f"arm {arm_name}, replicate {rep} (run {run})", 70))
        cax.grid(False)
        cb = fig.colorbar(im, cax=cax)
        cb.set_label(_label(f"{metric}: difference from the mean" if deviation else metric, units))
        for i, t in enumerate(present):
            st = styles[names[t]]
            with np.errstate(invalid="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                mean = np.nanmean(x[types == t], axis=0)
            (line,) = axm.plot(day, mean, color=st["color"], linestyle=st["linestyle"], marker=st["marker"],
                               markersize=5, markevery=_markevery(len(day), i, len(present)), linewidth=1.6,
                               label=f"{names[t]} ({int((types == t).sum())})")
            line.set_gid(f"type:{names[t]}")
        axm.set_xlabel(DAY_LABEL)
        axm.set_ylabel(_label(f"{metric}, mean of the type", units))
        axm.set_title("mean by community type")
        axm.legend(title="type (communities)", loc="best", frameon=False)
    return fig


def sensitivity_bars(table, title=None, units=None):
    """Horizontal bars per factor: Sobol' S1 and ST with their bootstrap intervals, Morris mu* (with its
    interval) and sigma, or PRCC with p-values; one panel per arm if the table has several."""
    t = table
    kind = next((k for col, k in (("S1", "sobol"), ("mu_star", "morris"), ("prcc", "prcc")) if col in t.columns), None)
    if kind is None:
        raise ValueError("expected a table from sobol_indices(), morris() or prcc()")
    arms = list(dict.fromkeys(t["arm"])) if "arm" in t.columns else [None]
    metric = t["metric"].iloc[0] if "metric" in t.columns and len(t) else ""
    spec = {"sobol": [("S1", "S1_lo", "S1_hi", "first order S1"), ("ST", "ST_lo", "ST_hi", "total ST")],
            "morris": [("mu_star", "mu_star_lo", "mu_star_hi", "mu* (mean |EE|)"),
                       ("sigma", None, None, "sigma (sd of EE)")],
            "prcc": [("prcc", None, None, "PRCC")]}[kind]
    xlabel = {"sobol": "Sobol' index (share of output variance, 1)",
              "morris": _label("elementary effect per unit-cube step", units or "output units"),
              "prcc": "partial rank correlation coefficient (1)"}[kind]
    factors = list(dict.fromkeys(t["factor"]))
    longest = max((len(str(f)) for f in factors), default=8)
    with _style():
        fig = Figure(figsize=(max(6.5, 4.5 + 0.075 * longest), 0.8 + len(arms) * (0.9 + 0.45 * len(factors))),
                     layout="constrained")
        axes = fig.subplots(len(arms), 1, squeeze=False)[:, 0]
        width = 0.8 / len(spec)
        shades = ("#707070", "#d4d4d4")  # light enough for the black hatching to show
        for ax, a in zip(axes, arms):
            sub = t if a is None else t[t["arm"] == a]
            sub = sub.set_index("factor").reindex(factors)
            y = np.arange(len(factors))[::-1]
            for j, (col, lo, hi, lab) in enumerate(spec):
                v = sub[col].to_numpy(float)
                err = None
                if lo is not None:
                    err = np.abs(np.vstack([v - sub[lo].to_numpy(float), sub[hi].to_numpy(float) - v]))
                pos = y + (len(spec) - 1) / 2 * width - j * width
                bars = ax.barh(pos, v, height=width, xerr=err, color=shades[j % 2], edgecolor="black",
                               hatch=HATCHES[j], linewidth=0.6, capsize=3, label=lab,
                               error_kw={"elinewidth": 1.0, "ecolor": "black"})
                for patch in bars.patches:
                    patch.set_gid(f"bar:{col}")
                if kind == "prcc":
                    for yy, vv, p in zip(pos, v, sub["p_value"].to_numpy(float)):
                        ax.annotate(f"p={p:.2g}", (vv, yy), xytext=(4 if vv >= 0 else -4, 0),
                                    textcoords="offset points", va="center", ha="left" if vv >= 0 else "right",
                                    fontsize=9)
            ax.axvline(0, color="black", linewidth=0.8)
            ax.set_yticks(y)
            ax.set_yticklabels([str(f) for f in factors])
            ax.grid(axis="y", visible=False)
            ax.set_ylabel("factor")
            ax.set_xlabel(xlabel)
            if kind == "prcc":
                ax.set_xlim(-1.15, 1.15)
            ax.set_title(f"arm {a}" if a is not None else (metric or kind))
            ax.legend(loc="best", frameon=False)
        name = {"sobol": "Sobol' indices", "morris": "Morris elementary effects", "prcc": "PRCC"}[kind]
        fig.suptitle(title or (f"{name}: {metric}" if metric else name))
    return fig


def shock_info(ds):
    """(start_day, duration_days, recovery_tolerance) of the file's shock: from the n_shock_active series,
    else the /runs columns shock.start_day etc., else the [shock] section of ``config``. None if no run has
    the shock mechanism on."""
    cp = _config(ds)
    tol = float(cp.get("shock", "recovery_tolerance", fallback="0.05"))
    if "shock__recovery_tolerance" in ds.coords:
        tol = float(np.nanmedian(ds["shock__recovery_tolerance"].values.astype(float)))
    if "n_shock_active" in ds.data_vars:
        act = np.asarray(ds["n_shock_active"].values, dtype=float)
        rows = act[np.isfinite(act).all(axis=1) & (act > 0.5).any(axis=1)]
        if len(rows):
            starts = np.argmax(rows > 0.5, axis=1)
            return int(np.min(starts)), int(np.max((rows > 0.5).sum(axis=1))), tol
    start = dur = None
    if "shock__start_day" in ds.coords:
        start = int(np.nanmin(ds["shock__start_day"].values.astype(float)))
    if "shock__duration_days" in ds.coords:
        dur = int(np.nanmax(ds["shock__duration_days"].values.astype(float)))
    mech = " ".join(map(str, ds["run__mechanisms"].values)) if "run__mechanisms" in ds.coords else \
        cp.get("run", "mechanisms", fallback="") + " " + " ".join(
            v for _, v in (cp.items("arms") if cp.has_section("arms") else []))
    if "shock" not in mech and start is None:
        return None
    start = start if start is not None else int(float(cp.get("shock", "start_day", fallback="200")))
    dur = dur if dur is not None else int(float(cp.get("shock", "duration_days", fallback="60")))
    return start, dur, tol


def shock_summary(ds, metric="n_open_cases", shock_day=None, duration=None, tolerance=None, arms=None,
                  pre_days=7):
    """Per arm, from the arm's mean series: baseline level (mean of the ``pre_days`` days before the
    shock), peak from the shock's first day on and its day, and days from the shock's last day until the
    level is back within (1 + tolerance) x baseline (NaN if never), as docs/ODD.md §7.12 defines them for
    one run."""
    info = shock_info(ds)
    if shock_day is None:
        if info is None:
            raise ValueError("no shock in this file: pass shock_day=")
        shock_day = info[0]
    duration = duration if duration is not None else (info[1] if info else 1)
    tolerance = tolerance if tolerance is not None else (info[2] if info else 0.05)
    day = ds["day"].values
    x = ds[metric].values
    end = shock_day + duration - 1
    rows = []
    for a, m in _arm_rows(ds, arms):
        mean = mean_interval_array(x[m], axis=0)[0]
        if not np.isfinite(mean).any():
            continue
        pre = mean[(day >= shock_day - pre_days) & (day < shock_day)]
        base = float(np.nanmean(pre)) if np.isfinite(pre).any() else np.nan
        after = day >= shock_day
        peak = float(np.nanmax(mean[after])) if np.isfinite(mean[after]).any() else np.nan
        peak_day = int(day[after][np.nanargmax(mean[after])]) if np.isfinite(peak) else -1
        rec = np.nan
        cand = day[(day >= end) & (mean <= (1 + tolerance) * base)]
        if cand.size and np.isfinite(base):
            rec = float(cand[0] - end)
        rows.append({"arm": a, "shock_day": shock_day, "shock_last_day": end, "baseline": base, "peak": peak,
                     "peak_day": peak_day, "days_to_recover": rec})
    return pd.DataFrame(rows)


def shock_recovery(ds, metric="n_open_cases", shock_day=None, arms=None, days=None, duration=None,
                   tolerance=None, pre_days=7, title=None):
    """A metric around the shock: per-arm mean and 95% band, the shock period shaded, each arm's baseline
    level (dashed), peak (large marker) and recovery day (vertical line); the legend gives the numbers."""
    summary = shock_summary(ds, metric, shock_day, duration, tolerance, arms, pre_days)
    if summary.empty:
        raise ValueError(f"no arm records {metric!r}")
    s0, s1 = int(summary["shock_day"].iloc[0]), int(summary["shock_last_day"].iloc[0])
    if days is None:
        lo = max(int(ds["day"].values[0]), s0 - max(30, 2 * pre_days))
        days = slice(lo, None)
    with _style():
        fig = Figure(figsize=(7.5, 5.4), layout="constrained")
        ax = fig.add_subplot()
        ax.axvspan(s0 - 0.5, s1 + 0.5, facecolor="0.85", edgecolor="0.5", hatch="..", linewidth=0,
                   label=f"shock (days {s0}-{s1})", zorder=0)
        drawn = _draw_arm_lines(ax, ds, metric, list(summary["arm"]), days, True)
        styles = arm_styles(list(summary["arm"]))
        for _, r in summary.iterrows():
            a = r["arm"]
            if a not in drawn:
                continue
            st = styles[a]
            ax.hlines(r["baseline"], max(s0 - pre_days, drawn[a][0][0]), s1, colors=st["color"],
                      linestyles="--", linewidth=1.0)
            ax.plot([r["peak_day"]], [r["peak"]], marker=st["marker"], markersize=10, color=st["color"],
                    markeredgecolor="black", linestyle="none")
            if np.isfinite(r["days_to_recover"]):
                ax.axvline(s1 + r["days_to_recover"], color=st["color"], linestyle=st["linestyle"], linewidth=1.0)
            rec = f"recovered {r['days_to_recover']:.0f} d after" if np.isfinite(r["days_to_recover"]) \
                else "not recovered"
            for line in ax.get_lines():
                if line.get_gid() == f"arm:{a}":
                    line.set_label(f"{a}: base {r['baseline']:.4g}, peak {r['peak']:.4g} (day {r['peak_day']}), "
                                   f"{rec}")
        ax.set_xlabel(DAY_LABEL)
        ax.set_ylabel(_label(metric, _units(ds, metric)))
        ax.set_title(_wrap(title or f"{ds[metric].attrs.get('long_name', metric)} around the shock"))
        # below the axes: the labels are long and the data fill the plot
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False, fontsize=9, ncol=1)
    return fig


def standard_figures(ds, out_dir, metrics=None):
    """The figure set of ``python -m govsim_analysis figures``: the report's (report._figure_specs), so the two
    never differ: time series of the key metrics per arm (for a sweep, their response to each varied parameter,
    main effects, interactions and where one arm beats another), the forest plot against the first arm, the
    community heat maps, the shock figure, and the sensitivity charts of every varying key metric. Returns the
    written paths."""
    from .metrics import key_metrics
    from .report import _figure_specs
    from .stats import effect_table

    os.makedirs(out_dir, exist_ok=True)
    pairs = key_metrics(ds) if metrics is None else [(m, "final") for m in metrics]
    eff = effect_table(ds, pairs)
    paths = []
    for name, make, _ in _figure_specs(ds, pairs, eff):
        paths.extend(save(make(), os.path.join(out_dir, name)))
    return paths
