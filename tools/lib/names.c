// SPDX-License-Identifier: GPL-2.0
/*
 * names.c - enum slotfilter_* <-> words, one table per enum
 *
 * A value this program does not know (from a newer kernel) is "unknown".
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <linux/slotfilter.h>

#include "names.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const dir_names[] = {
	[SLOTFILTER_DIR_INGRESS]	= "ingress",
	[SLOTFILTER_DIR_EGRESS]		= "egress",
};

static const char *const filter_names[] = {
	[SLOTFILTER_FILTER_NONE]	= "none",
	[SLOTFILTER_FILTER_FIREWALL]	= "firewall",
	[SLOTFILTER_FILTER_SERVICE]	= "service",
};

static const char *const action_names[] = {
	[SLOTFILTER_ACTION_ALLOW]	= "allow",
	[SLOTFILTER_ACTION_DROP]	= "drop",
	[SLOTFILTER_ACTION_REJECT]	= "reject",
	[SLOTFILTER_ACTION_REDIRECT]	= "redirect",
	[SLOTFILTER_ACTION_SKIP]	= "skip",
};

static const char *const fail_names[] = {
	[SLOTFILTER_FAIL_OPEN]		= "open",
	[SLOTFILTER_FAIL_CLOSED]	= "closed",
};

static const char *const service_state_names[] = {
	[SLOTFILTER_SERVICE_NO_HELPER]	= "no-helper",
	[SLOTFILTER_SERVICE_UP]		= "up",
	[SLOTFILTER_SERVICE_FAILING]	= "failing",
};

static const char *const service_cause_names[] = {
	[SLOTFILTER_CAUSE_ADDED]	= "added",
	[SLOTFILTER_CAUSE_DELETED]	= "deleted",
	[SLOTFILTER_CAUSE_MOVED]	= "moved",
	[SLOTFILTER_CAUSE_BOUND]	= "bound",
	[SLOTFILTER_CAUSE_HELPER_GONE]	= "helper-gone",
	[SLOTFILTER_CAUSE_HEALTH]	= "health",
};

/* Counters of a service, as show prints them (and JSON keys). */
static const char *const service_stat_names[] = {
	[SLOTFILTER_STAT_REDIRECTED]	= "redirected",
	[SLOTFILTER_STAT_CONTINUED]	= "continued",
	[SLOTFILTER_STAT_DROPPED]	= "dropped",
	[SLOTFILTER_STAT_TIMED_OUT]	= "timed-out",
	[SLOTFILTER_STAT_FAILED_OPEN]	= "failed-open",
	[SLOTFILTER_STAT_FAILED_CLOSED]	= "failed-closed",
	[SLOTFILTER_STAT_NO_HELPER]	= "no-helper",
	[SLOTFILTER_STAT_QUEUE_FULL]	= "queue-full",
	[SLOTFILTER_STAT_DEADLINE]	= "deadline",
	[SLOTFILTER_STAT_HELPER_GONE]	= "helper-gone",
	[SLOTFILTER_STAT_FAILING]	= "failing",
	[SLOTFILTER_STAT_FLOW_CONTINUED]	= "flow-continued",
	[SLOTFILTER_STAT_FLOW_DROPPED]	= "flow-dropped",
	[SLOTFILTER_STAT_LATE]		= "late",
	[SLOTFILTER_STAT_REWRITTEN]	= "rewritten",
	[SLOTFILTER_STAT_TEARDOWN]	= "teardown",
};

static const char *const rule_dir_names[] = {
	[SLOTFILTER_RULE_DIR_ANY]	= "any",
	[SLOTFILTER_RULE_DIR_INGRESS]	= "ingress",
	[SLOTFILTER_RULE_DIR_EGRESS]	= "egress",
};

static const char *const timeout_names[] = {
	[SLOTFILTER_TIMEOUT_TCP_SYN]		= "tcp-syn",
	[SLOTFILTER_TIMEOUT_TCP_ESTABLISHED]	= "tcp-established",
	[SLOTFILTER_TIMEOUT_TCP_FIN]		= "tcp-fin",
	[SLOTFILTER_TIMEOUT_TCP_CLOSE]		= "tcp-close",
	[SLOTFILTER_TIMEOUT_UDP]		= "udp",
	[SLOTFILTER_TIMEOUT_ICMP]		= "icmp",
	[SLOTFILTER_TIMEOUT_OTHER]		= "other",
};

static const char *const tcp_state_names[] = {
	[SLOTFILTER_TCP_NONE]		= "none",
	[SLOTFILTER_TCP_SYN_SENT]	= "syn-sent",
	[SLOTFILTER_TCP_SYN_RECV]	= "syn-recv",
	[SLOTFILTER_TCP_ESTABLISHED]	= "established",
	[SLOTFILTER_TCP_FIN_WAIT]	= "fin-wait",
	[SLOTFILTER_TCP_TIME_WAIT]	= "time-wait",
	[SLOTFILTER_TCP_CLOSE]		= "close",
	[SLOTFILTER_TCP_MIDSTREAM]	= "midstream",
};

static const char *const proto_names[] = {
	[IPPROTO_ICMP]		= "icmp",
	[IPPROTO_TCP]		= "tcp",
	[IPPROTO_UDP]		= "udp",
	[IPPROTO_ICMPV6]	= "icmpv6",
	[IPPROTO_SCTP]		= "sctp",
	[IPPROTO_UDPLITE]	= "udplite",
};

static const char *name_of(const char *const *names, unsigned int n,
			   unsigned int value)
{
	return value < n && names[value] ? names[value] : "unknown";
}

static int value_of(const char *const *names, unsigned int n,
		    const char *word)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (names[i] && !strcmp(names[i], word))
			return i;
	}
	return -1;
}

#define NAME_OF(table, v)	name_of(table, ARRAY_SIZE(table), v)
#define VALUE_OF(table, w)	value_of(table, ARRAY_SIZE(table), w)

const char *sf_dir_name(unsigned int dir)
{
	return NAME_OF(dir_names, dir);
}

const char *sf_filter_name(unsigned int kind)
{
	return NAME_OF(filter_names, kind);
}

const char *sf_action_name(unsigned int action)
{
	return NAME_OF(action_names, action);
}

const char *sf_rule_dir_name(unsigned int dir)
{
	return NAME_OF(rule_dir_names, dir);
}

const char *sf_timeout_name(unsigned int timeout)
{
	return NAME_OF(timeout_names, timeout);
}

const char *sf_tcp_state_name(unsigned int state)
{
	return NAME_OF(tcp_state_names, state);
}

const char *sf_fail_name(unsigned int policy)
{
	return NAME_OF(fail_names, policy);
}

const char *sf_service_state_name(unsigned int state)
{
	return NAME_OF(service_state_names, state);
}

const char *sf_service_cause_name(unsigned int cause)
{
	return NAME_OF(service_cause_names, cause);
}

const char *sf_service_stat_name(unsigned int stat)
{
	return NAME_OF(service_stat_names, stat);
}

int sf_fail_parse(const char *word)
{
	return VALUE_OF(fail_names, word);
}

int sf_action_parse(const char *word)
{
	return VALUE_OF(action_names, word);
}

int sf_rule_dir_parse(const char *word)
{
	return VALUE_OF(rule_dir_names, word);
}

int sf_timeout_parse(const char *word)
{
	return VALUE_OF(timeout_names, word);
}

const char *sf_proto_name(unsigned int proto)
{
	return proto < ARRAY_SIZE(proto_names) ? proto_names[proto] : NULL;
}

int sf_proto_parse(const char *word)
{
	int proto = VALUE_OF(proto_names, word);
	unsigned long n;
	char *end;

	if (proto >= 0)
		return proto;
	if (*word < '0' || *word > '9')
		return -1;
	n = strtoul(word, &end, 10);
	return *end || n > 255 ? -1 : (int)n;
}
