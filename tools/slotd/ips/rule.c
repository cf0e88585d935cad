// SPDX-License-Identifier: GPL-2.0
/*
 * rule.c - parse IPS rules files (the subset of rule.h)
 *
 * Options, each "NAME;" or "NAME:VALUE;" (";" and "\"" inside quoted
 * values are escaped with "\"):
 *
 *	msg:"TEXT"			the alert's signature
 *	content:"TEXT|0d 0a|TEXT"	bytes to find; |..| holds hex bytes,
 *					\" \\ \; \: \| escape
 *	  nocase, offset:N, depth:N	modify the content before them: case
 *	  distance:N, within:N		blind; start at N, within N bytes of
 *					it; relative to the previous content's
 *					end (as Suricata counts them)
 *	pcre:"/RE/FLAGS" (or !"...")	PCRE2; flags i s m x A E G
 *	flow:OPT[,OPT]			to_server (from_client), to_client
 *					(from_server), established, stateless
 *	sid:N, rev:N, priority:N	priority (1-255) is the alert's severity
 *	classtype:NAME			classify.c's names
 *	threshold:type limit|threshold|both, track by_src|by_dst,
 *		  count N, seconds N	limits the alerts, not the action
 *	detection_filter:track by_src|by_dst, count N, seconds N
 *					the rule acts from the N+1st match
 *					within the period on
 *	reference:..., metadata:...	accepted and not used
 *
 * Any other keyword rejects the rule ("keyword 'X' is not supported"),
 * as do: no sid, a sid used before in the file, a modifier before any
 * content, depth or within shorter than their content, offset/depth and
 * distance/within on one content, negated content, an unknown classtype.
 *
 * Variables: "ipvar NAME LIST", "portvar NAME LIST", or "var NAME LIST"
 * (ports when NAME ends in _PORTS); a rule sees the variables defined
 * above it, and netset.h's defaults.
 */
#define _GNU_SOURCE		/* vasprintf() */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classify.h"
#include "netset.h"
#include "rule.h"

#define CONTENT_MAX	65535
#define CONTENTS_MAX	32
#define PCRES_MAX	8
#define MSG_MAX		1024
#define FILE_MAX	(64 << 20)

struct rparse {
	struct ips_rule *r;
	const struct ips_rules *rs;
	char *err;
	size_t len;
	bool has_sid;
	unsigned int mods;		/* modifiers given to the last content */
};

#define MOD_NOCASE	(1U << 0)
#define MOD_OFFSET	(1U << 1)
#define MOD_DEPTH	(1U << 2)
#define MOD_DISTANCE	(1U << 3)
#define MOD_WITHIN	(1U << 4)

__attribute__((format(printf, 2, 3)))
static int fail(struct rparse *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* The text between the quotes of @val, in place. */
static int quoted(struct rparse *p, const char *kw, char *val, char **out)
{
	size_t n;

	val = trim(val);
	n = strlen(val);
	if (n < 2 || val[0] != '"' || val[n - 1] != '"')
		return fail(p, "%s: want a quoted string", kw);
	val[n - 1] = '\0';
	*out = val + 1;
	return 0;
}

static int number(struct rparse *p, const char *kw, const char *val,
		  long long min, long long max, long long *out)
{
	char *end;

	while (isspace((unsigned char)*val))
		val++;
	errno = 0;
	*out = strtoll(val, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (end == val || *end || errno || *out < min || *out > max)
		return fail(p, "%s: want a number from %lld to %lld, not '%s'",
			    kw, min, max, val);
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode the escapes (and, for content, the |hex| blocks) of @s. */
static int decode(struct rparse *p, const char *kw, const char *s, bool hex,
		  uint8_t *out, size_t *outlen)
{
	size_t n = 0;

	while (*s) {
		if (hex && *s == '|') {
			for (s++; *s != '|'; ) {
				int hi, lo;

				if (*s == ' ') {
					s++;
					continue;
				}
				if (!*s)
					return fail(p, "%s: unterminated |..|",
						    kw);
				hi = hexval(s[0]);
				lo = s[1] ? hexval(s[1]) : -1;
				if (hi < 0 || lo < 0)
					return fail(p, "%s: bad hex byte in |..|",
						    kw);
				out[n++] = hi << 4 | lo;
				s += 2;
			}
			s++;
			continue;
		}
		if (*s == '\\') {
			if (!strchr("\"\\;:|", s[1]) || !s[1])
				return fail(p, "%s: bad escape '\\%c'", kw,
					    s[1] ? s[1] : ' ');
			s++;
		} else if (*s == '"' || *s == ';') {
			return fail(p, "%s: unescaped '%c'", kw, *s);
		}
		out[n++] = *s++;
	}
	*outlen = n;
	return 0;
}

static int kw_msg(struct rparse *p, char *val)
{
	uint8_t *buf;
	size_t n;
	char *s;

	if (quoted(p, "msg", val, &s))
		return -EINVAL;
	if (strlen(s) > MSG_MAX)
		return fail(p, "msg: longer than %d bytes", MSG_MAX);
	buf = malloc(strlen(s) + 1);
	if (!buf)
		return -ENOMEM;
	if (decode(p, "msg", s, false, buf, &n)) {
		free(buf);
		return -EINVAL;
	}
	buf[n] = '\0';
	free(p->r->msg);
	p->r->msg = (char *)buf;
	return 0;
}

static int kw_content(struct rparse *p, char *val)
{
	struct ips_rule *r = p->r;
	struct ips_content *c;
	uint8_t *buf;
	size_t n;
	char *s;

	val = trim(val);
	if (*val == '!')
		return fail(p, "content: negated content is not supported");
	if (quoted(p, "content", val, &s))
		return -EINVAL;
	if (r->n_contents == CONTENTS_MAX)
		return fail(p, "more than %d contents", CONTENTS_MAX);
	buf = malloc(strlen(s) + 1);
	if (!buf)
		return -ENOMEM;
	if (decode(p, "content", s, true, buf, &n)) {
		free(buf);
		return -EINVAL;
	}
	if (!n || n > CONTENT_MAX) {
		free(buf);
		return fail(p, "content: want 1 to %d bytes", CONTENT_MAX);
	}
	c = realloc(r->contents, (r->n_contents + 1) * sizeof(*c));
	if (!c) {
		free(buf);
		return -ENOMEM;
	}
	r->contents = c;
	c += r->n_contents++;
	memset(c, 0, sizeof(*c));
	c->bytes = buf;
	c->len = n;
	p->mods = 0;
	return 0;
}

static struct ips_content *modifier(struct rparse *p, const char *kw,
				    unsigned int mod)
{
	if (!p->r->n_contents) {
		fail(p, "%s: no content before it", kw);
		return NULL;
	}
	if (p->mods & mod) {
		fail(p, "%s: given twice for one content", kw);
		return NULL;
	}
	p->mods |= mod;
	return &p->r->contents[p->r->n_contents - 1];
}

static int kw_nocase(struct rparse *p, char *val)
{
	struct ips_content *c = modifier(p, "nocase", MOD_NOCASE);

	(void)val;
	if (!c)
		return -EINVAL;
	c->nocase = true;
	return 0;
}

static int kw_offset(struct rparse *p, char *val)
{
	struct ips_content *c = modifier(p, "offset", MOD_OFFSET);
	long long v;

	if (!c || number(p, "offset", val, 0, CONTENT_MAX, &v))
		return -EINVAL;
	c->offset = v;
	return 0;
}

static int kw_depth(struct rparse *p, char *val)
{
	struct ips_content *c = modifier(p, "depth", MOD_DEPTH);
	long long v;

	if (!c || number(p, "depth", val, 1, CONTENT_MAX, &v))
		return -EINVAL;
	c->depth = v;
	c->has_depth = true;
	return 0;
}

static int kw_distance(struct rparse *p, char *val)
{
	struct ips_content *c = modifier(p, "distance", MOD_DISTANCE);
	long long v;

	if (!c || number(p, "distance", val, -CONTENT_MAX, CONTENT_MAX, &v))
		return -EINVAL;
	c->distance = v;
	c->relative = true;
	return 0;
}

static int kw_within(struct rparse *p, char *val)
{
	struct ips_content *c = modifier(p, "within", MOD_WITHIN);
	long long v;

	if (!c || number(p, "within", val, 1, CONTENT_MAX, &v))
		return -EINVAL;
	c->within = v;
	c->has_within = true;
	c->relative = true;
	return 0;
}

static int pcre_flags(struct rparse *p, const char *f, uint32_t *opts)
{
	for (; *f; f++) {
		switch (*f) {
		case 'i': *opts |= PCRE2_CASELESS; break;
		case 's': *opts |= PCRE2_DOTALL; break;
		case 'm': *opts |= PCRE2_MULTILINE; break;
		case 'x': *opts |= PCRE2_EXTENDED; break;
		case 'A': *opts |= PCRE2_ANCHORED; break;
		case 'E': *opts |= PCRE2_DOLLAR_ENDONLY; break;
		case 'G': *opts |= PCRE2_UNGREEDY; break;
		default:
			return fail(p, "pcre: flag '%c' is not supported", *f);
		}
	}
	return 0;
}

static int kw_pcre(struct rparse *p, char *val)
{
	struct ips_rule *r = p->r;
	PCRE2_SIZE erroff;
	struct ips_pcre *x;
	uint32_t opts = 0;
	pcre2_code *code;
	char *s, *last;
	bool neg;
	int ec;

	val = trim(val);
	neg = *val == '!';
	if (quoted(p, "pcre", val + neg, &s))
		return -EINVAL;
	last = strrchr(s, '/');
	if (*s != '/' || last == s)
		return fail(p, "pcre: want \"/REGEX/FLAGS\"");
	if (r->n_pcres == PCRES_MAX)
		return fail(p, "more than %d pcre", PCRES_MAX);
	if (pcre_flags(p, last + 1, &opts))
		return -EINVAL;
	code = pcre2_compile((PCRE2_SPTR)s + 1, last - s - 1, opts, &ec,
			     &erroff, NULL);
	if (!code) {
		PCRE2_UCHAR msg[120];

		pcre2_get_error_message(ec, msg, sizeof(msg));
		return fail(p, "pcre: %s at offset %zu", (char *)msg,
			    (size_t)erroff);
	}
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);	/* faster if it can */
	x = realloc(r->pcres, (r->n_pcres + 1) * sizeof(*x));
	if (!x) {
		pcre2_code_free(code);
		return -ENOMEM;
	}
	r->pcres = x;
	x[r->n_pcres].code = code;
	x[r->n_pcres].neg = neg;
	r->n_pcres++;
	return 0;
}

static int kw_flow(struct rparse *p, char *val)
{
	char *save = NULL, *w;

	for (w = strtok_r(val, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		w = trim(w);
		if (!strcmp(w, "to_server") || !strcmp(w, "from_client"))
			p->r->flow |= IPS_FLOW_TO_SERVER;
		else if (!strcmp(w, "to_client") || !strcmp(w, "from_server"))
			p->r->flow |= IPS_FLOW_TO_CLIENT;
		else if (!strcmp(w, "established"))
			p->r->flow |= IPS_FLOW_ESTABLISHED;
		else if (!strcmp(w, "stateless"))
			p->r->flow |= IPS_FLOW_STATELESS;
		else
			return fail(p, "flow: '%s' is not supported", w);
	}
	if ((p->r->flow & IPS_FLOW_TO_SERVER) &&
	    (p->r->flow & IPS_FLOW_TO_CLIENT))
		return fail(p, "flow: to_server and to_client together");
	return 0;
}

static int kw_sid(struct rparse *p, char *val)
{
	long long v;

	if (number(p, "sid", val, 1, UINT32_MAX, &v))
		return -EINVAL;
	p->r->sid = v;
	p->has_sid = true;
	return 0;
}

static int kw_rev(struct rparse *p, char *val)
{
	long long v;

	if (number(p, "rev", val, 0, UINT32_MAX, &v))
		return -EINVAL;
	p->r->rev = v;
	return 0;
}

static int kw_priority(struct rparse *p, char *val)
{
	long long v;

	if (number(p, "priority", val, 1, 255, &v))
		return -EINVAL;
	p->r->priority = v;
	return 0;
}

static int kw_classtype(struct rparse *p, char *val)
{
	const struct ips_class *c;

	val = trim(val);
	c = ips_class_find(val);
	if (!c)
		return fail(p, "classtype: unknown classtype '%s'", val);
	free(p->r->classtype);
	p->r->classtype = strdup(val);
	if (!p->r->classtype)
		return -ENOMEM;
	p->r->category = c->desc;
	if (!p->r->priority)
		p->r->priority = c->priority;
	return 0;
}

static int thresh(struct rparse *p, const char *kw, char *val,
		  struct ips_thresh *t, bool filter)
{
	bool track = false, count = false, seconds = false;
	char *save = NULL, *w;
	long long v;

	if (t->type != IPS_THR_NONE)
		return fail(p, "%s: given twice", kw);
	t->type = filter ? IPS_THR_FILTER : IPS_THR_NONE;
	for (w = strtok_r(val, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		char *k = trim(w), *arg = k + strcspn(k, " \t");

		if (*arg)
			*arg++ = '\0';
		arg = trim(arg);
		if (!filter && !strcmp(k, "type")) {
			if (!strcmp(arg, "limit"))
				t->type = IPS_THR_LIMIT;
			else if (!strcmp(arg, "threshold"))
				t->type = IPS_THR_THRESHOLD;
			else if (!strcmp(arg, "both"))
				t->type = IPS_THR_BOTH;
			else
				return fail(p, "%s: unknown type '%s'", kw, arg);
		} else if (!strcmp(k, "track")) {
			if (strcmp(arg, "by_src") && strcmp(arg, "by_dst"))
				return fail(p, "%s: track '%s': want by_src or by_dst",
					    kw, arg);
			t->by_dst = !strcmp(arg, "by_dst");
			track = true;
		} else if (!strcmp(k, "count")) {
			if (number(p, "count", arg, 1, 1000000, &v))
				return -EINVAL;
			t->count = v;
			count = true;
		} else if (!strcmp(k, "seconds")) {
			if (number(p, "seconds", arg, 1, 86400, &v))
				return -EINVAL;
			t->seconds = v;
			seconds = true;
		} else {
			return fail(p, "%s: unknown setting '%s'", kw, k);
		}
	}
	if (t->type == IPS_THR_NONE)
		return fail(p, "%s: missing 'type'", kw);
	if (!track || !count || !seconds)
		return fail(p, "%s: missing '%s'", kw,
			    !track ? "track" : !count ? "count" : "seconds");
	return 0;
}

static int kw_threshold(struct rparse *p, char *val)
{
	return thresh(p, "threshold", val, &p->r->threshold, false);
}

static int kw_dfilter(struct rparse *p, char *val)
{
	return thresh(p, "detection_filter", val, &p->r->filter, true);
}

static int kw_ignore(struct rparse *p, char *val)
{
	(void)p;
	(void)val;
	return 0;
}

static const struct keyword {
	const char *name;
	bool value;			/* takes one; else must not */
	int (*fn)(struct rparse *p, char *val);
} keywords[] = {
	{ "msg", true, kw_msg },
	{ "content", true, kw_content },
	{ "nocase", false, kw_nocase },
	{ "offset", true, kw_offset },
	{ "depth", true, kw_depth },
	{ "distance", true, kw_distance },
	{ "within", true, kw_within },
	{ "pcre", true, kw_pcre },
	{ "flow", true, kw_flow },
	{ "sid", true, kw_sid },
	{ "rev", true, kw_rev },
	{ "priority", true, kw_priority },
	{ "classtype", true, kw_classtype },
	{ "threshold", true, kw_threshold },
	{ "detection_filter", true, kw_dfilter },
	{ "reference", true, kw_ignore },
	{ "metadata", true, kw_ignore },
};

static int option(struct rparse *p, char *name, char *val)
{
	unsigned int i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		const struct keyword *k = &keywords[i];

		if (strcmp(k->name, name))
			continue;
		if (k->value && !val)
			return fail(p, "%s: needs a value", name);
		if (!k->value && val)
			return fail(p, "%s: takes no value", name);
		return k->fn(p, val);
	}
	return fail(p, "keyword '%s' is not supported", name);
}

/* "NAME[:VALUE];..." up to the end of @s. */
static int options(struct rparse *p, char *s)
{
	int err;

	for (;;) {
		char *name, *val = NULL, *end;
		bool inq = false;

		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			return 0;
		name = s;
		while (isalnum((unsigned char)*s) || *s == '_' || *s == '.')
			s++;
		end = s;
		while (isspace((unsigned char)*s))
			s++;
		if (end == name)
			return fail(p, "expected an option at '%.20s'", name);
		if (*s == ':') {
			val = ++s;
			while (*s && (inq || *s != ';')) {
				if (*s == '\\' && s[1]) {
					s += 2;
					continue;
				}
				if (*s == '"')
					inq = !inq;
				s++;
			}
			if (inq) {
				*end = '\0';
				return fail(p, "%s: unterminated string", name);
			}
		} else if (*s && *s != ';') {
			*end = '\0';
			return fail(p, "expected ':' or ';' after '%s'", name);
		}
		if (*s)
			*s++ = '\0';
		*end = '\0';
		err = option(p, name, val);
		if (err)
			return err;
	}
}

/* The next blank-separated header word; brackets may hold blanks. */
static char *word(char **sp)
{
	char *s = *sp, *w;
	int depth = 0;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return NULL;
	w = s;
	for (; *s && (depth || !isspace((unsigned char)*s)); s++) {
		if (*s == '[')
			depth++;
		else if (*s == ']' && depth)
			depth--;
	}
	if (*s)
		*s++ = '\0';
	*sp = s;
	return w;
}

static int header(struct rparse *p, char *s)
{
	static const char *const actions[] = { "alert", "drop", "reject",
					       "pass" };
	struct ips_rule *r = p->r;
	const struct ips_var *vars = p->rs->vars;
	unsigned int nv = p->rs->n_vars, i;
	char *w[8];
	size_t n = 0;

	while (n < 8 && (w[n] = word(&s)))
		n++;
	if (n != 7)
		return fail(p, "want ACTION PROTO SRC SPORT DIR DST DPORT (OPTIONS), found %s%zu words before '('",
			    n == 8 ? "more than " : "", n == 8 ? 7 : n);
	for (i = 0; i < 4 && strcmp(w[0], actions[i]); i++)
		;
	if (i == 4)
		return fail(p, "unknown action '%s'", w[0]);
	r->action = i;
	if (!strcmp(w[1], "tcp") || !strcmp(w[1], "http"))
		r->proto = IPS_P_TCP;
	else if (!strcmp(w[1], "udp"))
		r->proto = IPS_P_UDP;
	else if (!strcmp(w[1], "icmp"))
		r->proto = IPS_P_ICMP;
	else if (!strcmp(w[1], "ip"))
		r->proto = IPS_P_IP;
	else
		return fail(p, "protocol '%s' is not supported", w[1]);
	if (!strcmp(w[4], "<>"))
		r->bidir = true;
	else if (strcmp(w[4], "->"))
		return fail(p, "direction '%s': want -> or <>", w[4]);
	if (ips_addrs_parse(&r->src, w[2], vars, nv, p->err, p->len) ||
	    ips_ports_parse(&r->sport, w[3], vars, nv, p->err, p->len) ||
	    ips_addrs_parse(&r->dst, w[5], vars, nv, p->err, p->len) ||
	    ips_ports_parse(&r->dport, w[6], vars, nv, p->err, p->len))
		return -EINVAL;
	return 0;
}

static int finish(struct rparse *p)
{
	struct ips_rule *r = p->r;
	unsigned int i;

	if (!p->has_sid)
		return fail(p, "no sid");
	for (i = 0; i < r->n_contents; i++) {
		const struct ips_content *c = &r->contents[i];

		if (c->relative && (c->offset || c->has_depth))
			return fail(p, "content %u: offset/depth and distance/within together",
				    i + 1);
		if (c->has_depth && c->depth < c->len)
			return fail(p, "content %u: depth %u is shorter than the content (%u bytes)",
				    i + 1, c->depth, c->len);
		if (c->has_within && c->within < c->len)
			return fail(p, "content %u: within %u is shorter than the content (%u bytes)",
				    i + 1, c->within, c->len);
	}
	if (!r->msg && !(r->msg = strdup("")))
		return -ENOMEM;
	if (!r->category)
		r->category = "";
	if (!r->priority)
		r->priority = 3;
	return 0;
}

static void rule_free(struct ips_rule *r)
{
	unsigned int i;

	ips_addrs_free(&r->src);
	ips_addrs_free(&r->dst);
	ips_ports_free(&r->sport);
	ips_ports_free(&r->dport);
	free(r->msg);
	free(r->classtype);
	for (i = 0; i < r->n_contents; i++)
		free(r->contents[i].bytes);
	free(r->contents);
	for (i = 0; i < r->n_pcres; i++)
		pcre2_code_free(r->pcres[i].code);
	free(r->pcres);
	memset(r, 0, sizeof(*r));
}

static int rule_parse(struct rparse *p, char *text)
{
	char *open = strchr(text, '('), *close;
	int err;

	if (!open)
		return fail(p, "no '(' before the options");
	close = text + strlen(text) - 1;
	if (*close != ')')
		return fail(p, "the rule does not end with ')'");
	*open = '\0';
	*close = '\0';
	err = header(p, text);
	if (!err)
		err = options(p, open + 1);
	if (!err)
		err = finish(p);
	return err;
}

__attribute__((format(printf, 4, 5)))
static int add_err(struct ips_rules *rs, const char *file, unsigned int line,
		   const char *fmt, ...)
{
	char *msg, *full, **v;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	n = line ? asprintf(&full, "%s:%u: %s", file, line, msg) :
		   asprintf(&full, "%s: %s", file, msg);
	free(msg);
	if (n < 0)
		return -ENOMEM;
	v = realloc(rs->errs, (rs->n_errs + 1) * sizeof(*v));
	if (!v) {
		free(full);
		return -ENOMEM;
	}
	rs->errs = v;
	rs->errs[rs->n_errs++] = full;
	return 0;
}

static int rule_line(struct ips_rules *rs, const char *file,
		     unsigned int line, char *text)
{
	struct rparse p = { 0 };
	struct ips_rule r = { 0 }, *v;
	char err[256] = "";
	unsigned int i;
	int ret;

	p.r = &r;
	p.rs = rs;
	p.err = err;
	p.len = sizeof(err);
	r.line = line;
	ret = rule_parse(&p, text);
	for (i = 0; !ret && i < rs->n; i++) {
		if (rs->v[i].sid == r.sid)
			ret = fail(&p, "sid %u already used on line %u", r.sid,
				   rs->v[i].line);
	}
	if (ret) {
		rule_free(&r);
		rs->rejected++;
		return ret == -ENOMEM ? ret :
		       add_err(rs, file, line, "%s", err);
	}
	v = realloc(rs->v, (rs->n + 1) * sizeof(*v));
	if (!v) {
		rule_free(&r);
		return -ENOMEM;
	}
	rs->v = v;
	rs->v[rs->n++] = r;
	return 0;
}

static int var_line(struct ips_rules *rs, const char *file,
		    unsigned int line, char *text)
{
	char *kw = word(&text), *name = word(&text), *val = trim(text);
	char err[200] = "";
	struct ips_var *v;
	size_t n;
	bool port;
	int ret;

	if (!name || !*val)
		return add_err(rs, file, line, "%s: want NAME VALUE", kw);
	n = strlen(name);
	port = !strcmp(kw, "portvar") ||
	       (!strcmp(kw, "var") && n > 6 && !strcmp(name + n - 6, "_PORTS"));
	if (strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") != n || n >= 64)
		return add_err(rs, file, line, "%s: bad name '%s'", kw, name);
	if (port) {
		struct ips_ports pp = { 0 };

		ret = ips_ports_parse(&pp, val, rs->vars, rs->n_vars, err,
				      sizeof(err));
		ips_ports_free(&pp);
	} else {
		struct ips_addrs a = { 0 };

		ret = ips_addrs_parse(&a, val, rs->vars, rs->n_vars, err,
				      sizeof(err));
		ips_addrs_free(&a);
	}
	if (ret)
		return add_err(rs, file, line, "%s %s: %s", kw, name, err);
	v = realloc(rs->vars, (rs->n_vars + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	rs->vars = v;
	v += rs->n_vars;
	v->name = strdup(name);
	v->val = strdup(val);
	v->port = port;
	if (!v->name || !v->val) {
		free(v->name);
		free(v->val);
		return -ENOMEM;
	}
	rs->n_vars++;
	return 0;
}

static int statement(struct ips_rules *rs, const char *file,
		     unsigned int line, char *text)
{
	text = trim(text);
	if (!*text || *text == '#')
		return 0;
	if (!strncmp(text, "var ", 4) || !strncmp(text, "ipvar ", 6) ||
	    !strncmp(text, "portvar ", 8) || !strncmp(text, "var\t", 4) ||
	    !strncmp(text, "ipvar\t", 6) || !strncmp(text, "portvar\t", 8))
		return var_line(rs, file, line, text);
	return rule_line(rs, file, line, text);
}

void ips_rules_init(struct ips_rules *rs)
{
	memset(rs, 0, sizeof(*rs));
}

void ips_rules_free(struct ips_rules *rs)
{
	unsigned int i;

	for (i = 0; i < rs->n; i++)
		rule_free(&rs->v[i]);
	free(rs->v);
	for (i = 0; i < rs->n_errs; i++)
		free(rs->errs[i]);
	free(rs->errs);
	for (i = 0; i < rs->n_vars; i++) {
		free(rs->vars[i].name);
		free(rs->vars[i].val);
	}
	free(rs->vars);
	memset(rs, 0, sizeof(*rs));
}

int ips_rules_parse(struct ips_rules *rs, const char *file, const char *text)
{
	char *stmt = NULL;
	size_t slen = 0;
	unsigned int line = 0, first = 0;
	int err = 0;

	while (*text && !err) {
		size_t n = strcspn(text, "\n"), keep = n;
		bool cont;
		char *s;

		line++;
		if (!stmt)
			first = line;
		while (keep && (text[keep - 1] == '\r' ||
				isspace((unsigned char)text[keep - 1])))
			keep--;
		cont = keep && text[keep - 1] == '\\';
		if (cont)
			keep--;
		s = realloc(stmt, slen + keep + 2);
		if (!s) {
			err = -ENOMEM;
			break;
		}
		stmt = s;
		memcpy(stmt + slen, text, keep);
		slen += keep;
		stmt[slen] = '\0';
		text += n + (text[n] == '\n');
		if (cont && *text) {
			stmt[slen++] = ' ';
			stmt[slen] = '\0';
			continue;
		}
		err = statement(rs, file, first, stmt);
		free(stmt);
		stmt = NULL;
		slen = 0;
	}
	free(stmt);
	return err;
}

int ips_rules_load(struct ips_rules *rs, const char *path)
{
	struct stat st;
	char *text = NULL;
	ssize_t got;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto fail;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		goto fail;
	}
	err = st.st_size > FILE_MAX ? -EFBIG : 0;
	text = err ? NULL : malloc(st.st_size + 1);
	if (!err && !text)
		err = -ENOMEM;
	if (err)
		goto fail;
	got = read(fd, text, st.st_size);
	if (got < 0) {
		err = -errno;
		goto fail;
	}
	close(fd);
	text[got] = '\0';
	err = ips_rules_parse(rs, path, text);
	free(text);
	return err;
fail:
	if (fd >= 0)
		close(fd);
	free(text);
	add_err(rs, path, 0, "%s", strerror(-err));
	return err;
}

const char *ips_action_name(enum ips_action a)
{
	static const char *const names[] = { "alert", "drop", "reject",
					     "pass" };

	return names[a];
}

const char *ips_proto_name(enum ips_proto p)
{
	static const char *const names[] = { "ip", "tcp", "udp", "icmp" };

	return names[p];
}
