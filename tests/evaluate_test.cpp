// Tests for modelstate/evaluate.hpp: a model's state from its containers'
// states, how it was decided, and that order does not matter.
#include "modelstate/evaluate.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "support.hpp"

namespace {

using modelstate::classification;
using modelstate::container_facts;
using modelstate::container_info;
using modelstate::container_state;
using modelstate::model_evaluation;
using modelstate::model_phase;
using modelstate::model_state;
using modelstate::rule;

using state_map = std::map<std::string, std::string, std::less<>>;

using modelstate_test::contains;

container_info container(std::string id, state_map state) {
  container_info c;
  c.id = std::move(id);
  c.state = std::move(state);
  c.annotation = {{"pullpiri.model", "model"}};
  return c;
}

std::vector<container_info> containers(const std::vector<state_map>& states) {
  std::vector<container_info> out;
  for (const auto& s : states) {
    std::string id = "c";
    id += std::to_string(out.size());
    out.push_back(container(std::move(id), s));
  }
  return out;
}

// The containers of the scenarios, written out as a NodeAgent reports them.
const state_map running{{"Status", "running"},
                        {"Running", "true"},
                        {"Paused", "false"},
                        {"Dead", "false"}};
const state_map paused{{"Status", "paused"},
                       {"Running", "false"},
                       {"Paused", "true"},
                       {"Dead", "false"}};
const state_map dead{{"Status", "dead"},
                     {"Running", "false"},
                     {"Paused", "false"},
                     {"Dead", "true"}};
const state_map exited{{"Status", "exited"},
                       {"Running", "false"},
                       {"Paused", "false"},
                       {"Dead", "false"}};

state_map exited_with(std::string code) {
  state_map s = exited;
  s["ExitCode"] = std::move(code);
  return s;
}

// The counts a list of container states should give, by hand.
modelstate::state_counts count(std::initializer_list<container_state> states) {
  modelstate::state_counts c;
  for (auto s : states) {
    ++c.by_state[static_cast<std::size_t>(s)];
    ++c.total;
  }
  return c;
}

bool same_counts(const modelstate::state_counts& a,
                 const modelstate::state_counts& b) {
  return a.total == b.total &&
         std::equal(std::begin(a.by_state), std::end(a.by_state),
                    std::begin(b.by_state));
}

constexpr container_facts facts(std::string_view status,
                                std::string_view exit_code = {}) {
  container_facts f;
  modelstate::set_fact(f, "Status", status);
  if (!exit_code.empty()) {
    modelstate::set_fact(f, "ExitCode", exit_code);
  }
  return f;
}

// Evaluation works at compile time over an array of facts.
constexpr std::array<container_facts, 3> compile_time_model{
    facts("running"), facts("exited", "0"), facts("exited", "137")};
static_assert(modelstate::evaluate(compile_time_model).state ==
              model_state::dead);
static_assert(modelstate::evaluate(compile_time_model).decisive == 2);
static_assert(modelstate::evaluate(compile_time_model).counts.total == 3);
static_assert(modelstate::evaluate(std::array<container_facts, 2>{
                                       facts("paused"), facts("PAUSED")})
                  .state == model_state::paused);
static_assert(modelstate::evaluate(std::array<container_facts, 0>{}).state ==
              model_state::created);
static_assert(modelstate::decide(modelstate::state_counts{}) ==
              rule::no_containers);

}  // namespace

TEST_CASE("Scenario 1: two running containers make a Running model",
          "[evaluate]") {
  const auto e = modelstate::evaluate(containers({running, running}));

  CHECK(e.state == model_state::running);
  CHECK(e.decided_by == rule::otherwise);
  CHECK(modelstate::to_value(e.state, modelstate::value_spelling::phase) ==
        "MODEL_STATE_RUNNING");
}

TEST_CASE(
    "Scenario 2: two paused containers make a Paused model, stored as "
    "MODEL_STATE_UNKNOWN",
    "[evaluate]") {
  const auto e = modelstate::evaluate(containers({paused, paused}));

  CHECK(e.state == model_state::paused);
  CHECK(e.decided_by == rule::all_paused);
  CHECK(modelstate::to_value(e.state, modelstate::value_spelling::phase) ==
        "MODEL_STATE_UNKNOWN");
}

TEST_CASE(
    "Scenario 3: a running and a dead container make a Dead model, stored as "
    "MODEL_STATE_FAILED",
    "[evaluate]") {
  const auto e = modelstate::evaluate(containers({running, dead}));

  CHECK(e.state == model_state::dead);
  CHECK(e.decided_by == rule::any_dead);
  CHECK(e.decisive == 1);
  CHECK(modelstate::to_value(e.state, modelstate::value_spelling::phase) ==
        "MODEL_STATE_FAILED");
}

TEST_CASE(
    "Scenario 4: two exited containers without exit codes make an Exited "
    "model, stored as MODEL_STATE_SUCCEEDED",
    "[evaluate]") {
  const auto e = modelstate::evaluate(containers({exited, exited}));

  CHECK(e.state == model_state::exited);
  CHECK(e.decided_by == rule::all_exited);
  CHECK(modelstate::to_value(e.state, modelstate::value_spelling::phase) ==
        "MODEL_STATE_SUCCEEDED");
}

TEST_CASE("A model with no containers is created", "[evaluate]") {
  const auto e = modelstate::evaluate(std::vector<container_info>{});

  CHECK(e.state == model_state::created);
  CHECK(e.decided_by == rule::no_containers);
  CHECK(e.decisive == model_evaluation::npos);
  CHECK(e.counts.total == 0);
  CHECK(modelstate::to_phase(e.state) == model_phase::pending);
}

struct model_row {
  std::string_view what;
  std::vector<state_map> states;
  model_state expected;
};

TEST_CASE("The model rules decide the edge cases", "[evaluate]") {
  const auto row = GENERATE(values<model_row>({
      {"running + exited(0)",
       {running, exited_with("0")},
       model_state::running},
      {"running + exited(1)", {running, exited_with("1")}, model_state::dead},
      {"paused + running", {paused, running}, model_state::running},
      {"paused + exited(0)", {paused, exited_with("0")}, model_state::running},
      {"exited 137 with OOMKilled",
       {{{"Status", "exited"}, {"ExitCode", "137"}, {"OOMKilled", "true"}}},
       model_state::dead},
      {"Dead flag with Status exited",
       {{{"Status", "exited"}, {"Dead", "true"}, {"ExitCode", "0"}}},
       model_state::dead},
      {"Running flag with Status exited",
       {{{"Status", "exited"}, {"Running", "true"}}},
       model_state::exited},
      {"upper-case RUNNING",
       {{{"Status", "RUNNING"}}, {{"Status", "RUNNING"}}},
       model_state::running},
      {"capitalised Exited",
       {{{"Status", "Exited"}}, {{"Status", "Exited"}, {"ExitCode", "0"}}},
       model_state::exited},
      {"empty and missing Status with the Paused flag",
       {{{"Status", ""}, {"Paused", "true"}}, {{"Paused", "true"}}},
       model_state::paused},
      {"empty Status with the Running flag and an exited container",
       {{{"Status", ""}, {"Running", "true"}}, exited},
       model_state::running},
      {"missing Status and no flags", {{}, {}}, model_state::running},
      {"unknown Status", {{{"Status", "foo"}}, exited}, model_state::running},
      {"created only", {{{"Status", "created"}}}, model_state::running},
      {"stopped only, code 0",
       {{{"Status", "stopped"}, {"ExitCode", "0"}},
        {{"Status", "stopped"}, {"ExitCode", "0"}}},
       model_state::exited},
      {"stopped with code 1",
       {{{"Status", "stopped"}, {"ExitCode", "1"}}},
       model_state::dead},
      {"one paused container", {paused}, model_state::paused},
      {"dead beats all paused", {paused, paused, dead}, model_state::dead},
  }));
  CAPTURE(row.what);

  CHECK(modelstate::evaluate(containers(row.states)).state == row.expected);
}

TEST_CASE(
    "A container with an unknown Status counts as unknown in a running model",
    "[evaluate]") {
  const auto e =
      modelstate::evaluate(containers({{{"Status", "foo"}}, running}));

  CHECK(e.state == model_state::running);
  CHECK(same_counts(
      e.counts, count({container_state::unknown, container_state::running})));
}

TEST_CASE(
    "The evaluation counts containers per state and names the deciding rule",
    "[evaluate]") {
  const auto e = modelstate::evaluate(containers({running,
                                                  exited_with("0"),
                                                  paused,
                                                  {{"Status", "created"}},
                                                  {{"Status", "initialized"}},
                                                  {{"Status", "foo"}},
                                                  running}));

  CHECK(e.state == model_state::running);
  CHECK(e.decided_by == rule::otherwise);
  CHECK(same_counts(
      e.counts, count({container_state::running, container_state::exited,
                       container_state::paused, container_state::created,
                       container_state::initialized, container_state::unknown,
                       container_state::running})));
  CHECK(e.counts[container_state::running] == 2);
  CHECK(e.counts[container_state::dead] == 0);
  REQUIRE(e.decisive < 7);
  CHECK(e.decisive_class.state != container_state::paused);
  CHECK(e.decisive_class.state != container_state::exited);
}

TEST_CASE("A dead model's decisive container is the first dead one",
          "[evaluate]") {
  const auto e = modelstate::evaluate(containers(
      {running, exited_with("0"), exited_with("2"), dead, exited_with("9")}));

  CHECK(e.state == model_state::dead);
  CHECK(e.decided_by == rule::any_dead);
  CHECK(e.decisive == 2);
  CHECK(e.decisive_class.state == container_state::dead);
  CHECK(e.decisive_class.exit_code == 2);
  CHECK(e.counts[container_state::dead] == 3);
  CHECK(e.counts[container_state::exited] == 1);
  CHECK(e.counts.total == 5);
}

TEST_CASE("The explanation of a dead model names the container and the cause",
          "[evaluate]") {
  const auto records = containers(
      {running,
       {{"Status", "exited"}, {"ExitCode", "137"}, {"OOMKilled", "true"}}});
  const auto e = modelstate::evaluate(records);

  REQUIRE(e.decisive == 1);
  const std::string text = modelstate::describe(e, records[e.decisive].id);

  CHECK_THAT(text, contains("Dead"));
  CHECK_THAT(text, contains("c1"));
  CHECK_THAT(text, contains("exited with code 137"));
  CHECK_THAT(text, contains("OOMKilled"));
  CHECK_THAT(text, contains("running(1)"));
  CHECK_THAT(text, contains("dead(1)"));
}

TEST_CASE("Rules have distinct names and give the specified model states",
          "[evaluate]") {
  CHECK(modelstate::state_of(rule::no_containers) == model_state::created);
  CHECK(modelstate::state_of(rule::any_dead) == model_state::dead);
  CHECK(modelstate::state_of(rule::all_paused) == model_state::paused);
  CHECK(modelstate::state_of(rule::all_exited) == model_state::exited);
  CHECK(modelstate::state_of(rule::otherwise) == model_state::running);

  const std::string_view names[] = {modelstate::to_string(rule::no_containers),
                                    modelstate::to_string(rule::any_dead),
                                    modelstate::to_string(rule::all_paused),
                                    modelstate::to_string(rule::all_exited),
                                    modelstate::to_string(rule::otherwise)};
  for (std::size_t i = 0; i < 5; ++i) {
    for (std::size_t j = i + 1; j < 5; ++j) {
      CHECK(names[i] != names[j]);
    }
  }
}

TEST_CASE("The policy reaches every container of the model", "[evaluate]") {
  const auto records = containers({exited_with("1"), exited_with("143")});

  modelstate::policy no_exit_codes;
  no_exit_codes.exit_code_rule = false;
  modelstate::policy with_143;
  CHECK(with_143.add_success_code(143));
  CHECK(with_143.add_success_code(1));
  const auto flags_only =
      modelstate::make_policy(modelstate::profile::flags_only);

  CHECK(modelstate::evaluate(records).state == model_state::dead);
  CHECK(modelstate::evaluate(records, no_exit_codes).state ==
        model_state::exited);
  CHECK(modelstate::evaluate(records, with_143).state == model_state::exited);
  CHECK(modelstate::evaluate(records, flags_only).state == model_state::exited);
}

TEST_CASE("Records, facts, classifications and pointers to them evaluate alike",
          "[evaluate]") {
  const auto records = containers({running, exited_with("3"), paused});
  std::vector<container_facts> facts;
  std::vector<classification> classes;
  std::vector<const container_info*> pointers;
  for (const auto& r : records) {
    facts.push_back(modelstate::facts_of(r));
    classes.push_back(modelstate::classify(facts.back()));
    pointers.push_back(&r);
  }

  const auto expected = modelstate::evaluate(records);
  const model_evaluation others[] = {modelstate::evaluate(facts),
                                     modelstate::evaluate(classes),
                                     modelstate::evaluate(pointers)};

  CHECK(expected.state == model_state::dead);
  CHECK(expected.decisive == 1);
  for (const auto& e : others) {
    CHECK(e.state == expected.state);
    CHECK(e.decided_by == expected.decided_by);
    CHECK(e.decisive == expected.decisive);
    CHECK(same_counts(e.counts, expected.counts));
  }
}

namespace {

// The pool the property tests draw containers from: every rule's inputs.
constexpr container_facts fact_pool[] = {
    facts("running"),
    facts("paused"),
    facts("exited"),
    facts("exited", "0"),
    facts("exited", "1"),
    facts("dead"),
    facts("created"),
    facts("stopped", "0"),
    facts("foo"),
    facts("RESTARTING"),
    facts("initialized"),
    facts("removing", "137"),
    facts(""),
};
constexpr std::size_t pool_size = sizeof(fact_pool) / sizeof(fact_pool[0]);

void check_same(const model_evaluation& a, const model_evaluation& b) {
  CHECK(a.state == b.state);
  CHECK(a.decided_by == b.decided_by);
  CHECK(same_counts(a.counts, b.counts));
}

}  // namespace

TEST_CASE(
    "The model state and counts do not depend on the order of the "
    "containers (random models, fixed seed)",
    "[evaluate][property]") {
  std::mt19937 rng(20240611U);

  for (int model = 0; model < 300; ++model) {
    const std::size_t size = rng() % 9;
    std::vector<container_facts> containers_of_model;
    for (std::size_t i = 0; i < size; ++i) {
      containers_of_model.push_back(fact_pool[rng() % pool_size]);
    }
    CAPTURE(model, size);

    const model_evaluation reference =
        modelstate::evaluate(containers_of_model);
    if (reference.state == model_state::dead) {
      REQUIRE(reference.decisive < size);
      CHECK(
          modelstate::classify(containers_of_model[reference.decisive]).state ==
          container_state::dead);
    }

    for (int shuffle = 0; shuffle < 10; ++shuffle) {
      std::shuffle(containers_of_model.begin(), containers_of_model.end(), rng);
      check_same(modelstate::evaluate(containers_of_model), reference);
    }
  }
}

TEST_CASE(
    "The model state and counts are the same for every permutation of a "
    "small model",
    "[evaluate][property]") {
  std::mt19937 rng(7U);

  for (int model = 0; model < 40; ++model) {
    std::vector<std::size_t> picks(1 + rng() % 5);
    for (auto& p : picks) {
      p = rng() % pool_size;
    }
    std::sort(picks.begin(), picks.end());
    CAPTURE(model, picks);

    std::vector<container_facts> containers_of_model;
    for (std::size_t p : picks) {
      containers_of_model.push_back(fact_pool[p]);
    }
    const model_evaluation reference =
        modelstate::evaluate(containers_of_model);

    while (std::next_permutation(picks.begin(), picks.end())) {
      for (std::size_t i = 0; i < picks.size(); ++i) {
        containers_of_model[i] = fact_pool[picks[i]];
      }
      check_same(modelstate::evaluate(containers_of_model), reference);
    }
  }
}

TEST_CASE("Counts describe themselves in container-state order", "[evaluate]") {
  CHECK(modelstate::describe(modelstate::state_counts{}) == "no containers");

  const auto c = count(
      {container_state::dead, container_state::running, container_state::dead});
  CHECK(modelstate::describe(c) == "running(1), dead(2)");
}
