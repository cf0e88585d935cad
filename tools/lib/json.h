/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json.h - streaming JSON writer
 *
 * The one place in tools/ that knows JSON syntax: separators, nesting,
 * indentation and string escaping. Callers normally go through print.h;
 * this layer exists on its own so it can be tested on its own.
 *
 * Inside an object, name a member with jsonw_name() and then write its
 * value (a scalar or a container). Inside an array, write values directly.
 * Each complete top-level value is followed by a newline.
 */
#ifndef SF_JSON_H
#define SF_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json_writer;

struct json_writer *jsonw_new(FILE *fp, bool pretty);
void jsonw_destroy(struct json_writer *jw);

void jsonw_start_object(struct json_writer *jw);
void jsonw_end_object(struct json_writer *jw);
void jsonw_start_array(struct json_writer *jw);
void jsonw_end_array(struct json_writer *jw);

void jsonw_name(struct json_writer *jw, const char *name);
void jsonw_string(struct json_writer *jw, const char *s);
void jsonw_u64(struct json_writer *jw, uint64_t v);
void jsonw_s64(struct json_writer *jw, int64_t v);
void jsonw_bool(struct json_writer *jw, bool v);
void jsonw_null(struct json_writer *jw);
/* A value in JSON already: one that json_compact() accepted. */
void jsonw_raw(struct json_writer *jw, const char *json);

/*
 * Whether @in is one JSON value (RFC 8259, UTF-8, nested at most 64 deep)
 * with nothing but whitespace around it; if so, the value without that
 * whitespace or any between its tokens goes to @out, which has room for
 * strlen(@in) + 1 bytes.
 */
bool json_compact(const char *in, char *out);

#endif /* SF_JSON_H */
