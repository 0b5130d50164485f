"""govsim calibrate's file and report: read_calibration(), the identification verdicts and the HTML report
(python -m govsim_analysis report and govsim report) on a small calibration this build's govsim runs."""

import math
import re
import subprocess

import h5py
import numpy as np
import pytest

from govsim_analysis.calibration import identification, prior_sd, read_calibration
from govsim_analysis.report import write_report

from conftest import REPO
from test_report import check_self_contained, figures_of


@pytest.fixture(scope="session")
def calibration_file(govsim, tmp_path_factory):
    d = tmp_path_factory.mktemp("calibration")
    r = subprocess.run([str(govsim), "calibrate", str(REPO / "tests/calibration/small_calibration.ini"), "--out",
                        str(d / "cal"), "--quiet"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return d / "cal" / "calibration.h5"


def test_read_calibration_shapes(calibration_file):
    cal = read_calibration(calibration_file)
    G, N, P = cal.theta.shape
    assert P == len(cal.parameters) == 3 and N == 16 and G == len(cal.tolerance)
    assert cal.stats.shape == (G, N, 1, 3)
    assert np.allclose(cal.weight.sum(axis=1), 1.0)
    # The posterior summary is the last generation's weighted mean.
    assert np.allclose(cal.posterior["mean"], (cal.weight[-1][:, None] * cal.theta[-1]).sum(axis=0))
    assert math.isinf(cal.tolerance[0]) and np.all(np.diff(cal.tolerance) <= 0)
    # An integer parameter's values are whole numbers.
    j = cal.parameters.index("district.district_leaders")
    assert cal.integer[j] == 1 and np.all(cal.theta[..., j] == np.round(cal.theta[..., j]))


def test_prior_sd():
    assert prior_sd("uniform(0, 1)") == pytest.approx(1 / math.sqrt(12))
    assert prior_sd("normal(3, 2)") == 2
    # log-uniform on [1, e]: density 1/x, mean e - 1, second moment (e^2 - 1) / 2
    assert prior_sd(f"loguniform(1, {math.e})") == pytest.approx(math.sqrt((math.e**2 - 1) / 2 - (math.e - 1)**2))
    assert prior_sd("truncnormal(0, 1, 0, 10)") == pytest.approx(math.sqrt(1 - 2 / math.pi), rel=0.01)


def test_identification_verdicts(calibration_file, tmp_path):
    """A copy of the file with one parameter pinned, one free and two perfectly correlated."""
    path = tmp_path / "edited.h5"
    path.write_bytes(calibration_file.read_bytes())
    with h5py.File(path, "r+") as f:
        sd = f["posterior/sd"]
        sd[0] = 0.01 * (0.65 / math.sqrt(12))  # trust_mean: narrowed a hundredfold
        sd[2] = 50 / math.sqrt(12)  # district_leaders: as wide as its prior
        c = f["posterior/correlation"][()]
        c[0, 1] = c[1, 0] = -0.9
        f["posterior/correlation"][...] = c
    rows, pairs = identification(read_calibration(path))
    assert rows[0][1] == "identified" and rows[2][1] == "not identified by these targets"
    assert pairs == [(0, 1, -0.9)]


def test_calibration_report(calibration_file, tmp_path):
    index = write_report(calibration_file, tmp_path / "rep")
    page = open(index, encoding="utf-8").read()
    check_self_contained(page)
    assert [n for n, _ in figures_of(page)] == ["posterior_marginals", "posterior_pairs", "tolerance_schedule",
                                                "predictive_check"]
    cal = read_calibration(calibration_file)
    for j, p in enumerate(cal.parameters):
        assert re.search(rf"<code>{re.escape(p)}</code></td><td>[^<]*</td><td>{cal.posterior['mean'][j]:.4g}</td>",
                         page), p
    for name in ("posterior_marginals", "tolerance_schedule"):
        assert (tmp_path / "rep" / f"{name}.png").is_file() and (tmp_path / "rep" / f"{name}.svg").is_file()
    with pytest.raises(ValueError):
        write_report(calibration_file, tmp_path / "rep2", baseline="x")


def test_govsim_report_on_a_calibration(govsim, calibration_file, tmp_path):
    r = subprocess.run([str(govsim), "report", str(calibration_file), "--out", str(tmp_path / "r")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "Posterior-predictive check" in (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
