// SPDX-License-Identifier: GPL-2.0
/*
 * prefix.c - parse, print and order IPv4/IPv6 prefixes
 *
 * The order is the kernel's order of set elements: IPv4 first, then by
 * address, then by length. Sorting both sides by it lets slotctl compare
 * two sets in one pass.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "prefix.h"

unsigned int sf_addr_len(unsigned int family)
{
	return family == AF_INET ? 4 : 16;
}

/* AF_INET or AF_INET6 for an address of @len bytes, 0 for neither. */
unsigned int sf_family_of_len(size_t len)
{
	return len == 4 ? AF_INET : len == 16 ? AF_INET6 : 0;
}

static void prefix_mask(const struct sf_prefix *p, struct sf_prefix *net)
{
	unsigned int i, len = sf_addr_len(p->family);

	*net = *p;
	for (i = 0; i < len; i++) {
		if (p->plen >= (i + 1) * 8)
			continue;
		if (p->plen <= i * 8)
			net->addr[i] = 0;
		else
			net->addr[i] &= 0xff << (8 - p->plen % 8);
	}
}

int sf_prefix_parse(const char *s, struct sf_prefix *p, char *msg,
		    size_t msglen)
{
	char addr[INET6_ADDRSTRLEN], net[SF_PREFIX_STRLEN];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	struct sf_prefix masked;
	unsigned int max;
	unsigned long n;
	char *end;

	memset(p, 0, sizeof(*p));
	if (alen < sizeof(addr)) {
		memcpy(addr, s, alen);
		addr[alen] = '\0';
		if (inet_pton(AF_INET, addr, p->addr) == 1)
			p->family = AF_INET;
		else if (inet_pton(AF_INET6, addr, p->addr) == 1)
			p->family = AF_INET6;
	}
	if (!p->family) {
		snprintf(msg, msglen, "invalid address \"%.*s\"",
			 (int)(alen > 64 ? 64 : alen), s);
		return -1;
	}
	max = sf_addr_len(p->family) * 8;
	p->plen = max;
	if (!slash)
		return 0;
	n = strtoul(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end) {
		snprintf(msg, msglen, "invalid prefix length \"%.16s\" in \"%.64s\"",
			 slash + 1, s);
		return -1;
	}
	if (n > max) {
		snprintf(msg, msglen, "prefix length %lu out of range for %s",
			 n > 999 ? 999 : n,
			 p->family == AF_INET ? "IPv4" : "IPv6");
		return -1;
	}
	p->plen = n;
	prefix_mask(p, &masked);
	if (memcmp(masked.addr, p->addr, sizeof(p->addr))) {
		sf_prefix_format(&masked, net);
		snprintf(msg, msglen,
			 "\"%.64s\" has host bits set: did you mean %s?",
			 s, net);
		return -1;
	}
	return 0;
}

/* @buf: SF_PREFIX_STRLEN bytes. */
void sf_prefix_format(const struct sf_prefix *p, char *buf)
{
	unsigned int max = sf_addr_len(p->family) * 8;

	if (!inet_ntop(p->family, p->addr, buf, INET6_ADDRSTRLEN)) {
		strcpy(buf, "?");
		return;
	}
	if (p->plen != max)
		sprintf(buf + strlen(buf), "/%u", p->plen);
}

int sf_prefix_cmp(const struct sf_prefix *a, const struct sf_prefix *b)
{
	int c;

	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	c = memcmp(a->addr, b->addr, sf_addr_len(a->family));
	if (c)
		return c;
	return (int)a->plen - (int)b->plen;
}
