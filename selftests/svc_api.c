// SPDX-License-Identifier: GPL-2.0
/*
 * The service commands of slotfilter's generic netlink API, spoken raw:
 * SERVICE_ADD/SET/DEL/GET, BIND, HEALTH, VERDICT, and redirect rules in
 * FW_REPLACE. Every bad request is refused with the exact errno and
 * extack message, and changes nothing. No traffic: the packet path is
 * service_*.sh's job.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <libmnl/libmnl.h>
#include <linux/slotfilter.h>

/* The 6.1 harness has a signal handler with an unused parameter. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop

#include "sfnl_test.h"

FIXTURE(svc) {
	struct sf_sock sk;
	int netns;
};

FIXTURE_SETUP(svc)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %m");
	self->netns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->netns);
	ASSERT_EQ(0, sf_open(&self->sk));
}

FIXTURE_TEARDOWN(svc)
{
	sf_close(&self->sk);
	if (self->netns > 0)
		close(self->netns);
}

#define U8(t, v)	{ t, 1, (const uint8_t[]){ v } }
#define U32(t, v)	{ t, 4, (const uint32_t[]){ v } }
#define STR(t, s)	{ t, sizeof(s), s }

/* One request of up to 4 plain attributes; the answer in @ack. */
static int req(struct sf_sock *s, uint8_t cmd, struct sf_attrs a,
	       struct sf_ack *ack)
{
	return sf_talk(s, cmd, NLM_F_ACK, sf_put_attrs, &a, NULL, NULL, ack);
}

#define REQ(cmd, ...) \
	req(&self->sk, cmd, (struct sf_attrs){ .n = ARRAY_SIZE(((struct sf_attr[]){ __VA_ARGS__ })), .a = { __VA_ARGS__ } }, &ack)

#define ADD(name, slot) \
	REQ(SLOTFILTER_CMD_SERVICE_ADD, STR(SLOTFILTER_SERVICE_A_NAME, name), \
	    U8(SLOTFILTER_SERVICE_A_SLOT, slot))

struct svc_info {
	char name[SLOTFILTER_NAME_MAX];
	int slot, policy, state, n;
	uint32_t timeout, queue, copy, held;
	uint64_t late;
};

static int svc_info_cb(const struct nlmsghdr *nlh, void *data)
{
	struct svc_info *i = data;
	const struct nlattr *a, *s;

	i->n++;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case SLOTFILTER_SERVICE_A_NAME:
			snprintf(i->name, sizeof(i->name), "%s", mnl_attr_get_str(a));
			break;
		case SLOTFILTER_SERVICE_A_SLOT:
			i->slot = mnl_attr_get_u8(a);
			break;
		case SLOTFILTER_SERVICE_A_FAILURE_POLICY:
			i->policy = mnl_attr_get_u8(a);
			break;
		case SLOTFILTER_SERVICE_A_STATE:
			i->state = mnl_attr_get_u8(a);
			break;
		case SLOTFILTER_SERVICE_A_TIMEOUT:
			i->timeout = mnl_attr_get_u32(a);
			break;
		case SLOTFILTER_SERVICE_A_QUEUE_MAX:
			i->queue = mnl_attr_get_u32(a);
			break;
		case SLOTFILTER_SERVICE_A_COPY:
			i->copy = mnl_attr_get_u32(a);
			break;
		case SLOTFILTER_SERVICE_A_HELD:
			i->held = mnl_attr_get_u32(a);
			break;
		case SLOTFILTER_SERVICE_A_STATS:
			mnl_attr_for_each_nested(s, a)
				if (mnl_attr_get_type(s) == SLOTFILTER_STAT_LATE)
					i->late = mnl_attr_get_u64(s);
			break;
		}
	}
	return MNL_CB_OK;
}

static int svc_get(struct sf_sock *s, const char *name, struct svc_info *i,
		   struct sf_ack *ack)
{
	struct sf_attrs a = { .n = 1, .a = { { SLOTFILTER_SERVICE_A_NAME,
					      strlen(name) + 1, name } } };

	memset(i, 0, sizeof(*i));
	return sf_talk(s, SLOTFILTER_CMD_SERVICE_GET, NLM_F_ACK, sf_put_attrs,
		       &a, svc_info_cb, i, ack);
}

TEST_F(svc, add_get_set_del)
{
	struct svc_info i;
	struct sf_ack ack;

	ASSERT_LT(0, ADD("ips", 4));
	ASSERT_ACK(ack, 0, "");
	ASSERT_LT(0, svc_get(&self->sk, "ips", &i, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_STREQ("ips", i.name);
	ASSERT_EQ(4, i.slot);
	ASSERT_EQ(SLOTFILTER_FAIL_OPEN, i.policy);
	ASSERT_EQ(SLOTFILTER_SERVICE_NO_HELPER, i.state);
	ASSERT_EQ(1000U, i.timeout);
	ASSERT_EQ(1024U, i.queue);
	ASSERT_EQ(0U, i.copy);

	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_SET,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips"),
			 U8(SLOTFILTER_SERVICE_A_SLOT, 11),
			 U8(SLOTFILTER_SERVICE_A_FAILURE_POLICY, SLOTFILTER_FAIL_CLOSED),
			 U32(SLOTFILTER_SERVICE_A_QUEUE_MAX, 65536)));
	ASSERT_ACK(ack, 0, "");
	ASSERT_LT(0, svc_get(&self->sk, "ips", &i, &ack));
	ASSERT_EQ(11, i.slot);
	ASSERT_EQ(SLOTFILTER_FAIL_CLOSED, i.policy);
	ASSERT_EQ(65536U, i.queue);

	/* The dump goes in slot order. */
	ASSERT_LT(0, ADD("web", 5));
	ASSERT_ACK(ack, 0, "");
	memset(&i, 0, sizeof(i));
	ASSERT_LT(0, sf_talk(&self->sk, SLOTFILTER_CMD_SERVICE_GET, NLM_F_DUMP,
			     NULL, NULL, svc_info_cb, &i, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(2, i.n);
	ASSERT_STREQ("ips", i.name);	/* the last one: slot 11 */

	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_DEL,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips")));
	ASSERT_ACK(ack, 0, "");
	ASSERT_LT(0, svc_get(&self->sk, "ips", &i, &ack));
	ASSERT_ACK(ack, ENOENT, "no service of this name");
}

TEST_F(svc, bad_config)
{
	struct sf_ack ack;

	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_ADD,
			 U8(SLOTFILTER_SERVICE_A_SLOT, 4)));
	ASSERT_ACK(ack, EINVAL,
		   "slotfilter: missing service name (SLOTFILTER_SERVICE_A_NAME)");
	ASSERT_EQ(SLOTFILTER_SERVICE_A_NAME, ack.miss_type);
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_ADD,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips")));
	ASSERT_ACK(ack, EINVAL,
		   "slotfilter: missing slot (SLOTFILTER_SERVICE_A_SLOT)");
	ASSERT_LT(0, ADD("a b", 4));
	ASSERT_ACK(ack, EINVAL,
		   "invalid service name: 1 to 31 characters of A-Z a-z 0-9 _ . -");
	ASSERT_LT(0, ADD("ips", 3));
	ASSERT_ACK(ack, ERANGE, "integer out of range");
	ASSERT_LT(0, ADD("ips", 12));
	ASSERT_ACK(ack, ERANGE, "integer out of range");
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_ADD,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips"),
			 U8(SLOTFILTER_SERVICE_A_SLOT, 4),
			 U32(SLOTFILTER_SERVICE_A_TIMEOUT, 0)));
	ASSERT_ACK(ack, ERANGE, "integer out of range");
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_ADD,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips"),
			 U8(SLOTFILTER_SERVICE_A_SLOT, 4),
			 U32(SLOTFILTER_SERVICE_A_TIMEOUT, 60001)));
	ASSERT_ACK(ack, ERANGE, "integer out of range");
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_ADD,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips"),
			 U8(SLOTFILTER_SERVICE_A_SLOT, 4),
			 U32(SLOTFILTER_SERVICE_A_QUEUE_MAX, 65537)));
	ASSERT_ACK(ack, ERANGE, "integer out of range");
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_ADD,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips"),
			 U8(SLOTFILTER_SERVICE_A_SLOT, 4),
			 U8(SLOTFILTER_SERVICE_A_FAILURE_POLICY, 2)));
	ASSERT_ACK(ack, ERANGE, "integer out of range");
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_ADD,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips"),
			 U8(SLOTFILTER_SERVICE_A_SLOT, 4),
			 U8(SLOTFILTER_SERVICE_A_STATE, 1)));
	ASSERT_ACK(ack, EINVAL, "reply attribute: not accepted in requests");

	ASSERT_LT(0, ADD("ips", 4));
	ASSERT_ACK(ack, 0, "");
	ASSERT_LT(0, ADD("ips", 5));
	ASSERT_ACK(ack, EEXIST, "a service of this name exists");
	ASSERT_LT(0, ADD("web", 4));
	ASSERT_ACK(ack, EEXIST, "another service is at this slot");
	ASSERT_LT(0, ADD("web", 5));
	ASSERT_ACK(ack, 0, "");
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_SET,
			 STR(SLOTFILTER_SERVICE_A_NAME, "web"),
			 U8(SLOTFILTER_SERVICE_A_SLOT, 4)));
	ASSERT_ACK(ack, EEXIST, "another service is at this slot");
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_SET,
			 STR(SLOTFILTER_SERVICE_A_NAME, "nope")));
	ASSERT_ACK(ack, ENOENT, "no service of this name");
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_DEL,
			 U8(SLOTFILTER_SERVICE_A_SLOT, 4)));
	ASSERT_ACK(ack, EINVAL,
		   "slotfilter: missing service name (SLOTFILTER_SERVICE_A_NAME)");
}

/* FW_REPLACE with one rule nest: @type, then the attributes of @build. */
struct rule_req {
	uint16_t type;
	const char *service;
	uint8_t action;
	int log;
};

static void put_rule(struct nlmsghdr *nlh, const void *arg)
{
	const struct rule_req *r = arg;
	struct nlattr *nest = mnl_attr_nest_start(nlh, r->type);

	if (r->service)
		mnl_attr_put_strz(nlh, SLOTFILTER_RULE_A_SERVICE, r->service);
	mnl_attr_put_u32(nlh, SLOTFILTER_RULE_A_ID, 1);
	mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_ACTION, r->action);
	if (r->log)
		mnl_attr_put(nlh, SLOTFILTER_RULE_A_LOG, 0, NULL);
	mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_PROTO, 17);
	mnl_attr_nest_end(nlh, nest);
}

static void commit(struct sf_sock *s, const struct rule_req *r,
		   struct sf_ack *ack)
{
	sf_talk(s, SLOTFILTER_CMD_FW_REPLACE, NLM_F_ACK, r ? put_rule : NULL,
		r, NULL, NULL, ack);
}

struct dump {
	int rules, redirects, action;
	char service[SLOTFILTER_NAME_MAX];
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a, *r;
	struct dump *d = data;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == SLOTFILTER_FW_A_RULE)
			d->rules++;
		if (mnl_attr_get_type(a) != SLOTFILTER_FW_A_REDIRECT)
			continue;
		d->redirects++;
		mnl_attr_for_each_nested(r, a) {
			if (mnl_attr_get_type(r) == SLOTFILTER_RULE_A_SERVICE)
				snprintf(d->service, sizeof(d->service), "%s",
					 mnl_attr_get_str(r));
			if (mnl_attr_get_type(r) == SLOTFILTER_RULE_A_ACTION)
				d->action = mnl_attr_get_u8(r);
		}
	}
	return MNL_CB_OK;
}

TEST_F(svc, redirect_rules)
{
	struct rule_req r = { SLOTFILTER_FW_A_REDIRECT, "ips",
			      SLOTFILTER_ACTION_REDIRECT, 0 };
	struct sf_ack ack;
	struct dump d;

	commit(&self->sk, &r, &ack);
	ASSERT_ACK(ack, ENOENT, "no service of this name");
	ASSERT_LT(0, ADD("ips", 4));
	r.service = NULL;
	commit(&self->sk, &r, &ack);
	ASSERT_ACK(ack, EINVAL,
		   "a redirect rule needs a service (SLOTFILTER_RULE_A_SERVICE)");
	r.service = "ips";
	r.action = SLOTFILTER_ACTION_ALLOW;
	commit(&self->sk, &r, &ack);
	ASSERT_ACK(ack, ERANGE, "integer out of range");
	r.action = SLOTFILTER_ACTION_SKIP;
	r.log = 1;
	commit(&self->sk, &r, &ack);
	ASSERT_ACK(ack, EINVAL, "redirect rules do not log");
	r.type = SLOTFILTER_FW_A_RULE;
	r.log = 0;
	commit(&self->sk, &r, &ack);
	ASSERT_ACK(ack, EINVAL,
		   "only redirect rules (SLOTFILTER_FW_A_REDIRECT) name a service");
	r.service = NULL;
	r.action = SLOTFILTER_ACTION_REDIRECT;
	commit(&self->sk, &r, &ack);
	ASSERT_ACK(ack, ERANGE, "integer out of range");

	/* A good one: the service is in use until a commit drops it. */
	r.type = SLOTFILTER_FW_A_REDIRECT;
	r.service = "ips";
	commit(&self->sk, &r, &ack);
	ASSERT_ACK(ack, 0, "");
	memset(&d, 0, sizeof(d));
	ASSERT_LT(0, sf_talk(&self->sk, SLOTFILTER_CMD_FW_GET, NLM_F_DUMP,
			     NULL, NULL, dump_cb, &d, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, d.rules);
	ASSERT_EQ(1, d.redirects);
	ASSERT_STREQ("ips", d.service);
	ASSERT_EQ(SLOTFILTER_ACTION_REDIRECT, d.action);
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_DEL,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips")));
	ASSERT_ACK(ack, EBUSY,
		   "slotfilter: redirect rules of the ruleset name this service: replace the ruleset without them first");
	commit(&self->sk, NULL, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_DEL,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips")));
	ASSERT_ACK(ack, 0, "");
}

struct verdict_req {
	int items;
	int no_id;
	uint8_t verdict;
};

static void put_verdicts(struct nlmsghdr *nlh, const void *arg)
{
	const struct verdict_req *v = arg;
	struct nlattr *nest;
	int i;

	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, "ips");
	for (i = 0; i < v->items; i++) {
		nest = mnl_attr_nest_start(nlh, SLOTFILTER_SERVICE_A_VERDICT);
		if (!v->no_id)
			mnl_attr_put_u64(nlh, SLOTFILTER_VERDICT_A_ID, 1000 + i);
		mnl_attr_put_u8(nlh, SLOTFILTER_VERDICT_A_VERDICT, v->verdict);
		mnl_attr_nest_end(nlh, nest);
	}
}

static void verdict(struct sf_sock *s, struct verdict_req v,
		    struct sf_ack *ack)
{
	sf_talk(s, SLOTFILTER_CMD_VERDICT, NLM_F_ACK, put_verdicts, &v, NULL,
		NULL, ack);
}

TEST_F(svc, helper_commands)
{
	struct sf_sock other;
	struct svc_info i;
	struct sf_ack ack;

	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_BIND,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips")));
	ASSERT_ACK(ack, ENOENT, "no service of this name");
	ASSERT_LT(0, ADD("ips", 4));
	ASSERT_ACK(ack, 0, "");
	verdict(&self->sk, (struct verdict_req){ 1, 0, 0 }, &ack);
	ASSERT_ACK(ack, EPERM,
		   "slotfilter: this socket is not bound to the service (SLOTFILTER_CMD_SERVICE_BIND)");
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_HEALTH,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips"),
			 U8(SLOTFILTER_SERVICE_A_HEALTH, SLOTFILTER_HEALTH_FAILING)));
	ASSERT_ACK(ack, EPERM,
		   "slotfilter: this socket is not bound to the service (SLOTFILTER_CMD_SERVICE_BIND)");
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_BIND,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips"),
			 U32(SLOTFILTER_SERVICE_A_FLAGS, 2)));
	ASSERT_EQ(EINVAL, ack.err);
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_BIND,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips"),
			 U32(SLOTFILTER_SERVICE_A_FLAGS, SLOTFILTER_SERVICE_F_GSO)));
	ASSERT_ACK(ack, 0, "");
	ASSERT_LT(0, svc_get(&self->sk, "ips", &i, &ack));
	ASSERT_EQ(SLOTFILTER_SERVICE_UP, i.state);

	ASSERT_EQ(0, sf_open(&other));
	ASSERT_LT(0, req(&other, SLOTFILTER_CMD_SERVICE_BIND,
			 (struct sf_attrs){ .n = 1, .a = {
				 STR(SLOTFILTER_SERVICE_A_NAME, "ips") } },
			 &ack));
	ASSERT_ACK(ack, EBUSY, "slotfilter: another socket is bound to this service");
	sf_close(&other);

	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_HEALTH,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips")));
	ASSERT_ACK(ack, EINVAL,
		   "slotfilter: missing health (SLOTFILTER_SERVICE_A_HEALTH)");
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_HEALTH,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips"),
			 U8(SLOTFILTER_SERVICE_A_HEALTH, 2)));
	ASSERT_ACK(ack, ERANGE, "integer out of range");
	ASSERT_LT(0, REQ(SLOTFILTER_CMD_SERVICE_HEALTH,
			 STR(SLOTFILTER_SERVICE_A_NAME, "ips"),
			 U8(SLOTFILTER_SERVICE_A_HEALTH, SLOTFILTER_HEALTH_FAILING)));
	ASSERT_ACK(ack, 0, "");
	ASSERT_LT(0, svc_get(&self->sk, "ips", &i, &ack));
	ASSERT_EQ(SLOTFILTER_SERVICE_FAILING, i.state);

	verdict(&self->sk, (struct verdict_req){ 0, 0, 0 }, &ack);
	ASSERT_ACK(ack, EINVAL,
		   "slotfilter: no verdict given (SLOTFILTER_SERVICE_A_VERDICT)");
	verdict(&self->sk, (struct verdict_req){ 2, 1, 0 }, &ack);
	ASSERT_ACK(ack, EINVAL, "a verdict needs a packet id and a verdict");
	verdict(&self->sk,
		(struct verdict_req){ 1, 0, SLOTFILTER_VERDICT_REJECT_FLOW + 1 },
		&ack);
	ASSERT_ACK(ack, ERANGE, "integer out of range");
	/* Ids that are not held are skipped and counted. */
	verdict(&self->sk, (struct verdict_req){ 3, 0, 0 }, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_LT(0, svc_get(&self->sk, "ips", &i, &ack));
	ASSERT_EQ(3U, i.late);
	ASSERT_EQ(0U, i.held);

	/* Closing the helper's socket unbinds it. */
	sf_close(&self->sk);
	ASSERT_EQ(0, sf_open(&self->sk));
	ASSERT_LT(0, svc_get(&self->sk, "ips", &i, &ack));
	ASSERT_EQ(SLOTFILTER_SERVICE_NO_HELPER, i.state);
}

TEST_HARNESS_MAIN
