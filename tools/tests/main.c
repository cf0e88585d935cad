// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - the test runner and the helpers in test.h
 */
#include <stdarg.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "print.h"
#include "test.h"

#define MAX_TESTS	256

struct test {
	const char *name;
	const char *file;
	int line;
	test_fn fn;
};

static struct test tests[MAX_TESTS];
static unsigned int n_tests;
static unsigned int cur_failures;
static const char *cur_skip;

void test_register(const char *name, const char *file, int line, test_fn fn)
{
	if (n_tests == MAX_TESTS) {
		fprintf(stderr, "too many tests\n");
		exit(2);
	}
	tests[n_tests++] = (struct test){ name, file, line, fn };
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("  %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	cur_failures++;
}

void test_skip(const char *why)
{
	cur_skip = why;
}

static int test_cmp(const void *a, const void *b)
{
	const struct test *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	return c ? c : x->line - y->line;
}

FILE *capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->fp = open_memstream(&c->buf, &c->len);
	return c->fp;
}

const char *capture_close(struct capture *c)
{
	static char *last;

	fclose(c->fp);
	free(last);
	last = c->buf;
	return c->buf;
}

static int stderr_saved = -1;
static FILE *stderr_file;

void stderr_begin(void)
{
	fflush(stderr);
	stderr_file = tmpfile();
	stderr_saved = dup(2);
	dup2(fileno(stderr_file), 2);
}

char *stderr_end(void)
{
	long len;
	char *s;

	fflush(stderr);
	dup2(stderr_saved, 2);
	close(stderr_saved);
	len = ftell(stderr_file);
	s = calloc(1, len + 1);
	rewind(stderr_file);
	if (fread(s, 1, len, stderr_file) != (size_t)len)
		s[0] = '\0';
	fclose(stderr_file);
	return s;
}

const char *capture_print(bool json, bool pretty, void (*fn)(void *),
			  void *arg)
{
	struct capture c;

	print_begin(capture_open(&c), json, pretty);
	fn(arg);
	print_end();
	return capture_close(&c);
}

static int tmpfile_with(const char *data)
{
	char path[] = "/tmp/sftest.XXXXXX";
	size_t len = data ? strlen(data) : 0;
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	unlink(path);
	if (write(fd, data ? data : "", len) != (ssize_t)len ||
	    lseek(fd, 0, SEEK_SET)) {
		close(fd);
		return -1;
	}
	return fd;
}

static char *slurp(int fd)
{
	struct capture c;
	char buf[4096];
	ssize_t n;

	capture_open(&c);
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, c.fp);
	close(fd);
	fclose(c.fp);
	return c.buf;
}

int run_prog(char *const argv[], const char *input, struct run *r)
{
	int in = tmpfile_with(input), out = tmpfile_with(NULL);
	int err = tmpfile_with(NULL), st;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (in < 0 || out < 0 || err < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(in);
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st))
		r->status = WEXITSTATUS(st);
	r->out = slurp(out);
	r->err = slurp(err);
	return r->status;
}

void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

bool python_ok(const char *input, const char *code)
{
	char *argv[] = { "python3", "-c", (char *)code, NULL };
	struct run r;
	bool ok = run_prog(argv, input, &r) == 0;

	if (!ok)
		printf("  python: %s", r.err ? r.err : "did not run\n");
	run_free(&r);
	return ok;
}

bool json_valid(const char *s)
{
	return python_ok(s, "import json, sys; json.load(sys.stdin)");
}

int main(void)
{
	unsigned int i, passed = 0, failed = 0, skipped = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	qsort(tests, n_tests, sizeof(tests[0]), test_cmp);
	for (i = 0; i < n_tests; i++) {
		cur_failures = 0;
		cur_skip = NULL;
		tests[i].fn();
		if (cur_failures) {
			printf("FAIL %s\n", tests[i].name);
			failed++;
		} else if (cur_skip) {
			printf("skip %s: %s\n", tests[i].name, cur_skip);
			skipped++;
		} else {
			printf("ok   %s\n", tests[i].name);
			passed++;
		}
	}
	if (skipped)
		printf("%u skipped\n", skipped);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
