/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * slotsvc.h - the protocol between slotd and an external inspection service
 *
 * Overview
 * --------
 *
 * slotd receives the packets that slotfilter's redirect rules hold for a
 * service and forwards them to that service; the service judges each one
 * and answers a verdict by the packet's id. A service built into slotd
 * does this through a function call; an external service, written in any
 * language, does it over a local socket with the frames below. This
 * header is the whole contract: a service needs nothing else.
 *
 * Transport
 * ---------
 *
 * The service listens on a UNIX socket of type SOCK_SEQPACKET at a path
 * named in slotd's configuration (service NAME unix:/PATH). slotd
 * connects to it, once per service it serves there; every connection is
 * independent. One frame is one datagram: SOCK_SEQPACKET keeps the
 * boundaries, and a frame's header says its length, which must equal the
 * datagram's. No frame is longer than SLOTSVC_FRAME_MAX. All integers are
 * in the host's byte order (both ends run on the same host); every
 * structure is laid out with explicit padding, which must be zero, and
 * every reserved field must be zero.
 *
 * Frames
 * ------
 *
 * Every frame starts with struct slotsvc_hdr. Direction is fixed per type:
 *
 *    slotd -> service             service -> slotd
 *    SLOTSVC_T_HELLO              SLOTSVC_T_HELLO_REPLY
 *    SLOTSVC_T_PACKET             SLOTSVC_T_VERDICT
 *    SLOTSVC_T_PING               SLOTSVC_T_PONG
 *    SLOTSVC_T_CLOSE              SLOTSVC_T_ALERT (version 2)
 *                                 SLOTSVC_T_QUARANTINE (version 2)
 *
 * Versions: 1 has every frame but ALERT and QUARANTINE; 2 adds those two
 * and changes nothing else. A service that picked 1 must not send them
 * (slotd closes the connection if it does), so a service can tell from
 * HELLO whether this slotd takes them.
 *
 * SLOTSVC_T_HELLO (struct slotsvc_hello): the first frame of a connection.
 *    slotd speaks the versions version_min .. version_max
 *    (SLOTSVC_VERSION_MIN .. SLOTSVC_VERSION today), accepts frames of up
 *    to frame_max bytes and serves the slotfilter service named in
 *    @service.
 *
 * SLOTSVC_T_HELLO_REPLY (struct slotsvc_hello_reply): the service's first
 *    frame, and only as the answer to HELLO. @version is the one it picked
 *    (version_min <= version <= version_max); @max_inflight bounds the
 *    packets it is willing to hold at once (0: slotd's default,
 *    SLOTSVC_INFLIGHT_DEFAULT; at most SLOTSVC_INFLIGHT_MAX, and at most
 *    the service's max-inflight option in slotd's configuration); @name is its own name for slotd's log,
 *    NUL-terminated. A service that speaks none of slotd's versions
 *    closes the connection. slotd sends nothing else before the reply,
 *    and waits for it as long as for a PONG (below).
 *
 * SLOTSVC_T_PACKET (struct slotsvc_packet): a packet held by the kernel.
 *    The fixed part carries the metadata the kernel sent: the kernel's
 *    packet @id (answer with it), the port (@ifindex, @ifname), the
 *    @direction (SLOTSVC_DIR_*), the @slot, the @service name, the
 *    redirect @rule_id that matched, the @flow_id (0: no flow), the
 *    @l3proto (ETH_P_IP 0x0800 or ETH_P_IPV6 0x86DD; host order), the
 *    packet's @orig_len and the ruleset @generation that redirected it.
 *    @ntags port tags follow (each SLOTSVC_NAME_MAX bytes, NUL-padded),
 *    then the packet from its network header on: hdr.len minus the
 *    fixed part minus the tags. It may be shorter than @orig_len when the
 *    service was configured to see only the first bytes (copy BYTES), or
 *    longer than an MTU when slotd accepts GSO packets whole
 *    (SLOTSVC_PACKET_F_GSO).
 *
 * SLOTSVC_T_VERDICT (struct slotsvc_verdicts): one or more verdicts
 *    (1 .. SLOTSVC_VERDICTS_MAX, @count of them), each a struct
 *    slotsvc_verdict, followed, with SLOTSVC_VERDICT_F_REPLACE, by @len
 *    bytes (1 .. SLOTSVC_REPLACE_MAX) that replace the packet from its
 *    network header on, zero-padded to a multiple of 8; without it @len
 *    is 0. Only continue verdicts may replace. A replacement is an IPv4
 *    or IPv6 packet of the original's version whose header's length
 *    (total length, or payload length + 40) is @len; the kernel recomputes
 *    the IPv4 header checksum, L4 checksums are the service's job. The service answers every
 *    packet exactly once, in any order and in any frame; packets of many
 *    frames may be in flight at once, up to @max_inflight.
 *
 *    SLOTSVC_V_CONTINUE       the packet goes on at the next slot
 *    SLOTSVC_V_DROP           the packet is dropped
 *    SLOTSVC_V_CONTINUE_FLOW  continue, and the rest of the flow skips
 *                             this service (the kernel remembers)
 *    SLOTSVC_V_DROP_FLOW      drop, and the rest of the flow too
 *    SLOTSVC_V_REJECT         drop, and the kernel answers the sender: a
 *                             TCP RST, or ICMP administratively prohibited
 *    SLOTSVC_V_REJECT_FLOW    reject, and drop the rest of the flow
 *
 * SLOTSVC_T_PING, SLOTSVC_T_PONG (struct slotsvc_ping): health. slotd
 *    pings every probe interval, with a new @cookie, and at most one ping
 *    outstanding; the service answers a PONG carrying the same cookie.
 *    Frames are handled in order, so a PONG also says that every frame
 *    sent before the PING has been read.
 *
 * SLOTSVC_T_CLOSE (struct slotsvc_close): slotd is about to close the
 *    connection, because of @msg (NUL-terminated, for the service's log).
 *
 * SLOTSVC_T_ALERT (struct slotsvc_alert; version 2): something the service
 *    found, for `slotctl monitor`. @json is by convention a JSON object
 *    on one line: 1 .. SLOTSVC_ALERT_MAX - 1 bytes, none of them NUL or
 *    newline, then a NUL that ends the frame (hdr.len is
 *    sizeof(struct slotsvc_alert) + the text + 1; no padding). slotd sends
 *    it to the kernel as the alert of the slotfilter service this
 *    connection serves (HELLO's @service), which `slotctl monitor` prints
 *    as it is. Not answered. slotd drops it (logged: the first, then every
 *    1000th) while it is not bound to that service; the kernel's rate
 *    limit may drop it too.
 *
 * SLOTSVC_T_QUARANTINE (struct slotsvc_quarantine; version 2): the port
 *    that sent packet @id is an attacker. slotd tags that port
 *    "quarantine" (the firewall's rules applied to the tag cut it off,
 *    established flows included) for @ttl seconds, 0 .. SLOTSVC_TTL_MAX
 *    (0: until `slotctl port untag`); tagged already, the later end wins.
 *    @reason says why, for the log and `slotctl monitor`: 0 ..
 *    SLOTSVC_REASON_MAX - 1 bytes, none of them NUL or newline, then a
 *    NUL that ends the frame (no padding); @reserved is 0. Not answered:
 *    slotd logs each step (tagged, extended, released) and sends it to
 *    `slotctl monitor` as an alert of the service (see ALERT).
 *
 *    The service names a packet, not a port: slotd takes the port and
 *    the direction from the PACKET it sent, so a service can quarantine
 *    only ports whose packets it was given. @id must be a packet of this
 *    connection that is in flight (sent, not answered yet), or one of the
 *    last SLOTSVC_ANSWERED_KEPT that the connection answered (so a
 *    service may decide after its verdict; before it, or in the frame
 *    before the VERDICT, is always in time). It must be an ingress packet:
 *    only what a port's own workload sent makes that port the attacker.
 *    slotd refuses a QUARANTINE for any other id, or for an egress packet,
 *    logs the refusal and goes on: the frame was well formed, so the
 *    connection stays.
 *
 * Errors and health
 * -----------------
 *
 * A frame slotd cannot accept closes that connection and only that one:
 * a frame shorter than its header or whose length differs from the
 * datagram's, an unknown type, a type sent the wrong way, any frame
 * before HELLO_REPLY or a second one, a version slotd did not offer, a
 * bad size for the type, non-zero padding, reserved fields or unknown
 * flags, an unknown verdict, a replacement with a drop verdict, of a
 * bad length or that is not an IP packet of its length, a verdict count of 0 or beyond SLOTSVC_VERDICTS_MAX or
 * different from the entries the frame holds, a verdict for a packet id
 * that is not in flight on that connection (answered twice, or never
 * sent), a PONG without an outstanding PING or with another cookie, an
 * ALERT or QUARANTINE on a version 1 connection, an ALERT text that is
 * empty, longer than SLOTSVC_ALERT_MAX - 1, holds a NUL or a newline or
 * is not followed by the NUL that ends the frame, a QUARANTINE shorter
 * than its fixed part, with a @ttl beyond SLOTSVC_TTL_MAX, or a @reason
 * longer than SLOTSVC_REASON_MAX - 1, holding a NUL or a newline or not
 * followed by the NUL that ends the frame. (A QUARANTINE for a packet
 * slotd does not know is not one of these: it is refused, see above.)
 * slotd logs the reason, sends it in a CLOSE frame, and applies the
 * service's failure policy (open: continue, closed: drop) to every packet
 * the connection held, at once; the kernel does the same for packets
 * that reach the service while it is failing.
 *
 * A service is failing while slotd has no connection to it, and when a
 * PONG (or the HELLO_REPLY) has not come within the probe timeout; slotd
 * tells the kernel, logs the change, and tells it again when the service
 * answers. slotd reconnects every probe interval while the service is
 * unreachable. slotd never blocks on a service: a packet that does not
 * fit its socket or its @max_inflight gets the failure policy.
 *
 * Example (a service that answers every packet with continue, as
 * examples/strdrop.c does with more care):
 *
 *	accept(); read HELLO; write HELLO_REPLY { version = 2 };
 *	for (;;) {
 *		read a frame;
 *		PACKET: write VERDICT { count = 1, { id, SLOTSVC_V_CONTINUE } };
 *		PING:   write PONG { cookie };
 *		CLOSE:  close();
 *	}
 */
#ifndef _SLOTSVC_H
#define _SLOTSVC_H

#include <linux/types.h>

#define SLOTSVC_VERSION			2	/* the newest */
#define SLOTSVC_VERSION_MIN		1	/* the oldest slotd speaks */

#define SLOTSVC_FRAME_MAX		(256 * 1024)
#define SLOTSVC_NAME_MAX		32	/* service names and tags, NUL included */
#define SLOTSVC_IFNAME_MAX		16	/* IFNAMSIZ */
#define SLOTSVC_TAGS_MAX		16	/* tags on one port */
#define SLOTSVC_VERDICTS_MAX		1024	/* verdicts in one frame */
#define SLOTSVC_REPLACE_MAX		65535	/* bytes of a replacement packet */
#define SLOTSVC_INFLIGHT_DEFAULT	4096
#define SLOTSVC_INFLIGHT_MAX		(1 << 20)	/* slotd caps max_inflight */
#define SLOTSVC_ALERT_MAX		4096	/* an ALERT's text, NUL included */
#define SLOTSVC_REASON_MAX		256	/* a QUARANTINE's reason, NUL included */
#define SLOTSVC_TTL_MAX			31536000	/* a quarantine, in s: 365 days */
#define SLOTSVC_ANSWERED_KEPT		1024	/* answered packets QUARANTINE may name */

/* Frame lengths and replacement payloads are padded to this. */
#define SLOTSVC_ALIGN(len)		(((len) + 7U) & ~7U)

enum slotsvc_type {
	SLOTSVC_T_UNSPEC,
	SLOTSVC_T_HELLO,		/* slotd -> service */
	SLOTSVC_T_HELLO_REPLY,		/* service -> slotd */
	SLOTSVC_T_PACKET,		/* slotd -> service */
	SLOTSVC_T_VERDICT,		/* service -> slotd */
	SLOTSVC_T_PING,			/* slotd -> service */
	SLOTSVC_T_PONG,			/* service -> slotd */
	SLOTSVC_T_CLOSE,		/* slotd -> service */
	SLOTSVC_T_ALERT,		/* service -> slotd, version 2 */
	SLOTSVC_T_QUARANTINE,		/* service -> slotd, version 2 */
	__SLOTSVC_T_MAX
};

enum slotsvc_dir {
	SLOTSVC_DIR_INGRESS,		/* received by the port's device */
	SLOTSVC_DIR_EGRESS,		/* sent by it */
};

enum slotsvc_verdict_code {
	SLOTSVC_V_UNSPEC,		/* invalid: catches zeroed entries */
	SLOTSVC_V_CONTINUE,
	SLOTSVC_V_DROP,
	SLOTSVC_V_CONTINUE_FLOW,
	SLOTSVC_V_DROP_FLOW,
	SLOTSVC_V_REJECT,
	SLOTSVC_V_REJECT_FLOW,
	__SLOTSVC_V_MAX
};

/* struct slotsvc_packet flags */
#define SLOTSVC_PACKET_F_GSO		(1U << 0)	/* a GSO packet, whole */

/* struct slotsvc_verdict flags */
#define SLOTSVC_VERDICT_F_REPLACE	(1U << 0)	/* @len bytes follow */

struct slotsvc_hdr {
	__u16 type;			/* enum slotsvc_type */
	__u16 flags;			/* 0: none defined for any type yet */
	__u32 len;			/* of the frame, this header included */
};

struct slotsvc_hello {
	struct slotsvc_hdr hdr;
	__u32 version_min;
	__u32 version_max;
	__u32 frame_max;		/* largest frame slotd accepts */
	__u32 reserved;
	char service[SLOTSVC_NAME_MAX];	/* NUL-terminated */
};

struct slotsvc_hello_reply {
	struct slotsvc_hdr hdr;
	__u32 version;
	__u32 max_inflight;		/* 0: SLOTSVC_INFLIGHT_DEFAULT */
	__u32 reserved[2];
	char name[SLOTSVC_NAME_MAX];	/* NUL-terminated */
};

struct slotsvc_packet {
	struct slotsvc_hdr hdr;
	__u64 id;
	__u64 flow_id;			/* 0: none */
	__u32 ifindex;
	__u32 rule_id;
	__u32 orig_len;
	__u32 generation;
	__u16 l3proto;			/* ETH_P_IP, ETH_P_IPV6 */
	__u8 direction;			/* enum slotsvc_dir */
	__u8 slot;			/* 4 .. 11 */
	__u16 ntags;			/* 0 .. SLOTSVC_TAGS_MAX */
	__u16 pflags;			/* SLOTSVC_PACKET_F_* */
	char ifname[SLOTSVC_IFNAME_MAX];
	char service[SLOTSVC_NAME_MAX];
	/* char tags[ntags][SLOTSVC_NAME_MAX]; then the packet */
};

struct slotsvc_verdicts {
	struct slotsvc_hdr hdr;
	__u32 count;			/* 1 .. SLOTSVC_VERDICTS_MAX */
	__u32 pad;
	/* struct slotsvc_verdict entries, each with its replacement */
};

struct slotsvc_verdict {
	__u64 id;
	__u8 verdict;			/* enum slotsvc_verdict_code */
	__u8 vflags;			/* SLOTSVC_VERDICT_F_* */
	__u16 pad;
	__u32 len;			/* replacement bytes that follow */
};

struct slotsvc_ping {
	struct slotsvc_hdr hdr;
	__u64 cookie;
};

struct slotsvc_close {
	struct slotsvc_hdr hdr;
	char msg[];			/* NUL-terminated */
};

struct slotsvc_alert {
	struct slotsvc_hdr hdr;
	char json[];			/* 1 .. SLOTSVC_ALERT_MAX - 1, then NUL */
};

struct slotsvc_quarantine {
	struct slotsvc_hdr hdr;
	__u64 id;			/* a packet of this connection */
	__u32 ttl;			/* seconds, 0 .. SLOTSVC_TTL_MAX; 0: no end */
	__u32 reserved;
	char reason[];			/* 0 .. SLOTSVC_REASON_MAX - 1, then NUL */
};

/* The tags of a PACKET frame, and its packet bytes and their length. */
static inline const char *slotsvc_packet_tag(const struct slotsvc_packet *p,
					     unsigned int i)
{
	return (const char *)(p + 1) + i * SLOTSVC_NAME_MAX;
}

static inline const unsigned char *
slotsvc_packet_data(const struct slotsvc_packet *p)
{
	return (const unsigned char *)(p + 1) + p->ntags * SLOTSVC_NAME_MAX;
}

static inline __u32 slotsvc_packet_len(const struct slotsvc_packet *p)
{
	return p->hdr.len - sizeof(*p) - p->ntags * SLOTSVC_NAME_MAX;
}

#endif /* _SLOTSVC_H */
