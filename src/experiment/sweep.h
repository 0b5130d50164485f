// Runs an experiment's table (or one shard of it): runs spread over the cores, each finished run
// journaled as its own HDF5 file under DIR/runs/ (so a killed sweep resumes without losing or repeating a
// run), then the shard's file assembled from the journal.
#pragma once
