// Every core model parameter, declared once: X(name, type, default, min, max, unit, source, help).
// The lists expand into the Params struct fields and into the registry (INI/CLI binding, describe, HDF5).
// Mechanisms declare their own parameters in their own files with the same macro shape.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "params/registry.h"

namespace govsim {

using Int = std::int64_t;
using Real = double;
using Str = std::string;
inline constexpr double kInf = std::numeric_limits<double>::infinity();

#define GOVSIM_RUN_PARAMS(X)                                                                                 \
  X(name, Str, "baseline", 0, 0, "-", "assumption", "Scenario (arm) name written to /runs/arm")             \
  X(seed, Int, 20190501, 0, 4.0e18, "-", "assumption", "Base seed; replicate k uses a seed derived from it") \
  X(days, Int, 365, 1, 36500, "days", "assumption", "Simulated days")                                        \
  X(replicates, Int, 1, 1, 100000, "runs", "assumption", "Replicates (common random numbers per index)")     \
  X(mechanisms, Str, "", 0, 0, "-", "assumption", "Comma-separated mechanism names (empty: baseline)")       \
  X(start_date, Str, "2019-01-01", 0, 0, "date",                                                              \
    "assumption: 1 January, as joint_handling.campaign_start_day's day 120 (about 1 May) reads seed 000's "   \
    "May-November 2019 campaign",                                                                             \
    "Calendar date of day 0 (YYYY-MM-DD) for the output's time axis; no rule reads it (day-of-year "          \
    "parameters count from day 0)")

#define GOVSIM_DISTRICT_PARAMS(X)                                                                            \
  X(communities, Int, 50, 1, 1.0e6, "communities", "seed 000: 50 urban communities in F district",           \
    "Number of communities")                                                                                 \
  X(communities_per_street, Real, 7.4, 1, 1000, "communities/street",                                        \
    "derived from seed 001: Runzhou 52 communities / 7 streets", "Mean communities per street")              \
  X(residents_per_community, Real, 4470, 10, 1.0e6, "residents/community",                                   \
    "derived from seed 001: Runzhou ~232,600 residents / 52 communities", "Mean residents per community")    \
  X(community_size_cv, Real, 0.3, 0, 2, "-", "assumption", "Coefficient of variation of community size")     \
  X(grids_per_community, Real, 6.25, 1, 1000, "grids/community",                                             \
    "derived from seed 001: Runzhou 325 grids / 52 communities", "Mean grids per community")                 \
  X(household_size, Real, 2.62, 1, 10, "residents/household", "assumption", "Mean residents per household")  \
  X(old_neighbourhood_share, Real, 0.3, 0, 1, "share of grids", "assumption",                                \
    "Share of grids that are old neighbourhoods without property management (seed 002)")                     \
  X(share_young, Real, 0.25, 0, 1, "share", "assumption", "Share of residents aged under 35")                \
  X(share_elderly, Real, 0.22, 0, 1, "share", "assumption", "Share of residents aged 60 or more")            \
  X(party_member_share, Real, 0.07, 0, 1, "share", "assumption", "Share of residents who are Party members") \
  X(in_service_members, Int, 8400, 0, 1.0e9, "members", "seed 000: 8,400+ in-service members registered",    \
    "In-service Party members registered with their home community")                                         \
  X(district_leaders, Int, 35, 0, 1.0e6, "leaders", "seed 000: 35 district leaders",                         \
    "District leaders linked to communities")                                                                \
  X(district_organs, Int, 65, 0, 1.0e6, "units", "seed 000: 65 district organs",                             \
    "Co-building district organs")                                                                           \
  X(sections_stations, Int, 89, 0, 1.0e6, "units", "seed 000: 89 sections/stations", "Co-building sections") \
  X(soes, Int, 75, 0, 1.0e6, "units", "seed 000: 75 SOEs", "Co-building state-owned enterprises")            \
  X(two_new_orgs, Int, 57, 0, 1.0e6, "units", "seed 000: 57 two-new organisations",                          \
    "Co-building two-new organisations")                                                                     \
  X(unit_engagement, Real, 0.6, 0, 1, "0-1", "assumption",                                                   \
    "Initial willingness of co-building units to engage")                                                    \
  X(unit_budget_staff_days, Real, 20, 0, 36500, "staff-days/unit/year", "assumption",                        \
    "Staff time a co-building unit can give to community problems in a year")                                \
  X(type_share_old, Real, 0.3, 0, 1, "share of communities", "assumption",                                   \
    "Share of communities that are old neighbourhoods (老旧小区); the four type shares sum to 1")            \
  X(type_share_commercial, Real, 0.4, 0, 1, "share of communities", "assumption",                            \
    "Share of communities that are commercial estates (商品房小区); the four type shares sum to 1")          \
  X(type_share_work_unit, Real, 0.15, 0, 1, "share of communities", "assumption",                            \
    "Share of communities that are work-unit compounds (单位大院); the four type shares sum to 1")           \
  X(type_share_resettled, Real, 0.15, 0, 1, "share of communities", "assumption",                            \
    "Share of communities that are resettled communities (村改居); the four type shares sum to 1")           \
  X(old_elderly_weight, Real, 1.5, 0, 100, "x", "assumption",                                                \
    "Old neighbourhoods: relative elderly share (normalised over residents, §5)")                            \
  X(old_young_weight, Real, 0.7, 0, 100, "x", "assumption",                                                  \
    "Old neighbourhoods: relative young share (normalised over residents, §5)")                              \
  X(old_household_weight, Real, 1.1, 0, 100, "x", "assumption",                                              \
    "Old neighbourhoods: relative household-affair rate (normalised over households, §5)")                   \
  X(old_shared_weight, Real, 1.2, 0, 100, "x",                                                               \
    "assumption (seed 001: 增设停车位、加装电梯 among the problems solved)",                                 \
    "Old neighbourhoods: relative shared-affair rate (normalised over households, §5)")                      \
  X(old_public_weight, Real, 1.0, 0, 100, "x", "assumption",                                                 \
    "Old neighbourhoods: relative public-affair rate (normalised over households, §5)")                      \
  X(old_unmanaged_weight, Real, 3.0, 0, 100, "x",                                                            \
    "assumption (seed 002: 无物业小区, old estates without property management)",                            \
    "Old neighbourhoods: relative share of grids without property management (normalised over grids, §5)")   \
  X(old_staff_weight, Real, 0.9, 0, 100, "x", "assumption",                                                  \
    "Old neighbourhoods: relative grid workers per grid (normalised over grids, §5)")                        \
  X(commercial_elderly_weight, Real, 0.6, 0, 100, "x", "assumption",                                         \
    "Commercial estates: relative elderly share (normalised over residents, §5)")                            \
  X(commercial_young_weight, Real, 1.4, 0, 100, "x", "assumption",                                           \
    "Commercial estates: relative young share (normalised over residents, §5)")                              \
  X(commercial_household_weight, Real, 0.9, 0, 100, "x", "assumption",                                       \
    "Commercial estates: relative household-affair rate (normalised over households, §5)")                   \
  X(commercial_shared_weight, Real, 0.9, 0, 100, "x", "assumption",                                          \
    "Commercial estates: relative shared-affair rate (normalised over households, §5)")                      \
  X(commercial_public_weight, Real, 0.9, 0, 100, "x", "assumption",                                          \
    "Commercial estates: relative public-affair rate (normalised over households, §5)")                      \
  X(commercial_unmanaged_weight, Real, 0.0, 0, 100, "x", "assumption (built with property management)",      \
    "Commercial estates: relative share of grids without property management (normalised over grids, §5)")   \
  X(commercial_staff_weight, Real, 1.1, 0, 100, "x", "assumption",                                           \
    "Commercial estates: relative grid workers per grid (normalised over grids, §5)")                        \
  X(work_unit_elderly_weight, Real, 1.5, 0, 100, "x", "assumption",                                          \
    "Work-unit compounds: relative elderly share (normalised over residents, §5)")                           \
  X(work_unit_young_weight, Real, 0.7, 0, 100, "x", "assumption",                                            \
    "Work-unit compounds: relative young share (normalised over residents, §5)")                             \
  X(work_unit_household_weight, Real, 1.1, 0, 100, "x", "assumption",                                        \
    "Work-unit compounds: relative household-affair rate (normalised over households, §5)")                  \
  X(work_unit_shared_weight, Real, 1.0, 0, 100, "x", "assumption",                                           \
    "Work-unit compounds: relative shared-affair rate (normalised over households, §5)")                     \
  X(work_unit_public_weight, Real, 1.0, 0, 100, "x", "assumption",                                           \
    "Work-unit compounds: relative public-affair rate (normalised over households, §5)")                     \
  X(work_unit_unmanaged_weight, Real, 1.0, 0, 100, "x", "assumption",                                        \
    "Work-unit compounds: relative share of grids without property management (normalised over grids, §5)")  \
  X(work_unit_staff_weight, Real, 1.0, 0, 100, "x", "assumption",                                            \
    "Work-unit compounds: relative grid workers per grid (normalised over grids, §5)")                       \
  X(resettled_elderly_weight, Real, 1.0, 0, 100, "x", "assumption",                                          \
    "Resettled communities: relative elderly share (normalised over residents, §5)")                         \
  X(resettled_young_weight, Real, 1.0, 0, 100, "x", "assumption",                                            \
    "Resettled communities: relative young share (normalised over residents, §5)")                           \
  X(resettled_household_weight, Real, 1.0, 0, 100, "x", "assumption",                                        \
    "Resettled communities: relative household-affair rate (normalised over households, §5)")                \
  X(resettled_shared_weight, Real, 1.1, 0, 100, "x", "assumption",                                           \
    "Resettled communities: relative shared-affair rate (normalised over households, §5)")                   \
  X(resettled_public_weight, Real, 1.3, 0, 100, "x", "assumption",                                           \
    "Resettled communities: relative public-affair rate (normalised over households, §5)")                   \
  X(resettled_unmanaged_weight, Real, 1.5, 0, 100, "x", "assumption",                                        \
    "Resettled communities: relative share of grids without property management (normalised over grids, "    \
    "§5)")                                                                                                   \
  X(resettled_staff_weight, Real, 0.8, 0, 100, "x", "assumption",                                            \
    "Resettled communities: relative grid workers per grid (normalised over grids, §5)")

#define GOVSIM_DEMAND_PARAMS(X)                                                                               \
  X(household_rate, Real, 1.5, 0, 365, "demands/household/year", "assumption", "Household affairs (家事)")    \
  X(shared_rate, Real, 0.5, 0, 365, "demands/household/year", "assumption", "Shared affairs (共事)")          \
  X(public_rate, Real, 0.25, 0, 365, "demands/household/year", "assumption", "Public affairs (公事)")         \
  X(old_shared_multiplier, Real, 2.0, 0, 100, "x", "assumption (seed 002: old estates lack property service)", \
    "Shared-affair rate multiplier in old neighbourhoods")                                                  \
  X(household_p_community, Real, 0.12, 0, 1, "probability", "assumption", "Household affair needs community") \
  X(household_p_street, Real, 0.01, 0, 1, "probability", "assumption", "Household affair needs street")       \
  X(household_p_department, Real, 0.002, 0, 1, "probability", "assumption", "Household affair needs dept")     \
  X(shared_p_community, Real, 0.35, 0, 1, "probability", "assumption", "Shared affair needs community")       \
  X(shared_p_street, Real, 0.03, 0, 1, "probability", "assumption", "Shared affair needs street")             \
  X(shared_p_department, Real, 0.01, 0, 1, "probability", "assumption", "Shared affair needs department")     \
  X(public_p_community, Real, 0.3, 0, 1, "probability", "assumption", "Public affair needs community")        \
  X(public_p_street, Real, 0.1, 0, 1, "probability", "assumption", "Public affair needs street")              \
  X(public_p_department, Real, 0.05, 0, 1, "probability", "assumption", "Public affair needs department")     \
  X(hours_grid, Real, 1.5, 0.01, 1000, "staff-hours", "assumption", "Mean work for a grid-level demand")      \
  X(hours_community, Real, 4, 0.01, 1000, "staff-hours", "assumption", "Mean work for a community demand")    \
  X(hours_street, Real, 12, 0.01, 10000, "staff-hours", "assumption", "Mean work for a street-level demand")   \
  X(hours_department, Real, 24, 0.01, 10000, "staff-hours", "assumption", "Mean work for a department demand") \
  X(size_sigma, Real, 0.8, 0, 3, "log-sd", "assumption", "Log-normal spread of demand sizes")

#define GOVSIM_GRID_PARAMS(X)                                                                                \
  X(workers_per_grid, Real, 2.6, 0.1, 100, "workers/grid",                                                   \
    "derived from seed 001: Runzhou 860 workers / 325 grids", "Mean grid workers per grid")                  \
  X(staffing_cv, Real, 0.25, 0, 3, "-", "assumption (seed 003: 网格员数量不足,导致资源分配不均衡)",          \
    "Coefficient of variation of grid workers per grid between communities (log-normal)")                    \
  X(hours_per_day, Real, 8, 0.5, 24, "hours/day", "assumption", "Normal working hours per worker")           \
  X(max_overtime_hours, Real, 2, 0, 16, "hours/day", "assumption",                                           \
    "Overtime a worker puts in when work waits")                                                             \
  X(admin_tasks_per_day, Real, 2, 0, 100, "tasks/worker/day", "assumption (seed 003: workers burdened)",     \
    "Administrative tasks arriving per worker per day")                                                      \
  X(admin_task_hours, Real, 1.5, 0, 100, "hours/task", "assumption", "Mean hours per administrative task")   \
  X(assess_hours, Real, 0.25, 0, 24, "hours/case", "assumption", "Hours to assess a case before escalating")  \
  X(visit_hours_per_day, Real, 1.0, 0, 24, "hours/worker/day", "assumption",                                \
    "Routine door-to-door visiting, done only with hours left after tasks and cases")                       \
  X(households_per_visit_hour, Real, 2, 0, 100, "households/hour", "assumption", "Visiting speed")          \
  X(fatigue_threshold, Real, 0.9, 0, 3, "utilisation", "assumption", "Utilisation above which fatigue grows") \
  X(fatigue_gain, Real, 0.08, 0, 1, "1/day per unit excess", "assumption", "Fatigue growth rate")             \
  X(fatigue_recovery, Real, 0.03, 0, 1, "1/day per unit slack", "assumption", "Fatigue recovery rate")        \
  X(willingness_threshold, Real, 0.5, 0, 10, "task hours/normal hour",                                    \
    "assumption (seed 003: 大量的自上而下的任务分派挤占了基层工作者的时间与精力 … 削弱了回应民众需求的能力与意愿)", \
    "Smoothed top-down task load (tasks done and waiting, per normal hour) above which willingness falls")   \
  X(willingness_slope, Real, 1.0, 0, 100, "1/unit excess load", "assumption",                              \
    "Willingness lost per unit of smoothed task load above the threshold (willingness scales case hours)")  \
  X(willingness_memory_days, Real, 30, 1, 3650, "days", "assumption",                                      \
    "Time constant of the smoothed task load: how long a load must last to move willingness")               \
  X(quit_base_per_year, Real, 0.12, 0, 1, "probability/year", "assumption", "Turnover of rested workers")     \
  X(quit_fatigue_per_day, Real, 0.004, 0, 1, "probability/day", "assumption",                               \
    "Extra daily quit probability of a fully fatigued worker (scaled by fatigue squared)")                  \
  X(replace_delay_days, Real, 30, 0, 3650, "days", "assumption", "Vacancy before a replacement starts")       \
  X(novice_efficiency, Real, 0.6, 0.05, 1, "-", "assumption", "Work rate of a new worker relative to trained") \
  X(ramp_days, Real, 120, 0, 3650, "days", "assumption", "Days for a new worker to reach full efficiency")

#define GOVSIM_LADDER_PARAMS(X)                                                                               \
  X(community_staff, Real, 4, 0, 1000, "staff", "assumption", "Community staff handling escalated cases")     \
  X(community_hours, Real, 4, 0, 24, "hours/staff/day", "assumption", "Case hours per community staff")       \
  X(community_delay_days, Int, 1, 0, 365, "days", "assumption", "Transfer delay grid -> community")           \
  X(street_staff, Real, 6, 0, 10000, "staff", "assumption (queues stationary at default demand: docs/ODD.md §7.6)", \
    "Street staff handling escalated cases")                                                                \
  X(street_hours, Real, 4, 0, 24, "hours/staff/day", "assumption", "Case hours per street staff")             \
  X(street_delay_days, Int, 2, 0, 365, "days", "assumption", "Transfer delay community -> street")           \
  X(department_staff_per_street, Real, 3, 0, 10000, "staff/street",                                          \
    "assumption (queues stationary at default demand: docs/ODD.md §7.6)",                                  \
    "District department staff on escalated cases, per street")                                             \
  X(department_hours, Real, 6, 0, 24, "hours/staff/day", "assumption", "Case hours per department staff")     \
  X(department_delay_days, Int, 5, 0, 365, "days", "assumption", "Transfer delay street -> department")      \
  X(assess_hours, Real, 0.5, 0, 24, "hours/case", "assumption", "Assessment hours at community and above")    \
  X(extra_parties_mean, Real, 1.0, 0, 6, "parties", "assumption",                                             \
    "Mean number of parties (departments, or money beyond the community's budget) a hard problem needs beyond one") \
  X(coordination_days, Real, 20, 0, 3650, "days/party", "assumption",                                          \
    "Days the parties of a hard problem take to act on it once the ladder has done its work, per party")     \
  X(passback_per_party, Real, 0.2, 0, 1, "probability/party", "assumption (推诿)",                             \
    "Chance that each party passes a hard problem back down to the community instead of acting on it")       \
  X(work_start_hour, Real, 8, 0, 23, "hour of day", "assumption", "Hour at which every level starts work")     \
  X(abandon_days, Int, 180, 1, 36500, "days", "assumption", "Cases open this long are abandoned unresolved")

#define GOVSIM_OPINION_PARAMS(X)                                                                              \
  X(satisfaction_mean, Real, 0.55, 0, 1, "0-1", "assumption", "Initial satisfaction mean")                   \
  X(satisfaction_sd, Real, 0.15, 0, 1, "0-1", "assumption", "Initial satisfaction sd")                       \
  X(trust_mean, Real, 0.5, 0, 1, "0-1", "assumption", "Initial trust mean")                                  \
  X(trust_sd, Real, 0.15, 0, 1, "0-1", "assumption", "Initial trust sd")                                     \
  X(awareness_initial, Real, 0.2, 0, 1, "share", "assumption", "Initial share aware of the big committee")    \
  X(good_threshold, Real, 0.6, 0, 1, "0-1", "assumption (ours; seed 000 has no scale: 74.53% 較好或很好)",   \
    "Satisfaction at or above which a resident rates the work good or very good (較好或很好)")               \
  X(expect_household_hours, Real, 72, 1, 1.0e5, "hours", "assumption", "Expected resolution, household")      \
  X(expect_shared_hours, Real, 240, 1, 1.0e5, "hours", "assumption", "Expected resolution, shared")           \
  X(expect_public_hours, Real, 480, 1, 1.0e5, "hours", "assumption", "Expected resolution, public")           \
  X(gain_met, Real, 0.12, 0, 1, "share of gap", "assumption",                                               \
    "Satisfaction gain of a good experience a mechanism provides (DayApi::experience_met, e.g. a prevented problem)") \
  X(grievance, Real, 0.05, 0, 1, "share of satisfaction", "assumption",                                      \
    "Satisfaction a new problem takes from its resident at once; given back (as relaxed) when it is resolved") \
  X(open_cost_per_day, Real, 0.005, 0, 1, "1/day", "assumption",                                             \
    "Hazard of satisfaction loss from an open problem: 0 up to the expected time, rising to this at twice it") \
  X(memory_days, Real, 180, 0, 36500, "days", "assumption",                                                  \
    "Time constant with which satisfaction and trust relax toward the resident's resting level (0: never)") \
  X(moving_per_year, Real, 0.05, 0, 1, "share/year", "assumption",                                           \
    "Residents moving out a year, each replaced by a newcomer unaware of the committee, opinions at rest")   \
  X(aware_forget_per_year, Real, 0.5, 0, 100, "1/year", "assumption",                                        \
    "Rate at which a resident who hears nothing more of the big Party committee stops knowing of it")       \
  X(committee_good_threshold, Real, 0.6, 0, 1, "0-1", "assumption",                                          \
    "Trust at or above which a resident aware of the big Party committee rates its work good or very good")  \
  X(loss_missed, Real, 0, 0, 1, "share per expectation overrun",                                           \
    "assumption (0: the open cost already charges the wait; a lump at closure can make closing late worse than never)", \
    "Satisfaction loss at a late resolution, per multiple of the expectation overrun (capped)")                                   \
  X(miss_cap, Real, 3, 0, 100, "expectations", "assumption", "Cap on overrun multiples")                     \
  X(loss_abandoned, Real, 0.3, 0, 1, "share", "assumption", "Satisfaction loss when a case is abandoned")     \
  X(loss_gave_up, Real, 0.05, 0, 1, "share", "assumption", "Satisfaction loss when an unreported demand lapses") \
  X(trust_coupling, Real, 0.6, 0, 2, "-", "assumption", "Trust change per unit satisfaction change")         \
  X(wom_degree, Int, 4, 0, 64, "neighbours", "assumption", "Neighbours each resident talks to")              \
  X(wom_rewire, Real, 0.1, 0, 1, "probability", "assumption", "Share of neighbour links drawn across the grid") \
  X(wom_weight, Real, 0.25, 0, 1, "-", "assumption", "Share of an experience passed to each neighbour")       \
  X(aware_on_contact, Real, 0.15, 0, 1, "probability", "assumption",                                         \
    "Chance a resident whose case reached the community becomes aware of the big committee")                \
  X(aware_by_wom, Real, 0.02, 0, 1, "probability", "assumption", "Chance a neighbour becomes aware by word of mouth") \
  X(propensity_sd, Real, 0.15, 0, 1, "probability", "assumption",                                           \
    "Spread (sd) of individual participation and digital propensities around their age-band means")         \
  X(participation_young, Real, 0.35, 0, 1, "probability", "assumption (seed 004: mostly elderly take part)",  \
    "Mean participation propensity, young")                                                                 \
  X(participation_working, Real, 0.45, 0, 1, "probability", "assumption", "Mean participation, working age") \
  X(participation_elderly, Real, 0.75, 0, 1, "probability", "assumption (seed 004)", "Mean participation, elderly") \
  X(digital_young, Real, 0.8, 0, 1, "probability", "assumption (seed 004: little digital use)",              \
    "Mean digital-channel propensity, young")                                                               \
  X(digital_working, Real, 0.6, 0, 1, "probability", "assumption", "Mean digital propensity, working age")   \
  X(digital_elderly, Real, 0.15, 0, 1, "probability", "assumption", "Mean digital propensity, elderly")      \
  X(workload_young, Real, 0.2, 0, 1, "share", "assumption (seed 003: 居民平时工作生活较忙; seed 004: 中青年居民 … 參與較少)", \
    "Share of the chance of taking part in councils and volunteering that work and daily life take away, young") \
  X(workload_working, Real, 0.3, 0, 1, "share", "assumption (seed 003: 居民平时工作生活较忙)",                  \
    "Share of the chance of taking part that work and daily life take away, working age")                    \
  X(workload_elderly, Real, 0.0, 0, 1, "share", "assumption (retired: no work taking their time)",           \
    "Share of the chance of taking part that work and daily life take away, elderly")                        \
  X(report_trust_weight, Real, 0.5, 0, 1, "-", "assumption", "Weight of trust in the reporting probability")  \
  X(latent_give_up_days, Int, 30, 1, 3650, "days", "assumption", "Days an unreported demand waits to be found")

// Cost accounting (docs/ODD.md §7.20): hourly pay by level, in yuan. The seeds give no pay or budget figure
// (no 元, 工资 or 经费 amount), so every rate is an assumption; a month is read as 174 paid hours (21.75 days
// of 8).
#define GOVSIM_COST_PARAMS(X)                                                                            \
  X(wage_grid_per_hour, Real, 30, 0, 1.0e5, "yuan/hour", "assumption (about 5,200 yuan a month)",        \
    "Pay of a grid worker's hour on duty; also the pay of the staff the staffed down-shifting variant "  \
    "brings")                                                                                            \
  X(wage_community_per_hour, Real, 35, 0, 1.0e5, "yuan/hour", "assumption (about 6,100 yuan a month)",   \
    "Pay of a community staff member's hour on duty (ladder.community_staff x ladder.community_hours a " \
    "day)")                                                                                              \
  X(wage_street_per_hour, Real, 50, 0, 1.0e5, "yuan/hour", "assumption (about 8,700 yuan a month)",      \
    "Pay of a street staff member's hour on duty (ladder.street_staff x ladder.street_hours a day)")     \
  X(wage_department_per_hour, Real, 60, 0, 1.0e5, "yuan/hour", "assumption (about 10,400 yuan a month)", \
    "Pay of a district department staff member's hour on duty")                                          \
  X(wage_unit_per_hour, Real, 50, 0, 1.0e5, "yuan/hour", "assumption",                                   \
    "Value of a co-building unit's staff-hour spent on a community problem (paid by the unit)")          \
  X(wage_cadre_per_hour, Real, 60, 0, 1.0e5, "yuan/hour", "assumption",                                  \
    "Value of a cadre's or district leader's hour spent on meetings, led items and household visits")    \
  X(wage_member_per_hour, Real, 50, 0, 1.0e5, "yuan/hour", "assumption",                                 \
    "Value of an in-service Party member's volunteer hour (paid by the member's own organ or enterprise)")

#define GOVSIM_DECLARE_FIELD(name, type, def, min, max, unit, source, help) type name;

struct RunParams { GOVSIM_RUN_PARAMS(GOVSIM_DECLARE_FIELD) };
struct DistrictParams { GOVSIM_DISTRICT_PARAMS(GOVSIM_DECLARE_FIELD) };
struct DemandParams { GOVSIM_DEMAND_PARAMS(GOVSIM_DECLARE_FIELD) };
struct GridParams { GOVSIM_GRID_PARAMS(GOVSIM_DECLARE_FIELD) };
struct LadderParams { GOVSIM_LADDER_PARAMS(GOVSIM_DECLARE_FIELD) };
struct OpinionParams { GOVSIM_OPINION_PARAMS(GOVSIM_DECLARE_FIELD) };
struct CostParams {
  GOVSIM_COST_PARAMS(GOVSIM_DECLARE_FIELD)
};

// Registers one X-list under a section, binding each entry to a field of `obj`.
#define GOVSIM_BIND_FIELD(name, type, def, min, max, unit, source, help) \
  reg.add(govsim_section_, #name, &govsim_obj_->name, def, min, max, unit, source, help);
#define GOVSIM_BIND_SECTION(reg_, section, obj, LIST) \
  do {                                                \
    auto& reg = (reg_);                               \
    const std::string govsim_section_ = (section);    \
    auto* govsim_obj_ = &(obj);                       \
    LIST(GOVSIM_BIND_FIELD)                           \
  } while (0)

// Writes one field of a parameter block `p_` to an AttributeSink `out` (a mechanism's describe()).
#define GOVSIM_DESCRIBE_FIELD(name, type, def, min, max, unit, source, help) describe_value(out, #name, p_.name);

struct Params {
  RunParams run;
  DistrictParams district;
  DemandParams demand;
  GridParams grid;
  LadderParams ladder;
  OpinionParams opinion;
  CostParams cost;

  // Binds every core field (and sets it to its default).
  void declare(ParamRegistry& reg);
};

}  // namespace govsim
