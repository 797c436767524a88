// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_OBSERVER_HPP
#define MODELSTATE_OBSERVER_HPP

#include <cstddef>

#include "report.hpp"

namespace modelstate {

/// Watches the pipeline; every hook does nothing unless overridden.
///
/// For one report the hooks are called in this order: on_list, then
/// on_container for each container, then, for each model in first-seen
/// order, on_model, on_model_state and on_write (or on_rejected for a name
/// that cannot be stored), and finally on_done. Models are written in one
/// batch before the per-model hooks run, so on_write sees the outcome.
class observer {
 public:
  observer() = default;
  observer(const observer&) = default;
  observer& operator=(const observer&) = default;
  virtual ~observer() = default;

  /// Starts a report: its node and container count are in r.
  virtual void on_list(const report& r) { static_cast<void>(r); }

  /// Tells of one container of the input (index into r.containers).
  virtual void on_container(const report& r, std::size_t index) {
    static_cast<void>(r);
    static_cast<void>(index);
  }

  /// Starts one model.
  virtual void on_model(const report& r, const model_report& m) {
    static_cast<void>(r);
    static_cast<void>(m);
  }

  /// Tells of a model's evaluated state.
  virtual void on_model_state(const report& r, const model_report& m) {
    static_cast<void>(r);
    static_cast<void>(m);
  }

  /// Tells of a model whose name cannot become a key.
  virtual void on_rejected(const report& r, const model_report& m) {
    static_cast<void>(r);
    static_cast<void>(m);
  }

  /// Tells what happened to a model's key and value in the store.
  virtual void on_write(const report& r, const model_report& m) {
    static_cast<void>(r);
    static_cast<void>(m);
  }

  /// Tells of a package's evaluated state and its write.
  virtual void on_package(const report& r, const package_report& p) {
    static_cast<void>(r);
    static_cast<void>(p);
  }

  /// Ends the report.
  virtual void on_done(const report& r) { static_cast<void>(r); }
};

}  // namespace modelstate

#endif  // MODELSTATE_OBSERVER_HPP
