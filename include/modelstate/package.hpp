// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_PACKAGE_HPP
#define MODELSTATE_PACKAGE_HPP

// Package states: a package lists models, and its state follows from theirs.
// Needs only the standard library; the JSON and YAML readers of package
// definitions are in package_json.hpp and package_yaml.hpp.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "key.hpp"
#include "vocabulary.hpp"

namespace modelstate {

/// Names the state of a package; values are the package proto numbers
/// (PACKAGE_STATE_IDLE = 1 ... PACKAGE_STATE_RUNNING = 6).
enum class package_state : unsigned char {
  idle = 1,
  paused = 2,
  exited = 3,
  degraded = 4,
  error = 5,
  running = 6,
};

/// Counts the values of package_state.
inline constexpr std::size_t package_state_count = 6;

/// Selects how a package state is spelled when it is stored.
enum class package_spelling : unsigned char {
  proto,  ///< PACKAGE_STATE_DEGRADED (the default)
  plain,  ///< degraded
};

namespace detail {

inline constexpr package_state package_state_values[] = {
    package_state::idle,     package_state::paused, package_state::exited,
    package_state::degraded, package_state::error,  package_state::running};

inline constexpr std::string_view package_plain_names[] = {
    "idle", "paused", "exited", "degraded", "error", "running"};

inline constexpr std::string_view package_proto_names[] = {
    "PACKAGE_STATE_IDLE",     "PACKAGE_STATE_PAUSED", "PACKAGE_STATE_EXITED",
    "PACKAGE_STATE_DEGRADED", "PACKAGE_STATE_ERROR",  "PACKAGE_STATE_RUNNING"};

// Maps any package_state, even one cast from a bad number, to a table row.
constexpr std::size_t package_row(package_state s) noexcept {
  const auto n = static_cast<std::size_t>(s);
  return n >= 1 && n <= package_state_count ? n - 1 : package_state_count - 1;
}

}  // namespace detail

/// Returns the plain name of a package state, e.g. "degraded".
constexpr std::string_view to_string(package_state s) noexcept {
  return detail::package_plain_names[detail::package_row(s)];
}

/// Returns the proto name of a package state, e.g. "PACKAGE_STATE_DEGRADED".
constexpr std::string_view to_proto(package_state s) noexcept {
  return detail::package_proto_names[detail::package_row(s)];
}

/// Returns the proto number of a package state (1 to 6).
constexpr int to_number(package_state s) noexcept {
  return static_cast<int>(s);
}

/// Spells a package state as stored: "PACKAGE_STATE_DEGRADED" or "degraded".
constexpr std::string_view to_value(
    package_state s,
    package_spelling spelling = package_spelling::proto) noexcept {
  return spelling == package_spelling::plain ? to_string(s) : to_proto(s);
}

/// Parses a stored package state in either spelling, ignoring case and
/// surrounding blanks: "PACKAGE_STATE_DEGRADED", "degraded" and
/// " Degraded " all give package_state::degraded.
///
/// "PACKAGE_STATE_UNSPECIFIED" names no state and, like any other unknown
/// text, gives parse_error::unrecognised; blank text gives parse_error::empty.
constexpr parsed<package_state> parse_package_state(
    std::string_view text) noexcept {
  text = detail::trim(text);
  if (text.empty()) {
    return {package_state::idle, parse_error::empty};
  }

  for (std::size_t i = 0; i < package_state_count; ++i) {
    if (detail::iequals(text, detail::package_plain_names[i]) ||
        detail::iequals(text, detail::package_proto_names[i])) {
      return {detail::package_state_values[i], parse_error::none};
    }
  }
  return {package_state::idle, parse_error::unrecognised};
}

/// Tells whether a package in state s should be reconciled: true for
/// error and degraded.
constexpr bool needs_reconcile(package_state s) noexcept {
  return s == package_state::error || s == package_state::degraded;
}

/// Names the rule that decided a package's state, in order of precedence.
enum class package_rule : unsigned char {
  no_models,   ///< the package lists no models: idle
  all_dead,    ///< every model is dead: error
  some_dead,   ///< at least one model, but not all, is dead: degraded
  all_paused,  ///< every model is paused: paused
  all_exited,  ///< every model has exited: exited
  otherwise,   ///< none of the above: running
};

/// Returns a package rule's name, e.g. "some dead".
constexpr std::string_view to_string(package_rule r) noexcept {
  switch (r) {
    case package_rule::no_models:
      return "no models";
    case package_rule::all_dead:
      return "all dead";
    case package_rule::some_dead:
      return "some dead";
    case package_rule::all_paused:
      return "all paused";
    case package_rule::all_exited:
      return "all exited";
    case package_rule::otherwise:
      break;
  }
  return "otherwise";
}

/// Returns the package state a rule gives.
constexpr package_state state_of(package_rule r) noexcept {
  switch (r) {
    case package_rule::no_models:
      return package_state::idle;
    case package_rule::all_dead:
      return package_state::error;
    case package_rule::some_dead:
      return package_state::degraded;
    case package_rule::all_paused:
      return package_state::paused;
    case package_rule::all_exited:
      return package_state::exited;
    case package_rule::otherwise:
      break;
  }
  return package_state::running;
}

namespace detail {

inline constexpr std::size_t model_state_slots = 5;

inline constexpr std::string_view model_state_words[] = {
    "created", "paused", "exited", "dead", "running"};

// Any value outside the enumerators counts as created, the state of a
// model nobody has reported.
constexpr model_state known_model_state(model_state s) noexcept {
  const auto n = static_cast<unsigned>(s);
  return n >= 1 && n <= model_state_slots ? s : model_state::created;
}

}  // namespace detail

/// Counts the models of a package by their state.
struct model_state_counts {
  std::size_t by_state[detail::model_state_slots] = {};
  std::size_t total = 0;

  /// Returns how many models are in state s.
  constexpr std::size_t operator[](model_state s) const noexcept {
    return by_state[detail::index_of(detail::known_model_state(s))];
  }

  /// Counts one more model in state s.
  constexpr void add(model_state s) noexcept {
    ++by_state[detail::index_of(detail::known_model_state(s))];
    ++total;
  }
};

/// Applies the package rules, in order, to counts of model states.
constexpr package_rule decide(const model_state_counts& c) noexcept {
  const std::size_t dead = c[model_state::dead];
  if (c.total == 0) {
    return package_rule::no_models;
  }
  if (dead == c.total) {
    return package_rule::all_dead;
  }
  if (dead > 0) {
    return package_rule::some_dead;
  }
  if (c[model_state::paused] == c.total) {
    return package_rule::all_paused;
  }
  if (c[model_state::exited] == c.total) {
    return package_rule::all_exited;
  }
  return package_rule::otherwise;
}

/// Holds a package's state and how it was reached.
struct package_evaluation {
  /// Marks "no model" in `decisive`.
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  package_state state = package_state::idle;
  package_rule decided_by = package_rule::no_models;
  model_state_counts counts;

  /// Position (in the evaluated range) of the first model that decided the
  /// state: the first dead one for error and degraded, the first one that
  /// is neither paused nor exited for running, else the first model; npos
  /// for a package with no models.
  std::size_t decisive = npos;
};

namespace detail {

template <class T>
struct is_optional_state : std::false_type {};
template <class T>
struct is_optional_state<std::optional<T>> : std::true_type {};

// Reads one element of a range given to evaluate_package: a model_state,
// an optional one (empty: never reported) or a pointer to either (null:
// never reported). A model that never reported counts as created.
template <class T>
constexpr model_state package_member_state(const T& element) noexcept {
  using E = std::remove_cv_t<T>;
  if constexpr (std::is_same_v<E, model_state>) {
    return known_model_state(element);
  } else if constexpr (is_optional_state<E>::value) {
    return element ? package_member_state(*element) : model_state::created;
  } else if constexpr (std::is_pointer_v<E>) {
    return element != nullptr ? package_member_state(*element)
                              : model_state::created;
  } else {
    static_assert(std::is_same_v<E, model_state>,
                  "modelstate: evaluate_package needs model_state, "
                  "std::optional<model_state> or a pointer to one of them");
    return model_state::created;
  }
}

// Folds model states one by one into a package evaluation.
struct package_tally {
  package_evaluation result;
  std::size_t index = 0;
  std::size_t first_dead = package_evaluation::npos;
  std::size_t first_other = package_evaluation::npos;

  constexpr void add(model_state s) noexcept {
    result.counts.add(s);
    if (s == model_state::dead && first_dead == package_evaluation::npos) {
      first_dead = index;
    }
    if (s != model_state::paused && s != model_state::exited &&
        first_other == package_evaluation::npos) {
      first_other = index;
    }
    ++index;
  }

  constexpr package_evaluation finish() noexcept {
    result.decided_by = decide(result.counts);
    result.state = state_of(result.decided_by);

    switch (result.decided_by) {
      case package_rule::no_models:
        break;
      case package_rule::all_dead:
      case package_rule::some_dead:
        result.decisive = first_dead;
        break;
      case package_rule::otherwise:
        // Paused and exited models mixed: the first one stands for all.
        result.decisive =
            first_other != package_evaluation::npos ? first_other : 0;
        break;
      default:
        result.decisive = 0;
        break;
    }
    return result;
  }
};

}  // namespace detail

/// Evaluates a package from the states of its models.
///
/// Elements are model_state, std::optional<model_state> or pointers to
/// either; an empty optional or a null pointer is a model that never
/// reported and counts as created. Makes one pass, allocates nothing and is
/// constexpr. An empty range gives package_state::idle.
template <class Range>
constexpr package_evaluation evaluate_package(const Range& model_states) {
  detail::package_tally tally;
  for (const auto& element : model_states) {
    tally.add(detail::package_member_state(element));
  }
  return tally.finish();
}

/// Formats counts as "paused(2), dead(1)", in model-state order, leaving
/// out states with no model; "no models" when empty.
inline std::string describe(const model_state_counts& counts) {
  if (counts.total == 0) {
    return "no models";
  }

  std::string text;
  for (std::size_t i = 0; i < detail::model_state_slots; ++i) {
    if (counts.by_state[i] == 0) {
      continue;
    }
    if (!text.empty()) {
      text += ", ";
    }
    text += detail::model_state_words[i];
    text += '(' + std::to_string(counts.by_state[i]) + ')';
  }
  return text;
}

namespace detail {

inline std::string models_word(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " model" : " models");
}

inline std::string describe_package(const package_evaluation& e,
                                    std::string_view decisive_name) {
  const std::size_t total = e.counts.total;
  const std::size_t dead = e.counts[model_state::dead];
  std::string text(to_string(e.state));
  text += ": ";

  switch (e.decided_by) {
    case package_rule::no_models:
      return text + "the package lists no models";
    case package_rule::all_paused:
      return text + "all " + models_word(total) + " paused";
    case package_rule::all_exited:
      return text + "all " + models_word(total) + " exited";
    case package_rule::all_dead:
    case package_rule::some_dead:
      text += std::to_string(dead) + " of " + models_word(total) + " dead";
      if (!decisive_name.empty()) {
        text += " (" + printable(decisive_name);
        if (dead > 1) {
          text += " and " + std::to_string(dead - 1) +
                  (dead == 2 ? " other" : " others");
        }
        text += ')';
      }
      break;
    case package_rule::otherwise:
      text += models_word(total);
      break;
  }
  return text + "; " + describe(e.counts);
}

template <class Names>
std::string_view name_at(const Names& names, std::size_t position) {
  std::size_t i = 0;
  for (const auto& name : names) {
    if (i == position) {
      return std::string_view(name);
    }
    ++i;
  }
  return {};
}

}  // namespace detail

/// Explains an evaluation in one line a person can act on, e.g.
/// "error: 2 of 2 models dead; dead(2)" or "running: 2 models; created(1),
/// running(1)". Names no model; see the overload taking names.
inline std::string describe(const package_evaluation& e) {
  return detail::describe_package(e, {});
}

/// Explains an evaluation in one line and names the decisive model, e.g.
/// "degraded: 1 of 3 models dead (model-b); paused(2), dead(1)".
///
/// `names` is either a range of names parallel to the range that was
/// evaluated (a package_definition's `models`, for example) or a callable
/// taking a position and returning something convertible to
/// std::string_view. It is asked only for the name at `e.decisive`.
template <class Names>
std::string describe(const package_evaluation& e, const Names& names) {
  if (e.decisive == package_evaluation::npos) {
    return detail::describe_package(e, {});
  }
  if constexpr (std::is_invocable_v<const Names&, std::size_t>) {
    return detail::describe_package(e, std::string_view(names(e.decisive)));
  } else {
    return detail::describe_package(e, detail::name_at(names, e.decisive));
  }
}

/// Defines a package: its name and the names of its models.
struct package_definition {
  std::string name;
  std::vector<std::string> models;

  /// Compares two definitions field by field.
  friend bool operator==(const package_definition& a,
                         const package_definition& b) {
    return a.name == b.name && a.models == b.models;
  }

  /// Compares two definitions field by field.
  friend bool operator!=(const package_definition& a,
                         const package_definition& b) {
    return !(a == b);
  }
};

/// Evaluates a package from its definition, asking `state_of_model` for the
/// state of each model by name.
///
/// `state_of_model` takes a std::string_view and returns a model_state, a
/// std::optional<model_state> or a pointer to one (empty or null: the model
/// never reported, counted as created). `decisive` indexes `d.models`.
template <class Lookup>
package_evaluation evaluate_package(const package_definition& d,
                                    Lookup&& state_of_model) {
  detail::package_tally tally;
  for (const std::string& model : d.models) {
    tally.add(
        detail::package_member_state(state_of_model(std::string_view(model))));
  }
  return tally.finish();
}

/// Names what a package_index found wrong with a definition.
enum class package_problem_kind : unsigned char {
  invalid_package_name,  ///< the package name fails check_name: not indexed
  duplicate_package,     ///< an earlier definition has the name: not indexed
  invalid_model_name,    ///< a model name fails check_name: model left out
  duplicate_model,       ///< the package lists a model twice: counted once
};

/// Returns a problem kind's name, e.g. "duplicate model".
constexpr std::string_view to_string(package_problem_kind k) noexcept {
  switch (k) {
    case package_problem_kind::invalid_package_name:
      return "invalid package name";
    case package_problem_kind::duplicate_package:
      return "duplicate package";
    case package_problem_kind::invalid_model_name:
      return "invalid model name";
    case package_problem_kind::duplicate_model:
      break;
  }
  return "duplicate model";
}

/// Records one problem found while indexing package definitions.
struct package_problem {
  /// Marks "no position" in `model` and `earlier`.
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  package_problem_kind kind = package_problem_kind::invalid_package_name;

  /// Position of the definition in the indexer's input.
  std::size_t definition = 0;

  /// The package's name as given.
  std::string package;

  /// Position in the definition's models; npos for a package problem.
  std::size_t model = npos;

  /// The model's name as given; empty for a package problem.
  std::string model_name;

  /// The failed check, for the two invalid-name kinds.
  name_check check;

  /// Position of the earlier definition (duplicate_package) or model
  /// (duplicate_model) with the same name; npos otherwise.
  std::size_t earlier = npos;
};

/// Explains a problem in one line, e.g. "package 'a/b' (definition 2) not
/// indexed: name contains '/' at byte 1".
inline std::string describe(const package_problem& p) {
  const std::string package = detail::quote(p.package);
  const std::string model = detail::quote(p.model_name);

  switch (p.kind) {
    case package_problem_kind::invalid_package_name:
      return "package " + package + " (definition " +
             std::to_string(p.definition) +
             ") not indexed: " + describe(p.check);
    case package_problem_kind::duplicate_package:
      return "package " + package + " (definition " +
             std::to_string(p.definition) +
             ") not indexed: same name as definition " +
             std::to_string(p.earlier);
    case package_problem_kind::invalid_model_name:
      return "package " + package + " model " + std::to_string(p.model) + " (" +
             model + ") left out: " + describe(p.check);
    case package_problem_kind::duplicate_model:
      break;
  }
  return "package " + package + " model " + std::to_string(p.model) + " (" +
         model + ") counted once: already listed as model " +
         std::to_string(p.earlier);
}

/// Indexes package definitions by package and by model.
///
/// Built once from a set of definitions; to change the set, build a new
/// index. Answers "which packages list model M" and "which definition has
/// name P" in O(1) on average, without allocating. While indexing, it
/// - leaves out a package whose name fails check_name, and a later
///   definition with the name of an earlier one;
/// - drops from a package a model whose name fails check_name (no state can
///   ever be stored for it) and any repeat of a model already listed, so
///   that each model is counted once;
/// and records each of these as a package_problem.
class package_index {
 public:
  /// Builds an empty index.
  package_index() = default;

  /// Builds the index of the given definitions.
  explicit package_index(std::vector<package_definition> definitions) {
    sift(definitions);
    link();
  }

  /// Copies an index; the copy refers to its own definitions.
  package_index(const package_index& other)
      : packages_(other.packages_), problems_(other.problems_) {
    link();
  }

  /// Moves an index; references into it stay valid.
  package_index(package_index&& other) = default;

  /// Replaces this index by a copy of another.
  package_index& operator=(const package_index& other) {
    if (this != &other) {
      package_index copy(other);
      *this = std::move(copy);
    }
    return *this;
  }

  /// Replaces this index by another, moved in.
  package_index& operator=(package_index&& other) = default;

  /// Destroys the index.
  ~package_index() = default;

  /// Returns the packages that list a model, in definition order; empty
  /// for a model no package lists.
  const std::vector<const package_definition*>& packages_of(
      std::string_view model) const {
    static const std::vector<const package_definition*> none;
    const auto it = by_model_.find(model);
    return it == by_model_.end() ? none : it->second;
  }

  /// Tells whether any package lists a model.
  bool contains_model(std::string_view model) const {
    return by_model_.find(model) != by_model_.end();
  }

  /// Returns the definition of a package, or nullptr when none has the name.
  const package_definition* find(std::string_view package) const {
    const auto it = by_name_.find(package);
    return it == by_name_.end() ? nullptr : &packages_[it->second];
  }

  /// Returns the indexed definitions, in input order, as cleaned up.
  const std::vector<package_definition>& packages() const noexcept {
    return packages_;
  }

  /// Returns the problems found while indexing, in input order.
  const std::vector<package_problem>& problems() const noexcept {
    return problems_;
  }

  /// Returns the number of packages indexed.
  std::size_t size() const noexcept { return packages_.size(); }

  /// Tells whether no package is indexed.
  bool empty() const noexcept { return packages_.empty(); }

  /// Returns the number of distinct models listed by the packages.
  std::size_t model_count() const noexcept { return by_model_.size(); }

 private:
  // Checks names and repeats, keeping the good definitions in packages_.
  void sift(std::vector<package_definition>& definitions) {
    std::unordered_map<std::string_view, std::size_t> seen;
    std::vector<bool> keep(definitions.size(), false);

    for (std::size_t i = 0; i < definitions.size(); ++i) {
      package_definition& d = definitions[i];
      const name_check check = check_name(d.name);
      if (!check) {
        problems_.push_back({package_problem_kind::invalid_package_name,
                             i,
                             d.name,
                             package_problem::npos,
                             {},
                             check,
                             package_problem::npos});
        continue;
      }
      const auto [first, fresh] = seen.emplace(d.name, i);
      if (!fresh) {
        problems_.push_back({package_problem_kind::duplicate_package,
                             i,
                             d.name,
                             package_problem::npos,
                             {},
                             {},
                             first->second});
        continue;
      }
      keep[i] = true;
      sift_models(d, i);
    }

    packages_.reserve(definitions.size());
    for (std::size_t i = 0; i < definitions.size(); ++i) {
      if (keep[i]) {
        packages_.push_back(std::move(definitions[i]));
      }
    }
  }

  // Drops the invalid and repeated model names of one definition.
  void sift_models(package_definition& d, std::size_t position) {
    std::unordered_map<std::string_view, std::size_t> seen;
    std::vector<bool> keep(d.models.size(), false);
    bool all_kept = true;

    for (std::size_t j = 0; j < d.models.size(); ++j) {
      const std::string& model = d.models[j];
      const name_check check = check_name(model);
      if (!check) {
        problems_.push_back({package_problem_kind::invalid_model_name, position,
                             d.name, j, model, check, package_problem::npos});
        all_kept = false;
        continue;
      }
      const auto [first, fresh] = seen.emplace(model, j);
      if (!fresh) {
        problems_.push_back({package_problem_kind::duplicate_model,
                             position,
                             d.name,
                             j,
                             model,
                             {},
                             first->second});
        all_kept = false;
        continue;
      }
      keep[j] = true;
    }

    if (all_kept) {
      return;
    }
    std::vector<std::string> kept;
    for (std::size_t j = 0; j < d.models.size(); ++j) {
      if (keep[j]) {
        kept.push_back(std::move(d.models[j]));
      }
    }
    d.models = std::move(kept);
  }

  // Builds the lookup tables; their keys view the strings in packages_,
  // whose addresses a move of the index leaves unchanged.
  void link() {
    by_name_.clear();
    by_model_.clear();
    by_name_.reserve(packages_.size());

    for (std::size_t i = 0; i < packages_.size(); ++i) {
      const package_definition& d = packages_[i];
      by_name_.emplace(d.name, i);
      for (const std::string& model : d.models) {
        by_model_[model].push_back(&d);
      }
    }
  }

  std::vector<package_definition> packages_;
  std::vector<package_problem> problems_;
  std::unordered_map<std::string_view, std::size_t> by_name_;
  std::unordered_map<std::string_view, std::vector<const package_definition*>>
      by_model_;
};

/// Says why a package definitions document could not be decoded; the
/// values are stable.
enum class definition_error : unsigned char {
  none = 0,           ///< no error
  syntax = 1,         ///< the text is not well-formed JSON or YAML
  not_an_object = 2,  ///< a document or array element is not an object
  missing_field = 3,  ///< a field a Package needs is absent
  wrong_type = 4,     ///< a field has the wrong type
};

/// Returns an error's stable name, e.g. "wrong_type".
constexpr std::string_view to_string(definition_error e) noexcept {
  switch (e) {
    case definition_error::none:
      return "none";
    case definition_error::syntax:
      return "syntax";
    case definition_error::not_an_object:
      return "not_an_object";
    case definition_error::missing_field:
      return "missing_field";
    case definition_error::wrong_type:
      break;
  }
  return "wrong_type";
}

/// Records one problem found while decoding package definitions.
struct definition_problem {
  definition_error code = definition_error::none;

  /// Path of the offending value, e.g. "[2].spec.models[0].name"; empty
  /// when the problem concerns the whole input.
  std::string where;

  /// What was wrong, e.g. "expected a string, found number".
  std::string message;

  /// Line and column in the text, from 1; 0 when not known.
  std::size_t line = 0;
  std::size_t column = 0;
};

/// Explains a decoding problem in one line, e.g.
/// "[2].spec.models[0].name (line 9, column 13): expected a string".
inline std::string describe(const definition_problem& p) {
  std::string text = p.where;
  if (p.line != 0) {
    text += text.empty() ? "line " : " (line ";
    text += std::to_string(p.line);
    if (p.column != 0) {
      text += ", column " + std::to_string(p.column);
    }
    text += p.where.empty() ? "" : ")";
  }
  if (text.empty()) {
    text = "input";
  }
  return text + ": " + p.message;
}

/// Holds the package definitions read from a document, and the problems.
///
/// A Package document with a problem is left out whole; the others are
/// still read. A syntax error leaves out everything.
struct [[nodiscard]] decoded_packages {
  std::vector<package_definition> packages;
  std::vector<definition_problem> problems;

  /// Number of documents (or array elements) looked at, of any kind.
  std::size_t documents = 0;

  /// Tells whether everything was read without a problem.
  bool ok() const noexcept { return problems.empty(); }
};

namespace detail {

inline std::string package_path(const std::string& where,
                                std::string_view field) {
  return where.empty() ? std::string(field) : where + '.' + std::string(field);
}

// Decodes artifact documents through a Format that abstracts the parsed
// tree (JSON or YAML), so that both formats follow the same rules. Format
// provides: a `node` type; object_word and array_word ("an object");
// is_object, is_array, member (optional node), text (optional string, for
// string values only), elements (vector of nodes), type_name, and place
// (line and column from 1, or zeros).
template <class Format>
class package_decoder {
 public:
  using node = typename Format::node;

  explicit package_decoder(decoded_packages& out) : out_(out) {}

  // Reads one document; a Package without problems joins out_.packages.
  void document(const node& doc, const std::string& where) {
    ++out_.documents;
    failed_ = false;
    if (!Format::is_object(doc)) {
      expected(definition_error::not_an_object, where, doc,
               Format::object_word);
      return;
    }

    const std::optional<node> kind = Format::member(doc, "kind");
    if (!kind) {
      return;
    }
    const std::optional<std::string> kind_text = Format::text(*kind);
    if (!kind_text) {
      expected(definition_error::wrong_type, package_path(where, "kind"), *kind,
               "a string");
      return;
    }
    if (*kind_text != "Package") {
      return;
    }

    package_definition d;
    const std::optional<node> name = field(doc, where, "metadata", "name");
    const std::optional<node> models = field(doc, where, "spec", "models");
    if (name) {
      d.name = *Format::text(*name);
    }
    if (models) {
      read_models(*models, package_path(where, "spec.models"), d);
    }

    if (!failed_) {
      out_.packages.push_back(std::move(d));
    }
  }

 private:
  void fail(definition_error code, std::string where, const node& at,
            std::string message) {
    const auto [line, column] = Format::place(at);
    out_.problems.push_back(
        {code, std::move(where), std::move(message), line, column});
    failed_ = true;
  }

  void expected(definition_error code, std::string where, const node& at,
                std::string_view what) {
    fail(code, std::move(where), at,
         "expected " + std::string(what) + ", found " + Format::type_name(at));
  }

  // Finds doc.outer.inner, reporting what is missing or of the wrong type:
  // outer must be an object; inner an array for "models", else a string.
  std::optional<node> field(const node& doc, const std::string& where,
                            std::string_view outer_key,
                            std::string_view inner_key) {
    const std::string needs = "a Package needs " + std::string(outer_key) +
                              '.' + std::string(inner_key);
    const std::string outer_where = package_path(where, outer_key);
    const std::optional<node> outer = Format::member(doc, outer_key);
    if (!outer) {
      fail(definition_error::missing_field, outer_where, doc, needs);
      return std::nullopt;
    }
    if (!Format::is_object(*outer)) {
      expected(definition_error::wrong_type, outer_where, *outer,
               Format::object_word);
      return std::nullopt;
    }

    const std::string inner_where = package_path(outer_where, inner_key);
    const std::optional<node> inner = Format::member(*outer, inner_key);
    if (!inner) {
      fail(definition_error::missing_field, inner_where, *outer, needs);
      return std::nullopt;
    }

    const bool array = inner_key == "models";
    if (array ? !Format::is_array(*inner) : !Format::text(*inner)) {
      expected(definition_error::wrong_type, inner_where, *inner,
               array ? Format::array_word : std::string_view("a string"));
      return std::nullopt;
    }
    return inner;
  }

  void read_models(const node& models, const std::string& where,
                   package_definition& d) {
    const std::vector<node> elements = Format::elements(models);
    d.models.reserve(elements.size());

    for (std::size_t i = 0; i < elements.size(); ++i) {
      const node& model = elements[i];
      const std::string model_where = where + '[' + std::to_string(i) + ']';
      if (!Format::is_object(model)) {
        expected(definition_error::wrong_type, model_where, model,
                 Format::object_word);
        continue;
      }
      const std::optional<node> name = Format::member(model, "name");
      if (!name) {
        fail(definition_error::missing_field, package_path(model_where, "name"),
             model, "a model entry needs a name");
        continue;
      }
      std::optional<std::string> text = Format::text(*name);
      if (!text) {
        expected(definition_error::wrong_type,
                 package_path(model_where, "name"), *name, "a string");
        continue;
      }
      d.models.push_back(std::move(*text));
    }
  }

  decoded_packages& out_;
  bool failed_ = false;
};

}  // namespace detail

}  // namespace modelstate

#endif  // MODELSTATE_PACKAGE_HPP
