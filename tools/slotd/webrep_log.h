/* SPDX-License-Identifier: GPL-2.0 */
/*
 * webrep_log.h - one JSON line per web reputation decision
 */
#ifndef WR_LOG_H
#define WR_LOG_H

#include <stdbool.h>
#include <time.h>

#include "l4.h"
#include "slotd.h"

struct json_writer;

struct wr_event {
	struct timespec ts;		/* CLOCK_REALTIME */
	bool blocked;
	const char *proto;		/* "http", "tls", "dns" */
	const char *host;
	const char *url;		/* HTTP only, else NULL */
	unsigned int score;
	const char *category;
	const char *entry;		/* the database's entry; NULL: none */
	const struct sd_l4 *l4;
	const struct sd_packet *pkt;
};

void wr_log_event(struct json_writer *jw, const struct wr_event *ev);

#endif /* WR_LOG_H */
