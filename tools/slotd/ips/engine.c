// SPDX-License-Identifier: GPL-2.0
/*
 * engine.c - the IPS's packet path and its rule set's life (engine.h)
 *
 * A reload builds a new database beside the old one and swaps it in
 * only when it is built; flows keep their streams, and the first packet
 * of a flow after the swap rescans what the stream holds with the new
 * database (its hits and "alerted" marks belonged to the old one).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "../l4.h"
#include "../log.h"
#include "engine.h"
#include "eve.h"
#include "netset.h"

#define MATCHED_MAX	64

static uint64_t wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

static int load(struct ips *ips, const char *path, struct ips_db **out)
{
	struct ips_rules rs;
	char err[256] = "";
	unsigned int i;
	int ret;

	ips_rules_init(&rs);
	ret = ips_rules_load(&rs, path);
	for (i = 0; i < rs.n_errs; i++)
		sd_err("service %s: %s", ips->conf.name, rs.errs[i]);
	if (!ret) {
		sd_info("service %s: %s: %u rules loaded, %u rejected",
			ips->conf.name, path, rs.n, rs.rejected);
		ret = ips_db_build(out, &rs, err, sizeof(err));
		if (ret)
			sd_err("service %s: %s: %s; keeping the rules loaded before",
			       ips->conf.name, path, err);
	}
	ips_rules_free(&rs);
	ips->stats.loads++;
	if (ret)
		ips->stats.load_failed++;
	return ret;
}

static int use_db(struct ips *ips, struct ips_db *db)
{
	unsigned int n = db->rules.n + 1;
	uint32_t *stamp = calloc(n, sizeof(*stamp));
	unsigned int *cand = calloc(n, sizeof(*cand));

	if (!stamp || !cand) {
		free(stamp);
		free(cand);
		return -ENOMEM;
	}
	free(ips->stamp);
	free(ips->cand);
	ips->stamp = stamp;
	ips->cand = cand;
	ips->mark = 0;
	ips_db_free(ips->db);
	ips->db = db;
	return 0;
}

static int open_eve(const char *path, FILE **out)
{
	FILE *fp = NULL;

	if (*path) {
		fp = fopen(path, "ae");
		if (!fp)
			return -errno;
		setvbuf(fp, NULL, _IOLBF, 0);
	}
	*out = fp;
	return 0;
}

int ips_reconf(struct ips *ips, const struct ips_conf *c)
{
	struct ips_db *db = NULL;
	FILE *eve = NULL;
	int err;

	memcpy(ips->conf.name, c->name, sizeof(c->name));
	err = load(ips, c->rules, &db);
	if (err)
		return err;
	err = open_eve(c->eve, &eve);
	if (err) {
		sd_err("service %s: eve %s: %s", c->name, c->eve,
		       strerror(-err));
		ips_db_free(db);
		return err;
	}
	err = use_db(ips, db);
	if (err) {
		ips_db_free(db);
		if (eve)
			fclose(eve);
		return err;
	}
	if (ips->eve)
		fclose(ips->eve);
	ips->eve = eve;
	ips->conf = *c;
	ips->flows.memcap = c->memcap;
	ips->flows.depth = c->stream_depth;
	ips->flows.timeout_ms = c->flow_timeout_s * 1000ULL;
	return 0;
}

int ips_new(struct ips **out, const struct ips_conf *c)
{
	struct ips *ips = calloc(1, sizeof(*ips));
	int err;

	if (!ips)
		return -ENOMEM;
	ips->clock_us = wall_us;
	err = ips_flows_init(&ips->flows, c->memcap, c->stream_depth,
			     c->flow_timeout_s * 1000ULL);
	if (!err)
		err = ips_thresh_init(&ips->thr);
	if (!err)
		err = ips_reconf(ips, c);
	if (err) {
		ips_free(ips);
		return err;
	}
	*out = ips;
	return 0;
}

void ips_free(struct ips *ips)
{
	if (!ips)
		return;
	ips_flows_fini(&ips->flows);
	ips_thresh_fini(&ips->thr);
	ips_db_free(ips->db);
	if (ips->eve)
		fclose(ips->eve);
	free(ips->stamp);
	free(ips->cand);
	free(ips);
}

void ips_expire(struct ips *ips)
{
	ips_flows_expire(&ips->flows, ips->clock_us() / 1000);
}

static void on_cand(void *arg, unsigned int rule)
{
	struct ips *ips = arg;

	if (ips->stamp[rule] != ips->mark) {
		ips->stamp[rule] = ips->mark;
		ips->cand[ips->n_cand++] = rule;
	}
}

/* The flow's hits and marks belong to another db: start them again. */
static void flow_sync(struct ips *ips, struct ips_flow *f)
{
	int i;

	if (f->db == ips->db)
		return;
	for (i = 0; i < 2; i++) {
		struct ips_dir *d = &f->d[i];
		int64_t freed = d->hits.cap * sizeof(struct ips_hit) +
				d->n_fired;

		ips_hits_free(&d->hits);
		free(d->fired);
		d->fired = NULL;
		d->n_fired = 0;
		d->scanned = 0;
		ips_flow_mem(&ips->flows, f, -freed);
	}
	f->db = ips->db;
}

struct judge {
	struct ips *ips;
	const struct sd_l4 *p;
	const struct sd_packet *sp;
	struct ips_flow *f;
	int di;
	const uint8_t *buf;
	uint32_t len;
	const struct ips_hits *hits;
	bool stream;			/* buf is a reassembled stream */
	bool fresh;			/* this packet brought new bytes */
	const struct ips_rule *matched[MATCHED_MAX];
	unsigned int n_matched;
};

static bool proto_ok(const struct ips_rule *r, const struct sd_l4 *p)
{
	switch (r->proto) {
	case IPS_P_TCP:
		return p->proto == IPPROTO_TCP;
	case IPS_P_UDP:
		return p->proto == IPPROTO_UDP;
	case IPS_P_ICMP:
		return p->proto == IPPROTO_ICMP || p->proto == IPPROTO_ICMPV6;
	default:
		return true;
	}
}

static bool ends_ok(const struct ips_rule *r, const struct sd_l4 *p,
		    bool swap)
{
	const uint8_t *s = swap ? p->dst : p->src, *d = swap ? p->src : p->dst;
	uint16_t sp = swap ? p->dport : p->sport;
	uint16_t dp = swap ? p->sport : p->dport;
	bool ports = p->has_ports;	/* TCP or UDP */

	if (!ips_addrs_match(&r->src, p->family, s) ||
	    !ips_addrs_match(&r->dst, p->family, d))
		return false;
	if (!ports)
		return !r->sport.n && !r->dport.n;
	return ips_ports_match(&r->sport, sp) && ips_ports_match(&r->dport, dp);
}

static bool flow_ok(const struct ips_rule *r, const struct judge *j)
{
	const struct ips_flow *f = j->f;

	if ((r->flow & IPS_FLOW_TO_SERVER) && (!f || j->di != 0))
		return false;
	if ((r->flow & IPS_FLOW_TO_CLIENT) && (!f || j->di != 1))
		return false;
	if (r->flow & IPS_FLOW_ESTABLISHED) {
		if (!f)
			return false;
		if (j->p->proto == IPPROTO_TCP ? !f->synack &&
		    !(f->seen[0] && f->seen[1]) : !(f->seen[0] && f->seen[1]))
			return false;
	}
	return true;
}

static const uint8_t *tracked(const struct ips_thresh *t,
			      const struct sd_l4 *p)
{
	return t->by_dst ? p->dst : p->src;
}

static void judge_rule(struct judge *j, unsigned int idx)
{
	struct ips *ips = j->ips;
	const struct ips_rule *r = &ips->db->rules.v[idx];
	bool payload = r->n_contents || r->n_pcres;
	struct ips_dir *d = j->f ? &j->f->d[j->di] : NULL;
	uint64_t now_ms;

	if (j->stream && payload && d->fired && d->fired[idx])
		return;
	if (!proto_ok(r, j->p) || !flow_ok(r, j) ||
	    (!ends_ok(r, j->p, false) && !(r->bidir && ends_ok(r, j->p, true))))
		return;
	if (payload && !ips_db_verify(ips->db, r, j->hits,
				      j->buf ? j->buf : (const uint8_t *)"",
				      j->len))
		return;
	now_ms = ips->clock_us() / 1000;
	if (!ips_thresh_pass(&ips->thr, &r->filter, r->sid, j->p->family,
			     tracked(&r->filter, j->p), now_ms))
		return;
	if (j->stream && payload) {
		if (!d->fired) {
			if (!ips_flow_mem(&ips->flows, j->f, ips->db->rules.n))
				return;
			d->fired = calloc(ips->db->rules.n, 1);
			if (!d->fired) {
				ips_flow_mem(&ips->flows, j->f,
					     -(int64_t)ips->db->rules.n);
				return;
			}
			d->n_fired = ips->db->rules.n;
		}
		d->fired[idx] = 1;
	}
	if (j->n_matched < MATCHED_MAX)
		j->matched[j->n_matched++] = r;
}

/* One alert: its EVE line to the file and, without the newline, out. */
static void report(struct ips *ips, const struct judge *j,
		   const struct ips_rule *r, bool blocked, uint64_t now_us)
{
	char *line = NULL;
	size_t len = 0;
	FILE *mem;

	ips->stats.alerts++;
	if (blocked) {
		ips->block_sid = r->sid;
		snprintf(ips->block_msg, sizeof(ips->block_msg), "%s",
			 r->msg ? r->msg : "");
	}
	mem = open_memstream(&line, &len);
	if (!mem) {
		ips->stats.unsent++;
		return;
	}
	ips_eve_alert(mem, r, j->p, j->sp, blocked, now_us);
	fclose(mem);
	if (len && ips->eve)
		fwrite(line, 1, len, ips->eve);
	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	if (ips->alert && (!len || ips->alert(ips->alert_arg, line)))
		ips->stats.unsent++;
	free(line);
}

static int decide(struct judge *j)
{
	struct ips *ips = j->ips;
	uint64_t now_us = ips->clock_us();
	bool drop = false, reject = false;
	unsigned int i;

	for (i = 0; i < j->n_matched; i++) {
		if (j->matched[i]->action == IPS_A_PASS) {
			ips->stats.passed++;
			if (!j->sp->flow_id)
				return SD_V_CONTINUE;
			if (j->f)
				j->f->verdict = SD_V_CONTINUE_FLOW;
			return SD_V_CONTINUE_FLOW;
		}
	}
	for (i = 0; i < j->n_matched; i++) {
		const struct ips_rule *r = j->matched[i];
		bool blocked = ips->conf.prevent &&
			       (r->action == IPS_A_DROP ||
				r->action == IPS_A_REJECT);

		drop |= blocked && r->action == IPS_A_DROP;
		reject |= blocked && r->action == IPS_A_REJECT;
		if (!ips_thresh_pass(&ips->thr, &r->threshold, r->sid,
				     j->p->family, tracked(&r->threshold, j->p),
				     now_us / 1000)) {
			ips->stats.suppressed++;
			continue;
		}
		report(ips, j, r, blocked, now_us);
	}
	if (drop || reject) {
		ips->stats.blocked++;
		if (!j->sp->flow_id)
			return drop ? SD_V_DROP : SD_V_REJECT;
		/* The kernel answers the sender once; the rest just drops. */
		if (j->f)
			j->f->verdict = SD_V_DROP_FLOW;
		return drop ? SD_V_DROP_FLOW : SD_V_REJECT_FLOW;
	}
	if (j->f && j->p->proto == IPPROTO_TCP &&
	    j->f->d[0].next + j->f->d[1].next >= ips->conf.inspect_depth) {
		ips->stats.continue_flow++;
		j->f->verdict = SD_V_CONTINUE_FLOW;
		return SD_V_CONTINUE_FLOW;
	}
	return SD_V_CONTINUE;
}

/* Scan what is new: the stream's new bytes, or the packet alone. */
static void scan(struct judge *j, struct ips_hits *alone)
{
	struct ips *ips = j->ips;
	struct ips_flow *f = j->f;
	bool tcp = j->p->proto == IPPROTO_TCP && j->p->has_ports;

	if (f && tcp && !ips_stream_add(&ips->flows, f, j->di, j->p)) {
		struct ips_dir *d = &f->d[j->di];
		uint32_t cap = d->hits.cap;

		j->stream = true;
		j->buf = d->buf;
		j->len = d->len;
		j->hits = &d->hits;
		j->fresh = d->len > d->scanned;
		if (j->fresh) {
			ips_db_scan(ips->db, d->buf, d->len, d->scanned,
				    &d->hits, NULL, on_cand, ips);
			d->scanned = d->len;
		}
		ips->flows.mem += (d->hits.cap - cap) * sizeof(struct ips_hit);
		f->mem += (d->hits.cap - cap) * sizeof(struct ips_hit);
		return;
	}
	if (f && tcp)
		ips->stats.alone++;
	j->buf = j->p->payload;
	j->len = j->p->payload_len;
	j->hits = alone;
	j->fresh = j->len > 0;
	ips_db_scan(ips->db, j->buf, j->len, 0, alone, NULL, on_cand, ips);
}

static bool tcp_closed(const struct ips_flow *f, const struct sd_l4 *p)
{
	return (p->tcp_flags & SD_L4_RST) || (f->d[0].fin && f->d[1].fin);
}

int ips_packet(struct ips *ips, const struct sd_packet *sp)
{
	struct ips_hits alone = { 0 };
	struct sd_l4 p;
	struct judge j = { .ips = ips, .p = &p, .sp = sp };
	unsigned int i;
	int v;

	ips->stats.packets++;
	if (sd_l4_parse(sp->data, sp->len, &p)) {
		ips->stats.unparsed++;
		return SD_V_CONTINUE;
	}
	if (sp->flow_id) {
		j.f = ips_flow_get(&ips->flows, sp->ifindex, sp->flow_id,
				   sp->dir, &p, ips->clock_us() / 1000);
	}
	if (j.f) {
		if (j.f->verdict)
			return j.f->verdict;
		j.di = sp->dir == j.f->client_dir ? 0 : 1;
		j.f->seen[j.di] = true;
		if (j.di == 1 && (p.tcp_flags & (SD_L4_SYN | SD_L4_ACK)) ==
		    (SD_L4_SYN | SD_L4_ACK))
			j.f->synack = true;
		flow_sync(ips, j.f);
	}
	if (++ips->mark == 0) {		/* wrapped: clear the marks */
		memset(ips->stamp, 0, ips->db->rules.n * sizeof(*ips->stamp));
		ips->mark = 1;
	}
	ips->n_cand = 0;
	scan(&j, &alone);
	for (i = 0; i < ips->n_cand; i++)
		judge_rule(&j, ips->cand[i]);
	for (i = 0; i < ips->db->n_plain; i++) {
		unsigned int idx = ips->db->plain[i];

		if (ips->db->rules.v[idx].n_pcres && !j.fresh)
			continue;
		judge_rule(&j, idx);
	}
	v = decide(&j);
	ips_hits_free(&alone);
	if (j.f && p.proto == IPPROTO_TCP && tcp_closed(j.f, &p) &&
	    !j.f->verdict)
		ips_flow_del(&ips->flows, j.f);
	return v;
}
