"""Fixtures: real files made by the govsim binary (GOVSIM_BIN, default ../build/src/govsim from the repository
root; tests that need one are skipped with the reason if it is missing) and synthetic sweep files."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ANALYSIS = Path(__file__).resolve().parents[1]
REPO = ANALYSIS.parent
sys.path.insert(0, str(ANALYSIS))  # importable without PYTHONPATH or pip install

from govsim_analysis import synthetic  # noqa: E402


def govsim_bin():
    return Path(os.environ.get("GOVSIM_BIN", REPO / "build" / "src" / "govsim"))


@pytest.fixture(scope="session")
def govsim():
    b = govsim_bin()
    if not b.is_file() or not os.access(b, os.X_OK):
        pytest.skip(f"govsim binary not found at {b} (build it, or set GOVSIM_BIN)")
    return b


def run_govsim(binary, args, cwd):
    r = subprocess.run([str(binary), "run", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.fixture(scope="session")
def single_file(govsim, tmp_path_factory):
    d = tmp_path_factory.mktemp("single")
    out = d / "single.h5"
    run_govsim(govsim, [REPO / "tests/regression/small.ini", "--set", "run.days=40", "--set", "district.communities=4",
                        "--out", out, "--quiet"], d)
    return out


@pytest.fixture(scope="session")
def typed_file(govsim, tmp_path_factory):
    """One run of many small communities, long enough for the community types to differ."""
    d = tmp_path_factory.mktemp("typed")
    out = d / "typed.h5"
    run_govsim(govsim, [REPO / "tests/regression/small.ini", "--set", "run.days=200", "--set", "district.communities=40",
                        "--set", "district.residents_per_community=2500", "--set", "district.in_service_members=0",
                        "--set", "run.replicates=1",
                        "--out", out, "--quiet"], d)
    return out


@pytest.fixture(scope="session")
def comparison(govsim, tmp_path_factory):
    """A 4-arm comparison, 3 replicates: (file, stdout table, summary JSON path)."""
    d = tmp_path_factory.mktemp("comparison")
    out, js = d / "cmp.h5", d / "cmp.json"
    stdout = run_govsim(govsim, [REPO / "tests/comparison/small_comparison.ini", "--set", "run.replicates=3",
                                 "--set", "run.days=40", "--set", "district.communities=4", "--out", out,
                                 "--summary-json", js], d)
    return out, stdout, js


@pytest.fixture(scope="session")
def shock_file(govsim, tmp_path_factory):
    d = tmp_path_factory.mktemp("shock")
    out = d / "shock.h5"
    run_govsim(govsim, [REPO / "tests/validation/03_dual_registration_surge.ini", "--set", "run.days=50",
                        "--set", "shock.start_day=15", "--set", "shock.duration_days=10", "--set",
                        "district.communities=4", "--set", "run.replicates=2", "--out", out, "--quiet"], d)
    return out


AXES = (("demand.rate_scale", 0.5, 1.5), ("grid.hours_per_day", 6.0, 10.0), ("opinion.noise", 0.0, 2.0))


def linear_model(x, arm, rep):
    # known elementary effects (2, -1, 0 per parameter unit) and an arm effect of +5
    return 2.0 * x["demand.rate_scale"] - 1.0 * x["grid.hours_per_day"] + 0.0 * x["opinion.noise"] + \
        (5.0 if arm == "treated" else 0.0)


@pytest.fixture()
def saltelli_file(tmp_path):
    return Path(synthetic.write_sweep(tmp_path / "saltelli.h5", linear_model, design="saltelli", axes=AXES, n=16,
                                      replicates=2, arms=("baseline", "treated"), noise=0.5, failed=(7,)))


@pytest.fixture()
def morris_file(tmp_path):
    return Path(synthetic.write_sweep(tmp_path / "morris.h5", linear_model, design="morris", axes=AXES, n=6,
                                      replicates=2, noise=0.3))


@pytest.fixture()
def lhs_file(tmp_path):
    def model(x, arm, rep):
        return np.exp(2 * x["demand.rate_scale"]) - 0.3 * x["grid.hours_per_day"]
    return Path(synthetic.write_sweep(tmp_path / "lhs.h5", model, design="lhs", axes=AXES, n=60, replicates=1))


@pytest.fixture()
def merged_file(tmp_path):
    path, shards = synthetic.write_merged(tmp_path / "merged.h5", linear_model, shards=3, design="saltelli",
                                          axes=AXES, n=8, replicates=2, arms=("baseline", "treated"), noise=0.5,
                                          failed=(5,))
    return Path(path), [Path(s) for s in shards]
