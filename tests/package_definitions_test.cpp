// Tests of modelstate/package_json.hpp and modelstate/package_yaml.hpp:
// package definitions read from Pullpiri artifacts.
#include <cstddef>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "modelstate/package.hpp"

#if MODELSTATE_TEST_JSON
#include "modelstate/package_json.hpp"
#endif
#if MODELSTATE_TEST_YAML
#include "modelstate/package_yaml.hpp"
#endif

using modelstate::decoded_packages;
using modelstate::definition_error;
using modelstate::package_definition;

namespace {

std::string read_data(const std::string& file) {
  std::ifstream in(std::string(MODELSTATE_PACKAGE_DATA) + "/" + file);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The packages of tests/data/packages/artifact.{json,yaml}, written out by
// hand.
const std::vector<package_definition> artifact_packages{
    {"driver-assist", {"lane-detector", "steering-advisor"}},
    {"diagnostics", {"lane-detector", "log-collector"}}};

}  // namespace

#if MODELSTATE_TEST_JSON

TEST_CASE("A JSON artifact gives the definitions of its Package documents",
          "[package][json]") {
  const decoded_packages read =
      modelstate::read_packages_json(read_data("artifact.json"));

  CHECK(read.ok());
  CHECK(read.documents == 5);
  CHECK(read.packages == artifact_packages);
}

TEST_CASE("A single JSON object is one artifact document", "[package][json]") {
  const decoded_packages read = modelstate::read_packages_json(R"({
    "kind": "Package",
    "metadata": {"name": "solo"},
    "spec": {"models": [{"name": "only-model"}]}
  })");

  CHECK(read.ok());
  CHECK(read.documents == 1);
  CHECK(read.packages ==
        std::vector<package_definition>{{"solo", {"only-model"}}});
}

TEST_CASE("A JSON Package with no models is an empty definition",
          "[package][json]") {
  const decoded_packages read = modelstate::read_packages_json(
      R"({"kind": "Package", "metadata": {"name": "p"},
          "spec": {"models": []}})");

  CHECK(read.ok());
  CHECK(read.packages == std::vector<package_definition>{{"p", {}}});
}

TEST_CASE("Documents of other kinds or without a kind are skipped",
          "[package][json]") {
  const decoded_packages read = modelstate::read_packages_json(R"([
    {"kind": "Scenario", "metadata": {"name": "s"}},
    {"kind": "package", "metadata": {"name": "lower-case-kind"},
     "spec": {"models": []}},
    {"metadata": {"name": "no-kind"}},
    {"kind": "Model", "metadata": {"name": "m"}}
  ])");

  CHECK(read.ok());
  CHECK(read.documents == 4);
  CHECK(read.packages.empty());
}

TEST_CASE("A badly shaped JSON document is reported with its path",
          "[package][json]") {
  struct shape_row {
    std::string_view json;
    definition_error code;
    std::string_view where;
    std::string_view message;
  };
  const shape_row row = GENERATE(
      shape_row{R"({"kind": "Package", "metadata": {"name": "p"},
                   "spec": {"models": [{"name": 7}]}})",
                definition_error::wrong_type, "spec.models[0].name",
                "expected a string, found a number"},
      shape_row{R"([{"kind": "Scenario"},
                   {"kind": "Package", "spec": {"models": []}}])",
                definition_error::missing_field, "[1].metadata",
                "a Package needs metadata.name"},
      shape_row{R"({"kind": "Package", "metadata": {},
                   "spec": {"models": []}})",
                definition_error::missing_field, "metadata.name",
                "a Package needs metadata.name"},
      shape_row{R"({"kind": "Package", "metadata": {"name": null},
                   "spec": {"models": []}})",
                definition_error::wrong_type, "metadata.name",
                "expected a string, found null"},
      shape_row{R"({"kind": "Package", "metadata": ["p"],
                   "spec": {"models": []}})",
                definition_error::wrong_type, "metadata",
                "expected an object, found an array"},
      shape_row{R"({"kind": "Package", "metadata": {"name": "p"}})",
                definition_error::missing_field, "spec",
                "a Package needs spec.models"},
      shape_row{R"({"kind": "Package", "metadata": {"name": "p"},
                   "spec": {}})",
                definition_error::missing_field, "spec.models",
                "a Package needs spec.models"},
      shape_row{R"({"kind": "Package", "metadata": {"name": "p"},
                   "spec": {"models": {"name": "m"}}})",
                definition_error::wrong_type, "spec.models",
                "expected an array, found an object"},
      shape_row{R"({"kind": "Package", "metadata": {"name": "p"},
                   "spec": {"models": ["m"]}})",
                definition_error::wrong_type, "spec.models[0]",
                "expected an object, found a string"},
      shape_row{R"({"kind": "Package", "metadata": {"name": "p"},
                   "spec": {"models": [{"node": "n"}]}})",
                definition_error::missing_field, "spec.models[0].name",
                "a model entry needs a name"},
      shape_row{R"({"kind": 5})", definition_error::wrong_type, "kind",
                "expected a string, found a number"},
      shape_row{R"([{"kind": "Model"}, 1])", definition_error::not_an_object,
                "[1]", "expected an object, found a number"},
      shape_row{R"("Package")", definition_error::not_an_object, "",
                "expected an object, found a string"});
  CAPTURE(row.json);

  const decoded_packages read = modelstate::read_packages_json(row.json);

  CHECK(read.packages.empty());
  REQUIRE(read.problems.size() == 1);
  const auto& problem = read.problems[0];
  CHECK(problem.code == row.code);
  CHECK(problem.where == row.where);
  CHECK(problem.message == row.message);
}

TEST_CASE("A Package with a problem is left out and the others are read",
          "[package][json]") {
  const decoded_packages read = modelstate::read_packages_json(R"([
    {"kind": "Package", "metadata": {"name": "first"},
     "spec": {"models": [{"name": "a"}]}},
    {"kind": "Package", "metadata": {"name": "broken"},
     "spec": {"models": [{"name": "b"}, {"name": true}, {}]}},
    {"kind": "Package", "metadata": {"name": "third"},
     "spec": {"models": [{"name": "c"}]}}
  ])");

  CHECK_FALSE(read.ok());
  CHECK(read.packages ==
        std::vector<package_definition>{{"first", {"a"}}, {"third", {"c"}}});
  REQUIRE(read.problems.size() == 2);
  CHECK(modelstate::describe(read.problems[0]) ==
        "[1].spec.models[1].name: expected a string, found a boolean");
  CHECK(modelstate::describe(read.problems[1]) ==
        "[1].spec.models[2].name: a model entry needs a name");
}

TEST_CASE("Text that is not JSON is reported with its line and column",
          "[package][json]") {
  const decoded_packages read = modelstate::read_packages_json(
      "[\n  {\"kind\": \"Package\",\n   \"metadata\": {\"name\": 'p'}}\n]");

  CHECK(read.packages.empty());
  REQUIRE(read.problems.size() == 1);
  const auto& problem = read.problems[0];
  CHECK(problem.code == definition_error::syntax);
  CHECK(problem.where.empty());
  CHECK(problem.line == 3);
  CHECK(problem.column == 25);
  CHECK_THAT(problem.message, Catch::Matchers::StartsWith("syntax error"));
  CHECK_THAT(modelstate::describe(problem),
             Catch::Matchers::StartsWith("line 3, column 25: syntax error"));
}

TEST_CASE("Empty JSON text is a syntax error on line 1", "[package][json]") {
  const decoded_packages read = modelstate::read_packages_json("");

  REQUIRE(read.problems.size() == 1);
  CHECK(read.problems[0].code == definition_error::syntax);
  CHECK(read.problems[0].line == 1);
}

#endif  // MODELSTATE_TEST_JSON

#if MODELSTATE_TEST_YAML

TEST_CASE(
    "A multi-document YAML artifact gives the definitions of its "
    "Package documents",
    "[package][yaml]") {
  const decoded_packages read =
      modelstate::read_packages_yaml(read_data("artifact.yaml"));

  CHECK(read.ok());
  CHECK(read.documents == 5);
  CHECK(read.packages == artifact_packages);
}

TEST_CASE("Empty YAML documents are skipped", "[package][yaml]") {
  const decoded_packages read = modelstate::read_packages_yaml(
      "---\n"
      "---\n"
      "kind: Package\n"
      "metadata: {name: p}\n"
      "spec:\n"
      "  models: [{name: m}]\n"
      "---\n");

  CHECK(read.ok());
  CHECK(read.documents == 1);
  CHECK(read.packages == std::vector<package_definition>{{"p", {"m"}}});
}

TEST_CASE("Empty YAML text holds no packages", "[package][yaml]") {
  const decoded_packages read = modelstate::read_packages_yaml("");

  CHECK(read.ok());
  CHECK(read.packages.empty());
}

TEST_CASE("Malformed YAML is reported with its line and column",
          "[package][yaml]") {
  const decoded_packages read =
      modelstate::read_packages_yaml(read_data("malformed.yaml"));

  CHECK(read.packages.empty());
  REQUIRE(read.problems.size() == 1);
  const auto& problem = read.problems[0];
  CHECK(problem.code == definition_error::syntax);
  CHECK(problem.line == 9);
  CHECK(problem.column != 0);
  CHECK_FALSE(problem.message.empty());
  CHECK_THAT(modelstate::describe(problem),
             Catch::Matchers::StartsWith("line 9, column "));
}

TEST_CASE("A badly shaped YAML document is reported with its path and line",
          "[package][yaml]") {
  const decoded_packages read = modelstate::read_packages_yaml(
      "kind: Scenario\n"
      "metadata: {name: s}\n"
      "---\n"
      "kind: Package\n"
      "metadata:\n"
      "  name: p\n"
      "spec:\n"
      "  models:\n"
      "    - name: [not, a, name]\n"
      "---\n"
      "kind: Package\n"
      "metadata:\n"
      "  name:\n"
      "spec:\n"
      "  models: []\n");

  CHECK(read.packages.empty());
  REQUIRE(read.problems.size() == 2);
  CHECK(read.problems[0].code == definition_error::wrong_type);
  CHECK(read.problems[0].where == "[1].spec.models[0].name");
  CHECK(read.problems[0].line == 9);
  CHECK(read.problems[0].column == 13);
  CHECK(modelstate::describe(read.problems[0]) ==
        "[1].spec.models[0].name (line 9, column 13): expected a string, "
        "found a sequence");
  CHECK(read.problems[1].code == definition_error::wrong_type);
  CHECK(read.problems[1].where == "[2].metadata.name");
  CHECK(read.problems[1].message == "expected a string, found null");
}

TEST_CASE("A YAML document that is not a mapping is reported",
          "[package][yaml]") {
  const decoded_packages read =
      modelstate::read_packages_yaml("- kind: Package\n");

  REQUIRE(read.problems.size() == 1);
  CHECK(read.problems[0].code == definition_error::not_an_object);
  CHECK(read.problems[0].where == "[0]");
  CHECK(read.problems[0].message == "expected a mapping, found a sequence");
}

TEST_CASE("YAML scalars read as names whatever they look like",
          "[package][yaml]") {
  const decoded_packages read = modelstate::read_packages_yaml(
      "kind: Package\n"
      "metadata: {name: 2024}\n"
      "spec: {models: [{name: 'true'}, {name: yes}]}\n");

  CHECK(read.ok());
  CHECK(read.packages ==
        std::vector<package_definition>{{"2024", {"true", "yes"}}});
}

TEST_CASE("YAML on which the parser stops making progress is a syntax error",
          "[package][yaml]") {
  // A lone comma makes some yaml-cpp releases return empty documents
  // forever; reading must end with a problem instead.
  const auto text = GENERATE(as<std::string>{}, ",", "kind: Package\n---\n,");
  CAPTURE(text);

  const decoded_packages read = modelstate::read_packages_yaml(text);

  REQUIRE_FALSE(read.ok());
  REQUIRE(read.problems.size() == 1);
  CHECK(read.problems[0].code == modelstate::definition_error::syntax);
  CHECK(read.problems[0].line >= 1);
  CHECK(read.packages.empty());
}

#endif  // MODELSTATE_TEST_YAML

#if MODELSTATE_TEST_JSON && MODELSTATE_TEST_YAML

TEST_CASE("The same artifact in JSON and in YAML gives the same definitions",
          "[package][json][yaml]") {
  const decoded_packages json =
      modelstate::read_packages_json(read_data("artifact.json"));
  const decoded_packages yaml =
      modelstate::read_packages_yaml(read_data("artifact.yaml"));

  CHECK(json.ok());
  CHECK(yaml.ok());
  CHECK(json.documents == yaml.documents);
  CHECK(json.packages == yaml.packages);
}

#endif

#if MODELSTATE_TEST_JSON || MODELSTATE_TEST_YAML

TEST_CASE("Decoded definitions feed the package index", "[package]") {
#if MODELSTATE_TEST_YAML
  decoded_packages read =
      modelstate::read_packages_yaml(read_data("artifact.yaml"));
#else
  decoded_packages read =
      modelstate::read_packages_json(read_data("artifact.json"));
#endif
  REQUIRE(read.ok());

  const modelstate::package_index index(std::move(read.packages));

  const auto& found = index.packages_of("lane-detector");
  REQUIRE(found.size() == 2);
  CHECK(found[0]->name == "driver-assist");
  CHECK(found[1]->name == "diagnostics");
  CHECK(index.packages_of("log-collector").size() == 1);
  CHECK(index.packages_of("helloworld").empty());
}

#endif
