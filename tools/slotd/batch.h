/* SPDX-License-Identifier: GPL-2.0 */
/*
 * batch.h - verdicts gathered into few kernel messages
 *
 * Verdicts of one channel wait in a batch until it is full (@max verdicts,
 * or the kernel message's room) or slotd has handled every event of the
 * round; then they leave in one message. A verdict with a replacement
 * leaves alone (the kernel refuses a message whole for one bad item).
 * Replacement payloads are copied in, so a service may free its own at
 * once.
 */
#ifndef SD_BATCH_H
#define SD_BATCH_H

#include "kernel.h"

struct sd_batch_stats {
	uint64_t verdicts;
	uint64_t messages;
	uint64_t errors;		/* messages the kernel refused */
};

struct sd_batch {
	const struct sd_kernel *kern;
	struct sd_kchan *kc;
	unsigned int max;
	struct sd_verdict *v;
	unsigned int n;
	uint8_t *repl;			/* copied replacement payloads */
	size_t repl_len, repl_cap;
	size_t bytes;			/* of the pending verdicts, kernel's measure */
	struct sd_batch_stats stats;
	int last_err;
};

int sd_batch_init(struct sd_batch *b, const struct sd_kernel *kern,
		  struct sd_kchan *kc, unsigned int max);
void sd_batch_fini(struct sd_batch *b);
/* Queue one verdict; sends the batch first if it would not fit. */
int sd_batch_add(struct sd_batch *b, const struct sd_verdict *v);
int sd_batch_flush(struct sd_batch *b);

#endif /* SD_BATCH_H */
