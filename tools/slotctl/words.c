// SPDX-License-Identifier: GPL-2.0
/*
 * words.c - the values of words, for the command line and for files
 *
 * Parsers here never exit: they describe what is wrong in a struct
 * parse_err, which the command line turns into a usage error and the file
 * parser (config.c) into "FILE:LINE:COL: message". Each message quotes the
 * word it is about.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <linux/slotfilter.h>

#include "fwmsg.h"
#include "slotctl.h"

int parse_errf(struct parse_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* A decimal number from @min to @max; @what names it in messages. */
int word_u32(const char *w, const char *what, uint32_t min, uint32_t max,
	     uint32_t *v, struct parse_err *e)
{
	unsigned long long n;
	char *end;

	if (*w < '0' || *w > '9')
		return parse_errf(e, "invalid %s \"%.64s\"", what, w);
	errno = 0;
	n = strtoull(w, &end, 10);
	if (*end)
		return parse_errf(e, "invalid %s \"%.64s\"", what, w);
	if (errno || n < min || n > max)
		return parse_errf(e, "%s %.24s out of range (%u-%u)", what, w,
				  min, max);
	*v = n;
	return 0;
}

/* Tag and set names: 1 to SLOTFILTER_NAME_MAX - 1 of [A-Za-z0-9_.-]. */
bool name_valid(const char *s)
{
	size_t len = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			       "abcdefghijklmnopqrstuvwxyz0123456789_.-");

	return len && !s[len] && len < SLOTFILTER_NAME_MAX;
}

int word_name(const char *w, const char *what, struct parse_err *e)
{
	if (name_valid(w))
		return 0;
	return parse_errf(e, "invalid %s name \"%.64s\": 1 to %d characters of A-Z a-z 0-9 _ . -",
			  what, w, SLOTFILTER_NAME_MAX - 1);
}

/* One word from a list: on, off, ...; the value's index, or -1. */
int word_choice(const char *w, const char *what, const char *const *choices,
		struct parse_err *e)
{
	char list[128] = "";
	unsigned int i;

	for (i = 0; choices[i]; i++) {
		if (!strcmp(w, choices[i]))
			return i;
	}
	for (i = 0; choices[i]; i++) {
		strncat(list, i ? (choices[i + 1] ? ", " : " or ") : "",
			sizeof(list) - strlen(list) - 1);
		strncat(list, choices[i], sizeof(list) - strlen(list) - 1);
	}
	return parse_errf(e, "invalid %s \"%.64s\" (%s)", what, w, list);
}

/*
 * The prefixes of one word, separated by commas, added to @set. A comma
 * may end the word (in a file, it continues the list on the next line);
 * an empty element elsewhere is an error. e->off: where the bad one is.
 */
int word_prefixes(const char *w, struct sf_set *set, struct parse_err *e)
{
	const char *p = w;
	struct sf_prefix prefix;
	char item[SF_PREFIX_STRLEN + 8];
	size_t len;

	while (*p) {
		len = strcspn(p, ",");
		e->off = p - w;
		if (!len)
			return parse_errf(e, "empty element in list \"%.64s\"",
					  w);
		if (len >= sizeof(item))
			return parse_errf(e, "invalid address \"%.*s\"", 64, p);
		memcpy(item, p, len);
		item[len] = '\0';
		if (sf_prefix_parse(item, &prefix, e->msg, sizeof(e->msg)))
			return -1;
		if (sf_set_push(set, &prefix))
			return parse_errf(e, "out of memory");
		p += len;
		if (*p)
			p++;
	}
	return 0;
}
