// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: created with the namespace (or when the
 * module loads, for those that exist), torn down with it.
 */
#include <linux/rtnetlink.h>
#include <net/netns/generic.h>
#include "netns.h"
#include "port.h"
#include "ruleset.h"
#include "service.h"

static unsigned int sf_net_id __read_mostly;

struct sf_net *sf_net(const struct net *net)
{
	return net_generic(net, sf_net_id);
}

static int __net_init sf_net_init(struct net *net)
{
	struct sf_net *sn = sf_net(net);

	sn->net = net;
	xa_init(&sn->ports);
	INIT_LIST_HEAD(&sn->sets);
	sf_fw_net_init(sn);
	return 0;
}

/*
 * Ports first (their devices are normally gone already), then, once no
 * packet can be in a hook of theirs, the ruleset, the flows and the sets.
 */
static void __net_exit sf_net_exit_batch(struct list_head *net_list)
{
	struct net *net;

	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list)
		sf_ports_net_exit(sf_net(net));
	rtnl_unlock();
	synchronize_rcu();
	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list) {
		sf_service_net_exit(sf_net(net));
		sf_fw_net_exit(sf_net(net));
		sf_set_flush(sf_net(net));
	}
	rtnl_unlock();
}

static struct pernet_operations sf_net_ops = {
	.init		= sf_net_init,
	.exit_batch	= sf_net_exit_batch,
	.id		= &sf_net_id,
	.size		= sizeof(struct sf_net),
};

int sf_netns_init(void)
{
	return register_pernet_subsys(&sf_net_ops);
}

void sf_netns_exit(void)
{
	unregister_pernet_subsys(&sf_net_ops);
}
