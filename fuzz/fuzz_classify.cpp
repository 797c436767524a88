// Splits the input into key/value lines and runs every pure function on
// them: facts, classification under each profile, names and stored values.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <modelstate/modelstate.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  modelstate::container_facts facts;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    const std::string_view line = text.substr(start, end - start);
    const std::size_t eq = line.find('=');
    if (eq != std::string_view::npos) {
      modelstate::set_fact(facts, line.substr(0, eq), line.substr(eq + 1));
    }
    static_cast<void>(modelstate::check_name(line));
    static_cast<void>(modelstate::parse_model_state(line));
    static_cast<void>(modelstate::parse_package_state(line));
    static_cast<void>(modelstate::name_from_key(line));
    start = end + 1;
  }

  std::vector<modelstate::container_facts> model(3, facts);
  for (auto p : {modelstate::profile::standard, modelstate::profile::flags_only,
                 modelstate::profile::status_only}) {
    const auto c = modelstate::classify(facts, modelstate::make_policy(p));
    static_cast<void>(modelstate::describe(c));
    const auto e = modelstate::evaluate(model, modelstate::make_policy(p));
    static_cast<void>(modelstate::describe(e, "id"));
  }
  return 0;
}
