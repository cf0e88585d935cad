// SPDX-License-Identifier: GPL-2.0
/*
 * webrep_test.c - the web reputation kind: IP and transport headers
 * (l4.c, which ips shares), the database (webrep_db.c), its pending
 * flows, and the kind's verdicts and log lines for HTTP, TLS and DNS
 * packets built here byte by byte
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../slotd/daemon.h"
#include "../slotd/extract.h"
#include "../slotd/l4.h"
#include "../slotd/service.h"
#include "../slotd/webrep.h"
#include "../slotd/webrep_db.h"
#include "../slotd/webrep_flow.h"
#include "slotd_fake.h"
#include "test.h"

/* --- packets ------------------------------------------------------- */

#define TCP_SYN		0x02
#define TCP_ACK		0x10
#define TCP_PSH		0x08

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/*
 * A packet 10.0.0.2 -> 192.0.2.1 (v6: 2001:db8::2 -> 2001:db8::1, with a
 * destination options header) of @proto, ports 40000 -> @dport.
 */
static size_t mkpkt(uint8_t *b, int v6, uint8_t proto, uint16_t dport,
		    uint32_t seq, uint8_t flags, const void *pl, size_t n)
{
	size_t ip = v6 ? 48 : 20, l4 = proto == IPPROTO_TCP ? 20 : 8;

	memset(b, 0, ip + l4);
	if (v6) {
		b[0] = 0x60;
		put16(b + 4, 8 + l4 + n);
		b[6] = IPPROTO_DSTOPTS;
		b[7] = 64;
		inet_pton(AF_INET6, "2001:db8::2", b + 8);
		inet_pton(AF_INET6, "2001:db8::1", b + 24);
		b[40] = proto;		/* 8 bytes of options: padding */
	} else {
		b[0] = 0x45;
		put16(b + 2, ip + l4 + n);
		b[6] = 0x40;
		b[8] = 64;
		b[9] = proto;
		inet_pton(AF_INET, "10.0.0.2", b + 12);
		inet_pton(AF_INET, "192.0.2.1", b + 16);
	}
	put16(b + ip, 40000);
	put16(b + ip + 2, dport);
	if (proto == IPPROTO_TCP) {
		put32(b + ip + 4, seq);
		b[ip + 12] = 5 << 4;
		b[ip + 13] = flags;
	} else {
		put16(b + ip + 4, l4 + n);
	}
	memcpy(b + ip + l4, pl, n);
	return ip + l4 + n;
}

TEST(webrep_l4_headers)
{
	char a[64];
	uint8_t b[256];
	struct sd_l4 l4;
	size_t n;

	n = mkpkt(b, 0, IPPROTO_TCP, 443, 1000, TCP_ACK, "hello", 5);
	CHECK_INT(sd_l4_parse(b, n, &l4), 0);
	CHECK(l4.has_ports && !l4.truncated);
	CHECK_INT(l4.proto, IPPROTO_TCP);
	CHECK_INT(l4.sport, 40000);
	CHECK_INT(l4.dport, 443);
	CHECK_INT(l4.seq, 1000);
	CHECK_INT(l4.tcp_flags, TCP_ACK);
	CHECK_INT(l4.payload_len, 5);
	CHECK(!memcmp(l4.payload, "hello", 5));
	sd_l4_addr(&l4, true, a, sizeof(a));
	CHECK_STR(a, "192.0.2.1");
	/* Cut in the payload: parsed, marked truncated. */
	CHECK_INT(sd_l4_parse(b, n - 2, &l4), 0);
	CHECK(l4.truncated);
	CHECK_INT(l4.payload_len, 3);
	CHECK_INT(l4.seg_len, 5);
	/* Cut in the TCP header: no ports, the payload from the header. */
	CHECK_INT(sd_l4_parse(b, 39, &l4), 0);
	CHECK(!l4.has_ports && l4.truncated);
	CHECK_INT(l4.proto, IPPROTO_TCP);
	CHECK(l4.payload == b + 20);
	CHECK_INT(l4.payload_len, 19);
	CHECK_INT(l4.seg_len, 25);
	/* Cut in the IP header. */
	CHECK_INT(sd_l4_parse(b, 19, &l4), -EBADMSG);
	b[32] = 4 << 4;				/* data offset 16 */
	CHECK_INT(sd_l4_parse(b, n, &l4), 0);
	CHECK(!l4.has_ports && l4.payload == b + 20);
	b[32] = 5 << 4;
	/* A later fragment has no ports; its payload is the fragment's. */
	put16(b + 6, 0x0010);
	CHECK_INT(sd_l4_parse(b, n, &l4), 0);
	CHECK(!l4.has_ports);
	CHECK(l4.payload == b + 20);
	CHECK_INT(l4.payload_len, 25);
	put16(b + 6, 0x4000);
	/* Link layer padding is not payload. */
	memset(b + n, 0, 6);
	CHECK_INT(sd_l4_parse(b, n + 6, &l4), 0);
	CHECK_INT(l4.payload_len, 5);
	CHECK(!l4.truncated);
	b[0] = 0x55;				/* IPv5 */
	CHECK_INT(sd_l4_parse(b, n, &l4), -EBADMSG);

	n = mkpkt(b, 1, IPPROTO_UDP, 53, 0, 0, "abc", 3);
	CHECK_INT(sd_l4_parse(b, n, &l4), 0);
	CHECK(l4.has_ports);
	CHECK_INT(l4.proto, IPPROTO_UDP);
	CHECK_INT(l4.dport, 53);
	CHECK_INT(l4.payload_len, 3);
	sd_l4_addr(&l4, false, a, sizeof(a));
	CHECK_STR(a, "2001:db8::2");
	b[41] = 200;				/* options past the end */
	CHECK_INT(sd_l4_parse(b, n, &l4), -EBADMSG);
}

/* What the IPS needs of l4.c too, and IPv6's extension headers. */
TEST(l4_icmp_fragments_extensions)
{
	uint8_t b[256], *x;
	struct sd_l4 l4;
	size_t n;
	int i;

	/* ICMP: the payload after its 8 bytes of header, no ports. */
	n = mkpkt(b, 0, IPPROTO_ICMP, 0, 0, 0, "ping", 4);
	CHECK_INT(sd_l4_parse(b, n, &l4), 0);
	CHECK(!l4.has_ports);
	CHECK_INT(l4.proto, IPPROTO_ICMP);
	CHECK_INT(l4.payload_len, 4);
	CHECK(!memcmp(l4.payload, "ping", 4));
	/* Another protocol: the payload is all after the IP header. */
	b[9] = IPPROTO_GRE;
	CHECK_INT(sd_l4_parse(b, n, &l4), 0);
	CHECK(l4.payload == b + 20);
	CHECK_INT(l4.payload_len, 12);

	/* IPv6: AH (length in 4-byte units, minus 2) before UDP. */
	n = mkpkt(b, 1, IPPROTO_UDP, 53, 0, 0, "abc", 3);
	memmove(b + 56, b + 48, 11);
	memset(b + 40, 0, 16);
	b[6] = IPPROTO_AH;
	b[40] = IPPROTO_UDP;
	b[41] = 2;				/* 16 bytes */
	put16(b + 4, 16 + 8 + 3);
	n += 8;
	CHECK_INT(sd_l4_parse(b, n, &l4), 0);
	CHECK(l4.has_ports);
	CHECK_INT(l4.dport, 53);
	CHECK(!memcmp(l4.payload, "abc", 3));

	/* A later fragment: the proto it carries, its payload. */
	b[6] = IPPROTO_FRAGMENT;
	b[40] = IPPROTO_UDP;
	b[41] = 0;
	put16(b + 42, 0x0008);			/* offset 8 bytes */
	CHECK_INT(sd_l4_parse(b, n, &l4), 0);
	CHECK(!l4.has_ports);
	CHECK_INT(l4.proto, IPPROTO_UDP);
	CHECK(l4.payload == b + 48);
	CHECK_INT(l4.payload_len, n - 48);

	/* Payload length 0 (a jumbogram): to the end of the bytes. */
	put16(b + 42, 0);
	put16(b + 4, 0);
	CHECK_INT(sd_l4_parse(b, n, &l4), 0);
	CHECK(l4.has_ports && !l4.truncated);
	CHECK_INT(l4.payload_len, n - 56);

	/* Eight extension headers are walked, a ninth is refused. */
	memset(b, 0, sizeof(b));
	b[0] = 0x60;
	b[6] = IPPROTO_DSTOPTS;
	for (i = 0, x = b + 40; i < 8; i++, x += 8)
		x[0] = i < 7 ? IPPROTO_DSTOPTS : IPPROTO_UDP;
	put16(x + 2, 53);
	n = x + 8 - b;
	put16(b + 4, n - 40);
	CHECK_INT(sd_l4_parse(b, n, &l4), 0);
	CHECK(l4.has_ports);
	CHECK_INT(l4.dport, 53);
	x[-8] = IPPROTO_DSTOPTS;		/* the UDP header is a ninth */
	CHECK_INT(sd_l4_parse(b, n, &l4), -EBADMSG);

	/* Headers past the bytes held (not the packet): proto, no ports. */
	x[-8] = IPPROTO_UDP;
	x[-7] = 1;				/* the 8th is 16 bytes */
	put16(b + 4, n - 40 + 8);
	CHECK_INT(sd_l4_parse(b, n, &l4), 0);
	CHECK(!l4.has_ports && l4.truncated);
	CHECK_INT(l4.proto, IPPROTO_UDP);
	CHECK_INT(l4.payload_len, 0);
	CHECK_INT(l4.seg_len, 8);
}

/* --- the database --------------------------------------------------- */

static struct wr_db *db_of(const char *text)
{
	struct wr_db *db = wr_db_new();

	wr_db_parse(db, "t.db", text, strlen(text));
	return db;
}

/* "SCORE CATEGORY ENTRY" of a lookup, or "-". */
static const char *look(const struct wr_db *db, const char *host,
			const char *path)
{
	static char buf[256];
	struct wr_match m;

	if (!wr_db_lookup(db, host, path, &m))
		return "-";
	snprintf(buf, sizeof(buf), "%u %s %s", m.score, m.category, m.entry);
	return buf;
}

TEST(webrep_db_errors)
{
	struct wr_db *db = db_of(
		"# the test database\n"
		"good.example 10 malware   # a comment\n"
		"\n"
		"only-two 10\n"
		"a b c d\n"
		"bad..example 10 x\n"
		"good.example 20 ads\n"
		"x.example 101 ads\n"
		"x.example -1 ads\n"
		"x.example 10 a.b\n"
		"*x.example 10 ads\n"
		"*.example.org/path 10 ads\n"
		"x.example/ path 10 ads\n"
		"X.Example/Path 10 ads\n"
		"x.example/Path 5 ads\n"
		"*.Wild.Example 30 ads\r\n"
		"\t2001:DB8::1 0 sinkhole\n"
		"a_b-c.example 1 c\n"
		"*.org.\x01 5 x\n");
	const struct wr_db_stats *st = wr_db_stats(db);
	static const char *const want[] = {
		"t.db:4: want NAME SCORE CATEGORY",
		"t.db:5: want NAME SCORE CATEGORY",
		"t.db:6: 'bad..example': bad host: labels of a-z 0-9 - _ (1-63 bytes, 253 in all)",
		"t.db:7: 'good.example' is already listed at line 2",
		"t.db:8: score '101': want 0 to 100",
		"t.db:9: score '-1': want 0 to 100",
		"t.db:10: category 'a.b': want a word of A-Z a-z 0-9 _ - (at most 31 characters)",
		"t.db:11: '*x.example': a wildcard is '*.' and a domain",
		"t.db:12: '*.example.org/path': a URL prefix takes an exact host, not a wildcard",
		"t.db:13: want NAME SCORE CATEGORY",
		"t.db:15: 'x.example/Path' is already listed at line 14",
		"t.db:19: '*.org.\x01': bad host: labels of a-z 0-9 - _ (1-63 bytes, 253 in all)",
	};
	unsigned int i;

	CHECK_INT(st->errors, 12);
	CHECK_INT(wr_db_n_errors(db), 12);
	for (i = 0; i < 12; i++)
		CHECK_STR(wr_db_error(db, i), want[i]);
	CHECK_INT(st->hosts, 3);
	CHECK_INT(st->wildcards, 1);
	CHECK_INT(st->urls, 1);
	CHECK_STR(look(db, "good.example", NULL), "10 malware good.example");
	CHECK_STR(look(db, "x.example", "/Path/a"), "10 ads x.example/Path");
	CHECK_STR(look(db, "x.example", "/path/a"), "-");
	CHECK_STR(look(db, "2001:db8::1", NULL), "0 sinkhole 2001:db8::1");
	CHECK_STR(look(db, "a.wild.example", NULL), "30 ads *.wild.example");
	wr_db_free(db);
}

TEST(webrep_db_many_errors_kept)
{
	char *text = malloc(200 * 8 + 1);
	struct wr_db *db;
	unsigned int i;

	for (i = 0; i < 200; i++)
		memcpy(text + i * 8, "bad db\n\n", 8);
	text[200 * 8] = '\0';
	db = db_of(text);
	CHECK_INT(wr_db_stats(db)->errors, 200);
	CHECK_INT(wr_db_n_errors(db), WR_DB_ERRORS_KEPT);
	CHECK_STR(wr_db_error(db, 99), "t.db:199: want NAME SCORE CATEGORY");
	CHECK(!wr_db_error(db, 100));
	wr_db_free(db);
	free(text);
}

TEST(webrep_db_precedence)
{
	struct wr_db *db = db_of(
		"*.example 60 wide\n"
		"*.b.example 30 narrow\n"
		"a.b.example 90 exact\n"
		"example.org 80 host\n"
		"example.org/downloads/ 5 malware\n"
		"example.org/downloads/safe/ 70 fine\n"
		"example.org/ 50 root\n");
	unsigned int i;
	char name[64];

	/* exact > longer wildcard > shorter wildcard; "*.x" is not x. */
	CHECK_STR(look(db, "a.b.example", NULL), "90 exact a.b.example");
	CHECK_STR(look(db, "c.b.example", NULL), "30 narrow *.b.example");
	CHECK_STR(look(db, "x.c.b.example", NULL), "30 narrow *.b.example");
	CHECK_STR(look(db, "b.example", NULL), "60 wide *.example");
	CHECK_STR(look(db, "c.example", NULL), "60 wide *.example");
	CHECK_STR(look(db, "example", NULL), "-");
	CHECK_STR(look(db, "notexample", NULL), "-");
	/* The longest URL prefix beats the host; without a path, the host. */
	CHECK_STR(look(db, "example.org", "/downloads/x.exe"),
		  "5 malware example.org/downloads/");
	CHECK_STR(look(db, "example.org", "/downloads/safe/y"),
		  "70 fine example.org/downloads/safe/");
	CHECK_STR(look(db, "example.org", "/index.html"),
		  "50 root example.org/");
	CHECK_STR(look(db, "example.org", NULL), "80 host example.org");
	CHECK_STR(look(db, "www.example.org", "/downloads/x"), "-");
	wr_db_free(db);

	/* Many entries: the table grows and finds each. */
	db = wr_db_new();
	for (i = 0; i < 5000; i++) {
		int n = snprintf(name, sizeof(name), "h%u.example %u c\n", i,
				 i % 101);

		wr_db_parse(db, "big.db", name, n);
	}
	CHECK_INT(wr_db_stats(db)->hosts, 5000);
	CHECK_STR(look(db, "h4999.example", NULL), "50 c h4999.example");
	CHECK_STR(look(db, "h0.example", NULL), "0 c h0.example");
	wr_db_free(db);
}

TEST(webrep_db_load_file)
{
	char path[] = "/tmp/wrdb.XXXXXX";
	struct wr_db *db;
	int fd = mkstemp(path), err = 0;

	CHECK(write(fd, "a.example 1 x\nbad\n", 18) == 18);
	close(fd);
	db = wr_db_load(path, &err);
	CHECK(db != NULL);
	if (db) {
		CHECK_INT(wr_db_stats(db)->hosts, 1);
		CHECK_INT(wr_db_n_errors(db), 1);
		CHECK(!strcmp(wr_db_error(db, 0) + strlen(path),
			      ":2: want NAME SCORE CATEGORY"));
	}
	wr_db_free(db);
	unlink(path);
	CHECK(!wr_db_load(path, &err));
	CHECK_INT(err, -ENOENT);
}

/* --- flows waiting for their name ---------------------------------- */

TEST(webrep_flows_bounded)
{
	struct wr_flows *t = wr_flows_new(2);
	struct wr_flow *f;

	f = wr_flow_new(t, 1, 100, 0, 1000, 0);
	CHECK_INT(wr_flow_add(f, 1000, (const uint8_t *)"abc", 3), WR_SEG_NEW);
	CHECK_INT(wr_flow_add(f, 1001, (const uint8_t *)"bcde", 4), WR_SEG_NEW);
	CHECK_INT(f->len, 5);
	CHECK(!memcmp(f->buf, "abcde", 5));
	CHECK_INT(wr_flow_add(f, 1000, (const uint8_t *)"ab", 2), WR_SEG_OLD);
	CHECK_INT(wr_flow_add(f, 1006, (const uint8_t *)"g", 1), WR_SEG_GAP);
	/* Sequence numbers wrap. */
	f = wr_flow_new(t, 1, 101, 0, 0xfffffffe, 0);
	CHECK_INT(wr_flow_add(f, 0xfffffffe, (const uint8_t *)"wxyz", 4),
		  WR_SEG_NEW);
	CHECK_INT(wr_flow_add(f, 2, (const uint8_t *)"!", 1), WR_SEG_NEW);
	CHECK_INT(f->len, 5);
	/* A third flow evicts the least recently used: 100. */
	CHECK(wr_flow_get(t, 1, 101, 10) != NULL);
	wr_flow_new(t, 1, 102, 0, 0, 20);
	CHECK_INT(wr_flows_count(t), 2);
	CHECK_INT(wr_flows_evicted(t), 1);
	CHECK(!wr_flow_get(t, 1, 100, 20));
	CHECK(!wr_flow_get(t, 2, 101, 20));	/* another port */
	/* Idle too long: forgotten. */
	CHECK(!wr_flow_get(t, 1, 101, 20 + WR_FLOW_IDLE_MS + 1));
	CHECK_INT(wr_flows_count(t), 1);
	/* The buffer is bounded. */
	f = wr_flow_get(t, 1, 102, 30);
	{
		static uint8_t big[WR_FLOW_BUF + 10];

		CHECK_INT(wr_flow_add(f, 0, big, sizeof(big)), WR_SEG_NEW);
		CHECK_INT(f->len, WR_FLOW_BUF);
		CHECK(f->full);
	}
	wr_flows_free(t);
}

/* --- the kind ------------------------------------------------------- */

static struct sd_service svc;
static char dir[] = "/tmp/wrtest.XXXXXX", db_path[64], log_path[64];
static uint64_t mono_ms;

static void fixed_time(struct timespec *ts)
{
	ts->tv_sec = 1714564800;	/* 2024-05-01T12:00:00Z */
	ts->tv_nsec = 123456789;
}

static uint64_t fixed_mono(void)
{
	return mono_ms;
}

/* Parse "service web builtin:webrep OPTS" into @sc; the errors, if any. */
static const char *conf_of(const char *opts, struct sd_svc_conf *sc)
{
	static char errs[1024];
	struct sd_conf conf;
	char text[1024];
	size_t i;

	snprintf(text, sizeof(text), "service web builtin:webrep %s\n", opts);
	sd_conf_init(&conf);
	sd_conf_parse(&conf, "t.conf", text);
	sd_conf_finish(&conf);
	errs[0] = '\0';
	for (i = 0; i < conf.n_errs; i++)
		snprintf(errs + strlen(errs), sizeof(errs) - strlen(errs),
			 "%s\n", conf.errs[i]);
	if (!conf.n_errs)
		sd_svc_conf_copy(sc, &conf.svcs[0]);
	sd_conf_free(&conf);
	return errs;
}

/* What the last web_start() logged. */
static char *start_log;

/* Start service "web" with @db as its database and @opts; 0 or -errno. */
static int web_start(const char *db, const char *opts)
{
	char all[512];
	int err;

	if (dir[12] == 'X') {
		CHECK(mkdtemp(dir) != NULL);
		snprintf(db_path, sizeof(db_path), "%s/web.db", dir);
		snprintf(log_path, sizeof(log_path), "%s/web.json", dir);
	} else {
		mkdir(dir, 0700);	/* web_stop() removed it */
	}
	unlink(log_path);
	fx_write_file(db_path, db);
	wr_realtime = fixed_time;
	wr_monotonic_ms = fixed_mono;
	memset(&svc, 0, sizeof(svc));
	snprintf(all, sizeof(all), "db=%s log=%s %s", db_path, log_path, opts);
	CHECK_STR(conf_of(all, &svc.conf), "");
	svc.kind = sd_kind_find("webrep");
	CHECK(svc.kind != NULL);
	stderr_begin();
	err = svc.kind->init(&svc);
	free(start_log);
	start_log = stderr_end();
	return err;
}

static void web_stop(void)
{
	svc.kind->destroy(&svc);
	sd_svc_conf_free(&svc.conf);
	unlink(db_path);
	unlink(log_path);
	rmdir(dir);
}

/* Hand @b to the service as a packet of flow @flow; its verdict. */
static int feed(uint64_t flow, const uint8_t *b, size_t n)
{
	struct sd_packet p = {
		.id = 1,
		.flow_id = flow,
		.ifindex = 5,
		.l3proto = (b[0] >> 4) == 6 ? 0x86dd : 0x0800,
		.dir = SLOTSVC_DIR_INGRESS,
		.slot = 4,
		.ifname = "veth0",
		.service = "web",
		.data = b,
		.len = n,
	};

	return svc.kind->packet(&svc, &p);
}

static int tcp(uint64_t flow, int v6, uint16_t dport, uint32_t seq,
	       const void *pl, size_t n)
{
	uint8_t b[2048];

	return feed(flow, b, mkpkt(b, v6, IPPROTO_TCP, dport, seq,
				   n ? TCP_ACK | TCP_PSH : TCP_SYN, pl, n));
}

static int udp(uint16_t dport, const void *pl, size_t n)
{
	uint8_t b[2048];

	return feed(0, b, mkpkt(b, 0, IPPROTO_UDP, dport, 0, 0, pl, n));
}

static int http(uint64_t flow, const char *req)
{
	return tcp(flow, 0, 80, 1, req, strlen(req));
}

static const char *const test_db =
	"www.example.com 80 news\n"
	"bad.example.com 10 malware\n"
	"*.ads.example 30 ads\n"
	"example.org 80 shop\n"
	"example.org/downloads/ 5 malware\n"
	"gamble.example 90 gambling\n"
	"192.0.2.1 0 sinkhole\n";

/* The ClientHello of extract_test.c, for @name of 15 bytes. */
extern const uint8_t wr_test_hello[517];

static const uint8_t *hello_for(const char *name)
{
	static uint8_t b[517];

	memcpy(b, wr_test_hello, sizeof(b));
	memcpy(b + 127, name, 15);
	return b;
}

static const char *const log_tail =
	"\"slotfilter\":{\"port\":\"veth0\",\"direction\":\"ingress\",\"slot\":4,\"service\":\"web\"}}\n";

TEST(webrep_kind_tls)
{
	struct wr_stats st;
	char want[1024], *log;

	CHECK_INT(web_start(test_db, ""), 0);
	/* The handshake passes; the ClientHello decides for the flow. */
	CHECK_INT(tcp(1, 0, 443, 0, NULL, 0), SD_V_CONTINUE);
	CHECK_INT(tcp(1, 0, 443, 1, hello_for("www.example.com"), 517),
		  SD_V_CONTINUE_FLOW);
	CHECK_INT(tcp(2, 0, 443, 1, hello_for("bad.example.com"), 517),
		  SD_V_REJECT_FLOW);
	/* Unknown: default score 50, over the threshold 40. */
	CHECK_INT(tcp(3, 0, 443, 1, hello_for("xyz.example.net"), 517),
		  SD_V_CONTINUE_FLOW);
	/* IPv6, with an extension header. */
	CHECK_INT(tcp(4, 1, 443, 1, hello_for("abc.ads.example"), 517),
		  SD_V_REJECT_FLOW);
	wr_service_stats(&svc, &st);
	CHECK_INT(st.judged, 4);
	CHECK_INT(st.blocked, 2);
	log = fx_read_file(log_path);
	snprintf(want, sizeof(want),
		 "{\"timestamp\":\"2024-05-01T12:00:00.123456+0000\",\"flow_id\":2,\"event_type\":\"webrep\",\"src_ip\":\"10.0.0.2\",\"src_port\":40000,\"dest_ip\":\"192.0.2.1\",\"dest_port\":443,\"proto\":\"tls\",\"action\":\"blocked\",\"host\":\"bad.example.com\",\"score\":10,\"category\":\"malware\",\"entry\":\"bad.example.com\",%s"
		 "{\"timestamp\":\"2024-05-01T12:00:00.123456+0000\",\"flow_id\":4,\"event_type\":\"webrep\",\"src_ip\":\"2001:db8::2\",\"src_port\":40000,\"dest_ip\":\"2001:db8::1\",\"dest_port\":443,\"proto\":\"tls\",\"action\":\"blocked\",\"host\":\"abc.ads.example\",\"score\":30,\"category\":\"ads\",\"entry\":\"*.ads.example\",%s",
		 log_tail, log_tail);
	CHECK_STR(log, want);
	free(log);
	web_stop();
}

TEST(webrep_kind_tls_in_two_segments)
{
	struct wr_stats st;
	uint8_t h[517];

	memcpy(h, hello_for("bad.example.com"), sizeof(h));
	CHECK_INT(web_start(test_db, ""), 0);
	/* The name ends at 142: the first 100 bytes wait, and pass. */
	CHECK_INT(tcp(7, 0, 443, 1000, h, 100), SD_V_CONTINUE);
	wr_service_stats(&svc, &st);
	CHECK_INT(st.waiting, 1);
	/* A segment after a gap is dropped; the sender sends it again. */
	CHECK_INT(tcp(7, 0, 443, 1200, h + 200, 317), SD_V_DROP);
	/* A retransmission of what was seen passes. */
	CHECK_INT(tcp(7, 0, 443, 1000, h, 100), SD_V_CONTINUE);
	/* Another flow meanwhile is judged on its own. */
	CHECK_INT(tcp(8, 0, 443, 1, hello_for("www.example.com"), 517),
		  SD_V_CONTINUE_FLOW);
	/* The rest, overlapping what came: the name is whole. */
	CHECK_INT(tcp(7, 0, 443, 1050, h + 50, 467), SD_V_REJECT_FLOW);
	wr_service_stats(&svc, &st);
	CHECK_INT(st.waiting, 0);
	CHECK_INT(st.gaps, 1);
	CHECK_INT(st.judged, 2);
	/* Without a flow id nothing can wait: judged by the address. */
	CHECK_INT(tcp(0, 0, 443, 1, h, 100), SD_V_REJECT_FLOW);
	wr_service_stats(&svc, &st);
	CHECK_INT(st.unnamed, 1);
	/* A flow cut short by an idle pause starts again: not a hello. */
	CHECK_INT(tcp(9, 0, 443, 1, h, 100), SD_V_CONTINUE);
	mono_ms += WR_FLOW_IDLE_MS + 1;
	CHECK_INT(tcp(9, 0, 443, 101, h + 100, 417), SD_V_CONTINUE_FLOW);
	wr_service_stats(&svc, &st);
	CHECK_INT(st.other, 1);
	web_stop();
}

TEST(webrep_kind_http)
{
	char want[2048], *log, *line;

	CHECK_INT(web_start(test_db, "log-lookups=yes"), 0);
	/* A URL prefix entry beats its host's entry. */
	CHECK_INT(http(1, "GET /downloads/x.exe HTTP/1.1\r\n"
		       "Host: Example.ORG\r\n\r\n"), SD_V_REJECT_FLOW);
	CHECK_INT(http(2, "GET /index.html HTTP/1.1\r\nHost: example.org\r\n"
		       "\r\n"), SD_V_CONTINUE_FLOW);
	/* No Host: the destination address is the name; it is listed. */
	CHECK_INT(http(3, "GET / HTTP/1.0\r\n\r\n"), SD_V_REJECT_FLOW);
	/* The request line in one segment, the Host in the next. */
	CHECK_INT(http(4, "GET /downloads/a HTTP/1.1\r\n"), SD_V_CONTINUE);
	CHECK_INT(tcp(4, 0, 80, 28, "Host: example.org\r\n", 19),
		  SD_V_REJECT_FLOW);
	log = fx_read_file(log_path);
	snprintf(want, sizeof(want),
		 "{\"timestamp\":\"2024-05-01T12:00:00.123456+0000\",\"flow_id\":1,\"event_type\":\"webrep\",\"src_ip\":\"10.0.0.2\",\"src_port\":40000,\"dest_ip\":\"192.0.2.1\",\"dest_port\":80,\"proto\":\"http\",\"action\":\"blocked\",\"host\":\"example.org\",\"url\":\"/downloads/x.exe\",\"score\":5,\"category\":\"malware\",\"entry\":\"example.org/downloads/\",%s"
		 "{\"timestamp\":\"2024-05-01T12:00:00.123456+0000\",\"flow_id\":2,\"event_type\":\"webrep\",\"src_ip\":\"10.0.0.2\",\"src_port\":40000,\"dest_ip\":\"192.0.2.1\",\"dest_port\":80,\"proto\":\"http\",\"action\":\"allowed\",\"host\":\"example.org\",\"url\":\"/index.html\",\"score\":80,\"category\":\"shop\",\"entry\":\"example.org\",%s"
		 "{\"timestamp\":\"2024-05-01T12:00:00.123456+0000\",\"flow_id\":3,\"event_type\":\"webrep\",\"src_ip\":\"10.0.0.2\",\"src_port\":40000,\"dest_ip\":\"192.0.2.1\",\"dest_port\":80,\"proto\":\"http\",\"action\":\"blocked\",\"host\":\"192.0.2.1\",\"url\":\"/\",\"score\":0,\"category\":\"sinkhole\",\"entry\":\"192.0.2.1\",%s",
		 log_tail, log_tail, log_tail);
	CHECK(!strncmp(log, want, strlen(want)));
	if (strncmp(log, want, strlen(want)))
		printf("  log:\n%s\n  want:\n%s\n", log, want);
	CHECK(strstr(log, "\"flow_id\":4,") != NULL);
	for (line = strtok(log, "\n"); line; line = strtok(NULL, "\n"))
		CHECK(json_valid(line));
	free(log);
	web_stop();
}

/* A DNS query for @qname, in wire format. */
static int dns_query(const char *qname, size_t qlen, uint8_t flags)
{
	uint8_t b[300] = { 0x12, 0x34, 0x01, 0x00, 0, 1 };

	b[2] |= flags;
	memcpy(b + 12, qname, qlen);
	memcpy(b + 12 + qlen, "\x00\x01\x00\x01", 4);
	return udp(53, b, 12 + qlen + 4);
}

#define Q(s)	s, sizeof(s) - 1

TEST(webrep_kind_dns_and_others)
{
	char *log;
	uint8_t b[64];

	CHECK_INT(web_start(test_db, ""), 0);
	CHECK_INT(dns_query(Q("\x03" "abc\x03" "ads\x07" "example\x00"), 0),
		  SD_V_DROP);
	CHECK_INT(dns_query(Q("\x03www\x07" "example\x03" "com\x00"), 0),
		  SD_V_CONTINUE);
	CHECK_INT(dns_query(Q("\x03" "abc\x03" "ads\x07" "example\x00"), 0x80),
		  SD_V_CONTINUE);			/* a response */
	CHECK_INT(dns_query(Q("\x03" "abc\xc0\x0c"), 0), SD_V_CONTINUE);
	CHECK_INT(udp(123, "ntp", 3), SD_V_CONTINUE_FLOW);
	/* A TCP payload that is neither HTTP nor TLS. */
	CHECK_INT(tcp(5, 0, 22, 1, "SSH-2.0-OpenSSH_9.2\r\n", 21),
		  SD_V_CONTINUE_FLOW);
	/* ICMP, a later fragment, not IP. */
	mkpkt(b, 0, IPPROTO_TCP, 80, 0, 0, "", 0);
	b[9] = IPPROTO_ICMP;
	CHECK_INT(feed(6, b, 40), SD_V_CONTINUE_FLOW);
	b[9] = IPPROTO_TCP;
	b[7] = 0x20;
	CHECK_INT(feed(6, b, 40), SD_V_CONTINUE);
	b[0] = 0x00;
	CHECK_INT(feed(6, b, 40), SD_V_CONTINUE);
	log = fx_read_file(log_path);
	CHECK_STR(log, "{\"timestamp\":\"2024-05-01T12:00:00.123456+0000\",\"flow_id\":0,\"event_type\":\"webrep\",\"src_ip\":\"10.0.0.2\",\"src_port\":40000,\"dest_ip\":\"192.0.2.1\",\"dest_port\":53,\"proto\":\"dns\",\"action\":\"blocked\",\"host\":\"abc.ads.example\",\"score\":30,\"category\":\"ads\",\"entry\":\"*.ads.example\",\"slotfilter\":{\"port\":\"veth0\",\"direction\":\"ingress\",\"slot\":4,\"service\":\"web\"}}\n");
	free(log);
	web_stop();
}

TEST(webrep_kind_policy)
{
	/* Categories block whatever the score; "unknown" is a category. */
	CHECK_INT(web_start(test_db, "block-categories=gambling,unknown"), 0);
	CHECK_INT(http(1, "GET / HTTP/1.1\r\nHost: gamble.example\r\n\r\n"),
		  SD_V_REJECT_FLOW);
	CHECK_INT(http(2, "GET / HTTP/1.1\r\nHost: new.example\r\n\r\n"),
		  SD_V_REJECT_FLOW);
	CHECK_INT(http(3, "GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n"),
		  SD_V_CONTINUE_FLOW);
	web_stop();
	/* threshold and default-score. */
	CHECK_INT(web_start(test_db, "threshold=81 default-score=81"), 0);
	CHECK_INT(http(1, "GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n"),
		  SD_V_REJECT_FLOW);		/* 80 < 81 */
	CHECK_INT(http(2, "GET / HTTP/1.1\r\nHost: new.example\r\n\r\n"),
		  SD_V_CONTINUE_FLOW);		/* 81 */
	web_stop();
	CHECK_INT(web_start(test_db, "blocked=drop"), 0);
	CHECK_INT(http(1, "GET / HTTP/1.1\r\nHost: bad.example.com\r\n\r\n"),
		  SD_V_DROP_FLOW);
	web_stop();
	CHECK_INT(web_start(test_db, "threshold=0"), 0);
	CHECK_INT(http(1, "GET / HTTP/1.0\r\n\r\n"), SD_V_CONTINUE_FLOW);
	web_stop();
}

TEST(webrep_kind_options)
{
	struct sd_svc_conf sc = { 0 };

	CHECK_STR(conf_of("db=/x threshold=102 default-score=-1 flows=0 "
			  "log-lookups=maybe block-categories=a,,b "
			  "block-categories=x colour=red db= blocked=maybe",
			  &sc),
		  "t.conf:1: option 'threshold' wants a number from 0 to 101\n"
		  "t.conf:1: option 'default-score' wants a number from 0 to 100\n"
		  "t.conf:1: option 'flows' wants a number from 1 to 1048576\n"
		  "t.conf:1: log-lookups: want yes or no\n"
		  "t.conf:1: block-categories: want words of A-Z a-z 0-9 _ - (at most 31 characters) separated by commas\n"
		  "t.conf:1: option 'block-categories' given twice\n"
		  "t.conf:1: unknown option 'colour'\n"
		  "t.conf:1: option 'db' given twice\n"
		  "t.conf:1: blocked: want reject or drop\n");
	/* No db: the service cannot start. */
	CHECK_STR(conf_of("threshold=10", &sc), "");
	memset(&svc, 0, sizeof(svc));
	svc.conf = sc;
	stderr_begin();
	CHECK_INT(sd_kind_find("webrep")->init(&svc), -EINVAL);
	{
		char *err = stderr_end();

		CHECK_STR(err, "slotd: service web: webrep: option db=PATH is missing\n");
		free(err);
	}
	sd_svc_conf_free(&sc);
	CHECK_STR(conf_of("db= log=", &sc),
		  "t.conf:1: option 'db' wants a file name of 1 to 4095 bytes\n"
		  "t.conf:1: option 'log' wants a file name of 1 to 4095 bytes\n");
}

TEST(webrep_kind_reload)
{
	struct sd_svc_conf sc = { 0 };
	char opts[1024], *err;

	CHECK_INT(web_start("www.example.com 80 news\nbad line\n", ""), 0);
	snprintf(opts, sizeof(opts), "slotd: %s:2: want NAME SCORE CATEGORY\n"
		 "slotd: service web: webrep: %s: 1 hosts, 0 wildcards, 0 URL prefixes; 1 bad lines\n",
		 db_path, db_path);
	CHECK_STR(start_log, opts);
	stderr_begin();
	CHECK_INT(tcp(1, 0, 443, 1, hello_for("www.example.com"), 517),
		  SD_V_CONTINUE_FLOW);
	/* The database changes; SIGHUP reloads it with the same options. */
	fx_write_file(db_path, "www.example.com 5 malware\n");
	snprintf(opts, sizeof(opts), "db=%s log=%s", db_path, log_path);
	CHECK_STR(conf_of(opts, &sc), "");
	CHECK_INT(svc.kind->reload(&svc, &sc), 0);
	CHECK_INT(tcp(2, 0, 443, 1, hello_for("www.example.com"), 517),
		  SD_V_REJECT_FLOW);
	/* An unreadable database: refused, the old one stays. */
	unlink(db_path);
	CHECK_INT(svc.kind->reload(&svc, &sc), -ENOENT);
	CHECK_INT(tcp(3, 0, 443, 1, hello_for("www.example.com"), 517),
		  SD_V_REJECT_FLOW);
	sd_svc_conf_free(&sc);
	web_stop();
	err = stderr_end();
	snprintf(opts, sizeof(opts),
		 "slotd: service web: webrep: %s: 1 hosts, 0 wildcards, 0 URL prefixes; 0 bad lines\n"
		 "slotd: service web: webrep: cannot read %s: No such file or directory\n",
		 db_path, db_path);
	CHECK_STR(err, opts);
	free(err);
}

/* A kernel that only takes alerts, for a service bound to it. */
static char alerts[4096];

static int take_alert(struct sd_kchan *kc, const char *json)
{
	(void)kc;
	snprintf(alerts + strlen(alerts), sizeof(alerts) - strlen(alerts),
		 "%s|", json);
	return 0;
}

TEST(webrep_kind_alerts_to_the_monitor)
{
	static const struct sd_kernel kern = { .alert = take_alert };
	struct slotd sd = { .kern = &kern };
	struct sd_kchan kc = { .open = true };
	struct wr_stats st;
	char want[1024];

	CHECK_INT(web_start(test_db, ""), 0);
	/* Not bound yet: the block is logged, the alert counted unsent. */
	CHECK_INT(http(1, "GET / HTTP/1.1\r\nHost: bad.example.com\r\n\r\n"),
		  SD_V_REJECT_FLOW);
	wr_service_stats(&svc, &st);
	CHECK_INT(st.unsent, 1);
	svc.sd = &sd;
	svc.kchan = &kc;
	alerts[0] = '\0';
	CHECK_INT(http(2, "GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n"),
		  SD_V_CONTINUE_FLOW);
	CHECK_INT(http(3, "GET /x HTTP/1.1\r\nHost: bad.example.com\r\n\r\n"),
		  SD_V_REJECT_FLOW);
	snprintf(want, sizeof(want), "{\"timestamp\":\"2024-05-01T12:00:00.123456+0000\",\"flow_id\":3,\"event_type\":\"webrep\",\"src_ip\":\"10.0.0.2\",\"src_port\":40000,\"dest_ip\":\"192.0.2.1\",\"dest_port\":80,\"proto\":\"http\",\"action\":\"blocked\",\"host\":\"bad.example.com\",\"url\":\"/x\",\"score\":10,\"category\":\"malware\",\"entry\":\"bad.example.com\",%.*s|",
		 (int)strlen(log_tail) - 1, log_tail);
	CHECK_STR(alerts, want);
	wr_service_stats(&svc, &st);
	CHECK_INT(st.unsent, 1);
	web_stop();
}
