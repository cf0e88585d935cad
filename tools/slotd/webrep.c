// SPDX-License-Identifier: GPL-2.0
/*
 * webrep.c - the built-in kind "webrep": web reputation by host and URL
 *
 *	service web builtin:webrep db=/etc/slotfilter/webrep.db \
 *		threshold=40 block-categories=malware,phishing \
 *		default-score=50 log=/var/log/slotfilter/webrep.json
 *
 * Options: db=PATH (required; webrep_db.c has its grammar), threshold=N
 * (block a score below N, 0-101, default 40), block-categories=A,B
 * (block these whatever the score; "unknown" is the category of hosts
 * the database does not list), default-score=N (of those hosts, 0-100,
 * default 50), blocked=reject|drop (how a blocked TCP flow ends: reset,
 * the default, or silence), log=PATH (JSON lines, webrep_log.c),
 * log-lookups=yes|no
 * (log allowed names too, default no), flows=N (TCP flows waiting for
 * their name at once, default 4096).
 *
 * What each packet gets:
 *
 *	TCP without payload (handshake, ACKs)		continue
 *	a first client payload that is an HTTP request	the verdict of its
 *	  or a TLS ClientHello whose name is in it	  Host and URL / SNI
 *	one that ends before the name does		continue; the bytes
 *							  wait (webrep_flow.c)
 *	  the next segments				continue until the
 *							  name is there
 *	  a segment after a gap				drop (resent later)
 *	a first payload that is neither			continue-flow
 *	UDP to port 53, a DNS query			the verdict of its
 *							  name, per packet
 *	other UDP, other protocols			continue-flow
 *	non-IP, cut headers, later fragments		continue
 *
 * A name is judged by the database (webrep_db.c) and the policy: blocked
 * if its score is below threshold or its category is in
 * block-categories. A blocked flow gets reject-flow (the kernel resets
 * the connection towards the client; drop-flow with blocked=drop), an
 * allowed one continue-flow, so the rest of the flow stays in the
 * kernel; a DNS query gets drop or continue. A blocked HTTP request gets
 * no 403 page yet.
 *
 * HTTP without a Host, TLS without SNI, a request or ClientHello that is
 * malformed, longer than WR_FLOW_BUF before its name, or cut short by
 * the capture length, and a flow with no flow id whose name does not fit
 * its first packet: these are judged by their destination address as
 * text ("192.0.2.1"), which the database may list like a host.
 *
 * Limits: only the first request of an HTTP connection is judged (keep-
 * alive requests after it pass with the flow); QUIC, DNS over TCP and
 * Encrypted ClientHello are not looked into (ECH's outer SNI is judged);
 * a malformed DNS query passes unjudged.
 *
 * Each block (and with log-lookups each allowed name) is one JSON line
 * (webrep_log.c) in the log and an alert to `slotctl monitor`
 * (sd_service_alert(); counted in unsent while the service is not bound).
 *
 * reload (SIGHUP) rereads the database and reopens the log; when the
 * database cannot be read the reload is refused and the old one stays.
 */
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "json.h"
#include "l4.h"
#include "log.h"
#include "loop.h"
#include "service.h"
#include "webrep.h"
#include "webrep_db.h"
#include "webrep_flow.h"
#include "webrep_log.h"

#define CATS_MAX		32
#define FLOWS_DEFAULT		4096
#define FLOWS_MAX		(1 << 20)

struct wr_policy {
	char db[PATH_MAX];
	char log[PATH_MAX];		/* "": none */
	uint32_t threshold;
	uint32_t default_score;
	uint32_t flows;
	bool log_lookups;
	bool drop;			/* blocked=drop: no reset */
	char cats[CATS_MAX][WR_CATEGORY_MAX];
	unsigned int n_cats;
};

struct webrep {
	struct wr_policy pol;
	struct wr_db *db;
	struct wr_flows *flows;
	FILE *log;
	struct wr_stats st;
};

static void real_now(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
}

void (*wr_realtime)(struct timespec *ts) = real_now;
uint64_t (*wr_monotonic_ms)(void) = sd_now_ms;

/* Split "a,b" into @pol's categories; an error message or NULL. */
static const char *parse_cats(const char *val, struct wr_policy *pol)
{
	const char *p = val, *c;
	size_t n;

	pol->n_cats = 0;
	for (;;) {
		c = strchr(p, ',');
		n = c ? (size_t)(c - p) : strlen(p);
		if (!wr_category_valid(p, n))
			return "block-categories: want words of A-Z a-z 0-9 _ - (at most 31 characters) separated by commas";
		if (pol->n_cats == CATS_MAX)
			return "block-categories: at most 32";
		memcpy(pol->cats[pol->n_cats], p, n);
		pol->cats[pol->n_cats++][n] = '\0';
		if (!c)
			return NULL;
		p = c + 1;
	}
}

/* Check one option into @pol; an error message (in @err) or NULL. */
static const char *set_opt(const char *key, const char *val,
			   struct wr_policy *pol, char *err, size_t len)
{
	uint32_t *num = NULL, max = 100, min = 0;

	if (!strcmp(key, "db") || !strcmp(key, "log")) {
		if (!*val || strlen(val) >= PATH_MAX) {
			snprintf(err, len, "option '%s' wants a file name of 1 to %d bytes",
				 key, PATH_MAX - 1);
			return err;
		}
		strcpy(!strcmp(key, "db") ? pol->db : pol->log, val);
		return NULL;
	}
	if (!strcmp(key, "block-categories"))
		return parse_cats(val, pol);
	if (!strcmp(key, "blocked")) {
		if (strcmp(val, "reject") && strcmp(val, "drop"))
			return "blocked: want reject or drop";
		pol->drop = !strcmp(val, "drop");
		return NULL;
	}
	if (!strcmp(key, "log-lookups")) {
		if (strcmp(val, "yes") && strcmp(val, "no"))
			return "log-lookups: want yes or no";
		pol->log_lookups = !strcmp(val, "yes");
		return NULL;
	}
	if (!strcmp(key, "threshold")) {
		num = &pol->threshold;
		max = 101;
	} else if (!strcmp(key, "default-score")) {
		num = &pol->default_score;
	} else if (!strcmp(key, "flows")) {
		num = &pol->flows;
		min = 1;
		max = FLOWS_MAX;
	} else {
		snprintf(err, len, "unknown option '%s'", key);
		return err;
	}
	if (!sd_parse_u32(val, min, max, num)) {
		snprintf(err, len, "option '%s' wants a number from %u to %u",
			 key, min, max);
		return err;
	}
	return NULL;
}

static int webrep_check(const char *key, const char *val, char *err,
			size_t len)
{
	struct wr_policy *pol = calloc(1, sizeof(*pol));
	const char *why;

	if (!pol)
		return -ENOMEM;
	why = set_opt(key, val, pol, err, len);
	if (why && why != err)
		snprintf(err, len, "%s", why);
	free(pol);
	return why ? -EINVAL : 0;
}

/* The policy of a configuration whose options check() accepted. */
static int policy_of(const struct sd_svc_conf *sc, struct wr_policy *pol)
{
	char err[128];
	size_t i;

	memset(pol, 0, sizeof(*pol));
	pol->threshold = 40;
	pol->default_score = 50;
	pol->flows = FLOWS_DEFAULT;
	for (i = 0; i < sc->n_opts; i++)
		set_opt(sc->opts[i].key, sc->opts[i].val, pol, err,
			sizeof(err));
	if (!pol->db[0]) {
		sd_err("service %s: webrep: option db=PATH is missing",
		       sc->name);
		return -EINVAL;
	}
	return 0;
}

static struct wr_db *load_db(const char *svc, const char *path)
{
	const struct wr_db_stats *st;
	struct wr_db *db;
	unsigned int i;
	int err = 0;

	db = wr_db_load(path, &err);
	if (!db) {
		sd_err("service %s: webrep: cannot read %s: %s", svc, path,
		       strerror(-err));
		errno = -err;
		return NULL;
	}
	st = wr_db_stats(db);
	for (i = 0; i < wr_db_n_errors(db); i++)
		sd_err("%s", wr_db_error(db, i));
	if (st->errors > wr_db_n_errors(db))
		sd_err("%s: %u more bad lines", path,
		       st->errors - wr_db_n_errors(db));
	sd_info("service %s: webrep: %s: %u hosts, %u wildcards, %u URL prefixes; %u bad lines",
		svc, path, st->hosts, st->wildcards, st->urls, st->errors);
	return db;
}

static FILE *open_log(const char *svc, const char *path)
{
	FILE *fp = fopen(path, "ae");

	if (!fp)
		sd_err("service %s: webrep: cannot open log %s: %s", svc, path,
		       strerror(errno));
	return fp;
}

/* Build the state of @sc into @w (empty); -errno and @w empty on errors. */
static int webrep_setup(struct webrep *w, const struct sd_svc_conf *sc)
{
	int err = policy_of(sc, &w->pol);

	if (err)
		return err;
	w->db = load_db(sc->name, w->pol.db);
	if (!w->db)
		return -errno;
	if (w->pol.log[0]) {
		w->log = open_log(sc->name, w->pol.log);
		if (!w->log) {
			err = -errno;
			goto fail;
		}
	}
	w->flows = wr_flows_new(w->pol.flows);
	if (w->flows)
		return 0;
	err = -ENOMEM;
fail:
	if (w->log)
		fclose(w->log);
	wr_db_free(w->db);
	memset(w, 0, sizeof(*w));
	return err;
}

static void webrep_teardown(struct webrep *w)
{
	wr_flows_free(w->flows);
	if (w->log)
		fclose(w->log);
	wr_db_free(w->db);
}

static int webrep_init(struct sd_service *svc)
{
	struct webrep *w = calloc(1, sizeof(*w));
	int err;

	if (!w)
		return -ENOMEM;
	err = webrep_setup(w, &svc->conf);
	if (err) {
		free(w);
		return err;
	}
	svc->priv = w;
	return 0;
}

/* A new database, log and policy; the flows waiting stay if they fit. */
static int webrep_reload(struct sd_service *svc, const struct sd_svc_conf *sc)
{
	struct webrep *w = svc->priv, *next = calloc(1, sizeof(*next));
	struct wr_flows *flows;
	int err;

	if (!next)
		return -ENOMEM;
	err = webrep_setup(next, sc);
	if (err) {
		free(next);
		return err;
	}
	next->st = w->st;
	if (next->pol.flows == w->pol.flows) {
		flows = next->flows;
		next->flows = w->flows;
		w->flows = flows;
	}
	webrep_teardown(w);
	*w = *next;
	free(next);
	return 0;
}

static void webrep_destroy(struct sd_service *svc)
{
	webrep_teardown(svc->priv);
	free(svc->priv);
}

static bool category_blocked(const struct wr_policy *pol, const char *cat)
{
	unsigned int i;

	for (i = 0; i < pol->n_cats; i++) {
		if (!strcmp(pol->cats[i], cat))
			return true;
	}
	return false;
}

/* The event as a JSON line to the log, and as an alert to the monitor. */
static void report(struct sd_service *svc, struct webrep *w,
		   const struct wr_event *ev)
{
	struct json_writer *jw;
	char *line = NULL;
	size_t len = 0;
	FILE *mem;

	mem = open_memstream(&line, &len);
	if (!mem)
		return;
	jw = jsonw_new(mem, false);
	if (jw)
		wr_log_event(jw, ev);
	jsonw_destroy(jw);
	fclose(mem);
	if (len && w->log) {
		fwrite(line, 1, len, w->log);
		fflush(w->log);
	}
	if (len) {
		line[len - 1] = '\0';		/* an alert has no newline */
		if (sd_service_alert(svc, line))
			w->st.unsent++;
	}
	free(line);
}

struct judgement {
	const char *proto;
	const char *host;
	const char *url;		/* HTTP's path, else NULL */
};

/* Judge a name: log it, and the verdict for a flow or (DNS) a packet. */
static int judge(struct sd_service *svc, const struct sd_packet *pkt,
		 const struct sd_l4 *l4, const struct judgement *j)
{
	struct webrep *w = svc->priv;
	struct wr_event ev = {
		.proto = j->proto, .host = j->host, .url = j->url,
		.l4 = l4, .pkt = pkt,
	};
	bool dns = !strcmp(j->proto, "dns");
	struct wr_match m;

	if (!wr_db_lookup(w->db, j->host, j->url, &m)) {
		m.score = w->pol.default_score;
		m.category = "unknown";
		m.entry = NULL;
	}
	ev.blocked = m.score < w->pol.threshold ||
		     category_blocked(&w->pol, m.category);
	ev.score = m.score;
	ev.category = m.category;
	ev.entry = m.entry;
	w->st.judged++;
	w->st.blocked += ev.blocked;
	if (ev.blocked || w->pol.log_lookups) {
		wr_realtime(&ev.ts);
		report(svc, w, &ev);
	}
	if (dns)
		return ev.blocked ? SD_V_DROP : SD_V_CONTINUE;
	if (!ev.blocked)
		return SD_V_CONTINUE_FLOW;
	return w->pol.drop ? SD_V_DROP_FLOW : SD_V_REJECT_FLOW;
}

/*
 * The first bytes a client sent, @final when no more will come for them.
 * Returns the verdict, or 0 when the name is not there yet.
 */
static int judge_stream(struct sd_service *svc, const struct sd_packet *pkt,
			const struct sd_l4 *l4, const uint8_t *p,
			uint32_t len, bool final)
{
	struct webrep *w = svc->priv;
	struct judgement j = { .proto = "http" };
	char host[WR_HOST_MAX], addr[64];
	struct wr_http h;
	enum wr_x x;

	x = wr_http_request(p, len, &h);
	if (x == WR_X_NONE) {
		j.proto = "tls";
		x = wr_tls_sni(p, len, host);
	}
	if (x == WR_X_NONE) {
		w->st.other++;
		return SD_V_CONTINUE_FLOW;
	}
	if (x == WR_X_MORE && !final)
		return 0;
	j.host = j.proto[0] == 'h' ? h.host : host;
	if (x == WR_X_FOUND && j.proto[0] == 'h')
		j.url = h.url;
	if (x != WR_X_FOUND || !j.host[0]) {
		sd_l4_addr(l4, true, addr, sizeof(addr));
		j.host = addr;
		w->st.unnamed++;
	}
	return judge(svc, pkt, l4, &j);
}

static int tcp_packet(struct sd_service *svc, const struct sd_packet *pkt,
		      const struct sd_l4 *l4)
{
	struct webrep *w = svc->priv;
	uint64_t now = wr_monotonic_ms();
	struct wr_flow *f = NULL;
	int v;

	if (pkt->flow_id)
		f = wr_flow_get(w->flows, pkt->ifindex, pkt->flow_id, now);
	if (f && l4->tcp_flags & SD_L4_RST) {
		wr_flow_del(w->flows, f);
		return SD_V_CONTINUE;
	}
	if (!l4->seg_len || (f && pkt->dir != f->dir))
		return SD_V_CONTINUE;
	if (!f) {
		v = judge_stream(svc, pkt, l4, l4->payload, l4->payload_len,
				 !pkt->flow_id || l4->truncated);
		if (v)
			return v;
		f = wr_flow_new(w->flows, pkt->ifindex, pkt->flow_id,
				pkt->dir, l4->seq, now);
		if (!f)		/* out of memory: judge what there is */
			return judge_stream(svc, pkt, l4, l4->payload,
					    l4->payload_len, true);
		wr_flow_add(f, l4->seq, l4->payload, l4->payload_len);
		return SD_V_CONTINUE;
	}
	switch (wr_flow_add(f, l4->seq, l4->payload, l4->payload_len)) {
	case WR_SEG_GAP:
		w->st.gaps++;
		return SD_V_DROP;
	case WR_SEG_OLD:
		return SD_V_CONTINUE;
	case WR_SEG_NEW:
		break;
	}
	v = judge_stream(svc, pkt, l4, f->buf, f->len,
			 f->full || l4->truncated);
	if (!v)
		return SD_V_CONTINUE;
	wr_flow_del(w->flows, f);
	return v;
}

static int udp_packet(struct sd_service *svc, const struct sd_packet *pkt,
		      const struct sd_l4 *l4)
{
	struct judgement j = { .proto = "dns" };
	char name[WR_HOST_MAX];

	if (l4->dport != 53)
		return l4->sport == 53 ? SD_V_CONTINUE : SD_V_CONTINUE_FLOW;
	if (wr_dns_query(l4->payload, l4->payload_len, name) != WR_X_FOUND)
		return SD_V_CONTINUE;
	j.host = name;
	return judge(svc, pkt, l4, &j);
}

static int webrep_packet(struct sd_service *svc, const struct sd_packet *pkt)
{
	struct sd_l4 l4;

	if (sd_l4_parse(pkt->data, pkt->len, &l4))
		return SD_V_CONTINUE;
	if (!l4.has_ports)	/* a later fragment, or not TCP/UDP */
		return l4.proto == IPPROTO_TCP || l4.proto == IPPROTO_UDP ?
		       SD_V_CONTINUE : SD_V_CONTINUE_FLOW;
	if (l4.proto == IPPROTO_TCP)
		return tcp_packet(svc, pkt, &l4);
	return udp_packet(svc, pkt, &l4);
}

void wr_service_stats(const struct sd_service *svc, struct wr_stats *st)
{
	const struct webrep *w = svc->priv;

	*st = w->st;
	st->waiting = wr_flows_count(w->flows);
}

const struct sd_kind sd_kind_webrep = {
	.name = "webrep",
	.check = webrep_check,
	.init = webrep_init,
	.packet = webrep_packet,
	.reload = webrep_reload,
	.destroy = webrep_destroy,
};
