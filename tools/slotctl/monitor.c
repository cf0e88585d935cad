// SPDX-License-Identifier: GPL-2.0
/*
 * monitor.c - slotctl monitor: the firewall's log events as they come
 *
 * SYNOPSIS
 *	slotctl [-j [-p]] monitor [--count N]
 *
 * Subscribes to the family's "events" multicast group and prints every
 * SLOTFILTER_CMD_FW_LOG event (a packet judged by a rule with "log"),
 * until Ctrl-C or SIGTERM (exit status 0), or after N events.
 *
 * TEXT OUTPUT: one line per event
 *
 *	ACTION rule ID PROTO SRC[:PORT] -> DST[:PORT] dev IFNAME DIR [suppressed N]
 *
 * with the packet's endpoints and direction as "fw flows" prints them;
 * "suppressed N" says that the kernel's rate limit (100 events a second,
 * bursts of 200) dropped N events before this one.
 *
 * JSON (-j): one object per line, the keys of "fw flows" and
 *
 *	{"action":"drop","rule":10,...,"suppressed":0}
 *
 * If slotctl falls behind and the socket overflows, it says so on stderr
 * ("warning: events lost") and goes on.
 */
#define _GNU_SOURCE		/* ppoll() */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "attr.h"
#include "fwmsg.h"
#include "names.h"
#include "print.h"
#include "slotctl.h"

#define MONITOR_RCVBUF	(1 << 20)

void monitor_usage(FILE *fp)
{
	fputs("Usage: slotctl [ -j [ -p ] ] monitor [ --count N ]\n", fp);
}

void event_print(const struct sf_flow *ev)
{
	open_json_object(NULL);
	print_string(PRINT_ANY, "action", "%s", sf_action_name(ev->action));
	print_uint(PRINT_ANY, "rule", " rule %u ", ev->rule_id);
	tuple_print(ev);
	dev_print(ev->ifindex);
	print_string(PRINT_ANY, "dir", " %s", sf_dir_name(ev->dir));
	print_uint(PRINT_JSON, "suppressed", NULL, ev->suppressed);
	if (ev->suppressed)
		print_uint(PRINT_FP, NULL, " suppressed %u", ev->suppressed);
	print_nl();
	close_json_object();
}

/* One message from the group: FW_LOG events are printed, others not. */
int monitor_msg(const struct nlmsghdr *nlh, void *data)
{
	struct monitor *m = data;
	struct sf_flow ev;

	if (sfnl_genl_cmd(nlh) != SLOTFILTER_CMD_FW_LOG)
		return MNL_CB_OK;
	if (sf_flow_parse(nlh, &ev) || !ev.has_action || !ev.has_rule_id) {
		errorf("warning: a malformed event");
		return MNL_CB_OK;
	}
	event_print(&ev);
	fflush(stdout);
	m->seen++;
	return m->count && m->seen >= m->count ? MNL_CB_STOP : MNL_CB_OK;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * SIGINT and SIGTERM are blocked but while waiting in ppoll(), so that
 * one arriving at any time ends the loop, between two events.
 */
static int wait_events(struct monitor *m)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct pollfd pfd = { .fd = slotctl_fd(), .events = POLLIN };
	int rcvbuf = MONITOR_RCVBUF, err;
	sigset_t block, wait;

	setsockopt(pfd.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &wait);
	sigdelset(&wait, SIGINT);
	sigdelset(&wait, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	while (!stop && (!m->count || m->seen < m->count)) {
		if (ppoll(&pfd, 1, NULL, &wait) < 0) {
			if (errno == EINTR)
				continue;
			errorf("poll: %s", strerror(errno));
			return 1;
		}
		err = slotctl_recv(monitor_msg, m);
		if (err == -ENOBUFS) {
			errorf("warning: events lost (socket buffer overrun)");
			continue;
		}
		if (err < 0)
			return slotctl_report(err);
	}
	return 0;
}

int do_monitor(int argc, char **argv, const struct slotctl_opts *opts)
{
	struct monitor m = { 0, 0 };
	struct parse_err e;
	uint32_t n;
	int ret;

	(void)opts;
	while (argc > 0) {
		if (strcmp(*argv, "--count") && strcmp(*argv, "count"))
			usage_error("unexpected argument \"%s\"", *argv);
		NEXT_ARG();
		if (m.count)
			dup_arg("count");
		if (word_u32(*argv, "count", 1, UINT32_MAX, &n, &e))
			cli_parse_error(&e);
		m.count = n;
		argc--;
		argv++;
	}
	ret = slotctl_join(SLOTFILTER_GENL_MCGRP_EVENTS);
	if (ret)
		return ret;
	return wait_events(&m);
}
