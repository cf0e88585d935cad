// SPDX-License-Identifier: GPL-2.0
/*
 * fixture.c - build what the kernel would send, byte for byte in layout:
 * array entries typed by their index, u64 attributes padded to 8 bytes
 * with a PAD attribute (nla_put_u64_64bit()), acks as netlink_ack() and
 * netlink_dump_done() write them. And files the tests write and read.
 */
#define _GNU_SOURCE		/* open_memstream() */
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/slotfilter.h>

#include "fixture.h"

void fx_sample_port(struct sf_port *port)
{
	struct sf_dir *in = &port->dirs[SLOTFILTER_DIR_INGRESS];
	struct sf_dir *out = &port->dirs[SLOTFILTER_DIR_EGRESS];

	memset(port, 0, sizeof(*port));
	port->ifindex = 5;
	strcpy(port->ifname, "veth0");
	*in = (struct sf_dir){ .packets = 1200, .bytes = 96000, .drops = 3,
			       .stolen = 1 };
	in->slots[2] = (struct sf_slot){ SLOTFILTER_FILTER_FIREWALL,
					 1200, 96000, 2 };
	in->slots[4] = (struct sf_slot){ SLOTFILTER_FILTER_SERVICE,
					 1198, 95840, 1 };
	*out = (struct sf_dir){ .packets = 1180, .bytes = 94400 };
}

struct nlmsghdr *fx_genl_msg(void *buf, uint8_t cmd, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = 0x20;		/* some dynamic family id */
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = SLOTFILTER_GENL_VERSION;
	return nlh;
}

void fx_put_u64(struct nlmsghdr *nlh, uint16_t type, uint64_t v, uint16_t pad)
{
	uintptr_t tail = (uintptr_t)mnl_nlmsg_get_payload_tail(nlh);

	if ((tail + MNL_ATTR_HDRLEN) % 8)
		mnl_attr_put(nlh, pad, 0, NULL);
	mnl_attr_put_u64(nlh, type, v);
}

static void fx_put_slot(struct nlmsghdr *nlh, unsigned int i,
			const struct sf_slot *slot)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, i);

	mnl_attr_put_u8(nlh, SLOTFILTER_SLOT_A_INDEX, i);
	mnl_attr_put_u8(nlh, SLOTFILTER_SLOT_A_FILTER, slot->filter);
	fx_put_u64(nlh, SLOTFILTER_SLOT_A_PACKETS, slot->packets,
		   SLOTFILTER_SLOT_A_PAD);
	fx_put_u64(nlh, SLOTFILTER_SLOT_A_BYTES, slot->bytes,
		   SLOTFILTER_SLOT_A_PAD);
	fx_put_u64(nlh, SLOTFILTER_SLOT_A_DROPS, slot->drops,
		   SLOTFILTER_SLOT_A_PAD);
	mnl_attr_nest_end(nlh, nest);
}

static void fx_put_dir(struct nlmsghdr *nlh, unsigned int d,
		       const struct sf_dir *dir)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, d), *slots;
	unsigned int i;

	mnl_attr_put_u8(nlh, SLOTFILTER_DIR_A_DIRECTION, d);
	fx_put_u64(nlh, SLOTFILTER_DIR_A_PACKETS, dir->packets,
		   SLOTFILTER_DIR_A_PAD);
	fx_put_u64(nlh, SLOTFILTER_DIR_A_BYTES, dir->bytes,
		   SLOTFILTER_DIR_A_PAD);
	fx_put_u64(nlh, SLOTFILTER_DIR_A_DROPS, dir->drops,
		   SLOTFILTER_DIR_A_PAD);
	fx_put_u64(nlh, SLOTFILTER_DIR_A_STOLEN, dir->stolen,
		   SLOTFILTER_DIR_A_PAD);
	slots = mnl_attr_nest_start(nlh, SLOTFILTER_DIR_A_SLOTS);
	for (i = 0; i < SLOTFILTER_NUM_SLOTS; i++)
		fx_put_slot(nlh, i, &dir->slots[i]);
	mnl_attr_nest_end(nlh, slots);
	mnl_attr_nest_end(nlh, nest);
}

struct nlmsghdr *fx_port_msg(void *buf, const struct sf_port *port,
			     uint32_t seq)
{
	struct nlmsghdr *nlh = fx_genl_msg(buf, SLOTFILTER_CMD_PORT_GET, seq);
	struct nlattr *dirs;
	unsigned int d;

	nlh->nlmsg_flags = NLM_F_MULTI;
	mnl_attr_put_u32(nlh, SLOTFILTER_PORT_A_IFINDEX, port->ifindex);
	mnl_attr_put_strz(nlh, SLOTFILTER_PORT_A_IFNAME, port->ifname);
	dirs = mnl_attr_nest_start(nlh, SLOTFILTER_PORT_A_DIRS);
	for (d = 0; d < SLOTFILTER_DIR_COUNT; d++)
		fx_put_dir(nlh, d, &port->dirs[d]);
	mnl_attr_nest_end(nlh, dirs);
	if (port->n_tags) {
		dirs = mnl_attr_nest_start(nlh, SLOTFILTER_PORT_A_TAGS);
		for (d = 0; d < port->n_tags; d++)
			mnl_attr_put_strz(nlh, SLOTFILTER_PORT_A_TAG,
					  port->tags[d]);
		mnl_attr_nest_end(nlh, dirs);
	}
	return nlh;
}

/* NLMSG_ERROR for @req; it is echoed unless NULL (NETLINK_CAP_ACK). */
struct nlmsghdr *fx_ack(void *buf, int error, const char *msg, int offs,
			const struct nlmsghdr *req, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *err;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = seq;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = error;
	if (req) {
		err->msg = *req;
		memcpy(mnl_nlmsg_put_extra_header(nlh,
						  mnl_nlmsg_get_payload_len(req)),
		       mnl_nlmsg_get_payload(req),
		       mnl_nlmsg_get_payload_len(req));
	} else {
		nlh->nlmsg_flags |= NLM_F_CAPPED;
		err->msg.nlmsg_len = sizeof(err->msg);
	}
	if (msg || offs >= 0)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	if (offs >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, offs);
	return nlh;
}

struct nlmsghdr *fx_done(void *buf, int error, const char *msg, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int *err;

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = seq;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	*err = error;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	return nlh;
}

/* Where the message after @nlh goes in the same buffer. */
void *fx_next(const struct nlmsghdr *nlh)
{
	return (char *)nlh + MNL_ALIGN(nlh->nlmsg_len);
}

char *fx_read_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *s = NULL, buf[4096];
	size_t n = 0, got;
	FILE *out = open_memstream(&s, &n);

	while (fp && (got = fread(buf, 1, sizeof(buf), fp)) > 0)
		fwrite(buf, 1, got, out);
	if (fp)
		fclose(fp);
	fclose(out);
	return s;
}

void fx_write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (!fp)
		return;
	fputs(text, fp);
	fclose(fp);
}
