// Must compile: a store with put(key, value) returning put_result, and one
// with a batch put as well, are sinks the pipeline accepts.
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "modelstate/pipeline.hpp"

namespace {

struct store {
  modelstate::put_result put(std::string_view key, std::string_view value) {
    data[std::string(key)] = std::string(value);
    return modelstate::put_result::success();
  }

  std::map<std::string, std::string> data;
};

struct batch_store : store {
  bool put_batch(const std::vector<modelstate::entry>& entries) {
    batches += entries.empty() ? 0U : 1U;
    return true;
  }

  std::size_t batches = 0;
};

static_assert(modelstate::is_sink_v<store>);
static_assert(!modelstate::is_batch_sink_v<store>);
static_assert(modelstate::is_batch_sink_v<batch_store>);

#if defined(__cpp_concepts) && __cpp_concepts >= 201907L
static_assert(modelstate::sink<store>);
static_assert(modelstate::batch_sink<batch_store>);
#endif

}  // namespace

int main() {
  std::vector<modelstate::container_info> containers(1);
  containers[0].annotation = {{"pullpiri.model", "m"}};
  store s;
  batch_store b;
  const bool ok = modelstate::process("node", containers, s).ok() &&
                  modelstate::process("node", containers, b).ok();
  return ok ? 0 : 1;
}
