// SPDX-License-Identifier: GPL-2.0
/*
 * svcmsg.c - decode SERVICE_GET replies, encode SERVICE_ADD and SET
 *
 * A reply must carry the service's name and slot; the rest reads as 0 when
 * absent. Counters (STATS) are an NLA_NESTED of NLA_U64 typed by enum
 * slotfilter_service_stat, the latency histogram (LATENCY) one typed by
 * bucket index + 1; both are padded with an attribute of their own pad
 * type, which the policies skip. A counter or bucket this program does not
 * know (from a newer kernel) is skipped too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "svcmsg.h"

static const struct sfnl_policy service_policy[SLOTFILTER_SERVICE_A_MAX + 1] = {
	[SLOTFILTER_SERVICE_A_NAME]	= { .type = MNL_TYPE_NUL_STRING,
					    .max_len = SLOTFILTER_NAME_MAX },
	[SLOTFILTER_SERVICE_A_SLOT]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_SERVICE_A_FAILURE_POLICY] = { .type = MNL_TYPE_U8 },
	[SLOTFILTER_SERVICE_A_TIMEOUT]	= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_SERVICE_A_QUEUE_MAX] = { .type = MNL_TYPE_U32 },
	[SLOTFILTER_SERVICE_A_COPY]	= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_SERVICE_A_STATE]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_SERVICE_A_FLAGS]	= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_SERVICE_A_NREDIRECTS] = { .type = MNL_TYPE_U32 },
	[SLOTFILTER_SERVICE_A_HELD]	= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_SERVICE_A_MOST_HELD] = { .type = MNL_TYPE_U32 },
	[SLOTFILTER_SERVICE_A_STATS]	= { .type = MNL_TYPE_NESTED },
	[SLOTFILTER_SERVICE_A_LATENCY]	= { .type = MNL_TYPE_NESTED },
};

static const struct sfnl_policy event_policy[SLOTFILTER_SERVICE_A_MAX + 1] = {
	[SLOTFILTER_SERVICE_A_NAME]	= { .type = MNL_TYPE_NUL_STRING,
					    .max_len = SLOTFILTER_NAME_MAX },
	[SLOTFILTER_SERVICE_A_SLOT]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_SERVICE_A_STATE]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_SERVICE_A_PREV_STATE] = { .type = MNL_TYPE_U8 },
	[SLOTFILTER_SERVICE_A_CAUSE]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_SERVICE_A_REASON]	= { .type = MNL_TYPE_NUL_STRING,
					    .max_len = SLOTFILTER_REASON_MAX },
	[SLOTFILTER_SERVICE_A_RELEASED]	= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_SERVICE_A_PREV_SLOT] = { .type = MNL_TYPE_U8 },
	[SLOTFILTER_SERVICE_A_ALERT]	= { .type = MNL_TYPE_NUL_STRING,
					    .max_len = SLOTFILTER_ALERT_MAX },
	[SLOTFILTER_SERVICE_A_SUPPRESSED] = { .type = MNL_TYPE_U32 },
};

/* Typed u64 entries of STATS (1 .. STAT_PAD - 1) and LATENCY (1 .. N). */
static int u64_array_parse(const struct nlattr *nest, uint64_t *v,
			   unsigned int first, unsigned int last, int base)
{
	const struct nlattr *a;
	unsigned int type;

	if (!nest)
		return 0;
	mnl_attr_for_each_nested(a, nest) {
		type = mnl_attr_get_type(a);
		if (type < first || type > last)
			continue;
		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			return -EBADMSG;
		v[type - base] = mnl_attr_get_u64(a);
	}
	return 0;
}

static uint32_t get_u32(const struct nlattr *attr)
{
	return attr ? mnl_attr_get_u32(attr) : 0;
}

static uint8_t get_u8(const struct nlattr *attr)
{
	return attr ? mnl_attr_get_u8(attr) : 0;
}

/* What SERVICE_ADD gives a service whose options it leaves out. */
void sf_service_defaults(struct sf_service *svc)
{
	svc->policy = SLOTFILTER_FAIL_OPEN;
	svc->timeout = SF_SERVICE_TIMEOUT_DEFAULT;
	svc->queue_max = SF_SERVICE_QUEUE_DEFAULT;
	svc->copy = 0;
}

int sf_service_parse(const struct nlmsghdr *nlh, struct sf_service *svc)
{
	const struct nlattr *tb[SLOTFILTER_SERVICE_A_MAX + 1];

	memset(svc, 0, sizeof(*svc));
	if (sfnl_parse_genl(nlh, service_policy, SLOTFILTER_SERVICE_A_MAX,
			    tb) ||
	    !tb[SLOTFILTER_SERVICE_A_NAME] || !tb[SLOTFILTER_SERVICE_A_SLOT])
		return -EBADMSG;
	strcpy(svc->name, mnl_attr_get_str(tb[SLOTFILTER_SERVICE_A_NAME]));
	svc->slot = mnl_attr_get_u8(tb[SLOTFILTER_SERVICE_A_SLOT]);
	svc->policy = get_u8(tb[SLOTFILTER_SERVICE_A_FAILURE_POLICY]);
	svc->timeout = get_u32(tb[SLOTFILTER_SERVICE_A_TIMEOUT]);
	svc->queue_max = get_u32(tb[SLOTFILTER_SERVICE_A_QUEUE_MAX]);
	svc->copy = get_u32(tb[SLOTFILTER_SERVICE_A_COPY]);
	svc->state = get_u8(tb[SLOTFILTER_SERVICE_A_STATE]);
	svc->flags = get_u32(tb[SLOTFILTER_SERVICE_A_FLAGS]);
	svc->nredirects = get_u32(tb[SLOTFILTER_SERVICE_A_NREDIRECTS]);
	svc->held = get_u32(tb[SLOTFILTER_SERVICE_A_HELD]);
	svc->most_held = get_u32(tb[SLOTFILTER_SERVICE_A_MOST_HELD]);
	if (u64_array_parse(tb[SLOTFILTER_SERVICE_A_STATS], svc->stats,
			    SLOTFILTER_STAT_REDIRECTED,
			    SLOTFILTER_STAT_PAD - 1, 0) ||
	    u64_array_parse(tb[SLOTFILTER_SERVICE_A_LATENCY], svc->latency,
			    1, SLOTFILTER_LATENCY_BUCKETS, 1))
		return -EBADMSG;
	return 0;
}

int sf_service_event_parse(const struct nlmsghdr *nlh,
			   struct sf_service_event *ev)
{
	const struct nlattr *tb[SLOTFILTER_SERVICE_A_MAX + 1];
	bool alert = sfnl_genl_cmd(nlh) == SLOTFILTER_CMD_SERVICE_ALERT;

	memset(ev, 0, sizeof(*ev));
	if (sfnl_parse_genl(nlh, event_policy, SLOTFILTER_SERVICE_A_MAX, tb) ||
	    !tb[SLOTFILTER_SERVICE_A_NAME] || !tb[SLOTFILTER_SERVICE_A_SLOT])
		return -EBADMSG;
	if (alert ? !tb[SLOTFILTER_SERVICE_A_ALERT] :
		    !tb[SLOTFILTER_SERVICE_A_STATE] ||
		    !tb[SLOTFILTER_SERVICE_A_PREV_STATE] ||
		    !tb[SLOTFILTER_SERVICE_A_CAUSE])
		return -EBADMSG;
	ev->cmd = sfnl_genl_cmd(nlh);
	strcpy(ev->name, mnl_attr_get_str(tb[SLOTFILTER_SERVICE_A_NAME]));
	ev->slot = mnl_attr_get_u8(tb[SLOTFILTER_SERVICE_A_SLOT]);
	ev->state = get_u8(tb[SLOTFILTER_SERVICE_A_STATE]);
	ev->prev = get_u8(tb[SLOTFILTER_SERVICE_A_PREV_STATE]);
	ev->cause = get_u8(tb[SLOTFILTER_SERVICE_A_CAUSE]);
	ev->has_released = tb[SLOTFILTER_SERVICE_A_RELEASED];
	ev->released = get_u32(tb[SLOTFILTER_SERVICE_A_RELEASED]);
	ev->has_prev_slot = tb[SLOTFILTER_SERVICE_A_PREV_SLOT];
	ev->prev_slot = get_u8(tb[SLOTFILTER_SERVICE_A_PREV_SLOT]);
	if (tb[SLOTFILTER_SERVICE_A_REASON])
		ev->reason = mnl_attr_get_str(tb[SLOTFILTER_SERVICE_A_REASON]);
	if (tb[SLOTFILTER_SERVICE_A_ALERT])
		ev->alert = mnl_attr_get_str(tb[SLOTFILTER_SERVICE_A_ALERT]);
	ev->suppressed = get_u32(tb[SLOTFILTER_SERVICE_A_SUPPRESSED]);
	return 0;
}

/* Add one message of a SERVICE_GET dump (or a doit's reply). */
int sf_services_add_msg(struct sf_services *svcs, const struct nlmsghdr *nlh)
{
	struct sf_service *p;

	if (svcs->n == svcs->cap) {
		p = realloc(svcs->svcs, (svcs->cap ? 2 * svcs->cap : 8) *
				       sizeof(*p));
		if (!p)
			return -ENOMEM;
		svcs->svcs = p;
		svcs->cap = svcs->cap ? 2 * svcs->cap : 8;
	}
	if (sf_service_parse(nlh, &svcs->svcs[svcs->n]))
		return -EBADMSG;
	svcs->n++;
	return 0;
}

struct sf_service *sf_services_find(const struct sf_services *svcs,
				    const char *name)
{
	size_t i;

	for (i = 0; i < svcs->n; i++) {
		if (!strcmp(svcs->svcs[i].name, name))
			return &svcs->svcs[i];
	}
	return NULL;
}

void sf_services_free(struct sf_services *svcs)
{
	free(svcs->svcs);
	memset(svcs, 0, sizeof(*svcs));
}

/* NAME and the options @opts (enum sf_service_opt) say, for ADD or SET. */
void sf_service_put(struct nlmsghdr *nlh, const struct sf_service *svc,
		    unsigned int opts)
{
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, svc->name);
	if (opts & SF_SVC_SLOT)
		mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_SLOT, svc->slot);
	if (opts & SF_SVC_POLICY)
		mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_FAILURE_POLICY,
				svc->policy);
	if (opts & SF_SVC_TIMEOUT)
		mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_TIMEOUT,
				 svc->timeout);
	if (opts & SF_SVC_QUEUE_MAX)
		mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_QUEUE_MAX,
				 svc->queue_max);
	if (opts & SF_SVC_COPY)
		mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_COPY, svc->copy);
}

/* The same service as configured: name, slot and options. */
bool sf_service_same(const struct sf_service *a, const struct sf_service *b)
{
	return !strcmp(a->name, b->name) && a->slot == b->slot &&
	       a->policy == b->policy && a->timeout == b->timeout &&
	       a->queue_max == b->queue_max && a->copy == b->copy;
}
