/* SPDX-License-Identifier: GPL-2.0 */
/*
 * idset.h - the packet ids a connection holds: a set of u64
 *
 * Open addressing with linear probing and backward-shift deletion, sized
 * once for the most ids it will hold (at most half full).
 */
#ifndef SD_IDSET_H
#define SD_IDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sd_idset {
	uint64_t *ids;
	uint8_t *used;
	size_t mask;
	size_t count;
};

int sd_idset_init(struct sd_idset *s, size_t max);
void sd_idset_fini(struct sd_idset *s);
bool sd_idset_add(struct sd_idset *s, uint64_t id);
bool sd_idset_del(struct sd_idset *s, uint64_t id);
/* Take out every id, oldest slot first, calling @fn for each. */
void sd_idset_drain(struct sd_idset *s, void (*fn)(void *arg, uint64_t id),
		    void *arg);

#endif /* SD_IDSET_H */
