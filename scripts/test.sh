#!/usr/bin/env bash
# Command 2 of the README (and all of CI): installs what is missing, builds everything with warnings as
# errors, and runs every test (unit, regression, determinism, read-back, bad input, docs, MPI, and jobs on
# a real single-node Slurm cluster that the tests start and stop: needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# An MPI build of govsim and its MPI checks; the test build below is not MPI, its CTest runs these under
# mpirun and srun (labels `mpi` and `cluster`).
cmake -S . -B build-test-mpi -G Ninja -DCMAKE_BUILD_TYPE=Release -DGOVSIM_WERROR=ON -DGOVSIM_MPI=ON \
      -DGOVSIM_BUILD_TESTS=OFF -DGOVSIM_BUILD_BENCHMARKS=OFF
cmake --build build-test-mpi --target govsim govsim_mpi_queue_check
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Release -DGOVSIM_WERROR=ON -DGOVSIM_BUILD_TESTS=ON \
      -DGOVSIM_MPI_BINARY="$PWD/build-test-mpi/src/govsim"
cmake --build build-test
cd build-test
# The long validation variants (label `long`) are for researchers: `ctest -L long`.
ctest --output-on-failure -j "$(nproc)" -LE long
