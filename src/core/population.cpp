#include "core/population.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/rng.h"
#include "util/parallel_errors.h"

namespace govsim {

namespace {

std::uint8_t quantise(double p) {
  return static_cast<std::uint8_t>(std::lround(std::clamp(p, 0.0, 1.0) * 255.0));
}

float clamp01(double x) {
  return static_cast<float>(std::clamp(x, 0.0, 1.0));
}

}  // namespace

std::array<TypeWeights, kCommunityTypes> type_weights(const DistrictParams& d) {
  // One type's share and weights, from its parameters district.type_share_<t> and
  // district.<t>_<trait>_weight.
#define GOVSIM_TYPE_WEIGHTS(t)                                                                            \
  TypeWeights{d.type_share_##t,       d.t##_elderly_weight,                                               \
              d.t##_young_weight,     {d.t##_household_weight, d.t##_shared_weight, d.t##_public_weight}, \
              d.t##_unmanaged_weight, d.t##_staff_weight}
  // In the order of the type codes (/communities/type).
  std::array<TypeWeights, kCommunityTypes> w = {GOVSIM_TYPE_WEIGHTS(old), GOVSIM_TYPE_WEIGHTS(commercial),
                                                GOVSIM_TYPE_WEIGHTS(work_unit),
                                                GOVSIM_TYPE_WEIGHTS(resettled)};
#undef GOVSIM_TYPE_WEIGHTS
  return w;
}

TypeAges type_age_shares(const DistrictParams& d, const std::array<double, kCommunityTypes>& residents) {
  const auto w = type_weights(d);
  double total = 0, young = 0, elderly = 0;
  for (int t = 0; t < kCommunityTypes; ++t) {
    total += residents[t];
    young += residents[t] * w[t].young;
    elderly += residents[t] * w[t].elderly;
  }
  TypeAges a;
  for (int t = 0; t < kCommunityTypes; ++t) {
    // share x weight x (residents / weighted residents): the resident-weighted mean is the district's share.
    a.young[t] = young > 0 ? d.share_young * w[t].young * (total / young) : 0.0;
    a.elderly[t] = elderly > 0 ? d.share_elderly * w[t].elderly * (total / elderly) : 0.0;
  }
  return a;
}

std::array<double, kCommunityTypes> type_unmanaged_shares(const DistrictParams& d,
                                                          const std::array<double, kCommunityTypes>& grids) {
  const auto w = type_weights(d);
  double total = 0;
  for (double g : grids) total += g;
  // Water-filling: p_t = min(1, lambda * w_t); a type that reaches 1 is capped and the rest share what is
  // left.
  std::array<double, kCommunityTypes> p{};
  std::array<bool, kCommunityTypes> capped{};
  for (int round = 0; round <= kCommunityTypes; ++round) {
    double left = d.old_neighbourhood_share * total, weighted = 0;
    for (int t = 0; t < kCommunityTypes; ++t) {
      if (capped[t])
        left -= grids[t];
      else
        weighted += grids[t] * w[t].unmanaged;
    }
    const double lambda = weighted > 0 ? std::max(0.0, left) / weighted : 0.0;
    bool more = false;
    for (int t = 0; t < kCommunityTypes; ++t) {
      if (capped[t]) continue;
      p[t] = lambda * w[t].unmanaged;
      if (p[t] > 1.0) capped[t] = more = true;
    }
    if (!more) break;
  }
  for (int t = 0; t < kCommunityTypes; ++t) p[t] = capped[t] ? 1.0 : std::min(1.0, p[t]);
  return p;
}

World generate_world(const Params& p, std::uint64_t seed) {
  const auto& d = p.district;
  const auto& o = p.opinion;
  World w;
  const auto C = static_cast<std::uint32_t>(d.communities);
  if (d.share_young + d.share_elderly > 1.0)
    throw InputError("district.share_young + district.share_elderly must not exceed 1");

  // Pass 1: residents and grids per community (log-normal community sizes with the given CV).
  std::vector<std::uint64_t> n_res(C), n_grids(C);
  const double sigma = std::sqrt(std::log1p(d.community_size_cv * d.community_size_cv));
  for (std::uint32_t c = 0; c < C; ++c) {
    Rng rng(seed, Purpose::kPopulation, c, 0);
    const double size =
        sigma > 0 ? rng.lognormal_mean(d.residents_per_community, sigma) : d.residents_per_community;
    n_res[c] = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(size)));
    const double g = d.grids_per_community * size / d.residents_per_community;
    // Every grid holds at least one resident (a small community of a skewed draw may round to fewer).
    n_grids[c] = std::min(n_res[c], std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(g))));
  }
  // Community types: one uniform per community against the cumulative shares, on a purpose of its own so that
  // changing the shares moves no other draw.
  const auto tw = type_weights(d);
  auto& ctype = w.communities.type;
  ctype.resize(C);
  std::array<double, kCommunityTypes> type_res{}, type_grids{};
  for (std::uint32_t c = 0; c < C; ++c) {
    Rng rng(seed, Purpose::kCommunityType, c, 0);
    const double u = rng.uniform();
    int t = kCommunityTypes - 1;
    double acc = 0;
    for (int k = 0; k < kCommunityTypes - 1; ++k) {
      acc += tw[k].share;
      if (u < acc) {
        t = k;
        break;
      }
    }
    ctype[c] = static_cast<std::uint8_t>(t);
    type_res[t] += static_cast<double>(n_res[c]);
    type_grids[t] += static_cast<double>(n_grids[c]);
  }
  check_types(d, type_res, [&](const std::string&) { return "world of seed " + std::to_string(seed); });
  const TypeAges ages = type_age_shares(d, type_res);
  const auto unmanaged = type_unmanaged_shares(d, type_grids);

  const std::uint64_t N = std::accumulate(n_res.begin(), n_res.end(), std::uint64_t{0});
  if (N >= (1ull << 31)) throw InputError("district: more than 2^31 residents are not supported");
  std::vector<std::uint32_t> first_grid(C + 1, 0);
  for (std::uint32_t c = 0; c < C; ++c)
    first_grid[c + 1] = first_grid[c] + static_cast<std::uint32_t>(n_grids[c]);
  const std::uint32_t G = first_grid[C];

  // Pass 2: household sizes per grid (1 + Poisson(mean - 1)), filling the grid's share of residents.
  std::vector<std::vector<std::uint32_t>> hh_sizes(G);
  std::vector<std::uint32_t> grid_res(G);
  ParallelErrors errors;
#pragma omp parallel for schedule(dynamic, 4)
  for (std::int64_t ci = 0; ci < C; ++ci) {
    errors.run([&] {
      const auto c = static_cast<std::uint32_t>(ci);
      const std::uint32_t ng = first_grid[c + 1] - first_grid[c];
      for (std::uint32_t k = 0; k < ng; ++k) {
        const std::uint32_t g = first_grid[c] + k;
        const auto target = static_cast<std::uint32_t>(n_res[c] / ng + (k < n_res[c] % ng ? 1 : 0));
        grid_res[g] = std::max<std::uint32_t>(target, 1);
        Rng rng(seed, Purpose::kPopulation, g, 1);
        std::uint32_t left = grid_res[g];
        auto& sizes = hh_sizes[g];
        while (left > 0) {
          const std::uint32_t s = std::min(left, 1 + rng.poisson(d.household_size - 1.0));
          sizes.push_back(s);
          left -= s;
        }
      }
    });
  }
  errors.rethrow();

  // Offsets: grids -> households -> residents.
  auto& gr = w.grids;
  gr.first_household.assign(G + 1, 0);
  for (std::uint32_t g = 0; g < G; ++g)
    gr.first_household[g + 1] = gr.first_household[g] + static_cast<std::uint32_t>(hh_sizes[g].size());
  const std::uint32_t H = gr.first_household[G];
  w.households.first_resident.assign(H + 1, 0);
  {
    std::uint32_t r = 0;
    for (std::uint32_t g = 0; g < G; ++g) {
      std::uint32_t h = gr.first_household[g];
      for (auto s : hh_sizes[g]) {
        w.households.first_resident[h++] = r;
        r += s;
      }
    }
    w.households.first_resident[H] = r;
  }
  hh_sizes.clear();
  hh_sizes.shrink_to_fit();

  // Streets: consecutive blocks of communities.
  const auto S = static_cast<std::uint32_t>(std::max<long>(1, std::lround(C / d.communities_per_street)));
  w.streets.first_community.resize(S + 1);
  for (std::uint32_t s = 0; s <= S; ++s)
    w.streets.first_community[s] = static_cast<std::uint32_t>(static_cast<std::uint64_t>(s) * C / S);
  w.communities.first_grid = first_grid;
  w.communities.street.resize(C);
  for (std::uint32_t s = 0; s < S; ++s)
    for (std::uint32_t c = w.streets.first_community[s]; c < w.streets.first_community[s + 1]; ++c)
      w.communities.street[c] = s;

  // Grids: community link, old-neighbourhood (no property management) flag, grid workers.
  gr.community.resize(G);
  gr.old_neighbourhood.resize(G);
  gr.visit_cursor.assign(G, 0);
  gr.first_worker.assign(G + 1, 0);
  std::vector<std::uint32_t> n_workers(G);
  for (std::uint32_t c = 0; c < C; ++c)
    for (std::uint32_t g = first_grid[c]; g < first_grid[c + 1]; ++g) gr.community[g] = c;
  // Workers per grid of a community: the type's weight times a log-normal community draw (mean 1, CV
  // grid.staffing_cv; seed 003: uneven staffing), scaled so that the district keeps grid.workers_per_grid.
  std::vector<double> staff(C);
  double staff_grids = 0;
  const double staff_sigma = std::sqrt(std::log1p(p.grid.staffing_cv * p.grid.staffing_cv));
  for (std::uint32_t c = 0; c < C; ++c) {
    Rng rng(seed, Purpose::kCommunityType, c, 1);
    staff[c] = tw[ctype[c]].staff * (staff_sigma > 0 ? rng.lognormal_mean(1.0, staff_sigma) : 1.0);
    staff_grids += staff[c] * static_cast<double>(n_grids[c]);
  }
  const double staff_scale = staff_grids > 0 ? static_cast<double>(G) / staff_grids : 0.0;
  ParallelErrors errors2;
#pragma omp parallel for schedule(static)
  for (std::int64_t gi = 0; gi < G; ++gi) {
    errors2.run([&] {
      const auto g = static_cast<std::uint32_t>(gi);
      const std::uint32_t c = gr.community[g];
      Rng rng(seed, Purpose::kWorkers, g, 0);
      gr.old_neighbourhood[g] = rng.bernoulli(unmanaged[ctype[c]]) ? 1 : 0;
      const double a = p.grid.workers_per_grid * (staff[c] * staff_scale);
      const double whole = std::floor(a);
      const auto n = static_cast<std::uint32_t>(whole) + (rng.bernoulli(a - whole) ? 1 : 0);
      n_workers[g] = std::max<std::uint32_t>(1, n);
    });
  }
  errors2.rethrow();
  // Demand factor per type and kind: the type's weight, scaled so that the district's expected arrivals are
  // those without types (households of each grid, the unmanaged grids' shared multiplier included).
  {
    std::array<std::array<double, kKinds>, kCommunityTypes> mass{};
    for (std::uint32_t g = 0; g < G; ++g) {
      const double households = gr.first_household[g + 1] - gr.first_household[g];
      auto& m = mass[ctype[gr.community[g]]];
      for (int k = 0; k < kKinds; ++k)
        m[k] += households * (k == static_cast<int>(DemandKind::kShared) && gr.old_neighbourhood[g]
                                  ? p.demand.old_shared_multiplier
                                  : 1.0);
    }
    for (int k = 0; k < kKinds; ++k) {
      double plain = 0, weighted = 0;
      for (int t = 0; t < kCommunityTypes; ++t) {
        plain += mass[t][k];
        weighted += tw[t].demand[k] * mass[t][k];
      }
      for (int t = 0; t < kCommunityTypes; ++t)
        w.communities.demand_factor[t][k] = weighted > 0 ? tw[t].demand[k] * (plain / weighted) : 0.0;
    }
  }
  for (std::uint32_t g = 0; g < G; ++g) gr.first_worker[g + 1] = gr.first_worker[g] + n_workers[g];
  const std::uint32_t W = gr.first_worker[G];
  auto& wk = w.workers;
  wk.grid.resize(W);
  wk.fatigue.assign(W, 0.0f);
  wk.tenure_days.resize(W);
  wk.admin_backlog.assign(W, 0.0f);
  wk.task_load.assign(W, 0.0f);
  wk.willingness.assign(W, 1.0f);
  wk.vacant_until.assign(W, -1);
  ParallelErrors errors3;
#pragma omp parallel for schedule(static)
  for (std::int64_t gi = 0; gi < G; ++gi) {
    errors3.run([&] {
      const auto g = static_cast<std::uint32_t>(gi);
      for (std::uint32_t i = gr.first_worker[g]; i < gr.first_worker[g + 1]; ++i) {
        Rng rng(seed, Purpose::kWorkers, i, 1);
        wk.grid[i] = g;
        // Tenure spread over twice the ramp-up, so some workers start inexperienced.
        wk.tenure_days[i] = static_cast<float>(rng.uniform() * std::max(1.0, 2.0 * p.grid.ramp_days));
      }
    });
  }
  errors3.rethrow();

  // Residents: traits keyed by resident index; the age shares by the community's type.
  auto& res = w.residents;
  res.resize(N);
  const double part_mean[kAgeBands] = {o.participation_young, o.participation_working,
                                       o.participation_elderly};
  const double dig_mean[kAgeBands] = {o.digital_young, o.digital_working, o.digital_elderly};
  ParallelErrors errors4;
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t ci = 0; ci < static_cast<std::int64_t>(C); ++ci) {
    errors4.run([&] {
      const auto c = static_cast<std::uint32_t>(ci);
      const int t = ctype[c];
      for (std::uint32_t r = w.community_first_resident(c); r < w.community_end_resident(c); ++r) {
        Rng rng(seed, Purpose::kPopulation, r, 2);
        const double u = rng.uniform();
        const int age = u < ages.young[t] ? 0 : (u < 1.0 - ages.elderly[t] ? 1 : 2);
        res[r].age = static_cast<std::uint8_t>(age);
        std::uint8_t f = 0;
        if (rng.bernoulli(d.party_member_share)) f |= kPartyMember;
        if (rng.bernoulli(o.awareness_initial)) f |= kAware;
        res[r].flags = f;
        res[r].satisfaction = clamp01(o.satisfaction_mean + o.satisfaction_sd * rng.normal());
        res[r].trust = clamp01(o.trust_mean + o.trust_sd * rng.normal());
        res[r].rest_satisfaction = res[r].satisfaction;
        res[r].rest_trust = res[r].trust;
        res[r].touched = 0;
        res[r].participation = quantise(part_mean[age] + o.propensity_sd * rng.normal());
        res[r].digital = quantise(dig_mean[age] + o.propensity_sd * rng.normal());
      }
    });
  }
  errors4.rethrow();

  // Co-building units: the seed's four types, dealt round the communities in turn; capability by kind of
  // problem uniform on [0.2, 1] (assumption).
  const std::int64_t per_type[kUnitTypes] = {d.district_organs, d.sections_stations, d.soes, d.two_new_orgs};
  std::uint32_t next = 0;
  for (int t = 0; t < kUnitTypes; ++t) {
    for (std::int64_t i = 0; i < per_type[t]; ++i) {
      Rng rng(seed, Purpose::kOrganisations, next, 1);
      w.units.type.push_back(static_cast<std::uint8_t>(t));
      w.units.community.push_back(next++ % C);
      w.units.engagement.push_back(static_cast<float>(d.unit_engagement));
      w.units.budget_staff_days.push_back(static_cast<float>(d.unit_budget_staff_days));
      for (int k = 0; k < kKinds; ++k)
        w.units.capability.push_back(static_cast<float>(0.2 + 0.8 * rng.uniform()));
    }
  }

  // District leaders: community c links to leader c mod L (seed 000: 35 leaders over 50 communities).
  w.leaders.count = static_cast<std::size_t>(d.district_leaders);
  w.communities.leader.assign(C, -1);
  if (w.leaders.count > 0)
    for (std::uint32_t c = 0; c < C; ++c)
      w.communities.leader[c] = static_cast<std::int32_t>(c % w.leaders.count);

  // In-service members: spread over communities by population; each is a working-age resident when one
  // can be found in a few draws.
  const auto M = static_cast<std::uint64_t>(d.in_service_members);
  w.members.resident.reserve(M);
  w.members.community.reserve(M);
  std::uint64_t assigned = 0;
  std::uint64_t cum_res = 0;
  for (std::uint32_t c = 0; c < C; ++c) {
    cum_res += n_res[c];
    const std::uint64_t upto = M * cum_res / N;
    const std::uint32_t r0 = w.community_first_resident(c);
    const std::uint32_t nr = w.community_end_resident(c) - r0;
    Rng rng(seed, Purpose::kOrganisations, c, 0);
    for (; assigned < upto; ++assigned) {
      // A working-age resident not yet registered, if a few draws find one.
      auto unsuitable = [&](std::uint32_t x) {
        return (res[x].flags & kInService) || res[x].age != static_cast<std::uint8_t>(AgeBand::kWorking);
      };
      std::uint32_t r = r0 + rng.below(nr);
      for (int tries = 0; tries < 16 && unsuitable(r); ++tries) r = r0 + rng.below(nr);
      for (std::uint32_t step = 0; step < nr && (res[r].flags & kInService); ++step)
        r = r0 + (r - r0 + 1) % nr;
      if (res[r].flags & kInService) break;  // more members than residents: the community is full
      res[r].flags |= kInService | kPartyMember;
      w.members.resident.push_back(r);
      w.members.community.push_back(c);
    }
  }

  build_network(w, static_cast<int>(p.opinion.wom_degree), p.opinion.wom_rewire,
                static_cast<float>(p.opinion.wom_weight), seed);
  return w;
}

void build_network(World& w, int degree, double rewire, float weight, std::uint64_t seed, bool allow_inline) {
  const auto N = static_cast<std::int64_t>(w.residents.size());
  auto& m = w.neighbours;
  auto& res = w.residents;
  w.neighbour_weight = weight;
  w.links_inline = false;
  const auto G = static_cast<std::uint32_t>(w.grids.size());
  std::uint32_t largest = 0;
  for (std::uint32_t g = 0; g < G; ++g)
    largest = std::max(largest, w.grid_end_resident(g) - w.grid_first_resident(g));
  if (degree <= 0 || N == 0) {
    for (auto& rs : res.state) rs.link = {};
    m.resize(N, N);
    m.resizeNonZeros(0);
    m.makeCompressed();
    return;
  }
  // Resident r's k links, r in a grid of n residents from a: the ring lattice of the k nearest residents in
  // household order (k/2 on each side), some rewired to a random resident of the same grid; duplicates and
  // self-links are redrawn. The callers sort them.
  auto links_of = [&](std::uint32_t r, std::uint32_t a, std::uint32_t n, int k, std::int32_t* col) {
    Rng rng(seed, Purpose::kNetwork, r, 0);
    for (int j = 0; j < k; ++j) {
      const std::int64_t off = (j / 2 + 1) * ((j % 2 == 0) ? 1 : -1);
      // Wrapped round the grid: |off| <= k < n, so one turn at most (no division per link).
      std::int64_t at = static_cast<std::int64_t>(r - a) + off;
      if (at < 0) at += n;
      if (at >= static_cast<std::int64_t>(n)) at -= n;
      std::uint32_t t = a + static_cast<std::uint32_t>(at);
      if (rng.bernoulli(rewire)) t = a + rng.below(n);
      for (int tries = 0; tries < 32; ++tries) {
        bool clash = (t == r);
        for (int q = 0; q < j && !clash; ++q) clash = (col[q] == static_cast<std::int32_t>(t));
        if (!clash) break;
        t = a + rng.below(n);
      }
      col[j] = static_cast<std::int32_t>(t);
    }
  };
  auto links_in_grid = [&](std::uint32_t g) {  // k: min(degree, grid size - 1)
    return std::max(
        0, std::min<int>(degree, static_cast<int>(w.grid_end_resident(g) - w.grid_first_resident(g)) - 1));
  };
  // Every resident's links, grid by grid in parallel: store(r, first resident of r's grid, grid size, k).
  auto each_resident = [&](auto store) {
    ParallelErrors errors5;
    // Locals of this lambda: clang 14 rejects a lambda inside the parallel region of a generic lambda that
    // names build_network's own locals (w, links_in_grid).
    const World& world = w;
    const auto& links = links_in_grid;
#pragma omp parallel for schedule(dynamic, 64)
    for (std::int64_t gi = 0; gi < G; ++gi) {
      errors5.run([&] {
        const auto g = static_cast<std::uint32_t>(gi);
        const std::uint32_t a = world.grid_first_resident(g), b = world.grid_end_resident(g);
        const int k = links(g);
        for (std::uint32_t r = a; r < b; ++r) store(r, a, b - a, k);
      });
    }
    errors5.rethrow();
  };

  // Few links, each within an int16 offset (grids of at most 32,768 residents): in the residents' records.
  // Offset 0 ends a record's list, so a self-link (left when 32 redraws in a tiny grid all clash) cannot be
  // held there: a world with one is built again as the matrix, which holds it like any link.
  if (allow_inline && degree <= kInlineLinks && largest <= 32768) {
    m = Network();
    w.links_inline = true;
    std::atomic<bool> self_link{false};
    each_resident([&](std::uint32_t r, std::uint32_t a, std::uint32_t n, int k) {
      std::int32_t col[kInlineLinks] = {};
      links_of(r, a, n, k, col);
      for (int i = 1; i < k; ++i)  // insertion sort: at most kInlineLinks
        for (int j = i; j > 0 && col[j - 1] > col[j]; --j) std::swap(col[j - 1], col[j]);
      for (int l = 0; l < kInlineLinks; ++l) {
        res[r].link[l] = l < k ? static_cast<std::int16_t>(col[l] - static_cast<std::int32_t>(r)) : 0;
        if (l < k && res[r].link[l] == 0) self_link.store(true, std::memory_order_relaxed);
      }
    });
    if (!self_link.load()) return;
    w.links_inline = false;
  }

  // Otherwise Eigen's compressed columns: each column gets min(degree, grid size - 1) entries, filled
  // directly.
  m.resize(N, N);
  m.resizeNonZeros(0);
  std::vector<std::int64_t> start(static_cast<std::size_t>(N) + 1, 0);
  for (std::uint32_t g = 0; g < G; ++g) {
    const int k = links_in_grid(g);
    for (std::uint32_t r = w.grid_first_resident(g); r < w.grid_end_resident(g); ++r)
      start[r + 1] = start[r] + k;
  }
  if (start[N] >= (1ll << 31)) throw InputError("opinion.wom_degree: network too large for 32-bit indices");
  m.resizeNonZeros(static_cast<Eigen::Index>(start[N]));
  auto* outer = m.outerIndexPtr();
  auto* inner = m.innerIndexPtr();
  auto* val = m.valuePtr();
  for (std::int64_t r = 0; r <= N; ++r) outer[r] = static_cast<std::int32_t>(start[r]);
  each_resident([&](std::uint32_t r, std::uint32_t a, std::uint32_t n, int k) {
    res[r].link = {};  // the records hold no links
    links_of(r, a, n, k, inner + start[r]);
    std::sort(inner + start[r], inner + start[r] + k);
    for (int j = 0; j < k; ++j) val[start[r] + j] = weight;
  });
}

}  // namespace govsim
