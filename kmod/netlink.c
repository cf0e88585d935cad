// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "slotfilter": see uapi/linux/slotfilter.h for
 * the protocol. Every handler acts on the caller's network namespace.
 * Handlers run under genl_mutex (no parallel_ops); configuration and the
 * dumps that read it take RTNL. This file holds the family, the policies
 * and the port commands; fwnl.c the firewall's.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "compat.h"
#include "netlink.h"
#include "netns.h"
#include "port.h"

#define SF_REPLY_ONLY	"reply attribute: not accepted in requests"

static const struct nla_policy sf_port_policy[SLOTFILTER_PORT_A_MAX + 1] = {
	[SLOTFILTER_PORT_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SLOTFILTER_PORT_A_IFNAME] = {
		.type = NLA_REJECT,
		.reject_message =
			"the port name is a reply attribute: identify the port by ifindex",
	},
	[SLOTFILTER_PORT_A_DIRS] = {
		.type = NLA_REJECT,
		.reject_message = "counters are a reply attribute",
	},
	[SLOTFILTER_PORT_A_TAG] = { .type = NLA_NUL_STRING,
				    .len = SLOTFILTER_NAME_MAX - 1 },
	[SLOTFILTER_PORT_A_TAGS] = { .type = NLA_REJECT,
				     .reject_message = SF_REPLY_ONLY },
};

static int sf_validate_addr(const struct nlattr *attr,
			    struct netlink_ext_ack *extack)
{
	if (nla_len(attr) == 4 || nla_len(attr) == 16)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "an address is 4 (IPv4) or 16 (IPv6) bytes");
	return -EINVAL;
}

const struct nla_policy sf_addr_policy[SLOTFILTER_ADDR_A_MAX + 1] = {
	[SLOTFILTER_ADDR_A_ADDR] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
							  sf_validate_addr, 16),
	[SLOTFILTER_ADDR_A_PLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[SLOTFILTER_ADDR_A_SET] = { .type = NLA_NUL_STRING,
				    .len = SLOTFILTER_NAME_MAX - 1 },
};

const struct nla_policy sf_range_policy[SLOTFILTER_RANGE_A_MAX + 1] = {
	[SLOTFILTER_RANGE_A_MIN] = { .type = NLA_U16 },
	[SLOTFILTER_RANGE_A_MAX] = { .type = NLA_U16 },
};

static const struct nla_policy sf_applied_policy[SLOTFILTER_APPLIED_A_MAX + 1] = {
	[SLOTFILTER_APPLIED_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[SLOTFILTER_APPLIED_A_TAG] = { .type = NLA_NUL_STRING,
				       .len = SLOTFILTER_NAME_MAX - 1 },
};

#define SF_COUNTER_REJECT { .type = NLA_REJECT, .reject_message = SF_REPLY_ONLY }

/* What firewall rules and redirect rules match on, the same way. */
#define SF_RULE_MATCH_POLICY						\
	[SLOTFILTER_RULE_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),		\
	[SLOTFILTER_RULE_A_DIRECTION] = NLA_POLICY_MAX(NLA_U8,		\
					SLOTFILTER_RULE_DIR_EGRESS),	\
	[SLOTFILTER_RULE_A_APPLIED_TO] = NLA_POLICY_NESTED(sf_applied_policy), \
	[SLOTFILTER_RULE_A_SRC] = NLA_POLICY_NESTED(sf_addr_policy),	\
	[SLOTFILTER_RULE_A_DST] = NLA_POLICY_NESTED(sf_addr_policy),	\
	[SLOTFILTER_RULE_A_PROTO] = { .type = NLA_U8 },			\
	[SLOTFILTER_RULE_A_SPORT] = NLA_POLICY_NESTED(sf_range_policy),	\
	[SLOTFILTER_RULE_A_DPORT] = NLA_POLICY_NESTED(sf_range_policy),	\
	[SLOTFILTER_RULE_A_ICMP_TYPE] = { .type = NLA_U8 },		\
	[SLOTFILTER_RULE_A_ICMP_CODE] = { .type = NLA_U8 },		\
	[SLOTFILTER_RULE_A_PACKETS] = SF_COUNTER_REJECT,		\
	[SLOTFILTER_RULE_A_BYTES] = SF_COUNTER_REJECT,			\
	[SLOTFILTER_RULE_A_FLOWS] = SF_COUNTER_REJECT,			\
	[SLOTFILTER_RULE_A_LAST_HIT] = SF_COUNTER_REJECT

const struct nla_policy sf_rule_policy[SLOTFILTER_RULE_A_MAX + 1] = {
	SF_RULE_MATCH_POLICY,
	[SLOTFILTER_RULE_A_ACTION] = NLA_POLICY_MAX(NLA_U8,
						    SLOTFILTER_ACTION_REJECT),
	[SLOTFILTER_RULE_A_LOG] = { .type = NLA_FLAG },
	[SLOTFILTER_RULE_A_SERVICE] = {
		.type = NLA_REJECT,
		.reject_message =
			"only redirect rules (SLOTFILTER_FW_A_REDIRECT) name a service",
	},
};

const struct nla_policy sf_redirect_policy[SLOTFILTER_RULE_A_MAX + 1] = {
	SF_RULE_MATCH_POLICY,
	[SLOTFILTER_RULE_A_ACTION] = NLA_POLICY_RANGE(NLA_U8,
					SLOTFILTER_ACTION_REDIRECT, SLOTFILTER_ACTION_SKIP),
	[SLOTFILTER_RULE_A_LOG] = {
		.type = NLA_REJECT,
		.reject_message = "redirect rules do not log",
	},
	[SLOTFILTER_RULE_A_SERVICE] = { .type = NLA_NUL_STRING,
					.len = SLOTFILTER_NAME_MAX - 1 },
};

static struct netlink_range_validation sf_timeout_range = {
	.min = 1,
	.max = 10 * 24 * 3600,
};

static struct netlink_range_validation sf_flow_max_range = {
	.min = 1,
	.max = SF_FLOW_MAX_LIMIT,
};

static const struct nla_policy sf_timeout_policy[SLOTFILTER_TIMEOUT_MAX + 1] = {
	[SLOTFILTER_TIMEOUT_TCP_SYN ... SLOTFILTER_TIMEOUT_OTHER] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &sf_timeout_range),
};

static const struct nla_policy sf_fw_policy[SLOTFILTER_FW_A_MAX + 1] = {
	[SLOTFILTER_FW_A_GENERATION] = { .type = NLA_U32 },
	[SLOTFILTER_FW_A_DEFAULT] = NLA_POLICY_MAX(NLA_U8,
						   SLOTFILTER_ACTION_REJECT),
	[SLOTFILTER_FW_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, SLOTFILTER_FW_F_ALL),
	[SLOTFILTER_FW_A_TIMEOUTS] = NLA_POLICY_NESTED(sf_timeout_policy),
	[SLOTFILTER_FW_A_FLOW_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32,
							   &sf_flow_max_range),
	[SLOTFILTER_FW_A_RULE] = NLA_POLICY_NESTED(sf_rule_policy),
	[SLOTFILTER_FW_A_NRULES] = SF_COUNTER_REJECT,
	[SLOTFILTER_FW_A_MEMORY] = SF_COUNTER_REJECT,
	[SLOTFILTER_FW_A_FLOWS] = SF_COUNTER_REJECT,
	[SLOTFILTER_FW_A_FLOWS_REFUSED] = SF_COUNTER_REJECT,
	[SLOTFILTER_FW_A_FLOW_SIZE] = SF_COUNTER_REJECT,
	[SLOTFILTER_FW_A_RULE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[SLOTFILTER_FW_A_REDIRECT] = NLA_POLICY_NESTED(sf_redirect_policy),
};

static const struct nla_policy sf_set_policy[SLOTFILTER_SET_A_MAX + 1] = {
	[SLOTFILTER_SET_A_NAME] = { .type = NLA_NUL_STRING,
				    .len = SLOTFILTER_NAME_MAX - 1 },
	[SLOTFILTER_SET_A_ELEM] = NLA_POLICY_NESTED(sf_addr_policy),
	[SLOTFILTER_SET_A_NELEMS] = SF_COUNTER_REJECT,
	[SLOTFILTER_SET_A_USERS] = SF_COUNTER_REJECT,
};

static const struct nla_policy sf_flow_policy[SLOTFILTER_FLOW_A_MAX + 1] = {
	[SLOTFILTER_FLOW_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

static struct netlink_range_validation sf_svc_timeout_range = {
	.min = 1,
	.max = SLOTFILTER_SERVICE_TIMEOUT_MAX,
};

static struct netlink_range_validation sf_svc_queue_range = {
	.min = 1,
	.max = SLOTFILTER_SERVICE_QUEUE_MAX,
};

const struct nla_policy sf_verdict_policy[SLOTFILTER_VERDICT_A_MAX + 1] = {
	[SLOTFILTER_VERDICT_A_ID] = { .type = NLA_U64 },
	[SLOTFILTER_VERDICT_A_VERDICT] = NLA_POLICY_MAX(NLA_U8,
						SLOTFILTER_VERDICT_REJECT_FLOW),
	[SLOTFILTER_VERDICT_A_PAYLOAD] = { .type = NLA_BINARY,
					   .len = U16_MAX },
};

static const struct nla_policy sf_service_policy[SLOTFILTER_SERVICE_A_MAX + 1] = {
	[SLOTFILTER_SERVICE_A_NAME] = { .type = NLA_NUL_STRING,
					.len = SLOTFILTER_NAME_MAX - 1 },
	[SLOTFILTER_SERVICE_A_SLOT] = NLA_POLICY_RANGE(NLA_U8,
					SLOTFILTER_SLOT_SERVICE_FIRST,
					SLOTFILTER_SLOT_SERVICE_LAST),
	[SLOTFILTER_SERVICE_A_FAILURE_POLICY] = NLA_POLICY_MAX(NLA_U8,
					SLOTFILTER_FAIL_CLOSED),
	[SLOTFILTER_SERVICE_A_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32,
					&sf_svc_timeout_range),
	[SLOTFILTER_SERVICE_A_QUEUE_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32,
					&sf_svc_queue_range),
	[SLOTFILTER_SERVICE_A_COPY] = { .type = NLA_U32 },
	[SLOTFILTER_SERVICE_A_STATE] = SF_COUNTER_REJECT,
	[SLOTFILTER_SERVICE_A_FLAGS] = NLA_POLICY_MASK(NLA_U32,
					SLOTFILTER_SERVICE_F_ALL),
	[SLOTFILTER_SERVICE_A_HEALTH] = NLA_POLICY_MAX(NLA_U8,
					SLOTFILTER_HEALTH_FAILING),
	[SLOTFILTER_SERVICE_A_NREDIRECTS] = SF_COUNTER_REJECT,
	[SLOTFILTER_SERVICE_A_HELD] = SF_COUNTER_REJECT,
	[SLOTFILTER_SERVICE_A_MOST_HELD] = SF_COUNTER_REJECT,
	[SLOTFILTER_SERVICE_A_STATS] = SF_COUNTER_REJECT,
	[SLOTFILTER_SERVICE_A_LATENCY] = SF_COUNTER_REJECT,
	[SLOTFILTER_SERVICE_A_VERDICT] = NLA_POLICY_NESTED(sf_verdict_policy),
	[SLOTFILTER_SERVICE_A_PREV_STATE] = SF_COUNTER_REJECT,
	[SLOTFILTER_SERVICE_A_CAUSE] = SF_COUNTER_REJECT,
	[SLOTFILTER_SERVICE_A_REASON] = { .type = NLA_NUL_STRING,
					  .len = SLOTFILTER_REASON_MAX - 1 },
	[SLOTFILTER_SERVICE_A_RELEASED] = SF_COUNTER_REJECT,
	[SLOTFILTER_SERVICE_A_PREV_SLOT] = SF_COUNTER_REJECT,
	[SLOTFILTER_SERVICE_A_ALERT] = { .type = NLA_NUL_STRING,
					 .len = SLOTFILTER_ALERT_MAX - 1 },
	[SLOTFILTER_SERVICE_A_SUPPRESSED] = SF_COUNTER_REJECT,
};

static struct genl_family sf_genl_family;

static const struct genl_multicast_group sf_mcgrps[] = {
	{ .name = SLOTFILTER_GENL_MCGRP_EVENTS },
};

void *sf_genl_put(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		  u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &sf_genl_family, flags, cmd);
}

void *sf_genl_event_put(struct sk_buff *skb, u8 cmd)
{
	return genlmsg_put(skb, 0, 0, &sf_genl_family, 0, cmd);
}

/* Sends @skb to the socket @portid of @net; takes @skb. */
int sf_genl_unicast(struct net *net, struct sk_buff *skb, u32 portid)
{
	return genlmsg_unicast(net, skb, portid);
}

/* Sends an event to the listeners of @net; takes @skb. */
void sf_genl_event(struct net *net, struct sk_buff *skb)
{
	genlmsg_multicast_netns(&sf_genl_family, net, skb, 0, 0, GFP_ATOMIC);
}

static int sf_get_ifindex(struct genl_info *info, u32 *ifindex)
{
	struct nlattr *attr = info->attrs[SLOTFILTER_PORT_A_IFINDEX];

	if (!attr) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "missing port ifindex (SLOTFILTER_PORT_A_IFINDEX)");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL,
				     SLOTFILTER_PORT_A_IFINDEX);
		return -EINVAL;
	}
	*ifindex = nla_get_u32(attr);
	return 0;
}

static int sf_put_slot(struct sk_buff *skb, const struct sf_chain *chain,
		       const struct sf_slot_totals *t, unsigned int slot)
{
	struct nlattr *nest = nla_nest_start(skb, slot);

	if (!nest ||
	    nla_put_u8(skb, SLOTFILTER_SLOT_A_INDEX, slot) ||
	    nla_put_u8(skb, SLOTFILTER_SLOT_A_FILTER,
		       sf_chain_kind(chain, slot)) ||
	    nla_put_u64_64bit(skb, SLOTFILTER_SLOT_A_PACKETS, t->packets,
			      SLOTFILTER_SLOT_A_PAD) ||
	    nla_put_u64_64bit(skb, SLOTFILTER_SLOT_A_BYTES, t->bytes,
			      SLOTFILTER_SLOT_A_PAD) ||
	    nla_put_u64_64bit(skb, SLOTFILTER_SLOT_A_DROPS, t->drops,
			      SLOTFILTER_SLOT_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Must be called with RTNL. */
static int sf_put_dir(struct sk_buff *skb, const struct sf_port *port,
		      enum slotfilter_direction dir)
{
	const struct sf_chain *chain = rtnl_dereference(port->chain[dir]);
	struct nlattr *nest, *slots;
	struct sf_dir_totals t;
	unsigned int i;

	sf_stats_read(port->stats, dir, &t);
	nest = nla_nest_start(skb, dir);
	if (!nest ||
	    nla_put_u8(skb, SLOTFILTER_DIR_A_DIRECTION, dir) ||
	    nla_put_u64_64bit(skb, SLOTFILTER_DIR_A_PACKETS, t.packets,
			      SLOTFILTER_DIR_A_PAD) ||
	    nla_put_u64_64bit(skb, SLOTFILTER_DIR_A_BYTES, t.bytes,
			      SLOTFILTER_DIR_A_PAD) ||
	    nla_put_u64_64bit(skb, SLOTFILTER_DIR_A_DROPS, t.drops,
			      SLOTFILTER_DIR_A_PAD) ||
	    nla_put_u64_64bit(skb, SLOTFILTER_DIR_A_STOLEN, t.stolen,
			      SLOTFILTER_DIR_A_PAD))
		return -EMSGSIZE;
	slots = nla_nest_start(skb, SLOTFILTER_DIR_A_SLOTS);
	if (!slots)
		return -EMSGSIZE;
	for (i = 0; i < SLOTFILTER_NUM_SLOTS; i++)
		if (sf_put_slot(skb, chain, &t.slot[i], i))
			return -EMSGSIZE;
	nla_nest_end(skb, slots);
	nla_nest_end(skb, nest);
	return 0;
}

/* Must be called with RTNL. */
static int sf_put_tags(struct sk_buff *skb, const struct sf_net *sn,
		       const struct sf_port *port)
{
	struct nlattr *nest = nla_nest_start(skb, SLOTFILTER_PORT_A_TAGS);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < port->ntags; i++)
		if (nla_put_string(skb, SLOTFILTER_PORT_A_TAG,
				   sn->tags.name[port->tag_ids[i]]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Must be called with RTNL. */
static int sf_fill_port(struct sk_buff *skb, const struct sf_net *sn,
			const struct sf_port *port, u32 portid, u32 seq,
			int flags)
{
	struct nlattr *dirs;
	void *hdr;
	int d;

	hdr = sf_genl_put(skb, portid, seq, flags, SLOTFILTER_CMD_PORT_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SLOTFILTER_PORT_A_IFINDEX, port->ifindex) ||
	    nla_put_string(skb, SLOTFILTER_PORT_A_IFNAME, port->dev->name) ||
	    sf_put_tags(skb, sn, port))
		goto cancel;
	dirs = nla_nest_start(skb, SLOTFILTER_PORT_A_DIRS);
	if (!dirs)
		goto cancel;
	for (d = 0; d < SLOTFILTER_DIR_COUNT; d++)
		if (sf_put_dir(skb, port, d))
			goto cancel;
	nla_nest_end(skb, dirs);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* PORT_ADD and PORT_DEL: @change runs under RTNL on the caller's netns. */
static int sf_port_change(struct genl_info *info,
			  int (*change)(struct net *net, u32 ifindex,
					struct netlink_ext_ack *extack))
{
	u32 ifindex;
	int err;

	err = sf_get_ifindex(info, &ifindex);
	if (err)
		return err;
	rtnl_lock();
	err = change(genl_info_net(info), ifindex, info->extack);
	rtnl_unlock();
	return err;
}

static int sf_port_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return sf_port_change(info, sf_port_attach);
}

static int sf_port_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return sf_port_change(info, sf_port_detach);
}

static int sf_port_tag_change(struct genl_info *info, bool add)
{
	struct nlattr *tag = info->attrs[SLOTFILTER_PORT_A_TAG];
	u32 ifindex;
	int err;

	err = sf_get_ifindex(info, &ifindex);
	if (err)
		return err;
	if (!tag) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "missing tag (SLOTFILTER_PORT_A_TAG)");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, SLOTFILTER_PORT_A_TAG);
		return -EINVAL;
	}
	rtnl_lock();
	err = sf_port_tag(genl_info_net(info), ifindex, nla_data(tag), add,
			  info->extack);
	rtnl_unlock();
	return err;
}

static int sf_port_tag_doit(struct sk_buff *skb, struct genl_info *info)
{
	return sf_port_tag_change(info, true);
}

static int sf_port_untag_doit(struct sk_buff *skb, struct genl_info *info)
{
	return sf_port_tag_change(info, false);
}

static int sf_port_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct sf_port *port;
	struct sk_buff *msg;
	u32 ifindex;
	int err;

	err = sf_get_ifindex(info, &ifindex);
	if (err)
		return err;
	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	port = sf_port_find(net, ifindex);
	if (!port) {
		NL_SET_ERR_MSG_MOD(info->extack, "device is not a port");
		err = -ENOENT;
	} else {
		err = sf_fill_port(msg, sf_net(net), port, info->snd_portid,
				   info->snd_seq, 0);
	}
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * cb->args[0] is the ifindex to resume from. With SLOTFILTER_PORT_A_IFINDEX
 * in the request the dump holds that one port (or nothing).
 */
static int sf_port_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr *only = sf_dump_attrs(cb)[SLOTFILTER_PORT_A_IFINDEX];
	struct sf_net *sn = sf_net(sock_net(skb->sk));
	struct sf_port *port;
	unsigned long idx;
	int err = 0;

	rtnl_lock();
	xa_for_each_start(&sn->ports, idx, port, cb->args[0]) {
		if (!only || port->ifindex == nla_get_u32(only)) {
			err = sf_fill_port(skb, sn, port,
					   NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI);
			if (err)
				break;
		}
		cb->args[0] = idx + 1;
	}
	rtnl_unlock();
	/* A port that fits no buffer at all is an error, not an endless dump. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

#define SF_OP(_cmd, _doit, _dumpit, _policy, _max, _flags) {	\
	.cmd		= _cmd,						\
	.doit		= _doit,					\
	.dumpit		= _dumpit,					\
	.policy		= _policy,					\
	.maxattr	= _max,						\
	.flags		= _flags,					\
}
#define SF_PORT_OP(cmd, doit, dumpit, flags) \
	SF_OP(cmd, doit, dumpit, sf_port_policy, SLOTFILTER_PORT_A_MAX, flags)
#define SF_SET_OP(cmd, doit, dumpit, flags) \
	SF_OP(cmd, doit, dumpit, sf_set_policy, SLOTFILTER_SET_A_MAX, flags)
#define SF_FW_OP(cmd, doit, dumpit, flags) \
	SF_OP(cmd, doit, dumpit, sf_fw_policy, SLOTFILTER_FW_A_MAX, flags)
#define SF_SVC_OP(cmd, doit, dumpit, flags) \
	SF_OP(cmd, doit, dumpit, sf_service_policy, SLOTFILTER_SERVICE_A_MAX, \
	      flags)

static const struct genl_ops sf_genl_ops[] = {
	SF_PORT_OP(SLOTFILTER_CMD_PORT_ADD, sf_port_add_doit, NULL,
		   GENL_UNS_ADMIN_PERM),
	SF_PORT_OP(SLOTFILTER_CMD_PORT_DEL, sf_port_del_doit, NULL,
		   GENL_UNS_ADMIN_PERM),
	SF_PORT_OP(SLOTFILTER_CMD_PORT_GET, sf_port_get_doit,
		   sf_port_get_dumpit, 0),
	SF_PORT_OP(SLOTFILTER_CMD_PORT_TAG, sf_port_tag_doit, NULL,
		   GENL_UNS_ADMIN_PERM),
	SF_PORT_OP(SLOTFILTER_CMD_PORT_UNTAG, sf_port_untag_doit, NULL,
		   GENL_UNS_ADMIN_PERM),
	SF_SET_OP(SLOTFILTER_CMD_SET_ADD, sf_nl_set_add, NULL,
		  GENL_UNS_ADMIN_PERM),
	SF_SET_OP(SLOTFILTER_CMD_SET_DEL, sf_nl_set_del, NULL,
		  GENL_UNS_ADMIN_PERM),
	SF_SET_OP(SLOTFILTER_CMD_SET_GET, NULL, sf_nl_set_dump, 0),
	SF_SET_OP(SLOTFILTER_CMD_SET_ELEM_ADD, sf_nl_set_elem_add, NULL,
		  GENL_UNS_ADMIN_PERM),
	SF_SET_OP(SLOTFILTER_CMD_SET_ELEM_DEL, sf_nl_set_elem_del, NULL,
		  GENL_UNS_ADMIN_PERM),
	SF_FW_OP(SLOTFILTER_CMD_FW_REPLACE, sf_nl_fw_replace, NULL,
		 GENL_UNS_ADMIN_PERM),
	SF_FW_OP(SLOTFILTER_CMD_FW_GET, sf_nl_fw_get, sf_nl_fw_dump, 0),
	SF_FW_OP(SLOTFILTER_CMD_FW_RESET, sf_nl_fw_reset, NULL,
		 GENL_UNS_ADMIN_PERM),
	SF_OP(SLOTFILTER_CMD_FLOW_GET, NULL, sf_nl_flow_dump, sf_flow_policy,
	      SLOTFILTER_FLOW_A_MAX, 0),
	SF_SVC_OP(SLOTFILTER_CMD_SERVICE_ADD, sf_nl_service_add, NULL,
		  GENL_UNS_ADMIN_PERM),
	SF_SVC_OP(SLOTFILTER_CMD_SERVICE_SET, sf_nl_service_set, NULL,
		  GENL_UNS_ADMIN_PERM),
	SF_SVC_OP(SLOTFILTER_CMD_SERVICE_DEL, sf_nl_service_del, NULL,
		  GENL_UNS_ADMIN_PERM),
	SF_SVC_OP(SLOTFILTER_CMD_SERVICE_GET, sf_nl_service_get,
		  sf_nl_service_dump, 0),
	SF_SVC_OP(SLOTFILTER_CMD_SERVICE_BIND, sf_nl_service_bind, NULL,
		  GENL_UNS_ADMIN_PERM),
	SF_SVC_OP(SLOTFILTER_CMD_SERVICE_HEALTH, sf_nl_service_health, NULL,
		  GENL_UNS_ADMIN_PERM),
	SF_SVC_OP(SLOTFILTER_CMD_VERDICT, sf_nl_verdict, NULL,
		  GENL_UNS_ADMIN_PERM),
	SF_SVC_OP(SLOTFILTER_CMD_SERVICE_ALERT, sf_nl_service_alert, NULL,
		  GENL_UNS_ADMIN_PERM),
};

static struct genl_family sf_genl_family __ro_after_init = {
	.name		= SLOTFILTER_GENL_NAME,
	.version	= SLOTFILTER_GENL_VERSION,
	.module		= THIS_MODULE,
	.netnsok	= true,
	.ops		= sf_genl_ops,
	.n_ops		= ARRAY_SIZE(sf_genl_ops),
	.mcgrps		= sf_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(sf_mcgrps),
};

int __init sf_genl_init(void)
{
	return genl_register_family(&sf_genl_family);
}

void sf_genl_exit(void)
{
	genl_unregister_family(&sf_genl_family);
}
