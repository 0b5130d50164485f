// Declaring a mechanism's own metrics (in initialize()): one place for the shapes every mechanism uses.
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "model/day_api.h"

namespace govsim {

class MetricDeclarer {
 public:
  explicit MetricDeclarer(DayApi& api) : api_(api) {}
  void add(const char* name, MetricKind kind, const char* unit, const char* description, bool by_community,
           std::function<double(const Tally&, int)> value) {
    api_.add_metric({name, kind, unit, description, by_community, std::move(value), ""});
  }
  // A total (cum_) that sums the flow metric `of` day by day.
  void total(const char* name, const char* of, const char* unit, const char* description) {
    api_.add_metric({name, MetricKind::kTotal, unit, description, false, nullptr, of});
  }
  // A per-community field of the mechanism's own tallies: community c's value, or for the district (c < 0)
  // the sum in community order (a fixed order, so the result does not depend on threads).
  template <class Flows>
  static std::function<double(const Tally&, int)> flow(const std::vector<Flows>& flows, double Flows::*field) {
    return [&flows, field](const Tally&, int c) {
      if (c >= 0) return flows[static_cast<std::size_t>(c)].*field;
      double s = 0;
      for (const auto& x : flows) s += x.*field;
      return s;
    };
  }

 private:
  DayApi& api_;
};

}  // namespace govsim
