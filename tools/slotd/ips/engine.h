/* SPDX-License-Identifier: GPL-2.0 */
/*
 * engine.h - the IPS: a loaded rule set, flows, thresholds and alerts;
 * a packet in, a verdict out
 *
 * ips_packet() parses the packet, finds its flow (TCP: reassembles the
 * direction), scans the new bytes, checks the candidate rules and
 * decides:
 *
 *	a pass rule matched		continue-flow (continue without a
 *					flow); no alerts for the packet
 *	prevent, a drop matched		alerts ("blocked" for those), then
 *					drop-flow (drop without a flow id)
 *	prevent, a reject matched	the same, but reject-flow (reject):
 *					the kernel answers the sender with a
 *					TCP RST or an ICMP error; drop wins
 *					over reject (Suricata's action order)
 *	otherwise			alerts ("allowed"), continue; a TCP
 *					flow whose two directions together
 *					carried inspect-depth bytes gets
 *					continue-flow
 *
 * In a TCP stream a rule with content or pcre alerts at most once per
 * direction; rules with neither are checked on every packet. Once a flow
 * has a final verdict, its packets in flight get that verdict too
 * (drop-flow after a reject-flow: the sender was answered once).
 *
 * Each alert is one EVE line (eve.h), written to the EVE file and handed,
 * without its newline, to @alert when set (slotd: sd_service_alert(), to
 * `slotctl monitor`); alerts @alert refuses are counted in unsent.
 */
#ifndef IPS_ENGINE_H
#define IPS_ENGINE_H

#include <limits.h>
#include <stdio.h>

#include "../slotd.h"
#include "match.h"
#include "stream.h"
#include "thresh.h"

struct ips_conf {
	char name[SLOTSVC_NAME_MAX];	/* the service's, for the log */
	bool prevent;
	char rules[PATH_MAX];
	char eve[PATH_MAX];		/* "": no EVE file */
	uint32_t stream_depth;
	uint32_t inspect_depth;
	uint64_t memcap;
	uint32_t flow_timeout_s;
	int64_t quarantine_s;		/* -1: none; 0: until untagged */
};

struct ips_stats {
	uint64_t packets;
	uint64_t unparsed;		/* not IPv4/IPv6 we could read */
	uint64_t alone;			/* TCP inspected without its stream */
	uint64_t alerts;		/* EVE lines made (after threshold) */
	uint64_t unsent;		/* alerts @alert did not take */
	uint64_t suppressed;		/* alerts held back by threshold */
	uint64_t blocked;
	uint64_t passed;
	uint64_t continue_flow;
	uint64_t loads, load_failed;
};

struct ips {
	struct ips_conf conf;
	struct ips_db *db;
	struct ips_flows flows;
	struct ips_thresh_tab thr;
	FILE *eve;
	uint32_t *stamp;		/* per rule: candidate mark */
	uint32_t mark;
	unsigned int *cand;
	unsigned int n_cand;
	struct ips_stats stats;
	uint64_t (*clock_us)(void);	/* wall clock; tests replace it */
	/* Each alert's EVE line, no newline; non-zero: not sent. */
	int (*alert)(void *arg, const char *json);
	void *alert_arg;
	/* The rule behind the last blocking verdict, for quarantine. */
	uint32_t block_sid;
	char block_msg[128];
};

int ips_new(struct ips **out, const struct ips_conf *c);
void ips_free(struct ips *ips);
/* Take @c: reload its rules file and reopen its EVE file. On errors
 * (the file unreadable, the database not built) nothing changes. */
int ips_reconf(struct ips *ips, const struct ips_conf *c);
int ips_packet(struct ips *ips, const struct sd_packet *sp);
void ips_expire(struct ips *ips);

#endif /* IPS_ENGINE_H */
