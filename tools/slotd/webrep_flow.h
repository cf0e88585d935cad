/* SPDX-License-Identifier: GPL-2.0 */
/*
 * webrep_flow.h - the first bytes of TCP flows whose name is not known yet
 *
 * A flow whose first payload ends before its name does (a ClientHello
 * in two segments) keeps what it sent so far here, until the name is
 * found or the buffer (WR_FLOW_BUF) is full. The table holds at most
 * @max flows: the least recently used one makes room for a new one, and
 * a flow idle for WR_FLOW_IDLE_MS is forgotten.
 */
#ifndef WR_FLOW_H
#define WR_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#define WR_FLOW_BUF		8192
#define WR_FLOW_IDLE_MS		30000

struct wr_flow {
	uint64_t flow_id;
	uint32_t ifindex;
	uint8_t dir;			/* of the client's packets */
	bool full;			/* bytes were cut to fit */
	uint32_t next_seq;		/* the next byte the client sends */
	uint32_t len;
	uint64_t last_ms;
	uint8_t *buf;
	struct wr_flow *hnext, *prev, *next;
};

enum wr_seg {
	WR_SEG_NEW,			/* new bytes were added */
	WR_SEG_OLD,			/* nothing new: a retransmission */
	WR_SEG_GAP,			/* bytes are missing before it */
};

struct wr_flows;

struct wr_flows *wr_flows_new(unsigned int max);
void wr_flows_free(struct wr_flows *t);
unsigned int wr_flows_count(const struct wr_flows *t);
uint64_t wr_flows_evicted(const struct wr_flows *t);

/* The flow, or NULL; an idle one is forgotten first. */
struct wr_flow *wr_flow_get(struct wr_flows *t, uint32_t ifindex,
			    uint64_t flow_id, uint64_t now_ms);
/* A new flow whose first segment starts at @seq; NULL: out of memory. */
struct wr_flow *wr_flow_new(struct wr_flows *t, uint32_t ifindex,
			    uint64_t flow_id, uint8_t dir, uint32_t seq,
			    uint64_t now_ms);
void wr_flow_del(struct wr_flows *t, struct wr_flow *f);
/* Add the segment of @n bytes at @seq; what does not fit is cut. */
enum wr_seg wr_flow_add(struct wr_flow *f, uint32_t seq, const uint8_t *p,
			uint32_t n);

#endif /* WR_FLOW_H */
