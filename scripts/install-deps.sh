#!/usr/bin/env bash
# Installs the Debian packages govsim needs to build, test and read its output.
# Idempotent: skips apt entirely when every package is already installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libboost-program-options-dev libeigen3-dev libhdf5-dev hdf5-tools
  librandom123-dev libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-h5py python3-numpy python3-pandas python3-xarray python3-h5netcdf
  time
)

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
