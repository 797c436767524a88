// Must not compile: the pipeline cannot write to a target that has neither
// put(key, value) nor write(entries). With MODELSTATE_COMPILE_FIXED defined
// the target has put and must compile cleanly.
#include <string_view>
#include <vector>

#include "modelstate/pipeline.hpp"

namespace {

struct target {
#ifdef MODELSTATE_COMPILE_FIXED
  modelstate::put_result put(std::string_view, std::string_view) {
    ++writes;
    return modelstate::put_result::success();
  }
#endif
  int writes = 0;
};

}  // namespace

int main() {
  const std::vector<modelstate::container_info> containers(1);
  target t;
  const modelstate::report r = modelstate::process("node", containers, t);
  return r.ok() ? 0 : 1;
}
