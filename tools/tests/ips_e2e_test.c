// SPDX-License-Identifier: GPL-2.0
/*
 * ips_e2e_test.c - the kind ips inside slotd's daemon, run in this
 * process against the fake kernel (slotd_fake.c): a configuration line,
 * TCP flows of HTTP fed in as the kernel would hold them, the verdicts
 * the kernel gets, the alerts it gets for `slotctl monitor`, the EVE file
 * and slotd's log; a reload with a changed rules file.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../slotd/daemon.h"
#include "../slotd/ips/engine.h"
#include "ips_pkt.h"
#include "slotd_fake.h"
#include "test.h"

#define T0_US	1714564800000123ULL	/* 2024-05-01T12:00:00.000123Z */
#define C_IP	"10.0.0.1"
#define S_IP	"10.0.0.2"
#define ISN_C	1000
#define ISN_S	5000

static struct fake_kernel fk;
static struct slotd sd;
static uint64_t next_id;

static uint64_t fixed_clock(void)
{
	return T0_US;
}

/* Run slotd's rounds until @cond holds or 3 s have passed. */
#define WAIT(cond) FAKE_WAIT(&sd, cond)

static void apply(const char *text)
{
	struct sd_conf conf;

	sd_conf_init(&conf);
	sd_conf_parse(&conf, "t.conf", text);
	CHECK_INT(sd_conf_finish(&conf), 0);
	sd_conf_print_errors(&conf, stdout);
	sd_daemon_apply(&sd, &conf);
}

/*
 * Hold one TCP segment of flow @flow for the service "ips": from the
 * client (ingress on the port) or from the server (egress); @off counts
 * payload bytes after the SYN. Returns the packet's id.
 */
static uint64_t hold(uint64_t flow, bool c2s, uint32_t off, uint8_t flags,
		     const char *payload)
{
	static uint8_t b[PKT_MAX];
	struct sd_packet p = {
		.id = ++next_id, .flow_id = flow, .ifindex = 5, .rule_id = 1,
		.generation = 1, .l3proto = 0x0800, .slot = 4,
		.ifname = "veth0", .service = "ips", .data = b,
	};
	uint32_t seq = (c2s ? ISN_C : ISN_S) + (flags & 0x02 ? 0 : 1 + off);

	if (c2s)
		p.len = pkt4_tcp(b, C_IP, 40000 + flow, S_IP, 80, seq, flags,
				 payload);
	else
		p.len = pkt4_tcp(b, S_IP, 80, C_IP, 40000 + flow, seq, flags,
				 payload);
	p.orig_len = p.len;
	p.dir = c2s ? SLOTSVC_DIR_INGRESS : SLOTSVC_DIR_EGRESS;
	CHECK_INT(fake_hold_packet(&fk, &p), 0);
	return p.id;
}

/* The verdict the kernel got for @id, once slotd has sent it. */
static int verdict(uint64_t id)
{
	const struct fake_verdict *v;

	WAIT(fake_verdict(&fk, id));
	v = fake_verdict(&fk, id);
	return v ? v->verdict : -1;
}

static void handshake(uint64_t flow)
{
	CHECK_INT(verdict(hold(flow, true, 0, 0x02, "")), SD_V_CONTINUE);
	CHECK_INT(verdict(hold(flow, false, 0, 0x12, "")), SD_V_CONTINUE);
	CHECK_INT(verdict(hold(flow, true, 0, 0x10, "")), SD_V_CONTINUE);
}

static const char rules[] =
	"drop http any any -> any 80 (msg:\"evil request\"; "
	"flow:to_server,established; content:\"EVILSTRING\"; "
	"classtype:web-application-attack; sid:1000001; rev:2;)\n"
	"reject tcp any any -> any 80 (msg:\"scanner\"; "
	"flow:to_server,established; content:\"User-Agent: sqlmap\"; "
	"nocase; sid:1000002;)\n"
	"alert tcp any 80 -> any any (msg:\"server error\"; "
	"flow:to_client,established; content:\" 500 \"; depth:13; "
	"sid:1000003;)\n"
	"bad tcp any any -> any any (sid:9;)\n";

/* The EVE line of an alert on flow @flow; its action and signature. */
static void eve_line(char *buf, size_t len, uint64_t flow, bool c2s,
		     const char *action, unsigned int sid, unsigned int rev,
		     const char *msg, const char *category,
		     unsigned int severity)
{
	snprintf(buf, len,
		 "{\"timestamp\":\"2024-05-01T12:00:00.000123+0000\","
		 "\"flow_id\":%llu,\"event_type\":\"alert\","
		 "\"src_ip\":\"%s\",\"src_port\":%u,"
		 "\"dest_ip\":\"%s\",\"dest_port\":%u,\"proto\":\"TCP\","
		 "\"alert\":{\"action\":\"%s\",\"gid\":1,"
		 "\"signature_id\":%u,\"rev\":%u,\"signature\":\"%s\","
		 "\"category\":\"%s\",\"severity\":%u},"
		 "\"slotfilter\":{\"port\":\"veth0\",\"direction\":\"%s\","
		 "\"slot\":4,\"service\":\"ips\"}}",
		 (unsigned long long)flow, c2s ? C_IP : S_IP,
		 c2s ? 40000 + (unsigned int)flow : 80, c2s ? S_IP : C_IP,
		 c2s ? 80 : 40000 + (unsigned int)flow, action, sid, rev, msg,
		 category, severity, c2s ? "ingress" : "egress");
}

TEST(ips_e2e_http_through_slotd)
{
	char dir[] = "/tmp/ips_e2e.XXXXXX", rpath[64], epath[64], conf[256];
	char a1[1024], a2[1024], a3[1024], a4[1024], want[8192];
	int saved_err = dup(2), log_fd;
	struct sd_service *svc;
	char *eve, *log;
	uint64_t id;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(rpath, sizeof(rpath), "%s/ips.rules", dir);
	snprintf(epath, sizeof(epath), "%s/eve.json", dir);
	snprintf(want, sizeof(want), "%s/slotd.log", dir);
	fx_write_file(rpath, rules);
	fflush(stderr);
	log_fd = open(want, O_RDWR | O_CREAT | O_TRUNC, 0600);
	dup2(log_fd, 2);
	snprintf(conf, sizeof(conf),
		 "service ips builtin:ips rules=%s mode=prevent eve=%s\n",
		 rpath, epath);
	fake_init(&fk, 1 << 16);
	CHECK_INT(sd_daemon_init(&sd, &fk.ops), 0);
	apply(conf);
	svc = sd_daemon_find(&sd, "ips");
	CHECK(svc && svc->priv && fake_chan(&fk, "ips"));
	if (!svc || !svc->priv)
		goto out;
	((struct ips *)svc->priv)->clock_us = fixed_clock;
	next_id = 0;

	/* A clean request and its answer: every packet goes on. */
	handshake(1);
	CHECK_INT(verdict(hold(1, true, 0, 0x18,
			       "GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n")),
		  SD_V_CONTINUE);
	CHECK_INT(verdict(hold(1, false, 0, 0x18,
			       "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")),
		  SD_V_CONTINUE);
	/* The signature split between two segments: the flow is dropped,
	 * and its next packet, in flight meanwhile, too. */
	handshake(2);
	CHECK_INT(verdict(hold(2, true, 0, 0x18, "GET /?q=EVIL")),
		  SD_V_CONTINUE);
	CHECK_INT(verdict(hold(2, true, 12, 0x18, "STRING HTTP/1.1\r\n")),
		  SD_V_DROP_FLOW);
	CHECK_INT(verdict(hold(2, true, 29, 0x18, "\r\n")), SD_V_DROP_FLOW);
	/* reject: the kernel is asked to answer the client. */
	handshake(3);
	CHECK_INT(verdict(hold(3, true, 0, 0x18,
			       "GET / HTTP/1.1\r\nuser-agent: SQLMap/1.7\r\n\r\n")),
		  SD_V_REJECT_FLOW);
	/* An alert rule alerts and lets the flow go on. */
	handshake(4);
	CHECK_INT(verdict(hold(4, true, 0, 0x18, "GET / HTTP/1.1\r\n\r\n")),
		  SD_V_CONTINUE);
	CHECK_INT(verdict(hold(4, false, 0, 0x18, "HTTP/1.1 500 Oops\r\n\r\n")),
		  SD_V_CONTINUE);

	eve_line(a1, sizeof(a1), 2, true, "blocked", 1000001, 2,
		 "evil request", "Web Application Attack", 1);
	eve_line(a2, sizeof(a2), 3, true, "blocked", 1000002, 0, "scanner",
		 "", 3);
	eve_line(a3, sizeof(a3), 4, false, "allowed", 1000003, 0,
		 "server error", "", 3);
	eve = fx_read_file(epath);
	snprintf(want, sizeof(want), "%s\n%s\n%s\n", a1, a2, a3);
	CHECK_STR(eve, want);
	CHECK(python_ok(eve, "import json,sys\n"
			"l=[json.loads(x) for x in sys.stdin]\n"
			"assert [e['alert']['signature_id'] for e in l]=="
			"[1000001,1000002,1000003]\n"));
	/* The same lines reached the kernel, for `slotctl monitor`. */
	snprintf(want, sizeof(want), "ips %s\nips %s\nips %s\n", a1, a2, a3);
	CHECK_STR(fk.alerts, want);
	free(eve);

	/* Reload with a new rule: the service keeps its binding. */
	fx_write_file(rpath, "drop tcp any any -> any 80 (msg:\"new\"; "
		   "content:\"NEWSIG\"; sid:7;)\n");
	apply(conf);
	CHECK(sd_daemon_find(&sd, "ips") == svc);
	CHECK_INT(fk.binds, 1);
	handshake(5);
	id = hold(5, true, 0, 0x18, "GET /NEWSIG HTTP/1.1\r\n\r\n");
	CHECK_INT(verdict(id), SD_V_DROP_FLOW);
	eve_line(a4, sizeof(a4), 5, true, "blocked", 7, 0, "new", "", 3);
	snprintf(want, sizeof(want), "ips %s\nips %s\nips %s\nips %s\n", a1,
		 a2, a3, a4);
	CHECK_STR(fk.alerts, want);
	CHECK_STR(fk.tags, "");

	/* quarantine=60: the client's port is tagged; the server's (egress)
	 * alerts and the flow's later packets tag nothing more. */
	snprintf(conf, sizeof(conf),
		 "service ips builtin:ips rules=%s mode=prevent eve=%s quarantine=60\n",
		 rpath, epath);
	apply(conf);
	handshake(6);
	CHECK_INT(verdict(hold(6, true, 0, 0x18, "GET /NEWSIG HTTP/1.1\r\n\r\n")),
		  SD_V_DROP_FLOW);
	CHECK_INT(verdict(hold(6, true, 23, 0x18, "x")), SD_V_DROP_FLOW);
	CHECK_STR(fk.tags, "tag 5 quarantine\n");
	CHECK(strstr(fk.alerts, "ips {\"event_type\":\"quarantine\",\"action\":\"tagged\",\"port\":\"veth0\",\"ifindex\":5,\"ttl\":60,\"reason\":\"sid 7: new\"}\n") != NULL);
	/* 29 packets, each answered by the IPS, none by failure policy. */
	CHECK_INT(fk.n_v, 29);
	CHECK_INT(svc->stats.verdicts, 29);
	CHECK_INT(svc->stats.failed, 0);
out:
	sd_daemon_fini(&sd);
	fake_fini(&fk);
	fflush(stderr);
	dup2(saved_err, 2);
	close(saved_err);
	close(log_fd);
	snprintf(want, sizeof(want), "%s/slotd.log", dir);
	log = fx_read_file(want);
	snprintf(want, sizeof(want),
		 "%s:4: unknown action 'bad'",
		 rpath);
	CHECK(strstr(log, want) != NULL);
	snprintf(want, sizeof(want),
		 "service ips: %s: 3 rules loaded, 1 rejected\n", rpath);
	CHECK(strstr(log, want) != NULL);
	snprintf(want, sizeof(want),
		 "service ips: %s: 1 rules loaded, 0 rejected\n", rpath);
	CHECK(strstr(log, want) != NULL);
	if (!strstr(log, want))
		printf("  log: %s\n", log);
	free(log);
	unlink(rpath);
	unlink(epath);
	snprintf(want, sizeof(want), "%s/slotd.log", dir);
	unlink(want);
	rmdir(dir);
}
