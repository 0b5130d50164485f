"""Executes one notebook of analysis/notebooks headless, as CTest's analysis.notebook.* tests do:

    GOVSIM_BIN=build/src/govsim /usr/bin/python3 analysis/tests/run_notebook.py analysis/notebooks/01_quickstart.ipynb

Checks that the committed notebook has no outputs, runs every cell in a kernel of this Python (outputs to a new
temporary GOVSIM_WORKDIR, the executed copy to GOVSIM_NOTEBOOK_OUT or that directory, removed if the notebook
passes), and that nothing was written into the source tree. `--needs sweep` exits 77 (CTest: skipped) when the binary has no working
`govsim sweep` yet.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[2]
SKIP = 77


def tree(root):
    """Files under the source tree's analysis/ and scenarios/ (bytecode aside)."""
    out = set()
    for d in ("analysis", "scenarios", "tests"):
        for p in (root / d).rglob("*"):
            if p.is_file() and "__pycache__" not in p.parts:
                out.add(p)
    return out


def has_sweep(binary):
    r = subprocess.run([binary, "sweep"], capture_output=True, text=True, timeout=60)
    return "not built yet" not in r.stderr, r.stderr.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("--needs", action="append", default=[], choices=["sweep"])
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = ap.parse_args()
    binary = os.environ.get("GOVSIM_BIN", str(REPO / "build" / "src" / "govsim"))
    if not os.access(binary, os.X_OK):
        print(f"no govsim binary at {binary}: build it or set GOVSIM_BIN", file=sys.stderr)
        return 1
    if "sweep" in args.needs:
        ok, why = has_sweep(binary)
        if not ok:
            print(f"skipped: {binary} has no govsim sweep yet ({why}); it comes with the sweep branch")
            return SKIP

    path = Path(args.notebook).resolve()
    nb = nbformat.read(path, as_version=4)
    stale = [c.get("id", i) for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not stale, f"{path.name}: committed with outputs in cells {stale}; strip them"

    work = Path(tempfile.mkdtemp(prefix=f"govsim-nb-{path.stem}-"))
    out_dir = Path(os.environ.get("GOVSIM_NOTEBOOK_OUT") or work)
    env = {"GOVSIM_BIN": binary, "GOVSIM_WORKDIR": str(work / "outputs"), "GOVSIM_REPO": str(REPO),
           "PYTHONDONTWRITEBYTECODE": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}  # no debugger noise
    os.environ.update(env)  # the kernel inherits them
    before = tree(REPO)
    t0 = time.monotonic()
    # kernel "python3" is Debian's /usr/bin/python3 (/usr/share/jupyter/kernels/python3); checked below
    client = NotebookClient(nb, timeout=args.timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    finally:
        out_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out_dir / path.name)
    elapsed = time.monotonic() - t0

    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    kernel_python = next((ln.split(None, 1)[1].strip() for ln in text.splitlines() if ln.startswith("Python:")),
                         None)
    assert kernel_python == sys.executable, f"the kernel ran {kernel_python}, not {sys.executable}"
    written = sorted(str(p.relative_to(REPO)) for p in tree(REPO) - before)
    assert not written, f"the notebook wrote into the source tree: {written}"
    images = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {}))
    print(f"{path.name}: executed in {elapsed:.1f} s with {kernel_python}; {images} figures", end="")
    if os.environ.get("GOVSIM_NOTEBOOK_OUT"):
        print(f"; executed copy {out_dir / path.name}")
    else:  # passed: the outputs are of no further use (a failure keeps them for a look)
        shutil.rmtree(work, ignore_errors=True)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
