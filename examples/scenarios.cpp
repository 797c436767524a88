// Runs the four classic scenarios and the reference log example through
// the pipeline into an in-memory store, then prints the stored table.
#include <iostream>
#include <string>
#include <utility>

#include <modelstate/modelstate.hpp>

namespace {

using modelstate::container_info;

container_info container(std::string id, std::string model, std::string status,
                         std::string running, std::string paused,
                         std::string dead) {
  container_info c;
  c.names = {model + "-container-" + id};
  c.image = "my-org/" + model + ":v1.0";
  c.state = {{"Status", std::move(status)},
             {"Running", std::move(running)},
             {"Paused", std::move(paused)},
             {"Dead", std::move(dead)}};
  c.annotation = {{"pullpiri.model", std::move(model)}};
  c.id = std::move(id);
  return c;
}

modelstate::container_list reference_example() {
  container_info first = container("abc123", "my-inference-model", "running",
                                   "true", "false", "false");
  first.names = {"inference-model-container-1"};
  first.image = "my-org/inference-model:v1.0";

  container_info second = first;
  second.id = "def456";
  second.names = {"inference-model-container-2"};

  container_info sidecar;
  sidecar.id = "ghi789";
  sidecar.names = {"log-forwarder"};
  sidecar.image = "my-org/log-forwarder:v2.3";
  sidecar.state = {{"Status", "running"}, {"Running", "true"}};

  return {"worker-node-01", {first, second, sidecar}};
}

}  // namespace

int main() {
  const modelstate::container_list scenarios[] = {
      {"scenario-1",
       {container("r1", "running-model", "running", "true", "false", "false"),
        container("r2", "running-model", "running", "true", "false", "false")}},
      {"scenario-2",
       {container("p1", "paused-model", "paused", "false", "true", "false"),
        container("p2", "paused-model", "paused", "false", "true", "false")}},
      {"scenario-3",
       {container("d1", "dead-model", "running", "true", "false", "false"),
        container("d2", "dead-model", "dead", "false", "false", "true")}},
      {"scenario-4",
       {container("e1", "exited-model", "exited", "false", "false", "false"),
        container("e2", "exited-model", "exited", "false", "false", "false")}},
      reference_example(),
  };

  modelstate::memory_sink store;
  modelstate::log_observer log(std::cout);
  bool ok = true;
  for (const auto& list : scenarios) {
    ok = modelstate::process(list, store, {}, log).ok() && ok;
    std::cout << '\n';
  }

  std::cout << "Stored model states:\n";
  for (const auto& [key, value] : store.data()) {
    const auto state = modelstate::parse_model_state(value);
    std::cout << "  " << key << " = " << value << " ("
              << modelstate::to_string(state.value) << ")\n";
  }
  return ok ? 0 : 1;
}
