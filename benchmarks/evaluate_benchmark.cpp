// Measures classification, evaluation and the whole pipeline per container.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include <modelstate/modelstate.hpp>

namespace {

std::vector<modelstate::container_info> make_containers(std::size_t count,
                                                        std::size_t models) {
  static const char* const statuses[] = {"running", "paused", "exited",
                                         "running", "created"};
  std::vector<modelstate::container_info> out(count);
  for (std::size_t i = 0; i < count; ++i) {
    auto& c = out[i];
    c.id = "c" + std::to_string(i);
    c.state = {{"Status", statuses[i % 5]},
               {"Running", i % 5 == 0 ? "true" : "false"},
               {"Paused", i % 5 == 1 ? "true" : "false"},
               {"Dead", "false"},
               {"ExitCode", "0"}};
    c.annotation = {{"pullpiri.model", "model-" + std::to_string(i % models)}};
  }
  return out;
}

void classify_facts(benchmark::State& state) {
  modelstate::container_facts facts;
  modelstate::set_fact(facts, "Status", "exited");
  modelstate::set_fact(facts, "Running", "false");
  modelstate::set_fact(facts, "ExitCode", "137");
  for (auto _ : state) {
    benchmark::DoNotOptimize(modelstate::classify(facts));
  }
}
BENCHMARK(classify_facts);

void evaluate_records(benchmark::State& state) {
  const auto containers =
      make_containers(static_cast<std::size_t>(state.range(0)), 1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(modelstate::evaluate(containers));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(evaluate_records)->Arg(10)->Arg(1000)->Arg(100000);

void process_list(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  modelstate::container_list list{"node", make_containers(count, count / 10)};
  for (auto _ : state) {
    modelstate::memory_sink sink;
    benchmark::DoNotOptimize(modelstate::process(list, sink));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(process_list)->Arg(100)->Arg(10000)->Arg(100000);

}  // namespace

BENCHMARK_MAIN();
