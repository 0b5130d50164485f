#!/usr/bin/python3
"""Every JSON document govsim writes is strict JSON (RFC 8259: no NaN, no Infinity, every string escaped).

Usage: /usr/bin/python3 tests/json/check_json.py GOVSIM SCENARIO.ini WORKDIR

SCENARIO.ini is a small scenario (tests/regression/small.ini). The documents are written for a run that
resolves nothing (run.days = 1: no case is resolved, so the resolution times are NaN) and with names holding
quotes, backslashes, a tab and non-ASCII text (arm, check and level names, the experiment's directory):
`run --summary-json`, `validate --json`, `plan --format json`, `sweep --json-progress` (stderr, one object per
line) and the sweep's DIR/experiment.json, and the `design` attribute of the sweep's shard file. Each is
parsed with json.loads, rejecting the constants NaN, Infinity and -Infinity, and checked for the names and
the nulls it must hold. Prints PASS or FAIL lines and exits 0 if all pass.
"""

import json
import os
import shutil
import subprocess
import sys

import h5py

# Names that a hand-written JSON writer gets wrong: quotes, backslashes, a control character, non-ASCII.
ARM = 'we"ird\\arm-\u00e9\u2713'  # no whitespace: checks name arms by whitespace-separated words
FACT = 'fact "quoted"\\back\u00e9'
LEVEL = 'lev,el \\\u00e9'  # levels cannot hold a double quote ([vary] quotes them)
DIRNAME = 'exp "dir"\\\u00e9\tx'

failures = []


def check(name, cond, detail=""):
    print("%s %s%s" % ("PASS" if cond else "FAIL", name, "" if cond else ": " + detail))
    if not cond:
        failures.append(name)


def reject_constant(name):
    raise ValueError("not JSON: " + name)


def strict(text):
    return json.loads(text, parse_constant=reject_constant)


def parse(name, text):
    """The document, or None after recording a failure."""
    try:
        doc = strict(text)
    except ValueError as e:
        check(name + " is strict JSON", False, "%s in %r" % (e, text[:300]))
        return None
    check(name + " is strict JSON", True)
    return doc


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode not in (0, 1):  # validate exits 1 when a check fails, which is not this test's concern
        print("command failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr))
    return p


def main(argv):
    if len(argv) != 4:
        print(__doc__)
        return 2
    govsim, scenario, work = argv[1], os.path.abspath(argv[2]), argv[3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    exp_dir = os.path.join(work, DIRNAME)
    os.makedirs(exp_dir)

    # A comparison whose runs resolve nothing, with an awkward arm name, and a check on it.
    cmp_ini = os.path.join(exp_dir, "cmp.ini")
    with open(cmp_ini, "w", encoding="utf-8") as f:
        f.write("include = %s\n\n[run]\ndays = 1\nreplicates = 2\n\n[district]\ncommunities = 3\n\n"
                "[arms]\nbaseline =\n%s = run.mechanisms=joint_handling\n\n"
                "[checks]\n%s = median resolution (h): %s > baseline\n" % (scenario, ARM, FACT, ARM))

    # run --summary-json
    summary = os.path.join(work, "summary.json")
    p = run([govsim, "run", cmp_ini, "--out", os.path.join(work, "cmp.h5"), "--summary-json", summary, "--quiet"])
    check("run exits 0", p.returncode == 0, p.stderr)
    with open(summary, encoding="utf-8") as f:
        doc = parse("run --summary-json", f.read())
    if doc is not None:
        arms = doc.get("arms", {})
        check("summary names the arms", list(arms) == ["baseline", ARM], repr(list(arms)))
        med = arms.get(ARM, {}).get("median resolution (h)")
        check("an unresolved run's median resolution is null", med == [None, None], repr(med))
        raised = arms.get("baseline", {}).get("demands raised", [])
        check("summary values are numbers", len(raised) == 2 and all(isinstance(v, (int, float)) for v in raised),
              repr(raised))

    # validate --json
    verdicts = os.path.join(work, "verdicts.json")
    p = run([govsim, "validate", cmp_ini, "--json", verdicts])
    check("validate ran", p.returncode in (0, 1), p.stderr)
    with open(verdicts, encoding="utf-8") as f:
        doc = parse("validate --json", f.read())
    if doc is not None:
        v = doc[0] if isinstance(doc, list) and doc else {}
        check("verdict names the fact and arm", v.get("fact") == FACT and v.get("a") == ARM, repr(v))
        check("a NaN effect is null", v.get("mean") is None and v.get("lo") is None, repr(v))
        check("the verdict's file is the path", v.get("file") == cmp_ini, repr(v.get("file")))

    # An experiment in a directory with an awkward name: plan --format json, sweep --json-progress,
    # DIR/experiment.json and the shard's design attribute.
    exp_ini = os.path.join(exp_dir, "exp.ini")
    with open(exp_ini, "w", encoding="utf-8") as f:
        f.write("include = cmp.ini\n\n[experiment]\ndesign = factorial\nreplicates = 1\n\n"
                "[vary]\nrun.name = plain, \"%s\"\n" % LEVEL)
    p = run([govsim, "plan", exp_ini, "--format", "json"])
    check("plan exits 0", p.returncode == 0, p.stderr)
    doc = parse("plan --format json", p.stdout)
    if doc is not None:
        check("plan lists every run", isinstance(doc, list) and len(doc) == 4, repr(doc)[:300])
        check("plan keeps the arm and level text", {r.get("arm") for r in doc} == {"baseline", ARM} and
              {r.get("run.name") for r in doc} == {"plain", LEVEL}, repr(doc)[:300])
        check("plan seeds are integers", all(isinstance(r.get("seed"), int) for r in doc))

    out = os.path.join(work, "sweep")
    p = run([govsim, "sweep", exp_ini, "--out", out, "--json-progress", "--quiet"])
    check("sweep exits 0", p.returncode == 0, p.stderr)
    lines = [line for line in p.stderr.splitlines() if line.startswith("{")]
    events = [parse("sweep --json-progress line %d" % i, line) for i, line in enumerate(lines)]
    check("sweep reports every run", sum(1 for e in events if e and e.get("status") == "ok") == 4,
          "\n".join(lines))
    if p.returncode != 0:
        print("%d check(s) failed" % len(failures))
        return 1
    with open(os.path.join(out, "experiment.json"), encoding="utf-8") as f:
        doc = parse("DIR/experiment.json", f.read())
    design = None
    if doc is not None:
        check("experiment.json records the experiment's path", doc.get("experiment") == exp_ini,
              repr(doc.get("experiment")))
        design = doc.get("design")
        check("experiment.json records the design", isinstance(design, dict) and design.get("arms") == ["baseline", ARM],
              repr(design))
    with h5py.File(os.path.join(out, "shard-0-of-1.h5"), "r") as h:
        text = h.attrs["design"]
        fingerprint = h.attrs["experiment_fingerprint"]
    text = text.decode() if isinstance(text, bytes) else text
    attr = parse("the shard file's design attribute", text)
    if attr is not None:
        check("the design attribute equals experiment.json's design", attr == design, "%r vs %r" % (attr, design))
        axis = attr.get("axes", [{}])[0]
        check("the design attribute keeps the levels", axis.get("levels") == ["plain", LEVEL], repr(axis))
    if doc is not None:
        check("experiment.json's fingerprint is the file's", doc.get("fingerprint") == fingerprint)

    # The same sweep again: the recorded fingerprint is read back, so the sweep resumes (nothing to run).
    p = run([govsim, "sweep", exp_ini, "--out", out, "--quiet"])
    check("a rerun reads experiment.json back and resumes", p.returncode == 0, p.stderr)

    print("%d check(s) failed" % len(failures) if failures else "PASS: every JSON document is strict JSON")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
