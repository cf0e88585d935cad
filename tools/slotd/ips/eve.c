// SPDX-License-Identifier: GPL-2.0
/*
 * eve.c - write one EVE alert line (see eve.h) through lib/json.c
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <time.h>

#include "eve.h"
#include "json.h"

static const char *proto_name(uint8_t proto, char *buf, size_t len)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_ICMP:
		return "ICMP";
	case IPPROTO_ICMPV6:
		return "IPv6-ICMP";
	}
	snprintf(buf, len, "%u", proto);
	return buf;
}

static void addr(struct json_writer *jw, const char *name, int family,
		 const uint8_t *a, bool port, uint16_t pnum,
		 const char *pname)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(family, a, buf, sizeof(buf));
	jsonw_name(jw, name);
	jsonw_string(jw, buf);
	if (port) {
		jsonw_name(jw, pname);
		jsonw_u64(jw, pnum);
	}
}

static void timestamp(char *buf, size_t len, uint64_t now_us)
{
	time_t t = now_us / 1000000;
	struct tm tm;
	size_t n;

	gmtime_r(&t, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%06u+0000",
		 (unsigned int)(now_us % 1000000));
}

void ips_eve_alert(FILE *fp, const struct ips_rule *r,
		   const struct sd_l4 *p, const struct sd_packet *sp,
		   bool blocked, uint64_t now_us)
{
	bool ports = p->has_ports;	/* TCP or UDP */
	struct json_writer *jw;
	char ts[48], pbuf[8];

	jw = jsonw_new(fp, false);
	if (!jw)
		return;
	timestamp(ts, sizeof(ts), now_us);
	jsonw_start_object(jw);
	jsonw_name(jw, "timestamp");
	jsonw_string(jw, ts);
	jsonw_name(jw, "flow_id");
	jsonw_u64(jw, sp->flow_id);
	jsonw_name(jw, "event_type");
	jsonw_string(jw, "alert");
	addr(jw, "src_ip", p->family, p->src, ports, p->sport, "src_port");
	addr(jw, "dest_ip", p->family, p->dst, ports, p->dport, "dest_port");
	jsonw_name(jw, "proto");
	jsonw_string(jw, proto_name(p->proto, pbuf, sizeof(pbuf)));
	jsonw_name(jw, "alert");
	jsonw_start_object(jw);
	jsonw_name(jw, "action");
	jsonw_string(jw, blocked ? "blocked" : "allowed");
	jsonw_name(jw, "gid");
	jsonw_u64(jw, 1);
	jsonw_name(jw, "signature_id");
	jsonw_u64(jw, r->sid);
	jsonw_name(jw, "rev");
	jsonw_u64(jw, r->rev);
	jsonw_name(jw, "signature");
	jsonw_string(jw, r->msg);
	jsonw_name(jw, "category");
	jsonw_string(jw, r->category);
	jsonw_name(jw, "severity");
	jsonw_u64(jw, r->priority);
	jsonw_end_object(jw);
	jsonw_name(jw, "slotfilter");
	jsonw_start_object(jw);
	jsonw_name(jw, "port");
	jsonw_string(jw, sp->ifname ? sp->ifname : "");
	jsonw_name(jw, "direction");
	jsonw_string(jw, sp->dir == SLOTSVC_DIR_EGRESS ? "egress" : "ingress");
	jsonw_name(jw, "slot");
	jsonw_u64(jw, sp->slot);
	jsonw_name(jw, "service");
	jsonw_string(jw, sp->service ? sp->service : "");
	jsonw_end_object(jw);
	jsonw_end_object(jw);
	jsonw_destroy(jw);
}
