// SPDX-License-Identifier: GPL-2.0
/*
 * Building a ruleset from a SLOTFILTER_CMD_FW_REPLACE request: every rule
 * is checked and compiled before anything is published, every rejection
 * names its rule, and a failed build releases all it took (set and tag
 * references, memory). Its per-rule counters live in per-CPU chunks.
 */
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include "classify.h"
#include "netlink.h"
#include "netns.h"
#include "ruleset.h"
#include "service.h"

#define SF_STAT_CHUNK	256	/* rules per per-CPU counter chunk */

static bool sf_proto_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP;
}

/* The family a rule is restricted to so far: 0 = both; conflicts fail. */
static int sf_rule_family(struct sf_rule *r, u8 family,
			  const struct nlattr *attr,
			  struct netlink_ext_ack *extack)
{
	if (r->family && r->family != family) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "the rule mixes IPv4 and IPv6");
		return -EINVAL;
	}
	r->family = family;
	return 0;
}

static int sf_rule_addr_build(struct sf_net *sn, struct sf_rule *r,
			      struct sf_rule_addr *a, const struct nlattr *nest,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SLOTFILTER_ADDR_A_MAX + 1];
	struct sf_prefix p;
	int err;

	err = nla_parse_nested(tb, SLOTFILTER_ADDR_A_MAX, nest, sf_addr_policy,
			       extack);
	if (err)
		return err;
	if (tb[SLOTFILTER_ADDR_A_SET]) {
		if (tb[SLOTFILTER_ADDR_A_ADDR] || tb[SLOTFILTER_ADDR_A_PLEN]) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "an address is a prefix or a set, not both");
			return -EINVAL;
		}
		a->set = sf_set_find(sn, nla_data(tb[SLOTFILTER_ADDR_A_SET]));
		if (!a->set) {
			NL_SET_ERR_MSG_ATTR(extack, tb[SLOTFILTER_ADDR_A_SET],
					    "no set of this name");
			return -ENOENT;
		}
		refcount_inc(&a->set->ref);
		a->kind = SF_ADDR_SET;
		return 0;
	}
	err = sf_prefix_parse(tb, nest, &p, extack);
	if (err)
		return err;
	a->kind = SF_ADDR_PREFIX;
	a->addr = p.addr;
	a->plen = p.plen;
	return sf_rule_family(r, ipv6_addr_v4mapped(&p.addr) ? NFPROTO_IPV4 :
			      NFPROTO_IPV6, nest, extack);
}

static int sf_range_build(const struct nlattr *nest, u16 *range,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SLOTFILTER_RANGE_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, SLOTFILTER_RANGE_A_MAX, nest,
			       sf_range_policy, extack);
	if (err)
		return err;
	if (!tb[SLOTFILTER_RANGE_A_MIN]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "port range without a start");
		return -EINVAL;
	}
	range[0] = nla_get_u16(tb[SLOTFILTER_RANGE_A_MIN]);
	range[1] = tb[SLOTFILTER_RANGE_A_MAX] ?
		   nla_get_u16(tb[SLOTFILTER_RANGE_A_MAX]) : range[0];
	if (range[0] > range[1]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "port range starts above its end");
		return -EINVAL;
	}
	return 0;
}

static int sf_ifindex_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static int sf_applied_build(struct sf_net *sn, struct sf_ruleset *rs,
			    struct sf_rule *r, const struct nlattr *nest,
			    struct netlink_ext_ack *extack)
{
	const struct nlattr *attr;
	u32 n = 0;
	int rem, id;

	nla_for_each_nested(attr, nest, rem)
		n += nla_type(attr) == SLOTFILTER_APPLIED_A_IFINDEX;
	r->ifindex = kcalloc(n ?: 1, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!r->ifindex)
		return -ENOMEM;

	nla_for_each_nested(attr, nest, rem) {
		if (nla_type(attr) == SLOTFILTER_APPLIED_A_IFINDEX) {
			u32 ifindex = nla_get_u32(attr);

			if (!xa_load(&sn->ports, ifindex)) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "applied-to names a device that is not a port");
				return -ENOENT;
			}
			r->ifindex[r->nifindex++] = ifindex;
			continue;
		}
		if (!sf_name_valid(nla_data(attr))) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "invalid tag name");
			return -EINVAL;
		}
		id = sf_tag_find(&sn->tags, nla_data(attr));
		if (id < 0 || !(rs->tagrefs & BIT_ULL(id))) {
			id = sf_tag_get(&sn->tags, nla_data(attr), extack);
			if (id < 0) {
				NL_SET_BAD_ATTR(extack, attr);
				return id;
			}
			rs->tagrefs |= BIT_ULL(id);
		}
		r->tags |= BIT_ULL(id);
	}
	if (!r->nifindex && !r->tags) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "applied-to names no port and no tag");
		return -EINVAL;
	}
	sort(r->ifindex, r->nifindex, sizeof(u32), sf_ifindex_cmp, NULL);
	return 0;
}

static int sf_rule_l4_build(struct sf_rule *r, struct nlattr **tb,
			    const struct nlattr *nest,
			    struct netlink_ext_ack *extack)
{
	int err;

	r->sport[1] = U16_MAX;
	r->dport[1] = U16_MAX;
	if (tb[SLOTFILTER_RULE_A_PROTO]) {
		r->flags |= SF_RULE_PROTO;
		r->proto = nla_get_u8(tb[SLOTFILTER_RULE_A_PROTO]);
	}
	if (tb[SLOTFILTER_RULE_A_SPORT] || tb[SLOTFILTER_RULE_A_DPORT]) {
		if (!(r->flags & SF_RULE_PROTO) ||
		    !sf_proto_has_ports(r->proto)) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "ports need protocol tcp, udp, udplite or sctp");
			return -EINVAL;
		}
		if (tb[SLOTFILTER_RULE_A_SPORT]) {
			err = sf_range_build(tb[SLOTFILTER_RULE_A_SPORT],
					     r->sport, extack);
			if (err)
				return err;
		}
		if (tb[SLOTFILTER_RULE_A_DPORT]) {
			err = sf_range_build(tb[SLOTFILTER_RULE_A_DPORT],
					     r->dport, extack);
			if (err)
				return err;
		}
	}
	if (r->flags & SF_RULE_PROTO && r->proto == IPPROTO_ICMP)
		r->family = NFPROTO_IPV4;
	if (r->flags & SF_RULE_PROTO && r->proto == IPPROTO_ICMPV6)
		r->family = NFPROTO_IPV6;
	if (tb[SLOTFILTER_RULE_A_ICMP_TYPE] || tb[SLOTFILTER_RULE_A_ICMP_CODE]) {
		if (!r->family || !(r->flags & SF_RULE_PROTO)) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "ICMP type and code need protocol icmp or icmpv6");
			return -EINVAL;
		}
	}
	if (tb[SLOTFILTER_RULE_A_ICMP_TYPE]) {
		r->flags |= SF_RULE_ICMP_TYPE;
		r->icmp_type = nla_get_u8(tb[SLOTFILTER_RULE_A_ICMP_TYPE]);
	}
	if (tb[SLOTFILTER_RULE_A_ICMP_CODE]) {
		r->flags |= SF_RULE_ICMP_CODE;
		r->icmp_code = nla_get_u8(tb[SLOTFILTER_RULE_A_ICMP_CODE]);
	}
	return 0;
}

/* What a redirect rule may and must hold that a firewall rule may not. */
static int sf_rule_kind_check(struct sf_rule *r, struct nlattr **tb,
			      const struct nlattr *nest, bool redirect,
			      struct netlink_ext_ack *extack)
{
	bool rd_action = r->action == SLOTFILTER_ACTION_REDIRECT ||
			 r->action == SLOTFILTER_ACTION_SKIP;

	if (redirect && !rd_action) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SLOTFILTER_RULE_A_ACTION],
				    "a redirect rule's action is redirect or skip");
		return -EINVAL;
	}
	if (!redirect && rd_action) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SLOTFILTER_RULE_A_ACTION],
				    "redirect and skip are actions of redirect rules (SLOTFILTER_FW_A_REDIRECT)");
		return -EINVAL;
	}
	return 0;
}

static int sf_rule_build(struct sf_net *sn, struct sf_ruleset *rs,
			 struct sf_rule *r, const struct nlattr *nest,
			 bool redirect, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SLOTFILTER_RULE_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, SLOTFILTER_RULE_A_MAX, nest,
			       redirect ? sf_redirect_policy : sf_rule_policy,
			       extack);
	if (err)
		return err;
	if (!tb[SLOTFILTER_RULE_A_ID] || !tb[SLOTFILTER_RULE_A_ACTION]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a rule needs an id and an action");
		return -EINVAL;
	}
	r->id = nla_get_u32(tb[SLOTFILTER_RULE_A_ID]);
	r->action = nla_get_u8(tb[SLOTFILTER_RULE_A_ACTION]);
	err = sf_rule_kind_check(r, tb, nest, redirect, extack);
	if (err)
		return err;
	if (tb[SLOTFILTER_RULE_A_DIRECTION])
		r->dir = nla_get_u8(tb[SLOTFILTER_RULE_A_DIRECTION]);
	if (tb[SLOTFILTER_RULE_A_LOG])
		r->flags |= SF_RULE_LOG;

	err = sf_rule_l4_build(r, tb, nest, extack);
	if (err)
		return err;
	if (tb[SLOTFILTER_RULE_A_SRC]) {
		err = sf_rule_addr_build(sn, r, &r->src,
					 tb[SLOTFILTER_RULE_A_SRC], extack);
		if (err)
			return err;
	}
	if (tb[SLOTFILTER_RULE_A_DST]) {
		err = sf_rule_addr_build(sn, r, &r->dst,
					 tb[SLOTFILTER_RULE_A_DST], extack);
		if (err)
			return err;
	}
	if (tb[SLOTFILTER_RULE_A_APPLIED_TO]) {
		err = sf_applied_build(sn, rs, r,
				       tb[SLOTFILTER_RULE_A_APPLIED_TO],
				       extack);
		if (err)
			return err;
	} else {
		r->flags |= SF_RULE_ALL_PORTS;
	}
	r->conf = kmemdup(nest, nest->nla_len, GFP_KERNEL_ACCOUNT);
	if (!r->conf)
		return -ENOMEM;
	rs->mem += nest->nla_len + r->nifindex * sizeof(u32);
	return 0;
}

static int sf_ruleset_stats_alloc(struct sf_ruleset *rs)
{
	u32 i, n = DIV_ROUND_UP(rs->nrules, SF_STAT_CHUNK);

	rs->stat_chunks = kcalloc(n ?: 1, sizeof(void *), GFP_KERNEL_ACCOUNT);
	if (!rs->stat_chunks)
		return -ENOMEM;
	/* Only now: sf_ruleset_free() walks nchunks entries of the array. */
	rs->nchunks = n;
	for (i = 0; i < rs->nchunks; i++) {
		rs->stat_chunks[i] = __alloc_percpu_gfp(SF_STAT_CHUNK *
						sizeof(struct sf_rule_stats),
						__alignof__(struct sf_rule_stats),
						GFP_KERNEL_ACCOUNT);
		if (!rs->stat_chunks[i])
			return -ENOMEM;
	}
	for (i = 0; i < rs->nrules; i++)
		rs->rules[i].stats = (struct sf_rule_stats __percpu *)
			rs->stat_chunks[i / SF_STAT_CHUNK] + i % SF_STAT_CHUNK;
	return 0;
}

struct sf_id_idx {
	u32 id, idx;
};

static int sf_id_cmp(const void *a, const void *b)
{
	const struct sf_id_idx *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Rejects a repeated rule id, naming its second rule. */
static int sf_ruleset_ids(struct sf_ruleset *rs, struct nlattr **rules,
			  struct netlink_ext_ack *extack)
{
	struct sf_id_idx *ids;
	int err = 0;
	u32 i;

	ids = kvcalloc(rs->nrules ?: 1, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	for (i = 0; i < rs->nrules; i++) {
		ids[i].id = rs->rules[i].id;
		ids[i].idx = i;
	}
	sort(ids, rs->nrules, sizeof(*ids), sf_id_cmp, NULL);
	for (i = 1; i < rs->nrules; i++) {
		if (ids[i].id == ids[i - 1].id) {
			NL_SET_ERR_MSG_ATTR(extack, rules[ids[i].idx],
					    "duplicate rule id");
			err = -EEXIST;
			break;
		}
	}
	kvfree(ids);
	return err;
}

static int sf_ruleset_options(struct sf_ruleset *rs, struct nlattr **tb,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *attr;
	int rem;

	rs->def = tb[SLOTFILTER_FW_A_DEFAULT] ?
		  nla_get_u8(tb[SLOTFILTER_FW_A_DEFAULT]) :
		  SLOTFILTER_ACTION_ALLOW;
	if (rs->def == SLOTFILTER_ACTION_REJECT) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SLOTFILTER_FW_A_DEFAULT],
				    "the default action is allow or drop");
		return -EINVAL;
	}
	if (tb[SLOTFILTER_FW_A_FLAGS])
		rs->flags = nla_get_u32(tb[SLOTFILTER_FW_A_FLAGS]);
	rs->flow_max = tb[SLOTFILTER_FW_A_FLOW_MAX] ?
		       nla_get_u32(tb[SLOTFILTER_FW_A_FLOW_MAX]) :
		       SF_FLOW_MAX_DEFAULT;
	memcpy(rs->timeout, sf_flow_default_timeouts(), sizeof(rs->timeout));
	if (tb[SLOTFILTER_FW_A_TIMEOUTS])
		nla_for_each_nested(attr, tb[SLOTFILTER_FW_A_TIMEOUTS], rem)
			rs->timeout[nla_type(attr)] = nla_get_u32(attr);
	return 0;
}

/*
 * Builds the @n rules whose nests are @nests into @rs, in order, and
 * compiles them. On failure @rs holds what was built, for
 * sf_ruleset_free().
 */
static int sf_rules_build(struct sf_net *sn, struct sf_ruleset *rs,
			  struct nlattr **nests, u32 n, bool redirect,
			  struct netlink_ext_ack *extack)
{
	int err;
	u32 i;

	rs->rules = kvcalloc(n ?: 1, sizeof(*rs->rules), GFP_KERNEL_ACCOUNT);
	if (!rs->rules)
		return -ENOMEM;
	rs->mem += sizeof(*rs) + n * sizeof(*rs->rules);
	for (i = 0; i < n; i++) {
		err = sf_rule_build(sn, rs, &rs->rules[rs->nrules++], nests[i],
				    redirect, extack);
		if (err)
			return err;
	}
	return sf_ruleset_ids(rs, nests, extack) ?:
	       sf_ruleset_stats_alloc(rs) ?:
	       sf_classify_build(rs);
}

/* The nests of type @type at the top level of @nlh; kvfree() them. */
static struct nlattr **sf_rule_nests(const struct nlmsghdr *nlh, int type,
				     u32 *n, struct netlink_ext_ack *extack)
{
	struct nlattr **nests, *attr;
	int rem;

	*n = 0;
	nlmsg_for_each_attr(attr, nlh, GENL_HDRLEN, rem)
		*n += nla_type(attr) == type;
	if (*n > SLOTFILTER_RULES_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "a ruleset holds at most 65536 rules");
		return ERR_PTR(-E2BIG);
	}
	nests = kvcalloc(*n ?: 1, sizeof(*nests), GFP_KERNEL);
	if (!nests)
		return ERR_PTR(-ENOMEM);
	*n = 0;
	nlmsg_for_each_attr(attr, nlh, GENL_HDRLEN, rem)
		if (nla_type(attr) == type)
			nests[(*n)++] = attr;
	return nests;
}

static struct sf_ruleset *sf_ruleset_alloc(void)
{
	struct sf_ruleset *rs = kzalloc(sizeof(*rs), GFP_KERNEL_ACCOUNT);

	if (rs)
		get_random_bytes(&rs->hash_seed, sizeof(rs->hash_seed));
	return rs;
}

/*
 * The redirect rules: grouped by the service they name, each group
 * compiled into a ruleset of its own, rs->redirect[service id], in the
 * order given. @nests is reordered (stably) by service.
 */
static int sf_redirects_build(struct sf_net *sn, struct sf_ruleset *rs,
			      struct nlattr **nests, u32 n,
			      struct netlink_ext_ack *extack)
{
	u32 count[SF_SERVICES_MAX] = {}, first[SF_SERVICES_MAX];
	struct nlattr **sorted;
	struct nlattr *name;
	u8 *ids;
	u32 i, at;
	int err = 0, id;

	ids = kvmalloc(n ?: 1, GFP_KERNEL);
	sorted = kvcalloc(n ?: 1, sizeof(*sorted), GFP_KERNEL);
	if (!ids || !sorted) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		name = nla_find_nested(nests[i], SLOTFILTER_RULE_A_SERVICE);
		if (!name) {
			NL_SET_ERR_MSG_ATTR(extack, nests[i],
					    "a redirect rule needs a service (SLOTFILTER_RULE_A_SERVICE)");
			err = -EINVAL;
			goto out;
		}
		id = sf_service_id(sn, nla_data(name));
		if (id < 0) {
			NL_SET_ERR_MSG_ATTR(extack, name, "no service of this name");
			err = -ENOENT;
			goto out;
		}
		ids[i] = id;
		count[id]++;
	}
	for (id = 0, at = 0; id < SF_SERVICES_MAX; id++) {
		first[id] = at;
		at += count[id];
	}
	for (i = 0; i < n; i++)
		sorted[first[ids[i]]++] = nests[i];
	for (id = 0, at = 0; id < SF_SERVICES_MAX; at += count[id], id++) {
		if (!count[id])
			continue;
		rs->redirect[id] = sf_ruleset_alloc();
		if (!rs->redirect[id]) {
			err = -ENOMEM;
			goto out;
		}
		err = sf_rules_build(sn, rs->redirect[id], &sorted[at],
				     count[id], true, extack);
		rs->mem += rs->redirect[id]->mem;
		if (err)
			goto out;
	}
out:
	kvfree(sorted);
	kvfree(ids);
	return err;
}

/*
 * Builds (but does not publish) the ruleset a FW_REPLACE request
 * describes. Must be called with RTNL. Returns an ERR_PTR on failure,
 * with an extack message naming the offending attribute.
 */
struct sf_ruleset *sf_ruleset_build(struct sf_net *sn, struct nlattr **tb,
				    const struct nlmsghdr *nlh,
				    struct netlink_ext_ack *extack)
{
	struct nlattr **rules = NULL, **redirects = NULL;
	struct sf_ruleset *rs;
	u32 n, nred;
	int err;

	rs = sf_ruleset_alloc();
	if (!rs)
		return ERR_PTR(-ENOMEM);
	err = sf_ruleset_options(rs, tb, extack);
	if (err)
		goto err;
	rules = sf_rule_nests(nlh, SLOTFILTER_FW_A_RULE, &n, extack);
	if (IS_ERR(rules)) {
		err = PTR_ERR(rules);
		rules = NULL;
		goto err;
	}
	redirects = sf_rule_nests(nlh, SLOTFILTER_FW_A_REDIRECT, &nred, extack);
	if (IS_ERR(redirects)) {
		err = PTR_ERR(redirects);
		redirects = NULL;
		goto err;
	}
	err = sf_rules_build(sn, rs, rules, n, false, extack) ?:
	      sf_redirects_build(sn, rs, redirects, nred, extack);
	if (err)
		goto err;
	kvfree(redirects);
	kvfree(rules);
	return rs;

err:
	kvfree(redirects);
	kvfree(rules);
	sf_ruleset_free(sn, rs);
	return ERR_PTR(err);
}

static void sf_rule_release(struct sf_rule *r)
{
	if (r->src.set)
		sf_set_put(r->src.set);
	if (r->dst.set)
		sf_set_put(r->dst.set);
	kfree(r->ifindex);
	kfree(r->conf);
}

/*
 * Frees a ruleset no reader can see any more (never published, or
 * replaced a grace period ago). Must be called with RTNL: it gives back
 * the tag ids it holds.
 */
void sf_ruleset_free(struct sf_net *sn, struct sf_ruleset *rs)
{
	u32 i;

	if (!rs)
		return;
	for (i = 0; i < SF_SERVICES_MAX; i++)
		sf_ruleset_free(sn, rs->redirect[i]);
	sf_classify_free(rs);
	for (i = 0; i < rs->nrules; i++)
		sf_rule_release(&rs->rules[i]);
	for (i = 0; i < rs->nchunks; i++)
		free_percpu(rs->stat_chunks[i]);
	kfree(rs->stat_chunks);
	kvfree(rs->rules);
	sf_tag_put_mask(&sn->tags, rs->tagrefs);
	kfree(rs);
}

/* With no rule, default allow and no flag, slot 2 stays empty. */
bool sf_ruleset_trivial(const struct sf_ruleset *rs)
{
	return !rs->nrules && rs->def == SLOTFILTER_ACTION_ALLOW && !rs->flags;
}

void sf_rule_count(const struct sf_rule *rule, unsigned int len, bool flow)
{
	struct sf_rule_stats *s = this_cpu_ptr(rule->stats);

	s->packets++;
	s->bytes += len;
	s->flows += flow;
	s->last_hit = jiffies;
}

void sf_rule_totals(const struct sf_rule *rule, struct sf_rule_totals *t)
{
	int cpu;

	*t = rule->carried;
	for_each_possible_cpu(cpu) {
		const struct sf_rule_stats *s = per_cpu_ptr(rule->stats, cpu);
		unsigned long last = READ_ONCE(s->last_hit);

		t->packets += READ_ONCE(s->packets);
		t->bytes += READ_ONCE(s->bytes);
		t->flows += READ_ONCE(s->flows);
		if (last && (!t->last_hit || time_after(last, t->last_hit)))
			t->last_hit = last;
	}
}

void sf_rule_reset(struct sf_rule *rule)
{
	int cpu;

	memset(&rule->carried, 0, sizeof(rule->carried));
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(rule->stats, cpu), 0,
		       sizeof(struct sf_rule_stats));
}

const struct sf_rule *sf_ruleset_find(const struct sf_ruleset *rs, u32 id)
{
	u32 i;

	for (i = 0; i < rs->nrules; i++)
		if (rs->rules[i].id == id)
			return &rs->rules[i];
	return NULL;
}

/*
 * Carries the counters of every rule id of @old into @rs. Called once no
 * packet can reach @old any more, so nothing counted there is lost.
 */
void sf_ruleset_carry(struct sf_ruleset *rs, const struct sf_ruleset *old)
{
	struct sf_id_idx *ids;
	u32 i, j = 0;

	if (!old)
		return;
	for (i = 0; i < SF_SERVICES_MAX; i++)
		if (rs->redirect[i])
			sf_ruleset_carry(rs->redirect[i], old->redirect[i]);
	if (!old->nrules || !rs->nrules)
		return;
	ids = kvcalloc(old->nrules, sizeof(*ids), GFP_KERNEL);
	if (!ids) {
		/* Counters restart, like after a reset. */
		return;
	}
	for (i = 0; i < old->nrules; i++) {
		ids[i].id = old->rules[i].id;
		ids[i].idx = i;
	}
	sort(ids, old->nrules, sizeof(*ids), sf_id_cmp, NULL);
	for (i = 0; i < rs->nrules; i++) {
		u32 lo = 0, hi = old->nrules, id = rs->rules[i].id;

		while (lo < hi) {
			j = lo + (hi - lo) / 2;
			if (ids[j].id < id)
				lo = j + 1;
			else
				hi = j;
		}
		if (lo < old->nrules && ids[lo].id == id)
			sf_rule_totals(&old->rules[ids[lo].idx],
				       &rs->rules[i].carried);
	}
	kvfree(ids);
}
