"""The report of a sweep (issue 13): response of each headline metric to each varied parameter, main effects and
interactions of a factorial, where one arm beats another, the Morris mu*-sigma plane, sensitivity for every
headline metric that varies; captions that state what is plotted and axes that carry units. Real sweeps made
with govsim sweep and govsim merge (small, seconds)."""

import html
import re
import subprocess
from pathlib import Path

import matplotlib.text
import numpy as np
import pytest

from govsim_analysis import compare, design, key_metrics, open_results
from govsim_analysis.figures import MIN_FONT_PT
from govsim_analysis.report import write_report
from govsim_analysis.sensitivity import morris, prcc
from govsim_analysis import sweep_figures as sf

REPO = Path(__file__).resolve().parents[2]
FIGURE = re.compile(r'<figure class="fig" id="fig-([^"]+)".*?<figcaption>(.*?)</figcaption>', re.S)
UNITS = re.compile(r"\([^()]+\)\s*$")


def sweep(govsim, tmp_path_factory, name, days):
    d = tmp_path_factory.mktemp(name)
    for args in (["sweep", REPO / f"scenarios/experiments/{name}.ini", "--out", d / "sw", "--set", f"run.days={days}",
                  "--quiet"], ["merge", d / "sw", "--out", d / f"{name}.h5", "--copy"]):
        r = subprocess.run([str(govsim), *map(str, args)], cwd=d, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
    return d / f"{name}.h5"


@pytest.fixture(scope="module")
def factorial(govsim, tmp_path_factory):
    # 2 arms x (2 x 2 levels) x 3 replicates, 240 days as shipped: joint handling's first list is on day 149
    return sweep(govsim, tmp_path_factory, "factorial", 240)


@pytest.fixture(scope="module")
def morris_sweep(govsim, tmp_path_factory):
    return sweep(govsim, tmp_path_factory, "morris", 60)


@pytest.fixture(scope="module")
def lhs_sweep(govsim, tmp_path_factory):
    return sweep(govsim, tmp_path_factory, "lhs", 60)


def report(path, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    page = Path(write_report(path, out)).read_text(encoding="utf-8")
    return {n: re.sub(r"<[^>]+>", "", html.unescape(c)) for n, c in FIGURE.findall(page)}, out


@pytest.fixture(scope="module")
def factorial_report(factorial, tmp_path_factory):
    return report(factorial, tmp_path_factory)


@pytest.fixture(scope="module")
def morris_report(morris_sweep, tmp_path_factory):
    return report(morris_sweep, tmp_path_factory)


@pytest.fixture(scope="module")
def lhs_report(lhs_sweep, tmp_path_factory):
    return report(lhs_sweep, tmp_path_factory)


def varying(ds):
    """The headline metrics with more than one value over the ok runs, in order."""
    return [(m, h) for m, h in key_metrics(ds) if np.nanstd(sf.run_values(ds, m, h)["value"]) > 0]


def size_text(ds):
    """'P design points × K replicates per point' from the file itself."""
    ok = ds["status"].values.astype(str) == "ok"
    points = len(np.unique(ds["point"].values[ok]))
    k = int(design(ds)["replicates"])
    return f"{points} design point{'s' if points != 1 else ''} × {k} replicate{'s' if k != 1 else ''} per point"


def test_factorial_report_has_response_main_effect_interaction_and_arm_difference(factorial, factorial_report):
    caps, out = factorial_report
    with open_results(factorial) as ds:
        metrics = varying(ds)
        keys = [a["key"] for a in design(ds)["axes"]]
        arms = list(dict.fromkeys(ds["arm"].values.tolist()))
        text = size_text(ds)
    assert len(metrics) > 1
    names = list(caps)
    assert [n for n in names if n.startswith("response_")] == [f"response_{m}" for m, _ in metrics]
    assert not [n for n in names if n.startswith("timeseries_")]  # no pooled series in a sweep
    assert "main_effects" in names and f"interaction_{keys[0]}_{keys[1]}" in names
    assert f"arm_difference_{arms[1]}" in names and "forest" in names
    assert names.index("response_" + metrics[0][0]) < names.index("main_effects") < names.index("forest")
    for n in names:
        assert (out / f"{n}.png").stat().st_size > 0
    # captions: the true design, never a pooled count
    for n in ("main_effects", f"interaction_{keys[0]}_{keys[1]}", f"arm_difference_{arms[1]}") + tuple(
            f"response_{m}" for m, _ in metrics):
        assert text in caps[n], (n, caps[n])
    assert "across the replicates" in caps["main_effects"]
    assert "per-day series are not drawn" in caps[f"response_{metrics[0][0]}"]
    assert "4 design points" in caps["forest"] and "same design point" in caps["forest"]
    assert f"{arms[1]} − {arms[0]}" in caps[f"arm_difference_{arms[1]}"]
    assert "design point 0" in caps["community_heatmap_n_open_cases"]


def test_captions_state_design_points_and_replicates(lhs_sweep, lhs_report, morris_sweep, morris_report):
    for path, (caps, _) in ((lhs_sweep, lhs_report), (morris_sweep, morris_report)):
        with open_results(path) as ds:
            text = size_text(ds)
            metrics = varying(ds)
        for m, how in metrics:
            cap = caps[f"response_{m}"]
            assert text in cap and f"{how} of {m}" in cap, cap


def test_morris_report_draws_the_mu_star_sigma_plane(morris_sweep, morris_report):
    caps, _ = morris_report
    with open_results(morris_sweep) as ds:
        metrics = varying(ds)
        table = morris(ds, metrics[0][0], how=metrics[0][1], n_boot=50)
    sens = [n for n in caps if n.startswith("sensitivity_morris_")]
    assert sens == [f"sensitivity_morris_{m}" for m, _ in metrics] and len(sens) > 1
    assert all("μ*–σ plane" in caps[n] for n in sens)
    fig = sf.morris_plane(table, units="cases")
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("μ*") and ax.get_ylabel().startswith("σ")
    labels = {t.get_text() for t in ax.texts}
    assert set(table["factor"]) <= labels  # every parameter labelled at its point
    assert len(ax.containers) == 1 and len(ax.containers[0].lines[0].get_xdata()) == len(table)


def test_sensitivity_for_every_varying_metric(lhs_sweep, lhs_report):
    caps, _ = lhs_report
    with open_results(lhs_sweep) as ds:
        metrics = varying(ds)
        n = int(prcc(ds, metrics[0][0], how=metrics[0][1])["n"].max())
    sens = [k for k in caps if k.startswith("sensitivity_lhs_")]
    assert sens == [f"sensitivity_lhs_{m}" for m, _ in metrics] and len(sens) > 1
    assert f"over the {n} design points" in caps[sens[0]]
    assert "arm_difference_joint_handling" in caps and "the first two of the 4 varied parameters" in \
        caps["arm_difference_joint_handling"]


def labelled(ax):
    return bool(UNITS.search(ax.get_xlabel().replace("\n", " ")))


def check_units(fig):
    """Every visible axes: x and y labels ending in '(units)' (a colour bar: its label); an axes sharing y with a
    labelled one may leave its y label out; text at least MIN_FONT_PT."""
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert shown
    for ax in shown:
        if hasattr(ax, "_colorbar"):
            assert UNITS.search(ax.get_ylabel().replace("\n", " ")), ax.get_ylabel()
            continue
        assert labelled(ax), ax.get_xlabel()
        siblings = ax.get_shared_y_axes().get_siblings(ax)
        assert any(UNITS.search(s.get_ylabel().replace("\n", " ")) for s in siblings), ax.get_ylabel()
    for t in fig.findobj(matplotlib.text.Text):
        if t.get_text().strip() and t.get_visible():
            assert t.get_fontsize() >= MIN_FONT_PT, (t.get_text(), t.get_fontsize())


def test_sweep_figures_label_axes_with_units(factorial, lhs_sweep, morris_sweep):
    with open_results(factorial) as ds:
        metrics = varying(ds)
        arms = list(dict.fromkeys(ds["arm"].values.tolist()))
        for fig in (sf.response(ds, *metrics[0]), sf.main_effects(ds, metrics[:3]),
                    sf.interactions(ds, metrics[:2], sf.factor_pairs(ds)[0]),
                    sf.arm_difference(ds, metrics[:4], arms[1])):
            check_units(fig)
        units = sf.run_values(ds, "mean_satisfaction", "final").attrs["units"]
        assert sf.response(ds, "mean_satisfaction", "final").axes[0].get_ylabel() == \
            f"final of mean_satisfaction ({units})"
    with open_results(lhs_sweep) as ds:
        metrics = varying(ds)
        check_units(sf.response(ds, *metrics[0]))
        check_units(sf.arm_difference(ds, metrics[:2], "joint_handling"))  # a scatter over two sampled parameters
        check_units(sf.arm_difference(ds, metrics[:2], "joint_handling", params=["demand.shared_rate"]))
    with open_results(morris_sweep) as ds:
        m, how = varying(ds)[0]
        check_units(sf.morris_plane(morris(ds, m, how=how, n_boot=20), units=sf.run_values(ds, m, how).attrs["units"]))
        check_units(sf.response(ds, m, how))


def test_arm_difference_is_the_paired_difference_at_each_point(factorial):
    """Each cell of a two-factor map is one design point: its value is compare()'s paired difference there."""
    with open_results(factorial) as ds:
        arms = list(dict.fromkeys(ds["arm"].values.tolist()))
        keys = [a["key"] for a in sf.sweep_axes(ds)]
        df = sf.run_values(ds, "cum_cost_yuan", "final")
        t = sf.paired_differences(df, arms[1], arms[0], keys)
        ref = compare(ds, "cum_cost_yuan", how="final", by="point")
        ref = ref[ref["arm"] == arms[1]].set_index("point")
        pts = df.groupby("point")[keys].first()
        assert len(t) == len(ref) == ds["point"].to_series().nunique()
        for _, r in t.iterrows():
            p = pts.index[(pts[keys[0]] == r[keys[0]]) & (pts[keys[1]] == r[keys[1]])][0]
            np.testing.assert_allclose([r["diff"], r["lo"], r["hi"]],
                                       ref.loc[p, ["diff", "diff_lo", "diff_hi"]].to_numpy(float), rtol=1e-9)
            assert r["excludes_zero"] == bool(ref.loc[p, "excludes_zero"])
        assert t["excludes_zero"].all()  # joint handling's meetings and units cost money at every point


def test_main_effects_are_level_means(factorial):
    with open_results(factorial) as ds:
        arms = list(dict.fromkeys(ds["arm"].values.tolist()))
        key = sf.sweep_axes(ds)[0]["key"]
        fig = sf.main_effects(ds, [("n_open_cases", "final")])
        df = sf.run_values(ds, "n_open_cases", "final")
        for a in arms:
            line = next(l for l in fig.axes[0].get_lines() if l.get_gid() == f"levels:{a}")
            want = df[df["arm"] == a].groupby(key)["value"].mean().to_numpy()
            np.testing.assert_allclose(line.get_ydata(), want, rtol=1e-12)


def test_comparison_report_keeps_its_figures(comparison, tmp_path):
    path, _, _ = comparison
    page = Path(write_report(path, tmp_path / "r")).read_text(encoding="utf-8")
    names = [n for n, _ in FIGURE.findall(page)]
    assert names[0].startswith("timeseries_") and "forest" in names
    assert not [n for n in names if n.split("_")[0] in ("response", "main", "interaction", "arm", "sensitivity")]


def test_report_warns_when_a_varied_parameter_cannot_act(govsim, tmp_path_factory):
    """Issue 13: the shipped Saltelli example at 60 days varies two joint-handling parameters that act only from
    the first list (day 149, the first meeting from the campaign's day 120); the design records govsim plan's warning
    and the report shows it."""
    path = sweep(govsim, tmp_path_factory, "saltelli", 60)
    with open_results(path) as ds:
        warnings = design(ds)["warnings"]
    assert len(warnings) == 2 and all("joint_handling compiles its first list of hard problems on day 149 (the first meeting from "
                                        "joint_handling.campaign_start_day 120), after the run's 60 days: its levels can change "
                                        "only what joint_handling does before that" in w for w in warnings)
    out = tmp_path_factory.mktemp("warn")
    page = Path(write_report(path, out)).read_text(encoding="utf-8")
    for key in ("joint_handling.cohandlers", "joint_handling.refusal_scale"):
        assert re.search(r'<p class="warn"><b>Warning:</b> [^<]*\[vary\] %s: joint_handling compiles its first list of hard problems on day 149'
                         % re.escape(key), page), key
    # at 240 days (the example as shipped) nothing to warn about
    with open_results(sweep(govsim, tmp_path_factory, "saltelli", 240)) as ds:
        assert design(ds)["warnings"] == []


def test_a_mechanism_parameter_absent_in_an_arm_keeps_its_design_value(govsim, tmp_path_factory):
    """A two-arm sweep varying a parameter of joint handling: /runs holds it only for the joint-handling arm (NaN
    in the baseline's runs); the package takes each run's value from its design point, so the axis stays
    numeric, discovery and PRCC keep the baseline's runs, and compare(by=key) pairs by the key."""
    from govsim_analysis import param_values
    from govsim_analysis.discovery import sweep_cases

    d = tmp_path_factory.mktemp("absent")
    (d / "x.ini").write_text(f"""include = {REPO / "scenarios/baseline.ini"}
[run]
days = 40
[district]
communities = 2
[arms]
baseline =
joint_handling = run.mechanisms=joint_handling
[experiment]
design = lhs
samples = 12
[vary]
grid.workers_per_grid = [1.5, 3.5]
joint_handling.refusal_scale = [0, 1]
""")
    for args in (["sweep", d / "x.ini", "--out", d / "sw", "--quiet"], ["merge", d / "sw", "--out", d / "x.h5"]):
        r = subprocess.run([str(govsim), *map(str, args)], cwd=d, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
    with open_results(d / "x.h5") as ds:
        raw = ds["joint_handling__refusal_scale"].values
        base = ds["arm"].values == "baseline"
        assert np.isnan(raw[base]).all() and np.isfinite(raw[~base]).all()  # absent where the mechanism is off
        v = param_values(ds, "joint_handling.refusal_scale")
        assert np.isfinite(v).all()
        for p in np.unique(ds["point"].values):  # every run of a point: the point's one value
            assert len(set(v[ds["point"].values == p])) == 1
        axes = {a["key"]: a for a in sf.sweep_axes(ds)}
        assert axes["joint_handling.refusal_scale"]["categories"] is None  # numeric, not "nan" categories
        df = sf.run_values(ds, "n_open_cases", "final")
        assert df["joint_handling.refusal_scale"].notna().all() and set(df["arm"]) == {"baseline", "joint_handling"}
        x, y, _ = sweep_cases(ds, "n_open_cases", arm="joint_handling", baseline="baseline", at_most=0)
        assert len(x) == 12 and np.isfinite(x.to_numpy(float)).all()
        p = prcc(ds, "n_open_cases", arm="baseline")
        assert (p["n"] == 12).all()
        t = compare(ds, "n_open_cases", by="joint_handling.refusal_scale")
        assert t["diff"].notna().any()
