#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>

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
  EXPECT_EQ(w.community_end_resident(static_cast<std::uint32_t>(w.communities.size() - 1)), w.residents.size());
  for (std::uint32_t g = 0; g < w.grids.size(); ++g) {
    EXPECT_GE(w.grids.first_worker[g + 1] - w.grids.first_worker[g], 1u);
    EXPECT_GT(w.grid_end_resident(g), w.grid_first_resident(g));
  }
}

TEST(Population, NeighboursStayInTheGridWithoutSelfLinks) {
  const World w = generate_world(small_params(), 5);
  const auto& m = w.neighbours;
  ASSERT_EQ(m.cols(), static_cast<Eigen::Index>(w.residents.size()));
  for (std::uint32_t g = 0; g < w.grids.size(); ++g) {
    const auto a = w.grid_first_resident(g), b = w.grid_end_resident(g);
    for (auto r = a; r < b; ++r) {
      int n = 0;
      for (decltype(w.neighbours)::InnerIterator it(m, r); it; ++it, ++n) {
        EXPECT_NE(it.index(), static_cast<Eigen::Index>(r));
        EXPECT_GE(it.index(), static_cast<Eigen::Index>(a));
        EXPECT_LT(it.index(), static_cast<Eigen::Index>(b));
      }
      EXPECT_EQ(n, std::min<int>(4, static_cast<int>(b - a) - 1));
    }
  }
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
  EXPECT_TRUE(a.neighbours.isApprox(b.neighbours, 0.0f));
  const World c = generate_world(p, 100);
  EXPECT_FALSE(a.residents.state == c.residents.state);
}

}  // namespace
}  // namespace govsim
