/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SF_PORT_H
#define _SF_PORT_H

#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include "chain.h"

struct sf_net;

struct sf_port {
	struct net_device *dev;		/* no reference: we detach first */
	u32 ifindex;
	u64 tags;			/* tag ids; READ_ONCE on the packet path */
	u8 ntags;
	u8 tag_ids[SLOTFILTER_PORT_TAGS_MAX];	/* in the order added */
	struct sf_chain __rcu *chain[SLOTFILTER_DIR_COUNT];
	struct sf_port_stats __percpu *stats;
	struct nf_hook_ops ops[SLOTFILTER_DIR_COUNT];
	struct rcu_head rcu;
};

/* A chain prepared for one port and direction, published later. */
struct sf_chain_change {
	struct sf_port *port;
	enum slotfilter_direction dir;
	struct sf_chain *chain;
};

struct sf_port *sf_port_find(const struct net *net, u32 ifindex);
int sf_port_attach(struct net *net, u32 ifindex,
		   struct netlink_ext_ack *extack);
int sf_port_detach(struct net *net, u32 ifindex,
		   struct netlink_ext_ack *extack);
int sf_port_tag(struct net *net, u32 ifindex, const char *name, bool add,
		struct netlink_ext_ack *extack);
int sf_ports_prepare(struct sf_net *sn, int clear, unsigned int slot,
		     struct sf_filter *f, struct sf_chain_change **changes,
		     unsigned int *n);
void sf_ports_commit(struct sf_chain_change *changes, unsigned int n);
void sf_ports_net_exit(struct sf_net *sn);
void sf_inject(struct sk_buff *skb, enum slotfilter_direction dir,
	       unsigned int slot);

int sf_port_init(void);
void sf_port_exit(void);

#endif /* _SF_PORT_H */
