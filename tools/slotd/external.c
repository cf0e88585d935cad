// SPDX-License-Identifier: GPL-2.0
/*
 * external.c - the kind "unix": a service behind a SOCK_SEQPACKET socket
 *
 * slotd is the client: it connects to the service's path, sends HELLO and
 * waits for HELLO_REPLY (state HELLO), then forwards packets and reads
 * verdicts (state UP). The ids it forwarded are kept in a set, so a
 * verdict for anything else is caught, and so that everything the
 * connection held is answered by the failure policy the moment the
 * connection ends, whatever ended it (the service closed it, it sent a
 * malformed frame, slotd stops or the service is reconfigured).
 *
 * A version 2 service also sends ALERTs, which go to the kernel as the
 * service's own alerts would, and QUARANTINEs naming a packet. For those,
 * each packet in flight carries in the set what tagging its port needs
 * (struct ext_port), and the last SLOTSVC_ANSWERED_KEPT answered on the
 * connection stay in a ring (x->answered), newest last; both are
 * forgotten with the connection. A QUARANTINE slotd cannot honour (an
 * unknown id, an egress packet) is refused and logged, the connection
 * stays: the frame was well formed.
 *
 * Nothing here blocks: the socket is non-blocking; a packet that does not
 * fit it (or the service's max_inflight) is answered by the failure policy
 * and counted. Probes run every probe interval: connect if not connected;
 * fail the HELLO that took longer than the probe timeout; otherwise send a
 * PING, or, when the last one has gone unanswered for the probe timeout,
 * report the service failing until its PONG comes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "frame.h"
#include "idset.h"
#include "log.h"
#include "loop.h"
#include "service.h"

#define EXT_SNDBUF	(16 << 20)

/* An ALERT's text is what the kernel takes as an alert. */
_Static_assert(SLOTSVC_ALERT_MAX == SD_ALERT_MAX, "ALERT text size");

/* What a QUARANTINE needs of a packet slotd sent. */
struct ext_port {
	uint32_t ifindex;
	uint8_t dir;			/* enum slotsvc_dir */
	char ifname[SLOTSVC_IFNAME_MAX];
};

struct ext_answered {
	uint64_t id;
	struct ext_port port;
};

enum ext_state {
	EXT_IDLE,			/* not connected */
	EXT_HELLO,			/* HELLO sent, no reply yet */
	EXT_UP,
};

struct ext {
	struct sd_service *svc;
	enum ext_state state;
	int fd;
	struct sd_io *io;
	uint64_t hello_ms;		/* when HELLO went out */
	bool ping_out;
	uint64_t cookie;		/* of the last PING */
	uint64_t ping_ms;
	uint32_t max_inflight;
	uint32_t version;		/* from HELLO_REPLY */
	struct sd_idset inflight;	/* ids, each with its struct ext_port */
	struct ext_answered *answered;	/* a ring: the last answered */
	unsigned int n_answered;	/* in the ring, at most KEPT */
	unsigned int answered_next;	/* where the next one goes */
	struct sd_verdict *vs;		/* one VERDICT frame's verdicts */
	struct ext_port *vports;	/* and their ports */
	uint8_t *buf;			/* one frame, either way */
	char last_err[160];		/* last connect error, logged once */
	uint64_t overflow;		/* packets that did not fit */
	uint64_t alerts_unsent;		/* ALERTs slotd could not forward */
};

static void ext_fail_one(void *arg, uint64_t id)
{
	sd_service_fail(arg, id);
}

/*
 * End the connection; @why (if any) goes to the log and the service, and
 * the service is failing until it is back (unless slotd is leaving it).
 */
static void ext_end(struct ext *x, const char *why, bool leaving)
{
	struct sd_service *svc = x->svc;
	size_t n;

	if (x->state == EXT_IDLE)
		return;
	if (why) {
		if (leaving)
			sd_info("service %s: disconnecting from %s",
				svc->conf.name, svc->conf.path);
		else
			sd_err("service %s: closing the connection to %s: %s",
			       svc->conf.name, svc->conf.path, why);
		n = sd_frame_close(x->buf, SLOTSVC_FRAME_MAX, why);
		if (n)
			send(x->fd, x->buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (!leaving)
			svc->stats.closed++;
	}
	sd_io_del(x->io);
	x->io = NULL;
	close(x->fd);
	x->fd = -1;
	x->state = EXT_IDLE;
	x->ping_out = false;
	sd_idset_drain(&x->inflight, ext_fail_one, svc);
	sd_idset_fini(&x->inflight);
	x->n_answered = x->answered_next = 0;
	if (!leaving)
		sd_service_health(svc, false, why ? why : "connection closed");
}

static void ext_disconnect(struct ext *x, const char *why)
{
	ext_end(x, why, false);
}

static int ext_send(struct ext *x, size_t len)
{
	ssize_t n = send(x->fd, x->buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EMSGSIZE;
}

static void ext_hello_reply(struct ext *x, const struct sd_frame *f)
{
	struct sd_service *svc = x->svc;
	uint32_t max = f->u.reply.max_inflight;
	char why[96];

	if (f->u.reply.version < SLOTSVC_VERSION_MIN ||
	    f->u.reply.version > SLOTSVC_VERSION) {
		snprintf(why, sizeof(why), "HELLO_REPLY: version %u was not offered (%u..%u)",
			 f->u.reply.version, SLOTSVC_VERSION_MIN,
			 SLOTSVC_VERSION);
		ext_disconnect(x, why);
		return;
	}
	if (!max)
		max = SLOTSVC_INFLIGHT_DEFAULT;
	if (max > SLOTSVC_INFLIGHT_MAX)
		max = SLOTSVC_INFLIGHT_MAX;
	if (svc->conf.max_inflight && svc->conf.max_inflight < max)
		max = svc->conf.max_inflight;
	if (sd_idset_init_values(&x->inflight, max, sizeof(struct ext_port))) {
		ext_disconnect(x, "out of memory");
		return;
	}
	x->max_inflight = max;
	x->version = f->u.reply.version;
	x->state = EXT_UP;
	x->last_err[0] = '\0';
	sd_info("service %s: connected to \"%s\" at %s (version %u, %u in flight)",
		svc->conf.name, f->u.reply.name, svc->conf.path,
		f->u.reply.version, max);
	sd_service_health(svc, true, NULL);
}

/* Packet @id was answered: a QUARANTINE may still name it for a while. */
static void ext_answered(struct ext *x, uint64_t id,
			 const struct ext_port *port)
{
	struct ext_answered *a = &x->answered[x->answered_next];

	a->id = id;
	a->port = *port;
	x->answered_next = (x->answered_next + 1) % SLOTSVC_ANSWERED_KEPT;
	if (x->n_answered < SLOTSVC_ANSWERED_KEPT)
		x->n_answered++;
}

static void ext_verdicts(struct ext *x, struct sd_frame *f)
{
	struct sd_service *svc = x->svc;
	unsigned int n = 0, i;
	char why[96];

	/* Judge the whole frame before any verdict leaves. */
	while (sd_frame_next_verdict(f, &x->vs[n])) {
		if (!sd_idset_take(&x->inflight, x->vs[n].id, &x->vports[n])) {
			snprintf(why, sizeof(why), "VERDICT: entry %u: packet %llu is not in flight",
				 n, (unsigned long long)x->vs[n].id);
			for (i = 0; i < n; i++)
				sd_idset_add_value(&x->inflight, x->vs[i].id,
						   &x->vports[i]);
			ext_disconnect(x, why);
			return;
		}
		n++;
	}
	for (i = 0; i < n; i++) {
		ext_answered(x, x->vs[i].id, &x->vports[i]);
		svc->stats.verdicts++;
		sd_service_verdict(svc, x->vs[i].id, x->vs[i].verdict,
				   x->vs[i].repl, x->vs[i].repl_len);
	}
}

static void ext_alert(struct ext *x, const struct sd_frame *f)
{
	struct sd_service *svc = x->svc;
	int err = sd_service_alert(svc, f->u.alert);

	/* Log the first, then every 1000th: unbound, all of them fail. */
	if (err && x->alerts_unsent++ % 1000 == 0)
		sd_warn("service %s: an ALERT was not sent to the kernel: %s (%llu so far)",
			svc->conf.name, strerror(-err),
			(unsigned long long)x->alerts_unsent);
}

/* The port of packet @id, in flight or answered lately; NULL: neither. */
static const struct ext_port *ext_port_of(const struct ext *x, uint64_t id)
{
	const struct ext_port *p = sd_idset_find(&x->inflight, id);
	unsigned int i, at;

	for (i = 0; !p && i < x->n_answered; i++) {
		at = (x->answered_next + SLOTSVC_ANSWERED_KEPT - 1 - i) %
		     SLOTSVC_ANSWERED_KEPT;
		if (x->answered[at].id == id)
			p = &x->answered[at].port;
	}
	return p;
}

static void ext_quarantine(struct ext *x, const struct sd_frame *f)
{
	struct sd_service *svc = x->svc;
	uint64_t id = f->u.quarantine.id;
	const struct ext_port *port = ext_port_of(x, id);
	struct sd_packet pkt = { .id = id, .service = svc->conf.name };
	const char *why = NULL;

	if (!port)
		why = "not in flight, nor answered lately, on this connection";
	else if (port->dir != SLOTSVC_DIR_INGRESS)
		why = "an egress packet: only what a port sent makes it the attacker";
	if (why) {
		sd_warn("service %s: QUARANTINE of packet %llu refused: %s",
			svc->conf.name, (unsigned long long)id, why);
		return;
	}
	pkt.ifindex = port->ifindex;
	pkt.dir = port->dir;
	pkt.ifname = port->ifname;
	/* quarantine.c logs what it does, and what the kernel refuses. */
	sd_service_quarantine(svc, &pkt, f->u.quarantine.ttl,
			      f->u.quarantine.reason);
}

static void ext_pong(struct ext *x, const struct sd_frame *f)
{
	char why[96];

	if (!x->ping_out) {
		ext_disconnect(x, "PONG without a PING");
		return;
	}
	if (f->u.cookie != x->cookie) {
		snprintf(why, sizeof(why), "PONG cookie %llu, want %llu",
			 (unsigned long long)f->u.cookie,
			 (unsigned long long)x->cookie);
		ext_disconnect(x, why);
		return;
	}
	x->ping_out = false;
	sd_service_health(x->svc, true, "answered a PING");
}

static void ext_frame(struct ext *x, size_t len)
{
	struct sd_frame f;
	char why[160];

	if (sd_frame_decode(x->buf, len, SD_SIDE_SERVICE, &f)) {
		ext_disconnect(x, f.why);
		return;
	}
	if (x->state == EXT_HELLO) {
		if (f.type == SLOTSVC_T_HELLO_REPLY) {
			ext_hello_reply(x, &f);
			return;
		}
		snprintf(why, sizeof(why), "a frame of type %u before HELLO_REPLY",
			 f.type);
		ext_disconnect(x, why);
		return;
	}
	if ((f.type == SLOTSVC_T_ALERT || f.type == SLOTSVC_T_QUARANTINE) &&
	    x->version < 2) {
		snprintf(why, sizeof(why), "%s on a version %u connection (needs 2)",
			 f.type == SLOTSVC_T_ALERT ? "ALERT" : "QUARANTINE",
			 x->version);
		ext_disconnect(x, why);
		return;
	}
	switch (f.type) {
	case SLOTSVC_T_VERDICT:
		ext_verdicts(x, &f);
		break;
	case SLOTSVC_T_ALERT:
		ext_alert(x, &f);
		break;
	case SLOTSVC_T_QUARANTINE:
		ext_quarantine(x, &f);
		break;
	case SLOTSVC_T_PONG:
		ext_pong(x, &f);
		break;
	default:		/* HELLO_REPLY */
		ext_disconnect(x, "a second HELLO_REPLY");
		break;
	}
}

/* Read up to @budget frames; returns what is left of the budget. */
static int ext_read(struct ext *x, int budget)
{
	char why[96];
	ssize_t n;

	while (x->state != EXT_IDLE && budget--) {
		n = recv(x->fd, x->buf, SLOTSVC_FRAME_MAX,
			 MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		/* A peer that exits with frames unread resets: it closed. */
		if (n < 0 && errno == ECONNRESET)
			n = 0;
		if (n < 0) {
			snprintf(why, sizeof(why), "receive: %s",
				 strerror(errno));
			ext_disconnect(x, why);
			break;
		}
		if (n == 0) {
			sd_warn("service %s: %s closed the connection",
				x->svc->conf.name, x->svc->conf.path);
			ext_disconnect(x, NULL);
			break;
		}
		if (n > SLOTSVC_FRAME_MAX) {
			snprintf(why, sizeof(why), "frame of %zd bytes, at most %u",
				 n, SLOTSVC_FRAME_MAX);
			ext_disconnect(x, why);
			break;
		}
		ext_frame(x, n);
	}
	return budget;
}

static void ext_readable(void *arg, uint32_t events)
{
	struct ext *x = arg;
	int left = ext_read(x, 64);	/* frames per round: others get a turn */

	if (x->state == EXT_IDLE || !(events & (EPOLLHUP | EPOLLERR)))
		return;
	if (left >= 0)		/* drained, and the peer is gone */
		ext_disconnect(x, "the connection broke");
}

static void ext_connect(struct ext *x, uint64_t now)
{
	struct sd_service *svc = x->svc;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int sndbuf = EXT_SNDBUF;
	char why[160];
	size_t len;

	x->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       0);
	if (x->fd < 0) {
		snprintf(why, sizeof(why), "socket: %s", strerror(errno));
		goto fail;
	}
	/*
	 * A frame in flight is charged to the sender's buffer until the
	 * service reads it: the default (~200 KiB) holds some hundred
	 * packets, too few for a burst. Raise it (beyond wmem_max with
	 * CAP_NET_ADMIN, which slotd has).
	 */
	if (setsockopt(x->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf,
		       sizeof(sndbuf)))
		setsockopt(x->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf,
			   sizeof(sndbuf));
	strcpy(sun.sun_path, svc->conf.path);
	if (connect(x->fd, (struct sockaddr *)&sun, sizeof(sun))) {
		snprintf(why, sizeof(why), "cannot connect to %s: %s",
			 svc->conf.path, strerror(errno));
		goto fail;
	}
	len = sd_frame_hello(x->buf, SLOTSVC_FRAME_MAX, svc->conf.name);
	if (ext_send(x, len)) {
		snprintf(why, sizeof(why), "cannot send HELLO to %s: %s",
			 svc->conf.path, strerror(errno));
		goto fail;
	}
	x->io = sd_io_add(sd_service_loop(svc), x->fd, EPOLLIN, ext_readable,
			  x);
	if (!x->io) {
		snprintf(why, sizeof(why), "cannot watch the socket");
		goto fail;
	}
	x->state = EXT_HELLO;
	x->hello_ms = now;
	return;

fail:
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	if (strcmp(why, x->last_err)) {
		sd_warn("service %s: %s", svc->conf.name, why);
		snprintf(x->last_err, sizeof(x->last_err), "%s", why);
	}
	sd_service_health(svc, false, why);
}

static void ext_probe(struct sd_service *svc, uint64_t now)
{
	struct ext *x = svc->priv;
	char why[96];
	size_t len;

	switch (x->state) {
	case EXT_IDLE:
		ext_connect(x, now);
		break;
	case EXT_HELLO:
		if (now - x->hello_ms < svc->conf.probe_timeout_ms)
			break;
		snprintf(why, sizeof(why), "no HELLO_REPLY within %u ms",
			 svc->conf.probe_timeout_ms);
		ext_disconnect(x, why);
		break;
	case EXT_UP:
		/*
		 * The PONG may be waiting behind verdicts slotd has not read
		 * yet: read them before blaming the service for slotd's lag.
		 */
		if (x->ping_out && now - x->ping_ms >= svc->conf.probe_timeout_ms)
			ext_read(x, SLOTSVC_INFLIGHT_DEFAULT);
		if (x->state != EXT_UP)
			break;
		if (x->ping_out) {
			if (now - x->ping_ms >= svc->conf.probe_timeout_ms) {
				snprintf(why, sizeof(why), "no PONG for %llu ms",
					 (unsigned long long)(now - x->ping_ms));
				sd_service_health(svc, false, why);
			}
			break;
		}
		len = sd_frame_ping(x->buf, SLOTSVC_FRAME_MAX, SLOTSVC_T_PING,
				    ++x->cookie);
		if (ext_send(x, len) == 0) {
			x->ping_out = true;
			x->ping_ms = now;
		}
		break;
	}
}

static int ext_packet(struct sd_service *svc, const struct sd_packet *pkt)
{
	struct ext *x = svc->priv;
	struct ext_port port;
	char why[96];
	size_t len;
	int err;

	if (x->state != EXT_UP || x->inflight.count >= x->max_inflight)
		goto overflow;
	len = sd_frame_packet(x->buf, SLOTSVC_FRAME_MAX, pkt);
	if (!len)
		goto overflow;
	err = ext_send(x, len);
	if (err == -EAGAIN)
		goto overflow;
	if (err) {
		snprintf(why, sizeof(why), "send: %s", strerror(-err));
		ext_disconnect(x, why);
		goto overflow;
	}
	port.ifindex = pkt->ifindex;
	port.dir = pkt->dir;
	snprintf(port.ifname, sizeof(port.ifname), "%s", pkt->ifname);
	sd_idset_add_value(&x->inflight, pkt->id, &port);
	return 0;

overflow:
	x->overflow++;
	svc->stats.failed++;
	return svc->fail_verdict;
}

static void ext_free(struct ext *x)
{
	free(x->buf);
	free(x->vs);
	free(x->vports);
	free(x->answered);
	free(x);
}

static int ext_init(struct sd_service *svc)
{
	struct ext *x = calloc(1, sizeof(*x));

	if (!x)
		return -ENOMEM;
	x->buf = malloc(SLOTSVC_FRAME_MAX);
	x->vs = calloc(SLOTSVC_VERDICTS_MAX, sizeof(*x->vs));
	x->vports = calloc(SLOTSVC_VERDICTS_MAX, sizeof(*x->vports));
	x->answered = calloc(SLOTSVC_ANSWERED_KEPT, sizeof(*x->answered));
	if (!x->buf || !x->vs || !x->vports || !x->answered) {
		ext_free(x);
		return -ENOMEM;
	}
	x->svc = svc;
	x->fd = -1;
	svc->priv = x;
	return 0;
}

static int ext_reload(struct sd_service *svc, const struct sd_svc_conf *sc)
{
	(void)svc;
	(void)sc;
	return 0;		/* probe values are read from svc->conf */
}

static void ext_destroy(struct sd_service *svc)
{
	struct ext *x = svc->priv;

	ext_end(x, "slotd stops serving this service", true);
	ext_free(x);
}

const struct sd_kind sd_kind_unix = {
	.name = "unix",
	.init = ext_init,
	.packet = ext_packet,
	.reload = ext_reload,
	.probe = ext_probe,
	.destroy = ext_destroy,
};
