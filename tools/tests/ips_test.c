// SPDX-License-Identifier: GPL-2.0
/*
 * ips_test.c - the IPS engine on built packets: content modifiers, pcre,
 * a content split between TCP segments, out of order, memcap, detect and
 * prevent, continue-flow, EVE lines, threshold, reload; and the kind's
 * options in slotd's configuration
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../slotd/conf.h"
#include "../slotd/ips/engine.h"
#include "fixture.h"
#include "ips_pkt.h"
#include "test.h"

#define T0_US	1714564800000123ULL	/* 2024-05-01T12:00:00.000123Z */

static uint64_t fake_us = T0_US;

static uint64_t fake_clock(void)
{
	return fake_us;
}

struct tips {
	struct ips *ips;
	char rules[64];
	char eve[64];
	uint64_t id;
	int saved_err;
};

/* slotd's log (stderr) goes to /dev/null while the engine runs. */
static void quiet(struct tips *t, bool on)
{
	fflush(stderr);
	if (on) {
		int fd = open("/dev/null", O_WRONLY);

		t->saved_err = dup(2);
		dup2(fd, 2);
		close(fd);
	} else {
		dup2(t->saved_err, 2);
		close(t->saved_err);
	}
}

static int tips_start(struct tips *t, const char *rules, const char *opts)
{
	struct ips_conf c = { .name = "ips", .stream_depth = 1 << 20,
			      .inspect_depth = 1 << 20, .memcap = 64 << 20,
			      .flow_timeout_s = 60 };
	int err;

	memset(t, 0, sizeof(*t));
	strcpy(t->rules, "/tmp/ips_test.XXXXXX");
	close(mkstemp(t->rules));
	strcpy(t->eve, "/tmp/ips_eve.XXXXXX");
	close(mkstemp(t->eve));
	fx_write_file(t->rules, rules);
	strcpy(c.rules, t->rules);
	strcpy(c.eve, t->eve);
	c.prevent = strstr(opts, "prevent") != NULL;
	if (strstr(opts, "inspect100"))
		c.inspect_depth = 100;
	if (strstr(opts, "memcap"))
		c.memcap = 65536;
	fake_us = T0_US;
	quiet(t, true);
	err = ips_new(&t->ips, &c);
	quiet(t, false);
	if (!err)
		t->ips->clock_us = fake_clock;
	return err;
}

static void tips_stop(struct tips *t)
{
	ips_free(t->ips);
	unlink(t->rules);
	unlink(t->eve);
}

static int send_pkt(struct tips *t, uint64_t flow, uint8_t dir,
		    const uint8_t *data, size_t len)
{
	struct sd_packet p = {
		.id = ++t->id, .flow_id = flow, .ifindex = 3, .dir = dir,
		.slot = 4, .ifname = "veth0", .service = "ips",
		.data = data, .len = len, .orig_len = len,
		.l3proto = data[0] >> 4 == 6 ? 0x86dd : 0x0800,
	};

	return ips_packet(t->ips, &p);
}

#define C_IP	"10.0.0.1"
#define S_IP	"10.0.0.2"
#define ISN_C	1000
#define ISN_S	5000

/* One TCP segment: @c2s from the client (ingress) or the server. */
static int seg(struct tips *t, uint64_t flow, bool c2s, uint32_t off,
	       uint8_t flags, const char *payload)
{
	static uint8_t b[PKT_MAX];
	size_t n;

	if (c2s)
		n = pkt4_tcp(b, C_IP, 40000, S_IP, 80, ISN_C + 1 + off, flags,
			     payload);
	else
		n = pkt4_tcp(b, S_IP, 80, C_IP, 40000, ISN_S + 1 + off, flags,
			     payload);
	return send_pkt(t, flow, c2s ? 0 : 1, b, n);
}

static void handshake(struct tips *t, uint64_t flow)
{
	static uint8_t b[128];
	size_t n;

	n = pkt4_tcp(b, C_IP, 40000, S_IP, 80, ISN_C, 0x02, "");
	CHECK_INT(send_pkt(t, flow, 0, b, n), SD_V_CONTINUE);
	n = pkt4_tcp(b, S_IP, 80, C_IP, 40000, ISN_S, 0x12, "");
	CHECK_INT(send_pkt(t, flow, 1, b, n), SD_V_CONTINUE);
	CHECK_INT(seg(t, flow, true, 0, 0x10, ""), SD_V_CONTINUE);
}

static int udp6(struct tips *t, const char *payload)
{
	static uint8_t b[PKT_MAX];
	size_t n = pkt6_udp(b, "2001:db8::1", 5353, "2001:db8::2", 53,
			    payload);

	return send_pkt(t, 0, 0, b, n);
}

static const char split_rules[] =
	"drop tcp any any -> any 80 (msg:\"evil \\\"thing\\\"\"; "
	"flow:to_server,established; content:\"EVILSTRING\"; "
	"classtype:web-application-attack; sid:1000001; rev:2;)\n";

TEST(ips_split_prevent)
{
	struct tips t;
	char *eve;

	if (tips_start(&t, split_rules, "prevent"))
		return test_fail(__FILE__, __LINE__, "start");
	handshake(&t, 7);
	CHECK_INT(seg(&t, 7, true, 0, 0x18, "GET /?q=EVIL"), SD_V_CONTINUE);
	CHECK_INT(seg(&t, 7, true, 12, 0x18, "STRING HTTP/1.0\r\n"),
		  SD_V_DROP_FLOW);
	/* a packet of the flow still in flight gets the same verdict */
	CHECK_INT(seg(&t, 7, true, 29, 0x18, "\r\n"), SD_V_DROP_FLOW);
	CHECK_INT(t.ips->stats.alerts, 1);
	CHECK_INT(t.ips->stats.blocked, 1);
	eve = fx_read_file(t.eve);
	CHECK_STR(eve, "{\"timestamp\":\"2024-05-01T12:00:00.000123+0000\","
		  "\"flow_id\":7,\"event_type\":\"alert\","
		  "\"src_ip\":\"10.0.0.1\",\"src_port\":40000,"
		  "\"dest_ip\":\"10.0.0.2\",\"dest_port\":80,\"proto\":\"TCP\","
		  "\"alert\":{\"action\":\"blocked\",\"gid\":1,"
		  "\"signature_id\":1000001,\"rev\":2,"
		  "\"signature\":\"evil \\\"thing\\\"\","
		  "\"category\":\"Web Application Attack\",\"severity\":1},"
		  "\"slotfilter\":{\"port\":\"veth0\",\"direction\":\"ingress\","
		  "\"slot\":4,\"service\":\"ips\"}}\n");
	CHECK(python_ok(eve, "import json,sys\n"
			"e=json.loads(sys.stdin.read())\n"
			"assert e['alert']['signature']=='evil \"thing\"'\n"
			"assert e['slotfilter']['slot']==4\n"));
	free(eve);
	tips_stop(&t);
}

TEST(ips_split_detect)
{
	struct tips t;
	char *eve;

	if (tips_start(&t, split_rules, "detect"))
		return test_fail(__FILE__, __LINE__, "start");
	handshake(&t, 8);
	CHECK_INT(seg(&t, 8, true, 0, 0x18, "xxEVIL"), SD_V_CONTINUE);
	CHECK_INT(seg(&t, 8, true, 6, 0x18, "STRINGxx"), SD_V_CONTINUE);
	/* alerted once per direction, not again as the stream grows */
	CHECK_INT(seg(&t, 8, true, 14, 0x18, "more EVILSTRING"), SD_V_CONTINUE);
	CHECK_INT(t.ips->stats.alerts, 1);
	CHECK_INT(t.ips->stats.blocked, 0);
	eve = fx_read_file(t.eve);
	CHECK(strstr(eve, "\"action\":\"allowed\"") != NULL);
	free(eve);
	/* to_client: the server sending it does not match */
	CHECK_INT(seg(&t, 8, false, 0, 0x18, "EVILSTRING"), SD_V_CONTINUE);
	CHECK_INT(t.ips->stats.alerts, 1);
	tips_stop(&t);
}

TEST(ips_out_of_order)
{
	struct tips t;

	if (tips_start(&t, split_rules, "prevent"))
		return test_fail(__FILE__, __LINE__, "start");
	handshake(&t, 9);
	CHECK_INT(seg(&t, 9, true, 6, 0x18, "STRINGxx"), SD_V_CONTINUE);
	CHECK_INT(t.ips->flows.stats.ooo, 1);
	/* a retransmission of nothing new */
	CHECK_INT(seg(&t, 9, true, 6, 0x18, "STRINGxx"), SD_V_CONTINUE);
	CHECK_INT(seg(&t, 9, true, 0, 0x18, "xxEVIL"), SD_V_DROP_FLOW);
	CHECK_INT(t.ips->stats.alerts, 1);
	tips_stop(&t);
}

TEST(ips_not_established)
{
	struct tips t;

	if (tips_start(&t, split_rules, "prevent"))
		return test_fail(__FILE__, __LINE__, "start");
	/* no SYN-ACK seen: not established, the rule does not apply */
	CHECK_INT(seg(&t, 10, true, 0, 0x18, "EVILSTRING"), SD_V_CONTINUE);
	CHECK_INT(t.ips->stats.alerts, 0);
	tips_stop(&t);
}

TEST(ips_continue_flow)
{
	struct tips t;
	char data[61];

	memset(data, 'a', 60);
	data[60] = '\0';
	if (tips_start(&t, split_rules, "prevent inspect100"))
		return test_fail(__FILE__, __LINE__, "start");
	handshake(&t, 11);
	CHECK_INT(seg(&t, 11, true, 0, 0x18, data), SD_V_CONTINUE);
	CHECK_INT(seg(&t, 11, false, 0, 0x18, data), SD_V_CONTINUE_FLOW);
	CHECK_INT(t.ips->stats.continue_flow, 1);
	tips_stop(&t);
}

TEST(ips_memcap)
{
	char data[1401];
	struct tips t;
	bool under = true;
	unsigned int f;

	memset(data, 'b', 1400);
	data[1400] = '\0';
	if (tips_start(&t, "drop tcp any any -> any 80 (content:\"EVILSTRING\"; sid:2;)\n",
		       "prevent memcap"))
		return test_fail(__FILE__, __LINE__, "start");
	for (f = 100; f < 140; f++) {
		handshake(&t, f);
		seg(&t, f, true, 0, 0x18, data);
		under &= t.ips->flows.mem <= 65536;
	}
	CHECK(under);
	CHECK(t.ips->flows.stats.memcap > 0);
	CHECK(t.ips->stats.alone > 0);
	/* a flow inspected without its stream still catches a whole match */
	CHECK_INT(seg(&t, 139, true, 1400, 0x18, "EVILSTRING"), SD_V_DROP_FLOW);
	tips_stop(&t);
}

static const char mod_rules[] =
	"alert udp any any -> any 53 (msg:\"depth\"; content:\"ab\"; offset:1; depth:3; sid:1;)\n"
	"alert udp any any -> any 53 (msg:\"rel\"; content:\"cd\"; content:\"ef\"; distance:2; within:4; sid:2;)\n"
	"alert udp any any -> any 53 (msg:\"nocase\"; content:\"HeLLo\"; nocase; sid:3;)\n"
	"alert udp any any -> any 53 (msg:\"hex\"; content:\"|00 01|z\"; sid:4;)\n"
	"alert udp any any -> any 53 (msg:\"pcre\"; content:\"user=\"; pcre:\"/user=[a-z]+admin/i\"; sid:5;)\n"
	"alert udp any any -> any 53 (msg:\"pcre only\"; pcre:\"/^QQ[0-9]{3}$/\"; sid:6;)\n"
	"alert udp any any -> any !53 (msg:\"never\"; content:\"ab\"; sid:7;)\n";

static unsigned int alerts_for(struct tips *t, const char *payload)
{
	uint64_t before = t->ips->stats.alerts;

	CHECK_INT(udp6(t, payload), SD_V_CONTINUE);
	return t->ips->stats.alerts - before;
}

static bool eve_has_sid(struct tips *t, unsigned int sid)
{
	char *eve = fx_read_file(t->eve), needle[32];
	bool ok;

	snprintf(needle, sizeof(needle), "\"signature_id\":%u,", sid);
	ok = strstr(eve, needle) != NULL;
	free(eve);
	return ok;
}

TEST(ips_content_modifiers)
{
	struct tips t;

	if (tips_start(&t, mod_rules, "detect"))
		return test_fail(__FILE__, __LINE__, "start");
	CHECK_INT(alerts_for(&t, "xabx"), 1);	/* ab at 1..3, within 1+3 */
	CHECK_INT(alerts_for(&t, "ab"), 0);	/* before offset 1 */
	CHECK_INT(alerts_for(&t, "xxxab"), 0);	/* ends past depth */
	CHECK_INT(alerts_for(&t, "cd..ef"), 1);	/* 2 after cd, within 4 */
	CHECK_INT(alerts_for(&t, "cd.ef"), 0);	/* distance 2 not kept */
	CHECK_INT(alerts_for(&t, "cd....ef"), 1);	/* ends at 2 + 2 + 4 */
	CHECK_INT(alerts_for(&t, "cd.....ef"), 0);	/* past within */
	CHECK_INT(alerts_for(&t, "efcd..ef"), 1); /* the second ef counts */
	CHECK_INT(alerts_for(&t, "say hello!"), 1);
	CHECK_INT(alerts_for(&t, "say HELLO!"), 1);
	CHECK_INT(alerts_for(&t, "say hell0"), 0);
	CHECK_INT(alerts_for(&t, "user=BobAdmin"), 1);
	CHECK_INT(alerts_for(&t, "user=bob"), 0);
	CHECK_INT(alerts_for(&t, "QQ123"), 1);
	CHECK_INT(alerts_for(&t, "QQ1234"), 0);
	CHECK(eve_has_sid(&t, 5) && eve_has_sid(&t, 6));
	CHECK(!eve_has_sid(&t, 7));
	tips_stop(&t);
}

TEST(ips_hex_content)
{
	static uint8_t b[PKT_MAX];
	struct tips t;
	size_t n;

	if (tips_start(&t, mod_rules, "detect"))
		return test_fail(__FILE__, __LINE__, "start");
	n = pkt6_udp(b, "2001:db8::1", 5353, "2001:db8::2", 53, "..X.z");
	b[n - 3] = 0;	/* the payload is "..\0\1z" */
	b[n - 2] = 1;
	CHECK_INT(send_pkt(&t, 0, 0, b, n), SD_V_CONTINUE);
	CHECK_INT(t.ips->stats.alerts, 1);
	CHECK(eve_has_sid(&t, 4));
	tips_stop(&t);
}

TEST(ips_udp_prevent_and_pass)
{
	struct tips t;
	static uint8_t b[PKT_MAX];
	size_t n;

	if (tips_start(&t,
		       "reject udp any any -> any any (msg:\"r\"; content:\"bad\"; sid:1;)\n"
		       "pass udp any any -> any any (msg:\"p\"; content:\"friend\"; sid:2;)\n"
		       "alert icmp any any -> any any (msg:\"ping\"; sid:3;)\n",
		       "prevent"))
		return test_fail(__FILE__, __LINE__, "start");
	CHECK_INT(udp6(&t, "a bad one"), SD_V_REJECT);	/* no flow id */
	n = pkt6_udp(b, "2001:db8::1", 5353, "2001:db8::2", 53, "bad");
	CHECK_INT(send_pkt(&t, 21, 0, b, n), SD_V_REJECT_FLOW);
	/* in flight behind it: dropped, the sender was answered once */
	CHECK_INT(send_pkt(&t, 21, 0, b, n), SD_V_DROP_FLOW);
	/* pass wins over reject and silences the packet's alerts */
	CHECK_INT(udp6(&t, "bad friend"), SD_V_CONTINUE);
	n = pkt6_udp(b, "2001:db8::1", 5353, "2001:db8::2", 53,
		     "bad friend");
	CHECK_INT(send_pkt(&t, 22, 0, b, n), SD_V_CONTINUE_FLOW);
	CHECK_INT(t.ips->stats.alerts, 2);
	CHECK_INT(t.ips->stats.passed, 2);
	n = pkt4_icmp(b, "10.0.0.1", "10.0.0.2", "ping");
	CHECK_INT(send_pkt(&t, 0, 0, b, n), SD_V_CONTINUE);
	CHECK_INT(t.ips->stats.alerts, 3);
	CHECK(python_ok(fx_read_file(t.eve),
			"import json,sys\n"
			"l=[json.loads(x) for x in sys.stdin]\n"
			"assert [e['alert']['action'] for e in l]==['blocked','blocked','allowed']\n"
			"assert l[0]['src_ip']=='2001:db8::1' and l[0]['dest_port']==53\n"
			"assert l[0]['proto']=='UDP' and l[2]['proto']=='ICMP'\n"
			"assert 'src_port' not in l[2]\n"));
	tips_stop(&t);
}

/* reject rules reject in prevent mode; a drop rule matching too wins. */
TEST(ips_reject)
{
	static const char rules[] =
		"reject tcp any any -> any 80 (msg:\"r\"; content:\"EVIL\"; sid:1;)\n"
		"drop tcp any any -> any 80 (msg:\"d\"; content:\"WORSE\"; sid:2;)\n";
	struct tips t;

	if (tips_start(&t, rules, "prevent"))
		return test_fail(__FILE__, __LINE__, "start");
	handshake(&t, 40);
	CHECK_INT(seg(&t, 40, true, 0, 0x18, "GET /EVIL"), SD_V_REJECT_FLOW);
	CHECK_INT(seg(&t, 40, true, 9, 0x18, " HTTP/1.0"), SD_V_DROP_FLOW);
	handshake(&t, 41);
	CHECK_INT(seg(&t, 41, true, 0, 0x18, "GET /EVIL/WORSE"),
		  SD_V_DROP_FLOW);
	CHECK_INT(t.ips->stats.blocked, 2);
	CHECK_INT(t.ips->stats.alerts, 3);
	tips_stop(&t);
	if (tips_start(&t, rules, "detect"))
		return test_fail(__FILE__, __LINE__, "start");
	handshake(&t, 42);
	CHECK_INT(seg(&t, 42, true, 0, 0x18, "GET /EVIL"), SD_V_CONTINUE);
	CHECK_INT(t.ips->stats.blocked, 0);
	CHECK_INT(t.ips->stats.alerts, 1);
	tips_stop(&t);
}

static char sent[4096];
static int refuse_alerts;

static int take_alert(void *arg, const char *json)
{
	size_t len = strlen(sent);

	snprintf(sent + len, sizeof(sent) - len, "%s:%s|", (char *)arg, json);
	return refuse_alerts ? -ENOTCONN : 0;
}

/* Each alert goes out as the EVE file's line without its newline. */
TEST(ips_alert_sink)
{
	struct tips t;
	char *eve, *want;

	if (tips_start(&t, split_rules, "prevent"))
		return test_fail(__FILE__, __LINE__, "start");
	t.ips->alert = take_alert;
	t.ips->alert_arg = "ips";
	sent[0] = '\0';
	refuse_alerts = 0;
	handshake(&t, 50);
	CHECK_INT(seg(&t, 50, true, 0, 0x18, "GET /?EVILSTRING"),
		  SD_V_DROP_FLOW);
	eve = fx_read_file(t.eve);
	CHECK(asprintf(&want, "ips:%.*s|", (int)strlen(eve) - 1, eve) > 0);
	CHECK_STR(sent, want);
	CHECK_INT(t.ips->stats.unsent, 0);
	/* refused (slotd: the service is not bound): counted, still in EVE */
	refuse_alerts = 1;
	handshake(&t, 51);
	CHECK_INT(seg(&t, 51, true, 0, 0x18, "GET /?EVILSTRING"),
		  SD_V_DROP_FLOW);
	CHECK_INT(t.ips->stats.unsent, 1);
	CHECK_INT(t.ips->stats.alerts, 2);
	free(eve);
	eve = fx_read_file(t.eve);
	CHECK_INT(strchr(strchr(eve, '\n') + 1, '\n') - eve + 1,
		  (long)strlen(eve));
	free(eve);
	free(want);
	tips_stop(&t);
}

TEST(ips_threshold)
{
	struct tips t;
	unsigned int i, got = 0;

	if (tips_start(&t,
		       "alert udp any any -> any any (msg:\"t\"; content:\"lim\"; threshold:type limit, track by_src, count 2, seconds 60; sid:1;)\n"
		       "alert udp any any -> any any (msg:\"d\"; content:\"flt\"; detection_filter:track by_dst, count 3, seconds 10; sid:2;)\n",
		       "detect"))
		return test_fail(__FILE__, __LINE__, "start");
	for (i = 0; i < 5; i++)
		got += alerts_for(&t, "lim");
	CHECK_INT(got, 2);
	CHECK_INT(t.ips->stats.suppressed, 3);
	fake_us += 61 * 1000000ULL;
	CHECK_INT(alerts_for(&t, "lim"), 1);
	for (i = 0, got = 0; i < 5; i++)
		got += alerts_for(&t, "flt");
	CHECK_INT(got, 2);	/* the 4th and 5th */
	fake_us += 11 * 1000000ULL;
	CHECK_INT(alerts_for(&t, "flt"), 0);
	tips_stop(&t);
}

TEST(ips_reload)
{
	struct ips_conf c;
	struct tips t;

	if (tips_start(&t, split_rules, "prevent"))
		return test_fail(__FILE__, __LINE__, "start");
	c = t.ips->conf;
	handshake(&t, 30);
	CHECK_INT(seg(&t, 30, true, 0, 0x18, "xxEVIL"), SD_V_CONTINUE);
	fx_write_file(t.rules,
		   "drop tcp any any -> any any (content:\"STRING\"; sid:5;)\n"
		   "drop tcp any any -> any any (content:\"EVILSTRING\"; foo; sid:6;)\n");
	quiet(&t, true);
	CHECK_INT(ips_reconf(t.ips, &c), 0);
	quiet(&t, false);
	CHECK_INT(t.ips->db->rules.n, 1);
	/* the flow's stream is kept: rescanned with the new rules */
	CHECK_INT(seg(&t, 30, true, 6, 0x18, "STRIN"), SD_V_CONTINUE);
	CHECK_INT(seg(&t, 30, true, 11, 0x18, "G"), SD_V_DROP_FLOW);
	CHECK(eve_has_sid(&t, 5));
	/* an unreadable file keeps the rules there are */
	strcpy(c.rules, "/nonexistent/ips.rules");
	quiet(&t, true);
	CHECK_INT(ips_reconf(t.ips, &c), -ENOENT);
	quiet(&t, false);
	CHECK_INT(t.ips->db->rules.n, 1);
	CHECK_STR(t.ips->conf.rules, t.rules);
	tips_stop(&t);
}

TEST(ips_kind_options)
{
	static const char *const errs[] = {
		"t.conf:1: mode 'block': want detect or prevent",
		"t.conf:2: rules 'x.rules': want an absolute path",
		"t.conf:3: memcap '1x': want 65536 to 1099511627776 bytes (k, m, g suffixes)",
		"t.conf:4: unknown option 'colour'",
	};
	struct sd_conf conf;
	unsigned int i;

	sd_conf_init(&conf);
	sd_conf_parse(&conf, "t.conf",
		      "service a builtin:ips rules=/r mode=block\n"
		      "service b builtin:ips rules=x.rules\n"
		      "service c builtin:ips rules=/r memcap=1x\n"
		      "service d builtin:ips rules=/r colour=red\n"
		      "service e builtin:ips rules=/r mode=prevent eve=/e stream-depth=64k inspect-depth=1m memcap=1g flow-timeout=30\n");
	CHECK_INT(conf.n_errs, 4);
	for (i = 0; i < 4 && i < conf.n_errs; i++)
		CHECK_STR(conf.errs[i], errs[i]);
	sd_conf_free(&conf);
}
