// SPDX-License-Identifier: GPL-2.0
/*
 * webrep_db.c - parse and search the web reputation database
 *
 * The file: one entry per line, NAME SCORE CATEGORY, separated by
 * blanks; "#" at the start of a word comments out the rest of the line.
 *
 *	example.com		10 malware	the host example.com
 *	*.ads.example		30 ads		every name under ads.example
 *	example.org/downloads/	 5 malware	URLs whose path starts so
 *
 * NAME is a host (labels of a-z 0-9 - _, 1-63 bytes each, 253 in all,
 * any case; or an IPv4 or IPv6 address as text), "*." and a host, or a
 * host and a path starting with "/" (written as it is sent, without %XX
 * escapes of unreserved characters). SCORE is 0-100, CATEGORY a word of
 * A-Z a-z 0-9 _ - of at most 31 characters. A name may be listed once.
 * A bad line is reported as FILE:LINE: reason and skipped; the others
 * load.
 *
 * Lookup of host H (and, for HTTP, path P), the first that matches:
 *
 *	1. the URL entry of host H whose path is the longest prefix of P;
 *	2. the host entry H;
 *	3. the wildcard of H's longest proper suffix: for a.b.example,
 *	   *.b.example, then *.example. "*.example" does not match
 *	   "example" itself: list both to cover both.
 *
 * Worked example, with the three lines above:
 *	x.ads.example			*.ads.example (30 ads)
 *	ads.example			nothing: the default score
 *	example.org, path /downloads/a	example.org/downloads/ (5 malware)
 *	example.org, path /		nothing
 *
 * Entries live in one chained hash table keyed by (type, host): a
 * lookup costs one probe per label of H, plus one for its URL entries.
 */
#define _GNU_SOURCE		/* asprintf() */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract.h"
#include "webrep_db.h"

#define DB_SIZE_MAX	(64 << 20)
#define NAME_MAX_LEN	253

enum ent_type {
	ENT_HOST,
	ENT_WILD,			/* the key is what follows "*." */
	ENT_URL,
};

struct ent {
	struct ent *next;
	uint8_t type;
	uint8_t score;
	unsigned int line;
	size_t path_len;
	char *path;			/* ENT_URL */
	char *entry;			/* as written, lowercased */
	char category[WR_CATEGORY_MAX];
	char key[];
};

struct wr_db {
	struct ent **buckets;
	size_t n_buckets;		/* a power of two */
	size_t n;
	struct wr_db_stats stats;
	char *errs[WR_DB_ERRORS_KEPT];
	unsigned int n_errs;
};

/* A word of a line: not NUL-terminated. */
struct word {
	const char *s;
	size_t n;
};

static uint32_t hash(uint8_t type, const char *s, size_t n)
{
	uint32_t h = 2166136261u ^ type;

	while (n--) {
		h ^= (uint8_t)*s++;
		h *= 16777619u;
	}
	return h;
}

struct wr_db *wr_db_new(void)
{
	struct wr_db *db = calloc(1, sizeof(*db));

	if (!db)
		return NULL;
	db->n_buckets = 64;
	db->buckets = calloc(db->n_buckets, sizeof(*db->buckets));
	if (!db->buckets) {
		free(db);
		return NULL;
	}
	return db;
}

void wr_db_free(struct wr_db *db)
{
	struct ent *e, *next;
	size_t i;

	if (!db)
		return;
	for (i = 0; i < db->n_buckets; i++) {
		for (e = db->buckets[i]; e; e = next) {
			next = e->next;
			free(e->path);
			free(e->entry);
			free(e);
		}
	}
	for (i = 0; i < db->n_errs; i++)
		free(db->errs[i]);
	free(db->buckets);
	free(db);
}

const struct wr_db_stats *wr_db_stats(const struct wr_db *db)
{
	return &db->stats;
}

unsigned int wr_db_n_errors(const struct wr_db *db)
{
	return db->n_errs;
}

const char *wr_db_error(const struct wr_db *db, unsigned int i)
{
	return i < db->n_errs ? db->errs[i] : NULL;
}

__attribute__((format(printf, 4, 5)))
static void db_err(struct wr_db *db, const char *file, unsigned int line,
		   const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	db->stats.errors++;
	if (db->n_errs == WR_DB_ERRORS_KEPT)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (asprintf(&db->errs[db->n_errs], "%s:%u: %s", file, line, msg) >= 0)
		db->n_errs++;
}

static struct ent *find(const struct wr_db *db, uint8_t type, const char *key,
			size_t n, const char *path, size_t path_len)
{
	struct ent *e = db->buckets[hash(type, key, n) & (db->n_buckets - 1)];

	for (; e; e = e->next) {
		if (e->type == type && !strncmp(e->key, key, n) && !e->key[n] &&
		    e->path_len == path_len &&
		    (!path || !memcmp(e->path, path, path_len)))
			return e;
	}
	return NULL;
}

static void grow(struct wr_db *db)
{
	size_t n = db->n_buckets * 2, i;
	struct ent **b = calloc(n, sizeof(*b)), *e, *next;

	if (!b)
		return;			/* longer chains, still correct */
	for (i = 0; i < db->n_buckets; i++) {
		for (e = db->buckets[i]; e; e = next) {
			size_t h = hash(e->type, e->key, strlen(e->key)) & (n - 1);

			next = e->next;
			e->next = b[h];
			b[h] = e;
		}
	}
	free(db->buckets);
	db->buckets = b;
	db->n_buckets = n;
}

static int valid_host(const char *s, size_t n)
{
	size_t i, label = 0;

	if (!n || n > NAME_MAX_LEN)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (!label)
				return 0;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_') || ++label > 63)
			return 0;
	}
	return label > 0;
}

static int valid_path(const char *s, size_t n)
{
	size_t i;

	if (!n || s[0] != '/' || n >= WR_URL_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return 0;
	}
	return 1;
}

/* Cut the next word off @p (@end); false at the end or at a comment. */
static bool next_word(const char **p, const char *end, struct word *w)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	if (s == end || *s == '#') {
		*p = end;
		return false;
	}
	w->s = s;
	while (s < end && *s != ' ' && *s != '\t' && *s != '\r')
		s++;
	w->n = s - w->s;
	*p = s;
	return true;
}

/* Turn the NAME word into its type, key and path; 0 or an error. */
static const char *parse_name(const struct word *w, char *name,
			      uint8_t *type, size_t *key_off,
			      size_t *key_len, size_t *path_off)
{
	unsigned char a6[16];
	size_t i, n = w->n, slash;
	char v6[64];

	if (n > NAME_MAX_LEN + 2 + WR_URL_MAX)
		return "too long";
	memcpy(name, w->s, n);
	name[n] = '\0';
	if (memchr(w->s, '\0', n))
		return "holds a NUL byte";
	slash = strcspn(name, "/");
	for (i = 0; i < slash; i++)	/* hosts in any case; paths as they are */
		if (name[i] >= 'A' && name[i] <= 'Z')
			name[i] += 32;
	*type = slash < n ? ENT_URL : ENT_HOST;
	*key_off = 0;
	*key_len = slash;
	*path_off = slash;
	if (name[0] == '*') {
		if (*type == ENT_URL)
			return "a URL prefix takes an exact host, not a wildcard";
		if (n < 3 || name[1] != '.')
			return "a wildcard is '*.' and a domain";
		*type = ENT_WILD;
		*key_off = 2;
		*key_len = n - 2;
	}
	if (*type == ENT_URL && !valid_path(name + slash, n - slash))
		return "bad URL path: printable bytes without blanks, at most 1023";
	if (*key_len < sizeof(v6) && !valid_host(name + *key_off, *key_len)) {
		memcpy(v6, name + *key_off, *key_len);
		v6[*key_len] = '\0';
		if (*type == ENT_HOST && inet_pton(AF_INET6, v6, a6) == 1)
			return NULL;
	}
	if (!valid_host(name + *key_off, *key_len))
		return "bad host: labels of a-z 0-9 - _ (1-63 bytes, 253 in all)";
	return NULL;
}

static bool parse_score(const struct word *w, uint8_t *score)
{
	unsigned int v = 0;
	size_t i;

	if (!w->n || w->n > 3)
		return false;
	for (i = 0; i < w->n; i++) {
		if (w->s[i] < '0' || w->s[i] > '9')
			return false;
		v = v * 10 + (w->s[i] - '0');
	}
	if (v > 100)
		return false;
	*score = v;
	return true;
}

/* A category: a word of A-Z a-z 0-9 _ -, at most WR_CATEGORY_MAX - 1. */
bool wr_category_valid(const char *s, size_t n)
{
	size_t i;

	if (!n || n >= WR_CATEGORY_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

static void add_line(struct wr_db *db, const char *file, unsigned int line,
		     const char *s, const char *end)
{
	size_t key_off, key_len, path_off, n = 0;
	char name[NAME_MAX_LEN + 3 + WR_URL_MAX];
	struct word w[4];
	const char *why;
	struct ent *e;
	uint8_t type, score;

	while (n < 4 && next_word(&s, end, &w[n]))
		n++;
	if (!n)
		return;
	if (n != 3) {
		db_err(db, file, line, "want NAME SCORE CATEGORY");
		return;
	}
	why = parse_name(&w[0], name, &type, &key_off, &key_len, &path_off);
	if (why) {
		db_err(db, file, line, "'%.*s': %s", (int)(w[0].n > 80 ? 80 :
		       w[0].n), w[0].s, why);
		return;
	}
	if (!parse_score(&w[1], &score)) {
		db_err(db, file, line, "score '%.*s': want 0 to 100",
		       (int)(w[1].n > 20 ? 20 : w[1].n), w[1].s);
		return;
	}
	if (!wr_category_valid(w[2].s, w[2].n)) {
		db_err(db, file, line, "category '%.*s': want a word of A-Z a-z 0-9 _ - (at most %d characters)",
		       (int)(w[2].n > 40 ? 40 : w[2].n), w[2].s,
		       WR_CATEGORY_MAX - 1);
		return;
	}
	e = find(db, type, name + key_off, key_len,
		 type == ENT_URL ? name + path_off : NULL,
		 type == ENT_URL ? w[0].n - path_off : 0);
	if (e) {
		db_err(db, file, line, "'%s' is already listed at line %u",
		       name, e->line);
		return;
	}
	e = calloc(1, sizeof(*e) + key_len + 1);
	if (!e || !(e->entry = strdup(name)) ||
	    (type == ENT_URL && !(e->path = strdup(name + path_off)))) {
		if (e)
			free(e->entry);
		free(e);
		db_err(db, file, line, "out of memory");
		return;
	}
	memcpy(e->key, name + key_off, key_len);
	e->type = type;
	e->score = score;
	e->line = line;
	e->path_len = type == ENT_URL ? w[0].n - path_off : 0;
	memcpy(e->category, w[2].s, w[2].n);
	if (db->n >= db->n_buckets)
		grow(db);
	key_len = hash(type, e->key, key_len) & (db->n_buckets - 1);
	e->next = db->buckets[key_len];
	db->buckets[key_len] = e;
	db->n++;
	if (type == ENT_HOST)
		db->stats.hosts++;
	else if (type == ENT_WILD)
		db->stats.wildcards++;
	else
		db->stats.urls++;
}

unsigned int wr_db_parse(struct wr_db *db, const char *file,
			 const char *text, size_t len)
{
	unsigned int before = db->stats.errors, line = 0;
	const char *end = text + len, *nl;

	while (text < end) {
		nl = memchr(text, '\n', end - text);
		if (!nl)
			nl = end;
		add_line(db, file, ++line, text, nl);
		text = nl + 1;
	}
	return db->stats.errors - before;
}

struct wr_db *wr_db_load(const char *path, int *err)
{
	struct wr_db *db = NULL;
	size_t len = 0, cap = 0;
	char *buf = NULL, *nbuf;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = -errno;
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > DB_SIZE_MAX + 1)
				cap = DB_SIZE_MAX + 1;
			if (len == cap) {
				*err = -EFBIG;
				goto out;
			}
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				*err = -ENOMEM;
				goto out;
			}
			buf = nbuf;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0) {
			*err = -errno;
			goto out;
		}
		if (!r)
			break;
		len += r;
	}
	db = wr_db_new();
	if (!db)
		*err = -ENOMEM;
	else
		wr_db_parse(db, path, buf, len);
out:
	close(fd);
	free(buf);
	return db;
}

static void matched(const struct ent *e, struct wr_match *m)
{
	m->score = e->score;
	m->category = e->category;
	m->entry = e->entry;
}

bool wr_db_lookup(const struct wr_db *db, const char *host,
		  const char *path, struct wr_match *m)
{
	const struct ent *e, *best = NULL;
	size_t n = strlen(host);
	const char *s;

	if (path) {
		e = db->buckets[hash(ENT_URL, host, n) & (db->n_buckets - 1)];
		for (; e; e = e->next) {
			if (e->type == ENT_URL && !strcmp(e->key, host) &&
			    !strncmp(path, e->path, e->path_len) &&
			    (!best || e->path_len > best->path_len))
				best = e;
		}
		if (best) {
			matched(best, m);
			return true;
		}
	}
	e = find(db, ENT_HOST, host, n, NULL, 0);
	for (s = host; !e && (s = strchr(s, '.')); ) {
		s++;
		e = find(db, ENT_WILD, s, strlen(s), NULL, 0);
	}
	if (!e)
		return false;
	matched(e, m);
	return true;
}
