// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink commands of the firewall: the ruleset, its counters, the tracked
 * flows, and address sets. See uapi/linux/slotfilter.h for the protocol.
 * Configuration and the dumps of configuration run under RTNL; the flow
 * dump reads the table under RCU.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include "compat.h"
#include "netlink.h"
#include "netns.h"
#include "ruleset.h"

static int sf_put_timeouts(struct sk_buff *msg, const u32 *timeout)
{
	struct nlattr *nest = nla_nest_start(msg, SLOTFILTER_FW_A_TIMEOUTS);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = SLOTFILTER_TIMEOUT_TCP_SYN; i <= SLOTFILTER_TIMEOUT_MAX; i++)
		if (nla_put_u32(msg, i, timeout[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* The FW_GET header. Must be called with RTNL. */
static int sf_fw_fill(struct sk_buff *msg, struct sf_net *sn, u32 portid,
		      u32 seq)
{
	const struct sf_ruleset *rs = rtnl_dereference(sn->fw.rs);
	const struct sf_flow_table *t = sn->fw.flows;
	void *hdr;

	hdr = sf_genl_put(msg, portid, seq, 0, SLOTFILTER_CMD_FW_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(msg, SLOTFILTER_FW_A_GENERATION, sn->fw.gen) ||
	    nla_put_u8(msg, SLOTFILTER_FW_A_DEFAULT,
		       rs ? rs->def : SLOTFILTER_ACTION_ALLOW) ||
	    nla_put_u32(msg, SLOTFILTER_FW_A_FLAGS, rs ? rs->flags : 0) ||
	    sf_put_timeouts(msg, rs ? rs->timeout : sf_flow_default_timeouts()) ||
	    nla_put_u32(msg, SLOTFILTER_FW_A_FLOW_MAX,
			rs ? rs->flow_max : SF_FLOW_MAX_DEFAULT) ||
	    nla_put_u32(msg, SLOTFILTER_FW_A_NRULES, rs ? rs->nrules : 0) ||
	    nla_put_u64_64bit(msg, SLOTFILTER_FW_A_MEMORY, rs ? rs->mem : 0,
			      SLOTFILTER_FW_A_PAD) ||
	    nla_put_u32(msg, SLOTFILTER_FW_A_FLOWS,
			t ? atomic_read(&t->count) : 0) ||
	    nla_put_u64_64bit(msg, SLOTFILTER_FW_A_FLOWS_REFUSED,
			      t ? atomic64_read(&t->refused) : 0,
			      SLOTFILTER_FW_A_PAD) ||
	    nla_put_u32(msg, SLOTFILTER_FW_A_FLOW_SIZE, sf_flow_size())) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

static int sf_fw_reply(struct sf_net *sn, struct genl_info *info)
{
	struct sk_buff *msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	int err;

	if (!msg)
		return -ENOMEM;
	err = sf_fw_fill(msg, sn, info->snd_portid, info->snd_seq);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * The reply is allocated before the commit: once the new ruleset is
 * published, nothing may fail and report an error for a change made.
 */
int sf_nl_fw_replace(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *gen = info->attrs[SLOTFILTER_FW_A_GENERATION];
	struct sf_net *sn = sf_net(genl_info_net(info));
	struct sf_ruleset *rs;
	struct sk_buff *msg;
	u32 new_gen;
	int err;

	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	if (gen && nla_get_u32(gen) != sn->fw.gen) {
		NL_SET_ERR_MSG_ATTR(info->extack, gen,
				    "stale generation: the ruleset changed since it was read");
		err = -EBUSY;
		goto out;
	}
	rs = sf_ruleset_build(sn, info->attrs, info->nlhdr, info->extack);
	if (IS_ERR(rs)) {
		err = PTR_ERR(rs);
		goto out;
	}
	err = sf_fw_replace(sn, rs, &new_gen, info->extack);
	if (!err && !sf_fw_fill(msg, sn, info->snd_portid, info->snd_seq)) {
		rtnl_unlock();
		genlmsg_reply(msg, info);
		return 0;
	}
out:
	rtnl_unlock();
	nlmsg_free(msg);
	return err;
}

int sf_nl_fw_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sf_net *sn = sf_net(genl_info_net(info));
	int err;

	rtnl_lock();
	err = sf_fw_reply(sn, info);
	rtnl_unlock();
	return err;
}

/* The attributes inside @nest, padded to keep what follows aligned. */
static int sf_put_raw(struct sk_buff *skb, const struct nlattr *nest)
{
	int len = nla_len(nest);

	if (skb_tailroom(skb) < NLA_ALIGN(len))
		return -EMSGSIZE;
	skb_put_data(skb, nla_data(nest), len);
	skb_put_zero(skb, NLA_ALIGN(len) - len);
	return 0;
}

static int sf_fill_rule(struct sk_buff *skb, const struct sf_rule *rule,
			int type)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	struct sf_rule_totals t;

	if (!nest)
		return -EMSGSIZE;
	sf_rule_totals(rule, &t);
	if (sf_put_raw(skb, rule->conf) ||
	    nla_put_u64_64bit(skb, SLOTFILTER_RULE_A_PACKETS, t.packets,
			      SLOTFILTER_RULE_A_PAD) ||
	    nla_put_u64_64bit(skb, SLOTFILTER_RULE_A_BYTES, t.bytes,
			      SLOTFILTER_RULE_A_PAD) ||
	    nla_put_u64_64bit(skb, SLOTFILTER_RULE_A_FLOWS, t.flows,
			      SLOTFILTER_RULE_A_PAD) ||
	    nla_put_u64_64bit(skb, SLOTFILTER_RULE_A_LAST_HIT,
			      t.last_hit ?
			      jiffies_to_msecs(jiffies - t.last_hit) + 1 : 0,
			      SLOTFILTER_RULE_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The @i-th rule of a dump: the firewall's rules, then the redirect rules
 * of each service in service id order. NULL past the end.
 */
static const struct sf_rule *sf_dump_rule(const struct sf_ruleset *rs, u32 i,
					  int *type)
{
	unsigned int s;

	*type = SLOTFILTER_FW_A_RULE;
	if (i < rs->nrules)
		return &rs->rules[i];
	i -= rs->nrules;
	*type = SLOTFILTER_FW_A_REDIRECT;
	for (s = 0; s < SF_SERVICES_MAX; s++) {
		if (!rs->redirect[s])
			continue;
		if (i < rs->redirect[s]->nrules)
			return &rs->redirect[s]->rules[i];
		i -= rs->redirect[s]->nrules;
	}
	return NULL;
}

/* One message per rule; cb->args[0]: the next rule. */
int sf_nl_fw_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sf_net *sn = sf_net(sock_net(skb->sk));
	const struct sf_ruleset *rs;
	const struct sf_rule *rule;
	int type;
	u32 i;
	void *hdr;

	rtnl_lock();
	rs = rtnl_dereference(sn->fw.rs);
	cb->seq = sn->fw.gen;
	for (i = cb->args[0]; rs && (rule = sf_dump_rule(rs, i, &type)); i++) {
		hdr = sf_genl_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI,
				  SLOTFILTER_CMD_FW_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (nla_put_u32(skb, SLOTFILTER_FW_A_GENERATION, rs->gen) ||
		    sf_fill_rule(skb, rule, type)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = i;
	rtnl_unlock();
	return skb->len;
}

int sf_nl_fw_reset(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id = info->attrs[SLOTFILTER_FW_A_RULE_ID];
	struct sf_net *sn = sf_net(genl_info_net(info));
	struct sf_ruleset *rs;
	int err = 0;
	u32 i;

	rtnl_lock();
	rs = rtnl_dereference(sn->fw.rs);
	for (i = 0; rs && i < rs->nrules; i++)
		if (!id || rs->rules[i].id == nla_get_u32(id))
			break;
	if (id && (!rs || i == rs->nrules)) {
		NL_SET_ERR_MSG_ATTR(info->extack, id, "no rule with this id");
		err = -ENOENT;
	}
	for (; !err && rs && i < rs->nrules; i++) {
		if (!id || rs->rules[i].id == nla_get_u32(id))
			sf_rule_reset(&rs->rules[i]);
	}
	rtnl_unlock();
	return err;
}

static int sf_put_flow_addr(struct sk_buff *msg, int type,
			    const struct in6_addr *a)
{
	if (ipv6_addr_v4mapped(a))
		return nla_put_in_addr(msg, type, a->s6_addr32[3]);
	return nla_put_in6_addr(msg, type, a);
}

static int sf_fill_flow(struct sk_buff *skb, const struct sf_flow *flow,
			u32 portid, u32 seq)
{
	long left = (long)(READ_ONCE(flow->expires) - jiffies);
	u8 o = flow->opener;
	void *hdr;

	hdr = sf_genl_put(skb, portid, seq, NLM_F_MULTI,
			  SLOTFILTER_CMD_FLOW_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SLOTFILTER_FLOW_A_IFINDEX, flow->key.ifindex) ||
	    nla_put_u8(skb, SLOTFILTER_FLOW_A_DIRECTION, flow->dir) ||
	    nla_put_u8(skb, SLOTFILTER_FLOW_A_PROTO, flow->key.proto) ||
	    sf_put_flow_addr(skb, SLOTFILTER_FLOW_A_SRC, &flow->key.addr[o]) ||
	    sf_put_flow_addr(skb, SLOTFILTER_FLOW_A_DST, &flow->key.addr[!o]) ||
	    nla_put_u16(skb, SLOTFILTER_FLOW_A_SPORT, ntohs(flow->key.port[o])) ||
	    nla_put_u16(skb, SLOTFILTER_FLOW_A_DPORT,
			ntohs(flow->key.port[!o])) ||
	    nla_put_u8(skb, SLOTFILTER_FLOW_A_STATE,
		       READ_ONCE(flow->tcp_state)) ||
	    nla_put_u32(skb, SLOTFILTER_FLOW_A_EXPIRES,
			left > 0 ? jiffies_to_msecs(left) : 0) ||
	    nla_put_u32(skb, SLOTFILTER_FLOW_A_RULE_ID,
			READ_ONCE(flow->rule_id)) ||
	    nla_put_u32(skb, SLOTFILTER_FLOW_A_ID, flow->id)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * cb->args[0]: the bucket to resume at, [1]: flows of it already sent.
 * Flows that come and go meanwhile may be missed or sent twice.
 */
int sf_nl_flow_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr *only = sf_dump_attrs(cb)[SLOTFILTER_FLOW_A_IFINDEX];
	struct sf_net *sn = sf_net(sock_net(skb->sk));
	struct sf_flow_table *t = READ_ONCE(sn->fw.flows);
	struct sf_flow_buckets *buckets;
	unsigned long b, skip;
	struct sf_flow *flow;
	int err = 0;

	if (!t)
		return 0;
	rcu_read_lock();
	/* The table may have grown since the last part: a flow may show twice. */
	buckets = rcu_dereference(t->b);
	for (b = cb->args[0]; b < buckets->n && !err; b++) {
		skip = cb->args[1];
		hlist_for_each_entry_rcu(flow, &buckets->head[b], node) {
			if (skip) {
				skip--;
				continue;
			}
			if (time_after(jiffies, READ_ONCE(flow->expires)) ||
			    (only && flow->key.ifindex != nla_get_u32(only))) {
				cb->args[1]++;
				continue;
			}
			err = sf_fill_flow(skb, flow, NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq);
			if (err)
				break;
			cb->args[1]++;
		}
		if (!err) {
			cb->args[0] = b + 1;
			cb->args[1] = 0;
		}
	}
	rcu_read_unlock();
	return skb->len;
}

/* Set commands */

static const char *sf_set_name(struct genl_info *info)
{
	struct nlattr *name = info->attrs[SLOTFILTER_SET_A_NAME];

	if (!name) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "missing set name (SLOTFILTER_SET_A_NAME)");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, SLOTFILTER_SET_A_NAME);
		return NULL;
	}
	if (!sf_name_valid(nla_data(name))) {
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "invalid set name: 1 to 31 characters of A-Z a-z 0-9 _ . -");
		return NULL;
	}
	return nla_data(name);
}

/* Reads every SLOTFILTER_SET_A_ELEM of the request; kvfree() the result. */
static int sf_set_elems(struct genl_info *info, struct sf_prefix **elems,
			u32 *n)
{
	struct nlattr *tb[SLOTFILTER_ADDR_A_MAX + 1];
	const struct nlattr *attr;
	int rem, err;

	*n = 0;
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem)
		*n += nla_type(attr) == SLOTFILTER_SET_A_ELEM;
	if (*n > SLOTFILTER_SET_ELEMS_MAX) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "a set holds at most 65536 elements");
		return -ENOSPC;
	}
	*elems = kvcalloc(*n ?: 1, sizeof(**elems), GFP_KERNEL);
	if (!*elems)
		return -ENOMEM;
	*n = 0;
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != SLOTFILTER_SET_A_ELEM)
			continue;
		err = nla_parse_nested(tb, SLOTFILTER_ADDR_A_MAX, attr,
				       sf_addr_policy, info->extack);
		if (!err && tb[SLOTFILTER_ADDR_A_SET]) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "a set element is a prefix, not a set");
			err = -EINVAL;
		}
		if (!err)
			err = sf_prefix_parse(tb, attr, &(*elems)[*n], info->extack);
		if (err) {
			kvfree(*elems);
			return err;
		}
		(*n)++;
	}
	return 0;
}

int sf_nl_set_add(struct sk_buff *skb, struct genl_info *info)
{
	struct sf_net *sn = sf_net(genl_info_net(info));
	const char *name = sf_set_name(info);
	struct sf_prefix *elems;
	u32 n;
	int err;

	if (!name)
		return -EINVAL;
	err = sf_set_elems(info, &elems, &n);
	if (err)
		return err;
	rtnl_lock();
	err = sf_set_add(sn, name, elems, n, info->extack);
	rtnl_unlock();
	kvfree(elems);
	return err;
}

int sf_nl_set_del(struct sk_buff *skb, struct genl_info *info)
{
	struct sf_net *sn = sf_net(genl_info_net(info));
	const char *name = sf_set_name(info);
	int err;

	if (!name)
		return -EINVAL;
	rtnl_lock();
	err = sf_set_del(sn, name, info->extack);
	rtnl_unlock();
	return err;
}

static int sf_set_elem_change(struct genl_info *info, bool add)
{
	struct sf_net *sn = sf_net(genl_info_net(info));
	const char *name = sf_set_name(info);
	struct sf_prefix *elems;
	struct sf_set *set;
	u32 n;
	int err;

	if (!name)
		return -EINVAL;
	err = sf_set_elems(info, &elems, &n);
	if (err)
		return err;
	if (!n) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "no element given (SLOTFILTER_SET_A_ELEM)");
		kvfree(elems);
		return -EINVAL;
	}
	rtnl_lock();
	set = sf_set_find(sn, name);
	if (!set) {
		NL_SET_ERR_MSG_MOD(info->extack, "no set of this name");
		err = -ENOENT;
	} else {
		err = sf_set_change(set, elems, n, add, info->extack);
	}
	rtnl_unlock();
	kvfree(elems);
	return err;
}

int sf_nl_set_elem_add(struct sk_buff *skb, struct genl_info *info)
{
	return sf_set_elem_change(info, true);
}

int sf_nl_set_elem_del(struct sk_buff *skb, struct genl_info *info)
{
	return sf_set_elem_change(info, false);
}

static int sf_put_elem(struct sk_buff *skb, const struct sf_prefix *p)
{
	struct nlattr *nest = nla_nest_start(skb, SLOTFILTER_SET_A_ELEM);
	bool v4 = ipv6_addr_v4mapped(&p->addr);

	if (!nest)
		return -EMSGSIZE;
	if ((v4 ? nla_put_in_addr(skb, SLOTFILTER_ADDR_A_ADDR,
				  p->addr.s6_addr32[3]) :
		  nla_put_in6_addr(skb, SLOTFILTER_ADDR_A_ADDR, &p->addr)) ||
	    nla_put_u8(skb, SLOTFILTER_ADDR_A_PLEN, v4 ? p->plen - 96 : p->plen)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * cb->args[0]: sets already sent whole; [1]: elements of the next one
 * already sent. A set's elements may span several messages.
 */
int sf_nl_set_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr *only = sf_dump_attrs(cb)[SLOTFILTER_SET_A_NAME];
	struct sf_net *sn = sf_net(sock_net(skb->sk));
	const struct sf_set_data *d;
	unsigned long i = 0;
	struct sf_set *set;
	void *hdr;
	u32 e;

	rtnl_lock();
	list_for_each_entry(set, &sn->sets, list) {
		if (i++ < cb->args[0])
			continue;
		if (only && strcmp(set->name, nla_data(only))) {
			cb->args[0]++;
			continue;
		}
		d = rtnl_dereference(set->data);
		hdr = sf_genl_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI,
				  SLOTFILTER_CMD_SET_GET);
		if (!hdr)
			break;
		if (nla_put_string(skb, SLOTFILTER_SET_A_NAME, set->name) ||
		    (!cb->args[1] &&
		     (nla_put_u32(skb, SLOTFILTER_SET_A_NELEMS, d->nelems) ||
		      nla_put_u32(skb, SLOTFILTER_SET_A_USERS, set->users)))) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		for (e = cb->args[1]; e < d->nelems; e++)
			if (sf_put_elem(skb, &d->elems[e]))
				break;
		if (e == cb->args[1] && e < d->nelems) {
			/* Not one element fit: send this set from the next skb. */
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		if (e < d->nelems) {
			cb->args[1] = e;
			break;
		}
		cb->args[0]++;
		cb->args[1] = 0;
	}
	rtnl_unlock();
	return skb->len;
}
