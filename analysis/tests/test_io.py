import json
import os

import h5py
import numpy as np
import pytest
import xarray as xr

from govsim_analysis import MissingSourcesError, SchemaVersionError, config_value, design, open_results, run_table
from govsim_analysis import synthetic


def test_single_run_file(single_file):
    with open_results(single_file) as ds:
        assert dict(ds.sizes) == {"run": 2, "day": 40, "community": 4}
        assert ds["n_open_cases"].dims == ("run", "day")
        assert ds["n_open_cases_by_community"].dims == ("run", "community", "day")
        assert ds["n_open_cases"].attrs == {"kind": "stock", "units": "1", "display_units": "cases",
                                            "long_name": "Reported demands not yet closed"}
        assert ds["mean_resolution_hours"].attrs["units"] == "h"
        # UDUNITS units; what is counted in display_units
        assert (ds["new_resolved"].attrs["units"], ds["new_resolved"].attrs["display_units"]) == ("1/d", "cases/day")
        assert ds["mean_trust"].attrs["units"] == "1" and ds["mean_trust"].attrs["display_units"] == "0-1"
        assert ds["mean_gw_utilisation"].attrs["units"] == "1"  # hours/normal hour: h/h cancels
        assert ds["seed"].attrs["units"] == "1" and ds["wall_seconds"].attrs["units"] == "s"
        assert int(ds.attrs["schema_version"]) == 1 and "[run]" in ds.attrs["config"]
        assert list(ds["arm"].values) == ["regression", "regression"]
        assert list(ds["status"].values) == ["ok", "ok"]
        assert ds["seed"].dtype == np.uint64
        assert list(ds["pair"].values) == [0, 1]  # derived from the seeds: no /runs/pair in a run file
        assert ds["community_n_residents"].dims == ("run", "community")
        # the district's residents on day 0 are the communities' sum (OUTPUT.md)
        np.testing.assert_array_equal(ds["community_n_residents"].sum("community").values,
                                      ds["n_residents"].isel(day=0).values)
        assert design(ds) is None


def test_series_are_lazy_and_match_h5py(single_file):
    with open_results(single_file) as ds:
        assert not ds["n_open_cases"].variable._in_memory
        assert not ds["mean_trust_by_community"].variable._in_memory
        with h5py.File(single_file, "r") as f:
            np.testing.assert_array_equal(ds["cum_resolved"].values, f["series/cum_resolved"][()])
            np.testing.assert_array_equal(ds["mean_trust_by_community"].isel(run=1, community=[0, 2]).values,
                                          f["series_by_community/mean_trust"][1][[0, 2]])
            np.testing.assert_array_equal(ds["n_open_cases"].isel(run=[1, 0], day=slice(3, 7)).values,
                                          f["series/n_open_cases"][()][[1, 0], 3:7])
            assert list(ds.data_vars)[:3] == list(f["series"])[:3]  # written (metric-table) order
            # indexing h5py cannot do itself: repeated or unordered rows, negative steps, points, nothing
            raw = f["series/n_open_cases"][()]
            da = ds["n_open_cases"]
            np.testing.assert_array_equal(da.isel(run=[1, 0, 1]).values, raw[[1, 0, 1]])
            np.testing.assert_array_equal(da.isel(day=slice(None, None, -3)).values, raw[:, ::-3])
            pts = xr.DataArray([1, 0], dims="p"), xr.DataArray([39, 2], dims="p")
            np.testing.assert_array_equal(da.isel(run=pts[0], day=pts[1]).values, raw[[1, 0], [39, 2]])
            assert da.isel(run=np.array([], dtype=int)).shape == (0, 40)


def test_comparison_file(comparison):
    path, _, _ = comparison
    with open_results(path) as ds:
        assert ds.sizes["run"] == 12
        arms = list(dict.fromkeys(ds["arm"].values))
        assert arms == ["baseline", "joint_handling", "downshift_tasks", "downshift_staffed"]
        assert list(ds["pair"].values) == [0, 1, 2] * 4  # replicate k of every arm shares its seed
        assert list(ds["run__mechanisms"].values[:4]) == ["", "", "", "joint_handling"]
        assert ds["run__mechanisms"].attrs["key"] == "run.mechanisms"  # names without dots, the key kept
        # a mechanism's metric: NaN rows for the arms without it
        eng = ds["mean_unit_engagement"].values
        assert np.isnan(eng[:3]).all() and np.isfinite(eng[3:6]).all()
        assert config_value(ds, "downshift.variant", run=9) == "staffed"
        # a mechanism's parameters are absent where the arm does not run it (not its defaults)
        assert list(ds["downshift__variant"].values) == [""] * 6 + ["tasks"] * 3 + ["staffed"] * 3
        assert config_value(ds, "district.communities") == 4.0
        t = run_table(ds)
        assert len(t) == 12 and {"arm", "replicate", "seed", "pair", "status"} <= set(t.columns)


def test_shard_file(saltelli_file):
    with open_results(saltelli_file) as ds:
        des = design(ds)
        assert des["design"] == "saltelli" and [a["key"] for a in des["axes"]][0] == "demand.rate_scale"
        R = ds.sizes["run"]
        assert R == des["n_runs"] == 16 * 5 * 2 * 2
        for c in ("index", "run_hash", "point", "block", "group", "pair", "demand__rate_scale"):
            assert c in ds.coords and ds[c].dims == ("run",)
        # rows: point, then arm, then replicate; each base point's rows are A, AB1..AB3, B
        assert list(ds["block"].values[0:20:4]) == ["A", "AB1", "AB2", "AB3", "B"]
        assert list(ds["point"].values[0:20:4]) == [0, 1, 2, 3, 4] and set(ds["group"].values[:20]) == {0}
        assert ds["status"].values[7] == "failed" and np.isnan(ds["n_open_cases"].values[7]).all()
        assert isinstance(ds.attrs["experiment_fingerprint"], str)


def test_merged_file_with_virtual_series(merged_file, tmp_path, monkeypatch):
    path, shards = merged_file
    with h5py.File(path, "r") as f:
        assert f["series/n_open_cases"].is_virtual
        assert f["series_by_community/n_open_cases"].is_virtual
    monkeypatch.chdir(tmp_path.parent)  # relative source paths resolve from the merged file's directory
    with open_results(path) as ds:
        x = ds["n_open_cases"].values
        index = ds["index"].values
        assert np.isnan(x[5]).all() and np.isfinite(np.delete(x, 5, axis=0)).all()
        # every row equals its shard's row: rows were dealt round-robin to 3 shards
        for i, s in enumerate(shards):
            with open_results(s) as sh:
                rows = np.searchsorted(index, sh["index"].values)
                np.testing.assert_array_equal(x[rows], sh["n_open_cases"].values)
                np.testing.assert_array_equal(ds["n_open_cases_by_community"].values[rows],
                                              sh["n_open_cases_by_community"].values)
    # xarray's own h5netcdf engine reads the virtual datasets too, with named dimensions
    with xr.open_dataset(path, group="series", engine="h5netcdf") as s:
        assert dict(s.sizes) == {"run": x.shape[0], "day": x.shape[1]}
        np.testing.assert_array_equal(s["n_open_cases"].values, x)


def test_merged_file_with_missing_shard_is_refused_unless_allowed(merged_file):
    path, shards = merged_file
    os.remove(shards[1])
    with pytest.raises(MissingSourcesError, match="missing file"):
        open_results(path)
    with pytest.warns(UserWarning, match="missing files"):
        with open_results(path, allow_missing_sources=True) as ds:
            assert np.isnan(ds["n_open_cases"].values[1]).all()


def test_pair_column_is_used_when_present(tmp_path):
    runs = {"arm": np.array(["a", "a", "b", "b"], dtype=object), "replicate": np.array([0, 1, 0, 1]),
            "seed": np.array([5, 6, 7, 8], dtype=np.uint64), "pair": np.array([0, 1, 1, 0]),
            "status": np.array(["ok"] * 4, dtype=object)}
    p = synthetic.write_schema1(tmp_path / "p.h5", runs, {"n_open_cases": np.zeros((4, 3))})
    with open_results(p) as ds:
        assert list(ds["pair"].values) == [0, 1, 1, 0]


def test_other_schema_versions_are_refused(tmp_path):
    runs = {"arm": np.array(["a"], dtype=object), "seed": np.array([1], dtype=np.uint64)}
    p = synthetic.write_schema1(tmp_path / "v2.h5", runs, {"n_open_cases": np.zeros((1, 2))}, schema_version=2)
    with pytest.raises(SchemaVersionError, match="schema_version 2 is not supported"):
        open_results(p)
    with h5py.File(tmp_path / "none.h5", "w") as f:
        f["x"] = 1
    with pytest.raises(SchemaVersionError, match="not a govsim output file"):
        open_results(tmp_path / "none.h5")


def test_without_by_community(single_file):
    with open_results(single_file, by_community=False) as ds:
        assert not [v for v in ds.data_vars if v.endswith("_by_community")]
        assert "n_open_cases" in ds


def test_design_json_round_trip(morris_file):
    with open_results(morris_file) as ds:
        des = design(ds)
        assert des == json.loads(ds.attrs["design"]) and des["design"] == "morris"
        blocks = ds["block"].values[::2]  # one row per point (2 replicates)
        assert blocks[0] == "step0" and sorted(b.split(":")[1] for b in blocks[1:4]) == ["1", "2", "3"]


def test_dataset_pickles_deep_copies_and_filters(comparison):
    """Issue 13: pickling, deep copies and .where(drop=True) work on an opened file, before and after .load()."""
    import copy
    import pickle

    path = comparison[0]
    with open_results(path) as ds:
        for d in (ds, ds.copy(deep=True)):
            back = pickle.loads(pickle.dumps(d))
            xr.testing.assert_identical(back, ds)
        deep = copy.deepcopy(ds)
        xr.testing.assert_identical(deep, ds)
        kept = ds.where(ds["arm"] == "joint_handling", drop=True)
        assert set(kept["arm"].values) == {"joint_handling"}
        loaded = ds.load()
        xr.testing.assert_identical(pickle.loads(pickle.dumps(loaded)), ds)



def test_indexed_view_selects_by_arm_and_resamples_by_date(comparison):
    """Issue 13: sel(arm=...), resample(time="1MS"), and the indexed Dataset survives pickling, deep copies and
    where(drop=True); names have no dots; the date axis starts at run.start_date; CF Conventions."""
    import copy
    import pickle

    path = comparison[0]
    with open_results(path) as flat:
        assert flat.attrs["Conventions"].startswith("CF-")
        assert all("." not in n for n in list(flat.coords) + list(flat.data_vars))
        ok = flat.query(run="replicate >= 1 and run__mechanisms == 'joint_handling'")  # dotless names
        assert set(ok["arm"].values) == {"joint_handling"} and ok.sizes["run"] == 2
        start = np.datetime64(flat.attrs.get("start_date", "2019-01-01"), "ns")
        assert flat["time"].values[0] == start and flat["time"].values[39] == start + np.timedelta64(39, "D")
        want = flat["n_open_cases"].values[flat["arm"].values == "joint_handling"]
    with open_results(path, indexed=True) as ds:
        jh = ds.sel(arm="joint_handling")
        np.testing.assert_array_equal(jh["n_open_cases"].values, want)
        assert list(jh["replicate"].values) == [0, 1, 2]
        assert int(ds.sel(arm="downshift_staffed", point=0, replicate=2)["row"]) == 11
        monthly = ds["n_open_cases"].resample(time="1MS").mean()
        assert monthly.sizes["time"] == 2  # 40 days from the 1st of a month: that month and the next
        for d in (ds, copy.deepcopy(ds), pickle.loads(pickle.dumps(ds))):
            xr.testing.assert_identical(d, ds)
        kept = ds.where(ds["arm"] == "baseline", drop=True)
        assert kept.sizes["run"] == 3 and set(kept["arm"].values) == {"baseline"}
        back = pickle.loads(pickle.dumps(kept))
        xr.testing.assert_identical(back, kept)
