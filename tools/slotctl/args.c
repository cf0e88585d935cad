// SPDX-License-Identifier: GPL-2.0
/*
 * args.c - command line words, usage errors and diagnostics
 *
 * Every diagnostic is one line on stderr starting with "slotctl: ". A usage
 * error (a word slotctl does not understand, or one missing) is followed by
 * the usage of the object being parsed and exits with status 2. A device
 * name that does not exist here exits with status 1.
 */
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "slotctl.h"

static void (*cur_usage)(FILE *fp);

static void verrorf(const char *fmt, va_list ap)
{
	fputs(PROG_NAME ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verrorf(fmt, ap);
	va_end(ap);
}

/* The usage that a usage error prints: the object being parsed. */
void set_usage(void (*usage)(FILE *fp))
{
	cur_usage = usage;
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verrorf(fmt, ap);
	va_end(ap);
	if (cur_usage)
		cur_usage(stderr);
	exit(2);
}

void missing_arg(const char *keyword)
{
	usage_error("missing argument after \"%s\"", keyword);
}

void dup_arg(const char *keyword)
{
	usage_error("\"%s\" given more than once", keyword);
}

void no_more_args(int argc, char **argv)
{
	if (argc > 0)
		usage_error("unexpected argument \"%s\"", *argv);
}

const struct cmd *find_cmd(const struct cmd *cmds, const char *name)
{
	for (; cmds->name; cmds++) {
		if (!strcmp(cmds->name, name))
			return cmds;
	}
	return NULL;
}

/* The kernel's rules for a device name (dev_valid_name()). */
const char *check_ifname(const char *name)
{
	const char *c;

	if (!*name || strlen(name) >= IF_NAMESIZE ||
	    !strcmp(name, ".") || !strcmp(name, ".."))
		usage_error("invalid device name \"%s\"", name);
	for (c = name; *c; c++) {
		if (*c == '/' || *c == ':' || strchr(" \t\n\v\f\r", *c))
			usage_error("invalid device name \"%s\"", name);
	}
	return name;
}

/* Device names are looked up in slotctl's own network namespace. */
unsigned int get_ifindex(const char *name)
{
	unsigned int ifindex = if_nametoindex(name);

	if (!ifindex) {
		errorf("cannot find device \"%s\"", name);
		exit(1);
	}
	return ifindex;
}
