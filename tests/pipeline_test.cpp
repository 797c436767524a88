// Tests for modelstate/pipeline.hpp and the report and observer it feeds:
// one node's containers in, model states written and reported.
#include "modelstate/pipeline.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "support.hpp"

namespace {

using modelstate::container_info;
using modelstate::container_state;
using modelstate::memory_sink;
using modelstate::model_report;
using modelstate::model_state;
using modelstate::report;
using modelstate::rule;
using modelstate::write_outcome;
using positions = std::vector<std::size_t>;
using store_map = std::map<std::string, std::string, std::less<>>;

using modelstate_test::contains;

using modelstate_test::make;

using modelstate_test::running;

const model_report& model_named(const report& r, std::string_view name) {
  for (const auto& m : r.models) {
    if (m.name == name) {
      return m;
    }
  }
  FAIL("no model named " << name);
  return r.models.front();
}

// A writer in the manner of a change tracker: it reports each entry as
// unchanged, except that it answers for at most `limit` entries.
struct fake_writer {
  std::size_t limit = 100;
  std::size_t calls = 0;

  std::vector<modelstate::write_status> write(
      const std::vector<modelstate::entry>& entries) {
    ++calls;
    std::vector<modelstate::write_status> out;
    for (std::size_t i = 0; i < entries.size() && i < limit; ++i) {
      modelstate::write_status s;
      s.outcome = write_outcome::unchanged;
      out.push_back(std::move(s));
    }
    return out;
  }
};

// Records the observer hooks in the order they are called.
class recording_observer : public modelstate::observer {
 public:
  std::vector<std::string> calls;

  void on_list(const report& r) override {
    calls.push_back("list " + r.node_name);
  }
  void on_container(const report& r, std::size_t index) override {
    calls.push_back("container " + r.containers[index].id);
  }
  void on_model(const report&, const model_report& m) override {
    calls.push_back("model " + m.name);
  }
  void on_model_state(const report&, const model_report& m) override {
    calls.push_back("state " + m.name);
  }
  void on_rejected(const report&, const model_report& m) override {
    calls.push_back("rejected " + m.name);
  }
  void on_write(const report&, const model_report& m) override {
    calls.push_back("write " + m.name + " " +
                    std::string(modelstate::to_string(m.write.outcome)));
  }
  void on_done(const report&) override { calls.push_back("done"); }
};

}  // namespace

TEST_CASE(
    "The report gives each model's name, state, key, value, containers, "
    "counts, reason and write outcome",
    "[pipeline]") {
  const std::vector<container_info> containers{
      running("c1", "web"),
      make("c2", "batch", {{"Status", "exited"}, {"ExitCode", "0"}}),
      make("c3", "", {{"Status", "running"}}),
      make("c4", "web", {{"Status", "exited"}, {"ExitCode", "137"}}),
      make("c5", "batch", {{"Status", "exited"}}),
  };
  memory_sink sink;

  const report r = modelstate::process("node-a", containers, sink);

  CHECK(r.node_name == "node-a");
  CHECK(r.annotation == "pullpiri.model");
  REQUIRE(r.models.size() == 2);

  const model_report& web = r.models[0];
  CHECK(web.name == "web");
  CHECK(web.state == model_state::dead);
  CHECK(web.decided_by == rule::any_dead);
  CHECK(web.key == "/model/web/state");
  CHECK(web.value == "MODEL_STATE_FAILED");
  CHECK(web.containers == positions{0, 3});
  CHECK(web.decisive == 3);
  CHECK(web.counts.total == 2);
  CHECK(web.counts[container_state::running] == 1);
  CHECK(web.counts[container_state::dead] == 1);
  CHECK_THAT(web.reason, contains("c4"));
  CHECK_THAT(web.reason, contains("exited with code 137"));
  CHECK(web.write.outcome == write_outcome::written);
  CHECK_FALSE(web.rejected());
  CHECK_FALSE(web.expected);

  const model_report& batch = r.models[1];
  CHECK(batch.name == "batch");
  CHECK(batch.state == model_state::exited);
  CHECK(batch.value == "MODEL_STATE_SUCCEEDED");
  CHECK(batch.containers == positions{1, 4});
  CHECK(batch.counts[container_state::exited] == 2);
  CHECK(batch.write.outcome == write_outcome::written);

  CHECK(r.unassociated == positions{2});
  CHECK(r.ok());
  CHECK(sink.data() ==
        store_map{{"/model/web/state", "MODEL_STATE_FAILED"},
                  {"/model/batch/state", "MODEL_STATE_SUCCEEDED"}});
}

TEST_CASE("The report describes every container of the input, in input order",
          "[pipeline]") {
  const std::vector<container_info> containers{
      running("c1", "web"),
      make("c2", "", {{"Status", "foo"}, {"Running", "true"}}),
      make("c3", "web", {{"Status", "exited"}, {"ExitCode", "2"}})};
  memory_sink sink;

  const report r = modelstate::process("node-a", containers, sink);

  REQUIRE(r.containers.size() == 3);
  CHECK(r.containers[0].id == "c1");
  CHECK(r.containers[0].name == "c1-name");
  CHECK(r.containers[0].image == "img/c1");
  CHECK(r.containers[0].model == "web");
  CHECK(r.containers[0].associated);
  CHECK(r.containers[0].state == container_state::running);
  CHECK(r.containers[0].facts.status == "running");
  CHECK(r.containers[0].facts.running == "true");

  CHECK_FALSE(r.containers[1].associated);
  CHECK(r.containers[1].model.empty());
  CHECK(r.containers[1].state == container_state::unknown);
  CHECK_THAT(r.containers[1].description, contains("foo"));

  CHECK(r.containers[2].state == container_state::dead);
  CHECK_THAT(r.containers[2].description, contains("exited with code 2"));
}

TEST_CASE(
    "Hostile model names are rejected with a reason while the valid model of "
    "the same report is written",
    "[pipeline]") {
  // An annotation whose value is empty names the empty model.
  container_info unnamed = running("c4", "placeholder");
  unnamed.annotation = {{"pullpiri.model", ""}};
  const std::vector<container_info> containers{running("c1", "../x"),
                                               running("c2", "good"),
                                               running("c3", "a/b"), unnamed};
  memory_sink sink;

  const report r = modelstate::process("node-a", containers, sink);

  REQUIRE(r.models.size() == 4);
  CHECK(sink.data() == store_map{{"/model/good/state", "MODEL_STATE_RUNNING"}});
  CHECK(model_named(r, "good").write.outcome == write_outcome::written);

  const auto [name, error] =
      GENERATE(table<std::string_view, modelstate::name_error>(
          {{"../x", modelstate::name_error::slash},
           {"a/b", modelstate::name_error::slash},
           {"", modelstate::name_error::empty}}));
  CAPTURE(name);
  const model_report& bad = model_named(r, name);
  CHECK(bad.rejected());
  CHECK(bad.name_status.error == error);
  CHECK(bad.key.empty());
  CHECK(bad.write.outcome == write_outcome::skipped);
  CHECK_FALSE(bad.write.error.empty());
  CHECK(bad.containers.size() == 1);
  CHECK_FALSE(r.ok());
}

TEST_CASE(
    "An expected model with no containers is created and stored as "
    "MODEL_STATE_PENDING",
    "[pipeline]") {
  const std::vector<container_info> containers{running("c1", "present")};
  modelstate::options opts;
  opts.expected_models = {"present", "absent"};
  memory_sink sink;

  const report r = modelstate::process("node-a", containers, sink, opts);

  REQUIRE(r.models.size() == 2);
  const model_report& absent = model_named(r, "absent");
  CHECK(absent.expected);
  CHECK(absent.state == model_state::created);
  CHECK(absent.decided_by == rule::no_containers);
  CHECK(absent.containers.empty());
  CHECK(absent.decisive == modelstate::model_evaluation::npos);
  CHECK(absent.value == "MODEL_STATE_PENDING");
  CHECK(absent.write.outcome == write_outcome::written);
  CHECK(model_named(r, "present").expected);
  CHECK(sink.get("/model/absent/state") == "MODEL_STATE_PENDING");
  CHECK(sink.get("/model/present/state") == "MODEL_STATE_RUNNING");
}

TEST_CASE("The value spelling option chooses how states are stored",
          "[pipeline]") {
  const auto [spelling, running_value, exited_value] = GENERATE(
      table<modelstate::value_spelling, std::string_view, std::string_view>(
          {{modelstate::value_spelling::phase, "MODEL_STATE_RUNNING",
            "MODEL_STATE_SUCCEEDED"},
           {modelstate::value_spelling::lifecycle_proto, "MODEL_STATE_RUNNING",
            "MODEL_STATE_EXITED"},
           {modelstate::value_spelling::lifecycle, "Running", "Exited"}}));
  CAPTURE(exited_value);

  const std::vector<container_info> containers{
      running("c1", "up"), make("c2", "done", {{"Status", "exited"}})};
  modelstate::options opts;
  opts.values = spelling;
  memory_sink sink;

  const report r = modelstate::process("node-a", containers, sink, opts);

  CHECK(r.ok());
  CHECK(sink.get("/model/up/state") == running_value);
  CHECK(sink.get("/model/done/state") == exited_value);
}

TEST_CASE("The annotation, key format and rules are options", "[pipeline]") {
  container_info c;
  c.id = "c1";
  c.state = {{"Status", "exited"}, {"ExitCode", "1"}};
  c.annotation = {{"example.com/app", "svc"}, {"pullpiri.model", "other"}};
  modelstate::options opts;
  opts.annotation = "example.com/app";
  opts.keys = {"/site-7/models/", "/current"};
  opts.rules.exit_code_rule = false;
  memory_sink sink;

  const report r = modelstate::process("node-a", std::vector{c}, sink, opts);

  REQUIRE(r.models.size() == 1);
  CHECK(r.annotation == "example.com/app");
  CHECK(r.models[0].state == model_state::exited);
  CHECK(sink.data() ==
        store_map{{"/site-7/models/svc/current", "MODEL_STATE_SUCCEEDED"}});
}

TEST_CASE("A ContainerList is processed by its node name and containers",
          "[pipeline]") {
  modelstate::container_list list;
  list.node_name = "worker-node-01";
  list.containers = {running("abc123", "m"), running("def456", "m")};
  memory_sink sink;

  const report r = modelstate::process(list, sink);

  CHECK(r.node_name == "worker-node-01");
  REQUIRE(r.models.size() == 1);
  CHECK(r.models[0].containers == positions{0, 1});
  CHECK(sink.get("/model/m/state") == "MODEL_STATE_RUNNING");
}

TEST_CASE("A failed write makes the report not ok", "[pipeline]") {
  const std::vector<container_info> containers{running("c1", "a"),
                                               running("c2", "b")};
  auto sink = modelstate::make_sink([](std::string_view key, std::string_view) {
    return key == "/model/a/state" ? modelstate::put_result::success()
                                   : modelstate::put_result::failure("denied");
  });

  const report r = modelstate::process("node-a", containers, sink);

  CHECK(model_named(r, "a").write.outcome == write_outcome::written);
  CHECK(model_named(r, "b").write.outcome == write_outcome::failed);
  CHECK(model_named(r, "b").write.error == "denied");
  CHECK_FALSE(r.ok());
}

TEST_CASE("A writer's statuses are the report's write outcomes", "[pipeline]") {
  const std::vector<container_info> containers{running("c1", "a"),
                                               running("c2", "b")};
  fake_writer writer;

  const report same = modelstate::process("node-a", containers, writer);

  CHECK(writer.calls == 1);
  CHECK(model_named(same, "a").write.outcome == write_outcome::unchanged);
  CHECK(same.ok());

  writer.limit = 1;
  const report short_answer = modelstate::process("node-a", containers, writer);

  CHECK(model_named(short_answer, "a").write.outcome ==
        write_outcome::unchanged);
  CHECK(model_named(short_answer, "b").write.outcome == write_outcome::failed);
  CHECK_FALSE(model_named(short_answer, "b").write.error.empty());
  CHECK_FALSE(short_answer.ok());
}

TEST_CASE("An empty report writes nothing and is ok", "[pipeline]") {
  memory_sink sink;

  const report r =
      modelstate::process("node-a", std::vector<container_info>{}, sink);

  CHECK(r.containers.empty());
  CHECK(r.models.empty());
  CHECK(r.unassociated.empty());
  CHECK(sink.data().empty());
  CHECK(r.ok());
}

TEST_CASE(
    "The observer hears of the list, each container, each model and the end, "
    "in that order",
    "[pipeline]") {
  const std::vector<container_info> containers{
      running("c1", "one"), running("c2", "a/b"), running("c3", "")};
  memory_sink sink;
  recording_observer obs;

  const report r = modelstate::process("node-a", containers, sink,
                                       modelstate::options{}, obs);

  CHECK(obs.calls ==
        std::vector<std::string>{"list node-a", "container c1", "container c2",
                                 "container c3", "model one", "state one",
                                 "write one written", "rejected a/b", "done"});
  CHECK(r.unassociated == positions{2});
}
