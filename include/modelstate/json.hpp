// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_JSON_HPP
#define MODELSTATE_JSON_HPP

// Decoders for JSON input: a ContainerList in protobuf's JSON mapping, and
// the output of `podman inspect` or `docker inspect`. Needs nlohmann_json
// (CMake target modelstate::json). See docs/json.md for the rules.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "modelstate/classify.hpp"
#include "modelstate/key.hpp"
#include "modelstate/record.hpp"

namespace modelstate {

/// Names a JSON input format.
enum class json_format : unsigned char {
  automatic,       ///< detect the format from the document
  container_list,  ///< a ContainerList in protobuf's JSON mapping
  inspect,         ///< `podman inspect` or `docker inspect` output
};

/// Returns a format's name, e.g. "container_list".
constexpr std::string_view to_string(json_format f) noexcept {
  switch (f) {
    case json_format::automatic:
      return "automatic";
    case json_format::container_list:
      return "container_list";
    case json_format::inspect:
      break;
  }
  return "inspect";
}

/// Says what is wrong with a JSON input; the values are stable.
enum class json_error : unsigned char {
  none = 0,            ///< no error
  empty_input = 1,     ///< the input holds nothing but blanks
  invalid_json = 2,    ///< the input is not well-formed JSON
  invalid_utf8 = 3,    ///< the input holds bytes that are not UTF-8
  unknown_format = 4,  ///< the JSON is none of the accepted formats
  wrong_type = 5,      ///< a value has the wrong JSON type
  invalid_value = 6,   ///< a value has the right type but unusable content
  out_of_range = 7,    ///< a number does not fit where it goes
};

/// Returns an error code's stable name, e.g. "wrong_type".
constexpr std::string_view to_string(json_error e) noexcept {
  switch (e) {
    case json_error::none:
      return "none";
    case json_error::empty_input:
      return "empty_input";
    case json_error::invalid_json:
      return "invalid_json";
    case json_error::invalid_utf8:
      return "invalid_utf8";
    case json_error::unknown_format:
      return "unknown_format";
    case json_error::wrong_type:
      return "wrong_type";
    case json_error::invalid_value:
      return "invalid_value";
    case json_error::out_of_range:
      break;
  }
  return "out_of_range";
}

/// Records one error found while decoding a JSON input.
struct decode_error {
  json_error code = json_error::none;

  /// Path of the offending value, e.g. "containers[3].state.ExitCode";
  /// empty when the error concerns the document as a whole.
  std::string where;

  /// What is wrong, e.g. `expected an integer, got "abc"`.
  std::string message;

  /// Byte offset in the input: a byte of the offending value (its last
  /// one; the opening bracket of an object or array), or the byte where
  /// a syntax error or invalid UTF-8 was found.
  std::size_t offset = 0;

  /// Line and column of offset, from 1; columns count characters.
  std::size_t line = 0;
  std::size_t column = 0;

  /// Index of the container concerned in the document's array of
  /// containers; empty for an error in the document as a whole.
  std::optional<std::size_t> container;
};

/// Explains an error in one line, e.g.
/// `containers[3].state.ExitCode (line 9, column 21): expected an integer,
/// got "abc"`.
inline std::string describe(const decode_error& e) {
  std::string text = e.where;
  if (e.line != 0) {
    text += text.empty() ? "line " : " (line ";
    text += std::to_string(e.line);
    text += ", column " + std::to_string(e.column);
    text += e.where.empty() ? "" : ")";
  }
  if (text.empty()) {
    text = "input";
  }
  return text + ": " + e.message;
}

/// Holds the choices a caller can make about decoding.
struct decode_options {
  /// The format to expect; automatic detects it from the document.
  json_format format = json_format::automatic;

  /// Replaces the node name of the result when set. Inspect output names
  /// no node, so without this its node name is empty.
  std::optional<std::string> node_name;
};

/// Holds the containers decoded from a document, and the errors.
///
/// A container with an error is left out; the document's other containers
/// are kept. An error in the document as a whole (syntax, invalid UTF-8,
/// unknown format, a top-level field of the wrong type) leaves the list
/// empty.
struct [[nodiscard]] decode_result {
  container_list list;

  /// Every error found, in document order.
  std::vector<decode_error> errors;

  /// The format read; automatic when it could not be told.
  json_format format = json_format::automatic;

  /// Number of containers left out because of an error.
  std::size_t rejected = 0;

  /// Tells whether the whole document decoded without an error.
  bool ok() const noexcept { return errors.empty(); }

  /// Tells whether every error concerns a single container, so that list
  /// holds all the other containers of the document.
  bool document_ok() const noexcept {
    for (const decode_error& e : errors) {
      if (!e.container) {
        return false;
      }
    }
    return true;
  }
};

namespace detail {
namespace containers_json {

using json = nlohmann::json;
using string_map = std::map<std::string, std::string, std::less<>>;

// Walks the input for nlohmann's parser and keeps a shared cursor up to
// date, so that an error can say at which byte it was noticed.
class tracking_iterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  tracking_iterator() = default;
  tracking_iterator(const char* at, const char** cursor) noexcept
      : at_(at), cursor_(cursor) {}

  reference operator*() const noexcept { return *at_; }

  tracking_iterator& operator++() noexcept {
    ++at_;
    *cursor_ = at_;
    return *this;
  }

  tracking_iterator operator++(int) noexcept {
    tracking_iterator before = *this;
    ++*this;
    return before;
  }

  friend bool operator==(const tracking_iterator& a,
                         const tracking_iterator& b) noexcept {
    return a.at_ == b.at_;
  }

  friend bool operator!=(const tracking_iterator& a,
                         const tracking_iterator& b) noexcept {
    return a.at_ != b.at_;
  }

 private:
  const char* at_ = nullptr;
  const char** cursor_ = nullptr;
};

enum class value_kind : unsigned char {
  null,
  boolean,
  integer,
  unsigned_integer,
  floating,
  string,
  object,
  array,
};

// One parse event's value. A string's text may be moved out; a floating
// number carries its text as written.
struct value {
  value_kind kind = value_kind::null;
  bool flag = false;
  std::int64_t integer = 0;
  std::uint64_t unsigned_integer = 0;
  std::string* text = nullptr;
  const std::string* raw = nullptr;

  bool is_compound() const noexcept {
    return kind == value_kind::object || kind == value_kind::array;
  }

  bool is_scalar() const noexcept {
    return !is_compound() && kind != value_kind::null;
  }
};

// The longest piece of a string or key quoted in an error message.
inline constexpr std::size_t quote_limit = 64;

// Quotes text as a JSON string, cut after quote_limit bytes.
inline std::string quote_text(std::string_view text) {
  bool cut = false;
  if (text.size() > quote_limit) {
    std::size_t end = quote_limit;
    while (end > 0 &&
           (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) {
      --end;
    }
    text = text.substr(0, end);
    cut = true;
  }

  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20U) {
      constexpr char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[byte >> 4U];
      out += hex[byte & 0x0FU];
    } else {
      out += c;
    }
  }
  out += cut ? "\"..." : "\"";
  return out;
}

// Shows a value in an error message: 42, true, "abc", an object.
inline std::string show(const value& v) {
  switch (v.kind) {
    case value_kind::null:
      return "null";
    case value_kind::boolean:
      return v.flag ? "true" : "false";
    case value_kind::integer:
      return std::to_string(v.integer);
    case value_kind::unsigned_integer:
      return std::to_string(v.unsigned_integer);
    case value_kind::floating:
      return *v.raw;
    case value_kind::string:
      return quote_text(*v.text);
    case value_kind::object:
      return "an object";
    case value_kind::array:
      break;
  }
  return "an array";
}

// Turns a scalar into map text: strings as they are, booleans as
// "true"/"false", integers in decimal, other numbers as written.
inline std::string scalar_text(value& v) {
  switch (v.kind) {
    case value_kind::boolean:
      return v.flag ? "true" : "false";
    case value_kind::integer:
      return std::to_string(v.integer);
    case value_kind::unsigned_integer:
      return std::to_string(v.unsigned_integer);
    case value_kind::floating:
      return *v.raw;
    case value_kind::string:
      return std::move(*v.text);
    default:
      break;
  }
  return {};
}

inline bool is_identifier(std::string_view key) noexcept {
  if (key.empty() || (key.front() >= '0' && key.front() <= '9')) {
    return false;
  }
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

// The smallest and largest exit codes: 32 bits, signed or unsigned, as
// classification reads them.
inline constexpr std::int64_t min_exit_code = -2147483648LL;
inline constexpr std::int64_t max_exit_code = 4294967295LL;

struct integer_check {
  json_error error = json_error::none;
  std::string text;
};

// Checks an ExitCode value and gives its decimal text.
inline integer_check check_exit_code(const value& v) {
  const auto in_range = [](std::int64_t n) -> integer_check {
    if (n < min_exit_code || n > max_exit_code) {
      return {json_error::out_of_range, {}};
    }
    return {json_error::none, std::to_string(n)};
  };

  switch (v.kind) {
    case value_kind::integer:
      return in_range(v.integer);
    case value_kind::unsigned_integer:
      if (v.unsigned_integer > static_cast<std::uint64_t>(max_exit_code)) {
        return {json_error::out_of_range, {}};
      }
      return in_range(static_cast<std::int64_t>(v.unsigned_integer));
    case value_kind::floating:
    case value_kind::string:
      break;
    default:
      return {json_error::wrong_type, {}};
  }

  // A floating number that is all digits is an integer too large for
  // 64 bits; any other is not an integer.
  std::string_view text = v.kind == value_kind::string
                              ? trim(std::string_view(*v.text))
                              : std::string_view(*v.raw);
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) {
    return {json_error::invalid_value, {}};
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return {json_error::invalid_value, {}};
    }
  }
  if (v.kind == value_kind::floating) {
    return {json_error::out_of_range, {}};
  }

  while (text.size() > 1 && text.front() == '0') {
    text.remove_prefix(1);
  }
  if (text.size() > 10) {
    return {json_error::out_of_range, {}};
  }
  std::int64_t n = 0;
  for (char c : text) {
    n = n * 10 + (c - '0');
  }
  return in_range(negative ? -n : n);
}

// Returns the container_facts bit of a state key ("ExitCode" gives
// field_exit_code), matched as classification matches it; 0 for others.
inline std::uint8_t state_field(std::string_view key) noexcept {
  container_facts probe;
  static_cast<void>(set_fact(probe, key, {}));
  return probe.present;
}

enum class frame_kind : unsigned char {
  root_object,        // the top-level object, format not known yet
  list,               // a ContainerList
  containers,         // ContainerList.containers
  list_container,     // a ContainerInfo
  names,              // ContainerInfo.names
  state_map,          // ContainerInfo.state
  plain_map,          // any other map of strings
  inspect_array,      // the top-level array of inspect output
  inspect_container,  // one container of inspect output
  inspect_state,      // its State
  inspect_config,     // its Config
};

constexpr bool is_array(frame_kind k) noexcept {
  return k == frame_kind::containers || k == frame_kind::names ||
         k == frame_kind::inspect_array;
}

// One open object or array of the document.
struct frame {
  frame_kind kind = frame_kind::root_object;

  // Object: a key was read and its value is being read.
  bool pending = false;

  // Array: index of the element being read; object: members read.
  std::size_t index = 0;

  // Object: the last key read.
  std::string key;

  // Maps: where the entries go.
  string_map* map = nullptr;
};

// Receives nlohmann's parse events and builds the container list as the
// document streams by, without a tree of the whole document.
class decoder {
 public:
  decoder(std::string_view text, const decode_options& options)
      : text_(text), options_(options), cursor_(text.data()) {}

  decode_result run() {
    const std::size_t start = first_non_blank();
    if (start == text_.size()) {
      add_error(json_error::empty_input, "", "the input is empty", 0,
                std::nullopt);
      return finish();
    }
    start_ = start;

    const char* begin = text_.data();
    const char* end = begin + text_.size();
    static_cast<void>(json::sax_parse(tracking_iterator(begin, &cursor_),
                                      tracking_iterator(end, &cursor_), this));
    return finish();
  }

  // nlohmann's SAX interface.

  bool null() {
    value v;
    return on_value(v);
  }

  bool boolean(bool b) {
    value v;
    v.kind = value_kind::boolean;
    v.flag = b;
    return on_value(v);
  }

  bool number_integer(json::number_integer_t n) {
    value v;
    v.kind = value_kind::integer;
    v.integer = n;
    return on_value(v);
  }

  bool number_unsigned(json::number_unsigned_t n) {
    value v;
    v.kind = value_kind::unsigned_integer;
    v.unsigned_integer = n;
    return on_value(v);
  }

  bool number_float(json::number_float_t, const json::string_t& raw) {
    value v;
    v.kind = value_kind::floating;
    v.raw = &raw;
    return on_value(v);
  }

  bool string(json::string_t& s) {
    value v;
    v.kind = value_kind::string;
    v.text = &s;
    return on_value(v);
  }

  // JSON text has no binary values; nlohmann's interface still asks.
  bool binary(json::binary_t&) { return true; }

  bool start_object(std::size_t) {
    value v;
    v.kind = value_kind::object;
    return on_value(v);
  }

  bool start_array(std::size_t) {
    value v;
    v.kind = value_kind::array;
    return on_value(v);
  }

  bool key(json::string_t& k) {
    if (skip_depth_ > 0) {
      return true;
    }

    frame& f = stack_.back();
    f.key.swap(k);
    f.pending = true;
    if (f.kind == frame_kind::root_object) {
      decide_root(f);
    }
    return !stop_;
  }

  bool end_object() { return end_compound(); }

  bool end_array() { return end_compound(); }

  bool parse_error(std::size_t position, const std::string&,
                   const json::exception& e) {
    // position counts the bytes read, the offending one included.
    std::size_t offset = position == 0 ? 0 : position - 1;
    offset = offset > text_.size() ? text_.size() : offset;

    const std::size_t bad_byte = first_invalid_utf8(offset);
    if (bad_byte != text_.size()) {
      add_error(json_error::invalid_utf8, place(),
                "invalid UTF-8: byte " + hex_byte(text_[bad_byte]) +
                    " is not part of a valid sequence",
                bad_byte, std::nullopt);
      return false;
    }

    std::string reason = e.what();
    const std::size_t bracket = reason.find("] ");
    if (bracket != std::string::npos) {
      reason.erase(0, bracket + 2);
    }
    if (e.id == 406) {
      add_error(json_error::out_of_range, place(), reason, offset,
                std::nullopt);
      return false;
    }
    const std::size_t dash = reason.find(" - ");
    if (dash != std::string::npos) {
      reason.erase(0, dash + 3);
    }
    add_error(json_error::invalid_json, place(), "syntax error: " + reason,
              offset, std::nullopt);
    return false;
  }

 private:
  // Events.

  bool on_value(value& v) {
    if (skip_depth_ > 0) {
      if (v.is_compound()) {
        ++skip_depth_;
      }
      return true;
    }

    if (stack_.empty()) {
      on_root(v);
      return !stop_;
    }

    switch (stack_.back().kind) {
      case frame_kind::root_object:
        ignore(v);
        break;
      case frame_kind::list:
        on_list_member(v);
        break;
      case frame_kind::containers:
      case frame_kind::inspect_array:
        on_container_element(v);
        break;
      case frame_kind::list_container:
        on_list_container_member(v);
        break;
      case frame_kind::names:
        on_name(v);
        break;
      case frame_kind::state_map:
      case frame_kind::inspect_state:
        on_state_entry(v);
        break;
      case frame_kind::plain_map:
        on_map_entry(v);
        break;
      case frame_kind::inspect_container:
        on_inspect_member(v);
        break;
      case frame_kind::inspect_config:
        on_config_member(v);
        break;
    }

    if (!v.is_compound()) {
      complete_value();
    }
    return !stop_;
  }

  bool end_compound() {
    if (skip_depth_ > 0) {
      --skip_depth_;
      if (skip_depth_ == 0) {
        complete_value();
      }
      return true;
    }

    const frame_kind kind = stack_.back().kind;
    const std::size_t members = stack_.back().index;
    stack_.pop_back();

    if (kind == frame_kind::list_container) {
      finish_container(false);
    } else if (kind == frame_kind::inspect_container) {
      finish_container(true);
    } else if (kind == frame_kind::root_object) {
      finish_root_object(members);
    }

    complete_value();
    return !stop_;
  }

  void complete_value() {
    if (stack_.empty()) {
      return;
    }
    frame& f = stack_.back();
    f.pending = false;
    ++f.index;
  }

  // Pushes a frame for the object or array that is starting.
  void open(frame_kind kind, string_map* map = nullptr) {
    frame f;
    f.kind = kind;
    f.map = map;
    if (map != nullptr) {
      map->clear();
    }
    stack_.push_back(std::move(f));
  }

  // Passes over a value the decoder does not use.
  void ignore(const value& v) {
    if (v.is_compound()) {
      skip_depth_ = 1;
    }
  }

  // Reports a value of the wrong type and passes over it.
  void wrong_type(const value& v, std::string_view expected) {
    fail(json_error::wrong_type, v, expected);
    ignore(v);
  }

  // The document level.

  void on_root(value& v) {
    const json_format forced = options_.format;
    if (v.kind == value_kind::object) {
      if (forced == json_format::container_list) {
        format_ = forced;
        open(frame_kind::list);
      } else if (forced == json_format::inspect) {
        format_ = forced;
        begin_container(0);
        open(frame_kind::inspect_container);
      } else {
        open(frame_kind::root_object);
      }
      return;
    }

    if (v.kind == value_kind::array && forced != json_format::container_list) {
      format_ = json_format::inspect;
      open(frame_kind::inspect_array);
      return;
    }

    std::string expected = "an object or an array";
    if (forced == json_format::container_list) {
      expected = "a ContainerList object";
    } else if (forced == json_format::inspect) {
      expected = "an inspect object or array";
    }
    add_error(json_error::unknown_format, "",
              "expected " + expected + ", got " + show(v), start_,
              std::nullopt);
    stop_ = true;
  }

  // Tells the format from the first key that belongs to one.
  void decide_root(frame& f) {
    const std::string_view k = f.key;
    if (k == "node_name" || k == "nodeName" || k == "containers") {
      format_ = json_format::container_list;
      f.kind = frame_kind::list;
    } else if (k == "Id" || k == "Name" || k == "State" || k == "Config" ||
               k == "Image" || k == "ImageName") {
      format_ = json_format::inspect;
      f.kind = frame_kind::inspect_container;
      begin_container(0);
    }
  }

  // An object without any known key: "{}" is an empty ContainerList, as
  // protobuf's JSON mapping writes it; anything else is unknown.
  void finish_root_object(std::size_t members) {
    if (members == 0) {
      format_ = json_format::container_list;
      return;
    }
    add_error(json_error::unknown_format, "",
              "expected a ContainerList (node_name, containers) or inspect "
              "output (Id, State), got an object with neither",
              start_, std::nullopt);
  }

  // ContainerList.

  void on_list_member(value& v) {
    const std::string_view k = stack_.back().key;
    if (k == "node_name" || k == "nodeName") {
      if (v.kind == value_kind::string) {
        list_.node_name = std::move(*v.text);
      } else if (v.kind == value_kind::null) {
        list_.node_name.clear();
      } else {
        wrong_type(v, "a string");
      }
    } else if (k == "containers") {
      if (v.kind == value_kind::array) {
        open(frame_kind::containers);
      } else if (v.kind != value_kind::null) {
        wrong_type(v, "an array");
      }
    } else {
      ignore(v);
    }
  }

  void on_container_element(value& v) {
    const frame& f = stack_.back();
    if (v.kind != value_kind::object) {
      add_error(json_error::wrong_type, place(),
                "expected an object, got " + show(v), offset_of(v), f.index);
      ++rejected_;
      ignore(v);
      return;
    }

    const bool inspect = f.kind == frame_kind::inspect_array;
    begin_container(f.index);
    open(inspect ? frame_kind::inspect_container : frame_kind::list_container);
  }

  void on_list_container_member(value& v) {
    const std::string_view k = stack_.back().key;
    container_info& c = current();
    if (k == "id") {
      read_string(v, c.id);
    } else if (k == "image") {
      read_string(v, c.image);
    } else if (k == "names") {
      if (v.kind == value_kind::array) {
        c.names.clear();
        open(frame_kind::names);
      } else if (v.kind != value_kind::null) {
        wrong_type(v, "an array");
      }
    } else if (k == "state") {
      read_map(v, frame_kind::state_map, c.state);
    } else if (k == "config") {
      read_map(v, frame_kind::plain_map, c.config);
    } else if (k == "annotation") {
      read_map(v, frame_kind::plain_map, c.annotation);
    } else if (k == "stats") {
      read_map(v, frame_kind::plain_map, c.stats);
    } else {
      ignore(v);
    }
  }

  void on_name(value& v) {
    if (v.kind == value_kind::string) {
      current().names.push_back(std::move(*v.text));
    } else {
      wrong_type(v, "a string");
    }
  }

  // Maps.

  void on_map_entry(value& v) {
    if (!v.is_scalar()) {
      wrong_type(v, "a string, a boolean or a number");
      return;
    }
    frame& f = stack_.back();
    f.map->insert_or_assign(std::move(f.key), scalar_text(v));
  }

  // A state entry: the fields classification reads have a type; others
  // take any scalar. In inspect output, null members are absent and
  // nested objects (Health, for one) are passed over.
  void on_state_entry(value& v) {
    frame& f = stack_.back();
    const bool inspect = f.kind == frame_kind::inspect_state;
    const std::uint8_t field = state_field(f.key);
    if (inspect &&
        (v.kind == value_kind::null || (v.is_compound() && field == 0))) {
      ignore(v);
      return;
    }

    std::string text;
    if (field == field_exit_code) {
      integer_check check = check_exit_code(v);
      if (check.error == json_error::out_of_range) {
        fail(check.error, v, "an integer that fits in 32 bits");
        return;
      }
      if (check.error != json_error::none) {
        fail(check.error, v, "an integer");
        ignore(v);
        return;
      }
      text = std::move(check.text);
    } else if (field == field_status) {
      if (v.kind != value_kind::string) {
        wrong_type(v, "a string");
        return;
      }
      text = std::move(*v.text);
    } else if (field != 0) {
      if (v.kind != value_kind::string && v.kind != value_kind::boolean) {
        wrong_type(v, "a boolean or a string");
        return;
      }
      text = scalar_text(v);
    } else {
      if (!v.is_scalar()) {
        wrong_type(v, "a string, a boolean or a number");
        return;
      }
      text = scalar_text(v);
    }
    f.map->insert_or_assign(std::move(f.key), std::move(text));
  }

  // Inspect output.

  void on_inspect_member(value& v) {
    const std::string_view k = stack_.back().key;
    container_info& c = current();
    if (k == "Id") {
      read_string(v, c.id);
    } else if (k == "Name") {
      std::string name;
      read_string(v, name);
      if (!name.empty() && name.front() == '/') {
        name.erase(0, 1);
      }
      c.names.clear();
      if (!name.empty()) {
        c.names.push_back(std::move(name));
      }
    } else if (k == "ImageName") {
      read_string(v, image_name_);
    } else if (k == "Image") {
      read_string(v, top_image_);
    } else if (k == "State") {
      read_map(v, frame_kind::inspect_state, c.state);
    } else if (k == "Config") {
      read_map(v, frame_kind::inspect_config, c.config);
    } else {
      ignore(v);
    }
  }

  // Config: Labels and Annotations become annotations, Image names the
  // image, other scalars go to the config map.
  void on_config_member(value& v) {
    frame& f = stack_.back();
    const std::string_view k = f.key;
    container_info& c = current();
    if (k == "Labels") {
      read_map(v, frame_kind::plain_map, c.annotation);
    } else if (k == "Annotations") {
      read_map(v, frame_kind::plain_map, annotations_);
    } else if (k == "Image") {
      if (read_string(v, config_image_) && v.kind == value_kind::string) {
        c.config.insert_or_assign(std::move(f.key), config_image_);
      }
    } else if (v.is_scalar()) {
      f.map->insert_or_assign(std::move(f.key), scalar_text(v));
    } else {
      ignore(v);
    }
  }

  // Readers shared by both formats. A null member stands for its default.

  bool read_string(value& v, std::string& out) {
    if (v.kind == value_kind::string) {
      out = std::move(*v.text);
      return true;
    }
    if (v.kind == value_kind::null) {
      out.clear();
      return true;
    }
    wrong_type(v, "a string");
    return false;
  }

  void read_map(const value& v, frame_kind kind, string_map& out) {
    if (v.kind == value_kind::object) {
      open(kind, &out);
    } else if (v.kind == value_kind::null) {
      out.clear();
    } else {
      wrong_type(v, "an object");
    }
  }

  // Containers.

  container_info& current() { return list_.containers.back(); }

  void begin_container(std::size_t index) {
    list_.containers.emplace_back();
    in_container_ = true;
    container_index_ = index;
    container_failed_ = false;
    image_name_.clear();
    config_image_.clear();
    top_image_.clear();
    annotations_.clear();
  }

  void finish_container(bool inspect) {
    in_container_ = false;
    if (container_failed_) {
      list_.containers.pop_back();
      ++rejected_;
      return;
    }
    if (!inspect) {
      return;
    }

    container_info& c = current();
    // Annotations win over labels: merge() keeps the entries it has.
    annotations_.merge(c.annotation);
    c.annotation.swap(annotations_);
    if (!image_name_.empty()) {
      c.image = std::move(image_name_);
    } else if (!config_image_.empty()) {
      c.image = std::move(config_image_);
    } else {
      c.image = std::move(top_image_);
    }
  }

  // Errors.

  // Reports a bad value in the current container, or in the document.
  void fail(json_error code, const value& v, std::string_view expected) {
    std::optional<std::size_t> container;
    if (in_container_) {
      container = container_index_;
    }
    add_error(code, place(),
              "expected " + std::string(expected) + ", got " + show(v),
              offset_of(v), container);
  }

  void add_error(json_error code, std::string where, std::string message,
                 std::size_t offset, std::optional<std::size_t> container) {
    decode_error e;
    e.code = code;
    e.where = std::move(where);
    e.message = std::move(message);
    e.offset = offset;
    locate(offset, e.line, e.column);
    e.container = container;
    if (container) {
      if (in_container_ && *container == container_index_) {
        container_failed_ = true;
      }
    } else {
      document_failed_ = true;
    }
    errors_.push_back(std::move(e));
  }

  // The path of the value being read, e.g. "containers[3].state.ExitCode".
  std::string place() const {
    std::string out;
    for (const frame& f : stack_) {
      if (is_array(f.kind)) {
        out += '[' + std::to_string(f.index) + ']';
      } else if (!f.pending) {
        break;
      } else if (is_identifier(f.key)) {
        out += out.empty() ? "" : ".";
        out += f.key;
      } else {
        out += '[' + quote_text(f.key) + ']';
      }
    }
    return out;
  }

  // The offset of the last byte of the value just read. The parser reads
  // the byte after a number, unless the input ends, to see that it ended;
  // a number's last byte is a digit and the byte after it never is.
  std::size_t offset_of(const value& v) const noexcept {
    auto read = static_cast<std::size_t>(cursor_ - text_.data());
    const bool number = v.kind == value_kind::integer ||
                        v.kind == value_kind::unsigned_integer ||
                        v.kind == value_kind::floating;
    if (number && read > 1 &&
        (text_[read - 1] < '0' || text_[read - 1] > '9')) {
      --read;
    }
    return read == 0 ? 0 : read - 1;
  }

  // Finds the line and column of offset. Errors come in document order,
  // so the count resumes where it stopped and stays linear in the input.
  void locate(std::size_t offset, std::size_t& line, std::size_t& column) {
    if (offset < located_) {
      located_ = 0;
      line_ = 1;
      column_ = 1;
    }
    for (; located_ < offset && located_ < text_.size(); ++located_) {
      const auto byte = static_cast<unsigned char>(text_[located_]);
      if (byte == '\n') {
        ++line_;
        column_ = 1;
      } else if ((byte & 0xC0U) != 0x80U) {
        ++column_;
      }
    }
    line = line_;
    column = column_;
  }

  std::size_t first_non_blank() const noexcept {
    std::size_t i = 0;
    while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' ||
                                text_[i] == '\n' || text_[i] == '\r')) {
      ++i;
    }
    return i;
  }

  // The first byte up to limit that does not start a valid UTF-8
  // sequence, or text_.size() when there is none.
  std::size_t first_invalid_utf8(std::size_t limit) const noexcept {
    std::size_t i = 0;
    while (i <= limit && i < text_.size()) {
      const std::size_t length = utf8_sequence(text_, i);
      if (length == 0) {
        return i;
      }
      i += length;
    }
    return text_.size();
  }

  static std::string hex_byte(char c) {
    constexpr char hex[] = "0123456789ABCDEF";
    const auto byte = static_cast<unsigned char>(c);
    return std::string("0x") + hex[byte >> 4U] + hex[byte & 0x0FU];
  }

  decode_result finish() {
    decode_result result;
    if (document_failed_) {
      list_ = {};
    } else if (options_.node_name) {
      list_.node_name = *options_.node_name;
    }
    result.list = std::move(list_);
    result.errors = std::move(errors_);
    result.format = format_;
    result.rejected = document_failed_ ? 0 : rejected_;
    return result;
  }

  std::string_view text_;
  const decode_options& options_;
  const char* cursor_;
  std::size_t start_ = 0;

  container_list list_;
  std::vector<decode_error> errors_;
  json_format format_ = json_format::automatic;
  std::size_t rejected_ = 0;
  bool document_failed_ = false;
  bool stop_ = false;

  std::vector<frame> stack_;
  std::size_t skip_depth_ = 0;

  bool in_container_ = false;
  bool container_failed_ = false;
  std::size_t container_index_ = 0;
  std::string image_name_;
  std::string config_image_;
  std::string top_image_;
  string_map annotations_;

  std::size_t located_ = 0;
  std::size_t line_ = 1;
  std::size_t column_ = 1;
};

}  // namespace containers_json
}  // namespace detail

/// Decodes a JSON document into a container list: a ContainerList in
/// protobuf's JSON mapping, or `podman inspect` / `docker inspect` output,
/// told apart by the document itself unless options name the format.
///
/// Never throws for bad input: every problem becomes a decode_error with a
/// stable code, the path of the offending value and its place in the text.
/// Only a failed allocation throws (std::bad_alloc). Runs in time linear in
/// the input, without building a tree of the whole document.
inline decode_result decode_json(std::string_view text,
                                 const decode_options& options = {}) {
  detail::containers_json::decoder d(text, options);
  return d.run();
}

}  // namespace modelstate

#endif  // MODELSTATE_JSON_HPP
