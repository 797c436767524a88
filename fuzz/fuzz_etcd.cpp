// Feeds arbitrary bytes to every etcd gateway response parser and to the
// base64 decoder.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <modelstate/etcd.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  namespace etcd = modelstate::etcd;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  static_cast<void>(etcd::base64_decode(text));
  static_cast<void>(etcd::parse_put_response(text));
  static_cast<void>(etcd::parse_range_response(text));
  static_cast<void>(etcd::parse_txn_put_response(text, 3));
  static_cast<void>(etcd::parse_txn_put_if_changed_response(text, 3));
  static_cast<void>(etcd::parse_error_response(text, 400));
  static_cast<void>(etcd::prefix_range_end(text));
  return 0;
}
