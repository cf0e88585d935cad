// SPDX-License-Identifier: GPL-2.0
/*
 * ips_pkt.c - build the test packets of ips_pkt.h
 */
#include <arpa/inet.h>
#include <string.h>

#include "ips_pkt.h"

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = v >> 8;
	b[1] = v;
}

static void put32(uint8_t *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b + 2, v);
}

static size_t ip4(uint8_t *b, const char *src, const char *dst,
		  uint8_t proto, size_t l4len)
{
	memset(b, 0, 20);
	b[0] = 0x45;
	put16(b + 2, 20 + l4len);
	b[8] = 64;
	b[9] = proto;
	inet_pton(AF_INET, src, b + 12);
	inet_pton(AF_INET, dst, b + 16);
	return 20;
}

size_t pkt4_tcp(uint8_t *buf, const char *src, uint16_t sport,
		const char *dst, uint16_t dport, uint32_t seq, uint8_t flags,
		const char *payload)
{
	size_t n = strlen(payload);
	uint8_t *t = buf + ip4(buf, src, dst, 6, 20 + n);

	memset(t, 0, 20);
	put16(t, sport);
	put16(t + 2, dport);
	put32(t + 4, seq);
	t[12] = 5 << 4;
	t[13] = flags;
	put16(t + 14, 65535);
	memcpy(t + 20, payload, n);
	return 40 + n;
}

size_t pkt6_udp(uint8_t *buf, const char *src, uint16_t sport,
		const char *dst, uint16_t dport, const char *payload)
{
	size_t n = strlen(payload);
	uint8_t *u = buf + 40;

	memset(buf, 0, 48);
	buf[0] = 0x60;
	put16(buf + 4, 8 + n);
	buf[6] = 17;
	buf[7] = 64;
	inet_pton(AF_INET6, src, buf + 8);
	inet_pton(AF_INET6, dst, buf + 24);
	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, 8 + n);
	memcpy(u + 8, payload, n);
	return 48 + n;
}

size_t pkt4_icmp(uint8_t *buf, const char *src, const char *dst,
		 const char *payload)
{
	size_t n = strlen(payload);
	uint8_t *c = buf + ip4(buf, src, dst, 1, 8 + n);

	memset(c, 0, 8);
	c[0] = 8;	/* echo request */
	memcpy(c + 8, payload, n);
	return 28 + n;
}
