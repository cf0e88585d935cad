/* SPDX-License-Identifier: GPL-2.0 */
/*
 * print.h - one call prints a value as text and as JSON (iproute2 style)
 *
 * print_begin() picks the mode for the whole run. Every print_*() call
 * names the value twice, as a JSON member @key and as a printf format
 * @fmt for its single value in text, and says where it belongs:
 *
 *	print_u64(PRINT_ANY, "packets", " packets %" PRIu64, n);
 *
 * PRINT_FP output appears only as text, PRINT_JSON only in JSON, PRINT_ANY
 * in both. The JSON containers (open_json_*()) print nothing in text mode;
 * print_text() and print_nl() print nothing in JSON mode. Within an array,
 * @key is NULL.
 */
#ifndef SF_PRINT_H
#define SF_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = PRINT_FP | PRINT_JSON,
};

int print_begin(FILE *fp, bool json, bool pretty);
int print_end(void);
bool is_json_context(void);

void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value);
void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value);
void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value);
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value);
void print_null(enum output_type t, const char *key, const char *fmt);

/* JSON only: @json, a value json_compact() gave, as it is. */
void print_json_raw(const char *key, const char *json);

void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void print_nl(void);

#endif /* SF_PRINT_H */
