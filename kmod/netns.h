/* SPDX-License-Identifier: GPL-2.0 */
/* Everything slotfilter keeps per network namespace. */
#ifndef _SF_NETNS_H
#define _SF_NETNS_H

#include <linux/list.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include "fw.h"
#include "ruleset.h"
#include "tag.h"

/* Configuration is guarded by RTNL; the packet path reads under RCU. */
struct sf_net {
	struct net *net;
	struct xarray ports;		/* ifindex -> struct sf_port */
	struct sf_tags tags;
	struct list_head sets;		/* struct sf_set */
	struct sf_fw fw;
	struct sf_service __rcu *services[SF_SERVICES_MAX];	/* by id */
};

struct sf_service;

struct sf_net *sf_net(const struct net *net);

int sf_netns_init(void);
void sf_netns_exit(void);

#endif /* _SF_NETNS_H */
