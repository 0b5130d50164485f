#!/usr/bin/env bash
# Command 1 of the README: installs what is missing, builds a Release binary, runs the main job and writes its
# report. The main job: the default comparison (scenarios/main_comparison.ini) of the baseline ladder, joint
# handling and the three variants of workload down-shifting, 20 replicates each over two simulated years, written
# to out/main_comparison.h5 with a printed comparison table. The report: out/report/index.html (one
# self-contained page: comparison table and figures) and the figures as PNG and SVG beside it. Extra arguments
# go to `govsim run` (e.g. --set run.replicates=40).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DGOVSIM_BUILD_TESTS=OFF -DGOVSIM_BUILD_BENCHMARKS=OFF
cmake --build build --target govsim
mkdir -p out
./build/src/govsim run scenarios/main_comparison.ini --out out/main_comparison.h5 --force "$@"  # a rerun replaces it
./build/src/govsim report out/main_comparison.h5 --out out/report >/dev/null
echo "Report: $PWD/out/report/index.html (open it in a browser; figures as PNG and SVG in out/report/)"
