/* SPDX-License-Identifier: GPL-2.0 */
/* Slots 4-11: inspection services, served by a helper socket. */
#ifndef _SF_SERVICE_H
#define _SF_SERVICE_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include "filter.h"
#include "flow.h"
#include "fw.h"
#include "ruleset.h"

struct genl_info;
struct sf_net;
struct sf_port;

struct sf_service_stats {
	u64 c[__SLOTFILTER_STAT_MAX];
	u64 latency[SLOTFILTER_LATENCY_BUCKETS];
};

#define SF_HOLD_BUCKETS	256

/*
 * One service of a namespace. Its options are written under RTNL and read
 * with READ_ONCE on the packet path; the binding, the health and the hold
 * queue are guarded by @lock (see hold.c). Freed one grace period after
 * the last reference (sn->services and each chain hold one).
 */
struct sf_service {
	struct sf_filter filter;
	struct sf_net *sn;
	char name[SLOTFILTER_NAME_MAX];
	u8 id;				/* index in sn->services, stable */
	u8 slot;
	u8 policy;			/* enum slotfilter_failure_policy */
	u32 timeout_ms;
	u32 queue_max;
	u32 copy;			/* 0: all */

	spinlock_t lock;		/* everything below */
	u32 portid;			/* the bound helper, 0: none */
	u32 flags;			/* SLOTFILTER_SERVICE_F_* of the bind */
	bool failing;
	bool dead;			/* being deleted: hold nothing more */
	u32 held, most_held;
	u64 next_id;
	struct list_head fifo;		/* struct sf_held, oldest first */
	struct hlist_head hash[SF_HOLD_BUCKETS];	/* by id */
	struct timer_list timer;	/* the oldest packet's deadline */

	struct sf_fw_log alerts;	/* the rate limit of SERVICE_ALERT */
	struct sf_service_stats __percpu *stats;
	struct rcu_head rcu;
};

/* A change of a service, as its SERVICE_EVENT tells it. */
struct sf_service_change {
	u8 cause;			/* enum slotfilter_service_cause */
	u8 prev, state;			/* enum slotfilter_service_state */
	u8 prev_slot;			/* cause moved */
	int released;			/* -1: not part of this change */
	const char *reason;		/* cause health; NULL: none given */
	u32 helper;			/* deleted: its helper is told too */
};

/* service.c */
int sf_service_id(struct sf_net *sn, const char *name);
struct sf_service *sf_service_find(struct sf_net *sn, const char *name);
int sf_service_add(struct sf_net *sn, const char *name, u8 slot,
		   struct nlattr **tb, struct netlink_ext_ack *extack);
int sf_service_set(struct sf_service *svc, struct nlattr **tb,
		   struct netlink_ext_ack *extack);
int sf_service_del(struct sf_service *svc, struct netlink_ext_ack *extack);
struct sf_filter *sf_service_port_filter(struct sf_net *sn, unsigned int slot);
void sf_service_port_gone(struct sf_net *sn, struct sf_port *port);
void sf_service_net_exit(struct sf_net *sn);
void sf_service_stat(struct sf_service *svc, enum slotfilter_service_stat s);
void sf_service_totals(struct sf_service *svc, struct sf_service_stats *t);
u32 sf_service_nredirects(struct sf_service *svc);
u8 sf_service_state(const struct sf_service *svc);

/* svcnl.c */
void sf_service_event(struct sf_service *svc,
		      const struct sf_service_change *c, gfp_t gfp);

/* hold.c */
struct sf_hold_info {
	struct sk_buff *skb;		/* data at the L2 header */
	struct sf_flow_tuple *tuple;	/* NULL: no flow entry */
	u32 ifindex;
	u16 nhoff;
	u8 dir, slot;
};

void sf_hold_init(struct sf_service *svc);
void sf_hold_send(struct sf_service *svc, const struct sf_pkt *pkt,
		  struct sf_hold_info *hi, const struct sf_rule *rule,
		  u32 flow_id, u32 gen);
unsigned int sf_hold_flush(struct sf_service *svc, u32 ifindex);
unsigned int sf_hold_destroy(struct sf_service *svc);
int sf_hold_verdicts(struct sf_service *svc, struct genl_info *info);
void sf_hold_fail(struct sf_service *svc, struct sk_buff *skb, u8 dir,
		  u8 slot, enum slotfilter_service_stat cause);
int sf_service_init(void);
void sf_service_exit(void);

#endif /* _SF_SERVICE_H */
