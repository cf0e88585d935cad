// SPDX-License-Identifier: GPL-2.0
/*
 * sfnl_test.c - acks, extended acks and answer streams
 *
 * Most tests feed synthetic kernel messages (fixture.c). sfnl_run() needs a
 * handle, so those open a generic netlink socket (no family, nothing
 * loaded). The "live" tests talk to the always-present nlctrl family.
 */
#include <errno.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/slotfilter.h>

#include "attr.h"
#include "fixture.h"
#include "sfnl.h"
#include "test.h"

TEST(ack_capped_with_extack)
{
	union fx_buf buf;
	struct sfnl_ack ack;
	struct nlmsghdr *nlh;

	nlh = fx_ack(&buf, -EEXIST, "device is already a port", 20, NULL, 1);
	CHECK_INT(sfnl_parse_ack(nlh, &ack), 0);
	CHECK_INT(ack.error, -EEXIST);
	CHECK_STR(ack.msg, "device is already a port");
	CHECK(ack.has_offs);
	CHECK_INT(ack.offs, 20);
}

/* Without NETLINK_CAP_ACK the request comes back before the TLVs. */
TEST(ack_uncapped_skips_echoed_request)
{
	union fx_buf req_buf, buf;
	struct nlmsghdr *req, *nlh;
	struct sfnl_ack ack;

	req = fx_genl_msg(&req_buf, SLOTFILTER_CMD_PORT_ADD, 7);
	mnl_attr_put_strz(req, 99, "ab");
	req->nlmsg_len -= 1;		/* unpadded last attribute */
	nlh = fx_ack(&buf, -EINVAL, "Unknown attribute type", 24, req, 7);
	CHECK_INT(sfnl_parse_ack(nlh, &ack), 0);
	CHECK_INT(ack.error, -EINVAL);
	CHECK_STR(ack.msg, "Unknown attribute type");
	CHECK_INT(ack.offs, 24);
}

TEST(ack_without_tlvs)
{
	union fx_buf buf;
	struct sfnl_ack ack;

	CHECK_INT(sfnl_parse_ack(fx_ack(&buf, -ENOENT, NULL, -1, NULL, 1),
				 &ack), 0);
	CHECK_INT(ack.error, -ENOENT);
	CHECK(!ack.msg);
	CHECK(!ack.has_offs);
}

/* The generic netlink core names a missing attribute without a message. */
TEST(ack_missing_attribute)
{
	struct sfnl *nl = sfnl_open();
	union fx_buf buf;
	struct sfnl_ack ack;
	struct nlmsghdr *nlh;
	uint32_t seq;

	nlh = fx_ack(&buf, -EINVAL, NULL, -1, NULL, 0);
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE,
			 SLOTFILTER_PORT_A_IFINDEX);
	CHECK_INT(sfnl_parse_ack(nlh, &ack), 0);
	CHECK(!ack.msg);
	CHECK(ack.has_miss_type);
	CHECK_INT(ack.miss_type, SLOTFILTER_PORT_A_IFINDEX);

	if (!nl) {
		test_skip("cannot open a generic netlink socket");
		return;
	}
	seq = sfnl_request(nl, SLOTFILTER_CMD_PORT_ADD, 0)->nlmsg_seq;
	nlh->nlmsg_seq = seq;
	CHECK_INT(sfnl_run(nl, nlh, nlh->nlmsg_len, NULL, NULL), -EINVAL);
	CHECK_STR(sfnl_ext_msg(nl), "missing attribute 1");
	sfnl_close(nl);
}

TEST(ack_success_with_warning)
{
	union fx_buf buf;
	struct sfnl_ack ack;

	CHECK_INT(sfnl_parse_ack(fx_ack(&buf, 0, "deprecated", -1, NULL, 1),
				 &ack), 0);
	CHECK_INT(ack.error, 0);
	CHECK_STR(ack.msg, "deprecated");
}

TEST(ack_malformed)
{
	union fx_buf buf;
	struct sfnl_ack ack;
	struct nlmsghdr *nlh;
	struct nlmsgerr *err;

	nlh = fx_ack(&buf, -EPERM, NULL, -1, NULL, 1);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	CHECK_INT(sfnl_parse_ack(nlh, &ack), -EBADMSG);

	/* echoed request longer than the ack */
	nlh = fx_ack(&buf, -EPERM, NULL, -1, NULL, 1);
	nlh->nlmsg_flags &= ~NLM_F_CAPPED;
	err = mnl_nlmsg_get_payload(nlh);
	err->msg.nlmsg_len = 200;
	CHECK_INT(sfnl_parse_ack(nlh, &ack), -EBADMSG);

	/* a message that is not NUL-terminated */
	nlh = fx_ack(&buf, -EPERM, NULL, -1, NULL, 1);
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put(nlh, NLMSGERR_ATTR_MSG, 3, "abc");
	CHECK_INT(sfnl_parse_ack(nlh, &ack), -EBADMSG);

	/* a positive error is not an errno */
	CHECK_INT(sfnl_parse_ack(fx_ack(&buf, 5, NULL, -1, NULL, 1), &ack),
		  -EBADMSG);
}

TEST(done_carries_dump_error)
{
	union fx_buf buf;
	struct sfnl_ack ack;
	struct nlmsghdr *nlh;

	CHECK_INT(sfnl_parse_ack(fx_done(&buf, 0, NULL, 1), &ack), 0);
	CHECK_INT(ack.error, 0);
	CHECK_INT(sfnl_parse_ack(fx_done(&buf, -EMSGSIZE, "too big", 1),
				 &ack), 0);
	CHECK_INT(ack.error, -EMSGSIZE);
	CHECK_STR(ack.msg, "too big");

	nlh = mnl_nlmsg_put_header(&buf);	/* old style: empty DONE */
	nlh->nlmsg_type = NLMSG_DONE;
	CHECK_INT(sfnl_parse_ack(nlh, &ack), 0);
	CHECK_INT(ack.error, 0);
}

static struct sfnl *open_or_skip(void)
{
	struct sfnl *nl = sfnl_open();

	if (!nl)
		test_skip("cannot open a generic netlink socket");
	return nl;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	int *count = data;

	(void)nlh;
	(*count)++;
	return MNL_CB_OK;
}

static int fail_cb(const struct nlmsghdr *nlh, void *data)
{
	int *count = data;

	(void)nlh;
	(*count)++;
	errno = ENOTSUP;
	return MNL_CB_ERROR;
}

/* Two data messages then @ack_error; returns the buffer's length. */
static size_t stream(union fx_buf *buf, uint32_t seq, int ack_error,
		     const char *msg)
{
	struct nlmsghdr *nlh;

	nlh = fx_genl_msg(buf, SLOTFILTER_CMD_PORT_GET, seq);
	nlh = fx_genl_msg(fx_next(nlh), SLOTFILTER_CMD_PORT_GET, seq);
	nlh = fx_ack(fx_next(nlh), ack_error, msg, -1, NULL, seq);
	return (char *)fx_next(nlh) - buf->data;
}

TEST(run_answer_stream)
{
	struct sfnl *nl = open_or_skip();
	union fx_buf buf;
	uint32_t seq;
	size_t len;
	int count = 0;

	if (!nl)
		return;
	seq = sfnl_request(nl, SLOTFILTER_CMD_PORT_GET, 0)->nlmsg_seq;
	len = stream(&buf, seq, 0, NULL);
	CHECK_INT(sfnl_run(nl, buf.data, len, count_cb, &count), 0);
	CHECK_INT(count, 2);
	CHECK(!sfnl_ext_msg(nl));

	/* the same messages without their ack: more to come */
	count = 0;
	len -= MNL_ALIGN(sizeof(struct nlmsghdr) + sizeof(struct nlmsgerr));
	CHECK(sfnl_run(nl, buf.data, len, count_cb, &count) > 0);
	CHECK_INT(count, 2);
	sfnl_close(nl);
}

TEST(run_kernel_error_and_extack)
{
	struct sfnl *nl = open_or_skip();
	struct nlmsghdr *nlh;
	union fx_buf buf;
	uint32_t seq, offs;
	size_t len;
	int count = 0;

	if (!nl)
		return;
	seq = sfnl_request(nl, SLOTFILTER_CMD_PORT_ADD, 0)->nlmsg_seq;
	len = stream(&buf, seq, -EEXIST, "already a port");
	CHECK_INT(sfnl_run(nl, buf.data, len, count_cb, &count), -EEXIST);
	CHECK_STR(sfnl_ext_msg(nl), "already a port");
	CHECK(!sfnl_ext_offs(nl, &offs));

	/* the offset the kernel names is kept until the next request */
	nlh = fx_ack(&buf, -EINVAL, "bad rule", 96, NULL, seq);
	CHECK_INT(sfnl_run(nl, nlh, nlh->nlmsg_len, NULL, NULL), -EINVAL);
	CHECK(sfnl_ext_offs(nl, &offs));
	CHECK_INT(offs, 96);

	/* a new request forgets the last message */
	sfnl_request(nl, SLOTFILTER_CMD_PORT_ADD, 0);
	CHECK(!sfnl_ext_msg(nl));
	CHECK(!sfnl_ext_offs(nl, &offs));
	sfnl_close(nl);
}

TEST(run_callback_error_drains_answer)
{
	struct sfnl *nl = open_or_skip();
	union fx_buf buf;
	uint32_t seq;
	size_t len;
	int count = 0;

	if (!nl)
		return;
	seq = sfnl_request(nl, SLOTFILTER_CMD_PORT_GET, 0)->nlmsg_seq;
	len = stream(&buf, seq, 0, NULL);
	CHECK_INT(sfnl_run(nl, buf.data, len, fail_cb, &count), -ENOTSUP);
	CHECK_INT(count, 1);
	sfnl_close(nl);
}

TEST(run_rejects_foreign_sequence)
{
	struct sfnl *nl = open_or_skip();
	union fx_buf buf;
	uint32_t seq;
	size_t len;
	int count = 0;

	if (!nl)
		return;
	seq = sfnl_request(nl, SLOTFILTER_CMD_PORT_GET, 0)->nlmsg_seq;
	len = stream(&buf, seq + 1000, 0, NULL);
	CHECK_INT(sfnl_run(nl, buf.data, len, count_cb, &count), -EPROTO);
	CHECK_INT(count, 0);
	sfnl_close(nl);
}

TEST(run_dump_done_with_error)
{
	struct sfnl *nl = open_or_skip();
	union fx_buf buf;
	struct nlmsghdr *nlh;
	uint32_t seq;
	int count = 0;

	if (!nl)
		return;
	seq = sfnl_request(nl, SLOTFILTER_CMD_PORT_GET, NLM_F_DUMP)->nlmsg_seq;
	nlh = fx_genl_msg(&buf, SLOTFILTER_CMD_PORT_GET, seq);
	nlh = fx_done(fx_next(nlh), -ENOBUFS, "dump failed", seq);
	CHECK_INT(sfnl_run(nl, buf.data, (char *)fx_next(nlh) - buf.data,
			   count_cb, &count), -ENOBUFS);
	CHECK_INT(count, 1);
	CHECK_STR(sfnl_ext_msg(nl), "dump failed");
	sfnl_close(nl);
}

TEST(live_resolve_nlctrl)
{
	struct sfnl *nl = open_or_skip();

	if (!nl)
		return;
	CHECK_INT(sfnl_resolve(nl, "nlctrl"), 0);
	CHECK_INT(sfnl_family_id(nl), GENL_ID_CTRL);
	CHECK(sfnl_family_version(nl) >= 1);
	sfnl_close(nl);
}

/* A real extended ack: nlctrl validates GETPOLICY dumps strictly. */
TEST(live_extack_from_kernel)
{
	struct sfnl *nl = open_or_skip();
	struct nlmsghdr *nlh;

	if (!nl)
		return;
	CHECK_INT(sfnl_resolve(nl, "nlctrl"), 0);
	nlh = sfnl_request(nl, CTRL_CMD_GETPOLICY, NLM_F_DUMP);
	mnl_attr_put_u32(nlh, 200, 0);
	CHECK_INT(sfnl_talk(nl, nlh, NULL, NULL), -EINVAL);
	CHECK(sfnl_ext_msg(nl) != NULL);
	sfnl_close(nl);
}

static int family_id_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct sfnl_policy policy[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID]	= { .type = MNL_TYPE_U16 },
	};
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (sfnl_parse_genl(nlh, policy, CTRL_ATTR_MAX, tb) ||
	    !tb[CTRL_ATTR_FAMILY_ID])
		return MNL_CB_ERROR;
	*(int *)data = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	return MNL_CB_OK;
}

/* The send buffer grows for a big request, and back to normal it works. */
TEST(request_big_grows_buffer)
{
	struct sfnl *nl = open_or_skip();
	struct nlmsghdr *nlh;

	if (!nl)
		return;
	nlh = sfnl_request(nl, SLOTFILTER_CMD_FW_REPLACE, 0);
	CHECK_INT(sfnl_room(nl, nlh), SFNL_SEND_SIZE - nlh->nlmsg_len);
	nlh = sfnl_request_big(nl, SLOTFILTER_CMD_FW_REPLACE, 0, 3 << 20);
	CHECK(nlh != NULL);
	CHECK_INT(sfnl_room(nl, nlh), (3 << 20) - nlh->nlmsg_len);
	/* a smaller one keeps the buffer it has */
	nlh = sfnl_request_big(nl, SLOTFILTER_CMD_FW_REPLACE, 0, 100);
	CHECK_INT(sfnl_room(nl, nlh), (3 << 20) - nlh->nlmsg_len);
	sfnl_close(nl);
}

/*
 * A request of more than 1 MiB, five times the default socket send
 * buffer, reaches the kernel: nlctrl answers it (it ignores attribute
 * types it does not know, and 20 of them carry the bulk).
 */
TEST(live_request_big_one_mib)
{
	static char bulk[60000];
	struct sfnl *nl = open_or_skip();
	struct nlmsghdr *nlh;
	int id = 0, i;

	if (!nl)
		return;
	CHECK_INT(sfnl_resolve(nl, "nlctrl"), 0);
	nlh = sfnl_request_big(nl, CTRL_CMD_GETFAMILY, 0, 1300000);
	CHECK(nlh != NULL);
	if (!nlh)
		goto out;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	for (i = 0; i < 20; i++)
		mnl_attr_put(nlh, 200, sizeof(bulk), bulk);
	CHECK(nlh->nlmsg_len > 1 << 20);
	CHECK_INT(sfnl_talk(nl, nlh, family_id_cb, &id), 0);
	CHECK_INT(id, GENL_ID_CTRL);
out:
	sfnl_close(nl);
}

TEST(live_mcast_group_join)
{
	struct sfnl *nl = open_or_skip();

	if (!nl)
		return;
	CHECK_INT(sfnl_mcast_group(nl, "notify"), -ENOENT);
	CHECK_INT(sfnl_resolve(nl, "nlctrl"), 0);
	CHECK(sfnl_mcast_group(nl, "notify") > 0);
	CHECK_INT(sfnl_mcast_group(nl, "events"), -ENOENT);
	CHECK_INT(sfnl_join(nl, "notify"), 0);
	CHECK_INT(sfnl_join(nl, "events"), -ENOENT);
	sfnl_close(nl);
}
