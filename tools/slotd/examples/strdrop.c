// SPDX-License-Identifier: GPL-2.0
/*
 * strdrop.c - an example external inspection service for slotd
 *
 * SYNOPSIS
 *	strdrop [-v] [-a] [-n NAME] [-m MAX] [-f] PATH STRING...
 *
 * Listens on the UNIX SOCK_SEQPACKET socket PATH and serves every slotd
 * connection there: a packet whose bytes contain one of the STRINGs is
 * dropped (with -f, its whole flow: drop-flow), every other one goes on
 * (continue). It counts what it judged and prints the counts when it
 * exits (SIGTERM, SIGINT). With -v it prints one line per packet:
 *
 *	packet ID SERVICE IFNAME DIR slot N rule N flow N len N/ORIG VERDICT
 *
 * -n names it in slotd's log, -m bounds the packets it takes in flight.
 * With -a it also sends slotd an ALERT frame for each drop, which
 * `slotctl monitor` shows as the service's alert:
 *
 *	{"event_type":"strdrop","id":ID,"port":"IFNAME","direction":"DIR",
 *	 "match":"STRING"}
 *
 * ALERT came with version 2 of the protocol: strdrop picks the newest
 * version both ends speak, and sends no alert to a slotd that speaks 1.
 *
 * It uses nothing but slotsvc.h and libc, as a vendor's service would:
 * the frames it reads are checked before use, verdicts of one read burst
 * leave in one VERDICT frame.
 */
#define _GNU_SOURCE		/* memmem() */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "slotsvc.h"

#define CONNS_MAX	16
#define BURST		64	/* frames read before verdicts are sent */

struct conn {
	int fd;
	bool hello;			/* HELLO answered */
	unsigned int version;		/* the one picked */
	/* The VERDICT frame being filled: header, then entries. */
	union {
		struct slotsvc_verdicts hdr;
		unsigned char bytes[sizeof(struct slotsvc_verdicts) +
				    BURST * sizeof(struct slotsvc_verdict)];
	} out;
};

static const char *name = "strdrop";
static unsigned int max_inflight;
static bool verbose, flow, alerts;
static char **strings;
static int n_strings;
static volatile sig_atomic_t stop;
static unsigned long long n_continue, n_drop, n_frames_bad;
static union {
	struct slotsvc_hdr hdr;
	unsigned char bytes[SLOTSVC_FRAME_MAX];
} in;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int send_frame(int fd, const void *frame, size_t len)
{
	return send(fd, frame, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

static int hello(struct conn *c, size_t len)
{
	const struct slotsvc_hello *h = (const void *)in.bytes;
	struct slotsvc_hello_reply r = {
		.hdr = { .type = SLOTSVC_T_HELLO_REPLY, .len = sizeof(r) },
		.max_inflight = max_inflight,
	};

	/* The newest version both speak: 1 and 2 differ only in ALERT. */
	if (len != sizeof(*h) || h->version_min > SLOTSVC_VERSION ||
	    h->version_max < 1) {
		fprintf(stderr, "strdrop: unusable HELLO, closing\n");
		return -1;
	}
	r.version = h->version_max < SLOTSVC_VERSION ? h->version_max :
		    SLOTSVC_VERSION;
	snprintf(r.name, sizeof(r.name), "%s", name);
	c->hello = true;
	c->version = r.version;
	return send_frame(c->fd, &r, sizeof(r));
}

/* The first STRING in @data, or NULL. */
static const char *match(const unsigned char *data, size_t len)
{
	int i;

	for (i = 0; i < n_strings; i++) {
		if (memmem(data, len, strings[i], strlen(strings[i])))
			return strings[i];
	}
	return NULL;
}

/* Append @s to @p as a JSON string (at most @n bytes of @s). */
static char *json_string(char *p, const char *s, size_t n)
{
	*p++ = '"';
	for (; n-- && *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\') {
			*p++ = '\\';
			*p++ = ch;
		} else if (ch < 0x20 || ch == 0x7f) {
			p += sprintf(p, "\\u%04x", ch);
		} else {
			*p++ = ch;
		}
	}
	*p++ = '"';
	return p;
}

/*
 * An ALERT frame for the drop of @p: its text, one JSON line, then the
 * NUL that ends the frame. Too long a STRING is cut short.
 */
static int alert(struct conn *c, const struct slotsvc_packet *p,
		 const char *what)
{
	static union {
		struct slotsvc_alert hdr;
		char bytes[sizeof(struct slotsvc_alert) + SLOTSVC_ALERT_MAX];
	} a;
	char *t = a.bytes + sizeof(a.hdr);

	t += sprintf(t, "{\"event_type\":\"strdrop\",\"id\":%llu,\"port\":",
		     (unsigned long long)p->id);
	t = json_string(t, p->ifname, SLOTSVC_IFNAME_MAX);
	t += sprintf(t, ",\"direction\":\"%s\",\"match\":",
		     p->direction == SLOTSVC_DIR_INGRESS ? "ingress" : "egress");
	t = json_string(t, what, 512);	/* 6 bytes each at worst */
	*t++ = '}';
	*t++ = '\0';
	a.hdr.hdr = (struct slotsvc_hdr){ .type = SLOTSVC_T_ALERT,
					  .len = t - a.bytes };
	return send_frame(c->fd, a.bytes, a.hdr.hdr.len);
}

static int flush(struct conn *c)
{
	size_t len = sizeof(c->out.hdr) +
		     c->out.hdr.count * sizeof(struct slotsvc_verdict);

	if (!c->out.hdr.count)
		return 0;
	c->out.hdr.hdr.type = SLOTSVC_T_VERDICT;
	c->out.hdr.hdr.len = len;
	c->out.hdr.pad = 0;
	c->out.hdr.hdr.flags = 0;
	if (send_frame(c->fd, c->out.bytes, len))
		return -1;
	c->out.hdr.count = 0;
	return 0;
}

static int packet(struct conn *c, size_t len)
{
	const struct slotsvc_packet *p = (const void *)in.bytes;
	struct slotsvc_verdict v = { 0 };
	const unsigned char *data;
	const char *what;
	size_t dlen;

	if (len < sizeof(*p) || p->ntags > SLOTSVC_TAGS_MAX ||
	    len < sizeof(*p) + p->ntags * SLOTSVC_NAME_MAX) {
		fprintf(stderr, "strdrop: malformed PACKET, closing\n");
		return -1;
	}
	data = slotsvc_packet_data(p);
	dlen = slotsvc_packet_len(p);
	v.id = p->id;
	what = match(data, dlen);
	if (what) {
		v.verdict = flow ? SLOTSVC_V_DROP_FLOW : SLOTSVC_V_DROP;
		n_drop++;
		if (alerts && c->version >= 2 && alert(c, p, what))
			return -1;
	} else {
		v.verdict = SLOTSVC_V_CONTINUE;
		n_continue++;
	}
	if (verbose)
		printf("packet %llu %.*s %.*s %s slot %u rule %u flow %llu len %zu/%u %s\n",
		       (unsigned long long)p->id, SLOTSVC_NAME_MAX, p->service,
		       SLOTSVC_IFNAME_MAX, p->ifname,
		       p->direction == SLOTSVC_DIR_INGRESS ? "ingress" : "egress",
		       p->slot, p->rule_id, (unsigned long long)p->flow_id,
		       dlen, p->orig_len,
		       v.verdict == SLOTSVC_V_CONTINUE ? "continue" :
		       flow ? "drop-flow" : "drop");
	memcpy(c->out.bytes + sizeof(c->out.hdr) +
	       c->out.hdr.count * sizeof(v), &v, sizeof(v));
	if (++c->out.hdr.count == BURST)
		return flush(c);
	return 0;
}

/* Handle one frame; -1 closes the connection. */
static int frame(struct conn *c, size_t len)
{
	const struct slotsvc_ping *ping = (const void *)in.bytes;
	struct slotsvc_ping pong = {
		.hdr = { .type = SLOTSVC_T_PONG, .len = sizeof(pong) },
	};

	if (len < sizeof(in.hdr) || in.hdr.len != len) {
		fprintf(stderr, "strdrop: malformed frame, closing\n");
		n_frames_bad++;
		return -1;
	}
	if (!c->hello && in.hdr.type != SLOTSVC_T_HELLO)
		return -1;
	switch (in.hdr.type) {
	case SLOTSVC_T_HELLO:
		return c->hello ? -1 : hello(c, len);
	case SLOTSVC_T_PACKET:
		return packet(c, len);
	case SLOTSVC_T_PING:
		if (len != sizeof(*ping))
			return -1;
		/* Verdicts read before the PING go first: order is the promise. */
		if (flush(c))
			return -1;
		pong.cookie = ping->cookie;
		return send_frame(c->fd, &pong, sizeof(pong));
	case SLOTSVC_T_CLOSE:
		fprintf(stderr, "strdrop: slotd closes: %.*s\n",
			(int)(len - sizeof(struct slotsvc_close)),
			(const char *)in.bytes + sizeof(struct slotsvc_close));
		return -1;
	default:
		fprintf(stderr, "strdrop: unknown frame type %u, closing\n",
			in.hdr.type);
		return -1;
	}
}

/* Read a burst of frames, then send their verdicts; -1: close. */
static int serve(struct conn *c)
{
	ssize_t n;
	int i;

	for (i = 0; i < BURST; i++) {
		n = recv(c->fd, in.bytes, sizeof(in.bytes), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0 || frame(c, n))
			return -1;
	}
	return flush(c);
}

static int listen_on(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "strdrop: %s: path too long\n", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    listen(fd, CONNS_MAX)) {
		fprintf(stderr, "strdrop: %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void usage(void)
{
	fprintf(stderr, "Usage: strdrop [-v] [-a] [-f] [-n NAME] [-m MAX] PATH STRING...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct pollfd pfd[CONNS_MAX + 1];
	static struct conn conns[CONNS_MAX];
	struct sigaction sa = { .sa_handler = on_signal };
	int opt, lfd, i, n_conns = 0;

	while ((opt = getopt(argc, argv, "vafn:m:")) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 'a':
			alerts = true;
			break;
		case 'f':
			flow = true;
			break;
		case 'n':
			name = optarg;
			break;
		case 'm':
			max_inflight = strtoul(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 2)
		usage();
	strings = argv + optind + 1;
	n_strings = argc - optind - 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	lfd = listen_on(argv[optind]);
	if (lfd < 0)
		return 1;
	while (!stop) {
		pfd[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (i = 0; i < n_conns; i++)
			pfd[i + 1] = (struct pollfd){ .fd = conns[i].fd,
						      .events = POLLIN };
		if (poll(pfd, n_conns + 1, -1) < 0)
			continue;
		for (i = n_conns - 1; i >= 0; i--) {
			if (!pfd[i + 1].revents || !serve(&conns[i]))
				continue;
			close(conns[i].fd);
			conns[i] = conns[--n_conns];
		}
		if (pfd[0].revents & POLLIN) {
			int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

			if (fd >= 0 && n_conns == CONNS_MAX)
				close(fd);
			else if (fd >= 0)
				conns[n_conns++] = (struct conn){ .fd = fd };
		}
	}
	printf("continued %llu dropped %llu\n", n_continue, n_drop);
	unlink(argv[optind]);
	return 0;
}
