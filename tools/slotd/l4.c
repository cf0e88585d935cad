// SPDX-License-Identifier: GPL-2.0
/*
 * l4.c - find the transport header and payload of an IPv4/IPv6 packet
 *
 * The bytes start at the network header and may be cut short (a
 * service's copy setting): every length is checked against the bytes the
 * packet holds, and against the IP header's length, before it is read.
 * A packet shorter than its IP header says is parsed as far as it goes
 * and marked truncated; one longer (link layer padding) ends where the
 * IP header says. IPv6 extension headers (hop-by-hop, routing,
 * destination options, fragment, AH) are walked, at most EXT_MAX of
 * them; an IPv6 payload length of 0 (a jumbogram) reaches to the end of
 * the bytes. A fragment other than the first has no transport header:
 * has_ports stays false and the payload is the fragment's. A transport
 * header cut short is no error: has_ports stays false and the payload
 * starts where that header does, as for protocols other than TCP, UDP,
 * ICMP and ICMPv6.
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

/*
 * The payload at @off, of a packet of @len bytes whose IP header says it
 * ends at @end; @off may be past either.
 */
static void set_payload(const uint8_t *pkt, size_t len, size_t off,
			size_t end, struct sd_l4 *l4)
{
	size_t avail = len < end ? len : end;

	l4->payload = pkt + (off < avail ? off : avail);
	l4->payload_len = off < avail ? avail - off : 0;
	l4->seg_len = off < end ? end - off : 0;
}

/* The transport header at @off; @end is where the IP packet ends. */
static void parse_transport(const uint8_t *pkt, size_t len, size_t off,
			    size_t end, struct sd_l4 *l4)
{
	size_t avail = len < end ? len : end, hlen = 0;

	switch (l4->proto) {
	case IPPROTO_TCP:
		if (off + 20 > avail)
			break;
		hlen = (pkt[off + 12] >> 4) * 4u;
		if (hlen < 20 || off + hlen > avail) {
			hlen = 0;
			break;
		}
		l4->seq = get32(pkt + off + 4);
		l4->tcp_flags = pkt[off + 13];
		l4->has_ports = true;
		break;
	case IPPROTO_UDP:
		if (off + 8 > avail)
			break;
		hlen = 8;
		l4->has_ports = true;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (off + 8 <= avail)
			hlen = 8;
		break;
	}
	if (l4->has_ports) {
		l4->sport = get16(pkt + off);
		l4->dport = get16(pkt + off + 2);
	}
	set_payload(pkt, len, off + hlen, end, l4);
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
		set_payload(pkt, len, ihl, tot, l4);
	else
		parse_transport(pkt, len, ihl, tot, l4);
	return 0;
}

static bool ipv6_ext(uint8_t next)
{
	return next == IPPROTO_HOPOPTS || next == IPPROTO_ROUTING ||
	       next == IPPROTO_DSTOPTS || next == IPPROTO_FRAGMENT ||
	       next == IPPROTO_AH;
}

static int parse_v6(const uint8_t *pkt, size_t len, struct sd_l4 *l4)
{
	size_t off = 40, end, hlen;
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
	for (i = 0; ipv6_ext(next); i++) {
		if (i == EXT_MAX || off + 8 > len || off + 8 > end)
			return -EBADMSG;
		if (next == IPPROTO_FRAGMENT) {
			l4->proto = pkt[off];
			if (get16(pkt + off + 2) & 0xfff8) {
				/* not the first fragment */
				set_payload(pkt, len, off + 8, end, l4);
				return 0;
			}
			hlen = 8;
		} else if (next == IPPROTO_AH) {
			hlen = (pkt[off + 1] + 2) * 4u;
		} else {
			hlen = (pkt[off + 1] + 1) * 8u;
		}
		next = pkt[off];
		off += hlen;
	}
	l4->proto = next;
	if (off > end)
		return -EBADMSG;
	parse_transport(pkt, len, off, end, l4);
	return 0;
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
