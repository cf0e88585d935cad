/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmsg.h - PACKET and VERDICT messages of slotfilter's netlink family
 *
 * Only with a uapi header that has the service commands
 * (SD_KERNEL_SERVICES).
 */
#ifndef SD_KMSG_H
#define SD_KMSG_H

#include <libmnl/libmnl.h>
#include <linux/slotfilter.h>

#include "slotd.h"

/* The uapi's commands are enums: its attribute sentinels tell. */
#if defined(SLOTFILTER_SERVICE_A_MAX) && defined(SLOTFILTER_PACKET_A_MAX)
#define SD_KERNEL_SERVICES	1
#endif

int sd_kmsg_packet(const struct nlmsghdr *nlh, struct sd_packet *pkt);
bool sd_kmsg_deleted(const struct nlmsghdr *nlh, const char *service);
size_t sd_kmsg_verdict_size(const struct sd_verdict *v);
void sd_kmsg_verdicts(struct nlmsghdr *nlh, const char *service,
		      const struct sd_verdict *v, unsigned int n);

#endif /* SD_KMSG_H */
