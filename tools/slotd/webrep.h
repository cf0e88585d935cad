/* SPDX-License-Identifier: GPL-2.0 */
/*
 * webrep.h - the web reputation kind (builtin:webrep); webrep.c says how
 * it judges. Only the tests need this header.
 */
#ifndef WR_WEBREP_H
#define WR_WEBREP_H

#include <stdint.h>
#include <time.h>

struct sd_service;

/* The clocks webrep reads; tests set fixed ones. */
extern void (*wr_realtime)(struct timespec *ts);
extern uint64_t (*wr_monotonic_ms)(void);

struct wr_stats {
	uint64_t judged;		/* names looked up */
	uint64_t blocked;
	uint64_t other;			/* flows neither HTTP nor TLS */
	uint64_t unnamed;		/* judged by address: no usable name */
	uint64_t gaps;			/* segments dropped for a gap */
	uint64_t unsent;		/* alerts the monitor did not get */
	uint64_t waiting;		/* flows waiting for their name now */
};

void wr_service_stats(const struct sd_service *svc, struct wr_stats *st);

#endif /* WR_WEBREP_H */
