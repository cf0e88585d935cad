// SPDX-License-Identifier: GPL-2.0
/*
 * nfq_bench: the NFQUEUE consumer that bench_svc.sh measures slotd
 * against: the standard Linux way of judging packets in userspace, done
 * the way a fast consumer does it, with libmnl only.
 *
 *   nfq_bench [-q QUEUE] [-b BATCH] [-c COPY] [-m MAXLEN]
 *
 * Binds queue QUEUE (0) for IPv4, in copy mode "packet" with a copy range
 * of COPY bytes (0xffff: the whole packet, which is what slotd receives
 * from a service with `copy full`), at most MAXLEN packets queued (4096),
 * fail-open off: a full queue drops, as a service with failure-policy
 * closed does. Every packet is accepted. Verdicts go as
 * NFQNL_MSG_VERDICT_BATCH (accept every id up to this one), one per BATCH
 * packets (64) and at the end of each round of reads at the latest; a
 * round reads up to 256 messages: the same shape as slotd's loop
 * (tools/slotd/kernel.c, batch.c). The socket has an 8 MiB receive
 * buffer, as slotd's, and NETLINK_NO_ENOBUFS.
 *
 * Prints "ready" once bound; on SIGTERM or SIGINT prints "packets N
 * verdicts M rounds R errors E" (verdict messages, rounds of reads,
 * error messages the kernel sent back) and exits 0.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

#define ROUND_MAX	256
#define RCVBUF		(8 << 20)
#define RECV_SIZE	(128 * 1024)	/* a 64 KiB packet and its attributes */
#define CONF_SIZE	8192

static volatile sig_atomic_t stop;

static struct mnl_socket *nl;
static unsigned int queue_num;
static char sendbuf[512];

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "nfq_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct nlmsghdr *nfq_hdr(char *buf, int type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(queue_num);
	return nlh;
}

/* Sends a configuration message and waits for its ack. */
static void nfq_config(struct nlmsghdr *nlh, const char *what)
{
	char buf[CONF_SIZE];
	unsigned int seq = time(NULL);
	int n;

	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die(what);
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0 || mnl_cb_run(buf, n, seq, mnl_socket_get_portid(nl),
				NULL, NULL) < 0)
		die(what);
}

static void nfq_bind(unsigned int copy, unsigned int maxlen)
{
	struct nfqnl_msg_config_cmd cmd = {
		.command = NFQNL_CFG_CMD_BIND,
		.pf = htons(AF_INET),
	};
	struct nfqnl_msg_config_params params = {
		.copy_range = htonl(copy),
		.copy_mode = NFQNL_COPY_PACKET,
	};
	char buf[CONF_SIZE];
	struct nlmsghdr *nlh;

	nlh = nfq_hdr(buf, NFQNL_MSG_CONFIG);
	mnl_attr_put(nlh, NFQA_CFG_CMD, sizeof(cmd), &cmd);
	nfq_config(nlh, "bind the queue");

	nlh = nfq_hdr(buf, NFQNL_MSG_CONFIG);
	mnl_attr_put(nlh, NFQA_CFG_PARAMS, sizeof(params), &params);
	mnl_attr_put_u32(nlh, NFQA_CFG_QUEUE_MAXLEN, htonl(maxlen));
	/* fail-open off, said explicitly: a full queue drops */
	mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(0));
	mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(NFQA_CFG_F_FAIL_OPEN));
	nfq_config(nlh, "configure the queue");
}

/* Accepts every packet up to @id. */
static void nfq_verdict(uint32_t id)
{
	struct nfqnl_msg_verdict_hdr vh = {
		.verdict = htonl(NF_ACCEPT),
		.id = htonl(id),
	};
	struct nlmsghdr *nlh;

	nlh = nfq_hdr(sendbuf, NFQNL_MSG_VERDICT_BATCH);
	mnl_attr_put(nlh, NFQA_VERDICT_HDR, sizeof(vh), &vh);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("send a verdict");
}

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, NFQA_MAX) < 0)
		return MNL_CB_OK;
	if (type == NFQA_PACKET_HDR &&
	    mnl_attr_validate2(attr, MNL_TYPE_UNSPEC,
			       sizeof(struct nfqnl_msg_packet_hdr)) < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

struct state {
	unsigned long long packets, verdicts, rounds, errors;
	uint32_t last_id;	/* highest id not answered yet */
	unsigned int pending;	/* packets not answered yet */
};

/* One PACKET message: its id (and the payload is there to look at). */
static int packet_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFQA_MAX + 1] = { 0 };
	const struct nfqnl_msg_packet_hdr *ph;
	struct state *st = data;

	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_cb, tb) < 0)
		return MNL_CB_ERROR;
	if (!tb[NFQA_PACKET_HDR] || !tb[NFQA_PAYLOAD])
		return MNL_CB_OK;
	ph = mnl_attr_get_payload(tb[NFQA_PACKET_HDR]);
	st->last_id = ntohl(ph->packet_id);
	st->pending++;
	st->packets++;
	return MNL_CB_OK;
}

static void flush(struct state *st)
{
	if (!st->pending)
		return;
	nfq_verdict(st->last_id);
	st->verdicts++;
	st->pending = 0;
}

int main(int argc, char **argv)
{
	unsigned int batch = 64, copy = 0xffff, maxlen = 4096;
	int one = 1, size = RCVBUF, opt, fd, round;
	struct sigaction sa = { .sa_handler = on_signal };
	struct state st = { 0 };
	char *buf;
	ssize_t n;

	while ((opt = getopt(argc, argv, "q:b:c:m:")) != -1) {
		switch (opt) {
		case 'q':
			queue_num = strtoul(optarg, NULL, 0);
			break;
		case 'b':
			batch = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			copy = strtoul(optarg, NULL, 0);
			break;
		case 'm':
			maxlen = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr,
				"usage: nfq_bench [-q QUEUE] [-b BATCH] [-c COPY] [-m MAXLEN]\n");
			return 2;
		}
	}
	if (!batch)
		batch = 1;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	buf = malloc(RECV_SIZE);
	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!buf || !nl)
		die("open a netfilter netlink socket");
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("bind the socket");
	fd = mnl_socket_get_fd(nl);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		die("set the receive buffer");
	if (setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof(one)))
		die("set NETLINK_NO_ENOBUFS");
	nfq_bind(copy, maxlen);
	printf("ready\n");
	fflush(stdout);

	while (!stop) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		st.rounds++;
		for (round = 0; round < ROUND_MAX; round++) {
			n = recv(fd, buf, RECV_SIZE, MSG_DONTWAIT);
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					break;
				die("receive");
			}
			/* an error for a verdict: counted, not fatal */
			if (mnl_cb_run(buf, n, 0, 0, packet_cb, &st) < 0)
				st.errors++;
			if (st.pending >= batch)
				flush(&st);
		}
		flush(&st);
	}
	printf("packets %llu verdicts %llu rounds %llu errors %llu\n",
	       st.packets, st.verdicts, st.rounds, st.errors);
	return 0;
}
