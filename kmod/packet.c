// SPDX-License-Identifier: GPL-2.0
/*
 * Header parsing for the firewall. Everything is read with
 * skb_header_pointer(), so nothing here writes to or linearises the skb,
 * and a short or malformed packet is recognised as such (SF_PKT_BAD).
 *
 * At ingress skb->data is at the network header; at egress it is at the
 * link-layer header, whose length is the device's hard_header_len.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/tcp.h>
#include <net/ndisc.h>
#include "packet.h"

/* Ports (or the ICMP echo id) of the L4 header at @off. */
static int sf_pkt_l4(const struct sk_buff *skb, unsigned int off,
		     struct sf_pktinfo *pi)
{
	switch (pi->proto) {
	case IPPROTO_TCP: {
		struct tcphdr _th;
		const struct tcphdr *th;

		th = skb_header_pointer(skb, off, sizeof(_th), &_th);
		if (!th)
			return -EINVAL;
		pi->sport = th->source;
		pi->dport = th->dest;
		pi->tcp_flags = tcp_flag_byte(th);
		return 0;
	}
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP: {
		__be16 _ports[2];
		const __be16 *ports;

		ports = skb_header_pointer(skb, off, sizeof(_ports), _ports);
		if (!ports)
			return -EINVAL;
		pi->sport = ports[0];
		pi->dport = ports[1];
		return 0;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		struct icmphdr _ih;
		const struct icmphdr *ih;

		/* icmphdr and icmp6hdr share type, code and the echo id. */
		ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
		if (!ih)
			return -EINVAL;
		pi->icmp_type = ih->type;
		pi->icmp_code = ih->code;
		pi->sport = ih->un.echo.id;
		pi->dport = ih->un.echo.id;
		return 0;
	}
	}
	return 0;
}

static bool sf_icmp_is_echo(const struct sf_pktinfo *pi)
{
	if (pi->proto == IPPROTO_ICMP)
		return pi->icmp_type == ICMP_ECHO ||
		       pi->icmp_type == ICMP_ECHOREPLY;
	return pi->icmp_type == ICMPV6_ECHO_REQUEST ||
	       pi->icmp_type == ICMPV6_ECHO_REPLY;
}

static bool sf_icmp_is_error(const struct sf_pktinfo *pi)
{
	if (pi->proto == IPPROTO_ICMP)
		return pi->icmp_type == ICMP_DEST_UNREACH ||
		       pi->icmp_type == ICMP_TIME_EXCEEDED ||
		       pi->icmp_type == ICMP_PARAMETERPROB;
	return pi->icmp_type < 128 && pi->icmp_type >= ICMPV6_DEST_UNREACH &&
	       pi->icmp_type <= ICMPV6_PARAMPROB;
}

static int sf_pkt_v4(const struct sk_buff *skb, unsigned int off,
		     struct sf_pktinfo *pi)
{
	struct iphdr _iph;
	const struct iphdr *iph;

	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return -EINVAL;
	pi->family = NFPROTO_IPV4;
	pi->proto = iph->protocol;
	ipv6_addr_set_v4mapped(iph->saddr, &pi->src);
	ipv6_addr_set_v4mapped(iph->daddr, &pi->dst);
	if (iph->frag_off & htons(IP_OFFSET)) {
		pi->kind = SF_PKT_FRAGMENT;
		return 0;
	}
	return sf_pkt_l4(skb, off + iph->ihl * 4, pi);
}

static int sf_pkt_v6(const struct sk_buff *skb, unsigned int off,
		     struct sf_pktinfo *pi)
{
	struct ipv6hdr _ip6h;
	const struct ipv6hdr *ip6h;
	__be16 frag_off = 0;
	u8 nexthdr;
	int thoff;

	ip6h = skb_header_pointer(skb, off, sizeof(_ip6h), &_ip6h);
	if (!ip6h || ip6h->version != 6)
		return -EINVAL;
	pi->family = NFPROTO_IPV6;
	pi->src = ip6h->saddr;
	pi->dst = ip6h->daddr;
	nexthdr = ip6h->nexthdr;
	thoff = ipv6_skip_exthdr(skb, off + sizeof(_ip6h), &nexthdr,
				 &frag_off);
	if (thoff < 0)
		return -EINVAL;
	pi->proto = nexthdr;
	if (frag_off & htons(IP6_OFFSET)) {
		pi->kind = SF_PKT_FRAGMENT;
		return 0;
	}
	return sf_pkt_l4(skb, thoff, pi);
}

static int sf_pkt_parse_at(const struct sk_buff *skb, __be16 protocol,
			   unsigned int off, struct sf_pktinfo *pi)
{
	int err = 0;

	pi->kind = SF_PKT_IP;
	if (protocol == htons(ETH_P_IP))
		err = sf_pkt_v4(skb, off, pi);
	else if (protocol == htons(ETH_P_IPV6))
		err = sf_pkt_v6(skb, off, pi);
	else
		pi->kind = SF_PKT_NONIP;
	if (err) {
		pi->kind = SF_PKT_BAD;
		return err;
	}
	if (pi->kind != SF_PKT_IP)
		return 0;
	if (pi->proto == IPPROTO_ICMPV6 &&
	    pi->icmp_type >= NDISC_ROUTER_SOLICITATION &&
	    pi->icmp_type <= NDISC_REDIRECT)
		pi->kind = SF_PKT_ND;
	else if ((pi->proto == IPPROTO_ICMP ||
		  pi->proto == IPPROTO_ICMPV6) && !sf_icmp_is_echo(pi)) {
		pi->sport = 0;
		pi->dport = 0;
		if (sf_icmp_is_error(pi))
			pi->kind = SF_PKT_ICMP_ERROR;
	}
	return 0;
}

int sf_pkt_parse(const struct sk_buff *skb, enum slotfilter_direction dir,
		 const struct net_device *dev, struct sf_pktinfo *pi)
{
	memset(pi, 0, sizeof(*pi));
	pi->nhoff = dir == SLOTFILTER_DIR_EGRESS ? dev->hard_header_len : 0;
	return sf_pkt_parse_at(skb, skb->protocol, pi->nhoff, pi);
}

/*
 * The packet an ICMP error quotes, as its original sender saw it. Returns
 * false if it cannot be read.
 */
bool sf_pkt_icmp_inner(const struct sk_buff *skb, const struct sf_pktinfo *pi,
		       struct sf_pktinfo *inner)
{
	unsigned int off = pi->nhoff;
	struct iphdr _iph;
	const struct iphdr *iph;

	memset(inner, 0, sizeof(*inner));
	if (sf_pkt_is_v4(pi)) {
		iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
		if (!iph)
			return false;
		off += iph->ihl * 4 + sizeof(struct icmphdr);
		sf_pkt_parse_at(skb, htons(ETH_P_IP), off, inner);
	} else {
		struct ipv6hdr _ip6h;
		const struct ipv6hdr *ip6h;
		__be16 frag_off;
		u8 nexthdr;
		int thoff;

		ip6h = skb_header_pointer(skb, off, sizeof(_ip6h), &_ip6h);
		if (!ip6h)
			return false;
		nexthdr = ip6h->nexthdr;
		thoff = ipv6_skip_exthdr(skb, off + sizeof(_ip6h), &nexthdr,
					 &frag_off);
		if (thoff < 0)
			return false;
		off = thoff + sizeof(struct icmp6hdr);
		sf_pkt_parse_at(skb, htons(ETH_P_IPV6), off, inner);
	}
	return inner->kind == SF_PKT_IP && inner->family == pi->family;
}
