// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "slotfilter": see uapi/linux/slotfilter.h for
 * the protocol. Every handler acts on the caller's network namespace.
 * Handlers run under genl_mutex (no parallel_ops); configuration takes RTNL.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "compat.h"
#include "netlink.h"
#include "port.h"

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
};

static struct genl_family sf_genl_family;

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

/* Must be called with rcu_read_lock or RTNL. */
static int sf_put_dir(struct sk_buff *skb, const struct sf_port *port,
		      enum slotfilter_direction dir)
{
	const struct sf_chain *chain = rcu_dereference_rtnl(port->chain[dir]);
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

static int sf_fill_port(struct sk_buff *skb, const struct sf_port *port,
			u32 portid, u32 seq, int flags)
{
	struct nlattr *dirs;
	void *hdr;
	int d;

	hdr = genlmsg_put(skb, portid, seq, &sf_genl_family, flags,
			  SLOTFILTER_CMD_PORT_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SLOTFILTER_PORT_A_IFINDEX, port->ifindex) ||
	    nla_put_string(skb, SLOTFILTER_PORT_A_IFNAME, port->dev->name))
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

static int sf_port_get_doit(struct sk_buff *skb, struct genl_info *info)
{
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

	rcu_read_lock();
	port = sf_port_find(genl_info_net(info), ifindex);
	if (!port) {
		NL_SET_ERR_MSG_MOD(info->extack, "device is not a port");
		err = -ENOENT;
	} else {
		err = sf_fill_port(msg, port, info->snd_portid, info->snd_seq,
				   0);
	}
	rcu_read_unlock();
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

	rcu_read_lock();
	xa_for_each_start(&sn->ports, idx, port, cb->args[0]) {
		if (!only || port->ifindex == nla_get_u32(only)) {
			err = sf_fill_port(skb, port,
					   NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI);
			if (err)
				break;
		}
		cb->args[0] = idx + 1;
	}
	rcu_read_unlock();
	/* A port that fits no buffer at all is an error, not an endless dump. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

static const struct genl_ops sf_genl_ops[] = {
	{
		.cmd		= SLOTFILTER_CMD_PORT_ADD,
		.doit		= sf_port_add_doit,
		.policy		= sf_port_policy,
		.maxattr	= SLOTFILTER_PORT_A_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= SLOTFILTER_CMD_PORT_DEL,
		.doit		= sf_port_del_doit,
		.policy		= sf_port_policy,
		.maxattr	= SLOTFILTER_PORT_A_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= SLOTFILTER_CMD_PORT_GET,
		.doit		= sf_port_get_doit,
		.dumpit		= sf_port_get_dumpit,
		.policy		= sf_port_policy,
		.maxattr	= SLOTFILTER_PORT_A_MAX,
	},
};

static struct genl_family sf_genl_family __ro_after_init = {
	.name		= SLOTFILTER_GENL_NAME,
	.version	= SLOTFILTER_GENL_VERSION,
	.module		= THIS_MODULE,
	.netnsok	= true,
	.ops		= sf_genl_ops,
	.n_ops		= ARRAY_SIZE(sf_genl_ops),
};

int __init sf_genl_init(void)
{
	return genl_register_family(&sf_genl_family);
}

void sf_genl_exit(void)
{
	genl_unregister_family(&sf_genl_family);
}
