// Experimental designs over the unit hypercube: full factorial index tuples, Latin hypercube, unscrambled
// Sobol' points (Joe & Kuo direction numbers, the same points as scipy.stats.qmc.Sobol(d, scramble=False)),
// Saltelli's scheme for Sobol' indices and Morris trajectories. Pure functions: no parameters, no files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace govsim::design {

// Index tuples of a full factorial, the last factor varying fastest.
std::vector<std::vector<std::size_t>> factorial(const std::vector<std::size_t>& sizes);

// n points in [0,1)^d; in every dimension exactly one point per stratum [i/n, (i+1)/n). Keyed by `seed` only.
std::vector<std::vector<double>> latin_hypercube(std::size_t n, std::size_t d, std::uint64_t seed);

// The first n points of the d-dimensional unscrambled Sobol' sequence after skipping `skip` points
// (point 0 is the origin). d <= sobol_max_dims().
std::vector<std::vector<double>> sobol(std::size_t n, std::size_t d, std::size_t skip = 0);
std::size_t sobol_max_dims();

// A row of a sampling design: a point of the unit hypercube, the block it belongs to and its group.
struct SampleRow {
  std::vector<double> u;  // in [0,1)^d; Morris points lie on a grid of [0,1]^d
  std::string block;   // saltelli: "A", "B", "AB1".."ABd" (1-based factor); morris: see morris(); else ""
  std::int64_t group;  // saltelli: base point j; morris: trajectory; else the row index
};

// Saltelli (2010) without second order: N*(d+2) rows, for each base point j the rows A_j, AB_j^1..AB_j^d,
// B_j, where A and B are the two halves of a 2d-dimensional Sobol' sequence (its origin skipped).
std::vector<SampleRow> saltelli(std::size_t n, std::size_t d);

// Morris (1991) elementary-effects design: r trajectories of d+1 points on a `levels`-level grid
// {0, 1/(levels-1), ..., 1}, step delta = levels/(2(levels-1)); each trajectory changes one factor per
// step by +delta or -delta, in a random order (Campolongo et al. 2007 form). `levels` must be even (so
// that delta is a whole number of grid intervals). Keyed by `seed`. Blocks: "step0" for a trajectory's
// start, "step<k>:<i>" for its k-th step (k = 1..d), which changed factor i (1-based); group = trajectory.
std::vector<SampleRow> morris(std::size_t r, std::size_t d, int levels, std::uint64_t seed);

}  // namespace govsim::design
