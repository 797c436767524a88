// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_REPORT_HPP
#define MODELSTATE_REPORT_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "classify.hpp"
#include "evaluate.hpp"
#include "key.hpp"
#include "package.hpp"
#include "sink.hpp"
#include "vocabulary.hpp"

namespace modelstate {

/// Holds one container as the pipeline saw it.
struct container_report {
  std::string id;
  std::string name;
  std::string image;

  /// The model it belongs to; empty when `associated` is false.
  std::string model;
  bool associated = false;

  /// The runtime facts, copied as text.
  fact_text facts;

  /// The normalised state, the rule behind it and a short explanation
  /// ("exited with code 137 (OOMKilled)").
  container_state state = container_state::unknown;
  reason why = reason::no_status;
  std::string description;
};

/// Holds one model's outcome: its state, why, and what was written.
struct model_report {
  std::string name;

  /// The name check; a rejected model has no key and is never written.
  name_check name_status;

  model_state state = model_state::created;
  rule decided_by = rule::no_containers;
  state_counts counts;

  /// Indexes into report::containers, in input order.
  std::vector<std::size_t> containers;

  /// Index into report::containers of the container that decided the
  /// state; model_evaluation::npos when the model has no containers.
  std::size_t decisive = model_evaluation::npos;

  /// One line a person can act on, e.g. "Dead: container def456 exited
  /// with code 137 (OOMKilled); running(1), dead(1)".
  std::string reason;

  std::string key;
  std::string value;

  /// Whether the caller declared the model in advance.
  bool expected = false;

  write_status write;

  /// Tells whether the name was rejected.
  bool rejected() const noexcept { return !name_status; }
};

/// Holds one package's outcome: its state, why, and what was written.
struct package_report {
  std::string name;
  package_state state = package_state::idle;
  package_rule decided_by = package_rule::no_models;
  model_state_counts counts;

  /// One line a person can act on, e.g. "degraded: 1 of 3 models dead
  /// (model-b); paused(2), dead(1)".
  std::string reason;

  std::string key;
  std::string value;
  write_status write;
};

/// Records one state that changed: a model's ("Running" -> "Dead") or a
/// package's ("running" -> "degraded"). `from` is empty for the first state
/// ever evaluated.
struct transition {
  bool package = false;
  std::string name;
  std::optional<std::string> from;
  std::string to;
};

/// Holds everything one report of one node produced.
struct report {
  std::string node_name;

  /// The annotation that associated containers with models.
  std::string annotation;

  /// Every container of the input, in input order.
  std::vector<container_report> containers;

  /// Every model, valid or rejected, in first-seen order.
  std::vector<model_report> models;

  /// Indexes into `containers` of those that belong to no model.
  std::vector<std::size_t> unassociated;

  /// The packages whose state was evaluated, when packages are known.
  std::vector<package_report> packages;

  /// The model and package states that changed with this report; models
  /// whose name was rejected are left out.
  std::vector<transition> transitions;

  /// The packages that just turned error or degraded: candidates for a
  /// reconcile.
  std::vector<std::string> reconcile;

  /// Tells whether every model was accepted and every model and package
  /// is stored (written, or already unchanged).
  bool ok() const noexcept {
    const auto stored = [](const write_status& w) {
      return w.outcome == write_outcome::written ||
             w.outcome == write_outcome::unchanged;
    };
    for (const auto& m : models) {
      if (m.rejected() || !stored(m.write)) {
        return false;
      }
    }
    for (const auto& p : packages) {
      if (!stored(p.write)) {
        return false;
      }
    }
    return true;
  }
};

}  // namespace modelstate

#endif  // MODELSTATE_REPORT_HPP
