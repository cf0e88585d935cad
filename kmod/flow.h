/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracked flows: one entry per connection seen on a port, found from either
 * direction with one hash lookup. The firewall keeps its connection state
 * here; services keep their cached per-slot verdicts here.
 */
#ifndef _SF_FLOW_H
#define _SF_FLOW_H

#include <linux/in6.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/siphash.h>
#include <linux/slotfilter.h>

/*
 * Endpoints are stored in a canonical order (the smaller address/port
 * first), so that both directions of a connection build the same key.
 * IPv4 addresses are stored as IPv4-mapped IPv6 addresses.
 */
struct sf_flow_key {
	struct in6_addr addr[2];
	__be16 port[2];		/* ICMP: the echo id in both */
	u32 ifindex;		/* the port the flow was seen on */
	u8 proto;		/* IPPROTO_* */
	u8 pad[3];
} __aligned(8);

/* What a packet looks like to the flow table. */
struct sf_flow_tuple {
	struct sf_flow_key key;
	u8 from;		/* index in key.addr of this packet's sender */
};

#define SF_FLOW_SERVICE_SLOTS	8	/* slots 4-11 */

struct sf_flow {
	struct hlist_node node;		/* in its bucket, RCU */
	struct sf_flow_key key;
	unsigned long expires;		/* jiffies */
	u32 id;
	u32 rule_id;			/* the rule that allowed it */
	u8 opener;			/* index in key.addr of the opener */
	u8 tcp_state;			/* enum slotfilter_tcp_state */
	u8 dir;				/* the opener's packets' direction */
	u8 rejudge;			/* its port's tags changed */
	u32 gen;			/* the ruleset that last judged it */
	u8 seen_reply;
	u8 fin_from;			/* bit n: addr[n] sent a FIN */
	/*
	 * By service id: the cached verdict (SF_FLOW_SVC_*, top bits) and
	 * the packets held (low bits). Written under the service's lock,
	 * read with READ_ONCE.
	 */
	u16 svc[SF_FLOW_SERVICE_SLOTS];
	spinlock_t lock;		/* TCP state changes */
	struct rcu_head rcu;
};

#define SF_FLOW_SVC_HELD	0x3fff		/* held packets, at most */
#define SF_FLOW_SVC_SHIFT	14
#define SF_FLOW_SVC_CONTINUE	1		/* cached verdicts */
#define SF_FLOW_SVC_DROP	2

static inline unsigned int sf_flow_svc_held(u16 v)
{
	return v & SF_FLOW_SVC_HELD;
}

static inline unsigned int sf_flow_svc_verdict(u16 v)
{
	return v >> SF_FLOW_SVC_SHIFT;
}

/* The buckets of a flow table: replaced whole when the table grows. */
struct sf_flow_buckets {
	unsigned int n;			/* a power of two */
	struct rcu_head rcu;
	struct hlist_head head[];
};

struct sf_flow_table {
	struct sf_flow_buckets __rcu *b;
	seqcount_t moving;		/* odd while entries change buckets */
	bool growing;			/* writers wait: sf_flow_table_grow() */
	spinlock_t *locks;
	unsigned int nlocks;		/* a power of two, <= b->n */
	unsigned int max;
	atomic_t count;
	atomic_t next_id;
	atomic64_t refused;		/* new flows refused: table full */
	siphash_key_t seed;
	u32 timeout[__SLOTFILTER_TIMEOUT_MAX];	/* seconds */
	struct delayed_work gc;
	unsigned int gc_next;		/* bucket the next GC run starts at */
};

#define SF_FLOW_MAX_DEFAULT	65536
#define SF_FLOW_MAX_LIMIT	(1U << 24)

const u32 *sf_flow_default_timeouts(void);
unsigned int sf_flow_size(void);
int sf_flow_init(void);
void sf_flow_exit(void);
int sf_flow_table_init(struct sf_flow_table *t, unsigned int max);
void sf_flow_table_destroy(struct sf_flow_table *t);
int sf_flow_table_grow(struct sf_flow_table *t, unsigned int max);

void sf_flow_tuple_init(struct sf_flow_tuple *tuple, u32 ifindex, u8 proto,
			const struct in6_addr *src, __be16 sport,
			const struct in6_addr *dst, __be16 dport);
struct sf_flow *sf_flow_lookup(struct sf_flow_table *t,
			       const struct sf_flow_key *key);
struct sf_flow *sf_flow_insert(struct sf_flow_table *t,
			       const struct sf_flow_tuple *tuple,
			       u32 rule_id);
void sf_flow_touch(struct sf_flow_table *t, struct sf_flow *flow);
void sf_flow_tcp_update(struct sf_flow_table *t, struct sf_flow *flow,
			u8 from, u8 tcp_flags);
void sf_flow_flush(struct sf_flow_table *t, u32 ifindex);
void sf_flow_rejudge_port(struct sf_flow_table *t, u32 ifindex);
void sf_flow_remove(struct sf_flow_table *t, struct sf_flow *flow);

#endif /* _SF_FLOW_H */
