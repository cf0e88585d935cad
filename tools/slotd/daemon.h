/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daemon.h - slotd's state: the services it runs and the loop it runs in
 *
 * sd_daemon_apply() takes a checked configuration and makes the running
 * services match it: new ones start, removed ones stop, changed ones are
 * reloaded in place (or restarted when their target changed); services
 * it does not touch keep their kernel binding and their held packets.
 * sd_daemon_step() runs one round: wait for events (at most until the
 * next probe is due), handle them, probe what is due, send the verdicts
 * gathered.
 */
#ifndef SD_DAEMON_H
#define SD_DAEMON_H

#include "conf.h"
#include "kernel.h"
#include "loop.h"
#include "service.h"

struct slotd {
	struct sd_loop *loop;
	const struct sd_kernel *kern;
	struct sd_conf conf;
	struct sd_service *svcs;
	struct sd_quarantine *quarantined;	/* quarantine.c */
};

int sd_daemon_init(struct slotd *sd, const struct sd_kernel *kern);
void sd_daemon_apply(struct slotd *sd, struct sd_conf *conf);
int sd_daemon_step(struct slotd *sd, int max_wait_ms);
void sd_daemon_report(struct slotd *sd);
void sd_daemon_fini(struct slotd *sd);
struct sd_service *sd_daemon_find(struct slotd *sd, const char *name);

#endif /* SD_DAEMON_H */
