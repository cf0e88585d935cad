// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink commands of the services: configuration and reads (under RTNL),
 * the helper's bind, health, verdicts and alerts, and the events that
 * tell listeners about services. See uapi/linux/slotfilter.h.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "compat.h"
#include "netlink.h"
#include "netns.h"
#include "service.h"

/* A SERVICE_EVENT at most, and a SERVICE_ALERT's besides the alert. */
#define SF_EVENT_SIZE	(nla_total_size(SLOTFILTER_NAME_MAX) +		\
			 nla_total_size(SLOTFILTER_REASON_MAX) +	\
			 6 * nla_total_size(sizeof(u32)))

/*
 * Tells the listeners of the service's namespace about @c. Any context
 * (@gfp says which); the caller keeps @svc alive. A message that cannot
 * be built is lost: the change it reports stands.
 */
void sf_service_event(struct sf_service *svc,
		      const struct sf_service_change *c, gfp_t gfp)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(SF_EVENT_SIZE, gfp);
	if (!msg)
		return;
	hdr = sf_genl_event_put(msg, SLOTFILTER_CMD_SERVICE_EVENT);
	if (!hdr ||
	    nla_put_string(msg, SLOTFILTER_SERVICE_A_NAME, svc->name) ||
	    nla_put_u8(msg, SLOTFILTER_SERVICE_A_SLOT, READ_ONCE(svc->slot)) ||
	    nla_put_u8(msg, SLOTFILTER_SERVICE_A_STATE, c->state) ||
	    nla_put_u8(msg, SLOTFILTER_SERVICE_A_PREV_STATE, c->prev) ||
	    nla_put_u8(msg, SLOTFILTER_SERVICE_A_CAUSE, c->cause) ||
	    (c->cause == SLOTFILTER_CAUSE_MOVED &&
	     nla_put_u8(msg, SLOTFILTER_SERVICE_A_PREV_SLOT, c->prev_slot)) ||
	    (c->released >= 0 &&
	     nla_put_u32(msg, SLOTFILTER_SERVICE_A_RELEASED, c->released)) ||
	    (c->reason &&
	     nla_put_string(msg, SLOTFILTER_SERVICE_A_REASON, c->reason))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	if (!c->helper) {
		sf_genl_event(svc->sn->net, msg);
		return;
	}
	/* The bound helper is told too: its socket serves nothing now. */
	skb_get(msg);
	sf_genl_event(svc->sn->net, msg);
	sf_genl_unicast(svc->sn->net, msg, c->helper);
}

/* The service the request names, or NULL with the extack set. RTNL. */
static struct sf_service *sf_nl_service(struct sf_net *sn,
					struct genl_info *info)
{
	struct nlattr *name = info->attrs[SLOTFILTER_SERVICE_A_NAME];
	struct sf_service *svc;

	if (!name) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "missing service name (SLOTFILTER_SERVICE_A_NAME)");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL,
				     SLOTFILTER_SERVICE_A_NAME);
		return ERR_PTR(-EINVAL);
	}
	svc = sf_service_find(sn, nla_data(name));
	if (!svc) {
		NL_SET_ERR_MSG_ATTR(info->extack, name, "no service of this name");
		return ERR_PTR(-ENOENT);
	}
	return svc;
}

int sf_nl_service_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name = info->attrs[SLOTFILTER_SERVICE_A_NAME];
	struct nlattr *slot = info->attrs[SLOTFILTER_SERVICE_A_SLOT];
	int err;

	if (!name) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "missing service name (SLOTFILTER_SERVICE_A_NAME)");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL,
				     SLOTFILTER_SERVICE_A_NAME);
		return -EINVAL;
	}
	if (!sf_name_valid(nla_data(name))) {
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "invalid service name: 1 to 31 characters of A-Z a-z 0-9 _ . -");
		return -EINVAL;
	}
	if (!slot) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "missing slot (SLOTFILTER_SERVICE_A_SLOT)");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL,
				     SLOTFILTER_SERVICE_A_SLOT);
		return -EINVAL;
	}
	rtnl_lock();
	err = sf_service_add(sf_net(genl_info_net(info)), nla_data(name),
			     nla_get_u8(slot), info->attrs, info->extack);
	rtnl_unlock();
	return err;
}

int sf_nl_service_set(struct sk_buff *skb, struct genl_info *info)
{
	struct sf_service *svc;
	int err;

	rtnl_lock();
	svc = sf_nl_service(sf_net(genl_info_net(info)), info);
	err = IS_ERR(svc) ? PTR_ERR(svc) :
			    sf_service_set(svc, info->attrs, info->extack);
	rtnl_unlock();
	return err;
}

int sf_nl_service_del(struct sk_buff *skb, struct genl_info *info)
{
	struct sf_service *svc;
	int err;

	rtnl_lock();
	svc = sf_nl_service(sf_net(genl_info_net(info)), info);
	err = IS_ERR(svc) ? PTR_ERR(svc) : sf_service_del(svc, info->extack);
	rtnl_unlock();
	return err;
}

static int sf_put_service_stats(struct sk_buff *msg,
				const struct sf_service_stats *t)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(msg, SLOTFILTER_SERVICE_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = SLOTFILTER_STAT_REDIRECTED; i < SLOTFILTER_STAT_PAD; i++)
		if (nla_put_u64_64bit(msg, i, t->c[i], SLOTFILTER_STAT_PAD))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, SLOTFILTER_SERVICE_A_LATENCY);
	if (!nest)
		return -EMSGSIZE;
	/* Bucket 0 would be an attribute of type 0: types are index + 1. */
	for (i = 0; i < SLOTFILTER_LATENCY_BUCKETS; i++)
		if (nla_put_u64_64bit(msg, i + 1, t->latency[i],
				      SLOTFILTER_LATENCY_BUCKETS + 1))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* Must be called with RTNL. */
static int sf_fill_service(struct sk_buff *msg, struct sf_service *svc,
			   u32 portid, u32 seq, int flags)
{
	struct sf_service_stats t;
	u32 held, most, bflags;
	void *hdr;
	u8 state;

	spin_lock_bh(&svc->lock);
	held = svc->held;
	most = svc->most_held;
	bflags = svc->flags;
	state = sf_service_state(svc);
	spin_unlock_bh(&svc->lock);
	sf_service_totals(svc, &t);

	hdr = sf_genl_put(msg, portid, seq, flags, SLOTFILTER_CMD_SERVICE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(msg, SLOTFILTER_SERVICE_A_NAME, svc->name) ||
	    nla_put_u8(msg, SLOTFILTER_SERVICE_A_SLOT, svc->slot) ||
	    nla_put_u8(msg, SLOTFILTER_SERVICE_A_FAILURE_POLICY, svc->policy) ||
	    nla_put_u32(msg, SLOTFILTER_SERVICE_A_TIMEOUT, svc->timeout_ms) ||
	    nla_put_u32(msg, SLOTFILTER_SERVICE_A_QUEUE_MAX, svc->queue_max) ||
	    nla_put_u32(msg, SLOTFILTER_SERVICE_A_COPY, svc->copy) ||
	    nla_put_u8(msg, SLOTFILTER_SERVICE_A_STATE, state) ||
	    nla_put_u32(msg, SLOTFILTER_SERVICE_A_FLAGS, bflags) ||
	    nla_put_u32(msg, SLOTFILTER_SERVICE_A_NREDIRECTS,
			sf_service_nredirects(svc)) ||
	    nla_put_u32(msg, SLOTFILTER_SERVICE_A_HELD, held) ||
	    nla_put_u32(msg, SLOTFILTER_SERVICE_A_MOST_HELD, most) ||
	    sf_put_service_stats(msg, &t)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

int sf_nl_service_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sf_service *svc;
	struct sk_buff *msg;
	int err;

	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	svc = sf_nl_service(sf_net(genl_info_net(info)), info);
	err = IS_ERR(svc) ? PTR_ERR(svc) :
	      sf_fill_service(msg, svc, info->snd_portid, info->snd_seq, 0);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* In slot order; cb->args[0]: the next slot. */
int sf_nl_service_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sf_net *sn = sf_net(sock_net(skb->sk));
	struct sf_filter *f;
	unsigned long slot;

	rtnl_lock();
	for (slot = max_t(unsigned long, cb->args[0],
			  SLOTFILTER_SLOT_SERVICE_FIRST);
	     slot <= SLOTFILTER_SLOT_SERVICE_LAST; slot++) {
		f = sf_service_port_filter(sn, slot);
		if (f && sf_fill_service(skb,
					 container_of(f, struct sf_service, filter),
					 NETLINK_CB(cb->skb).portid,
					 cb->nlh->nlmsg_seq, NLM_F_MULTI))
			break;
	}
	cb->args[0] = slot;
	rtnl_unlock();
	return skb->len;
}

int sf_nl_service_bind(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *flags = info->attrs[SLOTFILTER_SERVICE_A_FLAGS];
	struct sf_service *svc;
	bool bound = false;
	int err = 0;

	rtnl_lock();
	svc = sf_nl_service(sf_net(genl_info_net(info)), info);
	if (IS_ERR(svc)) {
		err = PTR_ERR(svc);
		goto out;
	}
	spin_lock_bh(&svc->lock);
	if (svc->portid && svc->portid != info->snd_portid) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "another socket is bound to this service");
		err = -EBUSY;
	} else {
		bound = !svc->portid;
		if (bound)
			WRITE_ONCE(svc->failing, false);
		WRITE_ONCE(svc->portid, info->snd_portid);
		WRITE_ONCE(svc->flags, flags ? nla_get_u32(flags) : 0);
	}
	spin_unlock_bh(&svc->lock);
	if (bound)
		sf_service_event(svc, &(struct sf_service_change){
				.cause = SLOTFILTER_CAUSE_BOUND,
				.prev = SLOTFILTER_SERVICE_NO_HELPER,
				.state = SLOTFILTER_SERVICE_UP,
				.released = -1,
			}, GFP_KERNEL);
out:
	rtnl_unlock();
	return err;
}

/*
 * The service the bound helper names: the reference stays good without
 * RTNL because only commands (serialised with this one by genl_mutex)
 * delete services, and netns exit cannot run while the sender's socket
 * holds its namespace.
 */
static struct sf_service *sf_nl_bound(struct genl_info *info)
{
	struct sf_service *svc;
	bool bound;

	rtnl_lock();
	svc = sf_nl_service(sf_net(genl_info_net(info)), info);
	rtnl_unlock();
	if (IS_ERR(svc))
		return svc;
	spin_lock_bh(&svc->lock);
	bound = svc->portid && svc->portid == info->snd_portid;
	spin_unlock_bh(&svc->lock);
	if (!bound) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "this socket is not bound to the service (SLOTFILTER_CMD_SERVICE_BIND)");
		return ERR_PTR(-EPERM);
	}
	return svc;
}

int sf_nl_service_health(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *reason = info->attrs[SLOTFILTER_SERVICE_A_REASON];
	struct nlattr *health = info->attrs[SLOTFILTER_SERVICE_A_HEALTH];
	struct sf_service_change c = {
		.cause = SLOTFILTER_CAUSE_HEALTH,
		.released = -1,
		.reason = reason ? nla_data(reason) : NULL,
	};
	struct sf_service *svc;
	bool failing;

	if (!health) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "missing health (SLOTFILTER_SERVICE_A_HEALTH)");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL,
				     SLOTFILTER_SERVICE_A_HEALTH);
		return -EINVAL;
	}
	svc = sf_nl_bound(info);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	failing = nla_get_u8(health) == SLOTFILTER_HEALTH_FAILING;
	spin_lock_bh(&svc->lock);
	c.prev = sf_service_state(svc);
	WRITE_ONCE(svc->failing, failing);
	c.state = sf_service_state(svc);
	spin_unlock_bh(&svc->lock);
	if (c.state != c.prev)
		sf_service_event(svc, &c, GFP_KERNEL);
	return 0;
}

int sf_nl_verdict(struct sk_buff *skb, struct genl_info *info)
{
	struct sf_service *svc = sf_nl_bound(info);

	if (IS_ERR(svc))
		return PTR_ERR(svc);
	return sf_hold_verdicts(svc, info);
}

/*
 * SLOTFILTER_CMD_SERVICE_ALERT from the bound helper: its text goes out
 * as it is to the namespace's listeners, within the service's rate limit.
 */
int sf_nl_service_alert(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *alert = info->attrs[SLOTFILTER_SERVICE_A_ALERT];
	struct sf_service *svc;
	u32 suppressed = 0;
	struct sk_buff *msg;
	void *hdr;
	bool ok;

	if (!alert) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "missing alert (SLOTFILTER_SERVICE_A_ALERT)");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL,
				     SLOTFILTER_SERVICE_A_ALERT);
		return -EINVAL;
	}
	if (!*(char *)nla_data(alert)) {
		NL_SET_ERR_MSG_ATTR(info->extack, alert, "an empty alert");
		return -EINVAL;
	}
	svc = sf_nl_bound(info);
	if (IS_ERR(svc))
		return PTR_ERR(svc);

	/* The limiter's lock class is shared with the packet path's. */
	local_bh_disable();
	ok = sf_log_allowed(&svc->alerts, &suppressed);
	local_bh_enable();
	if (!ok)
		return 0;
	msg = genlmsg_new(SF_EVENT_SIZE + nla_total_size(nla_len(alert)),
			  GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = sf_genl_event_put(msg, SLOTFILTER_CMD_SERVICE_ALERT);
	if (!hdr ||
	    nla_put_string(msg, SLOTFILTER_SERVICE_A_NAME, svc->name) ||
	    nla_put_u8(msg, SLOTFILTER_SERVICE_A_SLOT, READ_ONCE(svc->slot)) ||
	    nla_put_string(msg, SLOTFILTER_SERVICE_A_ALERT, nla_data(alert)) ||
	    (suppressed &&
	     nla_put_u32(msg, SLOTFILTER_SERVICE_A_SUPPRESSED, suppressed))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	sf_genl_event(svc->sn->net, msg);
	return 0;
}
