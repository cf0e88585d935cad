// SPDX-License-Identifier: GPL-2.0
/*
 * Address sets. A set's elements are kept twice, in one immutable
 * allocation published under RCU: as the sorted prefixes users gave (for
 * dumps and for changes), and as sorted disjoint ranges over the 128-bit
 * address space (IPv4 mapped into ::ffff:0:0/96), where a lookup is one
 * binary search. A change builds the next allocation and swaps the pointer:
 * the rules that name the set keep their compiled form.
 *
 * Lifetime: a set is on its namespace's list (one reference) and referenced
 * by every ruleset whose rules name it. Deleting it is refused while the
 * current ruleset uses it; older rulesets still in a grace period keep it
 * alive through their references, and the last put frees it.
 */
#include <linux/netlink.h>
#include <linux/overflow.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/ipv6.h>
#include "netns.h"
#include "set.h"

static struct sf_u128 sf_u128_of(const struct in6_addr *a)
{
	__be64 w[2];
	struct sf_u128 v;

	memcpy(w, a, sizeof(w));
	v.hi = be64_to_cpu(w[0]);
	v.lo = be64_to_cpu(w[1]);
	return v;
}

static int sf_u128_cmp(const struct sf_u128 *a, const struct sf_u128 *b)
{
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return 0;
}

static void sf_prefix_range(const struct sf_prefix *p, struct sf_range *r)
{
	u64 hostbits_hi, hostbits_lo;

	r->first = sf_u128_of(&p->addr);
	if (p->plen >= 64) {
		hostbits_hi = 0;
		hostbits_lo = p->plen == 128 ? 0 : ~0ULL >> (p->plen - 64);
	} else {
		hostbits_hi = p->plen ? ~0ULL >> p->plen : ~0ULL;
		hostbits_lo = ~0ULL;
	}
	r->last.hi = r->first.hi | hostbits_hi;
	r->last.lo = r->first.lo | hostbits_lo;
}

/*
 * Reads a prefix (SLOTFILTER_ADDR_A_ADDR, _PLEN) from @tb, the parsed
 * @nest, into the 128-bit form. Host bits beyond the length are an error.
 */
int sf_prefix_parse(struct nlattr **tb, const struct nlattr *nest,
		    struct sf_prefix *p, struct netlink_ext_ack *extack)
{
	const struct nlattr *addr = tb[SLOTFILTER_ADDR_A_ADDR];
	struct in6_addr masked;
	unsigned int bits;

	if (!addr) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "address without ADDR");
		return -EINVAL;
	}
	memset(p, 0, sizeof(*p));
	if (nla_len(addr) == 4) {
		ipv6_addr_set_v4mapped(nla_get_in_addr(addr), &p->addr);
		bits = 32;
	} else {
		p->addr = nla_get_in6_addr(addr);
		bits = 128;
	}
	p->plen = tb[SLOTFILTER_ADDR_A_PLEN] ?
		  nla_get_u8(tb[SLOTFILTER_ADDR_A_PLEN]) : bits;
	if (p->plen > bits) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SLOTFILTER_ADDR_A_PLEN],
				    "prefix length out of range for the address family");
		return -EINVAL;
	}
	p->plen += 128 - bits;
	ipv6_addr_prefix(&masked, &p->addr, p->plen);
	if (!ipv6_addr_equal(&masked, &p->addr)) {
		NL_SET_ERR_MSG_ATTR(extack, addr,
				    "address has bits set beyond its prefix length");
		return -EINVAL;
	}
	return 0;
}

/* Must be called under rcu_read_lock(). */
bool sf_set_contains(const struct sf_set *set, const struct in6_addr *addr)
{
	const struct sf_set_data *d = rcu_dereference(set->data);
	struct sf_u128 v = sf_u128_of(addr);
	u32 lo = 0, hi = d->nranges;

	/* Find the last range starting at or before v. */
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (sf_u128_cmp(&d->ranges[mid].first, &v) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && sf_u128_cmp(&v, &d->ranges[lo - 1].last) <= 0;
}

static int sf_prefix_cmp(const void *a, const void *b)
{
	const struct sf_prefix *pa = a, *pb = b;
	bool va = ipv6_addr_v4mapped(&pa->addr);
	bool vb = ipv6_addr_v4mapped(&pb->addr);
	int c;

	if (va != vb)
		return va ? -1 : 1;
	c = memcmp(&pa->addr, &pb->addr, sizeof(pa->addr));
	return c ?: (int)pa->plen - (int)pb->plen;
}

static int sf_range_cmp(const void *a, const void *b)
{
	return sf_u128_cmp(&((const struct sf_range *)a)->first,
			   &((const struct sf_range *)b)->first);
}

/* Builds set data from @n sorted, unique prefixes. */
static struct sf_set_data *sf_set_data_build(const struct sf_prefix *elems,
					     u32 n)
{
	struct sf_set_data *d;
	size_t size;
	u32 i, r;

	size = sizeof(*d);
	size = size_add(size, array_size(n, sizeof(*d->elems)));
	size = size_add(size, array_size(n, sizeof(*d->ranges)));
	d = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!d)
		return NULL;
	d->elems = (struct sf_prefix *)(d + 1);
	d->ranges = (struct sf_range *)(d->elems + n);
	d->nelems = n;
	memcpy(d->elems, elems, array_size(n, sizeof(*elems)));

	for (i = 0; i < n; i++)
		sf_prefix_range(&elems[i], &d->ranges[i]);
	sort(d->ranges, n, sizeof(*d->ranges), sf_range_cmp, NULL);
	/* Merge ranges that overlap: a lookup needs them disjoint. */
	for (i = 0, r = 0; i < n; i++) {
		if (r && sf_u128_cmp(&d->ranges[i].first,
				     &d->ranges[r - 1].last) <= 0) {
			if (sf_u128_cmp(&d->ranges[i].last,
					&d->ranges[r - 1].last) > 0)
				d->ranges[r - 1].last = d->ranges[i].last;
			continue;
		}
		d->ranges[r++] = d->ranges[i];
	}
	d->nranges = r;
	return d;
}

static void sf_set_data_free_rcu(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct sf_set_data, rcu));
}

/* Must be called with RTNL. */
struct sf_set *sf_set_find(struct sf_net *sn, const char *name)
{
	struct sf_set *set;

	list_for_each_entry(set, &sn->sets, list)
		if (!strcmp(set->name, name))
			return set;
	return NULL;
}

void sf_set_put(struct sf_set *set)
{
	if (!refcount_dec_and_test(&set->ref))
		return;
	/* No ruleset and no list holds it: no reader can reach it. */
	kvfree(rcu_dereference_protected(set->data, true));
	kfree(set);
}

static struct sf_prefix *sf_prefix_dup(const struct sf_prefix *p, u32 n)
{
	struct sf_prefix *copy = kvmalloc_array(n ?: 1, sizeof(*p), GFP_KERNEL);

	if (copy)
		memcpy(copy, p, array_size(n, sizeof(*p)));
	return copy;
}

/* Sorts @n prefixes and drops duplicates, in place; returns the new count. */
static u32 sf_prefix_sort_unique(struct sf_prefix *p, u32 n)
{
	u32 i, u;

	sort(p, n, sizeof(*p), sf_prefix_cmp, NULL);
	for (i = 0, u = 0; i < n; i++)
		if (!u || sf_prefix_cmp(&p[u - 1], &p[i]))
			p[u++] = p[i];
	return u;
}

int sf_set_add(struct sf_net *sn, const char *name,
	       const struct sf_prefix *elems, u32 n,
	       struct netlink_ext_ack *extack)
{
	struct sf_set_data *d;
	struct sf_prefix *tmp;
	struct sf_set *set;

	ASSERT_RTNL();
	if (sf_set_find(sn, name)) {
		NL_SET_ERR_MSG_MOD(extack, "a set of this name exists");
		return -EEXIST;
	}
	tmp = sf_prefix_dup(elems, n);
	if (!tmp)
		return -ENOMEM;
	n = sf_prefix_sort_unique(tmp, n);
	d = sf_set_data_build(tmp, n);
	kvfree(tmp);
	set = kzalloc(sizeof(*set), GFP_KERNEL_ACCOUNT);
	if (!d || !set) {
		kvfree(d);
		kfree(set);
		return -ENOMEM;
	}
	strscpy(set->name, name, sizeof(set->name));
	refcount_set(&set->ref, 1);
	RCU_INIT_POINTER(set->data, d);
	list_add_tail(&set->list, &sn->sets);
	return 0;
}

int sf_set_del(struct sf_net *sn, const char *name,
	       struct netlink_ext_ack *extack)
{
	struct sf_set *set;

	ASSERT_RTNL();
	set = sf_set_find(sn, name);
	if (!set) {
		NL_SET_ERR_MSG_MOD(extack, "no set of this name");
		return -ENOENT;
	}
	if (set->users) {
		NL_SET_ERR_MSG_MOD(extack, "set is used by the ruleset");
		return -EBUSY;
	}
	list_del(&set->list);
	sf_set_put(set);
	return 0;
}

/*
 * Adds (@add) or removes @n prefixes, all or nothing, and publishes the
 * result. Must be called with RTNL.
 */
int sf_set_change(struct sf_set *set, const struct sf_prefix *elems, u32 n,
		  bool add, struct netlink_ext_ack *extack)
{
	struct sf_set_data *old = rtnl_dereference(set->data), *d;
	struct sf_prefix *merged, *gone;
	u32 i, m, total;

	gone = sf_prefix_dup(elems, n);
	if (!gone)
		return -ENOMEM;
	n = sf_prefix_sort_unique(gone, n);
	total = add ? old->nelems + n : old->nelems;
	merged = kvmalloc_array(total ?: 1, sizeof(*merged), GFP_KERNEL);
	if (!merged) {
		kvfree(gone);
		return -ENOMEM;
	}
	memcpy(merged, old->elems, array_size(old->nelems, sizeof(*merged)));
	if (add) {
		memcpy(merged + old->nelems, gone, array_size(n, sizeof(*gone)));
		m = sf_prefix_sort_unique(merged, total);
		/* Counted after duplicates go: re-adding is never an error. */
		if (m > SLOTFILTER_SET_ELEMS_MAX) {
			kvfree(merged);
			kvfree(gone);
			NL_SET_ERR_MSG_MOD(extack,
					   "a set holds at most 65536 elements");
			return -ENOSPC;
		}
	} else {
		/* Both sorted: walk them together, every deletion must hit. */
		u32 j = 0;

		for (i = 0, m = 0; i < old->nelems; i++) {
			if (j < n && !sf_prefix_cmp(&merged[i], &gone[j])) {
				j++;
				continue;
			}
			merged[m++] = merged[i];
		}
		if (j < n) {
			kvfree(merged);
			kvfree(gone);
			NL_SET_ERR_MSG_MOD(extack, "element is not in the set");
			return -ENOENT;
		}
	}
	kvfree(gone);
	d = sf_set_data_build(merged, m);
	kvfree(merged);
	if (!d)
		return -ENOMEM;
	rcu_assign_pointer(set->data, d);
	call_rcu(&old->rcu, sf_set_data_free_rcu);
	return 0;
}

/* Drops every set of a dying namespace (its ruleset is gone already). */
void sf_set_flush(struct sf_net *sn)
{
	struct sf_set *set, *tmp;

	list_for_each_entry_safe(set, tmp, &sn->sets, list) {
		list_del(&set->list);
		sf_set_put(set);
	}
}
