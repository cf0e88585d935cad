/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Port tags: names for groups of ports. Each namespace maps the tag names
 * in use to small ids, so a port carries its tags as a 64-bit mask and a
 * rule applied to tags tests one AND.
 */
#ifndef _SF_TAG_H
#define _SF_TAG_H

#include <linux/netlink.h>
#include <linux/slotfilter.h>

struct sf_tags {
	char name[SLOTFILTER_TAGS_MAX][SLOTFILTER_NAME_MAX];
	u32 users[SLOTFILTER_TAGS_MAX];	/* ports carrying it, rules naming it */
};

bool sf_name_valid(const char *name);
int sf_tag_get(struct sf_tags *tags, const char *name,
	       struct netlink_ext_ack *extack);
int sf_tag_find(const struct sf_tags *tags, const char *name);
void sf_tag_put(struct sf_tags *tags, unsigned int id);
void sf_tag_put_mask(struct sf_tags *tags, u64 mask);

#endif /* _SF_TAG_H */
