/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stream.h - the IPS's flows: per-direction TCP reassembly, bounded
 *
 * A flow is the kernel's (port ifindex, flow id); its two directions are
 * told apart by the packet's direction on the port: the direction of
 * the first packet seen is the client's (to_server), unless that packet
 * is a SYN-ACK. Each TCP direction keeps its bytes in order from the
 * start of the stream (stream offset 0 is the byte after the SYN, or
 * the first byte seen when the SYN was not seen), up to stream-depth
 * bytes; later bytes are counted, not kept.
 *
 * Out of order: a segment beyond the next expected byte is kept (at most
 * IPS_OOO_MAX per direction) until the gap is filled; then the bytes
 * join the stream and are scanned. Retransmitted bytes already in the
 * stream are skipped (the first copy wins). Segments that do not fit
 * (too many held, or the memcap) are counted as lost and their bytes
 * are never part of the stream: a gap stays a gap, and the direction
 * stops growing at it.
 *
 * Memory: every flow, buffer, held segment and hit list counts against
 * memcap. When an allocation would pass it, idle flows are expired
 * first; if that is not enough the allocation is refused and counted
 * (the caller then inspects the packet on its own).
 */
#ifndef IPS_STREAM_H
#define IPS_STREAM_H

#include "../l4.h"
#include "match.h"

#define IPS_OOO_MAX	32

struct ips_seg;

struct ips_dir {
	uint8_t *buf;			/* stream bytes [0, len) */
	uint32_t len, cap;
	uint32_t scanned;		/* bytes scanned with the current db */
	uint64_t next;			/* next expected offset (may pass depth) */
	uint32_t isn;			/* sequence number of offset 0 */
	bool isn_set;
	bool fin;
	bool nomem;			/* memcap refused its bytes: no more */
	struct ips_seg *ooo;		/* held segments, by offset */
	unsigned int n_ooo;
	struct ips_hits hits;
	uint8_t *fired;			/* per rule: alerted in this direction */
	uint32_t n_fired;
};

struct ips_flow {
	uint32_t ifindex;
	uint64_t id;
	uint8_t client_dir;		/* enum slotsvc_dir of to_server */
	bool seen[2];			/* [0] to_server, [1] to_client */
	bool synack;			/* the server answered the handshake */
	uint8_t verdict;		/* 0, or the flow's final SD_V_* */
	uint64_t last_ms;
	const void *db;			/* the db the hits and fired belong to */
	struct ips_dir d[2];
	uint64_t mem;
	struct ips_flow *hnext;		/* hash chain */
	struct ips_flow *prev, *next;	/* idle order: oldest first */
};

struct ips_flow_stats {
	uint64_t flows;			/* created */
	uint64_t expired;
	uint64_t ooo;			/* segments held out of order */
	uint64_t ooo_lost;		/* segments that could not be held */
	uint64_t beyond_depth;		/* bytes past stream-depth */
	uint64_t memcap;		/* allocations refused by memcap */
};

struct ips_flows {
	struct ips_flow **tab;
	uint32_t size, n;
	struct ips_flow *oldest, *newest;
	uint64_t mem, memcap;
	uint32_t depth;			/* stream-depth */
	uint64_t timeout_ms;
	struct ips_flow_stats stats;
};

int ips_flows_init(struct ips_flows *fs, uint64_t memcap, uint32_t depth,
		   uint64_t timeout_ms);
void ips_flows_fini(struct ips_flows *fs);
/* The flow, created if new (NULL: no memory for it). */
struct ips_flow *ips_flow_get(struct ips_flows *fs, uint32_t ifindex,
			      uint64_t id, uint8_t dir,
			      const struct sd_l4 *p, uint64_t now_ms);
void ips_flow_del(struct ips_flows *fs, struct ips_flow *f);
void ips_flows_expire(struct ips_flows *fs, uint64_t now_ms);

/*
 * Add the segment of @p to direction @d of @f. Returns 0 (the new bytes,
 * if any, are d->buf[d->scanned, d->len)), or -ENOBUFS when the bytes
 * could not be kept (memcap): inspect the packet alone.
 */
int ips_stream_add(struct ips_flows *fs, struct ips_flow *f, int d,
		   const struct sd_l4 *p);
/* Account @bytes more (or less) to @f, within memcap: false if not. */
bool ips_flow_mem(struct ips_flows *fs, struct ips_flow *f, int64_t bytes);

#endif /* IPS_STREAM_H */
