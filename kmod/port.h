/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SF_PORT_H
#define _SF_PORT_H

#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/xarray.h>
#include "chain.h"

struct sf_port {
	struct net_device *dev;		/* no reference: we detach first */
	u32 ifindex;
	struct sf_chain __rcu *chain[SLOTFILTER_DIR_COUNT];
	struct sf_port_stats __percpu *stats;
	struct nf_hook_ops ops[SLOTFILTER_DIR_COUNT];
	struct rcu_head rcu;
};

/* Per network namespace state. */
struct sf_net {
	struct xarray ports;		/* ifindex -> struct sf_port */
};

struct sf_net *sf_net(const struct net *net);
struct sf_port *sf_port_find(const struct net *net, u32 ifindex);
int sf_port_attach(struct net *net, u32 ifindex,
		   struct netlink_ext_ack *extack);
int sf_port_detach(struct net *net, u32 ifindex,
		   struct netlink_ext_ack *extack);
int sf_port_set_filter(struct sf_port *port, enum slotfilter_direction dir,
		       unsigned int slot, struct sf_filter *f);

int sf_port_init(void);
void sf_port_exit(void);

#endif /* _SF_PORT_H */
