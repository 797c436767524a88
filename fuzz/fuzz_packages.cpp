// Reads arbitrary bytes as package definitions, YAML and JSON, and indexes
// what they define.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <modelstate/package.hpp>
#include <modelstate/package_json.hpp>
#include <modelstate/package_yaml.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto decoded : {modelstate::read_packages_yaml(text),
                       modelstate::read_packages_json(text)}) {
    for (const auto& p : decoded.problems) {
      static_cast<void>(modelstate::describe(p));
    }
    const modelstate::package_index index(std::move(decoded.packages));
    for (const auto& p : index.problems()) {
      static_cast<void>(modelstate::describe(p));
    }
  }
  return 0;
}
