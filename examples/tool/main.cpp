// modelstate: prints (and stores) the model states of container reports.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <modelstate/json.hpp>
#include <modelstate/modelstate.hpp>

#include "options.hpp"
#include "report_json.hpp"

namespace {

constexpr int exit_ok = 0;
constexpr int exit_not_stored = 1;
constexpr int exit_usage = 2;

// Most decode errors shown for one file; the rest are counted.
constexpr std::size_t max_errors_shown = 20;

bool read_input(const std::string& file, std::string& text,
                std::string& error) {
  if (file == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin),
                std::istreambuf_iterator<char>());
    if (std::cin.bad()) {
      error = "cannot read standard input";
      return false;
    }
    return true;
  }

  std::ifstream in(file, std::ios::binary);
  if (!in) {
    error = "cannot open '" + file + "'";
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    error = "cannot read '" + file + "'";
    return false;
  }
  text = std::move(buffer).str();
  return true;
}

std::string display_name(const std::string& file) {
  return file == "-" ? std::string("<stdin>") : file;
}

// Decodes every input into one list; reports errors and returns false when
// any input cannot be decoded in full.
bool decode_inputs(const tool::options& opts, modelstate::container_list& all) {
  std::vector<std::string> nodes;
  bool ok = true;
  for (const auto& file : opts.files) {
    std::string text;
    std::string error;
    if (!read_input(file, text, error)) {
      std::cerr << "modelstate: " << error << '\n';
      ok = false;
      continue;
    }

    auto decoded = modelstate::decode_json(text);
    for (std::size_t i = 0; i < decoded.errors.size(); ++i) {
      if (i == max_errors_shown) {
        std::cerr << "modelstate: " << display_name(file) << ": "
                  << decoded.errors.size() - i << " more errors\n";
        break;
      }
      std::cerr << "modelstate: " << display_name(file) << ": "
                << modelstate::describe(decoded.errors[i]) << '\n';
    }
    ok = ok && decoded.ok();

    if (!decoded.list.node_name.empty()) {
      nodes.push_back(std::move(decoded.list.node_name));
    }
    std::move(decoded.list.containers.begin(), decoded.list.containers.end(),
              std::back_inserter(all.containers));
  }

  if (opts.node) {
    all.node_name = *opts.node;
  } else {
    for (const auto& n : nodes) {
      all.node_name += all.node_name.empty() ? n : ", " + n;
    }
  }
  return ok;
}

modelstate::options pipeline_options(const tool::options& opts) {
  modelstate::options p;
  p.annotation = opts.annotation;
  p.keys.prefix = opts.prefix;
  p.values = opts.values;
  p.rules = opts.rules;
  p.expected_models = opts.models;
  return p;
}

// Prints "KEY VALUE" for every model the store holds, sorted by key.
void print_lines(const modelstate::report& r) {
  std::vector<std::pair<std::string_view, std::string_view>> lines;
  for (const auto& m : r.models) {
    if (m.write.outcome == modelstate::write_outcome::written ||
        m.write.outcome == modelstate::write_outcome::unchanged) {
      lines.emplace_back(m.key, m.value);
    }
  }
  std::sort(lines.begin(), lines.end());
  for (const auto& [key, value] : lines) {
    std::cout << key << ' ' << value << '\n';
  }
}

template <class Target>
int run(const tool::options& opts, const modelstate::container_list& list,
        Target& target, std::string_view store) {
  modelstate::log_observer log(std::cerr, store);
  modelstate::observer quiet;
  modelstate::observer& obs = opts.quiet ? quiet : log;

  const auto r = modelstate::process(list, target, pipeline_options(opts), obs);
  if (opts.json) {
    std::cout << tool::report_json(r).dump(2) << '\n';
  } else {
    print_lines(r);
  }
  std::cout.flush();
  return r.ok() ? exit_ok : exit_not_stored;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  const auto parsed = tool::parse(args);
  if (!parsed.error.empty()) {
    std::cerr << "modelstate: " << parsed.error << '\n'
              << "Try 'modelstate --help'.\n";
    return exit_usage;
  }

  const tool::options& opts = parsed.value;
  if (opts.help) {
    std::cout << tool::usage_text;
    return exit_ok;
  }
  if (opts.version) {
    std::cout << "modelstate " << modelstate::version_string() << '\n';
    return exit_ok;
  }

  modelstate::container_list list;
  if (!decode_inputs(opts, list)) {
    return exit_usage;
  }

  modelstate::memory_sink store;
  // The log speaks of etcd, as the StateManager's does: the in-memory
  // store stands in for it.
  return run(opts, list, store, "etcd");
}
