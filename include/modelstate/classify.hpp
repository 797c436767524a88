// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_CLASSIFY_HPP
#define MODELSTATE_CLASSIFY_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vocabulary.hpp"

namespace modelstate {

/// Holds what a runtime says about one container, as text.
///
/// Each field views the caller's own string; an empty view with the
/// matching `has_` bit clear means the field is absent. Views must outlive
/// the facts. Values are read as podman and docker write them: flags as
/// "true"/"false" (or "1"/"0", any case), ExitCode as a decimal integer.
struct container_facts {
  std::string_view status;
  std::string_view running;
  std::string_view paused;
  std::string_view dead;
  std::string_view restarting;
  std::string_view oom_killed;
  std::string_view exit_code;

  /// Bit set of the fields present; see the field_* constants.
  std::uint8_t present = 0;
};

/// Bits of container_facts::present and classification::bad_fields.
inline constexpr std::uint8_t field_status = 1U << 0U;
inline constexpr std::uint8_t field_running = 1U << 1U;
inline constexpr std::uint8_t field_paused = 1U << 2U;
inline constexpr std::uint8_t field_dead = 1U << 3U;
inline constexpr std::uint8_t field_restarting = 1U << 4U;
inline constexpr std::uint8_t field_oom_killed = 1U << 5U;
inline constexpr std::uint8_t field_exit_code = 1U << 6U;

/// Returns the runtime's name of a field bit, e.g. "ExitCode".
constexpr std::string_view field_name(std::uint8_t bit) noexcept {
  switch (bit) {
    case field_status:
      return "Status";
    case field_running:
      return "Running";
    case field_paused:
      return "Paused";
    case field_dead:
      return "Dead";
    case field_restarting:
      return "Restarting";
    case field_oom_killed:
      return "OOMKilled";
    case field_exit_code:
      return "ExitCode";
    default:
      break;
  }
  return "";
}

/// Stores a fact under its runtime key ("Status", "ExitCode", ...); keys are
/// matched case-insensitively and unknown keys are ignored. Returns whether
/// the key was one of the facts.
constexpr bool set_fact(container_facts& facts, std::string_view key,
                        std::string_view value) noexcept {
  struct slot {
    std::string_view key;
    std::string_view container_facts::*field;
    std::uint8_t bit;
  };
  constexpr slot slots[] = {
      {"Status", &container_facts::status, field_status},
      {"Running", &container_facts::running, field_running},
      {"Paused", &container_facts::paused, field_paused},
      {"Dead", &container_facts::dead, field_dead},
      {"Restarting", &container_facts::restarting, field_restarting},
      {"OOMKilled", &container_facts::oom_killed, field_oom_killed},
      {"ExitCode", &container_facts::exit_code, field_exit_code},
  };

  for (const auto& s : slots) {
    if (detail::iequals(s.key, key)) {
      facts.*(s.field) = value;
      facts.present = static_cast<std::uint8_t>(facts.present | s.bit);
      return true;
    }
  }
  return false;
}

/// Holds a copy of container facts that owns its text.
struct fact_text {
  std::string status;
  std::string running;
  std::string paused;
  std::string dead;
  std::string restarting;
  std::string oom_killed;
  std::string exit_code;
  std::uint8_t present = 0;

  /// Copies the text that facts view.
  static fact_text copy(const container_facts& f) {
    return {std::string(f.status),     std::string(f.running),
            std::string(f.paused),     std::string(f.dead),
            std::string(f.restarting), std::string(f.oom_killed),
            std::string(f.exit_code),  f.present};
  }

  /// Returns facts that view this copy.
  container_facts view() const noexcept {
    return {status,     running,    paused,    dead,
            restarting, oom_killed, exit_code, present};
  }
};

/// Selects one of the classification rule sets.
enum class profile : unsigned char {
  /// Status first, flags as a fallback, exit codes count (see docs/rules.md).
  standard,
  /// Reproduces Pullpiri's first implementation: flags and Status only.
  flags_only,
  /// Reproduces Pullpiri's Status-only reading: flags are ignored.
  status_only,
};

/// Holds the knobs of classification.
struct policy {
  /// Maximum number of exit codes in the success set.
  static constexpr std::size_t max_success_codes = 16;

  profile rules = profile::standard;

  /// With profile::standard: an exited container whose exit code is not in
  /// the success set is dead.
  bool exit_code_rule = true;

  int success_codes[max_success_codes] = {0};
  std::size_t success_code_count = 1;

  /// Tells whether code is in the success set.
  constexpr bool is_success(long long code) const noexcept {
    for (std::size_t i = 0; i < success_code_count; ++i) {
      if (success_codes[i] == code) {
        return true;
      }
    }
    return false;
  }

  /// Adds code to the success set; returns false when the set is full.
  constexpr bool add_success_code(int code) noexcept {
    if (is_success(code)) {
      return true;
    }
    if (success_code_count == max_success_codes) {
      return false;
    }
    success_codes[success_code_count++] = code;
    return true;
  }

  /// Empties the success set (then every exit code counts as a failure).
  constexpr void clear_success_codes() noexcept { success_code_count = 0; }
};

/// Returns the policy of a named profile with its defaults.
constexpr policy make_policy(profile p) noexcept {
  policy result;
  result.rules = p;
  return result;
}

/// Says which fact decided a container's state.
enum class reason : unsigned char {
  dead_flag,            ///< the Dead flag is true
  status,               ///< the Status value names the state
  exit_code_failure,    ///< exited with an exit code outside the success set
  exit_code_invalid,    ///< exited with an ExitCode that is not an integer
  exit_code_success,    ///< exited with an exit code in the success set
  paused_flag,          ///< no Status; the Paused flag is true
  running_flag,         ///< no Status; the Running flag is true
  no_status,            ///< no Status and no flag that says anything
  unrecognised_status,  ///< a Status value that no rule knows
  not_running,          ///< flags_only: not running and Status mentions exit
  fallback,             ///< flags_only: nothing else matched, so running
};

/// Holds a container's normalised state and why it was chosen.
struct classification {
  container_state state = container_state::unknown;
  reason why = reason::no_status;

  /// The Status text as given (for reason::status and
  /// reason::unrecognised_status), or the ExitCode text
  /// (for reason::exit_code_invalid).
  std::string_view detail;

  /// The exit code, when one was read.
  long long exit_code = 0;
  bool has_exit_code = false;

  /// The OOMKilled flag was true.
  bool oom_killed = false;

  /// Bit set of fields present with a value that could not be read.
  std::uint8_t bad_fields = 0;
};

namespace detail {

enum class flag : unsigned char { absent, no, yes, invalid };

constexpr flag read_flag(const container_facts& f, std::string_view value,
                         std::uint8_t bit) noexcept {
  if ((f.present & bit) == 0) {
    return flag::absent;
  }
  value = trim(value);
  if (iequals(value, "true") || value == "1") {
    return flag::yes;
  }
  if (iequals(value, "false") || value == "0") {
    return flag::no;
  }
  return flag::invalid;
}

// Parses a decimal integer that fits in 32 bits (as exit codes do).
constexpr bool parse_exit_code(std::string_view text, long long& out) noexcept {
  text = trim(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 10) {
    return false;
  }

  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
    value = value * 10 + (c - '0');
  }
  value = negative ? -value : value;
  if (value < -2147483648LL || value > 4294967295LL) {
    return false;
  }

  out = value;
  return true;
}

constexpr bool contains_exit(std::string_view s) noexcept {
  for (std::size_t i = 0; i + 4 <= s.size(); ++i) {
    if (iequals(s.substr(i, 4), "exit")) {
      return true;
    }
  }
  return false;
}

struct flags {
  flag running, paused, dead, restarting, oom_killed;
};

constexpr flags read_flags(const container_facts& f,
                           classification& c) noexcept {
  flags r{read_flag(f, f.running, field_running),
          read_flag(f, f.paused, field_paused),
          read_flag(f, f.dead, field_dead),
          read_flag(f, f.restarting, field_restarting),
          read_flag(f, f.oom_killed, field_oom_killed)};

  const flag all[] = {r.running, r.paused, r.dead, r.restarting, r.oom_killed};
  const std::uint8_t bits[] = {field_running, field_paused, field_dead,
                               field_restarting, field_oom_killed};
  for (std::size_t i = 0; i < 5; ++i) {
    if (all[i] == flag::invalid) {
      c.bad_fields = static_cast<std::uint8_t>(c.bad_fields | bits[i]);
    }
  }
  c.oom_killed = r.oom_killed == flag::yes;
  return r;
}

// Reads ExitCode into c; an unreadable one is marked bad.
constexpr void read_exit_code(const container_facts& f,
                              classification& c) noexcept {
  if ((f.present & field_exit_code) == 0) {
    return;
  }
  long long code = 0;
  if (parse_exit_code(f.exit_code, code)) {
    c.exit_code = code;
    c.has_exit_code = true;
  } else {
    c.bad_fields = static_cast<std::uint8_t>(c.bad_fields | field_exit_code);
  }
}

constexpr classification with(classification c, container_state s, reason r,
                              std::string_view detail = {}) noexcept {
  c.state = s;
  c.why = r;
  c.detail = detail;
  return c;
}

// A container that has stopped: exited, or dead by its exit code.
constexpr classification stopped(const container_facts& f, classification c,
                                 const policy& p,
                                 std::string_view status) noexcept {
  if (!p.exit_code_rule) {
    return with(c, container_state::exited, reason::status, status);
  }
  if ((c.bad_fields & field_exit_code) != 0) {
    return with(c, container_state::dead, reason::exit_code_invalid,
                trim(f.exit_code));
  }
  if (!c.has_exit_code) {
    return with(c, container_state::exited, reason::status, status);
  }
  if (p.is_success(c.exit_code)) {
    return with(c, container_state::exited, reason::exit_code_success, status);
  }
  return with(c, container_state::dead, reason::exit_code_failure, status);
}

constexpr classification classify_standard(const container_facts& f,
                                           classification c, const flags& fl,
                                           const policy& p) noexcept {
  const std::string_view status = trim(f.status);
  if (fl.dead == flag::yes) {
    return with(c, container_state::dead, reason::dead_flag, status);
  }
  if (status.empty()) {
    if (fl.paused == flag::yes) {
      return with(c, container_state::paused, reason::paused_flag);
    }
    if (fl.running == flag::yes) {
      return with(c, container_state::running, reason::running_flag);
    }
    return with(c, container_state::unknown, reason::no_status);
  }

  struct rule {
    std::string_view status;
    container_state state;
  };
  constexpr rule rules[] = {
      {"dead", container_state::dead},
      {"running", container_state::running},
      {"restarting", container_state::running},
      {"stopping", container_state::running},
      {"paused", container_state::paused},
      {"created", container_state::created},
      {"configured", container_state::created},
      {"initialized", container_state::initialized},
  };
  for (const auto& r : rules) {
    if (iequals(status, r.status)) {
      return with(c, r.state, reason::status, status);
    }
  }

  if (iequals(status, "exited") || iequals(status, "stopped") ||
      iequals(status, "removing")) {
    return stopped(f, c, p, status);
  }
  return with(c, container_state::unknown, reason::unrecognised_status, status);
}

constexpr classification classify_flags_only(const container_facts& f,
                                             classification c,
                                             const flags& fl) noexcept {
  const std::string_view status = trim(f.status);
  if (fl.dead == flag::yes || iequals(status, "dead")) {
    return with(c, container_state::dead,
                fl.dead == flag::yes ? reason::dead_flag : reason::status,
                status);
  }
  if (fl.paused == flag::yes || iequals(status, "paused")) {
    return with(c, container_state::paused,
                fl.paused == flag::yes ? reason::paused_flag : reason::status,
                status);
  }
  if (fl.running != flag::yes &&
      (iequals(status, "exited") || contains_exit(status))) {
    return with(c, container_state::exited, reason::not_running, status);
  }
  return with(c, container_state::running, reason::fallback, status);
}

constexpr classification classify_status_only(const container_facts& f,
                                              classification c,
                                              const flags& fl) noexcept {
  if ((f.present & field_status) == 0) {
    // Only the exact text "true" counts here, as in the original reading.
    if (f.running == "true") {
      return with(c, container_state::running, reason::running_flag);
    }
    return with(c, container_state::unknown, reason::no_status);
  }
  static_cast<void>(fl);

  auto parsed_state = parse_container_state(f.status);
  // The original compares the lower-cased text without trimming it.
  if (parsed_state && f.status.size() == trim(f.status).size()) {
    return with(c, parsed_state.value, reason::status, f.status);
  }
  return with(c, container_state::unknown, reason::unrecognised_status,
              f.status);
}

}  // namespace detail

/// Classifies one container by its facts under a policy.
///
/// Never fails: unreadable values are flagged in `bad_fields` and the
/// reason says what decided the state. See docs/rules.md for the tables.
constexpr classification classify(const container_facts& facts,
                                  const policy& p = policy{}) noexcept {
  classification c;
  const detail::flags fl = detail::read_flags(facts, c);
  detail::read_exit_code(facts, c);

  switch (p.rules) {
    case profile::flags_only:
      return detail::classify_flags_only(facts, c, fl);
    case profile::status_only:
      return detail::classify_status_only(facts, c, fl);
    case profile::standard:
      break;
  }
  return detail::classify_standard(facts, c, fl, p);
}

/// Explains a classification in a few words, e.g. "exited with code 137
/// (OOMKilled)", "Dead flag set" or "unrecognised status 'foo'".
inline std::string describe(const classification& c) {
  std::string text;
  const std::string quoted = detail::quote(c.detail);
  switch (c.why) {
    case reason::dead_flag:
      text = "Dead flag set";
      break;
    case reason::status:
      text = "status " + quoted;
      break;
    case reason::exit_code_failure:
    case reason::exit_code_success:
      text = "exited with code " + std::to_string(c.exit_code);
      break;
    case reason::exit_code_invalid:
      text = "exited with unreadable exit code " + quoted;
      break;
    case reason::paused_flag:
      text = "no status; Paused flag set";
      break;
    case reason::running_flag:
      text = "no status; Running flag set";
      break;
    case reason::no_status:
      text = "no status and no flag set";
      break;
    case reason::unrecognised_status:
      text = "unrecognised status " + quoted;
      break;
    case reason::not_running:
      text = "not running; status " + quoted;
      break;
    case reason::fallback:
      text = c.detail.empty() ? "no rule matched" : "status " + quoted;
      break;
  }

  if (c.oom_killed) {
    text += " (OOMKilled)";
  }
  for (std::uint8_t bit = field_status; bit <= field_exit_code;
       bit = static_cast<std::uint8_t>(bit << 1U)) {
    if ((c.bad_fields & bit) != 0 &&
        !(bit == field_exit_code && c.why == reason::exit_code_invalid)) {
      text += "; unreadable ";
      text += field_name(bit);
    }
  }
  return text;
}

}  // namespace modelstate

#endif  // MODELSTATE_CLASSIFY_HPP
