/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slotd.h - what slotd's parts share: a held packet and a verdict
 *
 * A struct sd_packet lives as long as the call that hands it over: its
 * strings and bytes point into the message the kernel sent (or the frame
 * a test built). A service that answers later keeps only the id.
 */
#ifndef SD_SLOTD_H
#define SD_SLOTD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "slotsvc.h"

/* Verdicts, numbered as the socket protocol numbers them. */
enum sd_verdict_code {
	SD_V_CONTINUE = SLOTSVC_V_CONTINUE,
	SD_V_DROP = SLOTSVC_V_DROP,
	SD_V_CONTINUE_FLOW = SLOTSVC_V_CONTINUE_FLOW,
	SD_V_DROP_FLOW = SLOTSVC_V_DROP_FLOW,
	SD_V_REJECT = SLOTSVC_V_REJECT,
	SD_V_REJECT_FLOW = SLOTSVC_V_REJECT_FLOW,
};

struct sd_packet {
	uint64_t id;
	uint64_t flow_id;
	uint32_t ifindex;
	uint32_t rule_id;
	uint32_t orig_len;
	uint32_t generation;
	uint16_t l3proto;
	uint8_t dir;			/* enum slotsvc_dir */
	uint8_t slot;
	bool gso;
	const char *ifname;
	const char *service;
	unsigned int ntags;
	const char *tags[SLOTSVC_TAGS_MAX];
	const uint8_t *data;
	uint32_t len;
};

struct sd_verdict {
	uint64_t id;
	uint8_t verdict;		/* enum sd_verdict_code */
	const uint8_t *repl;		/* replacement packet or NULL */
	uint32_t repl_len;
};

const char *sd_verdict_name(int verdict);
int sd_verdict_parse(const char *s);

#endif /* SD_SLOTD_H */
