// SPDX-License-Identifier: GPL-2.0
/*
 * conf.c - parse slotd.conf and -s arguments
 *
 * The file: one statement per line, words separated by blanks, "#" at
 * the start of a word comments out the rest of the line.
 *
 *	probe-interval MS		how often services are probed (1000)
 *	probe-timeout MS		how long a probe may take (3000)
 *	batch N				verdicts per kernel message (64)
 *	service NAME TARGET [OPTION...]
 *
 * TARGET is builtin:KIND (a kind compiled into slotd: noop, drop, hang,
 * ...) or unix:/PATH (an external service listening there, slotsvc.h).
 * OPTIONs are probe-interval=MS, probe-timeout=MS, max-inflight=N, gso
 * (the service takes GSO packets whole), and the built-in kind's own
 * KEY=VALUE options. An argument "-s NAME=TARGET[,OPTION...]" is the same
 * as a service line.
 *
 * Settings may come in any order; services take the global probe values
 * they do not set themselves, whether those come before or after them.
 */
#define _GNU_SOURCE		/* vasprintf() */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "conf.h"
#include "service.h"

#define MS_MIN		10
#define MS_MAX		3600000
#define CONF_SIZE_MAX	(1 << 20)
#define WORDS_MAX	64

static void oom(void)
{
	fputs("slotd: out of memory\n", stderr);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		oom();
	return d;
}

__attribute__((format(printf, 3, 4)))
static void add_err(struct sd_conf *conf, const char *where,
		    const char *fmt, ...)
{
	char *msg, *line;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		oom();
	va_end(ap);
	if (asprintf(&line, "%s: %s", where, msg) < 0)
		oom();
	free(msg);
	conf->errs = xrealloc(conf->errs,
			      (conf->n_errs + 1) * sizeof(*conf->errs));
	conf->errs[conf->n_errs++] = line;
}

void sd_conf_init(struct sd_conf *conf)
{
	memset(conf, 0, sizeof(*conf));
}

void sd_svc_conf_free(struct sd_svc_conf *sc)
{
	size_t i;

	for (i = 0; i < sc->n_opts; i++) {
		free(sc->opts[i].key);
		free(sc->opts[i].val);
	}
	free(sc->opts);
	free(sc->kind);
	free(sc->path);
	free(sc->where);
	memset(sc, 0, sizeof(*sc));
}

void sd_conf_free(struct sd_conf *conf)
{
	size_t i;

	for (i = 0; i < conf->n_svcs; i++)
		sd_svc_conf_free(&conf->svcs[i]);
	free(conf->svcs);
	for (i = 0; i < conf->n_errs; i++)
		free(conf->errs[i]);
	free(conf->errs);
	memset(conf, 0, sizeof(*conf));
}

int sd_svc_conf_copy(struct sd_svc_conf *dst, const struct sd_svc_conf *src)
{
	size_t i;

	*dst = *src;
	dst->kind = src->kind ? xstrdup(src->kind) : NULL;
	dst->path = src->path ? xstrdup(src->path) : NULL;
	dst->where = src->where ? xstrdup(src->where) : NULL;
	dst->opts = xrealloc(NULL, src->n_opts * sizeof(*dst->opts));
	for (i = 0; i < src->n_opts; i++) {
		dst->opts[i].key = xstrdup(src->opts[i].key);
		dst->opts[i].val = xstrdup(src->opts[i].val);
	}
	return 0;
}

const struct sd_svc_conf *sd_conf_find(const struct sd_conf *conf,
				       const char *name)
{
	size_t i;

	for (i = 0; i < conf->n_svcs; i++) {
		if (!strcmp(conf->svcs[i].name, name))
			return &conf->svcs[i];
	}
	return NULL;
}

/* The value of the kind's option @key, "" for a flag, or NULL. */
const char *sd_svc_conf_opt(const struct sd_svc_conf *sc, const char *key)
{
	size_t i;

	for (i = 0; i < sc->n_opts; i++) {
		if (!strcmp(sc->opts[i].key, key))
			return sc->opts[i].val;
	}
	return NULL;
}

bool sd_svc_conf_same_target(const struct sd_svc_conf *a,
			     const struct sd_svc_conf *b)
{
	if (a->target != b->target || a->gso != b->gso)
		return false;
	if (a->target == SD_TARGET_BUILTIN)
		return !strcmp(a->kind, b->kind);
	return !strcmp(a->path, b->path);
}

static bool name_valid(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= SLOTSVC_NAME_MAX)
		return false;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789_.-") == n;
}

/* A decimal number from @min to @max, and nothing else; for kinds too. */
bool sd_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* A generic option of a service; 1 if @key is not one. */
static int generic_opt(struct sd_conf *conf, const char *where,
		       struct sd_svc_conf *sc, const char *key,
		       const char *val)
{
	uint32_t *ms = NULL, min = MS_MIN, max = MS_MAX;

	if (!strcmp(key, "gso")) {
		if (val) {
			add_err(conf, where, "option 'gso' takes no value");
			return -EINVAL;
		}
		sc->gso = true;
		return 0;
	}
	if (!strcmp(key, "probe-interval"))
		ms = &sc->probe_interval_ms;
	else if (!strcmp(key, "probe-timeout"))
		ms = &sc->probe_timeout_ms;
	else if (!strcmp(key, "max-inflight")) {
		ms = &sc->max_inflight;
		min = 1;
		max = 1 << 20;
	} else
		return 1;
	if (!val || !sd_parse_u32(val, min, max, ms)) {
		add_err(conf, where, "option '%s' wants a number from %u to %u",
			key, min, max);
		return -EINVAL;
	}
	return 0;
}

static int kind_opt(struct sd_conf *conf, const char *where,
		    struct sd_svc_conf *sc, const char *key, const char *val)
{
	const struct sd_kind *kind = sc->target == SD_TARGET_BUILTIN ?
				     sd_kind_find(sc->kind) : &sd_kind_unix;
	char err[128] = "";

	if (!kind->check) {
		add_err(conf, where, "unknown option '%s'", key);
		return -EINVAL;
	}
	if (kind->check(key, val ? val : "", err, sizeof(err))) {
		add_err(conf, where, "%s", err);
		return -EINVAL;
	}
	sc->opts = xrealloc(sc->opts, (sc->n_opts + 1) * sizeof(*sc->opts));
	sc->opts[sc->n_opts].key = xstrdup(key);
	sc->opts[sc->n_opts].val = xstrdup(val ? val : "");
	sc->n_opts++;
	return 0;
}

static int parse_target(struct sd_conf *conf, const char *where,
			struct sd_svc_conf *sc, const char *target)
{
	struct sockaddr_un sun;

	if (!strncmp(target, "builtin:", 8)) {
		if (!sd_kind_find(target + 8)) {
			add_err(conf, where, "unknown built-in kind '%s'",
				target + 8);
			return -EINVAL;
		}
		sc->target = SD_TARGET_BUILTIN;
		sc->kind = xstrdup(target + 8);
		return 0;
	}
	if (!strncmp(target, "unix:", 5)) {
		if (target[5] != '/') {
			add_err(conf, where, "socket path '%s' is not absolute",
				target + 5);
			return -EINVAL;
		}
		if (strlen(target + 5) >= sizeof(sun.sun_path)) {
			add_err(conf, where, "socket path is longer than %zu bytes",
				sizeof(sun.sun_path) - 1);
			return -EINVAL;
		}
		sc->target = SD_TARGET_UNIX;
		sc->path = xstrdup(target + 5);
		return 0;
	}
	add_err(conf, where, "target '%s' is neither builtin:KIND nor unix:/PATH",
		target);
	return -EINVAL;
}

/* Add service @name at @target with @opts; every error goes to @conf. */
static int add_service(struct sd_conf *conf, const char *where,
		       const char *name, const char *target,
		       char **opts, size_t n_opts)
{
	const struct sd_svc_conf *old = sd_conf_find(conf, name);
	struct sd_svc_conf sc = { 0 };
	size_t i, j;
	int err = 0;

	if (!name_valid(name)) {
		add_err(conf, where, "bad service name '%s': 1 to %u characters of A-Z a-z 0-9 _ . -",
			name, SLOTSVC_NAME_MAX - 1);
		return -EINVAL;
	}
	if (old) {
		add_err(conf, where, "service '%s' is already defined at %s",
			name, old->where);
		return -EEXIST;
	}
	strcpy(sc.name, name);
	if (parse_target(conf, where, &sc, target))
		return -EINVAL;
	for (i = 0; i < n_opts; i++) {
		char *eq = strchr(opts[i], '=');
		const char *val = eq ? eq + 1 : NULL;
		size_t klen = eq ? (size_t)(eq - opts[i]) : strlen(opts[i]);
		char key[64];
		int ret;

		if (!klen || klen >= sizeof(key)) {
			add_err(conf, where, "bad option '%s'", opts[i]);
			err = -EINVAL;
			continue;
		}
		memcpy(key, opts[i], klen);
		key[klen] = '\0';
		for (j = 0; j < i; j++) {
			if (!strncmp(opts[j], key, klen) &&
			    (opts[j][klen] == '=' || !opts[j][klen]))
				break;
		}
		if (j < i) {
			add_err(conf, where, "option '%s' given twice", key);
			err = -EINVAL;
			continue;
		}
		ret = generic_opt(conf, where, &sc, key, val);
		if (ret > 0)
			ret = kind_opt(conf, where, &sc, key, val);
		if (ret)
			err = ret;
	}
	if (err) {
		sd_svc_conf_free(&sc);
		return err;
	}
	sc.where = xstrdup(where);
	conf->svcs = xrealloc(conf->svcs,
			      (conf->n_svcs + 1) * sizeof(*conf->svcs));
	conf->svcs[conf->n_svcs++] = sc;
	return 0;
}

static int parse_setting(struct sd_conf *conf, const char *where,
			 char **w, size_t n)
{
	uint32_t *val, min = MS_MIN, max = MS_MAX;

	if (!strcmp(w[0], "probe-interval"))
		val = &conf->probe_interval_ms;
	else if (!strcmp(w[0], "probe-timeout"))
		val = &conf->probe_timeout_ms;
	else if (!strcmp(w[0], "batch")) {
		val = &conf->batch;
		min = 1;
		max = SLOTSVC_VERDICTS_MAX;
	} else {
		add_err(conf, where, "unknown statement '%s'", w[0]);
		return -EINVAL;
	}
	if (*val) {
		add_err(conf, where, "'%s' given twice", w[0]);
		return -EINVAL;
	}
	if (n != 2 || !sd_parse_u32(w[1], min, max, val)) {
		add_err(conf, where, "'%s' wants one number from %u to %u",
			w[0], min, max);
		return -EINVAL;
	}
	return 0;
}

/* Cut @line into words in place; @max + 1 if there are too many. */
static size_t split(char *line, char **w, size_t max)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		p += strspn(p, " \t\r");
		if (!*p || *p == '#')
			return n;
		if (n == max)
			return max + 1;
		w[n++] = p;
		p += strcspn(p, " \t\r");
		if (*p)
			*p++ = '\0';
	}
}

/*
 * Parse @text, the contents of @file, into @conf. Returns the number of
 * errors this text added.
 */
int sd_conf_parse(struct sd_conf *conf, const char *file, const char *text)
{
	size_t before = conf->n_errs, n;
	char *copy = xstrdup(text), *line = copy, *nl;
	char *w[WORDS_MAX + 1], where[PATH_MAX + 32];
	unsigned int lineno = 0;

	for (; line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		lineno++;
		snprintf(where, sizeof(where), "%s:%u", file, lineno);
		n = split(line, w, WORDS_MAX);
		if (!n)
			continue;
		if (n > WORDS_MAX) {
			add_err(conf, where, "more than %u words", WORDS_MAX);
			continue;
		}
		if (strcmp(w[0], "service")) {
			parse_setting(conf, where, w, n);
			continue;
		}
		if (n < 3) {
			add_err(conf, where, "want: service NAME TARGET [OPTION...]");
			continue;
		}
		add_service(conf, where, w[1], w[2], w + 3, n - 3);
	}
	free(copy);
	return conf->n_errs - before;
}

/* Read @path (at most 1 MiB) and parse it; the errors as sd_conf_parse(). */
int sd_conf_load(struct sd_conf *conf, const char *path)
{
	char *buf = xrealloc(NULL, CONF_SIZE_MAX + 1);
	size_t len = 0;
	ssize_t r;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		add_err(conf, path, "%s", strerror(errno));
		free(buf);
		return 1;
	}
	while (len <= CONF_SIZE_MAX &&
	       (r = read(fd, buf + len, CONF_SIZE_MAX + 1 - len)) > 0)
		len += r;
	close(fd);
	if (len > CONF_SIZE_MAX || memchr(buf, '\0', len)) {
		add_err(conf, path, len > CONF_SIZE_MAX ?
			"larger than 1 MiB" : "not a text file");
		free(buf);
		return 1;
	}
	buf[len] = '\0';
	ret = sd_conf_parse(conf, path, buf);
	free(buf);
	return ret;
}

/* An argument "-s NAME=TARGET[,OPTION...]". Returns the errors added. */
int sd_conf_arg(struct sd_conf *conf, const char *spec)
{
	char *copy = xstrdup(spec), *eq = strchr(copy, '='), *where;
	char *w[WORDS_MAX + 1], *p;
	size_t before = conf->n_errs, n = 0;

	if (asprintf(&where, "-s %s", spec) < 0)
		oom();
	if (!eq) {
		add_err(conf, where, "want NAME=TARGET[,OPTION...]");
		goto out;
	}
	*eq = '\0';
	for (p = eq + 1; p; n++) {
		if (n == WORDS_MAX) {
			add_err(conf, where, "more than %u options",
				WORDS_MAX - 1);
			goto out;
		}
		w[n] = p;
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
	}
	add_service(conf, where, copy, w[0], w + 1, n - 1);
out:
	free(where);
	free(copy);
	return conf->n_errs - before;
}

/* Fill in defaults; the number of errors in the whole configuration. */
int sd_conf_finish(struct sd_conf *conf)
{
	size_t i;

	if (!conf->probe_interval_ms)
		conf->probe_interval_ms = SD_PROBE_INTERVAL_MS;
	if (!conf->probe_timeout_ms)
		conf->probe_timeout_ms = SD_PROBE_TIMEOUT_MS;
	if (!conf->batch)
		conf->batch = SD_BATCH_DEFAULT;
	for (i = 0; i < conf->n_svcs; i++) {
		struct sd_svc_conf *sc = &conf->svcs[i];

		if (!sc->probe_interval_ms)
			sc->probe_interval_ms = conf->probe_interval_ms;
		if (!sc->probe_timeout_ms)
			sc->probe_timeout_ms = conf->probe_timeout_ms;
	}
	return conf->n_errs;
}

void sd_conf_print_errors(const struct sd_conf *conf, FILE *fp)
{
	size_t i;

	for (i = 0; i < conf->n_errs; i++)
		fprintf(fp, "%s\n", conf->errs[i]);
}
