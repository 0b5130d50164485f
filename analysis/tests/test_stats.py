import json
import math
import re

import numpy as np
import pytest

from govsim_analysis import (COST_FIELDS, SUMMARY_FIELDS, compare, contrast, effect_table, mean_interval,
                             open_results, paired_difference, summarise_runs, t_quantile_975, tidy)
from govsim_analysis import synthetic

T2_EXACT = 4.302652729911275  # Student t 97.5% quantile, df = 2


def test_t_quantiles_at_any_level():
    from govsim_analysis import t_quantile
    assert t_quantile_975(2) == pytest.approx(T2_EXACT, abs=1e-12)
    assert math.isnan(t_quantile_975(0)) and math.isnan(t_quantile(1.0, 5))
    # the values stats.cpp's Boost.Math gives (tests/unit/experiment/test_stats.cpp)
    assert t_quantile(0.90, 10) == pytest.approx(1.8124611228107335, abs=1e-9)
    assert t_quantile(0.99, 5) == pytest.approx(4.032142983557536, abs=1e-9)
    wide, narrow = mean_interval([1, 2, 3, 4], level=0.99), mean_interval([1, 2, 3, 4], level=0.8)
    assert wide[2] > mean_interval([1, 2, 3, 4])[2] > narrow[2]


def three_replicate_file(tmp_path, order=None):
    """Two arms x 3 replicates; final n_open_cases: baseline 1, 2, 6; treated 2, 4, 9 (pairs 0, 1, 2)."""
    final = {("baseline", 0): 1.0, ("baseline", 1): 2.0, ("baseline", 2): 6.0,
             ("treated", 0): 2.0, ("treated", 1): 4.0, ("treated", 2): 9.0}
    keys = list(final) if order is None else [list(final)[i] for i in order]
    runs = {"arm": np.array([a for a, _ in keys], dtype=object), "replicate": np.array([k for _, k in keys]),
            "seed": np.array([100 + k for _, k in keys], dtype=np.uint64),
            "status": np.array(["ok"] * 6, dtype=object)}
    x = np.array([[0.0, final[k] / 2, final[k]] for k in keys])
    return synthetic.write_schema1(tmp_path / "three.h5", runs, {"n_open_cases": x})


def check_hand_computed(t, exact):
    tq = T2_EXACT  # every quantile is exact (scipy), the C++ one too (Boost.Math)
    b = t[t["arm"] == "baseline"].iloc[0]
    # baseline 1, 2, 6: mean 3; squared deviations 4 + 1 + 9 = 14; sd^2 = 7; se = sqrt(7/3)
    assert b["n"] == 3 and b["mean"] == 3.0
    assert b["lo"] == pytest.approx(3 - tq * math.sqrt(7 / 3), rel=1e-12)
    assert b["hi"] == pytest.approx(3 + tq * math.sqrt(7 / 3), rel=1e-12)
    assert not b["excludes_zero"] and math.isnan(b["diff"])
    r = t[t["arm"] == "treated"].iloc[0]
    # treated 2, 4, 9: mean 5, squared deviations 9 + 1 + 16 = 26, sd^2 = 13
    assert r["mean"] == 5.0 and r["hi"] == pytest.approx(5 + tq * math.sqrt(13 / 3), rel=1e-12)
    # paired differences 1, 2, 3: mean 2, sd 1, se = 1/sqrt(3): 2 -/+ 2.48414 excludes zero
    assert r["n_pairs"] == 3 and r["diff"] == 2.0
    assert r["diff_lo"] == pytest.approx(2 - tq / math.sqrt(3), rel=1e-12)
    assert r["diff_hi"] == pytest.approx(2 + tq / math.sqrt(3), rel=1e-12)
    assert r["diff_lo"] == pytest.approx(-0.484138, abs=1e-6)  # 2 - 4.302653 / sqrt(3)
    assert not r["excludes_zero"]  # the interval [-0.484, 4.484] contains zero


def test_compare_hand_computed(tmp_path):
    with open_results(three_replicate_file(tmp_path)) as ds:
        t = compare(ds, "n_open_cases", how="final")
        assert list(t["arm"]) == ["baseline", "treated"] and set(t["baseline"]) == {"baseline"}
        assert t["units"].iloc[0] == "cases" and t["how"].iloc[0] == "final"
        check_hand_computed(t, exact=False)
        check_hand_computed(compare(ds, "n_open_cases", level=0.95), exact=True)
        # "mean" over days 0, x/2, x: half the final value on average
        m = compare(ds, "mean:n_open_cases")
        assert m["mean"].iloc[0] == pytest.approx(1.5) and m["diff"].iloc[1] == pytest.approx(1.0)


def test_pairs_are_matched_by_pair_not_row_order(tmp_path):
    # rows shuffled: baseline's replicates in order 2, 0, 1; the pairing must still be by seed
    with open_results(three_replicate_file(tmp_path, order=[2, 0, 1, 4, 5, 3])) as ds:
        check_hand_computed(compare(ds, "n_open_cases"), exact=False)


def test_paired_difference_skips_nan_pairs():
    m, lo, hi, n = paired_difference([1.0, np.nan, 4.0, 3.0], [0.0, 1.0, 1.0, np.nan])
    assert (m, n) == (2.0, 2)
    assert mean_interval([5.0]) == (5.0, 5.0, 5.0, 1)
    assert mean_interval([np.nan])[3] == 0
    with pytest.raises(ValueError):
        paired_difference([1.0], [1.0, 2.0])


def test_summary_reductions_equal_govsims_summary_json(comparison):
    path, _, js = comparison
    summary = json.load(open(js))["arms"]
    with open_results(path) as ds:
        for label in [*SUMMARY_FIELDS, *COST_FIELDS]:
            v = summarise_runs(ds, label)
            for arm, values in summary.items():
                got = v.values[ds["arm"].values == arm]
                assert got.tolist() == values[label], (label, arm)
        # a mechanism outcome is not in this comparison, but a /runs column reads as one value per run
        assert summarise_runs(ds, "wall_seconds").dims == ("run",)


def parse_table(stdout):
    """govsim's comparison table: {label: {arm: (mean, lo, hi, diff, dlo, dhi, star)}}, all as printed text."""
    out, label = {}, None
    arm_row = re.compile(r"^    (\S+)\s+(\S+) \[(\S+), (\S+)\](?:   vs \S+: (\S+) \[(\S+), (\S+)\]( \*)?)?$")
    contrast_row = re.compile(r"^    (\S+)\s+(\S+) \[(\S+), (\S+)\]( \*)?   \((\S+) - (\S+)\)$")
    for line in stdout.splitlines():
        if re.match(r"^  \S", line) and not line.startswith("  *"):
            label = line.strip()
            out[label] = {}
        elif label and (m := contrast_row.match(line)):
            out[label][("contrast", m.group(6), m.group(7))] = (m.group(2), m.group(3), m.group(4), bool(m.group(5)))
        elif label and (m := arm_row.match(line)):
            out[label][m.group(1)] = m.groups()[1:7] + (bool(m.group(8)),)
    return out


FORMATS = {"hard problems closed": "%.0f", "share good/very good": "%.3f", "mean trust": "%.3f",
           "share aware": "%.3f"}


def test_compare_equals_govsims_printed_table(comparison):
    path, stdout, _ = comparison
    table = parse_table(stdout)
    assert set(FORMATS) <= set(table)
    with open_results(path) as ds:
        for label, fmt in FORMATS.items():
            t = compare(ds, label)  # baseline: the first arm, as govsim
            for _, r in t.iterrows():
                printed = table[label][r["arm"]]
                assert printed[:3] == (fmt % r["mean"], fmt % r["lo"], fmt % r["hi"]), (label, r["arm"])
                if r["arm"] != r["baseline"]:
                    assert printed[3:6] == ("%+.4g" % r["diff"], "%+.4g" % r["diff_lo"], "%+.4g" % r["diff_hi"])
                    assert printed[6] == r["excludes_zero"]
            c = contrast(ds, label, "downshift_tasks", "downshift_staffed")
            printed = table[label][("contrast", "downshift_tasks", "downshift_staffed")]
            assert printed == ("%+.4g" % c["diff"], "%+.4g" % c["lo"], "%+.4g" % c["hi"], c["excludes_zero"])


def test_compare_in_a_sweep_pairs_within_design_points(saltelli_file):
    with open_results(saltelli_file) as ds:
        t = compare(ds, "n_open_cases")
        r = t[t["arm"] == "treated"].iloc[0]
        # the model adds exactly 5 to the treated arm at the same point and seed: a constant difference
        assert r["diff"] == pytest.approx(5.0) and r["diff_hi"] - r["diff_lo"] == pytest.approx(0, abs=1e-9)
        assert r["n_pairs"] == 16 * 5 * 2 - 1  # the failed run's pair is skipped
        per_point = compare(ds, "n_open_cases", by="point")
        assert per_point["point"].nunique() == 16 * 5 and (per_point["n"] <= 2).all()
        assert np.allclose(per_point.loc[per_point["arm"] == "treated", "diff"].dropna(), 5.0)


def test_effect_table_stacks_metrics(comparison):
    path, _, _ = comparison
    with open_results(path) as ds:
        e = effect_table(ds, ["cum_hard_problems_closed", "mean:mean_resolution_hours", ("share_good", "final")])
        assert list(dict.fromkeys(e["metric"])) == ["cum_hard_problems_closed", "mean_resolution_hours", "share_good"]
        assert e.groupby("metric", sort=False)["how"].first().tolist() == ["final", "mean", "final"]
        assert len(e) == 3 * 4
        d = effect_table(ds)  # the key metrics
        assert "n_open_cases" in set(d["metric"])


def test_tidy_and_run_table(comparison):
    path, _, _ = comparison
    with open_results(path) as ds:
        t = tidy(ds, ["n_open_cases", "share_good"])
        assert len(t) == 2 * 12 * 40
        assert list(t.columns[:3]) == ["run", "arm", "replicate"] and list(t.columns[-3:]) == ["day", "metric", "value"]
        assert {"seed", "pair", "status", "run__mechanisms"} <= set(t.columns)
        row = t[(t["run"] == 4) & (t["day"] == 7) & (t["metric"] == "share_good")]
        assert row["value"].item() == ds["share_good"].sel(run=4, day=7).item()
        c = tidy(ds, "n_open_cases", by="community", coords=["arm"])
        assert len(c) == 12 * 4 * 40 and list(c.columns) == ["run", "arm", "community", "day", "metric", "value"]
        a = tidy(ds, "n_open_cases", by="arm", days=slice(10, 19))
        assert len(a) == 4 * 10 and {"lo", "hi", "n"} <= set(a.columns)
        first = a[(a["arm"] == "baseline") & (a["day"] == 10)].iloc[0]
        m, lo, hi, n = mean_interval(ds["n_open_cases"].sel(day=10).values[:3])
        assert (first["value"], first["lo"], first["hi"], first["n"]) == pytest.approx((m, lo, hi, n))


def test_summarise_runs_reductions(tmp_path):
    x = np.array([[1.0, np.nan, 3.0, np.nan], [np.nan] * 4, [2.0, 5.0, 4.0, 0.0]])
    runs = {"arm": np.array(["a"] * 3, dtype=object), "replicate": np.arange(3),
            "seed": np.arange(3, dtype=np.uint64), "status": np.array(["ok", "failed", "ok"], dtype=object)}
    p = synthetic.write_schema1(tmp_path / "r.h5", runs, {"new_resolved": x})
    with open_results(p) as ds:
        def v(how, **kw):
            return summarise_runs(ds, "new_resolved", how=how, **kw).values.tolist()
        assert v("final") == [3.0, pytest.approx(np.nan, nan_ok=True), 0.0]  # last finite day, as govsim
        assert v("sum")[0::2] == [4.0, 11.0] and v("mean")[0::2] == [2.0, 2.75] and v("max")[0::2] == [3.0, 5.0]
        assert v("sum", days=slice(1, 2))[0::2] == [3.0, 9.0]
        assert summarise_runs(ds, "sum:new_resolved").attrs["units"] == "1"
        with pytest.raises(KeyError):
            summarise_runs(ds, "no_such_metric")
        with pytest.raises(ValueError):
            summarise_runs(ds, "new_resolved", how="median")
