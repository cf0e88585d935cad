// SPDX-License-Identifier: GPL-2.0
/*
 * svchost.c - slotsvc-host: one of slotd's built-in kinds, run as an
 * external service behind a UNIX socket (slotsvc.h)
 *
 * SYNOPSIS
 *	slotsvc-host [-n NAME] -l PATH -k KIND [OPTION...]
 *
 * Listens on the SOCK_SEQPACKET socket PATH and serves every slotd
 * connection there with one instance of KIND (ips, webrep, noop, ...),
 * configured by the OPTIONs slotd's configuration would give it
 * (`service NAME builtin:KIND OPTION...`; checked the same way, every
 * error printed). slotd then names it `service NAME unix:PATH`.
 *
 *	SIGHUP		the kind's reload() with the same options: the ips
 *			rereads its rules, webrep its database; refused,
 *			the old configuration stays
 *	SIGTERM, SIGINT	exit 0
 *
 * It logs to stderr, as slotd does. max-inflight=N among the OPTIONs
 * bounds the packets each connection holds (HELLO_REPLY's max_inflight),
 * probe-interval=MS how often the kind's probe() runs.
 *
 * This file is the kind interface's second host: service.h's calls that
 * daemon.c implements for slotd are implemented here over the socket.
 *
 *	sd_service_verdict()	the verdict goes into the VERDICT frame of
 *				the connection that sent the packet; frames
 *				leave after each read burst, at the end of
 *				each round, and before a PONG (a PONG says
 *				every frame before the PING was read)
 *	sd_service_health()	logged; while the kind is failing, PINGs
 *				go unanswered (slotd then marks the service
 *				failing), and are answered when it is up
 *	sd_service_alert()	an ALERT frame, on the connection whose
 *				packet the kind is judging, or else on the
 *				oldest connection (one copy: the alert is
 *				the service's); -ENOTCONN without one
 *	sd_service_fail()	continue: slotd's failure policy is not
 *				known here
 *	sd_service_quarantine()	a QUARANTINE frame naming the packet, on the
 *				connection that holds it (-ENOENT if none
 *				does: answered already); slotd tags the port
 *
 * Both frames leave at once, ahead of the verdicts waiting for the end of
 * the burst: a kind that quarantines while judging a packet names one
 * still in flight at slotd. On a connection that speaks version 1 (an
 * older slotd), alerts are printed on stdout instead, one line each, and
 * quarantine is refused (-EOPNOTSUPP, logged).
 *
 * The packets a connection holds (given to the kind, not answered yet)
 * are its in-flight set; a verdict for an id that is in none (its
 * connection closed) is dropped. All connections share the one instance,
 * so a flow's state is the same whichever connection brings it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "conf.h"
#include "frame.h"
#include "idset.h"
#include "log.h"
#include "loop.h"
#include "service.h"

#define BURST		64	/* frames read before verdicts leave */
#define WHERE		"slotsvc-host"

struct conn {
	int fd;
	struct sd_io *io;
	bool hello;			/* HELLO answered */
	uint32_t version;		/* the one picked */
	bool pong_owed;			/* a PING waits for health */
	uint64_t cookie;
	uint32_t frame_max;		/* slotd's, from HELLO */
	struct sd_idset inflight;
	struct sd_vframe vf;
	uint8_t *out;			/* the VERDICT frame being filled */
	struct conn *next;
};

struct host {
	struct sd_loop *loop;
	struct sd_service svc;
	const char *path;
	int lfd, sigfd;
	struct conn *conns;		/* newest first */
	struct conn *cur;		/* whose PACKET the kind is judging */
	uint64_t next_probe_ms;
	bool stop;
};

static struct host host;
static uint8_t in[SLOTSVC_FRAME_MAX];

/* --- service.h, for the kind ----------------------------------------- */

struct sd_loop *sd_service_loop(struct sd_service *svc)
{
	(void)svc;
	return host.loop;
}

static int conn_send(struct conn *c, const void *buf, size_t len)
{
	return send(c->fd, buf, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 :
	       -errno;
}

static int conn_flush(struct conn *c)
{
	size_t len;
	int err;

	if (!c->vf.count)
		return 0;
	len = sd_vframe_end(&c->vf);
	err = len ? conn_send(c, c->out, len) : -EMSGSIZE;
	sd_vframe_init(&c->vf, c->out, c->frame_max);
	return err;
}

static void conn_close(struct conn *c, const char *why);

static void conn_verdict(struct conn *c, const struct sd_verdict *v)
{
	int err = 0;

	if (sd_vframe_add(&c->vf, v))
		return;
	err = conn_flush(c);
	if (!err && !sd_vframe_add(&c->vf, v))
		err = -EMSGSIZE;
	if (err) {
		sd_err("connection %d: sending verdicts: %s", c->fd,
		       strerror(-err));
		conn_close(c, NULL);
	}
}

void sd_service_verdict(struct sd_service *svc, uint64_t id, int verdict,
			const void *repl, uint32_t repl_len)
{
	struct sd_verdict v = {
		.id = id, .verdict = verdict, .repl = repl,
		.repl_len = repl ? repl_len : 0,
	};
	struct conn *c;

	for (c = host.conns; c; c = c->next) {
		if (c->fd >= 0 && sd_idset_del(&c->inflight, id)) {
			svc->stats.verdicts++;
			conn_verdict(c, &v);
			return;
		}
	}
}

void sd_service_fail(struct sd_service *svc, uint64_t id)
{
	svc->stats.failed++;
	sd_service_verdict(svc, id, SD_V_CONTINUE, NULL, 0);
}

static void pong(struct conn *c)
{
	uint8_t buf[64];
	size_t len = sd_frame_ping(buf, sizeof(buf), SLOTSVC_T_PONG,
				   c->cookie);

	c->pong_owed = false;
	if (conn_flush(c) || conn_send(c, buf, len))
		conn_close(c, NULL);
}

void sd_service_health(struct sd_service *svc, bool up, const char *why)
{
	struct conn *c;

	if (svc->health_known && svc->up == up)
		return;
	svc->health_known = true;
	svc->up = up;
	if (up)
		sd_info("service %s: up%s%s", svc->conf.name, why ? ": " : "",
			why ? why : "");
	else
		sd_warn("service %s: failing: %s; PINGs go unanswered",
			svc->conf.name, why ? why : "no reason given");
	for (c = host.conns; up && c; c = c->next) {
		if (c->fd >= 0 && c->pong_owed)
			pong(c);
	}
}

/*
 * Send an ALERT or QUARANTINE frame on @c: -EAGAIN loses it (the socket
 * is full), any other error closes @c.
 */
static int conn_send_event(struct conn *c, const void *buf, size_t len)
{
	int err = conn_send(c, buf, len);

	if (err && err != -EAGAIN) {
		sd_err("connection %d: sending: %s", c->fd, strerror(-err));
		conn_close(c, NULL);
	}
	return err;
}

/* Where an alert goes: the connection being served, else the oldest. */
static struct conn *alert_conn(void)
{
	struct conn *c, *oldest = NULL;

	if (host.cur && host.cur->fd >= 0)
		return host.cur;
	for (c = host.conns; c; c = c->next) {
		if (c->fd >= 0 && c->hello)
			oldest = c;
	}
	return oldest;
}

int sd_service_alert(struct sd_service *svc, const char *json)
{
	uint8_t buf[sizeof(struct slotsvc_alert) + SLOTSVC_ALERT_MAX];
	size_t len = strlen(json);
	struct conn *c;

	(void)svc;
	if (!len || len >= SD_ALERT_MAX)
		return -EINVAL;
	c = alert_conn();
	if (!c)
		return -ENOTCONN;
	if (c->version < 2)
		return printf("%s\n", json) < 0 ? -EIO : 0;
	len = sd_frame_alert(buf, sizeof(buf), json);
	if (!len)
		return -EINVAL;		/* a newline */
	return conn_send_event(c, buf, len);
}

int sd_service_quarantine(struct sd_service *svc, const struct sd_packet *pkt,
			  uint32_t ttl_s, const char *why)
{
	uint8_t buf[sizeof(struct slotsvc_quarantine) + SLOTSVC_REASON_MAX];
	char reason[SLOTSVC_REASON_MAX];
	struct conn *c;
	size_t len;
	int err;

	if (pkt->dir != SLOTSVC_DIR_INGRESS || ttl_s > SLOTSVC_TTL_MAX)
		return -EINVAL;
	for (c = host.conns; c; c = c->next) {
		if (c->fd >= 0 && sd_idset_find(&c->inflight, pkt->id))
			break;
	}
	if (!c) {
		sd_warn("service %s: cannot quarantine port %s: packet %llu is answered already",
			svc->conf.name, pkt->ifname,
			(unsigned long long)pkt->id);
		return -ENOENT;
	}
	if (c->version < 2) {
		sd_warn("service %s: cannot quarantine port %s: slotd speaks version 1 on connection %d",
			svc->conf.name, pkt->ifname, c->fd);
		return -EOPNOTSUPP;
	}
	/* The reason is for people: cut it to one line that fits. */
	snprintf(reason, sizeof(reason), "%s", why ? why : "");
	reason[strcspn(reason, "\n")] = '\0';
	len = sd_frame_quarantine(buf, sizeof(buf), pkt->id, ttl_s, reason);
	err = conn_send_event(c, buf, len);
	if (err)
		sd_warn("service %s: cannot quarantine port %s: %s",
			svc->conf.name, pkt->ifname, strerror(-err));
	return err;
}

/* --- connections ------------------------------------------------------ */

/* Close @c (with a CLOSE frame saying @why, unless NULL); freed later. */
static void conn_close(struct conn *c, const char *why)
{
	uint8_t buf[256];
	size_t len;

	if (c->fd < 0)
		return;
	if (why) {
		sd_err("connection %d: %s; closing it", c->fd, why);
		len = sd_frame_close(buf, sizeof(buf), why);
		if (len)
			conn_send(c, buf, len);
	}
	sd_io_del(c->io);
	close(c->fd);
	c->fd = -1;
}

static void conn_reap(void)
{
	struct conn **p = &host.conns, *c;

	while ((c = *p)) {
		if (c->fd >= 0) {
			p = &c->next;
			continue;
		}
		*p = c->next;
		sd_idset_fini(&c->inflight);
		free(c->out);
		free(c);
	}
}

static int on_hello(struct conn *c, const struct sd_frame *f)
{
	uint32_t max = host.svc.conf.max_inflight;
	uint8_t buf[sizeof(struct slotsvc_hello_reply)];
	char why[160];
	size_t len;

	if (c->hello) {
		conn_close(c, "a second HELLO");
		return -1;
	}
	/* The newest both speak. */
	c->version = f->u.hello.version_max < SLOTSVC_VERSION ?
		     f->u.hello.version_max : SLOTSVC_VERSION;
	if (c->version < f->u.hello.version_min ||
	    c->version < SLOTSVC_VERSION_MIN) {
		snprintf(why, sizeof(why), "HELLO: versions %u..%u, I speak %u..%u",
			 f->u.hello.version_min, f->u.hello.version_max,
			 SLOTSVC_VERSION_MIN, SLOTSVC_VERSION);
		conn_close(c, why);
		return -1;
	}
	c->frame_max = f->u.hello.frame_max < SLOTSVC_FRAME_MAX ?
		       f->u.hello.frame_max : SLOTSVC_FRAME_MAX;
	c->out = malloc(c->frame_max);
	if (!c->out || sd_idset_init(&c->inflight,
				     max ? max : SLOTSVC_INFLIGHT_DEFAULT)) {
		conn_close(c, "out of memory");
		return -1;
	}
	sd_vframe_init(&c->vf, c->out, c->frame_max);
	c->hello = true;
	sd_info("connection %d: slotd serves service %s here (version %u)",
		c->fd, f->u.hello.service, c->version);
	len = sd_frame_hello_reply(buf, sizeof(buf), c->version, max,
				   host.svc.conf.name);
	if (conn_send(c, buf, len)) {
		conn_close(c, NULL);
		return -1;
	}
	return 0;
}

static int on_packet(struct conn *c, const struct sd_packet *pkt)
{
	struct sd_service *svc = &host.svc;
	char why[96];
	int v;

	if (!sd_idset_add(&c->inflight, pkt->id)) {
		snprintf(why, sizeof(why),
			 "packet %llu: already in flight, or over max-inflight",
			 (unsigned long long)pkt->id);
		conn_close(c, why);
		return -1;
	}
	svc->stats.packets++;
	host.cur = c;
	v = svc->kind->packet(svc, pkt);
	host.cur = NULL;
	if (v > 0)
		sd_service_verdict(svc, pkt->id, v, NULL, 0);
	return c->fd < 0 ? -1 : 0;
}

/* Handle one frame; -1: the connection is closed. */
static int on_frame(struct conn *c, size_t n)
{
	struct sd_frame f;

	if (sd_frame_decode(in, n, SD_SIDE_SLOTD, &f)) {
		conn_close(c, f.why);
		return -1;
	}
	if (!c->hello && f.type != SLOTSVC_T_HELLO) {
		conn_close(c, "a frame before HELLO");
		return -1;
	}
	switch (f.type) {
	case SLOTSVC_T_HELLO:
		return on_hello(c, &f);
	case SLOTSVC_T_PACKET:
		return on_packet(c, &f.u.packet);
	case SLOTSVC_T_PING:
		c->cookie = f.u.cookie;
		c->pong_owed = true;
		if (!host.svc.health_known || host.svc.up)
			pong(c);
		return c->fd < 0 ? -1 : 0;
	case SLOTSVC_T_CLOSE:
		sd_info("connection %d: slotd closes it: %s", c->fd, f.u.msg);
		conn_close(c, NULL);
		return -1;
	}
	conn_close(c, "a frame of a type slotd does not send");
	return -1;
}

static void conn_readable(void *arg, uint32_t events)
{
	struct conn *c = arg;
	ssize_t n;
	int i;

	(void)events;
	for (i = 0; i < BURST; i++) {
		n = recv(c->fd, in, sizeof(in), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0) {
			if (n < 0)
				sd_err("connection %d: %s", c->fd,
				       strerror(errno));
			else
				sd_info("connection %d: closed by slotd",
					c->fd);
			conn_close(c, NULL);
			return;
		}
		if (on_frame(c, n))
			return;
	}
	if (conn_flush(c))
		conn_close(c, NULL);
}

static void on_accept(void *arg, uint32_t events)
{
	struct conn *c;
	int fd;

	(void)arg;
	(void)events;
	while ((fd = accept4(host.lfd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		c = calloc(1, sizeof(*c));
		if (c) {
			c->fd = fd;
			c->io = sd_io_add(host.loop, fd, EPOLLIN,
					  conn_readable, c);
		}
		if (!c || !c->io) {
			sd_err("connection %d: out of memory; closing it", fd);
			close(fd);
			free(c);
			continue;
		}
		c->next = host.conns;
		host.conns = c;
	}
}

/* --- configuration, signals, main ------------------------------------- */

/*
 * @sc from the service line slotd's configuration would hold, checked
 * the same way; -1 when it has errors (printed).
 */
static int conf_load(struct sd_svc_conf *sc, const char *name,
		     const char *kind, char **opts, int n_opts)
{
	size_t len = strlen(name) + strlen(kind) + 32;
	struct sd_conf conf;
	char *line, *p;
	int i, err;

	for (i = 0; i < n_opts; i++) {
		if (!opts[i][0] || opts[i][strcspn(opts[i], " \t\r\n")] ||
		    opts[i][0] == '#') {
			fprintf(stderr, "slotsvc-host: option '%s': want KEY=VALUE without blanks\n",
				opts[i]);
			return -1;
		}
		len += strlen(opts[i]) + 1;
	}
	if (strcspn(name, " \t\r\n#") != strlen(name) ||
	    strcspn(kind, " \t\r\n#:") != strlen(kind)) {
		fprintf(stderr, "slotsvc-host: bad name or kind\n");
		return -1;
	}
	line = p = malloc(len);
	if (!line)
		return -1;
	p += sprintf(p, "service %s builtin:%s", name, kind);
	for (i = 0; i < n_opts; i++)
		p += sprintf(p, " %s", opts[i]);
	strcpy(p, "\n");
	sd_conf_init(&conf);
	sd_conf_parse(&conf, WHERE, line);
	free(line);
	err = sd_conf_finish(&conf) || conf.n_svcs != 1 ? -1 : 0;
	for (i = 0; err && i < (int)conf.n_errs; i++) {
		const char *e = conf.errs[i];

		if (!strncmp(e, WHERE ":1: ", strlen(WHERE ":1: ")))
			e += strlen(WHERE ":1: ");	/* the line is ours */
		fprintf(stderr, WHERE ": %s\n", e);
	}
	if (!err)
		err = sd_svc_conf_copy(sc, &conf.svcs[0]) ? -1 : 0;
	sd_conf_free(&conf);
	return err;
}

static int listen_on(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		sd_err("%s: path too long", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -1;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    listen(fd, 16)) {
		sd_err("%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void reload(void)
{
	struct sd_service *svc = &host.svc;
	int err;

	sd_info("SIGHUP: reloading service %s", svc->conf.name);
	err = svc->kind->reload ? svc->kind->reload(svc, &svc->conf) : 0;
	if (err)
		sd_err("service %s: reload refused (%s); keeping its old configuration",
		       svc->conf.name, strerror(-err));
}

static void on_signal(void *arg, uint32_t events)
{
	struct signalfd_siginfo si;

	(void)arg;
	(void)events;
	while (read(host.sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			reload();
			continue;
		}
		sd_info("%s: exiting", strsignal(si.ssi_signo));
		host.stop = true;
	}
}

static int signals_fd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* Run the kind's probe when due; the wait until the next one. */
static int probe(void)
{
	struct sd_service *svc = &host.svc;
	uint64_t now = sd_now_ms();

	if (now >= host.next_probe_ms) {
		host.next_probe_ms = now + svc->conf.probe_interval_ms;
		if (svc->kind->probe)
			svc->kind->probe(svc, now);
	}
	return host.next_probe_ms - now;
}

static void usage(FILE *fp)
{
	fprintf(fp, "Usage: slotsvc-host [-n NAME] -l PATH -k KIND [OPTION...]\n"
		    "Serves slotd's built-in kind KIND, configured by OPTIONs\n"
		    "(KEY=VALUE, as after `service NAME builtin:KIND` in slotd.conf),\n"
		    "as an external service on the SOCK_SEQPACKET socket PATH.\n"
		    "SIGHUP reloads the kind; SIGTERM, SIGINT exit.\n");
}

int main(int argc, char **argv)
{
	const char *name = NULL, *kind = NULL;
	struct sd_service *svc = &host.svc;
	struct sd_io *lio, *sio;
	struct conn *c;
	int opt, err, ret = 0;

	while ((opt = getopt(argc, argv, "+n:l:k:h")) != -1) {
		switch (opt) {
		case 'n':
			name = optarg;
			break;
		case 'l':
			host.path = optarg;
			break;
		case 'k':
			kind = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!host.path || !kind) {
		usage(stderr);
		return 2;
	}
	sd_log_init();
	sd_log_name("slotsvc-host");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (conf_load(&svc->conf, name ? name : kind, kind, argv + optind,
		      argc - optind))
		return 2;
	svc->kind = sd_kind_find(kind);
	host.loop = sd_loop_new();
	host.sigfd = signals_fd();
	if (!host.loop || host.sigfd < 0) {
		sd_err("cannot set up: %s", strerror(errno));
		return 1;
	}
	err = svc->kind->init(svc);
	if (err) {
		sd_err("service %s: %s: cannot start: %s", svc->conf.name,
		       kind, strerror(-err));
		return 1;
	}
	host.lfd = listen_on(host.path);
	if (host.lfd < 0) {
		svc->kind->destroy(svc);
		return 1;
	}
	lio = sd_io_add(host.loop, host.lfd, EPOLLIN, on_accept, NULL);
	sio = sd_io_add(host.loop, host.sigfd, EPOLLIN, on_signal, NULL);
	sd_info("service %s: %s listening on %s", svc->conf.name, kind,
		host.path);
	while (!host.stop) {
		ret = sd_loop_run(host.loop, probe());
		if (ret < 0) {
			sd_err("event loop: %s", strerror(-ret));
			break;
		}
		for (c = host.conns; c; c = c->next) {
			if (c->fd >= 0 && conn_flush(c))
				conn_close(c, NULL);
		}
		conn_reap();
	}
	for (c = host.conns; c; c = c->next)
		conn_close(c, NULL);
	conn_reap();
	sd_io_del(lio);
	sd_io_del(sio);
	svc->kind->destroy(svc);
	close(host.lfd);
	unlink(host.path);
	close(host.sigfd);
	sd_loop_free(host.loop);
	sd_info("service %s: packets %llu, answered %llu", svc->conf.name,
		(unsigned long long)svc->stats.packets,
		(unsigned long long)svc->stats.verdicts);
	sd_svc_conf_free(&svc->conf);
	return ret < 0 ? 1 : 0;
}
