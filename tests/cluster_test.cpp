// Tests for modelstate/cluster.hpp: several nodes' reports merged per model,
// package states over the merged view, transitions and reconcile.
#include "modelstate/cluster.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "modelstate/log.hpp"
#include "modelstate/tracker.hpp"
#include "support.hpp"

namespace {

using modelstate::cluster_view;
using modelstate::container_info;
using modelstate::memory_sink;
using modelstate::model_report;
using modelstate::model_state;
using modelstate::package_definition;
using modelstate::package_index;
using modelstate::package_report;
using modelstate::package_state;
using modelstate::report;
using modelstate::transition;
using modelstate::write_outcome;
using state_map = std::map<std::string, std::string, std::less<>>;
using names = std::vector<std::string>;

using modelstate_test::contains;

using modelstate_test::make;

using modelstate_test::running;

container_info paused(std::string id, std::string model) {
  return make(std::move(id), std::move(model),
              {{"Status", "paused"}, {"Paused", "true"}});
}

container_info exited(std::string id, std::string model, std::string code) {
  return make(std::move(id), std::move(model),
              {{"Status", "exited"}, {"ExitCode", std::move(code)}});
}

using containers = std::vector<container_info>;

package_index make_index(std::vector<package_definition> definitions) {
  return package_index(std::move(definitions));
}

const model_report& model_named(const report& r, std::string_view name) {
  for (const auto& m : r.models) {
    if (m.name == name) {
      return m;
    }
  }
  FAIL("no model named " << name);
  return r.models.front();
}

const package_report& package_named(const report& r, std::string_view name) {
  for (const auto& p : r.packages) {
    if (p.name == name) {
      return p;
    }
  }
  FAIL("no package named " << name);
  return r.packages.front();
}

// Spells transitions as "model web: - -> Running" for easy comparison.
names spell(const std::vector<transition>& transitions) {
  names out;
  for (const auto& t : transitions) {
    out.push_back(std::string(t.package ? "package " : "model ") + t.name +
                  ": " + (t.from ? *t.from : std::string("-")) + " -> " + t.to);
  }
  return out;
}

// A sink that counts the values it is given and can be told to fail.
struct counting_sink {
  std::size_t puts = 0;
  bool fail = false;
  state_map data;

  modelstate::put_result put(std::string_view key, std::string_view value) {
    ++puts;
    if (fail) {
      return modelstate::put_result::failure("store unavailable");
    }
    data[std::string(key)] = std::string(value);
    return modelstate::put_result::success();
  }
};

// A writer that answers for fewer entries than it was given.
struct short_writer {
  std::vector<modelstate::write_status> write(
      const std::vector<modelstate::entry>& entries) {
    std::vector<modelstate::write_status> out;
    if (!entries.empty()) {
      modelstate::write_status s;
      s.outcome = write_outcome::written;
      out.push_back(std::move(s));
    }
    return out;
  }
};

}  // namespace

TEST_CASE(
    "A model running on one node and exited with code 1 on another is Dead, "
    "whichever node reports first",
    "[cluster]") {
  const bool a_first = GENERATE(true, false);
  CAPTURE(a_first);
  const containers on_a{running("a1", "web")};
  const containers on_b{exited("b1", "web", "1")};
  cluster_view view;
  memory_sink sink;

  report last;
  if (a_first) {
    view.update("node-a", on_a, sink);
    last = view.update("node-b", on_b, sink);
  } else {
    view.update("node-b", on_b, sink);
    last = view.update("node-a", on_a, sink);
  }

  CHECK(view.model_state_of("web") == model_state::dead);
  CHECK(sink.get("/model/web/state") == "MODEL_STATE_FAILED");
  REQUIRE(last.models.size() == 1);
  const model_report& web = last.models[0];
  CHECK(web.state == model_state::dead);
  CHECK(web.counts.total == 2);
  CHECK(web.reason ==
        "Dead: container b1 exited with code 1; running(1), "
        "dead(1)");
  CHECK(view.nodes() == names{"node-a", "node-b"});
}

TEST_CASE(
    "Reports staged together and committed once give the same state as "
    "reports committed one by one",
    "[cluster]") {
  cluster_view view;
  memory_sink sink;

  view.stage("node-b", containers{exited("b1", "web", "1")});
  view.stage("node-a", containers{running("a1", "web")});
  CHECK_FALSE(view.model_state_of("web").has_value());
  const report r = view.commit(sink);

  CHECK(r.node_name == "node-b, node-a");
  CHECK(r.containers.size() == 2);
  REQUIRE(r.models.size() == 1);
  CHECK(r.models[0].state == model_state::dead);
  CHECK(r.models[0].containers.size() == 2);
  CHECK(view.model_state_of("web") == model_state::dead);
  CHECK(sink.data().size() == 1);
}

TEST_CASE(
    "Every model and package result carries a one-line reason naming what "
    "decided it",
    "[cluster]") {
  container_info oom =
      make("def456", "model-b",
           {{"Status", "exited"}, {"ExitCode", "137"}, {"OOMKilled", "true"}});
  cluster_view view(
      modelstate::options{},
      make_index({{"bundle", {"model-a", "model-b", "model-c"}}}));
  memory_sink sink;

  view.update("node-a",
              containers{running("abc123", "model-b"), paused("p1", "model-a"),
                         paused("p2", "model-c")},
              sink);
  const report r = view.update("node-b", containers{oom}, sink);

  const model_report& b = model_named(r, "model-b");
  CHECK(b.reason ==
        "Dead: container def456 exited with code 137 (OOMKilled); "
        "running(1), dead(1)");
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].reason ==
        "degraded: 1 of 3 models dead (model-b); paused(2), dead(1)");
  CHECK(b.reason.find('\n') == std::string::npos);
}

TEST_CASE(
    "A node whose report empties no longer counts for its models; a model it "
    "alone ran becomes created",
    "[cluster]") {
  cluster_view view;
  memory_sink sink;
  view.update("node-a", containers{running("a1", "web")}, sink);
  view.update("node-b",
              containers{exited("b1", "web", "1"), running("b2", "solo")},
              sink);
  REQUIRE(view.model_state_of("web") == model_state::dead);

  const report r = view.update("node-b", containers{}, sink);

  CHECK(r.node_name == "node-b");
  CHECK(r.containers.empty());
  CHECK(view.nodes() == names{"node-a", "node-b"});
  CHECK(view.model_state_of("web") == model_state::running);
  CHECK(model_named(r, "web").reason ==
        "Running: container a1 status 'running'; running(1)");
  CHECK(view.model_state_of("solo") == model_state::created);
  CHECK(model_named(r, "solo").reason == "Created: no containers");
  CHECK(sink.get("/model/web/state") == "MODEL_STATE_RUNNING");
  CHECK(sink.get("/model/solo/state") == "MODEL_STATE_PENDING");
}

TEST_CASE("A removed node no longer counts once the removal is committed",
          "[cluster]") {
  cluster_view view;
  memory_sink sink;
  view.update("node-a", containers{running("a1", "web")}, sink);
  view.update("node-b", containers{exited("b1", "web", "1")}, sink);

  view.remove_node("node-b");

  CHECK(view.nodes() == names{"node-a"});
  CHECK(view.model_state_of("web") == model_state::dead);

  const report r = view.commit(sink);

  CHECK(r.node_name.empty());
  CHECK(r.containers.empty());
  REQUIRE(r.models.size() == 1);
  CHECK(r.models[0].state == model_state::running);
  CHECK(r.models[0].counts.total == 1);
  CHECK(view.model_state_of("web") == model_state::running);
  CHECK(sink.get("/model/web/state") == "MODEL_STATE_RUNNING");
  CHECK(spell(r.transitions) == names{"model web: Dead -> Running"});
}

TEST_CASE("Removing a node that never reported changes nothing", "[cluster]") {
  cluster_view view;
  memory_sink sink;
  view.update("node-a", containers{running("a1", "web")}, sink);
  const std::size_t before = view.evaluations();

  view.remove_node("node-z");
  const report r = view.commit(sink);

  CHECK(r.models.empty());
  CHECK(r.transitions.empty());
  CHECK(view.evaluations() == before);
  CHECK(view.nodes() == names{"node-a"});
}

TEST_CASE(
    "A model seen before that has no containers left on any node becomes "
    "created (MODEL_STATE_PENDING)",
    "[cluster]") {
  cluster_view view;
  memory_sink sink;
  view.update("node-a", containers{running("a1", "web")}, sink);
  view.update("node-b", containers{running("b1", "web")}, sink);

  view.stage("node-a", containers{});
  view.remove_node("node-b");
  const report r = view.commit(sink);

  REQUIRE(r.models.size() == 1);
  CHECK(r.models[0].state == model_state::created);
  CHECK(r.models[0].value == "MODEL_STATE_PENDING");
  CHECK(r.models[0].reason == "Created: no containers");
  CHECK(sink.get("/model/web/state") == "MODEL_STATE_PENDING");
  CHECK(spell(r.transitions) == names{"model web: Running -> Created"});
}

TEST_CASE(
    "With keep_last_state a model with no containers left on any node keeps "
    "its last state",
    "[cluster]") {
  modelstate::options opts;
  opts.keep_last_state = true;
  cluster_view view(opts);
  memory_sink sink;
  view.update("node-a", containers{exited("a1", "job", "0")}, sink);

  const report r = view.update("node-a", containers{}, sink);

  REQUIRE(r.models.size() == 1);
  CHECK(r.models[0].state == model_state::exited);
  CHECK(r.models[0].value == "MODEL_STATE_SUCCEEDED");
  CHECK(r.models[0].reason ==
        "Exited: no containers left on any node; last state kept");
  CHECK(r.transitions.empty());
  CHECK(view.model_state_of("job") == model_state::exited);
  CHECK(sink.get("/model/job/state") == "MODEL_STATE_SUCCEEDED");
}

TEST_CASE("With keep_last_state a model that returns takes its new state",
          "[cluster]") {
  modelstate::options opts;
  opts.keep_last_state = true;
  cluster_view view(opts);
  memory_sink sink;
  view.update("node-a", containers{running("a1", "web")}, sink);
  view.update("node-a", containers{}, sink);

  const report r =
      view.update("node-b", containers{exited("b1", "web", "2")}, sink);

  CHECK(view.model_state_of("web") == model_state::dead);
  CHECK(spell(r.transitions) == names{"model web: Running -> Dead"});
}

TEST_CASE("A model listed by two packages changes both packages", "[cluster]") {
  cluster_view view(
      modelstate::options{},
      make_index({{"shop", {"web", "db"}}, {"ops", {"web", "logs"}}}));
  memory_sink sink;
  view.update("node-a",
              containers{running("a1", "web"), running("a2", "db"),
                         running("a3", "logs")},
              sink);
  REQUIRE(view.package_state_of("shop") == package_state::running);
  REQUIRE(view.package_state_of("ops") == package_state::running);

  const report r =
      view.update("node-b", containers{exited("b1", "web", "1")}, sink);

  REQUIRE(r.models.size() == 1);
  REQUIRE(r.packages.size() == 2);
  CHECK(r.packages[0].name == "shop");
  CHECK(r.packages[1].name == "ops");
  CHECK(package_named(r, "shop").state == package_state::degraded);
  CHECK(package_named(r, "ops").state == package_state::degraded);
  CHECK(view.package_state_of("shop") == package_state::degraded);
  CHECK(view.package_state_of("ops") == package_state::degraded);
  CHECK(sink.get("/package/shop/state") == "PACKAGE_STATE_DEGRADED");
  CHECK(sink.get("/package/ops/state") == "PACKAGE_STATE_DEGRADED");
  CHECK(r.reconcile == names{"shop", "ops"});
}

TEST_CASE(
    "A package naming a model that never reported counts that model as "
    "created",
    "[cluster]") {
  cluster_view view(modelstate::options{},
                    make_index({{"shop", {"web", "ghost"}}}));
  memory_sink sink;

  const report first =
      view.update("node-a", containers{running("a1", "web")}, sink);

  REQUIRE(first.packages.size() == 1);
  CHECK(first.packages[0].state == package_state::running);
  CHECK(first.packages[0].counts[model_state::created] == 1);
  CHECK(first.packages[0].counts[model_state::running] == 1);
  CHECK(first.packages[0].reason ==
        "running: 2 models; created(1), running(1)");
  CHECK_FALSE(view.model_state_of("ghost").has_value());
  CHECK_FALSE(sink.get("/model/ghost/state").has_value());

  const report second =
      view.update("node-a", containers{exited("a1", "web", "3")}, sink);

  REQUIRE(second.packages.size() == 1);
  CHECK(second.packages[0].state == package_state::degraded);
  CHECK(second.packages[0].reason ==
        "degraded: 1 of 2 models dead (web); created(1), dead(1)");
}

namespace {

// The model states of one row of the package table: "created" is a model
// whose containers all went away, the others get one container each.
struct package_row {
  std::vector<model_state> models;
  package_state expected;
  std::string_view proto;
  std::string_view plain;
};

container_info container_in(model_state s, const std::string& id,
                            const std::string& model) {
  switch (s) {
    case model_state::paused:
      return paused(id, model);
    case model_state::exited:
      return exited(id, model, "0");
    case model_state::dead:
      return exited(id, model, "137");
    default:
      break;
  }
  return running(id, model);
}

}  // namespace

TEST_CASE("A package's state follows the package table over the view",
          "[cluster]") {
  using ms = model_state;
  using ps = package_state;
  const package_row row = GENERATE(values<package_row>({
      {{ms::dead}, ps::error, "PACKAGE_STATE_ERROR", "error"},
      {{ms::dead, ms::dead}, ps::error, "PACKAGE_STATE_ERROR", "error"},
      {{ms::dead, ms::running},
       ps::degraded,
       "PACKAGE_STATE_DEGRADED",
       "degraded"},
      {{ms::dead, ms::paused, ms::paused},
       ps::degraded,
       "PACKAGE_STATE_DEGRADED",
       "degraded"},
      {{ms::created, ms::dead},
       ps::degraded,
       "PACKAGE_STATE_DEGRADED",
       "degraded"},
      {{ms::paused}, ps::paused, "PACKAGE_STATE_PAUSED", "paused"},
      {{ms::paused, ms::paused}, ps::paused, "PACKAGE_STATE_PAUSED", "paused"},
      {{ms::exited, ms::exited}, ps::exited, "PACKAGE_STATE_EXITED", "exited"},
      {{ms::running}, ps::running, "PACKAGE_STATE_RUNNING", "running"},
      {{ms::paused, ms::exited},
       ps::running,
       "PACKAGE_STATE_RUNNING",
       "running"},
      {{ms::created, ms::created},
       ps::running,
       "PACKAGE_STATE_RUNNING",
       "running"},
      {{ms::created}, ps::running, "PACKAGE_STATE_RUNNING", "running"},
      {{ms::paused, ms::running},
       ps::running,
       "PACKAGE_STATE_RUNNING",
       "running"},
      {{ms::exited, ms::created},
       ps::running,
       "PACKAGE_STATE_RUNNING",
       "running"},
  }));
  const bool plain = GENERATE(false, true);

  package_definition definition{"pkg", {}};
  containers staying;
  containers leaving;
  for (std::size_t i = 0; i < row.models.size(); ++i) {
    const std::string model = "m" + std::to_string(i);
    const std::string id = "c" + std::to_string(i);
    definition.models.push_back(model);
    if (row.models[i] == model_state::created) {
      leaving.push_back(running(id, model));
    } else {
      staying.push_back(container_in(row.models[i], id, model));
    }
  }
  modelstate::options opts;
  if (plain) {
    opts.package_values = modelstate::package_spelling::plain;
  }
  cluster_view view(opts, make_index({definition}));
  memory_sink sink;
  CAPTURE(plain, row.plain, definition.models.size());

  view.stage("node-a", staying);
  view.stage("node-gone", leaving);
  view.commit(sink);
  view.remove_node("node-gone");
  view.commit(sink);

  for (std::size_t i = 0; i < row.models.size(); ++i) {
    CAPTURE(i);
    CHECK(view.model_state_of("m" + std::to_string(i)) == row.models[i]);
  }
  CHECK(view.package_state_of("pkg") == row.expected);
  CHECK(sink.get("/package/pkg/state") == (plain ? row.plain : row.proto));
}

TEST_CASE("A package that lists no models is idle", "[cluster]") {
  const package_definition empty{"empty", {}};
  const auto lookup = [](std::string_view) {
    return std::optional<model_state>{};
  };

  const auto e = modelstate::evaluate_package(empty, lookup);

  CHECK(e.state == package_state::idle);
  CHECK(modelstate::to_value(e.state) == "PACKAGE_STATE_IDLE");
  CHECK(modelstate::to_value(e.state, modelstate::package_spelling::plain) ==
        "idle");
}

TEST_CASE(
    "Only the models a report touches and the packages listing them are "
    "evaluated again",
    "[cluster]") {
  // m000 ... m099 on node-a; pair-k lists m(2k) and m(2k+1); "ends" lists
  // m000 and m099.
  std::vector<package_definition> definitions;
  containers on_a;
  const auto model = [](std::size_t i) {
    std::string digits = std::to_string(i);
    return "m" + std::string(3 - digits.size(), '0') + digits;
  };
  for (std::size_t i = 0; i < 100; ++i) {
    on_a.push_back(running("a" + std::to_string(i), model(i)));
  }
  for (std::size_t k = 0; k < 50; ++k) {
    definitions.push_back(
        {"pair-" + std::to_string(k), {model(2 * k), model(2 * k + 1)}});
  }
  definitions.push_back({"ends", {"m000", "m099"}});
  cluster_view view(modelstate::options{}, make_index(definitions));
  memory_sink sink;

  const report all = view.update("node-a", on_a, sink);
  CHECK(all.models.size() == 100);
  CHECK(all.packages.size() == 51);
  CHECK(view.evaluations() == 151);

  SECTION("a report touching one model evaluates it and its one package") {
    const report r =
        view.update("node-b", containers{paused("b1", "m007")}, sink);

    CHECK(view.evaluations() == 151 + 2);
    REQUIRE(r.models.size() == 1);
    CHECK(r.models[0].name == "m007");
    REQUIRE(r.packages.size() == 1);
    CHECK(r.packages[0].name == "pair-3");
  }

  SECTION("a model the node's new report drops counts as touched") {
    view.update("node-b", containers{paused("b1", "m007")}, sink);

    const report r =
        view.update("node-b", containers{paused("b2", "m000")}, sink);

    // m007 (pair-3) and m000 (pair-0, ends).
    CHECK(view.evaluations() == 153 + 5);
    CHECK(r.models.size() == 2);
    CHECK(r.packages.size() == 3);
  }

  SECTION("removing a node evaluates only the models it had") {
    view.update("node-b", containers{paused("b1", "m000")}, sink);
    view.remove_node("node-b");

    const report r = view.commit(sink);

    // m000, pair-0 and ends.
    CHECK(view.evaluations() == 154 + 3);
    REQUIRE(r.models.size() == 1);
    CHECK(r.models[0].name == "m000");
  }
}

namespace {

// What the property test puts into a container, and the model state rules
// of the specification written out again, independent of the library.
enum class kind { running, paused, exited_ok, exited_failed, created, dead };

container_info container_of(kind k, const std::string& id,
                            const std::string& model) {
  switch (k) {
    case kind::running:
      return running(id, model);
    case kind::paused:
      return paused(id, model);
    case kind::exited_ok:
      return exited(id, model, "0");
    case kind::exited_failed:
      return exited(id, model, "1");
    case kind::created:
      return make(id, model, {{"Status", "created"}});
    case kind::dead:
      break;
  }
  return make(id, model, {{"Status", "exited"}, {"Dead", "true"}});
}

model_state expected_model_state(const std::vector<kind>& kinds) {
  if (kinds.empty()) {
    return model_state::created;
  }
  std::size_t dead = 0;
  std::size_t paused_count = 0;
  std::size_t exited_count = 0;
  for (kind k : kinds) {
    dead += k == kind::dead || k == kind::exited_failed ? 1 : 0;
    paused_count += k == kind::paused ? 1 : 0;
    exited_count += k == kind::exited_ok ? 1 : 0;
  }
  if (dead > 0) {
    return model_state::dead;
  }
  if (paused_count == kinds.size()) {
    return model_state::paused;
  }
  if (exited_count == kinds.size()) {
    return model_state::exited;
  }
  return model_state::running;
}

package_state expected_package_state(const std::vector<model_state>& states) {
  if (states.empty()) {
    return package_state::idle;
  }
  const auto count = [&](model_state s) {
    return static_cast<std::size_t>(
        std::count(states.begin(), states.end(), s));
  };
  const std::size_t dead = count(model_state::dead);
  if (dead == states.size()) {
    return package_state::error;
  }
  if (dead > 0) {
    return package_state::degraded;
  }
  if (count(model_state::paused) == states.size()) {
    return package_state::paused;
  }
  if (count(model_state::exited) == states.size()) {
    return package_state::exited;
  }
  return package_state::running;
}

struct node_report {
  std::string node;
  containers list;
  std::vector<std::pair<std::string, kind>> content;  // model, kind
};

}  // namespace

TEST_CASE(
    "Node reports staged and committed in any order give the same final "
    "model and package states",
    "[cluster][property]") {
  std::mt19937 rng(20261203U);
  const auto below = [&rng](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  const names models{"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"};
  const names nodes{"n0", "n1", "n2", "n3"};

  for (int trial = 0; trial < 40; ++trial) {
    CAPTURE(trial);

    // Packages of one to four models; some also name a model that never
    // reports.
    std::vector<package_definition> definitions;
    for (std::size_t p = 0; p < 4; ++p) {
      package_definition d{"p" + std::to_string(p), {}};
      names shuffled = models;
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      d.models.assign(
          shuffled.begin(),
          shuffled.begin() + static_cast<std::ptrdiff_t>(1 + below(4)));
      if (below(2) == 0) {
        d.models.push_back("never");
      }
      definitions.push_back(std::move(d));
    }

    // One to three successive reports per node; the last one counts.
    std::vector<std::vector<node_report>> reports(nodes.size());
    std::size_t serial = 0;
    for (std::size_t n = 0; n < nodes.size(); ++n) {
      const std::size_t versions = 1 + below(3);
      for (std::size_t v = 0; v < versions; ++v) {
        node_report rep{nodes[n], {}, {}};
        const std::size_t count = below(5);
        for (std::size_t c = 0; c < count; ++c) {
          const std::string id = "c" + std::to_string(serial++);
          if (below(10) == 0) {
            rep.list.push_back(make(id, "", {{"Status", "running"}}));
            continue;
          }
          const std::string& model = models[below(models.size())];
          const auto k = static_cast<kind>(below(6));
          rep.list.push_back(container_of(k, id, model));
          rep.content.emplace_back(model, k);
        }
        reports[n].push_back(std::move(rep));
      }
    }

    // The expected states, from the last report of each node.
    std::map<std::string, std::vector<kind>> kinds;
    std::map<std::string, bool> reported;
    for (const auto& versions : reports) {
      for (const auto& rep : versions) {
        for (const auto& [model, k] : rep.content) {
          reported[model] = true;
        }
      }
      for (const auto& [model, k] : versions.back().content) {
        kinds[model].push_back(k);
      }
    }
    const auto expected_model = [&](const std::string& model) {
      return reported.count(model) == 0
                 ? std::optional<model_state>{}
                 : std::optional<model_state>{
                       expected_model_state(kinds[model])};
    };

    for (int order = 0; order < 4; ++order) {
      CAPTURE(order);
      // Interleave the nodes at random, each node's reports in order, and
      // commit after a random subset of the steps.
      std::vector<std::size_t> steps;
      for (std::size_t n = 0; n < nodes.size(); ++n) {
        steps.insert(steps.end(), reports[n].size(), n);
      }
      std::shuffle(steps.begin(), steps.end(), rng);
      std::vector<std::size_t> next(nodes.size(), 0);

      cluster_view view(modelstate::options{}, make_index(definitions));
      memory_sink sink;
      for (std::size_t n : steps) {
        const node_report& rep = reports[n][next[n]++];
        view.stage(rep.node, rep.list);
        if (below(2) == 0) {
          view.commit(sink);
        }
      }
      view.commit(sink);

      for (const auto& model : models) {
        CAPTURE(model);
        CHECK(view.model_state_of(model) == expected_model(model));
      }
      for (const auto& d : definitions) {
        std::vector<model_state> states;
        bool any_reported = false;
        for (const auto& model : d.models) {
          const auto s = expected_model(model);
          any_reported = any_reported || s.has_value();
          states.push_back(s.value_or(model_state::created));
        }
        CAPTURE(d.name);
        if (any_reported) {
          CHECK(view.package_state_of(d.name) ==
                expected_package_state(states));
        }
      }
    }
  }
}

TEST_CASE(
    "The report lists each state change once, and reconcile names the "
    "packages that just became error or degraded",
    "[cluster]") {
  cluster_view view(modelstate::options{},
                    make_index({{"shop", {"web", "db"}}}));
  memory_sink sink;

  const report first = view.update(
      "node-a", containers{running("w", "web"), running("d", "db")}, sink);
  CHECK(spell(first.transitions) == names{"model web: - -> Running",
                                          "model db: - -> Running",
                                          "package shop: - -> running"});
  CHECK(first.reconcile.empty());

  const report degraded = view.update(
      "node-a", containers{running("w", "web"), exited("d", "db", "1")}, sink);
  CHECK(
      spell(degraded.transitions) ==
      names{"model db: Running -> Dead", "package shop: running -> degraded"});
  CHECK(degraded.reconcile == names{"shop"});

  const report still = view.update(
      "node-a", containers{running("w", "web"), exited("d", "db", "137")},
      sink);
  CHECK(still.transitions.empty());
  CHECK(still.reconcile.empty());
  CHECK(still.packages.size() == 1);

  const report error = view.update(
      "node-a", containers{exited("w", "web", "1"), exited("d", "db", "1")},
      sink);
  CHECK(spell(error.transitions) ==
        names{"model web: Running -> Dead", "package shop: degraded -> error"});
  CHECK(error.reconcile == names{"shop"});

  const report healed = view.update(
      "node-a", containers{running("w", "web"), running("d", "db")}, sink);
  CHECK(spell(healed.transitions) == names{"model web: Dead -> Running",
                                           "model db: Dead -> Running",
                                           "package shop: error -> running"});
  CHECK(healed.reconcile.empty());
}

TEST_CASE(
    "A package whose first state is degraded is named for reconcile at once",
    "[cluster]") {
  cluster_view view(modelstate::options{},
                    make_index({{"shop", {"web", "db"}}}));
  memory_sink sink;

  const report r = view.update(
      "node-a", containers{running("w", "web"), exited("d", "db", "1")}, sink);

  CHECK(spell(r.transitions) == names{"model web: - -> Running",
                                      "model db: - -> Dead",
                                      "package shop: - -> degraded"});
  CHECK(r.reconcile == names{"shop"});
}

TEST_CASE(
    "The log of a report with a package shows the package block and the "
    "reconcile line",
    "[cluster]") {
  cluster_view view(modelstate::options{},
                    make_index({{"shop", {"web", "db"}}}));
  memory_sink sink;
  std::ostringstream out;
  modelstate::log_observer log(out);

  view.update("node-a",
              containers{running("w1", "web"), exited("d1", "db", "1")}, sink,
              log);

  const std::string text = out.str();
  CHECK_THAT(text, contains("--- Package: shop ---\n"
                            "  -> Package state: degraded (degraded: 1 of 2 "
                            "models dead (db); dead(1), running(1))\n"
                            "    Saving to etcd - Key: /package/shop/state, "
                            "Value: PACKAGE_STATE_DEGRADED\n"
                            "    Successfully saved package state to etcd\n"));
  CHECK_THAT(text, contains("  Reconcile needed for package: shop\n"
                            "  Status: Container list processing completed\n"));
  CHECK(text.find("--- Package: shop ---") >
        text.find("--- Processing Model: db ---"));

  std::ostringstream again;
  modelstate::log_observer second_log(again);
  view.update("node-a",
              containers{running("w1", "web"), exited("d1", "db", "1")}, sink,
              second_log);
  CHECK_THAT(again.str(), contains("--- Package: shop ---"));
  CHECK(again.str().find("Reconcile needed") == std::string::npos);
}

TEST_CASE(
    "With a change tracker as the target a second identical report writes "
    "nothing",
    "[cluster]") {
  counting_sink sink;
  modelstate::change_tracker<counting_sink> tracker(sink);
  cluster_view view(modelstate::options{},
                    make_index({{"shop", {"web", "db"}}}));
  const containers on_a{running("w1", "web"), running("d1", "db")};

  const report first = view.update("node-a", on_a, tracker);
  REQUIRE(sink.puts == 3);
  CHECK(first.ok());

  const report second = view.update("node-a", on_a, tracker);

  CHECK(sink.puts == 3);
  CHECK(second.ok());
  CHECK(second.transitions.empty());
  for (const auto& m : second.models) {
    CAPTURE(m.name);
    CHECK(m.write.outcome == write_outcome::unchanged);
  }
  REQUIRE(second.packages.size() == 1);
  CHECK(second.packages[0].write.outcome == write_outcome::unchanged);

  view.update("node-a",
              containers{running("w1", "web"), exited("d1", "db", "1")},
              tracker);
  CHECK(sink.puts == 3 + 2);
  CHECK(sink.data.at("/model/db/state") == "MODEL_STATE_FAILED");
  CHECK(sink.data.at("/package/shop/state") == "PACKAGE_STATE_DEGRADED");
}

TEST_CASE("A failing sink leaves every outcome failed and the report not ok",
          "[cluster]") {
  counting_sink sink;
  sink.fail = true;
  cluster_view view(modelstate::options{},
                    make_index({{"shop", {"web", "db"}}}));

  const report r = view.update(
      "node-a", containers{running("w1", "web"), running("d1", "db")}, sink);

  CHECK_FALSE(r.ok());
  REQUIRE(r.models.size() == 2);
  for (const auto& m : r.models) {
    CAPTURE(m.name);
    CHECK(m.write.outcome == write_outcome::failed);
    CHECK(m.write.error == "store unavailable");
  }
  REQUIRE(r.packages.size() == 1);
  CHECK(r.packages[0].write.outcome == write_outcome::failed);
  CHECK(r.packages[0].write.error == "store unavailable");
  CHECK(sink.puts == 3);
}

TEST_CASE("An entry the target returns no status for is failed with a reason",
          "[cluster]") {
  short_writer writer;
  cluster_view view;

  const report r = view.update(
      "node-a", containers{running("w1", "web"), running("d1", "db")}, writer);

  REQUIRE(r.models.size() == 2);
  CHECK(r.models[0].write.outcome == write_outcome::written);
  CHECK(r.models[1].write.outcome == write_outcome::failed);
  CHECK(r.models[1].write.error ==
        "the store returned no status for this entry");
  CHECK_FALSE(r.ok());
}

TEST_CASE(
    "The report's containers are those of the nodes staged since the last "
    "commit",
    "[cluster]") {
  cluster_view view;
  memory_sink sink;
  view.update("node-a", containers{running("a1", "web")}, sink);

  const report r = view.update(
      "node-b",
      containers{exited("b1", "web", "0"), make("b2", "", {{"Status", "x"}})},
      sink);

  CHECK(r.node_name == "node-b");
  REQUIRE(r.containers.size() == 2);
  CHECK(r.containers[0].id == "b1");
  CHECK(r.unassociated == std::vector<std::size_t>{1});
  REQUIRE(r.models.size() == 1);
  CHECK(r.models[0].containers == std::vector<std::size_t>{0});
  CHECK(r.models[0].counts.total == 2);
  CHECK(r.models[0].state == model_state::running);
}
