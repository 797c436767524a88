// modelstate: container states to model states for Eclipse Pullpiri.
// SPDX-License-Identifier: Apache-2.0
#ifndef MODELSTATE_PACKAGE_YAML_HPP
#define MODELSTATE_PACKAGE_YAML_HPP

// Reads package definitions from Pullpiri artifacts written as YAML, one
// document per resource, separated by "---". Needs yaml-cpp (0.6 or later).

#include <cstddef>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "package.hpp"

namespace modelstate {

namespace detail {

// Converts a yaml-cpp mark (from 0, or -1 when unknown) to a line and a
// column from 1, or zeros.
inline std::pair<std::size_t, std::size_t> yaml_place(const YAML::Mark& m) {
  if (m.is_null() || m.line < 0 || m.column < 0) {
    return {0, 0};
  }
  return {static_cast<std::size_t>(m.line) + 1,
          static_cast<std::size_t>(m.column) + 1};
}

// Presents a yaml-cpp tree to package_decoder. Every YAML scalar reads as
// text, since plain YAML scalars carry no type; null is not text.
struct yaml_package_format {
  using node = YAML::Node;

  static constexpr std::string_view object_word = "a mapping";
  static constexpr std::string_view array_word = "a sequence";

  static bool is_object(const node& n) { return n.IsMap(); }

  static bool is_array(const node& n) { return n.IsSequence(); }

  static std::optional<node> member(const node& n, std::string_view key) {
    const node value = n[std::string(key)];
    if (!value.IsDefined()) {
      return std::nullopt;
    }
    return value;
  }

  static std::optional<std::string> text(const node& n) {
    if (!n.IsScalar()) {
      return std::nullopt;
    }
    return n.Scalar();
  }

  static std::vector<node> elements(const node& n) {
    std::vector<node> out;
    out.reserve(n.size());
    for (const node& element : n) {
      out.push_back(element);
    }
    return out;
  }

  static std::string type_name(const node& n) {
    switch (n.Type()) {
      case YAML::NodeType::Null:
        return "null";
      case YAML::NodeType::Scalar:
        return "a scalar";
      case YAML::NodeType::Sequence:
        return "a sequence";
      case YAML::NodeType::Map:
        return "a mapping";
      case YAML::NodeType::Undefined:
        break;
    }
    return "nothing";
  }

  static std::pair<std::size_t, std::size_t> place(const node& n) {
    return yaml_place(n.Mark());
  }
};

inline definition_problem yaml_problem(const YAML::Exception& e) {
  const auto [line, column] = yaml_place(e.mark);
  return {definition_error::syntax, "", e.msg, line, column};
}

// Watches the events of one document for where it starts.
class yaml_document_start : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { start_ = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  const YAML::Mark& start() const noexcept { return start_; }

 private:
  YAML::Mark start_;
};

// Some yaml-cpp releases (0.7 among them) keep returning empty documents
// at a token they cannot read, such as a lone ",", so YAML::LoadAll never
// ends and fills memory. This walks the documents once, without building
// them, and returns the place of a document that starts where the
// previous one did: the parser has stopped making progress there.
inline std::optional<YAML::Mark> stalled_document(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  yaml_document_start handler;
  int previous = -1;
  while (parser.HandleNextDocument(handler)) {
    if (handler.start().pos == previous) {
      return handler.start();
    }
    previous = handler.start().pos;
  }
  return std::nullopt;
}

}  // namespace detail

/// Decodes package definitions from parsed YAML documents, as YAML::LoadAll
/// returns them; empty documents are skipped.
///
/// The rules are those of decode_packages_json: documents whose `kind` is
/// "Package" give a package_definition, other kinds are counted and
/// skipped, and a Package with a problem is left out. Paths start with the
/// position of the document, e.g. "[2].spec.models[0].name", and problems
/// carry the line and column of the offending node.
inline decoded_packages decode_packages_yaml(
    const std::vector<YAML::Node>& documents) {
  decoded_packages out;
  detail::package_decoder<detail::yaml_package_format> decoder(out);

  try {
    for (std::size_t i = 0; i < documents.size(); ++i) {
      if (documents[i].IsNull()) {
        continue;
      }
      decoder.document(documents[i], '[' + std::to_string(i) + ']');
    }
  } catch (const YAML::Exception& e) {
    // Only an invalid node handed in by the caller gets here.
    out.problems.push_back(detail::yaml_problem(e));
  }
  return out;
}

/// Parses YAML text (one or more documents separated by "---") and decodes
/// the package definitions it holds, as decode_packages_yaml does.
///
/// Text that is not YAML gives one problem with code
/// definition_error::syntax, yaml-cpp's reason and the line and column
/// where parsing stopped; nothing is decoded then, not even the documents
/// before the error. Throws nothing for bad input.
inline decoded_packages read_packages_yaml(std::string_view text) {
  const std::string copy(text);
  std::vector<YAML::Node> documents;
  try {
    if (const auto stalled = detail::stalled_document(copy)) {
      const auto [line, column] = detail::yaml_place(*stalled);
      decoded_packages out;
      out.problems.push_back({definition_error::syntax, "",
                              "unexpected token; no YAML document can be "
                              "read from here",
                              line, column});
      return out;
    }
    documents = YAML::LoadAll(copy);
  } catch (const YAML::Exception& e) {
    decoded_packages out;
    out.problems.push_back(detail::yaml_problem(e));
    return out;
  }
  return decode_packages_yaml(documents);
}

}  // namespace modelstate

#endif  // MODELSTATE_PACKAGE_YAML_HPP
