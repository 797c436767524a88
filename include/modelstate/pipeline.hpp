// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_PIPELINE_HPP
#define MODELSTATE_PIPELINE_HPP

#include <string_view>

#include "cluster.hpp"
#include "observer.hpp"
#include "record.hpp"
#include "report.hpp"

namespace modelstate {

/// Processes one node's containers: groups them into models, evaluates
/// each model, checks its name, and writes every valid model's key and
/// value to `target` in one call.
///
/// `target` is a sink (see is_sink; a batch sink gets one batch) or a
/// writer such as change_tracker. Nothing is dropped: every container and
/// every model is in the report, rejected names with their reason and
/// failed writes with the store's error. Never throws for bad data or a
/// failing sink; only std::bad_alloc can escape.
template <class Range, class Target>
report process(std::string_view node_name, const Range& containers,
               Target& target, const options& opts = options{},
               observer& obs = detail::null_observer()) {
  cluster_view view(opts);
  return view.update(node_name, containers, target, obs);
}

/// Processes a ContainerList-like value: anything with `node_name` and
/// `containers`, as data members or accessor functions.
template <class List, class Target>
report process(const List& list, Target& target,
               const options& opts = options{},
               observer& obs = detail::null_observer()) {
  return process(node_name_of(list), containers_of(list), target, opts, obs);
}

}  // namespace modelstate

#endif  // MODELSTATE_PIPELINE_HPP
