// Must not compile: a record with annotations but no state map cannot be
// evaluated. With MODELSTATE_COMPILE_FIXED defined it has one and must
// compile cleanly, so the failure comes from the missing member alone.
#include <map>
#include <string>
#include <vector>

#include "modelstate/evaluate.hpp"

namespace {

struct record {
#ifdef MODELSTATE_COMPILE_FIXED
  std::map<std::string, std::string> state;
#endif
  std::map<std::string, std::string> annotation;
  std::string status;
};

}  // namespace

int main() {
  const std::vector<record> records(1);
  const auto e = modelstate::evaluate(records);
  return e.state == modelstate::model_state::running ? 0 : 1;
}
