// modelstate: prints (and stores) the model states of container reports.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <modelstate/json.hpp>
#include <modelstate/modelstate.hpp>
#include <modelstate/package_json.hpp>
#if defined(MODELSTATE_TOOL_YAML)
#include <modelstate/package_yaml.hpp>
#endif

#include "etcd/etcd_sink.hpp"
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

// Holds one decoded input: a node's report.
struct node_report {
  std::string file;
  std::string node;
  modelstate::container_list list;
};

// Decodes every input; reports errors and returns false when any input
// cannot be decoded in full. A report names its node by its node_name, by
// --node, or else by its file name.
bool decode_inputs(const tool::options& opts, std::vector<node_report>& out) {
  bool ok = true;
  for (const auto& file : opts.files) {
    std::string text;
    std::string error;
    if (!read_input(file, text, error)) {
      std::cerr << "modelstate: " << error << '\n';
      ok = false;
      continue;
    }

    modelstate::decode_options decoding;
    decoding.node_name = opts.node;
    auto decoded = modelstate::decode_json(text, decoding);
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

    std::string node = decoded.list.node_name.empty() ? display_name(file)
                                                      : decoded.list.node_name;
    // Two reports of one node would replace each other: refuse that rather
    // than lose the first one's containers.
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i].node == node) {
        std::cerr << "modelstate: " << display_name(file) << ": node name \""
                  << node << "\" is also the node of "
                  << display_name(out[i].file)
                  << "; give each node's report once\n";
        ok = false;
      }
    }
    out.push_back({file, std::move(node), std::move(decoded.list)});
  }
  return ok;
}

// Reads package definitions: JSON when the text starts with '{' or '[',
// else YAML. Returns false, after saying why, when they cannot be read.
bool read_packages(const std::string& file, modelstate::package_index& index) {
  std::string text;
  std::string error;
  if (!read_input(file, text, error)) {
    std::cerr << "modelstate: --packages: " << error << '\n';
    return false;
  }

  const auto first = text.find_first_not_of(" \t\r\n");
  const bool json =
      first != std::string::npos && (text[first] == '{' || text[first] == '[');
  modelstate::decoded_packages decoded;
  if (json) {
    decoded = modelstate::read_packages_json(text);
  } else {
#if defined(MODELSTATE_TOOL_YAML)
    decoded = modelstate::read_packages_yaml(text);
#else
    std::cerr << "modelstate: --packages: " << file
              << ": YAML needs a build with yaml-cpp; give JSON instead\n";
    return false;
#endif
  }

  for (const auto& p : decoded.problems) {
    std::cerr << "modelstate: --packages: " << file << ": "
              << modelstate::describe(p) << '\n';
  }
  if (!decoded.ok()) {
    return false;
  }
  index = modelstate::package_index(std::move(decoded.packages));
  for (const auto& p : index.problems()) {
    std::cerr << "modelstate: --packages: " << file << ": "
              << modelstate::describe(p) << '\n';
  }
  return true;
}

modelstate::options pipeline_options(const tool::options& opts) {
  modelstate::options p;
  p.annotation = opts.annotation;
  p.keys.prefix = opts.prefix;
  p.values = opts.values;
  p.rules = opts.rules;
  p.expected_models = opts.models;
  p.package_values = opts.plain_package_values
                         ? modelstate::package_spelling::plain
                         : modelstate::package_spelling::proto;
  return p;
}

bool stored(const modelstate::write_status& w) {
  return w.outcome == modelstate::write_outcome::written ||
         w.outcome == modelstate::write_outcome::unchanged;
}

// Prints "KEY VALUE" for every model, then every package, that the store
// holds, each group sorted by key.
void print_lines(const modelstate::report& r) {
  using line = std::pair<std::string_view, std::string_view>;
  std::vector<line> models;
  std::vector<line> packages;
  for (const auto& m : r.models) {
    if (stored(m.write)) {
      models.emplace_back(m.key, m.value);
    }
  }
  for (const auto& p : r.packages) {
    if (stored(p.write)) {
      packages.emplace_back(p.key, p.value);
    }
  }

  std::sort(models.begin(), models.end());
  std::sort(packages.begin(), packages.end());
  for (const auto* group : {&models, &packages}) {
    for (const auto& [key, value] : *group) {
      std::cout << key << ' ' << value << '\n';
    }
  }
}

template <class Target>
int run(const tool::options& opts, const std::vector<node_report>& inputs,
        modelstate::package_index packages, Target& target,
        std::string_view store) {
  // A package left out of the index is a name that cannot be stored.
  const bool packages_ok = packages.problems().empty();
  // std::cerr writes every piece at once; the log goes through std::clog,
  // which buffers (main() unties the streams from stdio).
  modelstate::log_observer log(std::clog, store);
  modelstate::observer quiet;
  modelstate::observer& obs = opts.quiet ? quiet : log;

  // All reports are staged first, so that each state is written once,
  // computed over every node.
  modelstate::cluster_view view(pipeline_options(opts), std::move(packages));
  for (const auto& input : inputs) {
    view.stage(input.node, input.list.containers);
  }
  const auto r = view.commit(target, obs);

  if (opts.json) {
    std::cout << tool::report_json(r).dump(2) << '\n';
  } else {
    print_lines(r);
  }
  std::cout.flush();
  return r.ok() && packages_ok ? exit_ok : exit_not_stored;
}

// Quotes stored bytes for a message as a JSON string; bytes that are not
// UTF-8 show as U+FFFD.
std::string quote(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

using etcd_tracker = modelstate::change_tracker<modelstate_examples::etcd_sink>;

// Reports stored pairs that priming passed over: they are left as they are
// unless this run writes their key.
void report_ignored(const modelstate_examples::etcd_sink& sink,
                    const std::vector<modelstate::prime_problem>& problems) {
  for (const auto& p : problems) {
    std::cerr << "modelstate: etcd at " << sink.endpoint() << ": ignoring "
              << quote(p.key) << " = " << quote(p.value) << ": " << p.reason
              << '\n';
  }
}

// Reads what etcd holds under the model prefix (and the package prefix
// when packages are defined) into the tracker, so that values etcd already
// holds are not sent again. Returns false, after saying why, when etcd
// cannot be read.
bool prime_from_etcd(const tool::options& opts,
                     modelstate_examples::etcd_sink& sink,
                     etcd_tracker& tracker) {
  const modelstate_examples::prefix_read models = sink.read_prefix(opts.prefix);
  if (!models.ok()) {
    std::cerr << "modelstate: " << models.error << "; nothing was written\n";
    return false;
  }
  modelstate::key_format model_keys;
  model_keys.prefix = opts.prefix;
  report_ignored(
      sink, modelstate::prime_model_states(tracker, models.pairs, model_keys));
  if (!opts.packages) {
    return true;
  }

  const modelstate::key_format package_keys = modelstate::package_key_format;
  const modelstate_examples::prefix_read packages =
      sink.read_prefix(package_keys.prefix);
  if (!packages.ok()) {
    std::cerr << "modelstate: " << packages.error << "; nothing was written\n";
    return false;
  }
  const auto validate =
      [&](std::string_view key,
          std::string_view value) -> std::optional<std::string> {
    if (!modelstate::name_from_key(key, package_keys)) {
      return "key is not of the form " + std::string(package_keys.prefix) +
             "{name}" + std::string(package_keys.suffix);
    }
    const auto state = modelstate::parse_package_state(value);
    if (!state) {
      return "value is not a package state: " +
             std::string(modelstate::to_string(state.error));
    }
    return std::nullopt;
  };
  report_ignored(sink, tracker.prime(packages.pairs, validate));
  return true;
}

// Writes to etcd through a change tracker primed with what etcd holds, so
// that only changed values are sent.
int run_with_etcd(const tool::options& opts,
                  const modelstate_examples::etcd_endpoint& endpoint,
                  const std::vector<node_report>& inputs,
                  modelstate::package_index packages) {
  modelstate_examples::etcd_sink sink(endpoint, opts.etcd_timeout);
  etcd_tracker tracker(sink);
  if (!prime_from_etcd(opts, sink, tracker)) {
    return exit_not_stored;
  }

  return run(opts, inputs, std::move(packages), tracker, "etcd");
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
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

  modelstate_examples::etcd_endpoint endpoint;
  if (opts.etcd) {
    auto parsed_endpoint = modelstate_examples::parse_etcd_endpoint(*opts.etcd);
    if (!parsed_endpoint) {
      std::cerr << "modelstate: --etcd: " << parsed_endpoint.error << '\n'
                << "Try 'modelstate --help'.\n";
      return exit_usage;
    }
    endpoint = std::move(parsed_endpoint.value);
  }

  std::vector<node_report> inputs;
  if (!decode_inputs(opts, inputs)) {
    return exit_usage;
  }
  modelstate::package_index packages;
  if (opts.packages && !read_packages(*opts.packages, packages)) {
    return exit_usage;
  }

  if (opts.etcd) {
    return run_with_etcd(opts, endpoint, inputs, std::move(packages));
  }

  modelstate::memory_sink store;
  // The log speaks of etcd, as the StateManager's does: the in-memory
  // store stands in for it.
  return run(opts, inputs, std::move(packages), store, "etcd");
}
