// Tests for modelstate/sink.hpp: what a sink is, the ready-made sinks, and
// how writes, failures and exceptions are reported.
#include "modelstate/sink.hpp"

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "modelstate/pipeline.hpp"
#include "support.hpp"

namespace {

using modelstate::container_info;
using modelstate::entry;
using modelstate::memory_sink;
using modelstate::put_result;
using modelstate::write_outcome;

using modelstate_test::contains;

struct bool_sink {
  bool put(std::string_view, std::string_view) { return true; }
};

struct result_sink {
  put_result put(std::string_view, std::string_view) { return {}; }
};

struct no_put {
  bool save(std::string_view, std::string_view) { return true; }
};

struct int_put {
  int put(std::string_view, std::string_view) { return 0; }
};

struct void_put {
  void put(std::string_view, std::string_view) {}
};

struct wrong_arguments {
  bool put(int, int) { return true; }
};

struct batch_only {
  bool put_batch(const std::vector<entry>&) { return true; }
};

struct with_batch {
  bool put(std::string_view, std::string_view) { return true; }
  put_result put_batch(const std::vector<entry>&) { return {}; }
};

static_assert(modelstate::is_sink_v<bool_sink>);
static_assert(modelstate::is_sink_v<result_sink>);
static_assert(modelstate::is_sink_v<memory_sink>);
static_assert(!modelstate::is_sink_v<no_put>);
static_assert(!modelstate::is_sink_v<int_put>);
static_assert(!modelstate::is_sink_v<void_put>);
static_assert(!modelstate::is_sink_v<wrong_arguments>);
static_assert(!modelstate::is_sink_v<batch_only>);
static_assert(!modelstate::is_sink_v<int>);
static_assert(modelstate::is_batch_sink_v<with_batch>);
static_assert(!modelstate::is_batch_sink_v<bool_sink>);
static_assert(!modelstate::is_batch_sink_v<batch_only>);

#if defined(__cpp_concepts) && __cpp_concepts >= 201907L
static_assert(modelstate::sink<memory_sink>);
static_assert(!modelstate::sink<no_put>);
static_assert(modelstate::batch_sink<with_batch>);
static_assert(!modelstate::batch_sink<bool_sink>);
#endif

// A sink that throws for chosen keys and stores everything else.
struct throwing_sink {
  std::map<std::string, std::string, std::less<>> store;
  std::string throw_for;
  bool throw_non_standard = false;

  put_result put(std::string_view key, std::string_view value) {
    if (key == throw_for) {
      if (throw_non_standard) {
        throw 42;
      }
      throw std::runtime_error("connection reset");
    }
    store[std::string(key)] = std::string(value);
    return put_result::success();
  }
};

// A batch sink that records every call.
struct counting_batch_sink {
  std::vector<std::vector<std::pair<std::string, std::string>>> batches;
  std::size_t single_puts = 0;
  bool throw_in_batch = false;

  bool put(std::string_view, std::string_view) {
    ++single_puts;
    return true;
  }

  put_result put_batch(const std::vector<entry>& entries) {
    std::vector<std::pair<std::string, std::string>> batch;
    for (const auto& e : entries) {
      batch.emplace_back(e.key, e.value);
    }
    batches.push_back(std::move(batch));
    if (throw_in_batch) {
      throw std::runtime_error("transaction aborted");
    }
    return put_result::success();
  }
};

container_info in_model(std::string id, std::string model,
                        std::string status = "running") {
  container_info c;
  c.id = std::move(id);
  c.state = {{"Status", std::move(status)}};
  c.annotation = {{"pullpiri.model", std::move(model)}};
  return c;
}

const modelstate::model_report& model_named(const modelstate::report& r,
                                            std::string_view name) {
  for (const auto& m : r.models) {
    if (m.name == name) {
      return m;
    }
  }
  FAIL("no model named " << name);
  return r.models.front();
}

}  // namespace

TEST_CASE("A memory sink keeps the last value per key, ordered by key",
          "[sink]") {
  memory_sink sink;

  CHECK(sink.put("/model/c/state", "MODEL_STATE_RUNNING"));
  CHECK(sink.put("/model/a/state", "MODEL_STATE_PENDING"));
  CHECK(sink.put("/model/b/state", "MODEL_STATE_FAILED"));
  CHECK(sink.put("/model/a/state", "MODEL_STATE_RUNNING"));

  std::vector<std::pair<std::string, std::string>> entries(sink.data().begin(),
                                                           sink.data().end());
  CHECK(entries == std::vector<std::pair<std::string, std::string>>{
                       {"/model/a/state", "MODEL_STATE_RUNNING"},
                       {"/model/b/state", "MODEL_STATE_FAILED"},
                       {"/model/c/state", "MODEL_STATE_RUNNING"}});
  CHECK(sink.get("/model/b/state") == "MODEL_STATE_FAILED");
  CHECK(sink.get("/model/none/state") == std::nullopt);
}

TEST_CASE("A lambda returning bool becomes a sink", "[sink]") {
  std::vector<std::string> calls;
  auto sink = modelstate::make_sink(
      [&calls](std::string_view key, std::string_view value) {
        calls.push_back(std::string(key) + "=" + std::string(value));
        return key != "/refused";
      });
  static_assert(modelstate::is_sink_v<decltype(sink)>);

  const put_result accepted = modelstate::put(sink, "/k", "v");
  const put_result refused = modelstate::put(sink, "/refused", "v");

  CHECK(accepted.ok);
  CHECK(accepted.error.empty());
  CHECK_FALSE(refused);
  CHECK_FALSE(refused.error.empty());
  CHECK(calls == std::vector<std::string>{"/k=v", "/refused=v"});
}

TEST_CASE("A lambda returning put_result passes the store's message on",
          "[sink]") {
  auto sink = modelstate::make_sink([](std::string_view, std::string_view) {
    return put_result::failure("quota exceeded");
  });

  const put_result r = modelstate::put(sink, "/k", "v");

  CHECK_FALSE(r);
  CHECK(r.error == "quota exceeded");
}

TEST_CASE("An exception from a sink becomes a failed write, never escapes",
          "[sink]") {
  throwing_sink sink;
  sink.throw_for = "/bad";

  put_result r;
  CHECK_NOTHROW(r = modelstate::put(sink, "/bad", "v"));
  CHECK_FALSE(r);
  CHECK_THAT(r.error, contains("connection reset"));

  sink.throw_non_standard = true;
  CHECK_NOTHROW(r = modelstate::put(sink, "/bad", "v"));
  CHECK_FALSE(r);
  CHECK_FALSE(r.error.empty());

  CHECK(modelstate::put(sink, "/good", "v"));
  CHECK(sink.store.at("/good") == "v");
}

TEST_CASE(
    "A sink that throws for one model fails that model only; the others are "
    "written and nothing escapes",
    "[sink]") {
  const std::vector<container_info> containers{
      in_model("1", "first"), in_model("2", "doomed", "exited"),
      in_model("3", "last", "paused")};
  throwing_sink sink;
  sink.throw_for = "/model/doomed/state";

  modelstate::report r;
  CHECK_NOTHROW(r = modelstate::process("node", containers, sink));

  const auto& doomed = model_named(r, "doomed");
  CHECK(doomed.write.outcome == write_outcome::failed);
  CHECK_THAT(doomed.write.error, contains("connection reset"));
  CHECK(model_named(r, "first").write.outcome == write_outcome::written);
  CHECK(model_named(r, "last").write.outcome == write_outcome::written);
  CHECK(sink.store == std::map<std::string, std::string, std::less<>>{
                          {"/model/first/state", "MODEL_STATE_RUNNING"},
                          {"/model/last/state", "MODEL_STATE_UNKNOWN"}});
  CHECK_FALSE(r.ok());
}

TEST_CASE("A batch sink gets exactly one put_batch call per report", "[sink]") {
  const std::vector<container_info> containers{
      in_model("1", "a"), in_model("2", "b", "dead"), in_model("3", "a"),
      in_model("4", "c", "paused")};
  counting_batch_sink sink;

  const modelstate::report r = modelstate::process("node", containers, sink);

  REQUIRE(sink.batches.size() == 1);
  CHECK(sink.single_puts == 0);
  CHECK(sink.batches[0] == std::vector<std::pair<std::string, std::string>>{
                               {"/model/a/state", "MODEL_STATE_RUNNING"},
                               {"/model/b/state", "MODEL_STATE_FAILED"},
                               {"/model/c/state", "MODEL_STATE_UNKNOWN"}});
  CHECK(r.ok());

  const modelstate::report second =
      modelstate::process("node", containers, sink);
  CHECK(sink.batches.size() == 2);
  CHECK(second.ok());
}

TEST_CASE("A report with nothing to write makes no call to a batch sink",
          "[sink]") {
  container_info orphan;
  orphan.state = {{"Status", "running"}};
  counting_batch_sink sink;

  const modelstate::report r =
      modelstate::process("node", std::vector<container_info>{orphan}, sink);

  CHECK(sink.batches.empty());
  CHECK(sink.single_puts == 0);
  CHECK(r.models.empty());
}

TEST_CASE("A batch that throws fails every model of the batch, nothing escapes",
          "[sink]") {
  const std::vector<container_info> containers{in_model("1", "a"),
                                               in_model("2", "b")};
  counting_batch_sink sink;
  sink.throw_in_batch = true;

  modelstate::report r;
  CHECK_NOTHROW(r = modelstate::process("node", containers, sink));

  REQUIRE(r.models.size() == 2);
  for (const auto& m : r.models) {
    CHECK(m.write.outcome == write_outcome::failed);
    CHECK_THAT(m.write.error, contains("transaction aborted"));
  }
  CHECK_FALSE(r.ok());
}

TEST_CASE("Writing to a sink gives one status per entry", "[sink]") {
  auto sink = modelstate::make_sink(
      [](std::string_view key, std::string_view) { return key != "/no"; });
  const std::vector<entry> entries{{"/yes", "1"}, {"/no", "2"}, {"/yes2", "3"}};

  const auto results = modelstate::put_all(sink, entries);
  const auto statuses = modelstate::write_all(sink, entries);

  REQUIRE(results.size() == 3);
  CHECK(results[0].ok);
  CHECK_FALSE(results[1].ok);
  CHECK(results[2].ok);
  REQUIRE(statuses.size() == 3);
  CHECK(statuses[0].outcome == write_outcome::written);
  CHECK(statuses[1].outcome == write_outcome::failed);
  CHECK_FALSE(statuses[1].error.empty());
  CHECK(statuses[2].outcome == write_outcome::written);
}

TEST_CASE("Write outcomes are named written, unchanged, failed and skipped",
          "[sink]") {
  CHECK(modelstate::to_string(write_outcome::written) == "written");
  CHECK(modelstate::to_string(write_outcome::unchanged) == "unchanged");
  CHECK(modelstate::to_string(write_outcome::failed) == "failed");
  CHECK(modelstate::to_string(write_outcome::skipped) == "skipped");
}
