/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ips_pkt.h - packets for the IPS tests: IPv4+TCP, IPv6+UDP, IPv4+ICMP
 *
 * Each writes the packet into @buf (room for 64 KiB) and returns its
 * length. Checksums are left zero: the IPS does not read them.
 */
#ifndef SF_IPS_PKT_H
#define SF_IPS_PKT_H

#include <stddef.h>
#include <stdint.h>

#define PKT_MAX		65536

size_t pkt4_tcp(uint8_t *buf, const char *src, uint16_t sport,
		const char *dst, uint16_t dport, uint32_t seq, uint8_t flags,
		const char *payload);
size_t pkt6_udp(uint8_t *buf, const char *src, uint16_t sport,
		const char *dst, uint16_t dport, const char *payload);
size_t pkt4_icmp(uint8_t *buf, const char *src, const char *dst,
		 const char *payload);

#endif /* SF_IPS_PKT_H */
