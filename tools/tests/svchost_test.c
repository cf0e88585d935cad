// SPDX-License-Identifier: GPL-2.0
/*
 * svchost_test.c - slotsvc-host serving a built-in kind as an external
 * service: slotd's daemon (in this process, against the fake kernel)
 * connects to it over a real UNIX socket. The ips kind: a signature
 * dropped, a clean packet continued, reject, alerts in ALERT frames to
 * slotd and on to the (fake) kernel, SIGHUP rereading the rules, SIGTERM;
 * quarantine=SECONDS in QUARANTINE frames, the fake kernel seeing the
 * tag; another kind (noop) the same way; bad options reported on stderr.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../slotd/daemon.h"
#include "ips_pkt.h"
#include "slotd_fake.h"
#include "test.h"

static struct fake_kernel fk;
static struct slotd sd;
static char dir[] = "/tmp/svchost.XXXXXX";
static char sock[64], rules[64], out[64], err[64], log[64];
static uint64_t next_id;
static int saved_stderr = -1;

#define WAIT(cond) FAKE_WAIT(&sd, cond)

static unsigned int count_in(const char *path, const char *s)
{
	char *text = fx_read_file(path), *p = text;
	unsigned int n = 0;

	while ((p = strstr(p, s))) {
		n++;
		p++;
	}
	free(text);
	return n;
}

/* slotsvc-host with @argv after its name; stdout, stderr to files. */
static pid_t spawn(char *const *args)
{
	pid_t pid = fork();

	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(o, 1);
		dup2(e, 2);
		execv(SVCHOST_BIN, args);
		_exit(127);
	}
	return pid;
}

static bool wait_sock(void)
{
	struct stat st;
	int i;

	for (i = 0; i < 300 && stat(sock, &st); i++)
		usleep(10000);
	return i < 300;
}

static void start_slotd(void)
{
	struct sd_conf conf;
	char text[256];

	snprintf(text, sizeof(text),
		 "service ext unix:%s probe-interval=20 probe-timeout=2000\n",
		 sock);
	fflush(stderr);
	saved_stderr = dup(2);
	close(2);
	open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);	/* slotd's log */
	fake_init(&fk, 1 << 16);
	CHECK_INT(sd_daemon_init(&sd, &fk.ops), 0);
	sd_conf_init(&conf);
	sd_conf_parse(&conf, "t.conf", text);
	CHECK_INT(sd_conf_finish(&conf), 0);
	sd_daemon_apply(&sd, &conf);
}

static int verdict(uint64_t id)
{
	const struct fake_verdict *v;

	WAIT(fake_verdict(&fk, id));
	v = fake_verdict(&fk, id);
	return v ? v->verdict : -1;
}

/* Hold one client-to-server packet (@flow 0: none) for "ext". */
static uint64_t hold(uint64_t flow, bool v6, const char *payload)
{
	static uint8_t b[PKT_MAX];
	struct sd_packet p = {
		.id = ++next_id, .flow_id = flow, .ifindex = 5, .rule_id = 1,
		.generation = 1, .l3proto = v6 ? 0x86dd : 0x0800, .slot = 4,
		.dir = SLOTSVC_DIR_INGRESS, .ifname = "veth0",
		.service = "ext", .data = b,
	};

	p.len = v6 ? pkt6_udp(b, "2001:db8::1", 5353, "2001:db8::2", 53,
			      payload) :
		     pkt4_tcp(b, "10.0.0.1", 40000, "10.0.0.2", 80, 1001, 0x18,
			      payload);
	p.orig_len = p.len;
	CHECK_INT(fake_hold_packet(&fk, &p), 0);
	return p.id;
}

static void stop_slotd(void)
{
	sd_daemon_fini(&sd);
	fake_fini(&fk);
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
}

static void paths(void)
{
	static bool made;

	/* Once: the name mkdtemp() made may hold an 'X' anywhere. */
	if (!made)
		CHECK((made = mkdtemp(dir) != NULL));
	snprintf(sock, sizeof(sock), "%s/ips.sock", dir);
	snprintf(rules, sizeof(rules), "%s/ips.rules", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(err, sizeof(err), "%s/err", dir);
	snprintf(log, sizeof(log), "%s/slotd.log", dir);
}

static void cleanup(void)
{
	unlink(sock);
	unlink(rules);
	unlink(out);
	unlink(err);
	unlink(log);
}

TEST(svchost_ips_over_the_socket)
{
	char rules_opt[80];
	char *args[] = { "slotsvc-host", "-n", "ips-ext", "-l", sock, "-k",
			 "ips", rules_opt, "mode=prevent", NULL };
	char *text;
	int status = -1;
	pid_t pid;

	paths();
	snprintf(rules_opt, sizeof(rules_opt), "rules=%s", rules);
	fx_write_file(rules, "drop tcp any any -> any 80 (msg:\"evil\"; "
		   "content:\"EVILSTRING\"; sid:1;)\n"
		   "reject udp any any -> any 53 (msg:\"bad name\"; "
		   "content:\"badname\"; sid:2;)\n"
		   "broken rule\n");
	pid = spawn(args);
	CHECK(wait_sock());
	next_id = 0;
	start_slotd();
	CHECK(WAIT(strstr(fk.health, "ext:up")));
	CHECK_INT(verdict(hold(0, false, "GET / HTTP/1.0\r\n\r\n")),
		  SD_V_CONTINUE);
	CHECK_INT(verdict(hold(0, false, "GET /?EVILSTRING HTTP/1.0\r\n\r\n")),
		  SD_V_DROP);
	CHECK_INT(verdict(hold(7, false, "GET /?EVILSTRING HTTP/1.0\r\n\r\n")),
		  SD_V_DROP_FLOW);
	CHECK_INT(verdict(hold(0, true, "\x01\x02 badname")), SD_V_REJECT);
	CHECK_INT(verdict(hold(0, true, "\x01\x02 goodname")), SD_V_CONTINUE);
	CHECK_INT(sd_daemon_find(&sd, "ext")->stats.failed, 0);

	/* SIGHUP: the rules file is read again. */
	fx_write_file(rules, "drop tcp any any -> any 80 (msg:\"new\"; "
		   "content:\"NEWSIG\"; sid:3;)\n");
	kill(pid, SIGHUP);
	CHECK(WAIT(count_in(err, "rules loaded") == 2));
	CHECK_INT(verdict(hold(0, false, "GET /NEWSIG HTTP/1.0\r\n\r\n")),
		  SD_V_DROP);
	CHECK_INT(verdict(hold(0, false, "GET /?EVILSTRING HTTP/1.0\r\n\r\n")),
		  SD_V_CONTINUE);

	/* SIGTERM: it exits 0 and takes its socket away; slotd sees it go. */
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(access(sock, F_OK) != 0);
	CHECK(WAIT(strstr(fk.health, "ext:failing")));
	stop_slotd();

	/* The alerts: one EVE line each, through slotd, in order. */
	text = fx_read_file(out);
	CHECK_STR(text, "");
	free(text);
	CHECK(python_ok(fk.alerts, "import json,sys\n"
			"l=[x.split(' ',1) for x in sys.stdin]\n"
			"assert set(s for s,_ in l)=={'ext'}, l\n"
			"l=[json.loads(x) for _,x in l]\n"
			"assert [(e['alert']['signature_id'],e['alert']['action'])"
			" for e in l]==[(1,'blocked'),(1,'blocked'),(2,'blocked'),"
			"(3,'blocked')], l\n"
			"assert l[1]['flow_id']==7 and l[0]['flow_id']==0\n"
			"assert l[2]['proto']=='UDP'\n"
			"assert l[0]['slotfilter']=={'port':'veth0',"
			"'direction':'ingress','slot':4,'service':'ext'}\n"));
	text = fx_read_file(err);
	CHECK(strstr(text, "ips.rules:3: no '(' before the options\n") != NULL);
	CHECK(strstr(text, "slotsvc-host: service ips-ext: ips listening on ") != NULL);
	CHECK(strstr(text, "slotsvc-host: connection ") &&
	      strstr(text, ": slotd serves service ext here (version 2)\n"));
	CHECK(strstr(text, "slotsvc-host: SIGHUP: reloading service ips-ext\n") != NULL);
	CHECK(strstr(text, "slotsvc-host: service ips-ext: packets 7, answered 7\n") != NULL);
	if (!strstr(text, "packets 7, answered 7"))
		printf("  stderr: %s\n", text);
	free(text);
	text = fx_read_file(log);
	CHECK(strstr(text, "slotd: service ext: connected to \"ips-ext\" at ") != NULL);
	free(text);
	cleanup();
}

/*
 * quarantine=SECONDS: the ips under slotsvc-host quarantines the sender
 * of a blocked packet; slotd tags its port in the (fake) kernel and says
 * so to the monitor, after the ips's EVE line.
 */
TEST(svchost_ips_quarantine)
{
	char rules_opt[80];
	char *args[] = { "slotsvc-host", "-l", sock, "-k", "ips", rules_opt,
			 "mode=prevent", "quarantine=30", NULL };
	char *text;
	int status = -1;
	pid_t pid;

	paths();
	snprintf(rules_opt, sizeof(rules_opt), "rules=%s", rules);
	fx_write_file(rules, "drop tcp any any -> any 80 (msg:\"evil\"; "
		   "content:\"EVILSTRING\"; sid:1;)\n"
		   "alert tcp any any -> any 80 (msg:\"seen\"; "
		   "content:\"LOOK\"; sid:2;)\n");
	pid = spawn(args);
	CHECK(wait_sock());
	next_id = 0;
	start_slotd();
	CHECK(WAIT(strstr(fk.health, "ext:up")));
	/* An alert alone quarantines nothing. */
	CHECK_INT(verdict(hold(0, false, "GET /LOOK HTTP/1.0\r\n\r\n")),
		  SD_V_CONTINUE);
	CHECK(WAIT(strstr(fk.alerts, "\"signature_id\":2")));
	CHECK_STR(fk.tags, "");
	CHECK_INT(verdict(hold(0, false, "GET /?EVILSTRING HTTP/1.0\r\n\r\n")),
		  SD_V_DROP);
	CHECK(WAIT(fk.tags[0]));
	CHECK_STR(fk.tags, "tag 5 quarantine\n");
	CHECK(WAIT(strstr(fk.alerts, "\"event_type\":\"quarantine\"")));
	CHECK(python_ok(fk.alerts, "import json,sys\n"
			"l=[x.split(' ',1) for x in sys.stdin]\n"
			"assert set(s for s,_ in l)=={'ext'}, l\n"
			"l=[json.loads(x) for _,x in l]\n"
			"assert [e['event_type'] for e in l]==['alert','alert',"
			"'quarantine'], l\n"
			"assert l[1]['alert']['signature_id']==1, l\n"
			"assert l[2]=={'event_type':'quarantine','action':"
			"'tagged','port':'veth0','ifindex':5,'ttl':30,"
			"'reason':'sid 1: evil'}, l\n"));
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	stop_slotd();
	text = fx_read_file(log);
	CHECK(strstr(text, "slotd: quarantine: port veth0 (ifindex 5) tagged: sid 1: evil\n") != NULL);
	CHECK(!strstr(text, "refused"));
	free(text);
	text = fx_read_file(err);
	CHECK(!strstr(text, "cannot quarantine"));
	free(text);
	cleanup();
}

/* Any kind: noop with its option, and options checked as slotd does. */
TEST(svchost_any_kind_and_bad_options)
{
	char *noop[] = { "slotsvc-host", "-l", sock, "-k", "noop",
			 "verdict=continue-flow", NULL };
	char *bad[] = { "slotsvc-host", "-l", sock, "-k", "ips",
			"rules=relative", "mode=block", "colour=red", NULL };
	char *nokind[] = { "slotsvc-host", "-l", sock, "-k", "unix", NULL };
	int status = -1;
	char *text;
	pid_t pid;

	paths();
	pid = spawn(noop);
	CHECK(wait_sock());
	next_id = 0;
	start_slotd();
	CHECK(WAIT(strstr(fk.health, "ext:up")));
	CHECK_INT(verdict(hold(3, false, "anything")), SD_V_CONTINUE_FLOW);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	stop_slotd();

	pid = spawn(bad);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
	text = fx_read_file(err);
	CHECK_STR(text, "slotsvc-host: rules 'relative': want an absolute path\n"
		  "slotsvc-host: mode 'block': want detect or prevent\n"
		  "slotsvc-host: unknown option 'colour'\n");
	free(text);
	pid = spawn(nokind);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
	text = fx_read_file(err);
	CHECK_STR(text, "slotsvc-host: unknown built-in kind 'unix'\n");
	free(text);
	CHECK(access(sock, F_OK) != 0);
	cleanup();
	rmdir(dir);
}
