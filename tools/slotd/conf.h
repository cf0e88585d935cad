/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conf.h - slotd's configuration: the file, and -s arguments
 *
 * A struct sd_conf is built by any number of sd_conf_parse() and
 * sd_conf_arg() calls, then checked as a whole by sd_conf_finish(). Every
 * error is kept as a line of text, "FILE:LINE: message" for the file and
 * "-s SPEC: message" for arguments, in the order found; a configuration
 * with errors is not used.
 */
#ifndef SD_CONF_H
#define SD_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "slotsvc.h"

#define SD_CONF_DEFAULT		"/etc/slotfilter/slotd.conf"

#define SD_PROBE_INTERVAL_MS	1000
#define SD_PROBE_TIMEOUT_MS	3000
#define SD_BATCH_DEFAULT	64

enum sd_target {
	SD_TARGET_BUILTIN,
	SD_TARGET_UNIX,
};

/* An option a built-in kind takes: KEY=VALUE (or KEY alone: VALUE ""). */
struct sd_opt {
	char *key;
	char *val;
};

struct sd_svc_conf {
	char name[SLOTSVC_NAME_MAX];
	enum sd_target target;
	char *kind;			/* SD_TARGET_BUILTIN */
	char *path;			/* SD_TARGET_UNIX */
	uint32_t probe_interval_ms;	/* 0 until sd_conf_finish() */
	uint32_t probe_timeout_ms;
	uint32_t max_inflight;		/* 0: the service says */
	bool gso;			/* accept GSO packets whole */
	struct sd_opt *opts;		/* the built-in kind's options */
	size_t n_opts;
	char *where;			/* "FILE:LINE" or "-s SPEC" */
};

struct sd_conf {
	uint32_t probe_interval_ms;
	uint32_t probe_timeout_ms;
	uint32_t batch;			/* verdicts in one kernel message */
	struct sd_svc_conf *svcs;
	size_t n_svcs;
	char **errs;
	size_t n_errs;
};

void sd_conf_init(struct sd_conf *conf);
void sd_conf_free(struct sd_conf *conf);
int sd_conf_parse(struct sd_conf *conf, const char *file, const char *text);
int sd_conf_load(struct sd_conf *conf, const char *path);
int sd_conf_arg(struct sd_conf *conf, const char *spec);
int sd_conf_finish(struct sd_conf *conf);
void sd_conf_print_errors(const struct sd_conf *conf, FILE *fp);

const struct sd_svc_conf *sd_conf_find(const struct sd_conf *conf,
				       const char *name);
const char *sd_svc_conf_opt(const struct sd_svc_conf *sc, const char *key);
bool sd_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
/* Whether a service may keep running across a reload from @a to @b. */
bool sd_svc_conf_same_target(const struct sd_svc_conf *a,
			     const struct sd_svc_conf *b);
int sd_svc_conf_copy(struct sd_svc_conf *dst, const struct sd_svc_conf *src);
void sd_svc_conf_free(struct sd_svc_conf *sc);

#endif /* SD_CONF_H */
