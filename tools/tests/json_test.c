// SPDX-License-Identifier: GPL-2.0
/*
 * json_test.c - the JSON writer: syntax, layout, escaping, numbers
 */
#include <inttypes.h>

#include "json.h"
#include "test.h"

/* Write one string value; return the document. */
static const char *json_str(const char *s)
{
	struct capture c;
	struct json_writer *jw = jsonw_new(capture_open(&c), false);

	jsonw_string(jw, s);
	jsonw_destroy(jw);
	return capture_close(&c);
}

static void write_sample(struct json_writer *jw)
{
	jsonw_start_object(jw);
	jsonw_name(jw, "a");
	jsonw_u64(jw, 1);
	jsonw_name(jw, "list");
	jsonw_start_array(jw);
	jsonw_string(jw, "x");
	jsonw_start_object(jw);
	jsonw_name(jw, "b");
	jsonw_bool(jw, true);
	jsonw_end_object(jw);
	jsonw_start_array(jw);
	jsonw_end_array(jw);
	jsonw_end_array(jw);
	jsonw_name(jw, "empty");
	jsonw_start_object(jw);
	jsonw_end_object(jw);
	jsonw_name(jw, "n");
	jsonw_null(jw);
	jsonw_end_object(jw);
}

static const char *sample(bool pretty)
{
	struct capture c;
	struct json_writer *jw = jsonw_new(capture_open(&c), pretty);

	write_sample(jw);
	jsonw_destroy(jw);
	return capture_close(&c);
}

TEST(json_compact_nesting)
{
	const char *s = sample(false);

	CHECK_STR(s, "{\"a\":1,\"list\":[\"x\",{\"b\":true},[]],"
		     "\"empty\":{},\"n\":null}\n");
	CHECK(json_valid(s));
}

TEST(json_pretty_layout)
{
	const char *s = sample(true);

	CHECK_STR(s, "{\n"
		     "    \"a\": 1,\n"
		     "    \"list\": [\n"
		     "        \"x\",\n"
		     "        {\n"
		     "            \"b\": true\n"
		     "        },\n"
		     "        []\n"
		     "    ],\n"
		     "    \"empty\": {},\n"
		     "    \"n\": null\n"
		     "}\n");
	CHECK(json_valid(s));
}

TEST(json_empty_array_toplevel)
{
	struct capture c;
	struct json_writer *jw = jsonw_new(capture_open(&c), true);

	jsonw_start_array(jw);
	jsonw_end_array(jw);
	jsonw_destroy(jw);
	CHECK_STR(capture_close(&c), "[]\n");
}

TEST(json_escape_specials)
{
	CHECK_STR(json_str("q\"b\\s/"), "\"q\\\"b\\\\s/\"\n");
	CHECK_STR(json_str("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"\n");
	CHECK_STR(json_str("\x01\x1f\x7f"), "\"\\u0001\\u001f\x7f\"\n");
	CHECK_STR(json_str(""), "\"\"\n");
	CHECK(python_ok(json_str("q\"b\\\x01\n\x7f"),
			"import json, sys; "
			"assert json.load(sys.stdin) == \"q\\\"b\\\\\\x01\\n\\x7f\""));
}

TEST(json_escape_utf8_passes)
{
	/* é, €, U+1F600: valid sequences of 2, 3 and 4 bytes */
	const char *s = json_str("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");

	CHECK_STR(s, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"\n");
	CHECK(python_ok(s, "import json, sys; "
			   "assert json.load(sys.stdin) == "
			   "\"\\u00e9\\u20ac\\U0001f600\""));
}

TEST(json_escape_invalid_utf8)
{
	/* stray continuation, 0xff, overlong, surrogate, cut short, > U+10FFFF */
	CHECK_STR(json_str("a\x80" "b"), "\"a\\ufffdb\"\n");
	CHECK_STR(json_str("\xff"), "\"\\ufffd\"\n");
	CHECK_STR(json_str("\xc0\xaf"), "\"\\ufffd\\ufffd\"\n");
	CHECK_STR(json_str("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\"\n");
	CHECK_STR(json_str("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"\n");
	CHECK_STR(json_str("\xe2\x82"), "\"\\ufffd\\ufffd\"\n");
	CHECK_STR(json_str("\xf4\x90\x80\x80"),
		  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"\n");
	CHECK(json_valid(json_str("x\xfe\xc3(\xe2\x28\xa1")));
}

TEST(json_escape_names)
{
	struct capture c;
	struct json_writer *jw = jsonw_new(capture_open(&c), false);

	jsonw_start_object(jw);
	jsonw_name(jw, "k\"\n");
	jsonw_u64(jw, 0);
	jsonw_end_object(jw);
	jsonw_destroy(jw);
	CHECK_STR(capture_close(&c), "{\"k\\\"\\n\":0}\n");
}

TEST(json_numbers)
{
	struct capture c;
	struct json_writer *jw = jsonw_new(capture_open(&c), false);
	const char *s;

	jsonw_start_array(jw);
	jsonw_u64(jw, 0);
	jsonw_u64(jw, UINT64_MAX);
	jsonw_s64(jw, INT64_MIN);
	jsonw_s64(jw, -1);
	jsonw_bool(jw, false);
	jsonw_end_array(jw);
	jsonw_destroy(jw);
	s = capture_close(&c);
	CHECK_STR(s, "[0,18446744073709551615,-9223372036854775808,-1,false]\n");
	CHECK(python_ok(s, "import json, sys; "
			   "assert json.load(sys.stdin)[1] == 2**64 - 1"));
}

TEST(json_toplevel_values_end_lines)
{
	struct capture c;
	struct json_writer *jw = jsonw_new(capture_open(&c), false);

	jsonw_u64(jw, 1);
	jsonw_start_object(jw);
	jsonw_end_object(jw);
	jsonw_destroy(jw);
	CHECK_STR(capture_close(&c), "1\n{}\n");
}

/* json_compact(): @in's value without whitespace, or NULL if invalid. */
static const char *compact(const char *in)
{
	static char out[256];

	return json_compact(in, out) ? out : NULL;
}

TEST(json_compact_accepts)
{
	CHECK_STR(compact(" {\n\t\"a\" : [ 1 , -0.5e+3, 2E-1 ] ,\"b\":{}}\r\n"),
		  "{\"a\":[1,-0.5e+3,2E-1],\"b\":{}}");
	CHECK_STR(compact("\"x y\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00E9\""),
		  "\"x y\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00E9\"");
	CHECK_STR(compact("[true,false,null,[],\"\xc3\xa9\"]"),
		  "[true,false,null,[],\"\xc3\xa9\"]");
	CHECK_STR(compact("0"), "0");
}

TEST(json_compact_refuses)
{
	static const char *const bad[] = {
		"", "  ", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]",
		"[1 2]", "{a:1}", "01", "1.", ".5", "-", "1e", "+1", "tru",
		"truex", "nul", "\"abc", "\"a\nb\"", "\"\\x\"", "\"\\u12g4\"",
		"\"\xc3\"", "\"\xed\xa0\x80\"", "{} {}", "[1] x", "'a'",
	};
	char deep[200];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(!compact(bad[i]));
	/* 64 levels are fine, 65 are not. */
	memset(deep, '[', 64);
	memset(deep + 64, ']', 64);
	deep[128] = '\0';
	CHECK(compact(deep) != NULL);
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	deep[130] = '\0';
	CHECK(!compact(deep));
}
