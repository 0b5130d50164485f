"""Tidy CSV tables of a govsim file (``govsim export FILE.h5 --csv DIR``), for pandas, R or a spreadsheet.

- ``runs.csv``: one row per run, every /runs column (run, arm, replicate, seed, pair, status, parameters, ...);
- ``series.csv``: the district series in long form, columns run, arm, replicate, (point,) day, metric, value
  (join runs.csv on ``run`` for the rest);
- ``variables.csv``: one row per metric: metric, level (district or community), kind, units, long_name;
- ``series_by_community.csv`` (``by_community=True``): run, arm, replicate, community, day, metric, value.

Every file is written under a temporary name and renamed, so a reader never sees half of one. Values are
written with 17 significant digits: ``pd.read_csv(..., float_precision="round_trip")`` reads back the same
doubles (the default parser may differ in the last bit).
"""

from __future__ import annotations

import os

import pandas as pd

from .io import open_results
from .tidy import community_metrics, district_metrics, run_table, tidy

FILES = ("runs.csv", "series.csv", "variables.csv", "series_by_community.csv")


def _write(frame, path, index):
    tmp = f"{path}.tmp.{os.getpid()}"
    try:
        frame.to_csv(tmp, index=index, float_format="%.17g")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def export_csv(path, out_dir, by_community=False, force=False):
    """Writes the tables above into ``out_dir`` (created if missing) and returns their paths. Refuses a
    directory that already holds one of them unless ``force``."""
    if os.path.isdir(out_dir) and not force:
        there = [f for f in FILES if os.path.exists(os.path.join(out_dir, f))]
        if there:
            raise FileExistsError(f"{out_dir} already holds {', '.join(there)} (--force replaces them)")
    with open_results(path, by_community=by_community) as ds:
        keys = [c for c in ("arm", "replicate", "point") if c in ds.coords]
        tables = {"runs.csv": (run_table(ds), True),
                  "series.csv": (tidy(ds, coords=keys), False)}
        rows = []
        for level, names, suffix in (("district", district_metrics(ds), ""),
                                     ("community", community_metrics(ds) if by_community else [], "_by_community")):
            for m in names:
                a = ds[m + suffix].attrs
                rows.append({"metric": m, "level": level, "kind": a.get("kind", ""), "units": a.get("units", ""),
                             "long_name": a.get("long_name", "")})
        tables["variables.csv"] = (pd.DataFrame(rows), False)
        if by_community:
            tables["series_by_community.csv"] = (tidy(ds, by="community", coords=keys), False)
        os.makedirs(out_dir, exist_ok=True)  # only once the file has opened: bad input leaves nothing behind
        written = []
        for name, (frame, index) in tables.items():
            target = os.path.join(out_dir, name)
            _write(frame, target, index)
            written.append(target)
    return written
