// SPDX-License-Identifier: GPL-2.0
/*
 * slotctl.c - slotctl: configure and show slotfilter
 *
 * slotctl [OPTIONS] OBJECT [COMMAND [ARGS]...]
 *
 * Options come first; the first word that is not an option names the
 * object, which dispatches its own commands (port.c, fw.c, ...) or is a
 * command itself (apply, save, monitor). No object at all means "port
 * show".
 *
 * Exit status: 0 success, 1 the kernel or the system refused, 2 usage.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <linux/slotfilter.h>

#include "print.h"
#include "slotctl.h"

#ifndef SLOTCTL_VERSION
#define SLOTCTL_VERSION "unknown"
#endif

static void main_usage(FILE *fp)
{
	fputs("Usage: slotctl [ OPTIONS ] OBJECT [ COMMAND [ ARGS ]... ]\n"
	      "       slotctl help [ OBJECT ]\n"
	      "where  OBJECT := { port | fw | service | redirect | apply | save | monitor }\n"
	      "       OPTIONS := { -j | --json | -p | --pretty | -s | --stats |\n"
	      "                    -h | --help | -V | --version }\n"
	      "Without OBJECT, slotctl shows the ports (\"port show\").\n", fp);
}

static int do_help(int argc, char **argv, const struct slotctl_opts *opts);

static const struct cmd objects[] = {
	{ "port",	do_port,	port_usage },
	{ "fw",		do_fw,		fw_usage },
	{ "service",	do_service,	service_usage },
	{ "redirect",	do_redirect,	redirect_usage },
	{ "apply",	do_apply,	apply_usage },
	{ "save",	do_save,	save_usage },
	{ "monitor",	do_monitor,	monitor_usage },
	{ "help",	do_help,	main_usage },
	{ }
};

static int do_help(int argc, char **argv, const struct slotctl_opts *opts)
{
	const struct cmd *obj;

	(void)opts;
	if (argc < 1) {
		main_usage(stdout);
		return 0;
	}
	obj = find_cmd(objects, *argv);
	if (!obj)
		usage_error("unknown object \"%s\"", *argv);
	no_more_args(argc - 1, argv + 1);
	obj->usage(stdout);
	return 0;
}

static const struct option long_opts[] = {
	{ "json",	no_argument,	NULL, 'j' },
	{ "pretty",	no_argument,	NULL, 'p' },
	{ "stats",	no_argument,	NULL, 's' },
	{ "help",	no_argument,	NULL, 'h' },
	{ "version",	no_argument,	NULL, 'V' },
	{ }
};

static int run(int argc, char **argv, const struct slotctl_opts *opts)
{
	const struct cmd *obj;

	if (argc < 1)
		return do_port(0, NULL, opts);
	obj = find_cmd(objects, *argv);
	if (!obj)
		usage_error("unknown object \"%s\"", *argv);
	set_usage(obj->usage);
	return obj->fn(argc - 1, argv + 1, opts);
}

int main(int argc, char **argv)
{
	struct slotctl_opts opts = { 0 };
	bool json = false, pretty = false;
	int c, ret;

	set_usage(main_usage);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+jpshV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'p':
			pretty = true;
			break;
		case 's':
			opts.stats = true;
			break;
		case 'h':
			main_usage(stdout);
			return 0;
		case 'V':
			printf("slotctl %s (genl family version %d)\n",
			       SLOTCTL_VERSION, SLOTFILTER_GENL_VERSION);
			return 0;
		default:
			if (optopt)
				usage_error("unknown option \"-%c\"", optopt);
			usage_error("unknown option \"%s\"", argv[optind - 1]);
		}
	}

	if (print_begin(stdout, json, pretty)) {
		errorf("out of memory");
		return 1;
	}
	ret = run(argc - optind, argv + optind, &opts);
	slotctl_close();
	if (print_end() && !ret) {
		errorf("error writing output");
		ret = 1;
	}
	return ret;
}
