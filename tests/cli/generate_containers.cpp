// Writes a large ContainerList for the command-line tests and measurements.
//
//   generate_containers OUT CONTAINERS MODELS [valid|bad-exit-code]
//
// Line 1 opens the list, container i (from 0) is on line i + 2, alone and
// padded to exactly 512 bytes with its comma and newline, and the last line
// closes the list. Container i belongs to model-K, K = i % MODELS, written
// with at least two digits. Models 8 and 9 are special when they exist:
// containers of model-08 are paused, those of model-09 exited with code 0;
// every other container runs.
//
// bad-exit-code gives the last container the ExitCode "abc", which spoils
// the document only near its end.
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

constexpr std::size_t line_bytes = 512;

std::string number(std::size_t value, int width) {
  char text[32];
  std::snprintf(text, sizeof text, "%0*zu", width, value);
  return text;
}

// Builds container i's line without padding, up to the opening quote of
// the padding's value.
std::string container_line(std::size_t i, std::size_t models, bool bad_exit) {
  const std::size_t model = i % models;
  std::string state;
  if (model == 8) {
    state = R"("Status":"paused","Running":"false","Paused":"true")";
  } else if (model == 9) {
    state = R"("Status":"exited","Running":"false","Paused":"false")";
  } else {
    state = R"("Status":"running","Running":"true","Paused":"false")";
  }

  std::string line = R"({"id":"c)" + number(i, 7) +
                     R"(","names":["container-)" + number(i, 7) +
                     R"("],"image":"example.org/app:1.0","state":{"ExitCode":)";
  line += bad_exit ? R"("abc")" : R"("0")";
  line += "," + state + R"(,"Dead":"false"},"annotation":{"pullpiri.model":")";
  line += "model-" + number(model, 2) + R"("},"stats":{"pad":")";
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 5) {
    std::fprintf(stderr,
                 "usage: generate_containers OUT CONTAINERS MODELS "
                 "[valid|bad-exit-code]\n");
    return 2;
  }
  const std::size_t containers = std::strtoull(argv[2], nullptr, 10);
  const std::size_t models = std::strtoull(argv[3], nullptr, 10);
  const std::string mode = argc == 5 ? argv[4] : "valid";
  if (containers == 0 || models == 0 ||
      (mode != "valid" && mode != "bad-exit-code")) {
    std::fprintf(stderr, "generate_containers: bad arguments\n");
    return 2;
  }

  std::FILE* out = std::fopen(argv[1], "wb");
  if (out == nullptr) {
    std::fprintf(stderr, "generate_containers: cannot open %s\n", argv[1]);
    return 1;
  }

  std::fputs("{\"node_name\":\"large-node\",\"containers\":[\n", out);
  for (std::size_t i = 0; i < containers; ++i) {
    const bool last = i + 1 == containers;
    std::string line =
        container_line(i, models, last && mode == "bad-exit-code");

    // Pad so that the line, with its closing brackets, comma and newline,
    // takes line_bytes.
    const std::string tail = last ? "\"}}\n" : "\"}},\n";
    line.append(line_bytes - line.size() - tail.size(), 'x');
    line += tail;
    std::fwrite(line.data(), 1, line.size(), out);
  }
  std::fputs("]}\n", out);

  const bool ok = std::ferror(out) == 0;
  return std::fclose(out) == 0 && ok ? 0 : 1;
}
