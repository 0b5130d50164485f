#!/usr/bin/env bash
# The README's "On a cluster", step by step, as an unprivileged user that this test creates: the source
# tarball (scripts/dist.sh), a build with the header-only dependencies unpacked under the user's home
# (<Name>_ROOT) and the rest found where they are, no root and no git; `cmake --install` to a prefix under the
# home; the prefix moved elsewhere and the source and build trees deleted; then, from the moved prefix:
# `govsim --version`, a shrunk main job, `govsim report` on it, and a two-task Slurm array of `govsim slurm`'s
# script on the test cluster, merged and verified.
# Usage: check_install.sh SOURCE_DIR   (needs root, git in SOURCE_DIR, and the test cluster up: label cluster)
set -euo pipefail
SRC=$(cd "$1" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (it creates a user)"; exit 77; }
for tool in useradd userdel runuser sbatch squeue git; do
  command -v "$tool" >/dev/null || fail "'$tool' not found"
done
git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1 || { echo "SKIP: $SRC is not a git clone (no tarball to make)"; exit 77; }

USER_NAME=govsim-cluster-user
BASE=$(mktemp -d /tmp/govsim-install.XXXXXX)
chmod 755 "$BASE"
H=$BASE/home
cleanup() {
  pkill -u "$USER_NAME" 2>/dev/null || true
  userdel --force "$USER_NAME" 2>/dev/null || true
  rm -rf "$BASE"
}
trap cleanup EXIT
userdel --force "$USER_NAME" 2>/dev/null || true  # left by a killed run
useradd --create-home --home-dir "$H" --shell /bin/bash --user-group "$USER_NAME"
# A login as the user: a clean environment (nothing of this test's), the user's home, no root.
as_user() {
  runuser -u "$USER_NAME" -- env -i HOME="$H" USER="$USER_NAME" LOGNAME="$USER_NAME" LANG=C.UTF-8 \
    PATH=/usr/local/bin:/usr/bin:/bin bash -euo pipefail -c "$1"
}
as_user '[ "$(id -u)" -ne 0 ] && touch ~/writable'

# Step 1, on the machine with the clone: the tarball, copied to the "cluster".
tarball=$("$SRC/scripts/dist.sh" --out "$BASE/dist" --worktree)
name=$(basename "$tarball" .tar.gz)
revision=$(tar xzf "$tarball" -O "$name/.govsim-revision")
[ -n "$revision" ] && [ "$revision" != unknown ] || fail "the tarball carries no revision"
install -o "$USER_NAME" -m 644 "$tarball" "$H/"

# Step 2: the header-only dependencies "unpacked under \$HOME", in their release archives' layouts (copies
# of Debian's headers: this machine reaches no download site). The rest (compiler, CMake, HDF5, Boost,
# libdeflate) stand for the cluster's modules.
D=$H/deps
mkdir -p "$D/eigen-3.4.0" "$D/Random123-1.14.0/include" "$D/json/include" "$D/xxHash-0.8.1"
cp -r /usr/include/eigen3/Eigen "$D/eigen-3.4.0/"
cp -r /usr/include/Random123 "$D/Random123-1.14.0/include/"
cp -r /usr/include/nlohmann "$D/json/include/"
cp /usr/include/xxhash.h "$D/xxHash-0.8.1/"
chown -R "$USER_NAME:$USER_NAME" "$D"
as_user "cd ~ && tar xzf $name.tar.gz && [ ! -e $name/.git ]" || fail "cannot unpack $name.tar.gz"
# Without root, install-deps.sh installs nothing and says so; it does not fail.
as_user "~/$name/scripts/install-deps.sh --test > ~/deps.log 2>&1" ||
  fail "install-deps.sh failed without root: $(cat "$H/deps.log")"
# A missing dependency stops the configuration with one message naming it and its variable.
as_user "cmake -S ~/$name -B ~/missing -DGOVSIM_BUILD_TESTS=OFF -DCMAKE_IGNORE_PREFIX_PATH='/usr;/' \
           > ~/missing.log 2>&1 && exit 1; grep -q 'govsim needs Boost.Program_options' ~/missing.log && \
           grep -q -- '-DBoost_ROOT=/path' ~/missing.log; rm -rf ~/missing ~/missing.log" ||
  fail "configuring without Boost did not name Boost and Boost_ROOT"

# Step 3: build and install, as the README says (Makefiles: a cluster may have no Ninja).
start=$(date +%s)
as_user "cd ~ &&
  cmake -S $name -B govsim-build -DCMAKE_BUILD_TYPE=Release -DGOVSIM_BUILD_TESTS=OFF \
        -DGOVSIM_BUILD_BENCHMARKS=OFF -DEigen3_ROOT=\$HOME/deps/eigen-3.4.0 \
        -DRandom123_ROOT=\$HOME/deps/Random123-1.14.0 -Dnlohmann_json_ROOT=\$HOME/deps/json \
        -DxxHash_ROOT=\$HOME/deps/xxHash-0.8.1 > configure.log &&
  cmake --build govsim-build -j $(nproc) > build.log 2>&1 &&
  cmake --install govsim-build --prefix \$HOME/opt/govsim > install.log" ||
  { tail -n 30 "$H"/configure.log "$H"/build.log 2>/dev/null; fail "the build from $name.tar.gz failed"; }
echo "built and installed in $(( $(date +%s) - start )) s"
cache=$H/govsim-build/CMakeCache.txt
for var in EIGEN3_INCLUDE_DIR RANDOM123_INCLUDE_DIR NLOHMANN_JSON_INCLUDE_DIR XXHASH_INCLUDE_DIR; do
  grep -q "^$var:PATH=$D/" "$cache" || fail "$var was not taken from \$HOME/deps: $(grep "^$var:" "$cache")"
done
for f in bin/govsim share/govsim/scenarios/main_comparison.ini share/govsim/analysis/govsim_analysis/report.py \
         share/govsim/analysis/notebooks/01_quickstart.ipynb share/govsim/docs/ODD.md share/govsim/README.md \
         share/govsim/web/index.html; do
  [ -e "$H/opt/govsim/$f" ] || fail "the install lacks $f"
done

# The prefix moves; nothing of the source or build tree is left.
as_user "mkdir -p ~/elsewhere && mv ~/opt/govsim ~/elsewhere/govsim-moved && rm -rf ~/$name ~/govsim-build ~/opt"
P=$H/elsewhere/govsim-moved
as_user "export PATH=$P/bin:\$PATH && cd ~ && govsim --version > version.txt"
v=$H/version.txt
grep -q "^govsim .* ($revision)" "$v" || fail "--version does not name the tarball's revision $revision: $(head -1 "$v")"
for want in "MPI            no" "OpenMP" "HDF5" "Boost" "binary         $P/bin/govsim" "data           $P/share/govsim"; do
  grep -qF "$want" "$v" || fail "--version lacks '$want':"$'\n'"$(cat "$v")"
done

# Steps 4 and 6: a shrunk main job, found by name in share/govsim/scenarios, and its report with the Python of
# a virtual environment (the system's packages: no package index here), as GOVSIM_PYTHON; the installed
# analysis package on PYTHONPATH imports.
as_user "export PATH=$P/bin:\$PATH && mkdir -p ~/results && cd ~ &&
  /usr/bin/python3 -m venv --system-site-packages --without-pip ~/venvs/govsim &&
  export GOVSIM_PYTHON=~/venvs/govsim/bin/python PYTHONPATH=$P/share/govsim/analysis &&
  \$GOVSIM_PYTHON -c 'import govsim_analysis' &&
  govsim run main_comparison.ini --set run.replicates=2 --set run.days=120 --out ~/results/main.h5 --quiet &&
  govsim report ~/results/main.h5 --out ~/results/report > report.log" || fail "the main job or its report failed"
grep -q "<img\|<svg" "$H/results/report/index.html" || fail "the report has no figure"

# Step 5: a Slurm sweep from the installed binary: an experiment of the user's that includes an installed
# scenario, govsim slurm's script submitted as written (2 tasks), merged and verified.
cat > "$H/my_sweep.ini" <<INI
include = $P/share/govsim/scenarios/baseline.ini

[run]
days = 60

[district]
communities = 4

[arms]
baseline =
joint_handling = run.mechanisms=joint_handling

[experiment]
design = factorial
replicates = 1

[vary]
grid.admin_tasks_per_day = 1, 2
INI
chown "$USER_NAME:$USER_NAME" "$H/my_sweep.ini"
as_user "export PATH=$P/bin:\$PATH && cd ~ &&
  govsim slurm my_sweep.ini --out ~/sweep --shards 2 --cpus-per-task 1 --pilot-days 5 > slurm.log"
grep -qF "$P/bin/govsim" "$H/sweep/sweep.sbatch" || fail "the script does not call the installed binary:
$(cat "$H/sweep/sweep.sbatch")"
job=$(as_user "cd ~ && sbatch --parsable sweep/sweep.sbatch")
job=${job%%;*}
deadline=$(( $(date +%s) + 300 ))
while [ -n "$(squeue -h -j "$job" 2>/dev/null)" ]; do
  if [ "$(date +%s)" -gt "$deadline" ]; then scancel "$job" || true; fail "Slurm job $job did not finish in 300 s"; fi
  sleep 0.5
done
owner=$(stat -c %U "$H/sweep/shard-0-of-2.h5" 2>/dev/null) || {
  tail -n 20 "$H"/sweep/slurm/* 2>/dev/null; fail "the array wrote no shard-0-of-2.h5"; }
[ "$owner" = "$USER_NAME" ] || fail "the shards belong to $owner, not to the user"
as_user "export PATH=$P/bin:\$PATH && cd ~ && govsim merge sweep --out results/sweep.h5 &&
  govsim verify results/sweep.h5 sweep > verify.log" || fail "merge or verify of the array's shards failed"
runs=$(/usr/bin/python3 -c "import h5py,sys; print(len(h5py.File(sys.argv[1])['runs/status']))" "$H/results/sweep.h5")
[ "$runs" = 4 ] || fail "the merged sweep holds $runs runs, not 4 (2 levels x 2 arms)"
echo "PASS: $name built, installed and moved as $USER_NAME (no root, no git, no source tree); main job,"\
     "report and a 2-task Slurm array ran from $P"
