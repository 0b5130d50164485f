#include "experiment/abc_smc.h"

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "params/registry.h"
#include "util/text.h"

namespace govsim::abc {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Sub-streams of Purpose::kCalibration: one per use of randomness.
enum Sub : std::uint32_t {
  kPriorDraw = 0,
  kKernel = 1,
  kAccept = 2,
  kResample = 3,
  kSeed = 4,
  kPredictive = 5
};

Rng stream(std::uint64_t seed, std::size_t particle, int generation, Sub sub) {
  return Rng(seed, Purpose::kCalibration, static_cast<std::uint32_t>(particle),
             static_cast<std::uint32_t>(generation), sub);
}

double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

// Systematic resampling (Kitagawa 1996): `count` indices from normalised weights with one uniform.
std::vector<std::size_t> systematic(const std::vector<double>& w, std::size_t count, double u) {
  std::vector<std::size_t> out;
  out.reserve(count);
  const double total = std::accumulate(w.begin(), w.end(), 0.0);  // 1 up to rounding
  double cum = w.empty() ? 0 : w[0];
  std::size_t i = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const double t = total * (static_cast<double>(k) + u) / static_cast<double>(count);
    while ((t > cum || w[i] <= 0) && i + 1 < w.size()) cum += w[++i];
    out.push_back(i);
  }
  return out;
}

// The number of a particle's simulations within tolerance `eps`.
int within(const std::vector<double>& d, double eps) {
  int n = 0;
  for (double x : d) n += x <= eps ? 1 : 0;
  return n;
}

void normalise(std::vector<double>& w) {
  const double s = std::accumulate(w.begin(), w.end(), 0.0);
  if (s > 0)
    for (double& x : w) x /= s;
}

// Weights reweighted from tolerance `from` to `to`: W_i A_i(to) / A_i(from) (Del Moral et al. 2012, eq. 12).
std::vector<double> reweighted(const Generation& g, double from, double to) {
  std::vector<double> w(g.weight.size(), 0.0);
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (g.weight[i] <= 0) continue;
    const int a = within(g.distance[i], from);
    if (a > 0) w[i] = g.weight[i] * within(g.distance[i], to) / a;
  }
  normalise(w);
  return w;
}

// The next tolerance: the smallest distance below `last` at which the effective sample size still keeps a
// share alpha of `last_ess` (scanning down, stopping at the first that does not), never below the final
// tolerance; `last` if no distance lies below it. With every distance below the largest candidate the ESS
// is a step function, so the equation ESS = alpha ESS_last of the paper is solved on the distances.
double next_tolerance(const Generation& g, double last, double last_ess, const Settings& s) {
  std::vector<double> cand;
  for (std::size_t i = 0; i < g.distance.size(); ++i)
    if (g.weight[i] > 0)
      for (double d : g.distance[i])
        if (d < last && d >= s.tolerance) cand.push_back(d);
  if (s.tolerance > 0 && s.tolerance < last) cand.push_back(s.tolerance);
  std::sort(cand.begin(), cand.end(), std::greater<>());
  cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
  // Only tolerances some particle meets (a positive ESS); none: keep the last one.
  while (!cand.empty() && ess(reweighted(g, last, cand.back())) <= 0) cand.pop_back();
  if (cand.empty()) return last;
  // The ESS falls (weakly) as the tolerance falls: bisect for the last candidate that keeps alpha of it, or
  // the largest one (the least reduction possible) if even that loses more.
  std::size_t lo = 0, hi = cand.size();  // cand[0, lo) keep enough; cand[hi, end) do not
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (ess(reweighted(g, last, cand[mid])) >= s.ess_keep * last_ess)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo == 0 ? cand.front() : cand[lo - 1];
}

// Cholesky factor of the kernel covariance: kernel_scale times the weighted covariance of the living
// particles, with a floor on the diagonal so that a collapsed population still moves.
Eigen::MatrixXd kernel_factor(const Generation& g, const std::vector<Prior>& priors, double scale) {
  const auto d = static_cast<Eigen::Index>(priors.size());
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(d);
  for (std::size_t i = 0; i < g.z.size(); ++i)
    for (Eigen::Index j = 0; j < d; ++j) mean(j) += g.weight[i] * g.z[i][static_cast<std::size_t>(j)];
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(d, d);
  for (std::size_t i = 0; i < g.z.size(); ++i) {
    Eigen::VectorXd x(d);
    for (Eigen::Index j = 0; j < d; ++j) x(j) = g.z[i][static_cast<std::size_t>(j)] - mean(j);
    cov += g.weight[i] * x * x.transpose();
  }
  const double w2 = std::inner_product(g.weight.begin(), g.weight.end(), g.weight.begin(), 0.0);
  if (w2 < 1) cov /= 1 - w2;  // unbiased weighted covariance
  cov *= scale;
  for (Eigen::Index j = 0; j < d; ++j) {
    // A prior's spread on z sets the floor: 1e-6 of its width (or sd) squared.
    const Prior& p = priors[static_cast<std::size_t>(j)];
    double width = p.kind == Prior::Kind::kNormal ? p.b : p.z_of(p.upper()) - p.z_of(p.lower());
    if (!std::isfinite(width) || width <= 0) width = p.b;
    cov(j, j) = std::max(cov(j, j), 1e-6 * width * width);
  }
  Eigen::LLT<Eigen::MatrixXd> llt(cov);
  if (llt.info() != Eigen::Success) {  // not positive definite: keep the variances only
    Eigen::MatrixXd diag = cov.diagonal().asDiagonal();
    return diag.cwiseSqrt();
  }
  return llt.matrixL();
}

// The simulator's answer has one row per proposal and `replicates` simulations each.
void check_shape(const Stats& stats, std::size_t proposals, int replicates) {
  bool ok = stats.size() == proposals;
  for (const auto& p : stats) ok = ok && p.size() == static_cast<std::size_t>(replicates);
  if (!ok) throw std::runtime_error("ABC-SMC: the simulations do not match the proposals and replicates");
}

double log_prior(const std::vector<Prior>& priors, const std::vector<double>& z) {
  double lp = 0;
  for (std::size_t j = 0; j < priors.size(); ++j) lp += priors[j].log_density(z[j]);
  return lp;
}

std::vector<std::vector<double>> distances(const Stats& stats, const std::vector<double>& observed,
                                           const std::vector<double>& scale) {
  std::vector<std::vector<double>> d(stats.size());
  for (std::size_t i = 0; i < stats.size(); ++i)
    for (const auto& s : stats[i]) d[i].push_back(distance(s, observed, scale));
  return d;
}

}  // namespace

double Prior::log_density(double z) const {
  switch (kind) {
    case Kind::kUniform:
      return z >= a && z <= b ? 0.0 : -kInf;
    case Kind::kLogUniform:
      return z >= std::log(a) && z <= std::log(b) ? 0.0 : -kInf;
    case Kind::kNormal:
      return -0.5 * ((z - a) / b) * ((z - a) / b);
    case Kind::kTruncatedNormal:
      return z >= lo && z <= hi ? -0.5 * ((z - a) / b) * ((z - a) / b) : -kInf;
  }
  return -kInf;
}

double Prior::draw(Rng& rng) const {
  const double u = rng.uniform();
  switch (kind) {
    case Kind::kUniform:
      return a + u * (b - a);
    case Kind::kLogUniform:
      return std::log(a) + u * (std::log(b) - std::log(a));
    case Kind::kNormal:
      return a + b * boost::math::quantile(boost::math::normal(), u);
    case Kind::kTruncatedNormal: {
      // Inverse CDF within the truncation: exact, one draw, whatever share of the mass is cut; in the upper
      // tail through the complementary CDF, where the CDF itself rounds to 1.
      const boost::math::normal n01;
      if (lo > a) {
        const double ql = normal_cdf(-(lo - a) / b), qh = normal_cdf(-(hi - a) / b);  // upper-tail masses
        const double q = std::clamp(ql - u * (ql - qh), 1e-300, 1 - 1e-16);
        return std::clamp(a + b * boost::math::quantile(boost::math::complement(n01, q)), lo, hi);
      }
      const double pl = normal_cdf((lo - a) / b), ph = normal_cdf((hi - a) / b);
      const double p = std::clamp(pl + u * (ph - pl), 1e-300, 1 - 1e-16);
      return std::clamp(a + b * boost::math::quantile(n01, p), lo, hi);
    }
  }
  return a;
}

double Prior::value(double z) const {
  const double x = kind == Kind::kLogUniform ? std::exp(z) : z;
  return integer ? std::round(x) : x;
}

double Prior::z_of(double x) const {
  return kind == Kind::kLogUniform ? std::log(x) : x;
}

double Prior::lower() const {
  return kind == Kind::kUniform || kind == Kind::kLogUniform ? a : lo;
}

double Prior::upper() const {
  return kind == Kind::kUniform || kind == Kind::kLogUniform ? b : hi;
}

std::string Prior::text() const {
  switch (kind) {
    case Kind::kUniform:
      return "uniform(" + format_real(a) + ", " + format_real(b) + ")";
    case Kind::kLogUniform:
      return "loguniform(" + format_real(a) + ", " + format_real(b) + ")";
    case Kind::kNormal:
      return "normal(" + format_real(a) + ", " + format_real(b) + ")";
    case Kind::kTruncatedNormal:
      return "truncnormal(" + format_real(a) + ", " + format_real(b) + ", " + format_real(lo) + ", " +
             format_real(hi) + ")";
  }
  return "";
}

Prior parse_prior(const std::string& key, const std::string& text, const std::string& where) {
  const std::string head = where + ": key '" + key + "': ";
  const auto open = text.find('('), close = text.rfind(')');
  if (open == std::string::npos || close != text.size() - 1 || close < open)
    throw InputError(head +
                     "expected a prior such as uniform(lo, hi), loguniform(lo, hi), normal(mean, sd) " +
                     "or truncnormal(mean, sd, lo, hi), got '" + text + "'");
  const std::string name = trim(text.substr(0, open));
  const auto parts = split_list(text.substr(open + 1, close - open - 1));
  std::vector<double> v;
  for (const auto& p : parts) {
    try {
      v.push_back(parse_real(p));
    } catch (const std::invalid_argument&) {
      throw InputError(head + "'" + p + "' in '" + text + "' is not a number");
    }
    if (!std::isfinite(v.back())) throw InputError(head + "'" + p + "' in '" + text + "' is not finite");
  }
  Prior pr;
  pr.key = key;
  pr.where = where;
  auto need = [&](std::size_t n, const char* form) {
    if (v.size() != n) throw InputError(head + name + " takes " + form + ", got '" + text + "'");
  };
  if (name == "uniform" || name == "loguniform") {
    need(2, "(lo, hi)");
    pr.kind = name == "uniform" ? Prior::Kind::kUniform : Prior::Kind::kLogUniform;
    pr.a = v[0];
    pr.b = v[1];
    if (!(pr.a < pr.b)) throw InputError(head + "'" + text + "' needs lo < hi");
    if (name == "loguniform" && !(pr.a > 0)) throw InputError(head + "'" + text + "' needs lo > 0");
  } else if (name == "normal" || name == "truncnormal") {
    need(name == "normal" ? 2 : 4, name == "normal" ? "(mean, sd)" : "(mean, sd, lo, hi)");
    pr.kind = name == "normal" ? Prior::Kind::kNormal : Prior::Kind::kTruncatedNormal;
    pr.a = v[0];
    pr.b = v[1];
    if (!(pr.b > 0)) throw InputError(head + "'" + text + "' needs sd > 0");
    if (name == "truncnormal") {
      pr.lo = v[2];
      pr.hi = v[3];
      if (!(pr.lo < pr.hi)) throw InputError(head + "'" + text + "' needs lo < hi");
    }
  } else {
    throw InputError(head + "unknown prior '" + name + "' (known: uniform, loguniform, normal, truncnormal)");
  }
  return pr;
}

double distance(const std::vector<double>& stats, const std::vector<double>& observed,
                const std::vector<double>& scale) {
  double s = 0;
  for (std::size_t j = 0; j < stats.size(); ++j) {
    if (!std::isfinite(stats[j])) return kInf;
    const double r = (stats[j] - observed[j]) / scale[j];
    s += r * r;
  }
  return std::sqrt(s);
}

double ess(const std::vector<double>& w) {
  double s = 0, s2 = 0;
  for (double x : w) {
    s += x;
    s2 += x * x;
  }
  return s2 > 0 ? s * s / s2 : 0.0;
}

std::uint64_t simulation_seed(std::uint64_t seed, std::size_t particle, int generation, int move) {
  Rng r(seed, Purpose::kCalibration, static_cast<std::uint32_t>(particle),
        static_cast<std::uint32_t>(generation), kSeed + 16 * static_cast<std::uint32_t>(move));
  const std::uint64_t hi = r.next_u32(), lo = r.next_u32();
  return ((hi << 32) | lo) % 4000000000000000000ull;
}

std::vector<Generation> run(const std::vector<Prior>& priors, const Settings& s,
                            const std::vector<double>& observed, const std::vector<double>& scale,
                            const Simulate& simulate, const std::function<void(const Generation&)>& done) {
  const std::size_t N = s.particles, d = priors.size();
  std::vector<Generation> out;

  // Generation 0: N draws from the prior, all with weight 1/N and an infinite tolerance.
  {
    Generation g;
    std::vector<Proposal> batch(N);
    for (std::size_t i = 0; i < N; ++i) {
      batch[i].particle = i;
      for (std::size_t j = 0; j < d; ++j) {
        // One stream per (particle, parameter): adding a parameter leaves the others' draws unchanged.
        Rng r(s.seed, Purpose::kCalibration, static_cast<std::uint32_t>(i), 0,
              kPriorDraw + 16 * static_cast<std::uint32_t>(j + 1));
        batch[i].z.push_back(priors[j].draw(r));
      }
      batch[i].seed = simulation_seed(s.seed, i, 0, 0);
    }
    g.stats = simulate(0, 0, batch);
    check_shape(g.stats, batch.size(), s.replicates);
    g.distance = distances(g.stats, observed, scale);
    for (auto& p : batch) {
      g.z.push_back(std::move(p.z));
      g.seed.push_back(p.seed);
    }
    g.weight.assign(N, 1.0 / static_cast<double>(N));
    g.ess = static_cast<double>(N);
    g.simulated = N;
    out.push_back(std::move(g));
    if (done) done(out.back());
  }

  for (int n = 1; n <= s.generations; ++n) {
    const Generation& last = out.back();
    Generation g = last;
    g.index = n;
    g.resampled = false;
    g.proposed = g.simulated = g.accepted = 0;
    g.moves = 0;
    const bool scheduled = !s.schedule.empty();
    if (scheduled && static_cast<std::size_t>(n) > s.schedule.size()) break;
    const double eps = scheduled ? s.schedule[static_cast<std::size_t>(n) - 1]
                                 : next_tolerance(last, last.tolerance, last.ess, s);
    g.tolerance = eps;
    g.weight = reweighted(last, last.tolerance, eps);
    g.ess = ess(g.weight);
    if (g.ess <= 0)
      throw std::runtime_error("generation " + std::to_string(n) + ": no particle has a simulation within " +
                               "tolerance " + format_real(eps) + " (lower the schedule more gently)");

    // Resample when the population has degenerated (Del Moral et al. 2012, step 2).
    if (g.ess < s.resample_below * static_cast<double>(N)) {
      Rng r = stream(s.seed, 0, n, kResample);
      const auto idx = systematic(g.weight, N, r.uniform());
      Generation h = g;
      for (std::size_t i = 0; i < N; ++i) {
        h.z[i] = g.z[idx[i]];
        h.seed[i] = g.seed[idx[i]];
        h.distance[i] = g.distance[idx[i]];
        h.stats[i] = g.stats[idx[i]];
      }
      h.weight.assign(N, 1.0 / static_cast<double>(N));
      h.ess = static_cast<double>(N);
      h.resampled = true;
      g = std::move(h);
    }

    // Metropolis-Hastings moves of every living particle, with a Gaussian random walk on z; the kernel is
    // set once per generation, from the population before the moves.
    const Eigen::MatrixXd L = kernel_factor(g, priors, s.kernel_scale);
    int planned = 1;
    for (int m = 0; m < planned; ++m) {
      std::vector<Proposal> batch;
      std::vector<double> lp_new;
      std::size_t proposed = 0, accepted = 0;
      for (std::size_t i = 0; i < N; ++i) {
        if (g.weight[i] <= 0) continue;
        ++proposed;
        Rng r(s.seed, Purpose::kCalibration, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(n),
              kKernel + 16 * static_cast<std::uint32_t>(m));
        Eigen::VectorXd xi(static_cast<Eigen::Index>(d));
        for (std::size_t j = 0; j < d; ++j) xi(static_cast<Eigen::Index>(j)) = r.normal();
        const Eigen::VectorXd step = L * xi;
        Proposal p;
        p.particle = i;
        for (std::size_t j = 0; j < d; ++j) p.z.push_back(g.z[i][j] + step(static_cast<Eigen::Index>(j)));
        const double lp = log_prior(priors, p.z);
        if (!std::isfinite(lp)) continue;  // outside the prior's support: rejected without a simulation
        p.seed = simulation_seed(s.seed, i, n, m);
        batch.push_back(std::move(p));
        lp_new.push_back(lp);
      }
      const Stats stats = simulate(n, m, batch);
      check_shape(stats, batch.size(), s.replicates);
      const auto dist = distances(stats, observed, scale);
      for (std::size_t b = 0; b < batch.size(); ++b) {
        const std::size_t i = batch[b].particle;
        const int a_new = within(dist[b], eps);
        if (a_new == 0) continue;
        const int a_old = within(g.distance[i], eps);
        Rng r(s.seed, Purpose::kCalibration, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(n),
              kAccept + 16 * static_cast<std::uint32_t>(m));
        const double log_ratio = std::log(static_cast<double>(a_new)) -
                                 std::log(static_cast<double>(std::max(a_old, 1))) + lp_new[b] -
                                 log_prior(priors, g.z[i]);
        if (std::log(r.uniform()) < log_ratio) {
          g.z[i] = batch[b].z;
          g.seed[i] = batch[b].seed;
          g.distance[i] = dist[b];
          g.stats[i] = stats[b];
          ++accepted;
        }
      }
      g.moves = m + 1;
      g.proposed += proposed;
      g.simulated += batch.size();
      g.accepted += accepted;
      if (m == 0) {
        const double a = proposed ? static_cast<double>(accepted) / static_cast<double>(proposed) : 0.0;
        g.acceptance = a;
        // Enough moves that a particle stays put with probability `stay` (Drovandi & Pettitt 2011); none
        // more once the sampler is about to stop for a low acceptance.
        if (a >= s.min_acceptance && a > 0 && s.max_moves > 1)
          planned = a >= 1 ? 1
                           : static_cast<int>(std::clamp(std::ceil(std::log(s.stay) / std::log(1 - a)), 1.0,
                                                         static_cast<double>(s.max_moves)));
      }
    }
    out.push_back(std::move(g));
    if (done) done(out.back());
    const Generation& h = out.back();
    if (!scheduled && s.tolerance > 0 && h.tolerance <= s.tolerance) break;
    if (h.acceptance < s.min_acceptance) break;
  }
  return out;
}

Posterior summarise(const std::vector<Prior>& priors, const Generation& g, bool with_map) {
  const std::size_t d = priors.size(), N = g.z.size();
  Posterior p;
  p.ess = ess(g.weight);
  std::vector<std::vector<double>> x(N, std::vector<double>(d));
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t j = 0; j < d; ++j) x[i][j] = priors[j].value(g.z[i][j]);
  p.mean.assign(d, 0);
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t j = 0; j < d; ++j) p.mean[j] += g.weight[i] * x[i][j];
  std::vector<std::vector<double>> cov(d, std::vector<double>(d, 0));
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t j = 0; j < d; ++j)
      for (std::size_t k = 0; k < d; ++k)
        cov[j][k] += g.weight[i] * (x[i][j] - p.mean[j]) * (x[i][k] - p.mean[k]);
  p.correlation.assign(d, std::vector<double>(d, 0));
  for (std::size_t j = 0; j < d; ++j) {
    p.sd.push_back(std::sqrt(cov[j][j]));
    for (std::size_t k = 0; k < d; ++k) {
      const double den = std::sqrt(cov[j][j] * cov[k][k]);
      p.correlation[j][k] = j == k ? 1.0 : den > 0 ? cov[j][k] / den : 0.0;
    }
  }
  // Weighted quantiles: the smallest x whose cumulative weight reaches q.
  for (std::size_t j = 0; j < d; ++j) {
    std::vector<std::size_t> order(N);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return x[a][j] < x[b][j]; });
    auto quantile = [&](double q) {
      double cum = 0;
      for (std::size_t i : order) {
        cum += g.weight[i];
        if (cum >= q) return x[i][j];
      }
      return x[order.back()][j];
    };
    p.q025.push_back(quantile(0.025));
    p.q50.push_back(quantile(0.5));
    p.q975.push_back(quantile(0.975));
  }
  // MAP: the weighted Gaussian KDE on z at each living particle, its largest value (the first on ties).
  if (with_map) {
    const auto D = static_cast<Eigen::Index>(d);
    Eigen::VectorXd zm = Eigen::VectorXd::Zero(D);
    for (std::size_t i = 0; i < N; ++i)
      for (std::size_t j = 0; j < d; ++j) zm(static_cast<Eigen::Index>(j)) += g.weight[i] * g.z[i][j];
    Eigen::MatrixXd kde_cov = Eigen::MatrixXd::Zero(D, D);
    for (std::size_t i = 0; i < N; ++i) {
      Eigen::VectorXd v(D);
      for (std::size_t j = 0; j < d; ++j)
        v(static_cast<Eigen::Index>(j)) = g.z[i][j] - zm(static_cast<Eigen::Index>(j));
      kde_cov += g.weight[i] * v * v.transpose();
    }
    const double ww = std::inner_product(g.weight.begin(), g.weight.end(), g.weight.begin(), 0.0);
    if (ww < 1) kde_cov /= 1 - ww;
    const double neff = ww > 0 ? 1.0 / ww : 1.0;
    kde_cov *= std::pow(neff, -2.0 / (static_cast<double>(d) + 4.0));
    for (Eigen::Index j = 0; j < D; ++j) kde_cov(j, j) = std::max(kde_cov(j, j), 1e-300);
    Eigen::LLT<Eigen::MatrixXd> llt(kde_cov);
    if (llt.info() != Eigen::Success) {  // collinear particles: the variances alone
      const Eigen::MatrixXd diag = kde_cov.diagonal().asDiagonal();
      llt.compute(diag);
    }
    double best = -INFINITY;
    bool found = false;
    for (std::size_t i = 0; i < N; ++i) {
      if (g.weight[i] <= 0) continue;
      if (!found) p.map_particle = i;  // the first living particle, whatever the densities
      found = true;
      double dens = 0;
      for (std::size_t k = 0; k < N; ++k) {
        if (g.weight[k] <= 0) continue;
        Eigen::VectorXd v(D);
        for (std::size_t j = 0; j < d; ++j) v(static_cast<Eigen::Index>(j)) = g.z[i][j] - g.z[k][j];
        dens += g.weight[k] * std::exp(-0.5 * llt.matrixL().solve(v).squaredNorm());
      }
      if (std::isfinite(dens) && dens > best) {
        best = dens;
        p.map_particle = i;
      }
    }
    for (std::size_t j = 0; j < d; ++j) p.map.push_back(priors[j].value(g.z[p.map_particle][j]));
  }
  return p;
}

std::vector<std::size_t> draw_particles(const Generation& g, std::size_t count, std::uint64_t seed) {
  Rng r = stream(seed, 0, g.index, kPredictive);
  std::vector<double> w = g.weight;
  normalise(w);
  return systematic(w, count, r.uniform());
}

}  // namespace govsim::abc
