// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the slot walk, compiled in with DEBUG: filters that record
 * the order they ran in and answer a chosen verdict, chains built and torn
 * down through the same calls ports use, and the counters checked exactly.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include "../chain.h"
#include "selftest.h"

struct sf_test_filter {
	struct sf_filter filter;
	enum sf_verdict verdict;
	bool released;
};

static unsigned int sf_test_order[SLOTFILTER_NUM_SLOTS];
static unsigned int sf_test_ran;

static enum sf_verdict sf_test_process(struct sf_filter *f,
				       struct sk_buff *skb,
				       const struct sf_pkt *pkt)
{
	if (sf_test_ran < SLOTFILTER_NUM_SLOTS)
		sf_test_order[sf_test_ran++] = pkt->slot;
	return container_of(f, struct sf_test_filter, filter)->verdict;
}

static void sf_test_release(struct sf_filter *f)
{
	container_of(f, struct sf_test_filter, filter)->released = true;
}

static const struct sf_filter_ops sf_test_ops = {
	.kind		= SLOTFILTER_FILTER_SERVICE,
	.process	= sf_test_process,
	.release	= sf_test_release,
};

static const unsigned int sf_test_slots[] = { 1, 2, 5, 11 };

struct sf_test_ctx {
	struct sf_test_filter filters[ARRAY_SIZE(sf_test_slots)];
	struct sf_port_stats __percpu *stats;
	struct sf_chain *chain;
	struct sk_buff *skb;
	bool ok;
};

#define sf_expect(ctx, cond) do {					\
	if (!(cond)) {							\
		pr_err("slotfilter selftest: %s:%d: %s\n", __FILE__,	\
		       __LINE__, #cond);				\
		(ctx)->ok = false;					\
	}								\
} while (0)

/* Walks one packet from @first; checks the verdict and the slots that ran. */
static void sf_test_walk(struct sf_test_ctx *ctx, unsigned int first,
			 unsigned int want_nf, const unsigned int *want,
			 unsigned int nwant)
{
	const struct sf_pkt pkt = { .slot = first, .len = 100 };
	unsigned int nf, i;

	sf_test_ran = 0;
	local_bh_disable();
	nf = sf_chain_walk(ctx->chain, ctx->skb, &pkt,
			   &this_cpu_ptr(ctx->stats)->dir[0]);
	local_bh_enable();
	sf_expect(ctx, nf == want_nf);
	sf_expect(ctx, sf_test_ran == nwant);
	for (i = 0; i < nwant && i < sf_test_ran; i++)
		sf_expect(ctx, sf_test_order[i] == want[i]);
}

static void sf_test_build(struct sf_test_ctx *ctx)
{
	struct sf_chain *next;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sf_test_slots); i++) {
		sf_filter_init(&ctx->filters[i].filter, &sf_test_ops);
		ctx->filters[i].verdict = SF_CONTINUE;
		next = sf_chain_with(ctx->chain, sf_test_slots[i],
				     &ctx->filters[i].filter);
		sf_expect(ctx, !IS_ERR_OR_NULL(next));
		if (IS_ERR_OR_NULL(next))
			return;
		/* The chain holds its own reference now. */
		sf_filter_put(&ctx->filters[i].filter);
		sf_chain_free_rcu(ctx->chain);
		ctx->chain = next;
	}
}

static void sf_test_counters(struct sf_test_ctx *ctx)
{
	struct sf_dir_totals t;

	sf_stats_read(ctx->stats, 0, &t);
	/* Walks: full, resumed at 3, dropped at 5, stolen at 2. */
	sf_expect(ctx, t.slot[1].packets == 3 && t.slot[1].bytes == 300);
	sf_expect(ctx, t.slot[2].packets == 3);
	sf_expect(ctx, t.slot[5].packets == 3 && t.slot[5].drops == 1);
	sf_expect(ctx, t.slot[11].packets == 2);
	sf_expect(ctx, t.slot[0].packets == 0 && t.slot[3].packets == 0);
	sf_expect(ctx, t.drops == 1 && t.stolen == 1);
}

static void sf_test_teardown(struct sf_test_ctx *ctx)
{
	struct sf_chain *next = NULL;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sf_test_slots); i++) {
		next = sf_chain_with(ctx->chain, sf_test_slots[i], NULL);
		if (IS_ERR(next)) {
			ctx->ok = false;
			return;
		}
		sf_expect(ctx, !next == (i == ARRAY_SIZE(sf_test_slots) - 1));
		sf_chain_free_rcu(ctx->chain);
		ctx->chain = next;
	}
	rcu_barrier();
	for (i = 0; i < ARRAY_SIZE(sf_test_slots); i++)
		sf_expect(ctx, ctx->filters[i].released);
}

int sf_chain_selftest(void)
{
	static const unsigned int all[] = { 1, 2, 5, 11 };
	static const unsigned int from3[] = { 5, 11 };
	struct sf_test_ctx *ctx;
	int ret;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->ok = true;
	ctx->stats = sf_stats_alloc();
	ctx->skb = alloc_skb(128, GFP_KERNEL);
	if (!ctx->stats || !ctx->skb) {
		ret = -ENOMEM;
		goto out;
	}

	sf_test_build(ctx);
	if (ctx->chain) {
		sf_test_walk(ctx, 0, NF_ACCEPT, all, 4);
		sf_test_walk(ctx, 3, NF_ACCEPT, from3, 2);
		ctx->filters[2].verdict = SF_DROP;
		sf_test_walk(ctx, 0, NF_DROP, all, 3);
		ctx->filters[1].verdict = SF_STOLEN;
		sf_test_walk(ctx, 0, NF_STOLEN, all, 2);
		sf_test_counters(ctx);
		sf_expect(ctx, sf_chain_kind(ctx->chain, 5) ==
			       SLOTFILTER_FILTER_SERVICE);
		sf_expect(ctx, sf_chain_kind(ctx->chain, 4) ==
			       SLOTFILTER_FILTER_NONE);
	}
	sf_test_teardown(ctx);
	ret = ctx->ok ? 0 : -EINVAL;
	if (ctx->ok)
		pr_info("slotfilter: chain self-tests: pass\n");
out:
	kfree_skb(ctx->skb);
	free_percpu(ctx->stats);
	kfree(ctx);
	return ret;
}
