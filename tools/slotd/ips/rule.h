/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rule.h - the IPS rules: a subset of the Suricata/Snort rule language
 *
 *	ACTION PROTO SRC SPORT DIR DST DPORT (OPTION; ...)
 *
 * ACTION alert|drop|reject|pass; PROTO tcp|udp|icmp|ip (http: tcp); SRC,
 * DST addresses and SPORT, DPORT ports (any, negation "!", lists "[..]",
 * CIDR prefixes, port ranges "lo:hi", variables "$NAME"); DIR "->" or
 * "<>". The options and the variables are described in rule.c. A rules
 * file holds rules, "var"/"ipvar"/"portvar" lines, comments ("#") and
 * blank lines; a line ending in "\" goes on on the next one.
 *
 * Loading a file never fails as a whole: a bad rule (or variable) is
 * reported as "FILE:LINE: reason", where LINE is the rule's first line,
 * and left out; the good ones load.
 */
#ifndef IPS_RULE_H
#define IPS_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ips_action { IPS_A_ALERT, IPS_A_DROP, IPS_A_REJECT, IPS_A_PASS };
enum ips_proto { IPS_P_IP, IPS_P_TCP, IPS_P_UDP, IPS_P_ICMP };

/* One element of an address list: a prefix, maybe negated. */
struct ips_cidr {
	uint8_t family;			/* AF_INET, AF_INET6 */
	uint8_t plen;
	bool neg;
	uint8_t addr[16];
};

/* A list matches when some positive element does (or there is none:
 * "any") and no negated one does. */
struct ips_addrs {
	struct ips_cidr *v;
	unsigned int n;
};

struct ips_prange {
	uint16_t lo, hi;
	bool neg;
};

struct ips_ports {
	struct ips_prange *v;
	unsigned int n;
};

struct ips_content {
	uint8_t *bytes;
	uint32_t len;
	bool nocase;
	bool relative;			/* distance or within given */
	bool has_depth, has_within;
	uint32_t offset, depth, within;
	int32_t distance;
	unsigned int pat;		/* the matcher's pattern id */
};

struct ips_pcre {
	void *code;			/* pcre2_code */
	bool neg;
};

#define IPS_FLOW_TO_SERVER	(1U << 0)
#define IPS_FLOW_TO_CLIENT	(1U << 1)
#define IPS_FLOW_ESTABLISHED	(1U << 2)
#define IPS_FLOW_STATELESS	(1U << 3)

enum ips_thr_type {
	IPS_THR_NONE,
	IPS_THR_LIMIT,			/* threshold: the first COUNT per period */
	IPS_THR_THRESHOLD,		/* threshold: every COUNT-th */
	IPS_THR_BOTH,			/* threshold: once, at the COUNT-th */
	IPS_THR_FILTER,			/* detection_filter: after the COUNT-th */
};

struct ips_thresh {
	enum ips_thr_type type;
	bool by_dst;			/* track by_dst, else by_src */
	uint32_t count;
	uint32_t seconds;
};

struct ips_rule {
	enum ips_action action;
	enum ips_proto proto;
	bool bidir;			/* "<>" */
	struct ips_addrs src, dst;
	struct ips_ports sport, dport;
	char *msg;
	char *classtype;		/* NULL: none */
	const char *category;		/* the classtype's description, or "" */
	uint32_t sid, rev, priority;	/* priority: severity in alerts */
	unsigned int flow;		/* IPS_FLOW_* */
	struct ips_content *contents;
	unsigned int n_contents;
	struct ips_pcre *pcres;
	unsigned int n_pcres;
	struct ips_thresh threshold;	/* alerts only */
	struct ips_thresh filter;	/* detection_filter: the rule itself */
	unsigned int line;
};

struct ips_var {
	char *name;
	char *val;
	bool port;			/* a port list, else addresses */
};

struct ips_rules {
	struct ips_rule *v;
	unsigned int n;
	unsigned int rejected;		/* rules left out */
	char **errs;			/* "FILE:LINE: reason" */
	unsigned int n_errs;
	struct ips_var *vars;
	unsigned int n_vars;
};

void ips_rules_init(struct ips_rules *rs);
void ips_rules_free(struct ips_rules *rs);
/* Add the rules of @text (named @file in errors); 0, or -ENOMEM. */
int ips_rules_parse(struct ips_rules *rs, const char *file, const char *text);
/* The same from a file; -errno when it cannot be read (also in errs). */
int ips_rules_load(struct ips_rules *rs, const char *path);

const char *ips_action_name(enum ips_action a);
const char *ips_proto_name(enum ips_proto p);

#endif /* IPS_RULE_H */
