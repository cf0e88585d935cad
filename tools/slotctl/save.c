// SPDX-License-Identifier: GPL-2.0
/*
 * save.c - slotctl save: the current state as a file for slotctl apply
 *
 * SYNOPSIS
 *	slotctl save
 *
 * Prints, in config.c's format: the ports with their tags (ascending
 * ifindex), the sets with their elements (eight to a line, lines ending
 * with "," continued), the services in slot order with every option,
 * every firewall setting explicitly, the rules in order, and the
 * redirect rules (services in slot order, each one's rules in order). Applying the output changes nothing, and saving again prints
 * the same text: both sides write sets sorted and rules canonically
 * (rule.c).
 */
#include <stdlib.h>
#include <string.h>

#include "fwmsg.h"
#include "portmsg.h"
#include "print.h"
#include "slotctl.h"
#include "svcmsg.h"

#define ELEMS_PER_LINE	8

void save_usage(FILE *fp)
{
	fputs("Usage: slotctl save\n", fp);
}

static void write_set(FILE *fp, const struct sf_set *set)
{
	char buf[SF_PREFIX_STRLEN];
	size_t i;

	fprintf(fp, "set %s", set->name);
	for (i = 0; i < set->n; i++) {
		sf_prefix_format(&set->elems[i], buf);
		if (!i)
			fputc(' ', fp);
		else if (i % ELEMS_PER_LINE)
			fputc(',', fp);
		else
			fputs(",\n    ", fp);
		fputs(buf, fp);
	}
	fputc('\n', fp);
}

/*
 * The whole state as a file; sets must be sorted (sf_set_sort()),
 * services and redirect rules in slot order (redirects_sort()).
 */
void save_write(FILE *fp, const struct sf_port *ports, size_t n_ports,
		const struct sf_sets *sets, const struct sf_services *svcs,
		const struct sf_ruleset *rs,
		const char *(*ifname)(uint32_t ifindex, char *buf))
{
	unsigned int t;
	size_t i;

	for (i = 0; i < n_ports; i++) {
		fprintf(fp, "port %s", ports[i].ifname);
		for (t = 0; t < ports[i].n_tags; t++)
			fprintf(fp, "%s%s", t ? "," : " tags ",
				ports[i].tags[t]);
		fputc('\n', fp);
	}
	for (i = 0; i < sets->n; i++)
		write_set(fp, &sets->sets[i]);
	for (i = 0; i < svcs->n; i++) {
		fputs("service ", fp);
		service_write(fp, &svcs->svcs[i]);
		fputc('\n', fp);
	}
	setting_write(fp, "firewall ", &rs->fw);
	for (i = 0; i < rs->n; i++) {
		fputs("rule ", fp);
		rule_write(fp, &rs->rules[i], ifname);
		fputc('\n', fp);
	}
	for (i = 0; i < rs->redirects.n; i++) {
		fputs("redirect ", fp);
		rule_write(fp, &rs->redirects.rules[i], ifname);
		fputc('\n', fp);
	}
}

int do_save(int argc, char **argv, const struct slotctl_opts *opts)
{
	struct sf_port *ports = NULL;
	struct sf_ruleset rs = { 0 };
	struct sf_services svcs = { 0 };
	struct sf_sets sets = { 0 };
	size_t n_ports = 0, i;
	int ret;

	(void)opts;
	no_more_args(argc, argv);
	if (is_json_context())
		usage_error("save writes a file for \"slotctl apply\": no JSON");
	ret = ports_read(&ports, &n_ports);
	if (!ret)
		ret = sets_read(&sets, NULL);
	if (!ret)
		ret = ruleset_read(&rs);
	if (!ret)
		ret = services_read(&svcs, NULL);
	if (!ret) {
		for (i = 0; i < sets.n; i++)
			sf_set_sort(&sets.sets[i]);
		redirects_sort(&rs.redirects, &svcs);
		save_write(stdout, ports, n_ports, &sets, &svcs, &rs,
			   ifindex_name);
	}
	free(ports);
	sf_sets_free(&sets);
	sf_services_free(&svcs);
	sf_ruleset_free(&rs);
	return ret;
}
