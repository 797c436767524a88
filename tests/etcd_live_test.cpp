// The etcd sink of the examples with the change tracker and the cluster
// view, against a real etcd. Each test case writes under a prefix of its
// own and reads back through plain gateway calls, not through the sink.
#include <etcd/etcd_sink.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <modelstate/cluster.hpp>
#include <modelstate/tracker.hpp>

#include "catch.hpp"
#include "etcd_live_support.hpp"

namespace {

using modelstate::write_outcome;
using modelstate_examples::etcd_sink;
using tracker_type = modelstate::change_tracker<etcd_sink>;

etcd_sink sink_for(const std::string& url, double timeout = 5.0) {
  auto parsed = modelstate_examples::parse_etcd_endpoint(url);
  REQUIRE(parsed);
  return etcd_sink(parsed.value, timeout);
}

modelstate::container_info container(std::string id, std::string model,
                                     std::string status,
                                     std::string exit_code = "0") {
  modelstate::container_info c;
  c.id = id;
  c.names = {id};
  c.image = "example.org/" + model + ":1";
  c.state = {{"Status", std::move(status)}, {"ExitCode", std::move(exit_code)}};
  c.annotation = {{"pullpiri.model", std::move(model)}};
  return c;
}

// Options whose model keys live under `prefix` instead of /model/.
modelstate::options options_under(const std::string& prefix) {
  modelstate::options o;
  o.keys.prefix = prefix;
  return o;
}

// Builds the key of a model under a test's prefix.
std::string key(const std::string& prefix, const std::string& model) {
  return prefix + model + "/state";
}

// A report of three models: alpha runs, beta has exited cleanly, gamma has
// a dead container.
std::vector<modelstate::container_info> three_models() {
  return {
      container("a1", "alpha", "running"), container("a2", "alpha", "running"),
      container("b1", "beta", "exited", "0"),
      container("c1", "gamma", "running"), container("c2", "gamma", "dead")};
}

void require_all(const modelstate::report& r, write_outcome outcome) {
  REQUIRE_FALSE(r.models.empty());
  for (const auto& m : r.models) {
    CAPTURE(m.name, m.write.error);
    CHECK(m.write.outcome == outcome);
  }
}

}  // namespace

TEST_CASE(
    "Model states written through the etcd sink are what etcd's own range "
    "call returns") {
  const std::string endpoint = etcd_live::fixture_endpoint();
  const std::string prefix = "/live/stored/model/";
  etcd_live::delete_prefix(endpoint, prefix);
  etcd_sink sink = sink_for(endpoint);
  tracker_type tracker(sink);
  modelstate::options o = options_under(prefix);
  o.expected_models = {"delta"};
  modelstate::cluster_view view(o);

  const auto r = view.update("node-1", three_models(), tracker);

  CHECK(r.ok());
  require_all(r, write_outcome::written);
  const std::map<std::string, std::string> expected = {
      {"/live/stored/model/alpha/state", "MODEL_STATE_RUNNING"},
      {"/live/stored/model/beta/state", "MODEL_STATE_SUCCEEDED"},
      {"/live/stored/model/delta/state", "MODEL_STATE_PENDING"},
      {"/live/stored/model/gamma/state", "MODEL_STATE_FAILED"}};
  CHECK(etcd_live::stored(endpoint, prefix) == expected);
  CHECK(sink.stats().created == 4);
  CHECK(tracker.pending().empty());
}

TEST_CASE("A second identical report changes no revision in etcd") {
  const std::string endpoint = etcd_live::fixture_endpoint();
  const std::string prefix = "/live/again/model/";
  etcd_live::delete_prefix(endpoint, prefix);
  {
    etcd_sink first = sink_for(endpoint);
    tracker_type tracker(first);
    modelstate::cluster_view view(options_under(prefix));
    REQUIRE(view.update("node-1", three_models(), tracker).ok());
  }
  const std::int64_t before = etcd_live::revision(endpoint);
  const auto revisions_before = etcd_live::mod_revisions(endpoint, prefix);
  REQUIRE(revisions_before.size() == 3);

  SECTION("through the same tracker: nothing is sent") {
    etcd_sink sink = sink_for(endpoint);
    tracker_type tracker(sink);
    modelstate::cluster_view view(options_under(prefix));
    REQUIRE(view.update("node-1", three_models(), tracker).ok());
    const std::size_t requests = sink.stats().requests;

    const auto r = view.update("node-1", three_models(), tracker);

    CHECK(r.ok());
    require_all(r, write_outcome::unchanged);
    CHECK(sink.stats().requests == requests);
  }

  SECTION("through a tracker primed from etcd: nothing is sent") {
    etcd_sink sink = sink_for(endpoint);
    tracker_type tracker(sink);
    const auto read = sink.read_prefix(prefix);
    REQUIRE(read.ok());
    modelstate::key_format format;
    format.prefix = prefix;
    CHECK(modelstate::prime_model_states(tracker, read.pairs, format).empty());
    modelstate::cluster_view view(options_under(prefix));

    const auto r = view.update("node-1", three_models(), tracker);

    CHECK(r.ok());
    require_all(r, write_outcome::unchanged);
    CHECK(sink.stats().requests == 1);  // the read
  }

  SECTION("through an unprimed tracker: sent, and etcd leaves every key") {
    etcd_sink sink = sink_for(endpoint);
    tracker_type tracker(sink);
    modelstate::cluster_view view(options_under(prefix));

    const auto r = view.update("node-1", three_models(), tracker);

    CHECK(r.ok());
    require_all(r, write_outcome::written);
    CHECK(sink.stats().unchanged == 3);
    CHECK(sink.stats().created + sink.stats().updated == 0);
  }

  SECTION("through the sink as a writer: etcd reports every key unchanged") {
    etcd_sink sink = sink_for(endpoint);
    modelstate::cluster_view view(options_under(prefix));

    const auto r = view.update("node-1", three_models(), sink);

    CHECK(r.ok());
    require_all(r, write_outcome::unchanged);
  }

  CHECK(etcd_live::revision(endpoint) == before);
  CHECK(etcd_live::mod_revisions(endpoint, prefix) == revisions_before);
}

TEST_CASE(
    "A changed report rewrites only the changed keys and etcd reports them "
    "updated") {
  const std::string endpoint = etcd_live::fixture_endpoint();
  const std::string prefix = "/live/changed/model/";
  etcd_live::delete_prefix(endpoint, prefix);
  etcd_sink sink = sink_for(endpoint);
  modelstate::cluster_view view(options_under(prefix));
  REQUIRE(view.update("node-1", three_models(), sink).ok());
  const auto before = etcd_live::mod_revisions(endpoint, prefix);

  auto changed = three_models();
  changed[1].state["Status"] = "paused";  // alpha: running + paused
  changed[0].state["Status"] = "paused";  // alpha: all paused
  const auto r = view.update("node-1", changed, sink);

  REQUIRE(r.ok());
  const auto after = etcd_live::mod_revisions(endpoint, prefix);
  CHECK(after.at(key(prefix, "alpha")) > before.at(key(prefix, "alpha")));
  CHECK(after.at(key(prefix, "beta")) == before.at(key(prefix, "beta")));
  CHECK(after.at(key(prefix, "gamma")) == before.at(key(prefix, "gamma")));
  CHECK(etcd_live::stored(endpoint, prefix).at(key(prefix, "alpha")) ==
        "MODEL_STATE_UNKNOWN");
  CHECK(sink.stats().updated == 1);
}

TEST_CASE(
    "Three hundred models in one report are all stored, in several "
    "transactions") {
  const std::string endpoint = etcd_live::fixture_endpoint();
  const std::string prefix = "/live/many/model/";
  etcd_live::delete_prefix(endpoint, prefix);
  std::vector<modelstate::container_info> containers;
  std::map<std::string, std::string> expected;
  for (int i = 0; i < 300; ++i) {
    const std::string model = "model-" + std::to_string(1000 + i);
    const bool exited = i % 3 == 0;
    containers.push_back(container("c" + std::to_string(i), model,
                                   exited ? "exited" : "running"));
    expected[key(prefix, model)] =
        exited ? "MODEL_STATE_SUCCEEDED" : "MODEL_STATE_RUNNING";
  }
  etcd_sink sink = sink_for(endpoint);
  tracker_type tracker(sink);
  modelstate::cluster_view view(options_under(prefix));

  const auto r = view.update("node-1", containers, tracker);

  CHECK(r.ok());
  REQUIRE(r.models.size() == 300);
  require_all(r, write_outcome::written);
  CHECK(sink.stats().requests == 3);  // 126 + 126 + 48 keys
  CHECK(sink.stats().created == 300);
  const auto range = etcd_live::range(endpoint, prefix);
  CHECK(range.count == 300);
  CHECK(etcd_live::stored(endpoint, prefix) == expected);
}

TEST_CASE(
    "While etcd is down nothing is confirmed, and once it is back the pending "
    "writes are sent") {
  etcd_live::own_etcd server;
  const std::string prefix = "/live/down/model/";
  etcd_sink sink = sink_for(server.endpoint(), 2.0);
  tracker_type tracker(sink);
  modelstate::cluster_view view(options_under(prefix));
  REQUIRE(view.update("node-1",
                      std::vector<modelstate::container_info>{
                          container("a1", "alpha", "running"),
                          container("b1", "beta", "running")},
                      tracker)
              .ok());

  server.stop();
  const auto failed = view.update("node-1",
                                  std::vector<modelstate::container_info>{
                                      container("a1", "alpha", "exited", "0"),
                                      container("b1", "beta", "exited", "1")},
                                  tracker);

  CHECK_FALSE(failed.ok());
  require_all(failed, write_outcome::failed);
  for (const auto& m : failed.models) {
    CHECK(m.write.error.rfind("etcd at " + server.endpoint() + ": ", 0) == 0);
  }
  CHECK(tracker.confirmed(key(prefix, "alpha")) == "MODEL_STATE_RUNNING");
  CHECK(tracker.confirmed(key(prefix, "beta")) == "MODEL_STATE_RUNNING");
  const tracker_type::value_map pending = {
      {key(prefix, "alpha"), "MODEL_STATE_SUCCEEDED"},
      {key(prefix, "beta"), "MODEL_STATE_FAILED"}};
  CHECK(tracker.pending() == pending);

  SECTION("the next report, about another model, sends them too") {
    server.start();

    std::vector<modelstate::key_status> retried;
    const auto statuses =
        tracker.write({{key(prefix, "gamma"), "MODEL_STATE_RUNNING"}}, retried);

    REQUIRE(statuses.size() == 1);
    CHECK(statuses[0].outcome == write_outcome::written);
    REQUIRE(retried.size() == 2);
    for (const auto& k : retried) {
      CAPTURE(k.key, k.status.error);
      CHECK(k.status.outcome == write_outcome::written);
    }
    const std::map<std::string, std::string> expected = {
        {"/live/down/model/alpha/state", "MODEL_STATE_SUCCEEDED"},
        {"/live/down/model/beta/state", "MODEL_STATE_FAILED"},
        {"/live/down/model/gamma/state", "MODEL_STATE_RUNNING"}};
    CHECK(etcd_live::stored(server.endpoint(), prefix) == expected);
  }

  SECTION("a flush sends them") {
    server.start();

    const auto flushed = tracker.flush();

    REQUIRE(flushed.size() == 2);
    for (const auto& k : flushed) {
      CAPTURE(k.key, k.status.error);
      CHECK(k.status.outcome == write_outcome::written);
    }
    const std::map<std::string, std::string> expected = {
        {"/live/down/model/alpha/state", "MODEL_STATE_SUCCEEDED"},
        {"/live/down/model/beta/state", "MODEL_STATE_FAILED"}};
    CHECK(etcd_live::stored(server.endpoint(), prefix) == expected);
  }

  CHECK(tracker.pending().empty());
  CHECK(tracker.confirmed(key(prefix, "alpha")) == "MODEL_STATE_SUCCEEDED");
  CHECK(tracker.confirmed(key(prefix, "beta")) == "MODEL_STATE_FAILED");
}

TEST_CASE("A hostile model name never reaches etcd") {
  const std::string endpoint = etcd_live::fixture_endpoint();
  const std::string prefix = "/live/hostile/model/";
  etcd_live::delete_prefix(endpoint, "/live/hostile/");
  const std::string name =
      GENERATE(as<std::string>{}, "../../escape", "a/b", "", "..", "bad\nname",
               "tab\tname", std::string("nul\0name", 8), "\xff\xfe");
  CAPTURE(name);
  etcd_sink sink = sink_for(endpoint);
  tracker_type tracker(sink);
  modelstate::cluster_view view(options_under(prefix));

  const auto r = view.update(
      "node-1",
      std::vector<modelstate::container_info>{
          container("h1", name, "running"), container("f1", "fine", "running")},
      tracker);

  CHECK_FALSE(r.ok());
  REQUIRE(r.models.size() == 2);
  for (const auto& m : r.models) {
    if (m.name == "fine") {
      CHECK(m.write.outcome == write_outcome::written);
    } else {
      CHECK(m.rejected());
      CHECK(m.write.outcome == write_outcome::skipped);
    }
  }
  const std::map<std::string, std::string> expected = {
      {"/live/hostile/model/fine/state", "MODEL_STATE_RUNNING"}};
  CHECK(etcd_live::stored(endpoint, "/live/hostile/") == expected);
  for (const auto& kv : etcd_live::range(endpoint, "").kvs) {
    CAPTURE(kv.key);
    CHECK(kv.key.find("escape") == std::string::npos);
  }
}

TEST_CASE(
    "A state stored in another spelling is understood when priming and "
    "rewritten once in the configured spelling") {
  const std::string endpoint = etcd_live::fixture_endpoint();
  const std::string prefix = "/live/spelling/model/";
  etcd_live::delete_prefix(endpoint, prefix);
  etcd_live::put(endpoint, key(prefix, "alpha"), "Running");
  etcd_live::put(endpoint, key(prefix, "beta"), "model_state_succeeded");
  etcd_live::put(endpoint, key(prefix, "gamma"), "MODEL_STATE_DEAD");
  modelstate::key_format format;
  format.prefix = prefix;
  const std::vector<modelstate::container_info> report = three_models();

  // First run: the stored spellings differ from the configured ones.
  {
    etcd_sink sink = sink_for(endpoint);
    tracker_type tracker(sink);
    const auto read = sink.read_prefix(prefix);
    REQUIRE(read.ok());
    CHECK(modelstate::prime_model_states(tracker, read.pairs, format).empty());
    modelstate::cluster_view view(options_under(prefix));

    const auto r = view.update("node-1", report, tracker);

    CHECK(r.ok());
    require_all(r, write_outcome::written);
    CHECK(sink.stats().updated == 3);
    const std::map<std::string, std::string> expected = {
        {"/live/spelling/model/alpha/state", "MODEL_STATE_RUNNING"},
        {"/live/spelling/model/beta/state", "MODEL_STATE_SUCCEEDED"},
        {"/live/spelling/model/gamma/state", "MODEL_STATE_FAILED"}};
    CHECK(etcd_live::stored(endpoint, prefix) == expected);
  }
  const std::int64_t before = etcd_live::revision(endpoint);

  // Second run: now etcd holds the configured spelling.
  etcd_sink sink = sink_for(endpoint);
  tracker_type tracker(sink);
  const auto read = sink.read_prefix(prefix);
  REQUIRE(read.ok());
  CHECK(modelstate::prime_model_states(tracker, read.pairs, format).empty());
  modelstate::cluster_view view(options_under(prefix));

  const auto r = view.update("node-1", report, tracker);

  CHECK(r.ok());
  require_all(r, write_outcome::unchanged);
  CHECK(etcd_live::revision(endpoint) == before);
}

TEST_CASE(
    "A stored value in the configured spelling is not rewritten, whatever "
    "the spelling") {
  const std::string endpoint = etcd_live::fixture_endpoint();
  const std::string prefix = "/live/lifecycle/model/";
  etcd_live::delete_prefix(endpoint, prefix);
  etcd_live::put(endpoint, key(prefix, "alpha"), "Running");
  const std::int64_t before = etcd_live::revision(endpoint);
  etcd_sink sink = sink_for(endpoint);
  tracker_type tracker(sink);
  const auto read = sink.read_prefix(prefix);
  REQUIRE(read.ok());
  modelstate::key_format format;
  format.prefix = prefix;
  CHECK(modelstate::prime_model_states(tracker, read.pairs, format).empty());
  modelstate::options o = options_under(prefix);
  o.values = modelstate::value_spelling::lifecycle;
  modelstate::cluster_view view(o);

  const auto r = view.update("node-1",
                             std::vector<modelstate::container_info>{
                                 container("a1", "alpha", "running")},
                             tracker);

  CHECK(r.ok());
  require_all(r, write_outcome::unchanged);
  CHECK(sink.stats().requests == 1);  // the read
  CHECK(etcd_live::revision(endpoint) == before);
}

TEST_CASE("Reading a prefix returns every pair in key order, page by page") {
  const std::string endpoint = etcd_live::fixture_endpoint();
  const std::string prefix = "/live/pages/";
  etcd_live::delete_prefix(endpoint, prefix);
  etcd_live::delete_prefix(endpoint, "/live/pages0");
  std::vector<std::pair<std::string, std::string>> expected;
  for (int i = 0; i < 25; ++i) {
    const std::string k = prefix + "k" + std::to_string(100 + i);
    expected.emplace_back(k, "v" + std::to_string(i));
    etcd_live::put(endpoint, k, expected.back().second);
  }
  etcd_live::put(endpoint, "/live/pages0", "just past the prefix");
  etcd_live::put(endpoint, "/live/page", "just before the prefix");
  const std::int64_t revision = etcd_live::revision(endpoint);
  const std::size_t page = GENERATE(std::size_t{0}, 1, 7, 25, 1000);
  CAPTURE(page);
  etcd_sink sink = sink_for(endpoint);

  const auto read = sink.read_prefix(prefix, page);

  REQUIRE(read.ok());
  CHECK(read.pairs == expected);
  CHECK(read.revision == revision);
  const std::size_t pages = page == 0 ? 1 : (25 + page - 1) / page;
  CHECK(sink.stats().requests == pages);
}

TEST_CASE(
    "A request etcd refuses fails with the gateway's message, naming the "
    "endpoint") {
  const std::string endpoint = etcd_live::fixture_endpoint();
  const std::string k = "/live/refused/model/big/state";
  etcd_live::delete_prefix(endpoint, "/live/refused/");
  // Limits larger than the server's, so that the request reaches etcd.
  modelstate::etcd::limits generous;
  generous.max_request_bytes = 8 * 1024 * 1024;
  etcd_sink sink(modelstate_examples::parse_etcd_endpoint(endpoint).value, 5.0,
                 generous);
  const std::string value(600 * 1024, 'v');

  const modelstate::put_result r = sink.put(k, value);

  CAPTURE(r.error);
  CHECK_FALSE(r.ok);
  CHECK(r.error.rfind("etcd at " + endpoint + ": etcd gateway error (HTTP ",
                      0) == 0);
  CHECK(r.error.find("request is too large") != std::string::npos);
  CHECK(etcd_live::stored(endpoint, "/live/refused/").empty());
}

TEST_CASE(
    "The sink as a writer reports per key whether etcd created, updated or "
    "kept it") {
  const std::string endpoint = etcd_live::fixture_endpoint();
  const std::string prefix = "/live/writer/";
  etcd_live::delete_prefix(endpoint, prefix);
  etcd_live::put(endpoint, prefix + "kept", "same");
  etcd_live::put(endpoint, prefix + "old", "before");
  etcd_sink sink = sink_for(endpoint);
  const std::string k1 = prefix + "kept";
  const std::string k2 = prefix + "old";
  const std::string k3 = prefix + "new";

  const auto report =
      sink.put_if_changed({{k1, "same"}, {k2, "after"}, {k3, "fresh"}});

  REQUIRE(report.ok());
  REQUIRE(report.keys.size() == 3);
  CHECK(report.keys[0].outcome == modelstate::etcd::change::unchanged);
  CHECK(report.keys[1].outcome == modelstate::etcd::change::updated);
  CHECK(report.keys[2].outcome == modelstate::etcd::change::created);
  const std::map<std::string, std::string> expected = {
      {"/live/writer/kept", "same"},
      {"/live/writer/new", "fresh"},
      {"/live/writer/old", "after"}};
  CHECK(etcd_live::stored(endpoint, prefix) == expected);

  const auto statuses = sink.write({{k1, "same"}, {k3, "fresher"}});
  REQUIRE(statuses.size() == 2);
  CHECK(statuses[0].outcome == write_outcome::unchanged);
  CHECK(statuses[1].outcome == write_outcome::written);
  CHECK(etcd_live::stored(endpoint, prefix).at(k3) == "fresher");
}
