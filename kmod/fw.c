// SPDX-License-Identifier: GPL-2.0
/*
 * Slot 2, the stateful firewall.
 *
 * A packet of a tracked flow passes with one hash lookup (and a TCP state
 * update when it carries SYN, FIN or RST). Any other packet is classified
 * against the namespace's ruleset (classify.c); allow creates the flow,
 * drop drops, reject drops and answers the sender. ICMP errors about a
 * tracked flow pass as part of it; non-IP frames and IPv6 neighbour
 * discovery pass unless the ruleset says otherwise; a non-first fragment
 * follows its first fragment (it carries no ports to judge).
 *
 * The ruleset and the flow table are per namespace; the filter itself is
 * one static object shared by every port's chain, which finds the
 * namespace from the port.
 */
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>
#include <net/tcp.h>
#include "netlink.h"
#include "netns.h"
#include "port.h"
#include "ruleset.h"

#define SF_LOG_RATE	100	/* events a second */
#define SF_LOG_BURST	200

static u8 sf_rule_dir_of(enum slotfilter_direction dir)
{
	return dir == SLOTFILTER_DIR_INGRESS ? SLOTFILTER_RULE_DIR_INGRESS :
					       SLOTFILTER_RULE_DIR_EGRESS;
}

/*
 * Takes a token from @log's bucket: true if the event may go, with the
 * count of those refused since the last one that went in *@suppressed.
 * Must be called with BH disabled (the packet path's buckets are taken
 * from softirq).
 */
bool sf_log_allowed(struct sf_fw_log *log, u32 *suppressed)
{
	unsigned long now = jiffies;
	bool ok;

	spin_lock(&log->lock);
	if (time_after(now, log->last)) {
		u64 add = (u64)(now - log->last) * SF_LOG_RATE / HZ;

		if (add) {
			log->tokens = min_t(u64, log->tokens + add,
					    SF_LOG_BURST);
			log->last = now;
		}
	}
	ok = log->tokens > 0;
	if (ok) {
		log->tokens--;
		*suppressed = log->suppressed;
		log->suppressed = 0;
	} else {
		log->suppressed++;
	}
	spin_unlock(&log->lock);
	return ok;
}

static int sf_put_addr(struct sk_buff *msg, int type, const struct sf_pktinfo *pi,
		       const struct in6_addr *a)
{
	if (sf_pkt_is_v4(pi))
		return nla_put_in_addr(msg, type, a->s6_addr32[3]);
	return nla_put_in6_addr(msg, type, a);
}

static void sf_fw_log(struct sf_net *sn, const struct sf_rule *rule,
		      const struct sf_pkt *pkt, const struct sf_pktinfo *pi,
		      u8 action)
{
	u32 suppressed = 0;
	struct sk_buff *msg;
	void *hdr;

	if (!sf_log_allowed(&sn->fw.log, &suppressed))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = sf_genl_event_put(msg, SLOTFILTER_CMD_FW_LOG);
	if (!hdr ||
	    nla_put_u32(msg, SLOTFILTER_FLOW_A_RULE_ID, rule->id) ||
	    nla_put_u32(msg, SLOTFILTER_FLOW_A_IFINDEX, pkt->port->ifindex) ||
	    nla_put_u8(msg, SLOTFILTER_FLOW_A_DIRECTION, pkt->dir) ||
	    nla_put_u8(msg, SLOTFILTER_FLOW_A_PROTO, pi->proto) ||
	    sf_put_addr(msg, SLOTFILTER_FLOW_A_SRC, pi, &pi->src) ||
	    sf_put_addr(msg, SLOTFILTER_FLOW_A_DST, pi, &pi->dst) ||
	    nla_put_u16(msg, SLOTFILTER_FLOW_A_SPORT, ntohs(pi->sport)) ||
	    nla_put_u16(msg, SLOTFILTER_FLOW_A_DPORT, ntohs(pi->dport)) ||
	    nla_put_u8(msg, SLOTFILTER_FLOW_A_ACTION, action) ||
	    (suppressed &&
	     nla_put_u32(msg, SLOTFILTER_FLOW_A_SUPPRESSED, suppressed))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	sf_genl_event(sn->net, msg);
}

/*
 * Builds the answer to a rejected packet (a TCP RST, or ICMP
 * administratively prohibited) with the link-layer header swapped, ready
 * to go back where the packet came from. The nf_reject helpers want
 * skb->data at the network header: they get a clone pulled there, so the
 * packet itself (which may be shared) is never touched. @nhoff: the
 * network header's offset from skb->data; @proto: the L4 protocol.
 */
static struct sk_buff *sf_reject_build(struct net *net, struct sk_buff *orig,
				       struct net_device *dev, u8 dir,
				       unsigned int nhoff, bool v4, u8 proto)
{
	int hook = dir == SLOTFILTER_DIR_INGRESS ? NF_INET_PRE_ROUTING :
						   NF_INET_LOCAL_OUT;
	struct sk_buff *skb, *nskb;
	struct ethhdr eth;

	if (dev->type != ARPHRD_ETHER || !skb_mac_header_was_set(orig) ||
	    skb_mac_header_len(orig) < ETH_HLEN)
		return NULL;
	eth = *eth_hdr(orig);
	skb = skb_clone(orig, GFP_ATOMIC);
	if (!skb)
		return NULL;
	if (nhoff)
		__skb_pull(skb, nhoff);
	skb_reset_network_header(skb);

	if (v4)
		nskb = proto == IPPROTO_TCP ?
		       nf_reject_skb_v4_tcp_reset(net, skb, dev, hook) :
		       nf_reject_skb_v4_unreach(net, skb, dev, hook,
						ICMP_PKT_FILTERED);
	else
		nskb = proto == IPPROTO_TCP ?
		       nf_reject_skb_v6_tcp_reset(net, skb, dev, hook) :
		       nf_reject_skb_v6_unreach(net, skb, dev, hook,
						ICMPV6_ADM_PROHIBITED);
	consume_skb(skb);
	if (!nskb)
		return NULL;
	if (dev_hard_header(nskb, dev, ntohs(orig->protocol), eth.h_source,
			    eth.h_dest, nskb->len) < 0) {
		kfree_skb(nskb);
		return NULL;
	}
	return nskb;
}

/*
 * Answers a rejected packet (the firewall's reject action, a service's
 * reject verdict) that came @dir through @dev. At ingress the answer goes
 * back out of the port; at egress it comes back in through the port, as
 * if the workload had sent it. Either way it skips every slot of this
 * port: it is slotfilter's own answer. BH disabled, under RCU.
 */
void sf_reject(struct net *net, struct sk_buff *skb, struct net_device *dev,
	       u8 dir, unsigned int nhoff, bool v4, u8 proto)
{
	struct sk_buff *nskb;

	nskb = sf_reject_build(net, skb, dev, dir, nhoff, v4, proto);
	if (!nskb)
		return;
	sf_inject(nskb, dir == SLOTFILTER_DIR_INGRESS ?
			SLOTFILTER_DIR_EGRESS : SLOTFILTER_DIR_INGRESS,
		  SLOTFILTER_NUM_SLOTS);
}

static void sf_fw_track(struct sf_flow_table *t, struct sf_flow *flow,
			const struct sf_pktinfo *pi, u8 from)
{
	if (pi->proto == IPPROTO_TCP)
		sf_flow_tcp_update(t, flow, from, pi->tcp_flags);
	else
		sf_flow_touch(t, flow);
}

/* The opener's view of a flow, to judge it again after a commit. */
static void sf_flow_pktinfo(const struct sf_flow *flow, struct sf_pktinfo *pi)
{
	u8 o = flow->opener;

	memset(pi, 0, sizeof(*pi));
	pi->family = ipv6_addr_v4mapped(&flow->key.addr[0]) ? NFPROTO_IPV4 :
							      NFPROTO_IPV6;
	pi->proto = flow->key.proto;
	pi->src = flow->key.addr[o];
	pi->dst = flow->key.addr[!o];
	pi->sport = flow->key.port[o];
	pi->dport = flow->key.port[!o];
	if (pi->proto == IPPROTO_ICMP)
		pi->icmp_type = ICMP_ECHO;
	else if (pi->proto == IPPROTO_ICMPV6)
		pi->icmp_type = ICMPV6_ECHO_REQUEST;
	pi->tcp_flags = TCPHDR_SYN;
	pi->kind = SF_PKT_IP;
}

/* Judges @flow again with @rs; false if it is no longer allowed. */
static bool sf_fw_rejudge(const struct sf_ruleset *rs, struct sf_flow *flow,
			  const struct sf_port *port)
{
	struct sf_match_ctx ctx = {
		.ifindex = port->ifindex,
		.port_tags = READ_ONCE(port->tags),
		.rule_dir = sf_rule_dir_of(flow->dir),
	};
	const struct sf_rule *rule;
	struct sf_pktinfo pi;

	sf_flow_pktinfo(flow, &pi);
	ctx.pi = &pi;
	rule = sf_classify(rs, &ctx);
	if (rule ? rule->action != SLOTFILTER_ACTION_ALLOW :
		   rs->def != SLOTFILTER_ACTION_ALLOW)
		return false;
	WRITE_ONCE(flow->rule_id, rule ? rule->id : 0);
	WRITE_ONCE(flow->gen, rs->gen);
	return true;
}

/* A packet of a known flow (or an ICMP error about one). */
static enum sf_verdict sf_fw_known(const struct sf_ruleset *rs,
				   struct sf_flow_table *t,
				   struct sf_flow *flow,
				   const struct sf_pkt *pkt,
				   const struct sf_pktinfo *pi, u8 from)
{
	bool tagged = READ_ONCE(flow->rejudge);

	if (unlikely(tagged || (READ_ONCE(flow->gen) != rs->gen &&
				(rs->flags & SLOTFILTER_FW_F_REEVALUATE)))) {
		if (tagged)
			WRITE_ONCE(flow->rejudge, 0);
		if (!sf_fw_rejudge(rs, flow, pkt->port)) {
			sf_flow_remove(t, flow);
			return SF_DROP;
		}
	}
	if (pi->kind == SF_PKT_IP)
		sf_fw_track(t, flow, pi, from);
	return SF_CONTINUE;
}

static struct sf_flow *sf_fw_lookup(struct sf_flow_table *t,
				    const struct sf_pkt *pkt,
				    const struct sf_pktinfo *pi, u8 *from)
{
	struct sf_flow_tuple tu;

	sf_flow_tuple_init(&tu, pkt->port->ifindex, pi->proto, &pi->src,
			   pi->sport, &pi->dst, pi->dport);
	*from = tu.from;
	return sf_flow_lookup(t, &tu.key);
}

static enum sf_verdict sf_fw_new(struct sf_net *sn,
				 const struct sf_ruleset *rs,
				 struct sk_buff *skb, const struct sf_pkt *pkt,
				 const struct sf_pktinfo *pi)
{
	struct sf_flow_table *t = sn->fw.flows;
	struct sf_match_ctx ctx = {
		.pi = pi,
		.ifindex = pkt->port->ifindex,
		.port_tags = READ_ONCE(pkt->port->tags),
		.rule_dir = sf_rule_dir_of(pkt->dir),
	};
	const struct sf_rule *rule;
	struct sf_flow_tuple tu;
	struct sf_flow *flow;
	u8 action;

	if (pi->proto == IPPROTO_TCP && (rs->flags & SLOTFILTER_FW_F_TCP_STRICT) &&
	    (pi->tcp_flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST)) != TCPHDR_SYN)
		return SF_DROP;

	rule = sf_classify(rs, &ctx);
	action = rule ? rule->action : rs->def;
	if (rule && (rule->flags & SF_RULE_LOG))
		sf_fw_log(sn, rule, pkt, pi, action);

	if (action == SLOTFILTER_ACTION_REJECT)
		sf_reject(sn->net, skb, pkt->port->dev, pkt->dir, pi->nhoff,
			  sf_pkt_is_v4(pi), pi->proto);
	if (action != SLOTFILTER_ACTION_ALLOW) {
		if (rule)
			sf_rule_count(rule, pkt->len, false);
		return SF_DROP;
	}
	/* ICMP errors and non-echo ICMP are judged, not tracked. */
	if (pi->kind != SF_PKT_IP ||
	    ((pi->proto == IPPROTO_ICMP || pi->proto == IPPROTO_ICMPV6) &&
	     !pi->sport && !pi->dport)) {
		if (rule)
			sf_rule_count(rule, pkt->len, false);
		return SF_CONTINUE;
	}

	sf_flow_tuple_init(&tu, pkt->port->ifindex, pi->proto, &pi->src,
			   pi->sport, &pi->dst, pi->dport);
	flow = sf_flow_insert(t, &tu, rule ? rule->id : 0);
	if (IS_ERR(flow))
		return SF_DROP;		/* table full: counted there */
	if (rule)
		sf_rule_count(rule, pkt->len, true);
	WRITE_ONCE(flow->gen, rs->gen);
	flow->dir = pkt->dir;
	if (pi->proto == IPPROTO_TCP) {
		if (!(pi->tcp_flags & TCPHDR_SYN))
			WRITE_ONCE(flow->tcp_state, SLOTFILTER_TCP_MIDSTREAM);
		sf_flow_tcp_update(t, flow, tu.from, pi->tcp_flags);
	}
	return SF_CONTINUE;
}

static enum sf_verdict sf_fw_process(struct sf_filter *f, struct sk_buff *skb,
				     const struct sf_pkt *pkt)
{
	struct sf_net *sn = sf_net(dev_net(pkt->port->dev));
	const struct sf_ruleset *rs = rcu_dereference(sn->fw.rs);
	struct sf_flow_table *t = READ_ONCE(sn->fw.flows);
	struct sf_pktinfo pi, inner;
	struct sf_flow *flow;
	u8 from;

	if (!rs || !t)
		return SF_CONTINUE;
	sf_pkt_parse(skb, pkt->dir, pkt->port->dev, &pi);
	switch (pi.kind) {
	case SF_PKT_NONIP:
	case SF_PKT_ND:
		return rs->flags & SLOTFILTER_FW_F_NONIP_DROP ? SF_DROP :
							      SF_CONTINUE;
	case SF_PKT_FRAGMENT:
		return SF_CONTINUE;
	case SF_PKT_BAD:
		return SF_DROP;
	case SF_PKT_ICMP_ERROR:
		if (sf_pkt_icmp_inner(skb, &pi, &inner)) {
			/* The quoted packet went the other way. */
			swap(inner.src, inner.dst);
			swap(inner.sport, inner.dport);
			flow = sf_fw_lookup(t, pkt, &inner, &from);
			if (flow)
				return sf_fw_known(rs, t, flow, pkt, &pi, from);
		}
		break;
	default:
		flow = sf_fw_lookup(t, pkt, &pi, &from);
		if (flow)
			return sf_fw_known(rs, t, flow, pkt, &pi, from);
	}
	return sf_fw_new(sn, rs, skb, pkt, &pi);
}

static void sf_fw_release(struct sf_filter *f)
{
	/* Static: the first reference is never dropped. */
}

static const struct sf_filter_ops sf_fw_ops = {
	.kind		= SLOTFILTER_FILTER_FIREWALL,
	.process	= sf_fw_process,
	.release	= sf_fw_release,
};

struct sf_filter sf_fw_filter = {
	.ops	= &sf_fw_ops,
	.refcnt	= REFCOUNT_INIT(1),
};

/*
 * The namespace's flow table, made on the first commit and grown to the
 * buckets @rs's flow-max needs (it never shrinks).
 */
static int sf_fw_flows_alloc(struct sf_fw *fw, const struct sf_ruleset *rs,
			     struct netlink_ext_ack *extack)
{
	int err;

	if (!fw->flows) {
		fw->flows = kzalloc(sizeof(*fw->flows), GFP_KERNEL_ACCOUNT);
		if (!fw->flows)
			return -ENOMEM;
		err = sf_flow_table_init(fw->flows, rs->flow_max);
		if (err) {
			kfree(fw->flows);
			fw->flows = NULL;
			return err;
		}
		return 0;
	}
	err = sf_flow_table_grow(fw->flows, rs->flow_max);
	if (err)
		NL_SET_ERR_MSG_MOD(extack, "no memory to grow the flow table to flow-max");
	return err;
}

/* A committed ruleset's limits; readers see each value old or new. */
static void sf_fw_flows_limits(struct sf_fw *fw, const struct sf_ruleset *rs)
{
	unsigned int i;

	WRITE_ONCE(fw->flows->max, rs->flow_max);
	for (i = 0; i < ARRAY_SIZE(rs->timeout); i++)
		WRITE_ONCE(fw->flows->timeout[i], rs->timeout[i]);
}

/* A rule naming a set (once or twice) is one of its users. */
static void sf_rule_set_users(const struct sf_rule *r, int delta)
{
	if (r->src.set)
		r->src.set->users += delta;
	if (r->dst.set && r->dst.set != r->src.set)
		r->dst.set->users += delta;
}

/* Every rule of @rs, redirect rules included, counted as set users. */
static void sf_ruleset_set_users(const struct sf_ruleset *rs, int delta)
{
	u32 i, s;

	for (i = 0; i < rs->nrules; i++)
		sf_rule_set_users(&rs->rules[i], delta);
	for (s = 0; s < SF_SERVICES_MAX; s++)
		if (rs->redirect[s])
			sf_ruleset_set_users(rs->redirect[s], delta);
}

static struct sf_filter *sf_fw_slot(const struct sf_ruleset *rs)
{
	return rs && !sf_ruleset_trivial(rs) ? &sf_fw_filter : NULL;
}

/*
 * Publishes @rs, which sf_ruleset_build() made, as the namespace's
 * ruleset. Must be called with RTNL; takes ownership of @rs. What can fail
 * (the flow table's first allocation, the ports' new chains when slot 2
 * fills or empties) is done before the swap; nothing after it can fail.
 */
int sf_fw_replace(struct sf_net *sn, struct sf_ruleset *rs, u32 *gen,
		  struct netlink_ext_ack *extack)
{
	struct sf_ruleset *old = rtnl_dereference(sn->fw.rs);
	struct sf_filter *f = sf_fw_slot(rs);
	struct sf_chain_change *changes = NULL;
	unsigned int nchanges = 0;
	int err;

	err = sf_fw_flows_alloc(&sn->fw, rs, extack);
	if (!err && f != sf_fw_slot(old))
		err = sf_ports_prepare(sn, -1, SLOTFILTER_SLOT_FIREWALL, f,
				       &changes, &nchanges);
	if (err) {
		sf_ruleset_free(sn, rs);
		return err;
	}

	/* Nothing fails from here on: a refused commit changed nothing. */
	sf_fw_flows_limits(&sn->fw, rs);
	rs->gen = ++sn->fw.gen;
	sf_ruleset_set_users(rs, 1);
	rcu_assign_pointer(sn->fw.rs, rs);
	sf_ports_commit(changes, nchanges);
	*gen = rs->gen;
	if (!old)
		return 0;

	/* No packet can count on the old ruleset after this. */
	synchronize_rcu();
	sf_ruleset_carry(rs, old);
	sf_ruleset_set_users(old, -1);
	sf_ruleset_free(sn, old);
	return 0;
}

/* What a new port gets in slot 2. Must be called with RTNL. */
struct sf_filter *sf_fw_port_filter(struct sf_net *sn)
{
	return sf_fw_slot(rtnl_dereference(sn->fw.rs));
}

/* The flows of a detached port die with it. Must be called with RTNL. */
void sf_fw_port_gone(struct sf_net *sn, struct sf_port *port)
{
	if (sn->fw.flows)
		sf_flow_flush(sn->fw.flows, port->ifindex);
}

void sf_log_init(struct sf_fw_log *log)
{
	spin_lock_init(&log->lock);
	log->tokens = SF_LOG_BURST;
	log->last = jiffies;
	log->suppressed = 0;
}

void sf_fw_net_init(struct sf_net *sn)
{
	sf_log_init(&sn->fw.log);
}

/* Called with RTNL after every port is gone and a grace period passed. */
void sf_fw_net_exit(struct sf_net *sn)
{
	sf_ruleset_free(sn, rtnl_dereference(sn->fw.rs));
	RCU_INIT_POINTER(sn->fw.rs, NULL);
	if (sn->fw.flows) {
		sf_flow_table_destroy(sn->fw.flows);
		kfree(sn->fw.flows);
		sn->fw.flows = NULL;
	}
}
