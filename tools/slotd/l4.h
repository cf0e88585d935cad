/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l4.h - the IP and TCP/UDP headers of a packet slotd holds
 *
 * sd_l4_parse() reads an IPv4 or IPv6 packet from its network header on
 * (as struct sd_packet carries it) and finds the addresses, the
 * transport protocol, the ports and, for TCP, the sequence number and
 * flags, and where the payload starts. Nothing is copied but the
 * addresses; @payload points into the packet.
 */
#ifndef SD_L4_H
#define SD_L4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_L4_FIN	0x01
#define SD_L4_SYN	0x02
#define SD_L4_RST	0x04
#define SD_L4_ACK	0x10

struct sd_l4 {
	uint8_t family;			/* AF_INET, AF_INET6 */
	uint8_t proto;			/* IPPROTO_*; 0: none seen */
	bool has_ports;			/* TCP or UDP, first fragment */
	bool truncated;			/* fewer bytes than the headers say */
	uint8_t src[16], dst[16];	/* 4 or 16 bytes used */
	uint16_t sport, dport;
	uint32_t seq;			/* TCP */
	uint8_t tcp_flags;		/* TCP: SD_L4_* */
	const uint8_t *payload;		/* what the packet holds of it */
	uint32_t payload_len;
	uint32_t seg_len;		/* the payload's length per the headers */
};

/* 0, or -EBADMSG when the packet is not IP or its headers are cut. */
int sd_l4_parse(const uint8_t *pkt, size_t len, struct sd_l4 *l4);
/* The source or destination address as text ("192.0.2.1", "2001:db8::1"). */
void sd_l4_addr(const struct sd_l4 *l4, bool dst, char *buf, size_t size);

#endif /* SD_L4_H */
