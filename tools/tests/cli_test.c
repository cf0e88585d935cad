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

#define FW_USAGE	"slotctl [ -s ] [ -j [ -p ] ] fw [ show ]\n"

/* Each line: the words, then the usage error after "slotctl: ". */
static void check_usage(char *const words[], const char *reason,
			const char *usage)
{
	char *argv[16] = { SLOTCTL_BIN };
	char want[512];
	unsigned int i;
	struct run r;

	for (i = 0; words[i] && i < 14; i++)
		argv[i + 1] = words[i];
	argv[i + 1] = NULL;
	run_prog(argv, NULL, &r);
	snprintf(want, sizeof(want), "slotctl: %s\nUsage: %s", reason, usage);
	if (r.status != 2 || !starts_with(r.err, want) || strcmp(r.out, ""))
		test_fail(__FILE__, __LINE__, "%s %s: status %d, stderr\n%.300s",
			  words[0], words[1] ? words[1] : "", r.status, r.err);
	run_free(&r);
}

static void check_fw_usage(char *const words[], const char *reason)
{
	check_usage(words, reason, FW_USAGE);
}

#define FW(reason, ...)	check_fw_usage((char *[]){ "fw", __VA_ARGS__, NULL }, reason)

TEST(cli_fw_usage_errors)
{
	FW("unknown fw command \"frob\"", "frob");
	FW("unexpected argument \"x\"", "show", "x");
	FW("missing rule id", "rule", "add");
	FW("unknown rule command \"list\"", "rule", "list");
	FW("missing action (allow, drop or reject)", "rule", "add", "10");
	FW("\"sport\" needs proto tcp, udp, udplite or sctp", "rule", "add", "10", "allow",
	   "sport", "80");
	FW("invalid port range \"90-80\": start above end", "rule", "add",
	   "10", "allow", "proto", "tcp", "dport", "90-80");
	FW("prefix length 33 out of range for IPv4", "rule", "add", "10",
	   "allow", "src", "10.0.0.0/33");
	FW("invalid rule id \"x\"", "rule", "add", "10", "allow", "before",
	   "x");
	FW("missing argument after \"applied-to\"", "rule", "add", "10",
	   "allow", "applied-to");
	FW("missing rule id", "rule", "del");
	FW("rule id 0 out of range (1-4294967295)", "rule", "del", "0");
	FW("unexpected argument \"11\"", "rule", "del", "10", "11");
	FW("invalid default action \"maybe\" (allow or drop)", "default",
	   "maybe");
	FW("missing argument after \"default\"", "default");
	FW("invalid tcp-strict \"yes\" (off or on)", "option", "tcp-strict",
	   "yes");
	FW("invalid option \"strict\" (tcp-strict, non-ip or existing-flows)",
	   "option", "strict");
	FW("timeout 0 out of range (1-864000)", "timeout", "udp", "0");
	FW("invalid timeout \"tcp\" (tcp-syn, tcp-established, tcp-fin, tcp-close, udp, icmp or other)",
	   "timeout", "tcp", "5");
	FW("flow-max 0 out of range (1-16777216)", "flow-max", "0");
	FW("unexpected word \"2\"", "flow-max", "1", "2");
	FW("missing counters command", "counters");
	FW("invalid rule id \"x\"", "counters", "reset", "rule", "x");
	FW("missing set name", "set", "add");
	FW("invalid set name \"a/b\": 1 to 31 characters of A-Z a-z 0-9 _ . -",
	   "set", "del", "a/b");
	FW("\"10.1.0.0/8\" has host bits set: did you mean 10.0.0.0/8?",
	   "set", "add", "web", "10.1.0.0/8");
	FW("unexpected argument \"x\"", "flows", "x");
}

TEST(cli_fw_unknown_device)
{
	struct run r;

	slotctl(&r, "fw", "rule", "add", "1", "drop", "applied-to", "port",
		"lo,sfnosuch0");
	CHECK_INT(r.status, 1);
	CHECK_STR(r.err, "slotctl: cannot find device \"sfnosuch0\"\n");
	run_free(&r);
	slotctl(&r, "fw", "flows", "dev", "sfnosuch0");
	CHECK_INT(r.status, 1);
	CHECK_STR(r.err, "slotctl: cannot find device \"sfnosuch0\"\n");
	run_free(&r);
}

TEST(cli_fw_help)
{
	struct run r;

	CHECK_INT(slotctl(&r, "fw", "help"), 0);
	CHECK(starts_with(r.out, "Usage: " FW_USAGE));
	run_free(&r);
	CHECK_INT(slotctl(&r, "help", "fw"), 0);
	CHECK(starts_with(r.out, "Usage: " FW_USAGE));
	run_free(&r);
}

TEST(cli_monitor_usage)
{
	struct run r;

	slotctl(&r, "monitor", "--count", "0");
	CHECK_USAGE_ERROR(&r, "slotctl: count 0 out of range (1-4294967295)",
			  "slotctl [ -j [ -p ] ] monitor [ --count N ]");
	run_free(&r);
	slotctl(&r, "monitor", "--count");
	CHECK_USAGE_ERROR(&r, "slotctl: missing argument after \"--count\"",
			  "slotctl [ -j [ -p ] ] monitor");
	run_free(&r);
	slotctl(&r, "monitor", "all");
	CHECK_USAGE_ERROR(&r, "slotctl: unexpected argument \"all\"",
			  "slotctl [ -j [ -p ] ] monitor");
	run_free(&r);
}

TEST(cli_save_usage)
{
	struct run r;

	slotctl(&r, "-j", "save");
	CHECK_USAGE_ERROR(&r, "slotctl: save writes a file for \"slotctl apply\": no JSON",
			  "slotctl save");
	run_free(&r);
	slotctl(&r, "save", "now");
	CHECK_USAGE_ERROR(&r, "slotctl: unexpected argument \"now\"",
			  "slotctl save");
	run_free(&r);
}

TEST(cli_apply_usage)
{
	struct run r;

	slotctl(&r, "apply");
	CHECK_USAGE_ERROR(&r, "slotctl: missing \"-f FILE\"",
			  "slotctl apply -f FILE");
	run_free(&r);
	slotctl(&r, "apply", "-f", "a", "-f", "b");
	CHECK_USAGE_ERROR(&r, "slotctl: \"-f\" given more than once",
			  "slotctl apply -f FILE");
	run_free(&r);
	slotctl(&r, "apply", "-f", "/nonexistent/sf.conf");
	CHECK_INT(r.status, 1);
	CHECK_STR(r.err, "slotctl: cannot open \"/nonexistent/sf.conf\": No such file or directory\n");
	run_free(&r);
}

/* A file with errors: all of them, FILE:LINE:COL, nothing applied. */
TEST(cli_apply_errors)
{
	char *argv[] = { SLOTCTL_BIN, "apply", "-f", "-", NULL };
	struct run r;

	run_prog(argv,
		 "port sfnosuch0\n"
		 "rule 1 allow\n"
		 "rule 1 drop proto tcp dport 70000\n"
		 "firewall timeout udp\n"
		 "set s 10.0.0.0/8,\n"
		 "  10.1.0.0/8\n", &r);
	CHECK_INT(r.status, 1);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err,
		  "<stdin>:1:6: cannot find device \"sfnosuch0\"\n"
		  "<stdin>:3:29: port 70000 out of range (0-65535)\n"
		  "<stdin>:4:22: missing argument after \"udp\"\n"
		  "<stdin>:6:3: \"10.1.0.0/8\" has host bits set: did you mean 10.0.0.0/8?\n");
	run_free(&r);
}

#define SVC_USAGE	"slotctl service add NAME slot N [ OPTIONS ]\n"
#define SVC(reason, ...)						\
	check_usage((char *[]){ "service", __VA_ARGS__, NULL }, reason,	\
		    SVC_USAGE)

TEST(cli_service_usage_errors)
{
	SVC("unknown service command \"frob\"", "frob");
	SVC("missing service name", "add");
	SVC("missing \"slot N\" (4-11)", "add", "ips");
	SVC("slot 3 out of range (4-11)", "add", "ips", "slot", "3");
	SVC("missing argument after \"slot\"", "add", "ips", "slot");
	SVC("\"slot\" given more than once", "add", "ips", "slot", "4",
	    "slot", "5");
	SVC("invalid failure-policy \"maybe\" (open or closed)", "add", "ips",
	    "slot", "4", "failure-policy", "maybe");
	SVC("timeout 0 out of range (1-60000)", "set", "ips", "timeout", "0");
	SVC("queue-max 65537 out of range (1-65536)", "set", "ips",
	    "queue-max", "65537");
	SVC("invalid copy \"x\" (full or a number of bytes)", "set", "ips",
	    "copy", "x");
	SVC("unknown service word \"frob\" (slot, failure-policy, timeout, queue-max or copy)",
	    "set", "ips", "frob", "1");
	SVC("nothing to change for service \"ips\"", "set", "ips");
	SVC("invalid service name \"a/b\": 1 to 31 characters of A-Z a-z 0-9 _ . -",
	    "del", "a/b");
	SVC("missing service name", "del");
	SVC("unexpected argument \"x\"", "del", "ips", "x");
	SVC("unexpected argument \"x\"", "show", "ips", "x");
}

#define RED_USAGE	"slotctl redirect add service NAME ID ACTION"
#define RED(reason, ...)						\
	check_usage((char *[]){ "redirect", __VA_ARGS__, NULL }, reason,	\
		    RED_USAGE)

TEST(cli_redirect_usage_errors)
{
	RED("unknown redirect command \"frob\"", "frob");
	RED("missing \"service NAME\"", "add");
	RED("unexpected word \"10\" (service NAME first)", "add", "10",
	    "redirect");
	RED("missing rule id", "add", "service", "ips");
	RED("missing action (redirect or skip)", "add", "service", "ips", "10");
	RED("invalid action \"drop\" (redirect or skip)", "add", "service",
	    "ips", "10", "drop");
	RED("redirect rules do not log", "add", "service", "ips", "10",
	    "redirect", "log");
	RED("\"dport\" needs proto tcp, udp, udplite or sctp", "add",
	    "service", "ips", "10", "redirect", "dport", "80");
	RED("\"after ID\" comes last, after the rule's words", "add",
	    "service", "ips", "10", "redirect", "after", "1", "proto", "tcp");
	RED("invalid rule id \"x\"", "add", "service", "ips", "10",
	    "redirect", "before", "x");
	RED("missing rule id", "del");
	RED("missing argument after \"service\"", "del", "service");
	RED("rule id 0 out of range (1-4294967295)", "del", "service", "ips",
	    "0");
	RED("unexpected argument \"11\"", "del", "10", "11");
	RED("unexpected argument \"ips\"", "show", "ips");
}

TEST(cli_service_help)
{
	struct run r;

	CHECK_INT(slotctl(&r, "service", "help"), 0);
	CHECK(starts_with(r.out, "Usage: " SVC_USAGE));
	run_free(&r);
	CHECK_INT(slotctl(&r, "help", "redirect"), 0);
	CHECK(starts_with(r.out, "Usage: " RED_USAGE));
	run_free(&r);
	CHECK_INT(slotctl(&r, "redirect", "add", "service", "ips", "1",
			  "redirect", "applied-to", "port", "sfnosuch0"), 1);
	CHECK_STR(r.err, "slotctl: cannot find device \"sfnosuch0\"\n");
	run_free(&r);
}
