// Tests for modelstate/classify.hpp: one container's facts to one
// normalised state, under each profile and policy.
#include "modelstate/classify.hpp"

#include <cstdint>
#include <string>
#include <string_view>

#include "catch.hpp"
#include "support.hpp"

namespace {

using modelstate::classification;
using modelstate::container_facts;
using modelstate::container_state;
using modelstate::policy;
using modelstate::profile;

// One container's facts as a runtime reports them; nullptr means absent.
struct facts_row {
  const char* status;
  const char* running;
  const char* paused;
  const char* dead;
  const char* exit_code;
  container_state expected;
};

constexpr container_facts make_facts(const facts_row& row) {
  container_facts f;
  const char* const texts[] = {row.status, row.running, row.paused, row.dead,
                               row.exit_code};
  const std::string_view keys[] = {"Status", "Running", "Paused", "Dead",
                                   "ExitCode"};
  for (std::size_t i = 0; i < 5; ++i) {
    if (texts[i] != nullptr) {
      modelstate::set_fact(f, keys[i], texts[i]);
    }
  }
  return f;
}

using modelstate_test::contains;

// Shows a possibly absent fact in a failure message.
std::string show(const char* value) {
  return value == nullptr ? std::string("(absent)")
                          : "'" + std::string(value) + "'";
}

#define CAPTURE_ROW(row)                                                      \
  INFO("Status " << show((row).status) << ", Running " << show((row).running) \
                 << ", Paused " << show((row).paused) << ", Dead "            \
                 << show((row).dead) << ", ExitCode "                         \
                 << show((row).exit_code))

constexpr const char* absent = nullptr;

// Classification works at compile time.
static_assert(modelstate::classify(make_facts({"exited", absent, absent, absent,
                                               "137", container_state::dead}))
                  .state == container_state::dead);
static_assert(modelstate::classify(make_facts({"Running", absent, absent,
                                               absent, absent,
                                               container_state::running}))
                  .state == container_state::running);
static_assert(modelstate::make_policy(profile::flags_only).rules ==
              profile::flags_only);

}  // namespace

TEST_CASE(
    "The standard profile classifies by Status, the Dead flag and exit codes",
    "[classify]") {
  const auto row = GENERATE(values<facts_row>({
      // The Dead flag, or Status dead, means dead.
      {"running", "true", "false", "true", absent, container_state::dead},
      {absent, absent, absent, "true", absent, container_state::dead},
      {"exited", "false", "false", "TRUE", "0", container_state::dead},
      {"dead", "false", "false", "false", absent, container_state::dead},
      {"DEAD", absent, absent, absent, absent, container_state::dead},
      // Exited or stopped: exited, or dead by a failing exit code.
      {"exited", "false", "false", "false", absent, container_state::exited},
      {"exited", "false", "false", "false", "0", container_state::exited},
      {"exited", "false", "false", "false", "1", container_state::dead},
      {"exited", "false", "false", "false", "137", container_state::dead},
      {"exited", "false", "false", "false", "-1", container_state::dead},
      {"stopped", "false", "false", "false", absent, container_state::exited},
      {"stopped", "false", "false", "false", "0", container_state::exited},
      {"stopped", "false", "false", "false", "2", container_state::dead},
      // Removing follows the same exit-code rule.
      {"removing", absent, absent, absent, absent, container_state::exited},
      {"removing", absent, absent, absent, "0", container_state::exited},
      {"removing", absent, absent, absent, "1", container_state::dead},
      // Running, restarting and stopping are running.
      {"running", "true", "false", "false", absent, container_state::running},
      {"restarting", "true", "false", "false", absent,
       container_state::running},
      {"stopping", "true", "false", "false", absent, container_state::running},
      {"paused", "true", "true", "false", absent, container_state::paused},
      {"created", "false", "false", "false", absent, container_state::created},
      {"configured", absent, absent, absent, absent, container_state::created},
      {"initialized", absent, absent, absent, absent,
       container_state::initialized},
      // Status wins over the Running and Paused flags.
      {"exited", "true", "false", "false", absent, container_state::exited},
      {"running", "false", "true", "false", absent, container_state::running},
      // Any case and surrounding blanks.
      {"RUNNING", absent, absent, absent, absent, container_state::running},
      {"Exited", absent, absent, absent, "0", container_state::exited},
      {" paused ", absent, absent, absent, absent, container_state::paused},
      // No Status: the flags decide, else unknown.
      {absent, "true", "true", "false", absent, container_state::paused},
      {"", "false", "true", "false", absent, container_state::paused},
      {absent, "true", "false", "false", absent, container_state::running},
      {"  ", "1", absent, absent, absent, container_state::running},
      {absent, "false", "false", "false", absent, container_state::unknown},
      {absent, absent, absent, absent, absent, container_state::unknown},
      {"", absent, absent, absent, absent, container_state::unknown},
      // Any other Status is unknown.
      {"foo", "true", "false", "false", absent, container_state::unknown},
      {"unknown", absent, absent, absent, absent, container_state::unknown},
      {"exit", absent, absent, absent, absent, container_state::unknown},
  }));
  CAPTURE_ROW(row);

  const classification c = modelstate::classify(make_facts(row));

  CHECK(c.state == row.expected);
  CHECK(c.bad_fields == 0);
}

TEST_CASE("Flags are read as true/false/1/0 in any case", "[classify]") {
  const auto [text, dead] =
      GENERATE(table<std::string_view, bool>({{"true", true},
                                              {"TRUE", true},
                                              {"True", true},
                                              {"1", true},
                                              {"false", false},
                                              {"FALSE", false},
                                              {"0", false}}));
  CAPTURE(text);

  container_facts f;
  CHECK(modelstate::set_fact(f, "Status", "running"));
  CHECK(modelstate::set_fact(f, "Dead", text));

  const classification c = modelstate::classify(f);

  CHECK(c.state == (dead ? container_state::dead : container_state::running));
  CHECK(c.bad_fields == 0);
}

TEST_CASE("A flag that is not a boolean is diagnosed and does not count",
          "[classify]") {
  container_facts f;
  CHECK(modelstate::set_fact(f, "Running", "yes"));
  CHECK(modelstate::set_fact(f, "Dead", "maybe"));

  const classification c = modelstate::classify(f);

  CHECK(c.state == container_state::unknown);
  CHECK((c.bad_fields & modelstate::field_running) != 0);
  CHECK((c.bad_fields & modelstate::field_dead) != 0);
  CHECK((c.bad_fields & modelstate::field_paused) == 0);
}

TEST_CASE(
    "A non-numeric ExitCode is diagnosed in bad_fields and never crashes "
    "classification",
    "[classify]") {
  const auto code = GENERATE(as<std::string_view>{}, "abc", "", "1.5", "0x1",
                             "99999999999999999999", "-", "12a");
  CAPTURE(code);

  container_facts f;
  CHECK(modelstate::set_fact(f, "Status", "exited"));
  CHECK(modelstate::set_fact(f, "ExitCode", code));

  const classification exited = modelstate::classify(f);

  CHECK((exited.bad_fields & modelstate::field_exit_code) != 0);
  CHECK_FALSE(exited.has_exit_code);
  // A code that cannot be read is not in the success set.
  CHECK(exited.state == container_state::dead);
  CHECK_FALSE(modelstate::describe(exited).empty());

  CHECK(modelstate::set_fact(f, "Status", "running"));
  const classification running = modelstate::classify(f);
  CHECK(running.state == container_state::running);
  CHECK((running.bad_fields & modelstate::field_exit_code) != 0);
}

TEST_CASE("An exit code is read with its sign and surrounding blanks",
          "[classify]") {
  const auto [text, value] = GENERATE(table<std::string_view, long long>(
      {{"0", 0}, {"137", 137}, {" 143 ", 143}, {"-1", -1}, {"+2", 2}}));
  CAPTURE(text);

  container_facts f;
  CHECK(modelstate::set_fact(f, "ExitCode", text));

  const classification c = modelstate::classify(f);

  REQUIRE(c.has_exit_code);
  CHECK(c.exit_code == value);
}

TEST_CASE(
    "With the exit-code rule off, an exited container is exited whatever its "
    "code",
    "[classify]") {
  const auto code =
      GENERATE(as<std::string_view>{}, "0", "1", "137", "-1", "abc");
  CAPTURE(code);

  policy p;
  p.exit_code_rule = false;
  container_facts f;
  CHECK(modelstate::set_fact(f, "Status", "exited"));
  CHECK(modelstate::set_fact(f, "ExitCode", code));

  CHECK(modelstate::classify(f, p).state == container_state::exited);

  CHECK(modelstate::set_fact(f, "Status", "stopped"));
  CHECK(modelstate::classify(f, p).state == container_state::exited);
}

TEST_CASE("A custom success set such as {0, 143} decides which codes are exits",
          "[classify]") {
  policy p;
  CHECK(p.add_success_code(143));

  const auto [code, expected] =
      GENERATE(table<std::string_view, container_state>(
          {{"0", container_state::exited},
           {"143", container_state::exited},
           {"1", container_state::dead},
           {"137", container_state::dead}}));
  CAPTURE(code);

  container_facts f;
  CHECK(modelstate::set_fact(f, "Status", "exited"));
  CHECK(modelstate::set_fact(f, "ExitCode", code));

  CHECK(modelstate::classify(f, p).state == expected);
  CHECK(modelstate::classify(f).state ==
        (code == "0" ? container_state::exited : container_state::dead));
}

TEST_CASE("The success set holds the default 0 and can be emptied or filled",
          "[classify]") {
  policy p;
  CHECK(p.is_success(0));
  CHECK_FALSE(p.is_success(1));

  p.clear_success_codes();
  CHECK_FALSE(p.is_success(0));

  container_facts f;
  CHECK(modelstate::set_fact(f, "Status", "exited"));
  CHECK(modelstate::set_fact(f, "ExitCode", "0"));
  CHECK(modelstate::classify(f, p).state == container_state::dead);

  for (int code = 0; code < static_cast<int>(policy::max_success_codes);
       ++code) {
    CHECK(p.add_success_code(code));
  }
  CHECK(p.add_success_code(3));
  CHECK_FALSE(p.add_success_code(1000));
  CHECK_FALSE(p.is_success(1000));
}

TEST_CASE(
    "The flags_only profile reads flags and Status and ignores exit codes",
    "[classify]") {
  const auto row = GENERATE(values<facts_row>({
      // Dead flag or Status dead.
      {"running", "true", "false", "true", absent, container_state::dead},
      {"dead", "false", "false", "false", absent, container_state::dead},
      {"exited", "false", "true", "true", "1", container_state::dead},
      // Paused flag or Status paused.
      {"running", "true", "true", "false", absent, container_state::paused},
      {"paused", "true", "false", "false", absent, container_state::paused},
      {"PAUSED", absent, absent, absent, absent, container_state::paused},
      // Not running and Status exited or mentioning "exit".
      {"exited", "false", "false", "false", absent, container_state::exited},
      {"exited", absent, absent, absent, absent, container_state::exited},
      {"EXITED", "false", absent, absent, absent, container_state::exited},
      {"Exited (0) 3 seconds ago", "false", absent, absent, absent,
       container_state::exited},
      {"exited", "false", "false", "false", "137", container_state::exited},
      {"exited", "false", "false", "false", "abc", container_state::exited},
      // Otherwise running.
      {"exited", "true", "false", "false", absent, container_state::running},
      {"stopped", "false", "false", "false", "1", container_state::running},
      {"created", "false", "false", "false", absent, container_state::running},
      {"foo", absent, absent, absent, absent, container_state::running},
      {"", absent, absent, absent, absent, container_state::running},
      {absent, absent, absent, absent, absent, container_state::running},
      {absent, "false", "false", "false", absent, container_state::running},
  }));
  CAPTURE_ROW(row);

  const policy p = modelstate::make_policy(profile::flags_only);

  CHECK(modelstate::classify(make_facts(row), p).state == row.expected);
}

TEST_CASE(
    "The status_only profile matches the lower-cased Status exactly and "
    "ignores flags",
    "[classify]") {
  const auto row = GENERATE(values<facts_row>({
      {"running", "false", "false", "false", absent, container_state::running},
      {"RUNNING", absent, absent, absent, absent, container_state::running},
      {"paused", "true", "false", "false", absent, container_state::paused},
      {"exited", "false", "false", "false", absent, container_state::exited},
      {"Exited", absent, absent, absent, "1", container_state::exited},
      {"dead", absent, absent, absent, absent, container_state::dead},
      {"created", absent, absent, absent, absent, container_state::created},
      {"initialized", absent, absent, absent, absent,
       container_state::initialized},
      {"unknown", "true", absent, absent, absent, container_state::unknown},
      // Flags are ignored when there is a Status.
      {"running", "true", "false", "true", absent, container_state::running},
      {"paused", "false", "false", "true", absent, container_state::paused},
      // Anything else, including statuses the standard profile knows.
      {"stopped", "false", absent, absent, "0", container_state::unknown},
      {"restarting", "true", absent, absent, absent, container_state::unknown},
      {"configured", absent, absent, absent, absent, container_state::unknown},
      {"foo", "true", absent, absent, absent, container_state::unknown},
      {" running", absent, absent, absent, absent, container_state::unknown},
      // No Status: running only when Running is exactly "true".
      {absent, "true", "false", "false", absent, container_state::running},
      {absent, "TRUE", absent, absent, absent, container_state::unknown},
      {absent, "1", absent, absent, absent, container_state::unknown},
      {absent, "false", "true", absent, absent, container_state::unknown},
      {absent, absent, absent, "true", absent, container_state::unknown},
      {absent, absent, absent, absent, absent, container_state::unknown},
  }));
  CAPTURE_ROW(row);

  const policy p = modelstate::make_policy(profile::status_only);

  CHECK(modelstate::classify(make_facts(row), p).state == row.expected);
}

TEST_CASE("An exit outside the success set is explained with its code",
          "[classify]") {
  container_facts f;
  CHECK(modelstate::set_fact(f, "Status", "exited"));
  CHECK(modelstate::set_fact(f, "ExitCode", "137"));

  const classification c = modelstate::classify(f);

  CHECK(c.state == container_state::dead);
  CHECK(c.has_exit_code);
  CHECK(c.exit_code == 137);
  CHECK_THAT(modelstate::describe(c), contains("exited with code 137"));
}

TEST_CASE("An OOM-killed container's explanation mentions OOMKilled",
          "[classify]") {
  container_facts f;
  CHECK(modelstate::set_fact(f, "Status", "exited"));
  CHECK(modelstate::set_fact(f, "ExitCode", "137"));
  CHECK(modelstate::set_fact(f, "OOMKilled", "true"));

  const classification c = modelstate::classify(f);

  CHECK(c.state == container_state::dead);
  CHECK(c.oom_killed);
  CHECK_THAT(modelstate::describe(c),
             contains("exited with code 137") && contains("OOMKilled"));
}

TEST_CASE("A container dead by its flag is explained by the Dead flag",
          "[classify]") {
  container_facts f;
  CHECK(modelstate::set_fact(f, "Status", "running"));
  CHECK(modelstate::set_fact(f, "Dead", "true"));

  CHECK_THAT(modelstate::describe(modelstate::classify(f)),
             contains("Dead flag"));
}

TEST_CASE("An unrecognised status is unknown and named in the explanation",
          "[classify]") {
  container_facts f;
  CHECK(modelstate::set_fact(f, "Status", "foo"));

  const classification c = modelstate::classify(f);

  CHECK(c.state == container_state::unknown);
  CHECK(c.detail == "foo");
  CHECK_THAT(modelstate::describe(c), contains("unrecognised status 'foo'"));
}

TEST_CASE("An unreadable field is named in the explanation", "[classify]") {
  container_facts f;
  CHECK(modelstate::set_fact(f, "Status", "running"));
  CHECK(modelstate::set_fact(f, "Paused", "perhaps"));

  CHECK_THAT(modelstate::describe(modelstate::classify(f)), contains("Paused"));
}

TEST_CASE(
    "Facts are stored under their runtime keys, matched in any case; other "
    "keys are ignored",
    "[classify]") {
  container_facts f;

  CHECK(modelstate::set_fact(f, "status", "running"));
  CHECK(modelstate::set_fact(f, "EXITCODE", "3"));
  CHECK(modelstate::set_fact(f, "OOMKilled", "false"));
  CHECK(modelstate::set_fact(f, "Restarting", "false"));
  CHECK_FALSE(modelstate::set_fact(f, "Pid", "4242"));
  CHECK_FALSE(modelstate::set_fact(f, "StartedAt", "2024-01-01T00:00:00Z"));

  CHECK(f.status == "running");
  CHECK(f.exit_code == "3");
  CHECK(f.present ==
        (modelstate::field_status | modelstate::field_exit_code |
         modelstate::field_oom_killed | modelstate::field_restarting));
  CHECK(modelstate::field_name(modelstate::field_exit_code) == "ExitCode");
  CHECK(modelstate::field_name(modelstate::field_oom_killed) == "OOMKilled");
}

TEST_CASE("Owned fact text views the same facts as the original",
          "[classify]") {
  std::string status = "exited";
  std::string code = "1";
  container_facts f;
  CHECK(modelstate::set_fact(f, "Status", status));
  CHECK(modelstate::set_fact(f, "ExitCode", code));

  const modelstate::fact_text copy = modelstate::fact_text::copy(f);
  status = "running";
  code = "0";
  const container_facts view = copy.view();

  CHECK(view.status == "exited");
  CHECK(view.exit_code == "1");
  CHECK(view.present ==
        (modelstate::field_status | modelstate::field_exit_code));
  CHECK(modelstate::classify(view).state == container_state::dead);
}
