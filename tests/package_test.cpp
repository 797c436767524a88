// Tests of modelstate/package.hpp: package states, their spellings, the
// package rules and the package index.
#include "modelstate/package.hpp"

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"

using modelstate::model_state;
using modelstate::package_definition;
using modelstate::package_evaluation;
using modelstate::package_index;
using modelstate::package_problem_kind;
using modelstate::package_rule;
using modelstate::package_spelling;
using modelstate::package_state;

namespace {

constexpr model_state created = model_state::created;
constexpr model_state paused = model_state::paused;
constexpr model_state exited = model_state::exited;
constexpr model_state dead = model_state::dead;
constexpr model_state running = model_state::running;
constexpr std::size_t none = package_evaluation::npos;

// The package state rules are usable at compile time.
constexpr std::array<model_state, 3> mixed{dead, paused, paused};
static_assert(modelstate::evaluate_package(mixed).state ==
                  package_state::degraded,
              "evaluate_package is constexpr");
static_assert(modelstate::evaluate_package(std::array<model_state, 0>{})
                      .state == package_state::idle,
              "an empty package is idle at compile time");
static_assert(modelstate::parse_package_state("PACKAGE_STATE_ERROR").value ==
                  package_state::error,
              "parse_package_state is constexpr");
static_assert(modelstate::to_proto(package_state::running) ==
                  "PACKAGE_STATE_RUNNING",
              "to_proto is constexpr");

struct rule_row {
  std::vector<model_state> models;
  package_state state;
  package_rule rule;
  std::size_t decisive;
};

std::string text_of(const std::vector<model_state>& models) {
  std::string text = "{";
  for (const model_state m : models) {
    text += ' ';
    text += modelstate::to_string(m);
  }
  return text + " }";
}

}  // namespace

TEST_CASE("A package's state follows from its models' states, rule by rule",
          "[package]") {
  const rule_row row = GENERATE(
      rule_row{{}, package_state::idle, package_rule::no_models, none},
      rule_row{{dead}, package_state::error, package_rule::all_dead, 0},
      rule_row{{dead, dead}, package_state::error, package_rule::all_dead, 0},
      rule_row{{running, dead, running},
               package_state::degraded,
               package_rule::some_dead,
               1},
      rule_row{{dead, paused, paused},
               package_state::degraded,
               package_rule::some_dead,
               0},
      rule_row{{created, exited, dead, dead},
               package_state::degraded,
               package_rule::some_dead,
               2},
      rule_row{{paused}, package_state::paused, package_rule::all_paused, 0},
      rule_row{{paused, paused, paused},
               package_state::paused,
               package_rule::all_paused,
               0},
      rule_row{{exited}, package_state::exited, package_rule::all_exited, 0},
      rule_row{
          {exited, exited}, package_state::exited, package_rule::all_exited, 0},
      rule_row{{running}, package_state::running, package_rule::otherwise, 0},
      rule_row{{created}, package_state::running, package_rule::otherwise, 0},
      rule_row{{created, created},
               package_state::running,
               package_rule::otherwise,
               0},
      rule_row{
          {paused, exited}, package_state::running, package_rule::otherwise, 0},
      rule_row{{paused, running},
               package_state::running,
               package_rule::otherwise,
               1},
      rule_row{{exited, paused, created},
               package_state::running,
               package_rule::otherwise,
               2});
  CAPTURE(text_of(row.models));

  const package_evaluation e = modelstate::evaluate_package(row.models);

  CHECK(e.state == row.state);
  CHECK(e.decided_by == row.rule);
  CHECK(e.decisive == row.decisive);
  CHECK(e.counts.total == row.models.size());
}

TEST_CASE("A package counts its models by state", "[package]") {
  const std::vector<model_state> models{running, dead, paused, running,
                                        created};

  const package_evaluation e = modelstate::evaluate_package(models);

  CHECK(e.counts.total == 5);
  CHECK(e.counts[running] == 2);
  CHECK(e.counts[dead] == 1);
  CHECK(e.counts[paused] == 1);
  CHECK(e.counts[created] == 1);
  CHECK(e.counts[exited] == 0);
  CHECK(modelstate::describe(e.counts) ==
        "created(1), paused(1), dead(1), running(2)");
}

TEST_CASE("A model that never reported counts as created", "[package]") {
  SECTION("as an empty optional") {
    const std::vector<std::optional<model_state>> two_silent{std::nullopt,
                                                             std::nullopt};
    const std::vector<std::optional<model_state>> one_dead{dead, std::nullopt};
    const std::vector<std::optional<model_state>> paused_and_silent{
        paused, std::nullopt};

    const package_evaluation silent = modelstate::evaluate_package(two_silent);
    CHECK(silent.state == package_state::running);
    CHECK(silent.counts[created] == 2);
    CHECK(modelstate::evaluate_package(one_dead).state ==
          package_state::degraded);
    CHECK(modelstate::evaluate_package(paused_and_silent).state ==
          package_state::running);
  }

  SECTION("as a null pointer") {
    const model_state exited_state = exited;
    const std::vector<const model_state*> models{&exited_state, nullptr};

    const package_evaluation e = modelstate::evaluate_package(models);

    CHECK(e.state == package_state::running);
    CHECK(e.counts[exited] == 1);
    CHECK(e.counts[created] == 1);
  }

  SECTION("as a number that is no model state") {
    const std::vector<model_state> models{static_cast<model_state>(0),
                                          static_cast<model_state>(200)};

    const package_evaluation e = modelstate::evaluate_package(models);

    CHECK(e.state == package_state::running);
    CHECK(e.counts[created] == 2);
  }
}

TEST_CASE("A package is evaluated from its definition by model name",
          "[package]") {
  const package_definition d{"driver-assist",
                             {"lane-detector", "steering-advisor", "camera"}};
  const std::map<std::string, model_state, std::less<>> stored{
      {"lane-detector", running}, {"steering-advisor", dead}};
  const auto lookup = [&](std::string_view model) {
    const auto it = stored.find(model);
    return it == stored.end() ? std::optional<model_state>()
                              : std::optional<model_state>(it->second);
  };

  const package_evaluation e = modelstate::evaluate_package(d, lookup);

  CHECK(e.state == package_state::degraded);
  CHECK(e.decisive == 1);
  CHECK(e.counts[created] == 1);
  CHECK(modelstate::describe(e, d.models) ==
        "degraded: 1 of 3 models dead (steering-advisor); created(1), "
        "dead(1), running(1)");
}

TEST_CASE("Package states have fixed proto numbers and two spellings",
          "[package][spelling]") {
  struct spelling_row {
    package_state state;
    int number;
    std::string_view proto;
    std::string_view plain;
  };
  const spelling_row row = GENERATE(
      spelling_row{package_state::idle, 1, "PACKAGE_STATE_IDLE", "idle"},
      spelling_row{package_state::paused, 2, "PACKAGE_STATE_PAUSED", "paused"},
      spelling_row{package_state::exited, 3, "PACKAGE_STATE_EXITED", "exited"},
      spelling_row{package_state::degraded, 4, "PACKAGE_STATE_DEGRADED",
                   "degraded"},
      spelling_row{package_state::error, 5, "PACKAGE_STATE_ERROR", "error"},
      spelling_row{package_state::running, 6, "PACKAGE_STATE_RUNNING",
                   "running"});
  CAPTURE(row.plain);

  CHECK(modelstate::to_number(row.state) == row.number);
  CHECK(modelstate::to_proto(row.state) == row.proto);
  CHECK(modelstate::to_string(row.state) == row.plain);
  CHECK(modelstate::to_value(row.state) == row.proto);
  CHECK(modelstate::to_value(row.state, package_spelling::proto) == row.proto);
  CHECK(modelstate::to_value(row.state, package_spelling::plain) == row.plain);

  for (const auto spelling :
       {package_spelling::proto, package_spelling::plain}) {
    const auto back = modelstate::parse_package_state(
        modelstate::to_value(row.state, spelling));
    REQUIRE(back);
    CHECK(back.value == row.state);
  }
}

TEST_CASE("Stored package states are read in any case, around blanks",
          "[package][spelling]") {
  const auto [text, state] = GENERATE(
      std::pair<std::string_view, package_state>{"Running",
                                                 package_state::running},
      std::pair<std::string_view, package_state>{"DEGRADED",
                                                 package_state::degraded},
      std::pair<std::string_view, package_state>{" error\n",
                                                 package_state::error},
      std::pair<std::string_view, package_state>{"package_state_paused",
                                                 package_state::paused},
      std::pair<std::string_view, package_state>{"\tPackage_State_Idle ",
                                                 package_state::idle});
  CAPTURE(text);

  const auto parsed = modelstate::parse_package_state(text);

  REQUIRE(parsed);
  CHECK(parsed.value == state);
}

TEST_CASE("Text that spells no package state is rejected with a reason",
          "[package][spelling]") {
  const auto [text, error] = GENERATE(
      std::pair<std::string_view, modelstate::parse_error>{
          "", modelstate::parse_error::empty},
      std::pair<std::string_view, modelstate::parse_error>{
          " \t ", modelstate::parse_error::empty},
      std::pair<std::string_view, modelstate::parse_error>{
          "PACKAGE_STATE_UNSPECIFIED", modelstate::parse_error::unrecognised},
      std::pair<std::string_view, modelstate::parse_error>{
          "PACKAGE_STATE_", modelstate::parse_error::unrecognised},
      std::pair<std::string_view, modelstate::parse_error>{
          "MODEL_STATE_RUNNING", modelstate::parse_error::unrecognised},
      std::pair<std::string_view, modelstate::parse_error>{
          "runnin", modelstate::parse_error::unrecognised},
      std::pair<std::string_view, modelstate::parse_error>{
          "running!", modelstate::parse_error::unrecognised},
      std::pair<std::string_view, modelstate::parse_error>{
          "6", modelstate::parse_error::unrecognised});
  CAPTURE(text);

  const auto parsed = modelstate::parse_package_state(text);

  CHECK_FALSE(parsed);
  CHECK(parsed.error == error);
}

TEST_CASE("Only error and degraded packages need reconciling", "[package]") {
  CHECK(modelstate::needs_reconcile(package_state::error));
  CHECK(modelstate::needs_reconcile(package_state::degraded));
  CHECK_FALSE(modelstate::needs_reconcile(package_state::idle));
  CHECK_FALSE(modelstate::needs_reconcile(package_state::paused));
  CHECK_FALSE(modelstate::needs_reconcile(package_state::exited));
  CHECK_FALSE(modelstate::needs_reconcile(package_state::running));
}

TEST_CASE("A package state is explained in one line naming a dead model",
          "[package][describe]") {
  const std::vector<std::string> names{"model-a", "model-b", "model-c"};

  SECTION("degraded names the first dead model, by range or by callable") {
    const std::vector<model_state> models{running, dead, paused};
    const auto e = modelstate::evaluate_package(models);
    const auto name_of = [&](std::size_t i) { return names.at(i); };

    const std::string expected =
        "degraded: 1 of 3 models dead (model-b); paused(1), dead(1), "
        "running(1)";
    CHECK(modelstate::describe(e, names) == expected);
    CHECK(modelstate::describe(e, name_of) == expected);
  }

  SECTION("error counts the other dead models") {
    const std::vector<model_state> models{dead, dead, dead};

    const auto e = modelstate::evaluate_package(models);

    CHECK(modelstate::describe(e, names) ==
          "error: 3 of 3 models dead (model-a and 2 others); dead(3)");
    CHECK(modelstate::describe(e) == "error: 3 of 3 models dead; dead(3)");
  }

  SECTION("the other states say what the models are doing") {
    const std::vector<model_state> all_paused{paused, paused};
    const std::vector<model_state> all_exited{exited};
    const std::vector<model_state> mixed_models{paused, exited, created};
    const std::vector<model_state> empty;

    CHECK(modelstate::describe(modelstate::evaluate_package(all_paused),
                               names) == "paused: all 2 models paused");
    CHECK(modelstate::describe(modelstate::evaluate_package(all_exited)) ==
          "exited: all 1 model exited");
    CHECK(modelstate::describe(modelstate::evaluate_package(mixed_models),
                               names) ==
          "running: 3 models; created(1), paused(1), exited(1)");
    CHECK(modelstate::describe(modelstate::evaluate_package(empty), names) ==
          "idle: the package lists no models");
  }

  SECTION("a name that could break the line is quoted and escaped") {
    const std::vector<std::string> odd{"bad\nname"};
    const std::vector<model_state> models{dead};

    const auto e = modelstate::evaluate_package(models);

    CHECK(modelstate::describe(e, odd) ==
          "error: 1 of 1 model dead ('bad\\x0aname'); dead(1)");
  }
}

TEST_CASE("The index finds every package that lists a model",
          "[package][index]") {
  const package_index index({{"driver-assist", {"lane-detector", "steering"}},
                             {"diagnostics", {"lane-detector", "logger"}},
                             {"empty", {}}});

  SECTION("a model listed by two packages is found in both, in order") {
    const auto& found = index.packages_of("lane-detector");

    REQUIRE(found.size() == 2);
    CHECK(found[0]->name == "driver-assist");
    CHECK(found[1]->name == "diagnostics");
  }

  SECTION("a model listed once is found once") {
    const auto& found = index.packages_of("logger");

    REQUIRE(found.size() == 1);
    CHECK(found[0]->name == "diagnostics");
    CHECK(index.contains_model("steering"));
  }

  SECTION("a model no package lists finds nothing") {
    CHECK(index.packages_of("unknown-model").empty());
    CHECK(index.packages_of("").empty());
    CHECK_FALSE(index.contains_model("unknown-model"));
  }

  SECTION("packages are found by name") {
    REQUIRE(index.find("empty") != nullptr);
    CHECK(index.find("empty")->models.empty());
    CHECK(index.find("missing") == nullptr);
    CHECK(index.size() == 3);
    CHECK(index.model_count() == 3);
    CHECK(index.problems().empty());
  }
}

TEST_CASE(
    "A package naming a model that never reported is indexed and "
    "counts that model as created",
    "[package][index]") {
  const package_index index({{"driver-assist", {"lane-detector", "camera"}}});
  const std::map<std::string, model_state, std::less<>> stored{
      {"lane-detector", paused}};
  const auto lookup = [&](std::string_view model) -> const model_state* {
    const auto it = stored.find(model);
    return it == stored.end() ? nullptr : &it->second;
  };

  const auto& found = index.packages_of("camera");
  REQUIRE(found.size() == 1);
  const package_evaluation e = modelstate::evaluate_package(*found[0], lookup);

  CHECK(e.state == package_state::running);
  CHECK(e.counts[paused] == 1);
  CHECK(e.counts[created] == 1);
}

TEST_CASE("The index leaves out packages with invalid or repeated names",
          "[package][index]") {
  const package_index index(
      {{"good", {"m"}}, {"a/b", {"m"}}, {"", {"m"}}, {"good", {"n"}}});

  CHECK(index.size() == 1);
  CHECK(index.find("a/b") == nullptr);
  REQUIRE(index.find("good") != nullptr);
  CHECK(index.find("good")->models == std::vector<std::string>{"m"});
  CHECK_FALSE(index.contains_model("n"));
  CHECK(index.packages_of("m").size() == 1);

  const auto& problems = index.problems();
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].kind == package_problem_kind::invalid_package_name);
  CHECK(problems[0].definition == 1);
  CHECK(problems[0].check.error == modelstate::name_error::slash);
  CHECK(modelstate::describe(problems[0]) ==
        "package 'a/b' (definition 1) not indexed: name contains '/' at "
        "byte 1");
  CHECK(problems[1].kind == package_problem_kind::invalid_package_name);
  CHECK(problems[1].check.error == modelstate::name_error::empty);
  CHECK(problems[2].kind == package_problem_kind::duplicate_package);
  CHECK(problems[2].definition == 3);
  CHECK(problems[2].earlier == 0);
  CHECK(modelstate::describe(problems[2]) ==
        "package 'good' (definition 3) not indexed: same name as "
        "definition 0");
}

TEST_CASE(
    "The index counts a repeated model once and drops invalid model "
    "names",
    "[package][index]") {
  const package_index index(
      {{"p", {"m1", "m2", "m1", "..", "m2", "bad\x01name"}}});

  REQUIRE(index.find("p") != nullptr);
  const package_definition& p = *index.find("p");
  CHECK(p.models == std::vector<std::string>{"m1", "m2"});
  CHECK(index.model_count() == 2);
  CHECK(index.packages_of("m1").size() == 1);
  CHECK_FALSE(index.contains_model(".."));

  const auto lookup = [](std::string_view model) {
    return model == "m1" ? dead : running;
  };
  const package_evaluation e = modelstate::evaluate_package(p, lookup);
  CHECK(e.state == package_state::degraded);
  CHECK(modelstate::describe(e, p.models) ==
        "degraded: 1 of 2 models dead (m1); dead(1), running(1)");

  const auto& problems = index.problems();
  REQUIRE(problems.size() == 4);
  CHECK(problems[0].kind == package_problem_kind::duplicate_model);
  CHECK(problems[0].model == 2);
  CHECK(problems[0].earlier == 0);
  CHECK(modelstate::describe(problems[0]) ==
        "package 'p' model 2 ('m1') counted once: already listed as model 0");
  CHECK(problems[1].kind == package_problem_kind::invalid_model_name);
  CHECK(problems[1].model == 3);
  CHECK(problems[2].kind == package_problem_kind::duplicate_model);
  CHECK(problems[2].earlier == 1);
  CHECK(problems[3].kind == package_problem_kind::invalid_model_name);
  CHECK(modelstate::describe(problems[3]) ==
        "package 'p' model 5 ('bad\\x01name') left out: name contains a "
        "control character at byte 3");
}

TEST_CASE("A copied or moved index answers on its own", "[package][index]") {
  std::optional<package_index> original(package_index(
      {{"a-package-with-a-long-name", {"a-model-with-a-long-name", "m"}},
       {"s", {"m"}}}));

  package_index copy(*original);
  package_index assigned;
  assigned = copy;
  package_index moved(std::move(*original));
  original.reset();

  for (const package_index* index : {&copy, &assigned, &moved}) {
    const auto& found = index->packages_of("m");
    REQUIRE(found.size() == 2);
    CHECK(found[0]->name == "a-package-with-a-long-name");
    CHECK(found[1]->name == "s");
    CHECK(found[0] == index->find("a-package-with-a-long-name"));
    CHECK(index->packages_of("a-model-with-a-long-name").size() == 1);
  }
}
