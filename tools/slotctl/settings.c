// SPDX-License-Identifier: GPL-2.0
/*
 * settings.c - the firewall's settings as words, read and written
 *
 *	default allow|drop
 *	option tcp-strict on|off
 *	option non-ip allow|drop
 *	option existing-flows keep|reevaluate
 *	timeout tcp-syn|tcp-established|tcp-fin|tcp-close|udp|icmp|other SECONDS
 *	flow-max N
 *
 * The same words follow "slotctl fw" on the command line and "firewall" in
 * a file; setting_parse() reads one, setting_write() writes all of them.
 */
#include <string.h>

#include <linux/slotfilter.h>

#include "fwmsg.h"
#include "names.h"
#include "slotctl.h"

#define TIMEOUT_MAX	(10 * 24 * 3600)	/* 10 days */
#define FLOW_MAX_MAX	16777216

struct option_word {
	const char *name;
	uint32_t flag;
	const char *words[3];	/* flag clear, flag set */
};

static const struct option_word options[] = {
	{ "tcp-strict",     SLOTFILTER_FW_F_TCP_STRICT, { "off", "on" } },
	{ "non-ip",	    SLOTFILTER_FW_F_NONIP_DROP, { "allow", "drop" } },
	{ "existing-flows", SLOTFILTER_FW_F_REEVALUATE, { "keep", "reevaluate" } },
	{ }
};

static const char *const default_words[] = { "allow", "drop", NULL };

static int missing(int argc, char **argv, struct parse_err *e)
{
	e->word = argc;
	return parse_errf(e, "missing argument after \"%s\"", argv[argc - 1]);
}

static int fail(int word, struct parse_err *e)
{
	e->word = word;
	return -1;
}

static int parse_option(int argc, char **argv, struct sf_fw *fw,
			struct parse_err *e)
{
	static const char *const names[] = {
		"tcp-strict", "non-ip", "existing-flows", NULL
	};
	const struct option_word *o;
	int i, v;

	if (argc < 2)
		return missing(argc, argv, e);
	i = word_choice(argv[1], "option", names, e);
	if (i < 0)
		return fail(1, e);
	o = &options[i];
	if (argc < 3)
		return missing(argc, argv, e);
	v = word_choice(argv[2], o->name, o->words, e);
	if (v < 0)
		return fail(2, e);
	fw->flags = v ? fw->flags | o->flag : fw->flags & ~o->flag;
	if (argc > 3) {
		parse_errf(e, "unexpected word \"%.64s\"", argv[3]);
		return fail(3, e);
	}
	return SETTING_OPTION + i;
}

static int parse_timeout(int argc, char **argv, struct sf_fw *fw,
			 struct parse_err *e)
{
	static const char *const names[] = {
		"tcp-syn", "tcp-established", "tcp-fin", "tcp-close", "udp",
		"icmp", "other", NULL
	};
	uint32_t secs;
	int t;

	if (argc < 2)
		return missing(argc, argv, e);
	if (word_choice(argv[1], "timeout", names, e) < 0)
		return fail(1, e);
	t = sf_timeout_parse(argv[1]);
	if (argc < 3)
		return missing(argc, argv, e);
	if (word_u32(argv[2], "timeout", 1, TIMEOUT_MAX, &secs, e))
		return fail(2, e);
	fw->timeouts[t] = secs;
	if (argc > 3) {
		parse_errf(e, "unexpected word \"%.64s\"", argv[3]);
		return fail(3, e);
	}
	return SETTING_TIMEOUT + t;
}

/*
 * Parse one setting from @argv into @fw. Returns which one (enum
 * setting, so that a file can tell when one is given twice) or -1.
 */
int setting_parse(int argc, char **argv, struct sf_fw *fw,
		  struct parse_err *e)
{
	static const char *const kws[] = {
		"default", "option", "timeout", "flow-max", NULL
	};
	uint32_t n;
	int kw, v;

	memset(e, 0, sizeof(*e));
	if (argc < 1) {
		parse_errf(e, "missing setting (default, option, timeout or flow-max)");
		return -1;
	}
	kw = word_choice(argv[0], "firewall setting", kws, e);
	if (kw < 0)
		return fail(0, e);
	if (kw == 1)
		return parse_option(argc, argv, fw, e);
	if (kw == 2)
		return parse_timeout(argc, argv, fw, e);
	if (argc < 2)
		return missing(argc, argv, e);
	if (kw == 0) {
		v = word_choice(argv[1], "default action", default_words, e);
		if (v < 0)
			return fail(1, e);
		fw->def = v ? SLOTFILTER_ACTION_DROP : SLOTFILTER_ACTION_ALLOW;
	} else {
		if (word_u32(argv[1], "flow-max", 1, FLOW_MAX_MAX, &n, e))
			return fail(1, e);
		fw->flow_max = n;
	}
	if (argc > 2) {
		parse_errf(e, "unexpected word \"%.64s\"", argv[2]);
		return fail(2, e);
	}
	return kw == 0 ? SETTING_DEFAULT : SETTING_FLOW_MAX;
}

/* Every setting of @fw, one line each, each line starting with @prefix. */
void setting_write(FILE *fp, const char *prefix, const struct sf_fw *fw)
{
	const struct option_word *o;
	unsigned int t;

	fprintf(fp, "%sdefault %s\n", prefix,
		fw->def == SLOTFILTER_ACTION_DROP ? "drop" : "allow");
	for (o = options; o->name; o++)
		fprintf(fp, "%soption %s %s\n", prefix, o->name,
			o->words[!!(fw->flags & o->flag)]);
	for (t = 1; t <= SLOTFILTER_TIMEOUT_MAX; t++) {
		if (fw->timeouts[t])
			fprintf(fp, "%stimeout %s %u\n", prefix,
				sf_timeout_name(t), fw->timeouts[t]);
	}
	if (fw->flow_max)
		fprintf(fp, "%sflow-max %u\n", prefix, fw->flow_max);
}

/* The word for an option of @fw: "on", "drop", "keep"... */
const char *setting_option_word(const struct sf_fw *fw, unsigned int i)
{
	return options[i].words[!!(fw->flags & options[i].flag)];
}
