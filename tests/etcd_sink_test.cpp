// The etcd sink of the examples where no etcd is needed: endpoint parsing
// and what the sink reports when nothing answers.
#include <etcd/etcd_sink.hpp>

#include <string>
#include <vector>

#include <modelstate/tracker.hpp>

#include "catch.hpp"
#include "etcd_live_support.hpp"

namespace {

using modelstate_examples::etcd_sink;
using modelstate_examples::parse_etcd_endpoint;

etcd_sink sink_for(const std::string& url, double timeout = 5.0) {
  auto parsed = parse_etcd_endpoint(url);
  REQUIRE(parsed);
  return etcd_sink(parsed.value, timeout);
}

}  // namespace

TEST_CASE("An endpoint of the form http://HOST:PORT is accepted") {
  struct row {
    const char* url;
    const char* host;
    int port;
    const char* normalised;
  };
  const row r = GENERATE(
      row{"http://127.0.0.1:2379", "127.0.0.1", 2379, "http://127.0.0.1:2379"},
      row{"http://localhost:1/", "localhost", 1, "http://localhost:1"},
      row{"http://etcd-0.etcd.svc:65535", "etcd-0.etcd.svc", 65535,
          "http://etcd-0.etcd.svc:65535"},
      row{"http://[::1]:2379", "::1", 2379, "http://[::1]:2379"});
  CAPTURE(r.url);

  const auto parsed = parse_etcd_endpoint(r.url);

  REQUIRE(parsed);
  CHECK(parsed.error.empty());
  CHECK(parsed.value.host == r.host);
  CHECK(parsed.value.port == r.port);
  CHECK(parsed.value.url == r.normalised);
}

TEST_CASE("Any other endpoint is refused with the reason and the URL") {
  struct row {
    const char* url;
    const char* reason;
  };
  const row r = GENERATE(
      row{"", "the URL is empty"},
      row{"127.0.0.1:2379", "the scheme must be http://"},
      row{"HTTP://h:1", "the scheme must be http://"},
      row{"https://h:2379", "https (TLS) is not supported"},
      row{"unix:///run/etcd.sock", "the scheme must be http://"},
      row{"http://a:1,http://b:2", "give one endpoint, not a list"},
      row{"http://h", "the port is missing"},
      row{"http://h:", "the port must be a number from 1 to 65535"},
      row{"http://h:0", "the port must be a number from 1 to 65535"},
      row{"http://h:65536", "the port must be a number from 1 to 65535"},
      row{"http://h:99999999999", "the port must be a number from 1 to 65535"},
      row{"http://h:23x9", "the port must be a number from 1 to 65535"},
      row{"http://h:2379/v3", "a path, query or fragment is not supported"},
      row{"http://h:2379?x=1", "a path, query or fragment is not supported"},
      row{"http://user@h:2379", "user information is not supported"},
      row{"http://:2379", "the host is missing"},
      row{"http://h h:2379", "the host name is malformed"},
      row{"http://[::1:2379", "the IPv6 address lacks its ']'"},
      row{"http://[::1]", "the port is missing"},
      row{"http://[zz]:1", "the IPv6 address is malformed"});
  CAPTURE(r.url);

  const auto parsed = parse_etcd_endpoint(r.url);

  REQUIRE_FALSE(parsed);
  CHECK(parsed.error == "'" + std::string(r.url) +
                            "' is not an etcd endpoint: " + r.reason +
                            " (expected http://HOST:PORT)");
}

TEST_CASE(
    "A put to an endpoint that refuses connections fails with a message "
    "naming the endpoint") {
  const etcd_live::refusing_port port;
  etcd_sink sink = sink_for(port.endpoint());

  const modelstate::put_result r = sink.put("/model/a/state", "Running");

  CHECK_FALSE(r.ok);
  CHECK(r.error == "etcd at " + port.endpoint() +
                       ": connection refused or host unreachable "
                       "(Connection)");
  CHECK(sink.stats().requests == 1);
  CHECK(sink.stats().failed == 1);
}

TEST_CASE(
    "After a transport failure the remaining transactions of a batch are not "
    "sent and fail with the same message") {
  const etcd_live::refusing_port port;
  etcd_sink sink = sink_for(port.endpoint());
  std::vector<std::string> keys;
  for (int i = 0; i < 300; ++i) {
    keys.push_back("/model/m" + std::to_string(i) + "/state");
  }
  std::vector<modelstate::entry> entries;
  for (const auto& k : keys) {
    entries.push_back({k, "MODEL_STATE_RUNNING"});
  }

  const auto report = sink.put_if_changed(entries);

  REQUIRE(report.keys.size() == 300);
  CHECK_FALSE(report.ok());
  for (const auto& k : report.keys) {
    CHECK_FALSE(k.outcome);
    CHECK(k.error == report.keys.front().error);
  }
  CHECK(sink.stats().requests == 1);
  CHECK(sink.stats().failed == 300);
}

TEST_CASE("Reading a prefix from an endpoint that refuses fails and says so") {
  const etcd_live::refusing_port port;
  etcd_sink sink = sink_for(port.endpoint());

  const auto read = sink.read_prefix("/model/");

  CHECK_FALSE(read.ok());
  CHECK(read.pairs.empty());
  CHECK(read.error == "etcd at " + port.endpoint() +
                          ": reading \"/model/\": connection refused or host "
                          "unreachable (Connection)");
}

TEST_CASE(
    "A server that accepts but never answers fails the write after the read "
    "timeout") {
  const etcd_live::silent_port port;
  etcd_sink sink = sink_for(port.endpoint(), 0.25);

  const modelstate::put_result r = sink.put("/model/a/state", "Running");

  CHECK_FALSE(r.ok);
  CHECK(r.error == "etcd at " + port.endpoint() +
                       ": no answer within 0.25 s, or the connection closed "
                       "(Read)");
}

TEST_CASE(
    "A tracker over an unreachable etcd confirms nothing and keeps every "
    "write pending") {
  const etcd_live::refusing_port port;
  etcd_sink sink = sink_for(port.endpoint());
  modelstate::change_tracker<etcd_sink> tracker(sink);

  const auto statuses = tracker.write(
      {{"/model/a/state", "Running"}, {"/model/b/state", "Exited"}});

  REQUIRE(statuses.size() == 2);
  for (const auto& s : statuses) {
    CHECK(s.outcome == modelstate::write_outcome::failed);
    CHECK(s.error.rfind("etcd at " + port.endpoint() + ": ", 0) == 0);
  }
  CHECK_FALSE(tracker.confirmed("/model/a/state"));
  CHECK_FALSE(tracker.confirmed("/model/b/state"));
  CHECK(tracker.pending().size() == 2);
}

TEST_CASE(
    "Entries that no request can carry fail on their own without a "
    "request") {
  const etcd_live::refusing_port port;
  etcd_sink sink = sink_for(port.endpoint());
  const std::string huge(2 * 1024 * 1024, 'x');

  const auto statuses = sink.write({{"", "Running"}, {"/model/h/state", huge}});

  REQUIRE(statuses.size() == 2);
  for (const auto& s : statuses) {
    CHECK(s.outcome == modelstate::write_outcome::failed);
    CHECK(s.error.rfind("etcd at " + port.endpoint() + ": not sent: entry ",
                        0) == 0);
  }
  CHECK(statuses[0].error.find("the key is empty") != std::string::npos);
  CHECK(statuses[1].error.find("bytes, a request may hold") !=
        std::string::npos);
  CHECK(sink.stats().requests == 0);
}
