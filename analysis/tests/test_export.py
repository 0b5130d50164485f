"""govsim export: tidy CSV tables that round-trip to pandas (issue 13)."""

import subprocess

import numpy as np
import pandas as pd
import pytest

from govsim_analysis import open_results
from govsim_analysis.export import export_csv


def test_export_round_trips_to_pandas(comparison, tmp_path):
    path = comparison[0]
    out = tmp_path / "csv"
    written = export_csv(path, out, by_community=True)
    assert sorted(p.rsplit("/", 1)[1] for p in map(str, written)) == sorted(
        ["runs.csv", "series.csv", "variables.csv", "series_by_community.csv"])
    runs = pd.read_csv(out / "runs.csv", index_col="run")
    series = pd.read_csv(out / "series.csv", float_precision="round_trip")  # the exact doubles
    variables = pd.read_csv(out / "variables.csv", keep_default_na=False)
    with open_results(path) as ds:
        assert list(runs.index) == list(ds["run"].values)
        assert list(runs["arm"]) == list(ds["arm"].values)
        assert set(series.columns) == {"run", "arm", "replicate", "day", "metric", "value"}
        for metric in ("n_open_cases", "mean_resolution_hours", "mean_unit_engagement"):
            wide = series[series["metric"] == metric].pivot(index="run", columns="day", values="value")
            np.testing.assert_array_equal(wide.to_numpy(), ds[metric].values)  # NaN where the arm lacks it
        row = variables[(variables["metric"] == "n_open_cases") & (variables["level"] == "district")].iloc[0]
        assert row["units"] == ds["n_open_cases"].attrs["units"] and row["long_name"]
        assert (variables["level"] == "community").any()
        by_c = pd.read_csv(out / "series_by_community.csv")
        assert {"community", "day", "metric", "value"} <= set(by_c.columns)
    with pytest.raises(FileExistsError, match="--force"):
        export_csv(path, out)
    export_csv(path, out, force=True)


def test_govsim_export(govsim, comparison, tmp_path):
    out = tmp_path / "csv"
    r = subprocess.run([str(govsim), "export", str(comparison[0]), "--csv", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (out / "series.csv").stat().st_size > 1000 and not (out / "series_by_community.csv").exists()
    again = subprocess.run([str(govsim), "export", str(comparison[0]), "--csv", str(out)], capture_output=True,
                           text=True)
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "--force" in again.stderr
    missing = subprocess.run([str(govsim), "export", str(tmp_path / "none.h5"), "--csv", str(out)],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "file not found" in missing.stderr
