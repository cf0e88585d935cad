/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SF_NETLINK_H
#define _SF_NETLINK_H

int sf_genl_init(void);
void sf_genl_exit(void);

#endif /* _SF_NETLINK_H */
