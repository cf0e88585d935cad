// SPDX-License-Identifier: GPL-2.0
/*
 * service.c - slotctl service: inspection services at slots 4-11
 *
 * SYNOPSIS
 *	slotctl service add NAME slot N [OPTIONS]
 *	slotctl service set NAME [slot N] [OPTIONS]
 *	slotctl service del NAME
 *	slotctl [-s] [-j [-p]] service [show [NAME]]
 *	OPTIONS := [failure-policy open|closed] [timeout MS] [queue-max N]
 *		   [copy full|BYTES]
 *
 * The words after "add" and "set" are svcwords.c's, the same as a
 * "service" line of a file. "add" leaves what it does not give at the
 * kernel's defaults (open, 1000 ms, 1024, full); "set" changes only what
 * it gives. Refusals are the kernel's (a taken slot, an unknown service, a
 * service its redirect rules still name), printed with its message.
 *
 * TEXT OUTPUT of "service show" (stable: scripts may parse it), services
 * in slot order:
 *
 *	service NAME slot N failure-policy P timeout MS queue-max N copy C
 *	  state no-helper|up|failing [gso] held N most-held N redirect-rules N
 *
 * and with -s four counter lines:
 *
 *	    redirected N continued N dropped N timed-out N failed-open N
 *		failed-closed N				(one line)
 *	    failures: no-helper N queue-full N deadline N helper-gone N
 *		failing N				(one line)
 *	    flow-continued N flow-dropped N late N rewritten N teardown N
 *	    latency: <1us N <2us N ... >=4194304us N
 *
 * The first line is exactly a "service" line of a file. "gso": the bound
 * helper takes GSO packets whole. The latency line lists the buckets of
 * the verdict-latency histogram that are not zero ("latency: none" if
 * all are): bucket i counts verdicts that came in less than 2^i us (and
 * at least 2^(i-1)); the last one, every slower verdict.
 *
 * JSON OUTPUT (-j), always complete: an array of
 *
 *	{"name":"ips","slot":4,"failure-policy":"open","timeout":1000,
 *	 "queue-max":1024,"copy":null|N,"state":"up","gso":false,"held":N,
 *	 "most-held":N,"redirect-rules":N,
 *	 "counters":{"redirected":N,...,"teardown":N},"latency":[N x 24]}
 *
 * ("copy" null: the whole packet). "service show NAME" is an array of one.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/slotfilter.h>

#include "names.h"
#include "print.h"
#include "slotctl.h"
#include "svcmsg.h"

void service_usage(FILE *fp)
{
	fputs("Usage: slotctl service add NAME slot N [ OPTIONS ]\n"
	      "       slotctl service set NAME [ slot N ] [ OPTIONS ]\n"
	      "       slotctl service del NAME\n"
	      "       slotctl [ -s ] [ -j [ -p ] ] service [ show [ NAME ] ]\n"
	      "       slotctl service help\n"
	      "where  N := { 4..11 }\n"
	      "       OPTIONS := [ failure-policy { open | closed } ] [ timeout MS ]\n"
	      "                  [ queue-max N ] [ copy { full | BYTES } ]\n", fp);
}

/* Counters as "service show -s" groups them on its lines. */
static const unsigned int stat_lines[][7] = {
	{ SLOTFILTER_STAT_REDIRECTED, SLOTFILTER_STAT_CONTINUED,
	  SLOTFILTER_STAT_DROPPED, SLOTFILTER_STAT_TIMED_OUT,
	  SLOTFILTER_STAT_FAILED_OPEN, SLOTFILTER_STAT_FAILED_CLOSED },
	{ SLOTFILTER_STAT_NO_HELPER, SLOTFILTER_STAT_QUEUE_FULL,
	  SLOTFILTER_STAT_DEADLINE, SLOTFILTER_STAT_HELPER_GONE,
	  SLOTFILTER_STAT_FAILING },
	{ SLOTFILTER_STAT_FLOW_CONTINUED, SLOTFILTER_STAT_FLOW_DROPPED,
	  SLOTFILTER_STAT_LATE, SLOTFILTER_STAT_REWRITTEN,
	  SLOTFILTER_STAT_TEARDOWN },
};

static void counters_print(const struct sf_service *svc, bool stats)
{
	enum output_type t = stats ? PRINT_ANY : PRINT_JSON;
	unsigned int l, i, s;
	char fmt[40];

	open_json_object("counters");
	for (l = 0; l < 3; l++) {
		if (stats)
			print_text(l == 1 ? "    failures:" : "   ");
		for (i = 0; (s = stat_lines[l][i]); i++) {
			snprintf(fmt, sizeof(fmt), " %s %%" PRIu64,
				 sf_service_stat_name(s));
			print_u64(t, sf_service_stat_name(s), fmt,
				  svc->stats[s]);
		}
		if (stats)
			print_nl();
	}
	close_json_object();
}

static void latency_print(const struct sf_service *svc, bool stats)
{
	bool any = false;
	unsigned int i;

	open_json_array("latency");
	for (i = 0; i < SLOTFILTER_LATENCY_BUCKETS; i++)
		print_u64(PRINT_JSON, NULL, NULL, svc->latency[i]);
	close_json_array();
	if (!stats)
		return;
	print_text("    latency:");
	for (i = 0; i < SLOTFILTER_LATENCY_BUCKETS; i++) {
		if (!svc->latency[i])
			continue;
		any = true;
		if (i == SLOTFILTER_LATENCY_BUCKETS - 1)
			print_text(" >=%luus %" PRIu64, 1UL << (i - 1),
				   svc->latency[i]);
		else
			print_text(" <%luus %" PRIu64, 1UL << i,
				   svc->latency[i]);
	}
	print_text("%s", any ? "" : " none");
	print_nl();
}

void service_print(const struct sf_service *svc, bool stats)
{
	char *words = NULL;
	size_t len = 0;
	FILE *fp;

	open_json_object(NULL);
	if (!is_json_context()) {
		fp = open_memstream(&words, &len);
		if (fp) {
			service_write(fp, svc);
			fclose(fp);
		}
		print_text("service %s\n", words ? words : "?");
		free(words);
	}
	print_string(PRINT_JSON, "name", NULL, svc->name);
	print_uint(PRINT_JSON, "slot", NULL, svc->slot);
	print_string(PRINT_JSON, "failure-policy", NULL,
		     sf_fail_name(svc->policy));
	print_uint(PRINT_JSON, "timeout", NULL, svc->timeout);
	print_uint(PRINT_JSON, "queue-max", NULL, svc->queue_max);
	if (svc->copy)
		print_uint(PRINT_JSON, "copy", NULL, svc->copy);
	else
		print_null(PRINT_JSON, "copy", NULL);
	print_string(PRINT_ANY, "state", "  state %s",
		     sf_service_state_name(svc->state));
	print_bool(PRINT_JSON, "gso", NULL,
		   svc->flags & SLOTFILTER_SERVICE_F_GSO);
	if (svc->flags & SLOTFILTER_SERVICE_F_GSO)
		print_text(" gso");
	print_uint(PRINT_ANY, "held", " held %u", svc->held);
	print_uint(PRINT_ANY, "most-held", " most-held %u", svc->most_held);
	print_uint(PRINT_ANY, "redirect-rules", " redirect-rules %u",
		   svc->nredirects);
	print_nl();
	counters_print(svc, stats);
	latency_print(svc, stats);
	close_json_object();
}

void services_print(const struct sf_services *svcs, bool stats)
{
	size_t i;

	open_json_array(NULL);
	for (i = 0; i < svcs->n; i++)
		service_print(&svcs->svcs[i], stats);
	close_json_array();
}

static int service_show(int argc, char **argv,
			const struct slotctl_opts *opts)
{
	struct sf_services svcs;
	struct parse_err e;
	const char *name = NULL;
	int ret;

	if (argc > 0) {
		name = *argv;
		if (word_name(name, "service", &e))
			cli_parse_error(&e);
		no_more_args(argc - 1, argv + 1);
	}
	ret = services_read(&svcs, name);
	if (!ret)
		services_print(&svcs, opts->stats);
	sf_services_free(&svcs);
	return ret;
}

/* add and set: the service's words after the command's. */
static int service_change(uint8_t cmd, int argc, char **argv)
{
	struct sf_service svc = { .name = "" };
	struct nlmsghdr *nlh;
	struct parse_err e;
	int given;

	sf_service_defaults(&svc);
	given = service_parse(argc, argv, &svc, &e);
	if (given < 0)
		cli_parse_error(&e);
	if (cmd == SLOTFILTER_CMD_SERVICE_ADD && !(given & SF_SVC_SLOT))
		usage_error("missing \"slot N\" (%d-%d)",
			    SLOTFILTER_SLOT_SERVICE_FIRST,
			    SLOTFILTER_SLOT_SERVICE_LAST);
	if (cmd == SLOTFILTER_CMD_SERVICE_SET && !given)
		usage_error("nothing to change for service \"%s\"", svc.name);
	nlh = slotctl_request(cmd, 0);
	sf_service_put(nlh, &svc, given);
	return slotctl_talk(nlh, NULL, NULL);
}

static int service_add(int argc, char **argv, const struct slotctl_opts *opts)
{
	(void)opts;
	return service_change(SLOTFILTER_CMD_SERVICE_ADD, argc, argv);
}

static int service_set(int argc, char **argv, const struct slotctl_opts *opts)
{
	(void)opts;
	return service_change(SLOTFILTER_CMD_SERVICE_SET, argc, argv);
}

static int service_del(int argc, char **argv, const struct slotctl_opts *opts)
{
	struct nlmsghdr *nlh;
	struct parse_err e;

	(void)opts;
	if (argc < 1)
		usage_error("missing service name");
	if (word_name(*argv, "service", &e))
		cli_parse_error(&e);
	no_more_args(argc - 1, argv + 1);
	nlh = slotctl_request(SLOTFILTER_CMD_SERVICE_DEL, 0);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, *argv);
	return slotctl_talk(nlh, NULL, NULL);
}

static int service_help(int argc, char **argv, const struct slotctl_opts *opts)
{
	(void)opts;
	no_more_args(argc, argv);
	service_usage(stdout);
	return 0;
}

static const struct cmd service_cmds[] = {
	{ "show",	service_show,	NULL },
	{ "add",	service_add,	NULL },
	{ "set",	service_set,	NULL },
	{ "del",	service_del,	NULL },
	{ "help",	service_help,	NULL },
	{ }
};

int do_service(int argc, char **argv, const struct slotctl_opts *opts)
{
	if (argc < 1)
		return service_show(0, NULL, opts);
	return run_cmd(service_cmds, "service", argc, argv, opts);
}
