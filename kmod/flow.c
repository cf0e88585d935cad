// SPDX-License-Identifier: GPL-2.0
/*
 * DOC: The flow table
 *
 * One table per network namespace: an array of RCU hlist buckets, a smaller
 * array of spinlocks striped over them, a bound on the number of entries.
 * A key holds both endpoints in canonical order, the protocol and the port's
 * ifindex, so either direction of a connection finds the same entry with
 * one siphash and one bucket walk.
 *
 * Readers (the packet path) walk a bucket under RCU and treat an entry past
 * its expiry as absent; they refresh the expiry of a live entry with a
 * plain store, racing stores being equally good. Writers (insert, the GC
 * worker, flush) hold the bucket's lock with BH disabled; an entry leaves
 * its bucket with hlist_del_rcu() and is freed after a grace period, so a
 * reader never sees freed memory. There are no per-flow timers: expiry is
 * checked on lookup, insert reclaims the expired entries of its bucket, and
 * a worker sweeps a quarter of the buckets each second.
 *
 * When the table holds max entries a new flow is refused and counted
 * (refused), and nothing already in the table is touched.
 *
 * The table has max / 2 buckets (at least 64, at most 2^20), so chains stay
 * short. A commit that raises max grows it (sf_flow_table_grow(), with
 * RTNL): writers are made to wait (growing, checked under each bucket
 * lock), every entry moves to a new bucket array inside a seqcount write
 * section with BH disabled, and the new array is published. A reader that
 * walked a chain while its entries moved may miss its flow: a lookup that
 * finds nothing retries when the seqcount moved, so no packet of a tracked
 * flow is taken for a new one. The old array is freed after a grace
 * period. The lock stripes do not change: a flow's lock is picked by the
 * low bits of its hash, which its bucket in any array shares.
 */
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/tcp.h>
#include "flow.h"

#define SF_FLOW_GC_INTERVAL	HZ
#define SF_FLOW_GC_PARTS	4

static struct kmem_cache *sf_flow_cache __read_mostly;

static const u32 sf_flow_timeout_default[__SLOTFILTER_TIMEOUT_MAX] = {
	[SLOTFILTER_TIMEOUT_TCP_SYN]		= 120,
	[SLOTFILTER_TIMEOUT_TCP_ESTABLISHED]	= 5 * 24 * 3600,
	[SLOTFILTER_TIMEOUT_TCP_FIN]		= 120,
	[SLOTFILTER_TIMEOUT_TCP_CLOSE]		= 10,
	[SLOTFILTER_TIMEOUT_UDP]		= 60,
	[SLOTFILTER_TIMEOUT_ICMP]		= 30,
	[SLOTFILTER_TIMEOUT_OTHER]		= 600,
};

static const u8 sf_tcp_timeout_class[__SLOTFILTER_TCP_MAX] = {
	[SLOTFILTER_TCP_NONE]		= SLOTFILTER_TIMEOUT_TCP_SYN,
	[SLOTFILTER_TCP_SYN_SENT]	= SLOTFILTER_TIMEOUT_TCP_SYN,
	[SLOTFILTER_TCP_SYN_RECV]	= SLOTFILTER_TIMEOUT_TCP_SYN,
	[SLOTFILTER_TCP_ESTABLISHED]	= SLOTFILTER_TIMEOUT_TCP_ESTABLISHED,
	[SLOTFILTER_TCP_FIN_WAIT]	= SLOTFILTER_TIMEOUT_TCP_FIN,
	[SLOTFILTER_TCP_TIME_WAIT]	= SLOTFILTER_TIMEOUT_TCP_FIN,
	[SLOTFILTER_TCP_CLOSE]		= SLOTFILTER_TIMEOUT_TCP_CLOSE,
	[SLOTFILTER_TCP_MIDSTREAM]	= SLOTFILTER_TIMEOUT_TCP_ESTABLISHED,
};

static unsigned int sf_flow_timeout(const struct sf_flow_table *t,
				    const struct sf_flow *flow)
{
	/* a commit may be changing them (sf_fw_flows_limits()) */
	switch (flow->key.proto) {
	case IPPROTO_TCP:
		return READ_ONCE(t->timeout[sf_tcp_timeout_class[flow->tcp_state]]);
	case IPPROTO_UDP:
		return READ_ONCE(t->timeout[SLOTFILTER_TIMEOUT_UDP]);
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return READ_ONCE(t->timeout[SLOTFILTER_TIMEOUT_ICMP]);
	default:
		return READ_ONCE(t->timeout[SLOTFILTER_TIMEOUT_OTHER]);
	}
}

static bool sf_flow_expired(const struct sf_flow *flow)
{
	return time_after(jiffies, READ_ONCE(flow->expires));
}

static u32 sf_flow_hash(const struct sf_flow_table *t,
			const struct sf_flow_key *key)
{
	return siphash(key, sizeof(*key), &t->seed);
}

static spinlock_t *sf_flow_lock(const struct sf_flow_table *t, u32 hash)
{
	return &t->locks[hash & (t->nlocks - 1)];
}

static unsigned int sf_flow_nbuckets(unsigned int max)
{
	return roundup_pow_of_two(clamp(max / 2, 64U, 1U << 20));
}

/*
 * Takes the lock of @hash's bucket, BH being disabled, once no growth is
 * under way; returns the buckets, which cannot change until the unlock.
 */
static struct sf_flow_buckets *sf_flow_lock_bucket(struct sf_flow_table *t,
						   u32 hash)
{
	spinlock_t *lock = sf_flow_lock(t, hash);

	for (;;) {
		spin_lock(lock);
		/* pairs with the release in sf_flow_table_grow(): t->b is new */
		if (!smp_load_acquire(&t->growing))
			break;
		spin_unlock(lock);
		cpu_relax();
	}
	return rcu_dereference_protected(t->b, lockdep_is_held(lock));
}

static void sf_flow_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(sf_flow_cache, container_of(rcu, struct sf_flow, rcu));
}

/* Must be called with the bucket's lock held. */
static void sf_flow_unlink(struct sf_flow_table *t, struct sf_flow *flow)
{
	hlist_del_init_rcu(&flow->node);
	atomic_dec(&t->count);
	call_rcu(&flow->rcu, sf_flow_free_rcu);
}

/* Builds the canonical key of a packet from @src to @dst. */
void sf_flow_tuple_init(struct sf_flow_tuple *tuple, u32 ifindex, u8 proto,
			const struct in6_addr *src, __be16 sport,
			const struct in6_addr *dst, __be16 dport)
{
	int cmp = memcmp(src, dst, sizeof(*src));
	u8 from = cmp > 0 || (!cmp && ntohs(sport) > ntohs(dport));

	memset(&tuple->key, 0, sizeof(tuple->key));
	tuple->key.addr[from] = *src;
	tuple->key.port[from] = sport;
	tuple->key.addr[!from] = *dst;
	tuple->key.port[!from] = dport;
	tuple->key.ifindex = ifindex;
	tuple->key.proto = proto;
	tuple->from = from;
}

/* Must be called under rcu_read_lock(). Returns a live entry or NULL. */
struct sf_flow *sf_flow_lookup(struct sf_flow_table *t,
			       const struct sf_flow_key *key)
{
	u32 hash = sf_flow_hash(t, key);
	struct sf_flow_buckets *b;
	struct sf_flow *flow;
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&t->moving);
		b = rcu_dereference(t->b);
		hlist_for_each_entry_rcu(flow, &b->head[hash & (b->n - 1)], node) {
			if (!memcmp(&flow->key, key, sizeof(*key)))
				return sf_flow_expired(flow) ? NULL : flow;
		}
	} while (read_seqcount_retry(&t->moving, seq));
	return NULL;
}

void sf_flow_touch(struct sf_flow_table *t, struct sf_flow *flow)
{
	unsigned long expires = jiffies + sf_flow_timeout(t, flow) * HZ;

	if (READ_ONCE(flow->expires) != expires)
		WRITE_ONCE(flow->expires, expires);
}

/*
 * Adds the flow of @tuple, opened by its sender. Called from the packet
 * path (BH disabled) under rcu_read_lock(). Expired entries of the bucket
 * are reclaimed first, so a table full of dead flows still takes new ones.
 * Returns the new entry, a live entry another CPU added first, or
 * ERR_PTR(-ENOSPC / -ENOMEM).
 */
struct sf_flow *sf_flow_insert(struct sf_flow_table *t,
			       const struct sf_flow_tuple *tuple,
			       u32 rule_id)
{
	u32 hash = sf_flow_hash(t, &tuple->key);
	spinlock_t *lock = sf_flow_lock(t, hash);
	struct sf_flow_buckets *b = sf_flow_lock_bucket(t, hash);
	struct hlist_head *bucket = &b->head[hash & (b->n - 1)];
	struct sf_flow *flow, *old;
	struct hlist_node *tmp;

	hlist_for_each_entry_safe(old, tmp, bucket, node) {
		if (sf_flow_expired(old)) {
			sf_flow_unlink(t, old);
		} else if (!memcmp(&old->key, &tuple->key, sizeof(old->key))) {
			/* Another CPU won: keep its entry. */
			spin_unlock(lock);
			return old;
		}
	}
	if (atomic_inc_return(&t->count) > READ_ONCE(t->max)) {
		flow = ERR_PTR(-ENOSPC);
		atomic64_inc(&t->refused);
		goto err_count;
	}
	flow = kmem_cache_zalloc(sf_flow_cache, GFP_ATOMIC);
	if (!flow) {
		flow = ERR_PTR(-ENOMEM);
		goto err_count;
	}
	flow->key = tuple->key;
	flow->opener = tuple->from;
	flow->rule_id = rule_id;
	flow->id = atomic_inc_return(&t->next_id);
	spin_lock_init(&flow->lock);
	sf_flow_touch(t, flow);
	hlist_add_head_rcu(&flow->node, bucket);
	spin_unlock(lock);
	return flow;

err_count:
	atomic_dec(&t->count);
	spin_unlock(lock);
	return flow;
}

static u8 sf_tcp_next(const struct sf_flow *flow, u8 from, u8 flags)
{
	u8 st = flow->tcp_state;

	if (flags & TCPHDR_RST)
		return SLOTFILTER_TCP_CLOSE;
	if (flags & TCPHDR_SYN) {
		if (!(flags & TCPHDR_ACK))
			return st == SLOTFILTER_TCP_NONE ? SLOTFILTER_TCP_SYN_SENT : st;
		if (st == SLOTFILTER_TCP_SYN_SENT && from != flow->opener)
			return SLOTFILTER_TCP_SYN_RECV;
		return st;
	}
	if (flags & TCPHDR_FIN)
		return (flow->fin_from | BIT(from)) == 3 ? SLOTFILTER_TCP_TIME_WAIT :
							 SLOTFILTER_TCP_FIN_WAIT;
	if ((flags & TCPHDR_ACK) && st == SLOTFILTER_TCP_SYN_RECV &&
	    from == flow->opener)
		return SLOTFILTER_TCP_ESTABLISHED;
	return st;
}

/*
 * Follows a TCP packet of @flow sent by endpoint @from. Packets that
 * change nothing (the data of an established connection) take no lock.
 */
void sf_flow_tcp_update(struct sf_flow_table *t, struct sf_flow *flow,
			u8 from, u8 flags)
{
	if (!(flags & (TCPHDR_SYN | TCPHDR_FIN | TCPHDR_RST)) &&
	    READ_ONCE(flow->tcp_state) != SLOTFILTER_TCP_SYN_RECV) {
		sf_flow_touch(t, flow);
		return;
	}
	spin_lock(&flow->lock);
	if (flags & TCPHDR_FIN)
		flow->fin_from |= BIT(from);
	WRITE_ONCE(flow->tcp_state, sf_tcp_next(flow, from, flags));
	spin_unlock(&flow->lock);
	sf_flow_touch(t, flow);
}

/* What sf_flow_sweep() does to the entries it visits. */
enum sf_sweep {
	SF_SWEEP_EXPIRED,	/* removes the expired ones */
	SF_SWEEP_PORT,		/* removes those of a port, and expired ones */
	SF_SWEEP_ALL,		/* removes all */
	SF_SWEEP_REJUDGE,	/* marks those of a port to be judged again */
};

/*
 * Goes through the entries in buckets [first, last) of @b (@ifindex: the
 * port of SF_SWEEP_PORT and SF_SWEEP_REJUDGE). Never runs with
 * sf_flow_table_grow(): both have RTNL or are the GC worker, which growth
 * stops first.
 */
static void sf_flow_sweep(struct sf_flow_table *t, struct sf_flow_buckets *b,
			  unsigned int first, unsigned int last, u32 ifindex,
			  enum sf_sweep op)
{
	struct hlist_node *tmp;
	struct sf_flow *flow;
	unsigned int i;

	for (i = first; i < last; i++) {
		spinlock_t *lock = sf_flow_lock(t, i);

		if (hlist_empty(&b->head[i]))
			continue;
		spin_lock_bh(lock);
		hlist_for_each_entry_safe(flow, tmp, &b->head[i], node) {
			bool mine = flow->key.ifindex == ifindex;

			if (op == SF_SWEEP_REJUDGE) {
				if (mine)
					WRITE_ONCE(flow->rejudge, 1);
			} else if (op == SF_SWEEP_ALL || sf_flow_expired(flow) ||
				   (op == SF_SWEEP_PORT && mine)) {
				sf_flow_unlink(t, flow);
			}
		}
		spin_unlock_bh(lock);
		if (!(i % 64))
			cond_resched();
	}
}

static void sf_flow_gc(struct work_struct *work)
{
	struct sf_flow_table *t = container_of(to_delayed_work(work),
					       struct sf_flow_table, gc);
	struct sf_flow_buckets *b = rcu_dereference_protected(t->b, 1);
	unsigned int part = max(b->n / SF_FLOW_GC_PARTS, 1U);
	unsigned int first = t->gc_next < b->n ? t->gc_next : 0;

	sf_flow_sweep(t, b, first, min(first + part, b->n), 0,
		      SF_SWEEP_EXPIRED);
	t->gc_next = first + part >= b->n ? 0 : first + part;
	queue_delayed_work(system_power_efficient_wq, &t->gc,
			   SF_FLOW_GC_INTERVAL);
}

/* Forgets one flow; called from the packet path (BH disabled). */
void sf_flow_remove(struct sf_flow_table *t, struct sf_flow *flow)
{
	u32 hash = sf_flow_hash(t, &flow->key);
	spinlock_t *lock = sf_flow_lock(t, hash);

	sf_flow_lock_bucket(t, hash);
	if (!hlist_unhashed(&flow->node)) {
		hlist_del_init_rcu(&flow->node);
		atomic_dec(&t->count);
		call_rcu(&flow->rcu, sf_flow_free_rcu);
	}
	spin_unlock(lock);
}

/* Forgets every flow of a port (@ifindex), or every flow (0). */
void sf_flow_flush(struct sf_flow_table *t, u32 ifindex)
{
	struct sf_flow_buckets *b = rcu_dereference_protected(t->b, 1);

	sf_flow_sweep(t, b, 0, b->n, ifindex,
		      ifindex ? SF_SWEEP_PORT : SF_SWEEP_ALL);
}

/*
 * The tags of the port @ifindex changed: each of its flows is judged
 * again by the ruleset on its next packet (as SLOTFILTER_FW_F_REEVALUATE
 * does after a commit), so that rules applied to a tag cut the flows of a
 * port that gains it. RTNL.
 */
void sf_flow_rejudge_port(struct sf_flow_table *t, u32 ifindex)
{
	struct sf_flow_buckets *b = rcu_dereference_protected(t->b, 1);

	sf_flow_sweep(t, b, 0, b->n, ifindex, SF_SWEEP_REJUDGE);
}

static struct sf_flow_buckets *sf_flow_buckets_alloc(unsigned int n)
{
	struct sf_flow_buckets *b;

	b = kvzalloc(struct_size(b, head, n), GFP_KERNEL_ACCOUNT);
	if (b)
		b->n = n;
	return b;
}

int sf_flow_table_init(struct sf_flow_table *t, unsigned int max)
{
	unsigned int i;

	struct sf_flow_buckets *b = sf_flow_buckets_alloc(sf_flow_nbuckets(max));

	memset(t, 0, sizeof(*t));
	t->max = max;
	/* no more stripes than buckets: growth keeps them */
	t->nlocks = b ? min(b->n, 1024U) : 1;
	t->locks = kcalloc(t->nlocks, sizeof(*t->locks), GFP_KERNEL_ACCOUNT);
	if (!b || !t->locks) {
		kvfree(b);
		kfree(t->locks);
		return -ENOMEM;
	}
	RCU_INIT_POINTER(t->b, b);
	seqcount_init(&t->moving);
	for (i = 0; i < t->nlocks; i++)
		spin_lock_init(&t->locks[i]);
	memcpy(t->timeout, sf_flow_timeout_default, sizeof(t->timeout));
	get_random_bytes(&t->seed, sizeof(t->seed));
	INIT_DELAYED_WORK(&t->gc, sf_flow_gc);
	queue_delayed_work(system_power_efficient_wq, &t->gc,
			   SF_FLOW_GC_INTERVAL);
	return 0;
}

/*
 * Called when no reader can reach the table any more (its namespace has no
 * port left and a grace period has passed since the last one went).
 */
void sf_flow_table_destroy(struct sf_flow_table *t)
{
	cancel_delayed_work_sync(&t->gc);
	sf_flow_flush(t, 0);
	WARN_ON_ONCE(atomic_read(&t->count));
	kvfree(rcu_dereference_protected(t->b, 1));
	kfree(t->locks);
}

/*
 * Gives the table the buckets @max entries need, if it has fewer (see the
 * DOC above). Called with RTNL, from process context; -ENOMEM leaves the
 * table as it was.
 */
int sf_flow_table_grow(struct sf_flow_table *t, unsigned int max)
{
	struct sf_flow_buckets *old = rtnl_dereference(t->b), *b;
	unsigned int n = sf_flow_nbuckets(max), i;
	struct hlist_node *tmp;
	struct sf_flow *flow;

	if (n <= old->n)
		return 0;
	b = sf_flow_buckets_alloc(n);
	if (!b)
		return -ENOMEM;

	cancel_delayed_work_sync(&t->gc);
	/*
	 * BH stays off from here: a writer in a softirq of this CPU would
	 * otherwise wait for the growth it interrupted.
	 */
	local_bh_disable();
	WRITE_ONCE(t->growing, true);
	/* A writer that saw no growth is done once its stripe is free. */
	for (i = 0; i < t->nlocks; i++) {
		spin_lock(&t->locks[i]);
		spin_unlock(&t->locks[i]);
	}

	write_seqcount_begin(&t->moving);
	for (i = 0; i < old->n; i++) {
		hlist_for_each_entry_safe(flow, tmp, &old->head[i], node) {
			u32 hash = sf_flow_hash(t, &flow->key);

			hlist_del_rcu(&flow->node);
			hlist_add_head_rcu(&flow->node, &b->head[hash & (n - 1)]);
		}
	}
	rcu_assign_pointer(t->b, b);
	write_seqcount_end(&t->moving);
	/* writers that see growing false see the new t->b (acquire above) */
	smp_store_release(&t->growing, false);
	local_bh_enable();

	queue_delayed_work(system_power_efficient_wq, &t->gc,
			   SF_FLOW_GC_INTERVAL);
	/* Readers may still be on the old heads. */
	kvfree_rcu(old, rcu);
	return 0;
}

const u32 *sf_flow_default_timeouts(void)
{
	return sf_flow_timeout_default;
}

/* Bytes a tracked flow costs, slab rounding included. */
unsigned int sf_flow_size(void)
{
	return kmem_cache_size(sf_flow_cache);
}

int __init sf_flow_init(void)
{
	sf_flow_cache = KMEM_CACHE(sf_flow, SLAB_ACCOUNT);
	return sf_flow_cache ? 0 : -ENOMEM;
}

/* The caller has waited for every RCU callback (rcu_barrier()). */
void sf_flow_exit(void)
{
	kmem_cache_destroy(sf_flow_cache);
}
