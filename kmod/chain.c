// SPDX-License-Identifier: GPL-2.0
/*
 * DOC: The slot walk
 *
 * A port's hook hands each packet to sf_chain_walk() with the chain of its
 * direction. The walk visits only the occupied slots, in ascending order,
 * from pkt->slot upwards (0 for a fresh packet; a filter that held a packet
 * resumes at the slot after its own, so earlier slots never run twice). Each
 * filter answers:
 *
 *   SF_CONTINUE  count it, go on to the next occupied slot;
 *   SF_DROP      count a drop at this slot and direction, NF_DROP;
 *   SF_STOLEN    count it as stolen, NF_STOLEN: the filter owns the skb.
 *
 * After the last slot the packet is accepted. A port with no filter at all
 * has no chain (NULL) and its hook only counts the packet.
 */
#include <linux/bitops.h>
#include <linux/slab.h>
#include "chain.h"

static void sf_count(u64_stats_t *packets, u64_stats_t *bytes,
		     unsigned int len)
{
	u64_stats_inc(packets);
	u64_stats_add(bytes, len);
}

unsigned int sf_chain_walk(const struct sf_chain *chain, struct sk_buff *skb,
			   const struct sf_pkt *pkt, struct sf_dir_stats *st)
{
	unsigned long todo = chain->occupied & ~(BIT(pkt->slot) - 1);
	struct sf_pkt here = *pkt;
	unsigned int slot;

	for_each_set_bit(slot, &todo, SLOTFILTER_NUM_SLOTS) {
		struct sf_filter *f = chain->slot[slot];
		struct sf_slot_stats *ss = &st->slot[slot];
		enum sf_verdict v;

		here.slot = slot;
		v = f->ops->process(f, skb, &here);

		u64_stats_update_begin(&st->syncp);
		sf_count(&ss->packets, &ss->bytes, pkt->len);
		if (v == SF_DROP) {
			u64_stats_inc(&ss->drops);
			u64_stats_inc(&st->drops);
		} else if (v == SF_STOLEN) {
			u64_stats_inc(&st->stolen);
		}
		u64_stats_update_end(&st->syncp);

		if (v == SF_DROP)
			return NF_DROP;
		if (v == SF_STOLEN)
			return NF_STOLEN;
	}
	return NF_ACCEPT;
}

/*
 * Returns a new chain equal to @old (which may be NULL: all empty) but with
 * @f (which may be NULL: empty) in @slot, taking a reference on every filter
 * it holds; NULL when the new chain would be empty; ERR_PTR(-ENOMEM).
 */
struct sf_chain *sf_chain_with(const struct sf_chain *old, unsigned int slot,
			       struct sf_filter *f)
{
	struct sf_chain *chain;
	unsigned int i;

	chain = kzalloc(sizeof(*chain), GFP_KERNEL_ACCOUNT);
	if (!chain)
		return ERR_PTR(-ENOMEM);
	if (old)
		memcpy(chain->slot, old->slot, sizeof(chain->slot));
	chain->slot[slot] = f;

	for (i = 0; i < SLOTFILTER_NUM_SLOTS; i++) {
		if (!chain->slot[i])
			continue;
		sf_filter_get(chain->slot[i]);
		__set_bit(i, &chain->occupied);
	}
	if (!chain->occupied) {
		kfree(chain);
		return NULL;
	}
	return chain;
}

static void sf_chain_free(struct rcu_head *rcu)
{
	struct sf_chain *chain = container_of(rcu, struct sf_chain, rcu);
	unsigned int i;

	for (i = 0; i < SLOTFILTER_NUM_SLOTS; i++)
		sf_filter_put(chain->slot[i]);
	kfree(chain);
}

/* Frees @chain and drops its filter references once no reader sees it. */
void sf_chain_free_rcu(struct sf_chain *chain)
{
	if (chain)
		call_rcu(&chain->rcu, sf_chain_free);
}

enum slotfilter_filter_kind sf_chain_kind(const struct sf_chain *chain,
					  unsigned int slot)
{
	if (!chain || !chain->slot[slot])
		return SLOTFILTER_FILTER_NONE;
	return chain->slot[slot]->ops->kind;
}
