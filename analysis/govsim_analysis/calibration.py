"""A calibration's result (``govsim calibrate``, DIR/calibration.h5, docs/CALIBRATION.md): reading it, its
figures (marginal and pairwise posteriors, the tolerance schedule, the posterior-predictive check) and its HTML
report (``govsim report DIR/calibration.h5 --out OUT``, or write_calibration_report()).

Identification. With P parameters fitted to J targets, some parameters may be fixed by the data only in a
combination. The report says, for each parameter, how much the data narrowed it (posterior sd / prior sd on
the parameter's own scale: below 0.5 "identified", 0.5-0.9 "weakly identified", above 0.9 "not identified by
these targets"; these cut-offs are a convention of this report) and lists every pair whose posterior
correlation is beyond +-0.5 (identified only jointly along that direction).
"""

from __future__ import annotations

import datetime as _dt
import html
import math
import os
from dataclasses import dataclass, field

import h5py
import numpy as np

from ._page import figure_html, write_page
from .figures import Figure, _style

CUTS = (0.5, 0.9)  # posterior sd / prior sd: identified below the first, not identified above the second
CORRELATED = 0.5


@dataclass
class Calibration:
    path: str
    attrs: dict
    parameters: list
    priors: list
    integer: np.ndarray
    targets: list
    metrics: list
    observed: np.ndarray
    se: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray
    tolerance: np.ndarray
    ess: np.ndarray
    acceptance: np.ndarray
    moves: np.ndarray
    simulated: np.ndarray
    theta: np.ndarray  # [generation, particle, parameter]
    weight: np.ndarray  # [generation, particle]
    stats: np.ndarray  # [generation, particle, replicate, target]
    posterior: dict = field(default_factory=dict)
    predictive_theta: np.ndarray = None
    predictive_stats: np.ndarray = None


def _texts(ds):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in ds[()]]


def is_calibration(path):
    with h5py.File(path, "r") as f:
        kind = f.attrs.get("kind", "")
        return (kind.decode() if isinstance(kind, bytes) else kind) == "calibration"


def read_calibration(path):
    """Everything in a calibration file, as numpy arrays (shapes: docs/CALIBRATION.md)."""
    with h5py.File(path, "r") as f:
        if f.attrs.get("kind") not in ("calibration", b"calibration"):
            raise ValueError(f"{path}: not a calibration file (no root attribute kind = 'calibration')")
        attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
        post = {k: f[f"posterior/{k}"][()] for k in ("mean", "sd", "q025", "q50", "q975", "correlation", "ess")}
        n = len(post["mean"])
        post["map"] = f["posterior/map"][()] if "posterior/map" in f else np.full(n, np.nan)
        return Calibration(
            path=os.fspath(path), attrs=attrs, parameters=_texts(f["parameters/name"]),
            priors=_texts(f["parameters/prior"]), integer=f["parameters/integer"][()],
            targets=_texts(f["targets/name"]), metrics=_texts(f["targets/metric"]),
            observed=f["targets/observed"][()], se=f["targets/se"][()], first_day=f["targets/first_day"][()],
            last_day=f["targets/last_day"][()], tolerance=f["generations/tolerance"][()],
            ess=f["generations/ess"][()], acceptance=f["generations/acceptance"][()],
            moves=f["generations/moves"][()], simulated=f["generations/simulated"][()],
            theta=f["particles/theta"][()], weight=f["particles/weight"][()], stats=f["particles/stats"][()],
            posterior=post, predictive_theta=f["predictive/theta"][()], predictive_stats=f["predictive/stats"][()])


def prior_bounds(prior):
    """(kind, a, b, lo, hi) of a prior as written: uniform(lo, hi), loguniform(lo, hi), normal(m, s),
    truncnormal(m, s, lo, hi)."""
    kind, args = prior.split("(", 1)
    v = [float(x) for x in args.rstrip(")").split(",")]
    if kind in ("uniform", "loguniform"):
        return kind, v[0], v[1], v[0], v[1]
    if kind == "normal":
        return kind, v[0], v[1], -math.inf, math.inf
    return kind, v[0], v[1], v[2], v[3]


def prior_sd(prior, n=200_000, seed=1):
    """The prior's standard deviation on the parameter's own scale (by simulation for the truncated normal)."""
    kind, a, b, lo, hi = prior_bounds(prior)
    if kind == "uniform":
        return (b - a) / math.sqrt(12)
    if kind == "loguniform":
        la, lb = math.log(a), math.log(b)
        m1 = (b - a) / (lb - la)
        m2 = (b * b - a * a) / (2 * (lb - la))
        return math.sqrt(max(m2 - m1 * m1, 0.0))
    if kind == "normal":
        return b
    x = np.random.default_rng(seed).normal(a, b, n)
    x = x[(x >= lo) & (x <= hi)]
    return float(x.std()) if x.size > 1 else float("nan")


def identification(cal):
    """Per parameter: (posterior sd / prior sd, verdict); and the correlated pairs (i, j, r)."""
    rows = []
    for j, p in enumerate(cal.priors):
        ratio = float(cal.posterior["sd"][j]) / prior_sd(p)
        verdict = ("identified" if ratio < CUTS[0] else "weakly identified" if ratio < CUTS[1]
                   else "not identified by these targets")
        rows.append((ratio, verdict))
    corr = cal.posterior["correlation"]
    pairs = [(i, j, float(corr[i, j])) for i in range(len(cal.parameters)) for j in range(i + 1, len(cal.parameters))
             if abs(corr[i, j]) > CORRELATED]
    return rows, pairs


def _log_axis(ax, axis="x"):
    """A log axis with labelled decades only (minor labels overlap)."""
    from matplotlib.ticker import NullFormatter

    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    (ax.xaxis if axis == "x" else ax.yaxis).set_minor_formatter(NullFormatter())


def _weighted_hist(ax, x, w, bins, **kw):
    ax.hist(x, bins=bins, weights=w, density=True, **kw)


def _log_scaled(prior):
    return prior.startswith("loguniform")


def marginals(cal):
    """Each parameter's posterior (last generation, weighted histogram) against its prior's range."""
    P = len(cal.parameters)
    cols = min(P, 3)
    rows = int(math.ceil(P / cols))
    with _style():
        fig = Figure(figsize=(4.2 * cols, 3.2 * rows), layout="constrained")
        axes = fig.subplots(rows, cols, squeeze=False)
        theta, w = cal.theta[-1], cal.weight[-1]
        for j in range(rows * cols):
            ax = axes.flat[j]
            if j >= P:
                ax.set_visible(False)
                continue
            kind, a, b, lo, hi = prior_bounds(cal.priors[j])
            x = theta[:, j]
            if _log_scaled(cal.priors[j]):
                bins = np.geomspace(lo, hi, 31)
                _log_axis(ax)
            else:
                left = lo if math.isfinite(lo) else np.nanmin(x)
                right = hi if math.isfinite(hi) else np.nanmax(x)
                bins = np.linspace(left, right, 31)
            ax.axvspan(cal.posterior["q025"][j], cal.posterior["q975"][j], color="#c8a000", alpha=0.15,
                       label="95% interval", zorder=0)
            _weighted_hist(ax, x, w, bins, color="#3b4c6b", label="posterior", zorder=2)
            ax.axvline(cal.posterior["mean"][j], color="#c8a000", linestyle="--", linewidth=1.5, label="mean",
                       zorder=3)
            if np.isfinite(cal.posterior["map"][j]):
                ax.axvline(cal.posterior["map"][j], color="#c80000", linestyle=":", linewidth=1.8, label="MAP",
                           zorder=3)
            ax.set_xlabel(cal.parameters[j])
            ax.set_ylabel("density")
            ax.set_title(f"prior {cal.priors[j]}", fontsize=9)
            if math.isfinite(lo) and math.isfinite(hi):
                ax.set_xlim(lo, hi)
        axes.flat[0].legend(loc="best")
        fig.suptitle("Marginal posteriors (last generation, weighted); x range = the prior's support")
    return fig


def pairs(cal, max_points=2000):
    """Pairwise posteriors: each pair of parameters, the last generation's particles (point size by weight),
    with their correlation."""
    P = len(cal.parameters)
    theta, w = cal.theta[-1], cal.weight[-1]
    keep = w > 0
    theta, w = theta[keep][:max_points], w[keep][:max_points]
    corr = cal.posterior["correlation"]
    with _style():
        fig = Figure(figsize=(2.6 * max(P, 2), 2.6 * max(P, 2)), layout="constrained")
        axes = fig.subplots(P, P, squeeze=False)
        size = 6 + 40 * w / (w.max() if w.size else 1)
        for i in range(P):
            for j in range(P):
                ax = axes[i, j]
                if i == j:
                    x = theta[:, j]
                    if _log_scaled(cal.priors[j]):
                        _weighted_hist(ax, x, w, np.geomspace(x.min(), x.max() * 1.0001, 26), color="#3b4c6b")
                        _log_axis(ax)
                    else:
                        _weighted_hist(ax, x, w, 25, color="#3b4c6b")
                elif i > j:
                    ax.scatter(theta[:, j], theta[:, i], s=size, color="#3b4c6b", alpha=0.5, linewidths=0)
                    if _log_scaled(cal.priors[j]):
                        _log_axis(ax)
                    if _log_scaled(cal.priors[i]):
                        _log_axis(ax, "y")
                else:
                    ax.axis("off")
                    ax.text(0.5, 0.5, f"r = {corr[i, j]:+.2f}", ha="center", va="center", fontsize=12,
                            fontweight="bold" if abs(corr[i, j]) > CORRELATED else "normal",
                            transform=ax.transAxes)
                if i == P - 1:
                    ax.set_xlabel(cal.parameters[j], fontsize=9)
                if j == 0 and i > 0:
                    ax.set_ylabel(cal.parameters[i], fontsize=9)
        fig.suptitle("Pairwise posteriors (lower: particles sized by weight; upper: weighted correlation)")
    return fig


def tolerance_schedule(cal):
    """Tolerance and effective sample size per generation."""
    g = np.arange(len(cal.tolerance))
    with _style():
        fig = Figure(figsize=(7.5, 3.6), layout="constrained")
        ax = fig.subplots()
        tol = np.where(np.isfinite(cal.tolerance), cal.tolerance, np.nan)
        ax.plot(g, tol, marker="o", color="#3b4c6b", label="tolerance")
        ax.set_yscale("log")
        ax.set_xlabel("generation")
        ax.set_ylabel("tolerance (distance, standard errors)")
        ax2 = ax.twinx()
        ax2.plot(g, cal.ess, marker="s", linestyle="--", color="#c8a000", label="ESS")
        ax2.set_ylabel("effective sample size (particles)")
        ax2.set_ylim(0, max(float(np.nanmax(cal.ess)) * 1.05, 1))
        lines = ax.get_lines() + ax2.get_lines()
        ax.legend(lines, [ln.get_label() for ln in lines], loc="upper right")
        ax.set_title("Tolerance schedule (generation 0 draws from the prior: infinite tolerance)")
    return fig


def predictive_check(cal):
    """Per target: the posterior-predictive runs' values against the observed value and its +-2 SE."""
    J = len(cal.targets)
    with _style():
        fig = Figure(figsize=(4.2 * max(J, 1), 3.4), layout="constrained")
        axes = fig.subplots(1, max(J, 1), squeeze=False)
        for t in range(J):
            ax = axes[0, t]
            x = cal.predictive_stats[:, t] if cal.predictive_stats.size else np.array([])
            x = x[np.isfinite(x)]
            if x.size:
                ax.hist(x, bins=20, color="#3b4c6b", alpha=0.85, label="posterior predictive")
            ax.axvline(cal.observed[t], color="#c80000", linewidth=2, label="observed")
            ax.axvspan(cal.observed[t] - 2 * cal.se[t], cal.observed[t] + 2 * cal.se[t], color="#c80000",
                       alpha=0.12, label="observed ± 2 SE")
            ax.set_xlabel(_target_label(cal, t))
            ax.set_ylabel("runs")
            ax.set_title(cal.targets[t])
        axes[0, 0].legend(loc="best")
        fig.suptitle("Posterior-predictive check: new runs at parameters drawn from the posterior")
    return fig


def _target_label(cal, t):
    w = f" over days {cal.first_day[t]}-{cal.last_day[t]}" if cal.first_day[t] >= 0 else ""
    return f"{cal.metrics[t]}{w}"


def _e(s):
    return html.escape(str(s))


def _f(x):
    x = float(x)
    return "–" if not math.isfinite(x) else f"{x:.4g}"


def _table(header, rows):
    out = ["<table>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr>"]
    for r in rows:
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def write_calibration_report(path, out_dir, title=None, css="", frame_colours=("#e6194b",)):
    """OUT_DIR/index.html (self-contained) and the figures as PNG and SVG; returns the page's path."""
    cal = read_calibration(path)
    os.makedirs(out_dir, exist_ok=True)
    title = title or f"govsim calibration report: {os.path.basename(os.fspath(path))}"
    a = cal.attrs
    ident, corr_pairs = identification(cal)
    post = cal.posterior
    body = [f"<h1>{_e(title)}</h1>",
            f'<p class="note">Written {_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}. '
            "The algorithm and the file's layout: docs/CALIBRATION.md.</p>",
            "<h2>Provenance</h2>",
            _table(["", ""], [[k, f"<code>{_e(a.get(k, '–'))}</code>"]
                              for k in ("calibration", "govsim_version", "git_revision", "created", "command_line",
                                        "fingerprint", "settings")])]
    G = len(cal.tolerance)
    body += ["<h2>Posterior</h2>",
             f"<p>Generation {G - 1} of {G - 1} after the prior's: tolerance {_f(cal.tolerance[-1])} (distance in "
             f"standard errors), effective sample size {_f(post['ess'])} of {cal.weight.shape[1]} particles; "
             f"{int(cal.simulated.sum())} simulations in all.</p>",
             _table(["parameter", "prior", "mean", "sd", "2.5%", "median", "97.5%", "MAP", "sd / prior sd", "verdict"],
                    [[f"<code>{_e(p)}</code>", _e(cal.priors[j]), _f(post["mean"][j]), _f(post["sd"][j]),
                      _f(post["q025"][j]), _f(post["q50"][j]), _f(post["q975"][j]), _f(post["map"][j]),
                      _f(ident[j][0]), _e(ident[j][1])] for j, p in enumerate(cal.parameters)]),
             "<p>MAP: the particle of highest weighted kernel density, a point of the posterior itself (where the "
             "posterior is a curved ridge, the coordinate-wise mean may lie off it).</p>",
             "<p>Verdict: the data narrowed the parameter to below half its prior's spread (identified), to "
             "between half and 90% (weakly identified), or hardly at all (not identified by these targets); a "
             "convention of this report.</p>"]
    if corr_pairs:
        body += ["<p>Pairs identified only jointly (posterior correlation beyond ±0.5): the data fix a "
                 "combination of the two, not each:</p>",
                 _table(["parameter", "parameter", "correlation"],
                        [[f"<code>{_e(cal.parameters[i])}</code>", f"<code>{_e(cal.parameters[j])}</code>",
                          f"{r:+.2f}"] for i, j, r in corr_pairs])]
    else:
        body.append("<p>No pair of parameters has a posterior correlation beyond ±0.5.</p>")
    pred = cal.predictive_stats
    rows = []
    for t, name in enumerate(cal.targets):
        x = pred[:, t] if pred.size else np.array([])
        x = x[np.isfinite(x)]
        inside = float(np.mean(np.abs(x - cal.observed[t]) <= 2 * cal.se[t])) if x.size else float("nan")
        rows.append([_e(name), f"<code>{_e(_target_label(cal, t))}</code>", _f(cal.observed[t]), _f(cal.se[t]),
                     _f(x.mean() if x.size else float("nan")), _f(x.std(ddof=1) if x.size > 1 else float("nan")),
                     _f(inside)])
    body += ["<h2>Posterior-predictive check</h2>",
             f"<p>{pred.shape[0]} new runs at parameters drawn from the posterior, each with a fresh seed.</p>",
             _table(["target", "metric", "observed", "SE", "predictive mean", "predictive sd",
                     "share within ± 2 SE"], rows)]
    body += ["<h2>Generations</h2>",
             _table(["generation", "tolerance", "ESS", "moves", "acceptance (first move)", "simulations"],
                    [[str(g), _f(cal.tolerance[g]), _f(cal.ess[g]), str(int(cal.moves[g])), _f(cal.acceptance[g]),
                      str(int(cal.simulated[g]))] for g in range(G)])]
    specs = [("posterior_marginals", marginals, "Marginal posterior of each parameter (weighted histogram of the "
              "last generation), its mean, MAP and 95% interval; the x axis spans the prior's support."),
             ("posterior_pairs", pairs, "Pairwise posteriors: particles of the last generation (size by weight) "
              "and the weighted correlation of each pair (bold beyond ±0.5)."),
             ("tolerance_schedule", tolerance_schedule, "Tolerance (log scale) and effective sample size per "
              "generation."),
             ("predictive_check", predictive_check, "Posterior-predictive runs against each observed value and "
              "its ± 2 standard errors.")]
    figs = [figure_html(make(cal), out_dir, name, i + 1, _e(cap), frame_colours[i % len(frame_colours)])
            for i, (name, make, cap) in enumerate(specs)]
    body += ["<h2>Figures</h2>", '<div class="figs">\n' + "\n".join(figs) + "\n</div>"]
    return write_page(out_dir, title, css, body)
