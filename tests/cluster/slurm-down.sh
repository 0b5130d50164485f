#!/usr/bin/env bash
# Stops the test cluster that slurm-up.sh started (slurmd, slurmctld, and munged if slurm-up started it),
# by the PIDs in their pid files, and removes our /etc/slurm/slurm.conf.
# Usage: slurm-down.sh [--force] STATE_DIR
#   Gives up STATE_DIR's lease first; while another live test run holds a lease the daemons stay up
#   (--force stops them anyway). Succeeds when nothing is running.
set -euo pipefail

FORCE=0
if [ "${1:-}" = "--force" ]; then
  FORCE=1
  shift
fi
if [ $# -ne 1 ]; then
  echo "usage: slurm-down.sh [--force] STATE_DIR" >&2
  exit 2
fi
mkdir -p "$1"
STATE_DIR=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=cluster-common.sh
. "$HERE/cluster-common.sh"

require_root
take_cluster_lock

rm -f "$(lease_file)"
others=$(other_live_leases)
if [ "$others" -gt 0 ] && [ "$FORCE" -eq 0 ]; then
  echo "slurm-down: $others other test run(s) still use the cluster; leaving it up"
  rm -f "$STATE_DIR"/*.pid
  exit 0
fi

# Our pid-file copies are the fallback for a daemon whose own pid file went missing. Each daemon takes
# about 2 s to exit, so both Slurm daemons are stopped at once.
stop_daemon slurmd /run/slurm/slurmd.pid "$STATE_DIR/slurmd.pid" &
stop_daemon slurmctld /run/slurm/slurmctld.pid "$STATE_DIR/slurmctld.pid" &
wait
if [ -e "$GLOBAL_STATE/started-munged" ]; then
  stop_daemon munged /run/munge/munged.pid "$STATE_DIR/munged.pid"
  rm -f "$GLOBAL_STATE/started-munged"
fi
if [ -e "$SLURM_CONF" ] && grep -qF "$CONF_MARK" "$SLURM_CONF"; then
  rm -f "$SLURM_CONF"
fi
rm -rf "$GLOBAL_STATE/leases"
rm -f "$STATE_DIR"/*.pid
echo "slurm-down: cluster stopped"
