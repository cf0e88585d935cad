// SPDX-License-Identifier: GPL-2.0
/*
 * rtnl.c - the few rtnetlink requests the churn thread makes
 *
 * Create and delete dummy devices, bring them up and down, rename them,
 * move them to another netns, and list the ifindexes of the netns, each a
 * plain request/ack over a NETLINK_ROUTE socket.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "rtnl.h"

struct fz_rtnl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	char buf[32768];		/* a dump part (netlink_dump()) */
};

struct fz_rtnl *fz_rtnl_open(void)
{
	struct fz_rtnl *nl = calloc(1, sizeof(*nl));

	if (!nl)
		return NULL;
	nl->sock = mnl_socket_open(NETLINK_ROUTE);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		if (nl->sock)
			mnl_socket_close(nl->sock);
		free(nl);
		return NULL;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);
	return nl;
}

void fz_rtnl_close(struct fz_rtnl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl);
}

static struct nlmsghdr *fz_rtnl_link(struct fz_rtnl *nl, uint16_t type,
				     uint16_t flags, uint32_t ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

/* Send @nlh and read until its ack or NLMSG_DONE; @cb sees data messages. */
static int fz_rtnl_talk(struct fz_rtnl *nl, struct nlmsghdr *nlh,
			mnl_cb_t cb, void *data)
{
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t len;
	int ret;

	/* NLM_F_DUMP is two bits, one of them NLM_F_EXCL's */
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		len = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (len < 0)
			return -errno;
		ret = mnl_cb_run(nl->buf, len, seq, nl->portid, cb, data);
	} while (ret > 0);
	return ret < 0 ? -errno : 0;
}

int fz_rtnl_add_dummy(struct fz_rtnl *nl, const char *name)
{
	struct nlmsghdr *nlh = fz_rtnl_link(nl, RTM_NEWLINK,
					    NLM_F_CREATE | NLM_F_EXCL, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct nlattr *info;

	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "dummy");
	mnl_attr_nest_end(nlh, info);
	return fz_rtnl_talk(nl, nlh, NULL, NULL);
}

int fz_rtnl_del(struct fz_rtnl *nl, uint32_t ifindex)
{
	return fz_rtnl_talk(nl, fz_rtnl_link(nl, RTM_DELLINK, 0, ifindex),
			    NULL, NULL);
}

int fz_rtnl_set_up(struct fz_rtnl *nl, uint32_t ifindex, bool up)
{
	struct nlmsghdr *nlh = fz_rtnl_link(nl, RTM_NEWLINK, 0, ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	ifi->ifi_flags = up ? IFF_UP : 0;
	ifi->ifi_change = IFF_UP;
	return fz_rtnl_talk(nl, nlh, NULL, NULL);
}

int fz_rtnl_rename(struct fz_rtnl *nl, uint32_t ifindex, const char *name)
{
	struct nlmsghdr *nlh = fz_rtnl_link(nl, RTM_NEWLINK, 0, ifindex);

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return fz_rtnl_talk(nl, nlh, NULL, NULL);
}

int fz_rtnl_move(struct fz_rtnl *nl, uint32_t ifindex, int netns_fd)
{
	struct nlmsghdr *nlh = fz_rtnl_link(nl, RTM_NEWLINK, 0, ifindex);

	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, netns_fd);
	return fz_rtnl_talk(nl, nlh, NULL, NULL);
}

struct fz_link_list {
	uint32_t *ifindex;
	unsigned int n, max;
};

static int fz_rtnl_list_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct fz_link_list *l = data;

	if (nlh->nlmsg_type == RTM_NEWLINK && l->n < l->max &&
	    mnl_nlmsg_get_payload_len(nlh) >= sizeof(*ifi))
		l->ifindex[l->n++] = ifi->ifi_index;
	return MNL_CB_OK;
}

/* The ifindexes of the netns, at most @max. Returns how many, or -errno. */
int fz_rtnl_list(struct fz_rtnl *nl, uint32_t *ifindex, unsigned int max)
{
	struct fz_link_list l = { .ifindex = ifindex, .max = max };
	struct nlmsghdr *nlh = fz_rtnl_link(nl, RTM_GETLINK, NLM_F_DUMP, 0);
	int err;

	err = fz_rtnl_talk(nl, nlh, fz_rtnl_list_cb, &l);
	return err ? err : (int)l.n;
}
