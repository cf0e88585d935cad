/* SPDX-License-Identifier: GPL-2.0 */
/* The firewall's compiled ruleset: immutable, replaced whole under RCU. */
#ifndef _SF_RULESET_H
#define _SF_RULESET_H

#include <linux/netlink.h>
#include <linux/slotfilter.h>
#include "packet.h"
#include "set.h"

#define SF_SERVICES_MAX	(SLOTFILTER_SLOT_SERVICE_LAST - SLOTFILTER_SLOT_SERVICE_FIRST + 1)

struct sf_net;

enum sf_addr_kind {
	SF_ADDR_ANY,
	SF_ADDR_PREFIX,
	SF_ADDR_SET,
};

struct sf_rule_addr {
	u8 kind;
	u8 plen;			/* over 128 bits */
	struct in6_addr addr;		/* masked */
	struct sf_set *set;
};

struct sf_rule_stats {
	u64 packets, bytes, flows;
	unsigned long last_hit;		/* jiffies, 0: never */
};

struct sf_rule_totals {
	u64 packets, bytes, flows;
	unsigned long last_hit;
};

#define SF_RULE_PROTO		BIT(0)
#define SF_RULE_LOG		BIT(1)
#define SF_RULE_ALL_PORTS	BIT(2)
#define SF_RULE_ICMP_TYPE	BIT(3)
#define SF_RULE_ICMP_CODE	BIT(4)

struct sf_rule {
	u32 id;
	u8 action;
	u8 dir;				/* enum slotfilter_rule_dir */
	u8 family;			/* 0: both */
	u8 proto;
	u8 flags;			/* SF_RULE_* */
	u8 icmp_type, icmp_code;
	u16 sport[2], dport[2];		/* inclusive, host order */
	struct sf_rule_addr src, dst;
	u64 tags;			/* applied-to tags */
	u32 *ifindex;			/* applied-to ports, sorted */
	u32 nifindex;
	struct nlattr *conf;		/* the rule as configured, for dumps */
	struct sf_rule_stats __percpu *stats;
	struct sf_rule_totals carried;	/* from the ruleset before */
};

struct sf_tuple;

struct sf_ruleset {
	struct rcu_head rcu;
	u32 gen;
	u8 def;				/* the default action */
	u32 flags;			/* SLOTFILTER_FW_F_* */
	u32 timeout[__SLOTFILTER_TIMEOUT_MAX];
	u32 flow_max;
	u32 nrules;
	struct sf_rule *rules;
	u32 ntuples;
	struct sf_tuple *tuples;
	void __percpu **stat_chunks;
	u32 nchunks;
	u64 tagrefs;			/* tag ids this ruleset holds */
	size_t mem;			/* bytes, for FW_GET */
	u32 hash_seed;
	/* Redirect rules, by service id; NULL: none for that service. */
	struct sf_ruleset *redirect[SF_SERVICES_MAX];
};

/* What a packet is matched with, besides its headers. */
struct sf_match_ctx {
	const struct sf_pktinfo *pi;
	u32 ifindex;
	u64 port_tags;
	u8 rule_dir;			/* the packet's, as a rule direction */
};

struct sf_ruleset *sf_ruleset_build(struct sf_net *sn, struct nlattr **tb,
				    const struct nlmsghdr *nlh,
				    struct netlink_ext_ack *extack);
void sf_ruleset_free(struct sf_net *sn, struct sf_ruleset *rs);
void sf_ruleset_free_rcu(struct sf_ruleset *rs);
bool sf_ruleset_trivial(const struct sf_ruleset *rs);
const struct sf_rule *sf_classify(const struct sf_ruleset *rs,
				  const struct sf_match_ctx *ctx);
void sf_rule_count(const struct sf_rule *rule, unsigned int len, bool flow);
void sf_rule_totals(const struct sf_rule *rule, struct sf_rule_totals *t);
void sf_rule_reset(struct sf_rule *rule);
void sf_ruleset_carry(struct sf_ruleset *rs, const struct sf_ruleset *old);
const struct sf_rule *sf_ruleset_find(const struct sf_ruleset *rs, u32 id);

#endif /* _SF_RULESET_H */
