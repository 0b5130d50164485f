"""Open a govsim HDF5 output file (schema version 1, docs/OUTPUT.md) as one xarray Dataset.

The file is read with h5py and the layout of docs/OUTPUT.md rather than with the h5netcdf engine: the
dimensions of each dataset are known from the schema, so files whose datasets lack attached dimension scales
(or where R == T makes phony dimensions ambiguous) read the same way, and HDF5 virtual datasets (merged sweep
files) go through h5py unchanged. Series stay on disk until indexed or computed.
"""

from __future__ import annotations

import configparser
import json
import os
import warnings

import h5py
import numpy as np
import pandas as pd
import xarray as xr

try:  # lazy indexing as xarray's own backends do it; if the internals move, fall back to eager reads
    from xarray.backends import BackendArray
    from xarray.core import indexing as _xi
except ImportError:  # pragma: no cover
    BackendArray = object
    _xi = None

SCHEMA_VERSION = 1
BY_COMMUNITY_SUFFIX = "_by_community"
COMMUNITY_PREFIX = "community_"

# Dimensions of each group's datasets, from docs/OUTPUT.md.
_LAYOUT = {
    "series": ("run", "day"),
    "series_by_community": ("run", "community", "day"),
    "communities": ("run", "community"),
}
_KEEP_ATTRS = ("kind", "units", "long_name", "flag_meanings", "display_units", "headline", "practical_margin")
# Day 0's calendar date when a file does not say (run.start_date's default; docs/ODD.md).
DEFAULT_START_DATE = "2019-01-01"


def coord_name(key):
    """The Dataset's name for a /runs column or parameter key: dots become double underscores, so that every
    name is a Python identifier (``ds.query``, attribute access); the key itself is the variable's ``key``
    attribute. ``demand.rate_scale`` -> ``demand__rate_scale``."""
    return key.replace(".", "__")


def param_coord(ds, key):
    """The coordinate of ``ds`` holding parameter ``key`` (``section.name``) per run, or None."""
    for name in (coord_name(key), key):
        if name in ds.coords and ds[name].dims == ("run",):
            return name
    return None


def param_values(ds, key):
    """Parameter ``key``'s value per run, as the design set it: where a run's arm does not run the parameter's
    mechanism its /runs value is absent (NaN or ""), and is taken here from another run of the same design
    point (``point``) that has it. A float array when every present value is a number, else str objects.
    Raises KeyError when ``ds`` has no column for ``key``."""
    name = param_coord(ds, key)
    if name is None:
        raise KeyError(f"no /runs column for parameter {key!r}")
    raw = pd.Series(ds[name].values)
    missing = raw.isna() | (raw.astype(str) == "")
    values = raw.mask(missing)
    if missing.any() and "point" in ds.coords:
        values = values.groupby(pd.Series(ds["point"].values)).transform("first")
    num = pd.to_numeric(values, errors="coerce")
    if (num.notna() | values.isna()).all():
        return num.to_numpy(float)
    return values.astype(object).where(values.notna(), "").to_numpy()


class SchemaVersionError(ValueError):
    """The file is not a govsim file of a schema version this package reads."""


class _H5Array(BackendArray):
    """One HDF5 dataset, read on indexing (orthogonal indexing, as h5netcdf's backend array).

    Pickles as its file's path and the dataset's name (an h5py object cannot be pickled), and reopens the
    file read-only on first use after unpickling: a Dataset survives pickling, deep copies and the process
    pools of dask or multiprocessing."""

    def __init__(self, dataset, dtype=None):
        self._ds = dataset
        self._path = dataset.file.filename
        self._name = dataset.name
        self.shape = dataset.shape
        self.dtype = np.dtype(dtype or dataset.dtype)

    def __getstate__(self):
        return {"path": self._path, "name": self._name, "shape": self.shape, "dtype": self.dtype}

    def __setstate__(self, state):
        self._path, self._name = state["path"], state["name"]
        self.shape, self.dtype = state["shape"], state["dtype"]
        self._ds = None

    def _dataset(self):
        if self._ds is None:
            self._ds = h5py.File(self._path, "r")[self._name]
        return self._ds

    def __getitem__(self, key):
        if isinstance(key, _xi.OuterIndexer) and any(isinstance(k, np.ndarray) and k.size == 0 for k in key.tuple):
            return self._raw(key.tuple)  # xarray's indexer decomposition fails on an empty list
        if isinstance(key, (_xi.BasicIndexer, _xi.OuterIndexer)) and any(
                isinstance(k, slice) and (k.step or 1) < 0 for k in key.tuple):
            return self._reversed(key)
        return _xi.explicit_indexing_adapter(key, self.shape, _xi.IndexingSupport.OUTER_1VECTOR, self._raw)

    def _reversed(self, key):
        """Negative-step slices read forwards, then flipped (xarray 2023.01 picks wrong elements for ::-3)."""
        fwd, flip, axis = [], [], 0
        for k, n in zip(key.tuple, self.shape):
            if isinstance(k, slice) and (k.step or 1) < 0:
                r = range(*k.indices(n))
                fwd.append(slice(r[-1], r[0] + 1, -r.step) if len(r) else slice(0, 0))
                flip.append(axis)
            else:
                fwd.append(k)
            if not isinstance(k, (int, np.integer)):
                axis += 1
        data = self[type(key)(tuple(fwd))]
        return np.flip(np.asarray(data), axis=flip) if flip else data

    def _raw(self, key):
        # h5py wants increasing integer lists; an empty selection returns an empty array of the right shape
        key = tuple(k if isinstance(k, (int, np.integer, slice)) else np.asarray(k) for k in key)
        if any(isinstance(k, np.ndarray) and k.size == 0 for k in key):
            shape = tuple(len(range(*k.indices(n))) if isinstance(k, slice) else k.size
                          for k, n in zip(key, self.shape) if not isinstance(k, (int, np.integer)))
            return np.empty(shape, self.dtype)
        fancy = [i for i, k in enumerate(key) if isinstance(k, np.ndarray)]
        if fancy:
            i = fancy[0]
            k = key[i]
            order = np.argsort(k, kind="stable")
            uniq, inverse = np.unique(k[order], return_inverse=True)
            sub = list(key)
            sub[i] = uniq
            data = self._dataset()[tuple(sub)]
            axis = sum(1 for kk in key[:i] if not isinstance(kk, (int, np.integer)))
            back = np.empty(len(k), dtype=np.intp)
            back[order] = inverse
            return np.take(data, back, axis=axis).astype(self.dtype, copy=False)
        return np.asarray(self._dataset()[key], dtype=self.dtype)


def _lazy(dataset):
    if _xi is None or dataset.size == 0:
        return dataset[()]
    return _xi.LazilyIndexedArray(_H5Array(dataset))


def _text(value):
    return value.decode("utf-8") if isinstance(value, (bytes, np.bytes_)) else value


def _attrs(obj, names=None):
    """Text and number attributes (drops the dimension-scale bookkeeping: references, CLASS, NAME)."""
    out = {}
    for k in obj.attrs:
        if names is not None and k not in names:
            continue
        if k in ("DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME", "_Netcdf4Dimid", "_Netcdf4Coordinates"):
            continue
        try:
            v = obj.attrs[k]
        except (OSError, TypeError):  # an attribute type h5py cannot read
            continue
        v = _text(v)
        if isinstance(v, (str, int, float, np.integer, np.floating)):
            out[k] = v
    return out


def _column(d):
    """A 1-D /runs column: strings as str objects, numbers as they are."""
    if d.dtype.kind in ("S", "O", "U") or h5py.check_string_dtype(d.dtype) is not None:
        return np.array(d.asstr()[()], dtype=object)
    return d[()]


def _pair_from_seed(seed):
    """Dense rank of the seed in first-seen order: equal seeds share the exogenous draws (OUTPUT.md)."""
    ranks = {}
    return np.array([ranks.setdefault(s, len(ranks)) for s in np.asarray(seed).tolist()], dtype=np.int64)


def check_schema(f, path="file"):
    """Raises SchemaVersionError unless the open h5py File `f` is schema version 1."""
    if "schema_version" not in f.attrs:
        raise SchemaVersionError(f"{path}: no root attribute 'schema_version': not a govsim output file")
    v = f.attrs["schema_version"]
    try:
        v = int(np.asarray(v).item())
    except (TypeError, ValueError):
        raise SchemaVersionError(f"{path}: schema_version is {v!r}, not an integer") from None
    if v != SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{path}: schema_version {v} is not supported (this package reads schema {SCHEMA_VERSION}; "
            "see docs/OUTPUT.md)")


class MissingSourcesError(ValueError):
    """A merged file's virtual datasets read shard files that are gone: their runs would read as NaN."""


def missing_sources(f, path):
    """The source files that the virtual datasets of the open h5py File `f` (at `path`) read and that are
    missing, resolved as HDF5 resolves them (relative to the file's directory)."""
    base = os.path.dirname(os.path.abspath(path))
    names = set()
    for group in ("series", "series_by_community"):
        if group not in f:
            continue
        for d in f[group].values():
            if isinstance(d, h5py.Dataset) and d.is_virtual:
                names.update(vs.file_name for vs in d.virtual_sources())
            break  # every dataset of a group maps the same files
    missing = []
    for name in sorted(names):
        if name == ".":
            continue
        full = name if os.path.isabs(name) else os.path.normpath(os.path.join(base, name))
        if not os.path.isfile(full):
            missing.append(full)
    return missing


def open_results(path, by_community=True, allow_missing_sources=False, indexed=False):
    """Open a govsim output file as an xarray Dataset with dimensions run, day and community.

    - ``/series/<metric>`` -> data variable ``<metric>`` [run, day] (float64);
    - ``/series_by_community/<metric>`` -> data variable ``<metric>_by_community`` [run, community, day]
      (float32), left out with ``by_community=False``;
    - ``/runs/<column>`` -> coordinate on ``run`` (arm, replicate, seed, status, parameters, outcomes; sweep
      files also index, run_hash, point, block, group, pair); a parameter's dots become double underscores
      (``demand.rate_scale`` -> ``demand__rate_scale``, coord_name()), its key kept as the attribute ``key``;
      ``pair`` is derived from ``seed`` when the file has no such column;
    - ``/communities/<name>`` -> coordinate ``community_<name>`` [run, community] (``n_residents`` is also a
      series name, hence the prefix);
    - ``time`` [day]: the calendar date of each day (day 0 = the root attribute ``start_date``, from
      ``run.start_date``; 2019-01-01 for files without it);
    - each variable keeps ``kind``, ``units`` (UDUNITS), ``display_units`` and ``long_name``; root
      attributes go to ``ds.attrs`` (``Conventions`` = CF-1.8).

    ``indexed=True`` returns index_runs(ds): ``run`` indexed by (arm, point, replicate) and ``day``
    renamed ``time`` with a date index, for ``sel(arm=...)`` and ``resample(time=...)``.

    The Dataset pickles and deep-copies (its series are then read again from the file's path).

    The file stays open while the Dataset is used (series are read on access); call ``ds.close()`` or use
    ``with open_results(path) as ds:``. Raises SchemaVersionError for a file that is not schema 1, and
    MissingSourcesError for a merged file whose shard files are not all there (their runs would read as
    NaN), unless ``allow_missing_sources=True``.
    """
    path = os.fspath(path)
    f = h5py.File(path, "r")
    try:
        check_schema(f, path)
        missing = missing_sources(f, path)
        if missing and not allow_missing_sources:
            raise MissingSourcesError(
                f"{path}: its series read {len(missing)} missing file(s) ({', '.join(missing[:3])}"
                f"{', ...' if len(missing) > 3 else ''}): those runs would read as NaN; restore them "
                "(govsim verify checks), or pass --allow-missing-sources (allow_missing_sources=True) to read "
                "the rest")
        if missing:
            warnings.warn(f"{path}: virtual series refer to missing files {missing}; their rows read as NaN",
                          stacklevel=2)
        ds = _build(f, by_community)
        if indexed:
            ds = index_runs(ds)
    except Exception:
        f.close()
        raise
    ds.set_close(_Closer(f))
    ds.encoding["source"] = path
    return ds


class _Closer:
    """Closes the file a Dataset reads (ds.close()); pickles as nothing, so the Dataset pickles."""

    def __init__(self, f):
        self._f = f

    def __call__(self):
        if self._f is not None:
            self._f.close()

    def __getstate__(self):
        return {}

    def __setstate__(self, state):
        self._f = None



def _build(f, by_community):
    root = f["/"]
    R = f["run"].shape[0] if "run" in f else f["runs/arm"].shape[0]
    T = f["day"].shape[0] if "day" in f else f["time/day"].shape[0]
    C = f["community"].shape[0] if "community" in f else 0
    sizes = {"run": R, "day": T, "community": C}

    coords = {}
    for name in ("run", "day", "community"):
        values = f[name][()] if name in f else np.arange(sizes[name], dtype=np.int64)
        coords[name] = xr.Variable((name,), values, attrs=_attrs(f[name], ("long_name", "units")) if name in f else {})
    coords["day"].attrs.setdefault("units", "1")
    coords["day"].attrs["long_name"] = coords["day"].attrs.get("long_name", "simulated day (0 = first day)")
    start = _start_date(f)
    coords["time"] = xr.Variable(("day",), np.datetime64(start, "ns") + coords["day"].values.astype("timedelta64[D]"),
                                 attrs={"long_name": f"calendar date of the simulated day (day 0 = {start}, "
                                                     "run.start_date)", "standard_name": "time"})

    if "runs" in f:
        for name, d in f["runs"].items():
            if not isinstance(d, h5py.Dataset) or d.shape != (R,):
                continue
            attrs = _attrs(d, _KEEP_ATTRS)
            if coord_name(name) != name:
                attrs["key"] = name  # the parameter's key as scenarios and /runs spell it
            coords[coord_name(name)] = xr.Variable(("run",), _column(d), attrs=attrs)
    if "pair" not in coords and "seed" in coords:
        coords["pair"] = xr.Variable(("run",), _pair_from_seed(coords["seed"].values),
                                     attrs={"long_name": "common-random-numbers pair (derived from seed)"})
    if "communities" in f:
        for name, d in f["communities"].items():
            if isinstance(d, h5py.Dataset) and d.shape == (R, C):
                coords[COMMUNITY_PREFIX + name] = xr.Variable(("run", "community"), d[()], attrs=_attrs(d, _KEEP_ATTRS))

    data = {}
    groups = [("series", "")] + ([("series_by_community", BY_COMMUNITY_SUFFIX)] if by_community else [])
    for group, suffix in groups:
        if group not in f:
            continue
        dims = _LAYOUT[group]
        want = tuple(sizes[d] for d in dims)
        # root-level iteration order of h5py's Group follows creation order when it is tracked (OUTPUT.md)
        for name, d in f[group].items():
            if not isinstance(d, h5py.Dataset):
                continue
            if d.shape != want:
                raise ValueError(f"/{group}/{name} has shape {d.shape}, expected {want} {dims}")
            data[name + suffix] = xr.Variable(dims, _lazy(d), attrs=_attrs(d, _KEEP_ATTRS))

    attrs = _attrs(root)
    attrs.setdefault("Conventions", "CF-1.8")
    return xr.Dataset(data, coords=coords, attrs=attrs)


def _start_date(f):
    """Day 0's calendar date: the root attribute start_date, else run.start_date of the file's config, else
    the parameter's default (files written before it existed)."""
    text = _text(f.attrs["start_date"]) if "start_date" in f.attrs else None
    if not text and "config" in f.attrs:
        try:
            text = _config_parser(_text(f.attrs["config"])).get("run", "start_date", fallback=None)
        except configparser.Error:
            text = None
    try:
        return np.datetime64(text or DEFAULT_START_DATE, "D")
    except ValueError:
        return np.datetime64(DEFAULT_START_DATE, "D")


def index_runs(ds):
    """``ds`` with the run dimension indexed by (arm, point, replicate) and the day dimension by calendar
    date, the layout xarray's label-based idioms expect: ``sel(arm="joint_handling")``, ``sel(point=3)``,
    ``resample(time="1MS")``, ``where(..., drop=True)``.

    - ``run`` becomes a pandas MultiIndex of the levels arm, point (0 for a file of ``govsim run``) and
      replicate; the file's row number stays a coordinate ``row``;
    - the ``day`` dimension is renamed ``time`` (its index the dates of the ``time`` coordinate); the day
      number stays a coordinate ``day`` on it.

    The package's own functions (compare, summarise_runs, the figures) take the layout of
    ``open_results(path)``; ``groupby("arm")`` fails on a MultiIndex level in xarray 2023.01, so use
    ``groupby("arm")`` on the layout of ``open_results(path)``, or after ``.reset_index("run")`` here. Nothing is
    read from the file."""
    out = ds
    if "point" not in out.coords:
        out = out.assign_coords(point=("run", np.zeros(out.sizes["run"], dtype=np.int64)))
    out = out.assign_coords(row=("run", np.asarray(out["run"].values)))
    out["row"].attrs = dict(ds["run"].attrs) or {"long_name": "run number (row of /runs)"}
    levels = [c for c in ("arm", "point", "replicate") if c in out.coords]
    # dates first: swap_dims after set_index loses the levels' indexes (xarray 2023.01)
    return out.swap_dims(day="time").set_index(run=levels)


def design(ds):
    """The sweep design (root attribute ``design``, JSON) as a dict; None for a file of ``govsim run``."""
    text = ds.attrs.get("design")
    if not text:
        return None
    return json.loads(text) if isinstance(text, str) else dict(text)


def config(ds):
    """The root ``config`` attribute (the resolved scenario, INI text) as a ConfigParser."""
    return _config_parser(ds.attrs.get("config", ""))


def _config_parser(text):
    """INI text as govsim writes it (case-sensitive keys, '=' only) in a ConfigParser."""
    cp = configparser.ConfigParser(interpolation=None, strict=False, delimiters=("=",), comment_prefixes=("#", ";"),
                                   inline_comment_prefixes=None)
    cp.optionxform = str  # keys are case-sensitive in govsim
    cp.read_string(text)
    return cp


def config_value(ds, key, run=None):
    """A parameter's value for one run (``section.key``): the /runs column if the file has one, else the
    root ``config`` text (arm overrides included for comparison files). Returns a str or a float."""
    name = param_coord(ds, key)
    if name is not None:
        return ds[name].values if run is None else ds[name].sel(run=run).values
    section, _, name = key.partition(".")
    cp = config(ds)
    value = cp.get(section, name, fallback=None)
    if run is not None and "arm" in ds.coords and cp.has_section("arms"):
        arm = str(ds["arm"].sel(run=run).values)
        for item in (cp.get("arms", arm, fallback="") or "").split(";"):
            k, _, v = item.strip().partition("=")
            if k.strip() == key:
                value = v.strip()
    if value is None:
        raise KeyError(f"no parameter {key!r} in this file")
    try:
        return float(value)
    except ValueError:
        return value


def arms(ds):
    """Arm names in file order (first seen)."""
    return list(dict.fromkeys(ds["arm"].values.tolist())) if "arm" in ds.coords else []
