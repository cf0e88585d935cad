/* SPDX-License-Identifier: GPL-2.0 */
/* What the firewall reads of a packet, from either hook. */
#ifndef _SF_PACKET_H
#define _SF_PACKET_H

#include <linux/in6.h>
#include <linux/netdevice.h>
#include <linux/slotfilter.h>

enum sf_pkt_kind {
	SF_PKT_NONIP,		/* ARP, and anything not IPv4/IPv6 */
	SF_PKT_ND,		/* IPv6 neighbour discovery: treated as non-IP */
	SF_PKT_FRAGMENT,	/* a non-first fragment: no L4 header */
	SF_PKT_ICMP_ERROR,	/* ICMP error: inner holds the quoted flow */
	SF_PKT_IP,
	SF_PKT_BAD,		/* truncated or malformed headers */
};

struct sf_pktinfo {
	struct in6_addr src, dst;	/* IPv4 as IPv4-mapped */
	__be16 sport, dport;		/* ICMP echo: the id in both */
	u8 family;			/* NFPROTO_IPV4, NFPROTO_IPV6 */
	u8 proto;
	u8 tcp_flags;
	u8 icmp_type, icmp_code;
	u8 kind;			/* enum sf_pkt_kind */
	unsigned int nhoff;		/* network header, from skb->data */
};

int sf_pkt_parse(const struct sk_buff *skb, enum slotfilter_direction dir,
		 const struct net_device *dev, struct sf_pktinfo *pi);
bool sf_pkt_icmp_inner(const struct sk_buff *skb, const struct sf_pktinfo *pi,
		       struct sf_pktinfo *inner);

static inline bool sf_pkt_is_v4(const struct sf_pktinfo *pi)
{
	return pi->family == NFPROTO_IPV4;
}

#endif /* _SF_PACKET_H */
