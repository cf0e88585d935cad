// SPDX-License-Identifier: GPL-2.0
/*
 * webrep_flow.c - a bounded table of flows waiting for their name
 *
 * A chained hash table by (port, flow id) and a list from the most to
 * the least recently used flow. Everything is bounded: @max flows of at
 * most WR_FLOW_BUF bytes each, allocated when the flow comes.
 *
 * Sequence numbers are compared modulo 2^32. A segment that starts
 * before next_seq adds only its new bytes (the first bytes seen win over
 * a retransmission that differs); one that starts after it leaves a gap
 * the flow cannot fill, and is refused: webrep drops it, so the sender
 * sends it again once the missing bytes are through.
 */
#include <stdlib.h>
#include <string.h>

#include "webrep_flow.h"

struct wr_flows {
	struct wr_flow **buckets;
	unsigned int n_buckets;		/* a power of two */
	unsigned int n, max;
	uint64_t evicted;
	struct wr_flow lru;		/* lru.next: the most recent */
};

static unsigned int bucket(const struct wr_flows *t, uint32_t ifindex,
			   uint64_t flow_id)
{
	uint64_t h = (flow_id ^ ((uint64_t)ifindex << 32)) *
		     0x9e3779b97f4a7c15ull;

	return (h >> 32) & (t->n_buckets - 1);
}

struct wr_flows *wr_flows_new(unsigned int max)
{
	struct wr_flows *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->max = max ? max : 1;
	for (t->n_buckets = 16; t->n_buckets < t->max; t->n_buckets *= 2)
		;
	t->buckets = calloc(t->n_buckets, sizeof(*t->buckets));
	if (!t->buckets) {
		free(t);
		return NULL;
	}
	t->lru.next = t->lru.prev = &t->lru;
	return t;
}

void wr_flows_free(struct wr_flows *t)
{
	if (!t)
		return;
	while (t->lru.next != &t->lru)
		wr_flow_del(t, t->lru.next);
	free(t->buckets);
	free(t);
}

unsigned int wr_flows_count(const struct wr_flows *t)
{
	return t->n;
}

uint64_t wr_flows_evicted(const struct wr_flows *t)
{
	return t->evicted;
}

static void lru_unlink(struct wr_flow *f)
{
	f->prev->next = f->next;
	f->next->prev = f->prev;
}

static void lru_front(struct wr_flows *t, struct wr_flow *f)
{
	f->next = t->lru.next;
	f->prev = &t->lru;
	t->lru.next->prev = f;
	t->lru.next = f;
}

void wr_flow_del(struct wr_flows *t, struct wr_flow *f)
{
	struct wr_flow **p = &t->buckets[bucket(t, f->ifindex, f->flow_id)];

	for (; *p; p = &(*p)->hnext) {
		if (*p == f) {
			*p = f->hnext;
			break;
		}
	}
	lru_unlink(f);
	t->n--;
	free(f->buf);
	free(f);
}

struct wr_flow *wr_flow_get(struct wr_flows *t, uint32_t ifindex,
			    uint64_t flow_id, uint64_t now_ms)
{
	struct wr_flow *f = t->buckets[bucket(t, ifindex, flow_id)];

	for (; f; f = f->hnext) {
		if (f->flow_id != flow_id || f->ifindex != ifindex)
			continue;
		if (now_ms - f->last_ms > WR_FLOW_IDLE_MS) {
			wr_flow_del(t, f);
			return NULL;
		}
		f->last_ms = now_ms;
		lru_unlink(f);
		lru_front(t, f);
		return f;
	}
	return NULL;
}

struct wr_flow *wr_flow_new(struct wr_flows *t, uint32_t ifindex,
			    uint64_t flow_id, uint8_t dir, uint32_t seq,
			    uint64_t now_ms)
{
	struct wr_flow *f, *old;
	unsigned int b;

	/* Forget idle flows, then the least recent if still full. */
	while ((old = t->lru.prev) != &t->lru &&
	       (t->n >= t->max || now_ms - old->last_ms > WR_FLOW_IDLE_MS)) {
		if (t->n >= t->max)
			t->evicted++;
		wr_flow_del(t, old);
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->buf = malloc(WR_FLOW_BUF);
	if (!f->buf) {
		free(f);
		return NULL;
	}
	f->ifindex = ifindex;
	f->flow_id = flow_id;
	f->dir = dir;
	f->next_seq = seq;
	f->last_ms = now_ms;
	b = bucket(t, ifindex, flow_id);
	f->hnext = t->buckets[b];
	t->buckets[b] = f;
	lru_front(t, f);
	t->n++;
	return f;
}

enum wr_seg wr_flow_add(struct wr_flow *f, uint32_t seq, const uint8_t *p,
			uint32_t n)
{
	int32_t off = (int32_t)(seq - f->next_seq);
	uint32_t skip, room;

	if (off > 0)
		return WR_SEG_GAP;
	skip = (uint32_t)-(int64_t)off;
	if (skip >= n)
		return WR_SEG_OLD;
	p += skip;
	n -= skip;
	f->next_seq += n;
	room = WR_FLOW_BUF - f->len;
	if (n > room) {
		n = room;
		f->full = true;
	}
	memcpy(f->buf + f->len, p, n);
	f->len += n;
	return WR_SEG_NEW;
}
