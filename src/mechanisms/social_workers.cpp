#include "mechanisms/social_workers.h"

#include <cmath>
#include <numeric>

#include "model/day_api.h"

namespace govsim {

namespace {
constexpr double kDaysPerMonth = 30.0;  // a month's pay spread over 30 days (assumption)
}

double SocialWorkers::quit_factor() const { return std::pow(1.0 + p_.pay_rise, -p_.pay_elasticity); }

double SocialWorkers::staff() const { return std::accumulate(staff_.begin(), staff_.end(), 0.0); }

double SocialWorkers::cost_per_day() const {
  return p_.monthly_pay_yuan * (1.0 + p_.pay_rise) * staff() / kDaysPerMonth;
}

void SocialWorkers::initialize(DayApi& api) {
  const World& w = api.world();
  const auto C = w.communities.size();
  staff_.assign(C, 0.0);
  auto& extra = api.levers().community_extra_hours;
  if (extra.empty()) extra.assign(C, 0.0f);
  for (std::uint32_t c = 0; c < C; ++c) {
    const double residents = w.community_end_resident(c) - w.community_first_resident(c);
    staff_[c] = p_.per_10k_residents * residents / 10000.0;
    extra[c] = static_cast<float>(extra[c] + staff_[c] * p_.hours_per_worker_day);
  }
  api.levers().quit_multiplier *= quit_factor();

  using K = MetricKind;
  const double pay_day = p_.monthly_pay_yuan * (1.0 + p_.pay_rise) / kDaysPerMonth;
  api.add_metric({"n_sw_staff", K::kStock, "staff", "Community social workers", true,
                  [this](const Tally&, int c) { return c >= 0 ? staff_[c] : staff(); }, ""});
  api.add_metric({"new_sw_hours", K::kFlow, "staff-hours/day", "Social workers' case hours added to the community level",
                  false, [this](const Tally&, int c) { return (c >= 0 ? staff_[c] : staff()) * p_.hours_per_worker_day; },
                  ""});
  api.add_metric({"new_sw_cost_yuan", K::kFlow, "yuan/day", "Social workers' pay, after the rise", false,
                  [this, pay_day](const Tally&, int c) { return (c >= 0 ? staff_[c] : staff()) * pay_day; }, ""});
  api.add_metric({"cum_sw_cost_yuan", K::kTotal, "yuan", "Social workers' pay since day 0", false, nullptr,
                  "new_sw_cost_yuan"});
}

void SocialWorkers::act(Phase, DayApi& api) {
  const double pay_day = p_.monthly_pay_yuan * (1.0 + p_.pay_rise) / kDaysPerMonth;
  for (std::uint32_t c = 0; c < staff_.size(); ++c)
    api.spend_yuan(CostSource::kSocialWorkers, c, staff_[c] * pay_day);
}

void SocialWorkers::describe(AttributeSink& out) const {
  GOVSIM_SOCIAL_WORKERS_PARAMS(GOVSIM_DESCRIBE_FIELD)
  out.number("staff", staff());
  out.number("hours_per_day", staff() * p_.hours_per_worker_day);
  out.number("quit_factor", quit_factor());
  out.number("cost_yuan_per_day", cost_per_day());
  out.text("summary",
           "Community social workers (社工): case hours at the community level per 10,000 residents; a pay rise "
           "that lowers turnover (applied to grid workers)");
}

}  // namespace govsim
