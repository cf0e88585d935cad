/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SF_CHAIN_H
#define _SF_CHAIN_H

#include <linux/netfilter.h>
#include "filter.h"
#include "stats.h"

/*
 * The slots of one port in one direction. Immutable once published:
 * a change builds a new chain and swaps the port's pointer under RTNL.
 */
struct sf_chain {
	struct rcu_head rcu;
	unsigned long occupied;		/* bit n set: slot[n] holds a filter */
	struct sf_filter *slot[SLOTFILTER_NUM_SLOTS];
};

unsigned int sf_chain_walk(const struct sf_chain *chain, struct sk_buff *skb,
			   const struct sf_pkt *pkt,
			   struct sf_dir_stats *st);
struct sf_chain *sf_chain_with(const struct sf_chain *old, unsigned int slot,
			       struct sf_filter *f);
void sf_chain_free_rcu(struct sf_chain *chain);
enum slotfilter_filter_kind sf_chain_kind(const struct sf_chain *chain,
					  unsigned int slot);

#endif /* _SF_CHAIN_H */
