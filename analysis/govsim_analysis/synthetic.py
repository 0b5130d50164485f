"""Synthetic schema-1 files written with h5py, for tests and examples until ``govsim sweep``/``govsim merge``
write real ones: the layout of docs/OUTPUT.md plus the sweep columns (index, run_hash, point, block, group,
pair, one column per varied parameter) and the root attributes ``design`` and ``experiment_fingerprint``.
A merged file holds /series and /series_by_community as HDF5 virtual datasets over shard files."""

from __future__ import annotations

import hashlib
import json
import os

import h5py
import numpy as np

from .sensitivity import morris_sample, saltelli_sample, scale

# (units, kind, long_name) of the metrics the synthetic files carry (real names and units, OUTPUT.md).
METRICS = {
    "n_open_cases": ("cases", "stock", "Reported demands not yet closed"),
    "cum_hard_problems_closed": ("cases", "total", "Hard problems resolved since day 0"),
    "mean_satisfaction": ("0-1", "mean", "Mean resident satisfaction"),
    "mean_resolution_hours": ("h", "mean", "Mean hours from raising to resolution, cases resolved today"),
}
BY_COMMUNITY = ("n_open_cases",)
_STR = h5py.string_dtype("utf-8")


def _scale(f, name, n, long_name):
    d = f.create_dataset(name, data=np.arange(n, dtype=np.int64))
    d.attrs["long_name"] = long_name
    if name == "day":
        d.attrs["units"] = "1"
    d.make_scale(name)
    return d


def _attach(d, f, dims):
    for i, name in enumerate(dims):
        d.dims[i].attach_scale(f[name])


def _text_attrs(obj, attrs):
    for k, v in attrs.items():
        obj.attrs[k] = v  # h5py writes a str as a variable-length UTF-8 string, as govsim does


def write_schema1(path, runs, series, by_community=None, communities=None, attrs=None, schema_version=1,
                  virtual=None):
    """Write a schema-1 file. runs: {column: (R,) array} (strings as str); series: {name: (R, T) array};
    by_community: {name: (R, C, T)}; communities: {name: (R, C)}; attrs: root text attributes. virtual:
    {name: [(source_path, rows_here, R_source)]} makes /series/<name> (and <name> of by_community with
    key 'by_community/<name>') a virtual dataset over the given files instead of writing data."""
    by_community = by_community or {}
    virtual = virtual or {}
    R = len(next(iter(runs.values())))
    T = next(iter(series.values())).shape[1] if series else 0
    C = next(iter(by_community.values())).shape[1] if by_community else (
        next(iter(communities.values())).shape[1] if communities else 0)
    tmp = str(path) + ".tmp"
    with h5py.File(tmp, "w", track_order=True) as f:
        f.attrs["schema_version"] = np.int64(schema_version)
        base = {"govsim_version": "0.1.0", "git_revision": "synthetic", "command_line": "synthetic",
                "created": "2026-01-01T00:00:00Z", "config": "[run]\nname = synthetic\n"}
        _text_attrs(f, {**base, **(attrs or {})})
        _scale(f, "run", R, "run index")
        _scale(f, "day", T, "simulated day (0 = first day)")
        _scale(f, "community", C, "community index")
        g = f.create_group("runs", track_order=True)
        for k, v in runs.items():
            v = np.asarray(v)
            if v.dtype.kind in ("U", "O"):
                d = g.create_dataset(k, data=np.array([str(s) for s in v], dtype=object), dtype=_STR)
            else:
                d = g.create_dataset(k, data=v)
            _attach(d, f, ("run",))
        f.create_group("time").create_dataset("day", data=np.arange(T, dtype=np.int64))
        g = f.create_group("communities", track_order=True)
        for k, v in (communities or {}).items():
            _attach(g.create_dataset(k, data=np.asarray(v, dtype=np.int32)), f, ("run", "community"))
        for group, data, dims, dtype in (("series", series, ("run", "day"), np.float64),
                                         ("series_by_community", by_community, ("run", "community", "day"),
                                          np.float32)):
            g = f.create_group(group, track_order=True)
            for name, x in data.items():
                key = name if group == "series" else "by_community/" + name
                if key in virtual:
                    shape = (R,) + tuple(np.shape(x)[1:])
                    layout = h5py.VirtualLayout(shape=shape, dtype=dtype)
                    for src, rows, r_src in virtual[key]:
                        layout[rows] = h5py.VirtualSource(src, f"/{group}/{name}", shape=(r_src,) + shape[1:])
                    d = g.create_virtual_dataset(name, layout, fillvalue=np.nan)
                else:
                    d = g.create_dataset(name, data=np.asarray(x, dtype=dtype), chunks=True, compression="gzip",
                                         shuffle=True)
                _attach(d, f, dims)
                units, kind, long_name = METRICS.get(name, ("1", "stock", name))
                _text_attrs(d, {"units": units, "kind": kind, "long_name": long_name})
        f.create_group("mechanisms")
    os.replace(tmp, path)
    return str(path)


def _ramp(final, T):
    """A series that rises to `final` on the last day."""
    return np.asarray(final, dtype=float)[:, None] * (np.arange(1, T + 1) / T)[None, :]


def sweep_tables(model, design="saltelli", axes=(("demand.rate_scale", 0.5, 1.5), ("grid.hours_per_day", 6.0, 10.0)),
                 n=8, replicates=2, arms=("baseline",), days=12, communities=3, noise=0.0, failed=(),
                 levels=4, design_seed=1, seed=0):
    """The rows and series of a synthetic sweep in the run table's order (point, then arm, then replicate).

    model(x, arm, replicate) -> final value of ``n_open_cases`` for parameter values x (dict key -> value).
    Every series ends at model + noise * N(0,1) (noise shared by equal replicates: common random numbers);
    ``failed`` lists run rows whose status is "failed" with NaN series. Returns (runs, series, by_community,
    communities, attrs)."""
    d = len(axes)
    bounds = [(lo, hi) for _, lo, hi in axes]
    if design == "saltelli":
        U, block, group = saltelli_sample(n, d)
    elif design == "morris":
        U, block, group = morris_sample(n, d, levels=levels, seed=design_seed)
    elif design in ("lhs", "sobol"):
        from scipy.stats import qmc
        U = qmc.LatinHypercube(d, seed=design_seed).random(n) if design == "lhs" else \
            qmc.Sobol(d, scramble=False).random(n + 1)[1:]
        block = np.array([""] * n, dtype=object)
        group = np.arange(n)
    else:
        raise ValueError(design)
    X = scale(U, bounds)
    rng = np.random.default_rng(seed)
    eps = rng.normal(size=replicates)
    seeds = np.array([1000 + 17 * k for k in range(replicates)], dtype=np.uint64)
    cols = {k: [] for k in ("index", "run_hash", "point", "block", "group", "arm", "replicate", "seed", "pair",
                            "status", "message", "wall_seconds")}
    for key, *_ in axes:
        cols[key] = []
    final = []
    for p in range(len(X)):
        for a in arms:
            for k in range(replicates):
                i = len(final)
                x = dict(zip([a_[0] for a_ in axes], X[p]))
                ok = i not in failed
                cols["index"].append(i)
                cols["run_hash"].append(hashlib.sha1(f"{p}/{a}/{k}".encode()).hexdigest()[:16])
                cols["point"].append(p)
                cols["block"].append(block[p])
                cols["group"].append(int(group[p]))
                cols["arm"].append(a)
                cols["replicate"].append(k)
                cols["seed"].append(seeds[k])
                cols["pair"].append(k)
                cols["status"].append("ok" if ok else "failed")
                cols["message"].append("" if ok else "synthetic failure")
                cols["wall_seconds"].append(0.01)
                for key, v in x.items():
                    cols[key].append(float(v))
                final.append(model(x, a, k) + noise * eps[k] if ok else np.nan)
    runs = {k: np.array(v, dtype=object) if k in ("run_hash", "block", "arm", "status", "message")
            else np.array(v) for k, v in cols.items()}
    runs["seed"] = np.array(cols["seed"], dtype=np.uint64)
    final = np.array(final, dtype=float)
    R = len(final)
    T = days
    series = {
        "n_open_cases": _ramp(final, T),
        "cum_hard_problems_closed": _ramp(np.where(np.isfinite(final), 10.0, np.nan), T),
        "mean_satisfaction": np.full((R, T), 0.5) + np.where(np.isfinite(final), 0, np.nan)[:, None],
        "mean_resolution_hours": np.full((R, T), 24.0) + np.where(np.isfinite(final), 0, np.nan)[:, None],
    }
    share = np.arange(1, communities + 1) / (communities * (communities + 1) / 2)
    by_c = {"n_open_cases": series["n_open_cases"][:, None, :] * share[None, :, None]}
    coms = {"street": np.zeros((R, communities), np.int32),
            "n_residents": np.full((R, communities), 1000, np.int32),
            "n_grids": np.full((R, communities), 5, np.int32)}
    des = {"design": design, "samples": n, "design_seed": design_seed, "levels": levels, "replicates": replicates,
           "arms": list(arms), "axes": [{"key": k, "kind": "bounds", "lo": lo, "hi": hi, "integer": False}
                                        for k, lo, hi in axes],
           "n_points": len(X), "n_runs": R}
    text = json.dumps(des)
    attrs = {"design": text, "experiment_fingerprint": hashlib.sha1(text.encode()).hexdigest()[:16],
             "config": "[run]\nname = synthetic\nseed = 1\n"}
    return runs, series, by_c, coms, attrs


def _rows(tables, rows):
    runs, series, by_c, coms, attrs = tables
    pick = lambda d: {k: np.asarray(v)[rows] for k, v in d.items()}  # noqa: E731
    return pick(runs), pick(series), pick(by_c), pick(coms), attrs


def write_sweep(path, model, **kw):
    """A synthetic sweep shard holding every run (see sweep_tables for the arguments)."""
    runs, series, by_c, coms, attrs = sweep_tables(model, **kw)
    return write_schema1(path, runs, series, by_c, coms, attrs)


def write_merged(path, model, shards=2, **kw):
    """A synthetic merged sweep: ``shards`` shard files next to ``path`` (``<stem>.shard<i>.h5``, rows dealt
    round-robin as a scheduler might) and ``path`` with /runs copied and /series, /series_by_community as
    virtual datasets over the shards (relative paths). Returns (path, shard paths)."""
    tables = sweep_tables(model, **kw)
    runs, series, by_c, coms, attrs = tables
    R = len(runs["index"])
    path = os.fspath(path)
    stem = os.path.splitext(path)[0]
    shard_rows = [np.arange(i, R, shards) for i in range(shards)]
    shard_paths = []
    for i, rows in enumerate(shard_rows):
        sp = f"{stem}.shard{i}.h5"
        write_schema1(sp, *_rows(tables, rows)[:4], attrs={**attrs, "shard": f"{i}/{shards}"})
        shard_paths.append(sp)
    virtual = {}
    for name in series:
        virtual[name] = [(os.path.basename(sp), rows, len(rows)) for sp, rows in zip(shard_paths, shard_rows)]
    for name in by_c:
        virtual["by_community/" + name] = virtual[name]
    # The merged file lists its rows in run-table order, as the shards' /runs/index says.
    write_schema1(path, runs, series, by_c, coms,
                  attrs={**attrs, "combined_from": "\n".join(os.path.basename(p) for p in shard_paths)},
                  virtual=virtual)
    return path, shard_paths
