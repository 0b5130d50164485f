// govsim serve: an explorer in the browser. A local web server (cpp-httplib) hands out the page in web/
// (plain HTML and JavaScript, charts by Debian's chart.js), the parameter registry, and one simulation per
// browser tab (a session): configured from the page's values through the same loader as `govsim run` (so a
// bad value gets the command line's message), advanced day by day in the session's own thread, its series
// streamed to the page as server-sent events. Everything a session writes lies in OUT/session-N/.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <boost/program_options.hpp>

#include "cli/commands.h"
#include "cli/options.h"
#include "experiment/comparison.h"
#include "experiment/live.h"
#include "mechanisms/factory.h"
#include "util/install.h"
#include "util/json.h"
// Last: httplib.h brings <resolv.h>, whose `_res` macro breaks Eigen's headers if they come after it.
#include <httplib.h>

#ifndef GOVSIM_CHARTJS
#define GOVSIM_CHARTJS "/usr/share/javascript/chart.js/chart.min.js"
#endif

namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace govsim::cli {

namespace {

// One browser tab's simulation. The worker thread steps days while `running` (or `steps` > 0); the page's
// commands and the event streams meet it under `m`. `files` serialises what rebuilds the run or writes the
// session's files (configure, reset, the HDF5 download).
struct Session {
  int id = 0;
  fs::path dir;
  std::mutex m, files;
  std::condition_variable cv;
  std::unique_ptr<Comparison> cmp;
  std::unique_ptr<LiveComparison> live;  // stepped by the worker outside `m` while `busy`
  std::string map_metric = "share_good";
  std::vector<std::string> events;  // one JSON text per day stepped: the district series
  std::string map;                  // the latest map (JSON), and how often it changed
  std::uint64_t map_version = 0;
  std::uint64_t generation = 0;  // bumped when the run is rebuilt: streams start again
  int day = -1, days = 0;        // the run's progress, as of the last step (read by state())
  bool running = false, busy = false, stop = false;
  int steps = 0;
  std::string error;  // a run that failed
  std::thread worker;
  std::chrono::steady_clock::time_point seen = std::chrono::steady_clock::now();  // the page's last request
};

// A session the page has not asked about for this long (no request, no open event stream) and that is not
// running is ended when the next tab opens: closed tabs do not keep their worlds in memory. At most
// kMaxSessions at once (each open tab holds one of the server's threads with its event stream).
constexpr auto kIdleSession = std::chrono::minutes(30);
constexpr std::size_t kMaxSessions = 32;
// While a run goes on, the community map is redrawn at most this often (a city has 65,000 communities).
constexpr auto kMapInterval = std::chrono::milliseconds(250);

// The day's district series of each arm (names, units and the metrics kept by community on day 0 only).
std::string day_event(const LiveComparison& live) {
  const int d = live.day();
  Json arms = Json::array();
  for (std::size_t a = 0; a < live.arms(); ++a) {
    Json values = Json::array(), names = Json::array(), units = Json::array(), mapped = Json::array();
    const auto& specs = live.metrics(a);
    for (std::size_t m = 0; m < specs.size(); ++m) {
      const auto& spec = specs[m];
      values.push_back(live.value_at(a, m, d));
      if (d == 0) {
        names.push_back(spec.name);
        units.push_back(spec.unit);
        if (spec.by_community) mapped.push_back(spec.name);
      }
    }
    Json arm = {{"values", values}};
    if (d == 0) {
      arm["metrics"] = names;
      arm["units"] = units;
      arm["by_community"] = mapped;
    }
    arms.push_back(arm);
  }
  return json_text(Json{{"day", d}, {"days", live.days()}, {"arms", arms}});
}

// The map metric in each community of each arm's replicate 0 on the last day stepped.
std::string map_event(const LiveComparison& live, const std::string& metric) {
  Json arms = Json::array();
  for (std::size_t a = 0; a < live.arms(); ++a) arms.push_back(live.community_values(a, metric, live.day()));
  return json_text(Json{{"day", live.day()}, {"metric", metric}, {"arms", arms}});
}

void work(Session& s) {
  std::unique_lock lock(s.m);
  auto last_map = std::chrono::steady_clock::now() - kMapInterval;
  for (;;) {
    s.cv.wait(lock, [&] { return s.stop || (s.live && !s.live->done() && (s.running || s.steps > 0)); });
    if (s.stop) return;
    if (s.steps > 0) --s.steps;
    s.busy = true;
    LiveComparison& live = *s.live;
    const std::string metric = s.map_metric;
    lock.unlock();
    std::string event, map, error;
    try {
      live.step();
      event = day_event(live);
    } catch (const std::exception& e) {
      error = e.what();
    }
    lock.lock();
    const bool more = error.empty() && !live.done() && (s.running || s.steps > 0);
    const auto now = std::chrono::steady_clock::now();
    if (error.empty() && (!more || now - last_map >= kMapInterval)) {
      lock.unlock();
      map = map_event(live, metric);
      lock.lock();
      last_map = now;
    }
    s.busy = false;
    if (!error.empty()) {
      s.error = "govsim: " + error;
      s.running = false;
      s.steps = 0;
    } else {
      s.events.push_back(std::move(event));
      s.day = live.day();
      if (!map.empty()) {
        s.map = std::move(map);
        ++s.map_version;
      }
      if (live.done()) s.running = false;
    }
    s.cv.notify_all();
  }
}

// Waits until the worker is between days, so the run can be replaced or read.
void settle(Session& s, std::unique_lock<std::mutex>& lock) {
  s.running = false;
  s.steps = 0;
  s.cv.wait(lock, [&] { return !s.busy; });
}

// Installs a new run (built by the caller, outside the lock): streams start again from day 0.
void install(Session& s, std::unique_ptr<Comparison> cmp, std::unique_ptr<LiveComparison> live) {
  std::unique_lock lock(s.m);
  settle(s, lock);
  if (cmp) s.cmp = std::move(cmp);
  s.live = std::move(live);
  s.events.clear();
  s.map.clear();
  ++s.map_version;
  s.error.clear();
  s.day = -1;
  s.days = s.live->days();
  ++s.generation;
  s.cv.notify_all();
}

class Server {
 public:
  Server(std::string base, fs::path out, fs::path web)
      : base_(std::move(base)), out_(std::move(out)), web_(std::move(web)) {}

  // Ends every session's event stream and worker (the server is stopping).
  void stop_all() {
    std::lock_guard lock(m_);
    for (auto& [id, s] : sessions_) {
      {
        std::lock_guard sl(s->m);
        s->stop = true;
      }
      s->cv.notify_all();
    }
  }

  ~Server() {
    stop_all();
    std::lock_guard lock(m_);
    for (auto& [id, s] : sessions_)
      if (s->worker.joinable()) s->worker.join();
  }

  // The page's starting point: the base scenario's values and arms, the registry, the mechanisms.
  Json model() const {
    Comparison base;
    if (!base_.empty()) base.load(base_, {});
    const Scenario& cfg = base_.empty() ? Scenario() : base.file().base;
    static const Scenario defaults;
    Json sections = Json::array();
    std::map<std::string, std::size_t> index;
    for (const auto& spec : defaults.registry().specs()) {
      const std::string section = spec.key.substr(0, spec.key.find('.'));
      if (!index.count(section)) {
        index[section] = sections.size();
        sections.push_back({{"name", section}, {"params", Json::array()}});
      }
      const ParamSpec* here = cfg.registry().find(spec.key);
      sections[index[section]]["params"].push_back({{"key", spec.key},
                                                    {"type", type_name(spec.type)},
                                                    {"default", spec.default_text},
                                                    {"value", here ? here->get() : spec.default_text},
                                                    {"min", spec.min},
                                                    {"max", spec.max},
                                                    {"unit", spec.unit},
                                                    {"source", spec.source},
                                                    {"help", spec.help},
                                                    {"choices", spec.choices}});
    }
    Json arms = Json::array();
    if (!base_.empty() && base.arms().size() > 1) {
      for (std::size_t a = 0; a < 2; ++a)
        arms.push_back({{"name", base.names()[a]}, {"mechanisms", base.arms()[a].mechanism_names()}});
    } else {
      arms.push_back({{"name", "baseline"}, {"mechanisms", cfg.mechanism_names()}});
      arms.push_back({{"name", "mechanism"}, {"mechanisms", cfg.mechanism_names()}});
    }
    return {{"scenario", base_}, {"sections", sections}, {"mechanisms", known_mechanisms()}, {"arms", arms}};
  }

  // A new session's id, or 0 if kMaxSessions are open (idle ones are ended first).
  int new_session() {
    std::lock_guard lock(m_);
    const auto now = std::chrono::steady_clock::now();
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      Session& old = *it->second;
      bool idle = false;
      {
        std::lock_guard sl(old.m);
        idle = !old.running && now - old.seen > kIdleSession;
        if (idle) old.stop = true;
      }
      if (!idle) {
        ++it;
        continue;
      }
      old.cv.notify_all();
      if (old.worker.joinable()) old.worker.join();
      it = sessions_.erase(it);  // its files stay in its directory
    }
    if (sessions_.size() >= kMaxSessions) return 0;
    auto s = std::make_shared<Session>();
    // A new directory: an --out used before keeps its sessions' files, and no new session takes them.
    do {
      s->id = ++last_id_;
      s->dir = out_ / ("session-" + std::to_string(s->id));
    } while (!fs::create_directory(s->dir));
    s->worker = std::thread(work, std::ref(*s));
    sessions_[s->id] = s;
    return s->id;
  }

  std::shared_ptr<Session> session(const std::string& id) {
    std::lock_guard lock(m_);
    try {
      const auto it = sessions_.find(std::stoi(id));
      return it == sessions_.end() ? nullptr : it->second;
    } catch (const std::exception&) {
      return nullptr;
    }
  }

  // The page's configuration: changed values become `--set`s on the base, the two arms an [arms] section;
  // loaded as `govsim run` loads a file. "" on success, else the one-line message govsim run would print.
  std::string configure(Session& s, const Json& body) {
    std::lock_guard files(s.files);
    // The request's shape: values {key: text}, arms [{name, mechanisms [..]}] (two), map_metric.
    std::vector<std::string> sets;
    std::string arms = "\n[arms]\n";
    try {
      if (!body.is_object()) return "govsim serve: bad request: expected a JSON object";
      if (body.contains("values")) {
        if (!body["values"].is_object()) return "govsim serve: bad request: 'values' must be an object";
        for (const auto& [key, value] : body["values"].items()) {
          const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
          if (text.find_first_of("\r\n") != std::string::npos ||
              key.find_first_of("\r\n=") != std::string::npos)
            return "govsim serve: key '" + key + "': a value cannot hold a line break";
          sets.push_back(key + "=" + text);
        }
      }
      if (!body.contains("arms") || !body["arms"].is_array() || body["arms"].empty() ||
          body["arms"].size() > 8)
        return "govsim serve: bad request: 'arms' must list one to eight arms";
      const auto known = known_mechanisms();
      std::vector<std::string> names;
      for (const auto& arm : body["arms"]) {
        const std::string name = arm.at("name").get<std::string>();
        // Pasted into the [arms] section: a plain word only, so the text cannot say anything else.
        if (name.empty() || name.size() > 64 ||
            name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
                std::string::npos)
          return "govsim serve: arm name '" + name + "': use letters, digits, '_' and '-' (at most 64)";
        if (std::find(names.begin(), names.end(), name) != names.end())
          return "govsim serve: two arms are named '" + name + "'";
        names.push_back(name);
        std::string mechs;
        for (const auto& m : arm.value("mechanisms", Json::array())) {
          const std::string mech = m.get<std::string>();
          if (std::find(known.begin(), known.end(), mech) == known.end())
            return "govsim serve: arm '" + name + "': unknown mechanism '" + mech +
                   "' (known: " + known_mechanisms_text() + ")";
          mechs += (mechs.empty() ? "" : ",") + mech;
        }
        arms += name + " = run.mechanisms=" + mechs + "\n";
      }
    } catch (const Json::exception& e) {
      return std::string("govsim serve: bad request: ") + e.what();
    }
    // The base scenario is included as it is, so that a refused value is blamed where govsim run would
    // blame it; one with arms or contrasts of its own is written out instead (its arms give way to the
    // page's).
    std::string text;
    if (!base_.empty()) {
      Comparison base;
      base.load(base_, {});
      text = base.file().arms.empty() && base.file().contrasts.empty() ? "include = " + base_ + "\n"
                                                                       : base.file().base.registry().to_ini();
    }
    const fs::path request = s.dir / "request.ini";
    write_text_atomically(request, "# govsim serve: the page's arms on " +
                                       (base_.empty() ? std::string("the defaults") : base_) + "\n" + text +
                                       arms);
    auto cmp = std::make_unique<Comparison>();
    std::unique_ptr<LiveComparison> live;
    try {
      cmp->load(request.string(), sets);
      const auto& first = cmp->arms().front().params;
      check_memory(cmp->arms().front(), cmp->arms().size() * static_cast<std::uint64_t>(first.run.replicates),
                   "govsim serve");
      live = std::make_unique<LiveComparison>(*cmp);
    } catch (const std::exception& e) {
      return std::string("govsim: ") + e.what();
    }
    // What the page runs, as a scenario file: `govsim run scenario.ini` gives the same series.
    write_text_atomically(s.dir / "scenario.ini", "# Saved by govsim serve\n" + cmp->config_text());
    fs::remove(s.dir / "result.h5");
    if (body.contains("map_metric") && body["map_metric"].is_string()) {
      std::lock_guard lock(s.m);
      s.map_metric = body["map_metric"].get<std::string>();
    }
    install(s, std::move(cmp), std::move(live));
    return "";
  }

  // Run, pause, step a day, reset (the same configuration from day 0).
  void command(Session& s, const std::string& what) {
    if (what == "reset") {
      std::lock_guard files(s.files);
      if (s.cmp) install(s, nullptr, std::make_unique<LiveComparison>(*s.cmp));
      return;
    }
    std::unique_lock lock(s.m);
    const bool can_go = s.live != nullptr && s.day + 1 < s.days;
    if (what == "run" && can_go) s.running = true;
    if (what == "pause") s.running = false;
    if (what == "step" && can_go) ++s.steps;
    s.cv.notify_all();
  }

  // Which metric the community map shows: redrawn now for the last day stepped.
  void map_metric(Session& s, const std::string& metric) {
    std::unique_lock lock(s.m);
    s.map_metric = metric;
    s.cv.wait(lock, [&] { return !s.busy; });  // the worker cannot start a day while this holds the lock
    if (s.live && s.live->day() >= 0) {
      s.map = map_event(*s.live, metric);
      ++s.map_version;
      s.cv.notify_all();
    }
  }

  Json state(Session& s) {
    std::lock_guard lock(s.m);
    return {{"id", s.id},
            {"configured", s.live != nullptr},
            {"day", s.day},
            {"days", s.days},
            {"running", s.running},
            {"done", s.live != nullptr && s.day + 1 >= s.days},
            {"arms", s.cmp ? s.cmp->names() : std::vector<std::string>{}},
            {"replicates", s.cmp ? s.cmp->arms().front().params.run.replicates : 0},
            {"error", s.error}};
  }

  // The session's HDF5 file: `govsim run` on the saved scenario (this binary, in the session's directory;
  // it writes under a temporary name and renames).
  std::string result(Session& s, fs::path& file) {
    std::lock_guard files(s.files);
    file = s.dir / "result.h5";
    if (fs::exists(file)) return "";
    if (!fs::exists(s.dir / "scenario.ini")) return "nothing configured yet";
    const int rc = spawn_and_wait({executable_path().string(), "run", (s.dir / "scenario.ini").string(),
                                   "--out", file.string(), "--quiet", "--force"});
    return rc == 0 ? "" : "govsim run on the saved scenario exited " + std::to_string(rc);
  }

  const fs::path& web() const { return web_; }

 private:
  std::string base_;
  fs::path out_, web_;
  std::mutex m_;
  std::map<int, std::shared_ptr<Session>> sessions_;
  int last_id_ = 0;
};

void reply_json(httplib::Response& res, const Json& j, int status = 200) {
  res.status = status;
  res.set_content(json_text(j), "application/json");
}

void routes(httplib::Server& http, Server& app) {
  // Whatever a handler throws becomes a JSON error, not a dropped connection.
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown error";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    reply_json(res, {{"error", "govsim: " + what}}, 500);
  });
  for (const char* name : {"index.html", "app.js", "style.css"}) {
    const std::string type = fs::path(name).extension() == ".js"    ? "text/javascript"
                             : fs::path(name).extension() == ".css" ? "text/css"
                                                                    : "text/html; charset=utf-8";
    const fs::path file = app.web() / name;
    http.Get(std::string("/") + (std::string(name) == "index.html" ? "" : name),
             [file, type](const httplib::Request&, httplib::Response& res) {
               res.set_content(read_text(file), type.c_str());
             });
  }
  http.Get("/chart.js", [](const httplib::Request&, httplib::Response& res) {
    const char* env = std::getenv("GOVSIM_CHARTJS");
    const fs::path file = env && *env ? env : GOVSIM_CHARTJS;
    if (!fs::exists(file)) {
      res.status = 404;
      res.set_content("chart.js not found at " + file.string() + " (Debian: libjs-chart.js)", "text/plain");
      return;
    }
    res.set_content(read_text(file), "text/javascript");
  });
  http.Get("/api/model",
           [&app](const httplib::Request&, httplib::Response& res) { reply_json(res, app.model()); });
  http.Post("/api/sessions", [&app](const httplib::Request&, httplib::Response& res) {
    const int id = app.new_session();
    if (id == 0)
      return reply_json(res,
                        {{"error", "govsim serve: " + std::to_string(kMaxSessions) +
                                       " sessions are open; close a tab (an idle one ends after 30 min)"}},
                        503);
    reply_json(res, {{"id", id}});
  });
  auto with_session = [&app](auto handler) {
    return [&app, handler](const httplib::Request& req, httplib::Response& res) {
      const auto s = app.session(req.matches[1]);
      if (!s) return reply_json(res, {{"error", "no such session"}}, 404);
      {
        std::lock_guard lock(s->m);
        s->seen = std::chrono::steady_clock::now();
      }
      handler(s, req, res);
    };
  };
  http.Post(
      R"(/api/sessions/(\d+)/configure)",
      with_session(
          [&app](const std::shared_ptr<Session>& sp, const httplib::Request& req, httplib::Response& res) {
            Session& s = *sp;
            Json body;
            try {
              body = Json::parse(req.body);
            } catch (const Json::exception& e) {
              return reply_json(res, {{"error", std::string("govsim serve: bad request: ") + e.what()}}, 400);
            }
            const std::string error = app.configure(s, body);
            if (!error.empty()) return reply_json(res, {{"error", error}}, 400);
            reply_json(res, app.state(s));
          }));
  http.Post(R"(/api/sessions/(\d+)/(run|pause|step|reset))",
            with_session([&app](const std::shared_ptr<Session>& s, const httplib::Request& req,
                                httplib::Response& res) {
              app.command(*s, req.matches[2]);
              reply_json(res, app.state(*s));
            }));
  http.Post(
      R"(/api/sessions/(\d+)/map)", with_session([&app](const std::shared_ptr<Session>& s,
                                                        const httplib::Request& req, httplib::Response& res) {
        std::string metric;
        try {
          metric = Json::parse(req.body).at("metric").get<std::string>();
        } catch (const Json::exception& e) {
          return reply_json(res, {{"error", std::string("govsim serve: bad request: ") + e.what()}}, 400);
        }
        app.map_metric(*s, metric);
        reply_json(res, app.state(*s));
      }));
  http.Get(R"(/api/sessions/(\d+)/state)",
           with_session([&app](const std::shared_ptr<Session>& s, const httplib::Request&,
                               httplib::Response& res) { reply_json(res, app.state(*s)); }));
  http.Get(
      R"(/api/sessions/(\d+)/scenario\.ini)",
      with_session([](const std::shared_ptr<Session>& sp, const httplib::Request&, httplib::Response& res) {
        const Session& s = *sp;
        if (!fs::exists(s.dir / "scenario.ini"))
          return reply_json(res, {{"error", "nothing configured yet"}}, 404);
        res.set_header("Content-Disposition", "attachment; filename=\"scenario.ini\"");
        res.set_content(read_text(s.dir / "scenario.ini"), "text/plain; charset=utf-8");
      }));
  http.Get(R"(/api/sessions/(\d+)/result\.h5)",
           with_session(
               [&app](const std::shared_ptr<Session>& s, const httplib::Request&, httplib::Response& res) {
                 fs::path file;
                 if (const std::string error = app.result(*s, file); !error.empty())
                   return reply_json(res, {{"error", error}}, 500);
                 res.set_header("Content-Disposition", "attachment; filename=\"result.h5\"");
                 res.set_content(read_text(file), "application/x-hdf5");
               }));
  // The day events: every day stepped since the stream began (all of them after a rebuild), then each
  // new day as it comes, the community map when it changes, a failure once; a comment now and then keeps
  // the connection (and finds a closed one).
  http.Get(
      R"(/api/sessions/(\d+)/events)",
      with_session([](const std::shared_ptr<Session>& sp, const httplib::Request&, httplib::Response& res) {
        struct Stream {
          std::size_t sent = 0;
          std::uint64_t generation = ~std::uint64_t{0}, map_version = 0;
          bool error_sent = false;
        };
        auto st = std::make_shared<Stream>();
        res.set_header("Cache-Control", "no-cache");
        res.set_chunked_content_provider("text/event-stream", [sp, st](std::size_t, httplib::DataSink& sink) {
          std::string out;
          {
            std::unique_lock lock(sp->m);
            sp->cv.wait_for(lock, std::chrono::seconds(1), [&] {
              return sp->stop || sp->generation != st->generation || sp->events.size() > st->sent ||
                     sp->map_version != st->map_version || (!sp->error.empty() && !st->error_sent);
            });
            if (sp->stop) return false;
            sp->seen = std::chrono::steady_clock::now();  // an open tab keeps its session
            if (sp->generation != st->generation) {
              st->generation = sp->generation;
              st->sent = 0;
              st->error_sent = false;
              out += "event: reset\ndata: {}\n\n";
            }
            for (; st->sent < sp->events.size(); ++st->sent) out += "data: " + sp->events[st->sent] + "\n\n";
            if (sp->map_version != st->map_version) {
              st->map_version = sp->map_version;
              if (!sp->map.empty()) out += "event: map\ndata: " + sp->map + "\n\n";
            }
            if (!sp->error.empty() && !st->error_sent) {
              st->error_sent = true;
              out += "event: failed\ndata: " + json_text(Json(sp->error)) + "\n\n";
            }
          }
          if (out.empty()) out = ": waiting\n\n";
          return sink.write(out.data(), out.size());
        });
      }));
}

}  // namespace

int cmd_serve(const std::vector<std::string>& args) {
  std::string scenario, host = "127.0.0.1", out = "govsim-serve";
  int port = 8765;
  po::options_description desc("govsim serve options");
  desc.add_options()("scenario", po::value<std::string>(&scenario), "scenario INI file")(
      "port", po::value<int>(&port), "port (0: any free one)")("host", po::value<std::string>(&host),
                                                               "address to listen on (default 127.0.0.1)")(
      "out", po::value<std::string>(&out), "directory for the sessions' files (default ./govsim-serve)");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  std::vector<std::string> sets;
  fs::path web;
  if (const int rc = input_or_exit([&] {
        parse_arguments(args, desc, pos, sets);
        if (!sets.empty())
          throw InputError("command line: govsim serve takes no --set (set values on the page)");
        if (port < 0 || port > 65535)
          throw InputError("command line: --port " + std::to_string(port) + ": expected 0-65535");
        if (!scenario.empty()) {
          scenario = find_input(scenario);
          if (!fs::is_regular_file(scenario)) throw InputError(scenario + ": scenario file not found");
          scenario = fs::absolute(scenario).string();
          Comparison check;
          check.load(scenario, {});
        }
        web = data_dir() / "web";
        if (data_dir().empty() || !fs::exists(web / "index.html"))
          throw InputError("govsim serve: the page (web/index.html) is not beside " +
                           executable_path().string() + " (PREFIX/share/govsim/web)");
        if (fs::exists(out) && !fs::is_directory(out))
          throw InputError("command line: --out " + out + ": exists and is not a directory");
        require_out_parent(out);
        fs::create_directories(out);
        if (const std::string why = cannot_create_in(out); !why.empty())
          throw InputError("command line: --out " + out + ": cannot create files: " + why);
      }))
    return rc;

  // Ctrl-C and SIGTERM are taken by one thread (sigwait), which stops the server: no handler runs inside
  // httplib's or OpenMP's threads, which all start with the signals blocked.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  httplib::Server http;
  // Each open tab holds a thread with its event stream: room for every session and their requests.
  http.new_task_queue = [] { return new httplib::ThreadPool(2 * kMaxSessions + 8); };
  Server app(scenario, fs::absolute(out), web);
  routes(http, app);
  const int bound = port == 0 ? http.bind_to_any_port(host) : (http.bind_to_port(host, port) ? port : -1);
  if (bound < 0) {
    std::cerr << "govsim: serve: cannot listen on " << host << ":" << port << " (in use?)\n";
    return 2;
  }
  std::cout << "govsim serve: http://" << host << ":" << bound << "/  (sessions in "
            << fs::absolute(out).string() << "; Ctrl-C stops)" << std::endl;
  std::atomic<bool> listening_done{false};
  std::thread watcher([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    app.stop_all();
    // stop() does nothing until listen_after_bind has started: ask again until it has returned.
    while (!listening_done) {
      http.stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  http.listen_after_bind();
  listening_done = true;
  pthread_kill(watcher.native_handle(), SIGTERM);  // wakes the watcher if listening ended otherwise
  watcher.join();
  std::cout << "govsim serve: stopped" << std::endl;
  return 0;
}

}  // namespace govsim::cli
