/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fixture.h - netlink messages as the kernel would send them, and a port
 */
#ifndef SF_FIXTURE_H
#define SF_FIXTURE_H

#include <stdint.h>

#include <libmnl/libmnl.h>

#include "portmsg.h"

/* Room for a few messages; aligned as the kernel's skbs are. */
union fx_buf {
	uint64_t align;
	char data[16384];
};

void fx_sample_port(struct sf_port *port);
struct nlmsghdr *fx_genl_msg(void *buf, uint8_t cmd, uint32_t seq);
void fx_put_u64(struct nlmsghdr *nlh, uint16_t type, uint64_t v,
		uint16_t pad);
struct nlmsghdr *fx_port_msg(void *buf, const struct sf_port *port,
			     uint32_t seq);
struct nlmsghdr *fx_ack(void *buf, int error, const char *msg, int offs,
			const struct nlmsghdr *req, uint32_t seq);
struct nlmsghdr *fx_done(void *buf, int error, const char *msg, uint32_t seq);
void *fx_next(const struct nlmsghdr *nlh);
/* A whole file as a string ("" if it cannot be read); free() it. */
char *fx_read_file(const char *path);
void fx_write_file(const char *path, const char *text);

#endif /* SF_FIXTURE_H */
