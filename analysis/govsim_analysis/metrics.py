"""The key metrics: the headline list a file carries (root attribute headline_metrics, written by govsim from
src/model/metrics.cpp) and that the figures command, effect_table() and the report use by default.
KEY_METRICS is the list for files written before that attribute."""

from __future__ import annotations

import json

# (series name, reduction to one value per run). Names are schema-1 core metrics (docs/OUTPUT.md), so every
# file has them; the reductions follow their kind: totals at the last day, stocks at the end, daily means
# averaged over the days with resolutions.
KEY_METRICS = (
    ("cum_hard_problems_closed", "final"),  # hard problems closed since day 0 (cases)
    ("n_open_cases", "final"),              # backlog at the end (cases)
    # Beside the backlog, always: a mechanism that discourages reporting shrinks the backlog by leaving demands
    # unreported (tasks-only down-shifting: fewer reports, more lapsed), so the backlog alone would mislead.
    ("new_reported", "sum"),                # demands reported over the run (demands)
    ("new_gave_up", "sum"),                 # unreported demands that lapsed over the run (demands)
    ("mean_resolution_hours", "mean"),      # mean of the daily mean hours to resolution (h)
    ("mean_satisfaction", "final"),         # resident satisfaction at the end (0-1)
    ("mean_trust", "final"),                # trust in the community Party organisation at the end (0-1)
    ("mean_gw_utilisation", "mean"),        # grid-worker hours per normal hour (hours/normal hour)
    ("cum_cost_yuan", "final"),             # cost since day 0, every source (yuan; docs/ODD.md §7.20)
)

# Per-community metric for the heat map (kept per community in every file).
KEY_COMMUNITY_METRIC = "n_open_cases"

# Per-community metric of the heat map grouped by community type (the communities' share rating good).
TYPE_METRIC = "share_good"

# Backlog used by the shock's outcomes (docs/ODD.md §7.12).
SHOCK_METRIC = "n_open_cases"


def headline(ds):
    """The file's headline metrics: [{name, how, margin, relative}] from its root attribute headline_metrics
    (govsim's one list, src/model/metrics.cpp, also behind govsim run's headline table); KEY_METRICS with no
    margins for a file written before the attribute existed."""
    text = ds.attrs.get("headline_metrics")
    if text:
        return json.loads(text)
    return [{"name": m, "how": h, "margin": float("nan"), "relative": False} for m, h in KEY_METRICS]


def key_metrics(ds):
    """The headline metrics that the file holds, as (name, how) pairs."""
    return [(h["name"], h["how"]) for h in headline(ds) if h["name"] in ds.data_vars]


def margin(ds, metric, how):
    """(margin, relative) of a headline metric under its reduction: the smallest paired difference taken to
    matter, absolute or as a share of the baseline's mean; (nan, False) for any other metric or reduction."""
    for h in headline(ds):
        if h["name"] == metric and h["how"] == how:
            return float(h["margin"]), bool(h["relative"])
    return float("nan"), False
