// SPDX-License-Identifier: GPL-2.0
/*
 * netset.c - parse and match the address and port lists of IPS rules
 *
 * A list is parsed into a flat array of elements, each positive or
 * negated: "[10.0.0.0/8, ![10.1.0.0/16, 10.2.0.0/16]]" gives one
 * positive and two negated prefixes. "any" as a positive element makes
 * the positive part empty (anything); variables are expanded where they
 * stand, up to NEST_MAX levels deep (a variable naming itself is caught
 * there).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netset.h"

#define NEST_MAX	8
#define ELEMS_MAX	1024

struct nparse {
	const struct ips_var *vars;
	unsigned int n_vars;
	bool port;
	bool any;			/* a positive "any" was seen */
	void *v;			/* struct ips_cidr or ips_prange */
	unsigned int n;
	char *err;
	size_t len;
};

static const struct ips_var defaults[] = {
	{ "HOME_NET", "any", false },
	{ "EXTERNAL_NET", "any", false },
	{ "HTTP_SERVERS", "$HOME_NET", false },
	{ "SMTP_SERVERS", "$HOME_NET", false },
	{ "SQL_SERVERS", "$HOME_NET", false },
	{ "DNS_SERVERS", "$HOME_NET", false },
	{ "HTTP_PORTS", "80", true },
	{ "SSH_PORTS", "22", true },
	{ "ORACLE_PORTS", "1521", true },
	{ "SHELLCODE_PORTS", "!80", true },
};

static const struct ips_var *var_find(const struct nparse *p,
				      const char *name)
{
	unsigned int i;

	for (i = p->n_vars; i-- > 0;) {
		if (!strcmp(p->vars[i].name, name))
			return &p->vars[i];
	}
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		if (!strcmp(defaults[i].name, name))
			return &defaults[i];
	}
	return NULL;
}

static const char *skip_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int add_elem(struct nparse *p, const void *e)
{
	size_t sz = p->port ? sizeof(struct ips_prange) :
		    sizeof(struct ips_cidr);
	void *v;

	if (p->n == ELEMS_MAX) {
		snprintf(p->err, p->len, "more than %d elements in a list",
			 ELEMS_MAX);
		return -EINVAL;
	}
	v = realloc(p->v, (p->n + 1) * sz);
	if (!v)
		return -ENOMEM;
	p->v = v;
	memcpy((char *)v + p->n * sz, e, sz);
	p->n++;
	return 0;
}

static int atom_addr(struct nparse *p, const char *s, bool neg)
{
	struct ips_cidr c = { .neg = neg };
	char buf[INET6_ADDRSTRLEN + 8];
	unsigned long plen;
	char *slash, *end;
	unsigned int max, i;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, c.addr) == 1) {
		c.family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, c.addr) == 1) {
		c.family = AF_INET6;
		max = 128;
	} else {
		goto bad;
	}
	plen = max;
	if (slash) {
		plen = strtoul(slash + 1, &end, 10);
		if (!slash[1] || *end || plen > max)
			goto bad;
	}
	c.plen = plen;
	for (i = plen; i < max; i++)
		c.addr[i / 8] &= ~(0x80 >> (i % 8));
	return add_elem(p, &c);
bad:
	snprintf(p->err, p->len, "bad address '%s'", s);
	return -EINVAL;
}

static int port_num(const char *s, const char *end, unsigned long *v)
{
	char *e;

	if (s == end || *s < '0' || *s > '9')
		return -1;
	*v = strtoul(s, &e, 10);
	return e == end && *v <= 65535 ? 0 : -1;
}

static int atom_port(struct nparse *p, const char *s, bool neg)
{
	struct ips_prange r = { .neg = neg };
	const char *colon = strchr(s, ':');
	const char *end = s + strlen(s);
	unsigned long lo = 0, hi = 65535;

	if (!colon) {
		if (port_num(s, end, &lo))
			goto bad;
		hi = lo;
	} else {
		if (colon == s && colon + 1 == end)
			goto bad;
		if (colon > s && port_num(s, colon, &lo))
			goto bad;
		if (colon + 1 < end && port_num(colon + 1, end, &hi))
			goto bad;
		if (lo > hi)
			goto bad;
	}
	r.lo = lo;
	r.hi = hi;
	return add_elem(p, &r);
bad:
	snprintf(p->err, p->len, "bad port '%s'", s);
	return -EINVAL;
}

static int parse_list(struct nparse *p, const char **sp, bool neg,
		      int depth);

static int parse_var(struct nparse *p, const char **sp, bool neg, int depth)
{
	const char *s = *sp + 1, *start = s;
	const struct ips_var *var;
	char name[64];
	int err;

	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
	       (*s >= '0' && *s <= '9') || *s == '_')
		s++;
	if (s == start || (size_t)(s - start) >= sizeof(name)) {
		snprintf(p->err, p->len, "bad variable name");
		return -EINVAL;
	}
	memcpy(name, start, s - start);
	name[s - start] = '\0';
	var = var_find(p, name);
	if (!var) {
		snprintf(p->err, p->len, "unknown variable $%s", name);
		return -EINVAL;
	}
	if (var->port != p->port) {
		snprintf(p->err, p->len, "$%s is not a%s variable", name,
			 p->port ? " port" : "n address");
		return -EINVAL;
	}
	if (depth >= NEST_MAX) {
		snprintf(p->err, p->len,
			 "variables nested too deep at $%s (a loop?)", name);
		return -EINVAL;
	}
	start = var->val;
	err = parse_list(p, &start, neg, depth + 1);
	if (!err && *skip_blank(start)) {
		snprintf(p->err, p->len, "$%s: junk after the list", name);
		err = -EINVAL;
	}
	*sp = s;
	return err;
}

static int parse_atom(struct nparse *p, const char **sp, bool neg)
{
	const char *s = *sp;
	char buf[64];
	size_t n;

	n = strcspn(s, ",] \t[!$");
	if (!n) {
		snprintf(p->err, p->len, *s ? "unexpected '%c'" :
			 "missing element", *s);
		return -EINVAL;
	}
	if (n >= sizeof(buf)) {
		snprintf(p->err, p->len, "element too long");
		return -EINVAL;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	*sp = s + n;
	if (!strcmp(buf, "any")) {
		if (neg) {
			snprintf(p->err, p->len, "!any matches nothing");
			return -EINVAL;
		}
		p->any = true;
		return 0;
	}
	return p->port ? atom_port(p, buf, neg) : atom_addr(p, buf, neg);
}

/* One element or bracketed list at *@sp, under @neg. */
static int parse_list(struct nparse *p, const char **sp, bool neg,
		      int depth)
{
	const char *s = skip_blank(*sp);
	int err;

	if (*s == '!') {
		if (neg) {
			snprintf(p->err, p->len,
				 "a negated list cannot hold negated elements");
			return -EINVAL;
		}
		neg = true;
		s = skip_blank(s + 1);
	}
	if (*s == '$') {
		err = parse_var(p, &s, neg, depth);
	} else if (*s == '[') {
		if (depth >= NEST_MAX) {
			snprintf(p->err, p->len, "lists nested too deep");
			return -EINVAL;
		}
		s++;
		for (;;) {
			err = parse_list(p, &s, neg, depth + 1);
			if (err)
				return err;
			s = skip_blank(s);
			if (*s == ']')
				break;
			if (*s != ',') {
				snprintf(p->err, p->len, "missing ']'");
				return -EINVAL;
			}
			s++;
		}
		s++;
	} else {
		err = parse_atom(p, &s, neg);
	}
	*sp = s;
	return err;
}

static int parse_top(struct nparse *p, const char *s)
{
	int err = parse_list(p, &s, false, 0);

	if (!err && *skip_blank(s)) {
		snprintf(p->err, p->len, "junk after the list: '%s'", s);
		err = -EINVAL;
	}
	if (err) {
		free(p->v);
		p->v = NULL;
		p->n = 0;
	}
	return err;
}

int ips_addrs_parse(struct ips_addrs *a, const char *s,
		    const struct ips_var *vars, unsigned int n_vars,
		    char *err, size_t len)
{
	struct nparse p = { vars, n_vars, false, false, NULL, 0, err, len };
	unsigned int i, j;
	int ret = parse_top(&p, s);
	struct ips_cidr *c = p.v;

	if (ret)
		return ret;
	if (p.any) {	/* "any" among the positives: keep the negated */
		for (i = j = 0; i < p.n; i++) {
			if (c[i].neg)
				c[j++] = c[i];
		}
		p.n = j;
	}
	a->v = c;
	a->n = p.n;
	return 0;
}

int ips_ports_parse(struct ips_ports *pp, const char *s,
		    const struct ips_var *vars, unsigned int n_vars,
		    char *err, size_t len)
{
	struct nparse p = { vars, n_vars, true, false, NULL, 0, err, len };
	unsigned int i, j;
	int ret = parse_top(&p, s);
	struct ips_prange *r = p.v;

	if (ret)
		return ret;
	if (p.any) {
		for (i = j = 0; i < p.n; i++) {
			if (r[i].neg)
				r[j++] = r[i];
		}
		p.n = j;
	}
	pp->v = r;
	pp->n = p.n;
	return 0;
}

void ips_addrs_free(struct ips_addrs *a)
{
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

void ips_ports_free(struct ips_ports *p)
{
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

static bool cidr_match(const struct ips_cidr *c, int family,
		       const uint8_t *addr)
{
	unsigned int full = c->plen / 8, rest = c->plen % 8;

	if (c->family != family || memcmp(c->addr, addr, full))
		return false;
	return !rest ||
	       !((c->addr[full] ^ addr[full]) & (0xff00 >> rest));
}

bool ips_addrs_match(const struct ips_addrs *a, int family,
		     const uint8_t *addr)
{
	bool pos = false, hit = false;
	unsigned int i;

	for (i = 0; i < a->n; i++) {
		const struct ips_cidr *c = &a->v[i];

		if (c->neg) {
			if (cidr_match(c, family, addr))
				return false;
		} else {
			pos = true;
			hit |= cidr_match(c, family, addr);
		}
	}
	return !pos || hit;
}

bool ips_ports_match(const struct ips_ports *p, uint16_t port)
{
	bool pos = false, hit = false;
	unsigned int i;

	for (i = 0; i < p->n; i++) {
		const struct ips_prange *r = &p->v[i];
		bool in = port >= r->lo && port <= r->hi;

		if (r->neg) {
			if (in)
				return false;
		} else {
			pos = true;
			hit |= in;
		}
	}
	return !pos || hit;
}
