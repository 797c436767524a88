// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_REPORT_HPP
#define MODELSTATE_REPORT_HPP

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "classify.hpp"
#include "evaluate.hpp"
#include "key.hpp"
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

  /// Tells whether every model was accepted and is stored (written or
  /// already unchanged).
  bool ok() const noexcept {
    for (const auto& m : models) {
      if (m.rejected() || m.write.outcome == write_outcome::failed ||
          m.write.outcome == write_outcome::skipped) {
        return false;
      }
    }
    return true;
  }
};

}  // namespace modelstate

#endif  // MODELSTATE_REPORT_HPP
