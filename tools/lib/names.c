// SPDX-License-Identifier: GPL-2.0
/*
 * names.c - enum slotfilter_* <-> words, one table per enum
 *
 * A value this program does not know (from a newer kernel) is "unknown".
 */
#include <linux/slotfilter.h>

#include "names.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const dir_names[] = {
	[SLOTFILTER_DIR_INGRESS]	= "ingress",
	[SLOTFILTER_DIR_EGRESS]		= "egress",
};

static const char *const filter_names[] = {
	[SLOTFILTER_FILTER_NONE]	= "none",
	[SLOTFILTER_FILTER_FIREWALL]	= "firewall",
	[SLOTFILTER_FILTER_SERVICE]	= "service",
};

static const char *name_of(const char *const *names, unsigned int n,
			   unsigned int value)
{
	return value < n && names[value] ? names[value] : "unknown";
}

const char *sf_dir_name(unsigned int dir)
{
	return name_of(dir_names, ARRAY_SIZE(dir_names), dir);
}

const char *sf_filter_name(unsigned int kind)
{
	return name_of(filter_names, ARRAY_SIZE(filter_names), kind);
}
