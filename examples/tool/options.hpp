// Command-line options of the modelstate tool.
#ifndef MODELSTATE_TOOL_OPTIONS_HPP
#define MODELSTATE_TOOL_OPTIONS_HPP

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <modelstate/modelstate.hpp>

namespace tool {

inline constexpr std::string_view usage_text =
    R"(Usage: modelstate [options] [FILE...]

Reads container reports (a ContainerList in protobuf JSON, or the output of
`podman inspect` or `docker inspect`) from each FILE, or from standard input
when there is none or FILE is "-". Several files are several nodes' reports.
Prints one line per model, "KEY VALUE", sorted by key; the processing log
goes to standard error.

Options:
  -q, --quiet               do not write the processing log
      --json                print a JSON report instead of the lines
      --model NAME          a model you expect (repeatable); with no
                            containers it is created (MODEL_STATE_PENDING)
      --annotation KEY      the model annotation (default pullpiri.model)
      --prefix PREFIX       the key prefix (default /model/)
      --values SPELLING     phase (MODEL_STATE_SUCCEEDED, the default),
                            lifecycle-proto (MODEL_STATE_EXITED) or
                            lifecycle (Exited)
      --profile PROFILE     default, flags-only or status-only
      --success-codes LIST  exit codes that mean success (default 0),
                            comma-separated, e.g. 0,143
      --node NAME           use NAME as the node name of the report
      --packages FILE       package definitions (YAML or JSON artifacts);
                            adds /package/NAME/state lines after the models
      --package-values SPELLING
                            proto (PACKAGE_STATE_RUNNING, the default) or
                            plain (running)
      --etcd URL            write to etcd at URL (e.g. http://127.0.0.1:2379)
                            instead of memory; only changed values are sent
      --etcd-timeout SECONDS
                            timeout for connecting to, reading from and
                            writing to etcd (default 5)
  -h, --help                show this help and exit
  -V, --version             show the version and exit

Exit status: 0 when every model was stored; 1 when a model name was
rejected or a write failed (the other models are still stored and
printed); 2 for a usage error or input that cannot be decoded (nothing is
printed on standard output and nothing is written).
)";

/// Holds what the command line asked for.
struct options {
  std::vector<std::string> files;
  bool quiet = false;
  bool json = false;
  bool help = false;
  bool version = false;
  std::vector<std::string> models;
  std::string annotation{modelstate::default_model_annotation};
  std::string prefix = "/model/";
  modelstate::value_spelling values = modelstate::value_spelling::phase;
  modelstate::policy rules;
  std::optional<std::string> node;
  std::optional<std::string> packages;
  bool plain_package_values = false;
  std::optional<std::string> etcd;
  double etcd_timeout = 5.0;
};

/// Holds parsed options or the message of a usage error.
struct parse_result {
  options value;
  std::string error;
};

namespace detail {

inline bool parse_int(std::string_view text, int& out) {
  const std::string copy(text);
  if (copy.empty()) {
    return false;
  }
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(copy.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || v < -2147483648L || v > 2147483647L) {
    return false;
  }
  out = static_cast<int>(v);
  return true;
}

inline std::string parse_success_codes(std::string_view list,
                                       modelstate::policy& p) {
  p.clear_success_codes();
  while (true) {
    const auto comma = list.find(',');
    const auto item = modelstate::detail::trim(list.substr(0, comma));
    int code = 0;
    if (!parse_int(item, code)) {
      return "--success-codes: '" + std::string(item) + "' is not an integer";
    }
    if (!p.add_success_code(code)) {
      return "--success-codes: at most " +
             std::to_string(modelstate::policy::max_success_codes) + " codes";
    }
    if (comma == std::string_view::npos) {
      return {};
    }
    list.remove_prefix(comma + 1);
  }
}

}  // namespace detail

/// Parses the arguments after the program name.
inline parse_result parse(const std::vector<std::string_view>& args) {
  parse_result r;
  options& o = r.value;
  bool only_files = false;

  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    std::optional<std::string_view> inline_value;
    if (!only_files && arg.size() > 2 && arg.substr(0, 2) == "--") {
      const auto eq = arg.find('=');
      if (eq != std::string_view::npos) {
        inline_value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
      }
    }

    // Takes the option's value from "--opt=value" or the next argument.
    auto value = [&]() -> std::optional<std::string_view> {
      if (inline_value) {
        return inline_value;
      }
      if (i + 1 < args.size()) {
        return args[++i];
      }
      r.error = std::string(arg) + " needs a value";
      return std::nullopt;
    };

    if (only_files || arg == "-" || arg.empty() || arg.front() != '-') {
      o.files.emplace_back(arg);
    } else if (arg == "--") {
      only_files = true;
    } else if (arg == "-q" || arg == "--quiet") {
      o.quiet = true;
    } else if (arg == "--json") {
      o.json = true;
    } else if (arg == "-h" || arg == "--help") {
      o.help = true;
    } else if (arg == "-V" || arg == "--version") {
      o.version = true;
    } else if (arg == "--model") {
      const auto v = value();
      if (!v) {
        return r;
      }
      o.models.emplace_back(*v);
    } else if (arg == "--annotation") {
      const auto v = value();
      if (!v) {
        return r;
      }
      if (v->empty()) {
        r.error = "--annotation: the key is empty";
        return r;
      }
      o.annotation = std::string(*v);
    } else if (arg == "--prefix") {
      const auto v = value();
      if (!v) {
        return r;
      }
      o.prefix = std::string(*v);
    } else if (arg == "--values") {
      const auto v = value();
      if (!v) {
        return r;
      }
      if (*v == "phase") {
        o.values = modelstate::value_spelling::phase;
      } else if (*v == "lifecycle-proto") {
        o.values = modelstate::value_spelling::lifecycle_proto;
      } else if (*v == "lifecycle") {
        o.values = modelstate::value_spelling::lifecycle;
      } else {
        r.error =
            "--values: expected phase, lifecycle-proto or lifecycle, "
            "got '" +
            std::string(*v) + "'";
        return r;
      }
    } else if (arg == "--profile") {
      const auto v = value();
      if (!v) {
        return r;
      }
      if (*v == "default") {
        o.rules.rules = modelstate::profile::standard;
      } else if (*v == "flags-only") {
        o.rules.rules = modelstate::profile::flags_only;
      } else if (*v == "status-only") {
        o.rules.rules = modelstate::profile::status_only;
      } else {
        r.error =
            "--profile: expected default, flags-only or status-only, "
            "got '" +
            std::string(*v) + "'";
        return r;
      }
    } else if (arg == "--success-codes") {
      const auto v = value();
      if (!v) {
        return r;
      }
      r.error = detail::parse_success_codes(*v, o.rules);
      if (!r.error.empty()) {
        return r;
      }
    } else if (arg == "--node") {
      const auto v = value();
      if (!v) {
        return r;
      }
      o.node = std::string(*v);
    } else if (arg == "--packages") {
      const auto v = value();
      if (!v) {
        return r;
      }
      o.packages = std::string(*v);
    } else if (arg == "--package-values") {
      const auto v = value();
      if (!v) {
        return r;
      }
      if (*v != "proto" && *v != "plain") {
        r.error = "--package-values: expected proto or plain, got '" +
                  std::string(*v) + "'";
        return r;
      }
      o.plain_package_values = *v == "plain";
    } else if (arg == "--etcd") {
      const auto v = value();
      if (!v) {
        return r;
      }
      o.etcd = std::string(*v);
    } else if (arg == "--etcd-timeout") {
      const auto v = value();
      if (!v) {
        return r;
      }
      const std::string copy(*v);
      char* end = nullptr;
      o.etcd_timeout = std::strtod(copy.c_str(), &end);
      if (copy.empty() || *end != '\0' || !(o.etcd_timeout > 0.0) ||
          o.etcd_timeout > 3600.0) {
        r.error =
            "--etcd-timeout: expected seconds between 0 and 3600, "
            "got '" +
            copy + "'";
        return r;
      }
    } else {
      r.error = "unknown option '" + std::string(arg) + "'";
      return r;
    }
  }

  if (o.files.empty()) {
    o.files.emplace_back("-");
  }
  return r;
}

}  // namespace tool

#endif  // MODELSTATE_TOOL_OPTIONS_HPP
