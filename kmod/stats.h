/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU packet counters of a port: per direction, and per slot within it.
 * Writers run with BH disabled on their own CPU; readers sum every CPU.
 */
#ifndef _SF_STATS_H
#define _SF_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <linux/slotfilter.h>

struct sf_slot_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t drops;
};

struct sf_dir_stats {
	struct u64_stats_sync syncp;
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t drops;
	u64_stats_t stolen;
	struct sf_slot_stats slot[SLOTFILTER_NUM_SLOTS];
};

struct sf_port_stats {
	struct sf_dir_stats dir[SLOTFILTER_DIR_COUNT];
};

/* A snapshot summed over all CPUs, for netlink replies. */
struct sf_slot_totals {
	u64 packets, bytes, drops;
};

struct sf_dir_totals {
	u64 packets, bytes, drops, stolen;
	struct sf_slot_totals slot[SLOTFILTER_NUM_SLOTS];
};

struct sf_port_stats __percpu *sf_stats_alloc(void);
void sf_stats_read(struct sf_port_stats __percpu *stats,
		   enum slotfilter_direction dir, struct sf_dir_totals *out);

#endif /* _SF_STATS_H */
