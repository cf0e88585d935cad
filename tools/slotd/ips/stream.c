// SPDX-License-Identifier: GPL-2.0
/*
 * stream.c - flows and TCP reassembly for the IPS (see stream.h)
 *
 * The table is a chained hash of (ifindex, id), doubled when it holds as
 * many flows as buckets; flows are also on a list by last use, so
 * expiry looks only at the oldest.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"

struct ips_seg {
	struct ips_seg *next;
	uint64_t off;
	uint32_t len;
	uint8_t data[];
};

static uint32_t hash(uint32_t ifindex, uint64_t id, uint32_t size)
{
	uint64_t h = (id ^ ((uint64_t)ifindex << 40)) * 0x9e3779b97f4a7c15ULL;

	return (h >> 32) & (size - 1);
}

int ips_flows_init(struct ips_flows *fs, uint64_t memcap, uint32_t depth,
		   uint64_t timeout_ms)
{
	memset(fs, 0, sizeof(*fs));
	fs->size = 1024;
	fs->tab = calloc(fs->size, sizeof(*fs->tab));
	fs->memcap = memcap;
	fs->depth = depth;
	fs->timeout_ms = timeout_ms;
	return fs->tab ? 0 : -ENOMEM;
}

static void dir_free(struct ips_dir *d)
{
	struct ips_seg *s;

	free(d->buf);
	while ((s = d->ooo)) {
		d->ooo = s->next;
		free(s);
	}
	ips_hits_free(&d->hits);
	free(d->fired);
}

static void unlist(struct ips_flows *fs, struct ips_flow *f)
{
	if (f->prev)
		f->prev->next = f->next;
	else
		fs->oldest = f->next;
	if (f->next)
		f->next->prev = f->prev;
	else
		fs->newest = f->prev;
	f->prev = f->next = NULL;
}

static void list_tail(struct ips_flows *fs, struct ips_flow *f)
{
	f->prev = fs->newest;
	f->next = NULL;
	if (fs->newest)
		fs->newest->next = f;
	else
		fs->oldest = f;
	fs->newest = f;
}

void ips_flow_del(struct ips_flows *fs, struct ips_flow *f)
{
	struct ips_flow **pp = &fs->tab[hash(f->ifindex, f->id, fs->size)];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == f) {
			*pp = f->hnext;
			break;
		}
	}
	unlist(fs, f);
	dir_free(&f->d[0]);
	dir_free(&f->d[1]);
	fs->mem -= f->mem;
	fs->n--;
	free(f);
}

void ips_flows_fini(struct ips_flows *fs)
{
	while (fs->oldest)
		ips_flow_del(fs, fs->oldest);
	free(fs->tab);
	memset(fs, 0, sizeof(*fs));
}

void ips_flows_expire(struct ips_flows *fs, uint64_t now_ms)
{
	while (fs->oldest && fs->oldest->last_ms + fs->timeout_ms <= now_ms) {
		ips_flow_del(fs, fs->oldest);
		fs->stats.expired++;
	}
}

bool ips_flow_mem(struct ips_flows *fs, struct ips_flow *f, int64_t bytes)
{
	if (bytes > 0 && fs->mem + bytes > fs->memcap) {
		fs->stats.memcap++;
		return false;
	}
	fs->mem += bytes;
	if (f)
		f->mem += bytes;
	return true;
}

static void grow(struct ips_flows *fs)
{
	uint32_t size = fs->size * 2, i;
	struct ips_flow **tab = calloc(size, sizeof(*tab)), *f, *next;

	if (!tab)
		return;
	for (i = 0; i < fs->size; i++) {
		for (f = fs->tab[i]; f; f = next) {
			uint32_t h = hash(f->ifindex, f->id, size);

			next = f->hnext;
			f->hnext = tab[h];
			tab[h] = f;
		}
	}
	free(fs->tab);
	fs->tab = tab;
	fs->size = size;
}

struct ips_flow *ips_flow_get(struct ips_flows *fs, uint32_t ifindex,
			      uint64_t id, uint8_t dir,
			      const struct sd_l4 *p, uint64_t now_ms)
{
	uint32_t h = hash(ifindex, id, fs->size);
	struct ips_flow *f;

	for (f = fs->tab[h]; f; f = f->hnext) {
		if (f->id == id && f->ifindex == ifindex) {
			if (f->last_ms + fs->timeout_ms > now_ms) {
				f->last_ms = now_ms;
				unlist(fs, f);
				list_tail(fs, f);
				return f;
			}
			ips_flow_del(fs, f);	/* stale: start afresh */
			fs->stats.expired++;
			break;
		}
	}
	ips_flows_expire(fs, now_ms);
	if (!ips_flow_mem(fs, NULL, sizeof(*f)))
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f) {
		fs->mem -= sizeof(*f);
		return NULL;
	}
	f->mem = sizeof(*f);
	f->ifindex = ifindex;
	f->id = id;
	f->last_ms = now_ms;
	/* A SYN-ACK first: its sender is the server. */
	if ((p->tcp_flags & (SD_L4_SYN | SD_L4_ACK)) ==
	    (SD_L4_SYN | SD_L4_ACK))
		f->client_dir = !dir;
	else
		f->client_dir = dir;
	if (fs->n >= fs->size)
		grow(fs);
	h = hash(ifindex, id, fs->size);
	f->hnext = fs->tab[h];
	fs->tab[h] = f;
	list_tail(fs, f);
	fs->n++;
	fs->stats.flows++;
	return f;
}

/* Append @len bytes at the stream's end (its next offset). */
static int append(struct ips_flows *fs, struct ips_flow *f,
		  struct ips_dir *d, const uint8_t *b, uint32_t len)
{
	uint32_t keep = 0;

	if (d->next < fs->depth)
		keep = fs->depth - d->next < len ? fs->depth - d->next : len;
	if (keep && d->len + keep > d->cap) {
		uint32_t cap = d->cap ? d->cap : 2048;
		uint8_t *buf;

		while (cap < d->len + keep)
			cap *= 2;
		if (cap > fs->depth)
			cap = fs->depth;
		if (!ips_flow_mem(fs, f, (int64_t)cap - d->cap))
			return -ENOBUFS;
		buf = realloc(d->buf, cap);
		if (!buf) {
			ips_flow_mem(fs, f, (int64_t)d->cap - cap);
			return -ENOBUFS;
		}
		d->buf = buf;
		d->cap = cap;
	}
	memcpy(d->buf + d->len, b, keep);
	d->len += keep;
	fs->stats.beyond_depth += len - keep;
	d->next += len;
	return 0;
}

/* Bytes [off, off + len) where the stream is at d->next. */
static int place(struct ips_flows *fs, struct ips_flow *f, struct ips_dir *d,
		 uint64_t off, const uint8_t *b, uint32_t len)
{
	if (off + len <= d->next)
		return 0;			/* all seen already */
	if (off < d->next) {
		b += d->next - off;
		len -= d->next - off;
	}
	return append(fs, f, d, b, len);
}

static void hold(struct ips_flows *fs, struct ips_flow *f, struct ips_dir *d,
		 uint64_t off, const uint8_t *b, uint32_t len)
{
	struct ips_seg **pp, *s;

	if (off >= fs->depth) {		/* would never be kept anyway */
		fs->stats.beyond_depth += len;
		return;
	}
	if (d->n_ooo >= IPS_OOO_MAX ||
	    !ips_flow_mem(fs, f, sizeof(*s) + len)) {
		fs->stats.ooo_lost++;
		return;
	}
	s = malloc(sizeof(*s) + len);
	if (!s) {
		ips_flow_mem(fs, f, -(int64_t)(sizeof(*s) + len));
		fs->stats.ooo_lost++;
		return;
	}
	s->off = off;
	s->len = len;
	memcpy(s->data, b, len);
	for (pp = &d->ooo; *pp && (*pp)->off <= off; pp = &(*pp)->next)
		;
	s->next = *pp;
	*pp = s;
	d->n_ooo++;
	fs->stats.ooo++;
}

/* Held segments that the stream has reached join it. */
static int drain(struct ips_flows *fs, struct ips_flow *f, struct ips_dir *d)
{
	struct ips_seg *s;
	int err = 0;

	while ((s = d->ooo) && s->off <= d->next) {
		d->ooo = s->next;
		d->n_ooo--;
		if (!err)
			err = place(fs, f, d, s->off, s->data, s->len);
		ips_flow_mem(fs, f, -(int64_t)(sizeof(*s) + s->len));
		free(s);
	}
	return err;
}

int ips_stream_add(struct ips_flows *fs, struct ips_flow *f, int di,
		   const struct sd_l4 *p)
{
	struct ips_dir *d = &f->d[di];
	uint32_t seq = p->seq;
	int64_t rel;
	int err;

	if (p->tcp_flags & SD_L4_SYN) {
		d->isn = seq + 1;
		d->isn_set = true;
		seq++;
	}
	if (p->tcp_flags & SD_L4_FIN)
		d->fin = true;
	if (!p->payload_len)
		return 0;
	if (d->nomem)
		return -ENOBUFS;
	if (!d->isn_set) {
		d->isn = seq;
		d->isn_set = true;
	}
	rel = (int32_t)(seq - d->isn);	/* offsets stay below 2 GiB */
	if (rel < 0) {
		if (-rel >= p->payload_len)
			return 0;		/* before the stream began */
		err = place(fs, f, d, 0, p->payload - rel,
			    p->payload_len + rel);
	} else if ((uint64_t)rel > d->next) {
		hold(fs, f, d, rel, p->payload, p->payload_len);
		return 0;
	} else {
		err = place(fs, f, d, rel, p->payload, p->payload_len);
	}
	if (!err)
		err = drain(fs, f, d);
	if (err)
		d->nomem = true;
	return err;
}
