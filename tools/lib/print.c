// SPDX-License-Identifier: GPL-2.0
/*
 * print.c - text or JSON output of one program run
 *
 * The mode is global: a command line tool prints one document. In JSON mode
 * every value goes to the JSON writer (json.c), which alone knows the
 * syntax; in text mode values go through their printf format.
 */
#include <errno.h>
#include <stdarg.h>

#include "json.h"
#include "print.h"

static FILE *out;
static struct json_writer *jw;

int print_begin(FILE *fp, bool json, bool pretty)
{
	out = fp;
	jw = NULL;
	if (json) {
		jw = jsonw_new(fp, pretty);
		if (!jw)
			return -ENOMEM;
	}
	return 0;
}

/* Returns -EIO if any output was lost (a full disk, a closed pipe). */
int print_end(void)
{
	int err;

	if (!out)
		return 0;
	jsonw_destroy(jw);
	jw = NULL;
	err = fflush(out) || ferror(out) ? -EIO : 0;
	out = NULL;
	return err;
}

bool is_json_context(void)
{
	return jw != NULL;
}

/* In JSON mode, whether this value goes out; if so its member is named. */
static bool json_member(enum output_type t, const char *key)
{
	if (!jw || !(t & PRINT_JSON))
		return false;
	if (key)
		jsonw_name(jw, key);
	return true;
}

static bool text_out(enum output_type t, const char *fmt)
{
	return !jw && (t & PRINT_FP) && fmt;
}

void open_json_object(const char *key)
{
	if (json_member(PRINT_JSON, key))
		jsonw_start_object(jw);
}

void close_json_object(void)
{
	if (jw)
		jsonw_end_object(jw);
}

void open_json_array(const char *key)
{
	if (json_member(PRINT_JSON, key))
		jsonw_start_array(jw);
}

void close_json_array(void)
{
	if (jw)
		jsonw_end_array(jw);
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value)
{
	if (json_member(t, key)) {
		if (value)
			jsonw_string(jw, value);
		else
			jsonw_null(jw);
	} else if (text_out(t, fmt)) {
		fprintf(out, fmt, value ? value : "");
	}
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value)
{
	if (json_member(t, key))
		jsonw_u64(jw, value);
	else if (text_out(t, fmt))
		fprintf(out, fmt, value);
}

void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value)
{
	if (json_member(t, key))
		jsonw_u64(jw, value);
	else if (text_out(t, fmt))
		fprintf(out, fmt, value);
}

void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value)
{
	if (json_member(t, key))
		jsonw_bool(jw, value);
	else if (text_out(t, fmt))
		fprintf(out, fmt, value ? "true" : "false");
}

/* JSON null; in text, @fmt as it is (e.g. " -"), if given. */
void print_null(enum output_type t, const char *key, const char *fmt)
{
	if (json_member(t, key))
		jsonw_null(jw);
	else if (text_out(t, fmt))
		fputs(fmt, out);
}

void print_json_raw(const char *key, const char *json)
{
	if (json_member(PRINT_JSON, key))
		jsonw_raw(jw, json);
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (jw)
		return;
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
}

void print_nl(void)
{
	if (!jw)
		putc('\n', out);
}
