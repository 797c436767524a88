// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_TRACKER_HPP
#define MODELSTATE_TRACKER_HPP

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "key.hpp"
#include "sink.hpp"
#include "vocabulary.hpp"

namespace modelstate {

/// Holds what happened to one key written by flush() or retried by write().
struct key_status {
  std::string key;
  std::string value;  ///< the value that was sent
  write_status status;
};

/// Says why a stored pair was not recorded while priming.
enum class prime_error : unsigned char {
  rejected,            ///< the caller's validator rejected it (see reason)
  foreign_key,         ///< the key is not of the expected key format
  empty_value,         ///< the value is empty or only blanks
  unrecognised_value,  ///< the value is no spelling of any model state
  no_model_state,      ///< a phase no model state maps to, e.g. UNSPECIFIED
};

/// Returns a prime error's name, e.g. "foreign key".
constexpr std::string_view to_string(prime_error e) noexcept {
  switch (e) {
    case prime_error::rejected:
      return "rejected";
    case prime_error::foreign_key:
      return "foreign key";
    case prime_error::empty_value:
      return "empty value";
    case prime_error::unrecognised_value:
      return "unrecognised value";
    case prime_error::no_model_state:
      break;
  }
  return "no model state";
}

/// Holds one stored pair that priming did not record, and why.
struct prime_problem {
  std::string key;
  std::string value;
  prime_error error = prime_error::rejected;
  std::string reason;  ///< says what is wrong with the key or the value
};

namespace detail {

// Keeps prime(key, value) from being taken for prime(range, validator).
template <class Range>
using enable_if_range_t =
    std::enable_if_t<!std::is_convertible_v<const Range&, std::string_view>>;

inline constexpr std::string_view superseded_text =
    "superseded by a later entry for the same key";

// Explains why name_from_key refused a key.
inline std::string describe_foreign_key(std::string_view key,
                                        const key_format& format) {
  const bool framed =
      key.size() >= format.prefix.size() + format.suffix.size() &&
      key.substr(0, format.prefix.size()) == format.prefix &&
      key.substr(key.size() - format.suffix.size()) == format.suffix;
  std::string text;
  if (!framed) {
    text.append("key does not have the form ")
        .append(format.prefix)
        .append("{name}")
        .append(format.suffix);
    return text;
  }

  const std::string_view name =
      key.substr(format.prefix.size(),
                 key.size() - format.prefix.size() - format.suffix.size());
  const name_check check = check_name(name);
  text.append("key holds an invalid name: ").append(describe(check));
  return text;
}

inline prime_error to_prime_error(parse_error e) noexcept {
  switch (e) {
    case parse_error::empty:
      return prime_error::empty_value;
    case parse_error::no_model_state:
      return prime_error::no_model_state;
    default:
      break;
  }
  return prime_error::unrecognised_value;
}

}  // namespace detail

/// Writes only what changed through a caller's sink, remembers per key the
/// value the sink confirmed, and retries failed writes until they succeed.
///
/// A value counts as confirmed only once the sink reports success; a failed
/// write stays pending with the latest desired value and is sent again by
/// the next write() or flush(). The tracker holds a reference to the sink,
/// which must outlive it. It is not thread-safe: guard it with one mutex.
template <class Sink>
class change_tracker {
 public:
  /// Maps each key to a value, ordered by key.
  using value_map = std::map<std::string, std::string, std::less<>>;

  /// Tracks writes to sink; the sink must outlive the tracker.
  explicit change_tracker(Sink& sink) noexcept : sink_(sink) {
    detail::check_sink<Sink>();
  }

  /// Refuses a temporary sink, which would dangle.
  change_tracker(Sink&& sink) = delete;

  /// Writes the entries that differ from what the sink confirmed, plus every
  /// pending retry, in one put_all; returns one status per entry, in order.
  ///
  /// An entry whose value equals the confirmed one and has no pending write
  /// is reported unchanged and not sent. When a key occurs more than once,
  /// the last entry wins and the earlier ones are reported skipped.
  std::vector<write_status> write(const std::vector<entry>& entries) {
    std::vector<key_status> retried;
    return write(entries, retried);
  }

  /// Writes like write(entries) and appends to `retried` the outcome of each
  /// pending write of a key that `entries` does not mention.
  std::vector<write_status> write(const std::vector<entry>& entries,
                                  std::vector<key_status>& retried) {
    std::vector<write_status> statuses(entries.size());
    std::map<std::string_view, std::size_t> last;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      last[entries[i].key] = i;
    }

    std::vector<entry> batch;
    std::vector<std::size_t> origin;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const entry& e = entries[i];
      write_status& status = statuses[i];
      status.previous = confirmed_copy(e.key);
      if (last.find(e.key)->second != i) {
        status.outcome = write_outcome::skipped;
        status.error = std::string(detail::superseded_text);
      } else if (status.previous == e.value && !is_pending(e.key)) {
        status.outcome = write_outcome::unchanged;
      } else {
        batch.push_back(e);
        origin.push_back(i);
      }
    }

    const std::size_t own = batch.size();
    for (const auto& [key, value] : pending_) {
      if (last.find(key) == last.end()) {
        batch.push_back(entry{key, value});
      }
    }

    std::vector<put_result> results = put_all(sink_, batch);

    for (std::size_t j = 0; j < own; ++j) {
      settle(batch[j], std::move(results[j]), statuses[origin[j]]);
    }
    for (std::size_t j = own; j < batch.size(); ++j) {
      retried.push_back(settle_retry(batch[j], std::move(results[j])));
    }
    return statuses;
  }

  /// Sends every pending write again; returns one status per key, ordered
  /// by key. Sends nothing when nothing is pending.
  std::vector<key_status> flush() {
    std::vector<entry> batch;
    batch.reserve(pending_.size());
    for (const auto& [key, value] : pending_) {
      batch.push_back(entry{key, value});
    }

    std::vector<put_result> results = put_all(sink_, batch);

    std::vector<key_status> out;
    out.reserve(batch.size());
    for (std::size_t j = 0; j < batch.size(); ++j) {
      out.push_back(settle_retry(batch[j], std::move(results[j])));
    }
    return out;
  }

  /// Records value as what the store holds under key, e.g. from a read at
  /// start-up; leaves a pending write of the key in place.
  void prime(std::string_view key, std::string_view value) {
    assign(confirmed_, key, value);
  }

  /// Records every (key, value) pair of a range (a map, pairs, entries).
  template <class Range, class = detail::enable_if_range_t<Range>>
  void prime(const Range& pairs) {
    for (const auto& [key, value] : pairs) {
      prime(std::string_view(key), std::string_view(value));
    }
  }

  /// Records the pairs that `validate(key, value)` accepts by returning an
  /// empty std::optional<std::string>; returns the others, with the reason
  /// the validator gave, as prime_error::rejected.
  template <class Range, class Validator,
            class = detail::enable_if_range_t<Range>>
  std::vector<prime_problem> prime(const Range& pairs, Validator validate) {
    static_assert(
        std::is_invocable_r_v<std::optional<std::string>, Validator&,
                              std::string_view, std::string_view>,
        "modelstate: the validator must be callable as "
        "validate(std::string_view key, std::string_view value) and return "
        "std::optional<std::string> (empty to accept, else the reason)");
    std::vector<prime_problem> problems;
    for (const auto& [key, value] : pairs) {
      const std::string_view k(key);
      const std::string_view v(value);
      std::optional<std::string> reason = std::invoke(validate, k, v);
      if (reason) {
        problems.push_back(prime_problem{std::string(k), std::string(v),
                                         prime_error::rejected,
                                         std::move(*reason)});
      } else {
        prime(k, v);
      }
    }
    return problems;
  }

  /// Drops what is known about key, confirmed and pending; tells whether
  /// anything was known. The next write of the key sends it.
  bool forget(std::string_view key) {
    const bool known = erase(confirmed_, key);
    const bool waiting = erase(pending_, key);
    return known || waiting;
  }

  /// Returns the value the sink last confirmed for key (or that was primed);
  /// the view is valid until the tracker next changes that key.
  std::optional<std::string_view> confirmed(std::string_view key) const {
    auto it = confirmed_.find(key);
    if (it == confirmed_.end()) {
      return std::nullopt;
    }
    return std::string_view(it->second);
  }

  /// Returns the writes waiting for a retry: key -> latest desired value.
  const value_map& pending() const noexcept { return pending_; }

  /// Tells whether a write of key is waiting for a retry.
  bool is_pending(std::string_view key) const {
    return pending_.find(key) != pending_.end();
  }

  /// Drops every confirmed value and every pending write.
  void clear() noexcept {
    confirmed_.clear();
    pending_.clear();
  }

 private:
  static void assign(value_map& map, std::string_view key,
                     std::string_view value) {
    auto it = map.find(key);
    if (it == map.end()) {
      map.emplace(std::string(key), std::string(value));
    } else {
      it->second.assign(value.data(), value.size());
    }
  }

  static bool erase(value_map& map, std::string_view key) {
    auto it = map.find(key);
    if (it == map.end()) {
      return false;
    }
    map.erase(it);
    return true;
  }

  std::optional<std::string> confirmed_copy(std::string_view key) const {
    auto it = confirmed_.find(key);
    if (it == confirmed_.end()) {
      return std::nullopt;
    }
    return it->second;
  }

  // Applies the sink's answer for an entry of the caller; its views point
  // into the caller's data, so the maps may change freely.
  void settle(const entry& e, put_result result, write_status& status) {
    if (result.ok) {
      status.outcome = write_outcome::written;
      assign(confirmed_, e.key, e.value);
      erase(pending_, e.key);
      return;
    }

    status.outcome = write_outcome::failed;
    status.error = std::move(result.error);
    assign(pending_, e.key, e.value);
  }

  // Applies the sink's answer for a retry; its views point into pending_,
  // so they are copied before that node is touched.
  key_status settle_retry(const entry& e, put_result result) {
    key_status out{std::string(e.key), std::string(e.value), write_status{}};
    out.status.previous = confirmed_copy(out.key);
    if (result.ok) {
      out.status.outcome = write_outcome::written;
      assign(confirmed_, out.key, out.value);
      erase(pending_, out.key);
    } else {
      out.status.outcome = write_outcome::failed;
      out.status.error = std::move(result.error);
    }
    return out;
  }

  Sink& sink_;
  value_map confirmed_;
  value_map pending_;
};

/// Records stored model states (e.g. from a read of the /model/ prefix) as
/// confirmed; returns the pairs it did not record: keys not of `format`,
/// and values that are no spelling of a model state.
///
/// A recognised value is recorded as stored, in whatever spelling, so a
/// later write of the same state in another spelling rewrites it.
template <class Sink, class Range>
std::vector<prime_problem> prime_model_states(
    change_tracker<Sink>& tracker, const Range& pairs,
    const key_format& format = key_format{}) {
  std::vector<prime_problem> problems;
  for (const auto& [key, value] : pairs) {
    const std::string_view k(key);
    const std::string_view v(value);
    if (!name_from_key(k, format)) {
      problems.push_back(prime_problem{
          std::string(k), std::string(v), prime_error::foreign_key,
          detail::describe_foreign_key(k, format)});
      continue;
    }

    const parsed<model_state> state = parse_model_state(v);
    if (!state) {
      std::string reason("value is not a model state: ");
      reason.append(to_string(state.error));
      problems.push_back(prime_problem{std::string(k), std::string(v),
                                       detail::to_prime_error(state.error),
                                       std::move(reason)});
      continue;
    }

    tracker.prime(k, v);
  }
  return problems;
}

}  // namespace modelstate

#endif  // MODELSTATE_TRACKER_HPP
