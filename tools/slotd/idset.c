// SPDX-License-Identifier: GPL-2.0
/*
 * idset.c - a set of packet ids (see idset.h)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "idset.h"

static size_t slot_of(const struct sd_idset *s, uint64_t id)
{
	id ^= id >> 33;
	id *= 0xff51afd7ed558ccdULL;
	id ^= id >> 33;
	return id & s->mask;
}

int sd_idset_init(struct sd_idset *s, size_t max)
{
	size_t n = 16;

	while (n < 2 * max)
		n *= 2;
	s->ids = calloc(n, sizeof(*s->ids));
	s->used = calloc(n, 1);
	s->mask = n - 1;
	s->count = 0;
	if (!s->ids || !s->used) {
		sd_idset_fini(s);
		return -ENOMEM;
	}
	return 0;
}

void sd_idset_fini(struct sd_idset *s)
{
	free(s->ids);
	free(s->used);
	memset(s, 0, sizeof(*s));
}

/* False if @id is there already, or the set is half full. */
bool sd_idset_add(struct sd_idset *s, uint64_t id)
{
	size_t i = slot_of(s, id);

	if (!s->ids || s->count >= (s->mask + 1) / 2)
		return false;
	for (; s->used[i]; i = (i + 1) & s->mask) {
		if (s->ids[i] == id)
			return false;
	}
	s->used[i] = 1;
	s->ids[i] = id;
	s->count++;
	return true;
}

bool sd_idset_del(struct sd_idset *s, uint64_t id)
{
	size_t i, j, home;

	if (!s->ids)
		return false;
	for (i = slot_of(s, id); s->used[i]; i = (i + 1) & s->mask) {
		if (s->ids[i] == id)
			break;
	}
	if (!s->used[i])
		return false;
	/* Shift later members of the run back over the hole. */
	for (j = (i + 1) & s->mask; s->used[j]; j = (j + 1) & s->mask) {
		home = slot_of(s, s->ids[j]);
		if (((j - home) & s->mask) >= ((j - i) & s->mask)) {
			s->ids[i] = s->ids[j];
			i = j;
		}
	}
	s->used[i] = 0;
	s->count--;
	return true;
}

void sd_idset_drain(struct sd_idset *s, void (*fn)(void *arg, uint64_t id),
		    void *arg)
{
	size_t i;

	if (!s->ids)
		return;
	for (i = 0; i <= s->mask; i++) {
		if (s->used[i]) {
			s->used[i] = 0;
			s->count--;
			fn(arg, s->ids[i]);
		}
	}
}
