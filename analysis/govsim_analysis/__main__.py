"""Command line: ``python -m govsim_analysis figures FILE.h5 --out DIR``.

Sub-commands are registered in COMMANDS, so further ones (the HTML report) can be added beside ``figures``.
"""

from __future__ import annotations

import argparse
import sys


def _figures(args):
    from .figures import standard_figures
    from .io import open_results

    with open_results(args.file) as ds:
        paths = standard_figures(ds, args.out, metrics=args.metric or None)
    for p in paths:
        print(p)
    return 0


def _add_figures(sub):
    p = sub.add_parser("figures", help="write the standard figure set (PNG and SVG) for a file")
    p.add_argument("file", help="govsim output file (HDF5, schema 1)")
    p.add_argument("--out", required=True, help="directory for the figures (created if missing)")
    p.add_argument("--metric", action="append", help="series to plot instead of the key metrics (repeatable)")
    p.set_defaults(func=_figures)


COMMANDS = [_add_figures]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m govsim_analysis",
                                     description="Analyse govsim output files (docs/OUTPUT.md, schema 1).")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in COMMANDS:
        add(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (OSError, ValueError, KeyError) as e:  # bad file or argument: one line, exit 2
        print(f"govsim_analysis: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
