// SPDX-License-Identifier: GPL-2.0
/*
 * thresh.c - count rule matches per tracked address (see thresh.h)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "thresh.h"

#define BUCKETS		(IPS_THRESH_MAX / 4)

struct ips_thresh_ent {
	struct ips_thresh_ent *next;
	uint32_t sid;
	uint8_t family;
	uint8_t addr[16];
	uint64_t start_ms, end_ms;	/* the period */
	uint32_t n;
};

int ips_thresh_init(struct ips_thresh_tab *t)
{
	memset(t, 0, sizeof(*t));
	t->tab = calloc(BUCKETS, sizeof(*t->tab));
	return t->tab ? 0 : -ENOMEM;
}

void ips_thresh_fini(struct ips_thresh_tab *t)
{
	struct ips_thresh_ent *e;
	uint32_t i;

	for (i = 0; t->tab && i < BUCKETS; i++) {
		while ((e = t->tab[i])) {
			t->tab[i] = e->next;
			free(e);
		}
	}
	free(t->tab);
	memset(t, 0, sizeof(*t));
}

static uint32_t hash(uint32_t sid, const uint8_t *addr)
{
	uint32_t h = sid * 2654435761U, i;

	for (i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 16777619U;
	return h % BUCKETS;
}

/* Drop the entries of bucket @b whose period has ended. */
static void prune(struct ips_thresh_tab *t, uint32_t b, uint64_t now_ms)
{
	struct ips_thresh_ent **pp = &t->tab[b], *e;

	while ((e = *pp)) {
		if (e->end_ms <= now_ms) {
			*pp = e->next;
			free(e);
			t->n--;
		} else {
			pp = &e->next;
		}
	}
}

static struct ips_thresh_ent *lookup(struct ips_thresh_tab *t, uint32_t sid,
				     int family, const uint8_t *a16,
				     uint64_t now_ms)
{
	uint32_t b = hash(sid, a16), i;
	struct ips_thresh_ent *e;

	for (e = t->tab[b]; e; e = e->next) {
		if (e->sid == sid && e->family == family &&
		    !memcmp(e->addr, a16, 16))
			return e;
	}
	prune(t, b, now_ms);
	for (i = 0; t->n >= IPS_THRESH_MAX && i < BUCKETS; i++)
		prune(t, i, now_ms);
	if (t->n >= IPS_THRESH_MAX || !(e = calloc(1, sizeof(*e))))
		return NULL;
	e->sid = sid;
	e->family = family;
	memcpy(e->addr, a16, 16);
	e->next = t->tab[b];
	t->tab[b] = e;
	t->n++;
	return e;
}

bool ips_thresh_pass(struct ips_thresh_tab *t, const struct ips_thresh *th,
		     uint32_t sid, int family, const uint8_t *addr,
		     uint64_t now_ms)
{
	uint8_t a16[16] = { 0 };
	struct ips_thresh_ent *e;

	if (th->type == IPS_THR_NONE)
		return true;
	memcpy(a16, addr, family == AF_INET6 ? 16 : 4);
	e = lookup(t, sid, family, a16, now_ms);
	if (!e) {
		t->full++;
		return true;
	}
	if (!e->n || now_ms >= e->end_ms) {
		e->start_ms = now_ms;
		e->end_ms = now_ms + th->seconds * 1000ULL;
		e->n = 0;
	}
	e->n++;
	switch (th->type) {
	case IPS_THR_LIMIT:
		return e->n <= th->count;
	case IPS_THR_THRESHOLD:
		if (e->n < th->count)
			return false;
		e->n = 0;
		/* the next match starts a new period */
		return true;
	case IPS_THR_BOTH:
		return e->n == th->count;
	case IPS_THR_FILTER:
		return e->n > th->count;
	default:
		return true;
	}
}
