#!/usr/bin/env bash
# Kept for old habits: scripts/update-docs.sh regenerates every generated table (parameters included).
exec "$(dirname "$0")/update-docs.sh" "$@"
