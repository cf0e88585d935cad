// SPDX-License-Identifier: GPL-2.0
/*
 * idset.c - a set of packet ids (see idset.h)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "idset.h"

static size_t slot_of(const struct sd_idset *s, uint64_t id)
{
	id ^= id >> 33;
	id *= 0xff51afd7ed558ccdULL;
	id ^= id >> 33;
	return id & s->mask;
}

int sd_idset_init_values(struct sd_idset *s, size_t max, size_t vsize)
{
	size_t n = 16;

	while (n < 2 * max)
		n *= 2;
	memset(s, 0, sizeof(*s));
	s->ids = calloc(n, sizeof(*s->ids));
	s->used = calloc(n, 1);
	s->vals = vsize ? calloc(n, vsize) : NULL;
	s->vsize = vsize;
	s->mask = n - 1;
	if (!s->ids || !s->used || (vsize && !s->vals)) {
		sd_idset_fini(s);
		return -ENOMEM;
	}
	return 0;
}

int sd_idset_init(struct sd_idset *s, size_t max)
{
	return sd_idset_init_values(s, max, 0);
}

void sd_idset_fini(struct sd_idset *s)
{
	free(s->ids);
	free(s->used);
	free(s->vals);
	memset(s, 0, sizeof(*s));
}

static uint8_t *val_at(const struct sd_idset *s, size_t i)
{
	return s->vals + i * s->vsize;
}

bool sd_idset_add_value(struct sd_idset *s, uint64_t id, const void *val)
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
	if (s->vsize) {
		if (val)
			memcpy(val_at(s, i), val, s->vsize);
		else
			memset(val_at(s, i), 0, s->vsize);
	}
	s->count++;
	return true;
}

bool sd_idset_add(struct sd_idset *s, uint64_t id)
{
	return sd_idset_add_value(s, id, NULL);
}

/* The slot of @id, or -1. */
static ssize_t find(const struct sd_idset *s, uint64_t id)
{
	size_t i;

	if (!s->ids)
		return -1;
	for (i = slot_of(s, id); s->used[i]; i = (i + 1) & s->mask) {
		if (s->ids[i] == id)
			return i;
	}
	return -1;
}

const void *sd_idset_find(const struct sd_idset *s, uint64_t id)
{
	ssize_t i = find(s, id);

	if (i < 0)
		return NULL;
	return s->vsize ? (const void *)val_at(s, i) : (const void *)s;
}

bool sd_idset_take(struct sd_idset *s, uint64_t id, void *val)
{
	ssize_t found = find(s, id);
	size_t i, j, home;

	if (found < 0)
		return false;
	i = found;
	if (val && s->vsize)
		memcpy(val, val_at(s, i), s->vsize);
	/* Shift later members of the run back over the hole. */
	for (j = (i + 1) & s->mask; s->used[j]; j = (j + 1) & s->mask) {
		home = slot_of(s, s->ids[j]);
		if (((j - home) & s->mask) >= ((j - i) & s->mask)) {
			s->ids[i] = s->ids[j];
			if (s->vsize)
				memcpy(val_at(s, i), val_at(s, j), s->vsize);
			i = j;
		}
	}
	s->used[i] = 0;
	s->count--;
	return true;
}

bool sd_idset_del(struct sd_idset *s, uint64_t id)
{
	return sd_idset_take(s, id, NULL);
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
