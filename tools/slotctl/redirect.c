// SPDX-License-Identifier: GPL-2.0
/*
 * redirect.c - slotctl redirect: the rules that pick a service's packets
 *
 * SYNOPSIS
 *	slotctl redirect add service NAME ID ACTION [RULEWORDS]
 *		[before ID | after ID]
 *	slotctl redirect del [service NAME] ID
 *	slotctl [-s] [-j [-p]] redirect [show [service NAME]]
 *	ACTION := redirect | skip
 *
 * A redirect rule is the firewall's rule words (rule.c) after "service
 * NAME", with the action redirect or skip and without "log"; the same
 * words make a "redirect" line of a file. Ids are unique within a
 * service, whose rules are walked in order, first match wins.
 *
 * Redirect rules are part of the firewall's ruleset: every change reads
 * the whole ruleset (firewall rules and redirect rules, with its
 * generation), changes it and replaces it in one commit (ruleset.c), so a
 * redirect change never loses a firewall rule, nor a firewall change a
 * redirect rule, and a concurrent commit makes the kernel refuse (-EBUSY).
 *
 * TEXT OUTPUT of "redirect show": one line per rule, exactly a line of a
 * file, services in slot order, each service's rules in order; with -s
 * each line is followed by its counters (as "fw rule show -s"):
 *
 *	redirect service NAME ID ACTION [WORDS]...
 *	    packets N bytes N flows N last-hit S.MMMs ago|never
 *
 * JSON (-j): an array of rules as "fw rule show -j" prints them, with
 * "service" first and no "log".
 */
#include <stdlib.h>
#include <string.h>

#include <net/if.h>

#include "fwmsg.h"
#include "print.h"
#include "slotctl.h"
#include "svcmsg.h"

void redirect_usage(FILE *fp)
{
	fputs("Usage: slotctl redirect add service NAME ID ACTION [ RULEWORDS ] [ before ID | after ID ]\n"
	      "       slotctl redirect del [ service NAME ] ID\n"
	      "       slotctl [ -s ] [ -j [ -p ] ] redirect [ show [ service NAME ] ]\n"
	      "       slotctl redirect help\n"
	      "where  ACTION := { redirect | skip }\n"
	      "       RULEWORDS := [ dir { ingress | egress | any } ]\n"
	      "                    [ applied-to { all | port IFNAME[,IFNAME...] | tag NAME[,NAME...] } ]\n"
	      "                    [ src { PREFIX | @SET } ] [ dst { PREFIX | @SET } ]\n"
	      "                    [ proto { tcp | udp | icmp | icmpv6 | sctp | udplite | NUMBER } ]\n"
	      "                    [ sport N[-M] ] [ dport N[-M] ] [ icmp-type N ] [ icmp-code N ]\n",
	      fp);
}

struct sort_key {
	unsigned int slot;	/* the service's, 12 + for unknown services */
	const struct sf_rule *rule;
	size_t i;
};

static int key_cmp(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;
	int c;

	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	c = strcmp(x->rule->service, y->rule->service);
	if (c)
		return c;
	return (x->i > y->i) - (x->i < y->i);
}

/*
 * The order show and save print @l in: grouped by service, services in
 * slot order (those @svcs does not know, or all if it is NULL, after, by
 * name), each service's rules keeping their order. Returns the indexes
 * of @l in that order (the caller frees them), NULL if out of memory.
 */
size_t *redirects_order(const struct sf_rule_list *l,
			const struct sf_services *svcs)
{
	struct sort_key *k = calloc(l->n ? l->n : 1, sizeof(*k));
	size_t *order = calloc(l->n ? l->n : 1, sizeof(*order));
	const struct sf_service *svc;
	size_t i;

	if (!k || !order) {
		free(k);
		free(order);
		return NULL;
	}
	for (i = 0; i < l->n; i++) {
		svc = svcs ? sf_services_find(svcs, l->rules[i].service) : NULL;
		k[i] = (struct sort_key){ svc ? svc->slot : 12, &l->rules[i],
					  i };
	}
	qsort(k, l->n, sizeof(*k), key_cmp);
	for (i = 0; i < l->n; i++)
		order[i] = k[i].i;
	free(k);
	return order;
}

/* Put @l in that order (left as it is if out of memory). */
void redirects_sort(struct sf_rule_list *l, const struct sf_services *svcs)
{
	size_t *order = redirects_order(l, svcs);
	struct sf_rule *rules = malloc((l->n ? l->n : 1) * sizeof(*rules));
	size_t i;

	if (order && rules) {
		for (i = 0; i < l->n; i++)
			rules[i] = l->rules[order[i]];
		memcpy(l->rules, rules, l->n * sizeof(*rules));
	}
	free(rules);
	free(order);
}

/* The rules of @service (NULL: all), in JSON an array. */
void redirects_print(const struct sf_rule_list *l, const char *service,
		     bool stats)
{
	size_t i;

	open_json_array(NULL);
	for (i = 0; i < l->n; i++) {
		if (!service || !strcmp(l->rules[i].service, service))
			rule_print(&l->rules[i], stats);
	}
	close_json_array();
}

/* The ruleset and the services, redirect rules sorted as shown. */
static int read_all(struct sf_ruleset *rs, struct sf_services *svcs)
{
	int ret = ruleset_read(rs);

	memset(svcs, 0, sizeof(*svcs));
	if (!ret)
		ret = services_read(svcs, NULL);
	if (!ret)
		redirects_sort(&rs->redirects, svcs);
	return ret;
}

/* "service NAME": the name, checked; NULL if the words do not start so. */
static const char *parse_service_kw(int *argc, char ***argv)
{
	struct parse_err e;
	const char *name;

	if (*argc < 1 || strcmp(**argv, "service"))
		return NULL;
	if (*argc < 2)
		missing_arg("service");
	name = (*argv)[1];
	if (word_name(name, "service", &e))
		cli_parse_error(&e);
	*argc -= 2;
	*argv += 2;
	return name;
}

static int redirect_show(int argc, char **argv,
			 const struct slotctl_opts *opts)
{
	const char *service = parse_service_kw(&argc, &argv);
	struct sf_services svcs;
	struct sf_ruleset rs;
	int ret;

	no_more_args(argc, argv);
	ret = read_all(&rs, &svcs);
	if (!ret && service && !sf_services_find(&svcs, service)) {
		errorf("no service \"%s\"", service);
		ret = 1;
	}
	if (!ret)
		redirects_print(&rs.redirects, service, opts->stats);
	sf_ruleset_free(&rs);
	sf_services_free(&svcs);
	return ret;
}

static unsigned int cli_ifindex(const char *name, int word,
				unsigned int off, void *ctx)
{
	(void)word;
	(void)off;
	(void)ctx;
	return if_nametoindex(name);
}

/* Where "before ID" / "after ID" puts the rule; by default after the
 * service's last rule (or last of all). */
static int position(const struct sf_rule_list *l, const char *service,
		    const char *where, uint32_t id, size_t *pos)
{
	long i;
	size_t j;

	if (!where) {
		*pos = l->n;
		for (j = 0; j < l->n; j++) {
			if (!strcmp(l->rules[j].service, service))
				*pos = j + 1;
		}
		return 0;
	}
	i = sf_redirect_find(l, service, id);
	if (i < 0) {
		errorf("no redirect rule %u of service \"%s\" to add a rule %s",
		       id, service, where);
		return 1;
	}
	*pos = !strcmp(where, "after") ? (size_t)i + 1 : (size_t)i;
	return 0;
}

static int redirect_add(int argc, char **argv,
			const struct slotctl_opts *opts)
{
	const struct rule_env env = { cli_ifindex, NULL, NULL, NULL };
	const char *where;
	struct sf_services svcs;
	struct sf_ruleset rs;
	struct parse_err e;
	struct sf_rule rule;
	uint32_t anchor = 0;
	size_t pos;
	int ret;

	(void)opts;
	where = take_placement(&argc, argv, &anchor);
	if (redirect_parse(&rule, argc, argv, &env, &e)) {
		sf_rule_free(&rule);
		rule_words_error(argc, argv, &e);
	}
	ret = read_all(&rs, &svcs);
	if (ret)
		goto out;
	if (!sf_services_find(&svcs, rule.service)) {
		errorf("no service \"%s\"", rule.service);
		ret = 1;
		goto out;
	}
	if (sf_redirect_find(&rs.redirects, rule.service, rule.id) >= 0) {
		errorf("redirect rule %u of service \"%s\" exists already",
		       rule.id, rule.service);
		ret = 1;
		goto out;
	}
	ret = position(&rs.redirects, rule.service, where, anchor, &pos);
	if (ret)
		goto out;
	if (sf_list_insert(&rs.redirects, pos, &rule)) {
		errorf("out of memory");
		ret = 1;
		goto out;
	}
	memset(&rule, 0, sizeof(rule));		/* the ruleset has it */
	ret = ruleset_commit(&rs, NULL, NULL);
out:
	sf_rule_free(&rule);
	sf_ruleset_free(&rs);
	sf_services_free(&svcs);
	return ret;
}

static int redirect_del(int argc, char **argv,
			const struct slotctl_opts *opts)
{
	const char *service = parse_service_kw(&argc, &argv);
	struct sf_ruleset rs;
	struct parse_err e;
	long i = -1, found = 0;
	uint32_t id;
	size_t j;
	int ret;

	(void)opts;
	if (argc < 1)
		usage_error("missing rule id");
	if (word_u32(*argv, "rule id", 1, UINT32_MAX, &id, &e))
		cli_parse_error(&e);
	no_more_args(argc - 1, argv + 1);
	ret = ruleset_read(&rs);
	if (ret)
		goto out;
	for (j = 0; j < rs.redirects.n; j++) {
		if (rs.redirects.rules[j].id == id &&
		    (!service || !strcmp(rs.redirects.rules[j].service,
					 service))) {
			i = j;
			found++;
		}
	}
	if (!found) {
		if (service)
			errorf("no redirect rule %u of service \"%s\"", id,
			       service);
		else
			errorf("no redirect rule %u", id);
		ret = 1;
	} else if (found > 1) {
		errorf("redirect rule %u exists for %ld services: say which (\"redirect del service NAME %u\")",
		       id, found, id);
		ret = 1;
	} else {
		sf_list_remove(&rs.redirects, i);
		ret = ruleset_commit(&rs, NULL, NULL);
	}
out:
	sf_ruleset_free(&rs);
	return ret;
}

static int redirect_help(int argc, char **argv,
			 const struct slotctl_opts *opts)
{
	(void)opts;
	no_more_args(argc, argv);
	redirect_usage(stdout);
	return 0;
}

static const struct cmd redirect_cmds[] = {
	{ "show",	redirect_show,	NULL },
	{ "add",	redirect_add,	NULL },
	{ "del",	redirect_del,	NULL },
	{ "help",	redirect_help,	NULL },
	{ }
};

int do_redirect(int argc, char **argv, const struct slotctl_opts *opts)
{
	if (argc < 1)
		return redirect_show(0, NULL, opts);
	return run_cmd(redirect_cmds, "redirect", argc, argv, opts);
}
