// Tests for modelstate/tracker.hpp: change-only writing, confirmation,
// retries and priming.
#include "modelstate/tracker.hpp"

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "catch.hpp"

namespace {

using modelstate::change_tracker;
using modelstate::entry;
using modelstate::key_status;
using modelstate::prime_error;
using modelstate::put_result;
using modelstate::write_outcome;
using modelstate::write_status;

using pair_list = std::vector<std::pair<std::string, std::string>>;

// A sink that records every call, stores what it accepts, and can be told
// to fail or throw, for every key or for chosen keys.
struct recording_sink {
  std::vector<pair_list> calls;  // one element per put()
  std::map<std::string, std::string> store;
  bool fail_all = false;
  bool throw_all = false;
  std::set<std::string, std::less<>> failing_keys;

  put_result put(std::string_view key, std::string_view value) {
    calls.push_back({{std::string(key), std::string(value)}});
    if (throw_all) {
      throw std::runtime_error("connection reset");
    }
    if (fail_all || failing_keys.count(key) != 0) {
      return put_result::failure("store unavailable");
    }
    store[std::string(key)] = std::string(value);
    return put_result::success();
  }

  // Returns every key/value sent so far, in order.
  pair_list sent() const {
    pair_list all;
    for (const auto& call : calls) {
      all.insert(all.end(), call.begin(), call.end());
    }
    return all;
  }
};

// A sink with an all-or-nothing batch put, like one etcd transaction; it
// rejects a batch holding a key twice, as etcd does.
struct recording_batch_sink {
  std::vector<pair_list> batches;
  std::size_t single_puts = 0;
  std::map<std::string, std::string> store;
  bool fail_all = false;
  bool throw_all = false;

  put_result put(std::string_view key, std::string_view value) {
    ++single_puts;
    store[std::string(key)] = std::string(value);
    return put_result::success();
  }

  put_result put_batch(const std::vector<entry>& entries) {
    pair_list batch;
    std::set<std::string_view> keys;
    for (const auto& e : entries) {
      batch.emplace_back(std::string(e.key), std::string(e.value));
      keys.insert(e.key);
    }
    batches.push_back(batch);
    if (throw_all) {
      throw std::runtime_error("connection reset");
    }
    if (fail_all) {
      return put_result::failure("store unavailable");
    }
    if (keys.size() != entries.size()) {
      return put_result::failure("duplicate key given in txn request");
    }
    for (const auto& [key, value] : batch) {
      store[key] = value;
    }
    return put_result::success();
  }
};

std::vector<write_outcome> outcomes(const std::vector<write_status>& s) {
  std::vector<write_outcome> out;
  for (const auto& status : s) {
    out.push_back(status.outcome);
  }
  return out;
}

std::vector<std::string> keys_of(const std::vector<key_status>& s) {
  std::vector<std::string> out;
  for (const auto& status : s) {
    out.push_back(status.key);
  }
  return out;
}

const std::vector<entry> three_models = {
    {"/model/a/state", "MODEL_STATE_RUNNING"},
    {"/model/b/state", "MODEL_STATE_FAILED"},
    {"/model/c/state", "MODEL_STATE_PENDING"},
};

}  // namespace

TEST_CASE("The first write sends every entry and confirms each value") {
  recording_sink sink;
  change_tracker tracker(sink);

  const auto statuses = tracker.write(three_models);

  CHECK(outcomes(statuses) ==
        std::vector<write_outcome>(3, write_outcome::written));
  CHECK(sink.sent() == pair_list{{"/model/a/state", "MODEL_STATE_RUNNING"},
                                 {"/model/b/state", "MODEL_STATE_FAILED"},
                                 {"/model/c/state", "MODEL_STATE_PENDING"}});
  CHECK(tracker.confirmed("/model/a/state") ==
        std::optional<std::string_view>("MODEL_STATE_RUNNING"));
  CHECK(tracker.confirmed("/model/c/state") ==
        std::optional<std::string_view>("MODEL_STATE_PENDING"));
  CHECK(tracker.pending().empty());
  for (const auto& status : statuses) {
    CHECK_FALSE(status.previous.has_value());
    CHECK(status.error.empty());
  }
}

TEST_CASE(
    "Writing the same values again sends nothing and reports them "
    "unchanged") {
  recording_sink sink;
  change_tracker tracker(sink);
  static_cast<void>(tracker.write(three_models));
  sink.calls.clear();

  const auto statuses = tracker.write(three_models);

  CHECK(sink.calls.empty());
  CHECK(outcomes(statuses) ==
        std::vector<write_outcome>(3, write_outcome::unchanged));
  CHECK(statuses[1].previous ==
        std::optional<std::string>("MODEL_STATE_FAILED"));
}

TEST_CASE("A changed value is the only entry sent") {
  recording_sink sink;
  change_tracker tracker(sink);
  static_cast<void>(tracker.write(three_models));
  sink.calls.clear();

  std::vector<entry> next = three_models;
  next[1].value = "MODEL_STATE_RUNNING";
  const auto statuses = tracker.write(next);

  CHECK(sink.sent() == pair_list{{"/model/b/state", "MODEL_STATE_RUNNING"}});
  CHECK(outcomes(statuses) ==
        std::vector<write_outcome>{write_outcome::unchanged,
                                   write_outcome::written,
                                   write_outcome::unchanged});
}

TEST_CASE("Results are one per input entry, in input order") {
  recording_sink sink;
  sink.failing_keys = {"/model/b/state"};
  change_tracker tracker(sink);
  tracker.prime("/model/c/state", "MODEL_STATE_PENDING");

  const auto statuses = tracker.write(three_models);

  REQUIRE(statuses.size() == 3);
  CHECK(outcomes(statuses) == std::vector<write_outcome>{
                                  write_outcome::written, write_outcome::failed,
                                  write_outcome::unchanged});
  CHECK(statuses[1].error == "store unavailable");
}

TEST_CASE(
    "Each status carries the value confirmed before, for reporting "
    "transitions") {
  recording_sink sink;
  change_tracker tracker(sink);
  static_cast<void>(tracker.write({{"/model/a/state", "MODEL_STATE_PENDING"}}));

  const auto running =
      tracker.write({{"/model/a/state", "MODEL_STATE_RUNNING"}});
  const auto failed = tracker.write({{"/model/a/state", "MODEL_STATE_FAILED"}});

  REQUIRE(running.size() == 1);
  CHECK(running[0].outcome == write_outcome::written);
  CHECK(running[0].previous ==
        std::optional<std::string>("MODEL_STATE_PENDING"));
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].previous ==
        std::optional<std::string>("MODEL_STATE_RUNNING"));
}

TEST_CASE("A failed write confirms nothing and leaves the value pending") {
  recording_sink sink;
  sink.fail_all = true;
  change_tracker tracker(sink);

  const auto statuses = tracker.write(three_models);

  CHECK(outcomes(statuses) ==
        std::vector<write_outcome>(3, write_outcome::failed));
  CHECK(statuses[0].error == "store unavailable");
  CHECK_FALSE(tracker.confirmed("/model/a/state").has_value());
  CHECK(tracker.pending() == change_tracker<recording_sink>::value_map{
                                 {"/model/a/state", "MODEL_STATE_RUNNING"},
                                 {"/model/b/state", "MODEL_STATE_FAILED"},
                                 {"/model/c/state", "MODEL_STATE_PENDING"}});
}

TEST_CASE("A failed write keeps the value confirmed before it") {
  recording_sink sink;
  change_tracker tracker(sink);
  static_cast<void>(tracker.write({{"/model/a/state", "MODEL_STATE_PENDING"}}));
  sink.fail_all = true;

  const auto statuses =
      tracker.write({{"/model/a/state", "MODEL_STATE_RUNNING"}});

  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0].outcome == write_outcome::failed);
  CHECK(statuses[0].previous ==
        std::optional<std::string>("MODEL_STATE_PENDING"));
  CHECK(tracker.confirmed("/model/a/state") ==
        std::optional<std::string_view>("MODEL_STATE_PENDING"));
  CHECK(tracker.is_pending("/model/a/state"));
}

TEST_CASE(
    "The next write retries a failed entry even when its value has "
    "not changed") {
  recording_sink sink;
  sink.fail_all = true;
  change_tracker tracker(sink);
  static_cast<void>(tracker.write(three_models));
  sink.fail_all = false;
  sink.calls.clear();

  const auto statuses = tracker.write(three_models);

  CHECK(sink.sent().size() == 3);
  CHECK(outcomes(statuses) ==
        std::vector<write_outcome>(3, write_outcome::written));
  CHECK(sink.store.at("/model/b/state") == "MODEL_STATE_FAILED");
  CHECK(tracker.pending().empty());
}

TEST_CASE(
    "Returning to the confirmed value while a write is pending still "
    "sends it") {
  // The failed write may have reached the store after all, so the store's
  // value is unknown until the sink confirms one.
  recording_sink sink;
  change_tracker tracker(sink);
  static_cast<void>(tracker.write({{"/model/a/state", "MODEL_STATE_PENDING"}}));
  sink.fail_all = true;
  static_cast<void>(tracker.write({{"/model/a/state", "MODEL_STATE_RUNNING"}}));
  sink.fail_all = false;
  sink.calls.clear();

  const auto statuses =
      tracker.write({{"/model/a/state", "MODEL_STATE_PENDING"}});

  CHECK(sink.sent() == pair_list{{"/model/a/state", "MODEL_STATE_PENDING"}});
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0].outcome == write_outcome::written);
  CHECK_FALSE(tracker.is_pending("/model/a/state"));
}

TEST_CASE(
    "The next write retries pending entries of keys it does not "
    "mention") {
  recording_sink sink;
  sink.failing_keys = {"/model/b/state"};
  change_tracker tracker(sink);
  static_cast<void>(tracker.write(three_models));
  sink.failing_keys.clear();
  sink.calls.clear();

  std::vector<key_status> retried;
  const auto statuses =
      tracker.write({{"/model/d/state", "MODEL_STATE_RUNNING"}}, retried);

  CHECK(sink.sent() == pair_list{{"/model/d/state", "MODEL_STATE_RUNNING"},
                                 {"/model/b/state", "MODEL_STATE_FAILED"}});
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0].outcome == write_outcome::written);
  REQUIRE(retried.size() == 1);
  CHECK(retried[0].key == "/model/b/state");
  CHECK(retried[0].value == "MODEL_STATE_FAILED");
  CHECK(retried[0].status.outcome == write_outcome::written);
  CHECK_FALSE(retried[0].status.previous.has_value());
  CHECK(tracker.confirmed("/model/b/state") ==
        std::optional<std::string_view>("MODEL_STATE_FAILED"));
  CHECK(tracker.pending().empty());
}

TEST_CASE("A retry that fails again stays pending and is reported") {
  recording_sink sink;
  sink.failing_keys = {"/model/b/state"};
  change_tracker tracker(sink);
  static_cast<void>(tracker.write(three_models));

  std::vector<key_status> retried;
  const auto statuses = tracker.write({}, retried);

  CHECK(statuses.empty());
  REQUIRE(retried.size() == 1);
  CHECK(retried[0].status.outcome == write_outcome::failed);
  CHECK(retried[0].status.error == "store unavailable");
  CHECK(tracker.pending().at("/model/b/state") == "MODEL_STATE_FAILED");
}

TEST_CASE("A flush after recovery writes what is pending and nothing else") {
  recording_sink sink;
  sink.failing_keys = {"/model/a/state", "/model/c/state"};
  change_tracker tracker(sink);
  static_cast<void>(tracker.write(three_models));
  sink.failing_keys.clear();
  sink.calls.clear();

  const auto flushed = tracker.flush();

  CHECK(sink.sent() == pair_list{{"/model/a/state", "MODEL_STATE_RUNNING"},
                                 {"/model/c/state", "MODEL_STATE_PENDING"}});
  CHECK(keys_of(flushed) ==
        std::vector<std::string>{"/model/a/state", "/model/c/state"});
  for (const auto& status : flushed) {
    CHECK(status.status.outcome == write_outcome::written);
  }
  CHECK(tracker.pending().empty());

  sink.calls.clear();
  CHECK(tracker.flush().empty());
  CHECK(sink.calls.empty());
}

TEST_CASE(
    "A retried write reports the value confirmed before the failed "
    "one") {
  recording_sink sink;
  change_tracker tracker(sink);
  static_cast<void>(tracker.write({{"/model/a/state", "MODEL_STATE_PENDING"}}));
  sink.fail_all = true;
  static_cast<void>(tracker.write({{"/model/a/state", "MODEL_STATE_RUNNING"}}));
  sink.fail_all = false;

  const auto flushed = tracker.flush();

  REQUIRE(flushed.size() == 1);
  CHECK(flushed[0].value == "MODEL_STATE_RUNNING");
  CHECK(flushed[0].status.previous ==
        std::optional<std::string>("MODEL_STATE_PENDING"));
  CHECK(tracker.confirmed("/model/a/state") ==
        std::optional<std::string_view>("MODEL_STATE_RUNNING"));
}

TEST_CASE("A flush while the store is still down keeps everything pending") {
  recording_sink sink;
  sink.fail_all = true;
  change_tracker tracker(sink);
  static_cast<void>(tracker.write(three_models));

  const auto flushed = tracker.flush();

  REQUIRE(flushed.size() == 3);
  for (const auto& status : flushed) {
    CHECK(status.status.outcome == write_outcome::failed);
  }
  CHECK(tracker.pending().size() == 3);
}

TEST_CASE("A newer desired value replaces an older pending one") {
  recording_sink sink;
  sink.fail_all = true;
  change_tracker tracker(sink);
  static_cast<void>(tracker.write({{"/model/a/state", "MODEL_STATE_PENDING"}}));
  static_cast<void>(tracker.write({{"/model/a/state", "MODEL_STATE_RUNNING"}}));
  sink.fail_all = false;
  sink.calls.clear();

  CHECK(tracker.pending().at("/model/a/state") == "MODEL_STATE_RUNNING");

  static_cast<void>(tracker.flush());

  CHECK(sink.sent() == pair_list{{"/model/a/state", "MODEL_STATE_RUNNING"}});
  CHECK(sink.store.at("/model/a/state") == "MODEL_STATE_RUNNING");
}

TEST_CASE("When a key appears twice in one call the last entry wins") {
  recording_sink sink;
  change_tracker tracker(sink);

  const auto statuses =
      tracker.write({{"/model/a/state", "MODEL_STATE_PENDING"},
                     {"/model/b/state", "MODEL_STATE_FAILED"},
                     {"/model/a/state", "MODEL_STATE_RUNNING"}});

  CHECK(sink.sent() == pair_list{{"/model/b/state", "MODEL_STATE_FAILED"},
                                 {"/model/a/state", "MODEL_STATE_RUNNING"}});
  CHECK(outcomes(statuses) ==
        std::vector<write_outcome>{write_outcome::skipped,
                                   write_outcome::written,
                                   write_outcome::written});
  CHECK_FALSE(statuses[0].error.empty());
  CHECK(tracker.confirmed("/model/a/state") ==
        std::optional<std::string_view>("MODEL_STATE_RUNNING"));
}

TEST_CASE(
    "A batch sink gets one batch holding the changes and the retries "
    "with no key twice") {
  recording_batch_sink sink;
  change_tracker tracker(sink);
  sink.fail_all = true;
  static_cast<void>(tracker.write(three_models));
  sink.fail_all = false;
  sink.batches.clear();

  std::vector<key_status> retried;
  const auto statuses =
      tracker.write({{"/model/b/state", "MODEL_STATE_RUNNING"},
                     {"/model/d/state", "MODEL_STATE_UNKNOWN"},
                     {"/model/b/state", "MODEL_STATE_SUCCEEDED"}},
                    retried);

  REQUIRE(sink.batches.size() == 1);
  CHECK(sink.single_puts == 0);
  CHECK(sink.batches[0] ==
        pair_list{{"/model/d/state", "MODEL_STATE_UNKNOWN"},
                  {"/model/b/state", "MODEL_STATE_SUCCEEDED"},
                  {"/model/a/state", "MODEL_STATE_RUNNING"},
                  {"/model/c/state", "MODEL_STATE_PENDING"}});
  CHECK(outcomes(statuses) ==
        std::vector<write_outcome>{write_outcome::skipped,
                                   write_outcome::written,
                                   write_outcome::written});
  CHECK(keys_of(retried) ==
        std::vector<std::string>{"/model/a/state", "/model/c/state"});
  CHECK(tracker.pending().empty());
}

TEST_CASE("A failed batch leaves every entry of the batch pending") {
  recording_batch_sink sink;
  change_tracker tracker(sink);
  sink.fail_all = true;

  const auto statuses = tracker.write(three_models);
  const auto again = tracker.write(three_models);

  CHECK(sink.batches.size() == 2);
  CHECK(outcomes(again) ==
        std::vector<write_outcome>(3, write_outcome::failed));
  CHECK(statuses[2].error == "store unavailable");
  CHECK(tracker.pending().size() == 3);
}

TEST_CASE("A throwing sink leaves the values pending") {
  const bool batch = GENERATE(false, true);
  CAPTURE(batch);

  const auto check = [](auto& sink) {
    change_tracker tracker(sink);
    sink.throw_all = true;

    const auto statuses = tracker.write(three_models);

    CHECK(outcomes(statuses) ==
          std::vector<write_outcome>(3, write_outcome::failed));
    CHECK(statuses[0].error.find("connection reset") != std::string::npos);
    CHECK(tracker.pending().size() == 3);
    CHECK_FALSE(tracker.confirmed("/model/a/state").has_value());

    sink.throw_all = false;
    const auto flushed = tracker.flush();

    CHECK(flushed.size() == 3);
    CHECK(tracker.pending().empty());
    CHECK(sink.store.at("/model/c/state") == "MODEL_STATE_PENDING");
  };
  if (batch) {
    recording_batch_sink sink;
    check(sink);
  } else {
    recording_sink sink;
    check(sink);
  }
}

TEST_CASE("A callable sink is called only for what changed") {
  int calls = 0;
  auto sink =
      modelstate::make_sink([&calls](std::string_view, std::string_view) {
        ++calls;
        return true;
      });
  change_tracker tracker(sink);

  static_cast<void>(tracker.write(three_models));
  static_cast<void>(tracker.write(three_models));

  CHECK(calls == 3);
}

TEST_CASE("Priming prevents rewriting the values the store already holds") {
  recording_sink sink;
  change_tracker tracker(sink);
  const std::map<std::string, std::string> stored = {
      {"/model/a/state", "MODEL_STATE_RUNNING"},
      {"/model/b/state", "MODEL_STATE_FAILED"}};
  tracker.prime(stored);

  const auto statuses = tracker.write(three_models);

  CHECK(sink.sent() == pair_list{{"/model/c/state", "MODEL_STATE_PENDING"}});
  CHECK(outcomes(statuses) ==
        std::vector<write_outcome>{write_outcome::unchanged,
                                   write_outcome::unchanged,
                                   write_outcome::written});
}

TEST_CASE("Priming accepts a range of entries") {
  recording_sink sink;
  change_tracker tracker(sink);

  tracker.prime(std::vector<entry>{{"/model/a/state", "MODEL_STATE_RUNNING"}});

  CHECK(tracker.confirmed("/model/a/state") ==
        std::optional<std::string_view>("MODEL_STATE_RUNNING"));
}

TEST_CASE("Priming exposes a change made while the process was down") {
  recording_sink sink;
  change_tracker tracker(sink);
  tracker.prime("/model/a/state", "MODEL_STATE_FAILED");

  const auto statuses =
      tracker.write({{"/model/a/state", "MODEL_STATE_RUNNING"}});

  CHECK(sink.sent() == pair_list{{"/model/a/state", "MODEL_STATE_RUNNING"}});
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0].outcome == write_outcome::written);
  CHECK(statuses[0].previous ==
        std::optional<std::string>("MODEL_STATE_FAILED"));
}

TEST_CASE("Priming leaves a pending write in place") {
  recording_sink sink;
  sink.fail_all = true;
  change_tracker tracker(sink);
  static_cast<void>(tracker.write({{"/model/a/state", "MODEL_STATE_RUNNING"}}));

  tracker.prime("/model/a/state", "MODEL_STATE_RUNNING");

  CHECK(tracker.is_pending("/model/a/state"));
}

TEST_CASE(
    "Priming with a validator records what it accepts and reports "
    "what it rejects") {
  recording_sink sink;
  change_tracker tracker(sink);
  const pair_list stored = {{"/model/a/state", "MODEL_STATE_RUNNING"},
                            {"/model/b/state", "bogus"}};

  const auto problems =
      tracker.prime(stored,
                    [](std::string_view,
                       std::string_view value) -> std::optional<std::string> {
                      if (value == "bogus") {
                        return "not allowed here";
                      }
                      return std::nullopt;
                    });

  REQUIRE(problems.size() == 1);
  CHECK(problems[0].key == "/model/b/state");
  CHECK(problems[0].value == "bogus");
  CHECK(problems[0].error == prime_error::rejected);
  CHECK(problems[0].reason == "not allowed here");
  CHECK(tracker.confirmed("/model/a/state").has_value());
  CHECK_FALSE(tracker.confirmed("/model/b/state").has_value());
}

TEST_CASE("Priming model states accepts all three spellings in any case") {
  const std::string value =
      GENERATE("MODEL_STATE_SUCCEEDED", "MODEL_STATE_EXITED", "Exited",
               "exited", "model_state_failed", " Running ");
  CAPTURE(value);
  recording_sink sink;
  change_tracker tracker(sink);

  const auto problems = modelstate::prime_model_states(
      tracker, pair_list{{"/model/a/state", value}});

  CHECK(problems.empty());
  CHECK(tracker.confirmed("/model/a/state") ==
        std::optional<std::string_view>(value));
}

TEST_CASE(
    "Priming model states reports values that are no spelling of a "
    "model state") {
  const auto [value, error] = GENERATE(table<std::string, prime_error>({
      {"", prime_error::empty_value},
      {"  ", prime_error::empty_value},
      {"Runing", prime_error::unrecognised_value},
      {"PACKAGE_STATE_RUNNING", prime_error::unrecognised_value},
      {"2", prime_error::unrecognised_value},
      {"MODEL_STATE_UNSPECIFIED", prime_error::no_model_state},
      {"MODEL_STATE_CRASH_LOOP_BACK_OFF", prime_error::no_model_state},
  }));
  CAPTURE(value);
  recording_sink sink;
  change_tracker tracker(sink);

  const auto problems = modelstate::prime_model_states(
      tracker, pair_list{{"/model/a/state", value},
                         {"/model/b/state", "MODEL_STATE_RUNNING"}});

  REQUIRE(problems.size() == 1);
  CHECK(problems[0].key == "/model/a/state");
  CHECK(problems[0].value == value);
  CHECK(problems[0].error == error);
  CHECK_FALSE(problems[0].reason.empty());
  CHECK_FALSE(tracker.confirmed("/model/a/state").has_value());
  CHECK(tracker.confirmed("/model/b/state").has_value());
}

TEST_CASE("Priming model states reports keys outside the key format") {
  const auto [key, reason] = GENERATE(table<std::string, std::string>({
      {"/model/a/config", "key does not have the form /model/{name}/state"},
      {"/package/a/state", "key does not have the form /model/{name}/state"},
      {"/model/a/b/state",
       "key holds an invalid name: name contains '/' at "
       "byte 1"},
      {"/model/../state", "key holds an invalid name: name is a dot segment"},
  }));
  CAPTURE(key);
  recording_sink sink;
  change_tracker tracker(sink);

  const auto problems = modelstate::prime_model_states(
      tracker, pair_list{{key, "MODEL_STATE_RUNNING"}});

  REQUIRE(problems.size() == 1);
  CHECK(problems[0].error == prime_error::foreign_key);
  CHECK(problems[0].reason == reason);
  CHECK_FALSE(tracker.confirmed(key).has_value());
}

TEST_CASE("Priming package states uses the package key format") {
  recording_sink sink;
  change_tracker tracker(sink);

  const auto problems = modelstate::prime_model_states(
      tracker, pair_list{{"/package/p/state", "Running"}},
      modelstate::package_key_format);

  CHECK(problems.empty());
  CHECK(tracker.confirmed("/package/p/state").has_value());
}

TEST_CASE(
    "A state stored in another spelling is rewritten in the spelling "
    "being written") {
  recording_sink sink;
  change_tracker tracker(sink);
  const auto problems = modelstate::prime_model_states(
      tracker, pair_list{{"/model/a/state", "Running"}});
  REQUIRE(problems.empty());

  const auto statuses =
      tracker.write({{"/model/a/state", "MODEL_STATE_RUNNING"}});

  CHECK(sink.sent() == pair_list{{"/model/a/state", "MODEL_STATE_RUNNING"}});
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0].outcome == write_outcome::written);
  CHECK(statuses[0].previous == std::optional<std::string>("Running"));
}

TEST_CASE("Forgetting a key makes the next write send it again") {
  recording_sink sink;
  change_tracker tracker(sink);
  static_cast<void>(tracker.write(three_models));
  sink.calls.clear();

  CHECK(tracker.forget("/model/b/state"));
  CHECK_FALSE(tracker.forget("/model/b/state"));
  const auto statuses = tracker.write(three_models);

  CHECK(sink.sent() == pair_list{{"/model/b/state", "MODEL_STATE_FAILED"}});
  CHECK_FALSE(statuses[1].previous.has_value());
}

TEST_CASE("Forgetting a pending key stops its retries") {
  recording_sink sink;
  sink.fail_all = true;
  change_tracker tracker(sink);
  static_cast<void>(tracker.write({{"/model/a/state", "MODEL_STATE_RUNNING"}}));
  sink.calls.clear();

  CHECK(tracker.forget("/model/a/state"));
  static_cast<void>(tracker.flush());

  CHECK(sink.calls.empty());
}

TEST_CASE("Clearing drops every confirmed value and pending write") {
  recording_sink sink;
  sink.failing_keys = {"/model/a/state"};
  change_tracker tracker(sink);
  static_cast<void>(tracker.write(three_models));

  tracker.clear();

  CHECK(tracker.pending().empty());
  CHECK_FALSE(tracker.confirmed("/model/b/state").has_value());
  sink.calls.clear();
  sink.failing_keys.clear();
  static_cast<void>(tracker.write(three_models));
  CHECK(sink.sent().size() == 3);
}

TEST_CASE("A tracker refuses a temporary sink") {
  STATIC_REQUIRE(
      std::is_constructible_v<change_tracker<recording_sink>, recording_sink&>);
  STATIC_REQUIRE_FALSE(std::is_constructible_v<change_tracker<recording_sink>,
                                               recording_sink&&>);
}

TEST_CASE("A tracker is a writer that write_all writes through") {
  STATIC_REQUIRE(modelstate::is_writer_v<change_tracker<recording_sink>>);

  recording_sink sink;
  change_tracker tracker(sink);

  const auto first = modelstate::write_all(tracker, three_models);
  const auto second = modelstate::write_all(tracker, three_models);

  CHECK(sink.sent().size() == 3);
  CHECK(outcomes(first) ==
        std::vector<write_outcome>(3, write_outcome::written));
  CHECK(outcomes(second) ==
        std::vector<write_outcome>(3, write_outcome::unchanged));
}
