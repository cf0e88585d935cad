// SPDX-License-Identifier: GPL-2.0
/*
 * pkt.c - read the addresses, ports and payload of a held packet
 *
 * The bytes start at the network header and may be cut short (the
 * service's copy setting): everything is bounded by what is there. A
 * fragment other than the first has no L4 header: its payload is the IP
 * payload and l4 stays false. IPv6 extension headers (hop-by-hop,
 * routing, destination options, fragment) are skipped, at most 8.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "pkt.h"

static uint16_t get16(const uint8_t *b)
{
	return b[0] << 8 | b[1];
}

static uint32_t get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
}

static void l4(struct ips_pkt *p, const uint8_t *b, uint32_t len)
{
	uint32_t hl;

	p->payload = b;
	p->plen = len;
	switch (p->proto) {
	case IPPROTO_TCP:
		if (len < 20 || (hl = (b[12] >> 4) * 4) < 20 || hl > len)
			return;
		p->sport = get16(b);
		p->dport = get16(b + 2);
		p->seq = get32(b + 4);
		p->tcp_flags = b[13];
		break;
	case IPPROTO_UDP:
		if ((hl = 8) > len)
			return;
		p->sport = get16(b);
		p->dport = get16(b + 2);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if ((hl = 8) > len)
			return;
		break;
	default:
		return;
	}
	p->l4 = true;
	p->payload = b + hl;
	p->plen = len - hl;
}

static int ipv4(struct ips_pkt *p, const uint8_t *b, uint32_t len)
{
	uint32_t hl = (b[0] & 15) * 4, tot;

	if (len < 20 || hl < 20 || hl > len)
		return -EINVAL;
	tot = get16(b + 2);
	if (tot < hl)
		return -EINVAL;
	if (tot < len)
		len = tot;
	p->family = AF_INET;
	memcpy(p->src, b + 12, 4);
	memcpy(p->dst, b + 16, 4);
	p->proto = b[9];
	if (get16(b + 6) & 0x1fff) {	/* not the first fragment */
		p->payload = b + hl;
		p->plen = len - hl;
		return 0;
	}
	l4(p, b + hl, len - hl);
	return 0;
}

static int ipv6(struct ips_pkt *p, const uint8_t *b, uint32_t len)
{
	uint32_t off = 40, tot;
	uint8_t next;
	int i;

	if (len < 40)
		return -EINVAL;
	tot = 40 + get16(b + 4);
	if (tot < len)
		len = tot;
	p->family = AF_INET6;
	memcpy(p->src, b + 8, 16);
	memcpy(p->dst, b + 24, 16);
	next = b[6];
	for (i = 0; i < 8; i++) {
		if (next == IPPROTO_FRAGMENT) {
			if (off + 8 > len)
				return -EINVAL;
			p->proto = b[off];
			if (get16(b + off + 2) & 0xfff8) {
				p->payload = b + off + 8;
				p->plen = len - off - 8;
				return 0;
			}
			next = b[off];
			off += 8;
		} else if (next == IPPROTO_HOPOPTS ||
			   next == IPPROTO_ROUTING ||
			   next == IPPROTO_DSTOPTS) {
			if (off + 8 > len)
				return -EINVAL;
			next = b[off];
			off += (b[off + 1] + 1) * 8;
			if (off > len)
				return -EINVAL;
		} else {
			break;
		}
	}
	p->proto = next;
	l4(p, b + off, len - off);
	return 0;
}

int ips_pkt_parse(struct ips_pkt *p, const uint8_t *data, uint32_t len)
{
	memset(p, 0, sizeof(*p));
	if (!len)
		return -EINVAL;
	switch (data[0] >> 4) {
	case 4:
		return ipv4(p, data, len);
	case 6:
		return ipv6(p, data, len);
	}
	return -EINVAL;
}
