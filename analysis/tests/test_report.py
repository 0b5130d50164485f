"""The HTML report: python -m govsim_analysis report, write_report() and govsim report; a screenshot of the page
in headless Chromium shows every figure."""

import base64
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

from govsim_analysis import compare, open_results
from govsim_analysis.__main__ import main
from govsim_analysis.report import FRAME_COLOURS, fmt, write_report

ANALYSIS = Path(__file__).resolve().parents[1]
KEY = ("cum_hard_problems_closed", "n_open_cases", "new_reported", "new_gave_up", "mean_resolution_hours",
       "mean_satisfaction", "mean_trust", "mean_gw_utilisation", "cum_cost_yuan")
FIGURE = re.compile(r'<figure class="fig" id="fig-([^"]+)" data-frame="(#[0-9a-f]{6})"')


def figures_of(page):
    return FIGURE.findall(page)


def check_self_contained(page):
    """No resource the page would have to fetch: no http(s), no file: or relative src, no script, no link."""
    assert "http://" not in page and "https://" not in page
    assert "<script" not in page.lower() and "<link" not in page.lower() and "<iframe" not in page.lower()
    assert "url(" not in page and "@import" not in page
    srcs = re.findall(r'\bsrc\s*=\s*"([^"]*)"', page)
    assert srcs, "no embedded image"
    assert all(s.startswith("data:image/png;base64,") for s in srcs), [s[:40] for s in srcs]
    for s in srcs:  # each embedded image decodes to a PNG
        assert base64.b64decode(s.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"


def cell_value(page, metric, arm, col):
    m = re.search(rf'data-metric="{re.escape(metric)}" data-how="[^"]*" data-arm="{re.escape(arm)}" '
                  rf'data-col="{col}" data-value="([^"]+)">([^<]*)<', page)
    assert m, (metric, arm, col)
    return float(m.group(1)), html.unescape(m.group(2))


def test_report_on_a_comparison(comparison, tmp_path):
    path, _, _ = comparison
    out = tmp_path / "report"
    index = Path(write_report(path, out))
    assert index == out / "index.html"
    page = index.read_text(encoding="utf-8")
    check_self_contained(page)
    names = [n for n, _ in figures_of(page)]
    assert names == [f"timeseries_{m}" for m in KEY] + ["forest", "community_heatmap_n_open_cases",
                                                        "community_types_share_good"]
    for n in names:  # written beside the page, and captioned
        assert (out / f"{n}.png").stat().st_size > 1000 and (out / f"{n}.svg").stat().st_size > 1000
    assert page.count("<figcaption>") == len(names)
    assert "(cases)" in page and "by day of simulation" in page
    # provenance
    with open_results(path) as ds:
        for attr in ("govsim_version", "git_revision", "created"):
            assert html.escape(ds.attrs[attr]) in page
        assert html.escape(ds.attrs["command_line"]) in page
        assert str(Path(path).resolve()) in page
        # the comparison table holds compare()'s numbers
        for metric, how in (("n_open_cases", "final"), ("mean_resolution_hours", "mean")):
            t = compare(ds, metric, how=how).set_index("arm")
            for arm in ("downshift_tasks", "downshift_staffed"):
                r = t.loc[arm]
                v, text = cell_value(page, metric, arm, "mean")
                assert v == r["mean"]
                assert text == f"{fmt(r['mean'])} [{fmt(r['lo'])}, {fmt(r['hi'])}]"
                v, text = cell_value(page, metric, arm, "diff")
                assert v == r["diff"]
                assert text == f"{fmt(r['diff'])} [{fmt(r['diff_lo'])}, {fmt(r['diff_hi'])}]"
        # rows whose interval excludes zero are marked
        eff = compare(ds, "mean_resolution_hours", how="mean")
        marked = len(re.findall(r"\* yes", page))
        assert marked >= int(eff["excludes_zero"].sum())
    assert "4 arms × 3 replicates" in page and "40 simulated days" in page and "4 communities" in page
    # Issue 13: reported and lapsed demand stand right after the backlog, and each difference has its
    # share of the baseline.
    order = [m for m in re.findall(r'data-metric="([^"]+)" data-how="[^"]+" data-arm="baseline" data-col="mean"', page)]
    at = order.index("n_open_cases")
    assert order[at + 1:at + 3] == ["new_reported", "new_gave_up"], order
    with open_results(path) as ds:
        t = compare(ds, "sum:new_gave_up").set_index("arm")
        rel = 100 * t.loc["downshift_tasks", "diff"] / abs(t.loc["baseline", "mean"])
        assert f'data-metric="new_gave_up" data-how="sum" data-arm="downshift_tasks" data-col="relative">{rel:+.3g}%' in page


def test_report_on_a_single_run(single_file, tmp_path):
    page = Path(write_report(single_file, tmp_path / "r")).read_text()
    check_self_contained(page)
    names = [n for n, _ in figures_of(page)]
    assert "forest" not in names and "community_heatmap_n_open_cases" in names
    assert names[-1] == "community_types_share_good" and "grouped by their type" in page
    assert "paired difference" not in page and "Key metrics" in page
    with open_results(single_file) as ds:
        t = compare(ds, "mean_trust")
        assert cell_value(page, "mean_trust", t["arm"].iloc[0], "mean")[0] == t["mean"].iloc[0]


def test_report_with_a_shock_and_a_baseline(shock_file, tmp_path):
    with open_results(shock_file) as ds:
        arms = list(dict.fromkeys(ds["arm"].values.tolist()))
    page = Path(write_report(shock_file, tmp_path / "r", baseline=arms[-1])).read_text()
    names = [n for n, _ in figures_of(page)]
    assert "shock_recovery" in names
    assert f"paired difference vs {arms[-1]}" in page
    assert "days to recover" in page


@pytest.mark.parametrize("kind,figure", [("saltelli", "sensitivity_saltelli_n_open_cases"),
                                         ("morris", "sensitivity_morris_n_open_cases"),
                                         ("lhs", "sensitivity_lhs_n_open_cases")])
def test_report_on_sweeps(kind, figure, saltelli_file, morris_file, lhs_file, tmp_path):
    f = {"saltelli": saltelli_file, "morris": morris_file, "lhs": lhs_file}[kind]
    page = Path(write_report(f, tmp_path / kind)).read_text()
    check_self_contained(page)
    assert figure in [n for n, _ in figures_of(page)]
    assert f"Sweep design: design {kind}" in page and "demand.rate_scale" in page


def test_report_command(comparison, tmp_path, capsys):
    path, _, _ = comparison
    assert main(["report", str(path), "--out", str(tmp_path / "r"), "--metric", "share_good",
                 "--title", "My <title>"]) == 0
    index = capsys.readouterr().out.strip()
    page = Path(index).read_text()
    assert "My &lt;title&gt;" in page
    assert [n for n, _ in figures_of(page)][0] == "timeseries_share_good"
    assert main(["report", str(tmp_path / "missing.h5"), "--out", str(tmp_path / "x")]) == 2
    assert "missing.h5" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
    assert main(["report", str(path), "--out", str(tmp_path / "y"), "--baseline", "nope"]) == 2


def test_govsim_report(govsim, comparison, tmp_path):
    """govsim report runs the package with its Python and returns its exit code; bad input exits 2 first."""
    path, _, _ = comparison
    env = {k: v for k, v in os.environ.items() if k not in ("GOVSIM_PYTHON", "GOVSIM_ANALYSIS_DIR", "PYTHONPATH")}

    def run(*args, **extra):
        return subprocess.run([str(govsim), "report", *map(str, args)], capture_output=True, text=True,
                              timeout=300, env={**env, **extra}, cwd=tmp_path)

    r = run(path, "--out", tmp_path / "r", "--baseline", "joint_handling")
    assert r.returncode == 0, r.stderr
    index = tmp_path / "r" / "index.html"
    assert r.stdout.strip() == str(index)
    assert "paired difference vs joint_handling" in index.read_text()
    # relative --out in the working directory
    assert run(path, "--out", "rel").returncode == 0 and (tmp_path / "rel" / "index.html").exists()
    for args, message in (((tmp_path / "no.h5", "--out", tmp_path / "o"), "no.h5: file not found"),
                          ((path, "--out", tmp_path / "no" / "o"), "parent directory"),
                          ((path,), "usage: govsim report FILE.h5 --out DIR")):
        r = run(*args)
        assert r.returncode == 2 and message in r.stderr and r.stderr.count("\n") == 1, r.stderr
    r = run(path, "--out", tmp_path / "p", GOVSIM_PYTHON=str(tmp_path / "no-python"))
    assert r.returncode == 2 and "scripts/install-deps.sh" in r.stderr and r.stderr.count("\n") == 1, r.stderr
    r = run(path, "--out", tmp_path / "p", GOVSIM_ANALYSIS_DIR=str(tmp_path))
    assert r.returncode == 2 and "GOVSIM_ANALYSIS_DIR" in r.stderr, r.stderr
    # a Python without the packages: the check names them (-S: no site-packages)
    fake = tmp_path / "bare-python"
    fake.write_text(f"#!/bin/sh\nexec {sys.executable} -S \"$@\"\n")
    fake.chmod(0o755)
    r = run(path, "--out", tmp_path / "p", GOVSIM_PYTHON=str(fake))
    assert r.returncode == 2 and "lacks the Python modules" in r.stderr and "numpy" in r.stderr, r.stderr
    assert not (tmp_path / "p").exists()
    # the package's own exit code comes back
    r = run(path, "--out", tmp_path / "q", "--baseline", "nope")
    assert r.returncode == 2 and "baseline 'nope'" in r.stderr


# --- the page in a browser ---------------------------------------------------------------------------------

def chromium():
    for c in (os.environ.get("GOVSIM_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if c and shutil.which(c):
            return shutil.which(c)
    return None


BORDER, PADDING = 5, 8  # figure.fig in report._CSS


def screenshot(index, png, width, height, profile):
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
           f"--user-data-dir={profile}", f"--screenshot={png}", f"--window-size={width},{height}",
           Path(index).resolve().as_uri()]
    # stderr carries DBus and GPU noise in containers: ignored
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=90)
    assert Path(png).exists(), "chromium wrote no screenshot"
    img = mpimg.imread(png)
    return np.round(img[..., :3] * 255).astype(np.int16)


def darkness(rgb):
    """Mean of 1 - luminance over an RGB array of 0..255: what a figure adds to a white page."""
    lum = (0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]) / 255
    return float(1 - lum.mean())


@pytest.mark.skipif(chromium() is None, reason="no chromium (Debian package chromium; install-deps.sh --test)")
def test_screenshot_shows_every_figure(comparison, tmp_path):
    path, _, _ = comparison
    out = tmp_path / "report"
    index = write_report(path, out)
    page = Path(index).read_text()
    figs = figures_of(page)
    assert len(figs) == 12  # the nine key metrics (cost, reported and lapsed demand included), forest, two heat maps
    shot = screenshot(index, tmp_path / "shot.png", 1400, 8000, tmp_path / "profile")
    assert shot.shape[:2] == (8000, 1400)
    assert darkness(shot) > 0.03, "the page rendered blank"
    boxes = []
    for name, colour in figs:
        rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
        mask = np.abs(shot - rgb).max(axis=-1) <= 2
        assert mask.sum() > 1000, f"no frame of {name} ({colour}) in the screenshot"
        ys, xs = np.nonzero(mask)
        y0, y1, x0, x1 = ys.min(), ys.max(), xs.min(), xs.max()
        assert x1 - x0 > 400 and y1 - y0 > 200, (name, (y0, y1, x0, x1))
        # the colour is the frame: its pixels lie in the box's edge band, not in the figure
        edge = (ys - y0 < BORDER + 1) | (y1 - ys < BORDER + 1) | (xs - x0 < BORDER + 1) | (x1 - xs < BORDER + 1)
        assert edge.mean() > 0.97, (name, edge.mean())
        # the image inside the frame: its rendered darkness equals that of the PNG written beside the page
        fig_png = mpimg.imread(out / f"{name}.png")
        h, w = fig_png.shape[:2]
        ix0, ix1 = x0 + BORDER + PADDING, x1 - BORDER - PADDING + 1
        iy0 = y0 + BORDER + PADDING
        iy1 = iy0 + int(round((ix1 - ix0) * h / w))
        assert iy1 < y1, (name, "the image is taller than its frame")
        region = shot[iy0 + 3:iy1 - 3, ix0 + 3:ix1 - 3]
        want = darkness(np.round(fig_png[..., :3] * 255))
        got = darkness(region)
        assert want > 0.01
        assert abs(got - want) < 0.25 * want + 0.005, (name, got, want)
        # axes and text drawn: dark pixels inside
        lum = region.mean(axis=-1)
        assert (lum < 90).mean() > 0.002, name
        boxes.append((y0, x0))
    # in page order: row by row, left to right
    for (ya, xa), (yb, xb) in zip(boxes, boxes[1:]):
        assert yb > ya + 10 or (abs(yb - ya) <= 10 and xb > xa), (boxes)
    # the comparison table is above the figures
    assert min(y for y, _ in boxes) > 300


def test_frame_colours_are_not_figure_colours():
    """Frame colours are far from cividis (the arms' and heat maps' colours) and from grey."""
    import matplotlib
    cmap = matplotlib.colormaps["cividis"](np.linspace(0, 1, 256))[:, :3] * 255
    for c in FRAME_COLOURS:
        rgb = np.array([int(c[i:i + 2], 16) for i in (1, 3, 5)])
        assert np.abs(cmap - rgb).max(axis=1).min() > 40, c
        assert rgb.max() - rgb.min() > 60, c
    assert len(set(FRAME_COLOURS)) == len(FRAME_COLOURS)


def test_long_titles_fit_the_figure(comparison):
    """The longest long_name (99 characters) is wrapped, not cut at the figure's edge."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from govsim_analysis.figures import community_heatmap, timeseries

    path, _, _ = comparison
    with open_results(path) as ds:
        for fig in (timeseries(ds, "mean_gw_utilisation"), community_heatmap(ds, "mean_gw_utilisation")):
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            r = canvas.get_renderer()
            box = fig.axes[0].title.get_window_extent(r)
            assert box.x0 >= 0 and box.x1 <= fig.bbox.width + 0.5, (box, fig.bbox)


def test_report_shares_govsim_runs_headline_metrics_margins_and_contrasts(comparison, tmp_path):
    """Issue 13: one list of metrics (the file's headline_metrics, written by govsim) behind the CLI's headline
    table and the report's; a margin per metric; bold only where the interval excludes 0 and the difference is
    material; the scenario's [contrasts] in the report."""
    import json

    path, stdout, summary = comparison
    page = Path(write_report(path, tmp_path / "r")).read_text(encoding="utf-8")
    with open_results(path) as ds:
        listed = json.loads(ds.attrs["headline_metrics"])
        assert [(h["name"], h["how"]) for h in listed][:4] == [
            ("cum_hard_problems_closed", "final"), ("n_open_cases", "final"), ("new_reported", "sum"),
            ("new_gave_up", "sum")]
        assert "Headline metrics (as govsim report's table)" in stdout
        runs = json.loads(Path(summary).read_text())["arms"]
        for h in listed:
            metric, how = h["name"], h["how"]
            assert f"{how} of {metric} (margin " in stdout
            t = compare(ds, metric, how=how).set_index("arm")
            for arm in ("baseline", "downshift_tasks"):
                values = np.asarray(runs[arm][f"{how}:{metric}"], dtype=float)
                np.testing.assert_allclose(values.mean(), t.loc[arm, "mean"], rtol=1e-12)  # same numbers
                v, _ = cell_value(page, metric, arm, "mean")
                assert v == t.loc[arm, "mean"]
            # bold rows: interval excludes zero and at least the margin
            base = abs(t.loc["baseline", "mean"])
            for arm in ("joint_handling", "downshift_tasks", "downshift_staffed"):
                r = t.loc[arm]
                # relative to a baseline mean of 0: no verdict, so not bold
                size = (abs(r["diff"]) / base if base else float("nan")) if h["relative"] else abs(r["diff"])
                bold = bool(r["excludes_zero"]) and size >= h["margin"]
                row = re.search(r'<tr([^>]*)>(?:(?!</tr>).)*data-metric="%s" data-how="%s" data-arm="%s" '
                                r'data-col="mean"' % (metric, how, arm), page, re.S)
                assert ("sig" in row.group(1)) == bold, (metric, arm)
    assert "<th>margin</th>" in page and "<th>material</th>" in page
    assert "<h3>Contrasts</h3>" in page and "tasks_vs_staffed" in page and "downshift_tasks − downshift_staffed" in page
