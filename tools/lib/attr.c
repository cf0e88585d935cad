// SPDX-License-Identifier: GPL-2.0
/*
 * attr.c - policy-driven attribute validation
 *
 * One callback serves every message and nest: it looks the attribute up in
 * the caller's policy, validates it with libmnl and stores it. Nothing that
 * comes from the kernel is read before it has been through here.
 */
#include <errno.h>
#include <string.h>

#include <linux/genetlink.h>

#include "attr.h"

struct sfnl_parse {
	const struct sfnl_policy *policy;
	unsigned int maxtype;
	const struct nlattr **tb;
};

static int sfnl_attr_cb(const struct nlattr *attr, void *data)
{
	const struct sfnl_parse *p = data;
	uint16_t type = mnl_attr_get_type(attr);
	const struct sfnl_policy *pol;

	if (type > p->maxtype)
		return MNL_CB_OK;
	pol = &p->policy[type];
	if (pol->type == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, pol->type) < 0)
		return MNL_CB_ERROR;
	if (pol->max_len && mnl_attr_get_payload_len(attr) > pol->max_len)
		return MNL_CB_ERROR;
	p->tb[type] = attr;
	return MNL_CB_OK;
}

static void sfnl_parse_init(struct sfnl_parse *p,
			    const struct sfnl_policy *policy,
			    unsigned int maxtype, const struct nlattr **tb)
{
	memset(tb, 0, (maxtype + 1) * sizeof(*tb));
	p->policy = policy;
	p->maxtype = maxtype;
	p->tb = tb;
}

/* Attributes of @nlh that start @offset bytes into its payload. */
int sfnl_parse_attrs(const struct nlmsghdr *nlh, unsigned int offset,
		     const struct sfnl_policy *policy, unsigned int maxtype,
		     const struct nlattr **tb)
{
	struct sfnl_parse p;

	sfnl_parse_init(&p, policy, maxtype, tb);
	if (mnl_nlmsg_get_payload_len(nlh) < offset)
		return -EBADMSG;
	if (mnl_attr_parse(nlh, offset, sfnl_attr_cb, &p) < 0)
		return -EBADMSG;
	return 0;
}

/* Attributes of a generic netlink message (after its genlmsghdr). */
int sfnl_parse_genl(const struct nlmsghdr *nlh,
		    const struct sfnl_policy *policy, unsigned int maxtype,
		    const struct nlattr **tb)
{
	return sfnl_parse_attrs(nlh, GENL_HDRLEN, policy, maxtype, tb);
}

int sfnl_parse_nested(const struct nlattr *nest,
		      const struct sfnl_policy *policy, unsigned int maxtype,
		      const struct nlattr **tb)
{
	struct sfnl_parse p;

	sfnl_parse_init(&p, policy, maxtype, tb);
	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	if (mnl_attr_parse_nested(nest, sfnl_attr_cb, &p) < 0)
		return -EBADMSG;
	return 0;
}

/* The command of a generic netlink message, or -EBADMSG if too short. */
int sfnl_genl_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -EBADMSG;
	return genl->cmd;
}
