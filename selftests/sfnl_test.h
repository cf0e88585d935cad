/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink API of slotfilter spoken raw, for the kselftest
 * harness programs (netlink_api.c, fw_api.c): requests are built by hand
 * with libmnl, answers are read up to their NLMSG_ERROR or NLMSG_DONE and
 * decoded with the extended ack. Include it after kselftest_harness.h
 * (ASSERT_ACK uses the harness).
 *
 * Each test runs in a network namespace of its own (the harness forks once
 * per test and the fixture unshares) and creates its devices there; further
 * namespaces are made with unshare() and entered with setns(), since the
 * process is single-threaded. Shell commands (ip, ping) run in whatever
 * namespace the process is in when it calls them.
 */
#ifndef _SFNL_TEST_H
#define _SFNL_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/slotfilter.h>

/* The largest request sf_send() builds: a set of 65537 elements fits. */
#define SF_REQ_MAX	(2 << 20)

/* Where the first attribute of a request starts, for NLMSGERR_ATTR_OFFS. */
#define SF_ATTR_OFFS	((int)(NLMSG_HDRLEN + GENL_HDRLEN))

/* An open generic netlink socket and the slotfilter family's id on it. */
struct sf_sock {
	struct mnl_socket *nl;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;
	/*
	 * Messages that are not part of the answer being read (a bound
	 * helper's PACKETs, answers to requests sent without waiting): NULL
	 * makes them an error (-EPROTO), else they go here.
	 */
	mnl_cb_t other;
	void *other_data;
};

/* How the kernel answered a request: its NLMSG_ERROR or NLMSG_DONE. */
struct sf_ack {
	int err;			/* errno, 0 for success */
	char msg[256];			/* NLMSGERR_ATTR_MSG, "" if none */
	int offs;			/* NLMSGERR_ATTR_OFFS, -1 if none */
	int miss_type;			/* NLMSGERR_ATTR_MISS_TYPE, -1 if none */
};

/* Puts the attributes of a request after its genetlink header. */
typedef void (*sf_build_t)(struct nlmsghdr *nlh, const void *arg);

/* One attribute of any type and payload, for sf_put_attrs(). */
struct sf_attr {
	uint16_t type;
	uint16_t len;
	const void *data;
};

struct sf_attrs {
	int n;
	struct sf_attr a[4];
};

/* The controller's view of a family (CTRL_CMD_GETFAMILY). */
struct sf_family {
	int id;
	char name[GENL_NAMSIZ];
	int64_t version;
	int64_t hdrsize;
	int nops;
	struct {
		uint32_t cmd;
		uint32_t flags;
	} op[32];
	int ngrps;
	struct {
		uint32_t id;
		char name[GENL_NAMSIZ];
	} grp[4];
};

/* ---- sending and receiving ---------------------------------------------- */

static inline void sf_put_ifindex(struct nlmsghdr *nlh, const void *arg)
{
	mnl_attr_put_u32(nlh, SLOTFILTER_PORT_A_IFINDEX,
			 *(const uint32_t *)arg);
}

static inline void sf_put_attrs(struct nlmsghdr *nlh, const void *arg)
{
	const struct sf_attrs *attrs = arg;
	int i;

	for (i = 0; i < attrs->n; i++)
		mnl_attr_put(nlh, attrs->a[i].type, attrs->a[i].len,
			     attrs->a[i].data);
}

/*
 * Builds a request in @buf (SF_REQ_MAX bytes): the netlink and genetlink
 * headers, then what @build(@arg) puts. The sequence number is left 0.
 */
static inline struct nlmsghdr *sf_msg(void *buf, uint16_t type, uint8_t cmd,
				      uint16_t flags, sf_build_t build,
				      const void *arg)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = SLOTFILTER_GENL_VERSION;
	if (build)
		build(nlh, arg);
	return nlh;
}

/* Sends one genetlink request; @build(@arg) puts its attributes. */
static inline int sf_send(struct sf_sock *s, uint16_t type, uint8_t cmd,
			  uint16_t flags, sf_build_t build, const void *arg)
{
	static char buf[SF_REQ_MAX];
	struct nlmsghdr *nlh;

	nlh = sf_msg(buf, type, cmd, flags, build, arg);
	nlh->nlmsg_seq = ++s->seq;
	if (mnl_socket_sendto(s->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

static inline int sf_ext_ack_attr(const struct nlattr *a, void *data)
{
	struct sf_ack *ack = data;

	switch (mnl_attr_get_type(a)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			snprintf(ack->msg, sizeof(ack->msg), "%s",
				 mnl_attr_get_str(a));
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			ack->offs = mnl_attr_get_u32(a);
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			ack->miss_type = mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

/* NLMSG_ERROR: the errno, then the TLVs after the (maybe capped) request. */
static inline void sf_parse_error(const struct nlmsghdr *nlh,
				  struct sf_ack *ack)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t offset = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		ack->err = EBADMSG;
		return;
	}
	ack->err = -e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	mnl_attr_parse(nlh, offset, sf_ext_ack_attr, ack);
}

/* NLMSG_DONE: the dump's errno, then its TLVs. */
static inline void sf_parse_done(const struct nlmsghdr *nlh,
				 struct sf_ack *ack)
{
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
		return;
	ack->err = -*(const int *)mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, sizeof(int), sf_ext_ack_attr, ack);
}

/*
 * Reads the answer to the last request up to its NLMSG_ERROR or NLMSG_DONE,
 * which is decoded into @ack; every other message goes to @cb(@data).
 * Returns how many reads the answer took, or -errno.
 */
static inline int sf_recv(struct sf_sock *s, mnl_cb_t cb, void *data,
			  struct sf_ack *ack)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int reads = 0;

	memset(ack, 0, sizeof(*ack));
	ack->offs = -1;
	ack->miss_type = -1;
	for (;;) {
		const struct nlmsghdr *nlh = (const void *)buf;
		int len;

		len = mnl_socket_recvfrom(s->nl, buf, sizeof(buf));
		if (len < 0)
			return -errno;
		reads++;
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != s->seq ||
			    nlh->nlmsg_pid != s->portid) {
				if (!s->other)
					return -EPROTO;
				s->other(nlh, s->other_data);
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				sf_parse_error(nlh, ack);
				return reads;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				sf_parse_done(nlh, ack);
				return reads;
			}
			if (nlh->nlmsg_type >= NLMSG_MIN_TYPE && cb)
				cb(nlh, data);
		}
		if (len)
			return -EPROTO;
	}
}

/* A request to slotfilter and its whole answer; see sf_recv(). */
static inline int sf_talk(struct sf_sock *s, uint8_t cmd, uint16_t flags,
			  sf_build_t build, const void *arg, mnl_cb_t cb,
			  void *data, struct sf_ack *ack)
{
	int err;

	err = sf_send(s, s->family, cmd, flags, build, arg);
	if (err)
		return err;
	return sf_recv(s, cb, data, ack);
}

/* ---- the controller ------------------------------------------------------ */

static inline int sf_family_op(const struct nlattr *nest,
			       struct sf_family *f)
{
	const struct nlattr *a;

	if (f->nops >= (int)ARRAY_SIZE(f->op))
		return -1;
	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_validate(a, MNL_TYPE_U32))
			continue;
		if (mnl_attr_get_type(a) == CTRL_ATTR_OP_ID)
			f->op[f->nops].cmd = mnl_attr_get_u32(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_OP_FLAGS)
			f->op[f->nops].flags = mnl_attr_get_u32(a);
	}
	f->nops++;
	return 0;
}

static inline int sf_family_grp(const struct nlattr *nest,
				struct sf_family *f)
{
	const struct nlattr *a;

	if (f->ngrps >= (int)ARRAY_SIZE(f->grp))
		return -1;
	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			f->grp[f->ngrps].id = mnl_attr_get_u32(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
			 mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			snprintf(f->grp[f->ngrps].name,
				 sizeof(f->grp[f->ngrps].name), "%s",
				 mnl_attr_get_str(a));
	}
	f->ngrps++;
	return 0;
}

static inline int sf_family_attr(const struct nlattr *a, void *data)
{
	struct sf_family *f = data;
	const struct nlattr *op;

	switch (mnl_attr_get_type(a)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
			f->id = mnl_attr_get_u16(a);
		break;
	case CTRL_ATTR_FAMILY_NAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			snprintf(f->name, sizeof(f->name), "%s",
				 mnl_attr_get_str(a));
		break;
	case CTRL_ATTR_VERSION:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			f->version = mnl_attr_get_u32(a);
		break;
	case CTRL_ATTR_HDRSIZE:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			f->hdrsize = mnl_attr_get_u32(a);
		break;
	case CTRL_ATTR_OPS:
		mnl_attr_for_each_nested(op, a)
			sf_family_op(op, f);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_for_each_nested(op, a)
			sf_family_grp(op, f);
		break;
	}
	return MNL_CB_OK;
}

static inline int sf_family_msg(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, sf_family_attr, data);
}

static inline void sf_put_family_name(struct nlmsghdr *nlh, const void *arg)
{
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, arg);
}

/* CTRL_CMD_GETFAMILY by name (this loads the module); -errno on failure. */
static inline int sf_get_family(struct sf_sock *s, const char *name,
				struct sf_family *f, struct sf_ack *ack)
{
	int err;

	memset(f, 0, sizeof(*f));
	f->id = -1;
	f->version = -1;
	f->hdrsize = -1;
	err = sf_send(s, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK,
		      sf_put_family_name, name);
	if (err)
		return err;
	err = sf_recv(s, sf_family_msg, f, ack);
	if (err < 0)
		return err;
	if (ack->err)
		return -ack->err;
	return f->id > 0 ? 0 : -ENOENT;
}

/*
 * Opens a generic netlink socket in the caller's network namespace, with
 * extended acks on and errors capped, and resolves the family.
 */
static inline int sf_open(struct sf_sock *s)
{
	struct sf_family f;
	struct sf_ack ack;
	int one = 1, err;

	memset(s, 0, sizeof(*s));
	s->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!s->nl)
		return -errno;
	if (mnl_socket_setsockopt(s->nl, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    mnl_socket_setsockopt(s->nl, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID)) {
		err = -errno;
		goto err_close;
	}
	s->portid = mnl_socket_get_portid(s->nl);
	err = sf_get_family(s, SLOTFILTER_GENL_NAME, &f, &ack);
	if (err)
		goto err_close;
	s->family = f.id;
	return 0;

err_close:
	mnl_socket_close(s->nl);
	s->nl = NULL;
	return err;
}

static inline void sf_close(struct sf_sock *s)
{
	if (s->nl)
		mnl_socket_close(s->nl);
	s->nl = NULL;
}

/* ---- the system around ---------------------------------------------------- */

/* Runs a shell command; 0 if it exited with 0. */
static inline __attribute__((format(printf, 1, 2)))
int sf_sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	status = system(cmd);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* A dummy device in the current namespace; its ifindex, 0 on failure. */
static inline uint32_t sf_dummy(const char *name)
{
	if (sf_sh("ip link add %s type dummy", name))
		return 0;
	return if_nametoindex(name);
}

static inline int sf_write(const char *path, const char *value)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return -1;
	err = fputs(value, f) < 0;
	err |= fclose(f) != 0;
	return err ? -1 : 0;
}

/* Turns IPv6 off in the current namespace, for devices made after this. */
static inline int sf_no_ipv6(void)
{
	if (sf_write("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1") ||
	    sf_write("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1"))
		return -1;
	return 0;
}

/*
 * Makes a new network namespace and returns an fd of it; the caller stays
 * in (returns to) @home. -1 on failure.
 */
static inline int sf_netns_new(int home)
{
	int fd;

	if (unshare(CLONE_NEWNET))
		return -1;
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (setns(home, CLONE_NEWNET)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* A path naming the namespace @fd, for `ip ... netns PATH`. */
static inline const char *sf_netns_path(int fd)
{
	static char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", getpid(), fd);
	return path;
}

/* Runs @fn(@arg) in a child process; its exit status, or -1. */
static inline int sf_child(void (*fn)(void *), void *arg)
{
	pid_t pid;
	int status;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Memory a child can write results into. */
static inline void *sf_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* The outcome of a request: errno, then the extack message. */
#define ASSERT_ACK(ack, want_err, want_msg) do {			\
	ASSERT_EQ(want_err, (ack).err)					\
		TH_LOG("errno %d (%s), message \"%s\"", (ack).err,	\
		       strerror((ack).err), (ack).msg);			\
	ASSERT_STREQ(want_msg, (ack).msg);				\
} while (0)

#define SF_NOT_A_PORT	"slotfilter: device is not a port"
#endif /* _SFNL_TEST_H */
