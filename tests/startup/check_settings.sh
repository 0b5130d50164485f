#!/usr/bin/env bash
# govsim chooses passive OpenMP waiting (and huge pages on request) at start-up unless the user chose them,
# by setting them and starting itself again (src/cli/main.cpp). libgomp prints the settings it runs with
# under OMP_DISPLAY_ENV=verbose; the last print is the process that runs.
# Usage: check_settings.sh GOVSIM
set -euo pipefail
govsim=$1
# The spin count the running process got, given the environment in "$@" (and no other OpenMP setting).
spincount() {
  env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT OMP_DISPLAY_ENV=verbose "$@" "$govsim" --version 2>&1 |
    sed -n "s/^ *GOMP_SPINCOUNT = '\([0-9]*\)'.*/\1/p" | tail -1
}
status=0
got=$(spincount)
[ "$got" = 0 ] || { echo "FAIL: without a user setting GOMP_SPINCOUNT is '$got', expected 0 (passive)"; status=1; }
got=$(spincount OMP_WAIT_POLICY=active)
[ -n "$got" ] && [ "$got" != 0 ] || { echo "FAIL: the user's OMP_WAIT_POLICY=active was overridden ('$got')"; status=1; }
got=$(spincount GOMP_SPINCOUNT=1234)
[ "$got" = 1234 ] || { echo "FAIL: the user's GOMP_SPINCOUNT=1234 became '$got'"; status=1; }
# With every setting the user's own, govsim starts once and runs.
out=$(GLIBC_TUNABLES=glibc.malloc.hugetlb=0 OMP_WAIT_POLICY=passive "$govsim" --version)
case "$out" in govsim*) ;; *) echo "FAIL: govsim --version with the user's settings printed '$out'"; status=1 ;; esac
exit $status
