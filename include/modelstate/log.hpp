// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_LOG_HPP
#define MODELSTATE_LOG_HPP

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "classify.hpp"
#include "observer.hpp"
#include "report.hpp"

namespace modelstate {

namespace detail {

inline std::string_view flag_word(const container_facts& f,
                                  std::string_view value, std::uint8_t bit) {
  switch (read_flag(f, value, bit)) {
    case flag::yes:
      return "true";
    case flag::no:
      return "false";
    case flag::absent:
      return "unset";
    case flag::invalid:
      break;
  }
  return "unreadable";
}

}  // namespace detail

/// Writes the processing log, one line per step, to a stream.
///
/// The format is the StateManager's well-known log: a header per report,
/// a block per container, a block per model with its containers, state,
/// and the store write. `store` names the store in the write lines.
class log_observer : public observer {
 public:
  /// Logs to out, naming the store `store` ("etcd" by default).
  explicit log_observer(std::ostream& out, std::string_view store = "etcd")
      : out_(&out), store_(store) {}

  /// Writes the report header.
  void on_list(const report& r) override {
    *out_ << "=== PROCESSING CONTAINER LIST ===\n"
          << "  Node Name: " << detail::printable(r.node_name, '"') << '\n'
          << "  Container Count: " << r.containers.size() << '\n';
  }

  /// Writes one container's block.
  void on_container(const report& r, std::size_t index) override {
    const container_report& c = r.containers[index];
    const container_facts f = c.facts.view();
    *out_ << "  Container " << index + 1 << ": "
          << detail::printable(c.name, '"') << '\n'
          << "    Image: " << detail::printable(c.image, '"') << '\n'
          << "    State: " << state_object(f) << '\n'
          << "    ID: " << detail::printable(c.id, '"') << '\n';
    if (c.associated) {
      *out_ << "    Annotations: {" << detail::quote(r.annotation, '"') << ": "
            << detail::quote(c.model, '"') << "}\n"
            << "    Associated with Model: " << detail::printable(c.model, '"')
            << '\n';
    } else {
      *out_ << "    Annotations: {}\n"
            << "    Not associated with any model\n";
    }
  }

  /// Writes the head of a model's block and its containers' states.
  void on_model(const report& r, const model_report& m) override {
    *out_ << "--- Processing Model: " << detail::printable(m.name, '"')
          << " ---\n"
          << "  Associated Containers: " << m.containers.size() << '\n';
    for (std::size_t i : m.containers) {
      const container_report& c = r.containers[i];
      const container_facts f = c.facts.view();
      *out_ << "    Container " << detail::printable(c.id, '"')
            << " status: " << to_string(c.state)
            << " (running: " << detail::flag_word(f, f.running, field_running)
            << ", paused: " << detail::flag_word(f, f.paused, field_paused)
            << ", dead: " << detail::flag_word(f, f.dead, field_dead) << ')';
      if (c.why != reason::status) {
        *out_ << " - " << c.description;
      }
      *out_ << '\n';
    }
  }

  /// Writes the model's state, with the reason unless all is plainly well.
  void on_model_state(const report& r, const model_report& m) override {
    static_cast<void>(r);
    *out_ << "  -> Model state: " << to_string(m.state);
    const bool plain = m.state == model_state::running &&
                       m.counts[container_state::running] == m.counts.total;
    if (!plain) {
      *out_ << " (" << m.reason << ')';
    }
    *out_ << '\n' << "  Determined Model State: " << to_string(m.state) << '\n';
  }

  /// Writes the store write and its outcome.
  void on_write(const report& r, const model_report& m) override {
    static_cast<void>(r);
    write_lines(m.key, m.value, m.write, "model");
  }

  /// Writes why a model name was refused.
  void on_rejected(const report& r, const model_report& m) override {
    static_cast<void>(r);
    *out_ << "--- Rejected Model: " << detail::quote(m.name, '"') << " ---\n"
          << "  Associated Containers: " << m.containers.size() << '\n'
          << "  Not saved: " << describe(m.name_status) << '\n';
  }

  /// Writes a package's state and its write.
  void on_package(const report& r, const package_report& p) override {
    static_cast<void>(r);
    *out_ << "--- Package: " << detail::printable(p.name, '"') << " ---\n"
          << "  -> Package state: " << to_string(p.state) << " (" << p.reason
          << ")\n";
    write_lines(p.key, p.value, p.write, "package");
  }

  /// Writes the closing line.
  void on_done(const report& r) override {
    for (const auto& name : r.reconcile) {
      *out_ << "  Reconcile needed for package: "
            << detail::printable(name, '"') << '\n';
    }
    const char* status = r.ok() ? "Container list processing completed"
                                : "Container list processing completed "
                                  "with errors";
    *out_ << "  Status: " << status << '\n';
    out_->flush();
  }

 private:
  // Writes "Saving ..." and the outcome; a model also gets the summary
  // line of the StateManager's log.
  void write_lines(std::string_view key, std::string_view value,
                   const write_status& w, std::string_view what) {
    const bool model = what == "model";
    *out_ << "    Saving to " << store_
          << " - Key: " << detail::printable(key, '"') << ", Value: " << value
          << '\n';
    switch (w.outcome) {
      case write_outcome::written:
        *out_ << "    Successfully saved " << what << " state to " << store_
              << '\n';
        if (model) {
          *out_ << "  Model state saved to " << store_ << " successfully\n";
        }
        break;
      case write_outcome::unchanged:
        *out_ << "    Unchanged in " << store_ << ", nothing written\n";
        if (model) {
          *out_ << "  Model state already in " << store_ << '\n';
        }
        break;
      case write_outcome::failed:
      case write_outcome::skipped:
        *out_ << "    Failed to save " << what << " state to " << store_ << ": "
              << detail::escape(w.error) << '\n';
        if (model) {
          *out_ << "  Model state NOT saved to " << store_ << '\n';
        }
        break;
    }
  }

  static std::string state_object(const container_facts& f) {
    struct field {
      std::uint8_t bit;
      std::string_view value;
    };
    const field fields[] = {
        {field_status, f.status},         {field_running, f.running},
        {field_paused, f.paused},         {field_dead, f.dead},
        {field_restarting, f.restarting}, {field_oom_killed, f.oom_killed},
        {field_exit_code, f.exit_code},
    };

    std::string text = "{";
    for (const auto& x : fields) {
      if ((f.present & x.bit) == 0) {
        continue;
      }
      if (text.size() > 1) {
        text += ", ";
      }
      text += detail::quote(field_name(x.bit), '"') + ": " +
              detail::quote(x.value, '"');
    }
    return text + '}';
  }

  std::ostream* out_;
  std::string store_;
};

}  // namespace modelstate

#endif  // MODELSTATE_LOG_HPP
