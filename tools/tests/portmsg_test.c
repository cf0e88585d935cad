// SPDX-License-Identifier: GPL-2.0
/*
 * portmsg_test.c - decoding SLOTFILTER_CMD_PORT_GET replies
 */
#include <errno.h>

#include <linux/slotfilter.h>

#include "attr.h"
#include "fixture.h"
#include "names.h"
#include "portmsg.h"
#include "test.h"

TEST(port_decode_roundtrip)
{
	struct sf_port want, got;
	union fx_buf buf;

	fx_sample_port(&want);
	want.dirs[1].slots[11] = (struct sf_slot){ SLOTFILTER_FILTER_SERVICE,
						   UINT64_MAX, 1, 2 };
	CHECK_INT(sf_port_parse(fx_port_msg(&buf, &want, 0), &got), 0);
	CHECK(!memcmp(&want, &got, sizeof(want)));
	CHECK_STR(got.ifname, "veth0");
	CHECK(got.dirs[1].slots[11].packets == UINT64_MAX);
}

TEST(port_decode_tags)
{
	struct sf_port want, got;
	union fx_buf buf;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int i;

	fx_sample_port(&want);
	want.n_tags = 2;
	strcpy(want.tags[0], "web");
	strcpy(want.tags[1], "a-name-of-31-characters-exactly");
	CHECK_INT(sf_port_parse(fx_port_msg(&buf, &want, 0), &got), 0);
	CHECK(!memcmp(&want, &got, sizeof(want)));

	/* more tags than a port can carry */
	want.n_tags = 0;
	nlh = fx_port_msg(&buf, &want, 0);
	nest = mnl_attr_nest_start(nlh, SLOTFILTER_PORT_A_TAGS);
	for (i = 0; i <= SLOTFILTER_PORT_TAGS_MAX; i++)
		mnl_attr_put_strz(nlh, SLOTFILTER_PORT_A_TAG, "t");
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(sf_port_parse(nlh, &got), -EBADMSG);

	/* a tag longer than a name can be */
	nlh = fx_port_msg(&buf, &want, 0);
	nest = mnl_attr_nest_start(nlh, SLOTFILTER_PORT_A_TAGS);
	mnl_attr_put_strz(nlh, SLOTFILTER_PORT_A_TAG,
			  "a-name-of-32-characters-exactly!");
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(sf_port_parse(nlh, &got), -EBADMSG);
}

/* A port message by hand: an ifindex of @ifindex_len bytes, a name. */
static struct nlmsghdr *hand_port(union fx_buf *buf, int ifindex_len,
				  const char *ifname)
{
	struct nlmsghdr *nlh = fx_genl_msg(buf, SLOTFILTER_CMD_PORT_GET, 0);
	uint32_t ifindex[2] = { 5, 0 };	/* 8 bytes, the first 4 a u32 */

	if (ifindex_len)
		mnl_attr_put(nlh, SLOTFILTER_PORT_A_IFINDEX, ifindex_len,
			     ifindex);
	if (ifname)
		mnl_attr_put_strz(nlh, SLOTFILTER_PORT_A_IFNAME, ifname);
	return nlh;
}

TEST(port_decode_requires_identity)
{
	struct sf_port port;
	union fx_buf buf;

	CHECK_INT(sf_port_parse(hand_port(&buf, 4, "a"), &port), 0);
	CHECK_INT(port.ifindex, 5);
	CHECK_INT(sf_port_parse(hand_port(&buf, 0, "a"), &port), -EBADMSG);
	CHECK_INT(sf_port_parse(hand_port(&buf, 4, NULL), &port), -EBADMSG);
}

TEST(port_decode_rejects_bad_types)
{
	struct sf_port port;
	union fx_buf buf;
	struct nlmsghdr *nlh;

	CHECK_INT(sf_port_parse(hand_port(&buf, 2, "a"), &port), -EBADMSG);
	CHECK_INT(sf_port_parse(hand_port(&buf, 8, "a"), &port), -EBADMSG);
	CHECK_INT(sf_port_parse(hand_port(&buf, 4, "sixteen-chars-xx"),
				&port), -EBADMSG);

	nlh = hand_port(&buf, 4, "a");
	mnl_attr_put(nlh, SLOTFILTER_PORT_A_DIRS, 2, "xx");
	CHECK_INT(sf_port_parse(nlh, &port), -EBADMSG);

	nlh = hand_port(&buf, 4, "a");
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;	/* no room for genlmsghdr */
	CHECK_INT(sf_port_parse(nlh, &port), -EBADMSG);
}

/* A port message with one ingress slot described by the caller. */
static struct nlmsghdr *one_slot(union fx_buf *buf, int index, int filter,
				 uint16_t extra_type)
{
	struct nlmsghdr *nlh = hand_port(buf, 4, "a");
	struct nlattr *dirs, *dir, *slots, *slot;

	dirs = mnl_attr_nest_start(nlh, SLOTFILTER_PORT_A_DIRS);
	dir = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u8(nlh, SLOTFILTER_DIR_A_DIRECTION, 0);
	slots = mnl_attr_nest_start(nlh, SLOTFILTER_DIR_A_SLOTS);
	slot = mnl_attr_nest_start(nlh, 0);
	if (index >= 0)
		mnl_attr_put_u8(nlh, SLOTFILTER_SLOT_A_INDEX, index);
	if (filter >= 0)
		mnl_attr_put_u8(nlh, SLOTFILTER_SLOT_A_FILTER, filter);
	if (extra_type)
		mnl_attr_put_u32(nlh, extra_type, 1);
	mnl_attr_nest_end(nlh, slot);
	mnl_attr_nest_end(nlh, slots);
	mnl_attr_nest_end(nlh, dir);
	mnl_attr_nest_end(nlh, dirs);
	return nlh;
}

TEST(port_decode_slot_entries)
{
	struct sf_port port;
	union fx_buf buf;

	CHECK_INT(sf_port_parse(one_slot(&buf, 2, 1, 0), &port), 0);
	CHECK_INT(port.dirs[0].slots[2].filter, SLOTFILTER_FILTER_FIREWALL);
	CHECK(port.dirs[0].slots[2].packets == 0);	/* absent: zero */

	CHECK_INT(sf_port_parse(one_slot(&buf, 12, 1, 0), &port), -EBADMSG);
	CHECK_INT(sf_port_parse(one_slot(&buf, -1, 1, 0), &port), -EBADMSG);
	CHECK_INT(sf_port_parse(one_slot(&buf, 3, -1, 0), &port), -EBADMSG);
	/* a wrong-sized known attribute fails, an unknown one is skipped */
	CHECK_INT(sf_port_parse(one_slot(&buf, 3, 1, SLOTFILTER_SLOT_A_DROPS),
				&port), -EBADMSG);
	CHECK_INT(sf_port_parse(one_slot(&buf, 3, 1, 200), &port), 0);
}

TEST(port_decode_direction_range)
{
	struct sf_port port;
	union fx_buf buf;
	struct nlmsghdr *nlh;
	struct nlattr *dirs, *dir;

	nlh = hand_port(&buf, 4, "a");
	dirs = mnl_attr_nest_start(nlh, SLOTFILTER_PORT_A_DIRS);
	dir = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u8(nlh, SLOTFILTER_DIR_A_DIRECTION, SLOTFILTER_DIR_COUNT);
	mnl_attr_nest_end(nlh, dir);
	mnl_attr_nest_end(nlh, dirs);
	CHECK_INT(sf_port_parse(nlh, &port), -EBADMSG);
}

TEST(genl_cmd_of_message)
{
	union fx_buf buf;

	CHECK_INT(sfnl_genl_cmd(fx_genl_msg(&buf, 3, 0)), 3);
}

TEST(enum_names)
{
	CHECK_STR(sf_dir_name(SLOTFILTER_DIR_INGRESS), "ingress");
	CHECK_STR(sf_dir_name(SLOTFILTER_DIR_EGRESS), "egress");
	CHECK_STR(sf_dir_name(7), "unknown");
	CHECK_STR(sf_filter_name(SLOTFILTER_FILTER_NONE), "none");
	CHECK_STR(sf_filter_name(SLOTFILTER_FILTER_FIREWALL), "firewall");
	CHECK_STR(sf_filter_name(SLOTFILTER_FILTER_SERVICE), "service");
	CHECK_STR(sf_filter_name(200), "unknown");
}
