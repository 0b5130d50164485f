#include "mechanisms/factory.h"

#include <stdexcept>

namespace govsim {

const std::vector<MechanismEntry>& mechanism_entries() {
  // The baseline escalation ladder is the core model, not an entry. Within a phase, mechanisms act in the
  // order of this list, whatever order run.mechanisms names them in: a shock first (it sets the next day's
  // demand levers), then the mechanisms that change demand, reporting and capacity, then those that route
  // and handle cases, and whistle-and-report last (it reads the day's closed cases).
  static const std::vector<MechanismEntry> entries = {
      {Shock::kName, Shock::kPhases,
       "shock (epidemic or disaster): demands multiplied and urgent tasks added for a while; peak backlog, recovery",
       [](ParamRegistry& r, MechanismParams& m) {
         GOVSIM_BIND_SECTION(r, Shock::kName, m.shock, GOVSIM_SHOCK_PARAMS);
       },
       [](const MechanismParams& m) -> std::unique_ptr<Mechanism> {
         return std::make_unique<Shock>(m.shock);
       }},
      {PropertyTiers::kName, PropertyTiers::kPhases,
       "property service tiers and red property (红色物业): fewer shared affairs in old grids, the property "
       "company resolves part of them",
       [](ParamRegistry& r, MechanismParams& m) {
         GOVSIM_BIND_SECTION(r, PropertyTiers::kName, m.property_tiers, GOVSIM_PROPERTY_PARAMS);
         r.restrict("property_tiers.tier", {"standard", "basic", "guaranteed", "mixed"});
       },
       [](const MechanismParams& m) -> std::unique_ptr<Mechanism> {
         return std::make_unique<PropertyTiers>(m.property_tiers);
       }},
      {DigitalPlatform::kName, DigitalPlatform::kPhases,
       "digital platform (智治平台 / 一网统管): digital reporting channel, faster dispatch, grid deadlines",
       [](ParamRegistry& r, MechanismParams& m) {
         GOVSIM_BIND_SECTION(r, DigitalPlatform::kName, m.digital_platform, GOVSIM_DIGITAL_PARAMS);
       },
       [](const MechanismParams& m) -> std::unique_ptr<Mechanism> {
         return std::make_unique<DigitalPlatform>(m.digital_platform);
       }},
      {SocialWorkers::kName, SocialWorkers::kPhases,
       "community social workers (社工): case hours at the community level per 10,000 residents, pay rise against turnover",
       [](ParamRegistry& r, MechanismParams& m) {
         GOVSIM_BIND_SECTION(r, SocialWorkers::kName, m.social_workers, GOVSIM_SOCIAL_WORKERS_PARAMS);
       },
       [](const MechanismParams& m) -> std::unique_ptr<Mechanism> {
         return std::make_unique<SocialWorkers>(m.social_workers);
       }},
      {Downshift::kName, Downshift::kPhases,
       "workload down-shifting (事务下沉): administrative tasks pushed to grid workers (tasks, staffed, capped)",
       [](ParamRegistry& r, MechanismParams& m) {
         GOVSIM_BIND_SECTION(r, Downshift::kName, m.downshift, GOVSIM_DOWNSHIFT_PARAMS);
         r.restrict("downshift.variant", {"tasks", "staffed", "capped"});
       },
       [](const MechanismParams& m) -> std::unique_ptr<Mechanism> {
         return std::make_unique<Downshift>(m.downshift);
       }},
      {Visits::kName, Visits::kPhases,
       "visits (联访 / 三下沉): scheduled grid-worker visits and weekly cadre visits find demands, raise awareness",
       [](ParamRegistry& r, MechanismParams& m) {
         GOVSIM_BIND_SECTION(r, Visits::kName, m.visits, GOVSIM_VISITS_PARAMS);
       },
       [](const MechanismParams& m) -> std::unique_ptr<Mechanism> {
         return std::make_unique<Visits>(m.visits);
       }},
      {DualRegistration::kName, DualRegistration::kPhases,
       "dual registration (双报到): in-service members volunteer at the grids and surge in a shock",
       [](ParamRegistry& r, MechanismParams& m) {
         GOVSIM_BIND_SECTION(r, DualRegistration::kName, m.dual_registration, GOVSIM_DUAL_REGISTRATION_PARAMS);
       },
       [](const MechanismParams& m) -> std::unique_ptr<Mechanism> {
         return std::make_unique<DualRegistration>(m.dual_registration);
       }},
      {Triage::kName, Triage::kPhases,
       "three-affairs triage (三会解三事): household affairs to residents, shared to councils, public to government",
       [](ParamRegistry& r, MechanismParams& m) {
         GOVSIM_BIND_SECTION(r, Triage::kName, m.triage, GOVSIM_TRIAGE_PARAMS);
         r.restrict("triage.public_scope", {"all", "hard"});
       },
       [](const MechanismParams& m) -> std::unique_ptr<Mechanism> {
         return std::make_unique<Triage>(m.triage);
       }},
      {JointHandling::kName, JointHandling::kPhases,
       "joint handling of hard problems (难题联办): demand lists, joint meetings assign units, published deadlines",
       [](ParamRegistry& r, MechanismParams& m) {
         GOVSIM_BIND_SECTION(r, JointHandling::kName, m.joint_handling, GOVSIM_JOINT_PARAMS);
         r.restrict("joint_handling.listing", {"campaign", "monthly"});
       },
       [](const MechanismParams& m) -> std::unique_ptr<Mechanism> {
         return std::make_unique<JointHandling>(m.joint_handling);
       }},
      {Whistle::kName, Whistle::kPhases,
       "whistle-and-report (街乡吹哨、部门报到): streets summon departments to work piled-up public affairs",
       [](ParamRegistry& r, MechanismParams& m) {
         GOVSIM_BIND_SECTION(r, Whistle::kName, m.whistle, GOVSIM_WHISTLE_PARAMS);
       },
       [](const MechanismParams& m) -> std::unique_ptr<Mechanism> {
         return std::make_unique<Whistle>(m.whistle);
       }},
  };
  return entries;
}

std::vector<std::string> known_mechanisms() {
  std::vector<std::string> out;
  for (const auto& e : mechanism_entries()) out.push_back(e.name);
  return out;
}

std::int64_t mechanism_first_day(const std::string& name, const MechanismParams& m) {
  if (name == Shock::kName) return m.shock.start_day;
  // Joint handling meets on the days d with d % interval == interval - 1 (JointHandling::act).
  if (name == JointHandling::kName) return m.joint_handling.meeting_interval_days - 1;
  return 0;
}

MechanismStage mechanism_late_stage(const std::string& name, const MechanismParams& m) {
  if (name != JointHandling::kName || m.joint_handling.listing != "campaign") return {};
  // The list is compiled at the first meeting on or after campaign_start_day; before it the units have
  // nothing listed to take on, accept or close.
  const std::int64_t interval = m.joint_handling.meeting_interval_days, start = m.joint_handling.campaign_start_day;
  const std::int64_t day = start + ((interval - 1 - start % interval) % interval + interval) % interval;
  return {day, "compiles its first list of hard problems on day " + std::to_string(day) +
                   " (the first meeting from joint_handling.campaign_start_day " + std::to_string(start) + ")"};
}

std::string known_mechanisms_text() {
  std::string s;
  for (const auto& n : known_mechanisms()) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "none yet" : s;
}

void bind_mechanism_params(ParamRegistry& reg, MechanismParams& m) {
  for (const auto& e : mechanism_entries()) e.bind(reg, m);
}

std::unique_ptr<Mechanism> create_mechanism(const std::string& name, const MechanismParams& m) {
  for (const auto& e : mechanism_entries())
    if (e.name == name) return e.create(m);
  throw std::invalid_argument("Unknown mechanism '" + name + "' (known: " + known_mechanisms_text() + ")");
}

}  // namespace govsim
