/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between the slot walk and whatever occupies a slot: the
 * firewall at slot 2, service redirects at slots 4-11.
 */
#ifndef _SF_FILTER_H
#define _SF_FILTER_H

#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/slotfilter.h>

struct sf_port;

enum sf_verdict {
	SF_CONTINUE,	/* go on with the next occupied slot */
	SF_DROP,	/* the walk frees the packet */
	SF_STOLEN,	/* the filter now owns the packet (held for later) */
};

/* What a filter knows about the packet in front of it. */
struct sf_pkt {
	struct sf_port *port;
	enum slotfilter_direction dir;
	unsigned int slot;	/* the slot being run */
	unsigned int len;	/* frame length at the hook, L2 header included */
};

struct sf_filter;

struct sf_filter_ops {
	enum slotfilter_filter_kind kind;
	/*
	 * Called under rcu_read_lock() with BH disabled, from the port's
	 * hook. Must not sleep. On SF_STOLEN the filter keeps the skb and is
	 * responsible for resuming the walk at pkt->slot + 1 or freeing it.
	 */
	enum sf_verdict (*process)(struct sf_filter *f, struct sk_buff *skb,
				   const struct sf_pkt *pkt);
	/* Called when the last reference goes, possibly from softirq. */
	void (*release)(struct sf_filter *f);
};

/*
 * A filter is shared by every chain that holds it in a slot; each chain
 * holds one reference, dropped when the chain is freed after a grace
 * period, so a filter outlives every reader that can still see it.
 */
struct sf_filter {
	const struct sf_filter_ops *ops;
	refcount_t refcnt;
};

static inline void sf_filter_init(struct sf_filter *f,
				  const struct sf_filter_ops *ops)
{
	f->ops = ops;
	refcount_set(&f->refcnt, 1);
}

static inline struct sf_filter *sf_filter_get(struct sf_filter *f)
{
	refcount_inc(&f->refcnt);
	return f;
}

static inline void sf_filter_put(struct sf_filter *f)
{
	if (f && refcount_dec_and_test(&f->refcnt))
		f->ops->release(f);
}

#endif /* _SF_FILTER_H */
