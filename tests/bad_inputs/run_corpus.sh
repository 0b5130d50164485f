#!/usr/bin/env bash
# The bad-input corpus: every case is a malformed input that govsim must refuse with exit code 2, exactly one
# line on stderr (starting "govsim") that matches the case's pattern, and nothing written: the case's
# working directory holds the same files with the same contents afterwards (no output, no temporary file, no
# sweep directory contents beyond what was there before).
#
# Usage: run_corpus.sh GOVSIM CORPUS_DIR [CASE_GLOB]
#   Prints PASS or FAIL (with the reason) per case, then `corpus: N cases, P clean, F failing`; exits 1 if
#   any case fails. CASE_GLOB (default *.case) picks some of the cases, e.g. '04*'.
#
# Case files: CORPUS_DIR/NNN-short-name.case. Header lines start with `#!`; a line `---` ends the header and
# everything after it (up to an optional `--- NAME` line) is the body, written to the working directory as
# input.ini (or the name given by `#! name:`). Header keys:
#   #! args: ARGS      govsim's arguments, evaluated by bash (quotes and $(...) work); placeholders:
#                      {in}     the body's file (absolute path)
#                      {out}    WORK/out.h5, a file path that must not appear
#                      {outdir} WORK/outdir, a directory path that must not appear
#                      {dir}    WORK, the case's working directory (govsim also runs with it as cwd)
#   #! expect: REGEX   extended regex (grep -E) the one stderr line must match (the same placeholders)
#   #! name: FILE      the body's file name (default input.ini)
#   #! setup: SHELL    run by bash in WORK after the files are written, before the snapshot: for bytes a text
#                      file cannot hold (printf '\xe9', NUL), long lines, directories, extra files; may be
#                      repeated (run in order). $GOVSIM is the binary.
#   #! env: VAR=VALUE  set in govsim's environment (may be repeated)
#   #! ulimit: ARGS    bash ulimit arguments applied to govsim alone (e.g. -v 4000000: a case about memory must
#                      not take the machine's)
#   #! why: TEXT       why the case is there, and what govsim did when it was written (ignored)
# More files: after the body, a line `--- NAME` starts the file WORK/NAME (up to the next `--- NAME` or the
# end). NAME may hold '/' (directories are made).
# Each case runs with `timeout 60`; a timeout or an exit code >= 128 (a crash) is a failure.
set -uo pipefail

if [ $# -lt 2 ]; then
  echo "usage: run_corpus.sh GOVSIM CORPUS_DIR [CASE_GLOB]" >&2
  exit 2
fi
GOVSIM=$(readlink -f "$1")
CORPUS=$(readlink -f "$2")
GLOB=${3:-*.case}
export GOVSIM
# The settings govsim otherwise sets for itself and starts again for (cli/main.cpp): given here, each of the
# many short runs starts once.
[ -n "${GOMP_SPINCOUNT:-}" ] || export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
case "${GLIBC_TUNABLES:-}" in
  *glibc.malloc.hugetlb*) ;;
  "") export GLIBC_TUNABLES=glibc.malloc.hugetlb=1 ;;
  *) export GLIBC_TUNABLES=$GLIBC_TUNABLES:glibc.malloc.hugetlb=1 ;;
esac
[ -x "$GOVSIM" ] || { echo "run_corpus: $GOVSIM is not executable" >&2; exit 2; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/govsim-corpus.XXXXXX")
trap 'chmod -R u+rwx "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT

# Every path below WORK with its type, and for files their size and modification time (to the nanosecond):
# the same before and after, or something was left behind, replaced or removed. (Directories' times are left
# out: a temporary file made and removed again leaves nothing.)
snapshot() {
  find "$1" -mindepth 1 \( -type d -printf '%y %P\n' \) -o -printf '%y %P %s %T@\n' | LC_ALL=C sort
}

substitute() {  # substitute TEXT WORK
  local t=$1 w=$2
  t=${t//\{in\}/$w/$name}
  t=${t//\{outdir\}/$w/outdir}
  t=${t//\{out\}/$w/out.h5}
  t=${t//\{dir\}/$w}
  printf '%s' "$t"
}

n=0 clean=0 failing=0 failed_names=()
shopt -s nullglob
for case_file in "$CORPUS"/$GLOB; do
  base=$(basename "$case_file" .case)
  n=$((n + 1))
  box="$scratch/$n"
  work="$box/work"
  mkdir -p "$work"
  name=input.ini args="" expect="" setups=() envs=() limit=""
  # Header.
  header_done=0
  while IFS= read -r line || [ -n "$line" ]; do
    if [ "$line" = "---" ]; then header_done=1; break; fi
    case "$line" in
      '#! args:'*) args=${line#'#! args:'}; args=${args# } ;;
      '#! expect:'*) expect=${line#'#! expect:'}; expect=${expect# } ;;
      '#! name:'*) name=${line#'#! name:'}; name=${name# } ;;
      '#! setup:'*) s=${line#'#! setup:'}; setups+=("${s# }") ;;
      '#! env:'*) s=${line#'#! env:'}; envs+=("${s# }") ;;
      '#! ulimit:'*) limit=${line#'#! ulimit:'}; limit=${limit# } ;;
      '#!'*) ;;
      *) echo "FAIL $base: malformed case file: header line '$line'"; failing=$((failing + 1));
         failed_names+=("$base"); continue 2 ;;
    esac
  done <"$case_file"
  if [ "$header_done" -ne 1 ] || [ -z "$expect" ]; then
    echo "FAIL $base: malformed case file: needs '#! expect:' and a '---' line"
    failing=$((failing + 1)); failed_names+=("$base"); continue
  fi
  # An AddressSanitizer build reserves terabytes of address space: under `ulimit -v` it cannot start.
  if [ -n "$limit" ] && [ "${GOVSIM_CORPUS_SKIP_ULIMIT:-0}" = 1 ]; then
    echo "SKIP $base: needs ulimit $limit (GOVSIM_CORPUS_SKIP_ULIMIT=1, a sanitizer build)"
    continue
  fi
  # Body and extra files: awk splits the part after the first '---' at '--- NAME' lines; bytes are kept as
  # they are and every line ends with a newline.
  LC_ALL=C awk -v work="$work" -v first="$name" '
    BEGIN { body = 0; file = work "/" first; printf "" > file }
    !body { if ($0 == "---") body = 1; next }
    /^--- / { close(file); file = work "/" substr($0, 5); d = file; sub(/\/[^\/]*$/, "", d);
              system("mkdir -p \"" d "\""); printf "" > file; next }
    { print > file }
  ' "$case_file"
  setup_failed=0
  for s in "${setups[@]}"; do
    (cd "$work" && bash -c "$s") >"$box/setup.log" 2>&1 || { setup_failed=1; break; }
  done
  if [ "$setup_failed" -ne 0 ]; then
    echo "FAIL $base: setup failed: $(head -c 300 "$box/setup.log")"
    failing=$((failing + 1)); failed_names+=("$base"); continue
  fi
  before=$(snapshot "$work")
  argv_text=$(substitute "$args" "$work")
  pattern=$(substitute "$expect" "$work")
  eval "argv=($argv_text)"
  # (The outer braces keep bash's own "Aborted"/"Segmentation fault" notice out of the report.)
  { (cd "$work" && if [ -n "$limit" ]; then ulimit $limit; fi &&
      exec env "${envs[@]}" timeout 60 "$GOVSIM" "${argv[@]}") >"$box/stdout" 2>"$box/stderr" </dev/null; } 2>/dev/null
  code=$?
  after=$(snapshot "$work")
  lines=$(LC_ALL=C awk 'END { print NR }' "$box/stderr")
  first_line=$(head -n 1 "$box/stderr" | LC_ALL=C tr -d '\000' | head -c 400)
  reason=""
  if [ "$code" -eq 124 ]; then
    reason="timed out after 60 s"
  elif [ "$code" -ge 128 ]; then
    reason="crashed (exit $code)"
  elif [ "$code" -ne 2 ]; then
    reason="exit code $code, expected 2"
  fi
  if [ -z "$reason" ] && [ "$lines" -ne 1 ]; then reason="$lines lines on stderr, expected one"; fi
  if [ -z "$reason" ] && ! LC_ALL=C grep -aEq -- '^govsim' "$box/stderr"; then
    reason="stderr does not start with 'govsim'"
  fi
  if [ -z "$reason" ] && ! LC_ALL=C grep -aEq -- "$pattern" "$box/stderr"; then
    reason="stderr does not match /$expect/"
  fi
  if [ -z "$reason" ] && [ "$before" != "$after" ]; then
    changed=$(diff <(printf '%s\n' "$before") <(printf '%s\n' "$after") | grep '^[<>]' | head -n 5 | tr '\n' ' ')
    reason="the working directory changed: $changed"
  fi
  if [ -z "$reason" ]; then
    echo "PASS $base: $first_line"
    clean=$((clean + 1))
  else
    echo "FAIL $base: $reason"
    echo "     stderr ($lines line(s)): $(LC_ALL=C tr -d '\000' <"$box/stderr" | head -c 600 | tr '\n' '|')"
    failing=$((failing + 1))
    failed_names+=("$base")
  fi
  rm -rf "$box" 2>/dev/null
done

if [ "$failing" -gt 0 ]; then
  echo "failing cases: ${failed_names[*]}"
fi
echo "corpus: $n cases, $clean clean, $failing failing"
[ "$n" -gt 0 ] && [ "$failing" -eq 0 ]
