// Tests that evaluating a model allocates nothing. This program replaces
// the global operator new and delete to count allocations, so it is kept
// apart from the other tests; counting is switched on only around the
// code under test.
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <map>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

#include "catch.hpp"
#include "modelstate/evaluate.hpp"

namespace {

std::atomic<bool> counting{false};
std::atomic<std::size_t> allocations{0};

void* allocate(std::size_t size) {
  if (counting.load()) {
    allocations.fetch_add(1);
  }
  return std::malloc(size == 0 ? 1 : size);
}

void* allocate_aligned(std::size_t size, std::align_val_t alignment) {
  if (counting.load()) {
    allocations.fetch_add(1);
  }
  const auto align = static_cast<std::size_t>(alignment);
  const std::size_t rounded = (size + align - 1) / align * align;
  return std::aligned_alloc(align, rounded == 0 ? align : rounded);
}

}  // namespace

void* operator new(std::size_t size) {
  if (void* p = allocate(size)) {
    return p;
  }
  throw std::bad_alloc();
}

void* operator new[](std::size_t size) {
  if (void* p = allocate(size)) {
    return p;
  }
  throw std::bad_alloc();
}

void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size);
}

void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size);
}

void* operator new(std::size_t size, std::align_val_t alignment) {
  if (void* p = allocate_aligned(size, alignment)) {
    return p;
  }
  throw std::bad_alloc();
}

void* operator new[](std::size_t size, std::align_val_t alignment) {
  if (void* p = allocate_aligned(size, alignment)) {
    return p;
  }
  throw std::bad_alloc();
}

// g++ 11 and later, once these are inlined, see free() release memory that
// operator new returned and warn; here operator new is malloc, so it is right.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void operator delete(void* p) noexcept {
  std::free(p);
}

void operator delete[](void* p) noexcept {
  std::free(p);
}

void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}

void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}

void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}

void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}

namespace {

using modelstate::container_facts;
using modelstate::container_info;
using modelstate::model_evaluation;
using modelstate::model_state;

// Counts the allocations made between construction and stop().
class allocation_count {
 public:
  allocation_count() {
    allocations.store(0);
    counting.store(true);
  }
  allocation_count(const allocation_count&) = delete;
  allocation_count& operator=(const allocation_count&) = delete;
  ~allocation_count() { counting.store(false); }

  std::size_t stop() {
    counting.store(false);
    return allocations.load();
  }
};

std::vector<container_info> sample_records() {
  const char* const statuses[] = {"running", "exited",  "paused", "dead",
                                  "created", "stopped", "foo"};
  std::vector<container_info> records;
  for (int i = 0; i < 70; ++i) {
    container_info c;
    // Appending, rather than "text" + std::to_string(i), keeps g++ 12 at
    // -O3 from a false -Wrestrict warning.
    c.id = "container-with-a-long-identifier-";
    c.id += std::to_string(i);
    c.names = {c.id};
    c.state = {{"Status", statuses[i % 7]},
               {"Running", i % 2 == 0 ? "true" : "false"},
               {"Paused", "false"},
               {"Dead", "false"},
               {"ExitCode", std::to_string(i % 3)},
               {"StartedAt", "2024-06-11T08:00:00.000000000Z"}};
    c.annotation = {{"pullpiri.model", "a-model-name-long-enough-to-allocate"}};
    records.push_back(std::move(c));
  }
  return records;
}

struct own_record {
  std::unordered_map<std::string, std::string> state;
  std::unordered_map<std::string, std::string> annotation;
};

}  // namespace

TEST_CASE("The allocation counter sees an allocation", "[alloc]") {
  allocation_count count;
  void* p = ::operator new(64);
  const std::size_t seen = count.stop();
  ::operator delete(p);

  CHECK(seen == 1);
}

TEST_CASE("Evaluating container_info records allocates nothing", "[alloc]") {
  const std::vector<container_info> records = sample_records();

  allocation_count count;
  const model_evaluation e = modelstate::evaluate(records);
  const std::size_t seen = count.stop();

  CHECK(seen == 0);
  CHECK(e.state == model_state::dead);
  CHECK(e.counts.total == 70);
}

TEST_CASE("Evaluating container facts allocates nothing", "[alloc]") {
  const std::vector<container_info> records = sample_records();
  std::vector<container_facts> facts;
  std::vector<const container_info*> pointers;
  for (const auto& r : records) {
    facts.push_back(modelstate::facts_of(r));
    pointers.push_back(&r);
  }
  modelstate::policy p;
  CHECK(p.add_success_code(1));

  allocation_count count;
  const model_evaluation from_facts = modelstate::evaluate(facts);
  const model_evaluation with_policy = modelstate::evaluate(facts, p);
  const model_evaluation from_pointers = modelstate::evaluate(pointers);
  const std::size_t seen = count.stop();

  CHECK(seen == 0);
  CHECK(from_facts.state == model_state::dead);
  CHECK(with_policy.counts.total == 70);
  CHECK(from_pointers.counts.total == 70);
}

TEST_CASE(
    "Evaluating a caller's own records with unordered maps allocates "
    "nothing",
    "[alloc]") {
  std::vector<own_record> records(3);
  for (auto& r : records) {
    r.state = {{"Status", "running-but-spelled-out-at-great-length"},
               {"Running", "true"}};
    r.annotation = {{"pullpiri.model", "m"}};
  }
  records[1].state["Status"] = "paused";

  allocation_count count;
  const model_evaluation e = modelstate::evaluate(records);
  const std::size_t seen = count.stop();

  CHECK(seen == 0);
  CHECK(e.state == model_state::running);
}
