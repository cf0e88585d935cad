// SPDX-License-Identifier: GPL-2.0
/*
 * slotd_kmsg_test.c - PACKET messages as the kernel builds them decode to
 * the packet; malformed ones are refused; VERDICT messages hold what was
 * asked and fit the size slotd budgets for them
 */
#include <errno.h>

#include <linux/genetlink.h>
#include <linux/slotfilter.h>

#include "../slotd/kmsg.h"
#include "fixture.h"
#include "test.h"

#ifdef SD_KERNEL_SERVICES

static char mbuf[8192] __attribute__((aligned(8)));

/* A PACKET message like the kernel's; @skip leaves attribute @skip out. */
static struct nlmsghdr *packet_msg(unsigned int skip)
{
	struct nlmsghdr *nlh = fx_genl_msg(mbuf, SLOTFILTER_CMD_PACKET, 0);
	struct nlattr *tags;

	if (skip != SLOTFILTER_PACKET_A_ID)
		fx_put_u64(nlh, SLOTFILTER_PACKET_A_ID, 0x100000001ULL,
			   SLOTFILTER_PACKET_A_PAD);
	mnl_attr_put_u32(nlh, SLOTFILTER_PACKET_A_IFINDEX, 5);
	mnl_attr_put_strz(nlh, SLOTFILTER_PACKET_A_IFNAME, "veth0");
	tags = mnl_attr_nest_start(nlh, SLOTFILTER_PACKET_A_TAGS);
	mnl_attr_put_strz(nlh, SLOTFILTER_PORT_A_TAG, "web");
	mnl_attr_put_strz(nlh, SLOTFILTER_PORT_A_TAG, "db");
	mnl_attr_nest_end(nlh, tags);
	mnl_attr_put_u8(nlh, SLOTFILTER_PACKET_A_DIRECTION,
			SLOTFILTER_DIR_EGRESS);
	mnl_attr_put_u8(nlh, SLOTFILTER_PACKET_A_SLOT, 6);
	mnl_attr_put_strz(nlh, SLOTFILTER_PACKET_A_SERVICE, "ips");
	mnl_attr_put_u32(nlh, SLOTFILTER_PACKET_A_RULE_ID, 10);
	fx_put_u64(nlh, SLOTFILTER_PACKET_A_FLOW_ID, 99,
		   SLOTFILTER_PACKET_A_PAD);
	mnl_attr_put_u16(nlh, SLOTFILTER_PACKET_A_L3PROTO, 0x86DD);
	mnl_attr_put_u32(nlh, SLOTFILTER_PACKET_A_LENGTH, 1500);
	mnl_attr_put_u32(nlh, SLOTFILTER_PACKET_A_GENERATION, 7);
	if (skip != SLOTFILTER_PACKET_A_PAYLOAD)
		mnl_attr_put(nlh, SLOTFILTER_PACKET_A_PAYLOAD, 6, "\x60pay\0");
	return nlh;
}

TEST(slotd_kmsg_packet)
{
	struct sd_packet p;

	CHECK_INT(sd_kmsg_packet(packet_msg(0), &p), 0);
	CHECK(p.id == 0x100000001ULL);
	CHECK_INT(p.ifindex, 5);
	CHECK_STR(p.ifname, "veth0");
	CHECK_INT(p.ntags, 2);
	CHECK_STR(p.tags[0], "web");
	CHECK_STR(p.tags[1], "db");
	CHECK_INT(p.dir, SLOTSVC_DIR_EGRESS);
	CHECK_INT(p.slot, 6);
	CHECK_STR(p.service, "ips");
	CHECK_INT(p.rule_id, 10);
	CHECK_INT(p.flow_id, 99);
	CHECK_INT(p.l3proto, 0x86DD);
	CHECK_INT(p.orig_len, 1500);
	CHECK_INT(p.generation, 7);
	CHECK_INT(p.len, 6);
	CHECK(!memcmp(p.data, "\x60pay\0", 6));
}

TEST(slotd_kmsg_packet_malformed)
{
	struct sd_packet p;
	struct nlmsghdr *nlh;
	struct nlattr *a;

	CHECK_INT(sd_kmsg_packet(packet_msg(SLOTFILTER_PACKET_A_ID), &p),
		  -EBADMSG);
	CHECK_INT(sd_kmsg_packet(packet_msg(SLOTFILTER_PACKET_A_PAYLOAD), &p),
		  -EBADMSG);
	/* A number of 3 bytes. */
	nlh = packet_msg(0);
	mnl_attr_put(nlh, SLOTFILTER_PACKET_A_SLOT, 3, "abc");
	CHECK_INT(sd_kmsg_packet(nlh, &p), -EBADMSG);
	/* A name without its NUL, a name too long. */
	nlh = packet_msg(0);
	mnl_attr_put(nlh, SLOTFILTER_PACKET_A_IFNAME, 3, "abc");
	CHECK_INT(sd_kmsg_packet(nlh, &p), -EBADMSG);
	nlh = packet_msg(0);
	mnl_attr_put_strz(nlh, SLOTFILTER_PACKET_A_IFNAME,
			  "a-name-of-sixteen");
	CHECK_INT(sd_kmsg_packet(nlh, &p), -EBADMSG);
	/* 17 tags. */
	nlh = packet_msg(0);
	a = mnl_attr_nest_start(nlh, SLOTFILTER_PACKET_A_TAGS);
	for (int i = 0; i < 17; i++)
		mnl_attr_put_strz(nlh, SLOTFILTER_PORT_A_TAG, "t");
	mnl_attr_nest_end(nlh, a);
	CHECK_INT(sd_kmsg_packet(nlh, &p), -EBADMSG);
}

struct entry {
	uint64_t id;
	uint8_t verdict;
	const uint8_t *payload;
	uint16_t len;
};

TEST(slotd_kmsg_verdicts)
{
	static const struct sd_verdict v[] = {
		{ 1, SD_V_CONTINUE, NULL, 0 },
		{ 2, SD_V_DROP_FLOW, NULL, 0 },
		{ 3, SD_V_CONTINUE, (const uint8_t *)"abcde", 5 },
	};
	struct nlmsghdr *nlh = fx_genl_msg(mbuf, SLOTFILTER_CMD_VERDICT, 1);
	size_t before = nlh->nlmsg_len, budget = 0;
	const struct nlattr *a, *e;
	struct entry got[4] = { { 0 } };
	unsigned int n = 0, i;
	const char *service = NULL;

	for (i = 0; i < 3; i++)
		budget += sd_kmsg_verdict_size(&v[i]);
	sd_kmsg_verdicts(nlh, "ips", v, 3);
	/* The service name is outside the budget: 4 + 4 bytes. */
	CHECK(nlh->nlmsg_len - before <= budget + 8);
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == SLOTFILTER_SERVICE_A_NAME) {
			service = mnl_attr_get_str(a);
			continue;
		}
		CHECK_INT(mnl_attr_get_type(a), SLOTFILTER_SERVICE_A_VERDICT);
		if (n == 4)
			break;
		mnl_attr_for_each_nested(e, a) {
			switch (mnl_attr_get_type(e)) {
			case SLOTFILTER_VERDICT_A_ID:
				got[n].id = mnl_attr_get_u64(e);
				break;
			case SLOTFILTER_VERDICT_A_VERDICT:
				got[n].verdict = mnl_attr_get_u8(e);
				break;
			case SLOTFILTER_VERDICT_A_PAYLOAD:
				got[n].payload = mnl_attr_get_payload(e);
				got[n].len = mnl_attr_get_payload_len(e);
				break;
			}
		}
		n++;
	}
	CHECK_STR(service, "ips");
	CHECK_INT(n, 3);
	CHECK(got[0].id == 1 && got[0].verdict == SLOTFILTER_VERDICT_CONTINUE &&
	      !got[0].payload);
	CHECK(got[1].id == 2 && got[1].verdict == SLOTFILTER_VERDICT_DROP_FLOW);
	CHECK(got[2].id == 3 && got[2].len == 5 &&
	      !memcmp(got[2].payload, "abcde", 5));
}

/* The SERVICE_EVENT that tells a deleted service's helper. */
TEST(slotd_kmsg_deleted)
{
	struct nlmsghdr *nlh;

	nlh = fx_genl_msg(mbuf, SLOTFILTER_CMD_SERVICE_EVENT, 0);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, "ips");
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_SLOT, 4);
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_CAUSE,
			SLOTFILTER_CAUSE_DELETED);
	CHECK(sd_kmsg_deleted(nlh, "ips"));
	CHECK(!sd_kmsg_deleted(nlh, "ip"));
	CHECK(!sd_kmsg_deleted(nlh, "ips2"));

	nlh = fx_genl_msg(mbuf, SLOTFILTER_CMD_SERVICE_EVENT, 0);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, "ips");
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_CAUSE,
			SLOTFILTER_CAUSE_MOVED);
	CHECK(!sd_kmsg_deleted(nlh, "ips"));

	/* A cause of the wrong size: not believed. */
	nlh = fx_genl_msg(mbuf, SLOTFILTER_CMD_SERVICE_EVENT, 0);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, "ips");
	mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_CAUSE,
			 SLOTFILTER_CAUSE_DELETED);
	CHECK(!sd_kmsg_deleted(nlh, "ips"));
	nlh = fx_genl_msg(mbuf, SLOTFILTER_CMD_SERVICE_EVENT, 0);
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_CAUSE,
			SLOTFILTER_CAUSE_DELETED);
	CHECK(!sd_kmsg_deleted(nlh, "ips"));
}

#else

TEST(slotd_kmsg_packet)
{
	test_skip("uapi/linux/slotfilter.h has no service commands yet");
}

#endif
