// SPDX-License-Identifier: GPL-2.0
/*
 * Privilege and isolation with user namespaces: a container (a process in a
 * user namespace of its own, root there, with a network namespace that this
 * user namespace owns) configures the ports of its own namespace and no
 * other, and sees no other namespace's ports.
 *
 * The generic netlink core checks GENL_UNS_ADMIN_PERM against the network
 * namespace of the socket a request arrives on: both the sender and the
 * socket's opener need CAP_NET_ADMIN in the user namespace that owns it
 * (netlink_ns_capable()). A container that holds a socket of the host's
 * namespace (opened before it entered its user namespace, or handed over
 * with SCM_RIGHTS) therefore gets EPERM for every configuration command on
 * it, whatever the request says; reading needs no privilege, so that socket
 * still reads the host's ports, as the uapi says (netlink_api's
 * `unprivileged` test covers a caller without the capability in the same
 * namespace).
 *
 * Layout of each test:
 *
 *     test netns (owned by the initial user namespace)
 *       hp0 (port), hp1 (not a port)
 *       |
 *       +-- container: user namespace U (uid 0 = 100000 outside),
 *           network namespace C owned by U
 *
 * The container is a child process that runs "jobs" (a function of this
 * program and an argument in shared memory, maybe with a file descriptor)
 * that the test sends it over a unix socket, so the checks stay here.
 */
#define _GNU_SOURCE
#include "sfnl_ports.h"

#include <sys/prctl.h>
#include <sys/socket.h>

/* The 6.1 harness has a signal handler with an unused parameter. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop

#define UNS_MAP		"0 100000 65536"
#define UNS_SHM_SIZE	(1 << 18)
/* As many as struct sf_family holds. */
#define UNS_MAX_OPS	32
#define UNS_NODEV	"slotfilter: no device with this ifindex in the caller's network namespace"

/* A job for the container: @fn(@arg, @fd), @fd -1 if none came. */
typedef void (*uns_fn)(void *arg, int fd);

struct uns_job {
	uns_fn fn;
	void *arg;
};

struct uns_ctr {
	pid_t pid;
	int sock;			/* our end of the job socket */
	int netns;			/* the container's network namespace */
	char netns_path[64];		/* for `ip link set DEV netns PATH` */
};

/* In the container only: a socket of the test's namespace, opened before
 * the container entered its user namespace.
 */
static struct sf_sock uns_early;

/* ---- the container ------------------------------------------------------- */

static int uns_send_fd(int sock, const void *buf, size_t len, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cmsg;

	if (fd >= 0) {
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, 0) == (ssize_t)len ? 0 : -1;
}

/* Receives up to @len bytes and maybe a descriptor (-1 if none). */
static ssize_t uns_recv_fd(int sock, void *buf, size_t len, int *fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;
	ssize_t n;

	*fd = -1;
	n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	for (cmsg = CMSG_FIRSTHDR(&msg); n > 0 && cmsg;
	     cmsg = CMSG_NXTHDR(&msg, cmsg))
		if (cmsg->cmsg_level == SOL_SOCKET &&
		    cmsg->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(cmsg), sizeof(int));
	return n;
}

/* A setup step's report: a letter, and errno if it failed. */
struct uns_step {
	char what;
	int err;
};

static void uns_report(int sock, char what, int err)
{
	struct uns_step s = { .what = what, .err = err };

	if (write(sock, &s, sizeof(s)) != sizeof(s))
		_exit(1);
}

/*
 * The container's side: open a socket while still privileged in the test's
 * namespace, enter a user namespace (the test writes its maps), become its
 * root, enter a new network namespace, then run jobs until the test closes
 * its end.
 */
static void uns_container(int sock)
{
	struct uns_step go;
	struct uns_job job;
	int err, fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	err = sf_open(&uns_early);
	if (err) {
		uns_report(sock, 'o', -err);
		_exit(1);
	}
	if (unshare(CLONE_NEWUSER)) {
		uns_report(sock, 'u', errno);
		_exit(1);
	}
	uns_report(sock, 'u', 0);
	if (read(sock, &go, sizeof(go)) != sizeof(go) || go.err)
		_exit(1);
	if (setresgid(0, 0, 0) || setresuid(0, 0, 0)) {
		uns_report(sock, 'i', errno);
		_exit(1);
	}
	if (unshare(CLONE_NEWNET)) {
		uns_report(sock, 'n', errno);
		_exit(1);
	}
	if (sf_no_ipv6() && errno != ENOENT) {
		uns_report(sock, '6', errno);
		_exit(1);
	}
	uns_report(sock, 'n', 0);

	while (uns_recv_fd(sock, &job, sizeof(job), &fd) == sizeof(job)) {
		job.fn(job.arg, fd);
		if (fd >= 0)
			close(fd);
		fflush(stdout);
		if (write(sock, "", 1) != 1)
			break;
	}
	_exit(0);
}

static int uns_write_map(pid_t pid, const char *file, const char *map)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return sf_write(path, map);
}

/* Starts a container; 0, or the errno of the step that failed. */
static int uns_start(struct uns_ctr *c, char *step)
{
	struct uns_step s = { 0 };
	int sv[2], err = 0;

	memset(c, 0, sizeof(*c));
	c->sock = -1;
	c->netns = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return errno;
	fflush(stdout);
	fflush(stderr);
	c->pid = fork();
	if (c->pid < 0) {
		err = errno;
		close(sv[0]);
		close(sv[1]);
		return err;
	}
	if (c->pid == 0) {
		close(sv[0]);
		uns_container(sv[1]);
	}
	close(sv[1]);
	c->sock = sv[0];

	*step = 'u';
	if (read(c->sock, &s, sizeof(s)) != sizeof(s))
		return EPIPE;
	*step = s.what;
	if (s.err)
		return s.err;
	*step = 'm';
	if (uns_write_map(c->pid, "uid_map", UNS_MAP) ||
	    uns_write_map(c->pid, "gid_map", UNS_MAP))
		err = errno ? errno : EIO;
	s.err = err;
	if (write(c->sock, &s, sizeof(s)) != sizeof(s))
		return EPIPE;
	if (err)
		return err;
	*step = 'n';
	if (read(c->sock, &s, sizeof(s)) != sizeof(s))
		return EPIPE;
	*step = s.what;
	if (s.err)
		return s.err;

	snprintf(c->netns_path, sizeof(c->netns_path), "/proc/%d/ns/net",
		 c->pid);
	c->netns = open(c->netns_path, O_RDONLY | O_CLOEXEC);
	return c->netns < 0 ? errno : 0;
}

/* Runs @fn(@arg, a copy of @fd) in the container and waits for it. */
static int uns_run(struct uns_ctr *c, uns_fn fn, void *arg, int fd)
{
	struct uns_job job = { .fn = fn, .arg = arg };
	char done;

	if (uns_send_fd(c->sock, &job, sizeof(job), fd))
		return -1;
	return read(c->sock, &done, 1) == 1 ? 0 : -1;
}

/* Ends the container (and with it, its namespaces); its exit status. */
static int uns_stop(struct uns_ctr *c)
{
	int status = -1;

	if (c->netns >= 0)
		close(c->netns);
	c->netns = -1;
	if (c->sock >= 0)
		close(c->sock);
	c->sock = -1;
	if (c->pid > 0 && waitpid(c->pid, &status, 0) != c->pid)
		status = -1;
	c->pid = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Opens a slotfilter socket in the namespace @netns; we stay in @home. */
static int uns_open_in(struct sf_sock *s, int netns, int home)
{
	int err;

	if (setns(netns, CLONE_NEWNET))
		return -errno;
	err = sf_open(s);
	if (setns(home, CLONE_NEWNET))
		return -errno;
	return err;
}

/* ---- the family's commands ----------------------------------------------- */

/* A configuration command: it needs CAP_NET_ADMIN. */
static int uns_is_config(uint32_t flags)
{
	return !!(flags & (GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM));
}

/* ---- the fixture --------------------------------------------------------- */

/* What every test shares with its container. */
struct uns_shm {
	uint32_t hp0, hp1;		/* the test netns's port, non-port */
	struct sf_family fam;		/* its commands and their flags */
	union {
		char raw[UNS_SHM_SIZE - 1024];
	} u;				/* each test's own results */
};

FIXTURE(uns) {
	struct sf_sock sk;		/* in the test's namespace */
	int netns;
	struct uns_shm *shm;
	struct uns_ctr ctr;
	struct sf_ports before;		/* the test netns's ports at start */
};

FIXTURE_SETUP(uns)
{
	struct sf_ack ack;
	char step = '?';
	int err;

	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %m");
	self->netns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->netns);
	sf_no_ipv6();
	err = sf_open(&self->sk);
	ASSERT_EQ(0, err)
		TH_LOG("cannot resolve the family \"%s\": %s (is the module there?)",
		       SLOTFILTER_GENL_NAME, strerror(-err));

	self->shm = sf_shared(sizeof(*self->shm));
	ASSERT_NE(NULL, self->shm);
	self->shm->hp0 = sf_dummy("hp0");
	self->shm->hp1 = sf_dummy("hp1");
	ASSERT_NE(0U, self->shm->hp0);
	ASSERT_NE(0U, self->shm->hp1);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, self->shm->hp0, &ack,
		    NULL);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, sf_get_family(&self->sk, SLOTFILTER_GENL_NAME,
				   &self->shm->fam, &ack));
	ASSERT_LT(0, self->shm->fam.nops);
	/* sf_family_op() stops counting at a full array. */
	ASSERT_GT(UNS_MAX_OPS, self->shm->fam.nops)
		TH_LOG("%d commands or more: make sfnl_test.h's struct sf_family hold more",
		       UNS_MAX_OPS);
	ASSERT_LT(0, sf_dump(&self->sk, 0, &self->before, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(1, self->before.n);

	err = uns_start(&self->ctr, &step);
	ASSERT_EQ(0, err)
		TH_LOG("container setup, step '%c': %s", step, strerror(err));
}

FIXTURE_TEARDOWN(uns)
{
	if (self->ctr.pid > 0)
		uns_stop(&self->ctr);
	free(self->before.v);
	sf_close(&self->sk);
	if (self->shm)
		munmap(self->shm, sizeof(*self->shm));
	if (self->netns > 0)
		close(self->netns);
}

/* The test netns's ports are as they were at the start. */
#define ASSERT_HOST_UNCHANGED() do {					\
	struct sf_ports __now;						\
	struct sf_ack __ack;						\
	int __i;							\
									\
	ASSERT_LT(0, sf_dump(&self->sk, 0, &__now, &__ack));		\
	ASSERT_ACK(__ack, 0, "");					\
	ASSERT_EQ(self->before.n, __now.n);				\
	for (__i = 0; __i < __now.n; __i++) {				\
		ASSERT_EQ(self->before.v[__i].ifindex,			\
			  __now.v[__i].ifindex);			\
		ASSERT_STREQ(self->before.v[__i].ifname,		\
			     __now.v[__i].ifname);			\
	}								\
	free(__now.v);							\
} while (0)

/* ---- the tests ----------------------------------------------------------- */

/*
 * The container attaches, reads and detaches the ports of its namespace;
 * no configuration command of the family is refused to it there (they all
 * ask for CAP_NET_ADMIN in the namespace's own user namespace,
 * GENL_UNS_ADMIN_PERM, not in the initial one).
 */
struct uns_own {
	const struct uns_shm *shm;
	char uid_map[64];
	struct sf_ack cfg[UNS_MAX_OPS];
	int mk, open_err;
	uint32_t c0;
	struct sf_ack add, get, dump, del, dump2, add2;
	struct sf_port_info got;
	int n1, n2;
	char dumped[IFNAMSIZ];
};

static void uns_own_job(void *arg, int fd __attribute__((unused)))
{
	struct uns_own *r = arg;
	struct sf_ports ports;
	struct sf_sock s;

	int i;

	sf_read("/proc/self/uid_map", r->uid_map, sizeof(r->uid_map));
	r->mk = sf_sh("ip link add c0 type dummy");
	r->c0 = if_nametoindex("c0");
	r->open_err = sf_open(&s);
	if (r->open_err)
		return;
	/* No attribute: the command fails, but not for want of privilege. */
	for (i = 0; i < r->shm->fam.nops; i++)
		if (uns_is_config(r->shm->fam.op[i].flags))
			sf_talk(&s, r->shm->fam.op[i].cmd, NLM_F_ACK, NULL,
				NULL, NULL, NULL, &r->cfg[i]);
	sf_port_cmd(&s, SLOTFILTER_CMD_PORT_ADD, r->c0, &r->add, NULL);
	sf_port_cmd(&s, SLOTFILTER_CMD_PORT_GET, r->c0, &r->get, &r->got);
	if (sf_dump(&s, 0, &ports, &r->dump) > 0) {
		r->n1 = ports.n;
		if (ports.n)
			strcpy(r->dumped, ports.v[0].ifname);
	}
	free(ports.v);
	sf_port_cmd(&s, SLOTFILTER_CMD_PORT_DEL, r->c0, &r->del, NULL);
	if (sf_dump(&s, 0, &ports, &r->dump2) > 0)
		r->n2 = ports.n;
	free(ports.v);
	/* Attached again, for the test to look at from outside. */
	sf_port_cmd(&s, SLOTFILTER_CMD_PORT_ADD, r->c0, &r->add2, NULL);
	sf_close(&s);
}

TEST_F(uns, container_configures_its_own)
{
	struct uns_own *r = (void *)self->shm->u.raw;
	const struct sf_family *fam = &self->shm->fam;
	struct sf_port_info p;
	struct sf_ports ports;
	char map[64] = "";
	struct sf_sock sc;
	struct sf_ack ack;
	int i, n = 0;

	memset(r, 0, sizeof(*r));
	r->shm = self->shm;
	ASSERT_EQ(0, uns_run(&self->ctr, uns_own_job, r, -1));
	/* Root in the container is nobody outside. */
	for (i = 0; r->uid_map[i]; i++)
		if (r->uid_map[i] != ' ' || (n && map[n - 1] != ' '))
			map[n++] = r->uid_map[i];
	ASSERT_STREQ(UNS_MAP, map);
	for (i = 0; i < fam->nops; i++) {
		if (!uns_is_config(fam->op[i].flags))
			continue;
		ASSERT_EQ(0U, fam->op[i].flags & GENL_ADMIN_PERM)
			TH_LOG("command %u needs CAP_NET_ADMIN in the initial user namespace",
			       fam->op[i].cmd);
		ASSERT_NE(EPERM, r->cfg[i].err)
			TH_LOG("command %u refused in the container's own namespace",
			       fam->op[i].cmd);
	}
	ASSERT_EQ(0, r->mk) TH_LOG("ip link add in the container failed");
	ASSERT_NE(0U, r->c0);
	ASSERT_EQ(0, r->open_err) TH_LOG("%s", strerror(-r->open_err));
	ASSERT_ACK(r->add, 0, "");
	ASSERT_ACK(r->get, 0, "");
	ASSERT_EQ(r->c0, r->got.ifindex);
	ASSERT_STREQ("c0", r->got.ifname);
	ASSERT_ACK(r->dump, 0, "");
	ASSERT_EQ(1, r->n1);
	ASSERT_STREQ("c0", r->dumped);
	ASSERT_ACK(r->del, 0, "");
	ASSERT_ACK(r->dump2, 0, "");
	ASSERT_EQ(0, r->n2);
	ASSERT_ACK(r->add2, 0, "");

	/* None of it shows in the test's namespace. */
	ASSERT_HOST_UNCHANGED();

	/* The host's root sees and configures the container's namespace. */
	ASSERT_EQ(0, uns_open_in(&sc, self->ctr.netns, self->netns));
	ASSERT_LT(0, sf_dump(&sc, 0, &ports, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(1, ports.n);
	ASSERT_EQ(r->c0, ports.v[0].ifindex);
	ASSERT_STREQ("c0", ports.v[0].ifname);
	free(ports.v);
	sf_port_cmd(&sc, SLOTFILTER_CMD_PORT_DEL, r->c0, &ack, NULL);
	ASSERT_ACK(ack, 0, "");
	sf_port_cmd(&sc, SLOTFILTER_CMD_PORT_GET, r->c0, &ack, &p);
	ASSERT_ACK(ack, ENOENT, SF_NOT_A_PORT);
	sf_close(&sc);
}

/*
 * Through a socket of the test's namespace, every configuration command
 * of the family is refused, whatever the request holds: the permission
 * check comes before anything else. One request per command and attribute
 * set: the test netns's port, a device that is not a port, an ifindex that
 * names nothing, no attribute at all.
 */
#define UNS_VARIANTS	4

struct uns_refused {
	int nops;
	struct {
		uint32_t cmd;
		int config;
		struct sf_ack ack[UNS_VARIANTS];
		int rc[UNS_VARIANTS];
	} op[UNS_MAX_OPS];
};

static void uns_try_ops(struct sf_sock *s, const struct uns_shm *shm,
			struct uns_refused *r)
{
	const uint32_t ifindex[UNS_VARIANTS] = {
		shm->hp0, shm->hp1, 999999, 0,
	};
	int i, v;

	r->nops = shm->fam.nops;
	for (i = 0; i < shm->fam.nops; i++) {
		r->op[i].cmd = shm->fam.op[i].cmd;
		r->op[i].config = uns_is_config(shm->fam.op[i].flags);
		for (v = 0; v < UNS_VARIANTS; v++) {
			r->op[i].rc[v] = sf_talk(s, r->op[i].cmd, NLM_F_ACK,
						 ifindex[v] ? sf_put_ifindex : NULL,
						 &ifindex[v], NULL, NULL,
						 &r->op[i].ack[v]);
		}
	}
}

struct uns_refused_arg {
	const struct uns_shm *shm;
	struct uns_refused early, passed;
};

/* With the socket opened before unshare(), and with one passed in. */
static void uns_refused_job(void *arg, int fd)
{
	struct uns_refused_arg *a = arg;
	struct sf_sock s;

	uns_try_ops(&uns_early, a->shm, &a->early);
	if (fd < 0 || sf_adopt(&s, dup(fd), uns_early.family))
		return;
	uns_try_ops(&s, a->shm, &a->passed);
	sf_close(&s);
}

/* Given the test's namespace, it cannot enter it to open a socket there. */
static void uns_setns_job(void *arg, int fd)
{
	int *err = arg;

	*err = setns(fd, CLONE_NEWNET) ? errno : 0;
}

static void uns_check_refused(struct __test_metadata *_metadata,
			      const struct uns_refused *r, const char *how)
{
	int i, v, nconfig = 0;

	for (i = 0; i < r->nops; i++) {
		for (v = 0; v < UNS_VARIANTS; v++) {
			const struct sf_ack *ack = &r->op[i].ack[v];

			ASSERT_LT(0, r->op[i].rc[v])
				TH_LOG("%s: command %u: no answer: %s", how,
				       r->op[i].cmd, strerror(-r->op[i].rc[v]));
			if (r->op[i].config) {
				ASSERT_EQ(EPERM, ack->err)
					TH_LOG("%s: command %u, request %d: %s \"%s\"",
					       how, r->op[i].cmd, v,
					       strerror(ack->err), ack->msg);
				ASSERT_STREQ("", ack->msg);
			} else {
				/* Reading needs no privilege. */
				ASSERT_NE(EPERM, ack->err)
					TH_LOG("%s: read command %u refused",
					       how, r->op[i].cmd);
			}
			/* The socket is the test netns's: it reads hp0. */
			if (r->op[i].cmd == SLOTFILTER_CMD_PORT_GET && v == 0)
				ASSERT_EQ(0, ack->err)
					TH_LOG("%s: PORT_GET of hp0: %s \"%s\"",
					       how, strerror(ack->err), ack->msg);
		}
		nconfig += r->op[i].config;
	}
	/* PORT_ADD and PORT_DEL at least. */
	ASSERT_LE(2, nconfig);
}

TEST_F(uns, host_socket_refused)
{
	struct uns_refused_arg *a = (void *)self->shm->u.raw;
	int *setns_err = (void *)(a + 1);
	struct sf_sock s;

	ASSERT_LE(sizeof(*a) + sizeof(int), sizeof(self->shm->u.raw));
	memset(a, 0, sizeof(*a));
	a->shm = self->shm;
	/* A socket of the test's namespace, opened by its root. */
	ASSERT_EQ(0, sf_open(&s));
	ASSERT_EQ(0, uns_run(&self->ctr, uns_refused_job, a,
			     mnl_socket_get_fd(s.nl)));
	sf_close(&s);
	uns_check_refused(_metadata, &a->early, "socket opened before unshare");
	uns_check_refused(_metadata, &a->passed, "socket passed with SCM_RIGHTS");
	ASSERT_HOST_UNCHANGED();

	*setns_err = -1;
	ASSERT_EQ(0, uns_run(&self->ctr, uns_setns_job, setns_err,
			     self->netns));
	ASSERT_EQ(EPERM, *setns_err);
}

/*
 * The same ifindex names the test netns's port, a port of a sibling
 * namespace and, in the container, a device that is no port: the
 * container's dumps and lookups show only its own namespace.
 */
struct uns_alone {
	uint32_t idx, other;		/* in: hp0's ifindex, hp1's */
	int mk;
	struct sf_ack dump, get, del, add_other, add, dump2;
	int n1, n2;
	char name[IFNAMSIZ];
};

static void uns_alone_job(void *arg, int fd __attribute__((unused)))
{
	struct uns_alone *r = arg;
	struct sf_ports ports;
	struct sf_sock s;

	r->mk = sf_sh("ip link add x0 index %u type dummy", r->idx);
	if (sf_open(&s))
		return;
	if (sf_dump(&s, 0, &ports, &r->dump) > 0)
		r->n1 = ports.n;
	free(ports.v);
	sf_port_cmd(&s, SLOTFILTER_CMD_PORT_GET, r->idx, &r->get, NULL);
	sf_port_cmd(&s, SLOTFILTER_CMD_PORT_DEL, r->idx, &r->del, NULL);
	sf_port_cmd(&s, SLOTFILTER_CMD_PORT_ADD, r->other, &r->add_other, NULL);
	sf_port_cmd(&s, SLOTFILTER_CMD_PORT_ADD, r->idx, &r->add, NULL);
	if (sf_dump(&s, 0, &ports, &r->dump2) > 0) {
		r->n2 = ports.n;
		if (ports.n)
			strcpy(r->name, ports.v[0].ifname);
	}
	free(ports.v);
	sf_close(&s);
}

TEST_F(uns, container_sees_only_its_own)
{
	struct uns_alone *r = (void *)self->shm->u.raw;
	struct sf_ports ports;
	struct sf_sock ss;
	struct sf_ack ack;
	int sib;

	/* A sibling namespace, the host's, with a port at the same ifindex. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	sib = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, sib);
	ASSERT_EQ(0, sf_sh("ip link add s0 index %u type dummy", self->shm->hp0));
	ASSERT_EQ(0, sf_open(&ss));
	ASSERT_EQ(0, setns(self->netns, CLONE_NEWNET));
	sf_port_cmd(&ss, SLOTFILTER_CMD_PORT_ADD, self->shm->hp0, &ack, NULL);
	ASSERT_ACK(ack, 0, "");

	memset(r, 0, sizeof(*r));
	r->idx = self->shm->hp0;
	r->other = self->shm->hp1;
	ASSERT_EQ(0, uns_run(&self->ctr, uns_alone_job, r, -1));
	ASSERT_EQ(0, r->mk);
	ASSERT_ACK(r->dump, 0, "");
	ASSERT_EQ(0, r->n1);
	ASSERT_ACK(r->get, ENOENT, SF_NOT_A_PORT);
	ASSERT_ACK(r->del, ENOENT, SF_NOT_A_PORT);
	ASSERT_ACK(r->add_other, ENODEV, UNS_NODEV);
	ASSERT_ACK(r->add, 0, "");
	ASSERT_ACK(r->dump2, 0, "");
	ASSERT_EQ(1, r->n2);
	ASSERT_STREQ("x0", r->name);

	/* Three namespaces, three ports at one ifindex, each its own. */
	ASSERT_HOST_UNCHANGED();
	ASSERT_LT(0, sf_dump(&ss, 0, &ports, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(1, ports.n);
	ASSERT_STREQ("s0", ports.v[0].ifname);
	free(ports.v);
	sf_close(&ss);
	close(sib);
}

/*
 * A port moved into the container is detached on the way: it is a port in
 * neither namespace until the container attaches it. The container cannot
 * move it back out; the host can, which detaches it again.
 */
struct uns_moved {
	uint32_t idx;
	struct sf_ack dump, get, add, dump2, dump3;
	int n1, n2, n3, move_out;
	char name[IFNAMSIZ];
};

static void uns_moved_job(void *arg, int fd)
{
	struct uns_moved *r = arg;
	struct sf_ports ports;
	struct sf_sock s;

	r->idx = if_nametoindex("mv0");
	if (sf_open(&s))
		return;
	if (sf_dump(&s, 0, &ports, &r->dump) > 0)
		r->n1 = ports.n;
	free(ports.v);
	sf_port_cmd(&s, SLOTFILTER_CMD_PORT_GET, r->idx, &r->get, NULL);
	sf_port_cmd(&s, SLOTFILTER_CMD_PORT_ADD, r->idx, &r->add, NULL);
	/* fd: the test's namespace, where the container has no power. */
	r->move_out = sf_sh("ip link set mv0 netns /proc/self/fd/%d 2>/dev/null",
			    fd);
	if (sf_dump(&s, 0, &ports, &r->dump2) > 0) {
		r->n2 = ports.n;
		if (ports.n)
			strcpy(r->name, ports.v[0].ifname);
	}
	free(ports.v);
	sf_close(&s);
}

static void uns_count_job(void *arg, int fd __attribute__((unused)))
{
	struct uns_moved *r = arg;
	struct sf_ports ports;
	struct sf_sock s;

	r->n3 = -1;
	if (sf_open(&s))
		return;
	if (sf_dump(&s, 0, &ports, &r->dump3) > 0)
		r->n3 = ports.n;
	free(ports.v);
	sf_close(&s);
}

TEST_F(uns, device_moved_into_container)
{
	struct uns_moved *r = (void *)self->shm->u.raw;
	struct sf_ack ack;
	uint32_t mv0;
	int err;

	mv0 = sf_dummy("mv0");
	ASSERT_NE(0U, mv0);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, mv0, &ack, NULL);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, sf_sh("ip link set mv0 netns %d", self->ctr.pid));
	ASSERT_HOST_UNCHANGED();

	memset(r, 0, sizeof(*r));
	ASSERT_EQ(0, uns_run(&self->ctr, uns_moved_job, r, self->netns));
	ASSERT_NE(0U, r->idx);
	ASSERT_ACK(r->dump, 0, "");
	ASSERT_EQ(0, r->n1);
	ASSERT_ACK(r->get, ENOENT, SF_NOT_A_PORT);
	ASSERT_ACK(r->add, 0, "");
	ASSERT_NE(0, r->move_out) TH_LOG("the container moved mv0 out");
	ASSERT_ACK(r->dump2, 0, "");
	ASSERT_EQ(1, r->n2);
	ASSERT_STREQ("mv0", r->name);
	ASSERT_HOST_UNCHANGED();

	/* The host moves it back: detached in the container, no port here. */
	ASSERT_EQ(0, setns(self->ctr.netns, CLONE_NEWNET));
	err = sf_sh("ip link set mv0 netns /proc/%d/fd/%d", getpid(),
		    self->netns);
	ASSERT_EQ(0, setns(self->netns, CLONE_NEWNET));
	ASSERT_EQ(0, err);
	mv0 = if_nametoindex("mv0");
	ASSERT_NE(0U, mv0);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_GET, mv0, &ack, NULL);
	ASSERT_ACK(ack, ENOENT, SF_NOT_A_PORT);
	ASSERT_HOST_UNCHANGED();
	ASSERT_EQ(0, uns_run(&self->ctr, uns_count_job, r, -1));
	ASSERT_ACK(r->dump3, 0, "");
	ASSERT_EQ(0, r->n3);
}

/*
 * The container ends with ports attached (its loopback, a dummy, its end
 * of a veth whose other end is a port of the test netns): its namespace
 * goes, and with it the veth pair; the test netns keeps its own port.
 */
struct uns_exit {
	int mk;
	struct sf_ack add[3], dump;
	int n;
};

static void uns_exit_job(void *arg, int fd __attribute__((unused)))
{
	static const char * const names[] = { "lo", "c0", "k0" };
	struct uns_exit *r = arg;
	struct sf_ports ports;
	struct sf_sock s;
	int i;

	r->mk = sf_sh("ip link add c0 type dummy && ip link set c0 up && ip link set k0 up && ip link set lo up");
	if (sf_open(&s))
		return;
	for (i = 0; i < 3; i++)
		sf_port_cmd(&s, SLOTFILTER_CMD_PORT_ADD,
			    if_nametoindex(names[i]), &r->add[i], NULL);
	if (sf_dump(&s, 0, &ports, &r->dump) > 0)
		r->n = ports.n;
	free(ports.v);
	sf_close(&s);
}

TEST_F(uns, container_exits_with_ports)
{
	struct uns_exit *r = (void *)self->shm->u.raw;
	struct sf_ack ack;
	uint32_t h0;
	int i;

	ASSERT_EQ(0, sf_sh("ip link add h0 type veth peer name k0 netns %d",
			   self->ctr.pid));
	h0 = if_nametoindex("h0");
	ASSERT_NE(0U, h0);
	ASSERT_EQ(0, sf_sh("ip link set h0 up"));
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, h0, &ack, NULL);
	ASSERT_ACK(ack, 0, "");

	memset(r, 0, sizeof(*r));
	ASSERT_EQ(0, uns_run(&self->ctr, uns_exit_job, r, -1));
	ASSERT_EQ(0, r->mk);
	for (i = 0; i < 3; i++)
		ASSERT_ACK(r->add[i], 0, "");
	ASSERT_ACK(r->dump, 0, "");
	ASSERT_EQ(3, r->n);

	ASSERT_EQ(0, uns_stop(&self->ctr));
	/* The namespace is dismantled in the background. */
	for (i = 0; i < 1000 && if_nametoindex("h0"); i++)
		usleep(10000);
	ASSERT_EQ(0U, if_nametoindex("h0"))
		TH_LOG("h0 still there 10 s after its peer's namespace ended");
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_GET, h0, &ack, NULL);
	ASSERT_ACK(ack, ENOENT, SF_NOT_A_PORT);
	ASSERT_HOST_UNCHANGED();
}

TEST_HARNESS_MAIN
