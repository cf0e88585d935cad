// SPDX-License-Identifier: GPL-2.0
/*
 * svc_helper: the test suite's stand-in for slotd and for the service
 * words of slotctl, speaking slotfilter's generic netlink raw.
 *
 *   svc_helper add NAME SLOT [policy open|closed] [timeout MS] [queue N]
 *                            [copy BYTES]
 *   svc_helper set NAME [slot N] [policy ...] [timeout MS] [queue N] [copy B]
 *   svc_helper del NAME
 *   svc_helper show NAME         one "key value" line per field and counter
 *   svc_helper commit RULE...    FW_REPLACE with firewall and redirect rules:
 *       fw ID ACTION [WORDS]  |  redirect SERVICE ID ACTION [WORDS]
 *       WORDS: dir in|out, proto N, sport N, dport N, src A[/P], dst A[/P]
 *   svc_helper serve NAME [-v VERDICT] [-n N] [-o FILE] [-r FILE] [-g] [-f]
 *                         [-R K] [-h up|failing[:REASON]]... [-a ALERT]...
 *       binds to the service and answers every packet with VERDICT:
 *       continue (default), drop, continue-flow, drop-flow, reject,
 *       reject-flow, hang (never
 *       answers), rewrite (IPv4 UDP: "ping" becomes "pong" in the payload,
 *       the UDP checksum is cleared; anything else continues), badlen (a
 *       replacement one byte longer than its length field: the kernel
 *       refuses the verdict, the helper prints the error and exits 1). One line
 *       per packet on FILE (default stdout): "DIR SLOT IFNAME RULE L3PROTO
 *       LENGTH COPIED FLOW DATA ID TAGS", DIR in or out, DATA the first 4 bytes of
 *       an IPv4 UDP payload (printable ones; "-" for other packets), TAGS
 *       the port's tags ("a,b"; "-" for none). -n: exit after N packets;
 *       -r: create FILE once bound; -g: take GSO packets whole; -f: tell
 *       the kernel the service is failing once bound; -R: answer in
 *       batches of K packets (at most 256), newest first, in one message
 *       (any VERDICT but hang, rewrite and badlen). -h and -a,
 *       once bound and in the order given: SERVICE_HEALTH (with REASON if
 *       given; -f is -h failing), and SERVICE_ALERT, whose result goes to
 *       stderr ("alert: ok", or the error and the kernel's message) without
 *       ending the helper. SIGTERM exits.
 *   svc_helper alert NAME ALERT  SERVICE_ALERT from a socket of its own
 *   svc_helper health NAME up|failing[:REASON]   SERVICE_HEALTH, the same
 *
 * Errors print the kernel's extack message on stderr and exit 1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <signal.h>
#include <sys/socket.h>
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#include "sfnl_test.h"

static struct sf_sock sk;

static void die_ack(const char *what, int rc, const struct sf_ack *ack)
{
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", what, strerror(-rc));
	else
		fprintf(stderr, "%s: %s%s%s\n", what, strerror(ack->err),
			ack->msg[0] ? ": " : "", ack->msg);
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: see the comment at the top of svc_helper.c\n");
	exit(2);
}

static uint32_t num(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end)
		usage();
	return v;
}

/* ---- configuration -------------------------------------------------------- */

struct opts {
	int argc;
	char **argv;
	const char *name;
};

static void put_options(struct nlmsghdr *nlh, const void *arg)
{
	const struct opts *o = arg;
	int i;

	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, o->name);
	for (i = 0; i + 1 < o->argc; i += 2) {
		const char *k = o->argv[i], *v = o->argv[i + 1];

		if (!strcmp(k, "slot"))
			mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_SLOT, num(v));
		else if (!strcmp(k, "policy"))
			mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_FAILURE_POLICY,
					!strcmp(v, "closed"));
		else if (!strcmp(k, "timeout"))
			mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_TIMEOUT, num(v));
		else if (!strcmp(k, "queue"))
			mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_QUEUE_MAX,
					 num(v));
		else if (!strcmp(k, "copy"))
			mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_COPY, num(v));
		else
			usage();
	}
}

static int config(uint8_t cmd, int argc, char **argv)
{
	struct opts o = { .argc = argc - 1, .argv = argv + 1 };
	struct sf_ack ack;
	int rc;

	if (argc < 1)
		usage();
	o.name = argv[0];
	rc = sf_talk(&sk, cmd, NLM_F_ACK, put_options, &o, NULL, NULL, &ack);
	if (rc < 0 || ack.err)
		die_ack("slotfilter", rc, &ack);
	return 0;
}

static const char *const stat_names[] = {
	[SLOTFILTER_STAT_REDIRECTED] = "redirected",
	[SLOTFILTER_STAT_CONTINUED] = "continued",
	[SLOTFILTER_STAT_DROPPED] = "dropped",
	[SLOTFILTER_STAT_TIMED_OUT] = "timed_out",
	[SLOTFILTER_STAT_FAILED_OPEN] = "failed_open",
	[SLOTFILTER_STAT_FAILED_CLOSED] = "failed_closed",
	[SLOTFILTER_STAT_NO_HELPER] = "no_helper",
	[SLOTFILTER_STAT_QUEUE_FULL] = "queue_full",
	[SLOTFILTER_STAT_DEADLINE] = "deadline",
	[SLOTFILTER_STAT_HELPER_GONE] = "helper_gone",
	[SLOTFILTER_STAT_FAILING] = "failing",
	[SLOTFILTER_STAT_FLOW_CONTINUED] = "flow_continued",
	[SLOTFILTER_STAT_FLOW_DROPPED] = "flow_dropped",
	[SLOTFILTER_STAT_LATE] = "late",
	[SLOTFILTER_STAT_REWRITTEN] = "rewritten",
	[SLOTFILTER_STAT_TEARDOWN] = "teardown",
};

static int show_attr(const struct nlattr *a, void *data)
{
	static const char *const states[] = { "no-helper", "up", "failing" };
	const struct nlattr *s;
	uint64_t lat = 0;

	(void)data;
	switch (mnl_attr_get_type(a)) {
	case SLOTFILTER_SERVICE_A_SLOT:
		printf("slot %u\n", mnl_attr_get_u8(a));
		break;
	case SLOTFILTER_SERVICE_A_FAILURE_POLICY:
		printf("policy %s\n", mnl_attr_get_u8(a) ? "closed" : "open");
		break;
	case SLOTFILTER_SERVICE_A_TIMEOUT:
		printf("timeout %u\n", mnl_attr_get_u32(a));
		break;
	case SLOTFILTER_SERVICE_A_QUEUE_MAX:
		printf("queue %u\n", mnl_attr_get_u32(a));
		break;
	case SLOTFILTER_SERVICE_A_COPY:
		printf("copy %u\n", mnl_attr_get_u32(a));
		break;
	case SLOTFILTER_SERVICE_A_STATE:
		printf("state %s\n", states[mnl_attr_get_u8(a) % 3]);
		break;
	case SLOTFILTER_SERVICE_A_FLAGS:
		printf("flags %u\n", mnl_attr_get_u32(a));
		break;
	case SLOTFILTER_SERVICE_A_NREDIRECTS:
		printf("redirects %u\n", mnl_attr_get_u32(a));
		break;
	case SLOTFILTER_SERVICE_A_HELD:
		printf("held %u\n", mnl_attr_get_u32(a));
		break;
	case SLOTFILTER_SERVICE_A_MOST_HELD:
		printf("most_held %u\n", mnl_attr_get_u32(a));
		break;
	case SLOTFILTER_SERVICE_A_STATS:
		mnl_attr_for_each_nested(s, a)
			if (mnl_attr_get_type(s) < SLOTFILTER_STAT_PAD &&
			    stat_names[mnl_attr_get_type(s)])
				printf("%s %" PRIu64 "\n",
				       stat_names[mnl_attr_get_type(s)],
				       mnl_attr_get_u64(s));
		break;
	case SLOTFILTER_SERVICE_A_LATENCY:
		mnl_attr_for_each_nested(s, a)
			if (mnl_attr_get_type(s) <= SLOTFILTER_LATENCY_BUCKETS)
				lat += mnl_attr_get_u64(s);
		printf("latency_total %" PRIu64 "\n", lat);
		break;
	}
	return MNL_CB_OK;
}

static int show_msg(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, show_attr, data);
}

static void put_name(struct nlmsghdr *nlh, const void *arg)
{
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, arg);
}

static int show(int argc, char **argv)
{
	struct sf_ack ack;
	int rc;

	if (argc != 1)
		usage();
	rc = sf_talk(&sk, SLOTFILTER_CMD_SERVICE_GET, NLM_F_ACK, put_name, argv[0],
		     show_msg, NULL, &ack);
	if (rc < 0 || ack.err)
		die_ack("slotfilter", rc, &ack);
	return 0;
}

/* ---- commit ----------------------------------------------------------------- */

static uint8_t action(const char *s)
{
	static const char *const names[] = {
		"allow", "drop", "reject", "redirect", "skip",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i]))
			return i;
	usage();
	return 0;
}

static void put_addr(struct nlmsghdr *nlh, uint16_t type, char *s)
{
	char *slash = strchr(s, '/');
	struct nlattr *nest;
	unsigned char a[16];
	int v6 = !!strchr(s, ':');

	if (slash)
		*slash = '\0';
	if (inet_pton(v6 ? AF_INET6 : AF_INET, s, a) != 1)
		usage();
	nest = mnl_attr_nest_start(nlh, type);
	mnl_attr_put(nlh, SLOTFILTER_ADDR_A_ADDR, v6 ? 16 : 4, a);
	if (slash)
		mnl_attr_put_u8(nlh, SLOTFILTER_ADDR_A_PLEN, num(slash + 1));
	mnl_attr_nest_end(nlh, nest);
}

static void put_port(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u16(nlh, SLOTFILTER_RANGE_A_MIN, num(s));
	mnl_attr_nest_end(nlh, nest);
}

static void put_rules(struct nlmsghdr *nlh, const void *arg)
{
	const struct opts *o = arg;
	struct nlattr *nest = NULL;
	int i = 0;

	while (i < o->argc) {
		const char *w = o->argv[i];

		if (!strcmp(w, "fw") || !strcmp(w, "redirect")) {
			int rd = w[0] == 'r';

			if (nest)
				mnl_attr_nest_end(nlh, nest);
			if (i + 2 + rd >= o->argc)
				usage();
			nest = mnl_attr_nest_start(nlh, rd ? SLOTFILTER_FW_A_REDIRECT :
							     SLOTFILTER_FW_A_RULE);
			if (rd)
				mnl_attr_put_strz(nlh, SLOTFILTER_RULE_A_SERVICE,
						  o->argv[++i]);
			mnl_attr_put_u32(nlh, SLOTFILTER_RULE_A_ID,
					 num(o->argv[i + 1]));
			mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_ACTION,
					action(o->argv[i + 2]));
			i += 3;
			continue;
		}
		if (!nest || i + 1 >= o->argc)
			usage();
		if (!strcmp(w, "dir"))
			mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_DIRECTION,
					!strcmp(o->argv[i + 1], "in") ?
					SLOTFILTER_RULE_DIR_INGRESS :
					SLOTFILTER_RULE_DIR_EGRESS);
		else if (!strcmp(w, "proto"))
			mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_PROTO,
					num(o->argv[i + 1]));
		else if (!strcmp(w, "sport"))
			put_port(nlh, SLOTFILTER_RULE_A_SPORT, o->argv[i + 1]);
		else if (!strcmp(w, "dport"))
			put_port(nlh, SLOTFILTER_RULE_A_DPORT, o->argv[i + 1]);
		else if (!strcmp(w, "src"))
			put_addr(nlh, SLOTFILTER_RULE_A_SRC, o->argv[i + 1]);
		else if (!strcmp(w, "dst"))
			put_addr(nlh, SLOTFILTER_RULE_A_DST, o->argv[i + 1]);
		else
			usage();
		i += 2;
	}
	if (nest)
		mnl_attr_nest_end(nlh, nest);
}

static int commit(int argc, char **argv)
{
	struct opts o = { .argc = argc, .argv = argv };
	struct sf_ack ack;
	int rc;

	rc = sf_talk(&sk, SLOTFILTER_CMD_FW_REPLACE, NLM_F_ACK, put_rules, &o,
		     NULL, NULL, &ack);
	if (rc < 0 || ack.err)
		die_ack("slotfilter", rc, &ack);
	return 0;
}

/* ---- serve ------------------------------------------------------------------ */

enum { V_CONTINUE, V_DROP, V_CONTINUE_FLOW, V_DROP_FLOW, V_REJECT,
       V_REJECT_FLOW, V_HANG, V_REWRITE, V_BADLEN };

struct pkt {
	uint64_t id;
	uint32_t ifindex, rule, flow, len;
	uint16_t l3;
	uint8_t dir, slot;
	char ifname[IFNAMSIZ];
	const unsigned char *data;
	uint16_t copied;
	char tags[16 * SLOTFILTER_NAME_MAX];	/* "a,b"; "" none */
};

static int pkt_attr(const struct nlattr *a, void *data)
{
	struct pkt *p = data;

	switch (mnl_attr_get_type(a)) {
	case SLOTFILTER_PACKET_A_ID:
		p->id = mnl_attr_get_u64(a);
		break;
	case SLOTFILTER_PACKET_A_IFINDEX:
		p->ifindex = mnl_attr_get_u32(a);
		break;
	case SLOTFILTER_PACKET_A_IFNAME:
		snprintf(p->ifname, sizeof(p->ifname), "%s", mnl_attr_get_str(a));
		break;
	case SLOTFILTER_PACKET_A_DIRECTION:
		p->dir = mnl_attr_get_u8(a);
		break;
	case SLOTFILTER_PACKET_A_SLOT:
		p->slot = mnl_attr_get_u8(a);
		break;
	case SLOTFILTER_PACKET_A_RULE_ID:
		p->rule = mnl_attr_get_u32(a);
		break;
	case SLOTFILTER_PACKET_A_FLOW_ID:
		p->flow = mnl_attr_get_u32(a);
		break;
	case SLOTFILTER_PACKET_A_L3PROTO:
		p->l3 = mnl_attr_get_u16(a);
		break;
	case SLOTFILTER_PACKET_A_LENGTH:
		p->len = mnl_attr_get_u32(a);
		break;
	case SLOTFILTER_PACKET_A_PAYLOAD:
		p->data = mnl_attr_get_payload(a);
		p->copied = mnl_attr_get_payload_len(a);
		break;
	case SLOTFILTER_PACKET_A_TAGS: {
		const struct nlattr *t;
		size_t n;

		mnl_attr_for_each_nested(t, a) {
			n = strlen(p->tags);
			snprintf(p->tags + n, sizeof(p->tags) - n, "%s%s",
				 n ? "," : "", mnl_attr_get_str(t));
		}
		break;
	}
	}
	return MNL_CB_OK;
}

/* IPv4 UDP: "ping" -> "pong" in the payload, checksum cleared. */
static int rewrite(const struct pkt *p, unsigned char *out)
{
	const struct iphdr *ip = (const void *)p->data;
	struct udphdr *udp;
	unsigned int hl, i;

	if (p->l3 != 0x0800 || p->copied != p->len || p->len < sizeof(*ip) ||
	    ip->protocol != IPPROTO_UDP)
		return 0;
	hl = ip->ihl * 4;
	if (p->len < hl + sizeof(*udp))
		return 0;
	memcpy(out, p->data, p->len);
	udp = (void *)(out + hl);
	udp->check = 0;
	for (i = hl + sizeof(*udp); i + 4 <= p->len; i++)
		if (!memcmp(out + i, "ping", 4))
			memcpy(out + i, "pong", 4);
	return p->len;
}

/* The first 4 bytes of an IPv4 UDP payload, or "-". */
static const char *udp4(const struct pkt *p)
{
	const struct iphdr *ip = (const void *)p->data;
	static char out[5];
	unsigned int hl, i;

	if (p->l3 != 0x0800 || p->copied < sizeof(*ip) ||
	    ip->protocol != IPPROTO_UDP)
		return "-";
	hl = ip->ihl * 4;
	if (p->copied < hl + sizeof(struct udphdr) + 4)
		return "-";
	for (i = 0; i < 4; i++) {
		unsigned char c = p->data[hl + sizeof(struct udphdr) + i];

		out[i] = c > 32 && c < 127 ? c : '.';
	}
	return out;
}

struct serve {
	const char *name;
	int verdict;
	FILE *out;
	long left;
	unsigned int reverse;		/* -R: batch size; 0: answer at once */
	unsigned int nheld;
	struct pkt held[256];		/* newest first */
};

static char vbuf[1 << 18];
static unsigned int verdict_seq = 1U << 30;

/*
 * The verdicts for @p[0..n-1], in that order, in one VERDICT message.
 */
static void answer_all(struct serve *sv, const struct pkt *p, unsigned int n)
{
	static const uint8_t kv[] = {
		[V_CONTINUE] = SLOTFILTER_VERDICT_CONTINUE,
		[V_DROP] = SLOTFILTER_VERDICT_DROP,
		[V_CONTINUE_FLOW] = SLOTFILTER_VERDICT_CONTINUE_FLOW,
		[V_DROP_FLOW] = SLOTFILTER_VERDICT_DROP_FLOW,
		[V_REJECT] = SLOTFILTER_VERDICT_REJECT,
		[V_REJECT_FLOW] = SLOTFILTER_VERDICT_REJECT_FLOW,
		[V_REWRITE] = SLOTFILTER_VERDICT_CONTINUE,
		[V_BADLEN] = SLOTFILTER_VERDICT_CONTINUE,
	};
	static unsigned char buf[65536];
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int i;
	int len;

	if (sv->verdict == V_HANG)
		return;
	nlh = mnl_nlmsg_put_header(vbuf);
	nlh->nlmsg_type = sk.family;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	/* Not sk.seq: a request of sf_talk() may be waiting for its answer. */
	nlh->nlmsg_seq = ++verdict_seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = SLOTFILTER_CMD_VERDICT;
	genl->version = SLOTFILTER_GENL_VERSION;
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, sv->name);
	for (i = 0; i < n; i++) {
		nest = mnl_attr_nest_start(nlh, SLOTFILTER_SERVICE_A_VERDICT);
		mnl_attr_put_u64(nlh, SLOTFILTER_VERDICT_A_ID, p[i].id);
		mnl_attr_put_u8(nlh, SLOTFILTER_VERDICT_A_VERDICT,
				kv[sv->verdict]);
		len = 0;
		if (sv->verdict == V_REWRITE)
			len = rewrite(&p[i], buf);
		if (sv->verdict == V_BADLEN) {
			/* One byte more than the packet's length field says. */
			len = p[i].copied + 1;
			memcpy(buf, p[i].data, p[i].copied);
			buf[p[i].copied] = 0;
		}
		if (len)
			mnl_attr_put(nlh, SLOTFILTER_VERDICT_A_PAYLOAD, len,
				     buf);
		mnl_attr_nest_end(nlh, nest);
	}
	if (mnl_socket_sendto(sk.nl, nlh, nlh->nlmsg_len) < 0) {
		perror("verdict");
		exit(1);
	}
}

static int serve_msg(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct serve *sv = data;
	struct pkt p = { 0 };

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		struct sf_ack ack = { 0 };

		sf_parse_error(nlh, &ack);
		if (ack.err) {
			fprintf(stderr, "verdict: %s: %s\n", strerror(ack.err),
				ack.msg);
			exit(1);
		}
		return MNL_CB_OK;
	}
	if (nlh->nlmsg_type != sk.family || genl->cmd != SLOTFILTER_CMD_PACKET)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, GENL_HDRLEN, pkt_attr, &p);
	fprintf(sv->out, "%s %u %s %u %04x %u %u %u %s %" PRIu64 " %s\n",
		p.dir == SLOTFILTER_DIR_INGRESS ? "in" : "out", p.slot,
		p.ifname, p.rule, p.l3, p.len, p.copied, p.flow, udp4(&p),
		p.id, p.tags[0] ? p.tags : "-");
	fflush(sv->out);
	if (!sv->reverse) {
		answer_all(sv, &p, 1);
	} else {
		sv->held[sv->reverse - 1 - sv->nheld++] = (struct pkt){
			.id = p.id
		};
		if (sv->nheld == sv->reverse) {
			answer_all(sv, sv->held, sv->nheld);
			sv->nheld = 0;
		}
	}
	if (sv->left > 0 && !--sv->left)
		exit(0);
	return MNL_CB_OK;
}

static void put_bind(struct nlmsghdr *nlh, const void *arg)
{
	const uint32_t *flags = arg;

	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, (const char *)(flags + 1));
	mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_FLAGS, flags[0]);
}

/* After the bind: -h (SERVICE_HEALTH) and -a (SERVICE_ALERT), in order. */
struct act {
	char opt;
	const char *name;
	char *arg;
};

static void put_act(struct nlmsghdr *nlh, const void *arg)
{
	const struct act *a = arg;
	char *reason;

	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, a->name);
	if (a->opt == 'a') {
		mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_ALERT, a->arg);
		return;
	}
	reason = strchr(a->arg, ':');
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_HEALTH,
			strncmp(a->arg, "up", 2) ? SLOTFILTER_HEALTH_FAILING :
						   SLOTFILTER_HEALTH_UP);
	if (reason)
		mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_REASON, reason + 1);
}

/* -h failures end the helper; -a results are reported and it goes on. */
static void run_act(const struct act *a)
{
	struct sf_ack ack = { 0 };
	int rc;

	rc = sf_talk(&sk, a->opt == 'a' ? SLOTFILTER_CMD_SERVICE_ALERT :
					  SLOTFILTER_CMD_SERVICE_HEALTH,
		     NLM_F_ACK, put_act, a, NULL, NULL, &ack);
	if (a->opt != 'a') {
		if (rc < 0 || ack.err)
			die_ack("health", rc, &ack);
		return;
	}
	if (rc < 0)
		fprintf(stderr, "alert: %s\n", strerror(-rc));
	else if (ack.err)
		fprintf(stderr, "alert: %s%s%s\n", strerror(ack.err),
			ack.msg[0] ? ": " : "", ack.msg);
	else
		fprintf(stderr, "alert: ok\n");
	fflush(stderr);
}

/* alert and health from an unbound socket: @opt 'a' or 'h'. */
static int unbound(char opt, int argc, char **argv)
{
	struct act a = { .opt = opt };
	struct sf_ack ack = { 0 };
	int rc;

	if (argc != 2)
		usage();
	a.name = argv[0];
	a.arg = argv[1];
	rc = sf_talk(&sk, opt == 'a' ? SLOTFILTER_CMD_SERVICE_ALERT :
				       SLOTFILTER_CMD_SERVICE_HEALTH,
		     NLM_F_ACK, put_act, &a, NULL, NULL, &ack);
	if (rc < 0 || ack.err)
		die_ack(opt == 'a' ? "alert" : "health", rc, &ack);
	return 0;
}

static void bye(int sig)
{
	(void)sig;
	_exit(0);
}

static int serve(int argc, char **argv)
{
	static const char *const verdicts[] = {
		"continue", "drop", "continue-flow", "drop-flow", "reject",
		"reject-flow", "hang",
		"rewrite", "badlen",
	};
	struct serve sv = { .out = stdout, .left = -1 };
	struct { uint32_t flags; char name[SLOTFILTER_NAME_MAX]; } bind = { 0 };
	static char buf[1 << 20];
	const char *ready = NULL;
	int opt, rcv = 16 << 20, one = 1;
	struct act acts[32];
	unsigned int nacts = 0;
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = serve_msg };
	struct sf_ack ack;
	unsigned int i;
	int rc, len;

	while ((opt = getopt(argc, argv, "v:n:o:r:gfR:h:a:")) != -1) {
		switch (opt) {
		case 'v':
			for (i = 0; i < ARRAY_SIZE(verdicts); i++)
				if (!strcmp(optarg, verdicts[i]))
					break;
			if (i == ARRAY_SIZE(verdicts))
				usage();
			sv.verdict = i;
			break;
		case 'n':
			sv.left = num(optarg);
			break;
		case 'o':
			sv.out = fopen(optarg, "w");
			if (!sv.out) {
				perror(optarg);
				return 1;
			}
			break;
		case 'r':
			ready = optarg;
			break;
		case 'g':
			bind.flags = SLOTFILTER_SERVICE_F_GSO;
			break;
		case 'f':
		case 'h':
		case 'a':
			if (nacts == ARRAY_SIZE(acts))
				usage();
			acts[nacts].opt = opt == 'a' ? 'a' : 'h';
			acts[nacts++].arg = opt == 'f' ? "failing" : optarg;
			break;
		case 'R':
			sv.reverse = num(optarg);
			if (!sv.reverse || sv.reverse > ARRAY_SIZE(sv.held))
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || (sv.reverse && sv.verdict > V_REJECT_FLOW))
		usage();
	sv.name = argv[optind];
	snprintf(bind.name, sizeof(bind.name), "%s", sv.name);
	signal(SIGTERM, bye);
	setsockopt(mnl_socket_get_fd(sk.nl), SOL_SOCKET, SO_RCVBUFFORCE, &rcv,
		   sizeof(rcv));
	/* Drops of PACKET messages show as the kernel's counters, not ENOBUFS. */
	setsockopt(mnl_socket_get_fd(sk.nl), SOL_NETLINK, NETLINK_NO_ENOBUFS,
		   &one, sizeof(one));
	/*
	 * Packets may come as soon as the kernel has bound us, before the
	 * ack of the bind (and of the acts): they are served meanwhile.
	 */
	sk.other = serve_msg;
	sk.other_data = &sv;
	rc = sf_talk(&sk, SLOTFILTER_CMD_SERVICE_BIND, NLM_F_ACK, put_bind,
		     &bind, NULL, NULL, &ack);
	if (rc < 0 || ack.err)
		die_ack("bind", rc, &ack);
	for (i = 0; i < nacts; i++) {
		acts[i].name = sv.name;
		run_act(&acts[i]);
	}
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f)
			fclose(f);
	}
	for (;;) {
		len = mnl_socket_recvfrom(sk.nl, buf, sizeof(buf));
		if (len < 0) {
			perror("recv");
			return 1;
		}
		mnl_cb_run2(buf, len, 0, 0, serve_msg, &sv, ctl,
			    MNL_ARRAY_SIZE(ctl));
	}
}

int main(int argc, char **argv)
{
	int rc;

	if (argc < 2)
		usage();
	rc = sf_open(&sk);
	if (rc) {
		fprintf(stderr, "slotfilter: %s\n", strerror(-rc));
		return 1;
	}
	if (!strcmp(argv[1], "add")) {
		if (argc < 4)
			usage();
		/* add NAME SLOT ... == set-like options with slot first */
		argv[2 - 1] = argv[2];
		argv[2] = "slot";
		return config(SLOTFILTER_CMD_SERVICE_ADD, argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "set"))
		return config(SLOTFILTER_CMD_SERVICE_SET, argc - 2, argv + 2);
	if (!strcmp(argv[1], "del"))
		return config(SLOTFILTER_CMD_SERVICE_DEL, argc - 2, argv + 2);
	if (!strcmp(argv[1], "show"))
		return show(argc - 2, argv + 2);
	if (!strcmp(argv[1], "commit"))
		return commit(argc - 2, argv + 2);
	if (!strcmp(argv[1], "serve"))
		return serve(argc - 1, argv + 1);
	if (!strcmp(argv[1], "alert"))
		return unbound('a', argc - 2, argv + 2);
	if (!strcmp(argv[1], "health"))
		return unbound('h', argc - 2, argv + 2);
	usage();
	return 1;
}
