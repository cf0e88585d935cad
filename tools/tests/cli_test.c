// SPDX-License-Identifier: GPL-2.0
/*
 * cli_test.c - slotctl's command line, run as a program
 *
 * Only command lines that fail or finish before slotctl opens netlink are
 * run here: usage errors, help, version, unknown devices.
 */
#include <stdlib.h>

#include <linux/slotfilter.h>

#include "test.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Run slotctl with the arguments given. */
#define slotctl(r, ...)						\
	run_prog((char *[]){ SLOTCTL_BIN, __VA_ARGS__, NULL }, NULL, r)

static bool starts_with(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

/* Exit status 2, this reason, then the usage starting with @usage. */
#define CHECK_USAGE_ERROR(r, reason, usage)				\
	do {								\
		CHECK_INT((r)->status, 2);				\
		CHECK(starts_with((r)->err, reason "\nUsage: " usage));	\
		CHECK_STR((r)->out, "");				\
	} while (0)

#define MAIN_USAGE	"slotctl [ OPTIONS ]"
#define PORT_USAGE	"slotctl port add dev IFNAME\n"

TEST(cli_version)
{
	char want[64];
	struct run r;

	snprintf(want, sizeof(want), "(genl family version %d)\n",
		 SLOTFILTER_GENL_VERSION);
	CHECK_INT(slotctl(&r, "-V"), 0);
	CHECK(starts_with(r.out, "slotctl "));
	CHECK(r.out && strstr(r.out, want) &&
	      !strcmp(strstr(r.out, want), want));
	run_free(&r);
	CHECK_INT(slotctl(&r, "--version"), 0);
	run_free(&r);
}

TEST(cli_help)
{
	static char *const forms[] = { "-h", "--help", "help" };
	unsigned int i;
	struct run r;

	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		CHECK_INT(slotctl(&r, forms[i]), 0);
		CHECK(starts_with(r.out, "Usage: " MAIN_USAGE));
		CHECK_STR(r.err, "");
		run_free(&r);
	}
}

TEST(cli_port_help)
{
	struct run r;

	CHECK_INT(slotctl(&r, "port", "help"), 0);
	CHECK(starts_with(r.out, "Usage: " PORT_USAGE));
	run_free(&r);
	CHECK_INT(slotctl(&r, "help", "port"), 0);
	CHECK(starts_with(r.out, "Usage: " PORT_USAGE));
	run_free(&r);
}

TEST(cli_unknown_object)
{
	struct run r;

	slotctl(&r, "frob");
	CHECK_USAGE_ERROR(&r, "slotctl: unknown object \"frob\"", MAIN_USAGE);
	run_free(&r);
	slotctl(&r, "help", "frob");
	CHECK_USAGE_ERROR(&r, "slotctl: unknown object \"frob\"", MAIN_USAGE);
	run_free(&r);
}

TEST(cli_unknown_option)
{
	struct run r;

	slotctl(&r, "-x", "port");
	CHECK_USAGE_ERROR(&r, "slotctl: unknown option \"-x\"", MAIN_USAGE);
	run_free(&r);
	slotctl(&r, "-jx");
	CHECK_USAGE_ERROR(&r, "slotctl: unknown option \"-x\"", MAIN_USAGE);
	run_free(&r);
	slotctl(&r, "--frob");
	CHECK_USAGE_ERROR(&r, "slotctl: unknown option \"--frob\"", MAIN_USAGE);
	run_free(&r);
}

TEST(cli_unknown_port_command)
{
	struct run r;

	slotctl(&r, "port", "frob");
	CHECK_USAGE_ERROR(&r, "slotctl: unknown port command \"frob\"",
			  PORT_USAGE);
	run_free(&r);
}

TEST(cli_port_missing_dev)
{
	static char *const cmds[] = { "add", "del" };
	unsigned int i;
	struct run r;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		slotctl(&r, "port", cmds[i]);
		CHECK_USAGE_ERROR(&r, "slotctl: missing \"dev IFNAME\"",
				  PORT_USAGE);
		run_free(&r);
		slotctl(&r, "port", cmds[i], "dev");
		CHECK_USAGE_ERROR(&r, "slotctl: missing argument after \"dev\"",
				  PORT_USAGE);
		run_free(&r);
	}
	slotctl(&r, "port", "show", "dev");
	CHECK_USAGE_ERROR(&r, "slotctl: missing argument after \"dev\"",
			  PORT_USAGE);
	run_free(&r);
}

TEST(cli_port_extra_args)
{
	struct run r;

	slotctl(&r, "port", "add", "dev", "lo", "extra");
	CHECK_USAGE_ERROR(&r, "slotctl: unexpected argument \"extra\"",
			  PORT_USAGE);
	run_free(&r);
	slotctl(&r, "port", "del", "lo");
	CHECK_USAGE_ERROR(&r, "slotctl: unexpected argument \"lo\"",
			  PORT_USAGE);
	run_free(&r);
	slotctl(&r, "port", "show", "dev", "lo", "dev", "lo");
	CHECK_USAGE_ERROR(&r, "slotctl: \"dev\" given more than once",
			  PORT_USAGE);
	run_free(&r);
	slotctl(&r, "port", "help", "me");
	CHECK_USAGE_ERROR(&r, "slotctl: unexpected argument \"me\"",
			  PORT_USAGE);
	run_free(&r);
}

TEST(cli_invalid_ifname)
{
	static char *const names[] = {
		"", "sixteen-chars-xx", "a/b", "a:b", "a b", ".", "..",
	};
	char want[64];
	unsigned int i;
	struct run r;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		slotctl(&r, "port", "add", "dev", names[i]);
		snprintf(want, sizeof(want),
			 "slotctl: invalid device name \"%s\"\n", names[i]);
		CHECK_INT(r.status, 2);
		CHECK(starts_with(r.err, want));
		run_free(&r);
	}
}

TEST(cli_cannot_find_device)
{
	static char *const cmds[] = { "add", "del", "show" };
	unsigned int i;
	struct run r;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		slotctl(&r, "port", cmds[i], "dev", "sfnosuch0");
		CHECK_INT(r.status, 1);
		CHECK_STR(r.err, "slotctl: cannot find device \"sfnosuch0\"\n");
		CHECK_STR(r.out, "");
		run_free(&r);
	}
}

TEST(cli_port_tag_usage)
{
	struct run r;

	slotctl(&r, "port", "tag", "dev", "lo");
	CHECK_USAGE_ERROR(&r, "slotctl: missing tag name", PORT_USAGE);
	run_free(&r);
	slotctl(&r, "port", "untag", "web");
	CHECK_USAGE_ERROR(&r, "slotctl: missing \"dev IFNAME\"", PORT_USAGE);
	run_free(&r);
	slotctl(&r, "port", "tag", "dev", "lo", "web", "db");
	CHECK_USAGE_ERROR(&r, "slotctl: unexpected argument \"db\"",
			  PORT_USAGE);
	run_free(&r);
	slotctl(&r, "port", "tag", "dev", "lo", "we b");
	CHECK_USAGE_ERROR(&r, "slotctl: invalid tag name \"we b\": 1 to 31 characters of A-Z a-z 0-9 _ . -",
			  PORT_USAGE);
	run_free(&r);
	slotctl(&r, "port", "tag", "web", "dev", "sfnosuch0");
	CHECK_INT(r.status, 1);
	CHECK_STR(r.err, "slotctl: cannot find device \"sfnosuch0\"\n");
	run_free(&r);
}
