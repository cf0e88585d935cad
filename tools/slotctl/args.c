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
bool ifname_valid(const char *name)
{
	const char *c;

	if (!*name || strlen(name) >= IF_NAMESIZE ||
	    !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (c = name; *c; c++) {
		if (*c == '/' || *c == ':' || strchr(" \t\n\v\f\r", *c))
			return false;
	}
	return true;
}

const char *check_ifname(const char *name)
{
	if (!ifname_valid(name))
		usage_error("invalid device name \"%s\"", name);
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

/*
 * Run the command @argv[0] of @cmds, the commands of @object; no command
 * at all runs the first one listed that takes no words ("show").
 */
int run_cmd(const struct cmd *cmds, const char *object, int argc,
	    char **argv, const struct slotctl_opts *opts)
{
	const struct cmd *c;

	if (argc < 1)
		usage_error("missing %s command", object);
	c = find_cmd(cmds, *argv);
	if (!c)
		usage_error("unknown %s command \"%s\"", object, *argv);
	return c->fn(argc - 1, argv + 1, opts);
}

/* A word the command line got wrong: status 1 if a device is missing. */
void cli_parse_error(const struct parse_err *e)
{
	if (e->not_found) {
		errorf("%s", e->msg);
		exit(1);
	}
	usage_error("%s", e->msg);
}

static bool is_placement(const char *w)
{
	return !strcmp(w, "before") || !strcmp(w, "after");
}

/*
 * A rule added with "slotctl fw rule add" or "redirect add" may end in
 * "before ID" or "after ID": takes those two words off (*argc shrinks) and
 * returns "before" or "after" with the ID in *anchor; NULL if they are not
 * there.
 */
const char *take_placement(int *argc, char **argv, uint32_t *anchor)
{
	struct parse_err e = { 0 };
	const char *where;

	if (*argc < 2 || !is_placement(argv[*argc - 2]))
		return NULL;
	where = argv[*argc - 2];
	if (word_u32(argv[*argc - 1], "rule id", 1, UINT32_MAX, anchor, &e))
		cli_parse_error(&e);
	*argc -= 2;
	return where;
}

/* The rule's words did not parse: a "before"/"after" in their midst is
 * said to come last, anything else is @e.
 */
void rule_words_error(int argc, char **argv, const struct parse_err *e)
{
	if (e->word < argc && is_placement(argv[e->word]))
		usage_error("\"%s ID\" comes last, after the rule's words",
			    argv[e->word]);
	cli_parse_error(e);
}
