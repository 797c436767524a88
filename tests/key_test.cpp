// Tests for modelstate/key.hpp: name checks, key building and reading a
// name back from a key.
#include "modelstate/key.hpp"

#include <cstddef>
#include <string>
#include <string_view>

#include "catch.hpp"

namespace {

using modelstate::key_format;
using modelstate::name_error;
using namespace std::string_literals;

// Shows a name with its control and non-ASCII bytes spelled out.
std::string escaped(std::string_view name) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7F) {
      out += "\\x";
      out += hex[c >> 4U];
      out += hex[c & 0xFU];
    } else {
      out += ch;
    }
  }
  return out;
}

static_assert(modelstate::check_name("model-a"));
static_assert(modelstate::check_name("a/b").error == name_error::slash);
static_assert(modelstate::check_name("a/b").position == 1);
static_assert(modelstate::name_from_key("/model/m/state") ==
              std::string_view("m"));

}  // namespace

TEST_CASE("A model's key is /model/{name}/state", "[key]") {
  CHECK(modelstate::make_key("my-inference-model") ==
        "/model/my-inference-model/state");
  CHECK(modelstate::make_key("模型") == "/model/模型/state");
}

TEST_CASE("The key prefix and suffix are configurable", "[key]") {
  const key_format custom{"/fleet/a/model/", "/phase"};

  CHECK(modelstate::make_key("m", custom) == "/fleet/a/model/m/phase");
  CHECK(modelstate::make_key("p", modelstate::package_key_format) ==
        "/package/p/state");
  CHECK(modelstate::make_key("bare", key_format{"", ""}) == "bare");
}

TEST_CASE(
    "A name that is empty, a dot segment or holds a slash cannot become part "
    "of a key",
    "[key]") {
  const auto [name, error, position] =
      GENERATE(table<std::string_view, name_error, std::size_t>(
          {{"", name_error::empty, 0},
           {".", name_error::dot, 0},
           {"..", name_error::dot, 0},
           {"/", name_error::slash, 0},
           {"a/b", name_error::slash, 1},
           {"../x", name_error::slash, 2},
           {"model/", name_error::slash, 5}}));
  CAPTURE(name);

  const auto check = modelstate::check_name(name);

  CHECK_FALSE(check);
  CHECK(check.error == error);
  CHECK(check.position == position);
}

TEST_CASE("A name with a control character cannot become part of a key",
          "[key]") {
  const auto [name, position] =
      GENERATE(table<std::string, std::size_t>({{"a\nb", 1},
                                                {"\tmodel", 0},
                                                {"model\r", 5},
                                                {"nul\0byte"s, 3},
                                                {"del\x7f", 3},
                                                {"esc\x1b[31m", 3},
                                                {"next\xc2\x85line", 4},
                                                {"c1\xc2\x9f", 2}}));
  CAPTURE(escaped(name));

  const auto check = modelstate::check_name(name);

  CHECK_FALSE(check);
  CHECK(check.error == name_error::control);
  CHECK(check.position == position);
}

TEST_CASE("A name that is not valid UTF-8 cannot become part of a key",
          "[key]") {
  const auto [name, position] =
      GENERATE(table<std::string, std::size_t>({{"\xff", 0},
                                                {"ab\xfe", 2},
                                                {"over\xc0\xaf", 4},
                                                {"\xc1\xbf", 0},
                                                {"\xe0\x80\xaf", 0},
                                                {"sur\xed\xa0\x80", 3},
                                                {"\xf4\x90\x80\x80", 0},
                                                {"\xf8\x88\x80\x80\x80", 0},
                                                {"cut\xe6\xa8", 3},
                                                {"cut\xf0\x9f\x9a", 3},
                                                {"lone\x80", 4},
                                                {"\xc3", 0}}));
  CAPTURE(escaped(name));

  const auto check = modelstate::check_name(name);

  CHECK_FALSE(check);
  CHECK(check.error == name_error::invalid_utf8);
  CHECK(check.position == position);
}

TEST_CASE("A name longer than 253 bytes cannot become part of a key", "[key]") {
  CHECK(modelstate::max_name_length == 253);
  CHECK(modelstate::check_name(std::string(253, 'a')));

  const auto check = modelstate::check_name(std::string(254, 'a'));
  CHECK_FALSE(check);
  CHECK(check.error == name_error::too_long);

  // The limit counts bytes, not characters: 127 two-byte letters are 254.
  std::string umlauts;
  for (int i = 0; i < 127; ++i) {
    umlauts += "ü";
  }
  CHECK(modelstate::check_name(umlauts).error == name_error::too_long);
  CHECK(modelstate::check_name(umlauts.substr(2)));
}

TEST_CASE(
    "UTF-8 names, spaces and dots inside a name are accepted as key parts",
    "[key]") {
  const auto name = GENERATE(as<std::string>{}, "模型-ü-🚀", "my model",
                             "v1.2.3", ".hidden", "a..b", "x.", "_", "-",
                             "\xf4\x8f\xbf\xbf", "\xed\x9f\xbf", "A~b+c@d");
  CAPTURE(escaped(name));

  const auto check = modelstate::check_name(name);

  CHECK(check);
  CHECK(check.error == name_error::none);
}

TEST_CASE("Every name error has a distinct description", "[key]") {
  const name_error all[] = {name_error::empty,        name_error::dot,
                            name_error::slash,        name_error::control,
                            name_error::invalid_utf8, name_error::too_long};
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK_FALSE(modelstate::to_string(all[i]).empty());
    for (std::size_t j = i + 1; j < 6; ++j) {
      CHECK(modelstate::to_string(all[i]) != modelstate::to_string(all[j]));
    }
  }

  const std::string text = modelstate::describe(modelstate::check_name("ab/c"));
  CHECK(text.find('2') != std::string::npos);
}

TEST_CASE("A name survives a round trip through its key", "[key]") {
  const auto name = GENERATE(as<std::string>{}, "my-inference-model",
                             "模型-ü-🚀", "with space", "a.b");
  const auto format =
      GENERATE(key_format{}, key_format{"/cluster-1/models/", "/state"},
               key_format{"m:", ""});
  CAPTURE(escaped(name), format.prefix, format.suffix);

  const std::string key = modelstate::make_key(name, format);
  const auto back = modelstate::name_from_key(key, format);

  REQUIRE(back);
  CHECK(*back == name);
}

TEST_CASE("A key of another format or with an unsafe name gives no name",
          "[key]") {
  const auto key =
      GENERATE(as<std::string_view>{}, "/model//state", "/model/a/b/state",
               "/model/../state", "/package/p/state", "/model/m/status",
               "model/m/state", "/model/state", "", "/model/bad\nname/state");
  CAPTURE(escaped(key));

  CHECK_FALSE(modelstate::name_from_key(key));
}
