// SPDX-License-Identifier: GPL-2.0
/*
 * ips_rule_test.c - the IPS rule parser: what a rule becomes, every
 * rejection with its line and reason, address/port lists and variables
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>

#include "../slotd/ips/netset.h"
#include "../slotd/ips/rule.h"
#include "test.h"

TEST(ips_rule_fields)
{
	struct ips_rules rs;
	const struct ips_rule *r;

	ips_rules_init(&rs);
	CHECK_INT(ips_rules_parse(&rs, "t.rules",
		"drop http $EXTERNAL_NET any <> $HOME_NET [80,8000:8080] "
		"(msg:\"a \\\"quoted\\\" \\; msg\"; flow:to_server,established; "
		"content:\"GET|20 2f|\"; offset:0; depth:5; "
		"content:\"a\\;b\"; nocase; distance:-1; within:10; "
		"pcre:\"/x[0-9]+/i\"; classtype:web-application-attack; "
		"sid:1000001; rev:3; reference:url,example.com; "
		"threshold:type limit, track by_dst, count 2, seconds 30; "
		"detection_filter:track by_src, count 5, seconds 10;)\n"), 0);
	CHECK_INT(rs.n, 1);
	CHECK_INT(rs.n_errs, 0);
	if (rs.n != 1)
		goto out;
	r = &rs.v[0];
	CHECK_INT(r->action, IPS_A_DROP);
	CHECK_INT(r->proto, IPS_P_TCP);
	CHECK(r->bidir);
	CHECK_STR(r->msg, "a \"quoted\" ; msg");
	CHECK_INT(r->flow, IPS_FLOW_TO_SERVER | IPS_FLOW_ESTABLISHED);
	CHECK_INT(r->n_contents, 2);
	CHECK_INT(r->contents[0].len, 5);
	CHECK(!memcmp(r->contents[0].bytes, "GET /", 5));
	CHECK(r->contents[0].has_depth && r->contents[0].depth == 5);
	CHECK(!r->contents[0].relative && !r->contents[0].nocase);
	CHECK_INT(r->contents[1].len, 3);
	CHECK(!memcmp(r->contents[1].bytes, "a;b", 3));
	CHECK(r->contents[1].nocase && r->contents[1].relative);
	CHECK_INT(r->contents[1].distance, -1);
	CHECK_INT(r->contents[1].within, 10);
	CHECK_INT(r->n_pcres, 1);
	CHECK_INT(r->sid, 1000001);
	CHECK_INT(r->rev, 3);
	CHECK_STR(r->category, "Web Application Attack");
	CHECK_INT(r->priority, 1);
	CHECK_INT(r->threshold.type, IPS_THR_LIMIT);
	CHECK(r->threshold.by_dst);
	CHECK_INT(r->threshold.count, 2);
	CHECK_INT(r->threshold.seconds, 30);
	CHECK_INT(r->filter.type, IPS_THR_FILTER);
	CHECK(!r->filter.by_dst);
	CHECK_INT(r->filter.count, 5);
	CHECK_INT(r->dport.n, 2);
	CHECK_INT(r->dport.v[1].lo, 8000);
	CHECK_INT(r->dport.v[1].hi, 8080);
out:
	ips_rules_free(&rs);
}

TEST(ips_rule_defaults)
{
	struct ips_rules rs;

	ips_rules_init(&rs);
	ips_rules_parse(&rs, "t.rules",
			"alert icmp any any -> any any (sid:7; priority:2; "
			"classtype:misc-activity;)\n"
			"pass udp any any -> any 53 (sid:8;)\n");
	CHECK_INT(rs.n, 2);
	if (rs.n == 2) {
		CHECK_STR(rs.v[0].msg, "");
		CHECK_INT(rs.v[0].priority, 2);	/* priority beats classtype */
		CHECK_STR(rs.v[0].category, "Misc activity");
		CHECK_INT(rs.v[1].action, IPS_A_PASS);
		CHECK_INT(rs.v[1].priority, 3);
		CHECK_STR(rs.v[1].category, "");
		CHECK_INT(rs.v[1].rev, 0);
	}
	ips_rules_free(&rs);
}

static const char bad_file[] =
	"# a comment, then variables\n"					/* 1 */
	"ipvar HOME_NET [10.0.0.0/8, 192.168.0.0/16]\n"			/* 2 */
	"portvar WEB_PORTS [80,8080:8090]\n"				/* 3 */
	"alert tcp $EXTERNAL_NET any -> $HOME_NET $WEB_PORTS (msg:\"one\"; content:\"GET\"; sid:1;)\n"
	"alert tcp any any -> any any (msg:\"x\"; content:\"a\"; http_uri; sid:2;)\n"
	"drop tcp any any -> any any (msg:\"two lines\"; \\\n"		/* 6 */
	"   content:\"evil\"; sid:3;)\n"				/* 7 */
	"alert tcp any any -> any any (msg:\"dup\"; sid:1;)\n"		/* 8 */
	"alert tcp any any -> any any (msg:\"no sid\"; content:\"x\";)\n"
	"alert tls any any -> any any (sid:5;)\n"			/* 10 */
	"alert tcp any any -> any any (nocase; sid:6;)\n"
	"alert tcp any any -> any any (content:\"abc\"; depth:2; sid:7;)\n"
	"alert tcp any any -> any any (pcre:\"/a(/\"; sid:8;)\n"
	"alert tcp !any any -> any any (sid:9;)\n"
	"alert tcp any any => any any (sid:10;)\n"			/* 15 */
	"alert tcp any any -> any any (content:\"|4g|\"; sid:11;)\n"
	"alert tcp any any -> any any (msg:\"a; sid:12;)\n"
	"alert tcp any any -> any any (classtype:nope; sid:13;)\n"
	"alert tcp any any -> $NOPE any (sid:14;)\n"
	"alert tcp any any -> any any (threshold:type limit, track by_src, count 1; sid:15;)\n"
	"ipvar LOOP [1.2.3.4, $LOOP]\n"					/* 21 */
	"alert tcp any any -> any any (content:!\"x\"; sid:16;)\n"
	"alert tcp any any -> any any (pcre:\"/x/R\"; sid:17;)\n"
	"alert tcp any any -> any any (content:\"ab\"; distance:1; offset:2; sid:18;)\n"
	"alert tcp any any -> any 70000 (sid:19;)\n"			/* 25 */
	"alert tcp any any -> ![1.1.1.1,!2.2.2.2] any (sid:20;)\n"
	"alert tcp any any -> any any (flow:to_server,to_client; sid:21;)\n"
	"alert tcp any any -> any any sid:22;\n"
	"alert udp any any -> any any (msg:\"last\"; sid:23;)\n";	/* 29 */

static const char *const bad_errs[] = {
	"t.rules:5: keyword 'http_uri' is not supported",
	"t.rules:8: sid 1 already used on line 4",
	"t.rules:9: no sid",
	"t.rules:10: protocol 'tls' is not supported",
	"t.rules:11: nocase: no content before it",
	"t.rules:12: content 1: depth 2 is shorter than the content (3 bytes)",
	"t.rules:13: pcre: missing closing parenthesis at offset 2",
	"t.rules:14: !any matches nothing",
	"t.rules:15: direction '=>': want -> or <>",
	"t.rules:16: content: bad hex byte in |..|",
	"t.rules:17: msg: unterminated string",
	"t.rules:18: classtype: unknown classtype 'nope'",
	"t.rules:19: unknown variable $NOPE",
	"t.rules:20: threshold: missing 'seconds'",
	"t.rules:21: ipvar LOOP: unknown variable $LOOP",
	"t.rules:22: content: negated content is not supported",
	"t.rules:23: pcre: flag 'R' is not supported",
	"t.rules:24: content 1: offset/depth and distance/within together",
	"t.rules:25: bad port '70000'",
	"t.rules:26: a negated list cannot hold negated elements",
	"t.rules:27: flow: to_server and to_client together",
	"t.rules:28: no '(' before the options",
};

TEST(ips_rule_file_errors)
{
	unsigned int i, n = sizeof(bad_errs) / sizeof(bad_errs[0]);
	struct ips_rules rs;

	ips_rules_init(&rs);
	CHECK_INT(ips_rules_parse(&rs, "t.rules", bad_file), 0);
	CHECK_INT(rs.n, 3);
	CHECK_INT(rs.rejected, n - 1);	/* the bad ipvar is no rule */
	CHECK_INT(rs.n_errs, n);
	for (i = 0; i < n && i < rs.n_errs; i++)
		CHECK_STR(rs.errs[i], bad_errs[i]);
	if (rs.n == 3) {
		CHECK_INT(rs.v[0].sid, 1);
		CHECK_INT(rs.v[1].sid, 3);
		CHECK_INT(rs.v[1].line, 6);
		CHECK_STR(rs.v[1].msg, "two lines");
		CHECK_INT(rs.v[2].sid, 23);
		CHECK_INT(rs.v[2].line, 29);
	}
	ips_rules_free(&rs);
}

TEST(ips_rule_load_missing)
{
	struct ips_rules rs;

	ips_rules_init(&rs);
	CHECK_INT(ips_rules_load(&rs, "/nonexistent/ips.rules"), -ENOENT);
	CHECK_INT(rs.n_errs, 1);
	if (rs.n_errs)
		CHECK_STR(rs.errs[0],
			  "/nonexistent/ips.rules: No such file or directory");
	ips_rules_free(&rs);
}

static bool addr_in(const struct ips_addrs *a, const char *s)
{
	uint8_t b[16];
	int fam = strchr(s, ':') ? AF_INET6 : AF_INET;

	inet_pton(fam, s, b);
	return ips_addrs_match(a, fam, b);
}

TEST(ips_netset_lists)
{
	struct ips_var vars[] = {
		{ "HOME_NET", "[10.0.0.0/8, 2001:db8::/32]", false },
		{ "A", "$B", false },
		{ "B", "$A", false },
		{ "WEB", "[80, 443]", true },
	};
	struct ips_addrs a;
	struct ips_ports p;
	char err[128];

	CHECK_INT(ips_addrs_parse(&a, "[$HOME_NET, !10.1.0.0/16]", vars, 4,
				  err, sizeof(err)), 0);
	CHECK(addr_in(&a, "10.2.3.4"));
	CHECK(!addr_in(&a, "10.1.3.4"));
	CHECK(!addr_in(&a, "192.168.1.1"));
	CHECK(addr_in(&a, "2001:db8::1"));
	CHECK(!addr_in(&a, "2001:db9::1"));
	ips_addrs_free(&a);
	CHECK_INT(ips_addrs_parse(&a, "![1.2.3.4, 5.6.7.0/24]", vars, 4, err,
				  sizeof(err)), 0);
	CHECK(!addr_in(&a, "5.6.7.8") && !addr_in(&a, "1.2.3.4"));
	CHECK(addr_in(&a, "1.2.3.5"));
	ips_addrs_free(&a);
	CHECK_INT(ips_addrs_parse(&a, "[1.2.3.4, any]", vars, 4, err,
				  sizeof(err)), 0);
	CHECK(addr_in(&a, "9.9.9.9"));
	ips_addrs_free(&a);
	CHECK_INT(ips_addrs_parse(&a, "$A", vars, 4, err, sizeof(err)),
		  -EINVAL);
	CHECK_STR(err, "variables nested too deep at $A (a loop?)");
	CHECK_INT(ips_addrs_parse(&a, "$WEB", vars, 4, err, sizeof(err)),
		  -EINVAL);
	CHECK_STR(err, "$WEB is not an address variable");
	CHECK_INT(ips_addrs_parse(&a, "[1.2.3.4", vars, 4, err, sizeof(err)),
		  -EINVAL);
	CHECK_STR(err, "missing ']'");
	CHECK_INT(ips_addrs_parse(&a, "10.0.0.0/33", vars, 4, err,
				  sizeof(err)), -EINVAL);
	CHECK_STR(err, "bad address '10.0.0.0/33'");

	CHECK_INT(ips_ports_parse(&p, "[$WEB, 1024:, !8080]", vars, 4, err,
				  sizeof(err)), 0);
	CHECK(ips_ports_match(&p, 80) && ips_ports_match(&p, 443));
	CHECK(ips_ports_match(&p, 1024) && ips_ports_match(&p, 65535));
	CHECK(!ips_ports_match(&p, 8080) && !ips_ports_match(&p, 81));
	ips_ports_free(&p);
	CHECK_INT(ips_ports_parse(&p, ":1023", vars, 4, err, sizeof(err)), 0);
	CHECK(ips_ports_match(&p, 0) && !ips_ports_match(&p, 1024));
	ips_ports_free(&p);
	CHECK_INT(ips_ports_parse(&p, "90:80", vars, 4, err, sizeof(err)),
		  -EINVAL);
	CHECK_STR(err, "bad port '90:80'");
	CHECK_INT(ips_ports_parse(&p, "$HOME_NET", vars, 4, err, sizeof(err)),
		  -EINVAL);
	CHECK_STR(err, "$HOME_NET is not a port variable");
}

TEST(ips_rule_example_file)
{
	struct ips_rules rs;

	ips_rules_init(&rs);
	CHECK_INT(ips_rules_load(&rs, "slotd/examples/ips.rules"), 0);
	CHECK_INT(rs.n_errs, 0);
	CHECK_INT(rs.n, 9);
	ips_rules_free(&rs);
}
