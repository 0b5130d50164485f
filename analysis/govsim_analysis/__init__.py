"""Analysis of govsim HDF5 output (schema version 1, docs/OUTPUT.md): loading, tidy tables, paired
comparisons under common random numbers, sensitivity indices and figures. See analysis/README.md."""

from .io import (SCHEMA_VERSION, MissingSourcesError, SchemaVersionError, arms, check_schema, config, config_value, coord_name, index_runs, param_coord, param_values,
                 design, open_results)
from .metrics import KEY_COMMUNITY_METRIC, KEY_METRICS, key_metrics
from .stats import (compare, contrast, effect_table, mean_interval, mean_interval_array, paired_difference,
                    t_quantile, t_quantile_975)
from .tidy import (COST_FIELDS, SUMMARY_FIELDS, community_metrics, district_metrics, run_coords, run_table, summarise_runs,
                   tidy)

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION", "SchemaVersionError", "MissingSourcesError", "open_results", "index_runs", "coord_name", "param_coord", "param_values", "check_schema", "design", "config", "config_value",
    "arms", "KEY_METRICS", "KEY_COMMUNITY_METRIC", "key_metrics", "tidy", "run_table", "run_coords",
    "summarise_runs", "district_metrics", "community_metrics", "SUMMARY_FIELDS", "COST_FIELDS", "compare", "contrast",
    "effect_table", "mean_interval", "mean_interval_array", "paired_difference", "t_quantile", "t_quantile_975",
]
