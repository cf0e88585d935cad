/* SPDX-License-Identifier: GPL-2.0 */
/* Named address sets: prefixes that firewall rules match by name. */
#ifndef _SF_SET_H
#define _SF_SET_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/netlink.h>
#include <linux/refcount.h>
#include <linux/slotfilter.h>

/* An IPv4 or IPv6 prefix; IPv4 as IPv4-mapped, plen counted over 128. */
struct sf_prefix {
	struct in6_addr addr;
	u8 plen;
};

struct sf_u128 {
	u64 hi, lo;
};

struct sf_range {
	struct sf_u128 first, last;
};

/* The elements of a set: immutable, replaced whole under RCU. */
struct sf_set_data {
	struct rcu_head rcu;
	u32 nelems, nranges;
	struct sf_prefix *elems;	/* sorted, IPv4 first */
	struct sf_range *ranges;	/* sorted, disjoint: for lookups */
};

struct sf_set {
	struct list_head list;		/* in sf_net.sets, RTNL */
	char name[SLOTFILTER_NAME_MAX];
	u32 users;			/* rules of the ruleset using it, RTNL */
	refcount_t ref;			/* the list and every ruleset using it */
	struct sf_set_data __rcu *data;
};

struct sf_net;

bool sf_set_contains(const struct sf_set *set, const struct in6_addr *addr);
struct sf_set *sf_set_find(struct sf_net *sn, const char *name);
void sf_set_put(struct sf_set *set);
int sf_set_add(struct sf_net *sn, const char *name,
	       const struct sf_prefix *elems, u32 n,
	       struct netlink_ext_ack *extack);
int sf_set_del(struct sf_net *sn, const char *name,
	       struct netlink_ext_ack *extack);
int sf_set_change(struct sf_set *set, const struct sf_prefix *elems, u32 n,
		  bool add, struct netlink_ext_ack *extack);
void sf_set_flush(struct sf_net *sn);

int sf_prefix_parse(struct nlattr **tb, const struct nlattr *nest,
		    struct sf_prefix *p, struct netlink_ext_ack *extack);

#endif /* _SF_SET_H */
