/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svcmsg.h - a service as SLOTFILTER_CMD_SERVICE_GET describes it, and
 * the SERVICE_ADD / SERVICE_SET requests
 */
#ifndef SF_SVCMSG_H
#define SF_SVCMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/slotfilter.h>

/* The kernel's defaults for what SERVICE_ADD leaves out (uapi). */
#define SF_SERVICE_TIMEOUT_DEFAULT	1000
#define SF_SERVICE_QUEUE_DEFAULT	1024

/* Which options a request carries (SERVICE_SET changes only those). */
enum sf_service_opt {
	SF_SVC_SLOT		= 1 << 0,
	SF_SVC_POLICY		= 1 << 1,
	SF_SVC_TIMEOUT		= 1 << 2,
	SF_SVC_QUEUE_MAX	= 1 << 3,
	SF_SVC_COPY		= 1 << 4,
	SF_SVC_ALL		= 0x1f,
};

struct sf_service {
	char name[SLOTFILTER_NAME_MAX];
	uint8_t slot;
	uint8_t policy;			/* enum slotfilter_failure_policy */
	uint32_t timeout;		/* ms */
	uint32_t queue_max;
	uint32_t copy;			/* bytes, 0: the whole packet */
	/* SERVICE_GET replies only */
	uint8_t state;			/* enum slotfilter_service_state */
	uint32_t flags;			/* SLOTFILTER_SERVICE_F_* (bind) */
	uint32_t nredirects, held, most_held;
	/* by enum slotfilter_service_stat; by bucket */
	uint64_t stats[SLOTFILTER_STAT_MAX + 1];
	uint64_t latency[SLOTFILTER_LATENCY_BUCKETS];
};

struct sf_services {
	struct sf_service *svcs;
	size_t n, cap;
};

/* A SERVICE_EVENT or a SERVICE_ALERT event, as slotctl monitor shows it. */
struct sf_service_event {
	uint8_t cmd;			/* SLOTFILTER_CMD_SERVICE_EVENT or _ALERT */
	char name[SLOTFILTER_NAME_MAX];
	uint8_t slot;
	/* SERVICE_EVENT */
	uint8_t state, prev;		/* enum slotfilter_service_state */
	uint8_t cause;			/* enum slotfilter_service_cause */
	bool has_released, has_prev_slot;
	uint32_t released;
	uint8_t prev_slot;
	const char *reason;		/* NULL: none; in the message */
	/* SERVICE_ALERT */
	const char *alert;		/* in the message */
	uint32_t suppressed;
};

void sf_service_defaults(struct sf_service *svc);
/* -EBADMSG unless it has every attribute its kind always carries. */
int sf_service_event_parse(const struct nlmsghdr *nlh,
			   struct sf_service_event *ev);
int sf_service_parse(const struct nlmsghdr *nlh, struct sf_service *svc);
int sf_services_add_msg(struct sf_services *svcs, const struct nlmsghdr *nlh);
struct sf_service *sf_services_find(const struct sf_services *svcs,
				    const char *name);
void sf_services_free(struct sf_services *svcs);
void sf_service_put(struct nlmsghdr *nlh, const struct sf_service *svc,
		    unsigned int opts);
bool sf_service_same(const struct sf_service *a, const struct sf_service *b);

#endif /* SF_SVCMSG_H */
