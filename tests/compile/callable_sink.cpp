// Must compile: a lambda returning bool, and one returning put_result,
// become sinks through make_sink.
#include <string>
#include <string_view>
#include <vector>

#include "modelstate/pipeline.hpp"

int main() {
  std::vector<std::string> written;
  auto yes_or_no = modelstate::make_sink(
      [&written](std::string_view key, std::string_view value) {
        written.push_back(std::string(key) + "=" + std::string(value));
        return true;
      });
  auto detailed = modelstate::make_sink(
      [](std::string_view, std::string_view) -> modelstate::put_result {
        return modelstate::put_result::failure("read-only store");
      });
  static_assert(modelstate::is_sink_v<decltype(yes_or_no)>);
  static_assert(modelstate::is_sink_v<decltype(detailed)>);

  std::vector<modelstate::container_info> containers(1);
  containers[0].annotation = {{"pullpiri.model", "m"}};
  const auto a = modelstate::process("node", containers, yes_or_no);
  const auto b = modelstate::process("node", containers, detailed);
  return a.ok() && !b.ok() && written.size() == 1 ? 0 : 1;
}
