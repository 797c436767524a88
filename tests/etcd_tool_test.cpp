// The modelstate tool with --etcd, run as a program against a real etcd;
// what it stored is read back through plain gateway calls.
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "etcd_live_support.hpp"

namespace {

const std::string data_dir = MODELSTATE_ETCD_TEST_DATA;

// Holds what one run of the tool did.
struct run_result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs the tool with args; stdout and stderr go to files of a temp dir.
run_result run_tool(const std::vector<std::string>& args) {
  const etcd_live::temp_dir dir;
  std::string command = etcd_live::shell_quote(MODELSTATE_TOOL);
  for (const auto& a : args) {
    command += ' ' + etcd_live::shell_quote(a);
  }
  command += " </dev/null >" + etcd_live::shell_quote(dir.path() + "/out") +
             " 2>" + etcd_live::shell_quote(dir.path() + "/err");

  run_result r;
  r.exit_code = etcd_live::run_command(command);
  r.out = slurp(dir.path() + "/out");
  r.err = slurp(dir.path() + "/err");
  return r;
}

// Renders stored pairs as the tool prints them: "KEY VALUE" lines.
std::string as_lines(const std::map<std::string, std::string>& pairs) {
  std::string text;
  for (const auto& [key, value] : pairs) {
    text += key + ' ' + value + '\n';
  }
  return text;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("The tool with --etcd stores exactly the lines it prints") {
  const std::string endpoint = etcd_live::fixture_endpoint();
  etcd_live::delete_prefix(endpoint, "/model/");

  const run_result r = run_tool({"--etcd", endpoint, MODELSTATE_SAMPLE_REPORT});

  CAPTURE(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "/model/my-inference-model/state MODEL_STATE_RUNNING\n");
  CHECK(as_lines(etcd_live::stored(endpoint, "/model/")) == r.out);
  CHECK(contains(r.err,
                 "    Saving to etcd - Key: /model/my-inference-model/state, "
                 "Value: MODEL_STATE_RUNNING\n"
                 "    Successfully saved model state to etcd\n"));
}

TEST_CASE(
    "A repeated run of the tool writes nothing, and a changed report writes "
    "only what changed") {
  const std::string endpoint = etcd_live::fixture_endpoint();
  const std::string prefix = "/cli/repeat/model/";
  etcd_live::delete_prefix(endpoint, prefix);
  const std::vector<std::string> common = {"--etcd", endpoint, "--prefix",
                                           prefix};
  auto with = [&](const std::string& file) {
    std::vector<std::string> args = common;
    args.push_back(data_dir + "/" + file);
    return args;
  };
  const std::string expected_a =
      "/cli/repeat/model/alpha/state MODEL_STATE_RUNNING\n"
      "/cli/repeat/model/beta/state MODEL_STATE_SUCCEEDED\n"
      "/cli/repeat/model/gamma/state MODEL_STATE_FAILED\n";

  const run_result first = run_tool(with("report_a.json"));
  CAPTURE(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(first.out == expected_a);
  CHECK(as_lines(etcd_live::stored(endpoint, prefix)) == expected_a);
  const std::int64_t revision = etcd_live::revision(endpoint);
  const auto mod_before = etcd_live::mod_revisions(endpoint, prefix);

  const run_result second = run_tool(with("report_a.json"));
  CAPTURE(second.err);
  CHECK(second.exit_code == 0);
  CHECK(second.out == expected_a);
  CHECK(contains(second.err, "    Unchanged in etcd, nothing written\n"));
  CHECK_FALSE(contains(second.err, "Successfully saved"));
  CHECK(etcd_live::revision(endpoint) == revision);

  const run_result third = run_tool(with("report_b.json"));
  CAPTURE(third.err);
  CHECK(third.exit_code == 0);
  CHECK(third.out ==
        "/cli/repeat/model/alpha/state MODEL_STATE_UNKNOWN\n"
        "/cli/repeat/model/beta/state MODEL_STATE_SUCCEEDED\n"
        "/cli/repeat/model/gamma/state MODEL_STATE_FAILED\n");
  CHECK(as_lines(etcd_live::stored(endpoint, prefix)) == third.out);
  const auto mod_after = etcd_live::mod_revisions(endpoint, prefix);
  const std::string alpha = prefix + "alpha/state";
  const std::string beta = prefix + "beta/state";
  const std::string gamma = prefix + "gamma/state";
  CHECK(mod_after.at(alpha) > mod_before.at(alpha));
  CHECK(mod_after.at(beta) == mod_before.at(beta));
  CHECK(mod_after.at(gamma) == mod_before.at(gamma));
  CHECK(etcd_live::revision(endpoint) == revision + 1);
}

TEST_CASE(
    "The tool exits 1 and prints no line when etcd cannot be reached, naming "
    "the endpoint") {
  const etcd_live::refusing_port port;
  const bool json = GENERATE(false, true);
  CAPTURE(json);
  std::vector<std::string> args = {"--etcd", port.endpoint()};
  if (json) {
    args.push_back("--json");
  }
  args.push_back(data_dir + "/report_a.json");

  const run_result r = run_tool(args);

  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err == "modelstate: etcd at " + port.endpoint() +
                     ": reading \"/model/\": connection refused or host "
                     "unreachable (Connection); nothing was written\n");
}

TEST_CASE("The tool refuses an etcd URL that is not http://HOST:PORT") {
  const std::string url =
      GENERATE(as<std::string>{}, "https://127.0.0.1:2379", "127.0.0.1:2379",
               "http://127.0.0.1", "http://a:1,http://b:2");
  CAPTURE(url);

  const run_result r = run_tool({"--etcd", url, data_dir + "/report_a.json"});

  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind(
            "modelstate: --etcd: '" + url + "' is not an etcd endpoint: ", 0) ==
        0);
  CHECK(contains(r.err,
                 "(expected http://HOST:PORT)\nTry 'modelstate "
                 "--help'.\n"));
}

TEST_CASE(
    "Stored values the tool does not recognise are reported, and overwritten "
    "when the report has their model") {
  const std::string endpoint = etcd_live::fixture_endpoint();
  const std::string prefix = "/cli/garbage/model/";
  etcd_live::delete_prefix(endpoint, prefix);
  etcd_live::put(endpoint, prefix + "alpha/state", "garbage");
  etcd_live::put(endpoint, prefix + "omega/state", "");
  etcd_live::put(endpoint, prefix + "x/y/state", "MODEL_STATE_RUNNING");
  etcd_live::put(endpoint, prefix + "beta/state", "Exited");

  const run_result r = run_tool(
      {"--etcd", endpoint, "--prefix", prefix, data_dir + "/report_a.json"});

  CAPTURE(r.err);
  CHECK(r.exit_code == 0);
  const std::string at = "modelstate: etcd at " + endpoint + ": ignoring ";
  CHECK(contains(r.err, at + "\"/cli/garbage/model/alpha/state\" = "
                             "\"garbage\": value is not a model state: not a "
                             "known state\n"));
  CHECK(contains(r.err, at + "\"/cli/garbage/model/omega/state\" = \"\": "
                             "value is not a model state: empty value\n"));
  CHECK(contains(r.err, at + "\"/cli/garbage/model/x/y/state\" = "
                             "\"MODEL_STATE_RUNNING\": key holds an invalid "
                             "name: name contains '/' at byte 1\n"));
  CHECK_FALSE(contains(r.err, "beta/state\" = "));
  const std::map<std::string, std::string> expected = {
      {"/cli/garbage/model/alpha/state", "MODEL_STATE_RUNNING"},
      {"/cli/garbage/model/beta/state", "MODEL_STATE_SUCCEEDED"},
      {"/cli/garbage/model/gamma/state", "MODEL_STATE_FAILED"},
      {"/cli/garbage/model/omega/state", ""},
      {"/cli/garbage/model/x/y/state", "MODEL_STATE_RUNNING"}};
  CHECK(etcd_live::stored(endpoint, prefix) == expected);
}

TEST_CASE(
    "Package states go to etcd with --packages and are not written again "
    "when unchanged") {
  const std::string endpoint = etcd_live::fixture_endpoint();
  const std::string prefix = "/cli/packages/model/";
  etcd_live::delete_prefix(endpoint, prefix);
  etcd_live::delete_prefix(endpoint, "/package/etcd-cli-");
  // Stored in the plain spelling: understood, not reported.
  etcd_live::put(endpoint, "/package/etcd-cli-rear/state", "error");
  const std::vector<std::string> args = {"--etcd",
                                         endpoint,
                                         "--prefix",
                                         prefix,
                                         "--packages",
                                         data_dir + "/packages.json",
                                         data_dir + "/report_a.json"};
  const std::string expected =
      "/cli/packages/model/alpha/state MODEL_STATE_RUNNING\n"
      "/cli/packages/model/beta/state MODEL_STATE_SUCCEEDED\n"
      "/cli/packages/model/gamma/state MODEL_STATE_FAILED\n"
      "/package/etcd-cli-front/state PACKAGE_STATE_RUNNING\n"
      "/package/etcd-cli-rear/state PACKAGE_STATE_ERROR\n";

  const run_result first = run_tool(args);
  CAPTURE(first.err);
  CHECK(first.exit_code == 0);
  CHECK(first.out == expected);
  CHECK_FALSE(contains(first.err, "ignoring"));
  CHECK(as_lines(etcd_live::stored(endpoint, "/package/etcd-cli-")) ==
        "/package/etcd-cli-front/state PACKAGE_STATE_RUNNING\n"
        "/package/etcd-cli-rear/state PACKAGE_STATE_ERROR\n");
  const std::int64_t revision = etcd_live::revision(endpoint);

  const run_result second = run_tool(args);
  CAPTURE(second.err);
  CHECK(second.exit_code == 0);
  CHECK(second.out == expected);
  CHECK_FALSE(contains(second.err, "Successfully saved"));
  CHECK(etcd_live::revision(endpoint) == revision);
}

TEST_CASE("A hostile model name given to the tool never reaches etcd") {
  const std::string endpoint = etcd_live::fixture_endpoint();
  const std::string prefix = "/cli/hostile/model/";
  etcd_live::delete_prefix(endpoint, "/cli/hostile/");

  const run_result r = run_tool(
      {"--etcd", endpoint, "--prefix", prefix, data_dir + "/hostile.json"});

  CAPTURE(r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out == "/cli/hostile/model/fine/state MODEL_STATE_RUNNING\n");
  CHECK(as_lines(etcd_live::stored(endpoint, "/cli/hostile/")) == r.out);
  for (const auto& kv : etcd_live::range(endpoint, "").kvs) {
    CAPTURE(kv.key);
    CHECK_FALSE(contains(kv.key, "escape"));
  }
}
