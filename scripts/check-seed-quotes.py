#!/usr/bin/env python3
"""Checks that every quote in docs/SEED_FIGURES.md's tables occurs byte-for-byte in the seed it names.

A table takes part if its header has a `seed` and a `quote` column. A quote cell may hold several passages
separated by ' … '; a passage may start with 'NNN: ' to name its seed when the row names several. A passage in
parentheses or the cell '(same)' is a note, not a quote. Usage: scripts/check-seed-quotes.py [SEEDS_DIR] [DOC]
(defaults: /work/shared/seeds, docs/SEED_FIGURES.md). Exit 1 if any passage is missing or longer than 40
characters.
"""
import glob
import os
import re
import sys

seeds_dir = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/seeds"
doc = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "docs", "SEED_FIGURES.md")
seeds = {os.path.basename(p)[:3]: open(p, encoding="utf-8").read() for p in glob.glob(os.path.join(seeds_dir, "0*.txt"))}
if not seeds:
    sys.exit(f"no seeds in {seeds_dir}")


def cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


bad = checked = 0
cols = None
for n, line in enumerate(open(doc, encoding="utf-8"), 1):
    if not line.startswith("|"):
        cols = None
        continue
    c = cells(line)
    if cols is None:
        cols = {name.lower(): i for i, name in enumerate(c)}
        if "seed" not in cols or "quote" not in cols:
            cols = {}
        continue
    if not cols or set(line.strip()) <= set("|-: "):
        continue
    row_seeds = re.findall(r"\b00\d\b", c[cols["seed"]])
    for part in c[cols["quote"]].split(" … "):
        part = part.strip()
        if not part or part == "(same)" or (part.startswith("(") and part.endswith(")")):
            continue
        m = re.match(r"(00\d): (.*)", part)
        want, text = ([m.group(1)], m.group(2)) if m else (row_seeds, part)
        checked += 1
        found = [s for s in want if text in seeds.get(s, "")]
        if not found:
            print(f"{doc}:{n}: not in seed {'/'.join(want) or '?'}: {text}")
            bad += 1
        elif len(text) > 40:
            print(f"{doc}:{n}: longer than 40 characters ({len(text)}): {text}")
            bad += 1
print(f"{checked} passages checked, {bad} bad")
sys.exit(1 if bad else 0)
