// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_PIPELINE_HPP
#define MODELSTATE_PIPELINE_HPP

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "classify.hpp"
#include "evaluate.hpp"
#include "group.hpp"
#include "key.hpp"
#include "observer.hpp"
#include "record.hpp"
#include "report.hpp"
#include "sink.hpp"
#include "vocabulary.hpp"

namespace modelstate {

/// Holds the choices of one pipeline run; the defaults follow Pullpiri.
struct options {
  /// The annotation that names a container's model.
  std::string_view annotation = default_model_annotation;

  /// How keys are built: /model/{name}/state by default.
  key_format keys;

  /// How states are spelled in the store.
  value_spelling values = value_spelling::phase;

  /// How containers are classified.
  policy rules;

  /// Models the caller knows of; one with no containers is created.
  std::vector<std::string> expected_models;
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
  obs.on_done(r);
}

}  // namespace detail

/// Processes one node's containers: groups them into models, evaluates
/// each model, checks its name, and writes every valid model's key and
/// value to `target` in one call.
///
/// `target` is a sink (see is_sink; a batch sink gets one batch) or a
/// writer such as change_tracker. Nothing is dropped: every container and
/// every model is in the report, rejected names with their reason and
/// failed writes with the store's error. Never throws for bad data or a
/// failing sink; only std::bad_alloc can escape.
template <class Range, class Target>
report process(std::string_view node_name, const Range& containers,
               Target& target, const options& opts = options{},
               observer& obs = detail::null_observer()) {
  report r;
  r.node_name = std::string(node_name);
  r.annotation = std::string(opts.annotation);

  std::vector<classification> classes;
  for (const auto& record : containers) {
    const container_facts facts = facts_of(record);
    classes.push_back(classify(facts, opts.rules));
    r.containers.push_back(
        detail::describe_container(record, facts, classes.back()));
  }

  const grouping groups =
      group_by_model(containers, opts.annotation, opts.expected_models);
  for (std::size_t i : groups.unassociated) {
    r.unassociated.push_back(i);
  }

  std::vector<entry> entries;
  std::vector<std::size_t> written_models;
  std::vector<const classification*> members;
  for (const auto& group : groups.models) {
    model_report m;
    m.name = std::string(group.name);
    m.name_status = check_name(group.name);
    m.expected = group.expected;
    m.containers = group.containers;

    members.clear();
    for (std::size_t i : group.containers) {
      members.push_back(&classes[i]);
      r.containers[i].model = m.name;
      r.containers[i].associated = true;
    }
    const model_evaluation e = evaluate(members, opts.rules);
    m.state = e.state;
    m.decided_by = e.decided_by;
    m.counts = e.counts;
    if (e.decisive != model_evaluation::npos) {
      m.decisive = group.containers[e.decisive];
    }
    m.reason = describe(e, m.decisive == model_evaluation::npos
                               ? std::string_view()
                               : std::string_view(r.containers[m.decisive].id));

    if (m.rejected()) {
      m.write.outcome = write_outcome::skipped;
      m.write.error = describe(m.name_status);
    } else {
      m.key = make_key(m.name, opts.keys);
      m.value = std::string(to_value(m.state, opts.values));
      written_models.push_back(r.models.size());
    }
    r.models.push_back(std::move(m));
  }

  // Views into r.models stay valid: the vector no longer grows.
  for (std::size_t i : written_models) {
    entries.push_back({r.models[i].key, r.models[i].value});
  }
  std::vector<write_status> statuses = write_all(target, entries);
  for (std::size_t i = 0; i < written_models.size(); ++i) {
    auto& write = r.models[written_models[i]].write;
    if (i < statuses.size()) {
      write = std::move(statuses[i]);
    } else {
      write.outcome = write_outcome::failed;
      write.error = "the store returned no status for this entry";
    }
  }

  detail::notify(obs, r);
  return r;
}

/// Processes a ContainerList-like value: anything with `node_name` and
/// `containers`, as data members or accessor functions.
template <class List, class Target>
report process(const List& list, Target& target,
               const options& opts = options{},
               observer& obs = detail::null_observer()) {
  return process(node_name_of(list), containers_of(list), target, opts, obs);
}

}  // namespace modelstate

#endif  // MODELSTATE_PIPELINE_HPP
