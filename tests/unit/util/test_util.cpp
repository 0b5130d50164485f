// src/util: trim, split_list and json_text.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "util/json.h"
#include "util/text.h"

namespace govsim {
namespace {

TEST(Text, TrimStripsSpacesTabsAndCarriageReturns) {
  EXPECT_EQ(trim("  a b\t\r"), "a b");
  EXPECT_EQ(trim(" \t\r "), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("x"), "x");
}

TEST(Text, SplitListTrimsAndDropsEmptyItems) {
  EXPECT_EQ(split_list(" a, ,b ,c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(split_list("k=v; x=y", ';'), (std::vector<std::string>{"k=v", "x=y"}));
  EXPECT_TRUE(split_list("").empty());
}

TEST(Text, Utf8IsCheckedByteForByte) {
  EXPECT_EQ(text_error_at("plain ascii"), std::string::npos);
  EXPECT_EQ(text_error_at("\xE8\xA1\x97\xE9\x81\x93 caf\xC3\xA9 \xF0\x9F\x98\x80"),
            std::string::npos);                          // 街道 café 😀
  EXPECT_EQ(text_error_at("caf\xE9"), 3u);               // Latin-1
  EXPECT_EQ(text_error_at(std::string("a\0b", 3)), 1u);  // NUL
  EXPECT_EQ(text_error_at("\xC0\xAF"), 0u);              // overlong '/'
  EXPECT_EQ(text_error_at("\xE0\x80\xAF"), 0u);          // overlong, 3 bytes
  EXPECT_EQ(text_error_at("\xED\xA0\x80"), 0u);          // a surrogate
  EXPECT_EQ(text_error_at("\xF4\x90\x80\x80"), 0u);      // past U+10FFFF
  EXPECT_EQ(text_error_at("ok\xE8\xA1"), 2u);            // cut short
  EXPECT_EQ(text_error_at("\x80"), 0u);                  // a lone continuation byte
  EXPECT_EQ(text_problem("caf\xE9"), "byte 0xE9 at column 4 is not UTF-8 text (save the file as UTF-8)");
  EXPECT_EQ(text_problem("fine"), "");
}

TEST(Json, NonFiniteNumbersAreNull) {
  const Json j = {std::nan(""), std::numeric_limits<double>::infinity(),
                  -std::numeric_limits<double>::infinity()};
  EXPECT_EQ(json_text(j), "[null,null,null]");
}

TEST(Json, RealsInTheirShortestForm) {
  const Json j = {2.0, 0.1, 0.25, 1e-05, 0.0001, 100000.0, 0.30000000000000004, -3.5};
  EXPECT_EQ(json_text(j), "[2,0.1,0.25,1e-05,1e-04,1e+05,0.30000000000000004,-3.5]");
}

TEST(Json, StringsAreEscaped) {
  const Json j = {{"a\"b", "c\\d\te\n\x01"}, {"u", "\xc3\xa9\xe2\x9c\x93"}};
  EXPECT_EQ(json_text(j), "{\"a\\\"b\":\"c\\\\d\\te\\n\\u0001\",\"u\":\"\xc3\xa9\xe2\x9c\x93\"}");
  // Invalid UTF-8 becomes U+FFFD rather than an exception or an invalid document.
  EXPECT_EQ(json_text(Json("x\xff")), "\"x\xef\xbf\xbd\"");
}

TEST(Json, WithoutRealsTheLayoutIsNlohmanns) {
  const Json j = {{"k", {1, 2, {{"x", true}, {"y", nullptr}}}}, {"e", Json::array()}, {"o", Json::object()}};
  EXPECT_EQ(json_text(j), j.dump());
  EXPECT_EQ(json_text(j, {.indent = 2}), j.dump(2));
  EXPECT_EQ(json_text(j, {.indent = 0}), j.dump(0));
}

TEST(Json, InnerLevelsOnOneLine) {
  const Json j = {{"arms", {{"a", {{"x", {1, 2}}, {"y", {3.5}}}}}}};
  EXPECT_EQ(json_text(j, {.indent = 2, .one_line_from = 3, .spaces = true}),
            "{\n  \"arms\": {\n    \"a\": {\n      \"x\": [1, 2],\n      \"y\": [3.5]\n    }\n  }\n}");
  EXPECT_EQ(json_text(Json::array({{{"a", 1}, {"b", "c"}}, {{"a", 2}}}),
                      {.indent = 1, .one_line_from = 1, .spaces = true}),
            "[\n {\"a\": 1, \"b\": \"c\"},\n {\"a\": 2}\n]");
  EXPECT_EQ(json_text(j, {.spaces = true}), "{\"arms\": {\"a\": {\"x\": [1, 2], \"y\": [3.5]}}}");
}

}  // namespace
}  // namespace govsim
