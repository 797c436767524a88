// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_EVALUATE_HPP
#define MODELSTATE_EVALUATE_HPP

#include <cstddef>
#include <iterator>
#include <string>
#include <type_traits>

#include "classify.hpp"
#include "record.hpp"
#include "vocabulary.hpp"

namespace modelstate {

/// Names the rule that decided a model's state, in order of precedence.
enum class rule : unsigned char {
  no_containers,  ///< the model has no containers: created
  any_dead,       ///< at least one container is dead: dead
  all_paused,     ///< every container is paused: paused
  all_exited,     ///< every container has exited: exited
  otherwise,      ///< none of the above: running
};

/// Returns a rule's name, e.g. "any dead".
constexpr std::string_view to_string(rule r) noexcept {
  switch (r) {
    case rule::no_containers:
      return "no containers";
    case rule::any_dead:
      return "any dead";
    case rule::all_paused:
      return "all paused";
    case rule::all_exited:
      return "all exited";
    case rule::otherwise:
      break;
  }
  return "otherwise";
}

/// Counts containers by their normalised state.
struct state_counts {
  std::size_t by_state[container_state_count] = {};
  std::size_t total = 0;

  /// Returns how many containers are in state s.
  constexpr std::size_t operator[](container_state s) const noexcept {
    return by_state[static_cast<std::size_t>(s)];
  }

  /// Counts one more container in state s.
  constexpr void add(container_state s) noexcept {
    ++by_state[static_cast<std::size_t>(s)];
    ++total;
  }

  /// Adds another set of counts to this one.
  constexpr state_counts& operator+=(const state_counts& other) noexcept {
    for (std::size_t i = 0; i < container_state_count; ++i) {
      by_state[i] += other.by_state[i];
    }
    total += other.total;
    return *this;
  }
};

/// Applies the model rules to counts; each container is in exactly one
/// state, so at most one rule can hold.
constexpr rule decide(const state_counts& c) noexcept {
  if (c.total == 0) {
    return rule::no_containers;
  }
  if (c[container_state::dead] > 0) {
    return rule::any_dead;
  }
  if (c[container_state::paused] == c.total) {
    return rule::all_paused;
  }
  if (c[container_state::exited] == c.total) {
    return rule::all_exited;
  }
  return rule::otherwise;
}

/// Returns the model state a rule gives.
constexpr model_state state_of(rule r) noexcept {
  switch (r) {
    case rule::no_containers:
      return model_state::created;
    case rule::any_dead:
      return model_state::dead;
    case rule::all_paused:
      return model_state::paused;
    case rule::all_exited:
      return model_state::exited;
    case rule::otherwise:
      break;
  }
  return model_state::running;
}

/// Tells whether a container in state s is one that decides rule r: the
/// dead one for any_dead, one that is neither paused nor exited for
/// otherwise, and any container for the "all" rules.
constexpr bool decides(rule r, container_state s) noexcept {
  switch (r) {
    case rule::any_dead:
      return s == container_state::dead;
    case rule::otherwise:
      return s != container_state::paused && s != container_state::exited;
    default:
      break;
  }
  return true;
}

/// Holds a model's state and how it was reached.
struct model_evaluation {
  /// Marks "no container" in `decisive`.
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  model_state state = model_state::created;
  rule decided_by = rule::no_containers;
  state_counts counts;

  /// Position (in the evaluated range) of the first container that decided
  /// the state, or npos for a model with no containers.
  std::size_t decisive = npos;

  /// That container's classification.
  classification decisive_class;
};

namespace detail {

template <class T>
constexpr decltype(auto) deref(const T& x) {
  if constexpr (std::is_pointer_v<T>) {
    return *x;
  } else {
    return (x);
  }
}

template <class T>
constexpr classification classify_element(const T& element, const policy& p) {
  const auto& e = deref(element);
  using E = field_t<decltype(e)>;
  if constexpr (std::is_same_v<E, classification>) {
    static_cast<void>(p);
    return e;
  } else if constexpr (std::is_same_v<E, container_facts>) {
    return classify(e, p);
  } else {
    return classify(facts_of(e), p);
  }
}

}  // namespace detail

/// Evaluates a model from its containers.
///
/// The range may hold records (see record_traits), container_facts or
/// classifications, or pointers to any of them. Makes one pass, allocates
/// nothing and is constexpr for facts and classifications. An empty range
/// gives model_state::created.
template <class Range>
constexpr model_evaluation evaluate(const Range& containers,
                                    const policy& p = policy{}) {
  model_evaluation result;
  classification first_other;
  classification first_dead;
  classification first;
  std::size_t first_other_at = model_evaluation::npos;
  std::size_t first_dead_at = model_evaluation::npos;

  std::size_t index = 0;
  for (const auto& element : containers) {
    const classification c = detail::classify_element(element, p);
    result.counts.add(c.state);
    if (index == 0) {
      first = c;
    }
    if (c.state == container_state::dead &&
        first_dead_at == model_evaluation::npos) {
      first_dead = c;
      first_dead_at = index;
    }
    if (decides(rule::otherwise, c.state) &&
        first_other_at == model_evaluation::npos) {
      first_other = c;
      first_other_at = index;
    }
    ++index;
  }

  result.decided_by = decide(result.counts);
  result.state = state_of(result.decided_by);
  switch (result.decided_by) {
    case rule::no_containers:
      break;
    case rule::any_dead:
      result.decisive = first_dead_at;
      result.decisive_class = first_dead;
      break;
    case rule::otherwise:
      if (first_other_at != model_evaluation::npos) {
        result.decisive = first_other_at;
        result.decisive_class = first_other;
        break;
      }
      // Paused and exited containers mixed: the first one stands for all.
      [[fallthrough]];
    default:
      result.decisive = 0;
      result.decisive_class = first;
      break;
  }
  return result;
}

/// Formats counts as "running(1), dead(1)", in container-state order,
/// leaving out states with no container; "no containers" when empty.
inline std::string describe(const state_counts& counts) {
  if (counts.total == 0) {
    return "no containers";
  }

  std::string text;
  for (std::size_t i = 0; i < container_state_count; ++i) {
    if (counts.by_state[i] == 0) {
      continue;
    }
    if (!text.empty()) {
      text += ", ";
    }
    text += to_string(static_cast<container_state>(i));
    text += '(' + std::to_string(counts.by_state[i]) + ')';
  }
  return text;
}

/// Explains a model's state in one line a person can act on, e.g.
/// "Dead: container def456 exited with code 137 (OOMKilled); running(1),
/// dead(1)". `decisive_id` and `decisive_reason` name the container that
/// decided it and why (describe(classification)).
inline std::string describe_model(model_state state, rule decided_by,
                                  const state_counts& counts,
                                  std::string_view decisive_id,
                                  std::string_view decisive_reason) {
  std::string text(to_string(state));
  text += ": ";
  switch (decided_by) {
    case rule::no_containers:
      return text + "no containers";
    case rule::all_paused:
      text += "all " + std::to_string(counts.total) + " containers paused";
      break;
    case rule::all_exited:
      text += "all " + std::to_string(counts.total) + " containers exited";
      break;
    case rule::any_dead:
    case rule::otherwise:
      text += "container ";
      text += decisive_id.empty() ? std::string("(no id)")
                                  : detail::printable(decisive_id);
      text += ' ';
      text += decisive_reason;
      break;
  }
  return text + "; " + describe(counts);
}

/// Explains an evaluation in one line; `decisive_id` names the container
/// at `e.decisive`.
inline std::string describe(const model_evaluation& e,
                            std::string_view decisive_id) {
  return describe_model(e.state, e.decided_by, e.counts, decisive_id,
                        describe(e.decisive_class));
}

}  // namespace modelstate

#endif  // MODELSTATE_EVALUATE_HPP
