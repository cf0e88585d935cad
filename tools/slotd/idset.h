/* SPDX-License-Identifier: GPL-2.0 */
/*
 * idset.h - the packet ids a connection holds: a set of u64
 *
 * Open addressing with linear probing and backward-shift deletion, sized
 * once for the most ids it will hold (at most half full). Each id may
 * carry a value of a size fixed at init (slotd keeps what a QUARANTINE
 * needs of each packet in flight there); it moves with its id, so a
 * pointer to it lasts until the next add or delete.
 */
#ifndef SD_IDSET_H
#define SD_IDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sd_idset {
	uint64_t *ids;
	uint8_t *used;
	uint8_t *vals;			/* NULL: no values */
	size_t vsize;
	size_t mask;
	size_t count;
};

int sd_idset_init(struct sd_idset *s, size_t max);
/* A set whose ids carry @vsize bytes each. */
int sd_idset_init_values(struct sd_idset *s, size_t max, size_t vsize);
void sd_idset_fini(struct sd_idset *s);
/* False if @id is there already, or the set is half full. */
bool sd_idset_add(struct sd_idset *s, uint64_t id);
/* Add, with @val (vsize bytes) as @id's value. */
bool sd_idset_add_value(struct sd_idset *s, uint64_t id, const void *val);
bool sd_idset_del(struct sd_idset *s, uint64_t id);
/* Delete, copying @id's value to @val (unless NULL). */
bool sd_idset_take(struct sd_idset *s, uint64_t id, void *val);
/* @id's value (any non-NULL pointer in a set without values), or NULL. */
const void *sd_idset_find(const struct sd_idset *s, uint64_t id);
/* Take out every id, oldest slot first, calling @fn for each. */
void sd_idset_drain(struct sd_idset *s, void (*fn)(void *arg, uint64_t id),
		    void *arg);

#endif /* SD_IDSET_H */
