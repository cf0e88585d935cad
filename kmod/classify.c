// SPDX-License-Identifier: GPL-2.0
/*
 * DOC: Theory of Operation
 *
 * The firewall's first-match classification is a tuple space search. Each
 * rule has a signature: the family it is restricted to, the prefix lengths
 * of its source and destination (0 for any address or a set), whether it
 * names a protocol, and whether it names one destination port. Rules of
 * the same signature form a tuple; within a tuple a rule is found by
 * hashing its masked source, masked destination, protocol and destination
 * port, exactly as a packet's fields are hashed after masking them to the
 * tuple's lengths. Whatever the hash cannot express (direction, applied-to,
 * source ports, port ranges, ICMP type and code, set membership) is checked
 * on the few rules of the matching bucket.
 *
 * Tuples are sorted by their first rule's index, and a bucket lists its
 * rules in ascending index, so the search stops as soon as no tuple can
 * hold a rule before the best match found so far: first match wins, and a
 * packet costs one hash per tuple visited, not one test per rule.
 *
 * Worked example, four rules:
 *
 *   0: allow src 10.0.0.0/8 tcp dport 22     sig (v4, 104, 0, proto, dport)
 *   1: drop  dst 192.168.1.7 udp             sig (v4, 0, 128, proto, -)
 *   2: allow src 10.1.0.0/16 tcp dport 22    sig (v4, 112, 0, proto, dport)
 *   3: allow tcp dport 1000-2000             sig (any, 0, 0, proto, -)
 *
 * (IPv4 lives in ::ffff:0:0/96, so /8 is 104 bits.) Four tuples, ordered by
 * first rule: T0 {0}, T1 {1}, T2 {2}, T3 {3}. A TCP packet 10.1.2.3 ->
 * 10.9.9.9:22 hashes (10.0.0.0/8, ::/0, tcp, 22) in T0 and finds rule 0,
 * which matches: best = 0, and T1.. all start at or after 0, so the search
 * ends after one hash. A TCP packet 172.16.0.1 -> 10.9.9.9:1500 misses in
 * T0 (different masked source), T1 (its protocol is udp), T2, then hashes
 * (::/0, ::/0, tcp, -) in T3, where rule 3 checks the port range: match.
 *
 * Everything is built once per commit into flat arrays; lookups read them
 * under RCU and never write.
 */
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/ipv6.h>
#include "classify.h"
#include "ruleset.h"

struct sf_tuple {
	u8 family;
	u8 src_plen, dst_plen;
	bool proto, dport;
	u32 min_idx;
	u32 mask;		/* buckets - 1 */
	u32 *start;		/* bucket b: idx[start[b] .. start[b + 1]) */
	u32 *idx;
};

struct sf_hkey {
	struct in6_addr src, dst;
	u32 pd;			/* protocol << 16 | destination port */
};

static u32 sf_tuple_hash(const struct sf_tuple *t, u32 seed,
			 const struct in6_addr *src,
			 const struct in6_addr *dst, u8 proto, u16 dport)
{
	struct sf_hkey k;

	ipv6_addr_prefix(&k.src, src, t->src_plen);
	ipv6_addr_prefix(&k.dst, dst, t->dst_plen);
	k.pd = (t->proto ? proto : 0) << 16 | (t->dport ? dport : 0);
	return jhash2((const u32 *)&k, sizeof(k) / sizeof(u32), seed) &
	       t->mask;
}

static u8 sf_rule_plen(const struct sf_rule_addr *a)
{
	return a->kind == SF_ADDR_PREFIX ? a->plen : 0;
}

static bool sf_rule_dport_exact(const struct sf_rule *r)
{
	return (r->flags & SF_RULE_PROTO) && r->dport[0] == r->dport[1] &&
	       !(r->dport[0] == 0 && r->dport[1] == U16_MAX);
}

/* Family, prefix lengths, protocol?, one port? packed for sorting. */
static u64 sf_rule_sig(const struct sf_rule *r)
{
	return (u64)r->family << 32 | (u64)sf_rule_plen(&r->src) << 24 |
	       (u64)sf_rule_plen(&r->dst) << 16 |
	       !!(r->flags & SF_RULE_PROTO) << 8 | sf_rule_dport_exact(r);
}

static u32 sf_rule_hash(const struct sf_tuple *t, u32 seed,
			const struct sf_rule *r)
{
	return sf_tuple_hash(t, seed, &r->src.addr, &r->dst.addr, r->proto,
			     r->dport[0]);
}

static bool sf_in_range(__be16 port, const u16 *range)
{
	u16 p = ntohs(port);

	return p >= range[0] && p <= range[1];
}

static bool sf_addr_match(const struct sf_rule_addr *a,
			  const struct in6_addr *addr)
{
	switch (a->kind) {
	case SF_ADDR_PREFIX:
		return ipv6_prefix_equal(addr, &a->addr, a->plen);
	case SF_ADDR_SET:
		return sf_set_contains(a->set, addr);
	}
	return true;
}

static bool sf_applied(const struct sf_rule *r, const struct sf_match_ctx *c)
{
	u32 lo = 0, hi = r->nifindex;

	if ((r->flags & SF_RULE_ALL_PORTS) || (r->tags & c->port_tags))
		return true;
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (r->ifindex[mid] == c->ifindex)
			return true;
		if (r->ifindex[mid] < c->ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool sf_rule_match(const struct sf_rule *r,
			  const struct sf_match_ctx *c)
{
	const struct sf_pktinfo *pi = c->pi;

	if (r->dir != SLOTFILTER_RULE_DIR_ANY && r->dir != c->rule_dir)
		return false;
	if (r->family && r->family != pi->family)
		return false;
	if ((r->flags & SF_RULE_PROTO) && r->proto != pi->proto)
		return false;
	if (!sf_in_range(pi->sport, r->sport) ||
	    !sf_in_range(pi->dport, r->dport))
		return false;
	if ((r->flags & SF_RULE_ICMP_TYPE) && r->icmp_type != pi->icmp_type)
		return false;
	if ((r->flags & SF_RULE_ICMP_CODE) && r->icmp_code != pi->icmp_code)
		return false;
	return sf_applied(r, c) && sf_addr_match(&r->src, &pi->src) &&
	       sf_addr_match(&r->dst, &pi->dst);
}

/* Must be called under rcu_read_lock(). NULL: no rule matched. */
const struct sf_rule *sf_classify(const struct sf_ruleset *rs,
				  const struct sf_match_ctx *c)
{
	const struct sf_pktinfo *pi = c->pi;
	u32 best = rs->nrules, i, b;
	const struct sf_tuple *t;

	for (t = rs->tuples; t < rs->tuples + rs->ntuples; t++) {
		if (t->min_idx >= best)
			break;
		if (t->family && t->family != pi->family)
			continue;
		b = sf_tuple_hash(t, rs->hash_seed, &pi->src, &pi->dst,
				  pi->proto, ntohs(pi->dport));
		for (i = t->start[b]; i < t->start[b + 1]; i++) {
			u32 idx = t->idx[i];

			if (idx >= best)
				break;
			if (sf_rule_match(&rs->rules[idx], c)) {
				best = idx;
				break;
			}
		}
	}
	return best < rs->nrules ? &rs->rules[best] : NULL;
}

struct sf_sig_idx {
	u64 sig;
	u32 idx;
};

static int sf_sig_cmp(const void *a, const void *b)
{
	const struct sf_sig_idx *x = a, *y = b;

	if (x->sig != y->sig)
		return x->sig < y->sig ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int sf_tuple_cmp(const void *a, const void *b)
{
	const struct sf_tuple *x = a, *y = b;

	return x->min_idx < y->min_idx ? -1 : x->min_idx > y->min_idx;
}

/* Fills @t with the @n rules of @si (one signature, ascending index). */
static int sf_tuple_build(struct sf_ruleset *rs, struct sf_tuple *t,
			  const struct sf_sig_idx *si, u32 n)
{
	const struct sf_rule *first = &rs->rules[si[0].idx];
	u32 nb = roundup_pow_of_two(max(n, 2U)), i, b;
	u32 *fill;

	t->family = first->family;
	t->src_plen = sf_rule_plen(&first->src);
	t->dst_plen = sf_rule_plen(&first->dst);
	t->proto = first->flags & SF_RULE_PROTO;
	t->dport = sf_rule_dport_exact(first);
	t->min_idx = si[0].idx;
	t->mask = nb - 1;
	t->start = kvcalloc(nb + 1, sizeof(u32), GFP_KERNEL_ACCOUNT);
	t->idx = kvcalloc(n, sizeof(u32), GFP_KERNEL_ACCOUNT);
	fill = kvcalloc(nb, sizeof(u32), GFP_KERNEL);
	if (!t->start || !t->idx || !fill) {
		kvfree(fill);
		return -ENOMEM;
	}
	rs->mem += (nb + 1 + n) * sizeof(u32);

	/* A counting sort by bucket keeps ascending index within a bucket. */
	for (i = 0; i < n; i++)
		t->start[sf_rule_hash(t, rs->hash_seed,
				      &rs->rules[si[i].idx]) + 1]++;
	for (b = 0; b < nb; b++)
		t->start[b + 1] += t->start[b];
	for (i = 0; i < n; i++) {
		b = sf_rule_hash(t, rs->hash_seed, &rs->rules[si[i].idx]);
		t->idx[t->start[b] + fill[b]++] = si[i].idx;
	}
	kvfree(fill);
	return 0;
}

int sf_classify_build(struct sf_ruleset *rs)
{
	struct sf_sig_idx *si;
	u32 i, first, nt = 0;
	int err = 0;

	if (!rs->nrules)
		return 0;
	si = kvcalloc(rs->nrules, sizeof(*si), GFP_KERNEL);
	if (!si)
		return -ENOMEM;
	for (i = 0; i < rs->nrules; i++) {
		si[i].sig = sf_rule_sig(&rs->rules[i]);
		si[i].idx = i;
	}
	sort(si, rs->nrules, sizeof(*si), sf_sig_cmp, NULL);
	for (i = 0; i < rs->nrules; i++)
		nt += !i || si[i].sig != si[i - 1].sig;

	rs->tuples = kvcalloc(nt, sizeof(*rs->tuples), GFP_KERNEL_ACCOUNT);
	if (!rs->tuples) {
		err = -ENOMEM;
		goto out;
	}
	rs->mem += nt * sizeof(*rs->tuples);
	for (i = 0, first = 0; i <= rs->nrules; i++) {
		if (i < rs->nrules && si[i].sig == si[first].sig)
			continue;
		err = sf_tuple_build(rs, &rs->tuples[rs->ntuples++],
				     &si[first], i - first);
		if (err)
			goto out;
		first = i;
	}
	sort(rs->tuples, rs->ntuples, sizeof(*rs->tuples), sf_tuple_cmp,
	     NULL);
out:
	kvfree(si);
	return err;
}

void sf_classify_free(struct sf_ruleset *rs)
{
	u32 i;

	for (i = 0; i < rs->ntuples; i++) {
		kvfree(rs->tuples[i].start);
		kvfree(rs->tuples[i].idx);
	}
	kvfree(rs->tuples);
}

#ifdef DEBUG
#include "selftest/classify.c"
#endif
