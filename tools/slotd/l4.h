/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l4.h - the IP and transport headers of a packet slotd holds
 *
 * sd_l4_parse() reads an IPv4 or IPv6 packet from its network header on
 * (as struct sd_packet carries it) and finds the addresses, the
 * transport protocol, the ports and, for TCP, the sequence number and
 * flags, and where the payload starts. Nothing is copied but the
 * addresses; @payload points into the packet. The built-in kinds share
 * it: webrep (webrep.c) and ips (ips/engine.c, ips/stream.c).
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
	uint8_t proto;			/* IPPROTO_*, after IPv6's extension
					 * headers; 0: none seen */
	bool has_ports;			/* a whole TCP or UDP header read:
					 * ports, seq, tcp_flags are set */
	bool truncated;			/* fewer bytes than the IP header says */
	uint8_t src[16], dst[16];	/* 4 or 16 bytes used */
	uint16_t sport, dport;
	uint32_t seq;			/* TCP */
	uint8_t tcp_flags;		/* TCP: SD_L4_* */
	/*
	 * After the TCP, UDP, ICMP or ICMPv6 header; where there is none
	 * (a later fragment, another protocol, a header cut short), after
	 * the IP headers.
	 */
	const uint8_t *payload;
	uint32_t payload_len;		/* what the packet holds of it */
	uint32_t seg_len;		/* its length per the IP header */
};

/*
 * 0, or -EBADMSG when the packet is not IP, its IP headers are cut, or
 * it has more IPv6 extension headers than are walked (8).
 */
int sd_l4_parse(const uint8_t *pkt, size_t len, struct sd_l4 *l4);
/* The source or destination address as text ("192.0.2.1", "2001:db8::1"). */
void sd_l4_addr(const struct sd_l4 *l4, bool dst, char *buf, size_t size);

#endif /* SD_L4_H */
