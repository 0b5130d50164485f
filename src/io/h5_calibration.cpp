#include "io/h5_calibration.h"

#include "io/h5_detail.h"
#include "util/version.h"

namespace govsim {

namespace {

using h5::check;
using h5::H;

template <class T>
void write_nd(hid_t loc, const std::string& name, hid_t file_type, hid_t mem_type,
              const std::vector<hsize_t>& dims, const std::vector<T>& v, const std::string& long_name) {
  hsize_t n = 1;
  for (hsize_t d : dims) n *= d;
  if (n != v.size())
    throw std::runtime_error("calibration file: " + name + " has the wrong number of values");
  H space(dims.empty() ? H5Screate(H5S_SCALAR)
                       : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
          H5Sclose);
  H d(H5Dcreate2(loc, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
      "HDF5: create dataset");
  if (n) check(H5Dwrite(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "write");
  h5::attr_text(d, "long_name", long_name);
}

void reals(hid_t loc, const std::string& name, const std::vector<hsize_t>& dims, const std::vector<double>& v,
           const std::string& long_name) {
  write_nd(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dims, v, long_name);
}

void ints(hid_t loc, const std::string& name, const std::vector<hsize_t>& dims,
          const std::vector<std::int64_t>& v, const std::string& long_name) {
  write_nd(loc, name, H5T_STD_I64LE, H5T_NATIVE_INT64, dims, v, long_name);
}

void uints(hid_t loc, const std::string& name, const std::vector<hsize_t>& dims,
           const std::vector<std::uint64_t>& v, const std::string& long_name) {
  write_nd(loc, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, dims, v, long_name);
}

void texts(hid_t loc, const std::string& name, const std::vector<std::string>& v,
           const std::string& long_name) {
  h5::write_strings(loc, name, v, -1);
  H d(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), H5Dclose, "HDF5: open dataset");
  h5::attr_text(d, "long_name", long_name);
}

hid_t group(hid_t loc, const char* name) {
  return H5Gcreate2(loc, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
}

}  // namespace

void write_calibration(const std::string& path, const CalibrationRecord& c) {
  const hsize_t G = c.tolerance.size(), N = c.particles, M = c.replicates, P = c.parameters.size(),
                T = c.targets.size(), K = c.predictive_particle.size();
  h5::write_atomically(path, [&](const std::string& tmp) {
    H f(h5::create_file(tmp), H5Fclose, "HDF5: create file");
    h5::attr_text(f, "kind", "calibration");
    h5::attr_int(f, "calibration_version", 1);
    h5::attr_text(f, "govsim_version", govsim_version());
    h5::attr_text(f, "git_revision", git_revision());
    h5::attr_text(f, "command_line", c.command_line);
    h5::attr_text(f, "created", h5::now_utc());
    h5::attr_text(f, "config", c.config_text);
    for (const auto& [k, v] : c.attributes) h5::attr_text(f, k, v);
    {
      H g(group(f, "parameters"), H5Gclose, "HDF5: create group");
      texts(g, "name", c.parameters, "calibrated parameter");
      texts(g, "prior", c.priors, "prior, as written");
      ints(g, "integer", {P}, c.integer, "1: an integer parameter (the model sees the rounded value)");
    }
    {
      H g(group(f, "targets"), H5Gclose, "HDF5: create group");
      texts(g, "name", c.targets, "target");
      texts(g, "metric", c.metrics, "metric of a run");
      ints(g, "first_day", {T}, c.first_day, "first day of the window (-1: none)");
      ints(g, "last_day", {T}, c.last_day, "last day of the window, inclusive (-1: none)");
      reals(g, "observed", {T}, c.observed, "observed value");
      reals(g, "se", {T}, c.se, "standard error of the observed value (the distance's scale)");
    }
    {
      H g(group(f, "generations"), H5Gclose, "HDF5: create group");
      reals(g, "tolerance", {G}, c.tolerance, "ABC tolerance (inf for the prior's generation)");
      reals(g, "ess", {G}, c.ess, "effective sample size of the weights after the moves");
      reals(g, "acceptance", {G}, c.acceptance,
            "first move's acceptance rate (NaN for the prior's generation)");
      ints(g, "resampled", {G}, c.resampled, "1: resampled before the moves");
      ints(g, "moves", {G}, c.moves, "Metropolis-Hastings moves");
      ints(g, "proposed", {G}, c.proposed, "moves proposed, summed over the moves");
      ints(g, "simulated", {G}, c.simulated, "proposals simulated (inside the prior's support)");
      ints(g, "accepted", {G}, c.accepted, "moves accepted");
    }
    {
      H g(group(f, "particles"), H5Gclose, "HDF5: create group");
      reals(g, "theta", {G, N, P}, c.theta, "parameter values [generation, particle, parameter]");
      reals(g, "weight", {G, N}, c.weight, "normalised weight [generation, particle]");
      uints(g, "seed", {G, N}, c.seed, "run.seed of the particle's simulations [generation, particle]");
      reals(g, "distance", {G, N, M}, c.distance,
            "distance to the targets [generation, particle, replicate]");
      reals(g, "stats", {G, N, M, T}, c.stats, "target metrics [generation, particle, replicate, target]");
    }
    {
      H g(group(f, "posterior"), H5Gclose, "HDF5: create group");
      reals(g, "mean", {P}, c.mean, "posterior mean");
      reals(g, "sd", {P}, c.sd, "posterior standard deviation");
      reals(g, "q025", {P}, c.q025, "posterior 2.5% quantile");
      reals(g, "q50", {P}, c.q50, "posterior median");
      reals(g, "q975", {P}, c.q975, "posterior 97.5% quantile");
      reals(g, "map", {P}, c.map, "maximum a posteriori: the particle of highest weighted kernel density");
      ints(g, "map_particle", {}, std::vector<std::int64_t>{c.map_particle}, "the MAP particle's index");
      reals(g, "correlation", {P, P}, c.correlation, "posterior correlation [parameter, parameter]");
      reals(g, "ess", {}, std::vector<double>{c.posterior_ess},
            "effective sample size of the last generation");
    }
    {
      H g(group(f, "predictive"), H5Gclose, "HDF5: create group");
      ints(g, "particle", {K}, c.predictive_particle, "particle of the last generation drawn");
      uints(g, "seed", {K}, c.predictive_seed, "run.seed of the posterior-predictive run");
      reals(g, "theta", {K, P}, c.predictive_theta, "parameter values [run, parameter]");
      reals(g, "stats", {K, T}, c.predictive_stats, "target metrics [run, target]");
    }
    check(H5Fflush(f, H5F_SCOPE_GLOBAL), "flush");
    f.close_checked("HDF5: close file");
  });
}

void write_optimisation(const std::string& path, const OptimisationRecord& o) {
  const hsize_t G = o.generations, N = o.population, D = o.decisions.size(), K = o.objectives.size(),
                C = o.constraints.size(), F = o.front.size();
  h5::write_atomically(path, [&](const std::string& tmp) {
    H f(h5::create_file(tmp), H5Fclose, "HDF5: create file");
    h5::attr_text(f, "kind", "optimisation");
    h5::attr_int(f, "optimisation_version", 1);
    h5::attr_text(f, "govsim_version", govsim_version());
    h5::attr_text(f, "git_revision", git_revision());
    h5::attr_text(f, "command_line", o.command_line);
    h5::attr_text(f, "created", h5::now_utc());
    h5::attr_text(f, "config", o.config_text);
    for (const auto& [k, v] : o.attributes) h5::attr_text(f, k, v);
    {
      H g(group(f, "decisions"), H5Gclose, "HDF5: create group");
      texts(g, "name", o.decisions, "decision (parameter)");
      reals(g, "lo", {D}, o.lo, "lower bound");
      reals(g, "hi", {D}, o.hi, "upper bound");
      ints(g, "integer", {D}, o.integer, "1: an integer parameter (searched continuously, run rounded)");
    }
    {
      H g(group(f, "objectives"), H5Gclose, "HDF5: create group");
      texts(g, "name", o.objectives, "objective");
      texts(g, "metric", o.objective_metrics, "metric of a run (mean over the candidate's replicates)");
      texts(g, "sense", o.senses, "minimise or maximise");
      ints(g, "first_day", {K}, o.objective_first, "first day of the window (-1: none)");
      ints(g, "last_day", {K}, o.objective_last, "last day of the window, inclusive (-1: none)");
    }
    {
      H g(group(f, "constraints"), H5Gclose, "HDF5: create group");
      texts(g, "name", o.constraints, "constraint");
      texts(g, "metric", o.constraint_metrics, "metric of a run (mean over the candidate's replicates)");
      texts(g, "op", o.constraint_ops, "<= or >=");
      reals(g, "bound", {C}, o.bounds, "bound");
      ints(g, "first_day", {C}, o.constraint_first, "first day of the window (-1: none)");
      ints(g, "last_day", {C}, o.constraint_last, "last day of the window, inclusive (-1: none)");
    }
    {
      H g(group(f, "generations"), H5Gclose, "HDF5: create group");
      reals(g, "x", {G, N, D}, o.x, "decisions of each survivor [generation, candidate, decision]");
      reals(g, "objectives", {G, N, K}, o.objective_values,
            "objective values [generation, candidate, objective]");
      reals(g, "constraints", {G, N, C}, o.constraint_values,
            "constraint values [generation, candidate, constraint]");
      reals(g, "violation", {G, N}, o.violation,
            "total constraint violation, relative to the bounds (0: feasible)");
      ints(g, "rank", {G, N}, o.rank, "non-domination rank (0: the generation's front)");
      reals(g, "crowding", {G, N}, o.crowding, "crowding distance within its front (inf at the ends)");
    }
    {
      H g(group(f, "front"), H5Gclose, "HDF5: create group");
      ints(g, "index", {F}, o.front, "candidates of the last generation on its front (distinct decisions)");
    }
    check(H5Fflush(f, H5F_SCOPE_GLOBAL), "flush");
    f.close_checked("HDF5: close file");
  });
}

}  // namespace govsim
