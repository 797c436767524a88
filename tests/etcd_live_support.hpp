// Helpers for the tests that talk to a real etcd: where it is, raw gateway
// calls that do not go through the sink under test, an etcd of a test's
// own that can be stopped and started again, and a socket that refuses
// connections.
#ifndef MODELSTATE_TESTS_ETCD_LIVE_SUPPORT_HPP
#define MODELSTATE_TESTS_ETCD_LIVE_SUPPORT_HPP

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <httplib.h>

#include <modelstate/etcd.hpp>

#include "catch.hpp"

namespace etcd_live {

namespace etcd = modelstate::etcd;

/// Returns the value of an environment variable the test needs.
inline std::string required_env(const char* name) {
  const char* value = std::getenv(name);
  INFO("environment variable " << name << " (set by tests/etcd.cmake)");
  REQUIRE(value != nullptr);
  REQUIRE(*value != '\0');
  return value;
}

/// Returns the first line of a file, or "" when it cannot be read.
inline std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

/// Returns the endpoint of the etcd that the CTest fixture started.
inline std::string fixture_endpoint() {
  const std::string state = required_env("MODELSTATE_ETCD_STATE");
  const std::string endpoint = first_line(state + "/endpoint");
  INFO("the fixture's endpoint file in " << state);
  REQUIRE(endpoint.rfind("http://127.0.0.1:", 0) == 0);
  return endpoint;
}

/// Holds the status and body of one raw gateway call.
struct answer {
  int status = 0;
  std::string body;
};

/// Posts a body to the gateway with a client of its own.
inline answer post(const std::string& endpoint, std::string_view path,
                   const std::string& body) {
  httplib::Client client(endpoint);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(5, 0);
  auto res = client.Post(std::string(path), body, "application/json");
  INFO("POST " << endpoint << path << ": " << httplib::to_string(res.error()));
  REQUIRE(res);
  return {res->status, res->body};
}

/// Reads every key under prefix ("" for all keys) with one range call.
inline etcd::range_response range(const std::string& endpoint,
                                  std::string_view prefix) {
  const etcd::request req = etcd::range_prefix_request(prefix);
  const answer a = post(endpoint, req.path, req.body);
  INFO(a.body);
  REQUIRE(a.status == 200);
  auto parsed = etcd::parse_range_response(a.body);
  INFO(parsed.error.message);
  REQUIRE(parsed);
  return parsed.value;
}

/// Reads every key under prefix as a map of key to value.
inline std::map<std::string, std::string> stored(const std::string& endpoint,
                                                 std::string_view prefix) {
  std::map<std::string, std::string> out;
  for (auto& kv : range(endpoint, prefix).kvs) {
    out.emplace(std::move(kv.key), std::move(kv.value));
  }
  return out;
}

/// Reads every key under prefix with its mod_revision.
inline std::map<std::string, std::int64_t> mod_revisions(
    const std::string& endpoint, std::string_view prefix) {
  std::map<std::string, std::int64_t> out;
  for (const auto& kv : range(endpoint, prefix).kvs) {
    out.emplace(kv.key, kv.mod_revision);
  }
  return out;
}

/// Returns the store's current revision.
inline std::int64_t revision(const std::string& endpoint) {
  return range(endpoint, "/a key that no test writes").revision;
}

/// Writes one key with a plain put.
inline void put(const std::string& endpoint, std::string_view key,
                std::string_view value) {
  const etcd::request req = etcd::put_request(key, value);
  const answer a = post(endpoint, req.path, req.body);
  INFO(a.body);
  REQUIRE(a.status == 200);
}

/// Deletes every key under prefix, so that a test starts from nothing.
inline void delete_prefix(const std::string& endpoint,
                          std::string_view prefix) {
  REQUIRE(!prefix.empty());
  const std::string body =
      "{\"key\":\"" + etcd::base64_encode(prefix) + "\",\"range_end\":\"" +
      etcd::base64_encode(etcd::prefix_range_end(prefix)) + "\"}";
  const answer a = post(endpoint, "/v3/kv/deleterange", body);
  INFO(a.body);
  REQUIRE(a.status == 200);
  REQUIRE(range(endpoint, prefix).kvs.empty());
}

/// Runs a shell command; returns its exit status, or -1.
inline int run_command(const std::string& command) {
  const int status = std::system(command.c_str());
  if (status == -1 || !WIFEXITED(status)) {
    return -1;
  }
  return WEXITSTATUS(status);
}

/// Quotes an argument for the shell.
inline std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

/// Makes a fresh temporary directory; removes it on destruction.
class temp_dir {
 public:
  temp_dir() {
    std::error_code ec;
    std::string pattern = (std::filesystem::temp_directory_path(ec) /
                           "modelstate-etcd-test.XXXXXX")
                              .string();
    if (!ec && mkdtemp(pattern.data()) != nullptr) {
      path_ = pattern;
    }
    REQUIRE(!path_.empty());
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() { run_command("rm -rf " + shell_quote(path_)); }

  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

/// Runs an etcd of the test's own, with the fixture's scripts; stops it and
/// removes its data on destruction, whatever happened in between.
class own_etcd {
 public:
  own_etcd()
      : scripts_(required_env("MODELSTATE_ETCD_SCRIPTS")),
        state_(dir_.path() + "/state") {
    start();
    endpoint_ = first_line(state_ + "/endpoint");
    REQUIRE(!endpoint_.empty());
  }
  own_etcd(const own_etcd&) = delete;
  own_etcd& operator=(const own_etcd&) = delete;
  ~own_etcd() { script("etcd-stop.sh", ""); }

  /// Returns the server's endpoint, the same across restarts.
  const std::string& endpoint() const noexcept { return endpoint_; }

  /// Stops the server, keeping its port and data.
  void stop() { REQUIRE(script("etcd-stop.sh", " --keep") == 0); }

  /// Starts the server (again); returns once it is healthy.
  void start() {
    REQUIRE(script("etcd-start.sh", " >/dev/null") == 0);
    if (!endpoint_.empty()) {
      REQUIRE(first_line(state_ + "/endpoint") == endpoint_);
    }
  }

 private:
  int script(const char* name, const char* tail) const {
    return run_command(shell_quote(scripts_ + "/" + name) + " " +
                       shell_quote(state_) + tail);
  }

  temp_dir dir_;
  std::string scripts_;
  std::string state_;
  std::string endpoint_;
};

/// Holds a loopback port that refuses connections: a socket is bound to it
/// but never listens, so no one else can take the port meanwhile.
class refusing_port {
 public:
  refusing_port() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address),
                   sizeof address) == 0);
    socklen_t size = sizeof address;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) ==
            0);
    port_ = ntohs(address.sin_port);
  }
  refusing_port(const refusing_port&) = delete;
  refusing_port& operator=(const refusing_port&) = delete;
  ~refusing_port() { ::close(fd_); }

  /// Returns the port.
  int port() const noexcept { return port_; }

  /// Returns http://127.0.0.1:PORT.
  std::string endpoint() const {
    return "http://127.0.0.1:" + std::to_string(port_);
  }

 protected:
  int fd_ = -1;
  int port_ = 0;
};

/// Holds a loopback port that accepts connections (the kernel completes
/// them) but never answers a request.
class silent_port : public refusing_port {
 public:
  silent_port() { REQUIRE(::listen(fd_, 4) == 0); }
};

}  // namespace etcd_live

#endif  // MODELSTATE_TESTS_ETCD_LIVE_SUPPORT_HPP
