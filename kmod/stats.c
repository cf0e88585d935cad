// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU counters: allocation and summing. The increments live inline in
 * chain.c, on the packet path.
 */
#include "stats.h"

struct sf_port_stats __percpu *sf_stats_alloc(void)
{
	struct sf_port_stats __percpu *stats;
	int cpu, d;

	stats = alloc_percpu_gfp(struct sf_port_stats, GFP_KERNEL_ACCOUNT);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu)
		for (d = 0; d < SLOTFILTER_DIR_COUNT; d++)
			u64_stats_init(&per_cpu_ptr(stats, cpu)->dir[d].syncp);
	return stats;
}

static void sf_stats_read_cpu(const struct sf_dir_stats *s,
			      struct sf_dir_totals *t)
{
	struct sf_dir_totals c;
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		c.packets = u64_stats_read(&s->packets);
		c.bytes = u64_stats_read(&s->bytes);
		c.drops = u64_stats_read(&s->drops);
		c.stolen = u64_stats_read(&s->stolen);
		for (i = 0; i < SLOTFILTER_NUM_SLOTS; i++) {
			c.slot[i].packets = u64_stats_read(&s->slot[i].packets);
			c.slot[i].bytes = u64_stats_read(&s->slot[i].bytes);
			c.slot[i].drops = u64_stats_read(&s->slot[i].drops);
		}
	} while (u64_stats_fetch_retry(&s->syncp, start));

	t->packets += c.packets;
	t->bytes += c.bytes;
	t->drops += c.drops;
	t->stolen += c.stolen;
	for (i = 0; i < SLOTFILTER_NUM_SLOTS; i++) {
		t->slot[i].packets += c.slot[i].packets;
		t->slot[i].bytes += c.slot[i].bytes;
		t->slot[i].drops += c.slot[i].drops;
	}
}

void sf_stats_read(struct sf_port_stats __percpu *stats,
		   enum slotfilter_direction dir, struct sf_dir_totals *out)
{
	int cpu;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu)
		sf_stats_read_cpu(&per_cpu_ptr(stats, cpu)->dir[dir], out);
}
