// SPDX-License-Identifier: GPL-2.0
/*
 * webrep_log.c - a web reputation decision as a JSON line
 *
 * The fields follow Suricata's EVE where it has them (timestamp,
 * flow_id, event_type, src_ip, src_port, dest_ip, dest_port), then the
 * decision, then where slotfilter saw the packet:
 *
 *	{"timestamp":"2024-05-01T12:00:00.123456+0000","flow_id":7,
 *	 "event_type":"webrep","src_ip":"10.0.0.2","src_port":40000,
 *	 "dest_ip":"192.0.2.1","dest_port":443,"proto":"tls",
 *	 "action":"blocked","host":"bad.example","score":10,
 *	 "category":"malware","entry":"bad.example",
 *	 "slotfilter":{"port":"veth0","direction":"ingress","slot":4,
 *	 "service":"web"}}
 *
 * (one line in the file). "url" follows "host" for HTTP; "entry" is
 * null for a host the database does not list (its score is then the
 * default-score and its category "unknown"). Times are UTC.
 */
#include <stdio.h>

#include "json.h"
#include "webrep_log.h"

static void timestamp(struct json_writer *jw, const struct timespec *ts)
{
	char buf[64];
	struct tm tm;
	size_t n;

	gmtime_r(&ts->tv_sec, &tm);
	n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, sizeof(buf) - n, ".%06ld+0000",
		 ts->tv_nsec / 1000);
	jsonw_string(jw, buf);
}

static void member_str(struct json_writer *jw, const char *name,
		       const char *s)
{
	jsonw_name(jw, name);
	if (s)
		jsonw_string(jw, s);
	else
		jsonw_null(jw);
}

static void member_u64(struct json_writer *jw, const char *name, uint64_t v)
{
	jsonw_name(jw, name);
	jsonw_u64(jw, v);
}

void wr_log_event(struct json_writer *jw, const struct wr_event *ev)
{
	const struct sd_packet *pkt = ev->pkt;
	char addr[64];

	jsonw_start_object(jw);
	jsonw_name(jw, "timestamp");
	timestamp(jw, &ev->ts);
	member_u64(jw, "flow_id", pkt->flow_id);
	member_str(jw, "event_type", "webrep");
	sd_l4_addr(ev->l4, false, addr, sizeof(addr));
	member_str(jw, "src_ip", addr);
	member_u64(jw, "src_port", ev->l4->sport);
	sd_l4_addr(ev->l4, true, addr, sizeof(addr));
	member_str(jw, "dest_ip", addr);
	member_u64(jw, "dest_port", ev->l4->dport);
	member_str(jw, "proto", ev->proto);
	member_str(jw, "action", ev->blocked ? "blocked" : "allowed");
	member_str(jw, "host", ev->host);
	if (ev->url)
		member_str(jw, "url", ev->url);
	member_u64(jw, "score", ev->score);
	member_str(jw, "category", ev->category);
	member_str(jw, "entry", ev->entry);
	jsonw_name(jw, "slotfilter");
	jsonw_start_object(jw);
	member_str(jw, "port", pkt->ifname);
	member_str(jw, "direction",
		   pkt->dir == SLOTSVC_DIR_EGRESS ? "egress" : "ingress");
	member_u64(jw, "slot", pkt->slot);
	member_str(jw, "service", pkt->service);
	jsonw_end_object(jw);
	jsonw_end_object(jw);
}
