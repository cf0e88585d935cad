// SPDX-License-Identifier: GPL-2.0
/*
 * rule.c - the words of a firewall rule, read and written
 *
 * One grammar for "slotctl fw rule add" and for "rule" lines of the files
 * "slotctl apply" reads and "slotctl save" writes:
 *
 *	ID ACTION [dir ingress|egress|any]
 *	   [applied-to all | port IFNAME[,IFNAME...] [tag NAME[,NAME...]]
 *			   | tag NAME[,NAME...] [port IFNAME[,IFNAME...]]]
 *	   [src PREFIX|@SET] [dst PREFIX|@SET]
 *	   [proto tcp|udp|icmp|icmpv6|sctp|udplite|NUMBER]
 *	   [sport N[-M]] [dport N[-M]]
 *	   [icmp-type N] [icmp-code N] [log]
 *
 * ID and ACTION come first; the keywords follow in any order, each at most
 * once. A redirect rule (redirect_parse()) is the same words after
 * "service NAME", with ACTION redirect or skip, and no "log":
 *
 *	service NAME ID redirect|skip [dir ...] [applied-to ...] [src ...] ...
 * rule_parse() checks everything the kernel would refuse and can be
 * known here (ranges, prefix lengths, host bits, what needs which
 * protocol, families that can never match) and, through struct rule_env,
 * that devices and sets exist. rule_write() prints a rule in the canonical
 * order above, leaving out defaults; rule_parse() reads it back to the
 * same rule.
 */
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fwmsg.h"
#include "names.h"
#include "slotctl.h"

/* The words being parsed and where the parser is. */
struct rule_words {
	int argc;
	char **argv;
	int i;
	const struct rule_env *env;
	struct parse_err *e;
	bool redirect;		/* a redirect rule's words */
	int kw[16];		/* where each keyword was, -1: not given */
};

enum rule_kw {
	KW_DIR, KW_APPLIED, KW_SRC, KW_DST, KW_PROTO, KW_SPORT, KW_DPORT,
	KW_ICMP_TYPE, KW_ICMP_CODE, KW_LOG, KW_COUNT
};

static const char *const kw_names[KW_COUNT + 1] = {
	[KW_DIR]	= "dir",
	[KW_APPLIED]	= "applied-to",
	[KW_SRC]	= "src",
	[KW_DST]	= "dst",
	[KW_PROTO]	= "proto",
	[KW_SPORT]	= "sport",
	[KW_DPORT]	= "dport",
	[KW_ICMP_TYPE]	= "icmp-type",
	[KW_ICMP_CODE]	= "icmp-code",
	[KW_LOG]	= "log",
};

static const char *const action_words[] = { "allow", "drop", "reject", NULL };
static const char *const redirect_words[] = { "redirect", "skip", NULL };
static const char *const dir_words[] = { "any", "ingress", "egress", NULL };

/* Fail at word @i, @off bytes into it. */
static int fail_at(struct rule_words *w, int i, unsigned int off)
{
	w->e->word = i;
	w->e->off = off;
	return -1;
}

/* Step to the value of the keyword at w->i. */
static int next_value(struct rule_words *w)
{
	if (w->i + 1 >= w->argc) {
		parse_errf(w->e, "missing argument after \"%s\"",
			   w->argv[w->i]);
		return fail_at(w, w->argc, 0);
	}
	w->i++;
	return 0;
}

static int parse_action(struct rule_words *w, struct sf_rule *rule)
{
	const char *const *words = w->redirect ? redirect_words : action_words;
	int a;

	if (w->i >= w->argc) {
		parse_errf(w->e, w->redirect ?
			   "missing action (redirect or skip)" :
			   "missing action (allow, drop or reject)");
		return fail_at(w, w->argc, 0);
	}
	a = word_choice(w->argv[w->i], "action", words, w->e);
	if (a < 0)
		return fail_at(w, w->i, 0);
	rule->action = sf_action_parse(words[a]);
	return 0;
}

/* What to do with one item of a comma-separated list, @off bytes in. */
typedef int (*item_fn)(struct rule_words *w, const char *item,
		       unsigned int off, struct sf_rule *rule);

/* Call @fn for each comma-separated item of the word at w->i. */
static int for_each_item(struct rule_words *w, const char *what, item_fn fn,
			 struct sf_rule *rule)
{
	const char *word = w->argv[w->i], *p = word;
	char item[64];
	size_t len;

	for (;;) {
		len = strcspn(p, ",");
		if (!len || len >= sizeof(item)) {
			if (!len)
				parse_errf(w->e, "empty %s in list \"%.64s\"",
					   what, word);
			else
				parse_errf(w->e, "invalid %s \"%.*s\"", what,
					   64, p);
			return fail_at(w, w->i, p - word);
		}
		memcpy(item, p, len);
		item[len] = '\0';
		if (fn(w, item, p - word, rule))
			return fail_at(w, w->i, p - word);
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static int add_port(struct rule_words *w, const char *name,
		    unsigned int off, struct sf_rule *rule)
{
	unsigned int ifindex = 0;

	if (!ifname_valid(name))
		return parse_errf(w->e, "invalid device name \"%s\"", name);
	if (w->env && w->env->ifindex) {
		ifindex = w->env->ifindex(name, w->i, off, w->env->ctx);
		if (!ifindex) {
			w->e->not_found = true;
			return parse_errf(w->e, "cannot find device \"%s\"",
					  name);
		}
	}
	if (sf_rule_add_port(rule, ifindex))
		return parse_errf(w->e, "out of memory");
	return 0;
}

static int add_tag(struct rule_words *w, const char *name,
		   unsigned int off, struct sf_rule *rule)
{
	(void)off;
	if (word_name(name, "tag", w->e))
		return -1;
	if (sf_rule_add_tag(rule, name))
		return parse_errf(w->e, "out of memory");
	return 0;
}

static int parse_applied(struct rule_words *w, struct sf_rule *rule)
{
	bool ports = false, tags = false;
	const char *what;

	if (next_value(w))
		return -1;
	if (!strcmp(w->argv[w->i], "all"))
		return 0;
	for (;;) {
		what = w->argv[w->i];
		if (!strcmp(what, "port") && !ports) {
			ports = true;
			if (next_value(w) ||
			    for_each_item(w, "device name", add_port, rule))
				return -1;
		} else if (!strcmp(what, "tag") && !tags) {
			tags = true;
			if (next_value(w) ||
			    for_each_item(w, "tag name", add_tag, rule))
				return -1;
		} else {
			parse_errf(w->e, "invalid applied-to \"%.64s\" (all, port or tag)",
				   what);
			return fail_at(w, w->i, 0);
		}
		/* "port A tag B" or "tag B port A": go on with the other */
		if (ports && tags)
			return 0;
		if (w->i + 1 >= w->argc ||
		    strcmp(w->argv[w->i + 1], ports ? "tag" : "port"))
			return 0;
		w->i++;
	}
}

static int parse_match(struct rule_words *w, struct sf_match *m)
{
	const char *word;

	if (next_value(w))
		return -1;
	word = w->argv[w->i];
	if (*word == '@') {
		if (word_name(word + 1, "set", w->e))
			return fail_at(w, w->i, 0);
		if (w->env && w->env->set_known &&
		    !w->env->set_known(word + 1, w->i, 0, w->env->ctx)) {
			parse_errf(w->e, "unknown set \"%s\"", word + 1);
			return fail_at(w, w->i, 0);
		}
		m->kind = SF_MATCH_SET;
		strcpy(m->set, word + 1);
		return 0;
	}
	if (sf_prefix_parse(word, &m->prefix, w->e->msg, sizeof(w->e->msg)))
		return fail_at(w, w->i, 0);
	m->kind = SF_MATCH_PREFIX;
	return 0;
}

static int parse_proto(struct rule_words *w, struct sf_rule *rule)
{
	int proto;

	if (next_value(w))
		return -1;
	proto = sf_proto_parse(w->argv[w->i]);
	if (proto < 0) {
		parse_errf(w->e, "invalid protocol \"%.64s\" (tcp, udp, icmp, icmpv6, sctp, udplite or 0-255)",
			   w->argv[w->i]);
		return fail_at(w, w->i, 0);
	}
	rule->has_proto = true;
	rule->proto = proto;
	return 0;
}

/* "N" or "N-M", 0-65535, N <= M */
static int parse_range(struct rule_words *w, struct sf_range *r)
{
	char *word, *dash, first[8];
	uint32_t min, max;
	size_t len;

	if (next_value(w))
		return -1;
	word = w->argv[w->i];
	dash = strchr(word, '-');
	len = dash ? (size_t)(dash - word) : strlen(word);
	if (len >= sizeof(first)) {
		parse_errf(w->e, "invalid port \"%.64s\"", word);
		return fail_at(w, w->i, 0);
	}
	memcpy(first, word, len);
	first[len] = '\0';
	if (word_u32(first, "port", 0, 65535, &min, w->e))
		return fail_at(w, w->i, 0);
	max = min;
	if (dash && word_u32(dash + 1, "port", 0, 65535, &max, w->e))
		return fail_at(w, w->i, dash + 1 - word);
	if (min > max) {
		parse_errf(w->e, "invalid port range \"%s\": start above end",
			   word);
		return fail_at(w, w->i, 0);
	}
	r->present = true;
	r->min = min;
	r->max = max;
	return 0;
}

static int parse_u8(struct rule_words *w, const char *what, bool *has,
		    uint8_t *v)
{
	uint32_t n;

	if (next_value(w))
		return -1;
	if (word_u32(w->argv[w->i], what, 0, 255, &n, w->e))
		return fail_at(w, w->i, 0);
	*has = true;
	*v = n;
	return 0;
}

static int parse_keyword(struct rule_words *w, int kw, struct sf_rule *rule)
{
	int d;

	switch (kw) {
	case KW_DIR:
		if (next_value(w))
			return -1;
		d = word_choice(w->argv[w->i], "direction", dir_words, w->e);
		if (d < 0)
			return fail_at(w, w->i, 0);
		rule->dir = sf_rule_dir_parse(dir_words[d]);
		return 0;
	case KW_APPLIED:
		return parse_applied(w, rule);
	case KW_SRC:
		return parse_match(w, &rule->src);
	case KW_DST:
		return parse_match(w, &rule->dst);
	case KW_PROTO:
		return parse_proto(w, rule);
	case KW_SPORT:
		return parse_range(w, &rule->sport);
	case KW_DPORT:
		return parse_range(w, &rule->dport);
	case KW_ICMP_TYPE:
		return parse_u8(w, "icmp-type", &rule->has_icmp_type,
				&rule->icmp_type);
	case KW_ICMP_CODE:
		return parse_u8(w, "icmp-code", &rule->has_icmp_code,
				&rule->icmp_code);
	case KW_LOG:
		rule->log = true;
		return 0;
	}
	return -1;
}

static int match_family(const struct sf_match *m)
{
	return m->kind == SF_MATCH_PREFIX ? m->prefix.family : 0;
}

/* What the words say together; each message names the word at fault. */
static int check_rule(struct rule_words *w, const struct sf_rule *rule)
{
	bool l4 = rule->has_proto && sf_proto_has_ports(rule->proto);
	bool icmp = rule->has_proto && (rule->proto == IPPROTO_ICMP ||
					rule->proto == IPPROTO_ICMPV6);
	int src = match_family(&rule->src), dst = match_family(&rule->dst);
	int family = src ? src : dst;
	static const int l4_kws[] = { KW_SPORT, KW_DPORT };
	static const int icmp_kws[] = { KW_ICMP_TYPE, KW_ICMP_CODE };
	unsigned int k;

	for (k = 0; k < 2; k++) {
		if (w->kw[l4_kws[k]] >= 0 && !l4) {
			parse_errf(w->e, "\"%s\" needs proto tcp, udp, udplite or sctp",
				   kw_names[l4_kws[k]]);
			return fail_at(w, w->kw[l4_kws[k]], 0);
		}
		if (w->kw[icmp_kws[k]] >= 0 && !icmp) {
			parse_errf(w->e, "\"%s\" needs proto icmp or icmpv6",
				   kw_names[icmp_kws[k]]);
			return fail_at(w, w->kw[icmp_kws[k]], 0);
		}
	}
	if (src && dst && src != dst) {
		parse_errf(w->e, "src is %s but dst is %s: the rule can never match",
			   src == AF_INET ? "IPv4" : "IPv6",
			   dst == AF_INET ? "IPv4" : "IPv6");
		return fail_at(w, w->kw[KW_DST] + 1, 0);
	}
	if (icmp && family && (family == AF_INET) != (rule->proto == IPPROTO_ICMP)) {
		parse_errf(w->e, "proto %s never matches %s addresses",
			   sf_proto_name(rule->proto),
			   family == AF_INET ? "IPv4" : "IPv6");
		return fail_at(w, w->kw[KW_PROTO] + 1, 0);
	}
	return 0;
}

/* "service NAME" before a redirect rule's id; w->i: the id's word. */
static int parse_service(struct rule_words *w, struct sf_rule *rule)
{
	const char *name;

	/* A file's words have no NULL at argv[argc]: no argv[0] if argc 0. */
	if (w->argc < 1) {
		parse_errf(w->e, "missing \"service NAME\"");
		return fail_at(w, 0, 0);
	}
	if (strcmp(w->argv[0], "service")) {
		parse_errf(w->e,
			   "unexpected word \"%.64s\" (service NAME first)",
			   w->argv[0]);
		return fail_at(w, 0, 0);
	}
	if (next_value(w))
		return -1;
	name = w->argv[w->i];
	if (word_name(name, "service", w->e))
		return fail_at(w, w->i, 0);
	if (w->env && w->env->service_known &&
	    !w->env->service_known(name, w->i, 0, w->env->ctx)) {
		parse_errf(w->e, "unknown service \"%s\"", name);
		return fail_at(w, w->i, 0);
	}
	strcpy(rule->service, name);
	w->i++;
	return 0;
}

static int parse_words(struct rule_words *w, struct sf_rule *rule)
{
	struct parse_err *e = w->e;
	int argc = w->argc, kw, first;
	char **argv = w->argv;
	uint32_t id;

	memset(rule, 0, sizeof(*rule));
	memset(e, 0, sizeof(*e));
	for (kw = 0; kw < KW_COUNT; kw++)
		w->kw[kw] = -1;
	if (w->redirect && parse_service(w, rule))
		return -1;
	first = w->i;
	if (first >= argc) {
		parse_errf(e, "missing rule id");
		return fail_at(w, argc, 0);
	}
	if (word_u32(argv[first], "rule id", 1, UINT32_MAX, &id, e))
		return fail_at(w, first, 0);
	rule->id = id;
	w->i = first + 1;
	if (parse_action(w, rule))
		return -1;
	for (w->i = first + 2; w->i < argc; w->i++) {
		for (kw = 0; kw < KW_COUNT; kw++) {
			if (!strcmp(argv[w->i], kw_names[kw]))
				break;
		}
		if (kw == KW_COUNT) {
			parse_errf(e, "unknown rule word \"%.64s\"", argv[w->i]);
			return fail_at(w, w->i, 0);
		}
		if (kw == KW_LOG && w->redirect) {
			parse_errf(e, "redirect rules do not log");
			return fail_at(w, w->i, 0);
		}
		if (w->kw[kw] >= 0) {
			parse_errf(e, "\"%s\" given more than once", argv[w->i]);
			return fail_at(w, w->i, 0);
		}
		w->kw[kw] = w->i;
		if (parse_keyword(w, kw, rule))
			return -1;
	}
	return check_rule(w, rule);
}

/*
 * Parse the @argc words of a rule into @rule (which the caller frees with
 * sf_rule_free(), also after an error). -1 with @e saying what and which
 * word (e->word == argc: something is missing at the end).
 */
int rule_parse(struct sf_rule *rule, int argc, char **argv,
	       const struct rule_env *env, struct parse_err *e)
{
	struct rule_words w = { argc, argv, 0, env, e, false, { 0 } };

	return parse_words(&w, rule);
}

/* The same for a redirect rule: "service NAME ID ACTION [WORDS]". */
int redirect_parse(struct sf_rule *rule, int argc, char **argv,
		   const struct rule_env *env, struct parse_err *e)
{
	struct rule_words w = { argc, argv, 0, env, e, true, { 0 } };

	return parse_words(&w, rule);
}

static void write_match(FILE *fp, const char *kw, const struct sf_match *m)
{
	char buf[SF_PREFIX_STRLEN];

	if (m->kind == SF_MATCH_SET) {
		fprintf(fp, " %s @%s", kw, m->set);
	} else if (m->kind == SF_MATCH_PREFIX) {
		sf_prefix_format(&m->prefix, buf);
		fprintf(fp, " %s %s", kw, buf);
	}
}

static void write_range(FILE *fp, const char *kw, const struct sf_range *r)
{
	if (!r->present)
		return;
	fprintf(fp, " %s %u", kw, r->min);
	if (r->max != r->min)
		fprintf(fp, "-%u", r->max);
}

/* The device name of @ifindex, or "#N" if there is none here. */
const char *ifindex_name(uint32_t ifindex, char *buf)
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "#%u", ifindex);
	return buf;
}

/* @rule as words, canonical order, no newline; "service NAME" first. */
void rule_write(FILE *fp, const struct sf_rule *rule,
		const char *(*ifname)(uint32_t ifindex, char *buf))
{
	char name[IF_NAMESIZE];
	const char *proto;
	unsigned int i;

	if (rule->service[0])
		fprintf(fp, "service %s ", rule->service);
	fprintf(fp, "%u %s", rule->id, sf_action_name(rule->action));
	if (rule->dir != SLOTFILTER_RULE_DIR_ANY)
		fprintf(fp, " dir %s", sf_rule_dir_name(rule->dir));
	if (rule->n_ports || rule->n_tags)
		fputs(" applied-to", fp);
	for (i = 0; i < rule->n_ports; i++)
		fprintf(fp, "%s%s", i ? "," : " port ",
			ifname(rule->ports[i], name));
	for (i = 0; i < rule->n_tags; i++)
		fprintf(fp, "%s%s", i ? "," : " tag ", rule->tags[i]);
	write_match(fp, "src", &rule->src);
	write_match(fp, "dst", &rule->dst);
	if (rule->has_proto) {
		proto = sf_proto_name(rule->proto);
		if (proto)
			fprintf(fp, " proto %s", proto);
		else
			fprintf(fp, " proto %u", rule->proto);
	}
	write_range(fp, "sport", &rule->sport);
	write_range(fp, "dport", &rule->dport);
	if (rule->has_icmp_type)
		fprintf(fp, " icmp-type %u", rule->icmp_type);
	if (rule->has_icmp_code)
		fprintf(fp, " icmp-code %u", rule->icmp_code);
	if (rule->log)
		fputs(" log", fp);
}
