// The world as struct-of-arrays stores: one store per agent kind, each field a contiguous column, links
// between agents as index columns. A resident is an index; residents are ordered by grid, then household,
// so "the residents of a grid" is a range and needs no per-resident link.
#pragma once

#include <Eigen/SparseCore>

#include <array>
#include <cstdint>
#include <vector>

namespace govsim {

enum class AgeBand : std::uint8_t { kYoung = 0, kWorking = 1, kElderly = 2 };
inline constexpr int kAgeBands = 3;
enum class DemandKind : std::uint8_t { kHousehold = 0, kShared = 1, kPublic = 2 };
inline constexpr int kKinds = 3;
enum class Level : std::uint8_t { kGrid = 0, kCommunity = 1, kStreet = 2, kDepartment = 3 };
inline constexpr int kLevels = 4;
enum class UnitType : std::uint8_t { kDistrictOrgan = 0, kSectionStation = 1, kSoe = 2, kTwoNew = 3 };
inline constexpr int kUnitTypes = 4;
// Kinds of community (docs/ODD.md §5): old neighbourhoods (老旧小区), commercial estates (商品房小区),
// work-unit compounds (单位大院) and resettled communities (村改居).
enum class CommunityType : std::uint8_t { kOld = 0, kCommercial = 1, kWorkUnit = 2, kResettled = 3 };
inline constexpr int kCommunityTypes = 4;

const char* kind_name(DemandKind k);
const char* level_name(Level l);
const char* age_name(AgeBand a);
const char* unit_type_name(UnitType t);
const char* community_type_name(CommunityType t);

// Resident flag bits.
inline constexpr std::uint8_t kPartyMember = 1u << 0;
inline constexpr std::uint8_t kAware = 1u << 1;      // aware of the community big Party committee
inline constexpr std::uint8_t kInService = 1u << 2;  // in-service member registered here (双报到)

// Links of the word-of-mouth network a resident's record can hold (World::links_inline).
inline constexpr int kInlineLinks = 4;

// One resident's state in one record: a day's events reach a resident (and their neighbours) at random, and
// one record is one cache line's read where nine columns were nine (docs/PERFORMANCE.md). 32 bytes, aligned
// so that a record never straddles two lines.
struct alignas(32) ResidentState {
  // Satisfaction and trust (0..1) on the day `touched`; between touches they relax toward the resident's
  // resting levels (model/opinion.h), so read them through Ledger/DayApi, which apply the relaxation.
  float satisfaction;       // rating good or very good at >= opinion.good_threshold
  float trust;              // trust in the community Party organisation
  float rest_satisfaction;  // resting levels: the resident's disposition (the initial draw)
  float rest_trust;
  std::int32_t touched;        // day satisfaction and trust were last set
  std::uint8_t age;            // AgeBand
  std::uint8_t flags;          // kPartyMember | kAware | kInService
  std::uint8_t participation;  // propensity to take part / report, quantised x/255
  std::uint8_t digital;        // propensity to use digital channels, quantised x/255
  // With World::links_inline, the neighbours who hear of this resident's experiences, as offsets j - r in
  // ascending order of j; the unused ones are 0 (a world with a self-link keeps its links in the matrix:
  // build_network). An experience then reads the records alone, where the network's matrix cost two dependent
  // cache misses more.
  std::array<std::int16_t, kInlineLinks> link;
  bool operator==(const ResidentState&) const = default;
};
static_assert(sizeof(ResidentState) == 32, "a resident's record should stay 32 bytes");

struct Residents {
  std::vector<ResidentState> state;
  ResidentState& operator[](std::size_t r) { return state[r]; }
  const ResidentState& operator[](std::size_t r) const { return state[r]; }
  std::size_t size() const { return state.size(); }
  void resize(std::size_t n) { state.resize(n); }
};

struct Households {
  std::vector<std::uint32_t> first_resident;  // size H+1
  std::size_t size() const { return first_resident.empty() ? 0 : first_resident.size() - 1; }
};

struct Grids {
  std::vector<std::uint32_t> first_household;  // size G+1
  std::vector<std::uint32_t> first_worker;     // size G+1
  std::vector<std::uint32_t> community;
  std::vector<std::uint8_t> old_neighbourhood;
  std::vector<std::uint32_t> visit_cursor;  // next household (offset within the grid) to visit
  std::size_t size() const { return community.size(); }
};

struct Communities {
  std::vector<std::uint32_t> first_grid;  // size C+1
  std::vector<std::uint32_t> street;
  std::vector<std::int32_t> leader;  // linked district leader, -1 if none
  std::vector<std::uint8_t> type;    // CommunityType; empty in hand-built worlds (no type effects)
  // Demand-rate factor per type and kind, normalised over this world so the district keeps its mean rate.
  std::array<std::array<double, kKinds>, kCommunityTypes> demand_factor = unit_factors();
  std::size_t size() const { return street.size(); }
  double demand_factor_of(std::uint32_t c, int kind) const {
    return type.empty() ? 1.0 : demand_factor[type[c]][kind];
  }

  static std::array<std::array<double, kKinds>, kCommunityTypes> unit_factors() {
    std::array<std::array<double, kKinds>, kCommunityTypes> f;
    for (auto& row : f) row.fill(1.0);
    return f;
  }
};

struct Streets {
  std::vector<std::uint32_t> first_community;  // size S+1
  std::size_t size() const { return first_community.empty() ? 0 : first_community.size() - 1; }
};

struct GridWorkers {
  std::vector<std::uint32_t> grid;
  std::vector<float> fatigue;        // 0..1
  std::vector<float> tenure_days;    // days in post (drives efficiency)
  std::vector<float> admin_backlog;  // hours of administrative tasks waiting
  std::vector<float> task_load;      // top-down task load per normal hour, smoothed (drives willingness)
  std::vector<float> willingness;    // 0..1: share of the hours left after tasks given to residents
  std::vector<std::int32_t> vacant_until;  // -1 when in post; else the day a replacement starts
  std::size_t size() const { return grid.size(); }
};

struct Units {                     // co-building units (共建单位)
  std::vector<std::uint8_t> type;  // UnitType
  std::vector<std::uint32_t> community;
  std::vector<float> engagement;  // 0..1
  std::vector<float> budget_staff_days;
  std::vector<float> capability;  // [unit * kKinds + kind], 0..1
  std::size_t size() const { return type.size(); }
};

struct Leaders {  // district leaders; each community links to at most one
  std::size_t count = 0;
};

struct Members {  // in-service Party members registered with a home community (双报到)
  std::vector<std::uint32_t> resident;
  std::vector<std::uint32_t> community;
  std::size_t size() const { return resident.size(); }
};

// The word-of-mouth network's matrix. Eigen 3.4's SparseMatrix has no move operations (a "move" copies), and
// a World is moved into its Simulation: without these the network (1 GB at city scale, when not inline) was
// copied twice and held twice for the whole run.
struct Network : Eigen::SparseMatrix<float, Eigen::ColMajor, std::int32_t> {
  using Base = Eigen::SparseMatrix<float, Eigen::ColMajor, std::int32_t>;
  using Base::Base;
  using Base::operator=;
  Network() = default;
  Network(const Network&) = default;
  Network& operator=(const Network&) = default;
  Network(Network&& o) noexcept { swap(o); }
  Network& operator=(Network&& o) noexcept {
    swap(o);
    return *this;
  }
  ~Network() = default;
};

struct World {
  Residents residents;
  Households households;
  Grids grids;
  Communities communities;
  Streets streets;
  GridWorkers workers;
  Units units;
  Leaders leaders;
  Members members;
  // Word-of-mouth network: column r lists the residents who hear about r's experiences, with weights.
  // Links stay within a grid, so communities can be updated in parallel without sharing residents. Empty
  // when links_inline.
  Network neighbours;
  // At or above 0 when every link has this weight (build_network's network): experiences then read only the
  // link indices. Below 0 (a hand-made network): read each weight.
  float neighbour_weight = -1.0f;
  // The links are in the residents' records (ResidentState::link) and `neighbours` is empty: build_network's
  // network when every resident has at most kInlineLinks links, each within 32,767 residents.
  bool links_inline = false;

  // f(j, weight) for each resident j who hears of r's experiences, in ascending order of j.
  template <class F>
  void for_each_neighbour(std::uint32_t r, F f) const {
    if (links_inline) {
      const auto& link = residents[r].link;
      for (int l = 0; l < kInlineLinks && link[l] != 0; ++l)
        f(static_cast<std::uint32_t>(static_cast<std::int64_t>(r) + link[l]), neighbour_weight);
      return;
    }
    if (neighbour_weight >= 0.0f && neighbours.isCompressed()) {
      const std::int32_t* inner = neighbours.innerIndexPtr();
      for (std::int32_t p = neighbours.outerIndexPtr()[r], end = neighbours.outerIndexPtr()[r + 1]; p < end;
           ++p)
        f(static_cast<std::uint32_t>(inner[p]), neighbour_weight);
      return;
    }
    for (Network::InnerIterator it(neighbours, r); it; ++it)
      f(static_cast<std::uint32_t>(it.index()), it.value());
  }

  std::uint32_t grid_first_resident(std::uint32_t g) const {
    return households.first_resident[grids.first_household[g]];
  }
  std::uint32_t grid_end_resident(std::uint32_t g) const {
    return households.first_resident[grids.first_household[g + 1]];
  }
  std::uint32_t community_first_resident(std::uint32_t c) const {
    return grid_first_resident(communities.first_grid[c]);
  }
  std::uint32_t community_end_resident(std::uint32_t c) const {
    return grid_first_resident(communities.first_grid[c + 1]);
  }
  // Bytes held by the per-agent stores, for the ODD's bytes-per-resident figure.
  std::size_t bytes() const;
};

}  // namespace govsim
