/* SPDX-License-Identifier: GPL-2.0 */
/*
 * service.h - what a service is to slotd, built in or external
 *
 * A kind (struct sd_kind) is a set of callbacks; a service is one
 * configured instance of a kind, bound to one slotfilter service in the
 * kernel. Issue 6's IPS and web reputation are kinds: a file each, and a
 * line in sd_kinds[] (builtin.c).
 *
 * Lifetime: init() once, then packet(), probe() and reload() any number of
 * times from slotd's single thread, then destroy(). A kind that answers
 * later keeps the packet's id and calls sd_service_verdict() once for it,
 * from any callback of its own (an fd it added to the loop, a probe); it
 * must not answer after destroy(). Health works the same way:
 * sd_service_health() whenever the kind learns it, from probe() or later.
 * A kind that has something to report (an IPS alert, a blocked URL) sends
 * it with sd_service_alert() to `slotctl monitor`.
 */
#ifndef SD_SERVICE_H
#define SD_SERVICE_H

#include "conf.h"
#include "kernel.h"
#include "slotd.h"

struct sd_service;
struct slotd;

struct sd_kind {
	const char *name;
	/* Check one KEY=VALUE option at configuration time; NULL: none. */
	int (*check)(const char *key, const char *val, char *err,
		     size_t errlen);
	int (*init)(struct sd_service *svc);
	/* A verdict (SD_V_*) now, or 0: sd_service_verdict() will come. */
	int (*packet)(struct sd_service *svc, const struct sd_packet *pkt);
	/* Take @conf (same kind and target) in place; -errno keeps the old. */
	int (*reload)(struct sd_service *svc, const struct sd_svc_conf *conf);
	/* Called every probe interval; NULL: always healthy. */
	void (*probe)(struct sd_service *svc, uint64_t now_ms);
	/* Release everything; held packets are answered by the caller. */
	void (*destroy)(struct sd_service *svc);
};

struct sd_service_stats {
	uint64_t packets;		/* received from the kernel */
	uint64_t verdicts;		/* answered by the service */
	uint64_t failed;		/* answered by the failure policy */
	uint64_t closed;		/* connections closed on errors */
};

struct sd_service {
	struct sd_svc_conf conf;
	const struct sd_kind *kind;
	void *priv;			/* the kind's */
	struct slotd *sd;
	struct sd_kchan *kchan;		/* NULL: not bound (yet) */
	struct sd_io *kio;		/* watches the channel */
	struct sd_batch *batch;		/* the channel's verdicts */
	char bind_err[128];		/* last bind failure, logged once */
	bool up;			/* health as the kernel was told */
	bool health_known;
	char why[SD_WHY_MAX];		/* the reason it was given, or "" */
	uint8_t fail_verdict;		/* the kernel's policy: continue or drop */
	uint64_t next_probe_ms;
	struct sd_service_stats stats;
	struct sd_service *next;
};

const struct sd_kind *sd_kind_find(const char *name);
extern const struct sd_kind sd_kind_unix;
extern const struct sd_kind sd_kind_ips;
extern const struct sd_kind sd_kind_webrep;

void sd_service_verdict(struct sd_service *svc, uint64_t id, int verdict,
			const void *repl, uint32_t repl_len);
/* Answer @id by the service's failure policy. */
void sd_service_fail(struct sd_service *svc, uint64_t id);
void sd_service_health(struct sd_service *svc, bool up, const char *why);
/*
 * Send @json (an object on one line, SD_ALERT_MAX - 1 bytes at most) as
 * the service's alert; -ENOTCONN while the service is not bound, -EINVAL
 * for an empty or too long one.
 */
int sd_service_alert(struct sd_service *svc, const char *json);
/*
 * An attack came from the port that sent @pkt (an ingress packet; others
 * are refused with -EINVAL): tag that port "quarantine" for @ttl_s
 * seconds (0: until `slotctl port untag`), logged and sent to `slotctl
 * monitor` with @why. Again before the end: the later end wins.
 * quarantine.h has the details.
 */
int sd_service_quarantine(struct sd_service *svc, const struct sd_packet *pkt,
			  uint32_t ttl_s, const char *why);

struct sd_loop *sd_service_loop(struct sd_service *svc);

#endif /* SD_SERVICE_H */
