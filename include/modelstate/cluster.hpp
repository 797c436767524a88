// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_CLUSTER_HPP
#define MODELSTATE_CLUSTER_HPP

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "classify.hpp"
#include "evaluate.hpp"
#include "group.hpp"
#include "key.hpp"
#include "observer.hpp"
#include "package.hpp"
#include "record.hpp"
#include "report.hpp"
#include "sink.hpp"
#include "vocabulary.hpp"

namespace modelstate {

/// Holds the choices of a pipeline run; the defaults follow Pullpiri.
struct options {
  /// The annotation that names a container's model.
  std::string_view annotation = default_model_annotation;

  /// How model keys are built: /model/{name}/state by default.
  key_format keys;

  /// How model states are spelled in the store.
  value_spelling values = value_spelling::phase;

  /// How containers are classified.
  policy rules;

  /// Models the caller knows of; one with no containers is created.
  std::vector<std::string> expected_models;

  /// A model that had containers and now has none keeps its last state
  /// instead of becoming created (only meaningful for a cluster_view).
  bool keep_last_state = false;

  /// How package keys are built: /package/{name}/state by default.
  key_format package_keys = package_key_format;

  /// How package states are spelled in the store.
  package_spelling package_values = package_spelling::proto;
};

namespace detail {

inline observer& null_observer() {
  static observer instance;
  return instance;
}

template <class Record>
container_report describe_container(const Record& record,
                                    const container_facts& facts,
                                    const classification& c) {
  container_report out;
  out.id = std::string(id_of(record));
  out.name = std::string(name_of(record));
  out.image = std::string(image_of(record));
  out.facts = fact_text::copy(facts);
  out.state = c.state;
  out.why = c.why;
  out.description = describe(c);
  return out;
}

inline void notify(observer& obs, const report& r) {
  obs.on_list(r);
  for (std::size_t i = 0; i < r.containers.size(); ++i) {
    obs.on_container(r, i);
  }
  for (const auto& m : r.models) {
    if (m.rejected()) {
      obs.on_rejected(r, m);
      continue;
    }
    obs.on_model(r, m);
    obs.on_model_state(r, m);
    obs.on_write(r, m);
  }
  for (const auto& p : r.packages) {
    obs.on_package(r, p);
  }
  obs.on_done(r);
}

}  // namespace detail

/// Keeps the latest report of every node and the states that follow.
///
/// A model's state is evaluated over its containers on all nodes together.
/// A new report from a node replaces that node's previous one; a node can
/// be removed. Only the models that a change touches are evaluated again,
/// and only the packages that list them, so the cost of a report follows
/// what it changed, not the size of the cluster. A model that had
/// containers and has none left on any node becomes created (or keeps its
/// last state, with options::keep_last_state).
///
/// Changes are staged (stage, remove_node) and then evaluated and written
/// in one call (commit); update does both for one node.
class cluster_view {
 public:
  /// Creates a view; `packages` tells which packages list which models.
  explicit cluster_view(options opts = options{},
                        package_index packages = package_index{})
      : opts_(std::move(opts)), packages_(std::move(packages)) {
    for (const auto& name : opts_.expected_models) {
      models_[name].expected = true;
    }
  }

  /// Replaces a node's report with these containers, without evaluating.
  template <class Range>
  void stage(std::string_view node, const Range& containers) {
    node_data fresh;
    for (const auto& record : containers) {
      const container_facts facts = facts_of(record);
      const classification c = classify(facts, opts_.rules);
      fresh.containers.push_back(detail::describe_container(record, facts, c));
    }

    const grouping groups = group_by_model(containers, opts_.annotation);
    std::vector<part> parts;
    for (const auto& g : groups.models) {
      part p;
      for (std::size_t i : g.containers) {
        container_report& c = fresh.containers[i];
        c.model = std::string(g.name);
        c.associated = true;
        p.add(c.state, i);
      }
      fresh.models.emplace_back(g.name);
      parts.push_back(std::move(p));
    }

    drop_node(node);
    auto [it, inserted] = nodes_.emplace(std::string(node), std::move(fresh));
    static_cast<void>(inserted);
    const node_data& n = it->second;
    for (std::size_t k = 0; k < n.models.size(); ++k) {
      models_[n.models[k]].parts[it->first] = std::move(parts[k]);
      touch(n.models[k]);
    }
    mark_staged(it->first);
  }

  /// Forgets a node and its containers, without evaluating.
  void remove_node(std::string_view node) { drop_node(node); }

  /// Evaluates every model and package touched since the last commit,
  /// writes their keys and values to `target` in one call, tells the
  /// observer and returns the report. The report's containers are those of
  /// the nodes staged since the last commit.
  template <class Target>
  report commit(Target& target, observer& obs = detail::null_observer()) {
    report r;
    r.annotation = std::string(opts_.annotation);
    for (const auto& node : staged_) {
      r.node_name += r.node_name.empty() ? node : ", " + node;
    }
    const auto first_of_node = collect_containers(r);
    const bool first_commit = !committed_;
    if (first_commit) {
      // Declared models come after the reported ones, in declared order.
      for (const auto& name : opts_.expected_models) {
        touch(name);
      }
      committed_ = true;
    }

    std::vector<std::size_t> stored_models;
    for (const auto& name : touched_) {
      evaluate_model(r, name, first_of_node);
      if (!r.models.back().rejected()) {
        stored_models.push_back(r.models.size() - 1);
      }
    }
    evaluate_packages(r, first_commit);

    write(target, r, stored_models);
    touched_.clear();
    touched_set_.clear();
    staged_.clear();
    staged_set_.clear();
    detail::notify(obs, r);
    return r;
  }

  /// Replaces a node's report and commits: stage, then commit.
  template <class Range, class Target>
  report update(std::string_view node, const Range& containers, Target& target,
                observer& obs = detail::null_observer()) {
    stage(node, containers);
    return commit(target, obs);
  }

  /// Returns a model's last evaluated state; nullopt for one never seen.
  std::optional<model_state> model_state_of(std::string_view model) const {
    const auto it = models_.find(model);
    if (it == models_.end()) {
      return std::nullopt;
    }
    return it->second.state;
  }

  /// Returns a package's last evaluated state; nullopt for one never
  /// evaluated.
  std::optional<package_state> package_state_of(
      std::string_view package) const {
    const auto it = package_states_.find(package);
    if (it == package_states_.end()) {
      return std::nullopt;
    }
    return it->second;
  }

  /// Returns how many model and package evaluations were made so far.
  std::size_t evaluations() const noexcept { return evaluations_; }

  /// Returns the names of the nodes with a report, in name order.
  std::vector<std::string> nodes() const {
    std::vector<std::string> names;
    for (const auto& n : nodes_) {
      names.push_back(n.first);
    }
    return names;
  }

 private:
  static constexpr std::size_t npos = model_evaluation::npos;

  // One model's containers on one node: counts and, per container state,
  // the first container in that state (an index into the node's list).
  struct part {
    state_counts counts;
    std::size_t first[container_state_count];
    std::vector<std::size_t> members;

    part() {
      for (auto& f : first) {
        f = npos;
      }
    }

    void add(container_state s, std::size_t index) {
      counts.add(s);
      members.push_back(index);
      auto& f = first[static_cast<std::size_t>(s)];
      if (f == npos) {
        f = index;
      }
    }
  };

  struct node_data {
    std::vector<container_report> containers;
    std::vector<std::string> models;  // first-seen order
  };

  struct model_data {
    std::map<std::string, part, std::less<>> parts;  // by node name
    std::optional<model_state> state;
    bool seen = false;
    bool expected = false;
  };

  void touch(std::string_view model) {
    if (touched_set_.insert(std::string(model)).second) {
      touched_.emplace_back(model);
    }
  }

  void mark_staged(const std::string& node) {
    if (staged_set_.insert(node).second) {
      staged_.push_back(node);
    }
  }

  void drop_node(std::string_view node) {
    const auto it = nodes_.find(node);
    if (it == nodes_.end()) {
      return;
    }
    for (const auto& model : it->second.models) {
      const auto m = models_.find(model);
      if (m != models_.end()) {
        m->second.parts.erase(it->first);
      }
      touch(model);
    }
    if (staged_set_.erase(it->first) != 0) {
      for (auto s = staged_.begin(); s != staged_.end(); ++s) {
        if (*s == it->first) {
          staged_.erase(s);
          break;
        }
      }
    }
    nodes_.erase(it);
  }

  // Copies the staged nodes' containers into the report; returns where
  // each staged node's containers start.
  std::map<std::string, std::size_t, std::less<>> collect_containers(
      report& r) const {
    std::map<std::string, std::size_t, std::less<>> first_of_node;
    for (const auto& node : staged_) {
      const node_data& n = nodes_.find(node)->second;
      first_of_node[node] = r.containers.size();
      for (const auto& c : n.containers) {
        if (!c.associated) {
          r.unassociated.push_back(r.containers.size());
        }
        r.containers.push_back(c);
      }
    }
    return first_of_node;
  }

  void evaluate_model(
      report& r, const std::string& name,
      const std::map<std::string, std::size_t, std::less<>>& first_of_node) {
    model_data& data = models_[name];
    ++evaluations_;

    model_report m;
    m.name = name;
    m.name_status = check_name(name);
    m.expected = data.expected;
    for (const auto& [node, p] : data.parts) {
      m.counts += p.counts;
    }
    m.decided_by = decide(m.counts);
    m.state = state_of(m.decided_by);

    // The decisive container: in node-name order, the first one whose
    // state decides the rule; for paused and exited containers mixed, the
    // first container of all stands for them.
    const container_report* decisive =
        find_decisive(data, m, first_of_node, true);
    if (decisive == nullptr) {
      decisive = find_decisive(data, m, first_of_node, false);
    }

    for (const auto& [node, p] : data.parts) {
      const auto staged = first_of_node.find(node);
      if (staged == first_of_node.end()) {
        continue;
      }
      for (std::size_t i : p.members) {
        m.containers.push_back(staged->second + i);
      }
    }

    if (m.counts.total == 0 && data.seen && opts_.keep_last_state &&
        data.state) {
      m.state = *data.state;
      m.reason = std::string(to_string(m.state)) +
                 ": no containers left on any node; last state kept";
    } else {
      m.reason = describe_model(
          m.state, m.decided_by, m.counts,
          decisive != nullptr ? std::string_view(decisive->id) : "",
          decisive != nullptr ? std::string_view(decisive->description) : "");
    }
    data.seen = data.seen || m.counts.total > 0;

    // A rejected name is never stored, so none of its states is a change
    // anyone can act on.
    if (data.state != m.state && !m.rejected()) {
      r.transitions.push_back(
          {false, name,
           data.state ? std::optional<std::string>(to_string(*data.state))
                      : std::nullopt,
           std::string(to_string(m.state))});
    }
    data.state = m.state;

    if (m.rejected()) {
      m.write.outcome = write_outcome::skipped;
      m.write.error = describe(m.name_status);
    } else {
      m.key = make_key(m.name, opts_.keys);
      m.value = std::string(to_value(m.state, opts_.values));
    }
    r.models.push_back(std::move(m));
  }

  // Returns the first container (in node-name order, then position) whose
  // state decides the model's rule, or any state when `by_rule` is false,
  // and sets m.decisive when that container is part of this report.
  const container_report* find_decisive(
      const model_data& data, model_report& m,
      const std::map<std::string, std::size_t, std::less<>>& first_of_node,
      bool by_rule) const {
    for (const auto& [node, p] : data.parts) {
      std::size_t best = npos;
      for (std::size_t s = 0; s < container_state_count; ++s) {
        const auto state = static_cast<container_state>(s);
        if (p.first[s] < best && (!by_rule || decides(m.decided_by, state))) {
          best = p.first[s];
        }
      }
      if (best == npos) {
        continue;
      }
      const auto staged = first_of_node.find(node);
      if (staged != first_of_node.end()) {
        m.decisive = staged->second + best;
      }
      return &nodes_.find(node)->second.containers[best];
    }
    return nullptr;
  }

  // Evaluates the packages that list a touched model; on the first commit
  // every package, so that each one has a state from the start.
  void evaluate_packages(report& r, bool all) {
    std::vector<const package_definition*> touched;
    std::set<const package_definition*> seen;
    if (all) {
      for (const auto& d : packages_.packages()) {
        touched.push_back(&d);
        seen.insert(&d);
      }
    }
    for (const auto& model : touched_) {
      for (const package_definition* d : packages_.packages_of(model)) {
        if (seen.insert(d).second) {
          touched.push_back(d);
        }
      }
    }

    const auto lookup = [this](std::string_view model) {
      return model_state_of(model);
    };
    for (const package_definition* d : touched) {
      ++evaluations_;
      const package_evaluation e = evaluate_package(*d, lookup);

      package_report p;
      p.name = d->name;
      p.state = e.state;
      p.decided_by = e.decided_by;
      p.counts = e.counts;
      p.reason = describe(e, d->models);
      p.key = make_key(p.name, opts_.package_keys);
      p.value = std::string(to_value(p.state, opts_.package_values));

      auto [it, inserted] = package_states_.try_emplace(p.name, p.state);
      if (inserted || it->second != p.state) {
        r.transitions.push_back(
            {true, p.name,
             inserted ? std::nullopt
                      : std::optional<std::string>(to_string(it->second)),
             std::string(to_string(p.state))});
        if (needs_reconcile(p.state)) {
          r.reconcile.push_back(p.name);
        }
        it->second = p.state;
      }
      r.packages.push_back(std::move(p));
    }
  }

  template <class Target>
  static void write(Target& target, report& r,
                    const std::vector<std::size_t>& stored_models) {
    std::vector<entry> entries;
    for (std::size_t i : stored_models) {
      entries.push_back({r.models[i].key, r.models[i].value});
    }
    for (const auto& p : r.packages) {
      entries.push_back({p.key, p.value});
    }

    std::vector<write_status> statuses = write_all(target, entries);
    const auto take = [&](std::size_t k, write_status& out) {
      if (k < statuses.size()) {
        out = std::move(statuses[k]);
      } else {
        out.outcome = write_outcome::failed;
        out.error = "the store returned no status for this entry";
      }
    };
    std::size_t k = 0;
    for (std::size_t i : stored_models) {
      take(k++, r.models[i].write);
    }
    for (auto& p : r.packages) {
      take(k++, p.write);
    }
  }

  options opts_;
  package_index packages_;
  std::map<std::string, node_data, std::less<>> nodes_;
  std::map<std::string, model_data, std::less<>> models_;
  std::map<std::string, package_state, std::less<>> package_states_;
  std::vector<std::string> touched_;  // in the order they were touched
  std::set<std::string, std::less<>> touched_set_;
  std::vector<std::string> staged_;  // in the order they were staged
  std::set<std::string, std::less<>> staged_set_;
  std::size_t evaluations_ = 0;
  bool committed_ = false;
};

}  // namespace modelstate

#endif  // MODELSTATE_CLUSTER_HPP
