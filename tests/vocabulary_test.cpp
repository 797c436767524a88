// Tests for modelstate/vocabulary.hpp: the container and model state
// vocabularies, their numbers, the three value spellings and parsing.
#include "modelstate/vocabulary.hpp"

#include <string>
#include <string_view>

#include "catch.hpp"

namespace {

using modelstate::container_state;
using modelstate::model_phase;
using modelstate::model_state;
using modelstate::parse_error;
using modelstate::value_spelling;

// One row of the vocabulary table: a model state, its phase and its three
// stored spellings, written out from the specification.
struct spelling_row {
  model_state state;
  model_phase phase;
  std::string_view phase_name;
  std::string_view lifecycle_proto_name;
  std::string_view lifecycle_name;
};

constexpr spelling_row spelling_table[] = {
    {model_state::created, model_phase::pending, "MODEL_STATE_PENDING",
     "MODEL_STATE_CREATED", "Created"},
    {model_state::paused, model_phase::unknown, "MODEL_STATE_UNKNOWN",
     "MODEL_STATE_PAUSED", "Paused"},
    {model_state::exited, model_phase::succeeded, "MODEL_STATE_SUCCEEDED",
     "MODEL_STATE_EXITED", "Exited"},
    {model_state::dead, model_phase::failed, "MODEL_STATE_FAILED",
     "MODEL_STATE_DEAD", "Dead"},
    {model_state::running, model_phase::running, "MODEL_STATE_RUNNING",
     "MODEL_STATE_RUNNING", "Running"},
};

// Spells text in lower case, for the case-insensitivity checks.
std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// Alternates the case of every letter, e.g. "mOdEl_sTaTe_rUnNiNg".
std::string mixed(std::string_view text) {
  std::string out = lower(text);
  for (std::size_t i = 1; i < out.size(); i += 2) {
    if (out[i] >= 'a' && out[i] <= 'z') {
      out[i] = static_cast<char>(out[i] - 'a' + 'A');
    }
  }
  return out;
}

// The vocabulary is usable at compile time.
static_assert(modelstate::to_number(model_state::created) == 1);
static_assert(modelstate::to_number(model_state::paused) == 2);
static_assert(modelstate::to_number(model_state::exited) == 3);
static_assert(modelstate::to_number(model_state::dead) == 4);
static_assert(modelstate::to_number(model_state::running) == 5);
static_assert(modelstate::to_phase(model_state::exited) ==
              model_phase::succeeded);
static_assert(modelstate::to_value(model_state::dead, value_spelling::phase) ==
              "MODEL_STATE_FAILED");
static_assert(modelstate::parse_model_state(" model_state_succeeded ").value ==
              model_state::exited);
static_assert(modelstate::parse_model_state("Exited").value ==
              model_state::exited);
static_assert(modelstate::parse_model_state("bogus").error ==
              parse_error::unrecognised);
static_assert(!modelstate::parse_model_state(""));
static_assert(modelstate::parse_container_state("PAUSED").value ==
              container_state::paused);
static_assert(modelstate::parse_model_phase("MODEL_STATE_CRASH_LOOP_BACK_OFF")
                  .value == model_phase::crash_loop_back_off);
static_assert(modelstate::to_string(container_state::initialized) ==
              "initialized");

}  // namespace

TEST_CASE("There are seven container states, named in lower case",
          "[vocabulary]") {
  CHECK(modelstate::container_state_count == 7);

  const auto [state, name] = GENERATE(table<container_state, std::string_view>(
      {{container_state::created, "created"},
       {container_state::initialized, "initialized"},
       {container_state::running, "running"},
       {container_state::paused, "paused"},
       {container_state::exited, "exited"},
       {container_state::dead, "dead"},
       {container_state::unknown, "unknown"}}));
  CAPTURE(name);

  CHECK(modelstate::to_string(state) == name);

  const auto parsed = modelstate::parse_container_state(name);
  REQUIRE(parsed);
  CHECK(parsed.value == state);
  CHECK(modelstate::parse_container_state(mixed(name)).value == state);
}

TEST_CASE("Model states carry the lifecycle proto numbers 1 to 5",
          "[vocabulary]") {
  CHECK(static_cast<int>(model_state::created) == 1);
  CHECK(static_cast<int>(model_state::paused) == 2);
  CHECK(static_cast<int>(model_state::exited) == 3);
  CHECK(static_cast<int>(model_state::dead) == 4);
  CHECK(static_cast<int>(model_state::running) == 5);
}

TEST_CASE("Phases carry the phase proto numbers 0 to 7", "[vocabulary]") {
  const auto [phase, number, name] =
      GENERATE(table<model_phase, int, std::string_view>(
          {{model_phase::unspecified, 0, "MODEL_STATE_UNSPECIFIED"},
           {model_phase::pending, 1, "MODEL_STATE_PENDING"},
           {model_phase::running, 2, "MODEL_STATE_RUNNING"},
           {model_phase::succeeded, 3, "MODEL_STATE_SUCCEEDED"},
           {model_phase::failed, 4, "MODEL_STATE_FAILED"},
           {model_phase::unknown, 5, "MODEL_STATE_UNKNOWN"},
           {model_phase::container_creating, 6,
            "MODEL_STATE_CONTAINER_CREATING"},
           {model_phase::crash_loop_back_off, 7,
            "MODEL_STATE_CRASH_LOOP_BACK_OFF"}}));
  CAPTURE(name);

  CHECK(modelstate::to_number(phase) == number);
  CHECK(modelstate::to_string(phase) == name);

  const auto parsed = modelstate::parse_model_phase(lower(name));
  REQUIRE(parsed);
  CHECK(parsed.value == phase);
}

TEST_CASE(
    "Created maps to PENDING, Paused to UNKNOWN, Exited to SUCCEEDED, Dead to "
    "FAILED and Running to RUNNING, both ways",
    "[vocabulary]") {
  for (const auto& row : spelling_table) {
    CAPTURE(row.lifecycle_name);

    CHECK(modelstate::to_phase(row.state) == row.phase);

    const auto back = modelstate::to_model_state(row.phase);
    REQUIRE(back);
    CHECK(back.value == row.state);
  }
}

TEST_CASE("Phases that no model state produces map back to no model state",
          "[vocabulary]") {
  const auto phase =
      GENERATE(model_phase::unspecified, model_phase::container_creating,
               model_phase::crash_loop_back_off);
  CAPTURE(modelstate::to_number(phase));

  const auto back = modelstate::to_model_state(phase);
  CHECK_FALSE(back);
  CHECK(back.error == parse_error::no_model_state);
}

TEST_CASE(
    "Each model state has a phase spelling (the default), a lifecycle proto "
    "spelling and a lifecycle spelling",
    "[vocabulary]") {
  for (const auto& row : spelling_table) {
    CAPTURE(row.lifecycle_name);

    CHECK(modelstate::to_value(row.state, value_spelling::phase) ==
          row.phase_name);
    CHECK(modelstate::to_value(row.state, value_spelling::lifecycle_proto) ==
          row.lifecycle_proto_name);
    CHECK(modelstate::to_value(row.state, value_spelling::lifecycle) ==
          row.lifecycle_name);
    CHECK(modelstate::to_string(row.state) == row.lifecycle_name);
    CHECK(modelstate::to_lifecycle_proto(row.state) ==
          row.lifecycle_proto_name);
  }

  CHECK(modelstate::to_value(model_state::exited, value_spelling{}) ==
        "MODEL_STATE_SUCCEEDED");
}

TEST_CASE(
    "Every model state survives a round trip through every spelling, in any "
    "case and with surrounding blanks",
    "[vocabulary]") {
  const auto spelling =
      GENERATE(value_spelling::phase, value_spelling::lifecycle_proto,
               value_spelling::lifecycle);
  const auto state =
      GENERATE(model_state::created, model_state::paused, model_state::exited,
               model_state::dead, model_state::running);
  const std::string text(modelstate::to_value(state, spelling));
  const auto variant = GENERATE(0, 1, 2, 3);
  std::string input;
  switch (variant) {
    case 0:
      input = text;
      break;
    case 1:
      input = lower(text);
      break;
    case 2:
      input = mixed(text);
      break;
    default:
      input = " \t" + text + " \r\n";
      break;
  }
  CAPTURE(input);

  const auto parsed = modelstate::parse_model_state(input);
  REQUIRE(parsed);
  CHECK(parsed.error == parse_error::none);
  CHECK(parsed.value == state);
}

TEST_CASE(
    "The three spellings of an exited model all parse to exited: "
    "MODEL_STATE_SUCCEEDED, MODEL_STATE_EXITED and Exited",
    "[vocabulary]") {
  const auto text =
      GENERATE(as<std::string_view>{}, "MODEL_STATE_SUCCEEDED",
               "MODEL_STATE_EXITED", "Exited", "exited", "EXITED");
  CAPTURE(text);

  const auto parsed = modelstate::parse_model_state(text);
  REQUIRE(parsed);
  CHECK(parsed.value == model_state::exited);
}

TEST_CASE("An empty or blank value is an error, never a default state",
          "[vocabulary]") {
  const auto text = GENERATE(as<std::string_view>{}, "", "  ", "\t\r\n");
  CAPTURE(text);

  const auto parsed = modelstate::parse_model_state(text);
  CHECK_FALSE(parsed);
  CHECK(parsed.error == parse_error::empty);
  CHECK(modelstate::parse_container_state(text).error == parse_error::empty);
  CHECK(modelstate::parse_model_phase(text).error == parse_error::empty);
}

TEST_CASE("A value that spells no state is an error, never a default state",
          "[vocabulary]") {
  const auto text =
      GENERATE(as<std::string_view>{}, "RUNNING_", "MODEL_STATE_", "Runnin",
               "MODEL_STATE_RUN NING", "Running.", "1", "5",
               "MODEL_STATE_RUNNINGX", "X_MODEL_STATE_RUNNING");
  CAPTURE(text);

  const auto parsed = modelstate::parse_model_state(text);
  CHECK_FALSE(parsed);
  CHECK(parsed.error == parse_error::unrecognised);
}

TEST_CASE(
    "A phase with no model state (UNSPECIFIED, CONTAINER_CREATING, "
    "CRASH_LOOP_BACK_OFF) is an error when read as a model state",
    "[vocabulary]") {
  const auto text = GENERATE(as<std::string_view>{}, "MODEL_STATE_UNSPECIFIED",
                             "MODEL_STATE_CONTAINER_CREATING",
                             "MODEL_STATE_CRASH_LOOP_BACK_OFF",
                             "model_state_crash_loop_back_off");
  CAPTURE(text);

  const auto parsed = modelstate::parse_model_state(text);
  CHECK_FALSE(parsed);
  CHECK(parsed.error == parse_error::no_model_state);
}

TEST_CASE("A container state name parses with blanks and in any case",
          "[vocabulary]") {
  CHECK(modelstate::parse_container_state(" Running ").value ==
        container_state::running);
  CHECK(modelstate::parse_container_state("EXITED").value ==
        container_state::exited);
  CHECK(modelstate::parse_container_state("stopped").error ==
        parse_error::unrecognised);
}

TEST_CASE("Every parse error has a distinct description", "[vocabulary]") {
  const std::string_view descriptions[] = {
      modelstate::to_string(parse_error::none),
      modelstate::to_string(parse_error::empty),
      modelstate::to_string(parse_error::unrecognised),
      modelstate::to_string(parse_error::no_model_state)};

  for (std::size_t i = 0; i < 4; ++i) {
    CHECK_FALSE(descriptions[i].empty());
    for (std::size_t j = i + 1; j < 4; ++j) {
      CHECK(descriptions[i] != descriptions[j]);
    }
  }
}
