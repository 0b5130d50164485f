"""Scenario discovery (govsim_analysis.discovery): PRIM and CART find a known box in synthetic data, and
sweep_cases() turns a sweep file and a condition on a paired difference into (x, y)."""


import numpy as np
import pandas as pd
import pytest

from govsim_analysis import open_results, synthetic
from govsim_analysis.discovery import box_limits, cart, peeling_trajectory, prim, quasi_p_values, sweep_cases

TRUE_BOX = {"a": (0.2, 0.6), "b": (0.3, 0.8)}


def known_box(n=3000, flip=0.0, seed=5):
    """Three inputs uniform on [0, 1]; the cases of interest fill the box a in [0.2, 0.6], b in [0.3, 0.8]
    (c is irrelevant); a share `flip` of the labels is flipped at random."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(size=(n, 3)), columns=["a", "b", "c"])
    y = np.ones(n, dtype=bool)
    for c, (lo, hi) in TRUE_BOX.items():
        y &= (x[c] >= lo) & (x[c] <= hi)
    if flip:
        y ^= rng.uniform(size=n) < flip
    return x, y


@pytest.mark.parametrize("flip", [0.0, 0.05])
def test_prim_finds_the_known_box(flip):
    x, y = known_box(flip=flip)
    res = prim(x, y)
    tab = res.table()
    # The trajectory starts at the whole space and trades coverage for density.
    assert tab["coverage"].iloc[0] == 1.0 and tab["mass"].iloc[0] == 1.0
    assert tab["density"].iloc[0] == pytest.approx(y.mean())
    assert np.all(np.diff(tab["coverage"].iloc[:-1]) <= 1e-12)
    i = res.choose(min_coverage=0.8)
    box = res.trajectory[i]
    assert set(box.limits) == {"a", "b"}, box.limits
    for c, (lo, hi) in TRUE_BOX.items():
        assert box.limits[c][0] == pytest.approx(lo, abs=0.04)
        assert box.limits[c][1] == pytest.approx(hi, abs=0.04)
    assert box.density > (0.99 if flip == 0 else 0.85)
    assert box.coverage >= 0.8
    # Both restrictions matter: quasi-p-values far below 0.05.
    assert all(p < 1e-6 for p in box.qp.values())


def test_quasi_p_value_of_an_idle_restriction_is_large():
    x, y = known_box()
    res = prim(x, y)
    box = res.trajectory[res.choose(0.8)]
    lim = dict(box.limits)
    lim["c"] = (0.0, 0.9)  # a restriction on the irrelevant input
    from govsim_analysis.discovery import _box
    b = _box(x, y, lim, int(y.sum()))
    assert quasi_p_values(x, y, b)["c"] > 0.05


def test_cart_finds_the_known_box():
    x, y = known_box()
    res = cart(x, y, max_depth=4)
    assert res.leaves, "no leaf predicts the cases of interest"
    best = max(res.leaves, key=lambda b: b.coverage)
    assert best.density > 0.95 and best.coverage > 0.9
    for c, (lo, hi) in TRUE_BOX.items():
        assert best.limits[c][0] == pytest.approx(lo, abs=0.03)
        assert best.limits[c][1] == pytest.approx(hi, abs=0.03)


def test_prim_refuses_no_cases():
    x, y = known_box()
    with pytest.raises(ValueError):
        prim(x, np.zeros(len(y), dtype=bool))


AXES = (("demand.rate_scale", 0.5, 1.5), ("grid.hours_per_day", 6.0, 10.0), ("opinion.noise", 0.0, 2.0))


def boxed_effect(x, arm, rep):
    """The treated arm beats the baseline by 5 only where demand is high and hours are short."""
    inside = x["demand.rate_scale"] >= 1.0 and x["grid.hours_per_day"] <= 8.0
    return 10.0 + (5.0 if arm == "treated" and inside else 0.0)


def test_sweep_cases_and_prim_on_a_sweep_file(tmp_path):
    path = synthetic.write_sweep(tmp_path / "lhs.h5", boxed_effect, design="lhs", axes=AXES, n=400, replicates=2,
                                 arms=("baseline", "treated"), noise=0.5)
    with open_results(path) as ds:
        x, y, outcome = sweep_cases(ds, "n_open_cases", "final", arm="treated", baseline="baseline", at_least=2.5)
    assert list(x.columns) == [a[0] for a in AXES] and len(x) == 400
    # Common random numbers: the paired difference is exactly 0 or 5.
    assert set(np.round(outcome, 9)) <= {0.0, 5.0}
    expected = (x["demand.rate_scale"] >= 1.0) & (x["grid.hours_per_day"] <= 8.0)
    assert np.array_equal(y, expected.to_numpy())
    res = prim(x, y)
    box = res.trajectory[res.choose(0.8)]
    assert box.limits["demand.rate_scale"][0] == pytest.approx(1.0, abs=0.06)
    assert box.limits["grid.hours_per_day"][1] == pytest.approx(8.0, abs=0.25)
    assert "opinion.noise" not in box.limits
    for fig in (peeling_trajectory(res, res.choose(0.8)), box_limits(res, res.choose(0.8))):
        assert fig.axes


def test_discover_command_writes_the_page(tmp_path):
    from govsim_analysis.__main__ import main
    from test_report import check_self_contained, figures_of

    path = synthetic.write_sweep(tmp_path / "lhs.h5", boxed_effect, design="lhs", axes=AXES, n=200, replicates=1,
                                 arms=("baseline", "treated"))
    out = tmp_path / "disc"
    assert main(["discover", str(path), "--out", str(out), "--metric", "n_open_cases", "--arm", "treated",
                 "--baseline", "baseline", "--at-least", "2.5"]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    check_self_contained(page)
    assert [n for n, _ in figures_of(page)] == ["prim_trajectory", "prim_box"]
    assert "grid.hours_per_day" in page and (out / "prim_box.svg").is_file()
    # No condition: one line, exit 2, nothing written.
    assert main(["discover", str(path), "--out", str(tmp_path / "x"), "--metric", "n_open_cases"]) == 2
    assert not (tmp_path / "x").exists()
