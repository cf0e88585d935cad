// SPDX-License-Identifier: GPL-2.0
/*
 * kernel.c - slotd's channels to the kernel: slotfilter's generic netlink
 *
 * The only file of slotd that speaks netlink (through tools/lib's sfnl
 * layer). One channel is one NETLINK_GENERIC socket, bound to one
 * service with SLOTFILTER_CMD_SERVICE_BIND: the kernel unicasts that
 * service's held packets to it (SLOTFILTER_CMD_PACKET), and slotd sends
 * VERDICT, SERVICE_HEALTH and SERVICE_ALERT on it. Only the bind waits
 * for an ack; the others go without NLM_F_ACK, so the socket carries no
 * answers in step with requests, and an error the kernel returns for one
 * of them (NLMSG_ERROR) arrives among the packets: it is logged, and the
 * channel goes on. Packets that arrive while the bind waits for its ack
 * are kept and handed over by the first recv().
 *
 * Until uapi/linux/slotfilter.h has the service commands this file builds
 * a stub that says so, and slotd exits at start.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/slotfilter.h>

#include "kernel.h"
#include "kmsg.h"
#include "log.h"

#ifdef SD_KERNEL_SERVICES

#include "attr.h"
#include "sfnl.h"

_Static_assert(SD_ALERT_MAX == SLOTFILTER_ALERT_MAX &&
	       SD_WHY_MAX == SLOTFILTER_REASON_MAX, "kernel.h's limits");

/* Room for a 64 KiB GSO packet and its attributes. */
#define KC_RECV_SIZE	(SLOTSVC_FRAME_MAX + 16384)
#define KC_RCVBUF	(8 << 20)
#define KC_VERDICT_ROOM	(128 * 1024)

struct kc_pending {
	struct kc_pending *next;
	size_t len;
	uint8_t msg[];
};

struct sd_kchan {
	struct sfnl *nl;
	char service[SLOTSVC_NAME_MAX];
	uint8_t *rbuf;
	struct kc_pending *pending, **pending_tail;
	uint64_t refused;		/* messages the kernel answered with an error */
	bool deleted;			/* the kernel deleted the service */
};

struct kc_walk {
	struct sd_kchan *kc;
	sd_packet_fn fn;
	void *arg;
};

/* Handle one message from the channel's socket. */
static void kc_message(struct kc_walk *w, const struct nlmsghdr *nlh)
{
	struct sd_kchan *kc = w->kc;
	struct sfnl_ack ack;
	struct sd_packet pkt;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		if (sfnl_parse_ack(nlh, &ack) || !ack.error)
			return;
		/* Log the first, then every 1000th: a stale verdict is normal. */
		if (kc->refused++ % 1000 == 0)
			sd_warn("service %s: the kernel refused a message: %s%s%s (%llu so far)",
				kc->service, strerror(-ack.error),
				ack.msg ? ": " : "", ack.msg ? ack.msg : "",
				(unsigned long long)kc->refused);
		return;
	}
	if (nlh->nlmsg_type != sfnl_family_id(kc->nl))
		return;
	if (sfnl_genl_cmd(nlh) == SLOTFILTER_CMD_SERVICE_EVENT) {
		if (sd_kmsg_deleted(nlh, kc->service)) {
			sd_info("service %s: deleted in the kernel",
				kc->service);
			kc->deleted = true;
		}
		return;
	}
	if (sfnl_genl_cmd(nlh) != SLOTFILTER_CMD_PACKET)
		return;
	if (sd_kmsg_packet(nlh, &pkt)) {
		sd_warn("service %s: a malformed PACKET message from the kernel",
			kc->service);
		return;
	}
	w->fn(w->arg, &pkt);
}

static void kc_walk_buf(struct kc_walk *w, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int left = len;

	while (mnl_nlmsg_ok(nlh, left)) {
		kc_message(w, nlh);
		nlh = mnl_nlmsg_next(nlh, &left);
	}
}

static int kc_recv(struct sd_kchan *kc, sd_packet_fn fn, void *arg)
{
	struct kc_walk w = { kc, fn, arg };
	struct kc_pending *p;
	ssize_t n;
	int budget = 256;	/* buffers a round: others get their turn */

	while ((p = kc->pending)) {
		kc->pending = p->next;
		kc_walk_buf(&w, p->msg, p->len);
		free(p);
	}
	kc->pending_tail = &kc->pending;
	while (budget--) {
		n = recv(sfnl_fd(kc->nl), kc->rbuf, KC_RECV_SIZE,
			 MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			return -errno;	/* ENOBUFS: the kernel lost packets */
		}
		if (n > KC_RECV_SIZE) {
			sd_warn("service %s: a message of %zd bytes was cut",
				kc->service, n);
			continue;
		}
		kc_walk_buf(&w, kc->rbuf, n);
		if (kc->deleted)
			return -ENOENT;
	}
	return 0;
}

/* During the bind, keep whatever is not the answer for later. */
static int kc_bind_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sd_kchan *kc = data;
	struct kc_pending *p;

	if (sfnl_genl_cmd(nlh) != SLOTFILTER_CMD_PACKET)
		return MNL_CB_OK;
	p = malloc(sizeof(*p) + nlh->nlmsg_len);
	if (!p)
		return MNL_CB_OK;	/* the kernel's deadline answers it */
	p->next = NULL;
	p->len = nlh->nlmsg_len;
	memcpy(p->msg, nlh, nlh->nlmsg_len);
	*kc->pending_tail = p;
	kc->pending_tail = &p->next;
	return MNL_CB_OK;
}

struct kc_info {
	bool found;
	uint8_t policy;
};

static int kc_service_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct sfnl_policy policy[SLOTFILTER_SERVICE_A_MAX + 1] = {
		[SLOTFILTER_SERVICE_A_FAILURE_POLICY] = { MNL_TYPE_U8, 0 },
	};
	const struct nlattr *tb[SLOTFILTER_SERVICE_A_MAX + 1];
	struct kc_info *info = data;

	if (sfnl_parse_genl(nlh, policy, SLOTFILTER_SERVICE_A_MAX, tb))
		return MNL_CB_OK;
	info->found = true;
	if (tb[SLOTFILTER_SERVICE_A_FAILURE_POLICY])
		info->policy = mnl_attr_get_u8(tb[SLOTFILTER_SERVICE_A_FAILURE_POLICY]);
	return MNL_CB_OK;
}

static void kc_free(struct sd_kchan *kc)
{
	struct kc_pending *p;

	while ((p = kc->pending)) {
		kc->pending = p->next;
		free(p);
	}
	sfnl_close(kc->nl);
	free(kc->rbuf);
	free(kc);
}

static int kc_bind(void *ctx, const char *service, bool gso,
		   struct sd_kchan **out, struct sd_kbind *info, char *err,
		   size_t errlen)
{
	struct kc_info svc = { 0 };
	struct sd_kchan *kc = calloc(1, sizeof(*kc));
	struct nlmsghdr *nlh;
	int ret, size = KC_RCVBUF;

	(void)ctx;
	if (!kc || !(kc->rbuf = malloc(KC_RECV_SIZE)) ||
	    !(kc->nl = sfnl_open())) {
		ret = -ENOMEM;
		goto fail;
	}
	kc->pending_tail = &kc->pending;
	snprintf(kc->service, sizeof(kc->service), "%s", service);
	ret = sfnl_resolve(kc->nl, SLOTFILTER_GENL_NAME);
	if (ret) {
		snprintf(err, errlen, "the kernel has no %s family: %s",
			 SLOTFILTER_GENL_NAME, strerror(-ret));
		goto fail;
	}
	if (setsockopt(sfnl_fd(kc->nl), SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)))
		setsockopt(sfnl_fd(kc->nl), SOL_SOCKET, SO_RCVBUF, &size,
			   sizeof(size));

	nlh = sfnl_request(kc->nl, SLOTFILTER_CMD_SERVICE_GET, 0);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, service);
	ret = sfnl_talk(kc->nl, nlh, kc_service_cb, &svc);
	if (ret) {
		snprintf(err, errlen, "%s", sfnl_ext_msg(kc->nl) ?
			 sfnl_ext_msg(kc->nl) : ret == -ENOENT ?
			 "no such service in the kernel" : strerror(-ret));
		goto fail;
	}
	info->fail_verdict = svc.policy == SLOTFILTER_FAIL_CLOSED ?
			     SD_V_DROP : SD_V_CONTINUE;

	nlh = sfnl_request(kc->nl, SLOTFILTER_CMD_SERVICE_BIND, 0);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, service);
	if (gso)
		mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_FLAGS,
				 SLOTFILTER_SERVICE_F_GSO);
	ret = sfnl_talk(kc->nl, nlh, kc_bind_cb, kc);
	if (ret) {
		snprintf(err, errlen, "%s", sfnl_ext_msg(kc->nl) ?
			 sfnl_ext_msg(kc->nl) : strerror(-ret));
		goto fail;
	}
	*out = kc;
	return 0;

fail:
	if (!err[0])
		snprintf(err, errlen, "%s", strerror(-ret));
	if (kc)
		kc_free(kc);
	return ret;
}

static int kc_fd(struct sd_kchan *kc)
{
	return sfnl_fd(kc->nl);
}

static int kc_verdicts(struct sd_kchan *kc, const struct sd_verdict *v,
		       unsigned int n)
{
	struct nlmsghdr *nlh;

	nlh = sfnl_request_big(kc->nl, SLOTFILTER_CMD_VERDICT, 0,
			       KC_VERDICT_ROOM + 256);
	if (!nlh)
		return -ENOMEM;
	sd_kmsg_verdicts(nlh, kc->service, v, n);
	return sfnl_send(kc->nl, nlh);
}

static int kc_health(struct sd_kchan *kc, bool up, const char *why)
{
	char reason[SLOTFILTER_REASON_MAX];
	struct nlmsghdr *nlh;

	nlh = sfnl_request(kc->nl, SLOTFILTER_CMD_SERVICE_HEALTH, 0);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, kc->service);
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_HEALTH,
			up ? SLOTFILTER_HEALTH_UP : SLOTFILTER_HEALTH_FAILING);
	if (why && *why) {
		/* A reason too long for the kernel is cut, not refused. */
		snprintf(reason, sizeof(reason), "%s", why);
		mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_REASON, reason);
	}
	return sfnl_send(kc->nl, nlh);
}

static int kc_alert(struct sd_kchan *kc, const char *json)
{
	struct nlmsghdr *nlh;

	nlh = sfnl_request_big(kc->nl, SLOTFILTER_CMD_SERVICE_ALERT, 0,
			       SLOTFILTER_ALERT_MAX + 256);
	if (!nlh)
		return -ENOMEM;
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, kc->service);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_ALERT, json);
	return sfnl_send(kc->nl, nlh);
}

static int kn_port_tag(void *ctx, uint32_t ifindex, const char *tag,
		       bool add, char *err, size_t errlen)
{
	struct sfnl *nl = sfnl_open();
	struct nlmsghdr *nlh;
	int ret;

	(void)ctx;
	if (!nl)
		return -errno;
	ret = sfnl_resolve(nl, SLOTFILTER_GENL_NAME);
	if (!ret) {
		nlh = sfnl_request(nl, add ? SLOTFILTER_CMD_PORT_TAG :
					     SLOTFILTER_CMD_PORT_UNTAG, 0);
		mnl_attr_put_u32(nlh, SLOTFILTER_PORT_A_IFINDEX, ifindex);
		mnl_attr_put_strz(nlh, SLOTFILTER_PORT_A_TAG, tag);
		ret = sfnl_talk(nl, nlh, NULL, NULL);
	}
	if (ret)
		snprintf(err, errlen, "%s", sfnl_ext_msg(nl) ?
			 sfnl_ext_msg(nl) : strerror(-ret));
	sfnl_close(nl);
	return ret;
}

static const struct sd_kernel kernel_netlink = {
	.bind = kc_bind,
	.fd = kc_fd,
	.recv = kc_recv,
	.verdict_size = sd_kmsg_verdict_size,
	.verdict_room = KC_VERDICT_ROOM,
	.verdicts = kc_verdicts,
	.health = kc_health,
	.alert = kc_alert,
	.close = kc_free,
	.port_tag = kn_port_tag,
};

/* Check once that the family is there and speaks our version. */
const struct sd_kernel *sd_kernel_netlink(void)
{
	struct sfnl *nl = sfnl_open();
	int ret;

	if (!nl) {
		sd_err("cannot open a netlink socket: %s", strerror(errno));
		return NULL;
	}
	ret = sfnl_resolve(nl, SLOTFILTER_GENL_NAME);
	if (!ret && sfnl_family_version(nl) != SLOTFILTER_GENL_VERSION) {
		sd_err("the kernel's %s family is version %u, slotd speaks %u",
		       SLOTFILTER_GENL_NAME, sfnl_family_version(nl),
		       SLOTFILTER_GENL_VERSION);
		ret = -EPROTO;
	} else if (ret) {
		sd_err("the kernel has no %s family (is the module loaded?): %s",
		       SLOTFILTER_GENL_NAME, strerror(-ret));
	}
	sfnl_close(nl);
	return ret ? NULL : &kernel_netlink;
}

void sd_kernel_netlink_free(void)
{
}

#else /* !SD_KERNEL_SERVICES */

const struct sd_kernel *sd_kernel_netlink(void)
{
	sd_err("built without the kernel's service commands (uapi/linux/slotfilter.h has no service commands)");
	return NULL;
}

void sd_kernel_netlink_free(void)
{
}

#endif
