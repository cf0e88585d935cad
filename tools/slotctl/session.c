// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - slotctl's one netlink session with the slotfilter family
 *
 * Opened on the first request, so that usage errors and help never touch
 * netlink. Kernel errors are printed here, with the kernel's own words.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/slotfilter.h>

#include "sfnl.h"
#include "slotctl.h"

static struct sfnl *nl;

static struct sfnl *session(void)
{
	int err;

	if (nl)
		return nl;
	nl = sfnl_open();
	if (!nl) {
		errorf("cannot open generic netlink socket: %s",
		       strerror(errno));
		exit(1);
	}
	err = sfnl_resolve(nl, SLOTFILTER_GENL_NAME);
	if (err) {
		errorf("slotfilter kernel module not available: %s",
		       strerror(-err));
		exit(1);
	}
	if (sfnl_family_version(nl) != SLOTFILTER_GENL_VERSION) {
		errorf("kernel speaks slotfilter version %u, slotctl version %u",
		       sfnl_family_version(nl), SLOTFILTER_GENL_VERSION);
		exit(1);
	}
	return nl;
}

struct nlmsghdr *slotctl_request(uint8_t cmd, uint16_t flags)
{
	return sfnl_request(session(), cmd, flags);
}

/* A request of up to @size bytes (sfnl_request_big()). */
struct nlmsghdr *slotctl_request_big(uint8_t cmd, uint16_t flags,
				     size_t size)
{
	struct nlmsghdr *nlh = sfnl_request_big(session(), cmd, flags, size);

	if (!nlh) {
		errorf("out of memory for a request of %zu bytes", size);
		exit(1);
	}
	return nlh;
}

/* Print @err (a negative errno) with the kernel's message; returns 1. */
int slotctl_report(int err)
{
	const char *msg = nl ? sfnl_ext_msg(nl) : NULL;

	if (msg)
		errorf("%s: %s", strerror(-err), msg);
	else if (err == -EPERM)
		/* The genl core refuses without a message: say what is missing. */
		errorf("%s: changing slotfilter needs CAP_NET_ADMIN over this network namespace",
		       strerror(-err));
	else
		errorf("%s", strerror(-err));
	return 1;
}

/* As slotctl_talk(), but errors are the caller's: 0 or a negative errno. */
int slotctl_try(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	int err = sfnl_talk(session(), nlh, cb, data);
	const char *msg = sfnl_ext_msg(nl);

	if (!err && msg)
		errorf("warning: %s", msg);
	return err;
}

/* Returns 0, or 1 (the exit status) after printing the error. */
int slotctl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	int err = slotctl_try(nlh, cb, data);

	return err ? slotctl_report(err) : 0;
}

/* Subscribe to the family's multicast group @group; 0 or 1 (reported). */
int slotctl_join(const char *group)
{
	int err = sfnl_join(session(), group);

	if (err == -ENOENT) {
		errorf("the kernel's slotfilter has no multicast group \"%s\"",
		       group);
		return 1;
	}
	return err ? slotctl_report(err) : 0;
}

/* One receive buffer of unsolicited messages (events); sfnl_recv(). */
int slotctl_recv(mnl_cb_t cb, void *data)
{
	return sfnl_recv(session(), cb, data);
}

/* The offset the kernel's last extended ack gave, or -1. */
long slotctl_ext_offs(void)
{
	uint32_t offs;

	return nl && sfnl_ext_offs(nl, &offs) ? (long)offs : -1;
}

int slotctl_fd(void)
{
	return sfnl_fd(session());
}

void slotctl_close(void)
{
	sfnl_close(nl);
	nl = NULL;
}
