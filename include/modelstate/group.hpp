// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_GROUP_HPP
#define MODELSTATE_GROUP_HPP

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "record.hpp"

namespace modelstate {

/// Holds one model's name and its containers.
struct model_group {
  std::string_view name;

  /// Positions of the model's containers in the grouped range.
  std::vector<std::size_t> containers;

  /// Tells whether the caller declared this model in advance.
  bool expected = false;
};

/// Holds the models of a report and the containers that belong to none.
struct grouping {
  std::vector<model_group> models;

  /// Positions of the containers without the annotation.
  std::vector<std::size_t> unassociated;
};

/// Groups containers into models by an annotation, in first-seen order.
///
/// Containers are named by their position in the range; those without the
/// annotation go to `unassociated`. Each name in
/// `expected` is a model the caller knows of: it is marked `expected` and,
/// when no container names it, appended (in the given order) with no
/// containers. Names view the records and `expected`, which must outlive
/// the result. O(n) in containers plus expected models.
template <class Range, class Names = std::vector<std::string>>
auto group_by_model(const Range& containers,
                    std::string_view annotation = default_model_annotation,
                    const Names& expected = Names{}) {
  using record_type = detail::field_t<decltype(*std::begin(containers))>;
  detail::check_record<record_type>();

  grouping result;
  std::unordered_map<std::string_view, std::size_t> index;
  std::size_t position = 0;
  for (const auto& record : containers) {
    const auto model = annotation_of(record, annotation);
    if (!model) {
      result.unassociated.push_back(position++);
      continue;
    }

    auto [it, inserted] = index.try_emplace(*model, result.models.size());
    if (inserted) {
      result.models.push_back({*model, {}, false});
    }
    result.models[it->second].containers.push_back(position++);
  }

  for (const auto& name : expected) {
    const std::string_view view(name);
    auto [it, inserted] = index.try_emplace(view, result.models.size());
    if (inserted) {
      result.models.push_back({view, {}, true});
    } else {
      result.models[it->second].expected = true;
    }
  }
  return result;
}

}  // namespace modelstate

#endif  // MODELSTATE_GROUP_HPP
