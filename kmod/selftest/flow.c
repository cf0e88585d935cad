// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the flow table, compiled in with DEBUG: both directions find
 * one entry, a full table refuses without touching what it holds, expired
 * entries are absent and replaced, flush by port, the TCP states, and
 * growth keeping every entry.
 */
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/tcp.h>
#include "../flow.h"
#include "selftest.h"

struct sf_flow_test {
	struct sf_flow_table t;
	bool ok;
};

#define sf_fexpect(ft, cond) do {					\
	if (!(cond)) {							\
		pr_err("slotfilter selftest: %s:%d: %s\n", __FILE__,	\
		       __LINE__, #cond);				\
		(ft)->ok = false;					\
	}								\
} while (0)

static void sf_test_tuple(struct sf_flow_tuple *tu, u32 ifindex, u8 a, u8 b,
			  u16 pa, u16 pb)
{
	struct in6_addr src = {}, dst = {};

	ipv6_addr_set_v4mapped(htonl(0x0a000000 | a), &src);
	ipv6_addr_set_v4mapped(htonl(0x0a000000 | b), &dst);
	sf_flow_tuple_init(tu, ifindex, IPPROTO_TCP, &src, htons(pa), &dst,
			   htons(pb));
}

static struct sf_flow *sf_test_insert(struct sf_flow_test *ft,
				      const struct sf_flow_tuple *tu)
{
	struct sf_flow *flow;

	rcu_read_lock();
	local_bh_disable();
	flow = sf_flow_insert(&ft->t, tu, 7);
	local_bh_enable();
	rcu_read_unlock();
	return flow;
}

static bool sf_test_found(struct sf_flow_test *ft,
			  const struct sf_flow_tuple *tu)
{
	bool found;

	rcu_read_lock();
	found = sf_flow_lookup(&ft->t, &tu->key);
	rcu_read_unlock();
	return found;
}

static void sf_test_directions(struct sf_flow_test *ft)
{
	struct sf_flow_tuple fwd, rev, other;
	struct sf_flow *flow;

	sf_test_tuple(&fwd, 3, 2, 1, 40000, 80);
	sf_test_tuple(&rev, 3, 1, 2, 80, 40000);
	sf_test_tuple(&other, 4, 2, 1, 40000, 80);
	sf_fexpect(ft, !memcmp(&fwd.key, &rev.key, sizeof(fwd.key)));
	sf_fexpect(ft, fwd.from != rev.from);

	flow = sf_test_insert(ft, &fwd);
	sf_fexpect(ft, !IS_ERR(flow));
	if (IS_ERR(flow))
		return;
	sf_fexpect(ft, flow->opener == fwd.from && flow->rule_id == 7);
	sf_fexpect(ft, sf_test_found(ft, &rev));
	sf_fexpect(ft, !sf_test_found(ft, &other));
	/* A second insert of the same flow returns the first entry. */
	sf_fexpect(ft, sf_test_insert(ft, &rev) == flow);
	sf_fexpect(ft, atomic_read(&ft->t.count) == 1);

	local_bh_disable();
	sf_flow_tcp_update(&ft->t, flow, fwd.from, TCPHDR_SYN);
	sf_fexpect(ft, flow->tcp_state == SLOTFILTER_TCP_SYN_SENT);
	sf_flow_tcp_update(&ft->t, flow, rev.from, TCPHDR_SYN | TCPHDR_ACK);
	sf_fexpect(ft, flow->tcp_state == SLOTFILTER_TCP_SYN_RECV);
	sf_flow_tcp_update(&ft->t, flow, fwd.from, TCPHDR_ACK);
	sf_fexpect(ft, flow->tcp_state == SLOTFILTER_TCP_ESTABLISHED);
	sf_flow_tcp_update(&ft->t, flow, rev.from, TCPHDR_FIN | TCPHDR_ACK);
	sf_fexpect(ft, flow->tcp_state == SLOTFILTER_TCP_FIN_WAIT);
	sf_flow_tcp_update(&ft->t, flow, fwd.from, TCPHDR_FIN | TCPHDR_ACK);
	sf_fexpect(ft, flow->tcp_state == SLOTFILTER_TCP_TIME_WAIT);
	sf_flow_tcp_update(&ft->t, flow, fwd.from, TCPHDR_RST);
	sf_fexpect(ft, flow->tcp_state == SLOTFILTER_TCP_CLOSE);
	local_bh_enable();
}

static void sf_test_full_and_expiry(struct sf_flow_test *ft)
{
	struct sf_flow_tuple tu, extra;
	struct sf_flow *flow;
	unsigned int i;

	for (i = 0; i < ft->t.max; i++) {
		sf_test_tuple(&tu, 5, 9, 1, 1000 + i, 53);
		flow = sf_test_insert(ft, &tu);
		sf_fexpect(ft, !IS_ERR(flow));
	}
	sf_test_tuple(&extra, 5, 9, 1, 999, 53);
	sf_fexpect(ft, PTR_ERR(sf_test_insert(ft, &extra)) == -ENOSPC);
	sf_fexpect(ft, atomic64_read(&ft->t.refused) == 1);
	sf_test_tuple(&tu, 5, 9, 1, 1000, 53);
	sf_fexpect(ft, sf_test_found(ft, &tu));

	/* An expired entry is absent, and a new flow of its key replaces it. */
	rcu_read_lock();
	flow = sf_flow_lookup(&ft->t, &tu.key);
	if (flow)
		WRITE_ONCE(flow->expires, jiffies - 1);
	rcu_read_unlock();
	sf_fexpect(ft, !sf_test_found(ft, &tu));
	flow = sf_test_insert(ft, &tu);
	sf_fexpect(ft, !IS_ERR(flow) && sf_test_found(ft, &tu));

	sf_flow_flush(&ft->t, 5);
	sf_fexpect(ft, !sf_test_found(ft, &tu));
	sf_fexpect(ft, atomic_read(&ft->t.count) == 0);
	sf_fexpect(ft, !IS_ERR(sf_test_insert(ft, &extra)));
}

/* Growing moves every entry to a bigger array; a smaller max is a no-op. */
static void sf_test_grow(struct sf_flow_test *ft)
{
	struct sf_flow_buckets *before;
	struct sf_flow_tuple tu;
	unsigned int i, found = 0;
	int err;

	for (i = 0; i < ft->t.max; i++) {
		sf_test_tuple(&tu, 6, 3, 4, 2000 + i, 443);
		sf_fexpect(ft, !IS_ERR(sf_test_insert(ft, &tu)));
	}
	before = rcu_access_pointer(ft->t.b);
	sf_fexpect(ft, before->n == 64);
	rtnl_lock();
	err = sf_flow_table_grow(&ft->t, 10000);
	sf_fexpect(ft, !err);
	sf_fexpect(ft, rcu_access_pointer(ft->t.b) != before);
	before = rtnl_dereference(ft->t.b);
	sf_fexpect(ft, before->n == 8192);
	sf_fexpect(ft, !sf_flow_table_grow(&ft->t, 5000));
	sf_fexpect(ft, rtnl_dereference(ft->t.b) == before);
	rtnl_unlock();

	for (i = 0; i < ft->t.max; i++) {
		sf_test_tuple(&tu, 6, 4, 3, 443, 2000 + i);
		found += sf_test_found(ft, &tu);
	}
	sf_fexpect(ft, found == ft->t.max);
	sf_fexpect(ft, atomic_read(&ft->t.count) == ft->t.max);
	sf_flow_flush(&ft->t, 6);
	sf_fexpect(ft, atomic_read(&ft->t.count) == 0);
	sf_fexpect(ft, !IS_ERR(sf_test_insert(ft, &tu)));
	sf_fexpect(ft, sf_test_found(ft, &tu));
}

int sf_flow_selftest(void)
{
	struct sf_flow_test *ft;
	int ret;

	ft = kzalloc(sizeof(*ft), GFP_KERNEL);
	if (!ft)
		return -ENOMEM;
	ret = sf_flow_table_init(&ft->t, 100);
	if (ret)
		goto out;
	ft->ok = true;
	sf_test_directions(ft);
	sf_flow_flush(&ft->t, 0);
	sf_test_full_and_expiry(ft);
	sf_flow_flush(&ft->t, 0);
	sf_test_grow(ft);
	sf_flow_table_destroy(&ft->t);
	ret = ft->ok ? 0 : -EINVAL;
	if (ft->ok)
		pr_info("slotfilter: flow table self-tests: pass\n");
out:
	kfree(ft);
	return ret;
}
