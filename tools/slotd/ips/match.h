/* SPDX-License-Identifier: GPL-2.0 */
/*
 * match.h - a loaded rule set: its Hyperscan database and the checks
 * each candidate rule gets after the scan
 *
 * ips_db_build() takes a parsed rule set and compiles one Hyperscan
 * block-mode database of every distinct content (bytes and nocase) of
 * every rule. A scan reports each occurrence of each content as a hit
 * (pattern, end offset); a rule is a candidate when one of its contents
 * hit, and ips_db_verify() then checks its contents' offsets against the
 * hits (no second search of the bytes) and runs its pcre. A database is
 * immutable once built; a reload builds another.
 */
#ifndef IPS_MATCH_H
#define IPS_MATCH_H

#include "rule.h"

struct ips_hit {
	uint32_t pat;
	uint32_t end;			/* offset just past the match */
};

/* Hits of one buffer (a packet, or one direction of a stream). */
struct ips_hits {
	struct ips_hit *v;
	uint32_t n, cap;
	uint64_t lost;			/* not kept: the list was full */
};

#define IPS_HITS_MAX	4096		/* per list */

struct ips_db {
	struct ips_rules rules;
	void *hs;			/* hs_database_t, NULL: no content */
	void *scratch;			/* hs_scratch_t */
	uint32_t n_pats;
	uint32_t maxlen;		/* of the longest content */
	unsigned int **pat_rules;	/* per pattern: rules using it */
	unsigned int *pat_nrules;
	unsigned int *plain;		/* rules without content */
	unsigned int n_plain;
	void *mdata;			/* pcre2_match_data */
	void *mctx;			/* pcre2_match_context */
	uint64_t pcre_limited;		/* pcre runs cut by the match limit */
};

/* Takes @rules (left empty) on success. */
int ips_db_build(struct ips_db **out, struct ips_rules *rules, char *err,
		 size_t len);
void ips_db_free(struct ips_db *db);

/*
 * Scan buf[from, len); hits ending after @seen are added to @hits and
 * each rule using a hit pattern is passed to @cand once per call
 * (@stamp: a per-rule array, @mark: a value new to it).
 */
typedef void (*ips_cand_fn)(void *arg, unsigned int rule);
int ips_db_scan(struct ips_db *db, const uint8_t *buf, uint32_t len,
		uint32_t seen, struct ips_hits *hits, uint64_t *mem,
		ips_cand_fn cand, void *arg);

bool ips_db_verify(struct ips_db *db, const struct ips_rule *r,
		   const struct ips_hits *hits, const uint8_t *buf,
		   uint32_t len);

void ips_hits_free(struct ips_hits *h);

#endif /* IPS_MATCH_H */
