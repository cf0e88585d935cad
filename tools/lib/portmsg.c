// SPDX-License-Identifier: GPL-2.0
/*
 * portmsg.c - decode a SLOTFILTER_CMD_PORT_GET reply into struct sf_port
 *
 * The port's identity (ifindex, name) and each entry's own index
 * (SLOTFILTER_DIR_A_DIRECTION, SLOTFILTER_SLOT_A_INDEX, and the slot's
 * filter) are required; a reply without them, or with one out of range, is
 * malformed (-EBADMSG). A counter the kernel leaves out reads as zero. An
 * entry is placed by its index attribute, not by its position in the array.
 * Tags come in the order the kernel lists them; more than
 * SLOTFILTER_PORT_TAGS_MAX of them is malformed.
 */
#include <errno.h>
#include <string.h>

#include "attr.h"
#include "portmsg.h"

static const struct sfnl_policy port_policy[SLOTFILTER_PORT_A_MAX + 1] = {
	[SLOTFILTER_PORT_A_IFINDEX]	= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_PORT_A_IFNAME]	= { .type = MNL_TYPE_NUL_STRING,
					    .max_len = IF_NAMESIZE },
	[SLOTFILTER_PORT_A_DIRS]	= { .type = MNL_TYPE_NESTED },
	[SLOTFILTER_PORT_A_TAGS]	= { .type = MNL_TYPE_NESTED },
};

static const struct sfnl_policy dir_policy[SLOTFILTER_DIR_A_MAX + 1] = {
	[SLOTFILTER_DIR_A_DIRECTION]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_DIR_A_PACKETS]	= { .type = MNL_TYPE_U64 },
	[SLOTFILTER_DIR_A_BYTES]	= { .type = MNL_TYPE_U64 },
	[SLOTFILTER_DIR_A_DROPS]	= { .type = MNL_TYPE_U64 },
	[SLOTFILTER_DIR_A_STOLEN]	= { .type = MNL_TYPE_U64 },
	[SLOTFILTER_DIR_A_SLOTS]	= { .type = MNL_TYPE_NESTED },
};

static const struct sfnl_policy slot_policy[SLOTFILTER_SLOT_A_MAX + 1] = {
	[SLOTFILTER_SLOT_A_INDEX]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_SLOT_A_FILTER]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_SLOT_A_PACKETS]	= { .type = MNL_TYPE_U64 },
	[SLOTFILTER_SLOT_A_BYTES]	= { .type = MNL_TYPE_U64 },
	[SLOTFILTER_SLOT_A_DROPS]	= { .type = MNL_TYPE_U64 },
};

static uint64_t get_u64(const struct nlattr *attr)
{
	return attr ? mnl_attr_get_u64(attr) : 0;
}

static int sf_slot_parse(const struct nlattr *nest, struct sf_dir *dir)
{
	const struct nlattr *tb[SLOTFILTER_SLOT_A_MAX + 1];
	struct sf_slot *slot;
	unsigned int index;

	if (sfnl_parse_nested(nest, slot_policy, SLOTFILTER_SLOT_A_MAX, tb) ||
	    !tb[SLOTFILTER_SLOT_A_INDEX] || !tb[SLOTFILTER_SLOT_A_FILTER])
		return -EBADMSG;
	index = mnl_attr_get_u8(tb[SLOTFILTER_SLOT_A_INDEX]);
	if (index >= SLOTFILTER_NUM_SLOTS)
		return -EBADMSG;

	slot = &dir->slots[index];
	slot->filter = mnl_attr_get_u8(tb[SLOTFILTER_SLOT_A_FILTER]);
	slot->packets = get_u64(tb[SLOTFILTER_SLOT_A_PACKETS]);
	slot->bytes = get_u64(tb[SLOTFILTER_SLOT_A_BYTES]);
	slot->drops = get_u64(tb[SLOTFILTER_SLOT_A_DROPS]);
	return 0;
}

static int sf_dir_parse(const struct nlattr *nest, struct sf_port *port)
{
	const struct nlattr *tb[SLOTFILTER_DIR_A_MAX + 1];
	const struct nlattr *slot;
	struct sf_dir *dir;
	unsigned int index;

	if (sfnl_parse_nested(nest, dir_policy, SLOTFILTER_DIR_A_MAX, tb) ||
	    !tb[SLOTFILTER_DIR_A_DIRECTION])
		return -EBADMSG;
	index = mnl_attr_get_u8(tb[SLOTFILTER_DIR_A_DIRECTION]);
	if (index >= SLOTFILTER_DIR_COUNT)
		return -EBADMSG;

	dir = &port->dirs[index];
	dir->packets = get_u64(tb[SLOTFILTER_DIR_A_PACKETS]);
	dir->bytes = get_u64(tb[SLOTFILTER_DIR_A_BYTES]);
	dir->drops = get_u64(tb[SLOTFILTER_DIR_A_DROPS]);
	dir->stolen = get_u64(tb[SLOTFILTER_DIR_A_STOLEN]);
	if (!tb[SLOTFILTER_DIR_A_SLOTS])
		return 0;
	mnl_attr_for_each_nested(slot, tb[SLOTFILTER_DIR_A_SLOTS]) {
		if (sf_slot_parse(slot, dir))
			return -EBADMSG;
	}
	return 0;
}

static int sf_tags_parse(const struct nlattr *nest, struct sf_port *port)
{
	const struct nlattr *tag;

	mnl_attr_for_each_nested(tag, nest) {
		if (mnl_attr_get_type(tag) != SLOTFILTER_PORT_A_TAG)
			continue;
		if (mnl_attr_validate(tag, MNL_TYPE_NUL_STRING) < 0 ||
		    mnl_attr_get_payload_len(tag) > SLOTFILTER_NAME_MAX ||
		    port->n_tags == SLOTFILTER_PORT_TAGS_MAX)
			return -EBADMSG;
		strcpy(port->tags[port->n_tags++], mnl_attr_get_str(tag));
	}
	return 0;
}

int sf_port_parse(const struct nlmsghdr *nlh, struct sf_port *port)
{
	const struct nlattr *tb[SLOTFILTER_PORT_A_MAX + 1];
	const struct nlattr *dir;

	memset(port, 0, sizeof(*port));
	if (sfnl_parse_genl(nlh, port_policy, SLOTFILTER_PORT_A_MAX, tb) ||
	    !tb[SLOTFILTER_PORT_A_IFINDEX] || !tb[SLOTFILTER_PORT_A_IFNAME])
		return -EBADMSG;
	port->ifindex = mnl_attr_get_u32(tb[SLOTFILTER_PORT_A_IFINDEX]);
	strcpy(port->ifname, mnl_attr_get_str(tb[SLOTFILTER_PORT_A_IFNAME]));
	if (tb[SLOTFILTER_PORT_A_TAGS] &&
	    sf_tags_parse(tb[SLOTFILTER_PORT_A_TAGS], port))
		return -EBADMSG;
	if (!tb[SLOTFILTER_PORT_A_DIRS])
		return 0;
	mnl_attr_for_each_nested(dir, tb[SLOTFILTER_PORT_A_DIRS]) {
		if (sf_dir_parse(dir, port))
			return -EBADMSG;
	}
	return 0;
}
