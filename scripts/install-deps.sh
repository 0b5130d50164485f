#!/usr/bin/env bash
# Installs the Debian packages govsim needs to build, test and read its output.
# Usage: install-deps.sh [--test]   (--test adds what only the test command needs)
# Idempotent: skips apt entirely when every package is already installed. Without root (and no sudo) or off
# Debian it installs nothing and exits 0: the packages are then optional, and CMake names what is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libboost-program-options-dev libeigen3-dev libhdf5-dev hdf5-tools nlohmann-json3-dev
  librandom123-dev libdeflate-dev libxxhash-dev libgtest-dev libgmock-dev libbenchmark-dev
  # govsim serve: the web server and the page's charts
  libcpp-httplib-dev libjs-chart.js
  python3 python3-h5py python3-numpy python3-pandas python3-xarray python3-h5netcdf
  time
  # analysis/ (figures, statistics, govsim report); scipy also checks the Sobol' points (tests/design);
  # scikit-learn's decision tree is the CART of scenario discovery (govsim_analysis.discovery)
  python3-matplotlib python3-scipy python3-statsmodels python3-sklearn
)
# Only the test command needs these: a real Slurm cluster, Open MPI, notebooks, a headless browser and clang.
if [ "${1:-}" = "--test" ]; then
  PACKAGES+=(
    slurm-wlm slurmctld slurmd slurm-client munge
    openmpi-bin libopenmpi-dev
    python3-pytest jupyter-nbconvert python3-nbclient python3-ipykernel
    chromium
    # tests/serve: the page driven in headless Chromium
    chromium-driver python3-selenium
    # scripts/fuzz.sh: clang with libFuzzer and the sanitizer runtimes, and the OpenMP runtime clang links
    clang-14 libclang-rt-14-dev libomp-14-dev
  )
fi

if ! command -v dpkg-query >/dev/null; then
  echo "install-deps: not a Debian system (no dpkg-query): nothing installed; the build uses what CMake finds" >&2
  exit 0
fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  # Without root (a cluster, a shared workstation) the packages are optional: CMake finds the dependencies
  # wherever they are (modules, copies under $HOME) and names any that is missing (README, "On a cluster").
  if ! command -v sudo >/dev/null || ! sudo -n true 2>/dev/null; then
    echo "install-deps: not root, so not installing ${missing[*]}; the build uses what CMake finds" >&2
    exit 0
  fi
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
