#!/usr/bin/env bash
# Command 2 of the README (and all of CI): installs what is missing, builds everything with warnings as
# errors, and runs every test (unit, regression, determinism, read-back, bad input, docs).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Release -DGOVSIM_WERROR=ON -DGOVSIM_BUILD_TESTS=ON
cmake --build build-test
cd build-test
# The long validation variants (label `long`) are for researchers: `ctest -L long`.
ctest --output-on-failure -j "$(nproc)" -LE long
