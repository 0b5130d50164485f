#!/usr/bin/env bash
# Command 1 of the README: installs what is missing, builds a Release binary, runs the main job.
# The main job, for now: the baseline ladder on the default district (scenarios/baseline.ini), written to
# out/baseline.h5 with a printed summary. Extra arguments go to `govsim run` (e.g. --set run.days=730).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DGOVSIM_BUILD_TESTS=OFF -DGOVSIM_BUILD_BENCHMARKS=OFF
cmake --build build --target govsim
mkdir -p out
./build/src/govsim run scenarios/baseline.ini --out out/baseline.h5 "$@"
