// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: attaching to a net_device, its two netfilter hooks, following the
 * device to its end, tags, and sending a packet back through a port.
 *
 * DOC: Locking
 *
 * RTNL guards every change to a namespace's port table and to a port's
 * chains and tags: netlink commands take it, and the netdevice notifier
 * and netns exit already run under it or take it. The packet path and
 * dumps read under RCU only: a port is reachable from its hooks' ops.priv
 * and from the table, and is freed one grace period after both are gone.
 * A port holds no reference on its device; it is detached from
 * NETDEV_UNREGISTER, which comes before the device can be freed (also when
 * the device moves to another namespace, and for every device when the
 * module unloads).
 */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include "netns.h"
#include "port.h"
#include "service.h"

/* Between nft's filter chains (0) and its later ones. */
#define SF_HOOK_PRIORITY	10
#define SF_INJECT_DEPTH		4

/*
 * A packet slotfilter sends itself through a port's hook (sf_inject())
 * starts its walk at @slot; the hook finds it by pointer, on this CPU,
 * during the synchronous call.
 */
struct sf_resume {
	struct sk_buff *skb;
	unsigned int slot;
	unsigned int depth;
};

static DEFINE_PER_CPU(struct sf_resume, sf_resume);

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
	struct sf_resume *r = this_cpu_ptr(&sf_resume);
	struct sf_pkt pkt = {
		.port	= port,
		.dir	= dir,
		.len	= len,
	};

	if (unlikely(r->skb == skb)) {
		pkt.slot = r->slot;
		r->skb = NULL;
		if (pkt.slot >= SLOTFILTER_NUM_SLOTS)
			return NF_ACCEPT;
	}
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

/*
 * Sends @skb (a complete Ethernet frame) through its device's path in @dir
 * with the port's slots below @slot skipped: out of the device (egress),
 * or in as if received (ingress). Called with BH disabled; takes @skb.
 */
void sf_inject(struct sk_buff *skb, enum slotfilter_direction dir,
	       unsigned int slot)
{
	struct sf_resume *r = this_cpu_ptr(&sf_resume);

	if (r->depth >= SF_INJECT_DEPTH) {
		kfree_skb(skb);
		return;
	}
	r->depth++;
	r->skb = skb;
	r->slot = slot;
	if (dir == SLOTFILTER_DIR_EGRESS) {
		dev_queue_xmit(skb);
	} else {
		skb->protocol = eth_type_trans(skb, skb->dev);
		netif_receive_skb_core(skb);
	}
	/* The hook may not have run (the port went away): forget it. */
	r->skb = NULL;
	r->depth--;
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

static struct sf_filter *sf_slot_filter(struct sf_net *sn, unsigned int slot)
{
	if (slot == SLOTFILTER_SLOT_FIREWALL)
		return sf_fw_port_filter(sn);
	if (slot >= SLOTFILTER_SLOT_SERVICE_FIRST)
		return sf_service_port_filter(sn, slot);
	return NULL;
}

/* A new port's chains: the filters its namespace puts on every port. */
static int sf_port_chains(struct sf_net *sn, struct sf_port *port)
{
	struct sf_chain *chain, *next;
	struct sf_filter *f;
	unsigned int slot;
	int d;

	for (d = 0; d < SLOTFILTER_DIR_COUNT; d++) {
		chain = NULL;
		for (slot = 0; slot < SLOTFILTER_NUM_SLOTS; slot++) {
			f = sf_slot_filter(sn, slot);
			if (!f)
				continue;
			next = sf_chain_with(chain, slot, f);
			sf_chain_free_rcu(chain);
			if (IS_ERR(next))
				return PTR_ERR(next);
			chain = next;
		}
		RCU_INIT_POINTER(port->chain[d], chain);
	}
	return 0;
}

static void sf_port_release(struct sf_port *port)
{
	int d;

	for (d = 0; d < SLOTFILTER_DIR_COUNT; d++) {
		sf_chain_free_rcu(rcu_dereference_protected(port->chain[d], 1));
		RCU_INIT_POINTER(port->chain[d], NULL);
	}
	call_rcu(&port->rcu, sf_port_free);
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
	err = sf_port_chains(sn, port);
	if (err)
		goto err_free;
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
	sf_port_release(port);
	return err;
}

static void __sf_port_detach(struct sf_net *sn, struct sf_port *port)
{
	unsigned int i;

	xa_erase(&sn->ports, port->ifindex);
	nf_unregister_net_hooks(sn->net, port->ops, SLOTFILTER_DIR_COUNT);
	sf_fw_port_gone(sn, port);
	sf_service_port_gone(sn, port);
	for (i = 0; i < port->ntags; i++)
		sf_tag_put(&sn->tags, port->tag_ids[i]);
	sf_port_release(port);
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
	__sf_port_detach(sf_net(net), port);
	return 0;
}

static int sf_port_untag(struct sf_net *sn, struct sf_port *port, int id,
			 struct netlink_ext_ack *extack)
{
	unsigned int i;

	for (i = 0; i < port->ntags; i++)
		if (port->tag_ids[i] == id)
			break;
	if (id < 0 || i == port->ntags) {
		NL_SET_ERR_MSG_MOD(extack, "the port does not carry this tag");
		return -ENOENT;
	}
	memmove(&port->tag_ids[i], &port->tag_ids[i + 1],
		port->ntags - i - 1);
	port->ntags--;
	WRITE_ONCE(port->tags, port->tags & ~BIT_ULL(id));
	sf_tag_put(&sn->tags, id);
	return 0;
}

static int __sf_port_tag(struct sf_net *sn, struct sf_port *port,
			 const char *name, bool add,
			 struct netlink_ext_ack *extack)
{
	int id;

	if (!sf_name_valid(name)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "invalid tag name: 1 to 31 characters of A-Z a-z 0-9 _ . -");
		return -EINVAL;
	}
	id = sf_tag_find(&sn->tags, name);
	if (!add)
		return sf_port_untag(sn, port, id, extack);
	if (id >= 0 && (port->tags & BIT_ULL(id))) {
		NL_SET_ERR_MSG_MOD(extack, "the port carries this tag already");
		return -EEXIST;
	}
	if (port->ntags == SLOTFILTER_PORT_TAGS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "a port carries at most 16 tags");
		return -ENOSPC;
	}
	id = sf_tag_get(&sn->tags, name, extack);
	if (id < 0)
		return id;
	port->tag_ids[port->ntags++] = id;
	WRITE_ONCE(port->tags, port->tags | BIT_ULL(id));
	return 0;
}

/*
 * Adds or removes a tag; takes effect on the next packet, the port's
 * established flows included: each is judged again. RTNL.
 */
int sf_port_tag(struct net *net, u32 ifindex, const char *name, bool add,
		struct netlink_ext_ack *extack)
{
	struct sf_net *sn = sf_net(net);
	struct sf_port *port;
	int err;

	ASSERT_RTNL();
	port = sf_port_find(net, ifindex);
	if (!port) {
		NL_SET_ERR_MSG_MOD(extack, "device is not a port");
		return -ENOENT;
	}
	err = __sf_port_tag(sn, port, name, add, extack);
	if (!err && sn->fw.flows)
		sf_flow_rejudge_port(sn->fw.flows, ifindex);
	return err;
}

/* @old with @clear (if >= 0) emptied and @f (maybe NULL) in @slot. */
static struct sf_chain *sf_chain_move(const struct sf_chain *old, int clear,
				      unsigned int slot, struct sf_filter *f)
{
	struct sf_chain *tmp, *chain;

	if (clear < 0)
		return sf_chain_with(old, slot, f);
	tmp = sf_chain_with(old, clear, NULL);
	if (IS_ERR(tmp))
		return tmp;
	chain = sf_chain_with(tmp, slot, f);
	sf_chain_free_rcu(tmp);
	return chain;
}

/*
 * Prepares, for every port of @sn and both directions, the chain with
 * slot @clear (if >= 0) emptied and @f in @slot. Nothing is published; on
 * failure nothing is left behind. Must be called with RTNL.
 */
int sf_ports_prepare(struct sf_net *sn, int clear, unsigned int slot,
		     struct sf_filter *f, struct sf_chain_change **changes,
		     unsigned int *n)
{
	struct sf_chain_change *c;
	struct sf_port *port;
	unsigned long idx;
	unsigned int i = 0;
	int d;

	*n = 0;
	xa_for_each(&sn->ports, idx, port)
		*n += SLOTFILTER_DIR_COUNT;
	c = kvcalloc(*n ?: 1, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	xa_for_each(&sn->ports, idx, port) {
		for (d = 0; d < SLOTFILTER_DIR_COUNT; d++, i++) {
			c[i].port = port;
			c[i].dir = d;
			c[i].chain = sf_chain_move(rtnl_dereference(port->chain[d]),
						   clear, slot, f);
			if (IS_ERR(c[i].chain))
				goto err;
		}
	}
	*changes = c;
	return 0;

err:
	while (i--)
		sf_chain_free_rcu(c[i].chain);
	kvfree(c);
	return -ENOMEM;
}

/* Publishes what sf_ports_prepare() built; cannot fail. RTNL. */
void sf_ports_commit(struct sf_chain_change *changes, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct sf_chain __rcu **slot = &changes[i].port->chain[changes[i].dir];
		struct sf_chain *old = rtnl_dereference(*slot);

		rcu_assign_pointer(*slot, changes[i].chain);
		sf_chain_free_rcu(old);
	}
	kvfree(changes);
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
		__sf_port_detach(sf_net(dev_net(dev)), port);
	return NOTIFY_DONE;
}

static struct notifier_block sf_netdev_notifier = {
	.notifier_call = sf_netdev_event,
};

/*
 * Devices of a dying namespace are unregistered (or moved out) before the
 * subsystems' exit runs, so every port is normally gone by now. RTNL.
 */
void sf_ports_net_exit(struct sf_net *sn)
{
	struct sf_port *port;
	unsigned long idx;

	xa_for_each(&sn->ports, idx, port)
		__sf_port_detach(sn, port);
	xa_destroy(&sn->ports);
}

int sf_port_init(void)
{
	return register_netdevice_notifier(&sf_netdev_notifier);
}

/*
 * Unregistering the notifier replays NETDEV_UNREGISTER for every device of
 * every namespace, which detaches every port. The caller waits for the RCU
 * callbacks (rcu_barrier()).
 */
void sf_port_exit(void)
{
	unregister_netdevice_notifier(&sf_netdev_notifier);
}
