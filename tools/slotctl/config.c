// SPDX-License-Identifier: GPL-2.0
/*
 * config.c - parse the file "slotctl apply" reads and "slotctl save" writes
 *
 * One statement per line; words are separated by blanks; "#" at the start
 * of a word comments out the rest of the line:
 *
 *	port IFNAME [tags TAG[,TAG...]]
 *	set NAME [PREFIX[,PREFIX...]]
 *	firewall default allow|drop
 *	firewall option tcp-strict on|off
 *	firewall option non-ip allow|drop
 *	firewall option existing-flows keep|reevaluate
 *	firewall timeout NAME SECONDS
 *	firewall flow-max N
 *	rule ID ACTION [RULEWORDS]
 *	service NAME slot N [failure-policy open|closed] [timeout MS]
 *		[queue-max N] [copy full|BYTES]
 *	redirect service NAME ID redirect|skip [RULEWORDS]
 *
 * A set's elements may also be separated by blanks, and a "set" line that
 * ends with "," continues on the next line that is not blank or a comment.
 * The words after "firewall" are settings.c's, after "rule" and
 * "redirect" rule.c's, after "service" svcwords.c's.
 *
 * The whole file is read before anything is judged that needs all of it:
 * duplicates (ports, sets, rule ids, settings, service names and slots,
 * redirect rule ids within a service), sets that rules name (defined in
 * the file, or existing in the kernel), ports that rules name (listed in
 * the file, or attached already), services that redirect rules name
 * (defined in the file, or existing in the kernel). Every error is kept with its
 * line and column (of the offending word, or of the element in a list),
 * and all are printed sorted: FILE:LINE:COL: message.
 *
 * Nothing here is quadratic: a file is scanned once, in place (words are
 * cut out of the buffer with NULs), duplicates and references are found
 * by sorting and binary search. A 1 MiB file of rules parses in
 * milliseconds.
 */
#define _GNU_SOURCE		/* vasprintf() */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

/* Flows the kernel tracks at most when a file does not say (uapi). */
#define FLOW_MAX_DEFAULT	65536

struct word {
	char *s;
	struct cfg_pos pos;
};

/* The statement being read: its words, maybe over several lines. */
struct stmt {
	struct word *w;
	char **argv;
	size_t n, cap;
	struct config *cfg;
	const struct config_env *env;
};

static void *xgrow(void *array, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return array;
	while (n < need)
		n *= 2;
	p = realloc(array, n * elem);
	if (!p) {
		fprintf(stderr, "slotctl: out of memory\n");
		exit(1);
	}
	*cap = n;
	return p;
}

#define GROW(array, n, cap)						\
	((array) = xgrow((array), &(cap), (n) + 1, sizeof(*(array))))

static void add_err(struct config *cfg, struct cfg_pos pos,
		    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_err(struct config *cfg, struct cfg_pos pos,
		    const char *fmt, ...)
{
	struct cfg_err *err;
	va_list ap;

	GROW(cfg->errs, cfg->n_errs, cfg->cap_errs);
	err = &cfg->errs[cfg->n_errs];
	err->pos = pos;
	err->seq = cfg->n_errs++;
	va_start(ap, fmt);
	if (vasprintf(&err->msg, fmt, ap) < 0)
		err->msg = NULL;
	va_end(ap);
}

/* Where word @i of @st is, @off bytes in; past the end: after the last. */
static struct cfg_pos at(const struct stmt *st, size_t i, unsigned int off)
{
	struct cfg_pos pos;

	if (i < st->n) {
		pos = st->w[i].pos;
		pos.col += off;
		return pos;
	}
	pos = st->w[st->n - 1].pos;
	pos.col += strlen(st->w[st->n - 1].s) + 1;
	return pos;
}

static void err_at(struct stmt *st, size_t i, const struct parse_err *e)
{
	add_err(st->cfg, at(st, i, e->off), "%s", e->msg);
}

/* ---- port ---- */

static bool has_tag(const struct cfg_port *port, const char *tag)
{
	unsigned int t;

	for (t = 0; t < port->n_tags; t++) {
		if (!strcmp(port->tags[t], tag))
			return true;
	}
	return false;
}

/* "tags a,b": each tag a valid name, at most SLOTFILTER_PORT_TAGS_MAX. */
static void parse_tags(struct stmt *st, size_t i, struct cfg_port *port)
{
	const char *list = st->argv[i], *p = list;
	struct parse_err e = { 0 };
	char tag[64];
	size_t len;

	for (;; p += len + 1) {
		len = strcspn(p, ",");
		snprintf(tag, sizeof(tag), "%.*s", (int)len, p);
		if (!len) {
			add_err(st->cfg, at(st, i, p - list),
				"empty tag name in list \"%s\"", list);
		} else if (word_name(tag, "tag", &e)) {
			add_err(st->cfg, at(st, i, p - list), "%s", e.msg);
		} else if (port->n_tags == SLOTFILTER_PORT_TAGS_MAX) {
			add_err(st->cfg, at(st, i, p - list),
				"more than %d tags on a port",
				SLOTFILTER_PORT_TAGS_MAX);
			return;
		} else if (has_tag(port, tag)) {
			add_err(st->cfg, at(st, i, p - list),
				"tag \"%s\" listed twice", tag);
		} else {
			strcpy(port->tags[port->n_tags++], tag);
		}
		if (!p[len])
			return;
	}
}

static void stmt_port(struct stmt *st)
{
	struct config *cfg = st->cfg;
	const struct config_env *env = st->env;
	struct cfg_port *port;
	const char *name;

	if (st->n < 2) {
		add_err(cfg, at(st, 1, 0), "missing device name after \"port\"");
		return;
	}
	name = st->argv[1];
	if (!ifname_valid(name)) {
		add_err(cfg, at(st, 1, 0), "invalid device name \"%s\"", name);
		return;
	}
	GROW(cfg->ports, cfg->n_ports, cfg->cap_ports);
	port = &cfg->ports[cfg->n_ports];
	memset(port, 0, sizeof(*port));
	strcpy(port->name, name);
	port->pos = at(st, 1, 0);
	if (env && env->ifindex) {
		port->ifindex = env->ifindex(name, env->ctx);
		if (!port->ifindex) {
			add_err(cfg, at(st, 1, 0), "cannot find device \"%s\"",
				name);
			return;
		}
	}
	if (st->n > 2 && strcmp(st->argv[2], "tags")) {
		add_err(cfg, at(st, 2, 0), "unexpected word \"%.64s\" (tags?)",
			st->argv[2]);
		return;
	}
	if (st->n == 3) {
		add_err(cfg, at(st, 3, 0), "missing argument after \"tags\"");
		return;
	}
	if (st->n > 4) {
		add_err(cfg, at(st, 4, 0), "unexpected word \"%.64s\"",
			st->argv[4]);
		return;
	}
	if (st->n == 4)
		parse_tags(st, 3, port);
	cfg->n_ports++;
}

/* ---- set ---- */

static void stmt_set(struct stmt *st)
{
	struct config *cfg = st->cfg;
	struct parse_err e = { 0 };
	struct sf_set *set;
	size_t i;

	if (st->n < 2) {
		add_err(cfg, at(st, 1, 0), "missing set name after \"set\"");
		return;
	}
	if (word_name(st->argv[1], "set", &e)) {
		err_at(st, 1, &e);
		return;
	}
	GROW(cfg->sets.sets, cfg->sets.n, cfg->sets.cap);
	GROW(cfg->set_pos, cfg->sets.n, cfg->cap_set_pos);
	cfg->set_pos[cfg->sets.n] = at(st, 1, 0);
	set = &cfg->sets.sets[cfg->sets.n++];
	memset(set, 0, sizeof(*set));
	strcpy(set->name, st->argv[1]);
	for (i = 2; i < st->n; i++) {
		if (word_prefixes(st->argv[i], set, &e))
			err_at(st, i, &e);
	}
	if (st->n > 2 && st->argv[st->n - 1][strlen(st->argv[st->n - 1]) - 1] == ',')
		add_err(cfg, at(st, st->n, 0), "missing element after \",\"");
	sf_set_sort(set);
	if (set->n > SLOTFILTER_SET_ELEMS_MAX)
		add_err(cfg, at(st, 1, 0), "%zu elements: a set holds at most %d",
			set->n, SLOTFILTER_SET_ELEMS_MAX);
}

/* ---- firewall ---- */

static void stmt_firewall(struct stmt *st)
{
	struct config *cfg = st->cfg;
	struct parse_err e;
	unsigned int *line;
	int k;

	if (st->n < 2) {
		add_err(cfg, at(st, 1, 0), "missing setting after \"firewall\"");
		return;
	}
	k = setting_parse(st->n - 1, st->argv + 1, &cfg->rs.fw, &e);
	if (k < 0) {
		err_at(st, e.word + 1, &e);
		return;
	}
	line = &cfg->setting_line[k];
	if (*line) {
		if (k >= SETTING_OPTION)
			add_err(cfg, at(st, 0, 0),
				"\"firewall %s %s\" given twice (first at line %u)",
				st->argv[1], st->argv[2], *line);
		else
			add_err(cfg, at(st, 0, 0),
				"\"firewall %s\" given twice (first at line %u)",
				st->argv[1], *line);
		return;
	}
	*line = st->w[0].pos.line;
}

/* ---- rule ---- */

static void add_ref(struct cfg_ref **refs, size_t *n, size_t *cap,
		    const char *name, unsigned int ifindex, struct cfg_pos pos)
{
	struct cfg_ref *ref;

	GROW(*refs, *n, *cap);
	ref = &(*refs)[(*n)++];
	snprintf(ref->name, sizeof(ref->name), "%s", name);
	ref->ifindex = ifindex;
	ref->pos = pos;
}

static unsigned int rule_ifindex(const char *name, int word, unsigned int off,
				 void *ctx)
{
	struct stmt *st = ctx;
	unsigned int ifindex = 1;

	if (st->env && st->env->ifindex) {
		ifindex = st->env->ifindex(name, st->env->ctx);
		if (!ifindex)
			return 0;
	}
	add_ref(&st->cfg->port_refs, &st->cfg->n_port_refs,
		&st->cfg->cap_port_refs, name, ifindex, at(st, word + 1, off));
	return ifindex;
}

static bool rule_set(const char *name, int word, unsigned int off, void *ctx)
{
	struct stmt *st = ctx;

	add_ref(&st->cfg->set_refs, &st->cfg->n_set_refs,
		&st->cfg->cap_set_refs, name, 0, at(st, word + 1, off));
	return true;
}

static bool rule_service(const char *name, int word, unsigned int off,
			 void *ctx)
{
	struct stmt *st = ctx;

	add_ref(&st->cfg->svc_refs, &st->cfg->n_svc_refs,
		&st->cfg->cap_svc_refs, name, 0, at(st, word + 1, off));
	return true;
}

static void stmt_rule(struct stmt *st)
{
	const struct rule_env env = { rule_ifindex, rule_set, st, NULL };
	struct config *cfg = st->cfg;
	struct sf_rule rule;
	struct parse_err e;

	if (rule_parse(&rule, st->n - 1, st->argv + 1, &env, &e)) {
		sf_rule_free(&rule);
		err_at(st, e.word + 1, &e);
		return;
	}
	GROW(cfg->rule_pos, cfg->rs.n, cfg->cap_rule_pos);
	cfg->rule_pos[cfg->rs.n] = at(st, 1, 0);
	if (sf_ruleset_insert(&cfg->rs, cfg->rs.n, &rule)) {
		fprintf(stderr, "slotctl: out of memory\n");
		exit(1);
	}
}

/* ---- service, redirect ---- */

static void stmt_service(struct stmt *st)
{
	struct config *cfg = st->cfg;
	struct sf_service svc = { .name = "" };
	struct parse_err e;
	size_t i;
	int given;

	sf_service_defaults(&svc);
	given = service_parse(st->n - 1, st->argv + 1, &svc, &e);
	if (given < 0) {
		err_at(st, e.word + 1, &e);
		return;
	}
	if (!(given & SF_SVC_SLOT)) {
		add_err(cfg, at(st, st->n, 0), "missing \"slot N\" (%d-%d)",
			SLOTFILTER_SLOT_SERVICE_FIRST,
			SLOTFILTER_SLOT_SERVICE_LAST);
		return;
	}
	GROW(cfg->svcs.svcs, cfg->svcs.n, cfg->svcs.cap);
	GROW(cfg->svc_pos, cfg->svcs.n, cfg->cap_svc_pos);
	GROW(cfg->svc_slot_pos, cfg->svcs.n, cfg->cap_svc_slot_pos);
	cfg->svc_pos[cfg->svcs.n] = at(st, 1, 0);
	for (i = 2; i + 1 < st->n; i++) {
		if (!strcmp(st->argv[i], "slot"))
			cfg->svc_slot_pos[cfg->svcs.n] = at(st, i + 1, 0);
	}
	cfg->svcs.svcs[cfg->svcs.n++] = svc;
}

static void stmt_redirect(struct stmt *st)
{
	const struct rule_env env = { rule_ifindex, rule_set, st,
				      rule_service };
	struct config *cfg = st->cfg;
	struct sf_rule_list *l = &cfg->rs.redirects;
	struct sf_rule rule;
	struct parse_err e;

	if (redirect_parse(&rule, st->n - 1, st->argv + 1, &env, &e)) {
		sf_rule_free(&rule);
		err_at(st, e.word + 1, &e);
		return;
	}
	GROW(cfg->red_pos, l->n, cfg->cap_red_pos);
	cfg->red_pos[l->n] = at(st, 3, 0);
	if (sf_list_insert(l, l->n, &rule)) {
		fprintf(stderr, "slotctl: out of memory\n");
		exit(1);
	}
}

/* ---- statements ---- */

static void stmt_run(struct stmt *st)
{
	static const struct {
		const char *name;
		void (*fn)(struct stmt *st);
	} stmts[] = {
		{ "port", stmt_port },
		{ "set", stmt_set },
		{ "firewall", stmt_firewall },
		{ "rule", stmt_rule },
		{ "service", stmt_service },
		{ "redirect", stmt_redirect },
	};
	unsigned int i;

	for (i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++) {
		if (!strcmp(st->argv[0], stmts[i].name)) {
			stmts[i].fn(st);
			return;
		}
	}
	add_err(st->cfg, at(st, 0, 0),
		"unknown statement \"%.64s\" (port, set, firewall, rule, service or redirect)",
		st->argv[0]);
}

/* Cut the words of one line out of [p, eol) and add them to @st. */
static void add_words(struct stmt *st, char *p, char *eol,
		      unsigned int line)
{
	char *start = p;
	struct word *w;

	while (p < eol) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\v' ||
		    *p == '\f') {
			*p++ = '\0';
			continue;
		}
		if (*p == '#')
			break;
		GROW(st->w, st->n, st->cap);
		w = &st->w[st->n++];
		w->s = p;
		w->pos.line = line;
		w->pos.col = p - start + 1;
		while (p < eol && !strchr(" \t\r\v\f", *p))
			p++;
	}
	*eol = '\0';
}

/* A "set" line that ends with "," continues on the next line. */
static bool continues(const struct stmt *st)
{
	const char *last;

	if (!st->n || strcmp(st->w[0].s, "set"))
		return false;
	last = st->w[st->n - 1].s;
	return last[strlen(last) - 1] == ',';
}

static void stmt_flush(struct stmt *st)
{
	size_t i;

	if (!st->n)
		return;
	st->argv = realloc(st->argv, st->n * sizeof(*st->argv));
	if (!st->argv) {
		fprintf(stderr, "slotctl: out of memory\n");
		exit(1);
	}
	for (i = 0; i < st->n; i++)
		st->argv[i] = st->w[i].s;
	stmt_run(st);
	st->n = 0;
}

/* ---- what needs the whole file ---- */

struct named {
	const char *name;
	size_t i;
};

static int named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

static int named_find(const void *key, const void *elem)
{
	return strcmp(key, ((const struct named *)elem)->name);
}

typedef const char *(*name_fn)(const struct config *cfg, size_t i);

/* Sorted by name: later ones of the same name are duplicates. */
static struct named *sorted_names(size_t n, name_fn name,
				  const struct config *cfg)
{
	struct named *v = calloc(n ? n : 1, sizeof(*v));
	size_t i;

	if (!v) {
		fprintf(stderr, "slotctl: out of memory\n");
		exit(1);
	}
	for (i = 0; i < n; i++)
		v[i] = (struct named){ name(cfg, i), i };
	qsort(v, n, sizeof(*v), named_cmp);
	return v;
}

static const char *port_name(const struct config *cfg, size_t i)
{
	return cfg->ports[i].name;
}

static const char *set_name(const struct config *cfg, size_t i)
{
	return cfg->sets.sets[i].name;
}

static void check_ports(struct config *cfg, const struct config_env *env)
{
	struct named *v = sorted_names(cfg->n_ports, port_name, cfg);
	const struct cfg_ref *ref;
	size_t i;

	for (i = 1; i < cfg->n_ports; i++) {
		if (strcmp(v[i].name, v[i - 1].name))
			continue;
		add_err(cfg, cfg->ports[v[i].i].pos,
			"port \"%s\" listed twice (first at line %u)",
			v[i].name, cfg->ports[v[i - 1].i].pos.line);
	}
	for (ref = cfg->port_refs; ref < cfg->port_refs + cfg->n_port_refs;
	     ref++) {
		if (bsearch(ref->name, v, cfg->n_ports, sizeof(*v), named_find))
			continue;
		if (!env || !env->is_port || env->is_port(ref->ifindex,
							  env->ctx))
			continue;
		add_err(cfg, ref->pos,
			"device \"%s\" is not a port: attach it (\"port %s\")",
			ref->name, ref->name);
	}
	free(v);
}

static void check_sets(struct config *cfg, const struct config_env *env)
{
	struct named *v = sorted_names(cfg->sets.n, set_name, cfg);
	const struct cfg_ref *ref;
	size_t i;

	for (i = 1; i < cfg->sets.n; i++) {
		if (strcmp(v[i].name, v[i - 1].name))
			continue;
		add_err(cfg, cfg->set_pos[v[i].i],
			"set \"%s\" defined twice (first at line %u)",
			v[i].name, cfg->set_pos[v[i - 1].i].line);
	}
	for (ref = cfg->set_refs; ref < cfg->set_refs + cfg->n_set_refs;
	     ref++) {
		if (bsearch(ref->name, v, cfg->sets.n, sizeof(*v), named_find))
			continue;
		if (!env || !env->set_exists ||
		    env->set_exists(ref->name, env->ctx))
			continue;
		add_err(cfg, ref->pos, "unknown set \"%s\"", ref->name);
	}
	free(v);
}

static const char *svc_name(const struct config *cfg, size_t i)
{
	return cfg->svcs.svcs[i].name;
}

static void check_services(struct config *cfg, const struct config_env *env)
{
	struct named *v = sorted_names(cfg->svcs.n, svc_name, cfg);
	size_t by_slot[SLOTFILTER_NUM_SLOTS] = { 0 }, i;
	const struct cfg_ref *ref;
	unsigned int slot;

	for (i = 1; i < cfg->svcs.n; i++) {
		if (strcmp(v[i].name, v[i - 1].name))
			continue;
		add_err(cfg, cfg->svc_pos[v[i].i],
			"service \"%s\" defined twice (first at line %u)",
			v[i].name, cfg->svc_pos[v[i - 1].i].line);
	}
	/* by_slot: 1 + the first service at each slot */
	for (i = 0; i < cfg->svcs.n; i++) {
		slot = cfg->svcs.svcs[i].slot;
		if (!by_slot[slot]) {
			by_slot[slot] = i + 1;
			continue;
		}
		add_err(cfg, cfg->svc_slot_pos[i],
			"slot %u taken by service \"%s\" (line %u)", slot,
			cfg->svcs.svcs[by_slot[slot] - 1].name,
			cfg->svc_pos[by_slot[slot] - 1].line);
	}
	for (ref = cfg->svc_refs; ref < cfg->svc_refs + cfg->n_svc_refs;
	     ref++) {
		if (bsearch(ref->name, v, cfg->svcs.n, sizeof(*v), named_find))
			continue;
		if (!env || !env->service_exists ||
		    env->service_exists(ref->name, env->ctx))
			continue;
		add_err(cfg, ref->pos, "unknown service \"%s\"", ref->name);
	}
	free(v);
}

struct rule_id {
	uint32_t id;
	size_t i;
};

static int rule_id_cmp(const void *a, const void *b)
{
	const struct rule_id *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

static void check_rules(struct config *cfg)
{
	size_t i, n = cfg->rs.n;
	struct rule_id *v = calloc(n ? n : 1, sizeof(*v));

	if (!v) {
		fprintf(stderr, "slotctl: out of memory\n");
		exit(1);
	}
	for (i = 0; i < n; i++)
		v[i] = (struct rule_id){ cfg->rs.rules[i].id, i };
	qsort(v, n, sizeof(*v), rule_id_cmp);
	for (i = 1; i < n; i++) {
		if (v[i].id == v[i - 1].id)
			add_err(cfg, cfg->rule_pos[v[i].i],
				"duplicate rule id %u (first at line %u)",
				v[i].id, cfg->rule_pos[v[i - 1].i].line);
	}
	free(v);
	if (n > SLOTFILTER_RULES_MAX)
		add_err(cfg, cfg->rule_pos[SLOTFILTER_RULES_MAX],
			"more than %d rules", SLOTFILTER_RULES_MAX);
}

/* Redirect rules by service, then id, then place in the file. */
static const struct config *red_cfg;

static int red_cmp(const void *a, const void *b)
{
	const struct rule_id *x = a, *y = b;
	const struct sf_rule *rx = &red_cfg->rs.redirects.rules[x->i];
	const struct sf_rule *ry = &red_cfg->rs.redirects.rules[y->i];
	int c = strcmp(rx->service, ry->service);

	return c ? c : rule_id_cmp(a, b);
}

static void check_redirects(struct config *cfg)
{
	const struct sf_rule_list *l = &cfg->rs.redirects;
	struct rule_id *v = calloc(l->n ? l->n : 1, sizeof(*v));
	size_t i;

	if (!v) {
		fprintf(stderr, "slotctl: out of memory\n");
		exit(1);
	}
	for (i = 0; i < l->n; i++)
		v[i] = (struct rule_id){ l->rules[i].id, i };
	red_cfg = cfg;
	qsort(v, l->n, sizeof(*v), red_cmp);
	for (i = 1; i < l->n; i++) {
		if (v[i].id == v[i - 1].id &&
		    !strcmp(l->rules[v[i].i].service,
			    l->rules[v[i - 1].i].service))
			add_err(cfg, cfg->red_pos[v[i].i],
				"duplicate redirect rule id %u of service \"%s\" (first at line %u)",
				v[i].id, l->rules[v[i].i].service,
				cfg->red_pos[v[i - 1].i].line);
	}
	free(v);
	if (l->n > SLOTFILTER_RULES_MAX)
		add_err(cfg, cfg->red_pos[SLOTFILTER_RULES_MAX],
			"more than %d redirect rules", SLOTFILTER_RULES_MAX);
}

static int err_cmp(const void *a, const void *b)
{
	const struct cfg_err *x = a, *y = b;

	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	if (x->pos.col != y->pos.col)
		return x->pos.col < y->pos.col ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/*
 * Parse @len bytes of @text (which has a NUL at text[len], and is cut up
 * in place) from @file into @cfg. Returns the number of errors; they are
 * in cfg->errs, sorted. @cfg is the caller's to config_free() either way.
 */
size_t config_parse(struct config *cfg, const char *file, char *text,
		    size_t len, const struct config_env *env)
{
	struct stmt st = { .cfg = cfg, .env = env };
	char *p = text, *end = text + len, *eol, *nul;
	unsigned int line = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->file = file;
	cfg->rs.fw.def = SLOTFILTER_ACTION_ALLOW;
	while (p < end) {
		line++;
		eol = memchr(p, '\n', end - p);
		if (!eol)
			eol = end;
		nul = memchr(p, '\0', eol - p);
		if (nul) {
			add_err(cfg, (struct cfg_pos){ line, nul - p + 1 },
				"a NUL byte");
			*eol = '\0';
		} else {
			add_words(&st, p, eol, line);
		}
		p = eol + 1;
		if (!continues(&st))
			stmt_flush(&st);
	}
	stmt_flush(&st);
	free(st.w);
	free(st.argv);

	check_ports(cfg, env);
	check_sets(cfg, env);
	check_rules(cfg);
	check_services(cfg, env);
	check_redirects(cfg);
	if (!cfg->setting_line[SETTING_FLOW_MAX])
		cfg->rs.fw.flow_max = FLOW_MAX_DEFAULT;
	qsort(cfg->errs, cfg->n_errs, sizeof(*cfg->errs), err_cmp);
	return cfg->n_errs;
}

void config_print_errors(const struct config *cfg, FILE *fp)
{
	const struct cfg_err *err;

	for (err = cfg->errs; err < cfg->errs + cfg->n_errs; err++)
		fprintf(fp, "%s:%u:%u: %s\n", cfg->file, err->pos.line,
			err->pos.col, err->msg ? err->msg : "out of memory");
}

/* Whether the file gives every timeout (else the kernel's defaults count). */
bool config_timeouts_complete(const struct config *cfg)
{
	unsigned int t;

	for (t = 1; t <= SLOTFILTER_TIMEOUT_MAX; t++) {
		if (!cfg->setting_line[SETTING_TIMEOUT + t])
			return false;
	}
	return true;
}

/* Whether a rule of the file names set @name. */
bool config_set_used(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n_set_refs; i++) {
		if (!strcmp(cfg->set_refs[i].name, name))
			return true;
	}
	return false;
}

/* Whether a redirect rule of the file names service @name. */
bool config_service_used(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n_svc_refs; i++) {
		if (!strcmp(cfg->svc_refs[i].name, name))
			return true;
	}
	return false;
}

void config_free(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->n_errs; i++)
		free(cfg->errs[i].msg);
	free(cfg->errs);
	free(cfg->ports);
	sf_sets_free(&cfg->sets);
	free(cfg->set_pos);
	sf_ruleset_free(&cfg->rs);
	free(cfg->rule_pos);
	free(cfg->set_refs);
	free(cfg->port_refs);
	sf_services_free(&cfg->svcs);
	free(cfg->svc_pos);
	free(cfg->svc_slot_pos);
	free(cfg->red_pos);
	free(cfg->svc_refs);
	memset(cfg, 0, sizeof(*cfg));
}
