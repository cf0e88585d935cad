// SPDX-License-Identifier: GPL-2.0
/*
 * slotd_frame_test.c - the frames of slotsvc.h: every type round trips,
 * every malformed frame is rejected with its reason, and the id set
 */
#include <errno.h>
#include <stdlib.h>

#include "../slotd/frame.h"
#include "../slotd/idset.h"
#include "test.h"

static uint8_t buf[SLOTSVC_FRAME_MAX + 64] __attribute__((aligned(8)));

static const struct sd_packet sample = {
	.id = 0x1122334455667788ULL,
	.flow_id = 77,
	.ifindex = 5,
	.rule_id = 10,
	.orig_len = 1500,
	.generation = 3,
	.l3proto = 0x86DD,
	.dir = SLOTSVC_DIR_EGRESS,
	.slot = 4,
	.ifname = "veth0",
	.service = "ips",
	.ntags = 2,
	.tags = { "web", "quarantine" },
	.data = (const uint8_t *)"\x60\x00\x00\x00payload",
	.len = 11,
};

/* Decode @len bytes of buf as sent by @from; the reason, or "ok". */
static const char *decode(size_t len, enum sd_side from)
{
	static struct sd_frame f;

	if (sd_frame_decode(buf, len, from, &f))
		return f.why;
	return "ok";
}

TEST(slotd_frame_packet_round_trip)
{
	struct sd_frame f;
	size_t len = sd_frame_packet(buf, sizeof(buf), &sample);
	const struct sd_packet *p = &f.u.packet;

	CHECK_INT(len, sizeof(struct slotsvc_packet) + 2 * 32 + 11);
	CHECK_INT(sd_frame_decode(buf, len, SD_SIDE_SLOTD, &f), 0);
	CHECK_INT(f.type, SLOTSVC_T_PACKET);
	CHECK(p->id == sample.id);
	CHECK_INT(p->flow_id, 77);
	CHECK_INT(p->ifindex, 5);
	CHECK_INT(p->rule_id, 10);
	CHECK_INT(p->orig_len, 1500);
	CHECK_INT(p->generation, 3);
	CHECK_INT(p->l3proto, 0x86DD);
	CHECK_INT(p->dir, SLOTSVC_DIR_EGRESS);
	CHECK_INT(p->slot, 4);
	CHECK(!p->gso);
	CHECK_STR(p->ifname, "veth0");
	CHECK_STR(p->service, "ips");
	CHECK_INT(p->ntags, 2);
	CHECK_STR(p->tags[0], "web");
	CHECK_STR(p->tags[1], "quarantine");
	CHECK_INT(p->len, 11);
	CHECK(!memcmp(p->data, sample.data, 11));
	/* The helpers of slotsvc.h agree with the decoder. */
	CHECK_INT(slotsvc_packet_len((const void *)buf), 11);
	CHECK_STR(slotsvc_packet_tag((const void *)buf, 1), "quarantine");
	CHECK(slotsvc_packet_data((const void *)buf) == p->data);
	/* A service may not send it; too small a buffer gives 0. */
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "a PACKET frame cannot come from a service");
	CHECK_INT(sd_frame_packet(buf, len - 1, &sample), 0);
}

TEST(slotd_frame_other_round_trips)
{
	struct sd_frame f;
	size_t len;

	len = sd_frame_hello(buf, sizeof(buf), "ips");
	CHECK_INT(len, sizeof(struct slotsvc_hello));
	CHECK_INT(sd_frame_decode(buf, len, SD_SIDE_SLOTD, &f), 0);
	CHECK_INT(f.u.hello.version_min, 1);
	CHECK_INT(f.u.hello.version_max, 2);
	CHECK_INT(f.u.hello.frame_max, SLOTSVC_FRAME_MAX);
	CHECK_STR(f.u.hello.service, "ips");

	len = sd_frame_hello_reply(buf, sizeof(buf), 1, 99, "vendor-x");
	CHECK_INT(sd_frame_decode(buf, len, SD_SIDE_SERVICE, &f), 0);
	CHECK_INT(f.u.reply.version, 1);
	CHECK_INT(f.u.reply.max_inflight, 99);
	CHECK_STR(f.u.reply.name, "vendor-x");
	CHECK_INT(sd_frame_hello_reply(buf, sizeof(buf), 1, 0,
				       "a-name-longer-than-thirty-one-chars"), 0);

	len = sd_frame_ping(buf, sizeof(buf), SLOTSVC_T_PING, 42);
	CHECK_INT(sd_frame_decode(buf, len, SD_SIDE_SLOTD, &f), 0);
	CHECK(f.type == SLOTSVC_T_PING && f.u.cookie == 42);
	len = sd_frame_ping(buf, sizeof(buf), SLOTSVC_T_PONG, 43);
	CHECK_INT(sd_frame_decode(buf, len, SD_SIDE_SERVICE, &f), 0);
	CHECK(f.type == SLOTSVC_T_PONG && f.u.cookie == 43);

	len = sd_frame_close(buf, sizeof(buf), "bye now");
	CHECK_INT(sd_frame_decode(buf, len, SD_SIDE_SLOTD, &f), 0);
	CHECK_STR(f.u.msg, "bye now");
}

/* An IPv4 packet of 21 bytes and an IPv6 packet of 40, by their headers. */
static const uint8_t ip4[21] = { 0x45, 0, 0, 21, [20] = 'x' };
static const uint8_t ip6[40] = { 0x60, 0, 0, 0, 0, 0 };

TEST(slotd_frame_verdicts_round_trip)
{
	static const struct sd_verdict in[] = {
		{ 1, SD_V_CONTINUE, NULL, 0 },
		{ 2, SD_V_DROP, NULL, 0 },
		{ 3, SD_V_CONTINUE_FLOW, ip4, 21 },
		{ 4, SD_V_DROP_FLOW, NULL, 0 },
		{ 5, SD_V_CONTINUE, ip6, 40 },
	};
	struct sd_vframe vf;
	struct sd_verdict v;
	struct sd_frame f;
	size_t len, i;

	sd_vframe_init(&vf, buf, sizeof(buf));
	CHECK_INT(sd_vframe_end(&vf), 0);
	for (i = 0; i < 5; i++)
		CHECK(sd_vframe_add(&vf, &in[i]));
	len = sd_vframe_end(&vf);
	CHECK_INT(len, 16 + 5 * 16 + 24 + 40);
	CHECK_INT(sd_frame_decode(buf, len, SD_SIDE_SERVICE, &f), 0);
	CHECK_INT(f.u.verdicts.count, 5);
	for (i = 0; sd_frame_next_verdict(&f, &v); i++) {
		CHECK(v.id == in[i].id);
		CHECK_INT(v.verdict, in[i].verdict);
		CHECK_INT(v.repl_len, in[i].repl_len);
		CHECK(!in[i].repl || !memcmp(v.repl, in[i].repl, v.repl_len));
		CHECK(in[i].repl || !v.repl);
	}
	CHECK_INT(i, 5);

	/* A frame holds SLOTSVC_VERDICTS_MAX at most, and what fits. */
	sd_vframe_init(&vf, buf, sizeof(buf));
	for (i = 0; sd_vframe_add(&vf, &in[0]); i++)
		;
	CHECK_INT(i, SLOTSVC_VERDICTS_MAX);
	sd_vframe_init(&vf, buf, 16 + 16 + 16 + 7);
	CHECK(sd_vframe_add(&vf, &in[0]));
	CHECK(!sd_vframe_add(&vf, &in[2]));
	CHECK(sd_vframe_add(&vf, &in[1]));
}

static void put(size_t off, const void *p, size_t n)
{
	memcpy(buf + off, p, n);
}

static void put16(size_t off, uint16_t v)
{
	put(off, &v, 2);
}

static void put32(size_t off, uint32_t v)
{
	put(off, &v, 4);
}

/* A VERDICT frame of one entry (verdict @code, @vflags, replacement of
 * @rlen bytes: an IPv4 packet of that length if it can be); returns its
 * length. */
static size_t one_verdict(uint8_t code, uint8_t vflags, uint32_t rlen)
{
	struct slotsvc_verdicts h = { { SLOTSVC_T_VERDICT, 0, 0 }, 1, 0 };
	struct slotsvc_verdict e = { 9, code, vflags, 0, rlen };
	size_t len = sizeof(h) + sizeof(e) + SLOTSVC_ALIGN(rlen);

	memset(buf, 0, len);
	h.hdr.len = len;
	put(0, &h, sizeof(h));
	put(sizeof(h), &e, sizeof(e));
	memset(buf + sizeof(h) + sizeof(e), 'x', rlen);
	if (rlen >= 20 && rlen <= 65535) {
		buf[sizeof(h) + sizeof(e)] = 0x45;
		buf[sizeof(h) + sizeof(e) + 2] = rlen >> 8;
		buf[sizeof(h) + sizeof(e) + 3] = rlen & 0xff;
	}
	return len;
}

TEST(slotd_frame_malformed_header)
{
	size_t len;

	CHECK_STR(decode(7, SD_SIDE_SERVICE),
		  "frame of 7 bytes is shorter than its header");
	CHECK_STR(decode(SLOTSVC_FRAME_MAX + 8, SD_SIDE_SERVICE),
		  "frame of 262152 bytes, at most 262144");
	len = sd_frame_ping(buf, sizeof(buf), SLOTSVC_T_PONG, 1);
	CHECK_STR(decode(len + 8, SD_SIDE_SERVICE),
		  "header says 16 bytes, the frame has 24");
	put16(0, 0);
	CHECK_STR(decode(len, SD_SIDE_SERVICE), "unknown frame type 0");
	put16(0, __SLOTSVC_T_MAX);
	CHECK_STR(decode(len, SD_SIDE_SERVICE), "unknown frame type 10");
	put16(0, SLOTSVC_T_PING);
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "a PING frame cannot come from a service");
	CHECK_STR(decode(len, SD_SIDE_SLOTD), "ok");
	put16(0, SLOTSVC_T_PONG);
	CHECK_STR(decode(len, SD_SIDE_SLOTD),
		  "a PONG frame cannot come from slotd");
	put16(2, 1);
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "PONG: unknown header flags 0x1");
	/* PING and PONG have one size. */
	len = sd_frame_ping(buf, sizeof(buf), SLOTSVC_T_PONG, 1);
	put32(4, 24);
	CHECK_STR(decode(24, SD_SIDE_SERVICE), "PONG frame of 24 bytes, want 16");
	put32(4, 8);
	CHECK_STR(decode(8, SD_SIDE_SERVICE), "PONG frame of 8 bytes, want 16");
}

TEST(slotd_frame_malformed_hello)
{
	size_t len = sd_frame_hello_reply(buf, sizeof(buf), 1, 0, "x");
	size_t name = offsetof(struct slotsvc_hello_reply, name);

	put32(4, len - 8);
	CHECK_STR(decode(len - 8, SD_SIDE_SERVICE),
		  "HELLO_REPLY frame of 48 bytes, want 56");
	put32(4, len);
	put32(offsetof(struct slotsvc_hello_reply, reserved) + 4, 1);
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "HELLO_REPLY: reserved field is not 0");
	sd_frame_hello_reply(buf, sizeof(buf), 1, 0, "x");
	memset(buf + name, 'a', SLOTSVC_NAME_MAX);
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "HELLO_REPLY: name is not NUL-terminated");

	len = sd_frame_hello(buf, sizeof(buf), "s");
	put32(offsetof(struct slotsvc_hello, version_min), 3);
	CHECK_STR(decode(len, SD_SIDE_SLOTD), "HELLO: bad version range 3..2");
	sd_frame_hello(buf, sizeof(buf), "s");
	put32(offsetof(struct slotsvc_hello, reserved), 5);
	CHECK_STR(decode(len, SD_SIDE_SLOTD), "HELLO: reserved field is not 0");
	sd_frame_hello(buf, sizeof(buf), "s");
	memset(buf + offsetof(struct slotsvc_hello, service), 'a',
	       SLOTSVC_NAME_MAX);
	CHECK_STR(decode(len, SD_SIDE_SLOTD),
		  "HELLO: service name is not NUL-terminated");
}

TEST(slotd_frame_malformed_packet)
{
	size_t len = sd_frame_packet(buf, sizeof(buf), &sample);
	size_t fixed = sizeof(struct slotsvc_packet);

	put32(4, fixed - 1);
	CHECK_STR(decode(fixed - 1, SD_SIDE_SLOTD),
		  "PACKET frame of 95 bytes, want at least 96");
	sd_frame_packet(buf, sizeof(buf), &sample);
	put16(offsetof(struct slotsvc_packet, ntags), 17);
	CHECK_STR(decode(len, SD_SIDE_SLOTD), "PACKET: 17 tags, at most 16");
	put16(offsetof(struct slotsvc_packet, ntags), 3);
	CHECK_STR(decode(len, SD_SIDE_SLOTD),
		  "PACKET: 3 tags do not fit 171 bytes");
	sd_frame_packet(buf, sizeof(buf), &sample);
	put16(offsetof(struct slotsvc_packet, pflags), 6);
	CHECK_STR(decode(len, SD_SIDE_SLOTD), "PACKET: unknown flags 0x6");
	sd_frame_packet(buf, sizeof(buf), &sample);
	buf[offsetof(struct slotsvc_packet, direction)] = 2;
	CHECK_STR(decode(len, SD_SIDE_SLOTD), "PACKET: bad direction 2");
	sd_frame_packet(buf, sizeof(buf), &sample);
	memset(buf + offsetof(struct slotsvc_packet, ifname), 'i',
	       SLOTSVC_IFNAME_MAX);
	CHECK_STR(decode(len, SD_SIDE_SLOTD),
		  "PACKET: a name is not NUL-terminated");
	sd_frame_packet(buf, sizeof(buf), &sample);
	memset(buf + fixed + SLOTSVC_NAME_MAX, 't', SLOTSVC_NAME_MAX);
	CHECK_STR(decode(len, SD_SIDE_SLOTD),
		  "PACKET: tag 1 is not NUL-terminated");
}

TEST(slotd_frame_malformed_verdict)
{
	size_t len;

	CHECK_STR(decode(one_verdict(SLOTSVC_V_DROP, 0, 0), SD_SIDE_SERVICE),
		  "ok");
	put32(4, 12);
	CHECK_STR(decode(12, SD_SIDE_SERVICE),
		  "VERDICT frame of 12 bytes, want at least 16");
	len = one_verdict(SLOTSVC_V_DROP, 0, 0);
	put32(12, 1);
	CHECK_STR(decode(len, SD_SIDE_SERVICE), "VERDICT: padding is not 0");
	len = one_verdict(SLOTSVC_V_DROP, 0, 0);
	put32(8, 0);
	CHECK_STR(decode(len, SD_SIDE_SERVICE), "VERDICT: count 0, want 1 to 1024");
	put32(8, 1025);
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "VERDICT: count 1025, want 1 to 1024");
	put32(8, 2);
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "VERDICT: entry 1 of 2 is cut short");
	CHECK_STR(decode(one_verdict(0, 0, 0), SD_SIDE_SERVICE),
		  "VERDICT: entry 0: unknown verdict 0");
	CHECK_STR(decode(one_verdict(__SLOTSVC_V_MAX, 0, 0), SD_SIDE_SERVICE),
		  "VERDICT: entry 0: unknown verdict 7");
	CHECK_STR(decode(one_verdict(1, 2, 0), SD_SIDE_SERVICE),
		  "VERDICT: entry 0: unknown flags 0x2");
	len = one_verdict(1, 0, 0);
	put16(16 + 10, 1);
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "VERDICT: entry 0: padding is not 0");
	len = one_verdict(1, 0, 0);
	put32(16 + 12, 4);
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "VERDICT: entry 0: length 4 without a replacement");
	CHECK_STR(decode(one_verdict(SLOTSVC_V_DROP, 1, 4), SD_SIDE_SERVICE),
		  "VERDICT: entry 0: a drop verdict cannot replace the packet");
	CHECK_STR(decode(one_verdict(SLOTSVC_V_DROP_FLOW, 1, 4),
			 SD_SIDE_SERVICE),
		  "VERDICT: entry 0: a drop-flow verdict cannot replace the packet");
	CHECK_STR(decode(one_verdict(SLOTSVC_V_REJECT, 1, 4), SD_SIDE_SERVICE),
		  "VERDICT: entry 0: a reject verdict cannot replace the packet");

	CHECK_STR(decode(one_verdict(1, 1, 0), SD_SIDE_SERVICE),
		  "VERDICT: entry 0: replacement of 0 bytes, want 1 to 65535");
	CHECK_STR(decode(one_verdict(1, 1, 65536), SD_SIDE_SERVICE),
		  "VERDICT: entry 0: replacement of 65536 bytes, want 1 to 65535");
	CHECK_STR(decode(one_verdict(3, 1, 65535), SD_SIDE_SERVICE), "ok");
	len = one_verdict(1, 1, 21);
	CHECK_STR(decode(len, SD_SIDE_SERVICE), "ok");
	buf[len - 1] = 1;
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "VERDICT: entry 0: padding is not 0");
	len = one_verdict(1, 1, 24);
	put32(4, len - 8);
	CHECK_STR(decode(len - 8, SD_SIDE_SERVICE),
		  "VERDICT: entry 0: replacement of 24 bytes runs past the frame");
	/* The replacement must be an IP packet of its own length. */
	CHECK_STR(decode(one_verdict(1, 1, 5), SD_SIDE_SERVICE),
		  "VERDICT: entry 0: the replacement is not an IPv4 or IPv6 packet of 5 bytes");
	len = one_verdict(1, 1, 40);
	buf[16 + 16 + 3] = 41;		/* total length 41 */
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "VERDICT: entry 0: the replacement is not an IPv4 or IPv6 packet of 40 bytes");
	len = one_verdict(1, 1, 40);
	buf[16 + 16] = 0x44;		/* header of 16 bytes */
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "VERDICT: entry 0: the replacement is not an IPv4 or IPv6 packet of 40 bytes");
	len = one_verdict(1, 1, 48);
	buf[16 + 16] = 0x60;		/* IPv6, payload length 8 */
	buf[16 + 16 + 2] = 0;
	buf[16 + 16 + 3] = 0;
	buf[16 + 16 + 4] = 0;
	buf[16 + 16 + 5] = 8;
	CHECK_STR(decode(len, SD_SIDE_SERVICE), "ok");
	buf[16 + 16 + 5] = 9;
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "VERDICT: entry 0: the replacement is not an IPv4 or IPv6 packet of 48 bytes");
	len = one_verdict(1, 0, 0);
	put32(4, len + 8);
	memset(buf + len, 0, 8);
	CHECK_STR(decode(len + 8, SD_SIDE_SERVICE),
		  "VERDICT: 8 bytes after the last of 1 entries");
}

TEST(slotd_frame_malformed_close)
{
	size_t len = sd_frame_close(buf, sizeof(buf), "why");

	CHECK_STR(decode(len, SD_SIDE_SLOTD), "ok");
	buf[len - 1] = 'x';
	CHECK_STR(decode(len, SD_SIDE_SLOTD),
		  "CLOSE: the message is not one NUL-terminated string");
	sd_frame_close(buf, sizeof(buf), "why");
	buf[9] = '\0';
	CHECK_STR(decode(len, SD_SIDE_SLOTD),
		  "CLOSE: the message is not one NUL-terminated string");
	put32(4, 8);
	CHECK_STR(decode(8, SD_SIDE_SLOTD),
		  "CLOSE: the message is not one NUL-terminated string");
}

/*
 * ALERT and QUARANTINE, byte for byte (native order: this is x86's), and
 * what their encoders refuse, which is what the decoder would.
 */
TEST(slotd_frame_alert_quarantine_round_trip)
{
	static const uint8_t alert[] = {
		8, 0, 0, 0, 16, 0, 0, 0, '{', '"', 'a', '"', ':', '1', '}', 0,
	};
	static const uint8_t quarantine[] = {
		9, 0, 0, 0, 30, 0, 0, 0,
		0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
		60, 0, 0, 0, 0, 0, 0, 0,
		's', 'i', 'd', ' ', '7', 0,
	};
	static char text[SLOTSVC_ALERT_MAX + 1];
	struct sd_frame f;
	size_t len;

	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__)
		return;
	len = sd_frame_alert(buf, sizeof(buf), "{\"a\":1}");
	CHECK_INT(len, sizeof(alert));
	CHECK(!memcmp(buf, alert, sizeof(alert)));
	CHECK_INT(sd_frame_decode(buf, len, SD_SIDE_SERVICE, &f), 0);
	CHECK_INT(f.type, SLOTSVC_T_ALERT);
	CHECK_STR(f.u.alert, "{\"a\":1}");
	CHECK_STR(decode(len, SD_SIDE_SLOTD),
		  "an ALERT frame cannot come from slotd");
	CHECK_INT(sd_frame_alert(buf, len - 1, "{\"a\":1}"), 0);
	CHECK_INT(sd_frame_alert(buf, sizeof(buf), ""), 0);
	CHECK_INT(sd_frame_alert(buf, sizeof(buf), "{}\n"), 0);
	memset(text, 'x', SLOTSVC_ALERT_MAX);
	CHECK_INT(sd_frame_alert(buf, sizeof(buf), text), 0);
	text[SLOTSVC_ALERT_MAX - 1] = '\0';		/* the longest */
	len = sd_frame_alert(buf, sizeof(buf), text);
	CHECK_INT(len, 8 + SLOTSVC_ALERT_MAX);
	CHECK_INT(sd_frame_decode(buf, len, SD_SIDE_SERVICE, &f), 0);
	CHECK_INT(strlen(f.u.alert), SLOTSVC_ALERT_MAX - 1);

	len = sd_frame_quarantine(buf, sizeof(buf), 0x1122334455667788ULL, 60,
				  "sid 7");
	CHECK_INT(len, sizeof(quarantine));
	CHECK(!memcmp(buf, quarantine, sizeof(quarantine)));
	CHECK_INT(sd_frame_decode(buf, len, SD_SIDE_SERVICE, &f), 0);
	CHECK_INT(f.type, SLOTSVC_T_QUARANTINE);
	CHECK(f.u.quarantine.id == 0x1122334455667788ULL);
	CHECK_INT(f.u.quarantine.ttl, 60);
	CHECK_STR(f.u.quarantine.reason, "sid 7");
	CHECK_STR(decode(len, SD_SIDE_SLOTD),
		  "a QUARANTINE frame cannot come from slotd");
	/* No reason, no end, the longest reason. */
	len = sd_frame_quarantine(buf, sizeof(buf), 1, 0, "");
	CHECK_INT(len, 25);
	CHECK_INT(sd_frame_decode(buf, len, SD_SIDE_SERVICE, &f), 0);
	CHECK_STR(f.u.quarantine.reason, "");
	CHECK_INT(f.u.quarantine.ttl, 0);
	CHECK_INT(sd_frame_quarantine(buf, sizeof(buf), 1, SLOTSVC_TTL_MAX,
				      "x"), 26);
	CHECK_INT(sd_frame_quarantine(buf, sizeof(buf), 1,
				      SLOTSVC_TTL_MAX + 1, "x"), 0);
	CHECK_INT(sd_frame_quarantine(buf, sizeof(buf), 1, 1, "a\nb"), 0);
	CHECK_INT(sd_frame_quarantine(buf, 25, 1, 1, "a"), 0);
	memset(text, 'r', SLOTSVC_REASON_MAX);
	text[SLOTSVC_REASON_MAX] = '\0';
	CHECK_INT(sd_frame_quarantine(buf, sizeof(buf), 1, 1, text), 0);
	text[SLOTSVC_REASON_MAX - 1] = '\0';
	len = sd_frame_quarantine(buf, sizeof(buf), 1, 1, text);
	CHECK_INT(len, 24 + SLOTSVC_REASON_MAX);
	CHECK_STR(decode(len, SD_SIDE_SERVICE), "ok");
}

/* An ALERT frame of @n bytes of text @c, then a NUL; its length. */
static size_t alert_of(size_t n, char c)
{
	size_t len = sizeof(struct slotsvc_alert) + n + 1;
	struct slotsvc_hdr h = { SLOTSVC_T_ALERT, 0, len };

	put(0, &h, sizeof(h));
	memset(buf + sizeof(h), c, n);
	buf[len - 1] = '\0';
	return len;
}

TEST(slotd_frame_malformed_alert)
{
	size_t len;

	CHECK_STR(decode(alert_of(2, 'x'), SD_SIDE_SERVICE), "ok");
	len = alert_of(0, 'x');
	CHECK_STR(decode(len, SD_SIDE_SERVICE), "ALERT: the text is empty");
	put32(4, 8);
	CHECK_STR(decode(8, SD_SIDE_SERVICE),
		  "ALERT: the text is not NUL-terminated at the end of the frame");
	len = alert_of(3, 'x');
	buf[len - 1] = '}';
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "ALERT: the text is not NUL-terminated at the end of the frame");
	len = alert_of(3, 'x');
	buf[9] = '\0';
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "ALERT: the text holds a NUL before the end of the frame");
	len = alert_of(3, 'x');
	buf[10] = '\n';
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "ALERT: the text holds a newline");
	CHECK_STR(decode(alert_of(SLOTSVC_ALERT_MAX - 1, 'x'), SD_SIDE_SERVICE),
		  "ok");
	CHECK_STR(decode(alert_of(SLOTSVC_ALERT_MAX, 'x'), SD_SIDE_SERVICE),
		  "ALERT: the text of 4096 bytes is too long, at most 4095");
	len = alert_of(2, 'x');
	put16(2, 4);
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "ALERT: unknown header flags 0x4");
}

/* A QUARANTINE frame for packet 9, TTL 60, of @n bytes of reason @c. */
static size_t quarantine_of(size_t n, char c)
{
	struct slotsvc_quarantine q = {
		{ SLOTSVC_T_QUARANTINE, 0, sizeof(q) + n + 1 }, 9, 60, 0,
	};

	put(0, &q, sizeof(q));
	memset(buf + sizeof(q), c, n);
	buf[sizeof(q) + n] = '\0';
	return q.hdr.len;
}

TEST(slotd_frame_malformed_quarantine)
{
	size_t len, ttl = offsetof(struct slotsvc_quarantine, ttl);

	CHECK_STR(decode(quarantine_of(0, 'r'), SD_SIDE_SERVICE), "ok");
	quarantine_of(0, 'r');
	put32(4, 24);
	CHECK_STR(decode(24, SD_SIDE_SERVICE),
		  "QUARANTINE frame of 24 bytes, want at least 25");
	put32(4, 16);
	CHECK_STR(decode(16, SD_SIDE_SERVICE),
		  "QUARANTINE frame of 16 bytes, want at least 25");
	len = quarantine_of(4, 'r');
	put32(offsetof(struct slotsvc_quarantine, reserved), 1);
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "QUARANTINE: reserved field is not 0");
	len = quarantine_of(4, 'r');
	put32(ttl, SLOTSVC_TTL_MAX);
	CHECK_STR(decode(len, SD_SIDE_SERVICE), "ok");
	put32(ttl, SLOTSVC_TTL_MAX + 1);
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "QUARANTINE: ttl 31536001, at most 31536000");
	put32(ttl, UINT32_MAX);
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "QUARANTINE: ttl 4294967295, at most 31536000");
	len = quarantine_of(4, 'r');
	buf[len - 1] = 'r';
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "QUARANTINE: the reason is not NUL-terminated at the end of the frame");
	len = quarantine_of(4, 'r');
	buf[25] = '\0';
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "QUARANTINE: the reason holds a NUL before the end of the frame");
	len = quarantine_of(4, 'r');
	buf[27] = '\n';
	CHECK_STR(decode(len, SD_SIDE_SERVICE),
		  "QUARANTINE: the reason holds a newline");
	CHECK_STR(decode(quarantine_of(SLOTSVC_REASON_MAX - 1, 'r'),
			 SD_SIDE_SERVICE), "ok");
	CHECK_STR(decode(quarantine_of(SLOTSVC_REASON_MAX, 'r'),
			 SD_SIDE_SERVICE),
		  "QUARANTINE: the reason of 256 bytes is too long, at most 255");
}

TEST(slotd_frame_verdict_names)
{
	CHECK_STR(sd_verdict_name(SD_V_CONTINUE), "continue");
	CHECK_STR(sd_verdict_name(SD_V_DROP_FLOW), "drop-flow");
	CHECK_STR(sd_verdict_name(0), "?");
	CHECK_STR(sd_verdict_name(9), "?");
	CHECK_INT(sd_verdict_parse("continue-flow"), SD_V_CONTINUE_FLOW);
	CHECK_INT(sd_verdict_parse("drop"), SD_V_DROP);
	CHECK_INT(sd_verdict_parse("reject-flow"), SD_V_REJECT_FLOW);
	CHECK_STR(sd_verdict_name(SD_V_REJECT), "reject");
	CHECK_INT(sd_verdict_parse("accept"), -EINVAL);
}

static uint64_t drained_sum;
static unsigned int drained;

static void drain_cb(void *arg, uint64_t id)
{
	(void)arg;
	drained_sum += id;
	drained++;
}

TEST(slotd_idset)
{
	struct sd_idset s;
	uint64_t i, sum = 0;
	bool ok = true;

	CHECK_INT(sd_idset_init(&s, 1000), 0);
	for (i = 0; i < 1000; i++)
		ok &= sd_idset_add(&s, i * 7919);
	CHECK(ok);
	CHECK(!sd_idset_add(&s, 7919));		/* there already */
	CHECK_INT(s.count, 1000);
	/* Delete every other one: the rest must still be found. */
	for (i = 0; i < 1000; i += 2)
		ok &= sd_idset_del(&s, i * 7919);
	CHECK(ok);
	CHECK(!sd_idset_del(&s, 0));
	for (i = 1; i < 1000; i += 2) {
		ok &= !sd_idset_add(&s, i * 7919);
		sum += i * 7919;
	}
	CHECK(ok);
	CHECK_INT(s.count, 500);
	sd_idset_drain(&s, drain_cb, NULL);
	CHECK_INT(drained, 500);
	CHECK(drained_sum == sum);
	CHECK_INT(s.count, 0);
	CHECK(!sd_idset_del(&s, 7919));
	sd_idset_fini(&s);
}

/* Values move with their ids when deletions shift runs back. */
TEST(slotd_idset_values)
{
	struct sd_idset s;
	const uint32_t *p;
	uint64_t i;
	uint32_t v;
	bool ok = true;

	CHECK_INT(sd_idset_init_values(&s, 1000, sizeof(v)), 0);
	for (i = 0; i < 1000; i++) {
		v = i + 1;
		ok &= sd_idset_add_value(&s, i * 7919, &v);
	}
	CHECK(ok);
	v = 0;
	CHECK(!sd_idset_add_value(&s, 7919, &v));	/* there already */
	for (i = 0; i < 1000; i += 2) {
		v = 0;
		ok &= sd_idset_take(&s, i * 7919, &v) && v == i + 1;
	}
	CHECK(ok);
	for (i = 1; i < 1000; i += 2) {
		p = sd_idset_find(&s, i * 7919);
		ok &= p && *p == i + 1;
	}
	CHECK(ok);
	CHECK(!sd_idset_find(&s, 0));
	CHECK(!sd_idset_take(&s, 0, &v));
	CHECK(sd_idset_del(&s, 7919));
	CHECK(!sd_idset_find(&s, 7919));
	CHECK(sd_idset_add(&s, 5));			/* zeroed value */
	p = sd_idset_find(&s, 5);
	CHECK(p && *p == 0);
	sd_idset_fini(&s);

	/* Without values, find() still says whether it is there. */
	CHECK_INT(sd_idset_init(&s, 4), 0);
	CHECK(sd_idset_add(&s, 3));
	CHECK(sd_idset_find(&s, 3) != NULL);
	CHECK(!sd_idset_find(&s, 4));
	sd_idset_fini(&s);
}
