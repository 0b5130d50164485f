"""An optimisation's result (``govsim optimise``, DIR/optimisation.h5, docs/CALIBRATION.md "Policy search"):
reading it, the Pareto front figure (each front point labelled with its policy, earlier generations' fronts in
grey) and the HTML report (``govsim report DIR/optimisation.h5 --out OUT``)."""

from __future__ import annotations

import datetime as _dt
import html
import math
import os
from dataclasses import dataclass

import h5py
import numpy as np

from ._page import figure_html, write_page
from .figures import Figure, _style


@dataclass
class Optimisation:
    path: str
    attrs: dict
    decisions: list
    lo: np.ndarray
    hi: np.ndarray
    objectives: list
    senses: list
    metrics: list
    constraints: list
    constraint_ops: list
    bounds: np.ndarray
    x: np.ndarray  # [generation, candidate, decision]
    f: np.ndarray  # [generation, candidate, objective], in each objective's own sense
    g: np.ndarray  # [generation, candidate, constraint]
    violation: np.ndarray
    rank: np.ndarray
    front: np.ndarray  # indices into the last generation


def _texts(d):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in d[()]]


def is_optimisation(path):
    with h5py.File(path, "r") as f:
        kind = f.attrs.get("kind", "")
        return (kind.decode() if isinstance(kind, bytes) else kind) == "optimisation"


def read_optimisation(path):
    with h5py.File(path, "r") as f:
        if f.attrs.get("kind") not in ("optimisation", b"optimisation"):
            raise ValueError(f"{path}: not an optimisation file (no root attribute kind = 'optimisation')")
        return Optimisation(
            path=os.fspath(path), attrs={k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()},
            decisions=_texts(f["decisions/name"]), lo=f["decisions/lo"][()], hi=f["decisions/hi"][()],
            objectives=_texts(f["objectives/name"]), senses=_texts(f["objectives/sense"]),
            metrics=_texts(f["objectives/metric"]), constraints=_texts(f["constraints/name"]),
            constraint_ops=_texts(f["constraints/op"]), bounds=f["constraints/bound"][()], x=f["generations/x"][()],
            f=f["generations/objectives"][()], g=f["generations/constraints"][()],
            violation=f["generations/violation"][()], rank=f["generations/rank"][()], front=f["front/index"][()])


def front_table(opt):
    """The final front as rows (decisions, objectives, constraints), ordered by the first objective."""
    idx = sorted(opt.front, key=lambda i: opt.f[-1, i, 0])
    rows = []
    for k, i in enumerate(idx):
        rows.append({"point": k + 1, **{d: opt.x[-1, i, j] for j, d in enumerate(opt.decisions)},
                     **{o: opt.f[-1, i, j] for j, o in enumerate(opt.objectives)},
                     **{c: opt.g[-1, i, j] for j, c in enumerate(opt.constraints)},
                     "feasible": bool(opt.violation[-1, i] == 0)})
    return rows


def pareto_front(opt, a=0, b=1):
    """Objectives a and b of the last generation (front points numbered as in the report's table, their policies
    beside them), with the fronts of earlier generations in grey."""
    with _style():
        fig = Figure(figsize=(8.5, 6.0), layout="constrained")
        ax = fig.subplots()
        G = opt.f.shape[0]
        for gen in range(G - 1):
            m = opt.rank[gen] == 0
            shade = 0.85 - 0.5 * gen / max(G - 1, 1)
            ax.scatter(opt.f[gen, m, a], opt.f[gen, m, b], s=12, color=str(shade), zorder=1,
                       label="earlier generations' fronts" if gen == 0 else None)
        rest = np.setdiff1d(np.arange(opt.f.shape[1]), opt.front)
        ax.scatter(opt.f[-1, rest, a], opt.f[-1, rest, b], s=18, marker="x", color="#777777", zorder=2,
                   label="last generation, dominated")
        rows = front_table(opt)
        fa = [r[opt.objectives[a]] for r in rows]
        fb = [r[opt.objectives[b]] for r in rows]
        ax.plot(fa, fb, "-o", color="#3b4c6b", markersize=6, zorder=3, label="Pareto front (last generation)")
        for r in rows:
            ax.annotate(str(r["point"]), (r[opt.objectives[a]], r[opt.objectives[b]]), xytext=(4, 4),
                        textcoords="offset points", fontsize=9)
        ax.set_xlabel(f"{opt.objectives[a]}: {opt.senses[a]} {opt.metrics[a]}")
        ax.set_ylabel(f"{opt.objectives[b]}: {opt.senses[b]} {opt.metrics[b]}")
        ax.legend(loc="best")
        ax.set_title("Pareto front; numbers are the rows of the table of policies")
    return fig


def write_optimisation_report(path, out_dir, title=None, css="", frame_colours=("#e6194b",)):
    opt = read_optimisation(path)
    os.makedirs(out_dir, exist_ok=True)
    e = html.escape
    title = title or f"govsim optimisation report: {os.path.basename(os.fspath(path))}"
    rows = front_table(opt)
    cols = ["point", *opt.decisions, *opt.objectives, *opt.constraints, "feasible"]

    def cell(v):
        if isinstance(v, (bool, np.bool_)):
            return "yes" if v else "no"
        if isinstance(v, (int, np.integer)):
            return str(v)
        return "–" if not math.isfinite(float(v)) else f"{float(v):.4g}"

    table = ("<table><tr>" + "".join(f"<th>{e(c)}</th>" for c in cols) + "</tr>"
             + "".join("<tr>" + "".join(f"<td>{cell(r[c])}</td>" for c in cols) + "</tr>" for r in rows)
             + "</table>")
    a = opt.attrs
    body = [f"<h1>{e(title)}</h1>",
            f'<p class="note">Written {_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}. NSGA-II and '
            "the file's layout: docs/CALIBRATION.md.</p>", "<h2>Provenance</h2>",
            "<table>" + "".join(f"<tr><td>{e(k)}</td><td><code>{e(str(a.get(k, '–')))}</code></td></tr>"
                                for k in ("optimisation", "govsim_version", "git_revision", "created", "command_line",
                                          "settings")) + "</table>",
            "<h2>Problem</h2><p>Decisions: " + ", ".join(f"<code>{e(d)}</code> in [{lo:.4g}, {hi:.4g}]"
                                                         for d, lo, hi in zip(opt.decisions, opt.lo, opt.hi))
            + ". Objectives: " + ", ".join(f"{e(s)} {e(m)} ({e(n)})" for n, s, m in
                                          zip(opt.objectives, opt.senses, opt.metrics))
            + (". Constraints: " + ", ".join(f"{e(c)} {e(op)} {b:.4g}" for c, op, b in
                                             zip(opt.constraints, opt.constraint_ops, opt.bounds))
               if opt.constraints else "")
            + f". {opt.x.shape[0] - 1} generations of {opt.x.shape[1]} candidates.</p>",
            f"<h2>Pareto front: {len(rows)} policies</h2>", table]
    K = len(opt.objectives)
    pairs = [(i, j) for i in range(K) for j in range(i + 1, K)] or [(0, 0)]
    figs = [figure_html(pareto_front(opt, i, j), out_dir, f"pareto_front_{opt.objectives[i]}_{opt.objectives[j]}",
                        k + 1, f"The last generation's Pareto front of {e(opt.objectives[i])} and "
                        f"{e(opt.objectives[j])}, each point numbered as its row of the table; grey: earlier "
                        "generations' fronts.", frame_colours[k % len(frame_colours)])
            for k, (i, j) in enumerate(pairs)]
    body += ["<h2>Figures</h2>", '<div class="figs">\n' + "\n".join(figs) + "\n</div>"]
    return write_page(out_dir, title, css, body)
