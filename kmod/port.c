// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: attaching to a net_device, its two netfilter hooks, and following
 * the device and its namespace to their end.
 *
 * DOC: Locking
 *
 * RTNL guards every change to a namespace's port table and to a port's
 * chains: netlink commands take it, and the netdevice notifier and netns
 * exit already run under it or take it. The packet path and dumps read
 * under RCU only: a port is reachable from its hooks' ops.priv and from the
 * table, and is freed one grace period after both are gone. A port holds no
 * reference on its device; it is detached from NETDEV_UNREGISTER, which
 * comes before the device can be freed (also when the device moves to
 * another namespace, and for every device when the module unloads).
 */
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "port.h"

/* Between nft's filter chains (0) and its later ones. */
#define SF_HOOK_PRIORITY	10

static unsigned int sf_net_id __read_mostly;

struct sf_net *sf_net(const struct net *net)
{
	return net_generic(net, sf_net_id);
}

/* Must be called with rcu_read_lock or RTNL. */
struct sf_port *sf_port_find(const struct net *net, u32 ifindex)
{
	return xa_load(&sf_net(net)->ports, ifindex);
}

/* Out of line, so that the fast path below needs no stack frame. */
static noinline unsigned int
sf_port_walk(struct sf_port *port, const struct sf_chain *chain,
	     struct sk_buff *skb, enum slotfilter_direction dir,
	     unsigned int len, struct sf_dir_stats *st)
{
	const struct sf_pkt pkt = {
		.port	= port,
		.dir	= dir,
		.len	= len,
	};

	return sf_chain_walk(chain, skb, &pkt, st);
}

/* The fast path: a port with empty slots only counts the packet. */
static __always_inline unsigned int sf_hook(struct sf_port *port,
					    struct sk_buff *skb,
					    enum slotfilter_direction dir,
					    unsigned int len)
{
	struct sf_dir_stats *st = &this_cpu_ptr(port->stats)->dir[dir];
	const struct sf_chain *chain;

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->packets);
	u64_stats_add(&st->bytes, len);
	u64_stats_update_end(&st->syncp);

	chain = rcu_dereference(port->chain[dir]);
	if (likely(!chain))
		return NF_ACCEPT;
	return sf_port_walk(port, chain, skb, dir, len, st);
}

/* skb->data is at the network header here; count the frame like egress. */
static unsigned int sf_hook_ingress(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	return sf_hook(priv, skb, SLOTFILTER_DIR_INGRESS,
		       skb->len + skb->mac_len);
}

static unsigned int sf_hook_egress(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	return sf_hook(priv, skb, SLOTFILTER_DIR_EGRESS, skb->len);
}

static void sf_port_free(struct rcu_head *rcu)
{
	struct sf_port *port = container_of(rcu, struct sf_port, rcu);

	free_percpu(port->stats);
	kfree(port);
}

static struct sf_port *sf_port_alloc(struct net_device *dev)
{
	nf_hookfn * const fn[SLOTFILTER_DIR_COUNT] = {
		[SLOTFILTER_DIR_INGRESS] = sf_hook_ingress,
		[SLOTFILTER_DIR_EGRESS] = sf_hook_egress,
	};
	static const unsigned int hooknum[SLOTFILTER_DIR_COUNT] = {
		[SLOTFILTER_DIR_INGRESS] = NF_NETDEV_INGRESS,
		[SLOTFILTER_DIR_EGRESS] = NF_NETDEV_EGRESS,
	};
	struct sf_port *port;
	int d;

	port = kzalloc(sizeof(*port), GFP_KERNEL_ACCOUNT);
	if (!port)
		return NULL;
	port->stats = sf_stats_alloc();
	if (!port->stats) {
		kfree(port);
		return NULL;
	}
	port->dev = dev;
	port->ifindex = dev->ifindex;
	for (d = 0; d < SLOTFILTER_DIR_COUNT; d++) {
		port->ops[d].hook = fn[d];
		port->ops[d].pf = NFPROTO_NETDEV;
		port->ops[d].hooknum = hooknum[d];
		port->ops[d].priority = SF_HOOK_PRIORITY;
		port->ops[d].dev = dev;
		port->ops[d].priv = port;
	}
	return port;
}

int sf_port_attach(struct net *net, u32 ifindex,
		   struct netlink_ext_ack *extack)
{
	struct sf_net *sn = sf_net(net);
	struct net_device *dev;
	struct sf_port *port;
	int err;

	ASSERT_RTNL();
	dev = __dev_get_by_index(net, ifindex);
	if (!dev) {
		NL_SET_ERR_MSG_MOD(extack,
				   "no device with this ifindex in the caller's network namespace");
		return -ENODEV;
	}
	if (xa_load(&sn->ports, ifindex)) {
		NL_SET_ERR_MSG_MOD(extack, "device is already a port");
		return -EEXIST;
	}

	port = sf_port_alloc(dev);
	if (!port)
		return -ENOMEM;
	err = xa_insert(&sn->ports, ifindex, port, GFP_KERNEL_ACCOUNT);
	if (err)
		goto err_free;
	err = nf_register_net_hooks(net, port->ops, SLOTFILTER_DIR_COUNT);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot register the netfilter hooks of this device");
		goto err_erase;
	}
	return 0;

err_erase:
	xa_erase(&sn->ports, ifindex);
err_free:
	/* A dump may have seen it in the table: free after a grace period. */
	call_rcu(&port->rcu, sf_port_free);
	return err;
}

static void __sf_port_detach(struct net *net, struct sf_port *port)
{
	int d;

	xa_erase(&sf_net(net)->ports, port->ifindex);
	nf_unregister_net_hooks(net, port->ops, SLOTFILTER_DIR_COUNT);
	for (d = 0; d < SLOTFILTER_DIR_COUNT; d++) {
		sf_chain_free_rcu(rtnl_dereference(port->chain[d]));
		RCU_INIT_POINTER(port->chain[d], NULL);
	}
	call_rcu(&port->rcu, sf_port_free);
}

int sf_port_detach(struct net *net, u32 ifindex,
		   struct netlink_ext_ack *extack)
{
	struct sf_port *port;

	ASSERT_RTNL();
	port = sf_port_find(net, ifindex);
	if (!port) {
		NL_SET_ERR_MSG_MOD(extack, "device is not a port");
		return -ENOENT;
	}
	__sf_port_detach(net, port);
	return 0;
}

/*
 * Puts @f (NULL: nothing) in @slot of @port's chain for @dir, publishing a
 * new chain. Must be called with RTNL.
 */
int sf_port_set_filter(struct sf_port *port, enum slotfilter_direction dir,
		       unsigned int slot, struct sf_filter *f)
{
	struct sf_chain *old = rtnl_dereference(port->chain[dir]);
	struct sf_chain *chain;

	chain = sf_chain_with(old, slot, f);
	if (!chain && f)
		return -ENOMEM;
	rcu_assign_pointer(port->chain[dir], chain);
	sf_chain_free_rcu(old);
	return 0;
}

static int sf_netdev_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct sf_port *port;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	port = sf_port_find(dev_net(dev), dev->ifindex);
	if (port && port->dev == dev)
		__sf_port_detach(dev_net(dev), port);
	return NOTIFY_DONE;
}

static struct notifier_block sf_netdev_notifier = {
	.notifier_call = sf_netdev_event,
};

static int __net_init sf_net_init(struct net *net)
{
	xa_init(&sf_net(net)->ports);
	return 0;
}

/*
 * Devices of a dying namespace are unregistered (or moved out) before the
 * subsystems' exit runs, so every port is normally gone by now.
 */
static void __net_exit sf_net_exit(struct net *net)
{
	struct sf_net *sn = sf_net(net);
	struct sf_port *port;
	unsigned long idx;

	rtnl_lock();
	xa_for_each(&sn->ports, idx, port)
		__sf_port_detach(net, port);
	rtnl_unlock();
	xa_destroy(&sn->ports);
}

static struct pernet_operations sf_net_ops = {
	.init	= sf_net_init,
	.exit	= sf_net_exit,
	.id	= &sf_net_id,
	.size	= sizeof(struct sf_net),
};

int sf_port_init(void)
{
	int err;

	err = register_pernet_subsys(&sf_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&sf_netdev_notifier);
	if (err)
		goto err_pernet;
	return 0;

err_pernet:
	unregister_pernet_subsys(&sf_net_ops);
	return err;
}

/*
 * Unregistering the notifier replays NETDEV_UNREGISTER for every device of
 * every namespace, which detaches every port; the pernet exit then finds
 * nothing left. The caller waits for the RCU callbacks (rcu_barrier()).
 */
void sf_port_exit(void)
{
	unregister_netdevice_notifier(&sf_netdev_notifier);
	unregister_pernet_subsys(&sf_net_ops);
}
