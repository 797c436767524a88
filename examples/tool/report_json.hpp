// The tool's --json report.
#ifndef MODELSTATE_TOOL_REPORT_JSON_HPP
#define MODELSTATE_TOOL_REPORT_JSON_HPP

#include <string>

#include <nlohmann/json.hpp>

#include <modelstate/modelstate.hpp>

namespace tool {

/// Renders per-state counts as {"running": 2, "dead": 1}, non-zero only.
inline nlohmann::json counts_json(const modelstate::state_counts& counts) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < modelstate::container_state_count; ++i) {
    if (counts.by_state[i] != 0) {
      const auto s = static_cast<modelstate::container_state>(i);
      out[std::string(modelstate::to_string(s))] = counts.by_state[i];
    }
  }
  return out;
}

/// Renders one container of a report.
inline nlohmann::json container_json(const modelstate::container_report& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"state", modelstate::to_string(c.state)},
          {"reason", c.description}};
}

/// Renders one model of a report.
inline nlohmann::json model_json(const modelstate::report& r,
                                 const modelstate::model_report& m) {
  nlohmann::json containers = nlohmann::json::array();
  for (std::size_t i : m.containers) {
    containers.push_back(container_json(r.containers[i]));
  }

  nlohmann::json out = {{"name", m.name},
                        {"state", modelstate::to_string(m.state)},
                        {"rule", modelstate::to_string(m.decided_by)},
                        {"reason", m.reason},
                        {"containers", std::move(containers)},
                        {"counts", counts_json(m.counts)}};
  if (m.rejected()) {
    out["rejected"] = modelstate::describe(m.name_status);
    return out;
  }

  out["key"] = m.key;
  out["value"] = m.value;
  out["write"] = modelstate::to_string(m.write.outcome);
  if (!m.write.error.empty()) {
    out["error"] = m.write.error;
  }
  return out;
}

/// Renders one package of a report.
inline nlohmann::json package_json(const modelstate::package_report& p) {
  nlohmann::json out = {{"name", p.name},
                        {"state", modelstate::to_string(p.state)},
                        {"rule", modelstate::to_string(p.decided_by)},
                        {"reason", p.reason},
                        {"key", p.key},
                        {"value", p.value},
                        {"write", modelstate::to_string(p.write.outcome)}};
  if (!p.write.error.empty()) {
    out["error"] = p.write.error;
  }
  return out;
}

/// Renders a whole report: models, unassociated containers, rejected
/// names, packages, the state changes and the packages to reconcile.
inline nlohmann::json report_json(const modelstate::report& r) {
  nlohmann::json models = nlohmann::json::array();
  nlohmann::json rejected = nlohmann::json::array();
  for (const auto& m : r.models) {
    if (m.rejected()) {
      rejected.push_back(
          {{"name", m.name}, {"reason", modelstate::describe(m.name_status)}});
    }
    models.push_back(model_json(r, m));
  }

  nlohmann::json unassociated = nlohmann::json::array();
  for (std::size_t i : r.unassociated) {
    unassociated.push_back(container_json(r.containers[i]));
  }

  nlohmann::json packages = nlohmann::json::array();
  for (const auto& p : r.packages) {
    packages.push_back(package_json(p));
  }

  nlohmann::json transitions = nlohmann::json::array();
  for (const auto& t : r.transitions) {
    transitions.push_back(
        {{"kind", t.package ? "package" : "model"},
         {"name", t.name},
         {"from", t.from ? nlohmann::json(*t.from) : nlohmann::json(nullptr)},
         {"to", t.to}});
  }

  return {{"node", r.node_name},
          {"models", std::move(models)},
          {"unassociated", std::move(unassociated)},
          {"rejected", std::move(rejected)},
          {"packages", std::move(packages)},
          {"transitions", std::move(transitions)},
          {"reconcile", r.reconcile}};
}

}  // namespace tool

#endif  // MODELSTATE_TOOL_REPORT_JSON_HPP
