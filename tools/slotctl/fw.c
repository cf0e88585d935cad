// SPDX-License-Identifier: GPL-2.0
/*
 * fw.c - slotctl fw: the firewall at slot 2
 *
 * SYNOPSIS
 *	slotctl [-s] [-j [-p]] fw [show]
 *	slotctl fw rule add|del|show ...	(fwrule.c)
 *	slotctl fw set add|del|show ...		(fwset.c)
 *	slotctl fw flows [dev IFNAME]		(flows.c)
 *	slotctl fw default allow|drop
 *	slotctl fw option tcp-strict on|off
 *	slotctl fw option non-ip allow|drop
 *	slotctl fw option existing-flows keep|reevaluate
 *	slotctl fw timeout NAME SECONDS
 *	slotctl fw flow-max N
 *	slotctl fw counters reset [rule ID]
 *
 * A setting is changed by reading the whole ruleset and replacing it with
 * the setting changed (ruleset.c): if another commit comes in between, the
 * kernel refuses with -EBUSY and its message, and nothing changes. The
 * words of a setting are those of a "firewall" line in a file
 * (settings.c). Commands that change something print nothing.
 */
#include <string.h>

#include <linux/slotfilter.h>

#include "fwmsg.h"
#include "slotctl.h"

void fw_usage(FILE *fp)
{
	fputs("Usage: slotctl [ -s ] [ -j [ -p ] ] fw [ show ]\n"
	      "       slotctl fw rule add ID ACTION [ RULEWORDS ] [ before ID | after ID ]\n"
	      "       slotctl fw rule del ID\n"
	      "       slotctl [ -s ] [ -j [ -p ] ] fw rule show\n"
	      "       slotctl fw set add NAME [ PREFIX... ]\n"
	      "       slotctl fw set del NAME [ PREFIX... ]\n"
	      "       slotctl [ -j [ -p ] ] fw set show [ NAME ]\n"
	      "       slotctl [ -j [ -p ] ] fw flows [ dev IFNAME ]\n"
	      "       slotctl fw default { allow | drop }\n"
	      "       slotctl fw option { tcp-strict { on | off } | non-ip { allow | drop } |\n"
	      "                           existing-flows { keep | reevaluate } }\n"
	      "       slotctl fw timeout NAME SECONDS\n"
	      "       slotctl fw flow-max N\n"
	      "       slotctl fw counters reset [ rule ID ]\n"
	      "       slotctl fw help\n"
	      "where  ACTION := { allow | drop | reject }\n"
	      "       RULEWORDS := [ dir { ingress | egress | any } ]\n"
	      "                    [ applied-to { all | port IFNAME[,IFNAME...] | tag NAME[,NAME...] } ]\n"
	      "                    [ src { PREFIX | @SET } ] [ dst { PREFIX | @SET } ]\n"
	      "                    [ proto { tcp | udp | icmp | icmpv6 | sctp | udplite | NUMBER } ]\n"
	      "                    [ sport N[-M] ] [ dport N[-M] ]\n"
	      "                    [ icmp-type N ] [ icmp-code N ] [ log ]\n"
	      "       NAME := { tcp-syn | tcp-established | tcp-fin | tcp-close | udp | icmp | other }\n",
	      fp);
}

/* default, option, timeout, flow-max: argv[-1] is the setting's word. */
static int fw_setting(int argc, char **argv)
{
	struct sf_ruleset rs;
	struct parse_err e;
	struct sf_fw want;
	int ret;

	/* check the words before asking the kernel anything */
	memset(&want, 0, sizeof(want));
	if (setting_parse(argc + 1, argv - 1, &want, &e) < 0)
		cli_parse_error(&e);
	ret = ruleset_read(&rs);
	if (!ret) {
		setting_parse(argc + 1, argv - 1, &rs.fw, &e);
		ret = ruleset_commit(&rs, NULL, NULL);
	}
	sf_ruleset_free(&rs);
	return ret;
}

static int fw_setting_cmd(int argc, char **argv,
			  const struct slotctl_opts *opts)
{
	(void)opts;
	return fw_setting(argc, argv);
}

static int fw_counters(int argc, char **argv, const struct slotctl_opts *opts)
{
	struct nlmsghdr *nlh;
	struct parse_err e;
	uint32_t id = 0;

	(void)opts;
	if (argc < 1)
		usage_error("missing counters command");
	if (strcmp(*argv, "reset"))
		usage_error("unknown counters command \"%s\"", *argv);
	argc--;
	argv++;
	if (argc > 0) {
		if (strcmp(*argv, "rule"))
			usage_error("unexpected argument \"%s\"", *argv);
		NEXT_ARG();
		if (word_u32(*argv, "rule id", 1, UINT32_MAX, &id, &e))
			cli_parse_error(&e);
		no_more_args(argc - 1, argv + 1);
	}
	nlh = slotctl_request(SLOTFILTER_CMD_FW_RESET, 0);
	if (id)
		mnl_attr_put_u32(nlh, SLOTFILTER_FW_A_RULE_ID, id);
	return slotctl_talk(nlh, NULL, NULL);
}

static int fw_help(int argc, char **argv, const struct slotctl_opts *opts)
{
	(void)opts;
	no_more_args(argc, argv);
	fw_usage(stdout);
	return 0;
}

static const struct cmd fw_cmds[] = {
	{ "show",	fw_show,	NULL },
	{ "rule",	fw_rule,	NULL },
	{ "set",	fw_set,		NULL },
	{ "flows",	fw_flows,	NULL },
	{ "default",	fw_setting_cmd,	NULL },
	{ "option",	fw_setting_cmd,	NULL },
	{ "timeout",	fw_setting_cmd,	NULL },
	{ "flow-max",	fw_setting_cmd,	NULL },
	{ "counters",	fw_counters,	NULL },
	{ "help",	fw_help,	NULL },
	{ }
};

int do_fw(int argc, char **argv, const struct slotctl_opts *opts)
{
	if (argc < 1)
		return fw_show(0, NULL, opts);
	return run_cmd(fw_cmds, "fw", argc, argv, opts);
}
