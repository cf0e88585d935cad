// SPDX-License-Identifier: GPL-2.0
/*
 * json.c - streaming JSON writer (RFC 8259)
 *
 * The writer keeps one bit per open container: whether it has had an
 * element yet, which decides whether the next one needs a comma. A member
 * name writes its own separator and leaves the writer waiting for the
 * value, which then writes none.
 *
 * Strings are written as UTF-8. Bytes that are not part of a valid UTF-8
 * sequence (a device name may hold any byte but '/', ':', whitespace and
 * NUL) become U+FFFD, so the output is always valid JSON.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define JSONW_MAX_DEPTH	32
#define JSONW_INDENT	4

struct json_writer {
	FILE *fp;
	bool pretty;
	bool after_name;	/* a member name waits for its value */
	unsigned int depth;
	bool has_elem[JSONW_MAX_DEPTH + 1];
};

struct json_writer *jsonw_new(FILE *fp, bool pretty)
{
	struct json_writer *jw = calloc(1, sizeof(*jw));

	if (!jw)
		return NULL;
	jw->fp = fp;
	jw->pretty = pretty;
	return jw;
}

void jsonw_destroy(struct json_writer *jw)
{
	free(jw);
}

static void jsonw_indent(struct json_writer *jw)
{
	if (!jw->pretty)
		return;
	fprintf(jw->fp, "\n%*s", jw->depth * JSONW_INDENT, "");
}

/* Write what separates the next element from the previous one. */
static void jsonw_sep(struct json_writer *jw)
{
	if (jw->after_name) {
		jw->after_name = false;
		return;
	}
	if (!jw->depth)
		return;
	if (jw->has_elem[jw->depth])
		putc(',', jw->fp);
	jw->has_elem[jw->depth] = true;
	jsonw_indent(jw);
}

/* A value is complete; at top level it ends the line. */
static void jsonw_done(struct json_writer *jw)
{
	if (!jw->depth)
		putc('\n', jw->fp);
}

/*
 * Length of the valid UTF-8 sequence starting at @s, or 0 if @s does not
 * start one (RFC 3629: no overlong forms, no surrogates, <= U+10FFFF).
 */
static unsigned int utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	unsigned int n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;

	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;

	for (i = 1; i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

static void jsonw_escape(FILE *fp, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned int n;

	putc('"', fp);
	while (*s) {
		n = utf8_len(s);
		if (!n) {
			fputs("\\ufffd", fp);
			s++;
			continue;
		}
		if (n > 1) {
			fwrite(s, 1, n, fp);
			s += n;
			continue;
		}
		switch (*s) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\b':
			fputs("\\b", fp);
			break;
		case '\f':
			fputs("\\f", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			if (*s < 0x20)
				fprintf(fp, "\\u%04x", *s);
			else
				putc(*s, fp);
		}
		s++;
	}
	putc('"', fp);
}

static void jsonw_open(struct json_writer *jw, char c)
{
	if (jw->depth == JSONW_MAX_DEPTH)
		abort();	/* a caller bug, not an input error */
	jsonw_sep(jw);
	putc(c, jw->fp);
	jw->has_elem[++jw->depth] = false;
}

static void jsonw_close(struct json_writer *jw, char c)
{
	bool had_elem = jw->has_elem[jw->depth];

	if (!jw->depth)
		abort();
	jw->depth--;
	if (had_elem)
		jsonw_indent(jw);
	putc(c, jw->fp);
	jsonw_done(jw);
}

void jsonw_start_object(struct json_writer *jw)
{
	jsonw_open(jw, '{');
}

void jsonw_end_object(struct json_writer *jw)
{
	jsonw_close(jw, '}');
}

void jsonw_start_array(struct json_writer *jw)
{
	jsonw_open(jw, '[');
}

void jsonw_end_array(struct json_writer *jw)
{
	jsonw_close(jw, ']');
}

void jsonw_name(struct json_writer *jw, const char *name)
{
	jsonw_sep(jw);
	jsonw_escape(jw->fp, name);
	fputs(jw->pretty ? ": " : ":", jw->fp);
	jw->after_name = true;
}

void jsonw_string(struct json_writer *jw, const char *s)
{
	jsonw_sep(jw);
	jsonw_escape(jw->fp, s);
	jsonw_done(jw);
}

void jsonw_u64(struct json_writer *jw, uint64_t v)
{
	jsonw_sep(jw);
	fprintf(jw->fp, "%" PRIu64, v);
	jsonw_done(jw);
}

void jsonw_s64(struct json_writer *jw, int64_t v)
{
	jsonw_sep(jw);
	fprintf(jw->fp, "%" PRId64, v);
	jsonw_done(jw);
}

void jsonw_bool(struct json_writer *jw, bool v)
{
	jsonw_sep(jw);
	fputs(v ? "true" : "false", jw->fp);
	jsonw_done(jw);
}

void jsonw_null(struct json_writer *jw)
{
	jsonw_sep(jw);
	fputs("null", jw->fp);
	jsonw_done(jw);
}

void jsonw_raw(struct json_writer *jw, const char *json)
{
	jsonw_sep(jw);
	fputs(json, jw->fp);
	jsonw_done(jw);
}

/* ---- json_compact(): a checking copy --------------------------------- */

#define JSON_MAX_NESTING	64

struct json_scan {
	const unsigned char *s;
	char *out;
	unsigned int depth;
};

static void scan_ws(struct json_scan *js)
{
	while (*js->s == ' ' || *js->s == '\t' || *js->s == '\n' ||
	       *js->s == '\r')
		js->s++;
}

static void scan_copy(struct json_scan *js, unsigned int n)
{
	while (n--)
		*js->out++ = *js->s++;
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool scan_string(struct json_scan *js)
{
	unsigned int n, i;

	scan_copy(js, 1);
	for (;;) {
		if (*js->s == '"') {
			scan_copy(js, 1);
			return true;
		}
		if (*js->s == '\\') {
			if (js->s[1] == 'u') {
				for (i = 2; i < 6; i++)
					if (!is_hex(js->s[i]))
						return false;
				scan_copy(js, 6);
				continue;
			}
			if (!js->s[1] || !strchr("\"\\/bfnrt", js->s[1]))
				return false;
			scan_copy(js, 2);
			continue;
		}
		if (*js->s < 0x20)
			return false;	/* a control character, or the end */
		n = utf8_len(js->s);
		if (!n)
			return false;
		scan_copy(js, n);
	}
}

static bool scan_digits(struct json_scan *js)
{
	if (!is_digit(*js->s))
		return false;
	while (is_digit(*js->s))
		scan_copy(js, 1);
	return true;
}

static bool scan_number(struct json_scan *js)
{
	if (*js->s == '-')
		scan_copy(js, 1);
	if (*js->s == '0')
		scan_copy(js, 1);
	else if (!scan_digits(js))
		return false;
	if (*js->s == '.') {
		scan_copy(js, 1);
		if (!scan_digits(js))
			return false;
	}
	if (*js->s == 'e' || *js->s == 'E') {
		scan_copy(js, 1);
		if (*js->s == '+' || *js->s == '-')
			scan_copy(js, 1);
		if (!scan_digits(js))
			return false;
	}
	return true;
}

static bool scan_word(struct json_scan *js, const char *word)
{
	size_t n = strlen(word);

	if (strncmp((const char *)js->s, word, n))
		return false;
	scan_copy(js, n);
	return true;
}

static bool scan_value(struct json_scan *js);

/* An object or an array: its elements, separated by commas. */
static bool scan_container(struct json_scan *js, char close)
{
	bool object = close == '}';

	if (++js->depth > JSON_MAX_NESTING)
		return false;
	scan_copy(js, 1);
	scan_ws(js);
	if (*js->s == close) {
		scan_copy(js, 1);
		js->depth--;
		return true;
	}
	for (;;) {
		if (object) {
			if (*js->s != '"' || !scan_string(js))
				return false;
			scan_ws(js);
			if (*js->s != ':')
				return false;
			scan_copy(js, 1);
			scan_ws(js);
		}
		if (!scan_value(js))
			return false;
		scan_ws(js);
		if (*js->s == close) {
			scan_copy(js, 1);
			js->depth--;
			return true;
		}
		if (*js->s != ',')
			return false;
		scan_copy(js, 1);
		scan_ws(js);
	}
}

static bool scan_value(struct json_scan *js)
{
	switch (*js->s) {
	case '{':
		return scan_container(js, '}');
	case '[':
		return scan_container(js, ']');
	case '"':
		return scan_string(js);
	case 't':
		return scan_word(js, "true");
	case 'f':
		return scan_word(js, "false");
	case 'n':
		return scan_word(js, "null");
	default:
		return scan_number(js);
	}
}

bool json_compact(const char *in, char *out)
{
	struct json_scan js = { (const unsigned char *)in, out, 0 };
	bool ok;

	scan_ws(&js);
	ok = scan_value(&js);
	if (ok) {
		scan_ws(&js);
		ok = !*js.s;
	}
	*js.out = '\0';
	return ok;
}
