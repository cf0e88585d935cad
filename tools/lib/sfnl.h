/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sfnl.h - generic netlink transport shared by slotctl and slotd
 *
 * One struct sfnl is one NETLINK_GENERIC socket bound to one family,
 * resolved by name (which also makes the kernel load the module).
 *
 * A request is built in the handle's send buffer by sfnl_request(), filled
 * with mnl_attr_put*() (at most SFNL_SEND_SIZE bytes in all, or the size
 * given to sfnl_request_big() for a larger one), then either
 * sent with sfnl_talk(), which waits for the answer, or with sfnl_send(),
 * which does not. sfnl_talk() asks for an ack unless the request is a dump,
 * hands every reply message to @cb, and returns once the kernel has acked
 * the request (NLMSG_ERROR) or ended the dump (NLMSG_DONE). It always reads
 * the whole answer, even after @cb failed, so the socket stays in step.
 *
 * @cb returns MNL_CB_OK to go on, MNL_CB_STOP to ignore the rest of the
 * answer, or MNL_CB_ERROR with errno set.
 *
 * Errors are negative errno values. When the kernel attached an extended
 * ack message (NLMSGERR_ATTR_MSG) to its answer, sfnl_ext_msg() returns it
 * until the next request is built; on a successful ack it is a warning.
 * When the kernel only named a missing attribute (NLMSGERR_ATTR_MISS_TYPE,
 * as the generic netlink core does), the message says so itself.
 *
 * A dump the kernel marked NLM_F_DUMP_INTR (what it dumps changed during
 * the dump) is read to its end and then fails with -EINTR.
 *
 * sfnl_resolve() also learns the family's multicast groups; sfnl_join()
 * subscribes to one, whose events sfnl_recv() then hands to its callback.
 */
#ifndef SF_SFNL_H
#define SF_SFNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#define SFNL_SEND_SIZE	16384
/* The largest message a netlink dump sends (32 KiB, see netlink_dump()). */
#define SFNL_RECV_SIZE	32768

struct sfnl;

/* What an NLMSG_ERROR or NLMSG_DONE message says. */
struct sfnl_ack {
	int error;		/* 0 or -errno, as the kernel sent it */
	const char *msg;	/* NLMSGERR_ATTR_MSG or NULL; inside the message */
	bool has_offs;
	uint32_t offs;		/* NLMSGERR_ATTR_OFFS: where in the request */
	bool has_miss_type;
	uint32_t miss_type;	/* NLMSGERR_ATTR_MISS_TYPE: what it lacked */
};

struct sfnl *sfnl_open(void);
void sfnl_close(struct sfnl *nl);
int sfnl_fd(const struct sfnl *nl);

int sfnl_resolve(struct sfnl *nl, const char *family);
uint16_t sfnl_family_id(const struct sfnl *nl);
uint32_t sfnl_family_version(const struct sfnl *nl);

struct nlmsghdr *sfnl_request(struct sfnl *nl, uint8_t cmd, uint16_t flags);
struct nlmsghdr *sfnl_request_big(struct sfnl *nl, uint8_t cmd,
				  uint16_t flags, size_t size);
size_t sfnl_room(const struct sfnl *nl, const struct nlmsghdr *nlh);
int sfnl_talk(struct sfnl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
int sfnl_send(struct sfnl *nl, const struct nlmsghdr *nlh);
int sfnl_recv(struct sfnl *nl, mnl_cb_t cb, void *data);
int sfnl_run(struct sfnl *nl, const void *buf, size_t len, mnl_cb_t cb,
	     void *data);
const char *sfnl_ext_msg(const struct sfnl *nl);
bool sfnl_ext_offs(const struct sfnl *nl, uint32_t *offs);

int sfnl_mcast_group(const struct sfnl *nl, const char *name);
int sfnl_join(struct sfnl *nl, const char *name);

int sfnl_parse_ack(const struct nlmsghdr *nlh, struct sfnl_ack *ack);

#endif /* SF_SFNL_H */
