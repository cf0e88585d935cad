// SPDX-License-Identifier: GPL-2.0
/*
 * fwrule.c - slotctl fw rule: add, delete and list rules
 *
 * SYNOPSIS
 *	slotctl fw rule add ID ACTION [RULEWORDS] [before ID | after ID]
 *	slotctl fw rule del ID
 *	slotctl [-s] [-j [-p]] fw rule show
 *
 * The rule's words are rule.c's; a new rule goes last unless placed before
 * or after an existing one. Both changes read the ruleset, change it and
 * replace it with the generation read (ruleset.c), so a concurrent change
 * makes the kernel refuse (-EBUSY) rather than be lost. Device names in
 * applied-to are looked up here, in slotctl's network namespace; sets are
 * the kernel's to check.
 */
#include <net/if.h>
#include <string.h>

#include "fwmsg.h"
#include "slotctl.h"

static unsigned int cli_ifindex(const char *name, int word,
				unsigned int off, void *ctx)
{
	(void)word;
	(void)off;
	(void)ctx;
	return if_nametoindex(name);
}

static const struct rule_env cli_env = { cli_ifindex, NULL, NULL, NULL };

/* Where "before ID" / "after ID" puts the rule; rs->n: last. */
static int position(const struct sf_ruleset *rs, const char *where,
		    uint32_t id, size_t *pos)
{
	long i;

	if (!where) {
		*pos = rs->n;
		return 0;
	}
	i = sf_ruleset_find(rs, id);
	if (i < 0) {
		errorf("no rule %u to add a rule %s", id, where);
		return 1;
	}
	*pos = !strcmp(where, "after") ? (size_t)i + 1 : (size_t)i;
	return 0;
}

static int rule_add(int argc, char **argv, const struct slotctl_opts *opts)
{
	const char *where;
	struct sf_ruleset rs;
	struct parse_err e;
	struct sf_rule rule;
	uint32_t anchor = 0;
	size_t pos;
	int ret;

	(void)opts;
	where = take_placement(&argc, argv, &anchor);
	if (rule_parse(&rule, argc, argv, &cli_env, &e)) {
		sf_rule_free(&rule);
		rule_words_error(argc, argv, &e);
	}
	ret = ruleset_read(&rs);
	if (ret)
		goto out;
	if (sf_ruleset_find(&rs, rule.id) >= 0) {
		errorf("rule %u exists already", rule.id);
		ret = 1;
		goto out;
	}
	ret = position(&rs, where, anchor, &pos);
	if (ret)
		goto out;
	if (sf_ruleset_insert(&rs, pos, &rule)) {
		errorf("out of memory");
		ret = 1;
		goto out;
	}
	memset(&rule, 0, sizeof(rule));		/* the ruleset has it */
	ret = ruleset_commit(&rs, NULL, NULL);
out:
	sf_rule_free(&rule);
	sf_ruleset_free(&rs);
	return ret;
}

static int rule_del(int argc, char **argv, const struct slotctl_opts *opts)
{
	struct sf_ruleset rs;
	struct parse_err e;
	uint32_t id;
	long i;
	int ret;

	(void)opts;
	if (argc < 1)
		usage_error("missing rule id");
	if (word_u32(*argv, "rule id", 1, UINT32_MAX, &id, &e))
		cli_parse_error(&e);
	no_more_args(argc - 1, argv + 1);
	ret = ruleset_read(&rs);
	if (!ret) {
		i = sf_ruleset_find(&rs, id);
		if (i < 0) {
			errorf("no rule %u", id);
			ret = 1;
		} else {
			sf_ruleset_remove(&rs, i);
			ret = ruleset_commit(&rs, NULL, NULL);
		}
	}
	sf_ruleset_free(&rs);
	return ret;
}

static const struct cmd rule_cmds[] = {
	{ "add",	rule_add,	NULL },
	{ "del",	rule_del,	NULL },
	{ "show",	fw_rule_show,	NULL },
	{ }
};

int fw_rule(int argc, char **argv, const struct slotctl_opts *opts)
{
	if (argc < 1)
		return fw_rule_show(0, NULL, opts);
	return run_cmd(rule_cmds, "rule", argc, argv, opts);
}
