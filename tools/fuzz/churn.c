// SPDX-License-Identifier: GPL-2.0
/*
 * churn.c - configuration changes while the workers fuzz
 *
 * One thread keeps the netns moving under the workers: it creates dummy
 * devices (up to --devices), deletes them (ports or not: the kernel detaches
 * a port whose device goes away), attaches and detaches ports on them and
 * on the --dev devices (the ones the harness floods with traffic), takes
 * devices down and up, renames them (a port's name is part of its reply),
 * and, with --netns, moves devices to that netns and attaches them there,
 * so that the harness deleting it exits a netns with ports in it.
 *
 * It also keeps the pool of ifindexes the generators draw from (fz_pool)
 * in step with the devices the netns has. Every change is a well-formed
 * request: an error other than the races it can lose (the device or port
 * is gone, or already there) is a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/slotfilter.h>

#include "fuzz.h"
#include "rtnl.h"
#include "sfnl.h"

const char *const fz_cfg_names[FZ_CFG_MAX] = {
	[FZ_CFG_ADD_DEV]	= "device add",
	[FZ_CFG_DEL_DEV]	= "device del",
	[FZ_CFG_ATTACH]		= "port add",
	[FZ_CFG_DETACH]		= "port del",
	[FZ_CFG_UPDOWN]		= "down/up",
	[FZ_CFG_RENAME]		= "rename",
	[FZ_CFG_MOVE]		= "netns move",
};

#define FZ_MAX_DUMMIES	64

struct fz_churn {
	struct fz_worker *w;
	struct fz_rtnl *rt;
	struct sfnl *nl;
	int netns_fd;			/* --netns, -1 */
	struct sfnl *nl_other;		/* slotfilter in --netns */
	unsigned int n;
	uint32_t dummy[FZ_MAX_DUMMIES];	/* ifindexes of ours, here */
	uint32_t devs[16];		/* --dev ifindexes */
	unsigned int n_devs;
	unsigned int names;		/* names handed out */
};

void fz_pool_set(struct fz_pool *pool, const uint32_t *ifindex,
		 unsigned int n)
{
	pthread_mutex_lock(&pool->lock);
	if (n > FZ_MAX_POOL)
		n = FZ_MAX_POOL;
	memcpy(pool->ifindex, ifindex, n * sizeof(*ifindex));
	pool->n = n;
	pthread_mutex_unlock(&pool->lock);
}

/* The ifindex of a device of the netns (as of the last refresh). */
uint32_t fz_pool_pick(struct fz_pool *pool, struct fz_rand *r)
{
	uint32_t v = 1;

	pthread_mutex_lock(&pool->lock);
	if (pool->n)
		v = pool->ifindex[fz_below(r, pool->n)];
	pthread_mutex_unlock(&pool->lock);
	return v;
}

static void fz_churn_refresh(struct fz_churn *c)
{
	uint32_t ifindex[FZ_MAX_POOL];
	int n = fz_rtnl_list(c->rt, ifindex, FZ_MAX_POOL);

	if (n > 0)
		fz_pool_set(&c->w->ctx->pool, ifindex, n);
}

/* The errors a well-formed change can get by losing a race. */
static void fz_churn_result(struct fz_churn *c, enum fz_cfg op, int err,
			    const int *ok)
{
	struct fz_worker *w = c->w;

	w->stats.config[op]++;
	if (!err)
		return;
	for (; *ok; ok++)
		if (-err == *ok)
			return;
	w->stats.config_failed++;
	fz_fail(w, NULL, "%s: %s", fz_cfg_names[op], strerror(-err));
}

static int fz_churn_port(struct sfnl *nl, uint8_t cmd, uint32_t ifindex)
{
	struct nlmsghdr *nlh = sfnl_request(nl, cmd, 0);

	mnl_attr_put_u32(nlh, SLOTFILTER_PORT_A_IFINDEX, ifindex);
	return sfnl_talk(nl, nlh, NULL, NULL);
}

static void fz_churn_forget(struct fz_churn *c, unsigned int i)
{
	c->dummy[i] = c->dummy[--c->n];
}

static void fz_churn_add_dev(struct fz_churn *c)
{
	static const int ok[] = { EEXIST, 0 };
	char name[IFNAMSIZ];
	uint32_t ifindex;
	int err;

	snprintf(name, sizeof(name), "fz%u", c->names++);
	err = fz_rtnl_add_dummy(c->rt, name);
	fz_churn_result(c, FZ_CFG_ADD_DEV, err, ok);
	ifindex = err ? 0 : if_nametoindex(name);
	if (ifindex)
		c->dummy[c->n++] = ifindex;
	else if (!err)
		fz_fail(c->w, NULL, "churn: %s added but not found", name);
}

static void fz_churn_step(struct fz_churn *c)
{
	static const int gone[] = { ENODEV, 0 };
	static const int port_add[] = { EEXIST, ENODEV, 0 };
	static const int port_del[] = { ENOENT, 0 };
	static const int rename_ok[] = { ENODEV, EEXIST, EBUSY, 0 };
	struct fz_rand *r = &c->w->rand;
	unsigned int x = fz_below(r, 100), i = c->n ? fz_below(r, c->n) : 0;
	uint32_t ifindex = fz_pool_pick(&c->w->ctx->pool, r);
	char name[IFNAMSIZ];
	int err;

	if (c->n_devs && fz_chance(r, 30))
		ifindex = c->devs[fz_below(r, c->n_devs)];
	if (x < 15 && c->n < c->w->ctx->devices) {
		fz_churn_add_dev(c);
	} else if (x < 25 && c->n) {
		err = fz_rtnl_del(c->rt, c->dummy[i]);
		fz_churn_result(c, FZ_CFG_DEL_DEV, err, gone);
		fz_churn_forget(c, i);
	} else if (x < 55) {
		err = fz_churn_port(c->nl, SLOTFILTER_CMD_PORT_ADD, ifindex);
		fz_churn_result(c, FZ_CFG_ATTACH, err, port_add);
	} else if (x < 80) {
		err = fz_churn_port(c->nl, SLOTFILTER_CMD_PORT_DEL, ifindex);
		fz_churn_result(c, FZ_CFG_DETACH, err, port_del);
	} else if (x < 88 && c->n) {
		err = fz_rtnl_set_up(c->rt, c->dummy[i], false);
		if (!err)
			err = fz_rtnl_set_up(c->rt, c->dummy[i], true);
		fz_churn_result(c, FZ_CFG_UPDOWN, err, gone);
	} else if (x < 95 && c->n) {
		snprintf(name, sizeof(name), "fz%u", c->names++);
		err = fz_rtnl_set_up(c->rt, c->dummy[i], false);
		if (!err)
			err = fz_rtnl_rename(c->rt, c->dummy[i], name);
		fz_rtnl_set_up(c->rt, c->dummy[i], true);
		fz_churn_result(c, FZ_CFG_RENAME, err, rename_ok);
	} else if (c->netns_fd >= 0 && c->n) {
		ifindex = c->dummy[i];
		err = fz_rtnl_move(c->rt, ifindex, c->netns_fd);
		fz_churn_result(c, FZ_CFG_MOVE, err, gone);
		fz_churn_forget(c, i);
		/* it usually keeps its ifindex over there */
		err = fz_churn_port(c->nl_other, SLOTFILTER_CMD_PORT_ADD,
				    ifindex);
		fz_churn_result(c, FZ_CFG_ATTACH, err, port_add);
	}
}

/* Open the slotfilter socket of --netns from inside it. */
static int fz_churn_other_netns(struct fz_churn *c, const char *path)
{
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	int err = 0;

	c->netns_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (self < 0 || c->netns_fd < 0)
		err = -errno;
	else if (setns(c->netns_fd, CLONE_NEWNET))
		err = -errno;
	if (!err) {
		c->nl_other = sfnl_open();
		if (!c->nl_other)
			err = -errno;
		else
			err = sfnl_resolve(c->nl_other, c->w->ctx->fam.name);
		if (setns(self, CLONE_NEWNET))
			err = -errno;
	}
	if (self >= 0)
		close(self);
	return err;
}

void *fz_churn_main(void *arg)
{
	struct fz_churn c = { .w = arg, .netns_fd = -1 };
	struct fz_ctx *ctx = c.w->ctx;
	struct timespec pause = {
		.tv_nsec = ctx->churn_delay_us * 1000L,
	};
	unsigned int i, steps = 0;
	int err;

	c.rt = fz_rtnl_open();
	c.nl = sfnl_open();
	if (!c.rt || !c.nl || sfnl_resolve(c.nl, ctx->fam.name)) {
		fz_fail(c.w, NULL, "churn: cannot open its sockets");
		goto out;
	}
	if (ctx->netns) {
		err = fz_churn_other_netns(&c, ctx->netns);
		if (err) {
			fz_fail(c.w, NULL, "churn: netns %s: %s", ctx->netns,
				strerror(-err));
			goto out;
		}
	}
	for (i = 0; i < ctx->n_devs && c.n_devs < 16; i++) {
		uint32_t ifindex = if_nametoindex(ctx->devs[i]);

		if (ifindex)
			c.devs[c.n_devs++] = ifindex;
		else
			fz_fail(c.w, NULL, "churn: no device %s", ctx->devs[i]);
	}
	for (i = 0; i < 2 * ctx->devices && c.n < ctx->devices; i++)
		fz_churn_add_dev(&c);
	fz_churn_refresh(&c);

	while (!atomic_load(&ctx->stop)) {
		if (ctx->churn)
			fz_churn_step(&c);
		if (++steps % 16 == 0 || !ctx->churn)
			fz_churn_refresh(&c);
		nanosleep(&pause, NULL);
	}
	/* leave the netns as it was: our dummies go, ports on them too */
	while (c.n) {
		fz_rtnl_del(c.rt, c.dummy[c.n - 1]);
		c.n--;
	}
out:
	if (c.netns_fd >= 0)
		close(c.netns_fd);
	sfnl_close(c.nl_other);
	sfnl_close(c.nl);
	fz_rtnl_close(c.rt);
	return NULL;
}
