import itertools
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from govsim_analysis import effect_table, open_results, synthetic
from govsim_analysis.figures import (COMMUNITY_TYPES, DAY_LABEL, MIN_FONT_PT, arm_styles, community_heatmap,
                                     community_type_heatmap, forest, luminance, save, sensitivity_bars, shock_info,
                                     shock_recovery, shock_summary, timeseries)
from govsim_analysis.sensitivity import morris, prcc, sobol_indices
from govsim_analysis.__main__ import main

ANALYSIS = Path(__file__).resolve().parents[1]
NUMBER = re.compile(r"^[−\-+]?[\d.]+(e[−\-+]?\d+)?$")


def draw(fig):
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def is_numeric_axis(labels):
    texts = [t.get_text() for t in labels if t.get_text()]
    return bool(texts) and all(NUMBER.match(t) for t in texts)


def check_legible(fig):
    """Every numeric axis has a label ending in (units); categorical axes a name; all text >= 9 pt."""
    draw(fig)
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for label, ticks, which in ((ax.get_xlabel(), ax.get_xticklabels(), "x"),
                                    (ax.get_ylabel(), ax.get_yticklabels(), "y")):
            if not any(t.get_visible() and t.get_text() for t in ticks):
                continue  # hidden tick labels (shared axis)
            if is_numeric_axis(ticks):
                assert re.search(r"\(.+\)$", label), f"{which} axis label {label!r} has no units"
            else:
                assert label, f"categorical {which} axis without a label"
    assert fig.axes[0].get_title() or fig._suptitle is not None
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip():
            assert t.get_fontsize() >= MIN_FONT_PT, (t.get_text(), t.get_fontsize())


def check_saved(fig, stem):
    paths = save(fig, stem)
    assert [Path(p).suffix for p in paths] == [".png", ".svg"]
    for p in paths:
        assert Path(p).stat().st_size > 1000
    assert Path(paths[0]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in Path(paths[1]).read_text()[:2000]
    return paths


def test_timeseries_forest_heatmap_on_a_comparison(comparison, tmp_path):
    path, _, _ = comparison
    with open_results(path) as ds:
        fig = timeseries(ds, "n_open_cases")
        check_legible(fig)
        ax = fig.axes[0]
        assert ax.get_xlabel() == DAY_LABEL and ax.get_ylabel() == "n_open_cases (cases)"
        assert len([l for l in ax.get_lines() if (l.get_gid() or "").startswith("arm:")]) == 4
        check_saved(fig, tmp_path / "ts")

        fig = forest(effect_table(ds))
        check_legible(fig)
        assert fig.axes[0].get_xlabel().endswith("(cases)")
        zero_lines = [l for l in fig.axes[0].get_lines() if list(l.get_xdata()) == [0.0, 0.0]]
        assert zero_lines
        check_saved(fig, tmp_path / "forest")

        fig = community_heatmap(ds, "n_open_cases", arm="downshift_tasks")
        check_legible(fig)
        assert "downshift_tasks" in fig.axes[0].get_title()
        assert any(ax.get_ylabel() == "n_open_cases (cases)" for ax in fig.axes)  # the colour bar
        check_saved(fig, tmp_path / "heat")
        check_legible(community_heatmap(ds, "n_open_cases", run=5, per_1000_residents=True))


def test_community_type_heatmap_groups_by_type(typed_file, tmp_path):
    with open_results(typed_file) as ds:
        types = ds["community_type"].values[0]
        assert ds["community_type"].attrs["flag_meanings"].split() == list(COMMUNITY_TYPES)
        present = sorted(set(types.tolist()))
        assert len(present) >= 3, present  # the fixture's seed gives most types
        fig = community_type_heatmap(ds, "share_good")
        check_legible(fig)
        ax = fig.axes[0]
        im = next(i for i in ax.get_images() if i.get_gid() == "type_heatmap")
        shown = np.asarray(im.get_array())
        # rows are the communities sorted by type (then index): the same rows as the file's, regrouped
        order = np.lexsort((np.arange(types.size), types))
        x = ds["share_good_by_community"].values[0].astype(float)
        # each community's difference from the day's mean over communities (the district's drift taken out)
        assert np.allclose(shown, x[order] - x.mean(axis=0), equal_nan=True)
        assert np.allclose(np.asarray(community_type_heatmap(ds, "share_good", deviation=False).axes[0]
                                      .get_images()[0].get_array()), x[order], equal_nan=True)
        assert np.all(np.diff(types[order]) >= 0)
        # one y label per type present, in code order, with its number of communities, at the middle of its rows
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels == [f"{COMMUNITY_TYPES[t]} ({int((types == t).sum())})" for t in present]
        ticks = ax.get_yticks()
        for t, y in zip(present, ticks):
            rows = np.flatnonzero(types[order] == t)
            assert rows.min() <= y <= rows.max()
        # the panel beside: one line per type present, the mean over its communities
        lines = {l.get_gid(): l for l in fig.axes[2].get_lines() if (l.get_gid() or "").startswith("type:")}
        assert set(lines) == {f"type:{COMMUNITY_TYPES[t]}" for t in present}
        t0 = present[0]
        assert np.allclose(lines[f"type:{COMMUNITY_TYPES[t0]}"].get_ydata(), np.nanmean(x[types == t0], axis=0))
        check_saved(fig, tmp_path / "types")
        with pytest.raises(KeyError):
            community_type_heatmap(ds, "n_residents")  # not kept per community


def test_typed_communities_differ(typed_file):
    """The acceptance of issue 11's "Model 2": old neighbourhoods (more shared affairs, more unmanaged grids,
    fewer grid workers) end below commercial estates in the share rating good."""
    with open_results(typed_file) as ds:
        types = ds["community_type"].values[0]
        final = ds["share_good_by_community"].values[0][:, -1]
        old, commercial = final[types == 0].mean(), final[types == 1].mean()
        assert old < commercial - 0.005, (old, commercial)  # 0.335 and 0.344 on day 199 of this file
        assert float(ds["gini_share_good"].values[0, -1]) > 0


def test_shock_recovery(shock_file, tmp_path):
    with open_results(shock_file) as ds:
        assert shock_info(ds) == (15, 10, 0.05)
        s = shock_summary(ds)
        assert list(s["arm"]) == ["shock", "shock_with_dual_registration"]
        assert (s["peak_day"] >= 15).all() and (s["peak"] > s["baseline"]).all()
        fig = shock_recovery(ds, arms=["shock", "shock_with_dual_registration"])
        check_legible(fig)
        labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        assert labels[0].startswith("shock (days 15-24)") and "peak" in labels[1]
        check_saved(fig, tmp_path / "shock")


def test_shock_day_from_the_arguments_without_a_shock(comparison):
    path, _, _ = comparison
    with open_results(path) as ds:
        assert shock_info(ds) is None
        with pytest.raises(ValueError, match="no shock"):
            shock_summary(ds)
        check_legible(shock_recovery(ds, shock_day=10, duration=5))


def test_sensitivity_bars(saltelli_file, morris_file, lhs_file, tmp_path):
    with open_results(saltelli_file) as ds:
        fig = sensitivity_bars(sobol_indices(ds, "n_open_cases", n_boot=50))
        check_legible(fig)
        assert len(fig.axes) == 2  # one panel per arm
        check_saved(fig, tmp_path / "sobol")
    with open_results(morris_file) as ds:
        fig = sensitivity_bars(morris(ds, "n_open_cases", n_boot=50), units="cases")
        check_legible(fig)
        assert fig.axes[0].get_xlabel().endswith("(cases)")
        check_saved(fig, tmp_path / "morris")
    with open_results(lhs_file) as ds:
        fig = sensitivity_bars(prcc(ds, "n_open_cases"))
        check_legible(fig)
        check_saved(fig, tmp_path / "prcc")


LONG_ARMS = ("baseline", "joint_handling_with_monthly_listing_and_reciprocal_projects",
             "downshift_tasks_with_staff_coverage_half", "downshift_staffed", "digital_platform_and_visits",
             "whistle_and_report_with_a_low_threshold")


@pytest.fixture()
def six_arm_file(tmp_path):
    def model(x, arm, rep):
        return 100 + 10 * LONG_ARMS.index(arm)
    return synthetic.write_sweep(tmp_path / "six.h5", model, design="lhs", n=1, replicates=3, arms=LONG_ARMS,
                                 noise=4.0)


def test_arms_are_distinguishable_in_greyscale(six_arm_file, tmp_path):
    with open_results(six_arm_file) as ds:
        fig = timeseries(ds, "n_open_cases")
        lines = [l for l in fig.axes[0].get_lines() if (l.get_gid() or "").startswith("arm:")]
        assert len(lines) == 6
        # unique (line style, marker) per arm: apart without any colour
        styles = {(l.get_linestyle(), l.get_marker()) for l in lines}
        assert len(styles) == 6
        dashes = {str(l._unscaled_dash_pattern) for l in lines}
        assert len(dashes) == 6
        # rendered in greyscale, the arms' colours are different greys
        greys = [luminance(l.get_color()) for l in lines]
        assert min(abs(a - b) for a, b in itertools.combinations(greys, 2)) > 0.08
        # and the greyscale image of the plot really shows those greys
        draw(fig)
        rgba = np.asarray(fig.canvas.buffer_rgba())[..., :3] / 255.0
        grey_img = rgba @ np.array([0.299, 0.587, 0.114])
        for g in greys:
            assert (np.abs(grey_img - g) < 0.02).sum() > 20
        bands = [c for c in fig.axes[0].collections if (c.get_gid() or "").startswith("band:")]
        assert len({c.get_hatch() for c in bands}) == 6
    styles = arm_styles([f"arm{i}" for i in range(24)])
    assert len({(s["linestyle"], s["marker"]) for s in styles.values()}) == 24


def test_long_arm_names_do_not_overlap(six_arm_file):
    with open_results(six_arm_file) as ds:
        fig = forest(effect_table(ds, ["n_open_cases", "mean_satisfaction"]))
        r = draw(fig)
        W, H = fig.bbox.width, fig.bbox.height
        for ax in fig.axes:
            boxes = [t.get_window_extent(r) for t in ax.get_yticklabels() if t.get_text()]
            assert len(boxes) == 5
            for a, b in itertools.combinations(boxes, 2):
                assert not a.overlaps(b)
            assert all(b.x0 >= 0 and b.x1 <= W and b.y0 >= 0 and b.y1 <= H for b in boxes)  # not clipped
            assert all(t.get_rotation() == 0 for t in ax.get_yticklabels())  # horizontal
            xb = [t.get_window_extent(r) for t in ax.get_xticklabels() if t.get_text()]
            for a, b in itertools.combinations(xb, 2):
                assert not a.overlaps(b)


def test_figures_command_on_a_comparison(comparison, tmp_path, capsys):
    path, _, _ = comparison
    assert main(["figures", str(path), "--out", str(tmp_path / "figs")]) == 0
    printed = capsys.readouterr().out.split()
    names = {Path(p).name for p in printed}
    assert {"timeseries_n_open_cases.png", "forest.svg", "community_heatmap_n_open_cases.png",
            "community_types_share_good.png"} <= names
    assert all(Path(p).stat().st_size > 0 for p in printed)


@pytest.mark.parametrize("kind", ["saltelli", "morris", "lhs"])
def test_figures_command_on_sweeps(kind, saltelli_file, morris_file, lhs_file, tmp_path, capsys):
    f = {"saltelli": saltelli_file, "morris": morris_file, "lhs": lhs_file}[kind]
    assert main(["figures", str(f), "--out", str(tmp_path), "--metric", "n_open_cases"]) == 0
    names = {Path(p).name for p in capsys.readouterr().out.split()}
    # a sweep: the response to each varied parameter, not time series pooled over design points (the report's set)
    assert {f"sensitivity_{kind}_n_open_cases.png", f"sensitivity_{kind}_n_open_cases.svg",
            "response_n_open_cases.png", "community_heatmap_n_open_cases.png"} <= names


def test_figures_command_as_a_module(shock_file, tmp_path):
    r = subprocess.run([sys.executable, "-m", "govsim_analysis", "figures", str(shock_file), "--out",
                        str(tmp_path), "--metric", "n_open_cases"], cwd=ANALYSIS, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    paths = r.stdout.split()
    assert any(p.endswith("shock_recovery.png") for p in paths) and all(Path(p).exists() for p in paths)
    bad = subprocess.run([sys.executable, "-m", "govsim_analysis", "figures", str(tmp_path / "nope.h5"), "--out",
                          str(tmp_path)], cwd=ANALYSIS, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.startswith("govsim_analysis: ")
