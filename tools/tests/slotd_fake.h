/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slotd_fake.h - a fake kernel behind slotd's struct sd_kernel
 *
 * Each bound channel is a SOCK_SEQPACKET socketpair: the test "holds"
 * packets by writing PACKET frames (slotsvc.h's layout, for want of
 * another) into its end; slotd reads them from the other. Verdicts,
 * health changes (and their reasons) and alerts are recorded in the order
 * they come.
 */
#ifndef SF_SLOTD_FAKE_H
#define SF_SLOTD_FAKE_H

#include "../slotd/kernel.h"
#include "fixture.h"

#define FAKE_CHANS	16
#define FAKE_VERDICTS	8192

struct fake_kernel;

struct sd_kchan {
	struct fake_kernel *fk;
	char service[SLOTSVC_NAME_MAX];
	int fd;			/* slotd's end */
	int peer;		/* the test's end */
	bool open;
};

struct fake_verdict {
	uint64_t id;
	uint8_t verdict;
	char service[SLOTSVC_NAME_MAX];
	uint32_t repl_len;
	uint8_t repl[64];	/* the first bytes */
};

struct fake_kernel {
	struct sd_kernel ops;
	struct sd_kchan chans[FAKE_CHANS];
	unsigned int n_chans;
	const char *refuse;	/* a service name bind refuses, or NULL */
	unsigned int binds;
	struct fake_verdict v[FAKE_VERDICTS];
	unsigned int n_v;
	unsigned int messages;
	unsigned int largest;	/* most verdicts in one message */
	char health[1024];	/* "NAME:up NAME:failing ..." */
	char why[1024];		/* "NAME:REASON\n" for each reason given */
	char alerts[16384];	/* "NAME JSON\n" for each alert */
	char tags[1024];	/* "tag|untag IFINDEX TAG\n" for each request */
	int tag_err;		/* what port_tag() answers (0, -errno) */
};

void fake_init(struct fake_kernel *fk, size_t verdict_room);
void fake_fini(struct fake_kernel *fk);
struct sd_kchan *fake_chan(struct fake_kernel *fk, const char *service);
/* Hold packet @id for @service, with @payload as its bytes. */
int fake_hold(struct fake_kernel *fk, const char *service, uint64_t id,
	      const char *payload);
/* Hold @p (any bytes, any metadata) for the service @p->service names. */
int fake_hold_packet(struct fake_kernel *fk, const struct sd_packet *p);
const struct fake_verdict *fake_verdict(const struct fake_kernel *fk,
					uint64_t id);

/* Run @sd's rounds until @cond holds or 3 s have passed; then @cond. */
#define FAKE_WAIT(sd, cond)						\
	({								\
		uint64_t _end = sd_now_ms() + 3000;			\
		while (!(cond) && sd_now_ms() < _end)			\
			sd_daemon_step(sd, 5);				\
		(cond);							\
	})

#endif /* SF_SLOTD_FAKE_H */
