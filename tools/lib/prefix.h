/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prefix.h - IPv4 and IPv6 prefixes: rule addresses and set elements
 *
 * A prefix is written as an address (inet_pton) with an optional "/LEN";
 * without it, it is the one address (/32, /128), and it is written back
 * the same way. Bits of the address beyond LEN must be zero: the kernel
 * refuses them, and so does sf_prefix_parse(), saying which prefix was
 * meant.
 */
#ifndef SF_PREFIX_H
#define SF_PREFIX_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

struct sf_prefix {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t plen;
	uint8_t addr[16];	/* network order; IPv4 in the first 4 bytes */
};

/* "ffff:...:ffff/128" and its NUL */
#define SF_PREFIX_STRLEN	(INET6_ADDRSTRLEN + 4)

int sf_prefix_parse(const char *s, struct sf_prefix *p, char *msg,
		    size_t msglen);
void sf_prefix_format(const struct sf_prefix *p, char *buf);
int sf_prefix_cmp(const struct sf_prefix *a, const struct sf_prefix *b);
unsigned int sf_addr_len(unsigned int family);
unsigned int sf_family_of_len(size_t len);

#endif /* SF_PREFIX_H */
