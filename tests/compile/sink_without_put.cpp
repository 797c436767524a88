// Must not compile: a store with no put(key, value) is not a sink. With
// MODELSTATE_COMPILE_FIXED defined it has one and must compile cleanly, so
// the failure is known to come from the missing member alone.
#include <string>
#include <string_view>

#include "modelstate/sink.hpp"

namespace {

struct store {
#ifdef MODELSTATE_COMPILE_FIXED
  bool put(std::string_view key, std::string_view value) {
    last = std::string(key) + "=" + std::string(value);
    return true;
  }
#endif
  void save(std::string_view key, std::string_view value) {
    last = std::string(key) + "=" + std::string(value);
  }

  std::string last;
};

}  // namespace

int main() {
  store s;
  s.save("k", "v");
  const modelstate::put_result r = modelstate::put(s, "/model/m/state", "v");
  return r ? 0 : 1;
}
