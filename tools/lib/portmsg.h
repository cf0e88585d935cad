/* SPDX-License-Identifier: GPL-2.0 */
/*
 * portmsg.h - a port as SLOTFILTER_CMD_PORT_GET describes it
 */
#ifndef SF_PORTMSG_H
#define SF_PORTMSG_H

#include <net/if.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/slotfilter.h>

struct sf_slot {
	uint8_t filter;			/* enum slotfilter_filter_kind */
	uint64_t packets;
	uint64_t bytes;
	uint64_t drops;
};

struct sf_dir {
	uint64_t packets;
	uint64_t bytes;
	uint64_t drops;
	uint64_t stolen;
	struct sf_slot slots[SLOTFILTER_NUM_SLOTS];
};

struct sf_port {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	struct sf_dir dirs[SLOTFILTER_DIR_COUNT];	/* by direction */
	unsigned int n_tags;
	char tags[SLOTFILTER_PORT_TAGS_MAX][SLOTFILTER_NAME_MAX];
};

int sf_port_parse(const struct nlmsghdr *nlh, struct sf_port *port);

#endif /* SF_PORTMSG_H */
