// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_VOCABULARY_HPP
#define MODELSTATE_VOCABULARY_HPP

#include <cstddef>
#include <string>
#include <string_view>

namespace modelstate {

/// Names the normalised state of one container.
enum class container_state : unsigned char {
  created,
  initialized,
  running,
  paused,
  exited,
  dead,
  unknown,
};

/// Counts the values of container_state.
inline constexpr std::size_t container_state_count = 7;

/// Names the lifecycle state of a model; values are the lifecycle proto
/// numbers (MODEL_STATE_CREATED = 1 ... MODEL_STATE_RUNNING = 5).
enum class model_state : unsigned char {
  created = 1,
  paused = 2,
  exited = 3,
  dead = 4,
  running = 5,
};

/// Names a value of the phase proto enum; values are its numbers.
enum class model_phase : unsigned char {
  unspecified = 0,
  pending = 1,
  running = 2,
  succeeded = 3,
  failed = 4,
  unknown = 5,
  container_creating = 6,
  crash_loop_back_off = 7,
};

/// Selects how a model state is spelled when it is stored.
enum class value_spelling : unsigned char {
  phase,            ///< MODEL_STATE_SUCCEEDED (the default)
  lifecycle_proto,  ///< MODEL_STATE_EXITED
  lifecycle,        ///< Exited
};

/// Says why a stored value could not be read.
enum class parse_error : unsigned char {
  none,
  empty,           ///< the value is empty or only blanks
  unrecognised,    ///< the value is no spelling of any state
  no_model_state,  ///< a phase name with no lifecycle state, e.g. UNSPECIFIED
};

/// Holds a parsed value or the reason it could not be parsed.
template <class T>
struct [[nodiscard]] parsed {
  T value{};
  parse_error error = parse_error::unrecognised;

  /// Tells whether parsing succeeded.
  constexpr explicit operator bool() const noexcept {
    return error == parse_error::none;
  }
};

namespace detail {

constexpr char to_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) {
      return false;
    }
  }
  return true;
}

constexpr std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_blank(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

// Escapes backslashes, control characters (as \xNN) and `mark`, so that
// no name or value from the input can break or forge a line of text.
inline std::string escape(std::string_view text, char mark = '\0') {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      out += hex[c >> 4U];
      out += hex[c & 0xFU];
      continue;
    }
    if (ch == '\\' || (mark != '\0' && ch == mark)) {
      out += '\\';
    }
    out += ch;
  }
  return out;
}

// Quotes text between `mark`s, escaped as escape() does.
inline std::string quote(std::string_view text, char mark = '\'') {
  return mark + escape(text, mark) + mark;
}

// Shows a plain name as it is, and quotes one that holds blanks, quotes,
// control characters or list punctuation, or is empty.
inline std::string printable(std::string_view text, char mark = '\'') {
  std::string quoted = quote(text, mark);
  const bool plain = !text.empty() && quoted.size() == text.size() + 2 &&
                     text.find_first_of(" (),'\"") == std::string_view::npos;
  return plain ? std::string(text) : quoted;
}

// Returns the table entry whose name matches text case-insensitively.
template <class Enum, std::size_t N>
constexpr parsed<Enum> lookup(const std::string_view (&names)[N],
                              const Enum (&values)[N],
                              std::string_view text) noexcept {
  text = trim(text);
  if (text.empty()) {
    return {Enum{}, parse_error::empty};
  }
  for (std::size_t i = 0; i < N; ++i) {
    if (iequals(names[i], text)) {
      return {values[i], parse_error::none};
    }
  }
  return {Enum{}, parse_error::unrecognised};
}

inline constexpr std::string_view container_state_names[] = {
    "created", "initialized", "running", "paused", "exited", "dead", "unknown"};

inline constexpr container_state container_state_values[] = {
    container_state::created, container_state::initialized,
    container_state::running, container_state::paused,
    container_state::exited,  container_state::dead,
    container_state::unknown};

inline constexpr model_state model_state_values[] = {
    model_state::created, model_state::paused, model_state::exited,
    model_state::dead, model_state::running};

inline constexpr std::string_view lifecycle_names[] = {
    "Created", "Paused", "Exited", "Dead", "Running"};

inline constexpr std::string_view lifecycle_proto_names[] = {
    "MODEL_STATE_CREATED", "MODEL_STATE_PAUSED", "MODEL_STATE_EXITED",
    "MODEL_STATE_DEAD", "MODEL_STATE_RUNNING"};

inline constexpr model_phase phase_values[] = {
    model_phase::unspecified,
    model_phase::pending,
    model_phase::running,
    model_phase::succeeded,
    model_phase::failed,
    model_phase::unknown,
    model_phase::container_creating,
    model_phase::crash_loop_back_off};

inline constexpr std::string_view phase_names[] = {
    "MODEL_STATE_UNSPECIFIED",
    "MODEL_STATE_PENDING",
    "MODEL_STATE_RUNNING",
    "MODEL_STATE_SUCCEEDED",
    "MODEL_STATE_FAILED",
    "MODEL_STATE_UNKNOWN",
    "MODEL_STATE_CONTAINER_CREATING",
    "MODEL_STATE_CRASH_LOOP_BACK_OFF"};

constexpr std::size_t index_of(model_state s) noexcept {
  return static_cast<std::size_t>(s) - 1;
}

}  // namespace detail

/// Returns the lower-case name of a container state, e.g. "exited".
constexpr std::string_view to_string(container_state s) noexcept {
  return detail::container_state_names[static_cast<std::size_t>(s)];
}

/// Returns the lifecycle name of a model state, e.g. "Exited".
constexpr std::string_view to_string(model_state s) noexcept {
  return detail::lifecycle_names[detail::index_of(s)];
}

/// Returns the proto name of a phase, e.g. "MODEL_STATE_SUCCEEDED".
constexpr std::string_view to_string(model_phase p) noexcept {
  return detail::phase_names[static_cast<std::size_t>(p)];
}

/// Returns the lifecycle proto name of a model state, e.g.
/// "MODEL_STATE_EXITED".
constexpr std::string_view to_lifecycle_proto(model_state s) noexcept {
  return detail::lifecycle_proto_names[detail::index_of(s)];
}

/// Returns the lifecycle proto number of a model state (1 to 5).
constexpr int to_number(model_state s) noexcept {
  return static_cast<int>(s);
}

/// Returns the phase proto number of a phase (0 to 7).
constexpr int to_number(model_phase p) noexcept {
  return static_cast<int>(p);
}

/// Maps a model state to its phase: created -> pending, paused -> unknown,
/// exited -> succeeded, dead -> failed, running -> running.
constexpr model_phase to_phase(model_state s) noexcept {
  switch (s) {
    case model_state::created:
      return model_phase::pending;
    case model_state::paused:
      return model_phase::unknown;
    case model_state::exited:
      return model_phase::succeeded;
    case model_state::dead:
      return model_phase::failed;
    case model_state::running:
      break;
  }
  return model_phase::running;
}

/// Maps a phase back to its model state; the three phases that no model
/// state produces (unspecified, container_creating, crash_loop_back_off)
/// give parse_error::no_model_state.
constexpr parsed<model_state> to_model_state(model_phase p) noexcept {
  switch (p) {
    case model_phase::pending:
      return {model_state::created, parse_error::none};
    case model_phase::unknown:
      return {model_state::paused, parse_error::none};
    case model_phase::succeeded:
      return {model_state::exited, parse_error::none};
    case model_phase::failed:
      return {model_state::dead, parse_error::none};
    case model_phase::running:
      return {model_state::running, parse_error::none};
    default:
      break;
  }
  return {model_state::created, parse_error::no_model_state};
}

/// Spells a model state as stored: "MODEL_STATE_SUCCEEDED",
/// "MODEL_STATE_EXITED" or "Exited".
constexpr std::string_view to_value(model_state s,
                                    value_spelling spelling) noexcept {
  switch (spelling) {
    case value_spelling::lifecycle_proto:
      return to_lifecycle_proto(s);
    case value_spelling::lifecycle:
      return to_string(s);
    case value_spelling::phase:
      break;
  }
  return to_string(to_phase(s));
}

/// Parses a container state name ("Running", " exited ").
constexpr parsed<container_state> parse_container_state(
    std::string_view text) noexcept {
  return detail::lookup(detail::container_state_names,
                        detail::container_state_values, text);
}

/// Parses a phase name ("MODEL_STATE_SUCCEEDED", "model_state_failed").
constexpr parsed<model_phase> parse_model_phase(
    std::string_view text) noexcept {
  return detail::lookup(detail::phase_names, detail::phase_values, text);
}

/// Parses a stored model state in any of the three spellings, ignoring case
/// and surrounding blanks. "MODEL_STATE_SUCCEEDED", "MODEL_STATE_EXITED" and
/// "exited" all give model_state::exited.
constexpr parsed<model_state> parse_model_state(
    std::string_view text) noexcept {
  auto lifecycle =
      detail::lookup(detail::lifecycle_names, detail::model_state_values, text);
  if (lifecycle || lifecycle.error == parse_error::empty) {
    return lifecycle;
  }

  auto proto = detail::lookup(detail::lifecycle_proto_names,
                              detail::model_state_values, text);
  if (proto) {
    return proto;
  }

  auto phase = parse_model_phase(text);
  if (!phase) {
    return {model_state::created, phase.error};
  }
  return to_model_state(phase.value);
}

/// Describes a parse error in a few words.
constexpr std::string_view to_string(parse_error e) noexcept {
  switch (e) {
    case parse_error::none:
      return "no error";
    case parse_error::empty:
      return "empty value";
    case parse_error::unrecognised:
      return "not a known state";
    case parse_error::no_model_state:
      return "a phase that no model state maps to";
  }
  return "unknown error";
}

}  // namespace modelstate

#endif  // MODELSTATE_VOCABULARY_HPP
