// SPDX-License-Identifier: GPL-2.0
/*
 * config_test.c - the file "slotctl apply" reads: contents, every kind of
 * error with its FILE:LINE:COL, continuation lines, a 1 MiB file
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "config.h"
#include "test.h"

/* Devices veth0 (5, a port) and veth1 (6, not a port); kernel set kset. */
static unsigned int fake_ifindex(const char *name, void *ctx)
{
	(void)ctx;
	if (!strcmp(name, "veth0"))
		return 5;
	if (!strcmp(name, "veth1"))
		return 6;
	return 0;
}

static bool fake_set_exists(const char *name, void *ctx)
{
	(void)ctx;
	return !strcmp(name, "kset");
}

static bool fake_is_port(unsigned int ifindex, void *ctx)
{
	(void)ctx;
	return ifindex == 5;
}

static bool fake_service_exists(const char *name, void *ctx)
{
	(void)ctx;
	return !strcmp(name, "ksvc");
}

static const struct config_env env = {
	fake_ifindex, fake_set_exists, fake_is_port, NULL, fake_service_exists
};

static char *text_copy;

/* Parse @text as "f.conf"; the errors as printed, in @errs. */
static size_t parse(struct config *cfg, const char *text, const char **errs)
{
	struct capture c;
	size_t n;

	free(text_copy);
	text_copy = strdup(text);
	n = config_parse(cfg, "f.conf", text_copy, strlen(text), &env);
	config_print_errors(cfg, capture_open(&c));
	*errs = capture_close(&c);
	return n;
}

TEST(config_contents)
{
	static const char text[] =
		"# a comment\n"
		"\n"
		"port veth0 tags web,db\n"
		"port veth1\t # attached by apply\n"
		"set web 10.0.0.0/24,fd00::/64\r\n"
		"set empty\n"
		"firewall default drop\n"
		"firewall option tcp-strict on\n"
		"firewall option existing-flows reevaluate\n"
		"firewall timeout udp 20\n"
		"firewall flow-max 1000\n"
		"rule 10 allow applied-to port veth0 proto tcp dport 22\n"
		"rule 5 reject dst @web   log\n"
		"  rule 7 drop src @kset\n";
	struct config cfg;
	const char *errs;

	CHECK_INT(parse(&cfg, text, &errs), 0);
	CHECK_STR(errs, "");
	CHECK_INT(cfg.n_ports, 2);
	CHECK_STR(cfg.ports[0].name, "veth0");
	CHECK_INT(cfg.ports[0].ifindex, 5);
	CHECK_INT(cfg.ports[0].n_tags, 2);
	CHECK_STR(cfg.ports[0].tags[1], "db");
	CHECK_INT(cfg.ports[1].n_tags, 0);
	CHECK_INT(cfg.sets.n, 2);
	CHECK_INT(cfg.sets.sets[0].n, 2);
	CHECK_INT(cfg.sets.sets[1].n, 0);
	CHECK_INT(cfg.rs.fw.def, SLOTFILTER_ACTION_DROP);
	CHECK_INT(cfg.rs.fw.flags, SLOTFILTER_FW_F_TCP_STRICT |
				   SLOTFILTER_FW_F_REEVALUATE);
	CHECK_INT(cfg.rs.fw.timeouts[SLOTFILTER_TIMEOUT_UDP], 20);
	CHECK_INT(cfg.rs.fw.timeouts[SLOTFILTER_TIMEOUT_ICMP], 0);
	CHECK_INT(cfg.rs.fw.flow_max, 1000);
	CHECK(!config_timeouts_complete(&cfg));
	CHECK_INT(cfg.rs.n, 3);
	CHECK_INT(cfg.rs.rules[0].id, 10);
	CHECK_INT(cfg.rs.rules[0].ports[0], 5);
	CHECK_INT(cfg.rs.rules[1].id, 5);
	CHECK(cfg.rs.rules[1].log);
	CHECK_INT(cfg.rule_pos[2].line, 14);
	CHECK_INT(cfg.rule_pos[2].col, 8);
	CHECK(config_set_used(&cfg, "web"));
	CHECK(config_set_used(&cfg, "kset"));
	CHECK(!config_set_used(&cfg, "empty"));
	config_free(&cfg);
}

/* What a file leaves out: allow, no flags, flow-max 65536, timeouts 0. */
TEST(config_defaults)
{
	struct config cfg;
	const char *errs;

	CHECK_INT(parse(&cfg, "", &errs), 0);
	CHECK_INT(cfg.rs.fw.def, SLOTFILTER_ACTION_ALLOW);
	CHECK_INT(cfg.rs.fw.flags, 0);
	CHECK_INT(cfg.rs.fw.flow_max, 65536);
	CHECK_INT(cfg.rs.fw.timeouts[SLOTFILTER_TIMEOUT_TCP_SYN], 0);
	CHECK_INT(cfg.rs.n, 0);
	config_free(&cfg);
}

TEST(config_errors_line_col)
{
	static const char text[] =
/*  1 */	"port veth9\n"
/*  2 */	"port veth0 tags a,,b\n"
/*  3 */	"set web 10.0.0.0/24,10.0.0.0/33\n"
/*  4 */	"firewall default maybe\n"
/*  5 */	"firewall timeout udp 0\n"
/*  6 */	"firewall frob\n"
/*  7 */	"rule 10 allow proto tcp dport 90-80\n"
/*  8 */	"frob the knob\n"
/*  9 */	"\trule 11 drop src @nosuch\n"
/* 10 */	"rule 12 drop\n"
/* 11 */	"rule 12 allow\n"
/* 12 */	"firewall default drop\n"
/* 13 */	"firewall default allow\n"
/* 14 */	"rule 13 allow applied-to port veth0,veth1\n"
/* 15 */	"port veth0\n"
/* 16 */	"set web\n"
/* 17 */	"rule 14 allow sport 80\n"
/* 18 */	"rule 15\n"
/* 19 */	"port\n"
/* 20 */	"port veth0 tag x\n"
/* 21 */	"firewall option non-ip\n"
/* 22 */	"rule 16 allow applied-to port veth0,,veth1\n"
/* 23 */	"port veth1 tags ok x y\n"
/* 24 */	"set b@d\n"
/* 25 */	"firewall option non-ip drop\n"
/* 26 */	"firewall option non-ip allow\n"
/* 27 */	"set web2 10.0.0.1,\n";
	struct config cfg;
	const char *errs;

	CHECK_INT(parse(&cfg, text, &errs), 24);
	CHECK_STR(errs,
		  "f.conf:1:6: cannot find device \"veth9\"\n"
		  "f.conf:2:19: empty tag name in list \"a,,b\"\n"
		  "f.conf:3:21: prefix length 33 out of range for IPv4\n"
		  "f.conf:4:18: invalid default action \"maybe\" (allow or drop)\n"
		  "f.conf:5:22: timeout 0 out of range (1-864000)\n"
		  "f.conf:6:10: invalid firewall setting \"frob\" (default, option, timeout or flow-max)\n"
		  "f.conf:7:31: invalid port range \"90-80\": start above end\n"
		  "f.conf:8:1: unknown statement \"frob\" (port, set, firewall, rule, service or redirect)\n"
		  "f.conf:9:19: unknown set \"nosuch\"\n"
		  "f.conf:11:6: duplicate rule id 12 (first at line 10)\n"
		  "f.conf:13:1: \"firewall default\" given twice (first at line 12)\n"
		  "f.conf:14:37: device \"veth1\" is not a port: attach it (\"port veth1\")\n"
		  "f.conf:15:6: port \"veth0\" listed twice (first at line 2)\n"
		  "f.conf:16:5: set \"web\" defined twice (first at line 3)\n"
		  "f.conf:17:15: \"sport\" needs proto tcp, udp, udplite or sctp\n"
		  "f.conf:18:9: missing action (allow, drop or reject)\n"
		  "f.conf:19:6: missing device name after \"port\"\n"
		  "f.conf:20:12: unexpected word \"tag\" (tags?)\n"
		  "f.conf:21:24: missing argument after \"non-ip\"\n"
		  "f.conf:22:37: empty device name in list \"veth0,,veth1\"\n"
		  "f.conf:23:20: unexpected word \"x\"\n"
		  "f.conf:24:5: invalid set name \"b@d\": 1 to 31 characters of A-Z a-z 0-9 _ . -\n"
		  "f.conf:26:1: \"firewall option non-ip\" given twice (first at line 25)\n"
		  "f.conf:27:20: missing element after \",\"\n");
	config_free(&cfg);
}

TEST(config_continuation_lines)
{
	static const char text[] =
		"set big 10.0.0.1,10.0.0.2,\n"
		"   # a comment in the list\n"
		"\n"
		"        10.0.0.3,  10.0.0.4\n"
		"set other 10.9.0.0/16 10.8.0.0/16\n"
		"set bad 10.0.0.1,\n"
		"\t10.0.0.2,10.0.0.256\n"
		"rule 1 allow src @big dst @other\n";
	struct config cfg;
	const char *errs;

	CHECK_INT(parse(&cfg, text, &errs), 1);
	CHECK_STR(errs, "f.conf:7:11: invalid address \"10.0.0.256\"\n");
	CHECK_INT(cfg.sets.n, 3);
	CHECK_INT(cfg.sets.sets[0].n, 4);
	CHECK_INT(cfg.sets.sets[0].elems[3].addr[3], 4);
	CHECK_INT(cfg.sets.sets[1].n, 2);
	/* sorted: 10.8 before 10.9 */
	CHECK_INT(cfg.sets.sets[1].elems[0].addr[1], 8);
	CHECK_INT(cfg.rs.n, 1);
	CHECK_INT(cfg.rule_pos[0].line, 8);
	config_free(&cfg);

	/* only "set" lines continue */
	CHECK_INT(parse(&cfg, "port veth0 tags a,\nb\n", &errs), 2);
	CHECK_STR(errs,
		  "f.conf:1:19: empty tag name in list \"a,\"\n"
		  "f.conf:2:1: unknown statement \"b\" (port, set, firewall, rule, service or redirect)\n");
	config_free(&cfg);
}

TEST(config_odd_bytes)
{
	static const char text[] = "rule 1 allow\nrule 2\0 allow\nrule 3 drop";
	struct config cfg;
	const char *errs;

	free(text_copy);
	text_copy = malloc(sizeof(text));
	memcpy(text_copy, text, sizeof(text));
	CHECK_INT(config_parse(&cfg, "f.conf", text_copy, sizeof(text) - 1,
			       &env), 1);
	config_print_errors(&cfg, capture_open(&(struct capture){ 0 }));
	CHECK_INT(cfg.errs[0].pos.line, 2);
	CHECK_INT(cfg.errs[0].pos.col, 7);
	CHECK_STR(cfg.errs[0].msg, "a NUL byte");
	CHECK_INT(cfg.rs.n, 2);		/* the last line needs no newline */
	config_free(&cfg);
	(void)errs;
}

TEST(config_limits)
{
	struct config cfg;
	const char *errs;

	CHECK_INT(parse(&cfg, "port veth0 tags a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,a\n",
			&errs), 1);
	CHECK_STR(errs, "f.conf:1:49: more than 16 tags on a port\n");
	config_free(&cfg);
	CHECK_INT(parse(&cfg, "port veth0 tags a,b,a\n", &errs), 1);
	CHECK_STR(errs, "f.conf:1:21: tag \"a\" listed twice\n");
	config_free(&cfg);
}

/*
 * Each statement's word alone. A file's words have no NULL after the
 * last (as argv has): "redirect" alone read past them (fuzz-apply; seen
 * with CFLAGS=-fsanitize=address).
 */
TEST(config_statement_alone)
{
	struct config cfg;
	const char *errs;

	CHECK_INT(parse(&cfg, "port\nset\nfirewall\nrule\nservice\n"
			"redirect\nredirect service\n", &errs), 7);
	CHECK_STR(errs,
		  "f.conf:1:6: missing device name after \"port\"\n"
		  "f.conf:2:5: missing set name after \"set\"\n"
		  "f.conf:3:10: missing setting after \"firewall\"\n"
		  "f.conf:4:6: missing rule id\n"
		  "f.conf:5:9: missing service name\n"
		  "f.conf:6:10: missing \"service NAME\"\n"
		  "f.conf:7:18: missing argument after \"service\"\n");
	config_free(&cfg);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A file of more than 1 MiB: a set of 30,000 elements over 3,750 lines
 * and 12,000 rules using it, with one error on its last line. It must
 * find that error alone and keep everything else. How long it takes is
 * printed with V=1, never asserted: a busy host would fail it.
 */
TEST(config_one_mib)
{
	struct capture c;
	struct config cfg;
	const char *errs;
	double t0, t;
	char *text;
	size_t len;
	int i;

	capture_open(&c);
	fputs("# generated\nport veth0 tags web\nset many", c.fp);
	for (i = 0; i < 30000; i++)
		fprintf(c.fp, "%s10.%u.%u.0/24", !i ? " " :
			i % 8 ? "," : ",\n    ", i / 256, i % 256);
	fputc('\n', c.fp);
	for (i = 1; i <= 12000; i++)
		fprintf(c.fp, "rule %d allow dir ingress applied-to tag web src @many proto tcp dport %d\n",
			i, 1024 + i);
	fputs("rule 12001 allow proto tcp sport 90-80\n", c.fp);
	fclose(c.fp);
	text = c.buf;
	len = c.len;
	CHECK(len > 1 << 20);

	t0 = now();
	CHECK_INT(config_parse(&cfg, "big.conf", text, len, &env), 1);
	t = now() - t0;
	config_print_errors(&cfg, capture_open(&c));
	errs = capture_close(&c);
	CHECK_STR(errs, "big.conf:15753:34: invalid port range \"90-80\": start above end\n");
	if (getenv("V"))
		printf("  %zu bytes parsed in %.3f s\n", len, t);
	CHECK_INT(cfg.sets.sets[0].n, 30000);
	CHECK_INT(cfg.rs.n, 12000);
	config_free(&cfg);
	free(text);
}

/* Every rule id once: duplicates found by sorting, all reported. */
TEST(config_many_duplicate_ids)
{
	struct capture c;
	struct config cfg;
	int i;

	capture_open(&c);
	for (i = 0; i < 20000; i++)
		fprintf(c.fp, "rule %d drop\n", i % 10000 + 1);
	fclose(c.fp);
	CHECK_INT(config_parse(&cfg, "f", c.buf, c.len, &env), 10000);
	CHECK_INT(cfg.errs[0].pos.line, 10001);
	CHECK_STR(cfg.errs[0].msg, "duplicate rule id 1 (first at line 1)");
	config_free(&cfg);
	free(c.buf);
}
