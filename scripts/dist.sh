#!/usr/bin/env bash
# Writes a source tarball, govsim-VERSION.tar.gz (VERSION from CMakeLists.txt's project()), from git archive:
# every tracked file under govsim-VERSION/, plus .govsim-revision (the `git describe` it came from), so that
# building it needs no git and `govsim --version` still names the revision.
# Usage: scripts/dist.sh [--out DIR] [--worktree]
#   --out DIR     where to write the tarball (default: the current directory); its path is printed
#   --worktree    archive the working tree's tracked files as they are now (uncommitted edits included, the
#                 revision marked -dirty), not the last commit
set -euo pipefail
out=.
worktree=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    --worktree) worktree=1; shift ;;
    *) echo "dist.sh: unknown argument '$1' (usage: scripts/dist.sh [--out DIR] [--worktree])" >&2; exit 2 ;;
  esac
done
src=$(cd "$(dirname "$0")/.." && pwd)
git -C "$src" rev-parse --git-dir >/dev/null 2>&1 || { echo "dist.sh: $src is not a git work tree" >&2; exit 2; }
version=$(sed -n 's/^project(govsim VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[ -n "$version" ] || { echo "dist.sh: no project(govsim VERSION ...) in $src/CMakeLists.txt" >&2; exit 2; }
name=govsim-$version
tree=HEAD
if [ "$worktree" = 1 ]; then
  # A commit object of the working tree that touches no branch, index or stash (empty when it is clean).
  tree=$(git -C "$src" stash create)
  [ -n "$tree" ] || tree=HEAD
  revision=$(git -C "$src" describe --always --dirty --abbrev=12)
else
  revision=$(git -C "$src" describe --always --abbrev=12 HEAD)
fi
mkdir -p "$out"
tarball=$(cd "$out" && pwd)/$name.tar.gz
stage=$(mktemp -d)
partial=$tarball.tmp.$$
trap 'rm -rf "$stage" "$partial"' EXIT
printf '%s\n' "$revision" > "$stage/.govsim-revision"
git -C "$src" archive --format=tar --prefix="$name/" --add-file="$stage/.govsim-revision" "$tree" |
  gzip -n -9 > "$partial"
mv "$partial" "$tarball"  # complete or not there
echo "$tarball"
