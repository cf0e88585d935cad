// SPDX-License-Identifier: GPL-2.0
/*
 * daemon.c - slotd's services: start, bind, feed, probe, reload, stop
 *
 * A service lives in one of these states:
 *
 *	unbound  no kernel channel yet (the kernel has no such service, or
 *	         slotd could not bind): retried every probe interval
 *	bound    the kernel sends its held packets to the channel; the
 *	         service's health, as slotd last told the kernel, is up or
 *	         failing
 *
 * Packets that arrive for a failing service (sent before the kernel
 * heard) are answered at once by the failure policy, which the kernel
 * reported at bind time. Verdicts gather in the channel's batch and leave
 * at the end of the round.
 *
 * Everything runs on one thread; kinds call back into this file
 * (sd_service_verdict(), sd_service_health(), sd_service_alert()) from
 * their own callbacks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "daemon.h"
#include "log.h"
#include "quarantine.h"

struct sd_loop *sd_service_loop(struct sd_service *svc)
{
	return svc->sd->loop;
}

void sd_service_verdict(struct sd_service *svc, uint64_t id, int verdict,
			const void *repl, uint32_t repl_len)
{
	struct sd_verdict v = {
		.id = id,
		.verdict = verdict,
		.repl = repl,
		.repl_len = repl ? repl_len : 0,
	};
	int err;

	if (!svc->batch)
		return;		/* unbound: the kernel released it already */
	err = sd_batch_add(svc->batch, &v);
	if (err)
		sd_warn("service %s: verdict for packet %llu: %s", svc->conf.name,
			(unsigned long long)id, strerror(-err));
}

void sd_service_fail(struct sd_service *svc, uint64_t id)
{
	svc->stats.failed++;
	sd_service_verdict(svc, id, svc->fail_verdict, NULL, 0);
}

void sd_service_health(struct sd_service *svc, bool up, const char *why)
{
	int err;

	if (svc->health_known && svc->up == up)
		return;
	svc->health_known = true;
	svc->up = up;
	snprintf(svc->why, sizeof(svc->why), "%s", why ? why : "");
	if (up)
		sd_info("service %s: up%s%s", svc->conf.name, why ? ": " : "",
			why ? why : "");
	else
		sd_warn("service %s: failing: %s", svc->conf.name,
			why ? why : "no reason given");
	if (!svc->kchan)
		return;
	err = svc->sd->kern->health(svc->kchan, up, why);
	if (err)
		sd_err("service %s: telling the kernel it is %s: %s",
		       svc->conf.name, up ? "up" : "failing", strerror(-err));
}

int sd_service_alert(struct sd_service *svc, const char *json)
{
	size_t len = strlen(json);

	if (!len || len >= SD_ALERT_MAX)
		return -EINVAL;
	if (!svc->kchan)
		return -ENOTCONN;
	return svc->sd->kern->alert(svc->kchan, json);
}

static void service_packet(void *arg, const struct sd_packet *pkt)
{
	struct sd_service *svc = arg;
	int v;

	svc->stats.packets++;
	if (!svc->kind || (svc->health_known && !svc->up)) {
		sd_service_fail(svc, pkt->id);
		return;
	}
	v = svc->kind->packet(svc, pkt);
	if (v > 0) {
		svc->stats.verdicts++;
		sd_service_verdict(svc, pkt->id, v, NULL, 0);
	}
}

static void service_unbind(struct sd_service *svc)
{
	if (!svc->kchan)
		return;
	sd_batch_flush(svc->batch);
	sd_io_del(svc->kio);
	svc->kio = NULL;
	svc->sd->kern->close(svc->kchan);
	svc->kchan = NULL;
	sd_batch_fini(svc->batch);
	free(svc->batch);
	svc->batch = NULL;
}

static void service_readable(void *arg, uint32_t events)
{
	struct sd_service *svc = arg;
	int err;

	(void)events;
	err = svc->sd->kern->recv(svc->kchan, service_packet, svc);
	if (err == -ENOBUFS) {
		sd_warn("service %s: the kernel dropped messages to slotd (socket full)",
			svc->conf.name);
	} else if (err < 0) {
		sd_err("service %s: kernel channel: %s; binding again",
		       svc->conf.name, strerror(-err));
		service_unbind(svc);
	}
}

static void service_bind(struct sd_service *svc)
{
	const struct sd_kernel *kern = svc->sd->kern;
	struct sd_kbind info = { .fail_verdict = SD_V_CONTINUE };
	struct sd_kchan *kc;
	char err[256] = "";
	int ret;

	ret = kern->bind(kern->ctx, svc->conf.name, svc->conf.gso, &kc, &info,
			 err, sizeof(err));
	if (ret) {
		if (strcmp(err, svc->bind_err))
			sd_err("service %s: cannot bind: %s%s", svc->conf.name,
			       err[0] ? err : strerror(-ret),
			       "; trying again every probe interval");
		snprintf(svc->bind_err, sizeof(svc->bind_err), "%s", err);
		return;
	}
	svc->bind_err[0] = '\0';
	svc->batch = calloc(1, sizeof(*svc->batch));
	if (!svc->batch ||
	    sd_batch_init(svc->batch, kern, kc, svc->sd->conf.batch)) {
		free(svc->batch);
		svc->batch = NULL;
		kern->close(kc);
		sd_err("service %s: out of memory", svc->conf.name);
		return;
	}
	svc->kio = sd_io_add(svc->sd->loop, kern->fd(kc), EPOLLIN,
			     service_readable, svc);
	if (!svc->kio) {
		sd_batch_fini(svc->batch);
		free(svc->batch);
		svc->batch = NULL;
		kern->close(kc);
		sd_err("service %s: cannot watch the kernel channel",
		       svc->conf.name);
		return;
	}
	svc->kchan = kc;
	svc->fail_verdict = info.fail_verdict;
	sd_info("service %s: bound (failure policy %s)", svc->conf.name,
		svc->fail_verdict == SD_V_DROP ? "closed" : "open");
	if (svc->health_known && !svc->up &&
	    (ret = kern->health(kc, false, svc->why[0] ? svc->why : NULL)))
		sd_err("service %s: telling the kernel it is failing: %s",
		       svc->conf.name, strerror(-ret));
}

static const struct sd_kind *kind_of(const struct sd_svc_conf *sc)
{
	return sc->target == SD_TARGET_UNIX ? &sd_kind_unix :
	       sd_kind_find(sc->kind);
}

static int service_start_kind(struct sd_service *svc)
{
	const struct sd_kind *kind = kind_of(&svc->conf);
	int err;

	svc->kind = kind;
	err = kind->init(svc);
	if (err) {
		sd_err("service %s: %s: cannot start: %s", svc->conf.name,
		       kind->name, strerror(-err));
		svc->kind = NULL;
		svc->priv = NULL;
		sd_service_health(svc, false, "could not start");
		return err;
	}
	if (!kind->probe)
		sd_service_health(svc, true, NULL);
	return 0;
}

static void service_stop_kind(struct sd_service *svc)
{
	if (svc->kind)
		svc->kind->destroy(svc);
	svc->kind = NULL;
	svc->priv = NULL;
}

static void service_new(struct slotd *sd, const struct sd_svc_conf *sc)
{
	struct sd_service *svc = calloc(1, sizeof(*svc));

	if (!svc) {
		sd_err("service %s: out of memory", sc->name);
		return;
	}
	svc->sd = sd;
	sd_svc_conf_copy(&svc->conf, sc);
	svc->fail_verdict = SD_V_CONTINUE;
	svc->next = sd->svcs;
	sd->svcs = svc;
	sd_info("service %s: starting (%s%s)", sc->name,
		sc->target == SD_TARGET_UNIX ? "unix:" : "builtin:",
		sc->target == SD_TARGET_UNIX ? sc->path : sc->kind);
	service_start_kind(svc);
	service_bind(svc);
}

static void service_free(struct slotd *sd, struct sd_service *svc)
{
	struct sd_service **p;

	for (p = &sd->svcs; *p; p = &(*p)->next) {
		if (*p == svc) {
			*p = svc->next;
			break;
		}
	}
	service_stop_kind(svc);
	service_unbind(svc);
	sd_svc_conf_free(&svc->conf);
	free(svc);
}

static void service_change(struct sd_service *svc,
			   const struct sd_svc_conf *sc)
{
	bool rebind = svc->conf.gso != sc->gso;
	int err;

	if (sd_svc_conf_same_target(&svc->conf, sc) && svc->kind) {
		err = svc->kind->reload ? svc->kind->reload(svc, sc) : 0;
		if (err) {
			sd_err("service %s: reload refused (%s); keeping its old configuration",
			       sc->name, strerror(-err));
			return;
		}
		sd_svc_conf_free(&svc->conf);
		sd_svc_conf_copy(&svc->conf, sc);
		return;
	}
	sd_info("service %s: target changed; restarting it", sc->name);
	service_stop_kind(svc);
	if (rebind)
		service_unbind(svc);
	sd_svc_conf_free(&svc->conf);
	sd_svc_conf_copy(&svc->conf, sc);
	svc->health_known = false;
	service_start_kind(svc);
	if (!svc->kchan)
		service_bind(svc);
}

struct sd_service *sd_daemon_find(struct slotd *sd, const char *name)
{
	struct sd_service *svc;

	for (svc = sd->svcs; svc; svc = svc->next) {
		if (!strcmp(svc->conf.name, name))
			return svc;
	}
	return NULL;
}

int sd_daemon_init(struct slotd *sd, const struct sd_kernel *kern)
{
	memset(sd, 0, sizeof(*sd));
	sd->kern = kern;
	sd->loop = sd_loop_new();
	sd_conf_init(&sd->conf);
	return sd->loop ? 0 : -ENOMEM;
}

/* Take @conf (checked by sd_conf_finish()); it is left empty. */
void sd_daemon_apply(struct slotd *sd, struct sd_conf *conf)
{
	struct sd_service *svc, *next;
	size_t i;

	sd_conf_free(&sd->conf);
	sd->conf = *conf;
	sd_conf_init(conf);
	for (svc = sd->svcs; svc; svc = next) {
		next = svc->next;
		if (!sd_conf_find(&sd->conf, svc->conf.name)) {
			sd_info("service %s: stopping", svc->conf.name);
			service_free(sd, svc);
		}
	}
	for (i = 0; i < sd->conf.n_svcs; i++) {
		const struct sd_svc_conf *sc = &sd->conf.svcs[i];

		svc = sd_daemon_find(sd, sc->name);
		if (svc)
			service_change(svc, sc);
		else
			service_new(sd, sc);
	}
}

static void daemon_tick(struct slotd *sd, uint64_t now)
{
	struct sd_service *svc;

	for (svc = sd->svcs; svc; svc = svc->next) {
		if (now < svc->next_probe_ms)
			continue;
		svc->next_probe_ms = now + svc->conf.probe_interval_ms;
		if (!svc->kind && !svc->health_known)
			sd_service_health(svc, false, "not running");
		if (svc->kind && svc->kind->probe)
			svc->kind->probe(svc, now);
		if (!svc->kchan)
			service_bind(svc);
	}
}

static int daemon_timeout(struct slotd *sd, uint64_t now, int max_wait_ms)
{
	int64_t t = max_wait_ms, q = sd_quarantine_tick(sd, now);
	struct sd_service *svc;

	if (q >= 0 && (t < 0 || q < t))
		t = q;
	for (svc = sd->svcs; svc; svc = svc->next) {
		int64_t left = svc->next_probe_ms > now ?
			       (int64_t)(svc->next_probe_ms - now) : 0;

		if (t < 0 || left < t)
			t = left;
	}
	return t;
}

int sd_daemon_step(struct slotd *sd, int max_wait_ms)
{
	struct sd_service *svc;
	int ret;

	ret = sd_loop_run(sd->loop, daemon_timeout(sd, sd_now_ms(),
						   max_wait_ms));
	daemon_tick(sd, sd_now_ms());
	for (svc = sd->svcs; svc; svc = svc->next) {
		if (svc->batch)
			sd_batch_flush(svc->batch);
	}
	return ret < 0 ? ret : 0;
}

/* One log line per service: its state and counters (SIGUSR1). */
void sd_daemon_report(struct slotd *sd)
{
	struct sd_service *svc;

	for (svc = sd->svcs; svc; svc = svc->next)
		sd_info("service %s: %s, %s; packets %llu, answered %llu, by failure policy %llu, connections closed %llu, kernel messages %llu",
			svc->conf.name, svc->kchan ? "bound" : "unbound",
			!svc->health_known ? "health unknown" :
			svc->up ? "up" : "failing",
			(unsigned long long)svc->stats.packets,
			(unsigned long long)svc->stats.verdicts,
			(unsigned long long)svc->stats.failed,
			(unsigned long long)svc->stats.closed,
			(unsigned long long)(svc->batch ?
					     svc->batch->stats.messages : 0));
}

void sd_daemon_fini(struct slotd *sd)
{
	while (sd->svcs)
		service_free(sd, sd->svcs);
	sd_quarantine_free(sd);
	sd_conf_free(&sd->conf);
	sd_loop_free(sd->loop);
	memset(sd, 0, sizeof(*sd));
}
