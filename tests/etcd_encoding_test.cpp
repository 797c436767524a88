// Tests for modelstate/etcd.hpp: base64, request bodies, batching into txns
// and decoding of the gateway's answers. Expected encodings and response
// bodies are the ones a real etcd 3.4 gateway produced.
#include "modelstate/etcd.hpp"

#include <cstddef>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "catch.hpp"

namespace etcd = modelstate::etcd;
using modelstate::entry;
using nlohmann::json;
using namespace std::string_literals;

namespace {

constexpr std::size_t default_budget = 1572864 - 1024;

// Decodes base64 text in a test, failing the test on bad input.
std::string unbase64(const json& text) {
  REQUIRE(text.is_string());
  auto r = etcd::base64_decode(text.get<std::string>());
  REQUIRE(r);
  return r.value;
}

// Builds n entries with distinct keys over storage that outlives them.
struct entry_list {
  std::vector<std::string> keys;
  std::vector<std::string> values;
  std::vector<entry> entries;

  entry_list(std::size_t n, std::size_t value_size) {
    keys.reserve(n);
    values.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      keys.push_back("/model/m-" + std::to_string(i) + "/state");
      values.push_back(
          std::string(value_size, static_cast<char>('A' + i % 26)));
    }
    for (std::size_t i = 0; i < n; ++i) {
      entries.push_back({keys[i], values[i]});
    }
  }
};

// Copies a view, so that Catch2 prints std::string on failure.
std::string str(std::string_view text) {
  return std::string(text);
}

// Tells whether text contains part (Catch2 v2 and v3 name this matcher
// differently).
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Checks that every input position is in exactly one batch or rejection,
// in increasing order inside each batch.
void require_each_index_once(const etcd::txn_plan& plan, std::size_t n) {
  std::multiset<std::size_t> seen;
  for (const auto& batch : plan.batches) {
    for (std::size_t k = 1; k < batch.indices.size(); ++k) {
      REQUIRE(batch.indices[k - 1] < batch.indices[k]);
    }
    seen.insert(batch.indices.begin(), batch.indices.end());
  }
  for (const auto& r : plan.rejected) {
    seen.insert(r.index);
  }
  REQUIRE(seen.size() == n);
  for (std::size_t i = 0; i < n; ++i) {
    REQUIRE(seen.count(i) == 1);
  }
}

// Checks that a batch body is a txn whose success list writes exactly the
// batch's entries, in order, and returns the parsed body.
json require_batch_writes(const etcd::txn_batch& batch,
                          const std::vector<entry>& entries, bool if_changed) {
  const json body = json::parse(batch.body);
  REQUIRE(body.is_object());
  REQUIRE(body.size() == 1);
  const json& ops = body.at("success");
  REQUIRE(ops.size() == batch.indices.size());
  for (std::size_t k = 0; k < ops.size(); ++k) {
    const entry& e = entries[batch.indices[k]];
    const json& put =
        if_changed ? ops[k].at("request_txn").at("success")[0].at("request_put")
                   : ops[k].at("request_put");
    REQUIRE(unbase64(put.at("key")) == str(e.key));
    REQUIRE(unbase64(put.at("value")) == str(e.value));
  }
  return body;
}

}  // namespace

// ---------------------------------------------------------------------------
// Base64

TEST_CASE("Base64 encoding matches the RFC 4648 test vectors", "[base64]") {
  const auto [plain, encoded] = GENERATE(table<std::string, std::string>({
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  }));
  CAPTURE(plain, encoded);

  CHECK(etcd::base64_encode(plain) == encoded);
  CHECK(etcd::base64_encoded_size(plain.size()) == encoded.size());
  const auto decoded = etcd::base64_decode(encoded);
  REQUIRE(decoded);
  CHECK(decoded.value == plain);
}

TEST_CASE("Base64 encodes keys and values the way the etcd gateway expects",
          "[base64]") {
  const auto [plain, encoded] = GENERATE(table<std::string, std::string>({
      {"/model/my-inference-model/state",
       "L21vZGVsL215LWluZmVyZW5jZS1tb2RlbC9zdGF0ZQ=="},
      {"MODEL_STATE_RUNNING", "TU9ERUxfU1RBVEVfUlVOTklORw=="},
      {"/nope", "L25vcGU="},
      {"/model/", "L21vZGVsLw=="},
      {"/model0", "L21vZGVsMA=="},
      {"\0"s, "AA=="},
      {"/model/m-a/state", "L21vZGVsL20tYS9zdGF0ZQ=="},
      {"/model/a/state", "L21vZGVsL2Evc3RhdGU="},
      {"MODEL_STATE_FAILED", "TU9ERUxfU1RBVEVfRkFJTEVE"},
  }));
  CAPTURE(plain, encoded);

  CHECK(etcd::base64_encode(plain) == encoded);
  const auto decoded = etcd::base64_decode(encoded);
  REQUIRE(decoded);
  CHECK(decoded.value == plain);
}

TEST_CASE("Base64 round-trips every byte value and arbitrary binary data",
          "[base64]") {
  std::string all;
  for (int b = 0; b < 256; ++b) {
    all += static_cast<char>(b);
  }
  const auto decoded_all = etcd::base64_decode(etcd::base64_encode(all));
  REQUIRE(decoded_all);
  CHECK(decoded_all.value == all);

  std::mt19937 rng(20261203);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> length(0, 100);
  for (int round = 0; round < 500; ++round) {
    std::string data(length(rng), '\0');
    for (char& c : data) {
      c = static_cast<char>(byte(rng));
    }
    const std::string text = etcd::base64_encode(data);
    CAPTURE(text);
    REQUIRE(text.size() == (data.size() + 2) / 3 * 4);
    const auto decoded = etcd::base64_decode(text);
    REQUIRE(decoded);
    REQUIRE(decoded.value == data);
  }
}

TEST_CASE("Base64 decoding rejects invalid input with the offending offset",
          "[base64]") {
  const auto [text, where] = GENERATE(table<std::string, std::string>({
      {"Zg", "length 2"},               // unpadded
      {"Zg=", "length 3"},              // short padding
      {"Zm9vYg=", "length 7"},          // short padding
      {"Z===", "offset 1"},             // too much padding
      {"====", "offset 0"},             // padding only
      {"Zg==Zg==", "offset 2"},         // padding in the middle
      {"Zm9v-A==", "'-' at offset 4"},  // URL-safe alphabet
      {"Zm_v", "'_' at offset 2"},      // URL-safe alphabet
      {" Zg=", "' ' at offset 0"},      // whitespace
      {"Zm9\n", "0x0a at offset 3"},    // newline
      {"Zm9v\xff"
       "AAA",
       "0xff at offset 4"},       // non-ASCII byte
      {"Zh==", "non-zero bits"},  // bits after the last byte
      {"Zm9=", "non-zero bits"},  // bits after the last byte
  }));
  CAPTURE(text);

  const auto decoded = etcd::base64_decode(text);
  REQUIRE_FALSE(decoded);
  CHECK(decoded.error.code == etcd::error_code::bad_base64);
  CHECK(contains(decoded.error.message, where));
  CHECK(decoded.value.empty());
}

// ---------------------------------------------------------------------------
// Requests

TEST_CASE("A put request carries the key and value in base64 for /v3/kv/put",
          "[request]") {
  const auto r = etcd::put_request("/model/my-inference-model/state",
                                   "MODEL_STATE_RUNNING");

  CHECK(std::string(r.path) == "/v3/kv/put");
  CHECK(json::parse(r.body) ==
        json::parse(R"({"key":"L21vZGVsL215LWluZmVyZW5jZS1tb2RlbC9zdGF0ZQ==",
                        "value":"TU9ERUxfU1RBVEVfUlVOTklORw=="})"));
}

TEST_CASE("A range request for one key carries only the key", "[request]") {
  const auto r = etcd::range_request("/nope");

  CHECK(std::string(r.path) == "/v3/kv/range");
  CHECK(json::parse(r.body) == json::parse(R"({"key":"L25vcGU="})"));
}

TEST_CASE("A prefix range ends at the prefix with its last byte incremented",
          "[request]") {
  const auto [prefix, end] = GENERATE(table<std::string, std::string>({
      {"/model/", "/model0"},
      {"/package/", "/package0"},
      {"a", "b"},
      {"ab\xfe", "ab\xff"},
      {"a\xff", "b"},
      {"a\xff\xff", "b"},
      {"a\x7f\xff", "a\x80"},
      {"\xff", "\0"s},
      {"\xff\xff", "\0"s},
      {"", "\0"s},
  }));
  CAPTURE(prefix);

  CHECK(etcd::prefix_range_end(prefix) == end);
}

TEST_CASE("A prefix range request selects every key under the prefix",
          "[request]") {
  const auto r = etcd::range_prefix_request("/model/");

  CHECK(std::string(r.path) == "/v3/kv/range");
  CHECK(json::parse(r.body) ==
        json::parse(R"({"key":"L21vZGVsLw==","range_end":"L21vZGVsMA=="})"));
}

TEST_CASE("A prefix range request for the empty prefix selects every key",
          "[request]") {
  const auto r = etcd::range_prefix_request("");

  CHECK(json::parse(r.body) ==
        json::parse(R"({"key":"AA==","range_end":"AA=="})"));
}

TEST_CASE("A plain txn puts every entry in its success list", "[request]") {
  const std::vector<entry> entries = {
      {"/model/a/state", "MODEL_STATE_RUNNING"},
      {"/model/b/state", "MODEL_STATE_LOADING"},
      {"/model/c/state", "MODEL_STATE_FAILED"},
  };

  const auto r = etcd::txn_put_request(entries);

  CHECK(std::string(r.path) == "/v3/kv/txn");
  CHECK(json::parse(r.body) == json::parse(R"({"success":[
      {"request_put":{"key":"L21vZGVsL2Evc3RhdGU=",
                      "value":"TU9ERUxfU1RBVEVfUlVOTklORw=="}},
      {"request_put":{"key":"L21vZGVsL2Ivc3RhdGU=",
                      "value":"TU9ERUxfU1RBVEVfTE9BRElORw=="}},
      {"request_put":{"key":"L21vZGVsL2Mvc3RhdGU=",
                      "value":"TU9ERUxfU1RBVEVfRkFJTEVE"}}]})"));
}

TEST_CASE(
    "A put-if-changed txn writes a key when it is missing, else when "
    "its value differs",
    "[request]") {
  const std::vector<entry> entries = {
      {"/model/a/state", "MODEL_STATE_RUNNING"}};
  const char* const k = R"("L21vZGVsL2Evc3RhdGU=")";
  const char* const v = R"("TU9ERUxfU1RBVEVfUlVOTklORw==")";
  const std::string put =
      R"({"request_put":{"key":)" + std::string(k) + R"(,"value":)" + v + "}}";
  const std::string expected =
      R"({"success":[{"request_txn":{
          "compare":[{"target":"VERSION","result":"EQUAL","key":)" +
      std::string(k) + R"(,"version":"0"}],
          "success":[)" +
      put + R"(],
          "failure":[{"request_txn":{
              "compare":[{"target":"VALUE","result":"NOT_EQUAL","key":)" +
      k + R"(,"value":)" + v + R"(}],
              "success":[)" +
      put + "]}}]}}]}";

  const auto r = etcd::txn_put_if_changed_request(entries);

  CHECK(std::string(r.path) == "/v3/kv/txn");
  CHECK(json::parse(r.body) == json::parse(expected));
}

TEST_CASE("A put-if-changed txn has one nested operation per key, in order",
          "[request]") {
  const entry_list list(5, 7);

  const json body =
      json::parse(etcd::txn_put_if_changed_request(list.entries).body);

  REQUIRE(body.at("success").size() == 5);
  for (std::size_t i = 0; i < 5; ++i) {
    CAPTURE(i);
    const json& txn = body["success"][i].at("request_txn");
    REQUIRE(txn.at("compare").size() == 1);
    REQUIRE(txn.at("success").size() == 1);
    REQUIRE(txn.at("failure").size() == 1);
    const json& nested = txn["failure"][0].at("request_txn");
    CHECK_FALSE(nested.contains("failure"));
    CHECK(unbase64(txn["compare"][0].at("key")) == list.keys[i]);
    CHECK(unbase64(nested.at("compare")[0].at("value")) == list.values[i]);
    CHECK(unbase64(nested.at("success")[0].at("request_put").at("key")) ==
          list.keys[i]);
  }
}

// ---------------------------------------------------------------------------
// Batching

TEST_CASE("Put-if-changed batches hold at most 126 keys per txn", "[batch]") {
  const auto [n, sizes] =
      GENERATE(table<std::size_t, std::vector<std::size_t>>({
          {0, {}},
          {1, {1}},
          {126, {126}},
          {127, {126, 1}},
          {252, {126, 126}},
          {300, {126, 126, 48}},
      }));
  CAPTURE(n);
  const entry_list list(n, 19);

  const auto plan = etcd::split_txn_put_if_changed(list.entries);

  CHECK(plan.rejected.empty());
  REQUIRE(plan.batches.size() == sizes.size());
  for (std::size_t b = 0; b < sizes.size(); ++b) {
    CHECK(plan.batches[b].indices.size() == sizes[b]);
    require_batch_writes(plan.batches[b], list.entries, true);
  }
  require_each_index_once(plan, n);
}

TEST_CASE("Plain put batches hold at most 128 keys per txn", "[batch]") {
  const auto [n, sizes] =
      GENERATE(table<std::size_t, std::vector<std::size_t>>({
          {128, {128}},
          {129, {128, 1}},
          {300, {128, 128, 44}},
      }));
  CAPTURE(n);
  const entry_list list(n, 19);

  const auto plan = etcd::split_txn_put(list.entries);

  CHECK(plan.rejected.empty());
  REQUIRE(plan.batches.size() == sizes.size());
  for (std::size_t b = 0; b < sizes.size(); ++b) {
    CHECK(plan.batches[b].indices.size() == sizes[b]);
    require_batch_writes(plan.batches[b], list.entries, false);
  }
  require_each_index_once(plan, n);
}

TEST_CASE("The operation limit of a batch is configurable", "[batch]") {
  const entry_list list(20, 5);
  etcd::limits lim;
  lim.max_txn_ops = 10;

  const auto changed = etcd::split_txn_put_if_changed(list.entries, lim);
  const auto plain = etcd::split_txn_put(list.entries, lim);

  REQUIRE(changed.batches.size() == 3);
  CHECK(changed.batches[0].indices.size() == 8);
  CHECK(changed.batches[1].indices.size() == 8);
  CHECK(changed.batches[2].indices.size() == 4);
  REQUIRE(plain.batches.size() == 2);
  CHECK(plain.batches[0].indices.size() == 10);
  CHECK(plain.batches[1].indices.size() == 10);
}

TEST_CASE("Large values split a batch by request size", "[batch]") {
  SECTION("put-if-changed carries each value three times") {
    // Each operation holds about 3 * 400000 bytes of base64: one per txn.
    const entry_list list(3, 300000);

    const auto plan = etcd::split_txn_put_if_changed(list.entries);

    CHECK(plan.rejected.empty());
    REQUIRE(plan.batches.size() == 3);
    for (const auto& batch : plan.batches) {
      CHECK(batch.indices.size() == 1);
      CHECK(batch.body.size() <= default_budget);
      require_batch_writes(batch, list.entries, true);
    }
    require_each_index_once(plan, 3);
  }

  SECTION("plain puts carry each value once") {
    // Each operation holds about 666667 bytes of base64: two per txn.
    const entry_list list(4, 500000);

    const auto plan = etcd::split_txn_put(list.entries);

    CHECK(plan.rejected.empty());
    REQUIRE(plan.batches.size() == 2);
    for (const auto& batch : plan.batches) {
      CHECK(batch.indices.size() == 2);
      CHECK(batch.body.size() <= default_budget);
      require_batch_writes(batch, list.entries, false);
    }
  }

  SECTION("a smaller request limit splits earlier") {
    const entry_list list(10, 1000);
    etcd::limits lim;
    lim.max_request_bytes = 4096;

    const auto plan = etcd::split_txn_put(list.entries, lim);

    CHECK(plan.rejected.empty());
    REQUIRE(plan.batches.size() > 1);
    for (const auto& batch : plan.batches) {
      CHECK(batch.body.size() <= 4096 - 1024);
      require_batch_writes(batch, list.entries, false);
    }
    require_each_index_once(plan, 10);
  }
}

TEST_CASE("An entry too large for any request is reported, not dropped",
          "[batch]") {
  std::vector<std::string> values = {
      "MODEL_STATE_RUNNING", std::string(1200000, 'x'), "MODEL_STATE_FAILED"};
  const std::vector<entry> entries = {{"/model/a/state", values[0]},
                                      {"/model/huge/state", values[1]},
                                      {"/model/c/state", values[2]}};
  const bool if_changed = GENERATE(false, true);
  CAPTURE(if_changed);

  const auto plan = if_changed ? etcd::split_txn_put_if_changed(entries)
                               : etcd::split_txn_put(entries);

  REQUIRE(plan.rejected.size() == 1);
  CHECK(plan.rejected[0].index == 1);
  CHECK(plan.rejected[0].error.code == etcd::error_code::entry_too_large);
  CHECK_THAT(plan.rejected[0].error.message,
             Catch::Matchers::StartsWith("entry 1: "));
  REQUIRE(plan.batches.size() == 1);
  CHECK(plan.batches[0].indices == std::vector<std::size_t>{0, 2});
  require_batch_writes(plan.batches[0], entries, if_changed);
}

TEST_CASE("A plain put of a value just under the request limit is accepted",
          "[batch]") {
  // 1100000 bytes are 1466668 bytes of base64, below 1572864 - 1024.
  const std::string value(1100000, 'v');
  const std::vector<entry> entries = {{"/model/big/state", value}};

  const auto plan = etcd::split_txn_put(entries);

  CHECK(plan.rejected.empty());
  REQUIRE(plan.batches.size() == 1);
  CHECK(plan.batches[0].body.size() <= default_budget);
}

TEST_CASE("An entry with an empty key is reported and the others are batched",
          "[batch]") {
  const std::vector<entry> entries = {{"/model/a/state", "MODEL_STATE_RUNNING"},
                                      {"", "MODEL_STATE_RUNNING"},
                                      {"/model/c/state", "MODEL_STATE_FAILED"}};

  const auto plan = etcd::split_txn_put_if_changed(entries);

  REQUIRE(plan.rejected.size() == 1);
  CHECK(plan.rejected[0].index == 1);
  CHECK(plan.rejected[0].error.code == etcd::error_code::empty_key);
  REQUIRE(plan.batches.size() == 1);
  CHECK(plan.batches[0].indices == std::vector<std::size_t>{0, 2});
}

TEST_CASE("A key repeated in a list starts a new txn so the last value wins",
          "[batch]") {
  const std::vector<entry> entries = {{"/model/a/state", "MODEL_STATE_PENDING"},
                                      {"/model/b/state", "MODEL_STATE_RUNNING"},
                                      {"/model/a/state", "MODEL_STATE_RUNNING"},
                                      {"/model/c/state", "MODEL_STATE_FAILED"}};

  const auto plan = etcd::split_txn_put_if_changed(entries);

  CHECK(plan.rejected.empty());
  REQUIRE(plan.batches.size() == 2);
  CHECK(plan.batches[0].indices == std::vector<std::size_t>{0, 1});
  CHECK(plan.batches[1].indices == std::vector<std::size_t>{2, 3});
  require_batch_writes(plan.batches[1], entries, true);
}

TEST_CASE("Limits that leave no room for a key reject every entry", "[batch]") {
  const entry_list list(3, 5);
  etcd::limits lim;
  etcd::txn_plan plan;
  SECTION("two operations per list cannot hold the nested form") {
    lim.max_txn_ops = 2;
    plan = etcd::split_txn_put_if_changed(list.entries, lim);
  }
  SECTION("the reserve eats the whole request") {
    lim.max_request_bytes = 1024;
    plan = etcd::split_txn_put(list.entries, lim);
  }

  CHECK(plan.batches.empty());
  REQUIRE(plan.rejected.size() == 3);
  for (const auto& r : plan.rejected) {
    CHECK(r.error.code == etcd::error_code::invalid_limits);
  }
  require_each_index_once(plan, 3);
}

TEST_CASE("Batching keeps binary keys and values intact", "[batch]") {
  const std::string key = "/model/\0\xff\xfe\n/state"s;
  const std::string value = "\x01\x02\x03\xff"s;
  const std::vector<entry> entries = {{key, value}};

  const auto plan = etcd::split_txn_put_if_changed(entries);

  REQUIRE(plan.batches.size() == 1);
  require_batch_writes(plan.batches[0], entries, true);
}

// ---------------------------------------------------------------------------
// Responses

TEST_CASE("A put response gives the revision and the previous key", "[parse]") {
  const auto r = etcd::parse_put_response(
      R"({"header":{"cluster_id":"15118495548433857066",
                    "member_id":"13668033151171901709","revision":"4",
                    "raft_term":"2"},
          "prev_kv":{"key":"L21vZGVsL215LWluZmVyZW5jZS1tb2RlbC9zdGF0ZQ==",
                     "create_revision":"2","mod_revision":"3","version":"2",
                     "value":"TU9ERUxfU1RBVEVfUlVOTklORw=="}})");

  REQUIRE(r);
  CHECK(r.value.revision == 4);
  REQUIRE(r.value.prev_kv.has_value());
  CHECK(r.value.prev_kv->key == "/model/my-inference-model/state");
  CHECK(r.value.prev_kv->value == "MODEL_STATE_RUNNING");
  CHECK(r.value.prev_kv->create_revision == 2);
  CHECK(r.value.prev_kv->mod_revision == 3);
  CHECK(r.value.prev_kv->version == 2);
}

TEST_CASE("A put response without prev_kv has no previous key", "[parse]") {
  const auto r = etcd::parse_put_response(
      R"({"header":{"cluster_id":"15118495548433857066",
                    "member_id":"13668033151171901709","revision":"17",
                    "raft_term":"2"}})");

  REQUIRE(r);
  CHECK(r.value.revision == 17);
  CHECK_FALSE(r.value.prev_kv.has_value());
}

TEST_CASE("A range response gives each key decoded with its revisions",
          "[parse]") {
  const auto r = etcd::parse_range_response(
      R"({"header":{"cluster_id":"15118495548433857066",
                    "member_id":"13668033151171901709","revision":"5",
                    "raft_term":"2"},
          "kvs":[{"key":"L21vZGVsL215LWluZmVyZW5jZS1tb2RlbC9zdGF0ZQ==",
                  "create_revision":"2","mod_revision":"5","version":"4",
                  "value":"TU9ERUxfU1RBVEVfUlVOTklORw=="}],
          "count":"1"})");

  REQUIRE(r);
  CHECK(r.value.revision == 5);
  CHECK(r.value.count == 1);
  CHECK_FALSE(r.value.more);
  REQUIRE(r.value.kvs.size() == 1);
  CHECK(r.value.kvs[0].key == "/model/my-inference-model/state");
  CHECK(r.value.kvs[0].value == "MODEL_STATE_RUNNING");
  CHECK(r.value.kvs[0].create_revision == 2);
  CHECK(r.value.kvs[0].mod_revision == 5);
  CHECK(r.value.kvs[0].version == 4);
  CHECK(r.value.kvs[0].lease == 0);
}

TEST_CASE("A range response for a missing key has no keys", "[parse]") {
  const auto r = etcd::parse_range_response(
      R"({"header":{"cluster_id":"15118495548433857066",
                    "member_id":"13668033151171901709","revision":"8",
                    "raft_term":"2"}})");

  REQUIRE(r);
  CHECK(r.value.revision == 8);
  CHECK(r.value.kvs.empty());
  CHECK(r.value.count == 0);
}

TEST_CASE("A prefix range response lists every key, with more when limited",
          "[parse]") {
  const auto r = etcd::parse_range_response(
      R"({"header":{"cluster_id":"15118495548433857066",
                    "member_id":"13668033151171901709","revision":"12",
                    "raft_term":"2"},
          "kvs":[{"key":"L21vZGVsL2Evc3RhdGU=","create_revision":"10",
                  "mod_revision":"10","version":"1",
                  "value":"TU9ERUxfU1RBVEVfUlVOTklORw=="},
                 {"key":"L21vZGVsL2Ivc3RhdGU=","create_revision":"11",
                  "mod_revision":"11","version":"1"}],
          "more":true,"count":"4"})");

  REQUIRE(r);
  CHECK(r.value.count == 4);
  CHECK(r.value.more);
  REQUIRE(r.value.kvs.size() == 2);
  CHECK(r.value.kvs[0].key == "/model/a/state");
  CHECK(r.value.kvs[1].key == "/model/b/state");
  CHECK(r.value.kvs[1].value.empty());
  CHECK(r.value.kvs[1].mod_revision == 11);
}

TEST_CASE("Int64 fields are accepted as strings and as JSON numbers",
          "[parse]") {
  const auto r = etcd::parse_range_response(
      R"({"header":{"revision":9223372036854775807},
          "kvs":[{"key":"YQ==","version":"-1","mod_revision":3}]})");

  REQUIRE(r);
  CHECK(r.value.revision == 9223372036854775807);
  CHECK(r.value.kvs[0].version == -1);
  CHECK(r.value.kvs[0].mod_revision == 3);
}

TEST_CASE("A plain txn response confirms one put per key", "[parse]") {
  const std::string body =
      R"({"header":{"cluster_id":"15118495548433857066",
                    "member_id":"13668033151171901709","revision":"17",
                    "raft_term":"2"},
          "succeeded":true,
          "responses":[{"response_put":{"header":{"revision":"17"}}},
                       {"response_put":{"header":{"revision":"17"}}},
                       {"response_put":{"header":{"revision":"17"}}}]})";

  const auto r = etcd::parse_txn_put_response(body, 3);
  const auto wrong_count = etcd::parse_txn_put_response(body, 4);

  REQUIRE(r);
  CHECK(r.value.revision == 17);
  REQUIRE_FALSE(wrong_count);
  CHECK(wrong_count.error.code == etcd::error_code::unexpected_shape);
  CHECK(wrong_count.error.message == "responses: expected 4 entries, got 3");
}

TEST_CASE("A failed compare-and-swap answer is not a plain txn response",
          "[parse]") {
  const auto r = etcd::parse_txn_put_response(
      R"({"header":{"cluster_id":"15118495548433857066",
                    "member_id":"13668033151171901709","revision":"16",
                    "raft_term":"2"},
          "responses":[{"response_range":{"header":{"revision":"16"},
              "kvs":[{"key":"L21vZGVsL25ldy1tb2RlbC9zdGF0ZQ==",
                      "create_revision":"14","mod_revision":"16",
                      "version":"3","value":"TU9ERUxfU1RBVEVfU1RPUFBFRA=="}],
              "count":"1"}}]})",
      1);

  REQUIRE_FALSE(r);
  CHECK(r.error.code == etcd::error_code::unexpected_shape);
  CHECK_THAT(r.error.message, Catch::Matchers::StartsWith("succeeded: "));
}

TEST_CASE(
    "A put-if-changed response says which keys were created, updated "
    "or left unchanged",
    "[parse]") {
  const auto r = etcd::parse_txn_put_if_changed_response(
      R"({"header":{"cluster_id":"15118495548433857066",
                    "member_id":"13668033151171901709","revision":"21",
                    "raft_term":"2"},
          "succeeded":true,
          "responses":[
            {"response_txn":{"header":{"revision":"21"},"succeeded":true,
              "responses":[{"response_put":{"header":{"revision":"21"}}}]}},
            {"response_txn":{"header":{"revision":"21"},
              "responses":[{"response_txn":{"header":{"revision":"21"},
                "succeeded":true,
                "responses":[{"response_put":{"header":{}}}]}}]}},
            {"response_txn":{"header":{"revision":"21"},
              "responses":[{"response_txn":{"header":{}}}]}}]})",
      3);

  REQUIRE(r);
  CHECK(r.value.revision == 21);
  CHECK(r.value.changes == std::vector<etcd::change>{etcd::change::created,
                                                     etcd::change::updated,
                                                     etcd::change::unchanged});
}

TEST_CASE("A put-if-changed response that writes nothing keeps the revision",
          "[parse]") {
  const auto r = etcd::parse_txn_put_if_changed_response(
      R"({"header":{"revision":"21"},"succeeded":true,
          "responses":[{"response_txn":{"header":{"revision":"21"},
              "responses":[{"response_txn":{"header":{}}}]}}]})",
      1);

  REQUIRE(r);
  CHECK(r.value.revision == 21);
  CHECK(r.value.changes == std::vector<etcd::change>{etcd::change::unchanged});
}

TEST_CASE("Changes map to write outcomes", "[parse]") {
  CHECK(etcd::to_write_outcome(etcd::change::created) ==
        modelstate::write_outcome::written);
  CHECK(etcd::to_write_outcome(etcd::change::updated) ==
        modelstate::write_outcome::written);
  CHECK(etcd::to_write_outcome(etcd::change::unchanged) ==
        modelstate::write_outcome::unchanged);
  CHECK(str(etcd::to_string(etcd::change::updated)) == "updated");
}

TEST_CASE(
    "Malformed responses give a stable code and say where they are "
    "wrong",
    "[parse]") {
  const auto [body, code,
              message] = GENERATE(table<std::string, etcd::error_code,
                                        std::string>({
      {R"({"header":)", etcd::error_code::invalid_json,
       "body: invalid JSON at byte"},
      {"", etcd::error_code::invalid_json, "body: invalid JSON"},
      {"Not Found", etcd::error_code::invalid_json, "body: invalid JSON"},
      {"[]", etcd::error_code::unexpected_shape,
       "body: expected an object, got an array"},
      {R"({"kvs":[]})", etcd::error_code::unexpected_shape, "header: missing"},
      {R"({"header":[]})", etcd::error_code::unexpected_shape,
       "header: expected an object, got an array"},
      {R"({"header":{"revision":"abc"}})", etcd::error_code::bad_integer,
       "header.revision: \"abc\" is not a 64-bit decimal integer"},
      {R"({"header":{"revision":"9223372036854775808"}})",
       etcd::error_code::bad_integer, "header.revision: "},
      {R"({"header":{"revision":18446744073709551615}})",
       etcd::error_code::bad_integer, "header.revision: "},
      {R"({"header":{"revision":"+5"}})", etcd::error_code::bad_integer,
       "header.revision: "},
      {R"({"header":{"revision":""}})", etcd::error_code::bad_integer,
       "header.revision: "},
      {R"({"header":{"revision":1.5}})", etcd::error_code::unexpected_shape,
       "header.revision: expected an integer string, got a number"},
      {R"({"header":{},"kvs":{}})", etcd::error_code::unexpected_shape,
       "kvs: expected an array, got an object"},
      {R"({"header":{},"kvs":[{"key":"YQ=="},"x"]})",
       etcd::error_code::unexpected_shape,
       "kvs[1]: expected an object, got a string"},
      {R"({"header":{},"kvs":[{"value":"YQ=="}]})",
       etcd::error_code::unexpected_shape, "kvs[0].key: missing"},
      {R"({"header":{},"kvs":[{"key":7}]})", etcd::error_code::unexpected_shape,
       "kvs[0].key: expected a base64 string, got a number"},
      {R"({"header":{},"kvs":[{"key":"YQ=="},{"key":"YQ==","value":"a!=="}]})",
       etcd::error_code::bad_base64,
       "kvs[1].value: invalid base64 character '!' at offset 1"},
      {R"({"header":{},"kvs":[{"key":"YQ","version":"1"}]})",
       etcd::error_code::bad_base64, "kvs[0].key: base64 length 2"},
      {R"({"header":{},"kvs":[{"key":"YQ==","version":true}]})",
       etcd::error_code::unexpected_shape,
       "kvs[0].version: expected an integer string, got a boolean"},
      {R"({"header":{},"more":"true"})", etcd::error_code::unexpected_shape,
       "more: expected a boolean, got a string"},
  }));
  CAPTURE(body);

  const auto r = etcd::parse_range_response(body);

  REQUIRE_FALSE(r);
  CHECK(r.error.code == code);
  CHECK_THAT(r.error.message, Catch::Matchers::StartsWith(message));
  CHECK(r.value.kvs.empty());
}

TEST_CASE("Malformed put-if-changed responses say which entry is wrong",
          "[parse]") {
  const std::string created =
      R"({"response_txn":{"header":{},"succeeded":true}})";
  const auto [tail, keys, message] =
      GENERATE_COPY(table<std::string, std::size_t, std::string>({
          {created + "," + created + "," + created + R"(,{"response_txn":"x"})",
           4, "responses[3].response_txn: expected an object, got a string"},
          {created + R"(,{"response_put":{}})", 2,
           "responses[1].response_txn: missing"},
          {created + ",[]", 2,
           "responses[1]: expected an object, got an array"},
          {created, 2, "responses: expected 2 entries, got 1"},
          {R"({"response_txn":{"header":{}}})", 1,
           "responses[0].response_txn.responses: missing"},
          {R"({"response_txn":{"responses":[]}})", 1,
           "responses[0].response_txn.responses[0]: missing"},
          {R"({"response_txn":{"responses":[{"response_put":{}}]}})", 1,
           "responses[0].response_txn.responses[0].response_txn: missing"},
          {R"({"response_txn":{"succeeded":1}})", 1,
           "responses[0].response_txn.succeeded: expected a boolean, got a "
           "number"},
          {R"({"response_txn":{"responses":[)"
           R"({"response_txn":{"succeeded":"no"}}]}})",
           1,
           "responses[0].response_txn.responses[0].response_txn.succeeded: "
           "expected a boolean, got a string"},
      }));
  const std::string body =
      R"({"header":{"revision":"30"},"succeeded":true,"responses":[)" + tail +
      "]}";
  CAPTURE(body);

  const auto r = etcd::parse_txn_put_if_changed_response(body, keys);

  REQUIRE_FALSE(r);
  CHECK(r.error.code == etcd::error_code::unexpected_shape);
  CHECK(r.error.message == message);
  CHECK(r.value.changes.empty());
}

TEST_CASE(
    "A put-if-changed response without responses is an error unless "
    "no key was sent",
    "[parse]") {
  const std::string body = R"({"header":{"revision":"30"},"succeeded":true})";

  const auto none = etcd::parse_txn_put_if_changed_response(body, 0);
  const auto some = etcd::parse_txn_put_if_changed_response(body, 2);

  REQUIRE(none);
  CHECK(none.value.changes.empty());
  REQUIRE_FALSE(some);
  CHECK(some.error.message == "responses: expected 2 entries, got 0");
}

// ---------------------------------------------------------------------------
// Gateway errors

TEST_CASE("Gateway error bodies give the gRPC code and the server's message",
          "[error]") {
  // The 3.4 gateway repeats the text in "error" and "message".
  const auto gateway_body = [](const std::string& text, int code) {
    return json{{"error", text}, {"message", text}, {"code", code}}.dump();
  };
  const auto [status, body, grpc,
              text] = GENERATE_COPY(table<int, std::string, std::int64_t,
                                          std::string>({
      {400, R"({"error":"unexpected EOF","message":"unexpected EOF","code":3})",
       3, "unexpected EOF"},
      {400, gateway_body("etcdserver: key is not provided", 3), 3,
       "etcdserver: key is not provided"},
      {400, gateway_body("illegal base64 data at input byte 8", 3), 3,
       "illegal base64 data at input byte 8"},
      {400, gateway_body("etcdserver: duplicate key given in txn request", 3),
       3, "etcdserver: duplicate key given in txn request"},
      {400, gateway_body("etcdserver: too many operations in txn request", 3),
       3, "etcdserver: too many operations in txn request"},
      {400, gateway_body("etcdserver: request is too large", 3), 3,
       "etcdserver: request is too large"},
      {429,
       gateway_body(
           "grpc: received message larger than max (3000011 vs. 2097152)", 8),
       8, "grpc: received message larger than max (3000011 vs. 2097152)"},
      // Later gateways send "code" and "message" only.
      {400, R"({"code":3,"message":"etcdserver: key is not provided"})", 3,
       "etcdserver: key is not provided"},
      {503, R"({"error":"etcdserver: leader changed","code":14})", 14,
       "etcdserver: leader changed"},
  }));
  CAPTURE(body);

  const auto e = etcd::parse_error_response(body, status);

  CHECK(e.code == etcd::error_code::gateway_error);
  CHECK(e.grpc_code == grpc);
  CHECK_THAT(e.message, Catch::Matchers::EndsWith(": " + text));
  CHECK(contains(e.message, "HTTP " + std::to_string(status)));
  CHECK(contains(e.message, std::string(etcd::grpc_code_name(grpc))));
}

TEST_CASE("The gRPC code names are the standard ones", "[error]") {
  CHECK(str(etcd::grpc_code_name(0)) == "OK");
  CHECK(str(etcd::grpc_code_name(3)) == "INVALID_ARGUMENT");
  CHECK(str(etcd::grpc_code_name(8)) == "RESOURCE_EXHAUSTED");
  CHECK(str(etcd::grpc_code_name(14)) == "UNAVAILABLE");
  CHECK(str(etcd::grpc_code_name(16)) == "UNAUTHENTICATED");
  CHECK(str(etcd::grpc_code_name(17)) == "UNRECOGNISED");
  CHECK(str(etcd::grpc_code_name(-1)) == "UNRECOGNISED");
}

TEST_CASE("A failed answer without a gateway error body is an HTTP error",
          "[error]") {
  const auto [status, body,
              expected] = GENERATE(table<int, std::string, std::string>({
      {404, "Not Found", "HTTP 404 without a gateway error body: Not Found"},
      {405, "Method Not Allowed\n",
       "HTTP 405 without a gateway error body: Method Not Allowed?"},
      {502, "", "HTTP 502 without a gateway error body"},
      {500, R"({"header":{}})",
       R"(HTTP 500 without a gateway error body: {"header":{}})"},
  }));
  CAPTURE(body);

  const auto e = etcd::parse_error_response(body, status);

  CHECK(e.code == etcd::error_code::http_error);
  CHECK(e.grpc_code == 0);
  CHECK(e.message == expected);
}

TEST_CASE("A long HTTP error body is shortened in the message", "[error]") {
  const std::string body(5000, 'x');

  const auto e = etcd::parse_error_response(body, 500);

  CHECK(e.code == etcd::error_code::http_error);
  CHECK(e.message.size() < 300);
}

TEST_CASE("Response parsers recognise a gateway error body", "[error]") {
  const std::string body = json{
      {"error", "etcdserver: request is too large"},
      {"message", "etcdserver: request is too large"},
      {"code", 3}}.dump();

  const auto put = etcd::parse_put_response(body);
  const auto range = etcd::parse_range_response(body);
  const auto txn = etcd::parse_txn_put_if_changed_response(body, 1);

  REQUIRE_FALSE(put);
  CHECK(put.error.code == etcd::error_code::gateway_error);
  CHECK(put.error.grpc_code == 3);
  REQUIRE_FALSE(range);
  CHECK(range.error.code == etcd::error_code::gateway_error);
  REQUIRE_FALSE(txn);
  CHECK(txn.error.code == etcd::error_code::gateway_error);
  CHECK_THAT(txn.error.message,
             Catch::Matchers::EndsWith("etcdserver: request is too large"));
}

TEST_CASE("Error codes have stable names", "[error]") {
  const auto [code, name] = GENERATE(table<etcd::error_code, std::string>({
      {etcd::error_code::none, "none"},
      {etcd::error_code::invalid_json, "invalid_json"},
      {etcd::error_code::unexpected_shape, "unexpected_shape"},
      {etcd::error_code::bad_base64, "bad_base64"},
      {etcd::error_code::bad_integer, "bad_integer"},
      {etcd::error_code::gateway_error, "gateway_error"},
      {etcd::error_code::http_error, "http_error"},
      {etcd::error_code::empty_key, "empty_key"},
      {etcd::error_code::entry_too_large, "entry_too_large"},
      {etcd::error_code::invalid_limits, "invalid_limits"},
  }));

  CHECK(str(etcd::to_string(code)) == name);
}
