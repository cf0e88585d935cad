// SPDX-License-Identifier: GPL-2.0
/*
 * svcwords.c - a service's words, read and written
 *
 * One grammar for "slotctl service add|set" and for "service" lines of the
 * files "slotctl apply" reads and "slotctl save" writes:
 *
 *	NAME [slot 4-11] [failure-policy open|closed] [timeout 1-60000]
 *	     [queue-max 1-65536] [copy full|1-4294967295]
 *
 * The keywords follow the name in any order, each at most once.
 * service_write() prints every one of them in the order above, so that
 * service_parse() reads it back to the same service.
 */
#include <string.h>

#include "names.h"
#include "slotctl.h"
#include "svcmsg.h"

static const struct {
	const char *word;
	unsigned int opt;
} svc_kws[] = {
	{ "slot",		SF_SVC_SLOT },
	{ "failure-policy",	SF_SVC_POLICY },
	{ "timeout",		SF_SVC_TIMEOUT },
	{ "queue-max",		SF_SVC_QUEUE_MAX },
	{ "copy",		SF_SVC_COPY },
};

static const char *const policy_words[] = { "open", "closed", NULL };

static int fail(struct parse_err *e, int word)
{
	e->word = word;
	return -1;
}

static int parse_value(struct sf_service *svc, unsigned int opt,
		       const char *w, struct parse_err *e)
{
	uint32_t v;
	int p;

	switch (opt) {
	case SF_SVC_SLOT:
		if (word_u32(w, "slot", SLOTFILTER_SLOT_SERVICE_FIRST,
			     SLOTFILTER_SLOT_SERVICE_LAST, &v, e))
			return -1;
		svc->slot = v;
		return 0;
	case SF_SVC_POLICY:
		p = word_choice(w, "failure-policy", policy_words, e);
		if (p < 0)
			return -1;
		svc->policy = p ? SLOTFILTER_FAIL_CLOSED : SLOTFILTER_FAIL_OPEN;
		return 0;
	case SF_SVC_TIMEOUT:
		return word_u32(w, "timeout", 1, SLOTFILTER_SERVICE_TIMEOUT_MAX,
				&svc->timeout, e);
	case SF_SVC_QUEUE_MAX:
		return word_u32(w, "queue-max", 1, SLOTFILTER_SERVICE_QUEUE_MAX,
				&svc->queue_max, e);
	case SF_SVC_COPY:
		if (!strcmp(w, "full")) {
			svc->copy = 0;
			return 0;
		}
		if (*w < '0' || *w > '9')
			return parse_errf(e, "invalid copy \"%.64s\" (full or a number of bytes)",
					  w);
		return word_u32(w, "copy", 1, UINT32_MAX, &svc->copy, e);
	}
	return -1;
}

/*
 * Parse "NAME [KEYWORD VALUE]..." into @svc, whose other fields are left
 * as they are (the caller's defaults, or nothing for "set"). Returns the
 * options given (enum sf_service_opt), or -1 with @e saying what and
 * which word (e->word == argc: something is missing at the end).
 */
int service_parse(int argc, char **argv, struct sf_service *svc,
		  struct parse_err *e)
{
	unsigned int given = 0, k;
	int i;

	memset(e, 0, sizeof(*e));
	if (argc < 1) {
		parse_errf(e, "missing service name");
		return fail(e, 0);
	}
	if (word_name(argv[0], "service", e))
		return fail(e, 0);
	strcpy(svc->name, argv[0]);
	for (i = 1; i < argc; i++) {
		for (k = 0; k < sizeof(svc_kws) / sizeof(svc_kws[0]); k++) {
			if (!strcmp(argv[i], svc_kws[k].word))
				break;
		}
		if (k == sizeof(svc_kws) / sizeof(svc_kws[0])) {
			parse_errf(e, "unknown service word \"%.64s\" (slot, failure-policy, timeout, queue-max or copy)",
				   argv[i]);
			return fail(e, i);
		}
		if (given & svc_kws[k].opt) {
			parse_errf(e, "\"%s\" given more than once", argv[i]);
			return fail(e, i);
		}
		if (i + 1 >= argc) {
			parse_errf(e, "missing argument after \"%s\"", argv[i]);
			return fail(e, argc);
		}
		given |= svc_kws[k].opt;
		i++;
		if (parse_value(svc, svc_kws[k].opt, argv[i], e))
			return fail(e, i);
	}
	return given;
}

/* NAME and every option, no newline. */
void service_write(FILE *fp, const struct sf_service *svc)
{
	fprintf(fp, "%s slot %u failure-policy %s timeout %u queue-max %u",
		svc->name, svc->slot, sf_fail_name(svc->policy),
		svc->timeout, svc->queue_max);
	if (svc->copy)
		fprintf(fp, " copy %u", svc->copy);
	else
		fputs(" copy full", fp);
}
