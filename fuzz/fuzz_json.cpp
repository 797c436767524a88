// Decodes arbitrary bytes as container JSON and runs what decodes through
// the pipeline, with the log written to a string.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>

#include <modelstate/json.hpp>
#include <modelstate/modelstate.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto decoded = modelstate::decode_json(text);
  for (const auto& e : decoded.errors) {
    static_cast<void>(modelstate::describe(e));
  }

  modelstate::memory_sink sink;
  std::ostringstream log;
  modelstate::log_observer observer(log);
  static_cast<void>(modelstate::process(decoded.list, sink, {}, observer));
  return 0;
}
