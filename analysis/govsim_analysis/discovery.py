"""Scenario discovery: *where* in a sweep's parameter space an outcome of interest happens.

- PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999, "Bump hunting in high-dimensional data",
  Statistics and Computing 9:123-143), applied to scenario discovery as in the EMA Workbench (Bryant & Lempert
  2010; Kwakkel 2017), with Friedman & Fisher's own peeling rule (the Workbench's default objective is its
  'lenient1' variant): peeling a box a share ``peel_alpha`` of its points at a time from the side that most
  raises the share of cases of interest inside it, down to ``mass_min`` of the points; then pasting the last box
  back out while that raises the share; the trajectory of boxes traces the coverage-density trade-off. Each
  restricted dimension of a box gets a quasi-p-value: the one-sided binomial probability of the box's cases of
  interest (or more) if the box had the density it would have without that restriction.
- CART (Breiman et al. 1984) with scikit-learn's DecisionTreeClassifier: the leaves are boxes too.

The inputs are a table ``x`` (one column per varied parameter, one row per design point) and ``y`` (True where
the outcome of interest happens). ``sweep_cases()`` builds them from a sweep file and a condition on outcomes,
e.g. "joint handling beats the baseline by at least 5 points of listed problems closed".

Coverage = cases of interest in the box / all cases of interest; density = cases of interest in the box /
points in the box; mass = points in the box / all points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .figures import Figure, _style
from .io import param_values


@dataclass
class Box:
    limits: dict  # column -> (lo, hi), inclusive; only the restricted columns
    coverage: float
    density: float
    mass: float
    n: int  # points in the box
    k: int  # cases of interest in the box
    qp: dict = field(default_factory=dict)  # column -> quasi-p-value

    @property
    def restricted(self):
        return len(self.limits)


@dataclass
class PrimResult:
    columns: list
    bounds: dict  # column -> (min, max) of the data
    trajectory: list  # Box per step: the full box, each peel, then the pasted box
    pasted: bool

    def choose(self, min_coverage=0.5):
        """The densest box whose coverage is at least ``min_coverage`` (the last one on ties)."""
        ok = [i for i, b in enumerate(self.trajectory) if b.coverage >= min_coverage]
        if not ok:
            return len(self.trajectory) - 1
        best = max(self.trajectory[i].density for i in ok)
        return max(i for i in ok if self.trajectory[i].density >= best - 1e-12)

    def table(self):
        return pd.DataFrame([{"step": i, "coverage": b.coverage, "density": b.density, "mass": b.mass,
                              "restricted": b.restricted, "n": b.n} for i, b in enumerate(self.trajectory)])

    def limits(self, i):
        """The box's limits on every restricted column with its quasi-p-value, as a table."""
        b = self.trajectory[i]
        return pd.DataFrame([{"parameter": c, "lo": lo, "hi": hi, "data_min": self.bounds[c][0],
                              "data_max": self.bounds[c][1], "qp": b.qp.get(c, math.nan)}
                             for c, (lo, hi) in b.limits.items()])


def _numeric_inputs(x):
    """The inputs as a numeric table; a column with text or NaN is refused (PRIM could not peel it, CART
    could not split it)."""
    x = pd.DataFrame(x).reset_index(drop=True)
    for c in x.columns:
        v = pd.to_numeric(x[c], errors="coerce")
        if v.isna().any():
            raise ValueError(f"input {c!r} has values that are not numbers (levels of a text parameter, or NaN): "
                             "leave it out of x")
        x[c] = v.astype(float)
    return x


def _inside(x, limits):
    m = np.ones(len(x), dtype=bool)
    for c, (lo, hi) in limits.items():
        v = x[c].to_numpy()
        m &= (v >= lo) & (v <= hi)
    return m


def _box(x, y, limits, total_k):
    m = _inside(x, limits)
    n, k = int(m.sum()), int(y[m].sum())
    return Box(dict(limits), k / total_k if total_k else math.nan, k / n if n else 0.0, n / len(y), n, k)


def quasi_p_values(x, y, box):
    """One-sided binomial p per restricted column: P(K >= k | n, density without that restriction)."""
    out = {}
    for c in box.limits:
        rest = {d: v for d, v in box.limits.items() if d != c}
        m = _inside(x, rest)
        p = float(y[m].mean()) if m.any() else 0.0
        out[c] = float(stats.binom.sf(box.k - 1, box.n, p)) if box.n else math.nan
    return out


def prim(x, y, peel_alpha=0.05, paste_alpha=0.05, mass_min=0.05, paste=True):
    """PRIM on a table of numeric inputs ``x`` and a boolean outcome ``y``; returns the PrimResult."""
    x = _numeric_inputs(x)
    y = np.asarray(y, dtype=bool)
    if len(x) != len(y) or len(y) == 0:
        raise ValueError("x and y need the same, positive number of rows")
    if not 0 < peel_alpha < 1 or not 0 < mass_min < 1:
        raise ValueError("peel_alpha and mass_min must lie in (0, 1)")
    total_k = int(y.sum())
    if total_k == 0:
        raise ValueError("no case of interest: the condition holds nowhere")
    cols = list(x.columns)
    bounds = {c: (float(x[c].min()), float(x[c].max())) for c in cols}
    limits = {}
    trajectory = [_box(x, y, limits, total_k)]
    while True:
        cur = trajectory[-1]
        if cur.mass <= mass_min or cur.density >= 1.0:
            break
        m = _inside(x, limits)
        best = None
        for c in cols:
            v = x[c].to_numpy()[m]
            lo, hi = limits.get(c, bounds[c])
            for side in ("lo", "hi"):
                # Peel the points below the alpha quantile (or above the 1 - alpha one); a column with ties at the
                # quantile peels all of them, and one that cannot peel anything is skipped.
                if side == "lo":
                    q = np.quantile(v, peel_alpha, method="lower")
                    new = (float(np.min(v[v > q])) if np.any(v > q) else None, hi)
                else:
                    q = np.quantile(v, 1 - peel_alpha, method="higher")
                    new = (lo, float(np.max(v[v < q])) if np.any(v < q) else None)
                if None in new:
                    continue
                cand = dict(limits)
                cand[c] = new
                b = _box(x, y, cand, total_k)
                if b.n == 0 or b.n >= cur.n:
                    continue
                key = (b.density, b.n)
                if best is None or key > best[0]:
                    best = (key, cand, b)
        if best is None or best[2].mass < mass_min * 0.999:
            break
        limits = best[1]
        trajectory.append(best[2])
    pasted = False
    if paste and len(trajectory) > 1:
        limits = dict(trajectory[-1].limits)
        cur = trajectory[-1]
        improved = True
        while improved:
            improved = False
            best = None
            for c in list(limits):
                lo, hi = limits[c]
                v = x[c].to_numpy()
                others = {d: w for d, w in limits.items() if d != c}
                m = _inside(x, others)
                step = max(1, int(round(paste_alpha * cur.n)))
                for side in ("lo", "hi"):
                    outside = np.sort(v[m & (v < lo)])[::-1] if side == "lo" else np.sort(v[m & (v > hi)])
                    if outside.size == 0:
                        continue
                    edge = outside[min(step, outside.size) - 1]
                    cand = dict(limits)
                    cand[c] = (float(edge), hi) if side == "lo" else (lo, float(edge))
                    b = _box(x, y, cand, total_k)
                    if b.density > cur.density and (best is None or (b.density, b.n) > best[0]):
                        best = ((b.density, b.n), cand, b)
            if best is not None:
                limits, cur = best[1], best[2]
                improved = pasted = True
        if pasted:
            # Drop limits that reach the data's bounds: they restrict nothing.
            limits = {c: (lo, hi) for c, (lo, hi) in limits.items() if lo > bounds[c][0] or hi < bounds[c][1]}
            trajectory.append(_box(x, y, limits, total_k))
    for b in trajectory:
        b.qp = quasi_p_values(x, y, b)
    return PrimResult(cols, bounds, trajectory, pasted)


@dataclass
class CartResult:
    tree: object
    columns: list
    leaves: list  # Box per leaf predicted as a case of interest


def cart(x, y, max_depth=3, min_samples_leaf=None):
    """A classification tree (scikit-learn) of ``y`` on ``x``; the leaves it predicts True, as boxes."""
    from sklearn.tree import DecisionTreeClassifier

    x = _numeric_inputs(x)
    y = np.asarray(y, dtype=bool)
    total_k = int(y.sum())
    leaf = min_samples_leaf or max(1, len(y) // 20)
    tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=leaf, random_state=0).fit(x.to_numpy(), y)
    t = tree.tree_
    cols = list(x.columns)
    leaves = []

    def walk(node, limits):
        if t.children_left[node] == t.children_right[node]:  # a leaf
            if tree.classes_[int(np.argmax(t.value[node][0]))]:
                leaves.append(_box(x, y, limits, total_k))
            return
        c, thr = cols[t.feature[node]], float(t.threshold[node])
        lo, hi = limits.get(c, (-math.inf, math.inf))
        walk(t.children_left[node], {**limits, c: (lo, min(hi, thr))})
        # sklearn sends x <= threshold left: the right child holds x > threshold.
        walk(t.children_right[node], {**limits, c: (max(lo, np.nextafter(thr, math.inf)), hi)})

    walk(0, {})
    return CartResult(tree, cols, leaves)


def sweep_cases(ds, metric, how="final", arm=None, baseline=None, at_least=None, at_most=None):
    """(x, y) for scenario discovery from a sweep file: one row per design point, x its varied parameters,
    y whether the point's outcome (mean over replicates of ``metric`` reduced by ``how``; with ``baseline``,
    the paired difference arm - baseline) is at least ``at_least`` and/or at most ``at_most``."""
    from .io import design as _design
    from .tidy import run_table

    if baseline is not None and arm is None:
        raise ValueError("a baseline needs the arm compared with it (arm minus baseline)")
    runs = run_table(ds)
    if "point" not in runs.columns:
        raise ValueError("not a sweep file: no /runs/point")
    values = _reduce(ds, metric, how)
    runs = runs.assign(value=values)
    axes = [a["key"] for a in _design(ds).get("axes", [])]
    if not axes:
        raise ValueError("the sweep's design names no varied parameter")
    if baseline is not None:
        a = runs[runs["arm"] == arm].set_index(["point", "replicate"])["value"]
        b = runs[runs["arm"] == baseline].set_index(["point", "replicate"])["value"]
        diff = (a - b).dropna().groupby(level="point").mean()
        outcome = diff
    else:
        sel = runs if arm is None else runs[runs["arm"] == arm]
        outcome = sel.groupby("point")["value"].mean()
    # each point's values as the design set them (absent in the runs of an arm without the mechanism)
    x = pd.DataFrame({a: param_values(ds, a) for a in axes}).assign(point=runs["point"].to_numpy())
    x = x.drop_duplicates("point").set_index("point").loc[outcome.index].apply(pd.to_numeric, errors="coerce")
    y = np.ones(len(outcome), dtype=bool)
    if at_least is not None:
        y &= outcome.to_numpy() >= at_least
    if at_most is not None:
        y &= outcome.to_numpy() <= at_most
    return x.reset_index(drop=True), y, outcome.to_numpy()


def _reduce(ds, metric, how):
    v = ds[metric].values
    if how == "final":
        out = np.full(v.shape[0], np.nan)
        for i in range(v.shape[0]):
            f = np.flatnonzero(np.isfinite(v[i]))
            out[i] = v[i, f[-1]] if f.size else np.nan
        return out
    if how == "mean":
        return np.nanmean(v, axis=1)
    if how == "sum":
        return np.nansum(v, axis=1)
    if how == "max":
        return np.nanmax(v, axis=1)
    raise ValueError(f"how must be final, mean, sum or max, not {how!r}")


def peeling_trajectory(result, chosen=None):
    """Coverage against density for every box of the trajectory, coloured by the number of restricted
    parameters; the chosen box circled."""
    tab = result.table()
    with _style():
        fig = Figure(figsize=(6.5, 4.8), layout="constrained")
        ax = fig.subplots()
        sc = ax.scatter(tab["coverage"], tab["density"], c=tab["restricted"], cmap="cividis", s=36,
                        edgecolors="black", linewidths=0.4)
        cb = fig.colorbar(sc, ax=ax, label="restricted parameters")
        cb.set_ticks(sorted(set(int(v) for v in tab["restricted"])))
        if chosen is not None:
            b = result.trajectory[chosen]
            ax.scatter([b.coverage], [b.density], s=220, facecolors="none", edgecolors="#c80000", linewidths=2,
                       label=f"chosen box (step {chosen})")
            ax.legend(loc="lower left")
        ax.set_xlabel("coverage (share of all cases of interest inside the box)")
        ax.set_ylabel("density (share of the box's points that are cases)")
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_title("PRIM peeling trajectory")
    return fig


def box_limits(result, i):
    """The chosen box's limits on each restricted parameter (dark) within the sampled range (grey, normalised),
    each end labelled with its value, and the restriction's quasi-p-value."""
    b = result.trajectory[i]
    cols = list(b.limits) or result.columns
    with _style():
        fig = Figure(figsize=(7.5, 0.9 * len(cols) + 1.4), layout="constrained")
        ax = fig.subplots()
        for r, c in enumerate(cols):
            lo_d, hi_d = result.bounds[c]
            lo, hi = b.limits.get(c, (lo_d, hi_d))
            span = hi_d - lo_d if hi_d > lo_d else 1.0
            u_lo, u_hi = (max(lo, lo_d) - lo_d) / span, (min(hi, hi_d) - lo_d) / span
            ax.plot([0, 1], [r, r], color="#bbbbbb", linewidth=9, solid_capstyle="butt")
            ax.plot([u_lo, u_hi], [r, r], color="#3b4c6b", linewidth=9, solid_capstyle="butt")
            ax.text(-0.02, r, f"{lo_d:.4g}", ha="right", va="center", fontsize=9, color="#555555")
            ax.text(1.02, r, f"{hi_d:.4g}", ha="left", va="center", fontsize=9, color="#555555")
            ax.text(u_lo, r - 0.1, f"{max(lo, lo_d):.4g}", ha="center", va="bottom", fontsize=9)
            ax.text(u_hi, r - 0.1, f"{min(hi, hi_d):.4g}", ha="center", va="bottom", fontsize=9)
            ax.text(1.2, r, f"qp {b.qp.get(c, math.nan):.2g}", ha="left", va="center", fontsize=9)
        ax.set_yticks(range(len(cols)), cols)
        ax.set_ylim(len(cols) - 0.5, -0.7)
        ax.set_xlim(-0.2, 1.45)
        ax.set_xticks([0, 1], ["sampled min", "sampled max"])
        ax.grid(False)
        ax.set_title(f"PRIM box (step {i}): coverage {b.coverage:.2f}, density {b.density:.2f}, mass {b.mass:.2f}")
    return fig


def write_discovery_report(path, out_dir, metric, how="final", arm=None, baseline=None, at_least=None,
                           at_most=None, min_coverage=0.5, max_depth=3, title=None):
    """OUT_DIR/index.html: the condition, PRIM's peeling trajectory and chosen box (limits, quasi-p-values),
    CART's boxes; the figures also as PNG and SVG. Returns the page's path."""
    import html
    import os

    from ._page import figure_html, write_page
    from .io import open_results
    from .report import _CSS, FRAME_COLOURS

    if at_least is None and at_most is None:
        raise ValueError("give the condition: --at-least and/or --at-most")
    with open_results(path) as ds:
        x, y, outcome = sweep_cases(ds, metric, how, arm=arm, baseline=baseline, at_least=at_least, at_most=at_most)
    res = prim(x, y)
    i = res.choose(min_coverage)
    tree = cart(x, y, max_depth=max_depth)
    os.makedirs(out_dir, exist_ok=True)
    what = f"{how} of {metric}" + (f", {arm} minus {baseline} (paired, mean over replicates)" if baseline else
                                   (f", arm {arm}" if arm else ""))
    cond = " and ".join(s for s in (f"&ge; {at_least:g}" if at_least is not None else "",
                                    f"&le; {at_most:g}" if at_most is not None else "") if s)
    e = html.escape
    body = [f"<h1>{e(title or 'govsim scenario discovery: ' + os.path.basename(os.fspath(path)))}</h1>",
            f"<p>Case of interest: a design point whose {e(what)} is {cond}: {int(y.sum())} of {len(y)} points "
            f"({y.mean():.1%}). PRIM (Friedman &amp; Fisher 1999; peel and paste 5%, down to 5% of the points) and "
            "CART (scikit-learn, depth ≤ " + str(max_depth) + ").</p>",
            f"<h2>PRIM: chosen box (step {i} of {len(res.trajectory) - 1})</h2>",
            f"<p>The densest box with coverage ≥ {min_coverage:g}: coverage {res.trajectory[i].coverage:.3f}, "
            f"density {res.trajectory[i].density:.3f}, mass {res.trajectory[i].mass:.3f}.</p>",
            res.limits(i).to_html(index=False, float_format=lambda v: f"{v:.4g}"),
            "<p>qp: quasi-p-value of each restriction (one-sided binomial test of the box's density against the "
            "density without that restriction); a restriction with qp above 0.05 is not supported by the data.</p>",
            "<h2>PRIM trajectory</h2>", res.table().to_html(index=False, float_format=lambda v: f"{v:.4g}"),
            "<h2>CART boxes (leaves predicting the case of interest)</h2>",
            pd.DataFrame([{"limits": "; ".join(f"{c} in [{lo:.4g}, {hi:.4g}]" for c, (lo, hi) in b.limits.items()),
                           "coverage": b.coverage, "density": b.density, "mass": b.mass} for b in tree.leaves]
                         ).to_html(index=False, float_format=lambda v: f"{v:.4g}") if tree.leaves else
            "<p>No leaf predicts the case of interest.</p>"]
    figs = [figure_html(fig, out_dir, name, k + 1, e(cap), FRAME_COLOURS[k % len(FRAME_COLOURS)])
            for k, (name, fig, cap) in enumerate([
                ("prim_trajectory", peeling_trajectory(res, i), "PRIM peeling trajectory: coverage against density "
                 "of every box, by the number of restricted parameters; the chosen box circled."),
                ("prim_box", box_limits(res, i), "The chosen box's limits on each restricted parameter within the "
                 "sampled range, with quasi-p-values.")])]
    body += ["<h2>Figures</h2>", '<div class="figs">\n' + "\n".join(figs) + "\n</div>"]
    return write_page(out_dir, "scenario discovery", _CSS, body)
