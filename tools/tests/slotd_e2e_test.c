// SPDX-License-Identifier: GPL-2.0
/*
 * slotd_e2e_test.c - slotd's daemon, run in this process against the
 * fake kernel (slotd_fake.c): built-in services, reload, the example
 * service (examples/strdrop) over a real UNIX socket, and a scripted
 * service that sends malformed frames. slotd's log is captured and
 * checked too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../slotd/daemon.h"
#include "../slotd/frame.h"
#include "slotd_fake.h"
#include "test.h"

static struct fake_kernel fk;
static struct slotd sd;
static int saved_stderr = -1, log_fd = -1;

/* Run slotd's rounds until @cond holds or 3 s have passed. */
#define WAIT(cond) FAKE_WAIT(&sd, cond)

/* slotd logs to stderr: keep it in a file while a test runs. */
static void log_begin(void)
{
	char path[] = "/tmp/sdlog.XXXXXX";

	fflush(stderr);
	log_fd = mkstemp(path);
	unlink(path);
	saved_stderr = dup(2);
	dup2(log_fd, 2);
}

static char *log_end(void)
{
	struct stat st;
	char *s;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	fstat(log_fd, &st);
	s = calloc(1, st.st_size + 1);
	if (pread(log_fd, s, st.st_size, 0) != st.st_size)
		s[0] = '\0';
	close(log_fd);
	return s;
}

static void start(const char *text)
{
	struct sd_conf conf;

	sd_conf_init(&conf);
	sd_conf_parse(&conf, "t.conf", text);
	CHECK_INT(sd_conf_finish(&conf), 0);
	sd_conf_print_errors(&conf, stdout);
	CHECK_INT(sd_daemon_init(&sd, &fk.ops), 0);
	sd_daemon_apply(&sd, &conf);
}

static void reload(const char *text)
{
	struct sd_conf conf;

	sd_conf_init(&conf);
	sd_conf_parse(&conf, "t.conf", text);
	CHECK_INT(sd_conf_finish(&conf), 0);
	sd_daemon_apply(&sd, &conf);
}

static bool has(const char *log, const char *s)
{
	if (strstr(log, s))
		return true;
	printf("  log lacks \"%s\"\n", s);
	return false;
}

static unsigned int occurrences(const char *log, const char *s)
{
	unsigned int n = 0;

	for (; (log = strstr(log, s)); log++)
		n++;
	return n;
}

static int verdict_of(uint64_t id)
{
	const struct fake_verdict *v = fake_verdict(&fk, id);

	return v ? v->verdict : 0;
}

TEST(slotd_e2e_builtin_and_reload)
{
	unsigned int binds, i;
	bool ok = true;
	char *log;

	log_begin();
	fake_init(&fk, 1 << 16);
	fk.refuse = "ghost";
	start("batch 64\n"
	      "probe-interval 20\n"
	      "service a builtin:noop\n"
	      "service b builtin:drop verdict=drop-flow\n"
	      "service ghost builtin:noop\n"
	      "service h builtin:hang health=failing\n");
	CHECK(fake_chan(&fk, "a") && fake_chan(&fk, "b") &&
	      fake_chan(&fk, "h") && !fake_chan(&fk, "ghost"));
	CHECK(WAIT(strstr(fk.health, "h:failing")));
	for (i = 1; i <= 100; i++)
		ok &= fake_hold(&fk, "a", i, "x") == 0;
	ok &= fake_hold(&fk, "b", 200, "y") == 0;
	ok &= fake_hold(&fk, "h", 300, "z") == 0;
	CHECK(ok);
	CHECK(WAIT(fk.n_v == 102));
	for (i = 1; i <= 100; i++)
		ok &= verdict_of(i) == SD_V_CONTINUE;
	CHECK(ok);
	CHECK_INT(verdict_of(200), SD_V_DROP_FLOW);
	CHECK_INT(verdict_of(300), SD_V_CONTINUE);	/* failing, policy open */
	CHECK(fk.messages <= 4);	/* a: 64 + 36, b: 1, h: 1 */
	CHECK_INT(fk.largest, 64);
	/* ghost is retried every probe interval. */
	binds = fk.binds;
	CHECK(WAIT(fk.binds >= binds + 2));

	/* Reload: a changes in place, b and ghost go, c comes. */
	binds = fk.binds;
	reload("probe-interval 3600000\n"
	       "service a builtin:noop verdict=continue-flow\n"
	       "service c builtin:drop\n"
	       "service h builtin:hang\n");
	CHECK(!fake_chan(&fk, "b"));
	CHECK(fake_chan(&fk, "c"));
	CHECK_INT(fk.binds, binds + 1);		/* c only */
	CHECK(fake_hold(&fk, "a", 400, "x") == 0);
	CHECK(fake_hold(&fk, "c", 401, "x") == 0);
	CHECK(WAIT(fk.n_v == 104));
	CHECK_INT(verdict_of(400), SD_V_CONTINUE_FLOW);
	CHECK_INT(verdict_of(401), SD_V_DROP);
	CHECK(WAIT(strstr(fk.health, "h:up")));
	CHECK(fake_hold(&fk, "h", 402, "x") == 0);
	sd_daemon_step(&sd, 20);
	CHECK(!fake_verdict(&fk, 402));		/* hang: never answers */

	/* A service of another kind under the same name: restarted. */
	reload("service a builtin:drop\n");
	CHECK(fake_hold(&fk, "a", 500, "x") == 0);
	CHECK(WAIT(fake_verdict(&fk, 500)));
	CHECK_INT(verdict_of(500), SD_V_DROP);
	sd_daemon_report(&sd);
	sd_daemon_fini(&sd);
	fake_fini(&fk);
	log = log_end();
	CHECK(has(log, "service ghost: cannot bind: no service 'ghost' in the kernel; trying again every probe interval\n"));
	CHECK(has(log, "service h: failing: configured with health=failing\n"));
	CHECK(has(log, "service b: stopping\n"));
	CHECK(has(log, "service a: target changed; restarting it\n"));
	/* The bind failure is logged once, not every interval. */
	CHECK_INT(occurrences(log, "cannot bind"), 1);
	CHECK(has(log, "service ghost: stopping\n"));
	/* Counters live as long as the service, across a restart. */
	CHECK(has(log, "service a: bound, up; packets 102, answered 102, by failure policy 0, connections closed 0, kernel messages 4\n"));
	free(log);
}

static char sock_path[64], sock_path2[64];

static pid_t spawn_strdrop(const char *out)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(fd, 1);
		execl(STRDROP_BIN, STRDROP_BIN, "-v", "-a", "-n", "strdrop-test",
		      sock_path, "EVIL", "BAD", NULL);
		_exit(127);
	}
	return pid;
}

TEST(slotd_e2e_example_service)
{
	char out[] = "/tmp/sdout.XXXXXX", conf[512], *log, *seen;
	struct stat st;
	bool ok = true;
	int status, i, fd = mkstemp(out);
	pid_t pid;

	close(fd);
	snprintf(sock_path, sizeof(sock_path), "/tmp/sdsvc.%d.sock", getpid());
	snprintf(sock_path2, sizeof(sock_path2), "/tmp/sdnone.%d.sock",
		 getpid());
	log_begin();
	pid = spawn_strdrop(out);
	for (i = 0; i < 300 && stat(sock_path, &st); i++)
		usleep(10000);
	fake_init(&fk, 1 << 16);
	snprintf(conf, sizeof(conf),
		 "service ext unix:%s probe-interval=20 probe-timeout=2000\n"
		 "service closed1 unix:%s probe-interval=20\n",
		 sock_path, sock_path2);
	start(conf);
	CHECK(WAIT(strstr(fk.health, "ext:up") &&
		   strstr(fk.health, "closed1:failing")));
	for (i = 1; i <= 50; i++)
		ok &= fake_hold(&fk, "ext", i, i % 5 ? "GET / HTTP/1.1" :
			       i % 10 ? "xxEVILxx" : "BAD") == 0;
	CHECK(ok);
	CHECK(fake_hold(&fk, "closed1", 99, "x") == 0);
	CHECK(WAIT(fk.n_v == 51));
	for (i = 1; i <= 50; i++) {
		if (verdict_of(i) != (i % 5 ? SD_V_CONTINUE : SD_V_DROP)) {
			printf("  packet %d: verdict %d\n", i, verdict_of(i));
			ok = false;
		}
	}
	CHECK(ok);
	CHECK_INT(verdict_of(99), SD_V_DROP);	/* closed1: policy closed */
	/* -a: an ALERT per drop, in order, as ext's. */
	CHECK(WAIT(occurrences(fk.alerts, "\n") == 10));
	CHECK(!strncmp(fk.alerts,
		       "ext {\"event_type\":\"strdrop\",\"id\":5,\"port\":\"veth0\",\"direction\":\"ingress\",\"match\":\"EVIL\"}\n"
		       "ext {\"event_type\":\"strdrop\",\"id\":10,\"port\":\"veth0\",\"direction\":\"ingress\",\"match\":\"BAD\"}\n",
		       strlen("ext {\"event_type\":\"strdrop\",\"id\":5,\"port\":\"veth0\",\"direction\":\"ingress\",\"match\":\"EVIL\"}\n"
			      "ext {\"event_type\":\"strdrop\",\"id\":10,\"port\":\"veth0\",\"direction\":\"ingress\",\"match\":\"BAD\"}\n")));
	if (strncmp(fk.alerts, "ext {\"event_type\":\"strdrop\",\"id\":5,", 40))
		printf("  alerts: %.300s\n", fk.alerts);
	CHECK(fk.messages < 51);		/* batched */
	/* A burst of 2000: the service judges every one, none overflows. */
	for (i = 1000; i < 3000; i++) {
		int err;

		while ((err = fake_hold(&fk, "ext", i, i % 2 ? "a" : "EVIL")) ==
		       -EAGAIN)
			sd_daemon_step(&sd, 1);
		ok &= err == 0;
	}
	CHECK(ok);
	CHECK(WAIT(fk.n_v == 2051));
	for (i = 1000; i < 3000; i++)
		ok &= verdict_of(i) == (i % 2 ? SD_V_CONTINUE : SD_V_DROP);
	CHECK(ok);
	CHECK_INT(sd_daemon_find(&sd, "ext")->stats.failed, 0);
	/* A few probes go by: the service answers its PINGs. */
	sd_daemon_step(&sd, 100);
	sd_daemon_step(&sd, 100);
	CHECK(!strstr(fk.health, "ext:failing"));
	if (strstr(fk.health, "ext:failing"))
		printf("  health: %s\n", fk.health);

	/* The service goes away: failing, and it says what it judged. */
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	CHECK(WAIT(strstr(fk.health, "ext:failing")));
	CHECK(fake_hold(&fk, "ext", 60, "x") == 0);
	CHECK(WAIT(fake_verdict(&fk, 60)));
	CHECK_INT(verdict_of(60), SD_V_CONTINUE);	/* failing, open */
	sd_daemon_fini(&sd);
	fake_fini(&fk);
	log = log_end();
	seen = fx_read_file(out);
	CHECK(has(seen, "packet 1 ext veth0 ingress slot 4 rule 1 flow 10 len 14/14 continue\n"));
	CHECK(has(seen, "packet 5 ext veth0 ingress slot 4 rule 1 flow 50 len 8/8 drop\n"));
	CHECK(has(seen, "packet 10 ext veth0 ingress slot 4 rule 1 flow 100 len 3/3 drop\n"));
	CHECK(has(seen, "continued 1040 dropped 1010\n"));
	CHECK(has(log, "service ext: connected to \"strdrop-test\" at "));
	CHECK(has(log, "service ext: up\n"));
	CHECK(has(log, "closed the connection\n"));
	CHECK(has(log, "service ext: failing: connection closed\n"));
	CHECK(has(log, "service closed1: failing: cannot connect to "));
	free(seen);
	free(log);
	unlink(out);
}

/* The scripted service's side: receive a frame, running slotd meanwhile. */
static ssize_t svc_recv(int fd, void *buf)
{
	uint64_t end = sd_now_ms() + 3000;
	ssize_t n;

	do {
		n = recv(fd, buf, SLOTSVC_FRAME_MAX, MSG_DONTWAIT);
		if (n >= 0 || errno != EAGAIN)
			return n;
		sd_daemon_step(&sd, 5);
	} while (sd_now_ms() < end);
	return -1;
}

static int svc_accept(int lfd)
{
	uint64_t end = sd_now_ms() + 3000;
	int fd;

	do {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
		if (fd >= 0 || errno != EAGAIN)
			return fd;
		sd_daemon_step(&sd, 5);
	} while (sd_now_ms() < end);
	return -1;
}

static uint8_t sbuf[SLOTSVC_FRAME_MAX];

/* Accept slotd's connection, read its HELLO; answer it picking
 * @version, unless 0. */
static int svc_connect(int lfd, uint32_t version)
{
	int fd = svc_accept(lfd);
	struct sd_frame f;
	ssize_t n = svc_recv(fd, sbuf);
	size_t len;

	if (n < 0 || sd_frame_decode(sbuf, n, SD_SIDE_SLOTD, &f) ||
	    f.type != SLOTSVC_T_HELLO) {
		printf("  no HELLO\n");
		return -1;
	}
	if (version) {
		len = sd_frame_hello_reply(sbuf, sizeof(sbuf), version, 0,
					   "scripted");
		if (send(fd, sbuf, len, 0) != (ssize_t)len)
			return -1;
	}
	return fd;
}

/* Send @len bytes of @frame; slotd must answer CLOSE with @why, then EOF. */
static bool svc_rejected(int fd, const void *frame, size_t len,
			 const char *why)
{
	struct sd_frame f;
	ssize_t n;
	bool ok;

	if (send(fd, frame, len, 0) != (ssize_t)len)
		return false;
	n = svc_recv(fd, sbuf);
	while (n > 0 && !sd_frame_decode(sbuf, n, SD_SIDE_SLOTD, &f) &&
	       f.type != SLOTSVC_T_CLOSE)
		n = svc_recv(fd, sbuf);	/* PINGs, PACKETs before it */
	ok = n > 0 && f.type == SLOTSVC_T_CLOSE && !strcmp(f.u.msg, why);
	if (!ok)
		printf("  want CLOSE \"%s\", got %s\n", why,
		       n > 0 && f.type == SLOTSVC_T_CLOSE ? f.u.msg : "no CLOSE");
	ok &= svc_recv(fd, sbuf) == 0;
	close(fd);
	return ok;
}

static int svc_listen(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0);

	strcpy(sun.sun_path, path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) || listen(fd, 8))
		return -1;
	return fd;
}

TEST(slotd_e2e_malformed_frames)
{
	/* An IPv4 header and "rewritten": a replacement the kernel takes. */
	static const uint8_t rewritten[29] = {
		0x45, 0, 0, 29, [20] = 'r', 'e', 'w', 'r', 'i', 't', 't', 'e', 'n'
	};
	static const struct sd_verdict cont = { 0, SD_V_CONTINUE, NULL, 0 };
	uint8_t frame[256];
	struct sd_vframe vf;
	struct sd_verdict v;
	struct sd_frame f;
	char conf[256], *log;
	int lfd, fd, fd2, i;
	size_t len;
	ssize_t n;

	snprintf(sock_path, sizeof(sock_path), "/tmp/sdbad.%d.sock", getpid());
	lfd = svc_listen(sock_path);
	CHECK(lfd >= 0);
	log_begin();
	fake_init(&fk, 1 << 16);
	snprintf(conf, sizeof(conf),
		 "service m1 unix:%s probe-interval=20 probe-timeout=3000\n",
		 sock_path);
	start(conf);

	/* Before HELLO_REPLY: a bad version, another frame, a short one. */
	fd = svc_connect(lfd, 0);
	len = sd_frame_hello_reply(frame, sizeof(frame), 3, 0, "v3");
	CHECK(svc_rejected(fd, frame, len,
			   "HELLO_REPLY: version 3 was not offered (1..2)"));
	fd = svc_connect(lfd, 0);
	len = sd_frame_ping(frame, sizeof(frame), SLOTSVC_T_PONG, 1);
	CHECK(svc_rejected(fd, frame, len,
			   "a frame of type 6 before HELLO_REPLY"));
	fd = svc_connect(lfd, 0);
	CHECK(svc_rejected(fd, "abc", 3,
			   "frame of 3 bytes is shorter than its header"));

	/* Up, with packets in flight: a bad verdict fails all it held. */
	fd = svc_connect(lfd, 1);
	CHECK(WAIT(strstr(fk.health, "m1:up")));
	for (i = 1; i <= 3; i++)
		CHECK(fake_hold(&fk, "m1", i, "p") == 0);
	for (i = 0; i < 3; i++) {
		do {
			n = svc_recv(fd, sbuf);
		} while (n > 0 && !sd_frame_decode(sbuf, n, SD_SIDE_SLOTD, &f) &&
			 f.type != SLOTSVC_T_PACKET);
		CHECK(n > 0 && f.type == SLOTSVC_T_PACKET);
	}
	/* Verdict 1 is good, 2 names a packet never sent: nothing goes out
	 * but the failure policy for all three. */
	sd_vframe_init(&vf, frame, sizeof(frame));
	v = cont;
	v.id = 1;
	sd_vframe_add(&vf, &v);
	v.id = 77;
	v.verdict = SD_V_DROP;
	sd_vframe_add(&vf, &v);
	len = sd_vframe_end(&vf);
	CHECK(svc_rejected(fd, frame, len,
			   "VERDICT: entry 1: packet 77 is not in flight"));
	CHECK(WAIT(fk.n_v == 3));
	CHECK_INT(verdict_of(1), SD_V_CONTINUE);
	CHECK_INT(verdict_of(2), SD_V_CONTINUE);
	CHECK_INT(verdict_of(3), SD_V_CONTINUE);
	CHECK_INT(sd_daemon_find(&sd, "m1")->stats.failed, 3);

	/* Reconnected: a packet answered twice in one frame. */
	fd = svc_connect(lfd, 1);
	CHECK(fake_hold(&fk, "m1", 10, "p") == 0);
	do {
		n = svc_recv(fd, sbuf);
	} while (n > 0 && !sd_frame_decode(sbuf, n, SD_SIDE_SLOTD, &f) &&
		 f.type != SLOTSVC_T_PACKET);
	sd_vframe_init(&vf, frame, sizeof(frame));
	v = cont;
	v.id = 10;
	v.verdict = SD_V_DROP;
	sd_vframe_add(&vf, &v);
	sd_vframe_add(&vf, &v);
	len = sd_vframe_end(&vf);
	CHECK(svc_rejected(fd, frame, len,
			   "VERDICT: entry 1: packet 10 is not in flight"));
	CHECK(WAIT(fake_verdict(&fk, 10)));
	CHECK_INT(verdict_of(10), SD_V_CONTINUE);	/* not the drop */

	/* A decoder rejection, a second HELLO_REPLY, a wrong PONG. */
	fd = svc_connect(lfd, 1);
	len = sd_frame_ping(frame, sizeof(frame), SLOTSVC_T_PONG, 1);
	frame[2] = 1;
	CHECK(svc_rejected(fd, frame, len, "PONG: unknown header flags 0x1"));
	fd = svc_connect(lfd, 1);
	len = sd_frame_hello_reply(frame, sizeof(frame), 1, 0, "again");
	CHECK(svc_rejected(fd, frame, len, "a second HELLO_REPLY"));

	/* Two connections of two services: one is closed, the other not. */
	fd = svc_connect(lfd, 1);
	snprintf(conf, sizeof(conf),
		 "service m1 unix:%s probe-interval=20 probe-timeout=3000\n"
		 "service m2 unix:%s probe-interval=20 probe-timeout=3000\n",
		 sock_path, sock_path);
	reload(conf);
	fd2 = svc_connect(lfd, 1);
	CHECK(WAIT(strstr(fk.health, "m2:up")));
	CHECK(svc_rejected(fd, "\x04\0\0\0\x08\0\0", 7,
			   "frame of 7 bytes is shorter than its header"));
	/* m2 still answers PINGs and takes packets. */
	CHECK(fake_hold(&fk, "m2", 20, "p") == 0);
	do {
		n = svc_recv(fd2, sbuf);
		if (n > 0 && !sd_frame_decode(sbuf, n, SD_SIDE_SLOTD, &f) &&
		    f.type == SLOTSVC_T_PING) {
			len = sd_frame_ping(frame, sizeof(frame),
					    SLOTSVC_T_PONG, f.u.cookie);
			CHECK(send(fd2, frame, len, 0) == (ssize_t)len);
		}
	} while (n > 0 && f.type != SLOTSVC_T_PACKET);
	CHECK(n > 0 && f.u.packet.id == 20);
	sd_vframe_init(&vf, frame, sizeof(frame));
	v = cont;
	v.id = 20;
	v.verdict = SD_V_CONTINUE_FLOW;
	v.repl = rewritten;
	v.repl_len = sizeof(rewritten);
	sd_vframe_add(&vf, &v);
	len = sd_vframe_end(&vf);
	CHECK(send(fd2, frame, len, 0) == (ssize_t)len);
	CHECK(WAIT(fake_verdict(&fk, 20)));
	CHECK_INT(verdict_of(20), SD_V_CONTINUE_FLOW);
	CHECK(fake_verdict(&fk, 20) &&
	      !memcmp(fake_verdict(&fk, 20)->repl, rewritten,
		      sizeof(rewritten)));
	/* A PONG with another cookie. */
	do {
		n = svc_recv(fd2, sbuf);
	} while (n > 0 && !sd_frame_decode(sbuf, n, SD_SIDE_SLOTD, &f) &&
		 f.type != SLOTSVC_T_PING);
	len = sd_frame_ping(frame, sizeof(frame), SLOTSVC_T_PONG,
			    f.u.cookie + 1);
	snprintf(conf, sizeof(conf), "PONG cookie %llu, want %llu",
		 (unsigned long long)f.u.cookie + 1,
		 (unsigned long long)f.u.cookie);
	CHECK(svc_rejected(fd2, frame, len, conf));
	CHECK(sd_daemon_find(&sd, "m2")->stats.closed == 1);
	sd_daemon_fini(&sd);
	fake_fini(&fk);
	close(lfd);
	unlink(sock_path);
	log = log_end();
	CHECK(has(log, "service m1: closing the connection to /tmp/sdbad."));
	CHECK(has(log, ".sock: VERDICT: entry 1: packet 77 is not in flight\n"));
	free(log);
}

TEST(slotd_e2e_probe_timeouts)
{
	uint8_t frame[64];
	struct sd_frame f;
	char conf[256], *log;
	int lfd, fd;
	size_t len;
	ssize_t n;

	snprintf(sock_path, sizeof(sock_path), "/tmp/sdprobe.%d.sock",
		 getpid());
	lfd = svc_listen(sock_path);
	CHECK(lfd >= 0);
	log_begin();
	fake_init(&fk, 1 << 16);
	snprintf(conf, sizeof(conf),
		 "service p unix:%s probe-interval=20 probe-timeout=100\n",
		 sock_path);
	start(conf);

	/* No HELLO_REPLY: slotd gives up on the connection and comes back. */
	fd = svc_connect(lfd, 0);
	CHECK(fd >= 0);
	do {
		n = svc_recv(fd, sbuf);
	} while (n > 0 && (sd_frame_decode(sbuf, n, SD_SIDE_SLOTD, &f) ||
			   f.type != SLOTSVC_T_CLOSE));
	CHECK(n > 0 && !strcmp(f.u.msg, "no HELLO_REPLY within 100 ms"));
	close(fd);

	/* Up, then silent: failing while the PONG is late, up when it comes. */
	fd = svc_connect(lfd, 1);
	CHECK(WAIT(strstr(fk.health, "p:up")));
	do {
		n = svc_recv(fd, sbuf);
	} while (n > 0 && (sd_frame_decode(sbuf, n, SD_SIDE_SLOTD, &f) ||
			   f.type != SLOTSVC_T_PING));
	CHECK(n > 0 && f.type == SLOTSVC_T_PING);
	CHECK(WAIT(strstr(strstr(fk.health, "p:up") ?: "", "p:failing")));
	/* Packets for a failing service get its policy at once. */
	CHECK(fake_hold(&fk, "p", 7, "x") == 0);
	CHECK(WAIT(fake_verdict(&fk, 7)));
	CHECK_INT(verdict_of(7), SD_V_CONTINUE);
	len = sd_frame_ping(frame, sizeof(frame), SLOTSVC_T_PONG, f.u.cookie);
	CHECK(send(fd, frame, len, 0) == (ssize_t)len);
	CHECK(WAIT(occurrences(fk.health, "p:up") == 2));
	CHECK_STR(fk.health, "p:failing p:up p:failing p:up");
	sd_daemon_fini(&sd);
	fake_fini(&fk);
	close(fd);
	close(lfd);
	unlink(sock_path);
	log = log_end();
	CHECK(has(log, "service p: failing: no HELLO_REPLY within 100 ms\n"));
	CHECK(has(log, "service p: failing: no PONG for "));
	CHECK(has(log, "service p: up: answered a PING\n"));
	free(log);
}

/*
 * Reasons go to the kernel with the health they explain, again on a new
 * bind; alerts go out on the service's channel, and not without one.
 */
TEST(slotd_e2e_health_reasons_and_alerts)
{
	static char big[SD_ALERT_MAX + 1];
	struct sd_service *h, *a;
	char *log;

	log_begin();
	fake_init(&fk, 1 << 16);
	fk.refuse = "ghost";
	start("probe-interval 20\n"
	      "service a builtin:noop\n"
	      "service ghost builtin:noop\n"
	      "service h builtin:hang health=failing\n");
	CHECK(WAIT(strstr(fk.health, "h:failing")));
	CHECK_STR(fk.why, "h:configured with health=failing\n");
	a = sd_daemon_find(&sd, "a");
	h = sd_daemon_find(&sd, "h");
	CHECK(a && h);
	if (!a || !h)
		goto out;

	CHECK_INT(sd_service_alert(a, "{\"sig\":1}"), 0);
	CHECK_INT(sd_service_alert(h, "{\"sig\":2}"), 0);
	CHECK_INT(sd_service_alert(sd_daemon_find(&sd, "ghost"), "{}"),
		  -ENOTCONN);
	CHECK_INT(sd_service_alert(a, ""), -EINVAL);
	memset(big, 'x', SD_ALERT_MAX);
	CHECK_INT(sd_service_alert(a, big), -EINVAL);
	CHECK_STR(fk.alerts, "a {\"sig\":1}\nh {\"sig\":2}\n");
	big[SD_ALERT_MAX - 1] = '\0';			/* the longest */
	CHECK_INT(sd_service_alert(a, big), 0);
	CHECK_INT(strlen(fk.alerts), 2 * 12 + 2 + SD_ALERT_MAX - 1 + 1);

	/* The health and its reason as the kind says them. */
	sd_service_health(a, false, "probe timeout");
	sd_service_health(a, false, "again");		/* no change: not sent */
	sd_service_health(a, true, NULL);
	CHECK_STR(fk.health, "h:failing a:failing a:up");
	CHECK_STR(fk.why, "h:configured with health=failing\n"
			  "a:probe timeout\n");
out:
	sd_daemon_fini(&sd);
	fake_fini(&fk);
	log = log_end();
	CHECK(has(log, "service a: failing: probe timeout\n"));
	free(log);
}

/* A kind's sd_service_quarantine(): tag, extend, release, and refusals. */
TEST(slotd_e2e_quarantine)
{
	struct sd_packet in = {
		.id = 1, .ifindex = 7, .ifname = "veth7", .service = "q",
		.dir = SLOTSVC_DIR_INGRESS,
	};
	struct sd_packet out = in;
	struct sd_service *q;
	char *log;

	log_begin();
	fake_init(&fk, 1 << 16);
	start("service q builtin:noop\n");
	q = sd_daemon_find(&sd, "q");
	CHECK(q != NULL);
	if (!q)
		goto out;

	/* Only the sender of an ingress packet is the attacker. */
	out.dir = SLOTSVC_DIR_EGRESS;
	CHECK_INT(sd_service_quarantine(q, &out, 1, "no"), -EINVAL);
	CHECK_STR(fk.tags, "");

	CHECK_INT(sd_service_quarantine(q, &in, 1, "sid 7: evil"), 0);
	CHECK_INT(sd_service_quarantine(q, &in, 1, "again"), 0); /* no later */
	CHECK_INT(sd_service_quarantine(q, &in, 2, "longer"), 0);
	CHECK_STR(fk.tags, "tag 7 quarantine\n");
	CHECK(WAIT(strstr(fk.tags, "untag")));
	CHECK_STR(fk.tags, "tag 7 quarantine\nuntag 7 quarantine\n");
	CHECK_STR(fk.alerts,
		  "q {\"event_type\":\"quarantine\",\"action\":\"tagged\",\"port\":\"veth7\",\"ifindex\":7,\"ttl\":1,\"reason\":\"sid 7: evil\"}\n"
		  "q {\"event_type\":\"quarantine\",\"action\":\"extended\",\"port\":\"veth7\",\"ifindex\":7,\"ttl\":2,\"reason\":\"longer\"}\n"
		  "q {\"event_type\":\"quarantine\",\"action\":\"released\",\"port\":\"veth7\",\"ifindex\":7,\"ttl\":0}\n");

	/* Tagged by hand already: taken as ours; untagged by hand: "gone". */
	fk.tags[0] = fk.alerts[0] = '\0';
	fk.tag_err = -EEXIST;
	CHECK_INT(sd_service_quarantine(q, &in, 1, "x"), 0);
	fk.tag_err = -ENOENT;
	CHECK(WAIT(strstr(fk.tags, "untag")));
	CHECK(strstr(fk.alerts, "\"action\":\"gone\"") != NULL);

	/* The kernel refuses: nothing is kept, the error is logged. */
	fk.tags[0] = '\0';
	fk.tag_err = -EPERM;
	CHECK_INT(sd_service_quarantine(q, &in, 0, "x"), -EPERM);
	fk.tag_err = 0;
	/* TTL 0: kept until untagged by hand, never released by slotd. */
	CHECK_INT(sd_service_quarantine(q, &in, 0, "forever"), 0);
	CHECK_INT(sd_service_quarantine(q, &in, 5, "shorter"), 0);
	sd_daemon_step(&sd, 5);
	CHECK_STR(fk.tags, "tag 7 quarantine\ntag 7 quarantine\n");
out:
	sd_daemon_fini(&sd);
	fake_fini(&fk);
	log = log_end();
	CHECK(has(log, "quarantine: port veth7 (ifindex 7) tagged: sid 7: evil\n"));
	CHECK(has(log, "quarantine: cannot tag port veth7 (ifindex 7): fake: Operation not permitted\n"));
	CHECK(has(log, "quarantine: port veth7 (ifindex 7) gone: fake: No such file or directory\n"));
	free(log);
}

/* Receive frames until a PACKET (answering PINGs); its id, or 0. */
static uint64_t svc_packet(int fd)
{
	struct sd_frame f;
	size_t len;
	ssize_t n;

	for (;;) {
		n = svc_recv(fd, sbuf);
		if (n <= 0 || sd_frame_decode(sbuf, n, SD_SIDE_SLOTD, &f))
			return 0;
		if (f.type == SLOTSVC_T_PACKET)
			return f.u.packet.id;
		if (f.type != SLOTSVC_T_PING)
			continue;
		len = sd_frame_ping(sbuf, sizeof(sbuf), SLOTSVC_T_PONG,
				    f.u.cookie);
		if (send(fd, sbuf, len, 0) != (ssize_t)len)
			return 0;
	}
}

/* Answer packets @first .. @last in one VERDICT frame: continue. */
static bool svc_answer(int fd, uint64_t first, uint64_t last)
{
	static uint8_t frame[SLOTSVC_FRAME_MAX];
	struct sd_verdict v = { 0, SD_V_CONTINUE, NULL, 0 };
	struct sd_vframe vf;
	size_t len;

	sd_vframe_init(&vf, frame, sizeof(frame));
	for (v.id = first; v.id <= last; v.id++)
		sd_vframe_add(&vf, &v);
	len = sd_vframe_end(&vf);
	return send(fd, frame, len, 0) == (ssize_t)len;
}

static bool svc_send(int fd, const void *frame, size_t len)
{
	return len && send(fd, frame, len, 0) == (ssize_t)len;
}

/* Hold packet @id for "x" on port @ifindex ("vethN"), in @dir. */
static int hold_on(uint64_t id, uint32_t ifindex, uint8_t dir)
{
	char ifname[16];
	struct sd_packet p = {
		.id = id, .ifindex = ifindex, .ifname = ifname, .dir = dir,
		.service = "x", .l3proto = 0x0800, .slot = 4,
		.data = (const uint8_t *)"p", .len = 1, .orig_len = 1,
	};
	int err;

	snprintf(ifname, sizeof(ifname), "veth%u", ifindex);
	while ((err = fake_hold_packet(&fk, &p)) == -EAGAIN)
		sd_daemon_step(&sd, 1);
	return err;
}

/*
 * A version 2 service's ALERT and QUARANTINE: the alert reaches the
 * kernel as the service's; a quarantine tags the port of the packet it
 * names, in flight or among the last SLOTSVC_ANSWERED_KEPT answered,
 * and is refused (logged, the connection stays) for an egress packet or
 * an id slotd does not know. A malformed one, or either on a version 1
 * connection, closes the connection.
 */
TEST(slotd_e2e_alert_and_quarantine)
{
	uint8_t frame[512];
	char conf[256], *log;
	uint64_t id, base;
	int lfd, fd, i;
	bool ok = true;
	size_t len;

	snprintf(sock_path, sizeof(sock_path), "/tmp/sdq.%d.sock", getpid());
	lfd = svc_listen(sock_path);
	CHECK(lfd >= 0);
	log_begin();
	fake_init(&fk, 1 << 16);
	snprintf(conf, sizeof(conf),
		 "service x unix:%s probe-interval=20 probe-timeout=3000\n",
		 sock_path);
	start(conf);
	fd = svc_connect(lfd, 2);
	CHECK(WAIT(strstr(fk.health, "x:up")));
	CHECK_INT(hold_on(1, 5, SLOTSVC_DIR_INGRESS), 0);
	CHECK_INT(hold_on(2, 6, SLOTSVC_DIR_EGRESS), 0);
	CHECK_INT(hold_on(3, 7, SLOTSVC_DIR_INGRESS), 0);
	for (i = 1; i <= 3; i++)
		ok &= svc_packet(fd) == (uint64_t)i;
	CHECK(ok);

	/* The alert goes to the kernel as x's. */
	CHECK(svc_send(fd, frame, sd_frame_alert(frame, sizeof(frame),
						 "{\"sig\":1}")));
	CHECK(WAIT(fk.alerts[0]));
	CHECK_STR(fk.alerts, "x {\"sig\":1}\n");
	fk.alerts[0] = '\0';

	/* Packet 1, in flight: its port 5 is tagged. */
	CHECK(svc_send(fd, frame, sd_frame_quarantine(frame, sizeof(frame), 1,
						      60, "sid 1: evil")));
	CHECK(WAIT(fk.tags[0]));
	CHECK_STR(fk.tags, "tag 5 quarantine\n");
	CHECK_STR(fk.alerts, "x {\"event_type\":\"quarantine\",\"action\":\"tagged\",\"port\":\"veth5\",\"ifindex\":5,\"ttl\":60,\"reason\":\"sid 1: evil\"}\n");
	/* Egress packet 2 and unknown packet 99: refused, still connected. */
	CHECK(svc_send(fd, frame, sd_frame_quarantine(frame, sizeof(frame), 2,
						      60, "egress")));
	CHECK(svc_send(fd, frame, sd_frame_quarantine(frame, sizeof(frame),
						      99, 60, "unknown")));
	/* Packet 3 after its verdict, no end, no reason: port 7. */
	CHECK(svc_answer(fd, 3, 3));
	CHECK(WAIT(fake_verdict(&fk, 3)));
	CHECK(svc_send(fd, frame, sd_frame_quarantine(frame, sizeof(frame), 3,
						      0, "")));
	CHECK(WAIT(strstr(fk.tags, "tag 7")));
	CHECK_STR(fk.tags, "tag 5 quarantine\ntag 7 quarantine\n");
	CHECK(strstr(fk.alerts, "x {\"event_type\":\"quarantine\",\"action\":\"tagged\",\"port\":\"veth7\",\"ifindex\":7,\"ttl\":0}\n") != NULL);
	CHECK(svc_answer(fd, 1, 2));
	CHECK(WAIT(fake_verdict(&fk, 1) && fake_verdict(&fk, 2)));
	CHECK_INT(verdict_of(1), SD_V_CONTINUE);
	CHECK_INT(sd_daemon_find(&sd, "x")->stats.failed, 0);

	/*
	 * The last SLOTSVC_ANSWERED_KEPT answered stay known: answer 1025
	 * packets of port 8 after 3; the first of them is forgotten, the
	 * second is not.
	 */
	base = 1000;
	for (id = base; id < base + SLOTSVC_ANSWERED_KEPT + 1; id += 64) {
		uint64_t last = id + 63 < base + SLOTSVC_ANSWERED_KEPT ?
				id + 63 : base + SLOTSVC_ANSWERED_KEPT;
		uint64_t j;

		for (j = id; j <= last; j++)
			ok &= hold_on(j, 8, SLOTSVC_DIR_INGRESS) == 0;
		for (j = id; j <= last; j++)
			ok &= svc_packet(fd) == j;
		ok &= svc_answer(fd, id, last);
	}
	CHECK(ok);
	CHECK(WAIT(fake_verdict(&fk, base + SLOTSVC_ANSWERED_KEPT)));
	CHECK(svc_send(fd, frame, sd_frame_quarantine(frame, sizeof(frame),
						      base, 60, "too late")));
	CHECK(svc_send(fd, frame, sd_frame_quarantine(frame, sizeof(frame),
						      base + 1, 60, "in time")));
	CHECK(WAIT(strstr(fk.tags, "tag 8")));
	CHECK_STR(fk.tags, "tag 5 quarantine\ntag 7 quarantine\ntag 8 quarantine\n");
	CHECK_INT(sd_daemon_find(&sd, "x")->stats.closed, 0);
	CHECK(!strstr(fk.health, "x:failing"));

	/* Malformed: the connection closes, what it held gets the policy. */
	CHECK_INT(hold_on(50, 5, SLOTSVC_DIR_INGRESS), 0);
	CHECK(svc_packet(fd) == 50);
	len = sd_frame_alert(frame, sizeof(frame), "{}");
	frame[len - 2] = '\n';
	CHECK(svc_rejected(fd, frame, len, "ALERT: the text holds a newline"));
	CHECK(WAIT(fake_verdict(&fk, 50)));
	fd = svc_connect(lfd, 2);
	len = sd_frame_quarantine(frame, sizeof(frame), 1, 60, "x");
	memcpy(frame + offsetof(struct slotsvc_quarantine, ttl),
	       &(uint32_t){ SLOTSVC_TTL_MAX + 1 }, 4);
	CHECK(svc_rejected(fd, frame, len,
			   "QUARANTINE: ttl 31536001, at most 31536000"));
	/* Version 1 has neither frame. */
	fd = svc_connect(lfd, 1);
	CHECK(svc_rejected(fd, frame, sd_frame_alert(frame, sizeof(frame), "{}"),
			   "ALERT on a version 1 connection (needs 2)"));
	fd = svc_connect(lfd, 1);
	CHECK(svc_rejected(fd, frame,
			   sd_frame_quarantine(frame, sizeof(frame), 1, 1, ""),
			   "QUARANTINE on a version 1 connection (needs 2)"));
	sd_daemon_fini(&sd);
	fake_fini(&fk);
	close(lfd);
	unlink(sock_path);
	log = log_end();
	CHECK(has(log, "quarantine: port veth5 (ifindex 5) tagged: sid 1: evil\n"));
	CHECK(has(log, "service x: QUARANTINE of packet 2 refused: an egress packet: only what a port sent makes it the attacker\n"));
	CHECK(has(log, "service x: QUARANTINE of packet 99 refused: not in flight, nor answered lately, on this connection\n"));
	CHECK(has(log, "quarantine: port veth7 (ifindex 7) tagged\n"));
	CHECK(has(log, "service x: QUARANTINE of packet 1000 refused: not in flight, nor answered lately, on this connection\n"));
	CHECK(has(log, "quarantine: port veth8 (ifindex 8) tagged: in time\n"));
	CHECK_INT(occurrences(log, "refused"), 3);
	free(log);
}

/* ALERTs while slotd is not bound to the service: dropped, logged once. */
TEST(slotd_e2e_alert_unbound)
{
	uint8_t frame[64];
	char conf[256], *log;
	int lfd, fd, i;
	size_t len;

	snprintf(sock_path, sizeof(sock_path), "/tmp/sdqa.%d.sock", getpid());
	lfd = svc_listen(sock_path);
	CHECK(lfd >= 0);
	log_begin();
	fake_init(&fk, 1 << 16);
	fk.refuse = "u";
	snprintf(conf, sizeof(conf),
		 "service u unix:%s probe-interval=20 probe-timeout=3000\n",
		 sock_path);
	start(conf);
	fd = svc_connect(lfd, 2);
	len = sd_frame_alert(frame, sizeof(frame), "{}");
	for (i = 0; i < 3; i++)
		CHECK(svc_send(fd, frame, len));
	for (i = 0; i < 10; i++)
		sd_daemon_step(&sd, 5);
	CHECK_STR(fk.alerts, "");
	CHECK_INT(sd_daemon_find(&sd, "u")->stats.closed, 0);
	sd_daemon_fini(&sd);
	fake_fini(&fk);
	close(fd);
	close(lfd);
	unlink(sock_path);
	log = log_end();
	CHECK(has(log, "service u: an ALERT was not sent to the kernel: Transport endpoint is not connected (1 so far)\n"));
	CHECK_INT(occurrences(log, "an ALERT was not sent"), 1);
	free(log);
}
