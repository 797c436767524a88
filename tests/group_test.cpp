// Tests for modelstate/group.hpp: containers grouped into models by an
// annotation.
#include "modelstate/group.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "modelstate/evaluate.hpp"

namespace {

using modelstate::container_info;
using modelstate::grouping;
using modelstate::model_state;
using positions = std::vector<std::size_t>;

container_info in_model(std::string id, std::string model,
                        std::string key = "pullpiri.model") {
  container_info c;
  c.id = std::move(id);
  c.state = {{"Status", "running"}};
  c.annotation = {{std::move(key), std::move(model)}};
  return c;
}

container_info alone(std::string id) {
  container_info c;
  c.id = std::move(id);
  c.state = {{"Status", "running"}};
  c.annotation = {{"io.podman.annotations.autoremove", "TRUE"}};
  return c;
}

std::vector<std::string_view> names(const grouping& g) {
  std::vector<std::string_view> out;
  for (const auto& m : g.models) {
    out.push_back(m.name);
  }
  return out;
}

}  // namespace

TEST_CASE(
    "Containers are grouped by their pullpiri.model annotation in "
    "first-seen order",
    "[group]") {
  const std::vector<container_info> containers{
      in_model("1", "beta"), in_model("2", "alpha"), alone("3"),
      in_model("4", "beta"), in_model("5", "gamma"), in_model("6", "alpha"),
      in_model("7", "beta")};

  const grouping g = modelstate::group_by_model(containers);

  REQUIRE(names(g) == std::vector<std::string_view>{"beta", "alpha", "gamma"});
  CHECK(g.models[0].containers == positions{0, 3, 6});
  CHECK(g.models[1].containers == positions{1, 5});
  CHECK(g.models[2].containers == positions{4});
  CHECK(g.unassociated == positions{2});
  for (const auto& m : g.models) {
    CHECK_FALSE(m.expected);
  }
}

TEST_CASE("Containers without the annotation are kept apart as unassociated",
          "[group]") {
  const std::vector<container_info> containers{
      alone("1"), in_model("2", "m", "other.model"), alone("3")};

  const grouping g = modelstate::group_by_model(containers);

  CHECK(g.models.empty());
  CHECK(g.unassociated == positions{0, 1, 2});
}

TEST_CASE("The annotation that names the model is configurable", "[group]") {
  const std::vector<container_info> containers{
      in_model("1", "m1", "example.com/app"), in_model("2", "m2"),
      in_model("3", "m1", "example.com/app")};

  const grouping g = modelstate::group_by_model(containers, "example.com/app");

  REQUIRE(names(g) == std::vector<std::string_view>{"m1"});
  CHECK(g.models[0].containers == positions{0, 2});
  CHECK(g.unassociated == positions{1});
}

TEST_CASE("An empty report has no models and no unassociated containers",
          "[group]") {
  const grouping g = modelstate::group_by_model(std::vector<container_info>{});

  CHECK(g.models.empty());
  CHECK(g.unassociated.empty());
}

TEST_CASE(
    "Expected models without containers are appended in the given order and "
    "evaluate to created",
    "[group]") {
  const std::vector<container_info> containers{in_model("1", "seen"),
                                               alone("2")};
  const std::vector<std::string> expected{"later", "seen", "earlier"};

  const grouping g = modelstate::group_by_model(
      containers, modelstate::default_model_annotation, expected);

  REQUIRE(names(g) ==
          std::vector<std::string_view>{"seen", "later", "earlier"});
  CHECK(g.models[0].expected);
  CHECK(g.models[0].containers == positions{0});
  CHECK(g.models[1].expected);
  CHECK(g.models[1].containers.empty());
  CHECK(g.models[2].expected);
  CHECK(g.models[2].containers.empty());
  CHECK(g.unassociated == positions{1});

  for (const auto& m : g.models) {
    std::vector<const container_info*> members;
    for (std::size_t i : m.containers) {
      members.push_back(&containers[i]);
    }
    CAPTURE(m.name);
    CHECK(modelstate::evaluate(members).state ==
          (m.containers.empty() ? model_state::created : model_state::running));
  }
}

TEST_CASE("An expected model named twice appears once", "[group]") {
  const std::array<std::string_view, 3> expected{"x", "y", "x"};

  const grouping g = modelstate::group_by_model(
      std::vector<container_info>{}, modelstate::default_model_annotation,
      expected);

  CHECK(names(g) == std::vector<std::string_view>{"x", "y"});
}

TEST_CASE("Model names view the records' own annotation text", "[group]") {
  const std::vector<container_info> containers{in_model("1", "viewed")};

  const grouping g = modelstate::group_by_model(containers);

  REQUIRE(g.models.size() == 1);
  CHECK(g.models[0].name.data() ==
        containers[0].annotation.find("pullpiri.model")->second.data());
}
