// SPDX-License-Identifier: GPL-2.0
/*
 * The tag names of a namespace and their ids. Every user (a port carrying
 * the tag, a ruleset naming it) holds a reference; an id is free again when
 * its last user goes. All of it runs under RTNL.
 */
#include <linux/ctype.h>
#include <linux/string.h>
#include "tag.h"

/* Tag and set names: 1 to 31 characters of [A-Za-z0-9_.-]. */
bool sf_name_valid(const char *name)
{
	size_t i, len = strnlen(name, SLOTFILTER_NAME_MAX);

	if (!len || len >= SLOTFILTER_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("_.-", name[i]))
			return false;
	return true;
}

int sf_tag_find(const struct sf_tags *tags, const char *name)
{
	unsigned int id;

	for (id = 0; id < SLOTFILTER_TAGS_MAX; id++)
		if (tags->users[id] && !strcmp(tags->name[id], name))
			return id;
	return -ENOENT;
}

/* Takes a reference on the id of @name, allocating one if needed. */
int sf_tag_get(struct sf_tags *tags, const char *name,
	       struct netlink_ext_ack *extack)
{
	int id = sf_tag_find(tags, name);

	if (id < 0) {
		for (id = 0; id < SLOTFILTER_TAGS_MAX; id++)
			if (!tags->users[id])
				break;
		if (id == SLOTFILTER_TAGS_MAX) {
			NL_SET_ERR_MSG_MOD(extack,
					   "too many distinct tags in this namespace (64)");
			return -ENOSPC;
		}
		strscpy(tags->name[id], name, SLOTFILTER_NAME_MAX);
	}
	tags->users[id]++;
	return id;
}

void sf_tag_put(struct sf_tags *tags, unsigned int id)
{
	if (!WARN_ON_ONCE(!tags->users[id]))
		tags->users[id]--;
}

void sf_tag_put_mask(struct sf_tags *tags, u64 mask)
{
	unsigned int id;

	for (id = 0; id < SLOTFILTER_TAGS_MAX; id++)
		if (mask & BIT_ULL(id))
			sf_tag_put(tags, id);
}
