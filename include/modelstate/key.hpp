// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_KEY_HPP
#define MODELSTATE_KEY_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace modelstate {

/// Says why a name cannot become part of a key.
enum class name_error : unsigned char {
  none,
  empty,         ///< the name is empty
  dot,           ///< the name is "." or ".."
  slash,         ///< the name contains '/'
  control,       ///< the name contains a control character
  invalid_utf8,  ///< the name is not valid UTF-8
  too_long,      ///< the name is longer than max_name_length bytes
};

/// The longest name accepted, in bytes (a DNS name's limit).
inline constexpr std::size_t max_name_length = 253;

/// Holds the outcome of a name check and the byte where it failed.
struct [[nodiscard]] name_check {
  name_error error = name_error::none;
  std::size_t position = 0;

  /// Tells whether the name is acceptable.
  constexpr explicit operator bool() const noexcept {
    return error == name_error::none;
  }
};

namespace detail {

// Returns the length of the UTF-8 sequence at s[i], or 0 when it is invalid
// (overlong forms, surrogates and code points above U+10FFFF included).
constexpr std::size_t utf8_sequence(std::string_view s,
                                    std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) {
    return static_cast<unsigned char>(s[k]);
  };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead < 0x80) {
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    low = lead == 0xE0 ? 0xA0 : 0x80;
    high = lead == 0xED ? 0x9F : 0xBF;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    low = lead == 0xF0 ? 0x90 : 0x80;
    high = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }

  if (i + length > s.size()) {
    return 0;
  }
  if (byte(i + 1) < low || byte(i + 1) > high) {
    return 0;
  }
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) {
      return 0;
    }
  }
  return length;
}

}  // namespace detail

/// Checks that a model or package name is safe to put into a key: not
/// empty, not "." or "..", no '/', no control character (C0, DEL or C1),
/// valid UTF-8, at most max_name_length bytes.
constexpr name_check check_name(std::string_view name) noexcept {
  if (name.empty()) {
    return {name_error::empty, 0};
  }
  if (name == "." || name == "..") {
    return {name_error::dot, 0};
  }
  if (name.size() > max_name_length) {
    return {name_error::too_long, max_name_length};
  }

  std::size_t i = 0;
  while (i < name.size()) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c == '/') {
      return {name_error::slash, i};
    }
    if (c < 0x20 || c == 0x7F) {
      return {name_error::control, i};
    }
    const std::size_t length = detail::utf8_sequence(name, i);
    if (length == 0) {
      return {name_error::invalid_utf8, i};
    }
    // U+0080..U+009F are the C1 control characters.
    if (length == 2 && c == 0xC2 &&
        static_cast<unsigned char>(name[i + 1]) <= 0x9F) {
      return {name_error::control, i};
    }
    i += length;
  }
  return {};
}

/// Describes a name error in a few words.
constexpr std::string_view to_string(name_error e) noexcept {
  switch (e) {
    case name_error::none:
      return "valid";
    case name_error::empty:
      return "name is empty";
    case name_error::dot:
      return "name is a dot segment";
    case name_error::slash:
      return "name contains '/'";
    case name_error::control:
      return "name contains a control character";
    case name_error::invalid_utf8:
      return "name is not valid UTF-8";
    case name_error::too_long:
      return "name is longer than 253 bytes";
  }
  return "invalid name";
}

/// Explains a failed check, e.g. "name contains '/' at byte 3".
inline std::string describe(const name_check& check) {
  std::string text(to_string(check.error));
  if (check.error == name_error::slash || check.error == name_error::control ||
      check.error == name_error::invalid_utf8) {
    text += " at byte " + std::to_string(check.position);
  }
  return text;
}

/// Describes how keys are built: prefix + name + suffix.
struct key_format {
  std::string_view prefix = "/model/";
  std::string_view suffix = "/state";
};

/// The key format of package states: /package/{name}/state.
inline constexpr key_format package_key_format{"/package/", "/state"};

/// Builds the key of a name; check the name with check_name first.
inline std::string make_key(std::string_view name,
                            const key_format& format = key_format{}) {
  std::string key;
  key.reserve(format.prefix.size() + name.size() + format.suffix.size());
  key.append(format.prefix).append(name).append(format.suffix);
  return key;
}

/// Extracts the name from a key of the given format; nullopt when the key
/// does not have that format or its name would not pass check_name.
constexpr std::optional<std::string_view> name_from_key(
    std::string_view key, const key_format& format = key_format{}) noexcept {
  if (key.size() < format.prefix.size() + format.suffix.size() ||
      key.substr(0, format.prefix.size()) != format.prefix ||
      key.substr(key.size() - format.suffix.size()) != format.suffix) {
    return std::nullopt;
  }

  const std::string_view name =
      key.substr(format.prefix.size(),
                 key.size() - format.prefix.size() - format.suffix.size());
  if (!check_name(name)) {
    return std::nullopt;
  }
  return name;
}

}  // namespace modelstate

#endif  // MODELSTATE_KEY_HPP
