#include "mechanisms/factory.h"

#include <stdexcept>

#include "mechanisms/digital_platform.h"
#include "mechanisms/downshift.h"
#include "mechanisms/dual_registration.h"
#include "mechanisms/joint_handling.h"
#include "mechanisms/triage.h"
#include "mechanisms/whistle.h"
#include "mechanisms/shock.h"
#include "mechanisms/visits.h"
#include "mechanisms/property_tiers.h"
#include "mechanisms/social_workers.h"
#include "params/config.h"

namespace govsim {

const std::vector<MechanismEntry>& mechanism_entries() {
  // The baseline escalation ladder is the core model, not an entry. Within a phase, mechanisms act in the
  // order of this list, whatever order run.mechanisms names them in: a shock first (it sets the next day's
  // demand levers), then the mechanisms that change demand, reporting and capacity, then those that route
  // and handle cases, and whistle-and-report last (it reads the day's closed cases).
  static const std::vector<MechanismEntry> entries = {
      {Shock::kName,
       "shock (epidemic or disaster): demands multiplied and urgent tasks added for a while; peak backlog, recovery",
       [](Config& cfg) {
         GOVSIM_BIND_SECTION(cfg.registry(), Shock::kName, cfg.block<ShockParams>(Shock::kName), GOVSIM_SHOCK_PARAMS);
       },
       [](const Config& cfg) -> std::unique_ptr<Mechanism> {
         return std::make_unique<Shock>(cfg.block<ShockParams>(Shock::kName));
       }},
      {PropertyTiers::kName,
       "property service tiers and red property (红色物业): fewer shared affairs in old grids, the property "
       "company resolves part of them",
       [](Config& cfg) {
         GOVSIM_BIND_SECTION(cfg.registry(), PropertyTiers::kName, cfg.block<PropertyTiersParams>(PropertyTiers::kName),
                             GOVSIM_PROPERTY_PARAMS);
         cfg.registry().restrict("property_tiers.tier", {"standard", "basic", "guaranteed", "mixed"});
       },
       [](const Config& cfg) -> std::unique_ptr<Mechanism> {
         return std::make_unique<PropertyTiers>(cfg.block<PropertyTiersParams>(PropertyTiers::kName));
       }},
      {DigitalPlatform::kName,
       "digital platform (智治平台 / 一网统管): digital reporting channel, faster dispatch, grid deadlines",
       [](Config& cfg) {
         GOVSIM_BIND_SECTION(cfg.registry(), DigitalPlatform::kName,
                             cfg.block<DigitalPlatformParams>(DigitalPlatform::kName), GOVSIM_DIGITAL_PARAMS);
       },
       [](const Config& cfg) -> std::unique_ptr<Mechanism> {
         return std::make_unique<DigitalPlatform>(cfg.block<DigitalPlatformParams>(DigitalPlatform::kName));
       }},
      {SocialWorkers::kName,
       "community social workers (社工): case hours at the community level per 10,000 residents, pay rise against turnover",
       [](Config& cfg) {
         GOVSIM_BIND_SECTION(cfg.registry(), SocialWorkers::kName, cfg.block<SocialWorkersParams>(SocialWorkers::kName),
                             GOVSIM_SOCIAL_WORKERS_PARAMS);
       },
       [](const Config& cfg) -> std::unique_ptr<Mechanism> {
         return std::make_unique<SocialWorkers>(cfg.block<SocialWorkersParams>(SocialWorkers::kName));
       }},
      {Downshift::kName,
       "workload down-shifting (事务下沉): administrative tasks pushed to grid workers (tasks, staffed, capped)",
       [](Config& cfg) {
         GOVSIM_BIND_SECTION(cfg.registry(), Downshift::kName, cfg.block<DownshiftParams>(Downshift::kName),
                             GOVSIM_DOWNSHIFT_PARAMS);
         cfg.registry().restrict("downshift.variant", {"tasks", "staffed", "capped"});
       },
       [](const Config& cfg) -> std::unique_ptr<Mechanism> {
         return std::make_unique<Downshift>(cfg.block<DownshiftParams>(Downshift::kName));
       }},
      {Visits::kName,
       "visits (联访 / 三下沉): scheduled grid-worker visits and weekly cadre visits find demands, raise awareness",
       [](Config& cfg) {
         GOVSIM_BIND_SECTION(cfg.registry(), Visits::kName, cfg.block<VisitsParams>(Visits::kName),
                             GOVSIM_VISITS_PARAMS);
       },
       [](const Config& cfg) -> std::unique_ptr<Mechanism> {
         return std::make_unique<Visits>(cfg.block<VisitsParams>(Visits::kName));
       }},
      {DualRegistration::kName,
       "dual registration (双报到): in-service members volunteer at the grids and surge in a shock",
       [](Config& cfg) {
         GOVSIM_BIND_SECTION(cfg.registry(), DualRegistration::kName,
                             cfg.block<DualRegistrationParams>(DualRegistration::kName), GOVSIM_DUAL_REGISTRATION_PARAMS);
       },
       [](const Config& cfg) -> std::unique_ptr<Mechanism> {
         return std::make_unique<DualRegistration>(cfg.block<DualRegistrationParams>(DualRegistration::kName));
       }},
      {Triage::kName,
       "three-affairs triage (三会解三事): household affairs to residents, shared to councils, public to government",
       [](Config& cfg) {
         GOVSIM_BIND_SECTION(cfg.registry(), Triage::kName, cfg.block<TriageParams>(Triage::kName),
                             GOVSIM_TRIAGE_PARAMS);
         cfg.registry().restrict("triage.public_scope", {"all", "hard"});
       },
       [](const Config& cfg) -> std::unique_ptr<Mechanism> {
         return std::make_unique<Triage>(cfg.block<TriageParams>(Triage::kName));
       }},
      {JointHandling::kName,
       "joint handling of hard problems (难题联办): demand lists, joint meetings assign units, published deadlines",
       [](Config& cfg) {
         GOVSIM_BIND_SECTION(cfg.registry(), JointHandling::kName, cfg.block<JointHandlingParams>(JointHandling::kName),
                             GOVSIM_JOINT_PARAMS);
         cfg.registry().restrict("joint_handling.listing", {"campaign", "monthly"});
       },
       [](const Config& cfg) -> std::unique_ptr<Mechanism> {
         return std::make_unique<JointHandling>(cfg.block<JointHandlingParams>(JointHandling::kName));
       }},
      {Whistle::kName,
       "whistle-and-report (街乡吹哨、部门报到): streets summon departments to work piled-up public affairs",
       [](Config& cfg) {
         GOVSIM_BIND_SECTION(cfg.registry(), Whistle::kName, cfg.block<WhistleParams>(Whistle::kName),
                             GOVSIM_WHISTLE_PARAMS);
       },
       [](const Config& cfg) -> std::unique_ptr<Mechanism> {
         return std::make_unique<Whistle>(cfg.block<WhistleParams>(Whistle::kName));
       }},
  };
  return entries;
}

std::vector<std::string> known_mechanisms() {
  std::vector<std::string> out;
  for (const auto& e : mechanism_entries()) out.push_back(e.name);
  return out;
}

std::string known_mechanisms_text() {
  std::string s;
  for (const auto& n : known_mechanisms()) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "none yet" : s;
}

std::unique_ptr<Mechanism> create_mechanism(const std::string& name, const Config& cfg) {
  for (const auto& e : mechanism_entries())
    if (e.name == name) return e.create(cfg);
  throw std::invalid_argument("Unknown mechanism '" + name + "' (known: " + known_mechanisms_text() + ")");
}

}  // namespace govsim
