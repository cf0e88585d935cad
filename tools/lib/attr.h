/* SPDX-License-Identifier: GPL-2.0 */
/*
 * attr.h - validate netlink attributes before use (libmnl style)
 *
 * A policy is an array indexed by attribute type, like the kernel's
 * nla_policy. Each parse fills @tb[0..maxtype] with the attributes present,
 * each one checked against its entry first: a known attribute of the
 * wrong size or shape fails the whole parse with -EBADMSG. Attributes whose
 * entry is MNL_TYPE_UNSPEC (padding, arrays' index 0, ...) and types above
 * @maxtype (added by a newer kernel) are skipped.
 */
#ifndef SF_ATTR_H
#define SF_ATTR_H

#include <stdint.h>

#include <libmnl/libmnl.h>

struct sfnl_policy {
	enum mnl_attr_data_type type;
	uint16_t max_len;	/* strings and binary: longest payload, 0: any */
};

int sfnl_parse_attrs(const struct nlmsghdr *nlh, unsigned int offset,
		     const struct sfnl_policy *policy, unsigned int maxtype,
		     const struct nlattr **tb);
int sfnl_parse_genl(const struct nlmsghdr *nlh,
		    const struct sfnl_policy *policy, unsigned int maxtype,
		    const struct nlattr **tb);
int sfnl_parse_nested(const struct nlattr *nest,
		      const struct sfnl_policy *policy, unsigned int maxtype,
		      const struct nlattr **tb);
int sfnl_genl_cmd(const struct nlmsghdr *nlh);

#endif /* SF_ATTR_H */
