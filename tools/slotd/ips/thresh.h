/* SPDX-License-Identifier: GPL-2.0 */
/*
 * thresh.h - threshold and detection_filter counting, per rule (sid) and
 * tracked address
 *
 * Each (sid, address) has a period that starts at its first match and
 * lasts the rule's seconds; a match after it starts a new one. Within a
 * period, with COUNT the rule's count and n the matches so far:
 *
 *	limit		pass while n <= COUNT
 *	threshold	pass when n reaches COUNT; n starts again from 0
 *	both		pass when n == COUNT (once per period)
 *	detection_filter pass while n > COUNT
 *
 * The table holds at most IPS_THRESH_MAX entries; when it is full and
 * none has ended its period, a new address is not counted and passes.
 * Entries are kept across reloads (the sid is the key).
 */
#ifndef IPS_THRESH_H
#define IPS_THRESH_H

#include "rule.h"

#define IPS_THRESH_MAX	65536

struct ips_thresh_ent;

struct ips_thresh_tab {
	struct ips_thresh_ent **tab;	/* IPS_THRESH_MAX / 4 buckets */
	uint32_t n;
	uint64_t full;			/* matches not counted: table full */
};

int ips_thresh_init(struct ips_thresh_tab *t);
void ips_thresh_fini(struct ips_thresh_tab *t);
bool ips_thresh_pass(struct ips_thresh_tab *t, const struct ips_thresh *th,
		     uint32_t sid, int family, const uint8_t *addr,
		     uint64_t now_ms);

#endif /* IPS_THRESH_H */
