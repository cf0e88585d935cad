// SPDX-License-Identifier: GPL-2.0
/*
 * match.c - Hyperscan prefilter and per-rule verification
 *
 * Contents are literals, compiled with hs_compile_lit_multi() (nocase:
 * HS_FLAG_CASELESS); Hyperscan reports every end offset of every
 * literal, in order. A content's start is its end minus its length, so
 * offset, depth, distance and within are checked on the hits alone:
 *
 *	absolute:  start >= offset, end <= offset + depth
 *	relative:  start >= prev_end + distance,
 *		   end <= prev_end + distance + within
 *
 * where prev_end is the end of the match chosen for the previous content
 * (0 for the first), as Suricata counts them. Choices are backtracked,
 * at most VERIFY_STEPS steps per rule and buffer.
 *
 * For a stream, the caller scans only the bytes that are new, starting
 * (longest content - 1) bytes earlier, so a content split between two
 * segments is found once both have arrived; hits that end in bytes
 * scanned before are not added twice.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <hs.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"

#define VERIFY_STEPS	10000
#define PCRE_MATCH_LIMIT 100000

static int pat_find(struct ips_db *db, const struct ips_content *c,
		    const struct ips_content **pats)
{
	uint32_t i;

	for (i = 0; i < db->n_pats; i++) {
		if (pats[i]->len == c->len && pats[i]->nocase == c->nocase &&
		    !memcmp(pats[i]->bytes, c->bytes, c->len))
			return i;
	}
	return -1;
}

static int add_rule_to_pat(struct ips_db *db, uint32_t pat, unsigned int r)
{
	unsigned int n = db->pat_nrules[pat], *v;

	if (n && db->pat_rules[pat][n - 1] == r)
		return 0;	/* the rule uses this pattern twice */
	v = realloc(db->pat_rules[pat], (n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	v[n] = r;
	db->pat_rules[pat] = v;
	db->pat_nrules[pat]++;
	return 0;
}

/* Number the distinct contents; which rules use each. */
static int patterns(struct ips_db *db, const struct ips_content ***out)
{
	const struct ips_content **pats = NULL;
	unsigned int i, j, total = 0;
	int id;

	for (i = 0; i < db->rules.n; i++)
		total += db->rules.v[i].n_contents;
	pats = calloc(total + 1, sizeof(*pats));
	db->pat_rules = calloc(total + 1, sizeof(*db->pat_rules));
	db->pat_nrules = calloc(total + 1, sizeof(*db->pat_nrules));
	db->plain = calloc(db->rules.n + 1, sizeof(*db->plain));
	if (!pats || !db->pat_rules || !db->pat_nrules || !db->plain)
		goto nomem;
	for (i = 0; i < db->rules.n; i++) {
		struct ips_rule *r = &db->rules.v[i];

		if (!r->n_contents)
			db->plain[db->n_plain++] = i;
		for (j = 0; j < r->n_contents; j++) {
			struct ips_content *c = &r->contents[j];

			id = pat_find(db, c, pats);
			if (id < 0) {
				id = db->n_pats++;
				pats[id] = c;
				if (c->len > db->maxlen)
					db->maxlen = c->len;
			}
			c->pat = id;
			if (add_rule_to_pat(db, id, i))
				goto nomem;
		}
	}
	*out = pats;
	return 0;
nomem:
	free(pats);
	return -ENOMEM;
}

static int compile(struct ips_db *db, const struct ips_content **pats,
		   char *err, size_t len)
{
	const char **exprs = calloc(db->n_pats, sizeof(*exprs));
	unsigned int *flags = calloc(db->n_pats, sizeof(*flags));
	unsigned int *ids = calloc(db->n_pats, sizeof(*ids));
	size_t *lens = calloc(db->n_pats, sizeof(*lens));
	hs_compile_error_t *cerr = NULL;
	hs_database_t *hsdb = NULL;
	hs_scratch_t *scratch = NULL;
	int ret = -ENOMEM;
	uint32_t i;

	if (!exprs || !flags || !ids || !lens)
		goto out;
	for (i = 0; i < db->n_pats; i++) {
		exprs[i] = (const char *)pats[i]->bytes;
		lens[i] = pats[i]->len;
		flags[i] = pats[i]->nocase ? HS_FLAG_CASELESS : 0;
		ids[i] = i;
	}
	ret = -EINVAL;
	if (hs_compile_lit_multi(exprs, flags, ids, lens, db->n_pats,
				 HS_MODE_BLOCK, NULL, &hsdb, &cerr) !=
	    HS_SUCCESS) {
		snprintf(err, len, "hyperscan: %s",
			 cerr ? cerr->message : "compile failed");
		hs_free_compile_error(cerr);
		goto out;
	}
	if (hs_alloc_scratch(hsdb, &scratch) != HS_SUCCESS) {
		snprintf(err, len, "hyperscan: cannot allocate scratch");
		hs_free_database(hsdb);
		goto out;
	}
	db->hs = hsdb;
	db->scratch = scratch;
	ret = 0;
out:
	free(exprs);
	free(flags);
	free(ids);
	free(lens);
	return ret;
}

int ips_db_build(struct ips_db **out, struct ips_rules *rules, char *err,
		 size_t len)
{
	const struct ips_content **pats = NULL;
	struct ips_db *db = calloc(1, sizeof(*db));
	int ret;

	if (!db)
		return -ENOMEM;
	db->rules = *rules;
	ret = patterns(db, &pats);
	if (!ret && db->n_pats)
		ret = compile(db, pats, err, len);
	free(pats);
	if (!ret) {
		db->mdata = pcre2_match_data_create(1, NULL);
		db->mctx = pcre2_match_context_create(NULL);
		if (!db->mdata || !db->mctx)
			ret = -ENOMEM;
		else
			pcre2_set_match_limit(db->mctx, PCRE_MATCH_LIMIT);
	}
	if (ret) {
		if (ret == -ENOMEM)
			snprintf(err, len, "out of memory");
		ips_rules_init(&db->rules);	/* the caller keeps them */
		ips_db_free(db);
		return ret;
	}
	ips_rules_init(rules);
	*out = db;
	return 0;
}

void ips_db_free(struct ips_db *db)
{
	uint32_t i;

	if (!db)
		return;
	for (i = 0; i < db->n_pats; i++)
		free(db->pat_rules[i]);
	free(db->pat_rules);
	free(db->pat_nrules);
	free(db->plain);
	if (db->scratch)
		hs_free_scratch(db->scratch);
	if (db->hs)
		hs_free_database(db->hs);
	pcre2_match_data_free(db->mdata);
	pcre2_match_context_free(db->mctx);
	ips_rules_free(&db->rules);
	free(db);
}

void ips_hits_free(struct ips_hits *h)
{
	free(h->v);
	memset(h, 0, sizeof(*h));
}

struct scan {
	struct ips_db *db;
	struct ips_hits *hits;
	uint64_t *mem;
	uint32_t base, seen;
	ips_cand_fn cand;
	void *arg;
	int err;
};

static int hit_add(struct scan *s, unsigned int pat, uint32_t end)
{
	struct ips_hits *h = s->hits;

	if (h->n == h->cap) {
		uint32_t cap = h->cap ? h->cap * 2 : 16;
		struct ips_hit *v;

		if (h->cap >= IPS_HITS_MAX) {
			h->lost++;
			return 0;
		}
		v = realloc(h->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		if (s->mem)
			*s->mem += (cap - h->cap) * sizeof(*v);
		h->v = v;
		h->cap = cap;
	}
	h->v[h->n++] = (struct ips_hit){ pat, end };
	return 0;
}

static int on_match(unsigned int id, unsigned long long from,
		    unsigned long long to, unsigned int flags, void *ctx)
{
	struct scan *s = ctx;
	uint32_t end = s->base + to, i;

	(void)from;
	(void)flags;
	if (end <= s->seen)
		return 0;
	s->err = hit_add(s, id, end);
	for (i = 0; i < s->db->pat_nrules[id]; i++)
		s->cand(s->arg, s->db->pat_rules[id][i]);
	return s->err ? 1 : 0;
}

int ips_db_scan(struct ips_db *db, const uint8_t *buf, uint32_t len,
		uint32_t seen, struct ips_hits *hits, uint64_t *mem,
		ips_cand_fn cand, void *arg)
{
	struct scan s = { db, hits, mem, 0, seen, cand, arg, 0 };

	if (!db->hs || seen >= len)
		return 0;
	s.base = seen >= db->maxlen ? seen - (db->maxlen - 1) : 0;
	hs_scan(db->hs, (const char *)buf + s.base, len - s.base, 0,
		db->scratch, on_match, &s);
	return s.err;
}

struct verify {
	const struct ips_rule *r;
	const struct ips_hits *hits;
	unsigned int steps;
};

static bool content_at(struct verify *v, unsigned int i, uint32_t prev_end)
{
	const struct ips_content *c;
	uint32_t k;

	if (i == v->r->n_contents)
		return true;
	c = &v->r->contents[i];
	for (k = 0; k < v->hits->n; k++) {
		const struct ips_hit *h = &v->hits->v[k];
		int64_t start = (int64_t)h->end - c->len;

		if (h->pat != c->pat)
			continue;
		if (++v->steps > VERIFY_STEPS)
			return false;
		if (c->relative) {
			int64_t lo = (int64_t)prev_end + c->distance;

			if (start < lo)
				continue;
			if (c->has_within && h->end > lo + c->within)
				continue;
		} else {
			if (start < c->offset)
				continue;
			if (c->has_depth && h->end > c->offset + c->depth)
				continue;
		}
		if (content_at(v, i + 1, h->end))
			return true;
	}
	return false;
}

bool ips_db_verify(struct ips_db *db, const struct ips_rule *r,
		   const struct ips_hits *hits, const uint8_t *buf,
		   uint32_t len)
{
	struct verify v = { r, hits, 0 };
	unsigned int i;

	if (!content_at(&v, 0, 0))
		return false;
	for (i = 0; i < r->n_pcres; i++) {
		int rc = pcre2_match(r->pcres[i].code, buf, len, 0, 0,
				     db->mdata, db->mctx);

		if (rc == PCRE2_ERROR_MATCHLIMIT ||
		    rc == PCRE2_ERROR_DEPTHLIMIT)
			db->pcre_limited++;
		if ((rc >= 0) == r->pcres[i].neg)
			return false;
	}
	return true;
}
