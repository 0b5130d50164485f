import numpy as np
import pandas as pd

from govsim_analysis import open_results
from govsim_analysis.sensitivity import (morris, morris_from_arrays, morris_sample, prcc, prcc_from_arrays,
                                         saltelli_sample, scale, sobol_from_arrays, sobol_indices)
from conftest import AXES


def ishigami(X, a=7.0, b=0.1):
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


def test_saltelli_sample_layout():
    U, block, group = saltelli_sample(4, 3)
    assert U.shape == (4 * 5, 3)
    assert list(block[:5]) == ["A", "AB1", "AB2", "AB3", "B"] and list(group[:5]) == [0] * 5
    A, B = U[0], U[4]
    np.testing.assert_array_equal(U[2], [A[0], B[1], A[2]])  # AB2: A with column 2 from B
    from scipy.stats import qmc
    first = qmc.Sobol(6, scramble=False).random(2)[1]  # the origin is skipped
    np.testing.assert_array_equal(np.r_[A, B], first)


def test_sobol_on_ishigami():
    U, _, _ = saltelli_sample(2 ** 13, 3)
    y = ishigami(scale(U, [(-np.pi, np.pi)] * 3))
    s = sobol_indices(y, d=3, params=["x1", "x2", "x3"], n_boot=300, seed=1)
    np.testing.assert_allclose(s["S1"], [0.3139, 0.4424, 0.0], atol=0.02)
    np.testing.assert_allclose(s["ST"], [0.5576, 0.4424, 0.2437], atol=0.02)
    # the bootstrap intervals bracket the estimates and are narrow at this N
    assert ((s["S1_lo"] <= s["S1"]) & (s["S1"] <= s["S1_hi"]) & (s["ST_lo"] <= s["ST"]) & (s["ST"] <= s["ST_hi"])).all()
    assert (s["ST_hi"] - s["ST_lo"] < 0.08).all()
    # the same seed gives the same intervals; the dict form gives the same numbers
    yy = y.reshape(-1, 5)
    s2 = sobol_indices({"A": yy[:, 0], "B": yy[:, 4], "AB": yy[:, 1:4]}, params=["x1", "x2", "x3"], n_boot=300, seed=1)
    pd.testing.assert_frame_equal(s, s2)


def test_sobol_from_a_sweep_file(saltelli_file):
    with open_results(saltelli_file) as ds:
        s = sobol_indices(ds, "n_open_cases", n_boot=100)
        assert list(s.columns[:2]) == ["arm", "factor"] and set(s["arm"]) == {"baseline", "treated"}
        assert list(s["factor"][:3]) == [k for k, *_ in AXES]
        b = s[s["arm"] == "baseline"]
        # the same numbers from the arrays: replicates averaged per block and base point
        v = ds["n_open_cases"].values[:, -1]
        arm, block, group = ds["arm"].values, ds["block"].values, ds["group"].values
        sel = arm == "baseline"
        N = 16
        mean = {(blk, g): np.nanmean(v[sel & (block == blk) & (group == g)]) for blk in set(block) for g in range(N)}
        fA = np.array([mean["A", g] for g in range(N)])
        fB = np.array([mean["B", g] for g in range(N)])
        fAB = np.array([[mean[f"AB{i}", g] for i in (1, 2, 3)] for g in range(N)])
        ref = sobol_from_arrays(fA, fB, fAB, names=[k for k, *_ in AXES], n_boot=100)
        np.testing.assert_allclose(b["S1"], ref["S1"])
        np.testing.assert_allclose(b["ST"], ref["ST"])
        # a linear model: the irrelevant third factor has no effect
        assert abs(b["ST"].iloc[2]) < 1e-12
        # per replicate: the failed run's base point (row 7: point 1, arm treated, replicate 1) is dropped
        e = sobol_indices(ds, "n_open_cases", arm="treated", replicates="each", n_boot=0)
        assert e["n_base"].iloc[0] == 2 * N - 1


def test_morris_linear_exact():
    bounds = [(0.0, 10.0), (-1.0, 1.0), (5.0, 6.0)]
    coef = np.array([2.0, -3.0, 0.5])
    U, block, group = morris_sample(10, 3, levels=4, seed=3)
    X = scale(U, bounds).reshape(10, 4, 3)
    Y = X @ coef
    m = morris(X, y=Y, bounds=bounds, params=["a", "b", "c"])
    np.testing.assert_allclose(m["mu_param"], coef)
    np.testing.assert_allclose(m["mu_star_param"], np.abs(coef))
    np.testing.assert_allclose(m["sigma_param"], 0, atol=1e-12)
    widths = np.array([10.0, 2.0, 1.0])
    np.testing.assert_allclose(m["mu"], coef * widths)  # per unit-cube step: times the range
    np.testing.assert_allclose(m["mu_star"], np.abs(coef) * widths)
    assert (m["r"] == 10).all()
    # the block labels' factor numbers agree with the changed coordinates
    changed = np.argmax(np.abs(np.diff(U.reshape(10, 4, 3), axis=1)), axis=2)
    labels = np.array([int(b.split(":")[1]) - 1 for b in block if b != "step0"]).reshape(10, 3)
    np.testing.assert_array_equal(changed, labels)


def test_morris_nonlinear_has_spread():
    U, _, _ = morris_sample(30, 2, levels=4, seed=0)
    X = U.reshape(30, 3, 2)
    m = morris_from_arrays(X, X[..., 0] ** 2 + 0 * X[..., 1], n_boot=200)
    assert m["sigma"].iloc[0] > 0.1 and m["mu_star"].iloc[1] == 0
    assert m["mu_star_lo"].iloc[0] <= m["mu_star"].iloc[0] <= m["mu_star_hi"].iloc[0]


def test_morris_from_a_sweep_file(morris_file):
    with open_results(morris_file) as ds:
        m = morris(ds, "n_open_cases")
        # linear_model: 2, -1, 0 per parameter unit; replicate noise is common to all points, so it cancels
        np.testing.assert_allclose(m["mu_param"], [2.0, -1.0, 0.0], atol=1e-9)
        np.testing.assert_allclose(m["mu"], [2.0 * 1.0, -1.0 * 4.0, 0.0], atol=1e-9)
        assert (m["r"] == 6).all() and m["metric"].iloc[0] == "final:n_open_cases"
        # without the factor in the labels ("step<k>"), the changed factor is found from the values
        ds2 = ds.assign_coords(block=("run", [b.split(":")[0] for b in ds["block"].values]))
        pd.testing.assert_frame_equal(m, morris(ds2, "n_open_cases"))


def test_prcc_known_monotone_and_irrelevant():
    rng = np.random.default_rng(11)
    n = 300
    X = rng.random((n, 3))
    y = np.exp(4 * X[:, 0]) - 2 * X[:, 1] + 0.2 * rng.normal(size=n)  # x3 irrelevant
    p = prcc_from_arrays(X, y, ["up", "down", "none"])
    assert p["prcc"].iloc[0] > 0.95 and p["p_value"].iloc[0] < 1e-50
    assert p["prcc"].iloc[1] < -0.5 and p["p_value"].iloc[1] < 1e-10
    assert abs(p["prcc"].iloc[2]) < 0.15 and p["p_value"].iloc[2] > 0.01
    # equals the partial correlation from the inverse of the rank correlation matrix
    from scipy.stats import rankdata
    Rk = np.column_stack([rankdata(c) for c in np.column_stack([X, y]).T])
    P = np.linalg.inv(np.corrcoef(Rk.T))
    ref = [-P[i, 3] / np.sqrt(P[i, i] * P[3, 3]) for i in range(3)]
    np.testing.assert_allclose(p["prcc"], ref, rtol=1e-10)
    # the DataFrame form
    df = pd.DataFrame(X, columns=["up", "down", "none"]).assign(out=y)
    pd.testing.assert_frame_equal(prcc(df, "out", ["up", "down", "none"]), p)


def test_prcc_from_an_lhs_file(lhs_file):
    with open_results(lhs_file) as ds:
        p = prcc(ds, "n_open_cases")
        assert list(p["factor"]) == [k for k, *_ in AXES]
        assert p["prcc"].iloc[0] > 0.99 and p["prcc"].iloc[1] < -0.5 and p["p_value"].iloc[1] < 1e-6
        assert p["p_value"].iloc[2] > 0.01  # the model ignores the third factor
        assert (p["n"] == 60).all()


def test_sobol_first_order_ignores_an_offset_of_the_output():
    """Outputs far from zero (a backlog of hundreds of cases) give the same S1 as centred ones."""
    U, _, _ = saltelli_sample(2 ** 10, 3)
    y = ishigami(scale(U, [(-np.pi, np.pi)] * 3))
    s0 = sobol_indices(y, d=3, n_boot=0)
    s1 = sobol_indices(y + 1000.0, d=3, n_boot=0)
    np.testing.assert_allclose(s1["S1"], s0["S1"], atol=1e-9)
    np.testing.assert_allclose(s1["S1"], [0.3139, 0.4424, 0.0], atol=0.06)
