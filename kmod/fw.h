/* SPDX-License-Identifier: GPL-2.0 */
/* Slot 2: the stateful firewall. */
#ifndef _SF_FW_H
#define _SF_FW_H

#include <linux/spinlock.h>
#include "filter.h"
#include "flow.h"

struct sf_ruleset;
struct sf_net;
struct sf_port;

/*
 * Log events: a token bucket per namespace (and one per service, for its
 * alerts), SF_LOG_RATE events a second in bursts of SF_LOG_BURST.
 */
struct sf_fw_log {
	spinlock_t lock;		/* the bucket: tokens, last, suppressed */
	unsigned long last;		/* jiffies of the last refill */
	u32 tokens;
	u32 suppressed;
};

struct sf_fw {
	struct sf_ruleset __rcu *rs;	/* NULL: none committed yet */
	struct sf_flow_table *flows;	/* from the first real ruleset on */
	u32 gen;
	struct sf_fw_log log;
};

extern struct sf_filter sf_fw_filter;

void sf_log_init(struct sf_fw_log *log);
bool sf_log_allowed(struct sf_fw_log *log, u32 *suppressed);
void sf_fw_net_init(struct sf_net *sn);
void sf_fw_net_exit(struct sf_net *sn);
int sf_fw_replace(struct sf_net *sn, struct sf_ruleset *rs, u32 *gen,
		  struct netlink_ext_ack *extack);
struct sf_filter *sf_fw_port_filter(struct sf_net *sn);
void sf_fw_port_gone(struct sf_net *sn, struct sf_port *port);
void sf_reject(struct net *net, struct sk_buff *skb, struct net_device *dev,
	       u8 dir, unsigned int nhoff, bool v4, u8 proto);

#endif /* _SF_FW_H */
