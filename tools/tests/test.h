/* SPDX-License-Identifier: GPL-2.0 */
/*
 * test.h - a small unit test harness for the host-side tests
 *
 * TEST(name) { ... } defines a test; it registers itself. CHECK*() record a
 * failure and go on. The runner prints one line per test and ends with
 * "N passed, N failed".
 */
#ifndef SF_TEST_H
#define SF_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);

void test_register(const char *name, const char *file, int line, test_fn fn);
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void test_skip(const char *why);

#define TEST(name)							\
	static void name(void);						\
	__attribute__((constructor)) static void name##_register(void)	\
	{								\
		test_register(#name, __FILE__, __LINE__, name);		\
	}								\
	static void name(void)

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			test_fail(__FILE__, __LINE__, "%s", #cond);	\
	} while (0)

#define CHECK_INT(got, want)						\
	do {								\
		long long _g = (got), _w = (want);			\
		if (_g != _w)						\
			test_fail(__FILE__, __LINE__,			\
				  "%s is %lld, want %lld", #got, _g, _w); \
	} while (0)

#define CHECK_STR(got, want)						\
	do {								\
		const char *_g = (got), *_w = (want);			\
		if (!_g || strcmp(_g, _w))				\
			test_fail(__FILE__, __LINE__,			\
				  "%s is\n\"%s\"\nwant\n\"%s\"", #got,	\
				  _g ? _g : "(null)", _w);		\
	} while (0)

/* Output captured in memory: capture_open(), print into ->fp, then
 * capture_close() returns the text (valid until the next capture). */
struct capture {
	FILE *fp;
	char *buf;
	size_t len;
};

FILE *capture_open(struct capture *c);
const char *capture_close(struct capture *c);

/* What is written to stderr between the two calls; free() the text. */
void stderr_begin(void);
char *stderr_end(void);

/* Print @json mode output of @fn into a string (print.h layer). */
const char *capture_print(bool json, bool pretty, void (*fn)(void *),
			  void *arg);

/* Run @argv with @input on stdin; capture its output and exit status. */
struct run {
	int status;		/* exit status, -1 if it did not exit */
	char *out;
	char *err;
};

int run_prog(char *const argv[], const char *input, struct run *r);
void run_free(struct run *r);

/* Run python3 -c @code with @input on stdin; true if it exits 0. */
bool python_ok(const char *input, const char *code);
/* Whether @s is one valid JSON document (python3 -m json.tool). */
bool json_valid(const char *s);

#endif /* SF_TEST_H */
