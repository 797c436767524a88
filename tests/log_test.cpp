// Tests for modelstate/log.hpp: the processing log written by log_observer.
#include "modelstate/log.hpp"

#include <algorithm>
#include <cstddef>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "modelstate/pipeline.hpp"

namespace {

using modelstate::container_info;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
  }
  return lines;
}

// Tells whether `wanted` appears in `lines` in order, other lines between.
bool is_subsequence(const std::vector<std::string>& wanted,
                    const std::vector<std::string>& lines) {
  std::size_t next = 0;
  for (const auto& line : lines) {
    if (next < wanted.size() && line == wanted[next]) {
      ++next;
    }
  }
  return next == wanted.size();
}

std::string lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return text;
}

// Tells whether one line holds every part.
bool some_line_has(const std::vector<std::string>& lines,
                   const std::vector<std::string>& parts) {
  for (const auto& line : lines) {
    bool all = true;
    for (const auto& part : parts) {
      all = all && lower(line).find(lower(part)) != std::string::npos;
    }
    if (all) {
      return true;
    }
  }
  return false;
}

container_info make(std::string id, std::string name, std::string image,
                    std::string model) {
  container_info c;
  c.id = std::move(id);
  c.names = {std::move(name)};
  c.image = std::move(image);
  c.state = {{"Status", "running"},
             {"Running", "true"},
             {"Paused", "false"},
             {"Dead", "false"}};
  if (!model.empty()) {
    c.annotation = {{"pullpiri.model", std::move(model)}};
  }
  return c;
}

// The example report: two containers of one model and one of none.
modelstate::container_list example_list() {
  modelstate::container_list list;
  list.node_name = "worker-node-01";
  list.containers = {
      make("abc123", "inference-model-container-1",
           "my-org/inference-model:v1.0", "my-inference-model"),
      make("def456", "inference-model-container-2",
           "my-org/inference-model:v1.0", "my-inference-model"),
      make("ghi789", "metrics-sidecar", "busybox:1.36", ""),
  };
  return list;
}

template <class Sink>
std::string log_of(const modelstate::container_list& list, Sink& sink,
                   const modelstate::options& opts = modelstate::options{}) {
  std::ostringstream out;
  modelstate::log_observer log(out);
  const modelstate::report r = modelstate::process(list, sink, opts, log);
  static_cast<void>(r);
  return out.str();
}

// The processing log of the example, as the specification shows it.
const std::vector<std::string> expected_log = {
    "=== PROCESSING CONTAINER LIST ===",
    "  Node Name: worker-node-01",
    "  Container Count: 3",
    "  Container 1: inference-model-container-1",
    "    Image: my-org/inference-model:v1.0",
    R"(    State: {"Status": "running", "Running": "true", )"
    R"("Paused": "false", "Dead": "false"})",
    "    ID: abc123",
    R"(    Annotations: {"pullpiri.model": "my-inference-model"})",
    "    Associated with Model: my-inference-model",
    "--- Processing Model: my-inference-model ---",
    "  Associated Containers: 2",
    "    Container abc123 status: running (running: true, paused: false, "
    "dead: false)",
    "    Container def456 status: running (running: true, paused: false, "
    "dead: false)",
    "  -> Model state: Running",
    "  Determined Model State: Running",
    "    Saving to etcd - Key: /model/my-inference-model/state, Value: "
    "MODEL_STATE_RUNNING",
    "    Successfully saved model state to etcd",
    "  Model state saved to etcd successfully",
    "  Status: Container list processing completed",
};

}  // namespace

TEST_CASE(
    "The log of the example report holds the expected lines in order, with "
    "the first container's block exactly as shown",
    "[log]") {
  modelstate::memory_sink sink;

  const std::string text = log_of(example_list(), sink);
  const std::vector<std::string> lines = lines_of(text);
  INFO(text);

  CHECK(is_subsequence(expected_log, lines));

  std::size_t first = 0;
  while (first < lines.size() && lines[first] != expected_log[3]) {
    ++first;
  }
  REQUIRE(first + 6 <= lines.size());
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK(lines[first + i] == expected_log[3 + i]);
  }
  CHECK(lines.back() == expected_log.back());
}

TEST_CASE("The log mentions the container that belongs to no model", "[log]") {
  modelstate::memory_sink sink;

  const std::vector<std::string> lines = lines_of(log_of(example_list(), sink));

  CHECK(is_subsequence({"  Container 3: metrics-sidecar",
                        "    Image: busybox:1.36", "    ID: ghi789"},
                       lines));
  CHECK_FALSE(some_line_has(lines, {"Associated with Model", "ghi789"}));
}

TEST_CASE("A failing write logs a failure line with the store's error",
          "[log]") {
  auto sink = modelstate::make_sink([](std::string_view, std::string_view) {
    return modelstate::put_result::failure("etcd unavailable");
  });

  const std::string text = log_of(example_list(), sink);
  const std::vector<std::string> lines = lines_of(text);
  INFO(text);

  CHECK(some_line_has(lines, {"fail", "etcd unavailable"}));
  CHECK_FALSE(some_line_has(lines, {"Successfully saved"}));
  CHECK(std::find(lines.begin(), lines.end(), expected_log.back()) ==
        lines.end());
}

TEST_CASE("A rejected model name logs the rejection and its reason", "[log]") {
  modelstate::container_list list = example_list();
  list.containers[1].annotation = {{"pullpiri.model", "a/b"}};
  modelstate::memory_sink sink;

  const std::string text = log_of(list, sink);
  const std::vector<std::string> lines = lines_of(text);
  INFO(text);

  CHECK(some_line_has(lines, {"reject", "a/b"}));
  CHECK(some_line_has(lines,
                      {modelstate::describe(modelstate::check_name("a/b"))}));
  CHECK_FALSE(some_line_has(lines, {"Key: /model/a/b/state"}));
  CHECK(some_line_has(lines, {"Key: /model/my-inference-model/state"}));
}

TEST_CASE("A newline in a name, id or node name cannot break a log line",
          "[log]") {
  modelstate::container_list list = example_list();
  list.node_name = "worker\nFORGED node";
  list.containers[0].names = {"evil\nFORGED name"};
  list.containers[0].id = "abc\nFORGED id";
  list.containers[1].annotation = {{"pullpiri.model", "bad\nFORGED model"}};
  list.containers[2].image = "busybox\r\nFORGED image";
  modelstate::memory_sink sink;

  const std::string text = log_of(list, sink);
  const std::vector<std::string> lines = lines_of(text);
  INFO(text);

  for (const auto& line : lines) {
    CAPTURE(line);
    CHECK(line.find("FORGED") != 0);
    CHECK(line.find('\r') == std::string::npos);
    const bool known_start = line.rfind("===", 0) == 0 ||
                             line.rfind("---", 0) == 0 ||
                             line.rfind("  ", 0) == 0;
    CHECK(known_start);
  }
  CHECK(some_line_has(lines, {"worker", "FORGED node"}));
  CHECK(some_line_has(lines, {"evil", "FORGED name"}));
  CHECK(some_line_has(lines, {"bad", "FORGED model"}));
}

TEST_CASE(
    "A newline in a status, an exit code, a decisive id or a store error "
    "cannot break a log line",
    "[log]") {
  modelstate::container_info a;
  a.id = "a1";
  a.state = {{"Status", "foo\nFORGED status"}};
  a.annotation = {{"pullpiri.model", "m"}};
  modelstate::container_info b;
  b.id = "b\nFORGED id";
  b.state = {{"Status", "exited"}, {"ExitCode", "1\nFORGED code"}};
  b.annotation = {{"pullpiri.model", "m"}};
  auto sink = modelstate::make_sink([](std::string_view, std::string_view) {
    return modelstate::put_result::failure("down\nFORGED error");
  });
  std::ostringstream out;
  modelstate::log_observer log(out);

  const auto r = modelstate::process("n", std::vector{a, b}, sink,
                                     modelstate::options{}, log);

  CHECK_FALSE(r.ok());
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) {
    CAPTURE(line);
    CHECK(line.rfind("FORGED", 0) == std::string::npos);
  }
  CHECK(out.str().find("FORGED error") != std::string::npos);
}
