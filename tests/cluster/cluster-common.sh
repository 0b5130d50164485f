# shellcheck shell=bash
# Shared by slurm-up.sh and slurm-down.sh (sourced, not run).

SLURM_CONF=/etc/slurm/slurm.conf
CONF_MARK="# govsim test cluster: written by tests/cluster/slurm-up.sh (slurm-down.sh removes it)"
# Machine-wide bookkeeping: which daemons our scripts started, and the leases of the test runs using them.
GLOBAL_STATE=/run/govsim-slurm
LOCK_FILE=/run/lock/govsim-slurm.lock

fail() {
  echo "slurm-cluster: $*" >&2
  exit 1
}

fail_with_logs() {
  echo "slurm-cluster: $*" >&2
  for log in /var/log/munge/munged.log /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log; do
    if [ -r "$log" ]; then
      echo "---- last lines of $log" >&2
      tail -n 20 "$log" >&2
    fi
  done
  echo "---- sinfo" >&2
  sinfo 2>&1 | head -n 10 >&2 || true
  exit 1
}

require_root() {
  [ "$(id -u)" -eq 0 ] || fail "needs root (it starts slurmctld, slurmd and munged and writes $SLURM_CONF)"
}

# One script at a time changes the cluster (two test runs may start side by side).
take_cluster_lock() {
  mkdir -p "$(dirname "$LOCK_FILE")"
  exec 9>"$LOCK_FILE"
  flock -w 180 9 || fail "another slurm-up/slurm-down has held $LOCK_FILE for 3 minutes"
}

# wait_for SECONDS 'SHELL CONDITION': polls every 0.2 s.
wait_for() {
  local deadline=$((SECONDS + $1))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if eval "$2" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  return 1
}

node_state() {
  sinfo -h -n localhost -o %t 2>/dev/null | head -n 1
}

# daemon_pid NAME PIDFILE...: the PID of a live NAME process named by the first such pid file, if any.
daemon_pid() {
  local name=$1 file pid
  shift
  for file in "$@"; do
    [ -r "$file" ] || continue
    pid=$(tr -dc 0-9 < "$file")
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
      echo "$pid"
      return 0
    fi
  done
  return 1
}

# stop_daemon NAME PIDFILE...: TERM, then KILL after 20 s. The PID is read before the kill: the daemons
# delete their pid files as they exit.
stop_daemon() {
  local name=$1 pid
  shift
  pid=$(daemon_pid "$name" "$@") || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  if ! wait_for 20 "[ ! -e /proc/$pid ] || [ \"\$(cat /proc/$pid/comm 2>/dev/null)\" != $name ]"; then
    echo "slurm-cluster: $name ($pid) ignored TERM for 20 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  echo "slurm-cluster: stopped $name ($pid)"
}

cluster_is_up() {
  [ -r "$SLURM_CONF" ] && grep -qF "$CONF_MARK" "$SLURM_CONF" || return 1
  daemon_pid slurmctld /run/slurm/slurmctld.pid >/dev/null || return 1
  daemon_pid slurmd /run/slurm/slurmd.pid >/dev/null || return 1
  munge -n 2>/dev/null | unmunge >/dev/null 2>&1 || return 1
  case "$(node_state)" in
    idle|mix|alloc|comp) return 0 ;;
    *) return 1 ;;
  esac
}

lease_file() {
  echo "$GLOBAL_STATE/leases/$(printf %s "$STATE_DIR" | md5sum | cut -c1-16)"
}

# A lease names its holder: the process that ran slurm-up.sh (ctest, for the test fixture). Once that
# process is gone the lease no longer keeps the cluster up.
record_pids_and_lease() {
  daemon_pid slurmctld /run/slurm/slurmctld.pid > "$STATE_DIR/slurmctld.pid"
  daemon_pid slurmd /run/slurm/slurmd.pid > "$STATE_DIR/slurmd.pid"
  daemon_pid munged /run/munge/munged.pid > "$STATE_DIR/munged.pid" || rm -f "$STATE_DIR/munged.pid"
  mkdir -p "$GLOBAL_STATE/leases"
  echo "$PPID $STATE_DIR" > "$(lease_file)"
}

# The number of leases other than ours whose holder is still alive (stale ones are removed).
other_live_leases() {
  local own count=0 lease holder
  own=$(lease_file)
  for lease in "$GLOBAL_STATE"/leases/*; do
    [ -e "$lease" ] || continue
    [ "$lease" = "$own" ] && continue
    holder=$(cut -d' ' -f1 < "$lease")
    if [ -n "$holder" ] && kill -0 "$holder" 2>/dev/null; then
      count=$((count + 1))
    else
      rm -f "$lease"
    fi
  done
  echo "$count"
}
