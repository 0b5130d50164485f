#!/usr/bin/env bash
# Installs the Debian packages govsim needs to build, test and read its output.
# Usage: install-deps.sh [--test]   (--test adds what only the test command needs)
# Idempotent: skips apt entirely when every package is already installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libboost-program-options-dev libeigen3-dev libhdf5-dev hdf5-tools nlohmann-json3-dev
  librandom123-dev libdeflate-dev libxxhash-dev libgtest-dev libgmock-dev libbenchmark-dev
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
    # scripts/fuzz.sh: clang with libFuzzer and the sanitizer runtimes, and the OpenMP runtime clang links
    clang-14 libclang-rt-14-dev libomp-14-dev
  )
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
