// SPDX-License-Identifier: GPL-2.0
/*
 * fwset.c - slotctl fw set: named address sets
 *
 * SYNOPSIS
 *	slotctl fw set add NAME [PREFIX[,PREFIX...]]...
 *	slotctl fw set del NAME [PREFIX[,PREFIX...]]...
 *	slotctl [-j [-p]] fw set show [NAME]
 *
 * "add" creates the set with the elements given, or adds them to the set
 * if it exists; "del" with elements deletes those elements (all or
 * nothing: one that is not there fails the lot), without deletes the set.
 * Element changes take effect on the next packet without recompiling the
 * rules that use the set.
 *
 * TEXT OUTPUT of "show": per set a line, then one element per line
 *
 *	set NAME elements N users N
 *	  PREFIX
 *
 * JSON: [{"name":"web","elements":["10.0.0.0/24",...],"users":1},...]
 * Elements come in the kernel's order: IPv4 first, ascending.
 */
#include <errno.h>
#include <string.h>

#include "fwmsg.h"
#include "print.h"
#include "slotctl.h"

void set_print(const struct sf_set *set)
{
	char buf[SF_PREFIX_STRLEN];
	size_t i;

	open_json_object(NULL);
	print_string(PRINT_ANY, "name", "set %s", set->name);
	print_uint(PRINT_FP, NULL, " elements %u", set->n);
	print_uint(PRINT_ANY, "users", " users %u", set->users);
	print_nl();
	open_json_array("elements");
	for (i = 0; i < set->n; i++) {
		sf_prefix_format(&set->elems[i], buf);
		print_string(PRINT_ANY, NULL, "  %s\n", buf);
	}
	close_json_array();
	close_json_object();
}

/* NAME and its elements; exits on a usage error. */
static void parse_set(int argc, char **argv, struct sf_set *set)
{
	struct parse_err e;

	if (argc < 1)
		usage_error("missing set name");
	if (word_name(*argv, "set", &e))
		cli_parse_error(&e);
	memset(set, 0, sizeof(*set));
	strcpy(set->name, *argv);
	while (--argc > 0) {
		if (word_prefixes(*++argv, set, &e))
			cli_parse_error(&e);
	}
	sf_set_sort(set);
	if (set->n > SLOTFILTER_SET_ELEMS_MAX)
		usage_error("%zu elements: a set holds at most %d", set->n,
			    SLOTFILTER_SET_ELEMS_MAX);
}

/* A set request: @set's name and all its elements. */
struct nlmsghdr *set_request(uint8_t cmd, const struct sf_set *set)
{
	size_t size = MNL_NLMSG_HDRLEN + 64;
	struct nlmsghdr *nlh;
	size_t i;

	for (i = 0; i < set->n; i++)
		size += sf_prefix_size(&set->elems[i]);
	nlh = slotctl_request_big(cmd, 0, size);
	mnl_attr_put_strz(nlh, SLOTFILTER_SET_A_NAME, set->name);
	for (i = 0; i < set->n; i++)
		sf_prefix_put(nlh, SLOTFILTER_SET_A_ELEM, &set->elems[i]);
	return nlh;
}

static int set_add(int argc, char **argv, const struct slotctl_opts *opts)
{
	struct sf_set set;
	int err;

	(void)opts;
	parse_set(argc, argv, &set);
	err = slotctl_try(set_request(SLOTFILTER_CMD_SET_ADD, &set), NULL,
			  NULL);
	if (err == -EEXIST && set.n)
		err = slotctl_try(set_request(SLOTFILTER_CMD_SET_ELEM_ADD,
					      &set), NULL, NULL);
	sf_set_free(&set);
	return err ? slotctl_report(err) : 0;
}

static int set_del(int argc, char **argv, const struct slotctl_opts *opts)
{
	struct sf_set set;
	int ret;

	(void)opts;
	parse_set(argc, argv, &set);
	ret = slotctl_talk(set_request(set.n ? SLOTFILTER_CMD_SET_ELEM_DEL :
					       SLOTFILTER_CMD_SET_DEL, &set),
			   NULL, NULL);
	sf_set_free(&set);
	return ret;
}

static int set_show(int argc, char **argv, const struct slotctl_opts *opts)
{
	const char *name = NULL;
	struct parse_err e;
	struct sf_sets sets;
	size_t i;
	int ret;

	(void)opts;
	if (argc > 0) {
		if (word_name(*argv, "set", &e))
			cli_parse_error(&e);
		name = *argv;
		no_more_args(argc - 1, argv + 1);
	}
	ret = sets_read(&sets, name);
	open_json_array(NULL);
	for (i = 0; !ret && i < sets.n; i++)
		set_print(&sets.sets[i]);
	close_json_array();
	sf_sets_free(&sets);
	return ret;
}

static const struct cmd set_cmds[] = {
	{ "add",	set_add,	NULL },
	{ "del",	set_del,	NULL },
	{ "show",	set_show,	NULL },
	{ }
};

int fw_set(int argc, char **argv, const struct slotctl_opts *opts)
{
	if (argc < 1)
		return set_show(0, NULL, opts);
	return run_cmd(set_cmds, "set", argc, argv, opts);
}
