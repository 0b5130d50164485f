"""A self-contained HTML report of one govsim output file: ``python -m govsim_analysis report FILE --out DIR``
(also ``govsim report FILE --out DIR``).

DIR/index.html holds the file's provenance, a summary of its runs (and of the design, for a sweep), the
comparison table of the key metrics against the baseline arm (compare()/effect_table(): per arm mean and 95%
interval, paired difference and its interval, a marker where it excludes zero) and the standard figures, each
with a caption. The figures are embedded as base64 PNG and the CSS is inline, so the page needs no other file,
no network and no JavaScript; the same figures are written beside it as PNG and SVG.

Each figure sits in a frame of its own colour (FRAME_COLOURS, hues that cividis and greys never produce), so a
screenshot of the page can be checked for every figure having rendered (analysis/tests/test_report.py).
"""

from __future__ import annotations

import datetime as _dt
import html
import math
import os

import numpy as np

from . import __version__
from ._page import figure_html, write_page
from .figures import (_units, community_heatmap, community_type_heatmap, community_type_names, forest,
                      sensitivity_bars, shock_info, shock_recovery, shock_summary, timeseries)
from .io import BY_COMMUNITY_SUFFIX, arms as _arms, design as _design, open_results
from .io import config as _config
from .metrics import KEY_COMMUNITY_METRIC, SHOCK_METRIC, TYPE_METRIC, key_metrics, margin
from .stats import contrast, effect_table
from .sweep_figures import (MAX_DISCRETE, arm_difference, counts, counts_text, factor_pairs, interactions,
                            interval_basis, main_effects, morris_plane, response, run_values, sweep_axes)
from .tidy import community_metrics

# One frame colour per figure, in page order (cycled). Saturated hues far from cividis (blue to yellow) and
# from grey, so the frames can be found in a screenshot.
FRAME_COLOURS = ("#e6194b", "#3cb44b", "#f032e6", "#ff7f00", "#911eb4", "#00a0a0", "#9a6324", "#800000",
                 "#008000", "#ff00aa", "#aa5500", "#55aa00")

_CSS = """
body { font-family: 'DejaVu Sans', Arial, Helvetica, sans-serif; font-size: 15px; color: #111; background: #fff;
       margin: 0 auto; max-width: 1360px; padding: 12px 20px 40px; line-height: 1.4; }
h1 { font-size: 24px; margin: 8px 0 4px; } h2 { font-size: 19px; margin: 26px 0 8px; border-bottom: 1px solid #999; }
table { border-collapse: collapse; margin: 6px 0 10px; font-size: 14px; }
th, td { border: 1px solid #bbb; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.prov td:first-child { font-weight: bold; white-space: nowrap; }
code { font-family: 'DejaVu Sans Mono', monospace; font-size: 13px; word-break: break-all; }
tr.sig td { font-weight: bold; } tr.first td { border-top: 2px solid #555; }
.figs { display: grid; grid-template-columns: repeat(auto-fill, minmax(600px, 1fr)); gap: 18px; align-items: start; }
figure.fig { margin: 0; padding: 8px; border: 5px solid; background: #fff; }
figure.fig img { display: block; width: 100%; height: auto; }
figcaption { font-size: 14px; margin-top: 6px; }
.note { font-size: 14px; color: #333; }
table.cmp { font-size: 13px; } table.cmp td.num { white-space: normal; min-width: 4em; }
.wide { overflow-x: auto; }
.warn { font-size: 14px; background: #fff3cd; border-left: 5px solid #b8860b; padding: 6px 10px; }
"""


def fmt(x):
    """A number for the tables: 4 significant digits, whole numbers from 10,000 on; an en dash for NaN."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return html.escape(str(x))
    if not math.isfinite(x):
        return "–"
    if abs(x) >= 1e4:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def _interval(m, lo, hi):
    return f"{fmt(m)} [{fmt(lo)}, {fmt(hi)}]"


def _e(s):
    return html.escape(str(s))


def _table(header, rows, cls=""):
    """rows: lists of cells; a cell is text (escaped) or a tuple (html, css class, attributes)."""
    out = [f'<table class="{cls}">' if cls else "<table>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in header)
           + "</tr>"]
    for r in rows:
        tr_cls = ""
        if isinstance(r, dict):
            tr_cls, r = r.get("cls", ""), r["cells"]
        cells = []
        for c in r:
            if isinstance(c, tuple):
                body, ccls, attrs = (c + ("", ""))[:3]
                cells.append(f'<td class="{ccls}" {attrs}>{body}</td>' if ccls or attrs else f"<td>{body}</td>")
            else:
                cells.append(f"<td>{_e(c)}</td>")
        out.append((f'<tr class="{tr_cls}">' if tr_cls else "<tr>") + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _provenance(ds, path):
    a = ds.attrs
    size = os.path.getsize(path) if os.path.exists(path) else float("nan")
    rows = [("file", (f"<code>{_e(os.path.abspath(path))}</code>",)),
            ("size", f"{size / 1e6:.1f} MB" if math.isfinite(size) else "–"),
            ("schema version", a.get("schema_version", "–")),
            ("govsim version", a.get("govsim_version", "–")),
            ("git revision", (f"<code>{_e(a.get('git_revision', '–'))}</code>",)),
            ("created", a.get("created", "–")),
            ("command line", (f"<code>{_e(a.get('command_line', '–'))}</code>",))]
    if a.get("experiment_fingerprint"):
        rows.append(("experiment fingerprint", (f"<code>{_e(a['experiment_fingerprint'])}</code>",)))
    return _table(["", ""], [[k, v] for k, v in rows], "prov")


def _runs_summary(ds):
    """Arms x replicates, days, communities and run status; the design of a sweep."""
    R, T = ds.sizes["run"], ds.sizes["day"]
    C = ds.sizes.get("community", 0)
    status = ds["status"].values.astype(str) if "status" in ds.coords else np.array(["ok"] * R)
    arm = ds["arm"].values if "arm" in ds.coords else np.array(["(one arm)"] * R, dtype=object)
    rep = ds["replicate"].values if "replicate" in ds.coords else np.zeros(R, dtype=int)
    names = _arms(ds) or ["(one arm)"]
    rows = []
    for a in names:
        m = arm == a
        failed = int((status[m] != "ok").sum())
        rows.append([a, (str(int(m.sum())), "num"), (str(len(np.unique(rep[m]))), "num"),
                     (str(int(m.sum()) - failed), "num"), (str(failed), "num")])
    day = ds["day"].values
    parts = [f"<p>{R} runs: {len(names)} arm{'s' if len(names) != 1 else ''} × "
             f"{len(np.unique(rep))} replicate{'s' if len(np.unique(rep)) != 1 else ''}"
             + (f" × {len(np.unique(ds['point'].values))} design points" if "point" in ds.coords else "")
             + f"; {T} simulated days (day {int(day[0])} to {int(day[-1])}); {C} communities per run.</p>",
             _table(["arm", "runs", "replicates", "ok", "failed"], rows)]
    if int((status != "ok").sum()):
        parts.append('<p class="note">Failed runs have no series; the statistics below skip them.</p>')
    des = _design(ds)
    if des:
        axes = []
        for ax in des.get("axes", []):
            if ax.get("kind") == "bounds":
                rng = f"[{fmt(ax.get('lo'))}, {fmt(ax.get('hi'))}]" + (" (integer)" if ax.get("integer") else "")
                axes.append([ax.get("key", ""), "sampled between bounds", rng])
            else:
                lv = ", ".join(str(v) for v in ax.get("levels", []))
                axes.append([ax.get("key", ""), "levels", lv])
        keys = [("design", des.get("design")), ("samples", des.get("samples")),
                ("design seed", des.get("design_seed")), ("replicates", des.get("replicates")),
                ("points", des.get("n_points")), ("runs", des.get("n_runs"))]
        parts.append("<p>Sweep design: " + "; ".join(f"{k} {_e(v)}" for k, v in keys if v not in (None, ""))
                     + " (docs/EXPERIMENTS.md).</p>")
        if axes:
            parts.append(_table(["parameter", "kind", "values"], axes))
        for w in des.get("warnings", []):  # a varied parameter whose mechanism never acts (govsim plan's)
            parts.append(f'<p class="warn"><b>Warning:</b> {_e(w)}. Its figures show no effect because it '
                         "cannot have one here, not because it has none.</p>")
    return "\n".join(parts)


def _relative(diff, base_mean):
    """A paired difference as a signed percentage of the baseline's mean ("" where that is 0 or unknown)."""
    if not (base_mean == base_mean) or base_mean == 0 or not (diff == diff):
        return ""
    return f"{100 * diff / abs(base_mean):+.3g}%"


def _comparison(ds, metrics, baseline):
    """The comparison table (effect_table) as HTML, and the table itself for the forest plot."""
    eff = effect_table(ds, metrics, baseline=baseline)
    if eff.empty:
        return "<p>No key metric in this file.</p>", eff
    several = len(_arms(ds)) > 1
    base = eff["baseline"].iloc[0]
    header = ["metric (units)", "arm", "n", "mean [95% interval]"]
    if several:
        header += [f"paired difference vs {base} [95% interval]", f"relative to {base}", "pairs", "excludes 0",
                   "margin", "material"]
    rows = []
    for (metric, how), g in eff.groupby(["metric", "how"], sort=False):
        units = g["units"].iloc[0]
        base_mean = float(g.loc[g["arm"] == base, "mean"].iloc[0]) if (g["arm"] == base).any() else float("nan")
        m, relative = margin(ds, metric, how)
        margin_text = "" if m != m else (f"{100 * m:.3g}%" if relative else fmt(m))
        for i, (_, r) in enumerate(g.iterrows()):
            label = f"{how} of {metric}" + (f" ({units})" if units else "") if i == 0 else ""
            key = f'data-metric="{_e(metric)}" data-how="{_e(how)}" data-arm="{_e(r["arm"])}"'
            cells = [label, r["arm"], (str(int(r["n"])), "num"),
                     (_interval(r["mean"], r["lo"], r["hi"]), "num",
                      f'{key} data-col="mean" data-value="{float(r["mean"])!r}"')]
            sig = False
            if several:
                if r["arm"] == base:
                    cells += [("baseline", ""), ("", "num"), ("", "num"), "", (margin_text, "num"), ""]
                else:
                    # a relative margin needs a baseline mean other than 0 (else: no verdict, as govsim run)
                    size = (abs(r["diff"] / base_mean) if base_mean else float("nan")) if relative else abs(r["diff"])
                    material = m == m and size == size and size >= m
                    excl = bool(r["excludes_zero"])
                    sig = excl and (material or m != m)  # bold: beyond noise and, where declared, the margin
                    cells += [(_interval(r["diff"], r["diff_lo"], r["diff_hi"]), "num",
                               f'{key} data-col="diff" data-value="{float(r["diff"])!r}"'),
                              (_relative(r["diff"], base_mean), "num", f'{key} data-col="relative"'),
                              (str(int(r["n_pairs"])), "num"), ("* yes" if excl else "no", ""),
                              (margin_text, "num"),
                              ("yes" if material else ("n/a" if m == m and size != size else
                                                       ("" if m != m else "no")), "")]
            rows.append({"cls": " ".join(c for c in ("first" if i == 0 else "", "sig" if sig else "") if c),
                         "cells": cells})
    note = ("<p class=\"note\">One value per run (<i>final</i>: the last day's value; <i>mean</i>: the mean "
            "over the days), then the mean across replicates with its 95% t-interval. ")
    if several:
        note += (f"The paired difference is arm − {_e(base)} over runs with the same seed (common random "
                 "numbers)" + (" and the same design point" if "point" in ds.coords else "")
                 + "; <i>relative</i>: that difference as a share of the baseline's mean (empty where the "
                 "baseline's mean is 0). Demands reported and demands that lapsed unreported stand beside the "
                 "backlog: a smaller backlog from fewer reports is no better service. "
                 "<b>* yes</b>: its 95% interval excludes zero; <i>margin</i>: the smallest difference taken "
                 "to matter (an assumption declared with the metric, docs/ODD.md §10: absolute, or a share of the "
                 "baseline's mean); <i>material</i>: the difference is at least the margin. A row is bold when "
                 "both hold. The same metrics, margins and numbers as the headline table <code>govsim "
                 "run</code> prints (one list in the file: root attribute <code>headline_metrics</code>).")
    note += "</p>"
    return '<div class="wide">' + _table(header, rows, "cmp") + "</div>" + note + _contrasts(ds, eff), eff


def _contrasts(ds, eff):
    """The scenario's [contrasts] (arm_a - arm_b, paired), for the same metrics as the table."""
    cp = _config(ds)
    if not cp.has_section("contrasts"):
        return ""
    names = set(_arms(ds))
    rows = []
    for name, text in cp.items("contrasts"):
        a, _, b = (x.strip() for x in text.partition(","))
        if a not in names or b not in names:
            continue
        for i, ((metric, how), g) in enumerate(eff.groupby(["metric", "how"], sort=False)):
            c = contrast(ds, metric, a, b, how=how)
            units = g["units"].iloc[0]
            rows.append({"cls": "first" if i == 0 else "",
                         "cells": [name if i == 0 else "", f"{a} − {b}" if i == 0 else "",
                                   f"{how} of {metric}" + (f" ({units})" if units else ""),
                                   (_interval(c["diff"], c["lo"], c["hi"]), "num"), (str(c["n"]), "num"),
                                   "* yes" if c["excludes_zero"] else "no"]})
    if not rows:
        return ""
    return ("<h3>Contrasts</h3>" + _table(["contrast", "difference", "metric (units)", "paired difference [95% "
                                           "interval]", "pairs", "excludes 0"], rows, "cmp")
            + '<p class="note">The scenario\'s <code>[contrasts]</code>: arm_a − arm_b over runs with the same '
            "seed, as <code>govsim run</code> prints them.</p>")


_HOW = {"final": "its value on the last day", "mean": "its mean over the days", "sum": "its sum over the days",
        "max": "its maximum over the days", "min": "its minimum over the days"}


def _plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def _sweep_specs(ds, metrics, eff, axes):
    """The figures of a sweep, in page order: the response of each headline metric that varies to each varied
    parameter, main effects and interactions (factorial designs), where each arm differs from the baseline, the
    forest plot and the sensitivity of each varying metric (Sobol', Morris or PRCC as the design supports)."""
    from .sensitivity import morris, prcc, sobol_indices

    des = (_design(ds) or {}).get("design")
    names = _arms(ds)
    frames = {(m, h): run_values(ds, m, h, axes) for m, h in metrics if m in ds.data_vars}
    varying = [k for k, df in frames.items() if len(df) and np.nanstd(df["value"].to_numpy()) > 0]
    constant = [k for k in frames if k not in varying]
    specs = []
    if not varying:
        return specs
    c = counts(frames[varying[0]])
    size = counts_text(c) + f", {_plural(len(c['arms']), 'arm')}"
    keys = ", ".join(f"<code>{_e(a['key'])}</code>" for a in axes)
    by_value = [a["key"] for a in axes if a["discrete"]]
    binned = [a["key"] for a in axes if not a["discrete"]]
    nb = max(1, min(8, c["points"] // 3))
    bins = []
    if by_value:
        bins.append(f"at each value of {', '.join(map(_e, by_value))}")
    if binned:
        bins.append(f"in {nb} bins of about {c['points'] // nb} points each by the value of "
                    f"{', '.join(map(_e, binned))} (more than {MAX_DISCRETE} values)")
    for i, (m, how) in enumerate(varying):
        df = frames[(m, how)]
        cap = (f"Response of {_e(how)} of <code>{_e(m)}</code> ({_e(df.attrs['units'])}; one value per run: "
               f"{_HOW.get(how, how)}) to each varied parameter ({keys}; x axes in the parameter's units), from "
               f"{counts_text(counts(df))}. Small hollow markers: each design point's mean over its replicates, "
               "per arm. Large markers joined by lines: per arm, the mean of those point means "
               f"{'; '.join(bins)}, with its 95% t-interval "
               + ("across the points averaged there. The other parameters vary between those points, so the "
                  "interval holds their spread as well as the replicate noise"
                  if interval_basis(ds, df) == "points" else
                  "across the replicates (each replicate's mean over those points: the other factors' levels are "
                  "fixed by the design, so the interval is replicate noise)")
               + "; the panels share the y axis.")
        if i == 0:
            cap += (" The per-day series are not drawn for a sweep: pooled over the design points, their means "
                    "would mix the parameters' effects with the arms' and their intervals would not describe "
                    "replicates.")
            if constant:
                cap += (" Not drawn: metrics with one value in every run ("
                        + ", ".join(f"{_e(h)} of <code>{_e(m)}</code>" for m, h in constant) + ").")
        specs.append((f"response_{m}", lambda m=m, how=how: response(ds, m, how), cap))
    factors = [a for a in axes if a["discrete"]]
    nrep = c["rep_min"]
    rep_note = ("with its 95% t-interval across the replicates (each replicate's mean over those points: the "
                "other factors' levels are fixed by the design, so the interval is replicate noise)"
                if nrep > 1 else "(no interval: one replicate per point)")
    rows = ", ".join(f"{_e(h)} of <code>{_e(m)}</code>" for m, h in varying)
    if des == "factorial" and factors:
        cap = (f"Main effects of the {_plural(len(factors), 'factor')} (columns) on each headline metric that "
               f"varies (rows, in its units: {rows}); {size}. Per arm: the mean of the metric at each level of the "
               "factor over the design points at that level, i.e. averaged over the other factors' levels, "
               f"{rep_note}. Dotted: the arm's mean over all its runs. Arms are offset a little along x.")
        specs.append(("main_effects", lambda: main_effects(ds, varying, [a["key"] for a in factors]), cap))
        pairs = factor_pairs(ds, [a["key"] for a in factors])
        every = len(factors) * (len(factors) - 1) // 2
        for f1, f2 in pairs:
            others = [a["key"] for a in factors if a["key"] not in (f1, f2)]
            cap = (f"Interaction of <code>{_e(f1)}</code> (x axis) and <code>{_e(f2)}</code> (one line per level) "
                   f"for each headline metric that varies (rows) and each arm (columns); {size}. The mean of the "
                   "metric over the design points with those two levels"
                   + (f" (averaged over {', '.join(map(_e, others))})" if others else "")
                   + f", {rep_note}. Parallel lines: the effect of <code>{_e(f1)}</code> does not depend on "
                   f"<code>{_e(f2)}</code>."
                   + (f" The first {len(pairs)} of the {every} pairs of factors are drawn." if every > len(pairs)
                      else ""))
            specs.append((f"interaction_{f1}_{f2}", lambda p=(f1, f2): interactions(ds, varying, p), cap))
    base = eff["baseline"].iloc[0] if not eff.empty else (names or [None])[0]
    if len(names) > 1:
        shown = [a["key"] for a in axes[:2]]
        for arm in [a for a in names if a != base]:
            if len(shown) == 2:
                where = (f"over <code>{_e(shown[0])}</code> (x) and <code>{_e(shown[1])}</code> (y)"
                         + (f" (the first two of the {len(axes)} varied parameters: the others differ between "
                            "the points, and points that share both values are averaged)" if len(axes) > 2 else "")
                         + ": colour, the mean over the replicate pairs on a diverging scale centred on 0 (blue "
                         "below, red above, its ends ± the largest difference); black outline and *: the "
                         "difference's 95% t-interval across the pairs excludes 0")
            else:
                where = (f"against <code>{_e(shown[0])}</code>, the mean over the replicate pairs with its 95% "
                         "t-interval across them (filled marker: the interval excludes 0)")
            cap = (f"Where <b>{_e(arm)}</b> differs from the baseline arm <b>{_e(base)}</b>: per headline metric "
                   f"that varies (panels), the paired difference {_e(arm)} − {_e(base)} of the metric (one value per "
                   "run as in the table above, in its units) between runs at the same design point with the same "
                   f"seed (common random numbers), {where}"
                   + (" (none can with one replicate)" if nrep < 2 else "") + f". {size}.")
            specs.append((f"arm_difference_{arm}", lambda a=arm: arm_difference(ds, varying, a, base), cap))
        if not eff.empty:
            sub = eff[eff["arm"] != base]
            npairs = int(sub["n_pairs"].max()) if len(sub) else 0
            cap = (f"Paired difference of each arm from the baseline arm <b>{_e(base)}</b>, per key metric (the "
                   "metric reduced to one value per run as in the table above, in its units), averaged over the "
                   f"sweep: the mean over up to {npairs} pairs ({c['points']} design points × their replicates; "
                   "each run paired with the baseline's run at the same design point with the same seed) with "
                   "its 95% t-interval across them, which holds the differences between design points as well "
                   "as replicate noise (the figures above show them point by point). Filled marker: the "
                   "interval excludes zero; dashed line: no difference.")
            specs.append(("forest", lambda: forest(eff), cap))
    if des in ("saltelli", "morris", "lhs", "sobol"):
        # every headline metric that varies: a constant output has no variance to apportion
        for m, how in varying:
            units = frames[(m, how)].attrs["units"]
            if des == "saltelli":
                table = sobol_indices(ds, m, how=how, n_boot=200)
                what = ("First-order (S1) and total (ST) Sobol' indices with 95% bootstrap intervals "
                        f"(200 resamples of the {int(table['n_base'].iloc[0])} base points, replicates averaged): "
                        "the share of the variance of the output each parameter explains alone (S1) and with its "
                        "interactions (ST); dimensionless.")
                make = lambda t=table, u=units: sensitivity_bars(t, units=u)  # noqa: E731
            elif des == "morris":
                table = morris(ds, m, how=how, n_boot=200)
                r = int(table["r"].max()) if len(table) else 0
                what = ("Morris μ*–σ plane: each parameter at its μ* (mean absolute elementary effect, with a 95% "
                        f"bootstrap interval over the {r} trajectories) and σ (the effects' standard deviation), "
                        f"both in {_e(units)} per step across the parameter's whole range. Far right: influential; "
                        "above the dashed line σ = μ*: the effect changes across the space (non-linear or "
                        "interacting); near the origin: negligible.")
                make = lambda t=table, u=units: morris_plane(t, units=u)  # noqa: E731
            else:
                table = prcc(ds, m, how=how)
                n = int(table["n"].max()) if len(table) else 0
                what = ("Partial rank correlation coefficient of each parameter with the output over the "
                        f"{n} design points (replicates averaged), controlling for the others, with its p-value "
                        "(−1 to 1, dimensionless).")
                make = lambda t=table, u=units: sensitivity_bars(t, units=u)  # noqa: E731
            cap = (f"Sensitivity of {_e(how)} of <code>{_e(m)}</code> ({_e(units)}) to the sampled parameters"
                   + (f", per arm ({', '.join(map(_e, names))})" if len(names) > 1 else "") + f". {what}")
            specs.append((f"sensitivity_{des}_{m}", make, cap))
    return specs


def _sweep_point(ds, arm):
    """' at design point P (key = value, ...)' of the run the community heat maps draw, for a sweep."""
    from .figures import _select_run
    from .io import param_coord

    if not _design(ds) or "point" not in ds.coords:
        return ""
    run = _select_run(ds, arm, None)
    vals = []
    for ax in (_design(ds) or {}).get("axes", []):
        c = param_coord(ds, ax.get("key", ""))
        if c is not None:
            vals.append(f"{_e(ax['key'])} = {_e(fmt(ds[c].sel(run=run).values.item()))}")
    return f" at design point {int(ds['point'].sel(run=run).values)}" + (f" ({', '.join(vals)})" if vals else "")


def _figure_specs(ds, metrics, eff):
    """(name, figure, caption) for the report, in page order: the set of figures.standard_figures(); for a sweep,
    the figures of _sweep_specs() instead of the time series and the forest plot."""
    names = _arms(ds)
    nrep = len(np.unique(ds["replicate"].values)) if "replicate" in ds.coords else 1
    axes = sweep_axes(ds) if _design(ds) else []
    specs = _sweep_specs(ds, metrics, eff, axes) if axes else []
    sweep = bool(specs)  # else (no varied parameter, or no metric varies) the comparison's figures
    pooled = ""
    if _design(ds) and "point" in ds.coords:
        ok = ds["status"].values.astype(str) == "ok" if "status" in ds.coords else np.ones(ds.sizes["run"], bool)
        npts = len(np.unique(ds["point"].values[ok]))
        pooled = (f" Pooled over the sweep's {_plural(npts, 'design point')}: each arm's mean and band are over "
                  "all its runs, so they mix the parameters' effects with the replicate noise.")
    for m, how in metrics if not sweep else []:
        if m not in ds.data_vars:
            continue
        units = _units(ds, m) or "dimensionless"
        lname = ds[m].attrs.get("long_name", m)
        cap = (f"{_e(lname)} (<code>{_e(m)}</code>, {_e(units)}) by day of simulation, per arm: the mean across "
               f"the {nrep} replicate{'s' if nrep != 1 else ''} of each arm (line) and its 95% t-interval "
               "(hatched band). Arms differ by line style and marker as well as by shade." + pooled)
        specs.append((f"timeseries_{m}", lambda m=m: timeseries(ds, m), cap))
    if len(names) > 1 and not eff.empty and not sweep:
        base = eff["baseline"].iloc[0]
        cap = (f"Paired difference of each arm from the baseline arm <b>{_e(base)}</b>, per key metric (the "
               "metric reduced to one value per run as in the table above, in its units), with its 95% "
               "t-interval across replicate pairs (common random numbers). Filled marker: the interval excludes "
               "zero; dashed line: no difference.")
        specs.append(("forest", lambda: forest(eff), cap))
    cm = KEY_COMMUNITY_METRIC if KEY_COMMUNITY_METRIC + BY_COMMUNITY_SUFFIX in ds.data_vars else None
    if cm is None:
        cms = community_metrics(ds)
        cm = cms[0] if cms else None
    if cm is not None:
        arm0 = (names or [None])[0]
        units = _units(ds, cm + BY_COMMUNITY_SUFFIX) or "dimensionless"
        cap = (f"<code>{_e(cm)}</code> ({_e(units)}) per community (rows) and day (columns) in one run"
               + (f": replicate 0 of arm <b>{_e(arm0)}</b>" if arm0 is not None else "") + _sweep_point(ds, arm0)
               + ". Beneath: the Gini coefficient of the metric across communities by day (0: equal in every "
               "community; dimensionless).")
        specs.append((f"community_heatmap_{cm}", lambda: community_heatmap(ds, cm, arm=arm0), cap))
    if TYPE_METRIC + BY_COMMUNITY_SUFFIX in ds.data_vars and "community_type" in ds.coords:
        arm0 = (names or [None])[0]
        var = TYPE_METRIC + BY_COMMUNITY_SUFFIX
        units = _units(ds, var) or "dimensionless"
        kinds = ", ".join(community_type_names(ds))
        cap = (f"<code>{_e(TYPE_METRIC)}</code> ({_e(units)}) per community (rows) and day (columns) in one run"
               + (f": replicate 0 of arm <b>{_e(arm0)}</b>" if arm0 is not None else "") + _sweep_point(ds, arm0)
               + ", as each community's difference from that day's mean over the communities (so the district's "
               f"drift does not hide the differences), the communities grouped by their type ({_e(kinds)}; "
               "<code>/communities/type</code>) and labelled with it and their number, white rules between the "
               "types. Right: the mean over each type's communities by day, in the metric's own units. The types differ by age structure, demand rates, property management "
               "and grid-worker staffing (docs/ODD.md §5).")
        specs.append((f"community_types_{TYPE_METRIC}",
                      lambda: community_type_heatmap(ds, TYPE_METRIC, arm=arm0), cap))
    info = shock_info(ds)
    if info is not None and SHOCK_METRIC in ds.data_vars:
        s0, dur, tol = info
        units = _units(ds, SHOCK_METRIC) or "dimensionless"
        cap = (f"<code>{_e(SHOCK_METRIC)}</code> ({_e(units)}) around the shock (shaded: days {s0} to "
               f"{s0 + dur - 1}): per arm the mean and 95% band, the baseline level (dashed: mean of the 7 days "
               "before the shock), the peak (large marker) and the recovery day (vertical line: the first day "
               f"from the shock's last day with the level within {tol:.0%} of the baseline). The legend gives the "
               "numbers, also in the table below the figure." + pooled)
        specs.append(("shock_recovery", lambda: shock_recovery(ds, SHOCK_METRIC), cap))
    return specs


def _shock_table(ds):
    s = shock_summary(ds, SHOCK_METRIC)
    rows = [[r["arm"], (fmt(r["baseline"]), "num"), (fmt(r["peak"]), "num"), (str(int(r["peak_day"])), "num"),
             (fmt(r["days_to_recover"]) if math.isfinite(r["days_to_recover"]) else "not recovered", "num")]
            for _, r in s.iterrows()]
    units = _units(ds, SHOCK_METRIC)
    return _table(["arm", f"baseline ({units})", f"peak ({units})", "peak day", "days to recover"], rows)


def write_report(path, out_dir, baseline=None, metrics=None, title=None, allow_missing_sources=False):
    """Write OUT_DIR/index.html (self-contained) and the figures as PNG and SVG beside it; returns the path
    of index.html. ``metrics``: series names (reduced by their last value) or (name, how) pairs, instead
    of the key metrics; ``baseline``: the arm the others are compared with (default: the first)."""
    path = os.fspath(path)
    from .calibration import is_calibration, write_calibration_report
    from .optimisation import is_optimisation, write_optimisation_report
    try:
        calibration, optimisation = is_calibration(path), is_optimisation(path)
    except OSError as e:
        raise OSError(f"{path}: {e}") from None
    if calibration or optimisation:  # govsim calibrate's or optimise's result: its own report
        if metrics or baseline:
            raise ValueError("--metric and --baseline do not apply to a calibration or optimisation file")
        write = write_calibration_report if calibration else write_optimisation_report
        return write(path, out_dir, title=title, css=_CSS, frame_colours=FRAME_COLOURS)
    try:
        ds = open_results(path, allow_missing_sources=allow_missing_sources)
    except OSError as e:  # h5py's message does not name the file
        raise OSError(f"{path}: {e}") from None
    os.makedirs(out_dir, exist_ok=True)  # only once the file has opened: bad input leaves nothing behind
    with ds:
        if metrics:
            pairs = [m if isinstance(m, tuple) else (m, "final") for m in metrics]
            unknown = [m for m, _ in pairs if m not in ds.data_vars]
            if unknown:
                raise KeyError(f"no series {', '.join(unknown)} in this file")
        else:
            pairs = key_metrics(ds)
        if baseline is not None and baseline not in _arms(ds):
            raise ValueError(f"baseline {baseline!r} is not an arm of this file ({', '.join(_arms(ds))})")
        title = title or f"govsim report: {os.path.basename(path)}"
        body = [f"<h1>{_e(title)}</h1>",
                f'<p class="note">Written {_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")} by '
                f"govsim_analysis {__version__}. Figures and numbers: analysis/README.md; the file's layout: "
                "docs/OUTPUT.md.</p>",
                "<h2>Provenance</h2>", _provenance(ds, path),
                "<h2>Runs</h2>", _runs_summary(ds)]
        cmp_html, eff = _comparison(ds, pairs, baseline)
        several = len(_arms(ds)) > 1
        body += ["<h2>Comparison of the arms</h2>" if several else "<h2>Key metrics</h2>", cmp_html]
        body.append("<h2>Figures</h2>")
        figs = []
        for i, (name, make, cap) in enumerate(_figure_specs(ds, pairs, eff)):
            extra = _shock_table(ds) if name == "shock_recovery" else ""
            figs.append(figure_html(make(), out_dir, name, i + 1, cap, FRAME_COLOURS[i % len(FRAME_COLOURS)], extra))
        body.append('<div class="figs">\n' + "\n".join(figs) + "\n</div>")
    return write_page(out_dir, title, _CSS, body)
