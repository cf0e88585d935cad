// SPDX-License-Identifier: GPL-2.0
/*
 * ips.c - the built-in kind "ips": signature rules (rule.h) matched with
 * Hyperscan and PCRE2 on reassembled TCP streams and single packets
 * (engine.h), alerts as EVE JSON lines (eve.h)
 *
 *	service ips builtin:ips rules=/etc/slotfilter/ips.rules \
 *		mode=prevent eve=/var/log/slotfilter/eve.json
 *
 * Options:
 *	rules=PATH		the rules file (required)
 *	mode=detect|prevent	detect (default): alert, never drop;
 *				prevent: drop rules drop the flow (drop-flow),
 *				reject rules reject it (reject-flow: the
 *				kernel answers the sender)
 *	eve=PATH		append alerts here (reopened on reload)
 *	stream-depth=BYTES	TCP bytes kept per direction (1m)
 *	inspect-depth=BYTES	a TCP flow whose directions carried this
 *				many bytes together, with nothing found,
 *				gets continue-flow (64k)
 *	memcap=BYTES		all flow state together (64m)
 *	flow-timeout=SECONDS	idle flows are forgotten (60)
 *	quarantine=SECONDS	prevent mode: the port that sent a packet a
 *				drop or reject rule blocked is tagged
 *				"quarantine" for SECONDS (0: until
 *				`slotctl port untag`); none by default
 * BYTES take a k, m or g suffix (powers of 1024).
 *
 * Every alert also goes to `slotctl monitor`: its EVE line is the
 * service's alert (sd_service_alert()).
 *
 * A reload (SIGHUP) rereads the rules file: bad rules are reported with
 * their line and left out; if the file cannot be read or the database
 * cannot be built, the service keeps its old rules and options.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../log.h"
#include "../service.h"
#include "engine.h"

static int size_parse(const char *s, uint64_t min, uint64_t max,
		      uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end || errno || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static const struct {
	const char *key;
	uint64_t min, max;
} sizes[] = {
	{ "stream-depth", 1, 1ULL << 30 },
	{ "inspect-depth", 1, 1ULL << 40 },
	{ "memcap", 1 << 16, 1ULL << 40 },
	{ "flow-timeout", 1, 86400 },
	{ "quarantine", 0, 31536000 },
};

static int ips_check(const char *key, const char *val, char *err,
		     size_t len)
{
	uint64_t v;
	size_t i;

	if (!strcmp(key, "rules") || !strcmp(key, "eve")) {
		if (*val != '/') {
			snprintf(err, len, "%s '%s': want an absolute path",
				 key, val);
			return -EINVAL;
		}
		if (strlen(val) >= PATH_MAX) {
			snprintf(err, len, "%s: path too long", key);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "mode")) {
		if (strcmp(val, "detect") && strcmp(val, "prevent")) {
			snprintf(err, len, "mode '%s': want detect or prevent",
				 val);
			return -EINVAL;
		}
		return 0;
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (strcmp(key, sizes[i].key))
			continue;
		if (size_parse(val, sizes[i].min, sizes[i].max, &v)) {
			snprintf(err, len, "%s '%s': want %llu to %llu%s", key,
				 val, (unsigned long long)sizes[i].min,
				 (unsigned long long)sizes[i].max,
				 strcmp(key, "flow-timeout") &&
				 strcmp(key, "quarantine") ?
				 " bytes (k, m, g suffixes)" : " seconds");
			return -EINVAL;
		}
		return 0;
	}
	snprintf(err, len, "unknown option '%s'", key);
	return -EINVAL;
}

static uint64_t opt_size(const struct sd_svc_conf *sc, const char *key,
			 uint64_t dflt)
{
	const char *v = sd_svc_conf_opt(sc, key);
	uint64_t n;

	return v && !size_parse(v, 0, UINT64_MAX, &n) ? n : dflt;
}

static int conf_of(const struct sd_svc_conf *sc, struct ips_conf *c)
{
	const char *rules = sd_svc_conf_opt(sc, "rules");
	const char *eve = sd_svc_conf_opt(sc, "eve");
	const char *mode = sd_svc_conf_opt(sc, "mode");

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", sc->name);
	if (!rules) {
		sd_err("service %s: ips needs rules=PATH", sc->name);
		return -EINVAL;
	}
	snprintf(c->rules, sizeof(c->rules), "%s", rules);
	snprintf(c->eve, sizeof(c->eve), "%s", eve ? eve : "");
	c->prevent = mode && !strcmp(mode, "prevent");
	c->stream_depth = opt_size(sc, "stream-depth", 1 << 20);
	c->inspect_depth = opt_size(sc, "inspect-depth", 64 << 10);
	c->memcap = opt_size(sc, "memcap", 64 << 20);
	c->flow_timeout_s = opt_size(sc, "flow-timeout", 60);
	c->quarantine_s = sd_svc_conf_opt(sc, "quarantine") ?
			  (int64_t)opt_size(sc, "quarantine", 0) : -1;
	return 0;
}

static int ips_alert(void *arg, const char *json)
{
	return sd_service_alert(arg, json);
}

static int ips_init(struct sd_service *svc)
{
	struct ips_conf c;
	struct ips *ips;
	int err;

	err = conf_of(&svc->conf, &c);
	if (!err)
		err = ips_new(&ips, &c);
	if (err)
		return err;
	ips->alert = ips_alert;
	ips->alert_arg = svc;
	svc->priv = ips;
	return 0;
}

static int ips_kind_packet(struct sd_service *svc,
			   const struct sd_packet *pkt)
{
	struct ips *ips = svc->priv;
	int v = ips_packet(ips, pkt);
	char why[192];

	if (ips->conf.quarantine_s >= 0 && pkt->dir == SLOTSVC_DIR_INGRESS &&
	    (v == SD_V_DROP || v == SD_V_DROP_FLOW || v == SD_V_REJECT ||
	     v == SD_V_REJECT_FLOW) && ips->block_sid) {
		snprintf(why, sizeof(why), "sid %u: %s", ips->block_sid,
			 ips->block_msg);
		sd_service_quarantine(svc, pkt, ips->conf.quarantine_s, why);
	}
	ips->block_sid = 0;
	return v;
}

static int ips_reload(struct sd_service *svc, const struct sd_svc_conf *sc)
{
	struct ips_conf c;
	int err = conf_of(sc, &c);

	return err ? err : ips_reconf(svc->priv, &c);
}

static void ips_probe(struct sd_service *svc, uint64_t now_ms)
{
	(void)now_ms;
	ips_expire(svc->priv);
	sd_service_health(svc, true, NULL);
}

static void ips_destroy(struct sd_service *svc)
{
	ips_free(svc->priv);
}

const struct sd_kind sd_kind_ips = {
	.name = "ips",
	.check = ips_check,
	.init = ips_init,
	.packet = ips_kind_packet,
	.reload = ips_reload,
	.probe = ips_probe,
	.destroy = ips_destroy,
};
