#include <gtest/gtest.h>
#include <omp.h>

#include <array>
#include <cmath>
#include <utility>
#include <vector>

#include "core/population.h"
#include "params/params.h"
#include "params/registry.h"

namespace govsim {
namespace {

Params small_params() {
  Params p;
  ParamRegistry reg;
  p.declare(reg);  // every field at its default
  p.district.communities = 40;
  p.district.in_service_members = 1000;
  return p;
}

TEST(Population, CountsAndSharesFollowParameters) {
  const Params p = small_params();
  const World w = generate_world(p, 11);
  const auto C = w.communities.size();
  ASSERT_EQ(C, 40u);
  const double N = static_cast<double>(w.residents.size());
  // Log-normal community sizes with CV 0.3 over 40 communities: the total is within ~4 sd (19%) of the mean.
  EXPECT_NEAR(N / (40 * p.district.residents_per_community), 1.0, 0.19);
  EXPECT_NEAR(static_cast<double>(w.grids.size()) / C, p.district.grids_per_community, 0.6);
  EXPECT_NEAR(N / static_cast<double>(w.households.size()), p.district.household_size, 0.05);
  EXPECT_NEAR(static_cast<double>(w.workers.size()) / static_cast<double>(w.grids.size()),
              p.grid.workers_per_grid, 0.25);
  EXPECT_EQ(w.streets.size(), static_cast<std::size_t>(std::lround(40 / p.district.communities_per_street)));

  double young = 0, elderly = 0, party = 0, aware = 0;
  for (std::size_t r = 0; r < w.residents.size(); ++r) {
    young += w.residents[r].age == static_cast<std::uint8_t>(AgeBand::kYoung);
    elderly += w.residents[r].age == static_cast<std::uint8_t>(AgeBand::kElderly);
    party += (w.residents[r].flags & kPartyMember) && !(w.residents[r].flags & kInService);
    aware += (w.residents[r].flags & kAware) != 0;
  }
  EXPECT_NEAR(young / N, p.district.share_young, 0.01);
  EXPECT_NEAR(elderly / N, p.district.share_elderly, 0.01);
  EXPECT_NEAR(party / N, p.district.party_member_share, 0.01);
  EXPECT_NEAR(aware / N, p.opinion.awareness_initial, 0.01);

  // Seed 000's co-building units by type, and the in-service members requested.
  EXPECT_EQ(w.units.size(), 65u + 89u + 75u + 57u);
  int organs = 0;
  for (auto t : w.units.type) organs += t == static_cast<std::uint8_t>(UnitType::kDistrictOrgan);
  EXPECT_EQ(organs, 65);
  EXPECT_EQ(w.members.size(), 1000u);
  for (std::size_t m = 0; m < w.members.size(); ++m) {
    const auto c = w.members.community[m];
    EXPECT_GE(w.members.resident[m], w.community_first_resident(c));
    EXPECT_LT(w.members.resident[m], w.community_end_resident(c));
  }
}

TEST(Population, OffsetsPartitionResidents) {
  const World w = generate_world(small_params(), 5);
  const auto& fr = w.households.first_resident;
  for (std::size_t h = 0; h + 1 < fr.size(); ++h) ASSERT_LT(fr[h], fr[h + 1]) << "empty household " << h;
  EXPECT_EQ(fr.back(), w.residents.size());
  EXPECT_EQ(w.community_end_resident(static_cast<std::uint32_t>(w.communities.size() - 1)),
            w.residents.size());
  for (std::uint32_t g = 0; g < w.grids.size(); ++g) {
    EXPECT_GE(w.grids.first_worker[g + 1] - w.grids.first_worker[g], 1u);
    EXPECT_GT(w.grid_end_resident(g), w.grid_first_resident(g));
  }
}

TEST(Population, NeighboursStayInTheGridWithoutSelfLinks) {
  const World w = generate_world(small_params(), 5);
  ASSERT_TRUE(w.links_inline);  // four links within small grids: in the records
  for (std::uint32_t g = 0; g < w.grids.size(); ++g) {
    const auto a = w.grid_first_resident(g), b = w.grid_end_resident(g);
    for (auto r = a; r < b; ++r) {
      int n = 0;
      std::uint32_t last = 0;
      w.for_each_neighbour(r, [&](std::uint32_t j, float weight) {
        EXPECT_NE(j, r);
        EXPECT_GE(j, a);
        EXPECT_LT(j, b);
        if (n > 0) {
          EXPECT_GT(j, last);  // ascending, no duplicates
        }
        EXPECT_EQ(weight, 0.25f);  // opinion.wom_weight
        last = j;
        ++n;
      });
      EXPECT_EQ(n, std::min<int>(4, static_cast<int>(b - a) - 1));
    }
  }
}

// The links in the records and in Eigen's matrix (where they do not fit the records) are the same links.
TEST(Population, InlineLinksAreTheMatrixLinks) {
  World a = generate_world(small_params(), 5);
  World b = a;
  build_network(b, 4, 0.2, 0.25f, 5, /*allow_inline=*/false);
  build_network(a, 4, 0.2, 0.25f, 5);
  ASSERT_TRUE(a.links_inline);
  ASSERT_FALSE(b.links_inline);
  EXPECT_EQ(a.neighbours.outerSize(), 0);  // no matrix held
  EXPECT_GT(b.neighbours.nonZeros(), 0);
  for (std::uint32_t r = 0; r < a.residents.size(); ++r) {
    std::vector<std::pair<std::uint32_t, float>> la, lb;
    a.for_each_neighbour(r, [&](std::uint32_t j, float w) { la.emplace_back(j, w); });
    b.for_each_neighbour(r, [&](std::uint32_t j, float w) { lb.emplace_back(j, w); });
    ASSERT_EQ(la, lb) << "resident " << r;
  }
  // Five links do not fit the records: the matrix.
  build_network(a, 5, 0.2, 0.25f, 5);
  EXPECT_FALSE(a.links_inline);
}

// In grids of about five residents with every link rewired, 32 redraws in a row sometimes all clash and a
// self-link is left (ODD §5, item 9). A record cannot hold one (offset 0 ends its list), so such a world
// keeps its links in the matrix: the same links as the matrix built directly, self-links included.
TEST(Population, ASelfLinkKeepsTheLinksInTheMatrix) {
  Params p = small_params();
  p.district.communities = 2000;
  p.district.residents_per_community = 30;
  p.district.grids_per_community = 6;
  p.district.in_service_members = 0;
  World a = generate_world(p, 5);
  World b = a;
  build_network(a, 4, 1.0, 0.25f, 5);
  build_network(b, 4, 1.0, 0.25f, 5, /*allow_inline=*/false);
  EXPECT_FALSE(a.links_inline);
  int self = 0;
  for (std::uint32_t r = 0; r < a.residents.size(); ++r) {
    std::vector<std::uint32_t> la, lb;
    a.for_each_neighbour(r, [&](std::uint32_t j, float) { la.push_back(j); });
    b.for_each_neighbour(r, [&](std::uint32_t j, float) { lb.push_back(j); });
    ASSERT_EQ(la, lb) << "resident " << r;
    for (auto j : la) self += j == r;
  }
  EXPECT_GT(self, 0);                                   // the case this test is for did arise
  EXPECT_TRUE(a.residents.state == b.residents.state);  // no stale links left in the records
}

TEST(Population, SameSeedSameWorldWhateverTheThreads) {
  const Params p = small_params();
  omp_set_num_threads(1);
  const World a = generate_world(p, 99);
  omp_set_num_threads(2);
  const World b = generate_world(p, 99);
  EXPECT_TRUE(a.residents.state == b.residents.state);
  EXPECT_EQ(a.households.first_resident, b.households.first_resident);
  EXPECT_EQ(a.workers.tenure_days, b.workers.tenure_days);
  EXPECT_EQ(a.links_inline, b.links_inline);  // the links themselves are in the records compared above
  const World c = generate_world(p, 100);
  EXPECT_FALSE(a.residents.state == c.residents.state);
}

// Many small communities, so that shares by type are measured with little sampling error.
Params typed_params() {
  Params p = small_params();
  p.district.communities = 3000;
  p.district.residents_per_community = 300;
  p.district.grids_per_community = 2;
  p.district.in_service_members = 0;
  p.opinion.wom_degree = 0;
  return p;
}

TEST(PopulationTypes, RealisedTypeSharesMatchTheParameters) {
  const Params p = typed_params();
  const World w = generate_world(p, 21);
  const double C = static_cast<double>(w.communities.size());
  ASSERT_EQ(w.communities.type.size(), w.communities.size());
  const auto tw = type_weights(p.district);
  std::array<double, kCommunityTypes> n{};
  for (auto t : w.communities.type) n[t] += 1;
  for (int t = 0; t < kCommunityTypes; ++t) {
    const double sd = std::sqrt(tw[t].share * (1 - tw[t].share) / C);  // binomial sampling error of a share
    EXPECT_NEAR(n[t] / C, tw[t].share, 4 * sd) << community_type_name(static_cast<CommunityType>(t));
  }
}

TEST(PopulationTypes, OldNeighbourhoodsHaveTheirShareOfUnmanagedGrids) {
  const Params p = typed_params();
  const World w = generate_world(p, 22);
  std::array<double, kCommunityTypes> grids{}, unmanaged{};
  for (std::uint32_t g = 0; g < w.grids.size(); ++g) {
    const int t = w.communities.type[w.grids.community[g]];
    grids[t] += 1;
    unmanaged[t] += w.grids.old_neighbourhood[g];
  }
  const auto want = type_unmanaged_shares(p.district, grids);
  const auto tw = type_weights(p.district);
  double all = 0, total = 0;
  for (int t = 0; t < kCommunityTypes; ++t) {
    const double sd = std::sqrt(want[t] * (1 - want[t]) / grids[t]);
    EXPECT_NEAR(unmanaged[t] / grids[t], want[t], 4 * sd + 1e-12);
    // The chance is proportional to the type's weight (none reaches 1 at the defaults).
    EXPECT_NEAR(want[t] / want[0], tw[t].unmanaged / tw[0].unmanaged, 1e-12);
    all += unmanaged[t];
    total += grids[t];
  }
  EXPECT_GT(want[0], 0.6);       // old neighbourhoods: mostly without property management
  EXPECT_EQ(unmanaged[1], 0.0);  // commercial estates: always managed
  EXPECT_NEAR(all / total, p.district.old_neighbourhood_share, 0.02);  // the district keeps its share
}

TEST(PopulationTypes, UnmanagedSharesAreCappedAtOneAndTheRestPassesOn) {
  DistrictParams d = typed_params().district;
  d.old_neighbourhood_share = 0.5;  // more than the old neighbourhoods can hold at weight 3
  const std::array<double, kCommunityTypes> grids = {30, 40, 15, 15};
  const auto p = type_unmanaged_shares(d, grids);
  EXPECT_EQ(p[0], 1.0);
  EXPECT_EQ(p[1], 0.0);
  EXPECT_NEAR((30 * p[0] + 15 * p[2] + 15 * p[3]) / 100, 0.5, 1e-12);
  EXPECT_NEAR(p[3] / p[2], d.resettled_unmanaged_weight / d.work_unit_unmanaged_weight, 1e-12);
  d.old_neighbourhood_share = 0.9;  // more than every type with a positive weight holds: all of them, no more
  const auto q = type_unmanaged_shares(d, grids);
  EXPECT_EQ(q[0], 1.0);
  EXPECT_EQ(q[2], 1.0);
  EXPECT_EQ(q[3], 1.0);
  EXPECT_EQ(q[1], 0.0);
}

TEST(PopulationTypes, StaffingDiffersBetweenTypesAndKeepsTheDistrictMean) {
  Params p = typed_params();
  const World w = generate_world(p, 23);
  std::array<double, kCommunityTypes> grids{}, workers{};
  for (std::uint32_t g = 0; g < w.grids.size(); ++g) {
    const int t = w.communities.type[w.grids.community[g]];
    grids[t] += 1;
    workers[t] += w.grids.first_worker[g + 1] - w.grids.first_worker[g];
  }
  const auto tw = type_weights(p.district);
  const double per_grid_old = workers[0] / grids[0], per_grid_commercial = workers[1] / grids[1];
  const double per_grid_resettled = workers[3] / grids[3];
  EXPECT_LT(per_grid_old, per_grid_commercial);
  EXPECT_LT(per_grid_resettled, per_grid_old);
  // Per type in the ratio of the weights (a few per cent from the community draws and the one-worker
  // minimum).
  EXPECT_NEAR(per_grid_old / per_grid_commercial, tw[0].staff / tw[1].staff, 0.05);
  EXPECT_NEAR(static_cast<double>(w.workers.size()) / static_cast<double>(w.grids.size()),
              p.grid.workers_per_grid, 0.05);
  // Uneven within a type too: the community draw has CV grid.staffing_cv.
  std::vector<double> commercial;
  for (std::uint32_t c = 0; c < w.communities.size(); ++c) {
    if (w.communities.type[c] != static_cast<std::uint8_t>(CommunityType::kCommercial)) continue;
    const auto g0 = w.communities.first_grid[c], g1 = w.communities.first_grid[c + 1];
    commercial.push_back(static_cast<double>(w.grids.first_worker[g1] - w.grids.first_worker[g0]) /
                         (g1 - g0));
  }
  double m = 0, v = 0;
  for (double x : commercial) m += x / static_cast<double>(commercial.size());
  for (double x : commercial) v += (x - m) * (x - m) / static_cast<double>(commercial.size() - 1);
  EXPECT_GT(std::sqrt(v) / m, 0.2);  // CV 0.25 from the draw, plus the rounding to whole workers
  p.grid.staffing_cv = 0;
  p.district.old_staff_weight = p.district.commercial_staff_weight = p.district.work_unit_staff_weight =
      p.district.resettled_staff_weight = 1;
  const World even = generate_world(p, 23);
  std::vector<std::uint32_t> n(even.grids.size());
  for (std::uint32_t g = 0; g < even.grids.size(); ++g)
    n[g] = even.grids.first_worker[g + 1] - even.grids.first_worker[g];
  for (auto k : n) EXPECT_TRUE(k == 2 || k == 3) << k;  // 2.6 per grid everywhere: 2 or 3
}

TEST(PopulationTypes, AgeStructureFollowsTheTypeAndKeepsTheDistrictShares) {
  const Params p = typed_params();
  const World w = generate_world(p, 24);
  std::array<double, kCommunityTypes> n{}, young{}, elderly{};
  for (std::uint32_t c = 0; c < w.communities.size(); ++c) {
    const int t = w.communities.type[c];
    for (auto r = w.community_first_resident(c); r < w.community_end_resident(c); ++r) {
      n[t] += 1;
      young[t] += w.residents[r].age == static_cast<std::uint8_t>(AgeBand::kYoung);
      elderly[t] += w.residents[r].age == static_cast<std::uint8_t>(AgeBand::kElderly);
    }
  }
  const TypeAges want = type_age_shares(p.district, n);
  double all_young = 0, all_elderly = 0, N = 0;
  for (int t = 0; t < kCommunityTypes; ++t) {
    EXPECT_NEAR(elderly[t] / n[t], want.elderly[t], 0.01);
    EXPECT_NEAR(young[t] / n[t], want.young[t], 0.01);
    all_young += young[t];
    all_elderly += elderly[t];
    N += n[t];
  }
  EXPECT_GT(elderly[0] / n[0],
            1.5 * elderly[1] / n[1]);  // old neighbourhoods are older than commercial estates
  EXPECT_NEAR(all_young / N, p.district.share_young, 0.005);
  EXPECT_NEAR(all_elderly / N, p.district.share_elderly, 0.005);
}

TEST(PopulationTypes, MeanDemandIsPreserved) {
  const Params p = typed_params();
  const World w = generate_world(p, 25);
  // Expected arrivals per kind with the type factors, and without them, over this world's grids.
  const double M = p.demand.old_shared_multiplier;
  std::array<double, kKinds> typed{}, plain{};
  for (std::uint32_t g = 0; g < w.grids.size(); ++g) {
    const double H = w.grids.first_household[g + 1] - w.grids.first_household[g];
    for (int k = 0; k < kKinds; ++k) {
      const double base = H * (k == 1 && w.grids.old_neighbourhood[g] ? M : 1.0);
      typed[k] += base * w.communities.demand_factor_of(w.grids.community[g], k);
      plain[k] += base;
    }
  }
  for (int k = 0; k < kKinds; ++k) EXPECT_NEAR(typed[k] / plain[k], 1.0, 1e-12) << kind_name(DemandKind(k));
  const auto& f = w.communities.demand_factor;
  // Per household, old neighbourhoods raise more shared affairs than commercial estates (their weights 1.2 :
  // 0.9), on top of their unmanaged grids' multiplier; resettled communities more public affairs (1.3 : 0.9).
  EXPECT_NEAR(f[0][1] / f[1][1], p.district.old_shared_weight / p.district.commercial_shared_weight, 1e-12);
  EXPECT_NEAR(f[3][2] / f[1][2], p.district.resettled_public_weight / p.district.commercial_public_weight,
              1e-12);
}

TEST(PopulationTypes, NeutralTypesChangeNothingButTheTypeColumn) {
  Params p = small_params();
  auto& d = p.district;
  for (double* x : {&d.old_elderly_weight,
                    &d.old_young_weight,
                    &d.old_household_weight,
                    &d.old_shared_weight,
                    &d.old_public_weight,
                    &d.old_unmanaged_weight,
                    &d.old_staff_weight,
                    &d.commercial_elderly_weight,
                    &d.commercial_young_weight,
                    &d.commercial_household_weight,
                    &d.commercial_shared_weight,
                    &d.commercial_public_weight,
                    &d.commercial_unmanaged_weight,
                    &d.commercial_staff_weight,
                    &d.work_unit_elderly_weight,
                    &d.work_unit_young_weight,
                    &d.work_unit_household_weight,
                    &d.work_unit_shared_weight,
                    &d.work_unit_public_weight,
                    &d.work_unit_unmanaged_weight,
                    &d.work_unit_staff_weight,
                    &d.resettled_elderly_weight,
                    &d.resettled_young_weight,
                    &d.resettled_household_weight,
                    &d.resettled_shared_weight,
                    &d.resettled_public_weight,
                    &d.resettled_unmanaged_weight,
                    &d.resettled_staff_weight})
    *x = 1;
  p.grid.staffing_cv = 0;
  const World a = generate_world(p, 31);
  d.type_share_old = 0.7;
  d.type_share_commercial = d.type_share_work_unit = d.type_share_resettled = 0.1;
  const World b = generate_world(p, 31);
  EXPECT_NE(a.communities.type, b.communities.type);
  EXPECT_EQ(a.residents.state, b.residents.state);  // ages and every other trait
  EXPECT_EQ(a.grids.old_neighbourhood, b.grids.old_neighbourhood);
  EXPECT_EQ(a.grids.first_worker, b.grids.first_worker);
  for (int t = 0; t < kCommunityTypes; ++t)
    for (int k = 0; k < kKinds; ++k) EXPECT_EQ(a.communities.demand_factor[t][k], 1.0);
}

TEST(PopulationTypes, SharesThatDoNotSumToOneAreAnError) {
  Params p = small_params();
  p.district.type_share_old = 0.5;
  try {
    generate_world(p, 1);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(
        m.find("'district.type_share_old', 'district.type_share_commercial', 'district.type_share_work_unit' "
               "and 'district.type_share_resettled' must sum to 1 (they sum to 1.2"),
        std::string::npos)
        << m;
  }
}

}  // namespace
}  // namespace govsim
