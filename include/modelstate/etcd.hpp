// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_ETCD_HPP
#define MODELSTATE_ETCD_HPP

// Encoding for etcd's v3 JSON gateway: request bodies, response decoding and
// batching into transactions. No transport: the caller posts the bodies.
// Needs nlohmann_json (CMake target modelstate::json).

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "modelstate/sink.hpp"

namespace modelstate::etcd {

// ---------------------------------------------------------------------------
// Errors

/// Names the kind of a failure; the values are stable.
enum class error_code : unsigned char {
  none,              ///< no error
  invalid_json,      ///< the body is not JSON
  unexpected_shape,  ///< a field is missing or has the wrong type
  bad_base64,        ///< a key or value is not padded standard base64
  bad_integer,       ///< an int64 field is not a decimal integer in range
  gateway_error,     ///< the gateway answered with an error body
  http_error,        ///< a failed HTTP answer whose body is not a gateway error
  empty_key,         ///< an entry has an empty key, which etcd rejects
  entry_too_large,   ///< an entry can never fit into one request
  invalid_limits,    ///< the limits leave no room for a single entry
};

/// Returns the code's name, e.g. "bad_base64".
constexpr std::string_view to_string(error_code c) noexcept {
  switch (c) {
    case error_code::none:
      return "none";
    case error_code::invalid_json:
      return "invalid_json";
    case error_code::unexpected_shape:
      return "unexpected_shape";
    case error_code::bad_base64:
      return "bad_base64";
    case error_code::bad_integer:
      return "bad_integer";
    case error_code::gateway_error:
      return "gateway_error";
    case error_code::http_error:
      return "http_error";
    case error_code::empty_key:
      return "empty_key";
    case error_code::entry_too_large:
      return "entry_too_large";
    case error_code::invalid_limits:
      break;
  }
  return "invalid_limits";
}

/// Returns the name of a gRPC status code, e.g. "INVALID_ARGUMENT" for 3.
constexpr std::string_view grpc_code_name(std::int64_t code) noexcept {
  constexpr std::string_view names[] = {
      "OK",
      "CANCELLED",
      "UNKNOWN",
      "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED",
      "NOT_FOUND",
      "ALREADY_EXISTS",
      "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION",
      "ABORTED",
      "OUT_OF_RANGE",
      "UNIMPLEMENTED",
      "INTERNAL",
      "UNAVAILABLE",
      "DATA_LOSS",
      "UNAUTHENTICATED",
  };
  if (code < 0 || code > 16) {
    return "UNRECOGNISED";
  }
  return names[code];
}

/// Describes a failure: a stable code and a message saying what went wrong
/// and where, e.g. "kvs[0].value: invalid base64 character '!' at offset 3".
struct error {
  error_code code = error_code::none;
  std::string message;
  /// The gRPC status code of a gateway_error (3 is INVALID_ARGUMENT); 0
  /// for every other code.
  std::int64_t grpc_code = 0;

  /// Tells whether this describes success.
  bool ok() const noexcept { return code == error_code::none; }
};

/// Holds a decoded value, or the error that prevented decoding it.
template <class T>
struct [[nodiscard]] result {
  T value{};
  ::modelstate::etcd::error error;

  /// Tells whether decoding succeeded.
  explicit operator bool() const noexcept {
    return error.code == error_code::none;
  }
};

namespace detail {

inline error make_error(error_code code, std::string message) {
  return {code, std::move(message), 0};
}

// Prefixes a message with the place it concerns, e.g. "kvs[0].key: ".
inline error at(std::string_view where, error e) {
  if (!where.empty()) {
    e.message.insert(0, std::string(where) + ": ");
  }
  return e;
}

}  // namespace detail

// ---------------------------------------------------------------------------
// Base64 (RFC 4648, standard alphabet, padded)

namespace detail {

inline constexpr char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Returns the 6-bit value of a base64 character, or -1.
constexpr int base64_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  if (c == '+') {
    return 62;
  }
  if (c == '/') {
    return 63;
  }
  return -1;
}

// Shows a byte in a message: 'c' when printable, else 0xNN.
inline std::string show_byte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7F) {
    return std::string("'") + c + "'";
  }
  constexpr char hex[] = "0123456789abcdef";
  return std::string("0x") + hex[byte >> 4] + hex[byte & 0x0F];
}

}  // namespace detail

/// Returns the length of the padded base64 text for n bytes.
constexpr std::size_t base64_encoded_size(std::size_t n) noexcept {
  return (n + 2) / 3 * 4;
}

/// Appends the padded standard base64 text of bytes to out.
inline void base64_append(std::string& out, std::string_view bytes) {
  const auto byte = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]));
  };
  const auto sextet = [](std::uint32_t group, unsigned shift) {
    return detail::base64_alphabet[(group >> shift) & 0x3Fu];
  };
  out.reserve(out.size() + base64_encoded_size(bytes.size()));

  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out += sextet(group, 18);
    out += sextet(group, 12);
    out += sextet(group, 6);
    out += sextet(group, 0);
  }

  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t group = byte(i) << 16;
    out += sextet(group, 18);
    out += sextet(group, 12);
    out += "==";
  } else if (rest == 2) {
    const std::uint32_t group = byte(i) << 16 | byte(i + 1) << 8;
    out += sextet(group, 18);
    out += sextet(group, 12);
    out += sextet(group, 6);
    out += '=';
  }
}

/// Returns the padded standard base64 text of bytes.
inline std::string base64_encode(std::string_view bytes) {
  std::string out;
  base64_append(out, bytes);
  return out;
}

/// Decodes padded standard base64; rejects other alphabets, missing or
/// misplaced padding, whitespace and non-zero bits after the last byte.
inline result<std::string> base64_decode(std::string_view text) {
  result<std::string> r;
  if (text.size() % 4 != 0) {
    r.error = detail::make_error(
        error_code::bad_base64, "base64 length " + std::to_string(text.size()) +
                                    " is not a multiple of 4");
    return r;
  }

  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') {
    padding = text[text.size() - 2] == '=' ? 2 : 1;
  }
  const std::size_t data_size = text.size() - padding;
  r.value.reserve(text.size() / 4 * 3);

  std::uint32_t buffer = 0;
  unsigned bits = 0;
  for (std::size_t i = 0; i < data_size; ++i) {
    const int v = detail::base64_value(text[i]);
    if (v < 0) {
      r.value.clear();
      r.error = detail::make_error(
          error_code::bad_base64,
          (text[i] == '='
               ? std::string("padding '=' before the end")
               : "invalid base64 character " + detail::show_byte(text[i])) +
              " at offset " + std::to_string(i));
      return r;
    }
    buffer = (buffer << 6 | static_cast<std::uint32_t>(v)) & 0xFFFFu;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      r.value += static_cast<char>((buffer >> bits) & 0xFFu);
    }
  }

  if ((buffer & ((1u << bits) - 1u)) != 0) {
    r.value.clear();
    r.error = detail::make_error(
        error_code::bad_base64, "non-zero bits after the last byte at offset " +
                                    std::to_string(data_size - 1));
  }
  return r;
}

// ---------------------------------------------------------------------------
// Requests

/// The gateway path of a single put.
inline constexpr std::string_view put_path = "/v3/kv/put";
/// The gateway path of a range read.
inline constexpr std::string_view range_path = "/v3/kv/range";
/// The gateway path of a transaction.
inline constexpr std::string_view txn_path = "/v3/kv/txn";

/// Holds one gateway request: the path to POST to and the JSON body.
struct request {
  std::string_view path;
  std::string body;
};

namespace detail {

// Appends "name":"<base64 of bytes>". Base64 text needs no JSON escaping.
inline void append_bytes_field(std::string& out, std::string_view name,
                               std::string_view bytes) {
  out += '"';
  out += name;
  out += "\":\"";
  base64_append(out, bytes);
  out += '"';
}

// Appends {"key":K,"value":V}.
inline void append_key_value(std::string& out, std::string_view key,
                             std::string_view value) {
  out += '{';
  append_bytes_field(out, "key", key);
  out += ',';
  append_bytes_field(out, "value", value);
  out += '}';
}

// Appends the operation that writes one key unconditionally.
inline void append_put_op(std::string& out, const entry& e) {
  out += "{\"request_put\":";
  append_key_value(out, e.key, e.value);
  out += '}';
}

// Appends the operation that writes one key only where it is missing or
// holds another value. A VALUE NOT_EQUAL compare alone is false for a
// missing key, so the missing case is tested first (VERSION == 0) and the
// value compare runs in a nested txn of the failure branch.
inline void append_put_if_changed_op(std::string& out, const entry& e) {
  out +=
      "{\"request_txn\":{\"compare\":[{\"target\":\"VERSION\","
      "\"result\":\"EQUAL\",";
  append_bytes_field(out, "key", e.key);
  out += ",\"version\":\"0\"}],\"success\":[";
  append_put_op(out, e);
  out +=
      "],\"failure\":[{\"request_txn\":{\"compare\":[{\"target\":"
      "\"VALUE\",\"result\":\"NOT_EQUAL\",";
  append_bytes_field(out, "key", e.key);
  out += ',';
  append_bytes_field(out, "value", e.value);
  out += "}],\"success\":[";
  append_put_op(out, e);
  out += "]}}]}}";
}

inline constexpr std::string_view txn_open = "{\"success\":[";
inline constexpr std::string_view txn_close = "]}";

template <class AppendOp>
std::string txn_body(const std::vector<entry>& entries, AppendOp append_op) {
  std::string body(txn_open);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i != 0) {
      body += ',';
    }
    append_op(body, entries[i]);
  }
  body += txn_close;
  return body;
}

}  // namespace detail

/// Builds a put of one key: {"key":K,"value":V} for put_path.
inline request put_request(std::string_view key, std::string_view value) {
  std::string body;
  detail::append_key_value(body, key, value);
  return {put_path, std::move(body)};
}

/// Builds a read of one key: {"key":K} for range_path.
inline request range_request(std::string_view key) {
  std::string body("{");
  detail::append_bytes_field(body, "key", key);
  body += '}';
  return {range_path, std::move(body)};
}

/// Returns the range end that selects every key starting with prefix: the
/// prefix without its trailing 0xff bytes, last byte incremented; "\0"
/// (up to the last key) when nothing is left.
inline std::string prefix_range_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) {
    end.pop_back();
  }

  if (end.empty()) {
    return std::string(1, '\0');
  }
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

/// Builds a read of every key starting with prefix, for range_path; an
/// empty prefix reads every key ({"key":"\0","range_end":"\0"}).
inline request range_prefix_request(std::string_view prefix) {
  const std::string key =
      prefix.empty() ? std::string(1, '\0') : std::string(prefix);
  std::string body("{");
  detail::append_bytes_field(body, "key", key);
  body += ',';
  detail::append_bytes_field(body, "range_end", prefix_range_end(prefix));
  body += '}';
  return {range_path, std::move(body)};
}

/// Builds one txn that puts every entry unconditionally, for txn_path.
/// Checks no limit: split_txn_put does.
inline request txn_put_request(const std::vector<entry>& entries) {
  return {txn_path, detail::txn_body(entries, detail::append_put_op)};
}

/// Builds one txn that puts each entry only where the key is missing or
/// holds another value, for txn_path. Checks no limit:
/// split_txn_put_if_changed does.
inline request txn_put_if_changed_request(const std::vector<entry>& entries) {
  return {txn_path,
          detail::txn_body(entries, detail::append_put_if_changed_op)};
}

// ---------------------------------------------------------------------------
// Batching

/// Describes the server's limits that a txn must respect.
struct limits {
  /// Operations per list of a txn (etcd's --max-txn-ops).
  std::size_t max_txn_ops = 128;
  /// Request size limit (etcd's --max-request-bytes, protobuf size).
  std::size_t max_request_bytes = 1572864;
  /// Bytes kept free below max_request_bytes for etcd's own framing. A JSON
  /// body is always larger than the protobuf it becomes, so a JSON body that
  /// fits max_request_bytes - reserved_bytes is safe.
  std::size_t reserved_bytes = 1024;
};

/// Holds one txn body and the input positions of the entries it writes, in
/// the order of the body's operations.
struct txn_batch {
  std::string body;
  std::vector<std::size_t> indices;
};

/// Holds an entry that no txn can carry and why.
struct rejected_entry {
  std::size_t index = 0;
  ::modelstate::etcd::error error;
};

/// Holds the txns that together write a list of entries, plus the entries
/// that cannot be sent at all. Each input position appears exactly once.
struct txn_plan {
  std::vector<txn_batch> batches;
  std::vector<rejected_entry> rejected;
};

namespace detail {

template <class AppendOp>
txn_plan split_txn(const std::vector<entry>& entries, const limits& lim,
                   std::size_t ops_per_key, AppendOp append_op) {
  txn_plan plan;
  const std::size_t overhead = txn_open.size() + txn_close.size();
  const bool fits_anything =
      lim.max_txn_ops >= ops_per_key &&
      lim.reserved_bytes < lim.max_request_bytes &&
      lim.max_request_bytes - lim.reserved_bytes > overhead;
  if (!fits_anything) {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      plan.rejected.push_back(
          {i, make_error(error_code::invalid_limits,
                         "entry " + std::to_string(i) +
                             ": the limits leave no room for one key (" +
                             std::to_string(ops_per_key) +
                             " operations per key needed)")});
    }
    return plan;
  }

  // Nested txns share the per-list budget with their parents, so one key
  // costs ops_per_key of it; the body's size is counted in JSON bytes.
  const std::size_t keys_per_txn = lim.max_txn_ops - (ops_per_key - 1);
  const std::size_t budget = lim.max_request_bytes - lim.reserved_bytes;
  txn_batch current;
  std::unordered_set<std::string_view> keys;
  std::string op;
  const auto flush = [&] {
    current.body += txn_close;
    plan.batches.push_back(std::move(current));
    current = txn_batch{};
    keys.clear();
  };

  for (std::size_t i = 0; i < entries.size(); ++i) {
    const entry& e = entries[i];
    if (e.key.empty()) {
      plan.rejected.push_back(
          {i, make_error(error_code::empty_key,
                         "entry " + std::to_string(i) +
                             ": the key is empty; etcd rejects empty keys")});
      continue;
    }

    op.clear();
    append_op(op, e);
    if (overhead + op.size() > budget) {
      plan.rejected.push_back(
          {i,
           make_error(error_code::entry_too_large,
                      "entry " + std::to_string(i) + ": its operation takes " +
                          std::to_string(op.size()) +
                          " bytes, a request may hold " +
                          std::to_string(budget - overhead))});
      continue;
    }

    // etcd rejects a txn that names a key twice; a repeated key starts a new
    // txn, so the later value is still written last.
    const bool full =
        current.indices.size() == keys_per_txn ||
        current.body.size() + 1 + op.size() + txn_close.size() > budget ||
        keys.count(e.key) != 0;
    if (!current.indices.empty() && full) {
      flush();
    }

    if (current.indices.empty()) {
      current.body = txn_open;
    } else {
      current.body += ',';
    }
    current.body += op;
    current.indices.push_back(i);
    keys.insert(e.key);
  }

  if (!current.indices.empty()) {
    flush();
  }
  return plan;
}

}  // namespace detail

/// Splits entries into txns of unconditional puts that respect lim (at
/// most max_txn_ops keys per txn); empty and oversize entries are rejected.
inline txn_plan split_txn_put(const std::vector<entry>& entries,
                              const limits& lim = limits{}) {
  return detail::split_txn(entries, lim, 1, detail::append_put_op);
}

/// Splits entries into put-if-changed txns that respect lim (at most
/// max_txn_ops - 2 keys per txn, 126 by default); empty and oversize
/// entries are rejected.
inline txn_plan split_txn_put_if_changed(const std::vector<entry>& entries,
                                         const limits& lim = limits{}) {
  return detail::split_txn(entries, lim, 3, detail::append_put_if_changed_op);
}

// ---------------------------------------------------------------------------
// Responses

/// Holds one stored key as the gateway reports it, decoded from base64.
struct key_value {
  std::string key;
  std::string value;
  std::int64_t create_revision = 0;
  std::int64_t mod_revision = 0;
  std::int64_t version = 0;
  std::int64_t lease = 0;
};

/// Holds the decoded answer to a put.
struct put_response {
  std::int64_t revision = 0;
  std::optional<key_value> prev_kv;
};

/// Holds the decoded answer to a range read; a miss has no kvs.
struct range_response {
  std::int64_t revision = 0;
  std::vector<key_value> kvs;
  std::int64_t count = 0;
  bool more = false;
};

/// Holds the decoded answer to a txn of unconditional puts.
struct txn_put_response {
  std::int64_t revision = 0;
};

/// Says what a put-if-changed txn did to one key.
enum class change : unsigned char {
  created,    ///< the key was missing and has been written
  updated,    ///< the key held another value and has been overwritten
  unchanged,  ///< the key already held the value; nothing was written
};

/// Returns the change's name, e.g. "created".
constexpr std::string_view to_string(change c) noexcept {
  switch (c) {
    case change::created:
      return "created";
    case change::updated:
      return "updated";
    case change::unchanged:
      break;
  }
  return "unchanged";
}

/// Maps a change to the outcome of a write: written or unchanged.
constexpr write_outcome to_write_outcome(change c) noexcept {
  return c == change::unchanged ? write_outcome::unchanged
                                : write_outcome::written;
}

/// Holds the decoded answer to a put-if-changed txn: one change per key, in
/// the order of the request.
struct txn_put_if_changed_response {
  std::int64_t revision = 0;
  std::vector<change> changes;
};

namespace detail {

using json = nlohmann::json;

inline std::string join(std::string_view where, std::string_view field) {
  if (where.empty()) {
    return std::string(field);
  }
  return std::string(where) + "." + std::string(field);
}

inline std::string index(std::string_view where, std::size_t i) {
  return std::string(where) + "[" + std::to_string(i) + "]";
}

inline std::string_view type_name(const json& j) noexcept {
  switch (j.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "a number";
    case json::value_t::binary:
    case json::value_t::discarded:
      break;
  }
  return "an unexpected value";
}

inline error shape_error(std::string_view where, std::string_view expected,
                         const json& got) {
  return make_error(error_code::unexpected_shape,
                    std::string(where) + ": expected " + std::string(expected) +
                        ", got " + std::string(type_name(got)));
}

inline error missing_error(std::string_view where) {
  return make_error(error_code::unexpected_shape,
                    std::string(where) + ": missing");
}

// Parses body as a JSON object.
inline error parse_object(std::string_view body, json& out) {
  try {
    out = json::parse(body.begin(), body.end());
  } catch (const json::parse_error& e) {
    return make_error(error_code::invalid_json, "body: invalid JSON at byte " +
                                                    std::to_string(e.byte) +
                                                    " (" + e.what() + ")");
  }

  if (!out.is_object()) {
    return shape_error("body", "an object", out);
  }
  return {};
}

// Reads an int64 that the gateway sends as a JSON string (numbers are
// accepted too); an absent field leaves out untouched (proto3 default 0).
inline error read_int64(const json& object, const char* field,
                        std::string_view where, std::int64_t& out) {
  const auto it = object.find(field);
  if (it == object.end()) {
    return {};
  }
  const std::string path = join(where, field);

  if (it->is_number_integer() && !it->is_number_unsigned()) {
    out = it->get<std::int64_t>();
    return {};
  }
  if (it->is_number_unsigned()) {
    const auto u = it->get<std::uint64_t>();
    if (u >
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return make_error(error_code::bad_integer,
                        path + ": " + std::to_string(u) +
                            " does not fit a 64-bit signed integer");
    }
    out = static_cast<std::int64_t>(u);
    return {};
  }
  if (!it->is_string()) {
    return shape_error(path, "an integer string", *it);
  }

  const auto& text = it->get_ref<const std::string&>();
  std::int64_t value = 0;
  const char* const first = text.data();
  const char* const last = text.data() + text.size();
  const auto [end, ec] = std::from_chars(first, last, value);
  if (text.empty() || ec != std::errc{} || end != last) {
    return make_error(error_code::bad_integer,
                      path + ": \"" + text.substr(0, 40) +
                          "\" is not a 64-bit decimal integer");
  }
  out = value;
  return {};
}

// Reads an optional boolean; absent means false (proto3 default).
inline error read_bool(const json& object, const char* field,
                       std::string_view where, bool& out) {
  const auto it = object.find(field);
  if (it == object.end()) {
    out = false;
    return {};
  }
  if (!it->is_boolean()) {
    return shape_error(join(where, field), "a boolean", *it);
  }
  out = it->get<bool>();
  return {};
}

// Reads base64 bytes; absent means empty unless required.
inline error read_bytes(const json& object, const char* field,
                        std::string_view where, bool required,
                        std::string& out) {
  const std::string path = join(where, field);
  const auto it = object.find(field);
  if (it == object.end()) {
    if (required) {
      return missing_error(path);
    }
    out.clear();
    return {};
  }
  if (!it->is_string()) {
    return shape_error(path, "a base64 string", *it);
  }

  auto decoded = base64_decode(it->get_ref<const std::string&>());
  if (!decoded) {
    return at(path, std::move(decoded.error));
  }
  out = std::move(decoded.value);
  return {};
}

// Finds a member that must be of one kind (`is` tells, `kind` names it for
// the message); nullptr, and an error when it is required or of another
// kind, otherwise.
inline const json* find_member(const json& object, const char* field,
                               std::string_view where, bool required,
                               error& err, bool (json::*is)() const noexcept,
                               const char* kind) {
  const auto it = object.find(field);
  if (it == object.end()) {
    if (required) {
      err = missing_error(join(where, field));
    }
    return nullptr;
  }
  if (!((*it).*is)()) {
    err = shape_error(join(where, field), kind, *it);
    return nullptr;
  }
  return &*it;
}

// Finds a member that must be an object.
inline const json* find_object(const json& object, const char* field,
                               std::string_view where, bool required,
                               error& err) {
  return find_member(object, field, where, required, err, &json::is_object,
                     "an object");
}

// Finds a member that must be an array.
inline const json* find_array(const json& object, const char* field,
                              std::string_view where, bool required,
                              error& err) {
  return find_member(object, field, where, required, err, &json::is_array,
                     "an array");
}

inline error read_header_revision(const json& object, std::string_view where,
                                  std::int64_t& revision) {
  error err;
  const json* header = find_object(object, "header", where, true, err);
  if (header == nullptr) {
    return err;
  }
  return read_int64(*header, "revision", join(where, "header"), revision);
}

inline error read_key_value(const json& kv, std::string_view where,
                            key_value& out) {
  if (!kv.is_object()) {
    return shape_error(where, "an object", kv);
  }

  error err = read_bytes(kv, "key", where, true, out.key);
  if (err.ok()) {
    err = read_bytes(kv, "value", where, false, out.value);
  }
  if (err.ok()) {
    err = read_int64(kv, "create_revision", where, out.create_revision);
  }
  if (err.ok()) {
    err = read_int64(kv, "mod_revision", where, out.mod_revision);
  }
  if (err.ok()) {
    err = read_int64(kv, "version", where, out.version);
  }
  if (err.ok()) {
    err = read_int64(kv, "lease", where, out.lease);
  }
  return err;
}

// Recognises a gateway error body: "code" plus "message" or "error", and
// no "header" (which every successful answer has).
inline bool read_gateway_error(const json& root, int http_status, error& out) {
  if (!root.is_object() || root.contains("header")) {
    return false;
  }
  const auto code = root.find("code");
  if (code == root.end() || !code->is_number_integer()) {
    return false;
  }
  const auto text_of = [&](const char* field) -> const json* {
    const auto it = root.find(field);
    return it != root.end() && it->is_string() ? &*it : nullptr;
  };
  const json* text = text_of("message");
  if (text == nullptr || text->get_ref<const std::string&>().empty()) {
    text = text_of("error") != nullptr ? text_of("error") : text;
  }
  if (text == nullptr) {
    return false;
  }

  const auto grpc = code->get<std::int64_t>();
  std::string message = "etcd gateway error (";
  if (http_status != 0) {
    message += "HTTP " + std::to_string(http_status) + ", ";
  }
  message += "gRPC " + std::to_string(grpc) + " " +
             std::string(grpc_code_name(grpc)) +
             "): " + text->get_ref<const std::string&>();
  out = {error_code::gateway_error, std::move(message), grpc};
  return true;
}

// Runs decode on the parsed body unless it is a gateway error. Turns a
// stray nlohmann exception into an error so that nothing escapes.
template <class T, class Decode>
result<T> decode_response(std::string_view body, Decode decode) {
  result<T> r;
  try {
    json root;
    r.error = parse_object(body, root);
    if (!r.error.ok() || read_gateway_error(root, 0, r.error)) {
      return r;
    }
    r.error = decode(root, r.value);
  } catch (const json::exception& e) {
    r.error = make_error(error_code::unexpected_shape,
                         std::string("body: ") + e.what());
  }
  if (!r.error.ok()) {
    r.value = T{};
  }
  return r;
}

inline error decode_put(const json& root, put_response& out) {
  error err = read_header_revision(root, "", out.revision);
  if (!err.ok()) {
    return err;
  }

  const json* prev = find_object(root, "prev_kv", "", false, err);
  if (prev != nullptr) {
    out.prev_kv.emplace();
    err = read_key_value(*prev, "prev_kv", *out.prev_kv);
  }
  return err;
}

inline error decode_range(const json& root, range_response& out) {
  error err = read_header_revision(root, "", out.revision);
  if (!err.ok()) {
    return err;
  }

  const json* kvs = find_array(root, "kvs", "", false, err);
  if (!err.ok()) {
    return err;
  }
  if (kvs != nullptr) {
    out.kvs.reserve(kvs->size());
    for (std::size_t i = 0; i < kvs->size(); ++i) {
      out.kvs.emplace_back();
      err = read_key_value((*kvs)[i], index("kvs", i), out.kvs.back());
      if (!err.ok()) {
        return err;
      }
    }
  }

  err = read_int64(root, "count", "", out.count);
  if (err.ok()) {
    err = read_bool(root, "more", "", out.more);
  }
  return err;
}

// Finds the "responses" array of a txn answer and checks its length.
inline const json* find_responses(const json& root, std::size_t expected,
                                  error& err) {
  const json* responses = find_array(root, "responses", "", false, err);
  const std::size_t got = responses == nullptr ? 0 : responses->size();
  if (err.ok() && got != expected) {
    err = make_error(error_code::unexpected_shape,
                     "responses: expected " + std::to_string(expected) +
                         " entries, got " + std::to_string(got));
  }
  return responses;
}

inline error decode_txn_put(const json& root, std::size_t expected,
                            txn_put_response& out) {
  error err = read_header_revision(root, "", out.revision);
  if (!err.ok()) {
    return err;
  }
  bool succeeded = false;
  err = read_bool(root, "succeeded", "", succeeded);
  if (err.ok() && !succeeded && expected != 0) {
    err = make_error(error_code::unexpected_shape,
                     "succeeded: expected true for a txn without compares");
  }

  const json* responses = find_responses(root, expected, err);
  for (std::size_t i = 0; err.ok() && i < expected; ++i) {
    const std::string where = index("responses", i);
    const json& item = (*responses)[i];
    if (!item.is_object()) {
      return shape_error(where, "an object", item);
    }
    find_object(item, "response_put", where, true, err);
  }
  return err;
}

inline error decode_txn_put_if_changed(const json& root, std::size_t expected,
                                       txn_put_if_changed_response& out) {
  error err = read_header_revision(root, "", out.revision);
  const json* responses =
      err.ok() ? find_responses(root, expected, err) : nullptr;
  if (!err.ok()) {
    return err;
  }

  out.changes.reserve(expected);
  for (std::size_t i = 0; i < expected; ++i) {
    const std::string where = index("responses", i);
    const json& item = (*responses)[i];
    if (!item.is_object()) {
      return shape_error(where, "an object", item);
    }
    const json* outer = find_object(item, "response_txn", where, true, err);
    if (outer == nullptr) {
      return err;
    }
    const std::string outer_where = join(where, "response_txn");
    bool created = false;
    err = read_bool(*outer, "succeeded", outer_where, created);
    if (!err.ok()) {
      return err;
    }
    if (created) {
      out.changes.push_back(change::created);
      continue;
    }

    // The key existed: the failure branch ran the nested value compare.
    const json* nested =
        find_array(*outer, "responses", outer_where, true, err);
    if (nested == nullptr) {
      return err;
    }
    const std::string nested_where = index(join(outer_where, "responses"), 0);
    if (nested->empty()) {
      return missing_error(nested_where);
    }
    if (!(*nested)[0].is_object()) {
      return shape_error(nested_where, "an object", (*nested)[0]);
    }
    const json* inner =
        find_object((*nested)[0], "response_txn", nested_where, true, err);
    if (inner == nullptr) {
      return err;
    }
    bool updated = false;
    err = read_bool(*inner, "succeeded", join(nested_where, "response_txn"),
                    updated);
    if (!err.ok()) {
      return err;
    }
    out.changes.push_back(updated ? change::updated : change::unchanged);
  }
  return err;
}

}  // namespace detail

/// Decodes the answer to a put: the revision and, if asked for, prev_kv.
inline result<put_response> parse_put_response(std::string_view body) {
  return detail::decode_response<put_response>(body, detail::decode_put);
}

/// Decodes the answer to a range read; keys and values come back decoded.
inline result<range_response> parse_range_response(std::string_view body) {
  return detail::decode_response<range_response>(body, detail::decode_range);
}

/// Decodes the answer to a txn_put_request of `keys` entries.
inline result<txn_put_response> parse_txn_put_response(std::string_view body,
                                                       std::size_t keys) {
  return detail::decode_response<txn_put_response>(
      body, [keys](const detail::json& root, txn_put_response& out) {
        return detail::decode_txn_put(root, keys, out);
      });
}

/// Decodes the answer to a txn_put_if_changed_request of `keys` entries:
/// one change per key, in request order.
inline result<txn_put_if_changed_response> parse_txn_put_if_changed_response(
    std::string_view body, std::size_t keys) {
  return detail::decode_response<txn_put_if_changed_response>(
      body, [keys](const detail::json& root, txn_put_if_changed_response& out) {
        return detail::decode_txn_put_if_changed(root, keys, out);
      });
}

/// Describes a failed HTTP answer: gateway_error with the gRPC code and the
/// server's message when the body is a gateway error, else http_error with
/// the start of the body. Pass 0 as http_status when it is unknown.
inline error parse_error_response(std::string_view body, int http_status) {
  error out;
  try {
    const detail::json root =
        detail::json::parse(body.begin(), body.end(), nullptr, false);
    if (detail::read_gateway_error(root, http_status, out)) {
      return out;
    }
  } catch (const detail::json::exception&) {
    // Not a gateway error; described below.
  }

  std::string text;
  for (const char c : body.substr(0, 200)) {
    const auto byte = static_cast<unsigned char>(c);
    text += byte >= 0x20 && byte < 0x7F ? c : '?';
  }
  std::string message =
      "HTTP " + std::to_string(http_status) + " without a gateway error body";
  if (!text.empty()) {
    message += ": " + text;
  }
  return detail::make_error(error_code::http_error, std::move(message));
}

}  // namespace modelstate::etcd

#endif  // MODELSTATE_ETCD_HPP
