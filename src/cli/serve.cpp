// govsim serve: an explorer in the browser. A local web server (cpp-httplib) hands out the page in web/
// (plain HTML and JavaScript, charts by Debian's chart.js), the parameter registry, and one simulation per
// browser tab (a session): configured from the page's values through the same loader as `govsim run` (so a
// bad value gets the command line's message), advanced day by day in the session's own thread, its series
// streamed to the page as server-sent events. Everything a session writes lies in OUT/session-N/.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
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
// commands and the event streams meet it under `m`.
struct Session {
  int id = 0;
  fs::path dir;
  std::mutex m;
  std::condition_variable cv;
  std::unique_ptr<Comparison> cmp;
  std::unique_ptr<LiveComparison> live;
  std::string map_metric = "share_good";
  std::vector<std::string> events;  // one JSON text per day stepped
  std::uint64_t generation = 0;     // bumped when the run is rebuilt: streams start again
  bool running = false, busy = false, stop = false;
  int steps = 0;
  std::string error;  // a run that failed
  std::thread worker;
  std::chrono::steady_clock::time_point seen = std::chrono::steady_clock::now();  // the page's last request
};

// A session the page has not asked about for this long (no request, no open event stream) and that is not
// running is ended when the next tab opens: closed tabs do not keep their worlds in memory.
constexpr auto kIdleSession = std::chrono::minutes(30);

// The day's values for the page: every district series of each arm (names on day 0 only) and the map
// metric per community of replicate 0.
std::string day_event(const LiveComparison& live, const std::string& map_metric) {
  const int d = live.day();
  Json arms = Json::array();
  for (std::size_t a = 0; a < live.arms(); ++a) {
    Json values = Json::array(), names = Json::array(), units = Json::array(), mapped = Json::array();
    for (const auto& spec : live.metrics(a)) {
      values.push_back(live.value(a, spec.name, d));
      if (d == 0) {
        names.push_back(spec.name);
        units.push_back(spec.unit);
        if (spec.by_community) mapped.push_back(spec.name);
      }
    }
    Json arm = {{"values", values}, {"map", live.community_values(a, map_metric, d)}};
    if (d == 0) {
      arm["metrics"] = names;
      arm["units"] = units;
      arm["by_community"] = mapped;
    }
    arms.push_back(arm);
  }
  return json_text(Json{{"day", d}, {"days", live.days()}, {"arms", arms}});
}

void work(Session& s) {
  std::unique_lock lock(s.m);
  for (;;) {
    s.cv.wait(lock, [&] { return s.stop || (s.live && !s.live->done() && (s.running || s.steps > 0)); });
    if (s.stop) return;
    if (s.steps > 0) --s.steps;
    s.busy = true;
    LiveComparison& live = *s.live;
    lock.unlock();
    std::string event, error;
    try {
      live.step();
      event = day_event(live, s.map_metric);
    } catch (const std::exception& e) {
      error = e.what();
    }
    lock.lock();
    s.busy = false;
    if (!error.empty()) {
      s.error = "govsim: " + error;
      s.running = false;
      s.steps = 0;
    } else {
      s.events.push_back(std::move(event));
      if (s.live->done()) s.running = false;
    }
    s.cv.notify_all();
  }
}

// Waits until the worker is between days, so the run can be replaced.
void settle(Session& s, std::unique_lock<std::mutex>& lock) {
  s.running = false;
  s.steps = 0;
  s.cv.wait(lock, [&] { return !s.busy; });
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
    auto s = std::make_shared<Session>();
    s->id = ++last_id_;
    s->dir = out_ / ("session-" + std::to_string(s->id));
    fs::create_directories(s->dir);
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
    std::vector<std::string> sets;
    if (body.contains("values") && body["values"].is_object())
      for (const auto& [key, value] : body["values"].items())
        sets.push_back(key + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
    std::string arms = "\n[arms]\n";
    if (body.contains("arms") && body["arms"].is_array())
      for (const auto& arm : body["arms"]) {
        std::string mechs;
        for (const auto& m : arm.value("mechanisms", Json::array()))
          mechs += (mechs.empty() ? "" : ",") + m.get<std::string>();
        arms += arm.value("name", std::string()) + " = run.mechanisms=" + mechs + "\n";
      }
    std::string text;
    if (!base_.empty()) {
      Comparison base;
      base.load(base_, {});
      text = base.file().base.registry().to_ini();
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
    std::unique_lock lock(s.m);
    settle(s, lock);
    s.cmp = std::move(cmp);
    s.live = std::move(live);
    if (body.contains("map_metric") && body["map_metric"].is_string()) s.map_metric = body["map_metric"];
    s.events.clear();
    s.error.clear();
    ++s.generation;
    fs::remove(s.dir / "result.h5");
    s.cv.notify_all();
    return "";
  }

  void command(Session& s, const std::string& what) {
    std::unique_lock lock(s.m);
    if (what == "run") {
      s.running = true;
    } else if (what == "pause") {
      s.running = false;
    } else if (what == "step") {
      ++s.steps;
    } else if (what == "reset" && s.cmp) {
      settle(s, lock);
      s.live = std::make_unique<LiveComparison>(*s.cmp);
      s.events.clear();
      s.error.clear();
      ++s.generation;
    }
    s.cv.notify_all();
  }

  Json state(Session& s) {
    std::lock_guard lock(s.m);
    return {{"id", s.id},
            {"configured", s.live != nullptr},
            {"day", s.live ? s.live->day() : -1},
            {"days", s.live ? s.live->days() : 0},
            {"running", s.running},
            {"done", s.live && s.live->done()},
            {"arms", s.cmp ? s.cmp->names() : std::vector<std::string>{}},
            {"error", s.error}};
  }

  // The session's HDF5 file: `govsim run` on the saved scenario (this binary, in the session's directory).
  std::string result(Session& s, fs::path& file) {
    std::lock_guard lock(result_m_);
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
  std::mutex m_, result_m_;
  std::map<int, std::shared_ptr<Session>> sessions_;
  int last_id_ = 0;
};

void reply_json(httplib::Response& res, const Json& j, int status = 200) {
  res.status = status;
  res.set_content(json_text(j), "application/json");
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void routes(httplib::Server& http, Server& app) {
  for (const char* name : {"index.html", "app.js", "style.css"}) {
    const std::string type = fs::path(name).extension() == ".js"    ? "text/javascript"
                             : fs::path(name).extension() == ".css" ? "text/css"
                                                                    : "text/html; charset=utf-8";
    const fs::path file = app.web() / name;
    http.Get(std::string("/") + (std::string(name) == "index.html" ? "" : name),
             [file, type](const httplib::Request&, httplib::Response& res) {
               res.set_content(read_file(file), type.c_str());
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
    res.set_content(read_file(file), "text/javascript");
  });
  http.Get("/api/model",
           [&app](const httplib::Request&, httplib::Response& res) { reply_json(res, app.model()); });
  http.Post("/api/sessions", [&app](const httplib::Request&, httplib::Response& res) {
    reply_json(res, {{"id", app.new_session()}});
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
        res.set_content(read_file(s.dir / "scenario.ini"), "text/plain; charset=utf-8");
      }));
  http.Get(R"(/api/sessions/(\d+)/result\.h5)",
           with_session(
               [&app](const std::shared_ptr<Session>& s, const httplib::Request&, httplib::Response& res) {
                 fs::path file;
                 if (const std::string error = app.result(*s, file); !error.empty())
                   return reply_json(res, {{"error", error}}, 500);
                 res.set_header("Content-Disposition", "attachment; filename=\"result.h5\"");
                 res.set_content(read_file(file), "application/x-hdf5");
               }));
  // The day events: every day stepped since the stream began (all of them after a rebuild), then each
  // new day as it comes; a comment now and then keeps the connection (and finds a closed one).
  http.Get(R"(/api/sessions/(\d+)/events)", with_session([](const std::shared_ptr<Session>& sp,
                                                            const httplib::Request&, httplib::Response& res) {
             auto sent = std::make_shared<std::size_t>(0);
             auto generation = std::make_shared<std::uint64_t>(~std::uint64_t{0});
             res.set_header("Cache-Control", "no-cache");
             res.set_chunked_content_provider(
                 "text/event-stream", [sp, sent, generation](std::size_t, httplib::DataSink& sink) {
                   std::string out;
                   {
                     std::unique_lock lock(sp->m);
                     sp->cv.wait_for(lock, std::chrono::seconds(1), [&] {
                       return sp->stop || sp->generation != *generation || sp->events.size() > *sent ||
                              !sp->error.empty();
                     });
                     if (sp->stop) return false;
                     sp->seen = std::chrono::steady_clock::now();  // an open tab keeps its session
                     if (sp->generation != *generation) {
                       *generation = sp->generation;
                       *sent = 0;
                       out += "event: reset\ndata: {}\n\n";
                     }
                     for (; *sent < sp->events.size(); ++*sent) out += "data: " + sp->events[*sent] + "\n\n";
                     if (!sp->error.empty())
                       out += "event: failed\ndata: " + json_text(Json(sp->error)) + "\n\n";
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
  Server app(scenario, fs::absolute(out), web);
  routes(http, app);
  const int bound = port == 0 ? http.bind_to_any_port(host) : (http.bind_to_port(host, port) ? port : -1);
  if (bound < 0) {
    std::cerr << "govsim: serve: cannot listen on " << host << ":" << port << " (in use?)\n";
    return 2;
  }
  std::cout << "govsim serve: http://" << host << ":" << bound << "/  (sessions in "
            << fs::absolute(out).string() << "; Ctrl-C stops)" << std::endl;
  std::atomic<bool> stopping{false};
  std::thread watcher([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    stopping = true;
    app.stop_all();
    http.stop();
  });
  http.listen_after_bind();
  if (!stopping) {  // stopped otherwise: wake the watcher
    pthread_kill(watcher.native_handle(), SIGTERM);
  }
  watcher.join();
  std::cout << "govsim serve: stopped" << std::endl;
  return 0;
}

}  // namespace govsim::cli
