// SPDX-License-Identifier: GPL-2.0
/*
 * quarantine.c - tagging the port that sent an attack (quarantine.h)
 */
#define _GNU_SOURCE		/* open_memstream() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "json.h"
#include "kernel.h"
#include "log.h"
#include "quarantine.h"

struct sd_quarantine {
	uint32_t ifindex;
	char ifname[SLOTSVC_IFNAME_MAX];
	char service[SLOTSVC_NAME_MAX];	/* who asked: its alerts carry it */
	uint64_t until_ms;		/* 0: until untagged by hand */
	struct sd_quarantine *next;
};

static struct sd_quarantine **q_find(struct slotd *sd, uint32_t ifindex)
{
	struct sd_quarantine **q;

	for (q = &sd->quarantined; *q; q = &(*q)->next)
		if ((*q)->ifindex == ifindex)
			break;
	return q;
}

/* Logs one step and sends it to `slotctl monitor` through @service. */
static void q_event(struct slotd *sd, const struct sd_quarantine *e,
		    const char *action, uint32_t ttl_s, const char *why)
{
	struct sd_service *svc = sd_daemon_find(sd, e->service);
	struct json_writer *jw;
	char *line = NULL;
	size_t len = 0;
	FILE *mem;

	sd_info("quarantine: port %s (ifindex %u) %s%s%s", e->ifname,
		e->ifindex, action, why && *why ? ": " : "", why ? why : "");
	if (!svc)
		return;
	mem = open_memstream(&line, &len);
	if (!mem)
		return;
	jw = jsonw_new(mem, false);
	if (jw) {
		jsonw_start_object(jw);
		jsonw_name(jw, "event_type");
		jsonw_string(jw, "quarantine");
		jsonw_name(jw, "action");
		jsonw_string(jw, action);
		jsonw_name(jw, "port");
		jsonw_string(jw, e->ifname);
		jsonw_name(jw, "ifindex");
		jsonw_u64(jw, e->ifindex);
		jsonw_name(jw, "ttl");
		jsonw_u64(jw, ttl_s);
		if (why && *why) {
			jsonw_name(jw, "reason");
			jsonw_string(jw, why);
		}
		jsonw_end_object(jw);
		jsonw_destroy(jw);
	}
	if (!fclose(mem) && len && line[len - 1] == '\n') {
		line[len - 1] = '\0';
		sd_service_alert(svc, line);
	}
	free(line);
}

int sd_service_quarantine(struct sd_service *svc, const struct sd_packet *pkt,
			  uint32_t ttl_s, const char *why)
{
	struct slotd *sd = svc->sd;
	uint64_t until = ttl_s ? sd_now_ms() + (uint64_t)ttl_s * 1000 : 0;
	struct sd_quarantine **q, *e;
	char err[256] = "";
	int ret;

	/* Only what the port's own workload sent makes it the attacker. */
	if (pkt->dir != SLOTSVC_DIR_INGRESS)
		return -EINVAL;
	q = q_find(sd, pkt->ifindex);
	if (*q) {
		e = *q;
		if (!e->until_ms || (until && until <= e->until_ms))
			return 0;
		e->until_ms = until;
		q_event(sd, e, "extended", ttl_s, why);
		return 0;
	}
	ret = sd->kern->port_tag(sd->kern->ctx, pkt->ifindex,
				 SD_QUARANTINE_TAG, true, err, sizeof(err));
	if (ret && ret != -EEXIST) {
		sd_err("quarantine: cannot tag port %s (ifindex %u): %s",
		       pkt->ifname, pkt->ifindex, err[0] ? err : strerror(-ret));
		return ret;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->ifindex = pkt->ifindex;
	snprintf(e->ifname, sizeof(e->ifname), "%s", pkt->ifname);
	snprintf(e->service, sizeof(e->service), "%s", svc->conf.name);
	e->until_ms = until;
	e->next = sd->quarantined;
	sd->quarantined = e;
	q_event(sd, e, "tagged", ttl_s, why);
	return 0;
}

int64_t sd_quarantine_tick(struct slotd *sd, uint64_t now)
{
	struct sd_quarantine **q = &sd->quarantined, *e;
	int64_t next = -1;
	char err[256];
	int ret;

	while ((e = *q)) {
		if (!e->until_ms) {
			q = &e->next;
			continue;
		}
		if (now < e->until_ms) {
			if (next < 0 || (int64_t)(e->until_ms - now) < next)
				next = e->until_ms - now;
			q = &e->next;
			continue;
		}
		err[0] = '\0';
		ret = sd->kern->port_tag(sd->kern->ctx, e->ifindex,
					 SD_QUARANTINE_TAG, false, err,
					 sizeof(err));
		if (!ret)
			q_event(sd, e, "released", 0, NULL);
		else
			q_event(sd, e, "gone", 0, err[0] ? err : strerror(-ret));
		*q = e->next;
		free(e);
	}
	return next;
}

void sd_quarantine_free(struct slotd *sd)
{
	struct sd_quarantine *e;

	while ((e = sd->quarantined)) {
		sd->quarantined = e->next;
		free(e);
	}
}
