// SPDX-License-Identifier: GPL-2.0
/*
 * builtin.c - the kinds compiled into slotd, and the table naming them
 *
 *	noop	answers every packet at once: verdict=continue (default) or
 *		verdict=continue-flow
 *	drop	answers every packet at once: verdict=drop (default) or
 *		verdict=drop-flow
 *	hang	never answers (the kernel's deadline then applies the
 *		failure policy); health=up (default) or health=failing says
 *		what its probe reports. For tests.
 *
 *	webrep	web reputation of HTTP hosts and URLs, TLS SNI and DNS
 *		names (webrep.c)
 *
 * A new kind (issue 6: ips, webrep) is a file defining a struct sd_kind
 * and a line in sd_kinds[].
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"

struct fixed {
	int verdict;
	bool failing;
};

static int fixed_conf(const struct sd_svc_conf *sc, int dflt,
		      struct fixed *f)
{
	const char *v = sd_svc_conf_opt(sc, "verdict");
	const char *h = sd_svc_conf_opt(sc, "health");

	f->verdict = v ? sd_verdict_parse(v) : dflt;
	f->failing = h && !strcmp(h, "failing");
	return 0;
}

static int verdict_check(const char *key, const char *val, int a, int b,
			 char *err, size_t len)
{
	int v;

	if (strcmp(key, "verdict")) {
		snprintf(err, len, "unknown option '%s'", key);
		return -EINVAL;
	}
	v = sd_verdict_parse(val);
	if (v != a && v != b) {
		snprintf(err, len, "verdict '%s': want %s or %s", val,
			 sd_verdict_name(a), sd_verdict_name(b));
		return -EINVAL;
	}
	return 0;
}

static int noop_check(const char *key, const char *val, char *err,
		      size_t len)
{
	return verdict_check(key, val, SD_V_CONTINUE, SD_V_CONTINUE_FLOW, err,
			     len);
}

static int drop_check(const char *key, const char *val, char *err,
		      size_t len)
{
	return verdict_check(key, val, SD_V_DROP, SD_V_DROP_FLOW, err, len);
}

static int hang_check(const char *key, const char *val, char *err,
		      size_t len)
{
	if (strcmp(key, "health")) {
		snprintf(err, len, "unknown option '%s'", key);
		return -EINVAL;
	}
	if (strcmp(val, "up") && strcmp(val, "failing")) {
		snprintf(err, len, "health '%s': want up or failing", val);
		return -EINVAL;
	}
	return 0;
}

static int fixed_init(struct sd_service *svc, int dflt)
{
	struct fixed *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	fixed_conf(&svc->conf, dflt, f);
	svc->priv = f;
	return 0;
}

static int noop_init(struct sd_service *svc)
{
	return fixed_init(svc, SD_V_CONTINUE);
}

static int drop_init(struct sd_service *svc)
{
	return fixed_init(svc, SD_V_DROP);
}

static int hang_init(struct sd_service *svc)
{
	return fixed_init(svc, 0);
}

static int fixed_packet(struct sd_service *svc, const struct sd_packet *pkt)
{
	const struct fixed *f = svc->priv;

	(void)pkt;
	return f->verdict;
}

static int noop_reload(struct sd_service *svc, const struct sd_svc_conf *sc)
{
	return fixed_conf(sc, SD_V_CONTINUE, svc->priv);
}

static int drop_reload(struct sd_service *svc, const struct sd_svc_conf *sc)
{
	return fixed_conf(sc, SD_V_DROP, svc->priv);
}

static int hang_reload(struct sd_service *svc, const struct sd_svc_conf *sc)
{
	return fixed_conf(sc, 0, svc->priv);
}

static void hang_probe(struct sd_service *svc, uint64_t now)
{
	const struct fixed *f = svc->priv;

	(void)now;
	sd_service_health(svc, !f->failing,
			  f->failing ? "configured with health=failing" : NULL);
}

static void fixed_destroy(struct sd_service *svc)
{
	free(svc->priv);
}

static const struct sd_kind kind_noop = {
	.name = "noop",
	.check = noop_check,
	.init = noop_init,
	.packet = fixed_packet,
	.reload = noop_reload,
	.destroy = fixed_destroy,
};

static const struct sd_kind kind_drop = {
	.name = "drop",
	.check = drop_check,
	.init = drop_init,
	.packet = fixed_packet,
	.reload = drop_reload,
	.destroy = fixed_destroy,
};

static const struct sd_kind kind_hang = {
	.name = "hang",
	.check = hang_check,
	.init = hang_init,
	.packet = fixed_packet,
	.reload = hang_reload,
	.probe = hang_probe,
	.destroy = fixed_destroy,
};

static const struct sd_kind *const sd_kinds[] = {
	&kind_noop,
	&kind_drop,
	&kind_hang,
	&sd_kind_ips,
	&sd_kind_webrep,
};

const struct sd_kind *sd_kind_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(sd_kinds) / sizeof(sd_kinds[0]); i++) {
		if (!strcmp(sd_kinds[i]->name, name))
			return sd_kinds[i];
	}
	return NULL;
}
