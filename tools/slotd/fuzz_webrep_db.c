// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_webrep_db.c - libFuzzer target for the reputation database parser
 * (webrep_db.c)
 *
 *	make -C tools fuzz-webrep-db [FUZZ_SECONDS=300]
 *
 * Each input is parsed as a database file. Every line is also parsed
 * alone: a line that loads alone as one host or wildcard entry must be
 * found again in the whole database (under that name, unless an earlier
 * line listed it first), and every bad line must be counted. Lookups of
 * the input's first bytes as a host and path must not fault.
 * Seeds: slotd/fuzz_corpus_webrep_db/.
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "webrep_db.h"

static void check_line(const struct wr_db *all, const char *data, size_t n)
{
	struct wr_db *one = wr_db_new();
	char host[300], *line = malloc(n + 1);
	const struct wr_db_stats *st;
	struct wr_match m;
	size_t i;

	if (!one || !line)
		abort();
	memcpy(line, data, n);
	line[n] = '\0';
	wr_db_parse(one, "line", line, n);
	st = wr_db_stats(one);
	if (st->errors + st->hosts + st->wildcards + st->urls > 1)
		abort();
	if (st->hosts + st->wildcards == 1) {
		/* Look up the name (or a name under the wildcard). */
		const char *s = line + strspn(line, " \t\r");
		size_t len = strcspn(s, " \t\r");

		if (len + 3 > sizeof(host))
			abort();
		i = 0;
		if (s[0] == '*') {
			memcpy(host, "x", 1);
			i = 1;
			s++;
			len--;
		}
		memcpy(host + i, s, len);
		host[i + len] = '\0';
		for (i = 0; host[i]; i++)
			if (host[i] >= 'A' && host[i] <= 'Z')
				host[i] += 32;
		if (!wr_db_lookup(all, host, NULL, &m) || m.score > 100 ||
		    !m.category[0])
			abort();
	}
	wr_db_free(one);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *end = text + size, *nl;
	struct wr_db *db = wr_db_new();
	unsigned int bad;
	char host[WR_HOST_MAX];
	struct wr_match m;
	size_t n;

	if (!db)
		abort();
	bad = wr_db_parse(db, "fuzz", text, size);
	if (bad != wr_db_stats(db)->errors)
		abort();
	while (text < end) {
		nl = memchr(text, '\n', end - text);
		n = (nl ? nl : end) - text;
		check_line(db, text, n);
		text += n + 1;
	}
	n = size < WR_HOST_MAX - 1 ? size : WR_HOST_MAX - 1;
	memcpy(host, data, n);
	host[n] = '\0';
	wr_db_lookup(db, host, host, &m);
	wr_db_free(db);
	return 0;
}
