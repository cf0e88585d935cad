// SPDX-License-Identifier: GPL-2.0
/*
 * worker.c - a fuzzing thread
 *
 * Each worker owns a socket and loops until the run's time is up: mostly
 * batches of generated requests, sometimes a dump read to its end, a dump
 * interrupted by configuration changes between its parts, or a socket
 * closed in the middle of a dump.
 *
 * Interrupted and closed dumps start on a socket that has never received:
 * netlink sizes the first part of a dump by the largest receive the socket
 * ever asked for, so such a dump's first part holds only a couple of ports
 * and the rest of the table is still to come when the worker acts.
 *
 * The unprivileged worker drops CAP_NET_ADMIN from its own thread (capset
 * acts on the calling thread only) before it opens its socket, so both the
 * socket's opener and its sender lack it: every request to an op marked
 * GENL_ADMIN_PERM or GENL_UNS_ADMIN_PERM must get -EPERM.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/slotfilter.h>

#include "fuzz.h"
#include "sfnl.h"

static int fz_drop_net_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	unsigned int i = CAP_TO_INDEX(CAP_NET_ADMIN);
	uint32_t bit = CAP_TO_MASK(CAP_NET_ADMIN);

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[i].effective &= ~bit;
	data[i].permitted &= ~bit;
	data[i].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

/* Open a socket; @fresh: one that has not received yet (no resolve). */
static int fz_reopen(struct fz_worker *w, bool fresh)
{
	int err;

	if (w->nl) {
		fz_worker_close(w);
		w->stats.reopens++;
	}
	err = fz_worker_open(w, !fresh);
	if (err)
		fz_fail(w, NULL, "cannot open a socket: %s", strerror(-err));
	return err;
}

/*
 * Change the configuration in the middle of a dump: attach or detach ports
 * of the netns over the worker's second socket.
 */
void fz_worker_reconfigure(struct fz_worker *w)
{
	unsigned int i, n = 1 + fz_below(&w->rand, 3);
	struct nlmsghdr *nlh;
	uint8_t cmd;
	int err;

	if (!w->cfg)
		return;
	for (i = 0; i < n; i++) {
		cmd = fz_chance(&w->rand, 50) ? SLOTFILTER_CMD_PORT_ADD :
		      SLOTFILTER_CMD_PORT_DEL;
		nlh = sfnl_request(w->cfg, cmd, 0);
		mnl_attr_put_u32(nlh, SLOTFILTER_PORT_A_IFINDEX,
				 fz_pool_pick(&w->ctx->pool, &w->rand));
		err = sfnl_talk(w->cfg, nlh, NULL, NULL);
		w->stats.config[cmd == SLOTFILTER_CMD_PORT_ADD ? FZ_CFG_ATTACH :
				FZ_CFG_DETACH]++;
		if (err && err != -EEXIST && err != -ENODEV && err != -ENOENT) {
			w->stats.config_failed++;
			fz_fail(w, NULL, "%s in a dump: %s",
				cmd == SLOTFILTER_CMD_PORT_ADD ? "attach" :
				"detach", strerror(-err));
		}
	}
}

static void fz_run_dump(struct fz_worker *w, struct fz_batch *b,
			enum fz_cat cat)
{
	int err;

	if (cat != FZ_CAT_DUMP && fz_reopen(w, true))
		return;
	memset(b, 0, sizeof(*b));
	b->dump_interrupt = cat == FZ_CAT_DUMP_INTR;
	b->close_early = cat == FZ_CAT_DUMP_CLOSE;
	b->keep_parts = fz_below(&w->rand, 3);
	fz_gen(w, b, cat, true);
	err = fz_exchange(w, b);
	if (err || cat != FZ_CAT_DUMP)
		fz_reopen(w, false);
}

static void fz_run_batch(struct fz_worker *w, struct fz_batch *b)
{
	unsigned int i, n = 1;

	if (fz_chance(&w->rand, 25))
		n = 2 + fz_below(&w->rand, FZ_BATCH_MAX - 1);
	memset(b, 0, sizeof(*b));
	for (i = 0; i < n; i++)
		fz_gen(w, b, fz_gen_pick(w), i == n - 1);
	if (fz_exchange(w, b))
		fz_reopen(w, false);
}

void *fz_worker_main(void *arg)
{
	struct fz_worker *w = arg;
	struct fz_ctx *ctx = w->ctx;
	struct fz_batch *b = calloc(1, sizeof(*b));
	unsigned int x;
	int err;

	w->sbuf = malloc(FZ_SEND_SIZE);
	w->rbuf = malloc(FZ_RECV_SIZE);
	if (!b || !w->sbuf || !w->rbuf) {
		fz_fail(w, NULL, "out of memory");
		goto out;
	}
	if (w->unpriv) {
		err = fz_drop_net_admin();
		if (err) {
			fz_fail(w, NULL, "cannot drop CAP_NET_ADMIN: %s",
				strerror(-err));
			goto out;
		}
	} else {
		w->cfg = sfnl_open();
		if (!w->cfg || sfnl_resolve(w->cfg, ctx->fam.name)) {
			fz_fail(w, NULL, "cannot open the configuration socket");
			goto out;
		}
	}
	if (fz_reopen(w, false))
		goto out;

	while (!atomic_load(&ctx->stop) && w->nl) {
		x = fz_below(&w->rand, 100);
		if (x < 6)
			fz_run_dump(w, b, FZ_CAT_DUMP);
		else if (x < 9 && !w->unpriv)
			fz_run_dump(w, b, FZ_CAT_DUMP_INTR);
		else if (x < 11)
			fz_run_dump(w, b, FZ_CAT_DUMP_CLOSE);
		else
			fz_run_batch(w, b);
		/* its answers are cheap: leave the CPUs to the others */
		if (w->unpriv)
			usleep(500);
	}
out:
	if (w->nl)
		fz_worker_close(w);
	sfnl_close(w->cfg);
	free(w->sbuf);
	free(w->rbuf);
	free(b);
	return NULL;
}
