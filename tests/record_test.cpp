// Tests for modelstate/record.hpp: the record types the library reads
// container facts from, and the record_traits customization point.
#include "modelstate/record.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "modelstate/evaluate.hpp"
#include "modelstate/group.hpp"
#include "modelstate/pipeline.hpp"
#include "modelstate/sink.hpp"

// A stand-in for protobuf-generated code: private fields behind accessor
// functions that return const references, a Map type that can only be
// searched by const std::string&, and nothing copyable, so any copy the
// library made would fail to compile. Names follow the generated code.
namespace fake_proto {

class Map {
 public:
  struct value_type {
    std::string first;
    std::string second;
  };
  using const_iterator = std::vector<value_type>::const_iterator;

  Map() = default;
  Map(const Map&) = delete;
  Map& operator=(const Map&) = delete;
  Map(Map&&) = default;
  Map& operator=(Map&&) = default;
  ~Map() = default;

  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }

  const_iterator find(const std::string& key) const {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first == key) {
        return it;
      }
    }
    return entries_.end();
  }

  std::string& operator[](const std::string& key) {
    for (auto& e : entries_) {
      if (e.first == key) {
        return e.second;
      }
    }
    entries_.push_back({key, {}});
    return entries_.back().second;
  }

 private:
  std::vector<value_type> entries_;
};

template <class T>
class RepeatedPtrField {
 public:
  using const_iterator = typename std::vector<T>::const_iterator;

  RepeatedPtrField() = default;
  RepeatedPtrField(const RepeatedPtrField&) = delete;
  RepeatedPtrField& operator=(const RepeatedPtrField&) = delete;
  RepeatedPtrField(RepeatedPtrField&&) = default;
  RepeatedPtrField& operator=(RepeatedPtrField&&) = default;
  ~RepeatedPtrField() = default;

  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }
  int size() const { return static_cast<int>(items_.size()); }
  T* Add() { return &items_.emplace_back(); }

 private:
  std::vector<T> items_;
};

class ContainerInfo {
 public:
  ContainerInfo() = default;
  ContainerInfo(const ContainerInfo&) = delete;
  ContainerInfo& operator=(const ContainerInfo&) = delete;
  ContainerInfo(ContainerInfo&&) = default;
  ContainerInfo& operator=(ContainerInfo&&) = default;
  ~ContainerInfo() = default;

  const std::string& id() const { return id_; }
  const RepeatedPtrField<std::string>& names() const { return names_; }
  const std::string& image() const { return image_; }
  const Map& state() const { return state_; }
  const Map& config() const { return config_; }
  const Map& annotation() const { return annotation_; }

  void set_id(std::string v) { id_ = std::move(v); }
  void set_image(std::string v) { image_ = std::move(v); }
  std::string* add_names() { return names_.Add(); }
  Map* mutable_state() { return &state_; }
  Map* mutable_annotation() { return &annotation_; }

 private:
  std::string id_;
  RepeatedPtrField<std::string> names_;
  std::string image_;
  Map state_;
  Map config_;
  Map annotation_;
};

class ContainerList {
 public:
  const std::string& node_name() const { return node_name_; }
  const RepeatedPtrField<ContainerInfo>& containers() const {
    return containers_;
  }

  void set_node_name(std::string v) { node_name_ = std::move(v); }
  ContainerInfo* add_containers() { return containers_.Add(); }

 private:
  std::string node_name_;
  RepeatedPtrField<ContainerInfo> containers_;
};

}  // namespace fake_proto

// A record type of the caller's own that has no maps at all; it is adapted
// through a record_traits specialisation.
namespace legacy {

struct row {
  std::string phase;
  std::string owner;
  std::string uid;
  std::string label;
};

}  // namespace legacy

template <>
struct modelstate::record_traits<legacy::row> {
  static container_facts facts(const legacy::row& r) {
    container_facts f;
    set_fact(f, "Status", r.phase);
    return f;
  }

  static std::optional<std::string_view> annotation(const legacy::row& r,
                                                    std::string_view key) {
    if (key == "pullpiri.model" && !r.owner.empty()) {
      return std::string_view(r.owner);
    }
    return std::nullopt;
  }

  static std::string_view id(const legacy::row& r) { return r.uid; }

  static std::string_view name(const legacy::row& r) { return r.label; }
};

namespace {

using modelstate::container_info;
using modelstate::container_state;
using modelstate::model_state;

// A caller's own struct: plain unordered maps, no id, names or image.
struct my_record {
  std::unordered_map<std::string, std::string> state;
  std::unordered_map<std::string, std::string> annotation;
};

struct state_only {
  std::map<std::string, std::string> state;
};

struct numeric_state {
  std::map<std::string, int> state;
  std::map<std::string, std::string> annotation;
};

static_assert(modelstate::is_record_v<container_info>);
static_assert(modelstate::is_record_v<my_record>);
static_assert(modelstate::is_record_v<fake_proto::ContainerInfo>);
static_assert(modelstate::is_record_v<legacy::row>);
static_assert(!modelstate::is_record_v<int>);
static_assert(!modelstate::is_record_v<std::string>);
static_assert(!modelstate::is_record_v<state_only>);
static_assert(!modelstate::is_record_v<numeric_state>);
static_assert(!std::is_copy_constructible_v<fake_proto::ContainerInfo>);

#if defined(__cpp_concepts) && __cpp_concepts >= 201907L
static_assert(modelstate::record<container_info>);
static_assert(modelstate::record<fake_proto::ContainerInfo>);
static_assert(!modelstate::record<state_only>);
#endif

container_info make_info(std::string id, std::string status,
                         std::string model) {
  container_info c;
  c.id = std::move(id);
  c.names = {c.id + "-name"};
  c.image = "registry.example/app:1";
  c.state = {{"Status", std::move(status)}};
  if (!model.empty()) {
    c.annotation = {{"pullpiri.model", std::move(model)}};
  }
  return c;
}

void fill(fake_proto::ContainerInfo& c, std::string id, std::string status,
          std::string running, std::string model) {
  c.set_id(std::move(id));
  *c.add_names() = c.id() + "-name";
  c.set_image("registry.example/app:2");
  (*c.mutable_state())["Status"] = std::move(status);
  (*c.mutable_state())["Running"] = std::move(running);
  (*c.mutable_state())["Pid"] = "4242";
  if (!model.empty()) {
    (*c.mutable_annotation())["pullpiri.model"] = std::move(model);
  }
}

}  // namespace

TEST_CASE("container_info gives its facts, annotations, id, name and image",
          "[record]") {
  container_info c;
  c.id = "abc123";
  c.names = {"first-name", "second-name"};
  c.image = "my-org/app:v1";
  c.state = {{"Status", "exited"}, {"ExitCode", "2"}, {"Running", "false"}};
  c.annotation = {{"pullpiri.model", "model-a"}, {"other", "x"}};

  const modelstate::container_facts f = modelstate::facts_of(c);

  CHECK(f.status == "exited");
  CHECK(f.exit_code == "2");
  CHECK(f.running == "false");
  CHECK(f.present == (modelstate::field_status | modelstate::field_exit_code |
                      modelstate::field_running));
  CHECK(modelstate::classify(f).state == container_state::dead);
  CHECK(modelstate::annotation_of(c, "pullpiri.model") == "model-a");
  CHECK(modelstate::annotation_of(c, "missing") == std::nullopt);
  CHECK(modelstate::id_of(c) == "abc123");
  CHECK(modelstate::name_of(c) == "first-name");
  CHECK(modelstate::image_of(c) == "my-org/app:v1");
}

TEST_CASE("A container_info with no names has an empty name", "[record]") {
  container_info c;
  c.state = {{"Status", "running"}};

  CHECK(modelstate::name_of(c).empty());
  CHECK(modelstate::id_of(c).empty());
}

TEST_CASE("Facts and annotations view the record's own text", "[record]") {
  const container_info c = make_info("abc", "running", "model-a");

  const modelstate::container_facts f = modelstate::facts_of(c);
  const auto model = modelstate::annotation_of(c, "pullpiri.model");

  CHECK(f.status.data() == c.state.find("Status")->second.data());
  REQUIRE(model);
  CHECK(model->data() == c.annotation.find("pullpiri.model")->second.data());
}

TEST_CASE(
    "A caller's own struct with unordered_map state and annotation members "
    "is a record",
    "[record]") {
  my_record r;
  r.state = {{"Status", "paused"}, {"Paused", "true"}};
  r.annotation = {{"pullpiri.model", "model-b"}};

  CHECK(modelstate::facts_of(r).status == "paused");
  CHECK(modelstate::annotation_of(r, "pullpiri.model") == "model-b");
  CHECK(modelstate::id_of(r).empty());
  CHECK(modelstate::name_of(r).empty());
  CHECK(modelstate::image_of(r).empty());

  const std::vector<my_record> records(2, r);
  CHECK(modelstate::evaluate(records).state == model_state::paused);
}

TEST_CASE(
    "A protobuf-style class with accessor functions is read in place, "
    "without copying",
    "[record]") {
  fake_proto::ContainerInfo c;
  fill(c, "def456", "running", "true", "model-c");

  const modelstate::container_facts f = modelstate::facts_of(c);

  CHECK(f.status == "running");
  CHECK(f.running == "true");
  CHECK(f.status.data() == c.state().find("Status")->second.data());
  CHECK(modelstate::classify(f).state == container_state::running);

  const auto model = modelstate::annotation_of(c, "pullpiri.model");
  REQUIRE(model);
  CHECK(*model == "model-c");
  CHECK(model->data() == c.annotation().find("pullpiri.model")->second.data());
  CHECK(modelstate::annotation_of(c, "absent") == std::nullopt);

  CHECK(modelstate::id_of(c) == "def456");
  CHECK(modelstate::id_of(c).data() == c.id().data());
  CHECK(modelstate::name_of(c) == "def456-name");
  CHECK(modelstate::image_of(c) == "registry.example/app:2");
}

TEST_CASE(
    "A list of protobuf-style records is grouped, evaluated and processed "
    "without copying",
    "[record]") {
  fake_proto::ContainerList list;
  list.set_node_name("node-7");
  fill(*list.add_containers(), "a1", "running", "true", "model-x");
  fill(*list.add_containers(), "a2", "exited", "false", "model-y");
  fill(*list.add_containers(), "a3", "running", "true", "");
  fill(*list.add_containers(), "a4", "dead", "false", "model-x");

  CHECK(modelstate::node_name_of(list) == "node-7");
  CHECK(&modelstate::containers_of(list) == &list.containers());

  const modelstate::grouping g = modelstate::group_by_model(list.containers());
  REQUIRE(g.models.size() == 2);
  CHECK(g.models[0].name == "model-x");
  CHECK(g.models[0].containers == std::vector<std::size_t>{0, 3});
  CHECK(g.unassociated == std::vector<std::size_t>{2});

  CHECK(modelstate::evaluate(list.containers()).state == model_state::dead);

  modelstate::memory_sink sink;
  const modelstate::report r = modelstate::process(list, sink);
  CHECK(r.node_name == "node-7");
  CHECK(sink.get("/model/model-x/state") == "MODEL_STATE_FAILED");
  CHECK(sink.get("/model/model-y/state") == "MODEL_STATE_SUCCEEDED");
}

TEST_CASE("A type specialising record_traits is a record", "[record]") {
  const legacy::row r{"exited", "model-d", "uid-9", "legacy-box"};
  const legacy::row orphan{"running", "", "uid-10", "lonely"};

  CHECK(modelstate::facts_of(r).status == "exited");
  CHECK(modelstate::annotation_of(r, "pullpiri.model") == "model-d");
  CHECK(modelstate::annotation_of(orphan, "pullpiri.model") == std::nullopt);
  CHECK(modelstate::id_of(r) == "uid-9");
  CHECK(modelstate::name_of(r) == "legacy-box");
  CHECK(modelstate::image_of(r).empty());

  const std::vector<legacy::row> rows{r, orphan};
  const modelstate::grouping g = modelstate::group_by_model(rows);
  REQUIRE(g.models.size() == 1);
  CHECK(g.models[0].name == "model-d");
  CHECK(g.unassociated == std::vector<std::size_t>{1});
  CHECK(modelstate::evaluate(std::vector<legacy::row>{r}).state ==
        model_state::exited);
}

TEST_CASE("A ContainerList-like value gives its node name and containers",
          "[record]") {
  modelstate::container_list list;
  list.node_name = "worker-node-01";
  list.containers.push_back(make_info("abc", "running", "m"));

  CHECK(modelstate::node_name_of(list) == "worker-node-01");
  CHECK(&modelstate::containers_of(list) == &list.containers);
  CHECK(modelstate::default_model_annotation == "pullpiri.model");
}
