/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels slotfilter builds on (6.1 LTS and newer).
 * This is the only file that tests LINUX_VERSION_CODE.
 */
#ifndef _SF_COMPAT_H
#define _SF_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#include <net/gso.h>		/* __skb_gso_segment(), was in netdevice.h */
#endif

/* 6.2 moved the parsed attributes of a dump into a struct genl_info. */
static inline struct nlattr **sf_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	return genl_dumpit_info(cb)->attrs;
#else
	return genl_dumpit_info(cb)->info.attrs;
#endif
}

#endif /* _SF_COMPAT_H */
