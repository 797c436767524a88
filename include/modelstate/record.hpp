// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_RECORD_HPP
#define MODELSTATE_RECORD_HPP

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "classify.hpp"

namespace modelstate {

/// Mirrors the ContainerInfo message that a NodeAgent sends.
struct container_info {
  std::string id;
  std::vector<std::string> names;
  std::string image;
  std::map<std::string, std::string, std::less<>> state;
  std::map<std::string, std::string, std::less<>> config;
  std::map<std::string, std::string, std::less<>> annotation;
  std::map<std::string, std::string, std::less<>> stats;
};

/// Mirrors the ContainerList message: one node's report.
struct container_list {
  std::string node_name;
  std::vector<container_info> containers;
};

/// The default annotation that names a container's model.
inline constexpr std::string_view default_model_annotation = "pullpiri.model";

namespace detail {

// Reads a field whether it is a data member (r.state) or an accessor
// function (r.state()), as protobuf-generated classes have it.
#define MODELSTATE_DETAIL_FIELD(field)                              \
  template <class T, class = void>                                  \
  struct has_##field##_fn : std::false_type {};                     \
  template <class T>                                                \
  struct has_##field##_fn<                                          \
      T, std::void_t<decltype(std::declval<const T&>().field())>>   \
      : std::true_type {};                                          \
  template <class T, class = void>                                  \
  struct has_##field##_member : std::false_type {};                 \
  template <class T>                                                \
  struct has_##field##_member<                                      \
      T, std::void_t<decltype(std::declval<const T&>().field)>>     \
      : std::true_type {};                                          \
  template <class T>                                                \
  inline constexpr bool has_##field =                               \
      has_##field##_fn<T>::value || has_##field##_member<T>::value; \
  template <class T>                                                \
  constexpr decltype(auto) get_##field(const T& r) {                \
    if constexpr (has_##field##_fn<T>::value) {                     \
      return r.field();                                             \
    } else {                                                        \
      return (r.field);                                             \
    }                                                               \
  }

MODELSTATE_DETAIL_FIELD(state)
MODELSTATE_DETAIL_FIELD(annotation)
MODELSTATE_DETAIL_FIELD(id)
MODELSTATE_DETAIL_FIELD(names)
MODELSTATE_DETAIL_FIELD(image)
MODELSTATE_DETAIL_FIELD(node_name)
MODELSTATE_DETAIL_FIELD(containers)

#undef MODELSTATE_DETAIL_FIELD

template <class T>
using field_t = std::remove_cv_t<std::remove_reference_t<T>>;

// A map whose entries have string-like first and second members.
template <class Map, class = void>
struct is_string_map : std::false_type {};
template <class Map>
struct is_string_map<
    Map,
    std::void_t<
        decltype(std::string_view(std::declval<const Map&>().begin()->first)),
        decltype(std::string_view(std::declval<const Map&>().begin()->second)),
        decltype(std::declval<const Map&>().end())>> : std::true_type {};

template <class Map, class = void>
struct has_transparent_find : std::false_type {};
template <class Map>
struct has_transparent_find<
    Map, std::void_t<decltype(std::declval<const Map&>().find(
             std::declval<std::string_view>()))>> : std::true_type {};

// Looks a key up without building a std::string, so lookups never allocate.
template <class Map>
std::optional<std::string_view> find_value(const Map& map,
                                           std::string_view key) {
  if constexpr (has_transparent_find<Map>::value) {
    auto it = map.find(key);
    if (it == map.end()) {
      return std::nullopt;
    }
    return std::string_view(it->second);
  } else {
    for (const auto& entry : map) {
      if (std::string_view(entry.first) == key) {
        return std::string_view(entry.second);
      }
    }
    return std::nullopt;
  }
}

template <class Map>
container_facts facts_from_map(const Map& map) {
  container_facts facts;
  for (const auto& entry : map) {
    set_fact(facts, std::string_view(entry.first),
             std::string_view(entry.second));
  }
  return facts;
}

template <class T, class = void>
struct is_map_record : std::false_type {};
template <class T>
struct is_map_record<T, std::enable_if_t<has_state<T> && has_annotation<T>>>
    : std::bool_constant<
          is_string_map<
              field_t<decltype(get_state(std::declval<T>()))>>::value &&
          is_string_map<
              field_t<decltype(get_annotation(std::declval<T>()))>>::value> {};

}  // namespace detail

/// Maps a caller's record type to container facts: the customization point.
///
/// The primary template serves every type whose `state` and `annotation`
/// are maps from strings to strings, as data members or accessor functions
/// (container_info, protobuf-generated ContainerInfo, a struct of your own).
/// For any other type, specialise it with three static functions:
///
///     template <> struct modelstate::record_traits<my_record> {
///       static container_facts facts(const my_record&);
///       static std::optional<std::string_view> annotation(
///           const my_record&, std::string_view key);
///       static std::string_view id(const my_record&);
///     };
///
/// and, optionally, `name` and `image` (string_view) for the log.
template <class Record, class = void>
struct record_traits {};

template <class Record>
struct record_traits<Record,
                     std::enable_if_t<detail::is_map_record<Record>::value>> {
  /// Reads the runtime facts from the state map.
  static container_facts facts(const Record& r) {
    return detail::facts_from_map(detail::get_state(r));
  }

  /// Looks an annotation up; nullopt when it is absent.
  static std::optional<std::string_view> annotation(const Record& r,
                                                    std::string_view key) {
    return detail::find_value(detail::get_annotation(r), key);
  }

  /// Returns the container id, or "" when the record has none.
  static std::string_view id(const Record& r) {
    if constexpr (detail::has_id<Record>) {
      return std::string_view(detail::get_id(r));
    } else {
      static_cast<void>(r);
      return {};
    }
  }

  /// Returns the first name, or "" when there is none.
  static std::string_view name(const Record& r) {
    if constexpr (detail::has_names<Record>) {
      const auto& names = detail::get_names(r);
      if (names.begin() == names.end()) {
        return {};
      }
      return std::string_view(*names.begin());
    } else {
      static_cast<void>(r);
      return {};
    }
  }

  /// Returns the image, or "" when the record has none.
  static std::string_view image(const Record& r) {
    if constexpr (detail::has_image<Record>) {
      return std::string_view(detail::get_image(r));
    } else {
      static_cast<void>(r);
      return {};
    }
  }
};

namespace detail {

template <class R, class = void>
struct has_traits_facts : std::false_type {};
template <class R>
struct has_traits_facts<
    R, std::enable_if_t<std::is_convertible_v<decltype(record_traits<R>::facts(
                                                  std::declval<const R&>())),
                                              container_facts>>>
    : std::true_type {};

template <class R, class = void>
struct has_traits_annotation : std::false_type {};
template <class R>
struct has_traits_annotation<
    R, std::enable_if_t<std::is_convertible_v<
           decltype(record_traits<R>::annotation(std::declval<const R&>(),
                                                 std::string_view())),
           std::optional<std::string_view>>>> : std::true_type {};

template <class R, class = void>
struct has_traits_id : std::false_type {};
template <class R>
struct has_traits_id<
    R, std::enable_if_t<std::is_convertible_v<decltype(record_traits<R>::id(
                                                  std::declval<const R&>())),
                                              std::string_view>>>
    : std::true_type {};

template <class R, class = void>
struct has_traits_name : std::false_type {};
template <class R>
struct has_traits_name<
    R, std::void_t<decltype(record_traits<R>::name(std::declval<const R&>()))>>
    : std::true_type {};

template <class R, class = void>
struct has_traits_image : std::false_type {};
template <class R>
struct has_traits_image<
    R, std::void_t<decltype(record_traits<R>::image(std::declval<const R&>()))>>
    : std::true_type {};

}  // namespace detail

/// Tells whether record_traits gives facts, annotations and an id for R.
template <class R>
struct is_record : std::bool_constant<detail::has_traits_facts<R>::value &&
                                      detail::has_traits_annotation<R>::value &&
                                      detail::has_traits_id<R>::value> {};

/// True when R can be used as a container record.
template <class R>
inline constexpr bool is_record_v = is_record<R>::value;

#if defined(__cpp_concepts) && __cpp_concepts >= 201907L
/// A type that record_traits maps to container facts.
template <class R>
concept record = is_record_v<R>;
#endif

namespace detail {

template <class R>
constexpr void check_record() {
  static_assert(has_traits_facts<R>::value,
                "modelstate: record_traits<R>::facts(const R&) returning "
                "container_facts is missing; give R `state` and `annotation` "
                "string maps or specialise modelstate::record_traits");
  static_assert(has_traits_annotation<R>::value,
                "modelstate: record_traits<R>::annotation(const R&, "
                "std::string_view) is missing");
  static_assert(has_traits_id<R>::value,
                "modelstate: record_traits<R>::id(const R&) is missing");
}

}  // namespace detail

/// Returns a record's facts through its record_traits.
template <class R>
container_facts facts_of(const R& r) {
  detail::check_record<R>();
  return record_traits<R>::facts(r);
}

/// Returns a record's annotation through its record_traits.
template <class R>
std::optional<std::string_view> annotation_of(const R& r,
                                              std::string_view key) {
  detail::check_record<R>();
  return record_traits<R>::annotation(r, key);
}

/// Returns a record's id through its record_traits.
template <class R>
std::string_view id_of(const R& r) {
  detail::check_record<R>();
  return record_traits<R>::id(r);
}

/// Returns a record's first name, or "" when its traits give none.
template <class R>
std::string_view name_of(const R& r) {
  if constexpr (detail::has_traits_name<R>::value) {
    return std::string_view(record_traits<R>::name(r));
  } else {
    static_cast<void>(r);
    return {};
  }
}

/// Returns a record's image, or "" when its traits give none.
template <class R>
std::string_view image_of(const R& r) {
  if constexpr (detail::has_traits_image<R>::value) {
    return std::string_view(record_traits<R>::image(r));
  } else {
    static_cast<void>(r);
    return {};
  }
}

/// Returns a list's node name (`node_name` member or accessor).
template <class List>
std::string_view node_name_of(const List& list) {
  static_assert(detail::has_node_name<List>,
                "modelstate: a container list needs `node_name`");
  return std::string_view(detail::get_node_name(list));
}

/// Returns a list's containers (`containers` member or accessor).
template <class List>
decltype(auto) containers_of(const List& list) {
  static_assert(detail::has_containers<List>,
                "modelstate: a container list needs `containers`");
  return detail::get_containers(list);
}

}  // namespace modelstate

#endif  // MODELSTATE_RECORD_HPP
