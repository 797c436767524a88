// The example of README.md, compiled and run by the tests.
#include <iostream>
#include <vector>

#include <modelstate/modelstate.hpp>

int main() {
  modelstate::container_info api;
  api.id = "def456";
  api.state = {
      {"Status", "exited"}, {"ExitCode", "137"}, {"OOMKilled", "true"}};
  api.annotation = {{"pullpiri.model", "my-inference-model"}};

  modelstate::memory_sink store;  // or your etcd client
  auto report = modelstate::process("worker-node-01", std::vector{api}, store);

  std::cout << report.models[0].key << ' ' << report.models[0].value << '\n'
            << report.models[0].reason << '\n';
}
