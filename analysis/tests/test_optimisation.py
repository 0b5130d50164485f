"""govsim optimise's file and report: read_optimisation(), the front and the Pareto figure, on a small
optimisation this build's govsim runs."""

import subprocess

import numpy as np
import pytest

from govsim_analysis.optimisation import front_table, read_optimisation
from govsim_analysis.report import write_report

from conftest import REPO
from test_report import check_self_contained, figures_of


@pytest.fixture(scope="session")
def optimisation_file(govsim, tmp_path_factory):
    d = tmp_path_factory.mktemp("optimisation")
    r = subprocess.run([str(govsim), "optimise", str(REPO / "tests/calibration/small_optimisation.ini"), "--out",
                        str(d / "opt"), "--quiet"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return d / "opt" / "optimisation.h5"


def test_the_front_is_non_dominated_and_feasible(optimisation_file):
    opt = read_optimisation(optimisation_file)
    G, N, D = opt.x.shape
    assert (G, N, D) == (4, 8, 2) and opt.f.shape == (4, 8, 2) and opt.g.shape == (4, 8, 1)
    assert opt.senses == ["minimise", "maximise"]
    # Minimised form: cost as is, satisfaction negated.
    f = opt.f[-1] * np.array([1.0, -1.0])
    for i in opt.front:
        assert opt.rank[-1, i] == 0 and opt.violation[-1, i] == 0
        for j in range(N):
            assert not (np.all(f[j] <= f[i]) and np.any(f[j] < f[i])), (i, j)
    # Decisions stay in their bounds; the constraint holds on the front.
    assert np.all(opt.x >= opt.lo) and np.all(opt.x <= opt.hi)
    assert all(opt.g[-1, i, 0] <= opt.bounds[0] for i in opt.front)
    rows = front_table(opt)
    assert [r["point"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(a["cost"] <= b["cost"] for a, b in zip(rows, rows[1:]))


def test_optimisation_report(optimisation_file, tmp_path):
    index = write_report(optimisation_file, tmp_path / "rep")
    page = open(index, encoding="utf-8").read()
    check_self_contained(page)
    assert [n for n, _ in figures_of(page)] == ["pareto_front_cost_good"]
    assert "Pareto front:" in page and "grid.workers_per_grid" in page
    assert (tmp_path / "rep" / "pareto_front_cost_good.svg").is_file()
