// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_SINK_HPP
#define MODELSTATE_SINK_HPP

#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace modelstate {

/// Holds the outcome of a write: success, or the store's error text.
struct [[nodiscard]] put_result {
  bool ok = true;
  std::string error;

  /// Returns a successful result.
  static put_result success() { return {}; }

  /// Returns a failed result carrying the store's message.
  static put_result failure(std::string message) {
    return {false, std::move(message)};
  }

  /// Tells whether the write succeeded.
  explicit operator bool() const noexcept { return ok; }
};

/// Names one key/value pair to write; the views must outlive the call.
struct entry {
  std::string_view key;
  std::string_view value;
};

/// Says what happened to one entry handed to a store.
enum class write_outcome : unsigned char {
  written,    ///< the store confirmed the write
  unchanged,  ///< the store already holds this value; nothing was sent
  failed,     ///< the store reported an error (see write_status::error)
  skipped,    ///< not sent at all, e.g. because the name was rejected
};

/// Returns the outcome's name, e.g. "written".
constexpr std::string_view to_string(write_outcome o) noexcept {
  switch (o) {
    case write_outcome::written:
      return "written";
    case write_outcome::unchanged:
      return "unchanged";
    case write_outcome::failed:
      return "failed";
    case write_outcome::skipped:
      break;
  }
  return "skipped";
}

/// Holds what happened to one entry, with the error text of a failure and,
/// when a change tracker knows it, the value confirmed before this write.
struct write_status {
  write_outcome outcome = write_outcome::skipped;
  std::string error;
  std::optional<std::string> previous;
};

namespace detail {

template <class R>
inline constexpr bool is_put_return_v =
    std::is_same_v<std::decay_t<R>, put_result> ||
    std::is_same_v<std::decay_t<R>, bool>;

template <class S, class = void>
struct has_put : std::false_type {};
template <class S>
struct has_put<
    S,
    std::enable_if_t<is_put_return_v<decltype(std::declval<S&>().put(
        std::declval<std::string_view>(), std::declval<std::string_view>()))>>>
    : std::true_type {};

template <class S, class = void>
struct has_put_batch : std::false_type {};
template <class S>
struct has_put_batch<
    S, std::enable_if_t<is_put_return_v<decltype(std::declval<S&>().put_batch(
           std::declval<const std::vector<entry>&>()))>>> : std::true_type {};

}  // namespace detail

/// Tells whether S is a sink: it has `put(std::string_view key,
/// std::string_view value)` returning put_result or bool.
template <class S>
struct is_sink : detail::has_put<S> {};

/// True when S is a sink.
template <class S>
inline constexpr bool is_sink_v = is_sink<S>::value;

/// Tells whether S also has `put_batch(const std::vector<entry>&)`,
/// returning put_result or bool for the batch as a whole.
template <class S>
struct is_batch_sink
    : std::bool_constant<is_sink_v<S> && detail::has_put_batch<S>::value> {};

/// True when S is a sink with a batch put.
template <class S>
inline constexpr bool is_batch_sink_v = is_batch_sink<S>::value;

#if defined(__cpp_concepts) && __cpp_concepts >= 201907L
/// A store the pipeline can write to.
template <class S>
concept sink = is_sink_v<S>;

/// A store that can also write many entries in one call.
template <class S>
concept batch_sink = is_batch_sink_v<S>;
#endif

namespace detail {

template <class S>
constexpr void check_sink() {
  static_assert(is_sink_v<S>,
                "modelstate: the sink needs a member "
                "put(std::string_view key, std::string_view value) that "
                "returns modelstate::put_result or bool");
}

template <class R>
put_result to_put_result(R&& r) {
  if constexpr (std::is_same_v<std::decay_t<R>, bool>) {
    return r ? put_result::success()
             : put_result::failure("the sink reported a failure");
  } else {
    return std::forward<R>(r);
  }
}

inline put_result failure_from_exception() {
  try {
    throw;
  } catch (const std::exception& e) {
    return put_result::failure(std::string("the sink threw: ") + e.what());
  } catch (...) {
    return put_result::failure("the sink threw an unknown exception");
  }
}

}  // namespace detail

/// Writes one entry; an exception from the sink becomes a failed result.
template <class Sink>
put_result put(Sink& sink, std::string_view key, std::string_view value) {
  detail::check_sink<Sink>();
  try {
    return detail::to_put_result(sink.put(key, value));
  } catch (...) {
    return detail::failure_from_exception();
  }
}

/// Writes entries in one batch when the sink has put_batch (one result for
/// all of them), else one by one; returns one result per entry.
template <class Sink>
std::vector<put_result> put_all(Sink& sink, const std::vector<entry>& entries) {
  detail::check_sink<Sink>();
  std::vector<put_result> results;
  results.reserve(entries.size());
  if constexpr (is_batch_sink_v<Sink>) {
    if (entries.empty()) {
      return results;
    }
    put_result outcome;
    try {
      outcome = detail::to_put_result(sink.put_batch(entries));
    } catch (...) {
      outcome = detail::failure_from_exception();
    }
    results.assign(entries.size(), outcome);
  } else {
    for (const auto& e : entries) {
      results.push_back(put(sink, e.key, e.value));
    }
  }
  return results;
}

namespace detail {

template <class T, class = void>
struct has_write : std::false_type {};
template <class T>
struct has_write<T, std::enable_if_t<std::is_same_v<
                        decltype(std::declval<T&>().write(
                            std::declval<const std::vector<entry>&>())),
                        std::vector<write_status>>>> : std::true_type {};

}  // namespace detail

/// Tells whether T is a writer: it has `write(const std::vector<entry>&)`
/// returning one write_status per entry, as change_tracker does.
template <class T>
struct is_writer : detail::has_write<T> {};

/// True when T is a writer.
template <class T>
inline constexpr bool is_writer_v = is_writer<T>::value;

/// Writes entries to a writer (one status each, as it says) or to a sink
/// (written or failed, through put_all).
template <class Target>
std::vector<write_status> write_all(Target& target,
                                    const std::vector<entry>& entries) {
  static_assert(is_writer_v<Target> || is_sink_v<Target>,
                "modelstate: the target needs write(const "
                "std::vector<modelstate::entry>&) returning "
                "std::vector<modelstate::write_status>, or put(key, value)");
  if constexpr (is_writer_v<Target>) {
    return target.write(entries);
  } else {
    std::vector<write_status> statuses;
    statuses.reserve(entries.size());
    for (auto& result : put_all(target, entries)) {
      write_status s;
      s.outcome = result.ok ? write_outcome::written : write_outcome::failed;
      s.error = std::move(result.error);
      statuses.push_back(std::move(s));
    }
    return statuses;
  }
}

/// Stores entries in memory, ordered by key.
class memory_sink {
 public:
  /// Stores value under key; always succeeds.
  put_result put(std::string_view key, std::string_view value) {
    auto it = data_.find(key);
    if (it == data_.end()) {
      data_.emplace(std::string(key), std::string(value));
    } else {
      it->second.assign(value);
    }
    return put_result::success();
  }

  /// Returns the value stored under key, if any.
  std::optional<std::string_view> get(std::string_view key) const {
    auto it = data_.find(key);
    if (it == data_.end()) {
      return std::nullopt;
    }
    return std::string_view(it->second);
  }

  /// Returns every entry, ordered by key.
  const std::map<std::string, std::string, std::less<>>& data() const noexcept {
    return data_;
  }

 private:
  std::map<std::string, std::string, std::less<>> data_;
};

/// Adapts a callable `f(key, value)` returning put_result or bool to a sink.
template <class F>
class callable_sink {
 public:
  /// Wraps f.
  explicit callable_sink(F f) : f_(std::move(f)) {}

  /// Calls the wrapped callable.
  put_result put(std::string_view key, std::string_view value) {
    static_assert(
        detail::is_put_return_v<
            std::invoke_result_t<F&, std::string_view, std::string_view>>,
        "modelstate: a callable sink must return modelstate::put_result or "
        "bool");
    return detail::to_put_result(std::invoke(f_, key, value));
  }

 private:
  F f_;
};

/// Makes a sink from a callable `f(std::string_view, std::string_view)`.
template <class F>
callable_sink<std::decay_t<F>> make_sink(F&& f) {
  return callable_sink<std::decay_t<F>>(std::forward<F>(f));
}

}  // namespace modelstate

#endif  // MODELSTATE_SINK_HPP
