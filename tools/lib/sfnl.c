// SPDX-License-Identifier: GPL-2.0
/*
 * sfnl.c - generic netlink socket, family resolution, request/answer loop
 *
 * An answer is the stream of messages the kernel sends for one request:
 * any number of data messages, then an NLMSG_ERROR (the ack; error 0 on
 * success) or, for a dump, an NLMSG_DONE that may also carry an error. With
 * NETLINK_EXT_ACK both may carry TLVs after their fixed part; with
 * NETLINK_CAP_ACK an NLMSG_ERROR does not echo the request's payload.
 * sfnl_parse_ack() reads both kinds.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "attr.h"
#include "sfnl.h"

#define SFNL_EXT_MSG_SIZE	256
#define SFNL_MAX_GROUPS		8
/* netlink_sendmsg() refuses a message longer than sk_sndbuf - 32. */
#define SFNL_SNDBUF_SLACK	32

struct sfnl_group {
	char name[GENL_NAMSIZ];
	uint32_t id;
};

struct sfnl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;		/* of the last request built */
	uint16_t family;
	uint32_t version;
	unsigned int n_groups;
	struct sfnl_group groups[SFNL_MAX_GROUPS];
	char ext_msg[SFNL_EXT_MSG_SIZE];
	bool has_ext_offs;
	uint32_t ext_offs;	/* NLMSGERR_ATTR_OFFS of the last answer */
	char *sbuf;		/* SFNL_SEND_SIZE, or more (sfnl_request_big) */
	size_t sbuf_size;
	char rbuf[SFNL_RECV_SIZE];
};

/* One answer being read; it may span several receive buffers. */
struct sfnl_answer {
	struct sfnl *nl;
	mnl_cb_t cb;
	void *data;
	bool cb_done;		/* @cb wants no more messages */
	bool dump_intr;		/* a message had NLM_F_DUMP_INTR */
	int cb_err;		/* first failure of @cb */
	int ack_err;		/* the kernel's error or a malformed ack */
};

struct sfnl *sfnl_open(void)
{
	struct sfnl *nl = calloc(1, sizeof(*nl));
	int one = 1, err;

	if (!nl)
		return NULL;
	nl->sbuf = malloc(SFNL_SEND_SIZE);
	if (!nl->sbuf)
		goto err;
	nl->sbuf_size = SFNL_SEND_SIZE;
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock)
		goto err;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err;
	/* Best effort: without them answers are only less informative. */
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);
	return nl;

err:
	err = errno;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->sbuf);
	free(nl);
	errno = err;
	return NULL;
}

void sfnl_close(struct sfnl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl->sbuf);
	free(nl);
}

int sfnl_fd(const struct sfnl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

uint16_t sfnl_family_id(const struct sfnl *nl)
{
	return nl->family;
}

uint32_t sfnl_family_version(const struct sfnl *nl)
{
	return nl->version;
}

const char *sfnl_ext_msg(const struct sfnl *nl)
{
	return nl->ext_msg[0] ? nl->ext_msg : NULL;
}

/* Where in the request the kernel's extended ack points, if it does. */
bool sfnl_ext_offs(const struct sfnl *nl, uint32_t *offs)
{
	*offs = nl->ext_offs;
	return nl->has_ext_offs;
}

static struct nlmsghdr *sfnl_put_header(struct sfnl *nl, uint16_t type,
					uint8_t cmd, uint8_t version,
					uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->sbuf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	nl->ext_msg[0] = '\0';
	nl->has_ext_offs = false;
	return nlh;
}

/*
 * Start a request to the resolved family in the send buffer. @flags are
 * added to NLM_F_REQUEST (NLM_F_DUMP for a dump); sfnl_talk() adds NLM_F_ACK.
 * The genl header carries the family version the kernel announced: callers
 * check it against the one they speak after sfnl_resolve().
 */
struct nlmsghdr *sfnl_request(struct sfnl *nl, uint8_t cmd, uint16_t flags)
{
	return sfnl_put_header(nl, nl->family, cmd, nl->version, flags);
}

/*
 * As sfnl_request(), for a request of up to @size bytes (headers
 * included): the send buffer grows to fit it, and sfnl_send() raises the
 * socket's send buffer when it must. NULL, errno ENOMEM, if it cannot.
 */
struct nlmsghdr *sfnl_request_big(struct sfnl *nl, uint8_t cmd,
				  uint16_t flags, size_t size)
{
	char *buf;

	if (size > nl->sbuf_size) {
		buf = realloc(nl->sbuf, size);
		if (!buf) {
			errno = ENOMEM;
			return NULL;
		}
		nl->sbuf = buf;
		nl->sbuf_size = size;
	}
	return sfnl_request(nl, cmd, flags);
}

/* Room in the send buffer after @nlh: what may still be put into it. */
size_t sfnl_room(const struct sfnl *nl, const struct nlmsghdr *nlh)
{
	return nl->sbuf_size - ((const char *)nlh - nl->sbuf) -
	       nlh->nlmsg_len;
}

int sfnl_parse_ack(const struct nlmsghdr *nlh, struct sfnl_ack *ack)
{
	static const struct sfnl_policy policy[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG]	= { .type = MNL_TYPE_NUL_STRING },
		[NLMSGERR_ATTR_OFFS]	= { .type = MNL_TYPE_U32 },
		[NLMSGERR_ATTR_MISS_TYPE] = { .type = MNL_TYPE_U32 },
	};
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	const void *payload = mnl_nlmsg_get_payload(nlh);
	const struct nlmsgerr *err = payload;
	size_t hlen;

	memset(ack, 0, sizeof(*ack));
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* A dump that succeeded may end with an empty NLMSG_DONE. */
		hlen = sizeof(int);
		if (len < hlen)
			return 0;
		memcpy(&ack->error, payload, sizeof(int));
	} else if (nlh->nlmsg_type == NLMSG_ERROR) {
		hlen = sizeof(*err);
		if (len < hlen)
			return -EBADMSG;
		ack->error = err->error;
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (err->msg.nlmsg_len < sizeof(err->msg))
				return -EBADMSG;
			hlen += err->msg.nlmsg_len - sizeof(err->msg);
		}
	} else {
		return -EINVAL;
	}
	if (hlen > len || ack->error > 0)
		return -EBADMSG;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;

	if (sfnl_parse_attrs(nlh, hlen, policy, NLMSGERR_ATTR_MAX, tb) < 0)
		return -EBADMSG;
	if (tb[NLMSGERR_ATTR_MSG])
		ack->msg = mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
	if (tb[NLMSGERR_ATTR_OFFS]) {
		ack->has_offs = true;
		ack->offs = mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		ack->has_miss_type = true;
		ack->miss_type = mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	}
	return 0;
}

static int sfnl_ack_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sfnl_answer *ans = data;
	struct sfnl_ack ack;

	if (sfnl_parse_ack(nlh, &ack) < 0) {
		ans->ack_err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	if (ack.msg)
		snprintf(ans->nl->ext_msg, sizeof(ans->nl->ext_msg), "%s",
			 ack.msg);
	else if (ack.has_miss_type)
		snprintf(ans->nl->ext_msg, sizeof(ans->nl->ext_msg),
			 "missing attribute %u", ack.miss_type);
	ans->nl->has_ext_offs = ack.has_offs;
	ans->nl->ext_offs = ack.offs;
	ans->ack_err = ack.error;
	return ack.error ? MNL_CB_ERROR : MNL_CB_STOP;
}

static int sfnl_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sfnl_answer *ans = data;
	int ret;

	if (!ans->cb || ans->cb_done)
		return MNL_CB_OK;
	errno = 0;
	ret = ans->cb(nlh, ans->data);
	if (ret == MNL_CB_OK)
		return MNL_CB_OK;
	ans->cb_done = true;
	if (ret == MNL_CB_ERROR)
		ans->cb_err = errno ? -errno : -EBADMSG;
	return MNL_CB_OK;
}

/*
 * Feed one receive buffer to @ans. Returns > 0 while more of the answer
 * is to come, 0 when it is complete, or a negative errno.
 */
static int sfnl_process(struct sfnl_answer *ans, const void *buf, size_t len)
{
	/* not const: libmnl 1.0.4 takes a mutable array */
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR]	= sfnl_ack_cb,
		[NLMSG_DONE]	= sfnl_ack_cb,
	};
	int ret;

	errno = 0;
	ret = mnl_cb_run2(buf, len, ans->nl->seq, ans->nl->portid,
			  sfnl_data_cb, ans, ctl, MNL_ARRAY_SIZE(ctl));
	if (ret == MNL_CB_ERROR) {
		if (ans->ack_err)
			return ans->ack_err;
		return errno ? -errno : -EBADMSG;
	}
	if (ret == MNL_CB_STOP && ans->cb_err)
		return ans->cb_err;
	return ret;
}

/*
 * libmnl stops at a message marked NLM_F_DUMP_INTR (the dumped state
 * changed meanwhile), which would leave the rest of the dump in the socket.
 * Note the mark instead and take it off: the whole dump is read, and
 * sfnl_talk() says -EINTR at its end.
 */
static void sfnl_unmark_intr(struct sfnl_answer *ans, void *buf, size_t len)
{
	struct nlmsghdr *nlh = buf;
	int left = len;

	while (mnl_nlmsg_ok(nlh, left)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			nlh->nlmsg_flags &= ~NLM_F_DUMP_INTR;
			ans->dump_intr = true;
		}
		nlh = mnl_nlmsg_next(nlh, &left);
	}
}

static int sfnl_recv_answer(struct sfnl_answer *ans)
{
	struct sfnl *nl = ans->nl;
	ssize_t n;

	do {
		n = mnl_socket_recvfrom(nl->sock, nl->rbuf, sizeof(nl->rbuf));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	sfnl_unmark_intr(ans, nl->rbuf, n);
	return sfnl_process(ans, nl->rbuf, n);
}

/* Process messages already received into @buf (e.g. by slotd's loop). */
int sfnl_run(struct sfnl *nl, const void *buf, size_t len, mnl_cb_t cb,
	     void *data)
{
	struct sfnl_answer ans = { .nl = nl, .cb = cb, .data = data };
	int ret = sfnl_process(&ans, buf, len);

	return ret > 0 && ans.cb_err ? ans.cb_err : ret;
}

/* Receive one buffer of messages and process it, as sfnl_run(). */
int sfnl_recv(struct sfnl *nl, mnl_cb_t cb, void *data)
{
	struct sfnl_answer ans = { .nl = nl, .cb = cb, .data = data };
	int ret = sfnl_recv_answer(&ans);

	return ret > 0 && ans.cb_err ? ans.cb_err : ret;
}

/*
 * A socket's send buffer bounds the messages it sends, 208 KiB by default
 * (net.core.wmem_default). SO_SNDBUFFORCE (CAP_NET_ADMIN) raises it to any
 * size; SO_SNDBUF up to net.core.wmem_max. The kernel doubles the value.
 */
static int sfnl_fit_sndbuf(struct sfnl *nl, size_t len)
{
	int fd = sfnl_fd(nl), have = 0, want;
	socklen_t optlen = sizeof(have);

	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &have, &optlen) == 0 &&
	    have >= 0 && (size_t)have >= len + SFNL_SNDBUF_SLACK)
		return 0;
	if (len > INT_MAX / 2 - SFNL_SNDBUF_SLACK)
		return -EMSGSIZE;
	want = len + SFNL_SNDBUF_SLACK;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
	optlen = sizeof(have);
	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &have, &optlen) == 0 &&
	    have >= 0 && (size_t)have >= len + SFNL_SNDBUF_SLACK)
		return 0;
	snprintf(nl->ext_msg, sizeof(nl->ext_msg),
		 "a request of %zu bytes does not fit the socket send buffer (%d bytes): raise net.core.wmem_max or run with CAP_NET_ADMIN",
		 len, have);
	return -EMSGSIZE;
}

int sfnl_send(struct sfnl *nl, const struct nlmsghdr *nlh)
{
	int err;

	if (nlh->nlmsg_len > SFNL_SEND_SIZE) {
		err = sfnl_fit_sndbuf(nl, nlh->nlmsg_len);
		if (err)
			return err;
	}
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

int sfnl_talk(struct sfnl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct sfnl_answer ans = { .nl = nl, .cb = cb, .data = data };
	int ret;

	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	ret = sfnl_send(nl, nlh);
	if (ret)
		return ret;
	do {
		ret = sfnl_recv_answer(&ans);
	} while (ret > 0);
	if (!ret && ans.dump_intr) {
		snprintf(nl->ext_msg, sizeof(nl->ext_msg),
			 "the dump was interrupted by a change; try again");
		return -EINTR;
	}
	return ret;
}

struct sfnl_family {
	uint16_t id;
	uint32_t version;
	unsigned int n_groups;
	struct sfnl_group groups[SFNL_MAX_GROUPS];
};

static int sfnl_groups_parse(const struct nlattr *nest,
			     struct sfnl_family *fam)
{
	static const struct sfnl_policy policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
		[CTRL_ATTR_MCAST_GRP_NAME] = { .type = MNL_TYPE_NUL_STRING,
					       .max_len = GENL_NAMSIZ },
		[CTRL_ATTR_MCAST_GRP_ID]   = { .type = MNL_TYPE_U32 },
	};
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	const struct nlattr *grp;
	struct sfnl_group *g;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	mnl_attr_for_each_nested(grp, nest) {
		if (sfnl_parse_nested(grp, policy, CTRL_ATTR_MCAST_GRP_MAX, tb) ||
		    !tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
			return -EBADMSG;
		if (fam->n_groups == SFNL_MAX_GROUPS)
			break;
		g = &fam->groups[fam->n_groups++];
		strcpy(g->name, mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]));
		g->id = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

static int sfnl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct sfnl_policy policy[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID]	= { .type = MNL_TYPE_U16 },
		[CTRL_ATTR_VERSION]	= { .type = MNL_TYPE_U32 },
		[CTRL_ATTR_MCAST_GROUPS] = { .type = MNL_TYPE_NESTED },
	};
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct sfnl_family *fam = data;

	if (sfnl_parse_genl(nlh, policy, CTRL_ATTR_MAX, tb) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_ID]) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	fam->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		fam->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_MCAST_GROUPS] &&
	    sfnl_groups_parse(tb[CTRL_ATTR_MCAST_GROUPS], fam)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/*
 * Look the family up by name (CTRL_CMD_GETFAMILY); the kernel loads the
 * module that provides it if need be. -ENOENT: no such family.
 */
int sfnl_resolve(struct sfnl *nl, const char *family)
{
	struct sfnl_family fam = { 0 };
	struct nlmsghdr *nlh;
	int err;

	nlh = sfnl_put_header(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, family);
	err = sfnl_talk(nl, nlh, sfnl_family_cb, &fam);
	if (err)
		return err;
	if (!fam.id)
		return -EBADMSG;
	nl->family = fam.id;
	nl->version = fam.version;
	nl->n_groups = fam.n_groups;
	memcpy(nl->groups, fam.groups, sizeof(fam.groups));
	return 0;
}

/* The id of the resolved family's multicast group @name, or -ENOENT. */
int sfnl_mcast_group(const struct sfnl *nl, const char *name)
{
	unsigned int i;

	for (i = 0; i < nl->n_groups; i++) {
		if (!strcmp(nl->groups[i].name, name))
			return nl->groups[i].id;
	}
	return -ENOENT;
}

/*
 * Receive the resolved family's multicast group @name from now on: its
 * messages come to sfnl_recv() with sequence number and port id 0.
 */
int sfnl_join(struct sfnl *nl, const char *name)
{
	int id = sfnl_mcast_group(nl, name);

	if (id < 0)
		return id;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &id,
				  sizeof(id)) < 0)
		return -errno;
	return 0;
}
