// Exits 0 only when the library evaluates and stores a model correctly.
#include <modelstate/modelstate.hpp>

int main() {
  modelstate::container_info c;
  c.id = "abc123";
  c.state = {{"Status", "exited"}, {"ExitCode", "1"}};
  c.annotation = {{"pullpiri.model", "m"}};

  modelstate::memory_sink sink;
  const auto r = modelstate::process("node", std::vector{c}, sink);
  const auto stored = sink.get("/model/m/state");
  return r.ok() && stored && *stored == "MODEL_STATE_FAILED" ? 0 : 1;
}
