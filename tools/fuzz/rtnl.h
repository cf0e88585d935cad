/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtnl.h - device changes over rtnetlink (churn thread, setup)
 *
 * Each call is one request answered by an ack; errors are negative errnos.
 */
#ifndef SF_FUZZ_RTNL_H
#define SF_FUZZ_RTNL_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

struct fz_rtnl;

struct fz_rtnl *fz_rtnl_open(void);
void fz_rtnl_close(struct fz_rtnl *nl);
int fz_rtnl_add_dummy(struct fz_rtnl *nl, const char *name);
int fz_rtnl_del(struct fz_rtnl *nl, uint32_t ifindex);
int fz_rtnl_set_up(struct fz_rtnl *nl, uint32_t ifindex, bool up);
int fz_rtnl_rename(struct fz_rtnl *nl, uint32_t ifindex, const char *name);
int fz_rtnl_move(struct fz_rtnl *nl, uint32_t ifindex, int netns_fd);
int fz_rtnl_list(struct fz_rtnl *nl, uint32_t *ifindex, unsigned int max);

#endif /* SF_FUZZ_RTNL_H */
