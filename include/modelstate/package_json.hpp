// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_PACKAGE_JSON_HPP
#define MODELSTATE_PACKAGE_JSON_HPP

// Reads package definitions from Pullpiri artifacts written as JSON.
// Needs nlohmann/json (link modelstate::json).

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "package.hpp"

namespace modelstate {

namespace detail {

// Presents an nlohmann::json tree to package_decoder.
struct json_package_format {
  using node = const nlohmann::json*;

  static constexpr std::string_view object_word = "an object";
  static constexpr std::string_view array_word = "an array";

  static bool is_object(node n) { return n->is_object(); }

  static bool is_array(node n) { return n->is_array(); }

  static std::optional<node> member(node n, std::string_view key) {
    const auto it = n->find(key);
    if (it == n->end()) {
      return std::nullopt;
    }
    return &*it;
  }

  static std::optional<std::string> text(node n) {
    if (!n->is_string()) {
      return std::nullopt;
    }
    return n->get_ref<const std::string&>();
  }

  static std::vector<node> elements(node n) {
    std::vector<node> out;
    out.reserve(n->size());
    for (const nlohmann::json& element : *n) {
      out.push_back(&element);
    }
    return out;
  }

  static std::string type_name(node n) {
    switch (n->type()) {
      case nlohmann::json::value_t::null:
        return "null";
      case nlohmann::json::value_t::object:
        return "an object";
      case nlohmann::json::value_t::array:
        return "an array";
      case nlohmann::json::value_t::string:
        return "a string";
      case nlohmann::json::value_t::boolean:
        return "a boolean";
      case nlohmann::json::value_t::number_integer:
      case nlohmann::json::value_t::number_unsigned:
      case nlohmann::json::value_t::number_float:
        return "a number";
      default:
        break;
    }
    return n->type_name();
  }

  static std::pair<std::size_t, std::size_t> place(node) { return {0, 0}; }
};

// Receives nlohmann's parse events only to learn where the text is wrong.
struct json_error_finder {
  using json = nlohmann::json;

  std::size_t position = 0;
  std::string message;

  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(json::number_integer_t) { return true; }
  bool number_unsigned(json::number_unsigned_t) { return true; }
  bool number_float(json::number_float_t, const json::string_t&) {
    return true;
  }
  bool string(json::string_t&) { return true; }
  bool binary(json::binary_t&) { return true; }
  bool start_object(std::size_t) { return true; }
  bool key(json::string_t&) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t) { return true; }
  bool end_array() { return true; }

  bool parse_error(std::size_t byte, const std::string&,
                   const json::exception& e) {
    position = byte;
    message = e.what();
    return false;
  }
};

// Turns a byte position (from 1) into a line and a column (from 1).
inline std::pair<std::size_t, std::size_t> json_line_and_column(
    std::string_view text, std::size_t byte) {
  const std::size_t end = byte == 0 ? 0 : std::min(byte - 1, text.size());
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, end - line_start + 1};
}

// Keeps the part of nlohmann's message that explains the error, without
// the exception id and the position, which the problem holds separately.
inline std::string json_error_reason(const std::string& what) {
  const std::size_t at = what.find("syntax error");
  return at == std::string::npos ? what : what.substr(at);
}

}  // namespace detail

/// Decodes package definitions from a parsed JSON value: one artifact
/// document (an object) or an array of them.
///
/// Documents whose `kind` is "Package" give a package_definition made of
/// `metadata.name` and the `name` of each entry of `spec.models`; documents
/// of other kinds, or without `kind`, are counted and skipped. Problems are
/// reported with their path, e.g. "[2].spec.models[0].name"; a Package with
/// a problem is left out, the other documents are still read.
inline decoded_packages decode_packages_json(const nlohmann::json& value) {
  decoded_packages out;
  detail::package_decoder<detail::json_package_format> decoder(out);

  if (!value.is_array()) {
    decoder.document(&value, "");
    return out;
  }

  std::size_t i = 0;
  for (const nlohmann::json& document : value) {
    decoder.document(&document, '[' + std::to_string(i) + ']');
    ++i;
  }
  return out;
}

/// Parses JSON text and decodes the package definitions it holds, as
/// decode_packages_json does. Text that is not JSON gives one problem with
/// code definition_error::syntax and the line and column where parsing
/// stopped. Throws nothing for bad input.
inline decoded_packages read_packages_json(std::string_view text) {
  const nlohmann::json value =
      nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (!value.is_discarded()) {
    return decode_packages_json(value);
  }

  detail::json_error_finder finder;
  static_cast<void>(
      nlohmann::json::sax_parse(text.begin(), text.end(), &finder));
  const auto [line, column] =
      detail::json_line_and_column(text, finder.position);

  decoded_packages out;
  out.problems.push_back({definition_error::syntax, "",
                          detail::json_error_reason(finder.message), line,
                          column});
  return out;
}

}  // namespace modelstate

#endif  // MODELSTATE_PACKAGE_JSON_HPP
