"""Command line: ``python -m govsim_analysis figures FILE.h5 --out DIR`` and
``python -m govsim_analysis report FILE.h5 --out DIR`` (the HTML report; ``govsim report`` calls it).

Sub-commands are registered in COMMANDS.
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


def _report(args):
    from .report import write_report

    print(write_report(args.file, args.out, baseline=args.baseline, metrics=args.metric or None, title=args.title,
                       allow_missing_sources=args.allow_missing_sources))
    return 0


def _add_report(sub):
    p = sub.add_parser("report", help="write a self-contained HTML report (DIR/index.html) and its figures")
    p.add_argument("file", help="govsim output file (HDF5, schema 1)")
    p.add_argument("--out", required=True, help="directory for index.html and the figures (created if missing)")
    p.add_argument("--baseline", help="arm the others are compared with (default: the first arm)")
    p.add_argument("--metric", action="append", help="series to report instead of the key metrics (repeatable)")
    p.add_argument("--title", help="page title (default: 'govsim report: FILE')")
    p.add_argument("--allow-missing-sources", action="store_true",
                   help="report a merged file although some of its shard files are missing (their runs read as NaN)")
    p.set_defaults(func=_report)


def _discover(args):
    from .discovery import write_discovery_report

    print(write_discovery_report(args.file, args.out, args.metric, how=args.how, arm=args.arm, baseline=args.baseline,
                                 at_least=args.at_least, at_most=args.at_most, min_coverage=args.min_coverage,
                                 max_depth=args.max_depth))
    return 0


def _add_discover(sub):
    p = sub.add_parser("discover", help="scenario discovery (PRIM, CART) on a sweep file: where does a condition "
                                        "on an outcome hold?")
    p.add_argument("file", help="a sweep's merged or shard file (HDF5, schema 1)")
    p.add_argument("--out", required=True, help="directory for index.html and the figures (created if missing)")
    p.add_argument("--metric", required=True, help="series whose reduction is the outcome")
    p.add_argument("--how", default="final", choices=["final", "mean", "sum", "max"], help="reduction over days")
    p.add_argument("--arm", help="the arm (with --baseline: the arm minus the baseline, paired)")
    p.add_argument("--baseline", help="the arm subtracted from --arm (paired by point and replicate)")
    p.add_argument("--at-least", type=float, help="a case of interest has an outcome at least this")
    p.add_argument("--at-most", type=float, help="a case of interest has an outcome at most this")
    p.add_argument("--min-coverage", type=float, default=0.5, help="the chosen PRIM box covers at least this share")
    p.add_argument("--max-depth", type=int, default=3, help="CART's depth")
    p.set_defaults(func=_discover)


def _export(args):
    from .export import export_csv

    for p in export_csv(args.file, args.csv, by_community=args.by_community, force=args.force):
        print(p)
    return 0


def _add_export(sub):
    p = sub.add_parser("export", help="write tidy CSV tables (runs, series, variables) for pandas, R or a spreadsheet")
    p.add_argument("file", help="govsim output file (HDF5, schema 1)")
    p.add_argument("--csv", required=True, help="directory for the CSV files (created if missing)")
    p.add_argument("--by-community", action="store_true", help="also series_by_community.csv")
    p.add_argument("--force", action="store_true", help="replace CSV files of an earlier export")
    p.set_defaults(func=_export)


COMMANDS = [_add_figures, _add_report, _add_discover, _add_export]


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
