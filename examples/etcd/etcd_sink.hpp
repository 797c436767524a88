// modelstate example: a sink that writes to a real etcd.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_EXAMPLES_ETCD_SINK_HPP
#define MODELSTATE_EXAMPLES_ETCD_SINK_HPP

// Talks to etcd's v3 JSON gateway over plain HTTP with cpp-httplib, using
// the request bodies and parsers of modelstate/etcd.hpp. Needs
// nlohmann_json and cpp-httplib (pkg-config module cpp-httplib).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <httplib.h>

#include <modelstate/etcd.hpp>
#include <modelstate/sink.hpp>

namespace modelstate_examples {

// ---------------------------------------------------------------------------
// Endpoint

/// Holds an etcd client endpoint: plain HTTP, one host and port.
struct etcd_endpoint {
  std::string url;   ///< as written in messages: http://HOST:PORT
  std::string host;  ///< the host name or address, without brackets
  int port = 0;
};

/// Holds a parsed endpoint, or why the URL was refused.
struct [[nodiscard]] endpoint_result {
  etcd_endpoint value;
  std::string error;

  /// Tells whether the URL was accepted.
  explicit operator bool() const noexcept { return error.empty(); }
};

namespace detail {

inline bool is_host_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

inline bool is_ipv6_char(char c) noexcept {
  return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
         (c >= '0' && c <= '9') || c == ':' || c == '.';
}

inline endpoint_result refuse(std::string_view url, std::string reason) {
  endpoint_result r;
  r.error = "'" + std::string(url) +
            "' is not an etcd endpoint: " + std::move(reason) +
            " (expected http://HOST:PORT)";
  return r;
}

}  // namespace detail

/// Parses an endpoint of the form http://HOST:PORT (a trailing '/' is
/// allowed; HOST may be an IPv6 address in brackets). Refuses other schemes,
/// paths, user information, a missing port and lists of endpoints.
inline endpoint_result parse_etcd_endpoint(std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (url.empty()) {
    return detail::refuse(url, "the URL is empty");
  }
  if (url.find(',') != std::string_view::npos) {
    return detail::refuse(url, "give one endpoint, not a list");
  }
  if (url.substr(0, 8) == "https://") {
    return detail::refuse(url, "https (TLS) is not supported");
  }
  if (url.substr(0, scheme.size()) != scheme) {
    return detail::refuse(url, "the scheme must be http://");
  }

  std::string_view rest = url.substr(scheme.size());
  if (!rest.empty() && rest.back() == '/') {
    rest.remove_suffix(1);
  }
  if (rest.find_first_of("/?#") != std::string_view::npos) {
    return detail::refuse(url, "a path, query or fragment is not supported");
  }
  if (rest.find('@') != std::string_view::npos) {
    return detail::refuse(url, "user information is not supported");
  }

  std::string_view host;
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      return detail::refuse(url, "the IPv6 address lacks its ']'");
    }
    host = rest.substr(1, close - 1);
    const std::string_view after = rest.substr(close + 1);
    if (after.empty() || after.front() != ':') {
      return detail::refuse(url, "the port is missing");
    }
    port = after.substr(1);
    for (const char c : host) {
      if (!detail::is_ipv6_char(c)) {
        return detail::refuse(url, "the IPv6 address is malformed");
      }
    }
  } else {
    const auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) {
      return detail::refuse(url, "the port is missing");
    }
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    for (const char c : host) {
      if (!detail::is_host_char(c)) {
        return detail::refuse(url, "the host name is malformed");
      }
    }
  }
  if (host.empty()) {
    return detail::refuse(url, "the host is missing");
  }

  int number = 0;
  for (const char c : port) {
    if (c < '0' || c > '9' || number > 65535) {
      number = -1;
      break;
    }
    number = number * 10 + (c - '0');
  }
  if (port.empty() || number < 1 || number > 65535) {
    return detail::refuse(url, "the port must be a number from 1 to 65535");
  }

  endpoint_result r;
  r.value.host = std::string(host);
  r.value.port = number;
  r.value.url = std::string(url.substr(0, scheme.size() + rest.size()));
  return r;
}

// ---------------------------------------------------------------------------
// Results

/// Holds what etcd did to one key of a put-if-changed write, or why the
/// write of that key is not confirmed.
struct key_change {
  /// Says what etcd did to the key; empty when it is not confirmed.
  std::optional<modelstate::etcd::change> outcome;
  /// Says why the key is not confirmed; empty when it is.
  std::string error;
};

/// Holds one key_change per entry of a write, in the order of the entries.
struct change_report {
  std::vector<key_change> keys;

  /// Tells whether etcd confirmed every key.
  bool ok() const noexcept {
    for (const auto& k : keys) {
      if (!k.outcome) {
        return false;
      }
    }
    return true;
  }

  /// Returns the error of the first key that is not confirmed, or "".
  std::string first_error() const {
    for (const auto& k : keys) {
      if (!k.outcome) {
        return k.error;
      }
    }
    return {};
  }
};

/// Holds the pairs stored under a prefix, ordered by key, or the error
/// that stopped the read.
struct prefix_read {
  std::vector<std::pair<std::string, std::string>> pairs;
  /// Gives the store's revision the pairs were read at.
  std::int64_t revision = 0;
  /// Says why the read failed; empty on success.
  std::string error;

  /// Tells whether the read succeeded.
  bool ok() const noexcept { return error.empty(); }
};

/// Counts what a sink sent and what etcd did with it.
struct etcd_stats {
  std::size_t requests = 0;   ///< HTTP requests sent (answered or not)
  std::size_t created = 0;    ///< keys etcd created
  std::size_t updated = 0;    ///< keys etcd overwrote with a new value
  std::size_t unchanged = 0;  ///< keys etcd already held with that value
  std::size_t failed = 0;     ///< keys whose write was not confirmed
};

// ---------------------------------------------------------------------------
// The sink

/// Writes keys to one etcd endpoint through its JSON gateway, over one
/// kept-alive HTTP connection.
///
/// Every write only changes keys that are missing or hold another value
/// (a put-if-changed transaction), so writing the same value again leaves
/// etcd's revision alone. It is a sink (put, put_batch) for
/// modelstate::change_tracker and a writer (write) for
/// cluster_view::commit. No member throws; every failure message starts
/// with "etcd at URL: ". Not thread-safe: use one sink per thread.
class etcd_sink {
 public:
  /// Makes a sink for endpoint, connecting on first use; timeout_seconds bounds
  /// connecting, each read and each write (5 s when it is not a positive
  /// number). `limits` must match the server's --max-txn-ops and
  /// --max-request-bytes.
  explicit etcd_sink(etcd_endpoint endpoint, double timeout_seconds = 5.0,
                     modelstate::etcd::limits limits = {})
      : endpoint_(std::move(endpoint)), limits_(limits) {
    if (timeout_seconds > 0.0 && std::isfinite(timeout_seconds)) {
      timeout_ = timeout_seconds;
    }
    const double whole = std::floor(timeout_);
    const auto sec = static_cast<std::time_t>(whole);
    const auto usec = static_cast<std::time_t>((timeout_ - whole) * 1e6);

    try {
      http_ = std::make_unique<httplib::Client>(endpoint_.host, endpoint_.port);
      http_->set_keep_alive(true);
      // Without it every request waits for the peer's delayed ACK
      // (about 40 ms on Linux).
      http_->set_tcp_nodelay(true);
      http_->set_connection_timeout(sec, usec);
      http_->set_read_timeout(sec, usec);
      http_->set_write_timeout(sec, usec);
    } catch (const std::exception& e) {
      http_.reset();
      setup_error_ = e.what();
    }
  }

  /// Returns the endpoint's URL, as used in messages.
  const std::string& endpoint() const noexcept { return endpoint_.url; }

  /// Returns what was sent so far and what etcd did with it.
  const etcd_stats& stats() const noexcept { return stats_; }

  /// Writes value under key unless etcd already holds it.
  modelstate::put_result put(std::string_view key, std::string_view value) {
    const change_report r = put_if_changed({modelstate::entry{key, value}});
    if (r.ok()) {
      return modelstate::put_result::success();
    }
    return modelstate::put_result::failure(r.first_error());
  }

  /// Writes entries in put-if-changed transactions (as many as etcd's
  /// limits require); succeeds only when etcd confirmed every entry.
  ///
  /// Several transactions are not atomic together: some may be applied
  /// when another fails. The whole batch is reported failed then, and a
  /// change_tracker sends all of it again, which is harmless because the
  /// keys already written are left unchanged.
  modelstate::put_result put_batch(
      const std::vector<modelstate::entry>& entries) {
    const change_report r = put_if_changed(entries);
    if (r.ok()) {
      return modelstate::put_result::success();
    }

    std::size_t failed = 0;
    for (const auto& k : r.keys) {
      failed += k.outcome ? 0U : 1U;
    }
    std::string message = r.first_error();
    if (failed != r.keys.size()) {
      message += " (" + std::to_string(failed) + " of " +
                 std::to_string(r.keys.size()) + " keys not confirmed)";
    }
    return modelstate::put_result::failure(std::move(message));
  }

  /// Writes entries like put_batch and returns one status per entry:
  /// written (etcd created or updated the key), unchanged (etcd already
  /// held the value) or failed.
  std::vector<modelstate::write_status> write(
      const std::vector<modelstate::entry>& entries) {
    change_report r = put_if_changed(entries);
    std::vector<modelstate::write_status> statuses(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      key_change& k = r.keys[i];
      if (k.outcome) {
        statuses[i].outcome = modelstate::etcd::to_write_outcome(*k.outcome);
      } else {
        statuses[i].outcome = modelstate::write_outcome::failed;
        statuses[i].error = std::move(k.error);
      }
    }
    return statuses;
  }

  /// Writes each entry unless etcd already holds its value; returns per
  /// entry whether etcd created, updated or left the key, or why the write
  /// is not confirmed.
  ///
  /// Entries no request can carry (an empty key, an oversize value) fail
  /// on their own. After a transport failure the remaining transactions
  /// are not sent and fail with the same message.
  change_report put_if_changed(const std::vector<modelstate::entry>& entries) {
    change_report report;
    try {
      report.keys.resize(entries.size());
      const modelstate::etcd::txn_plan plan =
          modelstate::etcd::split_txn_put_if_changed(entries, limits_);
      for (const auto& r : plan.rejected) {
        report.keys[r.index].error = prefix() + "not sent: " + r.error.message;
      }

      std::string transport_error;
      for (const auto& batch : plan.batches) {
        if (transport_error.empty()) {
          send_batch(batch, report, transport_error);
        } else {
          for (const std::size_t i : batch.indices) {
            report.keys[i].error = transport_error;
          }
        }
      }
    } catch (const std::exception& e) {
      fail_unconfirmed(report, prefix() + "write failed: " + e.what());
    }

    for (const auto& k : report.keys) {
      stats_.failed += k.outcome ? 0U : 1U;
    }
    return report;
  }

  /// Reads every key that starts with prefix (every key for ""), in pages
  /// of page_size keys (0: one request), all at the revision of the first
  /// page.
  prefix_read read_prefix(std::string_view prefix_text,
                          std::size_t page_size = 1000) {
    prefix_read out;
    try {
      read_pages(prefix_text, page_size, out);
    } catch (const std::exception& e) {
      out.error = prefix() + "reading " + quoted(prefix_text) + ": " + e.what();
    }
    if (!out.ok()) {
      out.pairs.clear();
      out.revision = 0;
    }
    return out;
  }

 private:
  struct http_answer {
    int status = 0;
    std::string body;
    std::string error;  // a transport failure; empty when answered
  };

  std::string prefix() const { return "etcd at " + endpoint_.url + ": "; }

  // Quotes a key or prefix for a message, escaping what is not printable.
  static std::string quoted(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (const char ch : text) {
      const auto c = static_cast<unsigned char>(ch);
      if (c == '"' || c == '\\') {
        out += '\\';
        out += ch;
      } else if (c < 0x20 || c >= 0x7F) {
        out += "\\x";
        out += hex[c >> 4U];
        out += hex[c & 0xFU];
      } else {
        out += ch;
      }
    }
    return out + '"';
  }

  std::string describe_transport(httplib::Error e) const {
    const std::string seconds = timeout_text();
    std::string what;
    switch (e) {
      case httplib::Error::Connection:
        what = "connection refused or host unreachable";
        break;
      case httplib::Error::ConnectionTimeout:
        what = "no connection within " + seconds;
        break;
      case httplib::Error::Read:
        what = "no answer within " + seconds + ", or the connection closed";
        break;
      case httplib::Error::Write:
        what = "the request could not be sent";
        break;
      default:
        what = "the request failed";
        break;
    }
    return prefix() + what + " (" + httplib::to_string(e) + ")";
  }

  // Writes the timeout for messages: "5 s", "0.25 s".
  std::string timeout_text() const {
    const auto millis = static_cast<long long>(std::llround(timeout_ * 1e3));
    std::string text = std::to_string(millis / 1000);
    if (millis % 1000 != 0) {
      std::string fraction = std::to_string(1000 + millis % 1000).substr(1);
      while (fraction.back() == '0') {
        fraction.pop_back();
      }
      text += '.' + fraction;
    }
    return text + " s";
  }

  http_answer post(std::string_view path, const std::string& body) {
    http_answer a;
    if (http_ == nullptr) {
      a.error = prefix() + "no HTTP client: " + setup_error_;
      return a;
    }

    httplib::Request req;
    req.method = "POST";
    req.path = std::string(path);
    req.headers.emplace("Content-Type", "application/json");
    req.body = body;
    httplib::Response res;
    auto error = httplib::Error::Success;
    ++stats_.requests;
    const bool answered = http_->send(req, res, error);

    // The gateway sends etcd's own errors chunked, with an HTTP trailer
    // that cpp-httplib 0.11 cannot read: it reports a read failure after
    // the status and the whole body have arrived. Such an answer is kept.
    const bool error_with_trailer = error == httplib::Error::Read &&
                                    res.status > 0 && res.status != 200 &&
                                    !res.body.empty();
    if (!answered && !error_with_trailer) {
      a.error = describe_transport(error);
      return a;
    }
    a.status = res.status;
    a.body = std::move(res.body);
    return a;
  }

  // Describes a failed HTTP answer, or a 200 answer that did not parse.
  std::string describe_answer(const http_answer& a,
                              const modelstate::etcd::error& parse) const {
    if (a.status != 200) {
      return prefix() +
             modelstate::etcd::parse_error_response(a.body, a.status).message;
    }
    return prefix() + "unexpected answer: " + parse.message;
  }

  void send_batch(const modelstate::etcd::txn_batch& batch,
                  change_report& report, std::string& transport_error) {
    const http_answer a = post(modelstate::etcd::txn_path, batch.body);
    if (!a.error.empty()) {
      transport_error = a.error;
      for (const std::size_t i : batch.indices) {
        report.keys[i].error = a.error;
      }
      return;
    }

    auto parsed = a.status == 200
                      ? modelstate::etcd::parse_txn_put_if_changed_response(
                            a.body, batch.indices.size())
                      : modelstate::etcd::result<
                            modelstate::etcd::txn_put_if_changed_response>{};
    if (a.status != 200 || !parsed) {
      const std::string message = describe_answer(a, parsed.error);
      for (const std::size_t i : batch.indices) {
        report.keys[i].error = message;
      }
      return;
    }

    for (std::size_t k = 0; k < batch.indices.size(); ++k) {
      const modelstate::etcd::change c = parsed.value.changes[k];
      report.keys[batch.indices[k]].outcome = c;
      switch (c) {
        case modelstate::etcd::change::created:
          ++stats_.created;
          break;
        case modelstate::etcd::change::updated:
          ++stats_.updated;
          break;
        case modelstate::etcd::change::unchanged:
          ++stats_.unchanged;
          break;
      }
    }
  }

  static void fail_unconfirmed(change_report& report,
                               const std::string& message) {
    for (auto& k : report.keys) {
      if (!k.outcome && k.error.empty()) {
        k.error = message;
      }
    }
  }

  // Builds one page's range body: [key, range_end), at most limit keys,
  // at revision (the latest when 0).
  static std::string range_body(const std::string& key,
                                const std::string& range_end, std::size_t limit,
                                std::int64_t revision) {
    std::string body = "{\"key\":\"";
    modelstate::etcd::base64_append(body, key);
    body += "\",\"range_end\":\"";
    modelstate::etcd::base64_append(body, range_end);
    body += '"';
    if (limit != 0) {
      body += ",\"limit\":\"" + std::to_string(limit) + '"';
    }
    if (revision != 0) {
      body += ",\"revision\":\"" + std::to_string(revision) + '"';
    }
    return body + '}';
  }

  void read_pages(std::string_view prefix_text, std::size_t page_size,
                  prefix_read& out) {
    const std::string where = "reading " + quoted(prefix_text) + ": ";
    std::string key =
        prefix_text.empty() ? std::string(1, '\0') : std::string(prefix_text);
    const std::string range_end =
        modelstate::etcd::prefix_range_end(prefix_text);

    while (true) {
      const http_answer a =
          post(modelstate::etcd::range_path,
               range_body(key, range_end, page_size, out.revision));
      if (!a.error.empty()) {
        out.error = a.error;
        out.error.insert(prefix().size(), where);
        return;
      }
      auto parsed =
          a.status == 200
              ? modelstate::etcd::parse_range_response(a.body)
              : modelstate::etcd::result<modelstate::etcd::range_response>{};
      if (a.status != 200 || !parsed) {
        out.error = describe_answer(a, parsed.error);
        out.error.insert(prefix().size(), where);
        return;
      }

      if (out.revision == 0) {
        out.revision = parsed.value.revision;
      }
      for (auto& kv : parsed.value.kvs) {
        out.pairs.emplace_back(std::move(kv.key), std::move(kv.value));
      }
      if (!parsed.value.more || parsed.value.kvs.empty()) {
        return;
      }

      // The next page starts right after the last key read.
      key = out.pairs.back().first;
      key += '\0';
    }
  }

  etcd_endpoint endpoint_;
  modelstate::etcd::limits limits_;
  std::unique_ptr<httplib::Client> http_;
  double timeout_ = 5.0;
  std::string setup_error_;
  etcd_stats stats_;
};

}  // namespace modelstate_examples

#endif  // MODELSTATE_EXAMPLES_ETCD_SINK_HPP
