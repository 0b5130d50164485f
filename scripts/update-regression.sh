#!/usr/bin/env bash
# Rewrites the regression expectation from the current build. Run it only when a change of results is
# intended, and say why in the commit message.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build-test --target govsim
/usr/bin/python3 tests/regression/check_regression.py build-test/src/govsim tests/regression/small.ini \
  tests/regression/expected/small_summary.json --update
