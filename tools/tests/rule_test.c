// SPDX-License-Identifier: GPL-2.0
/*
 * rule_test.c - the words of a rule: every error, and written back
 */
#include <net/if.h>
#include <stdlib.h>

#include "fwmsg.h"
#include "slotctl.h"
#include "test.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_WORDS	32

/* Devices "veth0" (5) and "veth1" (6); sets "web" and "db". */
static unsigned int fake_ifindex(const char *name, int word,
				 unsigned int off, void *ctx)
{
	(void)word;
	(void)off;
	(void)ctx;
	if (!strcmp(name, "veth0"))
		return 5;
	if (!strcmp(name, "veth1"))
		return 6;
	return 0;
}

static bool fake_set(const char *name, int word, unsigned int off,
		     void *ctx)
{
	(void)word;
	(void)off;
	(void)ctx;
	return !strcmp(name, "web") || !strcmp(name, "db");
}

static const char *fake_ifname(uint32_t ifindex, char *buf)
{
	snprintf(buf, IF_NAMESIZE, "veth%u", ifindex - 5);
	return buf;
}

static const struct rule_env env = { fake_ifindex, fake_set, NULL, NULL };

/* Split @line at spaces into @argv (modifies @buf). */
static int split(const char *line, char *buf, char **argv)
{
	int argc = 0;
	char *w;

	strcpy(buf, line);
	for (w = strtok(buf, " "); w && argc < MAX_WORDS; w = strtok(NULL, " "))
		argv[argc++] = w;
	return argc;
}

static int parse(const char *line, struct sf_rule *rule, struct parse_err *e)
{
	char buf[512], *argv[MAX_WORDS];
	int argc = split(line, buf, argv);

	return rule_parse(rule, argc, argv, &env, e);
}

/* @line parses and is written back as @want. */
static void check_roundtrip(const char *line, const char *want)
{
	struct sf_rule rule, again;
	struct parse_err e;
	struct capture c;
	const char *out;

	if (parse(line, &rule, &e)) {
		test_fail(__FILE__, __LINE__, "\"%s\": %s", line, e.msg);
		sf_rule_free(&rule);
		return;
	}
	rule_write(capture_open(&c), &rule, fake_ifname);
	out = capture_close(&c);
	if (strcmp(out, want))
		test_fail(__FILE__, __LINE__, "\"%s\" written as\n\"%s\"\nwant\n\"%s\"",
			  line, out, want);
	CHECK_INT(parse(out, &again, &e), 0);
	CHECK(sf_rule_equal(&rule, &again));
	sf_rule_free(&rule);
	sf_rule_free(&again);
}

TEST(rule_words_roundtrip)
{
	static const char *const cases[][2] = {
		{ "1 allow", "1 allow" },
		{ "4294967295 reject", "4294967295 reject" },
		{ "10 drop dir any applied-to all", "10 drop" },
		{ "10 drop log dir egress", "10 drop dir egress log" },
		{ "20 allow dport 80-443 proto tcp src 10.0.0.0/8 dst @web",
		  "20 allow src 10.0.0.0/8 dst @web proto tcp dport 80-443" },
		{ "21 allow proto udp sport 53-53 dport 0-65535",
		  "21 allow proto udp sport 53 dport 0-65535" },
		{ "30 allow applied-to port veth0,veth1 dir ingress",
		  "30 allow dir ingress applied-to port veth0,veth1" },
		{ "31 allow applied-to tag web,db.1 port veth1",
		  "31 allow applied-to port veth1 tag web,db.1" },
		{ "32 allow applied-to port veth0 tag a-b_c",
		  "32 allow applied-to port veth0 tag a-b_c" },
		{ "40 reject proto icmp icmp-type 8 icmp-code 0 dst 192.0.2.1/32",
		  "40 reject dst 192.0.2.1 proto icmp icmp-type 8 icmp-code 0" },
		{ "41 allow proto icmpv6 icmp-type 128 src fd00::/8 dst ::1",
		  "41 allow src fd00::/8 dst ::1 proto icmpv6 icmp-type 128" },
		{ "42 allow proto 47", "42 allow proto 47" },
		{ "43 allow proto 6 dport 22", "43 allow proto tcp dport 22" },
		{ "46 allow proto 132 sport 1", "46 allow proto sctp sport 1" },
		{ "47 allow proto udplite dport 9", "47 allow proto udplite dport 9" },
		{ "45 drop src 2001:DB8::/32", "45 drop src 2001:db8::/32" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_roundtrip(cases[i][0], cases[i][1]);
}

/* @line fails at word @word (@off bytes in) with @msg. */
struct bad {
	const char *line;
	int word;
	unsigned int off;
	const char *msg;
};

static const struct bad bad_rules[] = {
	{ "", 0, 0, "missing rule id" },
	{ "x allow", 0, 0, "invalid rule id \"x\"" },
	{ "-1 allow", 0, 0, "invalid rule id \"-1\"" },
	{ "0 allow", 0, 0, "rule id 0 out of range (1-4294967295)" },
	{ "4294967296 allow", 0, 0,
	  "rule id 4294967296 out of range (1-4294967295)" },
	{ "99999999999999999999999 allow", 0, 0,
	  "rule id 99999999999999999999999 out of range (1-4294967295)" },
	{ "1", 1, 0, "missing action (allow, drop or reject)" },
	{ "1 accept", 1, 0,
	  "invalid action \"accept\" (allow, drop or reject)" },
	{ "1 allow frob", 2, 0, "unknown rule word \"frob\"" },
	{ "1 allow allow", 2, 0, "unknown rule word \"allow\"" },
	{ "1 allow dir", 3, 0, "missing argument after \"dir\"" },
	{ "1 allow dir in", 3, 0,
	  "invalid direction \"in\" (any, ingress or egress)" },
	{ "1 allow dir any dir egress", 4, 0,
	  "\"dir\" given more than once" },
	{ "1 allow log log", 3, 0, "\"log\" given more than once" },
	{ "1 allow applied-to", 3, 0, "missing argument after \"applied-to\"" },
	{ "1 allow applied-to some", 3, 0,
	  "invalid applied-to \"some\" (all, port or tag)" },
	{ "1 allow applied-to port", 4, 0, "missing argument after \"port\"" },
	{ "1 allow applied-to port veth9", 4, 0,
	  "cannot find device \"veth9\"" },
	{ "1 allow applied-to port veth0,veth9", 4, 6,
	  "cannot find device \"veth9\"" },
	{ "1 allow applied-to port veth0,,veth1", 4, 6,
	  "empty device name in list \"veth0,,veth1\"" },
	{ "1 allow applied-to port veth0,", 4, 6,
	  "empty device name in list \"veth0,\"" },
	{ "1 allow applied-to port a/b", 4, 0, "invalid device name \"a/b\"" },
	{ "1 allow applied-to port sixteen-chars-xx", 4, 0,
	  "invalid device name \"sixteen-chars-xx\"" },
	{ "1 allow applied-to tag web!", 4, 0,
	  "invalid tag name \"web!\": 1 to 31 characters of A-Z a-z 0-9 _ . -" },
	{ "1 allow applied-to tag a-name-of-32-characters-exactly!", 4, 0,
	  "invalid tag name \"a-name-of-32-characters-exactly!\": 1 to 31 characters of A-Z a-z 0-9 _ . -" },
	{ "1 allow applied-to port veth0 port veth1", 5, 0,
	  "unknown rule word \"port\"" },
	{ "1 allow applied-to all applied-to all", 4, 0,
	  "\"applied-to\" given more than once" },
	{ "1 allow src", 3, 0, "missing argument after \"src\"" },
	{ "1 allow src 10.0.0.256", 3, 0, "invalid address \"10.0.0.256\"" },
	{ "1 allow src example.com", 3, 0, "invalid address \"example.com\"" },
	{ "1 allow src 10.0.0.0/33", 3, 0,
	  "prefix length 33 out of range for IPv4" },
	{ "1 allow dst fd00::/129", 3, 0,
	  "prefix length 129 out of range for IPv6" },
	{ "1 allow dst 10.0.0.0/", 3, 0,
	  "invalid prefix length \"\" in \"10.0.0.0/\"" },
	{ "1 allow dst 10.0.0.0/8x", 3, 0,
	  "invalid prefix length \"8x\" in \"10.0.0.0/8x\"" },
	{ "1 allow dst 10.0.0.0/-1", 3, 0,
	  "invalid prefix length \"-1\" in \"10.0.0.0/-1\"" },
	{ "1 allow src 10.1.2.3/8", 3, 0,
	  "\"10.1.2.3/8\" has host bits set: did you mean 10.0.0.0/8?" },
	{ "1 allow src fd00::1/64", 3, 0,
	  "\"fd00::1/64\" has host bits set: did you mean fd00::/64?" },
	{ "1 allow src @", 3, 0,
	  "invalid set name \"\": 1 to 31 characters of A-Z a-z 0-9 _ . -" },
	{ "1 allow src @nosuch", 3, 0, "unknown set \"nosuch\"" },
	{ "1 allow src 10.0.0.0/8 dst fd00::/8", 5, 0,
	  "src is IPv4 but dst is IPv6: the rule can never match" },
	{ "1 allow proto", 3, 0, "missing argument after \"proto\"" },
	{ "1 allow proto dccp", 3, 0,
	  "invalid protocol \"dccp\" (tcp, udp, icmp, icmpv6, sctp, udplite or 0-255)" },
	{ "1 allow proto 256", 3, 0,
	  "invalid protocol \"256\" (tcp, udp, icmp, icmpv6, sctp, udplite or 0-255)" },
	{ "1 allow proto tcp dport", 5, 0, "missing argument after \"dport\"" },
	{ "1 allow proto tcp dport http", 5, 0, "invalid port \"http\"" },
	{ "1 allow proto tcp dport 65536", 5, 0,
	  "port 65536 out of range (0-65535)" },
	{ "1 allow proto tcp dport 80-", 5, 3, "invalid port \"\"" },
	{ "1 allow proto tcp dport -80", 5, 0, "invalid port \"\"" },
	{ "1 allow proto tcp dport 80-70000", 5, 3,
	  "port 70000 out of range (0-65535)" },
	{ "1 allow proto tcp dport 80-90-100", 5, 3, "invalid port \"90-100\"" },
	{ "1 allow proto tcp sport 90-80", 5, 0,
	  "invalid port range \"90-80\": start above end" },
	{ "1 allow proto tcp dport 123456789", 5, 0,
	  "invalid port \"123456789\"" },
	{ "1 allow sport 80", 2, 0, "\"sport\" needs proto tcp, udp, udplite or sctp" },
	{ "1 allow dport 80 proto icmp", 2, 0,
	  "\"dport\" needs proto tcp, udp, udplite or sctp" },
	{ "1 allow icmp-type 8", 2, 0, "\"icmp-type\" needs proto icmp or icmpv6" },
	{ "1 allow proto tcp icmp-code 1", 4, 0,
	  "\"icmp-code\" needs proto icmp or icmpv6" },
	{ "1 allow proto icmp icmp-type 256", 5, 0,
	  "icmp-type 256 out of range (0-255)" },
	{ "1 allow proto icmp icmp-code x", 5, 0, "invalid icmp-code \"x\"" },
	{ "1 allow proto icmp dst fd00::1", 3, 0,
	  "proto icmp never matches IPv6 addresses" },
	{ "1 allow src 10.0.0.1 proto icmpv6", 5, 0,
	  "proto icmpv6 never matches IPv4 addresses" },
};

TEST(rule_words_errors)
{
	struct sf_rule rule;
	struct parse_err e;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_rules); i++) {
		const struct bad *b = &bad_rules[i];

		if (!parse(b->line, &rule, &e)) {
			test_fail(__FILE__, __LINE__, "\"%s\" parsed", b->line);
		} else if (strcmp(e.msg, b->msg) || e.word != b->word ||
			   e.off != b->off) {
			test_fail(__FILE__, __LINE__,
				  "\"%s\": word %d+%u \"%s\", want word %d+%u \"%s\"",
				  b->line, e.word, e.off, e.msg, b->word,
				  b->off, b->msg);
		}
		sf_rule_free(&rule);
	}
}

TEST(rule_words_not_found_flag)
{
	struct sf_rule rule;
	struct parse_err e;

	CHECK(parse("1 allow applied-to port veth9", &rule, &e));
	CHECK(e.not_found);
	sf_rule_free(&rule);
	CHECK(parse("1 allow applied-to port a/b", &rule, &e));
	CHECK(!e.not_found);
	sf_rule_free(&rule);
}

/* Without an environment nothing is looked up: the kernel checks. */
TEST(rule_words_without_env)
{
	char buf[128], *argv[MAX_WORDS];
	struct sf_rule rule;
	struct parse_err e;
	int argc = split("7 drop applied-to port nosuch0 src @nosuch", buf,
			 argv);

	CHECK_INT(rule_parse(&rule, argc, argv, NULL, &e), 0);
	CHECK_INT(rule.n_ports, 1);
	CHECK_STR(rule.src.set, "nosuch");
	sf_rule_free(&rule);
}

TEST(rule_words_fields)
{
	struct sf_rule rule;
	struct parse_err e;

	CHECK_INT(parse("9 reject dir egress applied-to port veth1 tag t "
			"src @db dst 10.1.0.0/16 proto udp sport 1-2 "
			"dport 3 log", &rule, &e), 0);
	CHECK_INT(rule.id, 9);
	CHECK_INT(rule.action, SLOTFILTER_ACTION_REJECT);
	CHECK_INT(rule.dir, SLOTFILTER_RULE_DIR_EGRESS);
	CHECK_INT(rule.n_ports, 1);
	CHECK_INT(rule.ports[0], 6);
	CHECK_INT(rule.n_tags, 1);
	CHECK_STR(rule.tags[0], "t");
	CHECK_INT(rule.src.kind, SF_MATCH_SET);
	CHECK_INT(rule.dst.kind, SF_MATCH_PREFIX);
	CHECK_INT(rule.dst.prefix.plen, 16);
	CHECK_INT(rule.dst.prefix.addr[1], 1);
	CHECK(rule.has_proto);
	CHECK_INT(rule.proto, 17);
	CHECK(rule.sport.present && rule.sport.min == 1 && rule.sport.max == 2);
	CHECK(rule.dport.present && rule.dport.min == 3 && rule.dport.max == 3);
	CHECK(rule.log);
	CHECK(!rule.has_icmp_type);
	sf_rule_free(&rule);
}
