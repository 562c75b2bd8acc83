// Limit-checked JSON input: nesting depth counted without recursion, numbers out of the double
// range and malformed text are one-line JsonInputErrors naming the file.
#include "model/json/json_input.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace lowbit {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_json_input(text, "f.json");
  } catch (const JsonInputError& e) {
    return e.what();
  }
  return "";
}

TEST(JsonInput, DepthIsCountedOutsideStringsOnly) {
  EXPECT_EQ(json_nesting_depth(R"({"a": [1, {"b": []}]})"), 4);
  EXPECT_EQ(json_nesting_depth(R"({"a": "[[[[{{{{\"[[["})"), 1);
  EXPECT_EQ(json_nesting_depth(std::string(100, '[') + std::string(100, ']'), 64), 65);
}

// Issue 16: 50,000 levels made the config walker and json dump recurse until SIGSEGV.
TEST(JsonInput, DeepNestingIsRefusedBeforeParsing) {
  const int deep = 60000;
  const std::string text = std::string(deep, '[') + std::string(deep, ']');
  const std::string e = error_of(text);
  EXPECT_EQ(e.rfind("f.json: (file): JSON nested deeper than 64 levels", 0), 0u) << e;
  EXPECT_NE(e.find("allowed: at most 64"), std::string::npos);
  const std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_EQ(error_of(ok), "");
}

// Issue 16: 1e400 escaped as an nlohmann out_of_range exception, i.e. exit 1 "internal error".
TEST(JsonInput, NumbersOutOfTheDoubleRangeAreInputErrors) {
  for (const char* text : {R"({"x": 1e400})", R"([-1e400])"}) {
    const std::string e = error_of(text);
    EXPECT_NE(e.find("f.json: (file): a number is out of the double range"), std::string::npos)
        << text << " -> " << e;
  }
  EXPECT_EQ(error_of(R"({"x": 1e308, "y": 18446744073709551615})"), "");
}

TEST(JsonInput, MalformedTextNamesTheByte) {
  const std::string e = error_of(R"({"a": })");
  EXPECT_NE(e.find("f.json: (file): malformed JSON at byte"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos);
  EXPECT_NE(error_of("").find("malformed"), std::string::npos);
}

TEST(JsonInput, UnreadableFileIsAnInputError) {
  try {
    read_json_input("/nonexistent/c.json");
    ADD_FAILURE() << "no error";
  } catch (const JsonInputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/c.json: (file): cannot open"),
              std::string::npos);
  }
}

TEST(JsonInput, OrderedReadKeepsFileOrderAndTheLimits) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("lowbit_json_input_test_" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << R"({"b": 1, "a": {"z": 2, "y": 3}})";
  const nlohmann::ordered_json j = read_ordered_json_input(path);
  std::string keys;
  for (const auto& [k, v] : j.items()) keys += k;
  for (const auto& [k, v] : j.at("a").items()) keys += k;
  EXPECT_EQ(keys, "bazy");  // a sorted object would give "abyz"
  std::ofstream(path) << std::string(kMaxJsonDepth + 1, '[') << std::string(kMaxJsonDepth + 1, ']');
  EXPECT_THROW(read_ordered_json_input(path), JsonInputError);
  std::filesystem::remove(path);
  EXPECT_THROW(read_ordered_json_input("/nonexistent/c.json"), JsonInputError);
}

}  // namespace
}  // namespace lowbit
