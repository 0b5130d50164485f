#!/usr/bin/env bash
# Starts a real single-node Slurm cluster on this machine for the tests (munged, slurmctld, slurmd; no
# accounting, no cgroups) and waits until its node `localhost` is idle.
# Usage: slurm-up.sh STATE_DIR
#   Needs root. Writes /etc/slurm/slurm.conf (marked as ours; refuses to touch one it did not write).
#   Idempotent: if our cluster is already up it only records itself as a user and succeeds.
#   Records the daemons' PIDs in STATE_DIR and takes a lease on the cluster for STATE_DIR, so that
#   slurm-down.sh STATE_DIR stops the daemons only when no other test run still uses them.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: slurm-up.sh STATE_DIR" >&2
  exit 2
fi
STATE_DIR=$(mkdir -p "$1" && cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=cluster-common.sh
. "$HERE/cluster-common.sh"

require_root
for tool in munged munge unmunge slurmctld slurmd sinfo scontrol runuser flock; do
  command -v "$tool" >/dev/null || fail "'$tool' not found (scripts/install-deps.sh --test installs Slurm and munge)"
done

take_cluster_lock

# The configuration: ours, or nobody's.
if [ -e "$SLURM_CONF" ] && ! grep -qF "$CONF_MARK" "$SLURM_CONF"; then
  fail "$SLURM_CONF exists and was not written by this script; not touching a real cluster's configuration"
fi
mkdir -p "$(dirname "$SLURM_CONF")" "$GLOBAL_STATE/leases" /run/slurm /var/spool/slurm/d /var/spool/slurm/ctld \
         /var/log/slurm
CPUS=$(nproc)
NEW_CONF=$(mktemp)
cat > "$NEW_CONF" <<EOF
$CONF_MARK
# A single-node test cluster: everything as root, no cgroups, no accounting (sacct has nothing to show;
# tests judge jobs by the files they write, see run-array.sh).
ClusterName=govsim-test
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
MpiDefault=none
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
StateSaveLocation=/var/spool/slurm/ctld
SlurmdSpoolDir=/var/spool/slurm/d
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
# Finished jobs stay visible to squeue for a few seconds only.
MinJobAge=30
SchedulerParameters=batch_sched_delay=0
NodeName=localhost CPUs=$CPUS RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF

if cluster_is_up; then
  if ! cmp -s "$NEW_CONF" "$SLURM_CONF"; then
    rm -f "$NEW_CONF"
    fail "a cluster is up with a different $SLURM_CONF; stop it first (slurm-down.sh --force STATE_DIR)"
  fi
  rm -f "$NEW_CONF"
  record_pids_and_lease
  echo "slurm-up: cluster already up (node localhost $(node_state))"
  exit 0
fi
mv "$NEW_CONF" "$SLURM_CONF"
chmod 644 "$SLURM_CONF"

# The daemons must not inherit the lock (fd 9, hence 9>&-): they would hold it for as long as they run.
# munged runs as the munge user, which owns the key.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  mkdir -p /run/munge
  chown munge:munge /run/munge
  chmod 755 /run/munge
  runuser -u munge -- munged --force 9>&- || fail_with_logs "munged did not start"
  touch "$GLOBAL_STATE/started-munged"
  wait_for 10 "munge -n | unmunge" || fail_with_logs "munged started but 'munge -n | unmunge' fails"
fi

# Daemons left over from an interrupted run (alive, but not answering as our cluster) are restarted.
stop_daemon slurmd /run/slurm/slurmd.pid
stop_daemon slurmctld /run/slurm/slurmctld.pid
# -c: a fresh controller, no jobs recovered from an earlier run.
slurmctld -c 9>&- || fail_with_logs "slurmctld did not start"
wait_for 30 "scontrol ping | grep -q UP" || fail_with_logs "slurmctld does not answer 'scontrol ping'"
# -N: the node is called localhost whatever this machine's hostname is.
slurmd -N localhost 9>&- || fail_with_logs "slurmd did not start"
# shellcheck disable=SC2016  # wait_for evaluates the condition each time
if ! wait_for 60 '[ "$(node_state)" = idle ]'; then
  fail_with_logs "node localhost is '$(node_state)', not idle, after 60 s"
fi
record_pids_and_lease
echo "slurm-up: cluster up (slurmctld $(cat "$STATE_DIR/slurmctld.pid"), slurmd $(cat "$STATE_DIR/slurmd.pid"), node localhost idle)"
