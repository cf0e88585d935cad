// SPDX-License-Identifier: GPL-2.0
/*
 * monitor_test.c - FW_LOG events and flows as slotctl prints them, from
 * synthetic messages (device: lo, ifindex 1, present in every netns)
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include <linux/genetlink.h>

#include "fixture.h"
#include "fwmsg.h"
#include "print.h"
#include "slotctl.h"
#include "test.h"

struct ev {
	uint8_t proto, action;
	const char *src, *dst;
	int sport, dport;	/* -1: absent */
	uint32_t suppressed;
};

static struct nlmsghdr *event_msg(void *buf, uint8_t cmd, const struct ev *ev)
{
	struct nlmsghdr *nlh = fx_genl_msg(buf, cmd, 0);
	uint8_t a[16];
	int family = strchr(ev->src, ':') ? AF_INET6 : AF_INET;
	int len = family == AF_INET ? 4 : 16;

	mnl_attr_put_u32(nlh, SLOTFILTER_FLOW_A_RULE_ID, 10);
	mnl_attr_put_u32(nlh, SLOTFILTER_FLOW_A_IFINDEX, 1);
	mnl_attr_put_u8(nlh, SLOTFILTER_FLOW_A_DIRECTION,
			SLOTFILTER_DIR_INGRESS);
	mnl_attr_put_u8(nlh, SLOTFILTER_FLOW_A_PROTO, ev->proto);
	inet_pton(family, ev->src, a);
	mnl_attr_put(nlh, SLOTFILTER_FLOW_A_SRC, len, a);
	inet_pton(family, ev->dst, a);
	mnl_attr_put(nlh, SLOTFILTER_FLOW_A_DST, len, a);
	if (ev->sport >= 0)
		mnl_attr_put_u16(nlh, SLOTFILTER_FLOW_A_SPORT, ev->sport);
	if (ev->dport >= 0)
		mnl_attr_put_u16(nlh, SLOTFILTER_FLOW_A_DPORT, ev->dport);
	if (cmd == SLOTFILTER_CMD_FW_LOG) {
		mnl_attr_put_u8(nlh, SLOTFILTER_FLOW_A_ACTION, ev->action);
		if (ev->suppressed)
			mnl_attr_put_u32(nlh, SLOTFILTER_FLOW_A_SUPPRESSED,
					 ev->suppressed);
	} else {
		mnl_attr_put_u8(nlh, SLOTFILTER_FLOW_A_STATE,
				SLOTFILTER_TCP_ESTABLISHED);
		mnl_attr_put_u32(nlh, SLOTFILTER_FLOW_A_EXPIRES, 29001);
		mnl_attr_put_u32(nlh, SLOTFILTER_FLOW_A_ID, 77);
	}
	return nlh;
}

struct run_events {
	const struct nlmsghdr *msgs[4];
	unsigned int n;
	unsigned long count;
	unsigned long seen;
	int last;
};

/* What sfnl_recv() does with the messages of one receive buffer. */
static void feed(void *arg)
{
	struct run_events *r = arg;
	struct monitor m = { 0, r->count };
	unsigned int i;

	for (i = 0; i < r->n; i++) {
		r->last = monitor_msg(r->msgs[i], &m);
		if (r->last != MNL_CB_OK)
			break;
	}
	r->seen = m.seen;
}

static const char *monitor_one(bool json, const struct ev *ev)
{
	static union fx_buf buf;
	struct run_events r = { .n = 1 };

	r.msgs[0] = event_msg(&buf, SLOTFILTER_CMD_FW_LOG, ev);
	return capture_print(json, false, feed, &r);
}

TEST(monitor_event_text)
{
	CHECK_STR(monitor_one(false, &(struct ev){
			IPPROTO_TCP, SLOTFILTER_ACTION_DROP, "10.0.0.1",
			"10.0.0.2", 40000, 80, 0 }),
		  "drop rule 10 tcp 10.0.0.1:40000 -> 10.0.0.2:80 dev lo ingress\n");
	CHECK_STR(monitor_one(false, &(struct ev){
			IPPROTO_UDP, SLOTFILTER_ACTION_REJECT, "fd00::1",
			"fd00::2", 5353, 53, 7 }),
		  "reject rule 10 udp [fd00::1]:5353 -> [fd00::2]:53 dev lo ingress suppressed 7\n");
	CHECK_STR(monitor_one(false, &(struct ev){
			IPPROTO_ICMP, SLOTFILTER_ACTION_ALLOW, "10.0.0.1",
			"10.0.0.2", 4, -1, 0 }),
		  "allow rule 10 icmp 10.0.0.1 -> 10.0.0.2 id 4 dev lo ingress\n");
	CHECK_STR(monitor_one(false, &(struct ev){
			47, SLOTFILTER_ACTION_DROP, "10.0.0.1", "10.0.0.2",
			-1, -1, 0 }),
		  "drop rule 10 47 10.0.0.1 -> 10.0.0.2 dev lo ingress\n");
}

TEST(monitor_event_json)
{
	const char *s = monitor_one(true, &(struct ev){
			IPPROTO_TCP, SLOTFILTER_ACTION_DROP, "10.0.0.1",
			"10.0.0.2", 40000, 80, 3 });

	CHECK_STR(s, "{\"action\":\"drop\",\"rule\":10,\"proto\":\"tcp\","
		     "\"src\":\"10.0.0.1\",\"sport\":40000,"
		     "\"dst\":\"10.0.0.2\",\"dport\":80,\"icmp-id\":null,"
		     "\"ifindex\":1,\"dev\":\"lo\",\"dir\":\"ingress\","
		     "\"suppressed\":3}\n");
	CHECK(json_valid(s));
}

/* One JSON object per line, other messages skipped, --count honoured. */
TEST(monitor_event_stream)
{
	static union fx_buf b0, b1, b2, b3;
	struct ev ev = { IPPROTO_UDP, SLOTFILTER_ACTION_ALLOW, "10.0.0.1",
			 "10.0.0.2", 1, 2, 0 };
	struct run_events r = { .n = 4, .count = 2 };
	const char *s;

	r.msgs[0] = event_msg(&b0, SLOTFILTER_CMD_FW_LOG, &ev);
	r.msgs[1] = fx_genl_msg(&b1, SLOTFILTER_CMD_PORT_GET, 0);
	r.msgs[2] = event_msg(&b2, SLOTFILTER_CMD_FW_LOG, &ev);
	r.msgs[3] = event_msg(&b3, SLOTFILTER_CMD_FW_LOG, &ev);
	s = capture_print(true, false, feed, &r);
	CHECK_INT(r.seen, 2);
	CHECK_INT(r.last, MNL_CB_STOP);
	CHECK(python_ok(s,
		"import json, sys\n"
		"lines = sys.stdin.read().splitlines()\n"
		"assert len(lines) == 2\n"
		"for l in lines:\n"
		"    e = json.loads(l)\n"
		"    assert e['proto'] == 'udp' and e['sport'] == 1\n"));
	r.count = 0;
	capture_print(false, false, feed, &r);
	CHECK_INT(r.seen, 3);
	CHECK_INT(r.last, MNL_CB_OK);
}

/* An event without its addresses is not printed, and not fatal. */
TEST(monitor_event_malformed)
{
	static union fx_buf buf;
	struct run_events r = { .n = 1 };

	int err = dup(2), null = open("/dev/null", O_WRONLY);

	r.msgs[0] = fx_genl_msg(&buf, SLOTFILTER_CMD_FW_LOG, 0);
	dup2(null, 2);		/* "slotctl: warning: a malformed event" */
	CHECK_STR(capture_print(false, false, feed, &r), "");
	dup2(err, 2);
	close(err);
	close(null);
	CHECK_INT(r.last, MNL_CB_OK);
	CHECK_INT(r.seen, 0);
}

static void print_flow(void *arg)
{
	struct sf_flow flow;

	open_json_array(NULL);
	if (!sf_flow_parse(arg, &flow))
		flow_print(&flow);
	close_json_array();
}

TEST(flows_print)
{
	static union fx_buf buf;
	struct nlmsghdr *nlh;
	const char *s;

	nlh = event_msg(&buf, SLOTFILTER_CMD_FLOW_GET, &(struct ev){
			IPPROTO_TCP, 0, "10.0.0.1", "10.0.0.2", 40000, 80, 0 });
	CHECK_STR(capture_print(false, false, print_flow, nlh),
		  "tcp 10.0.0.1:40000 -> 10.0.0.2:80 dev lo ingress state established expires 30s rule 10\n");
	s = capture_print(true, false, print_flow, nlh);
	CHECK_STR(s, "[{\"id\":77,\"proto\":\"tcp\",\"src\":\"10.0.0.1\","
		     "\"sport\":40000,\"dst\":\"10.0.0.2\",\"dport\":80,"
		     "\"icmp-id\":null,\"ifindex\":1,\"dev\":\"lo\","
		     "\"dir\":\"ingress\",\"state\":\"established\","
		     "\"expires-ms\":29001,\"rule\":10}]\n");

	nlh = event_msg(&buf, SLOTFILTER_CMD_FLOW_GET, &(struct ev){
			IPPROTO_ICMPV6, 0, "fd00::1", "fd00::2", 9, 0, 0 });
	CHECK_STR(capture_print(false, false, print_flow, nlh),
		  "icmpv6 fd00::1 -> fd00::2 id 9 dev lo ingress expires 30s rule 10\n");
}

/* ---- service events and alerts ------------------------------------------ */

struct svc_ev {
	uint8_t cause, prev, state;
	int released;		/* -1: absent */
	int prev_slot;		/* -1: absent */
	const char *reason;	/* NULL: absent */
};

static struct nlmsghdr *svc_event_msg(void *buf, const struct svc_ev *ev)
{
	struct nlmsghdr *nlh = fx_genl_msg(buf, SLOTFILTER_CMD_SERVICE_EVENT, 0);

	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, "ips");
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_SLOT, 4);
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_STATE, ev->state);
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_PREV_STATE, ev->prev);
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_CAUSE, ev->cause);
	if (ev->released >= 0)
		mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_RELEASED,
				 ev->released);
	if (ev->prev_slot >= 0)
		mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_PREV_SLOT,
				ev->prev_slot);
	if (ev->reason)
		mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_REASON, ev->reason);
	return nlh;
}

static struct nlmsghdr *alert_msg(void *buf, const char *alert,
				  uint32_t suppressed)
{
	struct nlmsghdr *nlh = fx_genl_msg(buf, SLOTFILTER_CMD_SERVICE_ALERT, 0);

	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, "ips");
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_SLOT, 4);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_ALERT, alert);
	if (suppressed)
		mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_SUPPRESSED,
				 suppressed);
	return nlh;
}

static const char *feed_one(bool json, const struct nlmsghdr *nlh)
{
	static struct run_events r;

	r = (struct run_events){ .n = 1 };
	r.msgs[0] = nlh;
	return capture_print(json, false, feed, &r);
}

static const char *service_one(bool json, const struct svc_ev *ev)
{
	static union fx_buf buf;

	return feed_one(json, svc_event_msg(&buf, ev));
}

static const char *alert_one(bool json, const char *alert, uint32_t supp)
{
	static union fx_buf buf;

	return feed_one(json, alert_msg(&buf, alert, supp));
}

enum { NOH = SLOTFILTER_SERVICE_NO_HELPER, UP = SLOTFILTER_SERVICE_UP,
       FAILING = SLOTFILTER_SERVICE_FAILING };

TEST(monitor_service_text)
{
	CHECK_STR(service_one(false, &(struct svc_ev){
			SLOTFILTER_CAUSE_HEALTH, UP, FAILING, -1, -1,
			"probe timeout" }),
		  "service ips slot 4: up -> failing (probe timeout)\n");
	CHECK_STR(service_one(false, &(struct svc_ev){
			SLOTFILTER_CAUSE_HEALTH, FAILING, UP, -1, -1, NULL }),
		  "service ips slot 4: failing -> up (health)\n");
	CHECK_STR(service_one(false, &(struct svc_ev){
			SLOTFILTER_CAUSE_BOUND, NOH, UP, -1, -1, NULL }),
		  "service ips slot 4: no-helper -> up (helper bound)\n");
	CHECK_STR(service_one(false, &(struct svc_ev){
			SLOTFILTER_CAUSE_HELPER_GONE, FAILING, NOH, 3, -1,
			NULL }),
		  "service ips slot 4: failing -> no-helper (helper gone, 3 released)\n");
	CHECK_STR(service_one(false, &(struct svc_ev){
			SLOTFILTER_CAUSE_ADDED, NOH, NOH, -1, -1, NULL }),
		  "service ips slot 4: no-helper -> no-helper (added)\n");
	CHECK_STR(service_one(false, &(struct svc_ev){
			SLOTFILTER_CAUSE_DELETED, UP, NOH, 0, -1, NULL }),
		  "service ips slot 4: up -> no-helper (deleted, 0 released)\n");
	CHECK_STR(service_one(false, &(struct svc_ev){
			SLOTFILTER_CAUSE_MOVED, UP, UP, -1, 8, NULL }),
		  "service ips slot 4: up -> up (moved from slot 8)\n");
	/* A newer kernel's cause and state, a reason with a newline. */
	CHECK_STR(service_one(false, &(struct svc_ev){
			77, 9, FAILING, -1, -1, NULL }),
		  "service ips slot 4: unknown -> failing (unknown)\n");
	CHECK_STR(service_one(false, &(struct svc_ev){
			SLOTFILTER_CAUSE_HEALTH, UP, FAILING, -1, -1,
			"a\nb\x7f" }),
		  "service ips slot 4: up -> failing (a\\x0ab\\x7f)\n");
}

TEST(monitor_service_json)
{
	const char *s;

	s = service_one(true, &(struct svc_ev){
			SLOTFILTER_CAUSE_HEALTH, UP, FAILING, -1, -1,
			"probe \"timeout\"" });
	CHECK_STR(s, "{\"event\":\"service\",\"service\":\"ips\",\"slot\":4,"
		     "\"previous\":\"up\",\"state\":\"failing\","
		     "\"cause\":\"health\",\"reason\":\"probe \\\"timeout\\\"\","
		     "\"released\":null,\"previous-slot\":null}\n");
	CHECK(json_valid(s));
	s = service_one(true, &(struct svc_ev){
			SLOTFILTER_CAUSE_HELPER_GONE, UP, NOH, 2, -1, NULL });
	CHECK_STR(s, "{\"event\":\"service\",\"service\":\"ips\",\"slot\":4,"
		     "\"previous\":\"up\",\"state\":\"no-helper\","
		     "\"cause\":\"helper-gone\",\"reason\":null,"
		     "\"released\":2,\"previous-slot\":null}\n");
	s = service_one(true, &(struct svc_ev){
			SLOTFILTER_CAUSE_MOVED, NOH, NOH, -1, 5, NULL });
	CHECK_STR(s, "{\"event\":\"service\",\"service\":\"ips\",\"slot\":4,"
		     "\"previous\":\"no-helper\",\"state\":\"no-helper\","
		     "\"cause\":\"moved\",\"reason\":null,"
		     "\"released\":null,\"previous-slot\":5}\n");
}

TEST(monitor_alert)
{
	const char *s;

	/* A JSON object: embedded as one, without its whitespace. */
	s = alert_one(true, " { \"sig\" : 2001,\n \"msg\": \"ET \\u00e9 x\","
			    " \"tags\": [ true, null, -1.5e3 ] } ", 0);
	CHECK_STR(s, "{\"event\":\"alert\",\"service\":\"ips\",\"slot\":4,"
		     "\"alert\":{\"sig\":2001,\"msg\":\"ET \\u00e9 x\","
		     "\"tags\":[true,null,-1.5e3]},\"suppressed\":0}\n");
	CHECK(python_ok(s,
		"import json, sys\n"
		"e = json.loads(sys.stdin.read())\n"
		"assert e['alert']['tags'] == [True, None, -1500.0]\n"
		"assert e['alert']['msg'] == 'ET \\u00e9 x'\n"));
	CHECK_STR(alert_one(false, "{ \"sig\": 1 }", 5),
		  "alert service ips: {\"sig\":1} suppressed 5\n");
	CHECK_STR(alert_one(true, "{\"sig\":1}", 5),
		  "{\"event\":\"alert\",\"service\":\"ips\",\"slot\":4,"
		  "\"alert\":{\"sig\":1},\"suppressed\":5}\n");

	/* Anything else is a string. */
	CHECK_STR(alert_one(true, "[1, 2]", 0),
		  "{\"event\":\"alert\",\"service\":\"ips\",\"slot\":4,"
		  "\"alert\":\"[1, 2]\",\"suppressed\":0}\n");
	s = alert_one(true, "{\"sig\":1,}\n\"x", 0);
	CHECK_STR(s, "{\"event\":\"alert\",\"service\":\"ips\",\"slot\":4,"
		     "\"alert\":\"{\\\"sig\\\":1,}\\n\\\"x\",\"suppressed\":0}\n");
	CHECK(json_valid(s));
	CHECK_STR(alert_one(false, "{\"sig\":1,}\n\"x", 0),
		  "alert service ips: {\"sig\":1,}\\x0a\"x\n");
	CHECK_STR(alert_one(false, "blocked example.com", 0),
		  "alert service ips: blocked example.com\n");
}

/* Each kind counts towards --count; other commands are skipped. */
TEST(monitor_service_stream)
{
	static union fx_buf b0, b1, b2, b3;
	struct ev ev = { IPPROTO_UDP, SLOTFILTER_ACTION_ALLOW, "10.0.0.1",
			 "10.0.0.2", 1, 2, 0 };
	struct run_events r = { .n = 4, .count = 3 };
	const char *s;

	r.msgs[0] = svc_event_msg(&b0, &(struct svc_ev){
			SLOTFILTER_CAUSE_BOUND, NOH, UP, -1, -1, NULL });
	r.msgs[1] = fx_genl_msg(&b1, SLOTFILTER_CMD_SERVICE_GET, 0);
	r.msgs[2] = event_msg(&b2, SLOTFILTER_CMD_FW_LOG, &ev);
	r.msgs[3] = alert_msg(&b3, "{}", 0);
	s = capture_print(false, false, feed, &r);
	CHECK_INT(r.seen, 3);
	CHECK_INT(r.last, MNL_CB_STOP);
	CHECK_STR(s, "service ips slot 4: no-helper -> up (helper bound)\n"
		     "allow rule 10 udp 10.0.0.1:1 -> 10.0.0.2:2 dev lo ingress\n"
		     "alert service ips: {}\n");
}

/* Events without what they always carry are not printed, and not fatal. */
TEST(monitor_service_malformed)
{
	static union fx_buf b[5];
	struct run_events r = { .n = 4 };
	struct nlmsghdr *nlh;
	int err = dup(2), null = open("/dev/null", O_WRONLY);

	/* no state */
	nlh = fx_genl_msg(&b[0], SLOTFILTER_CMD_SERVICE_EVENT, 0);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, "ips");
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_SLOT, 4);
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_CAUSE, 0);
	r.msgs[0] = nlh;
	/* an alert without its text */
	nlh = fx_genl_msg(&b[1], SLOTFILTER_CMD_SERVICE_ALERT, 0);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, "ips");
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_SLOT, 4);
	r.msgs[1] = nlh;
	/* a name without its NUL */
	nlh = fx_genl_msg(&b[2], SLOTFILTER_CMD_SERVICE_ALERT, 0);
	mnl_attr_put(nlh, SLOTFILTER_SERVICE_A_NAME, 3, "ips");
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_SLOT, 4);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_ALERT, "{}");
	r.msgs[2] = nlh;
	/* a state of the wrong size */
	nlh = svc_event_msg(&b[3], &(struct svc_ev){
			SLOTFILTER_CAUSE_BOUND, NOH, UP, -1, -1, NULL });
	mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_PREV_SLOT, 4);
	r.msgs[3] = nlh;

	dup2(null, 2);
	CHECK_STR(capture_print(false, false, feed, &r), "");
	dup2(err, 2);
	close(err);
	close(null);
	CHECK_INT(r.last, MNL_CB_OK);
	CHECK_INT(r.seen, 0);
}
