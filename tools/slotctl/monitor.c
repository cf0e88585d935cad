// SPDX-License-Identifier: GPL-2.0
/*
 * monitor.c - slotctl monitor: the firewall's log events, the services'
 * state changes and their alerts, as they come
 *
 * SYNOPSIS
 *	slotctl [-j [-p]] monitor [--count N]
 *
 * Subscribes to the family's "events" multicast group and prints every
 * SLOTFILTER_CMD_FW_LOG event (a packet judged by a rule with "log"),
 * SERVICE_EVENT (a service added, deleted or moved, a helper bound or
 * gone, a service failing or up again) and SERVICE_ALERT (what a
 * service's helper reports, such as an IPS alert), until Ctrl-C or
 * SIGTERM (exit status 0), or after N events of any of these kinds.
 *
 * TEXT OUTPUT: one line per event
 *
 *	ACTION rule ID PROTO SRC[:PORT] -> DST[:PORT] dev IFNAME DIR [suppressed N]
 *	service NAME slot N: PREVIOUS -> STATE (WHY[, N released])
 *	alert service NAME: TEXT [suppressed N]
 *
 * with the packet's endpoints and direction as "fw flows" prints them;
 * "suppressed N" says that the kernel's rate limit (100 events a second,
 * bursts of 200; for alerts, per service) dropped N events before this
 * one. States are no-helper, up and failing; WHY is the helper's reason
 * for a health change (or "health" without one), "added", "deleted",
 * "moved from slot N", "helper bound" or "helper gone"; "N released"
 * counts the held packets let go when a helper went or the service was
 * deleted. An alert's TEXT is its JSON without whitespace, or, if it is
 * not a JSON object, its text with control characters as \xNN.
 *
 * JSON (-j): one object per line. Log events have the keys of "fw flows"
 *
 *	{"action":"drop","rule":10,...,"suppressed":0}
 *
 * service events and alerts a key "event" first:
 *
 *	{"event":"service","service":"ips","slot":4,"previous":"up",
 *	 "state":"failing","cause":"health","reason":"probe timeout",
 *	 "released":null,"previous-slot":null}
 *	{"event":"alert","service":"ips","slot":4,"alert":{...},"suppressed":0}
 *
 * "cause" is added, deleted, moved, bound, helper-gone or health;
 * "reason", "released" and "previous-slot" are null where the event has
 * none. "alert" is the helper's JSON object, or a string if the helper
 * sent anything else.
 *
 * If slotctl falls behind and the socket overflows, it says so on stderr
 * ("warning: events lost") and goes on.
 */
#define _GNU_SOURCE		/* ppoll() */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "attr.h"
#include "fwmsg.h"
#include "json.h"
#include "names.h"
#include "print.h"
#include "slotctl.h"
#include "svcmsg.h"

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

/* @s on one line: control characters as \xNN. */
static const char *one_line(const char *s, char *buf)
{
	char *p = buf;

	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			p += sprintf(p, "\\x%02x", (unsigned char)*s);
		else
			*p++ = *s;
	}
	*p = '\0';
	return buf;
}

static void service_why(const struct sf_service_event *ev)
{
	char buf[4 * SLOTFILTER_REASON_MAX];

	switch (ev->cause) {
	case SLOTFILTER_CAUSE_HEALTH:
		print_text("%s", ev->reason ? one_line(ev->reason, buf) :
					      "health");
		break;
	case SLOTFILTER_CAUSE_MOVED:
		print_text("moved from slot %u", ev->prev_slot);
		break;
	case SLOTFILTER_CAUSE_BOUND:
		print_text("helper bound");
		break;
	case SLOTFILTER_CAUSE_HELPER_GONE:
		print_text("helper gone");
		break;
	default:
		print_text("%s", sf_service_cause_name(ev->cause));
	}
}

static void service_event_print(const struct sf_service_event *ev)
{
	open_json_object(NULL);
	print_string(PRINT_JSON, "event", NULL, "service");
	print_string(PRINT_ANY, "service", "service %s", ev->name);
	print_uint(PRINT_ANY, "slot", " slot %u", ev->slot);
	print_string(PRINT_ANY, "previous", ": %s",
		     sf_service_state_name(ev->prev));
	print_string(PRINT_ANY, "state", " -> %s",
		     sf_service_state_name(ev->state));
	print_string(PRINT_JSON, "cause", NULL,
		     sf_service_cause_name(ev->cause));
	print_string(PRINT_JSON, "reason", NULL, ev->reason);
	if (ev->has_released)
		print_uint(PRINT_JSON, "released", NULL, ev->released);
	else
		print_null(PRINT_JSON, "released", NULL);
	if (ev->has_prev_slot)
		print_uint(PRINT_JSON, "previous-slot", NULL, ev->prev_slot);
	else
		print_null(PRINT_JSON, "previous-slot", NULL);
	print_text(" (");
	service_why(ev);
	if (ev->has_released)
		print_text(", %u released", ev->released);
	print_text(")");
	print_nl();
	close_json_object();
}

static void alert_print(const struct sf_service_event *ev)
{
	size_t len = strlen(ev->alert);
	char *compact = malloc(len + 1), *line = malloc(4 * len + 1);
	bool object;

	if (!compact || !line) {
		errorf("warning: no memory for an alert");
		goto out;
	}
	object = json_compact(ev->alert, compact) && compact[0] == '{';
	open_json_object(NULL);
	print_string(PRINT_JSON, "event", NULL, "alert");
	print_string(PRINT_ANY, "service", "alert service %s", ev->name);
	print_uint(PRINT_JSON, "slot", NULL, ev->slot);
	if (object)
		print_json_raw("alert", compact);
	else
		print_string(PRINT_JSON, "alert", NULL, ev->alert);
	print_string(PRINT_FP, NULL, ": %s",
		     object ? compact : one_line(ev->alert, line));
	print_uint(PRINT_JSON, "suppressed", NULL, ev->suppressed);
	if (ev->suppressed)
		print_uint(PRINT_FP, NULL, " suppressed %u", ev->suppressed);
	print_nl();
	close_json_object();
out:
	free(compact);
	free(line);
}

/* Prints one FW_LOG event; false if it is malformed. */
static bool fw_log_msg(const struct nlmsghdr *nlh)
{
	struct sf_flow ev;

	if (sf_flow_parse(nlh, &ev) || !ev.has_action || !ev.has_rule_id)
		return false;
	event_print(&ev);
	return true;
}

/* Prints one SERVICE_EVENT or SERVICE_ALERT; false if it is malformed. */
static bool service_msg(const struct nlmsghdr *nlh)
{
	struct sf_service_event ev;

	if (sf_service_event_parse(nlh, &ev))
		return false;
	if (ev.cmd == SLOTFILTER_CMD_SERVICE_ALERT)
		alert_print(&ev);
	else
		service_event_print(&ev);
	return true;
}

/* One message from the group: events are printed, other messages not. */
int monitor_msg(const struct nlmsghdr *nlh, void *data)
{
	struct monitor *m = data;
	bool ok;

	switch (sfnl_genl_cmd(nlh)) {
	case SLOTFILTER_CMD_FW_LOG:
		ok = fw_log_msg(nlh);
		break;
	case SLOTFILTER_CMD_SERVICE_EVENT:
	case SLOTFILTER_CMD_SERVICE_ALERT:
		ok = service_msg(nlh);
		break;
	default:
		return MNL_CB_OK;
	}
	if (!ok) {
		errorf("warning: a malformed event");
		return MNL_CB_OK;
	}
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
