// SPDX-License-Identifier: GPL-2.0
/*
 * replies.c - what a data message of the family must look like
 *
 * Any family: a genl header, then attributes that tile the payload exactly,
 * recursively inside every attribute flagged NLA_F_NESTED (the kernel's
 * nla_nest_start() sets it); NLM_F_MULTI on the parts of a dump and only
 * there.
 *
 * slotfilter's PORT_GET replies, as uapi/linux/slotfilter.h describes them:
 * they decode with the shared parser (tools/lib/portmsg.c); a port has an
 * ifindex and a name, two directions (0 and 1, once each), each with
 * SLOTFILTER_NUM_SLOTS slots (0 .. 11, once each) of a known filter kind;
 * a dump lists ports in strictly ascending ifindex order.
 */
#include <string.h>

#include <linux/slotfilter.h>

#include "fuzz.h"
#include "portmsg.h"

static bool fz_attrs_tile(const uint8_t *p, size_t len, unsigned int depth)
{
	while (len >= NLA_HDRLEN) {
		uint16_t nla_len, type;
		size_t step;

		memcpy(&nla_len, p, sizeof(nla_len));
		memcpy(&type, p + 2, sizeof(type));
		if (nla_len < NLA_HDRLEN || nla_len > len)
			return false;
		if (type & NLA_F_NESTED &&
		    (depth > 32 || !fz_attrs_tile(p + NLA_HDRLEN,
						  nla_len - NLA_HDRLEN,
						  depth + 1)))
			return false;
		step = NLA_ALIGN(nla_len);
		if (step > len)
			return false;
		p += step;
		len -= step;
	}
	return len == 0;
}

/* Entries of a nest whose types are their indexes, each exactly once. */
static const char *fz_check_index_nest(const struct nlattr *nest,
				       unsigned int count, uint16_t index_attr,
				       uint16_t kind_attr, unsigned int kinds)
{
	const struct nlattr *entry, *a;
	uint32_t seen = 0;

	mnl_attr_for_each_nested(entry, nest) {
		unsigned int idx = mnl_attr_get_type(entry);
		bool has_index = false;

		if (idx >= count || seen & 1u << idx)
			return "entry index out of range or repeated";
		seen |= 1u << idx;
		mnl_attr_for_each_nested(a, entry) {
			if (mnl_attr_get_type(a) == index_attr) {
				if (mnl_attr_get_u8(a) != idx)
					return "entry's index attribute differs from its type";
				has_index = true;
			}
			if (kind_attr && mnl_attr_get_type(a) == kind_attr &&
			    mnl_attr_get_u8(a) >= kinds)
				return "unknown filter kind";
		}
		if (!has_index)
			return "entry without its index attribute";
	}
	if (seen != (1u << count) - 1)
		return "entries missing";
	return NULL;
}

static const char *fz_check_port_tree(const struct nlmsghdr *nlh)
{
	const struct nlattr *attr, *dir, *a;
	const char *why;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != SLOTFILTER_PORT_A_DIRS)
			continue;
		why = fz_check_index_nest(attr, SLOTFILTER_DIR_COUNT,
					  SLOTFILTER_DIR_A_DIRECTION, 0, 0);
		if (why)
			return why;
		mnl_attr_for_each_nested(dir, attr)
			mnl_attr_for_each_nested(a, dir) {
				if (mnl_attr_get_type(a) != SLOTFILTER_DIR_A_SLOTS)
					continue;
				why = fz_check_index_nest(a, SLOTFILTER_NUM_SLOTS,
							  SLOTFILTER_SLOT_A_INDEX,
							  SLOTFILTER_SLOT_A_FILTER,
							  __SLOTFILTER_FILTER_MAX);
				if (why)
					return why;
			}
		return NULL;
	}
	return "no SLOTFILTER_PORT_A_DIRS";
}

static void fz_check_port(struct fz_worker *w, struct fz_req *req,
			  const struct nlmsghdr *nlh)
{
	struct sf_port port;
	const char *why;

	if (sf_port_parse(nlh, &port)) {
		fz_fail(w, req, "PORT_GET reply does not decode");
		return;
	}
	if (!port.ifindex || !port.ifname[0]) {
		fz_fail(w, req, "port without ifindex or name");
		return;
	}
	why = fz_check_port_tree(nlh);
	if (why) {
		fz_fail(w, req, "port %u (%s): %s", port.ifindex, port.ifname,
			why);
		return;
	}
	if (req->exp.dump) {
		if (port.ifindex <= req->last_ifindex)
			fz_fail(w, req, "dump lists port %u after port %u",
				port.ifindex, req->last_ifindex);
		req->last_ifindex = port.ifindex;
	}
}

void fz_check_reply(struct fz_worker *w, struct fz_req *req,
		    const struct nlmsghdr *nlh)
{
	const struct fz_family *fam = &w->ctx->fam;
	size_t hdr = GENL_HDRLEN + NLMSG_ALIGN(fam->hdrsize);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	const uint8_t *payload = mnl_nlmsg_get_payload(nlh);
	bool multi = nlh->nlmsg_flags & NLM_F_MULTI;

	if (plen < hdr) {
		fz_fail(w, req, "reply shorter than the genl header");
		return;
	}
	if (!fz_attrs_tile(payload + hdr, plen - hdr, 0)) {
		fz_fail(w, req, "reply attributes do not parse");
		return;
	}
	if (multi != req->exp.dump)
		fz_fail(w, req, "reply %s NLM_F_MULTI to a %s", multi ? "with" :
			"without", req->exp.dump ? "dump" : "doit");
	if (strcmp(fam->name, SLOTFILTER_GENL_NAME))
		return;
	if (payload[0] == SLOTFILTER_CMD_PORT_GET)
		fz_check_port(w, req, nlh);
}
