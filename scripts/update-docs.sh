#!/usr/bin/env bash
# Regenerates the tables of docs/ODD.md (parameters; phase x mechanism) and docs/OUTPUT.md (metrics) from the
# binary. `ctest -L docs` fails when they drift. Usage: scripts/update-docs.sh [GOVSIM]
set -euo pipefail
cd "$(dirname "$0")/.."
exec /usr/bin/python3 scripts/update_docs.py "${1:-build/src/govsim}" "$PWD"
