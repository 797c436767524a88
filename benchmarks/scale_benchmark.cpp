// Measures the tool's path at scale: decoding a ContainerList, processing
// it into a memory_sink, and printing the "KEY VALUE" lines, for 1,000 to
// 100,000 containers (ten per model).
//
//   scale_benchmark [Google Benchmark flags]   time per stage
//   scale_benchmark --rss CONTAINERS           peak memory per stage
//
// The --rss mode runs each stage once in a fresh process and prints the
// peak resident set size above the process's start, and its ratio to the
// size of the JSON input.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <modelstate/json.hpp>
#include <modelstate/modelstate.hpp>

namespace {

constexpr std::size_t containers_per_model = 10;

// Appends one container as NodeAgent sends it: every State field, in
// strings. Model k is dead (one container exited with code 1) when
// k % 5 == 0, paused when k % 5 == 1, exited when k % 5 == 2, and running
// otherwise.
void append_container(std::string& out, std::size_t i) {
  const std::size_t model = i / containers_per_model;
  const bool first = i % containers_per_model == 0;
  const char* status = "running";
  const char* running = "true";
  const char* paused = "false";
  const char* exit_code = "0";
  switch (model % 5) {
    case 0:
      if (first) {
        status = "exited";
        running = "false";
        exit_code = "1";
      }
      break;
    case 1:
      status = "paused";
      running = "false";
      paused = "true";
      break;
    case 2:
      status = "exited";
      running = "false";
      break;
    default:
      break;
  }

  const std::string id = std::to_string(1000000 + i);
  const std::string name = "model-" + std::to_string(model);
  out += R"({"id":"c0ffee)" + id + R"(","names":[")" + name + "-" +
         std::to_string(i % containers_per_model) +
         R"("],"image":"example.org/)" + name + R"(:1.0","state":{"Status":")" +
         status + R"(","Running":")" + running + R"(","Paused":")" + paused +
         R"(","Restarting":"false","OOMKilled":"false","Dead":"false",)"
         R"("Pid":"4242","ExitCode":")" +
         exit_code +
         R"(","Error":"","StartedAt":"2026-12-03T08:00:00Z",)"
         R"("FinishedAt":"0001-01-01T00:00:00Z"},)"
         R"("config":{"Hostname":"c0ffee)" +
         id + R"("},"annotation":{"pullpiri.model":")" + name +
         R"("},"stats":{}})";
}

// Builds a ContainerList of `count` containers in count / 10 models.
std::string make_container_list(std::size_t count) {
  std::string out;
  out.reserve(count * 480 + 64);
  out += R"({"node_name":"scale-node","containers":[)";
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) {
      out += ',';
    }
    append_container(out, i);
  }
  out += "]}";
  return out;
}

// Prints the stored models' lines sorted by key, as the tool does, and
// returns how many it printed.
std::size_t print_lines(const modelstate::report& r, std::ostream& out) {
  std::vector<std::pair<std::string_view, std::string_view>> lines;
  lines.reserve(r.models.size());
  for (const auto& m : r.models) {
    if (m.write.outcome == modelstate::write_outcome::written) {
      lines.emplace_back(m.key, m.value);
    }
  }

  std::sort(lines.begin(), lines.end());
  for (const auto& [key, value] : lines) {
    out << key << ' ' << value << '\n';
  }
  return lines.size();
}

modelstate::decode_result decode_or_die(const std::string& text) {
  modelstate::decode_result decoded = modelstate::decode_json(text);
  if (!decoded.ok()) {
    std::fprintf(stderr, "scale_benchmark: the generated input is invalid\n");
    std::abort();
  }
  return decoded;
}

std::size_t count_of(const benchmark::State& state) {
  return static_cast<std::size_t>(state.range(0));
}

// Reports containers per second, and input bytes per second for the
// stages that read the input.
void set_sizes(benchmark::State& state, std::size_t bytes, bool reads_input) {
  state.SetComplexityN(state.range(0));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  if (reads_input) {
    state.SetBytesProcessed(state.iterations() *
                            static_cast<std::int64_t>(bytes));
  }
  state.counters["input_bytes"] = static_cast<double>(bytes);
}

void scale_decode(benchmark::State& state) {
  const std::string text = make_container_list(count_of(state));
  for (auto _ : state) {
    benchmark::DoNotOptimize(modelstate::decode_json(text));
  }
  set_sizes(state, text.size(), true);
}

void scale_process(benchmark::State& state) {
  const std::string text = make_container_list(count_of(state));
  const auto decoded = decode_or_die(text);
  for (auto _ : state) {
    modelstate::memory_sink sink;
    benchmark::DoNotOptimize(modelstate::process(decoded.list, sink));
  }
  set_sizes(state, text.size(), false);
}

void scale_print(benchmark::State& state) {
  const std::string text = make_container_list(count_of(state));
  const auto decoded = decode_or_die(text);
  modelstate::memory_sink sink;
  const auto r = modelstate::process(decoded.list, sink);
  for (auto _ : state) {
    std::ostringstream out;
    print_lines(r, out);
    benchmark::DoNotOptimize(out.tellp());
  }
  set_sizes(state, text.size(), false);
}

void scale_end_to_end(benchmark::State& state) {
  const std::string text = make_container_list(count_of(state));
  for (auto _ : state) {
    const auto decoded = modelstate::decode_json(text);
    modelstate::memory_sink sink;
    const auto r = modelstate::process(decoded.list, sink);
    std::ostringstream out;
    print_lines(r, out);
    benchmark::DoNotOptimize(out.tellp());
  }
  set_sizes(state, text.size(), true);
}

// 1,000, 10,000 and 100,000 containers, with a fitted linear complexity.
void sizes(benchmark::internal::Benchmark* b) {
  b->Arg(1000)->Arg(10000)->Arg(100000);
  b->Complexity(benchmark::oN)->Unit(benchmark::kMillisecond);
}

BENCHMARK(scale_decode)->Apply(sizes);
BENCHMARK(scale_process)->Apply(sizes);
BENCHMARK(scale_print)->Apply(sizes);
BENCHMARK(scale_end_to_end)->Apply(sizes);

// Returns the peak resident set size of the process so far, in bytes.
double peak_rss() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0;  // Linux: KiB
}

// Runs each stage once, keeping every result alive as the tool does, and
// prints the peak RSS after each stage above the peak at the start.
int measure_rss(std::size_t count) {
  const double start = peak_rss();
  const std::string text = make_container_list(count);
  const double input = static_cast<double>(text.size());
  const double after_text = peak_rss();

  const auto decoded = decode_or_die(text);
  const double after_decode = peak_rss();

  modelstate::memory_sink sink;
  const auto r = modelstate::process(decoded.list, sink);
  const double after_process = peak_rss();

  std::ostringstream out;
  const std::size_t lines = print_lines(r, out);
  const double after_print = peak_rss();

  constexpr double mib = 1024.0 * 1024.0;
  std::printf("containers %zu, models %zu, input %.1f MiB, %zu lines\n", count,
              r.models.size(), input / mib, lines);
  std::printf("%-10s %14s %10s\n", "stage", "peak RSS MiB", "x input");
  const std::pair<const char*, double> stages[] = {
      {"text", after_text},
      {"decode", after_decode},
      {"process", after_process},
      {"print", after_print},
  };
  for (const auto& [stage, rss] : stages) {
    std::printf("%-10s %14.1f %10.2f\n", stage, (rss - start) / mib,
                (rss - start) / input);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string_view(argv[1]) == "--rss") {
    return measure_rss(std::strtoull(argv[2], nullptr, 10));
  }

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
