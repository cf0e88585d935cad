// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the tuple space search, included into classify.c with
 * DEBUG: random rulesets (prefixes of every length, protocols, exact ports
 * and ranges, directions, applied-to ports and tags, both families) are
 * compiled, and for random packets the search must answer exactly what a
 * first-match linear walk of the same rules answers.
 */
#include <linux/prandom.h>
#include <linux/slab.h>
#include "selftest.h"

#define SF_CT_RULES	600
#define SF_CT_PACKETS	20000

/* A small address space, so that prefixes and packets meet often. */
static void sf_ct_addr(struct rnd_state *rnd, struct in6_addr *a, bool v4)
{
	u32 r = prandom_u32_state(rnd);

	memset(a, 0, sizeof(*a));
	if (v4) {
		ipv6_addr_set_v4mapped(htonl(0x0a000000 | (r & 0x0303ff0f)), a);
	} else {
		a->s6_addr32[0] = htonl(0x20010db8);
		a->s6_addr32[3] = htonl(r & 0x030f);
	}
}

static void sf_ct_rule(struct rnd_state *rnd, struct sf_rule *r, u32 id)
{
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	u32 x = prandom_u32_state(rnd);
	bool v4 = x & 1;

	r->id = id;
	r->action = x % 3;
	r->dir = (x >> 2) % 3;
	r->sport[1] = U16_MAX;
	r->dport[1] = U16_MAX;
	if (x & BIT(4)) {
		r->flags |= SF_RULE_PROTO;
		r->proto = protos[(x >> 5) % 2];
		if (x & BIT(7)) {
			r->dport[0] = 20 + (x >> 8) % 8;
			r->dport[1] = r->dport[0] + ((x & BIT(11)) ? (x >> 12) % 4 : 0);
		}
	}
	if (x & BIT(14)) {
		r->src.kind = SF_ADDR_PREFIX;
		sf_ct_addr(rnd, &r->src.addr, v4);
		r->src.plen = (v4 ? 96 : 0) + prandom_u32_state(rnd) % (v4 ? 33 : 129);
		ipv6_addr_prefix(&r->src.addr, &r->src.addr, r->src.plen);
		r->family = v4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	}
	if (x & BIT(15)) {
		r->dst.kind = SF_ADDR_PREFIX;
		sf_ct_addr(rnd, &r->dst.addr, v4);
		r->dst.plen = (v4 ? 96 : 0) + prandom_u32_state(rnd) % (v4 ? 33 : 129);
		ipv6_addr_prefix(&r->dst.addr, &r->dst.addr, r->dst.plen);
		r->family = v4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	}
	if (x & BIT(16))
		r->tags = BIT_ULL((x >> 17) % 4);
	else
		r->flags |= SF_RULE_ALL_PORTS;
}

static void sf_ct_packet(struct rnd_state *rnd, struct sf_pktinfo *pi,
			 struct sf_match_ctx *c)
{
	u32 x = prandom_u32_state(rnd);
	bool v4 = x & 1;

	memset(pi, 0, sizeof(*pi));
	pi->family = v4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	pi->proto = (x & 2) ? IPPROTO_TCP : IPPROTO_UDP;
	sf_ct_addr(rnd, &pi->src, v4);
	sf_ct_addr(rnd, &pi->dst, v4);
	pi->sport = htons(20 + (x >> 2) % 10);
	pi->dport = htons(20 + (x >> 6) % 12);
	c->pi = pi;
	c->ifindex = 1;
	c->port_tags = BIT_ULL((x >> 10) % 5);	/* bit 4: no rule's tag */
	c->rule_dir = (x & BIT(13)) ? SLOTFILTER_RULE_DIR_INGRESS :
				      SLOTFILTER_RULE_DIR_EGRESS;
}

static const struct sf_rule *sf_ct_linear(const struct sf_ruleset *rs,
					  const struct sf_match_ctx *c)
{
	u32 i;

	for (i = 0; i < rs->nrules; i++)
		if (sf_rule_match(&rs->rules[i], c))
			return &rs->rules[i];
	return NULL;
}

int sf_classify_selftest(void)
{
	struct rnd_state rnd;
	struct sf_match_ctx c;
	struct sf_ruleset *rs;
	struct sf_pktinfo pi;
	u32 i, wrong = 0, hits = 0;
	int err;

	prandom_seed_state(&rnd, 0x510f117e);
	rs = kzalloc(sizeof(*rs), GFP_KERNEL);
	if (!rs)
		return -ENOMEM;
	rs->rules = kvcalloc(SF_CT_RULES, sizeof(*rs->rules), GFP_KERNEL);
	if (!rs->rules) {
		kfree(rs);
		return -ENOMEM;
	}
	rs->nrules = SF_CT_RULES;
	rs->hash_seed = 7;
	for (i = 0; i < rs->nrules; i++)
		sf_ct_rule(&rnd, &rs->rules[i], i + 1);
	err = sf_classify_build(rs);
	for (i = 0; !err && i < SF_CT_PACKETS; i++) {
		const struct sf_rule *want, *got;

		sf_ct_packet(&rnd, &pi, &c);
		want = sf_ct_linear(rs, &c);
		got = sf_classify(rs, &c);
		hits += !!want;
		if (got != want && wrong++ < 5)
			pr_err("slotfilter selftest: classify: packet %u: rule %u, want %u\n",
			       i, got ? got->id : 0, want ? want->id : 0);
	}
	if (!err && (wrong || hits < SF_CT_PACKETS / 4)) {
		pr_err("slotfilter selftest: classify: %u wrong of %u (%u matched)\n",
		       wrong, SF_CT_PACKETS, hits);
		err = -EINVAL;
	}
	if (!err)
		pr_info("slotfilter: classify self-tests: pass (%u tuples, %u of %u packets matched a rule)\n",
			rs->ntuples, hits, SF_CT_PACKETS);
	sf_classify_free(rs);
	kvfree(rs->rules);
	kfree(rs);
	return err;
}
