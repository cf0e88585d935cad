/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel.h - the one door between slotd and the kernel
 *
 * slotd speaks to the kernel only through a struct sd_kernel: kernel.c
 * implements it over slotfilter's generic netlink family, the host tests
 * with a fake. A channel (struct sd_kchan) is one binding of one
 * slotfilter service: its own netlink socket, which the kernel sends that
 * service's held packets to, and which carries the service's verdicts,
 * health and alerts. Closing it unbinds the service; the kernel then
 * applies the service's failure policy to whatever is still held.
 */
#ifndef SD_KERNEL_H
#define SD_KERNEL_H

#include "slotd.h"

struct sd_kchan;

#define SD_ALERT_MAX	4096	/* SLOTFILTER_ALERT_MAX: NUL included */
#define SD_WHY_MAX	128	/* SLOTFILTER_REASON_MAX: NUL included */

typedef void (*sd_packet_fn)(void *arg, const struct sd_packet *pkt);

/* What binding learned about the service. */
struct sd_kbind {
	uint8_t fail_verdict;		/* SD_V_CONTINUE (open) or SD_V_DROP */
};

struct sd_kernel {
	void *ctx;
	/* -errno on failure, with a message in @err. */
	int (*bind)(void *ctx, const char *service, bool gso,
		    struct sd_kchan **kc, struct sd_kbind *info,
		    char *err, size_t errlen);
	int (*fd)(struct sd_kchan *kc);
	/* Read what is queued, @fn for each packet; -errno: the channel broke. */
	int (*recv)(struct sd_kchan *kc, sd_packet_fn fn, void *arg);
	/* Bytes one verdict takes in a message, and a message's room for them. */
	size_t (*verdict_size)(const struct sd_verdict *v);
	size_t verdict_room;
	/* Send @n verdicts in one message. */
	int (*verdicts)(struct sd_kchan *kc, const struct sd_verdict *v,
			unsigned int n);
	/* @why: for people, in the kernel's event (NULL: none). */
	int (*health)(struct sd_kchan *kc, bool up, const char *why);
	/*
	 * One alert for `slotctl monitor` (SLOTFILTER_CMD_SERVICE_ALERT): by
	 * convention a JSON object on one line, 1 to SD_ALERT_MAX - 1 bytes
	 * (sd_service_alert() checks). The kernel's rate limit may drop it.
	 */
	int (*alert)(struct sd_kchan *kc, const char *json);
	void (*close)(struct sd_kchan *kc);
	/*
	 * Tag (@add) or untag the port @ifindex, synchronously, on a socket
	 * of its own; -errno with the kernel's message in @err on failure
	 * (-EEXIST tagged already, -ENOENT no such port or tag).
	 */
	int (*port_tag)(void *ctx, uint32_t ifindex, const char *tag,
			bool add, char *err, size_t errlen);
};

/* The real one; NULL with a message on stderr if the family is missing. */
const struct sd_kernel *sd_kernel_netlink(void);
void sd_kernel_netlink_free(void);

#endif /* SD_KERNEL_H */
