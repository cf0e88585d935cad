// SPDX-License-Identifier: GPL-2.0
/*
 * batch.c - verdicts gathered into few kernel messages (see batch.h)
 *
 * Replacement payloads are kept as offsets into one growing buffer while
 * the batch fills (a realloc() moves it), and turned into pointers only
 * when the batch is sent.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

int sd_batch_init(struct sd_batch *b, const struct sd_kernel *kern,
		  struct sd_kchan *kc, unsigned int max)
{
	memset(b, 0, sizeof(*b));
	b->kern = kern;
	b->kc = kc;
	b->max = max ? max : 1;
	b->v = calloc(b->max, sizeof(*b->v));
	return b->v ? 0 : -ENOMEM;
}

void sd_batch_fini(struct sd_batch *b)
{
	free(b->v);
	free(b->repl);
	memset(b, 0, sizeof(*b));
}

int sd_batch_flush(struct sd_batch *b)
{
	unsigned int i;
	int err;

	if (!b->n)
		return 0;
	for (i = 0; i < b->n; i++) {
		if (b->v[i].repl_len)
			b->v[i].repl = b->repl + (uintptr_t)b->v[i].repl;
	}
	err = b->kern->verdicts(b->kc, b->v, b->n);
	b->stats.messages++;
	b->stats.verdicts += b->n;
	if (err) {
		b->stats.errors++;
		b->last_err = err;
	}
	b->n = 0;
	b->bytes = 0;
	b->repl_len = 0;
	return err;
}

int sd_batch_add(struct sd_batch *b, const struct sd_verdict *v)
{
	size_t size = b->kern->verdict_size(v);
	struct sd_verdict *slot;
	int err = 0;

	if (size > b->kern->verdict_room)
		return -EMSGSIZE;
	/*
	 * The kernel checks a message whole and refuses all of it for one
	 * bad replacement: a replacement travels alone, so it can cost no
	 * other verdict.
	 */
	if (b->n == b->max || b->bytes + size > b->kern->verdict_room ||
	    v->repl)
		err = sd_batch_flush(b);
	if (v->repl && v->repl_len) {
		if (b->repl_len + v->repl_len > b->repl_cap) {
			size_t cap = b->repl_cap ? b->repl_cap : 4096;
			uint8_t *p;

			while (cap < b->repl_len + v->repl_len)
				cap *= 2;
			p = realloc(b->repl, cap);
			if (!p)
				return -ENOMEM;
			b->repl = p;
			b->repl_cap = cap;
		}
		memcpy(b->repl + b->repl_len, v->repl, v->repl_len);
	}
	slot = &b->v[b->n++];
	*slot = *v;
	if (v->repl && v->repl_len) {
		slot->repl = (const uint8_t *)(uintptr_t)b->repl_len;
		b->repl_len += v->repl_len;
	} else {
		slot->repl = NULL;
		slot->repl_len = 0;
	}
	b->bytes += size;
	if (b->n == b->max || v->repl)
		err = sd_batch_flush(b) ?: err;
	return err;
}
