// Helpers shared by the test programs.
#ifndef MODELSTATE_TESTS_SUPPORT_HPP
#define MODELSTATE_TESTS_SUPPORT_HPP

#include <functional>
#include <map>
#include <string>
#include <utility>

#include <modelstate/record.hpp>

#include "catch.hpp"

namespace modelstate_test {

/// Matches a string holding part (Catch2 v2 and v3 name this differently).
inline auto contains(const std::string& part) {
#if CATCH_VERSION_MAJOR >= 3
  return Catch::Matchers::ContainsSubstring(part);
#else
  return Catch::Matchers::Contains(part);
#endif
}

/// Makes a container of a model (none when model is empty) with a state.
inline modelstate::container_info make(
    std::string id, std::string model,
    std::map<std::string, std::string, std::less<>> state) {
  modelstate::container_info c;
  c.id = std::move(id);
  c.names = {c.id + "-name"};
  c.image = "img/" + c.id;
  c.state = std::move(state);
  if (!model.empty()) {
    c.annotation = {{"pullpiri.model", std::move(model)}};
  }
  return c;
}

/// Makes a running container of a model.
inline modelstate::container_info running(std::string id, std::string model) {
  return make(std::move(id), std::move(model),
              {{"Status", "running"}, {"Running", "true"}});
}

}  // namespace modelstate_test

#endif  // MODELSTATE_TESTS_SUPPORT_HPP
