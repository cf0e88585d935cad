// SPDX-License-Identifier: GPL-2.0
/*
 * l4.c - find the transport header and payload of an IPv4/IPv6 packet
 *
 * Every length is checked against the bytes the packet holds before it
 * is read. IPv6 extension headers are walked, at most EXT_MAX of them;
 * a fragment other than the first has no transport header (has_ports
 * stays false). A packet shorter than its IP header says (a service fed
 * only the first bytes) is parsed as far as it goes and marked
 * truncated.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "l4.h"

#define EXT_MAX		8

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The transport header at @off; @end is where the IP packet ends. */
static int parse_ports(const uint8_t *pkt, size_t len, size_t off,
		       size_t end, struct sd_l4 *l4)
{
	size_t hlen;

	if (l4->proto == IPPROTO_TCP) {
		if (off + 20 > len)
			return -EBADMSG;
		hlen = (pkt[off + 12] >> 4) * 4u;
		if (hlen < 20 || off + hlen > len || off + hlen > end)
			return -EBADMSG;
		l4->seq = get32(pkt + off + 4);
		l4->tcp_flags = pkt[off + 13];
	} else if (l4->proto == IPPROTO_UDP) {
		hlen = 8;
		if (off + hlen > len || off + hlen > end)
			return -EBADMSG;
	} else {
		return 0;
	}
	l4->has_ports = true;
	l4->sport = get16(pkt + off);
	l4->dport = get16(pkt + off + 2);
	off += hlen;
	l4->seg_len = end - off;
	l4->payload = pkt + off;
	l4->payload_len = (len < end ? len : end) - off;
	return 0;
}

static int parse_v4(const uint8_t *pkt, size_t len, struct sd_l4 *l4)
{
	size_t ihl, tot;

	if (len < 20)
		return -EBADMSG;
	ihl = (pkt[0] & 0x0f) * 4u;
	tot = get16(pkt + 2);
	if (ihl < 20 || tot < ihl || len < ihl)
		return -EBADMSG;
	l4->family = AF_INET;
	l4->proto = pkt[9];
	memcpy(l4->src, pkt + 12, 4);
	memcpy(l4->dst, pkt + 16, 4);
	l4->truncated = len < tot;
	if (get16(pkt + 6) & 0x1fff)		/* not the first fragment */
		return 0;
	return parse_ports(pkt, len, ihl, tot, l4);
}

static int parse_v6(const uint8_t *pkt, size_t len, struct sd_l4 *l4)
{
	size_t off = 40, end;
	uint8_t next;
	int i;

	if (len < 40)
		return -EBADMSG;
	end = 40 + get16(pkt + 4);
	if (end == 40)				/* a jumbogram, or empty */
		end = len;
	l4->family = AF_INET6;
	memcpy(l4->src, pkt + 8, 16);
	memcpy(l4->dst, pkt + 24, 16);
	l4->truncated = len < end;
	next = pkt[6];
	for (i = 0; i < EXT_MAX; i++) {
		switch (next) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
			if (off + 8 > len || off + 8 > end)
				return -EBADMSG;
			next = pkt[off];
			off += (pkt[off + 1] + 1) * 8u;
			continue;
		case IPPROTO_AH:
			if (off + 8 > len || off + 8 > end)
				return -EBADMSG;
			next = pkt[off];
			off += (pkt[off + 1] + 2) * 4u;
			continue;
		case IPPROTO_FRAGMENT:
			if (off + 8 > len || off + 8 > end)
				return -EBADMSG;
			l4->proto = pkt[off];
			if (get16(pkt + off + 2) & 0xfff8)
				return 0;	/* not the first fragment */
			next = pkt[off];
			off += 8;
			continue;
		}
		break;
	}
	l4->proto = next;
	if (i == EXT_MAX || off > end)
		return -EBADMSG;
	return parse_ports(pkt, len, off, end, l4);
}

int sd_l4_parse(const uint8_t *pkt, size_t len, struct sd_l4 *l4)
{
	memset(l4, 0, sizeof(*l4));
	if (!len)
		return -EBADMSG;
	switch (pkt[0] >> 4) {
	case 4:
		return parse_v4(pkt, len, l4);
	case 6:
		return parse_v6(pkt, len, l4);
	}
	return -EBADMSG;
}

void sd_l4_addr(const struct sd_l4 *l4, bool dst, char *buf, size_t size)
{
	if (!inet_ntop(l4->family, dst ? l4->dst : l4->src, buf, size))
		snprintf(buf, size, "?");
}
