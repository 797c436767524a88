// Tests for modelstate/json.hpp: the ContainerList and inspect decoders.
#include "modelstate/json.hpp"

#include <cstddef>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"

namespace {

using modelstate::container_info;
using modelstate::decode_error;
using modelstate::decode_json;
using modelstate::decode_options;
using modelstate::decode_result;
using modelstate::json_error;
using modelstate::json_format;

using string_map = std::map<std::string, std::string, std::less<>>;

std::string read_data(const std::string& name) {
  std::ifstream in(std::string(MODELSTATE_TEST_DATA) + "/json/" + name,
                   std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

decode_options with_node(std::string node) {
  decode_options options;
  options.node_name = std::move(node);
  return options;
}

decode_options with_format(json_format format) {
  decode_options options;
  options.format = format;
  return options;
}

// One running container of the example report, as every format gives it.
container_info example_container(const std::string& id, const std::string& name,
                                 const std::string& pid,
                                 const std::string& started) {
  container_info c;
  c.id = id;
  c.names = {name};
  c.image = "my-org/inference-model:v1.0";
  c.state = {{"Status", "running"},
             {"Running", "true"},
             {"Paused", "false"},
             {"Restarting", "false"},
             {"OOMKilled", "false"},
             {"Dead", "false"},
             {"Pid", pid},
             {"ExitCode", "0"},
             {"Error", ""},
             {"StartedAt", started},
             {"FinishedAt", "0001-01-01T00:00:00Z"}};
  c.config = {{"Hostname", id},
              {"Image", "my-org/inference-model:v1.0"},
              {"Tty", "false"},
              {"User", ""}};
  c.annotation = {{"app", "inference"},
                  {"pullpiri.model", "my-inference-model"}};
  return c;
}

void check_same(const container_info& got, const container_info& want) {
  CHECK(got.id == want.id);
  CHECK(got.names == want.names);
  CHECK(got.image == want.image);
  CHECK(got.state == want.state);
  CHECK(got.config == want.config);
  CHECK(got.annotation == want.annotation);
  CHECK(got.stats == want.stats);
}

// Decodes a document that must give exactly one error, and returns it.
decode_error only_error(const decode_result& result) {
  REQUIRE(result.errors.size() == 1);
  return result.errors.front();
}

}  // namespace

TEST_CASE("Every format decodes the example report to the same containers",
          "[json]") {
  const auto [file, format] = GENERATE(table<const char*, json_format>({
      {"container_list.json", json_format::container_list},
      {"container_list_native.json", json_format::container_list},
      {"podman_inspect.json", json_format::inspect},
      {"docker_inspect.json", json_format::inspect},
  }));
  CAPTURE(file);

  // Inspect output names no node; the caller gives it.
  const decode_options options = format == json_format::inspect
                                     ? with_node("worker-node-01")
                                     : decode_options{};
  const decode_result result = decode_json(read_data(file), options);

  CHECK(result.ok());
  CHECK(result.document_ok());
  CHECK(result.format == format);
  CHECK(result.rejected == 0);
  CHECK(result.list.node_name == "worker-node-01");
  REQUIRE(result.list.containers.size() == 2);
  check_same(result.list.containers[0],
             example_container("abc123", "inference-model-container-1", "4242",
                               "2026-12-03T08:00:00Z"));
  check_same(result.list.containers[1],
             example_container("def456", "inference-model-container-2", "4243",
                               "2026-12-03T08:00:01Z"));
}

TEST_CASE("A ContainerList accepts the node name as node_name or nodeName",
          "[json]") {
  const std::string key = GENERATE("node_name", "nodeName");
  CAPTURE(key);

  const decode_result result =
      decode_json("{\"" + key + "\": \"edge-7\", \"containers\": []}");

  CHECK(result.ok());
  CHECK(result.format == json_format::container_list);
  CHECK(result.list.node_name == "edge-7");
  CHECK(result.list.containers.empty());
}

TEST_CASE("Map values given as native JSON become text", "[json]") {
  const auto [json_value, text] = GENERATE(table<const char*, const char*>({
      {"\"as given\"", "as given"},
      {"true", "true"},
      {"false", "false"},
      {"0", "0"},
      {"-17", "-17"},
      {"18446744073709551615", "18446744073709551615"},
      {"1.50", "1.50"},
      {"-2.5e-3", "-2.5e-3"},
      {"123456789012345678901234567890", "123456789012345678901234567890"},
  }));
  const std::string map = GENERATE("state", "config", "annotation", "stats");
  CAPTURE(json_value, map);

  const decode_result result =
      decode_json(R"({"containers": [{"id": "a", ")" + map +
                  R"(": {"Extra": )" + json_value + "}}]}");

  REQUIRE(result.ok());
  REQUIRE(result.list.containers.size() == 1);
  const container_info& c = result.list.containers[0];
  const string_map& got = map == "state"        ? c.state
                          : map == "config"     ? c.config
                          : map == "annotation" ? c.annotation
                                                : c.stats;
  CHECK(got == string_map{{"Extra", text}});
}

TEST_CASE("Null stands for an absent field in a ContainerList", "[json]") {
  const decode_result result = decode_json(
      R"({"node_name": null, "containers": [{"id": null, "names": null,
          "image": null, "state": null, "config": null, "annotation": null,
          "stats": null}]})");

  CHECK(result.ok());
  CHECK(result.list.node_name.empty());
  REQUIRE(result.list.containers.size() == 1);
  check_same(result.list.containers[0], container_info{});
}

TEST_CASE("Unknown members are passed over in both formats", "[json]") {
  const decode_result list = decode_json(
      R"({"version": {"major": 1}, "containers": [{"id": "a",
          "labels": [1, {"x": [2]}], "state": {"Status": "exited"}}],
          "node_name": "n"})");
  const decode_result inspect = decode_json(
      R"([{"HostConfig": {"Binds": [], "Memory": 0}, "Id": "a",
           "State": {"Status": "exited"}}])");

  CHECK(list.ok());
  CHECK(list.list.node_name == "n");
  REQUIRE(list.list.containers.size() == 1);
  CHECK(list.list.containers[0].state == string_map{{"Status", "exited"}});
  CHECK(inspect.ok());
  REQUIRE(inspect.list.containers.size() == 1);
  CHECK(inspect.list.containers[0].state == string_map{{"Status", "exited"}});
}

TEST_CASE("podman annotations win over labels, whichever comes first",
          "[json]") {
  const std::string labels = R"("Labels": {"pullpiri.model": "from-label",
                                            "only.label": "l"})";
  const std::string annotations =
      R"("Annotations": {"pullpiri.model": "from-annotation",
                         "only.annotation": "a"})";
  const bool labels_first = GENERATE(true, false);
  CAPTURE(labels_first);

  const std::string config =
      labels_first ? labels + ", " + annotations : annotations + ", " + labels;
  const decode_result result =
      decode_json(R"([{"Id": "a", "Config": {)" + config + "}}]");

  REQUIRE(result.ok());
  REQUIRE(result.list.containers.size() == 1);
  CHECK(result.list.containers[0].annotation ==
        string_map{{"only.annotation", "a"},
                   {"only.label", "l"},
                   {"pullpiri.model", "from-annotation"}});
}

TEST_CASE("docker names lose their leading slash", "[json]") {
  const auto [name, names] =
      GENERATE(table<const char*, std::vector<std::string>>({
          {"/web", {"web"}},
          {"web", {"web"}},
          {"//web", {"/web"}},
          {"/", {}},
          {"", {}},
      }));
  CAPTURE(name);

  const decode_result result =
      decode_json(std::string(R"([{"Id": "a", "Name": ")") + name + "\"}]");

  REQUIRE(result.ok());
  REQUIRE(result.list.containers.size() == 1);
  CHECK(result.list.containers[0].names == names);
}

TEST_CASE("The inspect image is ImageName, else Config.Image, else Image",
          "[json]") {
  const auto [members, image] = GENERATE(table<const char*, const char*>({
      {R"("ImageName": "named", "Image": "sha256:1",
          "Config": {"Image": "configured"})",
       "named"},
      {R"("Image": "sha256:1", "Config": {"Image": "configured"})",
       "configured"},
      {R"("Config": {"Image": "configured"}, "Image": "sha256:1")",
       "configured"},
      {R"("Image": "sha256:1")", "sha256:1"},
      {R"("Id": "x")", ""},
  }));
  CAPTURE(members);

  const decode_result result = decode_json(std::string("[{") + members + "}]");

  REQUIRE(result.ok());
  REQUIRE(result.list.containers.size() == 1);
  CHECK(result.list.containers[0].image == image);
}

TEST_CASE("Nested State members and nulls in inspect output are passed over",
          "[json]") {
  const decode_result result = decode_json(
      R"({"Id": "a", "State": {"Status": "running", "Health": {"Status":
          "healthy", "Log": [{"ExitCode": "not checked"}]}, "Pid": null,
          "ExitCode": null, "Running": null, "StoppedByUser": false,
          "CheckpointLog": ["x"]}, "Config": {"Env": ["A=1"],
          "Volumes": null, "StopTimeout": 10, "Labels": null}})");

  REQUIRE(result.ok());
  REQUIRE(result.list.containers.size() == 1);
  const container_info& c = result.list.containers[0];
  CHECK(c.state ==
        string_map{{"Status", "running"}, {"StoppedByUser", "false"}});
  CHECK(c.config == string_map{{"StopTimeout", "10"}});
  CHECK(c.annotation.empty());
}

TEST_CASE("A single inspect object is read as one container", "[json]") {
  const decode_result result = decode_json(
      R"({"Name": "/solo", "Id": "s1", "State": {"Status": "paused"}})");

  CHECK(result.ok());
  CHECK(result.format == json_format::inspect);
  REQUIRE(result.list.containers.size() == 1);
  CHECK(result.list.containers[0].id == "s1");
  CHECK(result.list.containers[0].names == std::vector<std::string>{"solo"});
}

TEST_CASE("Inspect output has no node name unless the caller gives one",
          "[json]") {
  const std::string text = R"([{"Id": "a"}])";

  const decode_result plain = decode_json(text);
  const decode_result named = decode_json(text, with_node("node-b"));

  CHECK(plain.list.node_name.empty());
  CHECK(named.list.node_name == "node-b");
}

TEST_CASE("The caller's node name replaces a ContainerList's", "[json]") {
  const decode_result result =
      decode_json(R"({"node_name": "from-document", "containers": []})",
                  with_node("from-caller"));

  CHECK(result.ok());
  CHECK(result.list.node_name == "from-caller");
}

TEST_CASE("An empty array is inspect output without containers", "[json]") {
  const decode_result result = decode_json(" [ ] \n");

  CHECK(result.ok());
  CHECK(result.format == json_format::inspect);
  CHECK(result.list.containers.empty());
}

TEST_CASE("An empty object is an empty ContainerList", "[json]") {
  const decode_result result = decode_json("{}");

  CHECK(result.ok());
  CHECK(result.format == json_format::container_list);
  CHECK(result.list.containers.empty());
}

TEST_CASE("A format named by the caller is used instead of detection",
          "[json]") {
  SECTION("inspect reads an object with unknown members as one container") {
    const decode_result result =
        decode_json(R"({"Whatever": 1})", with_format(json_format::inspect));

    CHECK(result.ok());
    CHECK(result.format == json_format::inspect);
    CHECK(result.list.containers.size() == 1);
  }

  SECTION("container_list rejects an array") {
    const decode_result result =
        decode_json("[]", with_format(json_format::container_list));

    CHECK(only_error(result).code == json_error::unknown_format);
    CHECK_FALSE(result.document_ok());
  }

  SECTION("container_list reads an object without known members") {
    const decode_result result =
        decode_json(R"({"Id": "a"})", with_format(json_format::container_list));

    CHECK(result.ok());
    CHECK(result.format == json_format::container_list);
    CHECK(result.list.containers.empty());
  }
}

TEST_CASE("Empty input is reported as empty_input", "[json]") {
  const std::string text = GENERATE("", " ", "\n\t\r\n  ");
  CAPTURE(text);

  const decode_result result = decode_json(text);

  const decode_error e = only_error(result);
  CHECK(e.code == json_error::empty_input);
  CHECK_FALSE(e.container);
  CHECK(result.list.containers.empty());
}

TEST_CASE("Truncated JSON fails the whole document at the end of the input",
          "[json]") {
  std::string whole = read_data("container_list.json");
  while (!whole.empty() && (whole.back() == '\n' || whole.back() == ' ')) {
    whole.pop_back();
  }
  const std::size_t cut = GENERATE(1U, 2U, 10U, 100U, 500U, 1000U);
  REQUIRE(cut < whole.size());
  const std::string text = whole.substr(0, whole.size() - cut);
  CAPTURE(cut);

  const decode_result result = decode_json(text);

  // Containers before the cut were complete, and are still dropped.
  CHECK(result.list.containers.empty());
  CHECK(result.list.node_name.empty());
  CHECK_FALSE(result.document_ok());
  const decode_error& e = result.errors.back();
  CHECK(e.code == json_error::invalid_json);
  CHECK(e.offset == text.size());
  CHECK_FALSE(e.container);
}

TEST_CASE("A syntax error gives its offset, line and column", "[json]") {
  const std::string text = "{\"containers\": [\n  {\"id\": \"a\",, }\n]}";

  const decode_result result = decode_json(text);

  const decode_error e = only_error(result);
  CHECK(e.code == json_error::invalid_json);
  CHECK(e.offset == text.find(",,") + 1);
  CHECK(e.line == 2);
  CHECK(e.column == 14);
  CHECK(e.where == "containers[0]");
  CHECK(result.list.containers.empty());
}

TEST_CASE("A top-level value that is no object or array is an unknown format",
          "[json]") {
  const std::string text = GENERATE("42", "-1.5", "\"text\"", "null", "true");
  CAPTURE(text);

  const decode_result result = decode_json("  " + text);

  const decode_error e = only_error(result);
  CHECK(e.code == json_error::unknown_format);
  CHECK(e.offset == 2);
  CHECK(e.where.empty());
  CHECK(result.format == json_format::automatic);
}

TEST_CASE("An object of neither format is an unknown format", "[json]") {
  const decode_result result =
      decode_json(R"({"kind": "Package", "spec": {"models": []}})");

  const decode_error e = only_error(result);
  CHECK(e.code == json_error::unknown_format);
  CHECK_FALSE(result.document_ok());
}

TEST_CASE("Trailing content after the document is invalid JSON", "[json]") {
  const decode_result result = decode_json(R"({"containers": []} [])");

  CHECK(only_error(result).code == json_error::invalid_json);
  CHECK_FALSE(result.document_ok());
}

TEST_CASE("A container that is not an object is reported, the others kept",
          "[json]") {
  const auto [document, where] = GENERATE(table<const char*, const char*>({
      {R"({"containers": [{"id": "a"}, 7, {"id": "c"}]})", "containers[1]"},
      {R"({"containers": [{"id": "a"}, null, {"id": "c"}]})", "containers[1]"},
      {R"([{"Id": "a"}, ["x", {"Id": "b"}], {"Id": "c"}])", "[1]"},
      {R"([{"Id": "a"}, "b", {"Id": "c"}])", "[1]"},
  }));
  CAPTURE(document);

  const decode_result result = decode_json(document);

  const decode_error e = only_error(result);
  CHECK(e.code == json_error::wrong_type);
  CHECK(e.where == where);
  CHECK(e.container == std::optional<std::size_t>(1));
  CHECK(result.document_ok());
  CHECK(result.rejected == 1);
  REQUIRE(result.list.containers.size() == 2);
  CHECK(result.list.containers[0].id == "a");
  CHECK(result.list.containers[1].id == "c");
}

TEST_CASE("A value of the wrong type is reported with its place", "[json]") {
  struct row {
    const char* document;
    const char* where;
    bool whole_document;
  };
  const row r = GENERATE(values<row>({
      // ContainerList: top-level fields fail the document.
      {R"({"node_name": 5, "containers": []})", "node_name", true},
      {R"({"nodeName": ["n"], "containers": []})", "nodeName", true},
      {R"({"containers": {"id": "a"}})", "containers", true},
      {R"({"containers": "none"})", "containers", true},
      // ContainerList: container fields fail their container.
      {R"({"containers": [{"id": 5}]})", "containers[0].id", false},
      {R"({"containers": [{"names": "x"}]})", "containers[0].names", false},
      {R"({"containers": [{"names": ["x", 5]}]})", "containers[0].names[1]",
       false},
      {R"({"containers": [{"names": [null]}]})", "containers[0].names[0]",
       false},
      {R"({"containers": [{"image": {}}]})", "containers[0].image", false},
      {R"({"containers": [{"state": "running"}]})", "containers[0].state",
       false},
      {R"({"containers": [{"config": []}]})", "containers[0].config", false},
      {R"({"containers": [{"annotation": 1}]})", "containers[0].annotation",
       false},
      {R"({"containers": [{"stats": true}]})", "containers[0].stats", false},
      {R"({"containers": [{"state": {"Status": 1}}]})",
       "containers[0].state.Status", false},
      {R"({"containers": [{"state": {"status": null}}]})",
       "containers[0].state.status", false},
      {R"({"containers": [{"state": {"Running": 1}}]})",
       "containers[0].state.Running", false},
      {R"({"containers": [{"state": {"Paused": 0.0}}]})",
       "containers[0].state.Paused", false},
      {R"({"containers": [{"state": {"Dead": []}}]})",
       "containers[0].state.Dead", false},
      {R"({"containers": [{"state": {"Restarting": null}}]})",
       "containers[0].state.Restarting", false},
      {R"({"containers": [{"state": {"OOMKilled": {}}}]})",
       "containers[0].state.OOMKilled", false},
      {R"({"containers": [{"state": {"ExitCode": true}}]})",
       "containers[0].state.ExitCode", false},
      {R"({"containers": [{"state": {"Pid": {"n": 1}}}]})",
       "containers[0].state.Pid", false},
      {R"({"containers": [{"config": {"Image": null}}]})",
       "containers[0].config.Image", false},
      {R"({"containers": [{"annotation": {"pullpiri.model": ["m"]}}]})",
       R"(containers[0].annotation["pullpiri.model"])", false},
      {R"({"containers": [{"stats": {"cpu": {}}}]})", "containers[0].stats.cpu",
       false},
      // Inspect output.
      {R"([{"Id": 5}])", "[0].Id", false},
      {R"([{"Name": ["a"]}])", "[0].Name", false},
      {R"([{"ImageName": 1}])", "[0].ImageName", false},
      {R"([{"Image": false}])", "[0].Image", false},
      {R"([{"State": "running"}])", "[0].State", false},
      {R"([{"State": {"Status": true}}])", "[0].State.Status", false},
      {R"([{"State": {"Running": 1}}])", "[0].State.Running", false},
      {R"([{"State": {"Dead": {}}}])", "[0].State.Dead", false},
      {R"([{"State": {"ExitCode": "0", "OOMKilled": []}}])",
       "[0].State.OOMKilled", false},
      {R"([{"State": {"ExitCode": false}}])", "[0].State.ExitCode", false},
      {R"([{"Config": []}])", "[0].Config", false},
      {R"([{"Config": {"Image": 3}}])", "[0].Config.Image", false},
      {R"([{"Config": {"Labels": "a=b"}}])", "[0].Config.Labels", false},
      {R"([{"Config": {"Annotations": ["a"]}}])", "[0].Config.Annotations",
       false},
      {R"([{"Config": {"Labels": {"pullpiri.model": null}}}])",
       R"([0].Config.Labels["pullpiri.model"])", false},
      {R"([{"Config": {"Annotations": {"a b": {}}}}])",
       R"([0].Config.Annotations["a b"])", false},
      {R"({"Id": "a", "State": {"Paused": 3}})", "State.Paused", false},
  }));
  CAPTURE(r.document);

  const decode_result result = decode_json(r.document);

  const decode_error e = only_error(result);
  CHECK(e.code == json_error::wrong_type);
  CHECK(e.where == r.where);
  CHECK(e.message.rfind("expected ", 0) == 0);
  CHECK(result.list.containers.empty());
  if (r.whole_document) {
    CHECK_FALSE(e.container);
    CHECK_FALSE(result.document_ok());
  } else {
    CHECK(e.container == std::optional<std::size_t>(0));
    CHECK(result.document_ok());
    CHECK(result.rejected == 1);
  }
}

TEST_CASE("ExitCode must be an integer that fits in 32 bits", "[json]") {
  const auto [json_value, code, text] =
      GENERATE(table<const char*, json_error, const char*>({
          {"0", json_error::none, "0"},
          {"-1", json_error::none, "-1"},
          {"137", json_error::none, "137"},
          {"-2147483648", json_error::none, "-2147483648"},
          {"4294967295", json_error::none, "4294967295"},
          {"\"0\"", json_error::none, "0"},
          {"\"-1\"", json_error::none, "-1"},
          {"\" 42 \"", json_error::none, "42"},
          {"\"+3\"", json_error::none, "3"},
          {"\"0003\"", json_error::none, "3"},
          {"\"4294967295\"", json_error::none, "4294967295"},
          {"-2147483649", json_error::out_of_range, ""},
          {"4294967296", json_error::out_of_range, ""},
          {"9223372036854775808", json_error::out_of_range, ""},
          {"-99999999999999999999", json_error::out_of_range, ""},
          {"\"4294967296\"", json_error::out_of_range, ""},
          {"\"-2147483649\"", json_error::out_of_range, ""},
          {"\"99999999999999999999999\"", json_error::out_of_range, ""},
          {"\"abc\"", json_error::invalid_value, ""},
          {"\"\"", json_error::invalid_value, ""},
          {"\"-\"", json_error::invalid_value, ""},
          {"\"1.0\"", json_error::invalid_value, ""},
          {"\"0x10\"", json_error::invalid_value, ""},
          {"\"1 2\"", json_error::invalid_value, ""},
          {"1.0", json_error::invalid_value, ""},
          {"1.5", json_error::invalid_value, ""},
          {"1e2", json_error::invalid_value, ""},
          {"true", json_error::wrong_type, ""},
          {"{}", json_error::wrong_type, ""},
          {"[0]", json_error::wrong_type, ""},
      }));
  const bool inspect = GENERATE(false, true);
  CAPTURE(json_value, inspect);

  const std::string document =
      inspect ? std::string(R"([{"Id": "a", "State": {"ExitCode": )") +
                    json_value + "}}]"
              : std::string(R"({"containers": [{"id": "a", "state": )"
                            R"({"ExitCode": )") +
                    json_value + "}}]}";
  const decode_result result = decode_json(document);

  if (code == json_error::none) {
    REQUIRE(result.ok());
    REQUIRE(result.list.containers.size() == 1);
    CHECK(result.list.containers[0].state == string_map{{"ExitCode", text}});
  } else {
    const decode_error e = only_error(result);
    CHECK(e.code == code);
    CHECK(e.where ==
          (inspect ? "[0].State.ExitCode" : "containers[0].state.ExitCode"));
    CHECK(result.list.containers.empty());
  }
}

TEST_CASE("A decoded ExitCode reads the same in classification", "[json]") {
  const auto [json_value, code] = GENERATE(table<const char*, long long>({
      {"-2147483648", -2147483648LL},
      {"4294967295", 4294967295LL},
      {"\" +0007 \"", 7},
      {"\"-1\"", -1},
  }));
  CAPTURE(json_value);

  const decode_result result = decode_json(
      std::string(R"([{"State": {"Status": "exited", "ExitCode": )") +
      json_value + "}}]");

  REQUIRE(result.ok());
  REQUIRE(result.list.containers.size() == 1);
  const modelstate::classification c = modelstate::classify(
      modelstate::facts_of(result.list.containers[0]),
      modelstate::make_policy(modelstate::profile::standard));
  CHECK(c.has_exit_code);
  CHECK(c.exit_code == code);
}

TEST_CASE(
    "State keys are typed whatever their case, as classification reads "
    "them",
    "[json]") {
  const decode_result result = decode_json(
      R"({"containers": [{"state": {"exitcode": "abc", "RUNNING": 2}}]})");

  REQUIRE(result.errors.size() == 2);
  CHECK(result.errors[0].where == "containers[0].state.exitcode");
  CHECK(result.errors[0].code == json_error::invalid_value);
  CHECK(result.errors[1].where == "containers[0].state.RUNNING");
  CHECK(result.errors[1].code == json_error::wrong_type);
}

TEST_CASE("A message names what was expected and what came", "[json]") {
  const decode_result result = decode_json(
      "{\"node_name\": \"n\",\n \"containers\": [{}, {}, {}, {\"state\": "
      "{\"ExitCode\": \"abc\"}}]}");

  const decode_error e = only_error(result);
  CHECK(e.where == "containers[3].state.ExitCode");
  CHECK(e.message == "expected an integer, got \"abc\"");
  CHECK(e.line == 2);
  CHECK(modelstate::describe(e) ==
        "containers[3].state.ExitCode (line 2, column 56): expected an "
        "integer, got \"abc\"");
}

TEST_CASE("An error's offset points into the offending value", "[json]") {
  const auto [document, value] = GENERATE(table<std::string, std::string>({
      {R"({"containers": [{"state": {"ExitCode": "abc"}}]})", "\"abc\""},
      {R"({"containers": [{"state": {"ExitCode": 4294967296}}]})",
       "4294967296"},
      {R"({"containers": [{"state": {"ExitCode": 1.5} }]})", "1.5"},
      {R"({"containers": [{"state": {"Running": true, "Dead": 0}}]})", "0"},
      {R"({"containers": [{"id": {"a": 1}}]})", "{"},
      {R"([{"Id": "a"}, [1, 2]])", "["},
      {R"([{"State": {"ExitCode": null, "Paused": null}}, 5])", "5"},
  }));
  CAPTURE(document);

  const decode_result result = decode_json(document);

  const decode_error e = only_error(result);
  const std::size_t at = document.rfind(value);
  REQUIRE(at != std::string::npos);
  // The last byte of a scalar; the opening bracket of an object or array.
  CHECK(e.offset == at + value.size() - 1);
  CHECK(e.line == 1);
  CHECK(e.column == e.offset + 1);
}

TEST_CASE("Columns count characters, not bytes", "[json]") {
  // "ü" takes two bytes; the error is on the second line.
  const std::string text =
      "[{\"Id\": \"\xc3\xbc\"},\n {\"Id\": \"\xc3\xbc\", \"Name\": 1}]";

  const decode_result result = decode_json(text);

  const decode_error e = only_error(result);
  CHECK(e.offset == text.size() - 3);
  CHECK(e.line == 2);
  CHECK(e.column == 22);
}

TEST_CASE("Invalid UTF-8 fails the document at the first bad byte", "[json]") {
  const auto [text, where] = GENERATE(table<std::string, std::string>({
      {"{\"node_name\": \"n\xff\"}", "node_name"},
      {"{\"containers\": [{\"names\": [\"a\", \"b\xc3\"]}]}",
       "containers[0].names[1]"},
      {"[{\"Id\": \"a\xed\xa0\x80\"}]", "[0].Id"},
      {"[{\"Id\": \"\xc0\xaf\"}]", "[0].Id"},
      {"[{\"Config\": {\"Labels\": {\"k\xf8\": \"v\"}}}]", "[0].Config.Labels"},
      {"[{}, \x80]", "[1]"},
  }));
  CAPTURE(where);

  const decode_result result = decode_json(text);

  const decode_error e = only_error(result);
  CHECK(e.code == json_error::invalid_utf8);
  CHECK(e.where == where);
  const std::size_t first_bad = text.find_first_of("\xff\xc3\xed\xc0\xf8\x80");
  CHECK(e.offset == first_bad);
  CHECK_FALSE(e.container);
  CHECK_FALSE(result.document_ok());
  CHECK(result.list.containers.empty());
}

TEST_CASE("A number too large for a double fails the document", "[json]") {
  const decode_result result =
      decode_json(R"({"containers": [{"stats": {"cpu": 1e400}}]})");

  const decode_error e = only_error(result);
  CHECK(e.code == json_error::out_of_range);
  CHECK_FALSE(e.container);
}

TEST_CASE("Errors in several containers are all reported in document order",
          "[json]") {
  const decode_result result = decode_json(
      R"({"node_name": "n", "containers": [
           {"id": "a", "state": {"ExitCode": "x"}, "names": [1]},
           {"id": "b"},
           {"id": 3},
           {"id": "d"}]})");

  CHECK_FALSE(result.ok());
  CHECK(result.document_ok());
  CHECK(result.rejected == 2);
  REQUIRE(result.errors.size() == 3);
  CHECK(result.errors[0].where == "containers[0].state.ExitCode");
  CHECK(result.errors[1].where == "containers[0].names[0]");
  CHECK(result.errors[2].where == "containers[2].id");
  CHECK(result.errors[0].container == std::optional<std::size_t>(0));
  CHECK(result.errors[2].container == std::optional<std::size_t>(2));
  CHECK(result.errors[0].offset < result.errors[1].offset);
  CHECK(result.errors[1].offset < result.errors[2].offset);
  CHECK(result.list.node_name == "n");
  REQUIRE(result.list.containers.size() == 2);
  CHECK(result.list.containers[0].id == "b");
  CHECK(result.list.containers[1].id == "d");
}

TEST_CASE("A document error empties the list, container errors or not",
          "[json]") {
  const decode_result result = decode_json(
      R"({"containers": [{"id": "a"}, {"id": 2}], "node_name": false})");

  REQUIRE(result.errors.size() == 2);
  CHECK(result.errors[0].container == std::optional<std::size_t>(1));
  CHECK_FALSE(result.errors[1].container);
  CHECK_FALSE(result.document_ok());
  CHECK(result.list.containers.empty());
}

TEST_CASE("Error codes have stable names", "[json]") {
  CHECK(modelstate::to_string(json_error::empty_input) == "empty_input");
  CHECK(modelstate::to_string(json_error::invalid_json) == "invalid_json");
  CHECK(modelstate::to_string(json_error::invalid_utf8) == "invalid_utf8");
  CHECK(modelstate::to_string(json_error::unknown_format) == "unknown_format");
  CHECK(modelstate::to_string(json_error::wrong_type) == "wrong_type");
  CHECK(modelstate::to_string(json_error::invalid_value) == "invalid_value");
  CHECK(modelstate::to_string(json_error::out_of_range) == "out_of_range");
  CHECK(static_cast<int>(json_error::empty_input) == 1);
  CHECK(static_cast<int>(json_error::out_of_range) == 7);
  CHECK(modelstate::to_string(json_format::inspect) == "inspect");
}

TEST_CASE("A report of 100,000 containers decodes completely", "[json]") {
  constexpr std::size_t count = 100000;
  std::string text = R"({"node_name": "big", "containers": [)";
  for (std::size_t i = 0; i < count; ++i) {
    const std::string n = std::to_string(i);
    // Every thousandth container has an unreadable ExitCode.
    const std::string exit_code = i % 1000 == 999 ? "\"x\"" : "\"0\"";
    text += (i == 0 ? "" : ",");
    text += R"({"id": "c)" + n + R"(", "names": ["container-)" + n +
            R"("], "image": "img:)" + std::to_string(i % 7) +
            R"(", "state": {"Status": "running", "Running": true, )"
            R"("Pid": )" +
            n + R"(, "ExitCode": )" + exit_code +
            R"(}, "annotation": {"pullpiri.model": "model-)" +
            std::to_string(i % 100) + R"("}})";
  }
  text += "]}";

  const decode_result result = decode_json(text);

  CHECK(result.document_ok());
  CHECK(result.errors.size() == count / 1000);
  CHECK(result.rejected == count / 1000);
  CHECK(result.list.node_name == "big");
  REQUIRE(result.list.containers.size() == count - count / 1000);
  std::map<std::string, std::size_t> per_model;
  for (const container_info& c : result.list.containers) {
    ++per_model[c.annotation.at("pullpiri.model")];
  }
  CHECK(per_model.size() == 100);
  CHECK(per_model["model-0"] == 1000);
  CHECK(per_model["model-99"] == 900);
  const container_info& last = result.list.containers.back();
  CHECK(last.id == "c99998");
  CHECK(last.state.at("Pid") == "99998");
  CHECK(result.errors.back().where == "containers[99999].state.ExitCode");
}
