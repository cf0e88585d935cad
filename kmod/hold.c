// SPDX-License-Identifier: GPL-2.0
/*
 * DOC: The hold queue
 *
 * A packet that a service's redirect rule picks is held here until its
 * helper answers: the skb (data at its L2 header, so that sf_inject() can
 * send it on either way), its id, its deadline and its flow's key. Each
 * service has one queue: a FIFO list, which is also deadline order since
 * all of a service's packets share one timeout, and a hash by id for the
 * verdicts. One timer per service fires at the oldest packet's deadline;
 * there are no per-packet timers.
 *
 * DOC: Order within a flow
 *
 * A helper may answer in any order, but the packets of one flow leave in
 * the order they came. A verdict for a packet that has an older packet of
 * its flow still in the queue only decides it (the rewrite is done, the
 * flow verdict cached, the latency counted); it stays queued, out of the
 * hash, until every older packet of its flow has left. Whatever takes a
 * packet of a flow out of the queue (its verdict, its deadline, a failed
 * send) takes the decided packets of that flow right behind it along, up
 * to the next one still waiting for its verdict (sf_hold_take()). A
 * decided packet whose deadline passes leaves with its own verdict.
 * Teardown drops everything, decided or not.
 *
 * DOC: Locking
 *
 * svc->lock guards the queue, the count of held packets, the helper's
 * binding (portid, flags, failing) and the per-flow held counters of this
 * service (sf_flow.svc[id]). Whoever unlinks an entry under the lock owns
 * it and its skb; it releases the skb outside the lock with BH disabled
 * and under rcu_read_lock(), which was taken before the unlink: that keeps
 * the skb's device in memory, and a device still NETREG_REGISTERED then
 * cannot reach NETDEV_UNREGISTER (which flushes its held packets) before
 * the reinjection is over. The packet path holds an entry only while its
 * port is still in the namespace's port table, checked under the lock, so
 * a port's flush (under the lock, after it left the table) misses nothing.
 * Taken from the packet path and the timer (softirq) with spin_lock(),
 * elsewhere with BH disabled.
 */
#include <linux/etherdevice.h>
#include <linux/hash.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/genetlink.h>
#include <net/ip.h>
#include "compat.h"
#include "fw.h"
#include "netlink.h"
#include "netns.h"
#include "port.h"
#include "service.h"

/*
 * A PACKET message's attributes besides its payload, for a port with
 * @ntags tags: sized exactly, so that netlink does not trim (and copy)
 * every message on its way to the helper.
 */
static size_t sf_packet_overhead(unsigned int ntags)
{
	return nla_total_size_64bit(sizeof(u64)) +		/* ID */
	       5 * nla_total_size(sizeof(u32)) +		/* IFINDEX... */
	       3 * nla_total_size(sizeof(u16)) +		/* DIRECTION... */
	       nla_total_size(IFNAMSIZ) +			/* IFNAME */
	       nla_total_size(SLOTFILTER_NAME_MAX) +		/* SERVICE */
	       (ntags ? nla_total_size(0) : 0) +		/* TAGS */
	       ntags * nla_total_size(SLOTFILTER_NAME_MAX);
}

struct sf_held {
	struct list_head list;		/* svc->fifo */
	struct hlist_node node;		/* svc->hash */
	struct sk_buff *skb;
	u64 id;
	u64 sent_ns;
	unsigned long deadline;		/* jiffies */
	struct sf_flow_key key;
	bool has_flow;
	bool decided;			/* answered, waiting for its elders */
	u8 verdict;			/* if decided: CONTINUE, DROP, REJECT */
	u8 version;			/* 4 or 6 */
	u8 dir, slot;
	u16 nhoff;
	u32 ifindex;
};

static struct hlist_head *sf_hold_bucket(struct sf_service *svc, u64 id)
{
	return &svc->hash[hash_64(id, ilog2(SF_HOLD_BUCKETS))];
}

/* Must be called under rcu_read_lock(). */
static struct sf_flow *sf_hold_flow(struct sf_service *svc,
				    const struct sf_flow_key *key)
{
	struct sf_flow_table *t = READ_ONCE(svc->sn->fw.flows);

	return t ? sf_flow_lookup(t, key) : NULL;
}

/*
 * Takes @h out of the queue (and of the hash, unless its verdict did).
 * Returns whether packets of its flow may still be held. Must be called
 * with svc->lock held and under rcu_read_lock().
 */
static bool sf_held_unlink(struct sf_service *svc, struct sf_held *h)
{
	struct sf_flow *flow;
	unsigned int held;

	list_del(&h->list);
	if (!hlist_unhashed(&h->node))
		hlist_del_init(&h->node);
	WRITE_ONCE(svc->held, svc->held - 1);
	if (!h->has_flow)
		return false;
	flow = sf_hold_flow(svc, &h->key);
	if (!flow)
		return true;	/* its count is gone: look */
	held = sf_flow_svc_held(flow->svc[svc->id]);
	if (held)
		WRITE_ONCE(flow->svc[svc->id], flow->svc[svc->id] - 1);
	return held > 1;
}

static bool sf_held_same_flow(const struct sf_held *a, const struct sf_held *b)
{
	return a->has_flow && b->has_flow &&
	       !memcmp(&a->key, &b->key, sizeof(a->key));
}

/*
 * Moves @h to @out, then the decided packets of its flow that waited for
 * it, in order, up to the next one still waiting for its verdict. Under
 * svc->lock and rcu_read_lock().
 */
static void sf_hold_take(struct sf_service *svc, struct sf_held *h,
			 struct list_head *out)
{
	struct sf_held *e, *tmp;
	bool more;

	more = sf_held_unlink(svc, h);
	list_add_tail(&h->list, out);
	if (!more)
		return;
	list_for_each_entry_safe(e, tmp, &svc->fifo, list) {
		if (!sf_held_same_flow(e, h))
			continue;
		if (!e->decided)
			break;
		sf_held_unlink(svc, e);
		list_add_tail(&e->list, out);
	}
}

/* Whether no older packet of @h's flow is queued. Under svc->lock. */
static bool sf_held_eldest(struct sf_service *svc, const struct sf_held *h)
{
	const struct sf_held *e;

	if (!h->has_flow)
		return true;
	list_for_each_entry(e, &svc->fifo, list) {
		if (e == h)
			return true;
		if (sf_held_same_flow(e, h))
			return false;
	}
	return true;
}

/*
 * Must be called with svc->lock held. A helper that answers in order
 * answers the eldest: it is looked at first, before its hash chain.
 */
static struct sf_held *sf_held_find(struct sf_service *svc, u64 id)
{
	struct sf_held *h;

	h = list_first_entry_or_null(&svc->fifo, struct sf_held, list);
	if (h && h->id == id && !hlist_unhashed(&h->node))
		return h;

	hlist_for_each_entry(h, sf_hold_bucket(svc, id), node)
		if (h->id == id)
			return h;
	return NULL;
}

/*
 * Sends @skb on its way after @slot. BH disabled, under rcu_read_lock()
 * taken before the skb left the queue.
 */
static void sf_hold_continue(struct sk_buff *skb, u8 dir, u8 slot)
{
	if (READ_ONCE(skb->dev->reg_state) != NETREG_REGISTERED) {
		kfree_skb(skb);
		return;
	}
	sf_inject(skb, dir, slot + 1);
}

/*
 * Applies the failure policy to @skb (data at L2), counting @cause. BH
 * disabled, under rcu_read_lock().
 */
void sf_hold_fail(struct sf_service *svc, struct sk_buff *skb, u8 dir,
		  u8 slot, enum slotfilter_service_stat cause)
{
	sf_service_stat(svc, cause);
	if (READ_ONCE(svc->policy) == SLOTFILTER_FAIL_OPEN) {
		sf_service_stat(svc, SLOTFILTER_STAT_FAILED_OPEN);
		sf_hold_continue(skb, dir, slot);
	} else {
		sf_service_stat(svc, SLOTFILTER_STAT_FAILED_CLOSED);
		kfree_skb(skb);
	}
}

/*
 * Answers the sender of @h, rejected by its helper: a TCP RST or an ICMP
 * error back through its port. BH disabled, under RCU.
 */
static void sf_hold_reject(struct sf_service *svc, const struct sf_held *h)
{
	struct sk_buff *skb = h->skb;
	u8 buf, proto;
	const u8 *p;

	if (READ_ONCE(skb->dev->reg_state) != NETREG_REGISTERED)
		return;
	/* The protocol field of the IPv4 header, the next header of IPv6's. */
	p = skb_header_pointer(skb, h->nhoff + (h->version == 4 ? 9 : 6),
			       sizeof(buf), &buf);
	if (!p)
		return;
	proto = *p;
	sf_reject(svc->sn->net, skb, skb->dev, h->dir, h->nhoff,
		  h->version == 4, proto);
}

/*
 * Releases the entries of @list (unlinked already), in order: a decided
 * one by its verdict, the others by the failure policy for @cause. BH
 * disabled, under rcu_read_lock() taken before they left the queue.
 */
static void sf_hold_release(struct sf_service *svc, struct list_head *list,
			    enum slotfilter_service_stat cause)
{
	struct sf_held *h, *tmp;

	list_for_each_entry_safe(h, tmp, list, list) {
		if (!h->decided) {
			if (cause == SLOTFILTER_STAT_DEADLINE)
				sf_service_stat(svc, SLOTFILTER_STAT_TIMED_OUT);
			sf_hold_fail(svc, h->skb, h->dir, h->slot, cause);
		} else if (h->verdict == SLOTFILTER_VERDICT_DROP) {
			sf_service_stat(svc, SLOTFILTER_STAT_DROPPED);
			kfree_skb(h->skb);
		} else if (h->verdict == SLOTFILTER_VERDICT_REJECT) {
			sf_service_stat(svc, SLOTFILTER_STAT_DROPPED);
			sf_hold_reject(svc, h);
			kfree_skb(h->skb);
		} else {
			sf_service_stat(svc, SLOTFILTER_STAT_CONTINUED);
			sf_hold_continue(h->skb, h->dir, h->slot);
		}
		kfree(h);
	}
	/* The entries are gone: @list may gather more (sf_hold_verdicts()). */
	INIT_LIST_HEAD(list);
}

/* Teardown: the entries of @list (unlinked already) are dropped. */
static void sf_hold_drop_list(struct sf_service *svc, struct list_head *list)
{
	struct sf_held *h, *tmp;

	list_for_each_entry_safe(h, tmp, list, list) {
		sf_service_stat(svc, SLOTFILTER_STAT_TEARDOWN);
		kfree_skb(h->skb);
		kfree(h);
	}
}

static void sf_hold_timer(struct timer_list *t)
{
	struct sf_service *svc = from_timer(svc, t, timer);
	unsigned long now = jiffies;
	struct sf_held *h;
	LIST_HEAD(expired);

	rcu_read_lock();
	spin_lock(&svc->lock);
	/* sf_hold_take() may take more than the head: no cursor survives it. */
	while ((h = list_first_entry_or_null(&svc->fifo, struct sf_held,
					     list))) {
		if (time_before(now, h->deadline)) {
			mod_timer(&svc->timer, h->deadline);
			break;
		}
		sf_hold_take(svc, h, &expired);
	}
	spin_unlock(&svc->lock);
	sf_hold_release(svc, &expired, SLOTFILTER_STAT_DEADLINE);
	rcu_read_unlock();
}

void sf_hold_init(struct sf_service *svc)
{
	spin_lock_init(&svc->lock);
	INIT_LIST_HEAD(&svc->fifo);
	timer_setup(&svc->timer, sf_hold_timer, 0);
}

static int sf_packet_tags(struct sk_buff *msg, struct sf_net *sn, u64 tags)
{
	char name[SLOTFILTER_NAME_MAX];
	struct nlattr *nest;
	unsigned int id;

	if (!tags)
		return 0;
	nest = nla_nest_start(msg, SLOTFILTER_PACKET_A_TAGS);
	if (!nest)
		return -EMSGSIZE;
	for (id = 0; id < SLOTFILTER_TAGS_MAX; id++) {
		if (!(tags & BIT_ULL(id)))
			continue;
		/* RTNL may be renaming a freed id: never read past the end. */
		memcpy(name, sn->tags.name[id], sizeof(name));
		name[sizeof(name) - 1] = '\0';
		if (nla_put_string(msg, SLOTFILTER_PORT_A_TAG, name))
			return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * The PACKET message for @hi, with its id left to fill in (*idp). NULL
 * when it cannot be built.
 */
static struct sk_buff *sf_packet_msg(struct sf_service *svc,
				     const struct sf_pkt *pkt,
				     const struct sf_hold_info *hi,
				     const struct sf_rule *rule, u32 flow_id,
				     u32 gen, __be16 proto, void **idp)
{
	u64 tags = READ_ONCE(pkt->port->tags);	/* once: sized and sent */
	struct sk_buff *skb = hi->skb;
	u32 len = skb->len - hi->nhoff;
	u32 copy = READ_ONCE(svc->copy);
	struct nlattr *id, *data;
	struct sk_buff *msg;
	void *hdr;

	if (!copy || copy > len)
		copy = len;
	msg = genlmsg_new(nla_total_size(copy) +
			  sf_packet_overhead(hweight64(tags)), GFP_ATOMIC);
	if (!msg)
		return NULL;
	hdr = sf_genl_event_put(msg, SLOTFILTER_CMD_PACKET);
	if (!hdr ||
	    nla_put_u64_64bit(msg, SLOTFILTER_PACKET_A_ID, 0,
			      SLOTFILTER_PACKET_A_PAD))
		goto err;
	id = (struct nlattr *)(skb_tail_pointer(msg) - nla_total_size(8));
	if (nla_put_u32(msg, SLOTFILTER_PACKET_A_IFINDEX, hi->ifindex) ||
	    nla_put_string(msg, SLOTFILTER_PACKET_A_IFNAME,
			   pkt->port->dev->name) ||
	    sf_packet_tags(msg, svc->sn, tags) ||
	    nla_put_u8(msg, SLOTFILTER_PACKET_A_DIRECTION, hi->dir) ||
	    nla_put_u8(msg, SLOTFILTER_PACKET_A_SLOT, hi->slot) ||
	    nla_put_string(msg, SLOTFILTER_PACKET_A_SERVICE, svc->name) ||
	    nla_put_u32(msg, SLOTFILTER_PACKET_A_RULE_ID, rule->id) ||
	    nla_put_u32(msg, SLOTFILTER_PACKET_A_FLOW_ID, flow_id) ||
	    nla_put_u16(msg, SLOTFILTER_PACKET_A_L3PROTO, ntohs(proto)) ||
	    nla_put_u32(msg, SLOTFILTER_PACKET_A_LENGTH, len) ||
	    nla_put_u32(msg, SLOTFILTER_PACKET_A_GENERATION, gen))
		goto err;
	data = nla_reserve(msg, SLOTFILTER_PACKET_A_PAYLOAD, copy);
	if (!data || skb_copy_bits(skb, hi->nhoff, nla_data(data), copy))
		goto err;
	genlmsg_end(msg, hdr);
	*idp = nla_data(id);
	return msg;

err:
	nlmsg_free(msg);
	return NULL;
}

/*
 * Under the lock: holds @h, or says why not (the failure policy's cause,
 * or SLOTFILTER_STAT_TEARDOWN when the port or the service is going).
 */
static int sf_hold_insert(struct sf_service *svc, const struct sf_pkt *pkt,
			  struct sf_held *h, u32 *portid)
{
	struct sf_flow *flow = NULL;

	if (svc->dead || xa_load(&svc->sn->ports, h->ifindex) != pkt->port)
		return SLOTFILTER_STAT_TEARDOWN;
	if (!svc->portid)
		return SLOTFILTER_STAT_NO_HELPER;
	if (svc->failing)
		return SLOTFILTER_STAT_FAILING;
	if (svc->held >= READ_ONCE(svc->queue_max))
		return SLOTFILTER_STAT_QUEUE_FULL;
	if (h->has_flow) {
		flow = sf_hold_flow(svc, &h->key);
		if (flow && sf_flow_svc_held(flow->svc[svc->id]) ==
			    SF_FLOW_SVC_HELD)
			return SLOTFILTER_STAT_QUEUE_FULL;
	}
	h->id = ++svc->next_id;
	h->deadline = jiffies + msecs_to_jiffies(READ_ONCE(svc->timeout_ms));
	if (list_empty(&svc->fifo))
		mod_timer(&svc->timer, h->deadline);
	list_add_tail(&h->list, &svc->fifo);
	hlist_add_head(&h->node, sf_hold_bucket(svc, h->id));
	if (flow)
		WRITE_ONCE(flow->svc[svc->id], flow->svc[svc->id] + 1);
	WRITE_ONCE(svc->held, svc->held + 1);
	svc->most_held = max(svc->most_held, svc->held);
	*portid = svc->portid;
	return 0;
}

/*
 * Holds one packet (hi->skb, data at L2; not a GSO packet unless the
 * helper takes them) and sends it to the helper, or applies the failure
 * policy to it. Takes the skb. Called from the packet path: BH disabled,
 * under rcu_read_lock().
 */
void sf_hold_send(struct sf_service *svc, const struct sf_pkt *pkt,
		  struct sf_hold_info *hi, const struct sf_rule *rule,
		  u32 flow_id, u32 gen)
{
	struct sk_buff *skb = hi->skb, *msg;
	__be16 proto = skb->protocol;
	struct sf_held *h;
	LIST_HEAD(gone);
	u32 portid = 0;
	void *idp;
	int cause;
	u64 id;

	if (skb->ip_summed == CHECKSUM_PARTIAL && !skb_is_gso(skb) &&
	    skb_checksum_help(skb)) {
		kfree_skb(skb);
		return;
	}
	h = kzalloc(sizeof(*h), GFP_ATOMIC);
	msg = sf_packet_msg(svc, pkt, hi, rule, flow_id, gen, proto, &idp);
	if (!h || !msg) {
		kfree(h);
		nlmsg_free(msg);
		sf_hold_fail(svc, skb, hi->dir, hi->slot,
			     SLOTFILTER_STAT_QUEUE_FULL);
		return;
	}
	h->skb = skb;
	h->ifindex = hi->ifindex;
	h->nhoff = hi->nhoff;
	h->dir = hi->dir;
	h->slot = hi->slot;
	h->version = proto == htons(ETH_P_IPV6) ? 6 : 4;
	if (hi->tuple) {
		h->key = hi->tuple->key;
		h->has_flow = true;
	}
	h->sent_ns = ktime_get_ns();

	spin_lock(&svc->lock);
	cause = sf_hold_insert(svc, pkt, h, &portid);
	spin_unlock(&svc->lock);
	if (cause) {
		kfree(h);
		nlmsg_free(msg);
		if (cause == SLOTFILTER_STAT_TEARDOWN) {
			sf_service_stat(svc, cause);
			kfree_skb(skb);
		} else {
			sf_hold_fail(svc, skb, hi->dir, hi->slot, cause);
		}
		return;
	}

	/* From here on @h may be answered, expired or flushed: use the id. */
	id = h->id;
	memcpy(idp, &id, sizeof(id));
	cause = sf_genl_unicast(svc->sn->net, msg, portid);
	if (!cause) {
		sf_service_stat(svc, SLOTFILTER_STAT_REDIRECTED);
		return;
	}
	cause = cause == -ECONNREFUSED ? SLOTFILTER_STAT_HELPER_GONE :
					 SLOTFILTER_STAT_QUEUE_FULL;
	spin_lock(&svc->lock);
	h = sf_held_find(svc, id);
	if (h)
		sf_hold_take(svc, h, &gone);
	spin_unlock(&svc->lock);
	sf_hold_release(svc, &gone, cause);
}

/*
 * Drops the packets held for the port @ifindex (0: all) and says how
 * many. RTNL.
 */
unsigned int sf_hold_flush(struct sf_service *svc, u32 ifindex)
{
	struct sf_held *h, *tmp;
	unsigned int n = 0;
	LIST_HEAD(gone);

	rcu_read_lock();
	spin_lock_bh(&svc->lock);
	list_for_each_entry_safe(h, tmp, &svc->fifo, list) {
		if (ifindex && h->ifindex != ifindex)
			continue;
		sf_held_unlink(svc, h);
		list_add_tail(&h->list, &gone);
		n++;
	}
	spin_unlock_bh(&svc->lock);
	rcu_read_unlock();
	sf_hold_drop_list(svc, &gone);
	return n;
}

/*
 * The service is going: nothing more is held, the timer stops, what is
 * held is dropped. Called after the service left every chain and a grace
 * period passed, so the packet path cannot reach it. Returns how many
 * packets it dropped.
 */
unsigned int sf_hold_destroy(struct sf_service *svc)
{
	spin_lock_bh(&svc->lock);
	svc->dead = true;
	WRITE_ONCE(svc->portid, 0);
	spin_unlock_bh(&svc->lock);
	timer_shutdown_sync(&svc->timer);
	return sf_hold_flush(svc, 0);
}

/* Checks a replacement packet: its version and its length field. */
static int sf_payload_check(const struct nlattr *attr, u8 version,
			    struct netlink_ext_ack *extack)
{
	const u8 *p = nla_data(attr);
	u32 len = nla_len(attr);

	if (version == 4) {
		const struct iphdr *iph = (const void *)p;

		if (len < sizeof(*iph) || iph->version != 4 || iph->ihl < 5 ||
		    iph->ihl * 4 > len || ntohs(iph->tot_len) != len) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "the replacement is not an IPv4 packet whose total length is the attribute's length");
			return -EINVAL;
		}
	} else {
		const struct ipv6hdr *ip6 = (const void *)p;

		if (len < sizeof(*ip6) || ip6->version != 6 ||
		    ntohs(ip6->payload_len) + sizeof(*ip6) != len) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "the replacement is not an IPv6 packet whose payload length matches the attribute's length");
			return -EINVAL;
		}
	}
	return 0;
}

/* Puts @attr's bytes in place of the packet from its network header. */
static int sf_held_rewrite(struct sf_held *h, const struct nlattr *attr)
{
	struct sk_buff *skb = h->skb;
	unsigned int len = nla_len(attr);
	int err;

	err = pskb_trim(skb, h->nhoff);
	if (!err && (skb_cloned(skb) || skb_tailroom(skb) < len))
		err = pskb_expand_head(skb, 0,
				       max_t(int, 0, len - skb_tailroom(skb)),
				       GFP_ATOMIC);
	if (err)
		return err;
	skb_put_data(skb, nla_data(attr), len);
	skb_set_network_header(skb, h->nhoff);
	if (h->version == 4) {
		skb_set_transport_header(skb, h->nhoff + ip_hdr(skb)->ihl * 4);
		ip_send_check(ip_hdr(skb));
	} else {
		skb_set_transport_header(skb,
					 h->nhoff + sizeof(struct ipv6hdr));
	}
	if (skb_is_gso(skb))
		skb_gso_reset(skb);
	skb->ip_summed = CHECKSUM_NONE;
	skb_clear_hash(skb);
	return 0;
}

static void sf_hold_latency(struct sf_service *svc, const struct sf_held *h)
{
	u64 us = div_u64(ktime_get_ns() - h->sent_ns, NSEC_PER_USEC);
	unsigned int b = us ? fls64(us) : 0;

	b = min_t(unsigned int, b, SLOTFILTER_LATENCY_BUCKETS - 1);
	this_cpu_inc(svc->stats->latency[b]);
}

/*
 * A flow verdict goes into the flow entry. Must be called with svc->lock
 * held and under rcu_read_lock().
 */
static void sf_hold_cache(struct sf_service *svc, const struct sf_held *h,
			  u8 verdict)
{
	struct sf_flow *flow;
	u16 v;

	if (verdict == SLOTFILTER_VERDICT_CONTINUE_FLOW)
		v = SF_FLOW_SVC_CONTINUE;
	else if (verdict == SLOTFILTER_VERDICT_DROP_FLOW ||
		 verdict == SLOTFILTER_VERDICT_REJECT_FLOW)
		v = SF_FLOW_SVC_DROP;
	else
		return;
	if (!h->has_flow)
		return;
	flow = sf_hold_flow(svc, &h->key);
	if (!flow)
		return;
	WRITE_ONCE(flow->svc[svc->id],
		   sf_flow_svc_held(flow->svc[svc->id]) |
		   v << SF_FLOW_SVC_SHIFT);
}

/*
 * One verdict for @h, still queued: it leaves the hash (a second verdict
 * is late), its flow verdict is cached, its replacement put in place, and
 * it is decided (sf_hold_release() carries the verdict out). Under
 * svc->lock and rcu_read_lock().
 */
static void sf_hold_decide(struct sf_service *svc, struct sf_held *h,
			   u8 verdict, const struct nlattr *payload)
{
	bool drop = verdict == SLOTFILTER_VERDICT_DROP ||
		    verdict == SLOTFILTER_VERDICT_DROP_FLOW;
	bool reject = verdict == SLOTFILTER_VERDICT_REJECT ||
		      verdict == SLOTFILTER_VERDICT_REJECT_FLOW;

	hlist_del_init(&h->node);
	sf_hold_cache(svc, h, verdict);
	sf_hold_latency(svc, h);
	if (!drop && !reject && payload) {
		sf_service_stat(svc, SLOTFILTER_STAT_REWRITTEN);
		drop = sf_held_rewrite(h, payload) != 0;
	}
	if (reject)
		h->verdict = SLOTFILTER_VERDICT_REJECT;
	else if (drop)
		h->verdict = SLOTFILTER_VERDICT_DROP;
	else
		h->verdict = SLOTFILTER_VERDICT_CONTINUE;
	h->decided = true;
}

/* Checks every verdict of the request; applies none. */
static int sf_hold_check(struct sf_service *svc, struct genl_info *info,
			 unsigned int *n)
{
	struct nlattr *tb[SLOTFILTER_VERDICT_A_MAX + 1];
	const struct nlattr *attr;
	struct sf_held *h;
	int rem, err;
	u8 version;

	*n = 0;
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != SLOTFILTER_SERVICE_A_VERDICT)
			continue;
		err = nla_parse_nested(tb, SLOTFILTER_VERDICT_A_MAX, attr,
				       sf_verdict_policy, info->extack);
		if (err)
			return err;
		if (!tb[SLOTFILTER_VERDICT_A_ID] ||
		    !tb[SLOTFILTER_VERDICT_A_VERDICT]) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "a verdict needs a packet id and a verdict");
			return -EINVAL;
		}
		(*n)++;
		if (!tb[SLOTFILTER_VERDICT_A_PAYLOAD])
			continue;
		spin_lock_bh(&svc->lock);
		h = sf_held_find(svc, nla_get_u64(tb[SLOTFILTER_VERDICT_A_ID]));
		version = h ? h->version : 0;
		spin_unlock_bh(&svc->lock);
		if (!version)
			continue;	/* late: skipped anyway */
		err = sf_payload_check(tb[SLOTFILTER_VERDICT_A_PAYLOAD],
				       version, info->extack);
		if (err)
			return err;
	}
	if (!*n) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "no verdict given (SLOTFILTER_SERVICE_A_VERDICT)");
		return -EINVAL;
	}
	return 0;
}

/*
 * SLOTFILTER_CMD_VERDICT from the bound helper, under genl_mutex: every
 * verdict is checked first, then applied in order.
 */
int sf_hold_verdicts(struct sf_service *svc, struct genl_info *info)
{
	struct nlattr *tb[SLOTFILTER_VERDICT_A_MAX + 1];
	const struct nlattr *attr;
	struct sf_held *h;
	LIST_HEAD(ready);
	unsigned int n;
	int rem, err;

	err = sf_hold_check(svc, info, &n);
	if (err)
		return err;
	local_bh_disable();
	rcu_read_lock();
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != SLOTFILTER_SERVICE_A_VERDICT)
			continue;
		if (nla_parse_nested(tb, SLOTFILTER_VERDICT_A_MAX, attr,
				     sf_verdict_policy, NULL))
			continue;	/* checked above: cannot happen */
		spin_lock(&svc->lock);
		h = sf_held_find(svc, nla_get_u64(tb[SLOTFILTER_VERDICT_A_ID]));
		if (!h) {
			spin_unlock(&svc->lock);
			sf_service_stat(svc, SLOTFILTER_STAT_LATE);
			continue;
		}
		if (tb[SLOTFILTER_VERDICT_A_PAYLOAD] &&
		    sf_payload_check(tb[SLOTFILTER_VERDICT_A_PAYLOAD],
				     h->version, NULL))
			tb[SLOTFILTER_VERDICT_A_PAYLOAD] = NULL;
		sf_hold_decide(svc, h,
			       nla_get_u8(tb[SLOTFILTER_VERDICT_A_VERDICT]),
			       tb[SLOTFILTER_VERDICT_A_PAYLOAD]);
		if (sf_held_eldest(svc, h))
			sf_hold_take(svc, h, &ready);
		spin_unlock(&svc->lock);
		sf_hold_release(svc, &ready, SLOTFILTER_STAT_UNSPEC);
	}
	rcu_read_unlock();
	local_bh_enable();
	return 0;
}

/*
 * The helper's socket closed: unbind it from every service of its
 * namespace, release what they held under their failure policy and tell
 * the listeners. Called in process context (a blocking notifier chain),
 * after the socket left the netlink tables; the events are built with
 * GFP_ATOMIC because the services are only RCU-protected here.
 */
static int sf_hold_urelease(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct sf_service_change c = {
		.cause = SLOTFILTER_CAUSE_HELPER_GONE,
		.state = SLOTFILTER_SERVICE_NO_HELPER,
	};
	struct netlink_notify *n = ptr;
	struct sf_service *svc;
	struct sf_held *h, *tmp;
	struct sf_net *sn;
	unsigned int i;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	sn = sf_net(n->net);
	local_bh_disable();
	rcu_read_lock();
	for (i = 0; i < SF_SERVICES_MAX; i++) {
		LIST_HEAD(gone);

		svc = rcu_dereference(sn->services[i]);
		if (!svc)
			continue;
		spin_lock(&svc->lock);
		if (svc->portid != n->portid) {
			spin_unlock(&svc->lock);
			continue;
		}
		c.prev = sf_service_state(svc);
		c.released = 0;
		WRITE_ONCE(svc->portid, 0);
		WRITE_ONCE(svc->flags, 0);
		WRITE_ONCE(svc->failing, false);
		list_for_each_entry_safe(h, tmp, &svc->fifo, list) {
			sf_held_unlink(svc, h);
			list_add_tail(&h->list, &gone);
			c.released++;
		}
		spin_unlock(&svc->lock);
		sf_hold_release(svc, &gone, SLOTFILTER_STAT_HELPER_GONE);
		sf_service_event(svc, &c, GFP_ATOMIC);
	}
	rcu_read_unlock();
	local_bh_enable();
	return NOTIFY_DONE;
}

static struct notifier_block sf_hold_notifier = {
	.notifier_call = sf_hold_urelease,
};

int sf_service_init(void)
{
	return netlink_register_notifier(&sf_hold_notifier);
}

void sf_service_exit(void)
{
	netlink_unregister_notifier(&sf_hold_notifier);
}
