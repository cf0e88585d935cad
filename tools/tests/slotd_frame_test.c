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
	CHECK_INT(f.u.hello.version_max, 1);
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
	CHECK_STR(decode(len, SD_SIDE_SERVICE), "unknown frame type 8");
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
	put32(offsetof(struct slotsvc_hello, version_min), 2);
	CHECK_STR(decode(len, SD_SIDE_SLOTD), "HELLO: bad version range 2..1");
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
