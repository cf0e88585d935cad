// SPDX-License-Identifier: GPL-2.0
/*
 * kernel.c - slotd's channels to the kernel: slotfilter's generic netlink
 *
 * The only file of slotd that speaks netlink. Built against the uapi
 * header; until that header has the service commands, sd_kernel_netlink()
 * says so and slotd exits.
 */
#include <errno.h>
#include <stdio.h>

#include <linux/slotfilter.h>

#include "kernel.h"
#include "log.h"

#ifndef SLOTFILTER_CMD_SERVICE_BIND

const struct sd_kernel *sd_kernel_netlink(void)
{
	sd_err("built without the kernel's service commands (uapi/linux/slotfilter.h has no SLOTFILTER_CMD_SERVICE_BIND)");
	return NULL;
}

void sd_kernel_netlink_free(void)
{
}

#endif
