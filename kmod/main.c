// SPDX-License-Identifier: GPL-2.0
/*
 * slotfilter: per-port chains of 12 filter slots in the kernel, for the
 * traffic of VMs and containers. Brings the subsystems up in order and down
 * in reverse.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include "flow.h"
#include "netns.h"
#include "netlink.h"
#include "port.h"
#include "service.h"
#include "selftest/selftest.h"

static int __init sf_mod_init(void)
{
	int err;

	err = sf_flow_init();
	if (err)
		return err;
	err = sf_selftests();
	if (err)
		goto err_flow;
	err = sf_netns_init();
	if (err)
		goto err_flow;
	err = sf_port_init();
	if (err)
		goto err_netns;
	err = sf_service_init();
	if (err)
		goto err_port;
	err = sf_genl_init();
	if (err)
		goto err_service;
	return 0;

err_service:
	sf_service_exit();
err_port:
	sf_port_exit();
err_netns:
	sf_netns_exit();
err_flow:
	/* Ports, chains and flows are freed by RCU callbacks of ours. */
	rcu_barrier();
	sf_flow_exit();
	return err;
}

static void __exit sf_mod_exit(void)
{
	sf_genl_exit();
	sf_service_exit();
	sf_port_exit();
	sf_netns_exit();
	rcu_barrier();
	sf_flow_exit();
}

module_init(sf_mod_init);
module_exit(sf_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Per-port filter slot chains for workload interfaces");
MODULE_AUTHOR("The slotfilter developers");
MODULE_ALIAS_GENL_FAMILY(SLOTFILTER_GENL_NAME);
