// SPDX-License-Identifier: GPL-2.0
/*
 * print_test.c - one print_*() call, text or JSON
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>

#include "print.h"
#include "test.h"

static void print_mixed(void *arg)
{
	(void)arg;
	open_json_object(NULL);
	print_string(PRINT_ANY, "name", "name %s", "a\"b");
	print_uint(PRINT_FP, NULL, " fp-only %u", 1);
	print_uint(PRINT_JSON, "json_only", " never %u", 2);
	print_text(" text %d", 3);
	print_nl();
	open_json_array("list");
	print_u64(PRINT_ANY, NULL, "[%" PRIu64 "]", 7);
	close_json_array();
	print_bool(PRINT_ANY, "on", " on %s", true);
	print_nl();
	close_json_object();
}

TEST(print_text_mode)
{
	CHECK_STR(capture_print(false, false, print_mixed, NULL),
		  "name a\"b fp-only 1 text 3\n[7] on true\n");
}

TEST(print_json_mode)
{
	const char *s = capture_print(true, false, print_mixed, NULL);

	CHECK_STR(s, "{\"name\":\"a\\\"b\",\"json_only\":2,\"list\":[7],"
		     "\"on\":true}\n");
	CHECK(json_valid(s));
}

TEST(print_pretty_only_with_json)
{
	CHECK_STR(capture_print(false, true, print_mixed, NULL),
		  "name a\"b fp-only 1 text 3\n[7] on true\n");
	CHECK(json_valid(capture_print(true, true, print_mixed, NULL)));
}

static void print_numbers(void *arg)
{
	(void)arg;
	open_json_object(NULL);
	print_u64(PRINT_ANY, "max", "%" PRIu64, UINT64_MAX);
	print_u64(PRINT_ANY, "zero", " %" PRIu64, 0);
	print_uint(PRINT_ANY, "umax", " %u", UINT_MAX);
	print_nl();
	close_json_object();
}

TEST(print_number_formatting)
{
	CHECK_STR(capture_print(false, false, print_numbers, NULL),
		  "18446744073709551615 0 4294967295\n");
	CHECK_STR(capture_print(true, false, print_numbers, NULL),
		  "{\"max\":18446744073709551615,\"zero\":0,"
		  "\"umax\":4294967295}\n");
}

static void print_null_string(void *arg)
{
	(void)arg;
	open_json_object(NULL);
	print_string(PRINT_ANY, "s", "<%s>", NULL);
	close_json_object();
}

TEST(print_null_string_value)
{
	CHECK_STR(capture_print(false, false, print_null_string, NULL), "<>");
	CHECK_STR(capture_print(true, false, print_null_string, NULL),
		  "{\"s\":null}\n");
}

TEST(print_end_reports_lost_output)
{
	FILE *fp = fopen("/dev/full", "w");

	if (!fp) {
		test_skip("no /dev/full");
		return;
	}
	print_begin(fp, false, false);
	print_text("lost");
	CHECK_INT(print_end(), -EIO);
	fclose(fp);
}
