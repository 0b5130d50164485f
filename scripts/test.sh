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
cd ..
# AddressSanitizer and UndefinedBehaviorSanitizer (gcc, -O1): the unit tests and the integration tests run again;
# an invalid access, a leak or undefined behaviour fails the test. Left out besides `long`, `mpi` and `cluster`:
# ASAN_SLOW, the integration tests that take over a minute under ASan (measured on 2 cores: the synthetic-truth
# calibration over 10 minutes, the analysis package's pytest 5, notebooks 02-05, the largest validation files,
# comparison and merge checks 1-1.5 each); they run the simulation the kept tests already cover.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g -DNDEBUG" \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g -DNDEBUG" -DGOVSIM_WERROR=ON -DGOVSIM_SANITIZE=ON \
      -DGOVSIM_BUILD_TESTS=ON -DGOVSIM_BUILD_BENCHMARKS=OFF
cmake --build build-asan
ASAN_SLOW='^(calibration\.synthetic_truth|analysis\.pytest|analysis\.notebook\.0[2-5]_|validation\.0[15789]_|'
ASAN_SLOW+='comparison\.joint_handling_and_downshift|merge\.virtual_and_copy)'
# HDF5's memory for a file it could not close (a full disk) is not freed at exit: tests/sanitizers/lsan.supp.
lsan_supp="$PWD/tests/sanitizers/lsan.supp"
# allocator_may_return_null: an allocation too large throws std::bad_alloc, as without ASan (govsim turns it
# into "out of memory"); the corpus's cases under `ulimit -v` cannot run under ASan (its shadow memory).
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 LSAN_OPTIONS="suppressions=$lsan_supp:print_suppressions=0" \
   GOVSIM_CORPUS_SKIP_ULIMIT=1 \
   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
   ctest --output-on-failure -j "$(nproc)" -LE 'long|mpi|cluster' -E "$ASAN_SLOW")
# libFuzzer over the scenario, experiment, calibration and optimisation parsers (clang, build-fuzz): 3 minutes.
scripts/fuzz.sh 180
