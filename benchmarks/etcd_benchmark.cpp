// Measures writes to a real etcd through the example etcd sink: single puts
// against batched transactions, and whole reports of 1,000 models through
// a change tracker when nothing changed and when everything changed.
//
// Uses the etcd at $MODELSTATE_ETCD_ENDPOINT, or starts one of its own on
// loopback with the test suite's scripts and stops it at the end.
#include <benchmark/benchmark.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <etcd/etcd_sink.hpp>
#include <modelstate/cluster.hpp>
#include <modelstate/tracker.hpp>

namespace {

using modelstate_examples::etcd_sink;

std::string endpoint_url;  // set in main before any benchmark runs

etcd_sink connect() {
  return etcd_sink(modelstate_examples::parse_etcd_endpoint(endpoint_url).value,
                   10.0);
}

std::vector<std::string> make_keys(const std::string& area, std::size_t n) {
  std::vector<std::string> keys;
  keys.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    keys.push_back("/bench/" + area + "/model/m" + std::to_string(i) +
                   "/state");
  }
  return keys;
}

// Alternates between two values, so that every write is a real change.
const char* value_for(std::size_t round) {
  return round % 2 == 0 ? "MODEL_STATE_RUNNING" : "MODEL_STATE_SUCCEEDED";
}

std::vector<modelstate::entry> entries_for(const std::vector<std::string>& keys,
                                           std::size_t round) {
  std::vector<modelstate::entry> entries;
  entries.reserve(keys.size());
  for (const auto& k : keys) {
    entries.push_back({k, value_for(round)});
  }
  return entries;
}

// One node's report: one container per model, all in `status`.
std::vector<modelstate::container_info> report(std::size_t models,
                                               const char* status) {
  std::vector<modelstate::container_info> out(models);
  for (std::size_t i = 0; i < models; ++i) {
    out[i].id = "c" + std::to_string(i);
    out[i].state = {{"Status", status}, {"ExitCode", "0"}};
    out[i].annotation = {{"pullpiri.model", "m" + std::to_string(i)}};
  }
  return out;
}

modelstate::options options_for(const char* prefix) {
  modelstate::options o;
  o.keys.prefix = prefix;
  return o;
}

void fail_unless(benchmark::State& state, bool ok, const std::string& why) {
  if (!ok) {
    state.SkipWithError(why.c_str());
  }
}

// One put per request; every put changes its key.
void single_puts(benchmark::State& state) {
  etcd_sink sink = connect();
  const auto keys = make_keys("single", 100);
  std::size_t i = 0;
  for (auto _ : state) {
    const auto r = sink.put(keys[i % keys.size()], value_for(i / keys.size()));
    ++i;
    if (!r.ok) {
      fail_unless(state, false, r.error);
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(i));
}
BENCHMARK(single_puts)->UseRealTime()->Unit(benchmark::kMicrosecond);

// put_batch of N keys, all changed: ceil(N / 126) transactions.
void batched_puts(benchmark::State& state) {
  etcd_sink sink = connect();
  const auto keys =
      make_keys("batched", static_cast<std::size_t>(state.range(0)));
  std::size_t round = 0;
  for (auto _ : state) {
    const auto r = sink.put_batch(entries_for(keys, round++));
    if (!r.ok) {
      fail_unless(state, false, r.error);
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(round * keys.size()));
  state.counters["requests_per_batch"] =
      static_cast<double>(sink.stats().requests) /
      static_cast<double>(round == 0 ? 1 : round);
}
BENCHMARK(batched_puts)
    ->Arg(126)
    ->Arg(1000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Reports of 1,000 models through cluster_view + change_tracker + sink.
// Arg 0: nothing changed since the last report; arg 1: every model changed.
void tracked_reports(benchmark::State& state) {
  const bool changing = state.range(0) != 0;
  const std::size_t models = 1000;
  etcd_sink sink = connect();
  modelstate::change_tracker<etcd_sink> tracker(sink);
  modelstate::cluster_view view(options_for("/bench/tracked/model/"));
  const auto running = report(models, "running");
  const auto exited = report(models, "exited");
  fail_unless(state, view.update("node", running, tracker).ok(), "setup");
  const std::size_t setup_requests = sink.stats().requests;

  std::size_t round = 1;
  for (auto _ : state) {
    const bool odd = changing && round % 2 == 1;
    const auto r = view.update("node", odd ? exited : running, tracker);
    ++round;
    if (!r.ok()) {
      fail_unless(state, false, "a write failed");
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(round - 1));
  state.counters["requests_per_report"] =
      static_cast<double>(sink.stats().requests - setup_requests) /
      static_cast<double>(round == 1 ? 1 : round - 1);
}
BENCHMARK(tracked_reports)
    ->ArgName("changed")
    ->Arg(0)
    ->Arg(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Reports of 1,000 unchanged models with the sink as the writer: no
// tracker, so every report is sent and etcd compares each value.
void untracked_unchanged_reports(benchmark::State& state) {
  etcd_sink sink = connect();
  modelstate::cluster_view view(options_for("/bench/untracked/model/"));
  const auto running = report(1000, "running");
  fail_unless(state, view.update("node", running, sink).ok(), "setup");

  std::size_t reports = 0;
  for (auto _ : state) {
    const auto r = view.update("node", running, sink);
    ++reports;
    if (!r.ok()) {
      fail_unless(state, false, "a write failed");
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(reports));
}
BENCHMARK(untracked_unchanged_reports)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Reports of 1,000 models with no etcd at all (memory sink), for the cost
// of evaluation alone.
void memory_reports(benchmark::State& state) {
  modelstate::memory_sink sink;
  modelstate::cluster_view view(options_for("/bench/memory/model/"));
  const auto running = report(1000, "running");
  for (auto _ : state) {
    benchmark::DoNotOptimize(view.update("node", running, sink));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(memory_reports)->UseRealTime()->Unit(benchmark::kMillisecond);

// Starts a throw-away etcd with the test suite's scripts; stops it when
// destroyed.
class own_etcd {
 public:
  bool start() {
    std::error_code ec;
    std::string dir = (std::filesystem::temp_directory_path(ec) /
                       "modelstate-etcd-bench.XXXXXX")
                          .string();
    if (ec || mkdtemp(dir.data()) == nullptr) {
      return false;
    }
    state_ = dir + "/state";
    dir_ = dir;
    if (script("etcd-start.sh") != 0) {
      return false;
    }
    std::ifstream in(state_ + "/endpoint");
    std::getline(in, endpoint_);
    return !endpoint_.empty();
  }

  ~own_etcd() {
    if (!dir_.empty()) {
      script("etcd-stop.sh");
      std::system(("rm -rf '" + dir_ + "'").c_str());
    }
  }

  const std::string& endpoint() const { return endpoint_; }

 private:
  int script(const char* name) const {
    const std::string command = std::string("'") + MODELSTATE_ETCD_SCRIPTS +
                                "/" + name + "' '" + state_ + "' >&2";
    const int status = std::system(command.c_str());
    return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string dir_;
  std::string state_;
  std::string endpoint_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }

  own_etcd server;
  const char* given = std::getenv("MODELSTATE_ETCD_ENDPOINT");
  if (given != nullptr && *given != '\0') {
    endpoint_url = given;
  } else if (server.start()) {
    endpoint_url = server.endpoint();
  } else {
    std::cerr << "etcd_benchmark: could not start etcd; set "
                 "MODELSTATE_ETCD_ENDPOINT to use a running one\n";
    return 1;
  }
  if (!modelstate_examples::parse_etcd_endpoint(endpoint_url)) {
    std::cerr << "etcd_benchmark: "
              << modelstate_examples::parse_etcd_endpoint(endpoint_url).error
              << '\n';
    return 1;
  }
  std::cerr << "etcd_benchmark: etcd at " << endpoint_url << '\n';

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
