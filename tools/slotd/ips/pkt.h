/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pkt.h - what the IPS reads from a packet's IPv4 or IPv6 header and its
 * TCP, UDP or ICMP header
 */
#ifndef IPS_PKT_H
#define IPS_PKT_H

#include <stdbool.h>
#include <stdint.h>

#define IPS_TCP_FIN	0x01
#define IPS_TCP_SYN	0x02
#define IPS_TCP_RST	0x04
#define IPS_TCP_ACK	0x10

struct ips_pkt {
	int family;			/* AF_INET, AF_INET6 */
	uint8_t src[16], dst[16];
	uint8_t proto;			/* IPPROTO_*, after IPv6 extensions */
	bool l4;			/* the ports/flags below are known */
	uint16_t sport, dport;		/* 0 for ICMP */
	uint8_t tcp_flags;
	uint32_t seq;
	const uint8_t *payload;		/* after the L4 header (ICMP: 8 bytes) */
	uint32_t plen;			/* as far as the bytes we have go */
};

/* 0, or -EINVAL when @data is no IPv4/IPv6 packet we can read. */
int ips_pkt_parse(struct ips_pkt *p, const uint8_t *data, uint32_t len);

#endif /* IPS_PKT_H */
