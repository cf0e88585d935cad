// SPDX-License-Identifier: GPL-2.0
/*
 * port.c - slotctl port: attach slotfilter to devices and show ports
 *
 * SYNOPSIS
 *	slotctl port add dev IFNAME
 *	slotctl port del dev IFNAME
 *	slotctl port tag dev IFNAME NAME
 *	slotctl port untag dev IFNAME NAME
 *	slotctl [-s] [-j [-p]] port show [dev IFNAME]
 *	slotctl port			(same as "port show")
 *
 * IFNAME is looked up in slotctl's network namespace, which is also the
 * one the kernel acts in (run it under "ip netns exec NS" for another).
 *
 * TEXT OUTPUT of "port show" (stable: scripts may parse it)
 *
 * One block per port, ports in ascending ifindex order. The port line
 * starts in column 0, direction lines are indented by two spaces, counter
 * lines (only with -s) by four. Words are separated by single spaces,
 * except that "egress:" is padded to the width of "ingress:".
 *
 *	port IFNAME ifindex N
 *	  tags: TAG [TAG]...
 *	  ingress: slots: S KIND [S KIND]...
 *	    packets N bytes N drops N stolen N
 *	    slot S KIND: packets N bytes N drops N
 *	  egress:  slots: (empty)
 *	    packets N bytes N drops N stolen N
 *
 * The "tags:" line lists the port's tags in the order they were added; it
 * is left out when the port has none. "slots:" lists the occupied slots in ascending order as pairs of slot
 * number (0-11) and filter kind ("firewall", "service"), or "(empty)". With
 * -s, the direction's own counters follow, then one "slot" line per
 * occupied slot. For example, the ingress drops of veth0:
 *
 *	slotctl -s port show dev veth0 |
 *		awk '$1 == "ingress:" { d = 1 } $1 == "egress:" { d = 0 }
 *		     d && $1 == "packets" { print $6 }'
 *
 * JSON OUTPUT (-j): an array of port objects, always with every counter and
 * all 12 slots, -s or not:
 *
 *	[{"ifindex":5,"ifname":"veth0","tags":["web"],
 *	  "ingress":{"packets":N,"bytes":N,"drops":N,"stolen":N,
 *		     "slots":[{"slot":0,"filter":"none","packets":N,
 *			       "bytes":N,"drops":N},...]},
 *	  "egress":{...}}]
 *
 * No ports: text prints nothing, JSON prints []. add, del, tag and untag
 * print nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <linux/slotfilter.h>

#include "attr.h"
#include "names.h"
#include "portmsg.h"
#include "print.h"
#include "slotctl.h"

void port_usage(FILE *fp)
{
	fputs("Usage: slotctl port add dev IFNAME\n"
	      "       slotctl port del dev IFNAME\n"
	      "       slotctl port tag dev IFNAME NAME\n"
	      "       slotctl port untag dev IFNAME NAME\n"
	      "       slotctl [ -s ] [ -j [ -p ] ] port [ show [ dev IFNAME ] ]\n"
	      "       slotctl port help\n", fp);
}

/* Parse "[dev IFNAME]"; returns the name, or NULL if not given. */
static const char *parse_dev(int argc, char **argv)
{
	const char *name = NULL;

	while (argc > 0) {
		if (strcmp(*argv, "dev"))
			usage_error("unexpected argument \"%s\"", *argv);
		NEXT_ARG();
		if (name)
			dup_arg("dev");
		name = check_ifname(*argv);
		argc--;
		argv++;
	}
	return name;
}

static const char *parse_required_dev(int argc, char **argv)
{
	const char *name = parse_dev(argc, argv);

	if (!name)
		usage_error("missing \"dev IFNAME\"");
	return name;
}

static void print_pbd(enum output_type t, uint64_t packets, uint64_t bytes,
		      uint64_t drops)
{
	print_u64(t, "packets", " packets %" PRIu64, packets);
	print_u64(t, "bytes", " bytes %" PRIu64, bytes);
	print_u64(t, "drops", " drops %" PRIu64, drops);
}

static void print_slot_list(const struct sf_dir *dir)
{
	bool empty = true;
	unsigned int i;

	print_text("slots:");
	for (i = 0; i < SLOTFILTER_NUM_SLOTS; i++) {
		if (dir->slots[i].filter == SLOTFILTER_FILTER_NONE)
			continue;
		print_text(" %u %s", i, sf_filter_name(dir->slots[i].filter));
		empty = false;
	}
	if (empty)
		print_text(" (empty)");
	print_nl();
}

static void print_slot(unsigned int index, const struct sf_slot *slot,
		       bool stats)
{
	bool text = stats && slot->filter != SLOTFILTER_FILTER_NONE;
	enum output_type t = text ? PRINT_ANY : PRINT_JSON;

	open_json_object(NULL);
	print_uint(t, "slot", "    slot %u", index);
	print_string(t, "filter", " %s:", sf_filter_name(slot->filter));
	print_pbd(t, slot->packets, slot->bytes, slot->drops);
	if (text)
		print_nl();
	close_json_object();
}

static void print_dir(unsigned int d, const struct sf_dir *dir, bool stats)
{
	enum output_type t = stats ? PRINT_ANY : PRINT_JSON;
	const char *name = sf_dir_name(d);
	unsigned int i;

	open_json_object(name);
	/* "ingress: " and "egress:  " line up */
	print_text("  %s:%*s", name, (int)(8 - strlen(name)), "");
	print_slot_list(dir);

	if (stats)
		print_text("   ");
	print_pbd(t, dir->packets, dir->bytes, dir->drops);
	print_u64(t, "stolen", " stolen %" PRIu64, dir->stolen);
	if (stats)
		print_nl();

	open_json_array("slots");
	for (i = 0; i < SLOTFILTER_NUM_SLOTS; i++)
		print_slot(i, &dir->slots[i], stats);
	close_json_array();
	close_json_object();
}

void port_print(const struct sf_port *port, bool stats)
{
	unsigned int d, i;

	open_json_object(NULL);
	print_uint(PRINT_JSON, "ifindex", NULL, port->ifindex);
	print_string(PRINT_ANY, "ifname", "port %s", port->ifname);
	print_uint(PRINT_FP, NULL, " ifindex %u", port->ifindex);
	print_nl();
	open_json_array("tags");
	if (port->n_tags)
		print_text("  tags:");
	for (i = 0; i < port->n_tags; i++)
		print_string(PRINT_ANY, NULL, " %s", port->tags[i]);
	if (port->n_tags)
		print_nl();
	close_json_array();
	for (d = 0; d < SLOTFILTER_DIR_COUNT; d++)
		print_dir(d, &port->dirs[d], stats);
	close_json_object();
}

static int port_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct slotctl_opts *opts = data;
	struct sf_port port;

	if (sfnl_genl_cmd(nlh) != SLOTFILTER_CMD_PORT_GET)
		return MNL_CB_OK;
	if (sf_port_parse(nlh, &port)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	port_print(&port, opts->stats);
	return MNL_CB_OK;
}

static int port_show(int argc, char **argv, const struct slotctl_opts *opts)
{
	const char *name = parse_dev(argc, argv);
	unsigned int ifindex = name ? get_ifindex(name) : 0;
	struct nlmsghdr *nlh;
	int ret;

	nlh = slotctl_request(SLOTFILTER_CMD_PORT_GET, ifindex ? 0 : NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(nlh, SLOTFILTER_PORT_A_IFINDEX, ifindex);
	open_json_array(NULL);
	ret = slotctl_talk(nlh, port_show_cb, (void *)opts);
	close_json_array();
	return ret;
}

static int port_set(uint8_t cmd, int argc, char **argv)
{
	unsigned int ifindex = get_ifindex(parse_required_dev(argc, argv));
	struct nlmsghdr *nlh = slotctl_request(cmd, 0);

	mnl_attr_put_u32(nlh, SLOTFILTER_PORT_A_IFINDEX, ifindex);
	return slotctl_talk(nlh, NULL, NULL);
}

/* "dev IFNAME NAME", in this order or "NAME dev IFNAME" */
static int port_tag_cmd(uint8_t cmd, int argc, char **argv)
{
	const char *name = NULL, *tag = NULL;
	struct nlmsghdr *nlh;
	struct parse_err e;
	unsigned int ifindex;

	while (argc > 0) {
		if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			if (name)
				dup_arg("dev");
			name = check_ifname(*argv);
		} else if (!tag) {
			if (word_name(*argv, "tag", &e))
				cli_parse_error(&e);
			tag = *argv;
		} else {
			usage_error("unexpected argument \"%s\"", *argv);
		}
		argc--;
		argv++;
	}
	if (!name)
		usage_error("missing \"dev IFNAME\"");
	if (!tag)
		usage_error("missing tag name");
	ifindex = get_ifindex(name);
	nlh = slotctl_request(cmd, 0);
	mnl_attr_put_u32(nlh, SLOTFILTER_PORT_A_IFINDEX, ifindex);
	mnl_attr_put_strz(nlh, SLOTFILTER_PORT_A_TAG, tag);
	return slotctl_talk(nlh, NULL, NULL);
}

static int port_tag(int argc, char **argv, const struct slotctl_opts *opts)
{
	(void)opts;
	return port_tag_cmd(SLOTFILTER_CMD_PORT_TAG, argc, argv);
}

static int port_untag(int argc, char **argv, const struct slotctl_opts *opts)
{
	(void)opts;
	return port_tag_cmd(SLOTFILTER_CMD_PORT_UNTAG, argc, argv);
}

static int port_add(int argc, char **argv, const struct slotctl_opts *opts)
{
	(void)opts;
	return port_set(SLOTFILTER_CMD_PORT_ADD, argc, argv);
}

static int port_del(int argc, char **argv, const struct slotctl_opts *opts)
{
	(void)opts;
	return port_set(SLOTFILTER_CMD_PORT_DEL, argc, argv);
}

static int port_help(int argc, char **argv, const struct slotctl_opts *opts)
{
	(void)opts;
	no_more_args(argc, argv);
	port_usage(stdout);
	return 0;
}

static const struct cmd port_cmds[] = {
	{ "add",	port_add,	NULL },
	{ "del",	port_del,	NULL },
	{ "tag",	port_tag,	NULL },
	{ "untag",	port_untag,	NULL },
	{ "show",	port_show,	NULL },
	{ "help",	port_help,	NULL },
	{ }
};

int do_port(int argc, char **argv, const struct slotctl_opts *opts)
{
	if (argc < 1)
		return port_show(0, NULL, opts);
	return run_cmd(port_cmds, "port", argc, argv, opts);
}
