// SPDX-License-Identifier: GPL-2.0
/*
 * Services at slots 4-11: the object, its place in every port's chain,
 * and its filter, which picks packets with the service's redirect rules
 * and hands them to the hold queue (hold.c).
 *
 * A service occupies its slot on every port of its namespace for as long
 * as it exists; with no redirect rule it passes everything. Its redirect
 * rules live in the firewall's ruleset (rs->redirect[id]), so a commit
 * replaces both at once; the id, unlike the slot, never changes, so a
 * service that moves keeps its rules and its cached flow verdicts.
 * Configuration runs under RTNL. Each change that listeners care about
 * (added, deleted, moved; bound, gone and health in svcnl.c and hold.c)
 * sends a SERVICE_EVENT once it is done, and cannot fail for it.
 */
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/icmp.h>
#include "compat.h"
#include "netns.h"
#include "port.h"
#include "service.h"

void sf_service_stat(struct sf_service *svc, enum slotfilter_service_stat s)
{
	this_cpu_inc(svc->stats->c[s]);
}

void sf_service_totals(struct sf_service *svc, struct sf_service_stats *t)
{
	unsigned int i;
	int cpu;

	memset(t, 0, sizeof(*t));
	for_each_possible_cpu(cpu) {
		const struct sf_service_stats *s = per_cpu_ptr(svc->stats, cpu);

		for (i = 0; i < ARRAY_SIZE(t->c); i++)
			t->c[i] += READ_ONCE(s->c[i]);
		for (i = 0; i < ARRAY_SIZE(t->latency); i++)
			t->latency[i] += READ_ONCE(s->latency[i]);
	}
}

/* Must be called with svc->lock held. */
u8 sf_service_state(const struct sf_service *svc)
{
	if (!svc->portid)
		return SLOTFILTER_SERVICE_NO_HELPER;
	return svc->failing ? SLOTFILTER_SERVICE_FAILING : SLOTFILTER_SERVICE_UP;
}

/* The failure policy's answer, for a packet still in the walk. */
static enum sf_verdict sf_service_fail(struct sf_service *svc,
				       enum slotfilter_service_stat cause)
{
	sf_service_stat(svc, cause);
	if (READ_ONCE(svc->policy) == SLOTFILTER_FAIL_OPEN) {
		sf_service_stat(svc, SLOTFILTER_STAT_FAILED_OPEN);
		return SF_CONTINUE;
	}
	sf_service_stat(svc, SLOTFILTER_STAT_FAILED_CLOSED);
	return SF_DROP;
}

static u8 sf_service_rule_dir(enum slotfilter_direction dir)
{
	return dir == SLOTFILTER_DIR_INGRESS ? SLOTFILTER_RULE_DIR_INGRESS :
					       SLOTFILTER_RULE_DIR_EGRESS;
}

/* Packets that make a flow entry, as the firewall decides it. */
static bool sf_service_trackable(const struct sf_pktinfo *pi)
{
	if (pi->kind != SF_PKT_IP)
		return false;
	if (pi->proto == IPPROTO_ICMP || pi->proto == IPPROTO_ICMPV6)
		return pi->sport || pi->dport;
	return true;
}

/*
 * Takes @skb out of the walk for good: segments it if needed and holds
 * (or fails) each part. Always SF_STOLEN.
 */
static enum sf_verdict sf_service_hold(struct sf_service *svc,
				       struct sk_buff *skb,
				       const struct sf_pkt *pkt,
				       const struct sf_rule *rule,
				       struct sf_flow *flow,
				       struct sf_flow_tuple *tu, u32 gen)
{
	struct sf_hold_info hi = {
		.tuple = flow ? tu : NULL,
		.ifindex = pkt->port->ifindex,
		.dir = pkt->dir,
		.slot = pkt->slot,
	};
	u32 flow_id = flow ? flow->id : 0;
	struct sk_buff *segs, *next;

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return SF_STOLEN;
	if (pkt->dir == SLOTFILTER_DIR_INGRESS) {
		if (!skb_mac_header_was_set(skb) ||
		    skb_mac_header(skb) > skb->data) {
			kfree_skb(skb);
			return SF_STOLEN;
		}
		__skb_push(skb, skb->data - skb_mac_header(skb));
	}
	if (skb_is_gso(skb) &&
	    !(READ_ONCE(svc->flags) & SLOTFILTER_SERVICE_F_GSO)) {
		segs = __skb_gso_segment(skb, 0,
					 pkt->dir == SLOTFILTER_DIR_EGRESS);
		if (IS_ERR(segs)) {
			kfree_skb(skb);
			return SF_STOLEN;
		}
		if (segs) {
			consume_skb(skb);
			skb_list_walk_safe(segs, skb, next) {
				skb_mark_not_on_list(skb);
				hi.skb = skb;
				hi.nhoff = skb_network_offset(skb);
				sf_hold_send(svc, pkt, &hi, rule, flow_id, gen);
			}
			return SF_STOLEN;
		}
	}
	hi.skb = skb;
	hi.nhoff = skb_network_offset(skb);
	sf_hold_send(svc, pkt, &hi, rule, flow_id, gen);
	return SF_STOLEN;
}

static enum sf_verdict sf_service_process(struct sf_filter *f,
					  struct sk_buff *skb,
					  const struct sf_pkt *pkt)
{
	struct sf_service *svc = container_of(f, struct sf_service, filter);
	const struct sf_ruleset *rs = rcu_dereference(svc->sn->fw.rs);
	struct sf_flow_table *t = READ_ONCE(svc->sn->fw.flows);
	const struct sf_ruleset *rd = rs ? rs->redirect[svc->id] : NULL;
	struct sf_match_ctx ctx = {
		.ifindex = pkt->port->ifindex,
		.port_tags = READ_ONCE(pkt->port->tags),
		.rule_dir = sf_service_rule_dir(pkt->dir),
	};
	struct sf_flow *flow = NULL;
	const struct sf_rule *rule;
	struct sf_flow_tuple tu;
	struct sf_pktinfo pi;
	bool track;
	u16 v;

	if (!rd)
		return SF_CONTINUE;
	sf_pkt_parse(skb, pkt->dir, pkt->port->dev, &pi);
	if (pi.kind == SF_PKT_NONIP || pi.kind == SF_PKT_ND ||
	    pi.kind == SF_PKT_BAD)
		return SF_CONTINUE;
	track = t && sf_service_trackable(&pi);
	if (track) {
		sf_flow_tuple_init(&tu, pkt->port->ifindex, pi.proto, &pi.src,
				   pi.sport, &pi.dst, pi.dport);
		flow = sf_flow_lookup(t, &tu.key);
		/* With slot 2 empty, nobody else keeps the flow alive. */
		if (flow && sf_ruleset_trivial(rs))
			sf_flow_touch(t, flow);
		v = flow ? READ_ONCE(flow->svc[svc->id]) : 0;
		if (sf_flow_svc_verdict(v) && !sf_flow_svc_held(v)) {
			if (sf_flow_svc_verdict(v) == SF_FLOW_SVC_CONTINUE) {
				sf_service_stat(svc, SLOTFILTER_STAT_FLOW_CONTINUED);
				return SF_CONTINUE;
			}
			sf_service_stat(svc, SLOTFILTER_STAT_FLOW_DROPPED);
			return SF_DROP;
		}
	}
	ctx.pi = &pi;
	rule = sf_classify(rd, &ctx);
	if (!rule)
		return SF_CONTINUE;
	sf_rule_count(rule, pkt->len, false);
	if (rule->action != SLOTFILTER_ACTION_REDIRECT)
		return SF_CONTINUE;

	if (!READ_ONCE(svc->portid))
		return sf_service_fail(svc, SLOTFILTER_STAT_NO_HELPER);
	if (READ_ONCE(svc->failing))
		return sf_service_fail(svc, SLOTFILTER_STAT_FAILING);
	if (READ_ONCE(svc->held) >= READ_ONCE(svc->queue_max))
		return sf_service_fail(svc, SLOTFILTER_STAT_QUEUE_FULL);
	if (track && !flow) {
		flow = sf_flow_insert(t, &tu, 0);
		if (IS_ERR(flow))
			flow = NULL;
	}
	return sf_service_hold(svc, skb, pkt, rule, flow, &tu, rs->gen);
}

static void sf_service_free(struct sf_filter *f)
{
	struct sf_service *svc = container_of(f, struct sf_service, filter);

	free_percpu(svc->stats);
	kfree(svc);
}

static const struct sf_filter_ops sf_service_ops = {
	.kind		= SLOTFILTER_FILTER_SERVICE,
	.process	= sf_service_process,
	.release	= sf_service_free,
};

/* Must be called with RTNL. */
int sf_service_id(struct sf_net *sn, const char *name)
{
	struct sf_service *svc = sf_service_find(sn, name);

	return svc ? svc->id : -ENOENT;
}

/* Must be called with RTNL. */
struct sf_service *sf_service_find(struct sf_net *sn, const char *name)
{
	struct sf_service *svc;
	unsigned int i;

	for (i = 0; i < SF_SERVICES_MAX; i++) {
		svc = rtnl_dereference(sn->services[i]);
		if (svc && !strcmp(svc->name, name))
			return svc;
	}
	return NULL;
}

/* The service at @slot, for a new port's chains. RTNL. */
struct sf_filter *sf_service_port_filter(struct sf_net *sn, unsigned int slot)
{
	struct sf_service *svc;
	unsigned int i;

	for (i = 0; i < SF_SERVICES_MAX; i++) {
		svc = rtnl_dereference(sn->services[i]);
		if (svc && svc->slot == slot)
			return &svc->filter;
	}
	return NULL;
}

static void sf_service_options(struct sf_service *svc, struct nlattr **tb)
{
	if (tb[SLOTFILTER_SERVICE_A_FAILURE_POLICY])
		WRITE_ONCE(svc->policy,
			   nla_get_u8(tb[SLOTFILTER_SERVICE_A_FAILURE_POLICY]));
	if (tb[SLOTFILTER_SERVICE_A_TIMEOUT])
		WRITE_ONCE(svc->timeout_ms,
			   nla_get_u32(tb[SLOTFILTER_SERVICE_A_TIMEOUT]));
	if (tb[SLOTFILTER_SERVICE_A_QUEUE_MAX])
		WRITE_ONCE(svc->queue_max,
			   nla_get_u32(tb[SLOTFILTER_SERVICE_A_QUEUE_MAX]));
	if (tb[SLOTFILTER_SERVICE_A_COPY])
		WRITE_ONCE(svc->copy, nla_get_u32(tb[SLOTFILTER_SERVICE_A_COPY]));
}

static int sf_service_slot_free(struct sf_net *sn, u8 slot,
				const struct nlattr *attr,
				struct netlink_ext_ack *extack)
{
	if (sf_service_port_filter(sn, slot)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "another service is at this slot");
		return -EEXIST;
	}
	return 0;
}

/* Must be called with RTNL. */
int sf_service_add(struct sf_net *sn, const char *name, u8 slot,
		   struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct sf_chain_change *changes;
	struct sf_service *svc;
	unsigned int n, id;
	int err;

	if (sf_service_find(sn, name)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SLOTFILTER_SERVICE_A_NAME],
				    "a service of this name exists");
		return -EEXIST;
	}
	err = sf_service_slot_free(sn, slot, tb[SLOTFILTER_SERVICE_A_SLOT],
				   extack);
	if (err)
		return err;
	for (id = 0; id < SF_SERVICES_MAX; id++)
		if (!rtnl_dereference(sn->services[id]))
			break;
	if (id == SF_SERVICES_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "a namespace has at most 8 services");
		return -ENOSPC;
	}

	svc = kzalloc(sizeof(*svc), GFP_KERNEL_ACCOUNT);
	if (!svc)
		return -ENOMEM;
	svc->stats = alloc_percpu_gfp(struct sf_service_stats,
				      GFP_KERNEL_ACCOUNT);
	if (!svc->stats) {
		kfree(svc);
		return -ENOMEM;
	}
	sf_filter_init(&svc->filter, &sf_service_ops);
	sf_hold_init(svc);
	sf_log_init(&svc->alerts);
	svc->sn = sn;
	strscpy(svc->name, name, sizeof(svc->name));
	svc->id = id;
	svc->slot = slot;
	svc->policy = SLOTFILTER_FAIL_OPEN;
	svc->timeout_ms = 1000;
	svc->queue_max = 1024;
	sf_service_options(svc, tb);

	err = sf_ports_prepare(sn, -1, slot, &svc->filter, &changes, &n);
	if (err) {
		sf_filter_put(&svc->filter);
		return err;
	}
	rcu_assign_pointer(sn->services[id], svc);
	sf_ports_commit(changes, n);
	sf_service_event(svc, &(struct sf_service_change){
			.cause = SLOTFILTER_CAUSE_ADDED,
			.prev = SLOTFILTER_SERVICE_NO_HELPER,
			.state = SLOTFILTER_SERVICE_NO_HELPER,
			.released = -1,
		}, GFP_KERNEL);
	return 0;
}

/* Must be called with RTNL. Nothing changes on failure. */
int sf_service_set(struct sf_service *svc, struct nlattr **tb,
		   struct netlink_ext_ack *extack)
{
	struct nlattr *slot_attr = tb[SLOTFILTER_SERVICE_A_SLOT];
	struct sf_chain_change *changes = NULL;
	u8 slot = slot_attr ? nla_get_u8(slot_attr) : svc->slot;
	struct sf_service_change c = {
		.cause = SLOTFILTER_CAUSE_MOVED,
		.prev_slot = svc->slot,
		.released = -1,
	};
	unsigned int n = 0;
	int err;

	if (slot != svc->slot) {
		err = sf_service_slot_free(svc->sn, slot, slot_attr, extack) ?:
		      sf_ports_prepare(svc->sn, svc->slot, slot, &svc->filter,
				       &changes, &n);
		if (err)
			return err;
	}
	sf_service_options(svc, tb);
	if (slot == svc->slot)
		return 0;
	WRITE_ONCE(svc->slot, slot);
	sf_ports_commit(changes, n);
	spin_lock_bh(&svc->lock);
	c.state = sf_service_state(svc);
	spin_unlock_bh(&svc->lock);
	c.prev = c.state;
	sf_service_event(svc, &c, GFP_KERNEL);
	return 0;
}

u32 sf_service_nredirects(struct sf_service *svc)
{
	const struct sf_ruleset *rs = rtnl_dereference(svc->sn->fw.rs);

	return rs && rs->redirect[svc->id] ? rs->redirect[svc->id]->nrules : 0;
}

/* Must be called with RTNL. */
int sf_service_del(struct sf_service *svc, struct netlink_ext_ack *extack)
{
	struct sf_service_change c = {
		.cause = SLOTFILTER_CAUSE_DELETED,
		.state = SLOTFILTER_SERVICE_NO_HELPER,
	};
	struct sf_net *sn = svc->sn;
	struct sf_chain_change *changes;
	unsigned int n;
	int err;

	if (sf_service_nredirects(svc)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "redirect rules of the ruleset name this service: replace the ruleset without them first");
		return -EBUSY;
	}
	err = sf_ports_prepare(sn, -1, svc->slot, NULL, &changes, &n);
	if (err)
		return err;
	RCU_INIT_POINTER(sn->services[svc->id], NULL);
	sf_ports_commit(changes, n);
	/* No packet path and no socket release can see it after this. */
	synchronize_rcu();
	spin_lock_bh(&svc->lock);
	c.prev = sf_service_state(svc);
	c.helper = svc->portid;
	spin_unlock_bh(&svc->lock);
	c.released = sf_hold_destroy(svc);
	sf_service_event(svc, &c, GFP_KERNEL);
	sf_filter_put(&svc->filter);
	return 0;
}

/* A port is going: drop what the services hold for it. RTNL. */
void sf_service_port_gone(struct sf_net *sn, struct sf_port *port)
{
	struct sf_service *svc;
	unsigned int i;

	for (i = 0; i < SF_SERVICES_MAX; i++) {
		svc = rtnl_dereference(sn->services[i]);
		if (svc)
			sf_hold_flush(svc, port->ifindex);
	}
}

/*
 * Called with RTNL once every port of the namespace is gone and a grace
 * period passed.
 */
void sf_service_net_exit(struct sf_net *sn)
{
	struct sf_service *svc[SF_SERVICES_MAX];
	unsigned int i;

	for (i = 0; i < SF_SERVICES_MAX; i++) {
		svc[i] = rtnl_dereference(sn->services[i]);
		RCU_INIT_POINTER(sn->services[i], NULL);
	}
	synchronize_rcu();
	for (i = 0; i < SF_SERVICES_MAX; i++) {
		if (!svc[i])
			continue;
		sf_hold_destroy(svc[i]);
		sf_filter_put(&svc[i]->filter);
	}
}
