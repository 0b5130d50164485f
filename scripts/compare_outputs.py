#!/usr/bin/python3
"""Compare two trees of govsim outputs file by file (the helper of scripts/compare-outputs.sh).

Usage:
    /usr/bin/python3 scripts/compare_outputs.py OLD_DIR NEW_DIR

Files are paired by their path relative to OLD_DIR and NEW_DIR and compared by suffix:

  *.h5      every group, dataset and attribute: member names in written order, object and link types,
            dtypes, shapes, storage (layout, chunks, filters, fill value, virtual mappings) and values
            (NaN equals NaN; otherwise bit for bit, so -0.0 differs from 0.0); dimension-scale references
            compare by the names they point to
  *.json    parsed and compared as data (bare nan/NaN read as null, 0 equals 0.0, key order ignored)
  *.stdout  text, lines with timings dropped
  *.tsv     text
  *.rc      a command's exit status: must be 0 on both sides
  *.exit    a command's exit status: must be equal on both sides
  *.stderr  not compared (progress and timings; kept for diagnosis)

Provenance is left out: the root attributes govsim_version, git_revision, command_line and created, the
sweep's experiment_fingerprint (a hash of the run ids, which hash the git revision), the values (not the
presence, dtype or shape) of /runs/wall_seconds, and JSON keys with the same meaning. A sweep's run ids
(`run_hash`, journal file names, plan.tsv, shard files' combined_from) hash the git revision too: every run
id listed in a plan.tsv under a tree is replaced, on that tree's side, by the plan's name and row index
before comparing, so they compare by the run they name.

Prints one line per file (`same`, or `DIFFERENT` with the first two differences, the values that differ
and the names of a few more) and a summary line; exits 0
when nothing differs, 1 otherwise, 2 on a usage error. Debian's /usr/bin/python3 (numpy, h5py).
"""

import json
import math
import os
import re
import sys

import h5py
import numpy as np

IGNORED_ROOT_ATTRS = {"govsim_version", "git_revision", "command_line", "created", "experiment_fingerprint"}
IGNORED_VALUES = {"/runs/wall_seconds"}
IGNORED_JSON_KEYS = {"govsim_version", "git_revision", "fingerprint", "experiment_fingerprint", "created",
                     "command_line"}
# Lines of printed output that carry wall-clock times.
TIMING = re.compile(r"wall seconds|wall_seconds|s of run time|runs/min")
RUN_ID = re.compile(r"\b[0-9a-f]{16}\b")
MAX_DIFFS = 200     # per file; enough to count, bounded for a file that differs everywhere
SHOWN_VALUES = 3


class Side:
    """One tree of outputs and its run-id labels."""

    def __init__(self, root):
        self.root = root
        self.labels = {}
        for dirpath, _, names in sorted(os.walk(root)):
            if "plan.tsv" in names:
                rel = os.path.relpath(dirpath, root)
                with open(os.path.join(dirpath, "plan.tsv"), encoding="utf-8") as f:
                    header = f.readline().rstrip("\n").split("\t")
                    i_index, i_id = header.index("index"), header.index("run_id")
                    for line in f:
                        cols = line.rstrip("\n").split("\t")
                        self.labels.setdefault(cols[i_id], "<%s#%s>" % (rel, cols[i_index]))

    def subst(self, text):
        return RUN_ID.sub(lambda m: self.labels.get(m.group(0), m.group(0)), text)

    def files(self):
        """{key: relative path}; journal files keyed by their run's label, not its revision-bound id."""
        out = {}
        for dirpath, _, names in os.walk(self.root):
            for n in names:
                rel = os.path.relpath(os.path.join(dirpath, n), self.root)
                if not rel.endswith(".stderr"):
                    out[self.subst(rel)] = rel
        return out


def short(v, n=80):
    s = repr(v)
    return s if len(s) <= n else s[: n - 3] + "..."


def text_diff(a, b):
    """Where two texts first differ: line, column and the text from just before there."""
    la, lb = a.split("\n"), b.split("\n")
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            c = next((k for k, (u, v) in enumerate(zip(x, y)) if u != v), min(len(x), len(y)))
            at = 0 if max(len(x), len(y)) <= 70 else max(0, c - 25)  # long lines: from near the difference
            return "line %d, column %d: %s vs %s" % (i + 1, c + 1, short(x[at:at + 70]), short(y[at:at + 70]))
    return "%d vs %d lines" % (len(la), len(lb))


# ---- values ---------------------------------------------------------------------------------------------

def float_same(x, y):
    if math.isnan(x) and math.isnan(y):
        return True
    return x == y and math.copysign(1.0, x) == math.copysign(1.0, y)


def py_diff(x, y, where=""):
    """First difference between two normalised values (None if equal)."""
    num = (int, float)
    if isinstance(x, num) and isinstance(y, num) and not isinstance(x, bool) and not isinstance(y, bool) \
            and (isinstance(x, float) or isinstance(y, float)):  # 0 and 0.0 are one JSON number
        return None if float_same(float(x), float(y)) else "%s%r vs %r" % (where, x, y)
    if isinstance(x, (list, tuple)) and isinstance(y, (list, tuple)):
        if len(x) != len(y):
            return "%slength %d vs %d" % (where, len(x), len(y))
        for i, (u, v) in enumerate(zip(x, y)):
            d = py_diff(u, v, "%s[%d] " % (where, i))
            if d:
                return d
        return None
    if isinstance(x, dict) and isinstance(y, dict):
        if list(x) != list(y):
            return "%skeys %s vs %s" % (where, short(sorted(set(x) - set(y))), short(sorted(set(y) - set(x))))
        for k in x:
            d = py_diff(x[k], y[k], "%s%s: " % (where, k))
            if d:
                return d
        return None
    if type(x) is not type(y) or x != y:
        if isinstance(x, str) and isinstance(y, str) and ("\n" in x or "\n" in y):
            return where + text_diff(x, y)
        return "%s%s vs %s" % (where, short(x), short(y))
    return None


def norm(v, f, side):
    """An attribute value as plain Python: references as the names they point to, run ids as labels."""
    if isinstance(v, h5py.Reference):
        return ("ref", f[v].name if v else None)
    if isinstance(v, np.ndarray):
        if v.dtype.names:
            return [tuple(norm(e[k], f, side) for k in v.dtype.names) for e in v.ravel()] + [v.shape]
        if v.dtype.kind == "O":
            return [norm(e, f, side) for e in v.ravel()] + [v.shape]
        return [norm(e, f, side) for e in v.ravel().tolist()] + [v.shape]
    if isinstance(v, np.generic):
        return norm(v.item(), f, side)
    if isinstance(v, bytes):
        return ("bytes", side.subst(v.decode("utf-8", "surrogateescape")))
    if isinstance(v, str):
        s = side.subst(v)
        if s[:1] in "{[":  # JSON text (a sweep's design): compared as data, as the JSON files are
            try:
                return ("json", parse_json(s, side))
            except ValueError:
                pass
        return s
    return v


def array_diff(x, y):
    """(number of differing elements, [(index, old, new)] for the first few) for equal-shape arrays."""
    if x.dtype.kind == "f":
        # Bit for bit, except that any NaN equals any NaN.
        bx = x.view("u%d" % x.dtype.itemsize)
        by = y.view("u%d" % y.dtype.itemsize)
        bad = (bx != by) & ~(np.isnan(x) & np.isnan(y))
    else:
        bad = x != y
    bad = np.atleast_1d(np.asarray(bad, dtype=bool))
    n = int(bad.sum())
    if not n:
        return 0, []
    x1, y1 = np.atleast_1d(x), np.atleast_1d(y)
    first = [tuple(int(i) for i in w) for w in np.argwhere(bad)[:SHOWN_VALUES]]
    return n, [(w, x1[w], y1[w]) for w in first]


def norm_array(x, f, side):
    """An object or compound array as an array of the normalised elements' text."""
    flat = [repr(norm(e, f, side)) for e in x.ravel()]
    return np.array(flat, dtype=object).reshape(x.shape)


# ---- HDF5 -------------------------------------------------------------------------------------------------

def storage(d):
    """A dataset's storage properties, as comparable values."""
    p = d.id.get_create_plist()
    filters = [p.get_filter(i)[:3] for i in range(p.get_nfilters())]
    layout = p.get_layout()
    vds = []
    if layout == h5py.h5d.VIRTUAL:
        vds = [(m.file_name, m.dset_name, m.vspace.encode(), m.src_space.encode()) for m in d.virtual_sources()]
    return {"layout": layout, "chunks": d.chunks, "maxshape": d.maxshape, "filters": filters,
            "fill value defined": p.fill_value_defined(), "fill time": p.get_fill_time(),
            "alloc time": p.get_alloc_time(), "attribute creation order": p.get_attr_creation_order(),
            "virtual sources": vds}


class TooMany(Exception):
    pass


class H5Compare:
    def __init__(self, fa, fb, sa, sb):
        self.fa, self.fb, self.sa, self.sb = fa, fb, sa, sb
        self.diffs = []

    def add(self, text):
        self.diffs.append(text)
        if len(self.diffs) >= MAX_DIFFS:
            raise TooMany

    def attrs(self, path, a, b):
        na, nb = sorted(a.attrs), sorted(b.attrs)
        if na != nb:
            self.add("%s attributes: only in old %s, only in new %s"
                     % (path, sorted(set(na) - set(nb)), sorted(set(nb) - set(na))))
        for k in na:
            if k not in b.attrs:
                continue
            where = "%s@%s" % (path.rstrip("/") if path != "/" else "", k)
            ia, ib = a.attrs.get_id(k), b.attrs.get_id(k)
            if ia.get_type() != ib.get_type() or ia.shape != ib.shape:
                self.add("%s: type %s%s vs %s%s" % (where, ia.dtype, ia.shape, ib.dtype, ib.shape))
                continue
            if path == "/" and k in IGNORED_ROOT_ATTRS:
                continue
            d = py_diff(norm(a.attrs[k], self.fa, self.sa), norm(b.attrs[k], self.fb, self.sb))
            if d:
                self.add("%s: %s" % (where, d))

    def dataset(self, path, a, b):
        ta, tb = a.id.get_type(), b.id.get_type()
        if ta != tb or a.shape != b.shape:
            self.add("%s: type %s%s vs %s%s" % (path, a.dtype, a.shape, b.dtype, b.shape))
            return
        sa, sb = storage(a), storage(b)
        for k in sa:
            if sa[k] != sb[k]:
                self.add("%s: %s %s vs %s" % (path, k, short(sa[k]), short(sb[k])))
        if a.dtype.kind != "O":  # h5py 3.7 crashes reading a variable-length type's fill value
            d = py_diff(norm(a.fillvalue, self.fa, self.sa), norm(b.fillvalue, self.fb, self.sb))
            if d:
                self.add("%s: fill value %s" % (path, d))
        if path in IGNORED_VALUES:
            return
        x, y = np.asarray(a[()]), np.asarray(b[()])
        if x.dtype.kind == "O" or x.dtype.names:  # strings, references, compounds: as normalised text
            x, y = norm_array(x, self.fa, self.sa), norm_array(y, self.fb, self.sb)
        n, first = array_diff(x, y)
        if n:
            shown = "; ".join("%s %s vs %s" % (list(w), short(u, 40), short(v, 40)) for w, u, v in first)
            self.add("%s: %d of %d values differ: %s" % (path, n, max(x.size, 1), shown))

    def group(self, path, a, b):
        self.attrs(path, a, b)
        pa, pb = a.id.get_create_plist(), b.id.get_create_plist()
        for what, get in (("link", "get_link_creation_order"), ("attribute", "get_attr_creation_order")):
            fa, fb = getattr(pa, get)(), getattr(pb, get)()
            if fa != fb:
                self.add("%s: %s creation order flags %s vs %s" % (path, what, fa, fb))
        na, nb = list(a.keys()), list(b.keys())
        if na != nb:
            only_a, only_b = [n for n in na if n not in nb], [n for n in nb if n not in na]
            if only_a or only_b:
                self.add("%s members: only in old %s, only in new %s" % (path, short(only_a), short(only_b)))
            else:
                self.add("%s members in another order: %s vs %s" % (path, short(na), short(nb)))
        for n in na:
            if n not in b:
                continue
            sub = path.rstrip("/") + "/" + n
            la, lb = a.get(n, getlink=True), b.get(n, getlink=True)
            if type(la) is not type(lb):
                self.add("%s: link %s vs %s" % (sub, type(la).__name__, type(lb).__name__))
                continue
            if not isinstance(la, h5py.HardLink):
                if vars(la) != vars(lb):
                    self.add("%s: link %s vs %s" % (sub, vars(la), vars(lb)))
                continue
            oa, ob = a[n], b[n]
            if type(oa) is not type(ob):
                self.add("%s: %s vs %s" % (sub, type(oa).__name__, type(ob).__name__))
            elif isinstance(oa, h5py.Group):
                self.group(sub, oa, ob)
            elif isinstance(oa, h5py.Dataset):
                self.attrs(sub, oa, ob)
                self.dataset(sub, oa, ob)
            else:
                self.attrs(sub, oa, ob)


def compare_h5(pa, pb, sa, sb):
    with h5py.File(pa, "r") as fa, h5py.File(pb, "r") as fb:
        c = H5Compare(fa, fb, sa, sb)
        try:
            c.group("/", fa["/"], fb["/"])  # fa["/"], not fa: h5py lists a File's members by name
        except TooMany:
            pass
        return c.diffs


# ---- JSON and text ----------------------------------------------------------------------------------------

NONFINITE = re.compile(r'"(?:[^"\\]|\\.)*"|(-?)\b(nan|NaN|inf|Infinity)\b')


def parse_json(text, side):
    """JSON data; bare nan/NaN (which a JSON writer should write as null) read as null, inf as Infinity."""
    def fix(m):
        if m.group(2) is None:
            return m.group(0)
        return "null" if m.group(2).lower() == "nan" else m.group(1) + "Infinity"
    return json.loads(side.subst(NONFINITE.sub(fix, text)), object_pairs_hook=lambda kv: dict(sorted(kv)))


def drop_provenance(v):
    if isinstance(v, dict):
        return {k: drop_provenance(x) for k, x in v.items()
                if k not in IGNORED_JSON_KEYS and "wall" not in k.lower()}
    if isinstance(v, list):
        return [drop_provenance(x) for x in v]
    return v


def compare_json(pa, pb, sa, sb):
    ta, tb = read(pa), read(pb)
    try:
        a, b = drop_provenance(parse_json(ta, sa)), drop_provenance(parse_json(tb, sb))
    except ValueError as e:
        return [] if ta == tb else ["not valid JSON (%s)" % e]
    d = py_diff(a, b)
    return [d] if d else []


def compare_text(pa, pb, sa, sb):
    def lines(p, side):
        with open(p, encoding="utf-8", errors="surrogateescape") as f:
            return [side.subst(l.rstrip("\n")) for l in f if not TIMING.search(l)]
    la, lb = lines(pa, sa), lines(pb, sb)
    return [text_diff("\n".join(la), "\n".join(lb))] if la != lb else []


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def compare_status(pa, pb, equal_only):
    a, b = read(pa).strip(), read(pb).strip()
    if a != b:
        return ["exit status %s vs %s (see the .stderr files with --keep)" % (a, b)]
    if not equal_only and a != "0":
        return ["FAILED: exit status %s on both sides (see the .stderr files with --keep)" % a]
    return []


def compare_file(key, pa, pb, sa, sb):
    if key.endswith(".h5"):
        return compare_h5(pa, pb, sa, sb)
    if key.endswith(".json"):
        return compare_json(pa, pb, sa, sb)
    if key.endswith((".stdout", ".tsv")):
        return compare_text(pa, pb, sa, sb)
    if key.endswith(".rc"):
        return compare_status(pa, pb, False)
    if key.endswith(".exit"):
        return compare_status(pa, pb, True)
    with open(pa, "rb") as f, open(pb, "rb") as g:
        return [] if f.read() == g.read() else ["bytes differ"]


def main(argv):
    if len(argv) != 3 or not all(os.path.isdir(d) for d in argv[1:]):
        print("usage: %s OLD_DIR NEW_DIR" % argv[0], file=sys.stderr)
        return 2
    sa, sb = Side(argv[1]), Side(argv[2])
    fa, fb = sa.files(), sb.files()
    n_same = n_diff = 0
    for key in sorted(set(fa) | set(fb)):
        if key not in fb or key not in fa:
            diffs = ["only in %s" % ("old" if key in fa else "new")]
        else:
            try:
                diffs = compare_file(key, os.path.join(sa.root, fa[key]), os.path.join(sb.root, fb[key]), sa, sb)
            except (OSError, KeyError, ValueError) as e:
                diffs = ["cannot compare: %s" % e]
        if diffs:
            n_diff += 1
            # The first two differences in full (often an attribute, then a dataset's values), then names.
            more = ""
            if len(diffs) > 2:
                names = [d.split(": ")[0] for d in diffs[2:5]] + (["..."] if len(diffs) > 5 else [])
                more = " (%s%d more: %s)" % ("at least " if len(diffs) >= MAX_DIFFS else "", len(diffs) - 2,
                                             ", ".join(names))
            print("DIFFERENT %s: %s%s" % (key, "; ".join(diffs[:2]), more))
        else:
            n_same += 1
            print("same      %s" % key)
        sys.stdout.flush()
    print("%s: %d files compared, %d same, %d different"
          % ("NO DIFFERENCE" if not n_diff else "DIFFERENCES", n_same + n_diff, n_same, n_diff))
    return 1 if n_diff else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
