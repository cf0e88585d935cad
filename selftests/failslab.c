// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: every command of the slotfilter family, run with the
 * calling thread's Nth slab allocation failing, for N = 1, 2, ... until a
 * run goes through without consuming the fault. A generic netlink request is
 * handled in the sender's context (sendmsg runs the doit; the dump's later
 * parts run in recvmsg), so /proc/thread-self/fail-nth armed around the
 * request reaches every allocation on the way: the request's skb, the
 * parsed attributes, slotfilter's own, the netfilter hooks', the reply and
 * the ack. Each run must either
 *
 *   - succeed: the command took effect (and a GET or dump answered exactly
 *     what it answers without faults), or
 *   - fail with ENOMEM or ENOBUFS (from sendmsg or in the ack), or EFAULT
 *     from sendmsg: nothing changed, or
 *   - lose its answer (the ack or a dump part could not be allocated: the
 *     read fails with ENOBUFS; or it could not be copied out: EFAULT): the
 *     command took effect, since the one fault was spent on the answer.
 *
 * fail-nth counts every fault injection site the kernel has, not only
 * failslab's: with CONFIG_FAULT_INJECTION_USERCOPY (the debug kernel) the
 * copies from and to userspace fail in turn too (EFAULT), reading fail-nth
 * back included (EFAULT there means the command left the fault unspent).
 *
 * "Nothing changed" and "took effect" are judged on a full dump taken by a
 * socket that is never armed, compared field by field with the expected
 * one. The devices are down and IPv6 is off, so every counter is zero and
 * stays so. After each test the module's reference count is back where it
 * was (a failed dump gave back the module reference it took), and the debug
 * kernel's kmemleak scan at the end of the VM run finds anything freed too
 * little.
 *
 * Needs CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB and
 * CONFIG_FAULT_INJECTION_DEBUG_FS: failslab ignores allocations that may
 * sleep (GFP_KERNEL) unless /sys/kernel/debug/failslab/ignore-gfp-wait is N,
 * and fail-nth only counts what failslab lets through. Without them the
 * program exits with the skip status (4). For the time of each test it sets
 * ignore-gfp-wait to N and the verbose file of every fault capability
 * (failslab, fail_usercopy, ...) to 0: verbose > 0 prints a stack trace for
 * every fault, which the VM runner takes for a kernel report. It restores
 * them after.
 */
#define _GNU_SOURCE
#include "sfnl_ports.h"

#include <arpa/inet.h>
#include <glob.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/socket.h>

/* The 6.1 harness has a signal handler with an unused parameter. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop

#define FS_DEBUGFS	"/sys/kernel/debug"
#define FS_DIR		FS_DEBUGFS "/failslab"
#define FS_NTH		"/proc/thread-self/fail-nth"
#define FS_REFCNT	"/sys/module/slotfilter/refcnt"

/* Ports there all along: their dump takes several reads. */
#define FS_NKEEP	8
/* Most ports a state can hold. */
#define FS_CAP		32
/* A command making more allocations than this is an endless loop. */
#define FS_MAX_N	5000U

/* The ports of the namespace, as a dump lists them. */
struct fs_ports {
	int n;				/* messages seen, even beyond v[] */
	struct sf_port_info v[FS_CAP];
};

/* One command as the tests run it. */
struct fs_op {
	const char *name;
	uint8_t cmd;
	uint16_t flags;			/* NLM_F_ACK (doit) or NLM_F_DUMP */
	uint32_t ifindex;		/* the attribute, 0: none */
	int want_err;			/* its answer when nothing fails */
	const struct fs_ports *before;	/* the state it starts from */
	const struct fs_ports *after;	/* the state it leaves */
	const struct fs_ports *reply;	/* what it answers, NULL: nothing */
};

/* One run of a command, armed with fail-nth = n. */
struct fs_run {
	unsigned int n;
	int send_err;			/* errno of sendmsg, 0 */
	int recv_err;			/* errno of a read, 0 */
	struct sf_ack ack;
	unsigned int left;		/* fail-nth afterwards; 0: consumed */
};

/* How the runs of one command went. */
struct fs_tally {
	unsigned int sites;		/* fault sites on the command's way */
	unsigned int enomem, enobufs;	/* failed cleanly */
	unsigned int efault;		/* a copy from userspace failed */
	unsigned int lost;		/* took effect, answer lost */
	unsigned int absorbed;		/* fault consumed, still succeeded */
	char msgs[512];			/* extack messages of the failures */
};

/* Large: static rather than on the stack of the test. */
static struct fs_ports fs_before, fs_after, fs_got, fs_reply;

/* Why fault injection cannot run here, or NULL. */
static const char *fs_unsupported(void)
{
	if (geteuid())
		return "needs root";
	if (access(FS_NTH, W_OK))
		return "no " FS_NTH ": the kernel lacks CONFIG_FAULT_INJECTION";
	if (access(FS_DIR, F_OK))
		mount("debugfs", FS_DEBUGFS, "debugfs", 0, NULL);
	if (access(FS_DIR "/ignore-gfp-wait", W_OK))
		return "no " FS_DIR ": the kernel lacks CONFIG_FAILSLAB or CONFIG_FAULT_INJECTION_DEBUG_FS";
	return NULL;
}

static int fs_ports_msg(const struct nlmsghdr *nlh, void *data)
{
	struct fs_ports *ports = data;

	if (ports->n < FS_CAP)
		sf_parse_port(nlh, &ports->v[ports->n]);
	ports->n++;
	return MNL_CB_OK;
}

/* A full dump on @s into @ports; 0 or -errno. */
static int fs_state(struct sf_sock *s, struct fs_ports *ports)
{
	struct sf_ack ack;
	int err;

	memset(ports, 0, sizeof(*ports));
	err = sf_talk(s, SLOTFILTER_CMD_PORT_GET, NLM_F_DUMP, NULL, NULL,
		      fs_ports_msg, ports, &ack);
	if (err < 0)
		return err;
	if (ack.err)
		return -ack.err;
	return ports->n <= FS_CAP ? 0 : -E2BIG;
}

/* Where @a and @b differ, in words; NULL if they are the same. */
static const char *fs_diff(const struct fs_ports *a, const struct fs_ports *b)
{
	static char why[128];
	int i;

	if (a->n != b->n) {
		snprintf(why, sizeof(why), "%d ports instead of %d", a->n,
			 b->n);
		return why;
	}
	for (i = 0; i < a->n && i < FS_CAP; i++) {
		if (memcmp(&a->v[i], &b->v[i], sizeof(a->v[i]))) {
			snprintf(why, sizeof(why),
				 "entry %d: ifindex %" PRId64 " \"%s\", want ifindex %" PRId64 " \"%s\" (or its contents differ)",
				 i, a->v[i].ifindex, a->v[i].ifname,
				 b->v[i].ifindex, b->v[i].ifname);
			return why;
		}
	}
	return NULL;
}

/* @ports without the port @ifindex. */
static void fs_without(struct fs_ports *ports, uint32_t ifindex)
{
	int i;

	for (i = 0; i < ports->n; i++) {
		if (ports->v[i].ifindex != ifindex)
			continue;
		memmove(&ports->v[i], &ports->v[i + 1],
			(ports->n - i - 1) * sizeof(ports->v[0]));
		ports->n--;
		return;
	}
}

/* @ports holding just the entry of @ifindex, from @all. */
static void fs_only(struct fs_ports *ports, const struct fs_ports *all,
		    uint32_t ifindex)
{
	int i;

	memset(ports, 0, sizeof(*ports));
	for (i = 0; i < all->n; i++)
		if (all->v[i].ifindex == ifindex)
			ports->v[ports->n++] = all->v[i];
}

/* fail-nth of this thread: arm with @n (0: disarm). */
static int fs_arm(int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(fd, buf, len, 0) == len ? 0 : -1;
}

static int fs_armed(int fd, unsigned int *left)
{
	char buf[16];
	ssize_t len = pread(fd, buf, sizeof(buf) - 1, 0);

	/* The copy to userspace failed: it spent the fault, 1 was left. */
	if (len < 0 && errno == EFAULT) {
		*left = 1;
		return 0;
	}
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	*left = strtoul(buf, NULL, 10);
	return 0;
}

/*
 * Runs @op once on a fresh socket (a dump that failed to start stays
 * "running" on its socket) with this thread's @n-th allocation failing.
 * Between arming and reading back, nothing allocates in userspace: the
 * answer goes to the static fs_reply, the buffers are on a stack that the
 * first, unarmed run has touched, and all memory is locked.
 */
static int fs_attempt(int nth, uint16_t family, const struct fs_op *op,
		      unsigned int n, struct fs_run *r)
{
	struct sf_sock s;
	int err;

	memset(r, 0, sizeof(*r));
	memset(&fs_reply, 0, sizeof(fs_reply));
	r->n = n;
	r->ack.offs = -1;
	r->ack.miss_type = -1;
	err = sf_open_family(&s, family);
	if (err)
		return err;
	if (fs_arm(nth, n)) {
		sf_close(&s);
		return -errno;
	}
	r->send_err = -sf_send(&s, s.family, op->cmd, op->flags,
			       op->ifindex ? sf_put_ifindex : NULL,
			       &op->ifindex);
	if (!r->send_err) {
		err = sf_recv(&s, fs_ports_msg, &fs_reply, &r->ack);
		if (err < 0)
			r->recv_err = -err;
	}
	err = fs_armed(nth, &r->left);
	fs_arm(nth, 0);
	sf_close(&s);
	return err ? -EIO : 0;
}

static int fs_refcnt(void)
{
	char buf[32];

	if (sf_read(FS_REFCNT, buf, sizeof(buf)))
		return -1;
	return atoi(buf);
}

/* The fault injection settings changed for a test, to restore after. */
#define FS_MAX_KNOBS	16

struct fs_knob {
	char path[96];
	char old[16];
};

static struct fs_knob fs_knobs[FS_MAX_KNOBS];
static int fs_nknobs;

/* Sets the debugfs file @path to @value, remembering what it was. */
static int fs_set(const char *path, const char *value)
{
	struct fs_knob *k;

	if (fs_nknobs == FS_MAX_KNOBS)
		return -1;
	k = &fs_knobs[fs_nknobs];
	snprintf(k->path, sizeof(k->path), "%s", path);
	if (sf_read(path, k->old, sizeof(k->old)))
		return -1;
	fs_nknobs++;
	return sf_write(path, value);
}

static void fs_restore(void)
{
	while (fs_nknobs > 0) {
		fs_nknobs--;
		sf_write(fs_knobs[fs_nknobs].path, fs_knobs[fs_nknobs].old);
	}
}

/*
 * failslab counts GFP_KERNEL allocations, and no fault capability (failslab,
 * fail_usercopy, fail_page_alloc...) prints a stack trace per fault.
 */
static int fs_configure(void)
{
	glob_t g;
	size_t i;
	int err = 0;

	if (fs_set(FS_DIR "/ignore-gfp-wait", "N"))
		return -1;
	if (glob(FS_DEBUGFS "/fail*/verbose", 0, NULL, &g))
		return -1;
	for (i = 0; i < g.gl_pathc && !err; i++)
		err = fs_set(g.gl_pathv[i], "0");
	globfree(&g);
	return err;
}

FIXTURE(fs) {
	struct sf_sock sk;		/* never armed */
	int netns;
	int nth;			/* /proc/thread-self/fail-nth */
	int refcnt;			/* the module's, at the start */
	uint32_t keep[FS_NKEEP];	/* ports all along */
	uint32_t target;		/* the device the commands act on */
};

FIXTURE_SETUP(fs)
{
	char name[IFNAMSIZ];
	struct sf_ack ack;
	int i, err;

	self->nth = -1;
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %m");
	self->netns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->netns);
	/* No IPv6 in a kernel built without it. */
	sf_no_ipv6();
	/* No page fault while armed: its allocations are not ours. */
	ASSERT_EQ(0, mlockall(MCL_CURRENT | MCL_FUTURE)) TH_LOG("mlockall: %m");
	err = sf_open(&self->sk);
	ASSERT_EQ(0, err)
		TH_LOG("cannot resolve the family \"%s\": %s (is the module there?)",
		       SLOTFILTER_GENL_NAME, strerror(-err));

	for (i = 0; i < FS_NKEEP; i++) {
		snprintf(name, sizeof(name), "fk%d", i);
		self->keep[i] = sf_dummy(name);
		ASSERT_NE(0U, self->keep[i]) TH_LOG("%s", name);
		sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, self->keep[i],
			    &ack, NULL);
		ASSERT_ACK(ack, 0, "");
	}
	self->target = sf_dummy("fs0");
	ASSERT_NE(0U, self->target);

	self->refcnt = fs_refcnt();
	ASSERT_LE(0, self->refcnt) TH_LOG("no %s", FS_REFCNT);
	self->nth = open(FS_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->nth) TH_LOG("%s: %m", FS_NTH);
	ASSERT_EQ(0, fs_configure()) TH_LOG("cannot configure %s: %m", FS_DEBUGFS);
}

FIXTURE_TEARDOWN(fs)
{
	if (self->nth >= 0) {
		fs_arm(self->nth, 0);
		close(self->nth);
	}
	fs_restore();
	sf_close(&self->sk);
	if (self->netns > 0)
		close(self->netns);
}

/* Is @err the errno of an allocation that failed? */
static int fs_clean_errno(int err)
{
	return err == ENOMEM || err == ENOBUFS;
}

/* ... or of a syscall whose copy from or to userspace failed? */
static int fs_clean_syscall_errno(int err)
{
	return fs_clean_errno(err) || err == EFAULT;
}

static void fs_count(struct fs_tally *t, int err)
{
	if (err == ENOMEM)
		t->enomem++;
	else if (err == ENOBUFS)
		t->enobufs++;
	else
		t->efault++;
}

/* Puts the namespace back in @op's starting state after it took effect. */
static int fs_undo(struct sf_sock *s, const struct fs_op *op)
{
	struct sf_ack ack;
	uint8_t cmd;

	if (op->cmd == SLOTFILTER_CMD_PORT_ADD)
		cmd = SLOTFILTER_CMD_PORT_DEL;
	else if (op->cmd == SLOTFILTER_CMD_PORT_DEL)
		cmd = SLOTFILTER_CMD_PORT_ADD;
	else
		return 0;
	if (sf_port_cmd(s, cmd, op->ifindex, &ack, NULL) < 0)
		return -EIO;
	return -ack.err;
}

/* Waits for the module's reference count to come back to @want. */
static int fs_refcnt_settles(int want)
{
	int i, got = -1;

	for (i = 0; i < 200; i++) {
		got = fs_refcnt();
		if (got == want)
			break;
		usleep(10000);
	}
	return got;
}

/*
 * Runs @op for N = 0 (no fault: the reference run), then 1, 2, ... until
 * the fault is no longer consumed, checking every outcome.
 */
static void fs_loop(struct __test_metadata *_metadata,
		    FIXTURE_DATA(fs) *self, const struct fs_op *op)
{
	struct fs_tally t = { 0 };
	const char *diff;
	struct fs_run r;
	unsigned int n;
	int effect;			/* the command took effect */

	ASSERT_EQ(0, fs_state(&self->sk, &fs_got));
	diff = fs_diff(&fs_got, op->before);
	ASSERT_EQ(NULL, diff) TH_LOG("%s: the starting state: %s", op->name,
				     diff);

	for (n = 0; n <= FS_MAX_N; n++) {
		ASSERT_EQ(0, fs_attempt(self->nth, self->sk.family, op, n, &r))
			TH_LOG("%s: cannot run with fail-nth %u", op->name, n);

		if (r.send_err) {
			/* The request never reached slotfilter. */
			ASSERT_NE(0U, n) TH_LOG("%s: sendmsg: %s", op->name,
						strerror(r.send_err));
			ASSERT_TRUE(fs_clean_syscall_errno(r.send_err))
				TH_LOG("%s, fault %u: sendmsg failed with %s",
				       op->name, n, strerror(r.send_err));
			effect = 0;
			fs_count(&t, r.send_err);
		} else if (r.recv_err) {
			/* The answer was lost: the command itself ran. */
			ASSERT_NE(0U, n) TH_LOG("%s: recvmsg: %s", op->name,
						strerror(r.recv_err));
			ASSERT_TRUE(r.recv_err == ENOBUFS || r.recv_err == EFAULT)
				TH_LOG("%s, fault %u: recvmsg failed with %s",
				       op->name, n, strerror(r.recv_err));
			effect = 1;
			t.lost++;
		} else if (r.ack.err == op->want_err) {
			effect = 1;
			if (op->reply) {
				diff = fs_diff(&fs_reply, op->reply);
				ASSERT_EQ(NULL, diff)
					TH_LOG("%s, fault %u: the answer: %s",
					       op->name, n, diff);
			}
			if (n && !r.left)
				t.absorbed++;
		} else {
			ASSERT_NE(0U, n)
				TH_LOG("%s without a fault: %s \"%s\"", op->name,
				       strerror(r.ack.err), r.ack.msg);
			ASSERT_TRUE(fs_clean_errno(r.ack.err))
				TH_LOG("%s, fault %u: %s \"%s\"", op->name, n,
				       strerror(r.ack.err), r.ack.msg);
			effect = 0;
			fs_count(&t, r.ack.err);
			if (r.ack.msg[0] && !strstr(t.msgs, r.ack.msg) &&
			    strlen(t.msgs) + strlen(r.ack.msg) + 4 <
			    sizeof(t.msgs))
				sprintf(t.msgs + strlen(t.msgs), "%s\"%s\"",
					t.msgs[0] ? ", " : "", r.ack.msg);
		}
		/* A fault not consumed is a run like N = 0: it succeeded. */
		ASSERT_TRUE(!n || !r.left || (effect && !r.recv_err))
			TH_LOG("%s failed with fault %u not injected", op->name,
			       n);

		ASSERT_EQ(0, fs_state(&self->sk, &fs_got));
		diff = fs_diff(&fs_got, effect ? op->after : op->before);
		ASSERT_EQ(NULL, diff)
			TH_LOG("%s, fault %u (%s): the state: %s", op->name, n,
			       r.send_err ? "sendmsg failed" :
			       r.recv_err ? "answer lost" :
			       effect ? "succeeded" : "failed", diff);
		if (effect && op->after != op->before) {
			ASSERT_EQ(0, fs_undo(&self->sk, op))
				TH_LOG("%s, fault %u: cannot undo it", op->name,
				       n);
			ASSERT_EQ(0, fs_state(&self->sk, &fs_got));
			ASSERT_EQ(NULL, fs_diff(&fs_got, op->before));
		}
		if (n && r.left) {
			t.sites = n - 1;
			break;
		}
	}
	ASSERT_GE(FS_MAX_N, n) TH_LOG("%s: still failing at fault %u",
				      op->name, n);
	ASSERT_LT(0U, t.sites) TH_LOG("%s: no allocation failed: is fail-nth counting?",
				      op->name);
	ASSERT_EQ(self->refcnt, fs_refcnt_settles(self->refcnt))
		TH_LOG("%s: the module's references did not come back",
		       op->name);
	ksft_print_msg("%s: %u faults in turn: failed %u ENOMEM, %u ENOBUFS, %u EFAULT; %u answers lost; %u absorbed%s%s\n",
		       op->name, t.sites, t.enomem, t.enobufs, t.efault, t.lost,
		       t.absorbed, t.msgs[0] ? "; messages: " : "", t.msgs);
}

/* The state with every port attached: the keepers and the target. */
static void fs_with_target(struct __test_metadata *_metadata,
			   FIXTURE_DATA(fs) *self)
{
	struct sf_ack ack;

	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, self->target, &ack,
		    NULL);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, fs_state(&self->sk, &fs_after));
	ASSERT_EQ(FS_NKEEP + 1, fs_after.n);
	fs_before = fs_after;
	fs_without(&fs_before, self->target);
}

/*
 * After all its failures, the port attached without a fault still works:
 * its hooks count what its device sends.
 */
TEST_F_TIMEOUT(fs, port_add, 600)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(9),
	};
	struct sf_port_info p;
	struct sf_ack ack;
	int fd, i;
	struct fs_op op = {
		.name = "PORT_ADD",
		.cmd = SLOTFILTER_CMD_PORT_ADD,
		.flags = NLM_F_ACK,
		.ifindex = self->target,
		.before = &fs_before,
		.after = &fs_after,
	};

	fs_with_target(_metadata, self);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_DEL, self->target, &ack,
		    NULL);
	ASSERT_ACK(ack, 0, "");
	fs_loop(_metadata, self, &op);

	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, self->target, &ack,
		    NULL);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, sf_sh("ip addr add 10.77.0.1/24 dev fs0 && ip link set fs0 up"));
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, inet_pton(AF_INET, "10.77.0.2", &to.sin_addr));
	for (i = 0; i < 5; i++)
		ASSERT_EQ(1, sendto(fd, "x", 1, 0, (void *)&to, sizeof(to)));
	close(fd);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_GET, self->target, &ack,
		    &p);
	ASSERT_ACK(ack, 0, "");
	ASSERT_LE(5, p.dir[SLOTFILTER_DIR_EGRESS].packets);
}

TEST_F_TIMEOUT(fs, port_del, 600)
{
	struct fs_op op = {
		.name = "PORT_DEL",
		.cmd = SLOTFILTER_CMD_PORT_DEL,
		.flags = NLM_F_ACK,
		.ifindex = self->target,
		.before = &fs_after,
		.after = &fs_before,
	};

	fs_with_target(_metadata, self);
	fs_loop(_metadata, self, &op);
}

/* The doit answers the one port, exactly as the dump has it. */
TEST_F_TIMEOUT(fs, port_get, 600)
{
	static struct fs_ports reply;
	struct fs_op op = {
		.name = "PORT_GET",
		.cmd = SLOTFILTER_CMD_PORT_GET,
		.flags = NLM_F_ACK,
		.ifindex = self->target,
		.before = &fs_after,
		.after = &fs_after,
		.reply = &reply,
	};

	fs_with_target(_metadata, self);
	fs_only(&reply, &fs_after, self->target);
	ASSERT_EQ(1, reply.n);
	fs_loop(_metadata, self, &op);
}

/* A dump of nine ports takes several reads: each one's allocations fail. */
TEST_F_TIMEOUT(fs, port_dump, 600)
{
	struct fs_op op = {
		.name = "PORT_GET dump",
		.cmd = SLOTFILTER_CMD_PORT_GET,
		.flags = NLM_F_DUMP,
		.before = &fs_after,
		.after = &fs_after,
		.reply = &fs_after,
	};

	fs_with_target(_metadata, self);
	fs_loop(_metadata, self, &op);
}

TEST_F_TIMEOUT(fs, port_dump_filtered, 600)
{
	static struct fs_ports reply;
	struct fs_op op = {
		.name = "PORT_GET dump of one port",
		.cmd = SLOTFILTER_CMD_PORT_GET,
		.flags = NLM_F_DUMP,
		.ifindex = self->target,
		.before = &fs_after,
		.after = &fs_after,
		.reply = &reply,
	};

	fs_with_target(_metadata, self);
	fs_only(&reply, &fs_after, self->target);
	fs_loop(_metadata, self, &op);
}

/* The refusals too: a fault may turn them into ENOMEM, nothing else. */
TEST_F_TIMEOUT(fs, add_existing, 600)
{
	struct fs_op op = {
		.name = "PORT_ADD of a port",
		.cmd = SLOTFILTER_CMD_PORT_ADD,
		.flags = NLM_F_ACK,
		.ifindex = self->target,
		.want_err = EEXIST,
		.before = &fs_after,
		.after = &fs_after,
	};

	fs_with_target(_metadata, self);
	fs_loop(_metadata, self, &op);
}

TEST_F_TIMEOUT(fs, del_not_a_port, 600)
{
	struct fs_op op = {
		.name = "PORT_DEL of a device that is not a port",
		.cmd = SLOTFILTER_CMD_PORT_DEL,
		.flags = NLM_F_ACK,
		.ifindex = self->target,
		.want_err = ENOENT,
		.before = &fs_before,
		.after = &fs_before,
	};

	ASSERT_EQ(0, fs_state(&self->sk, &fs_before));
	fs_loop(_metadata, self, &op);
}

/* ---- a port's device deleted under faults -------------------------------- */

/* An rtnetlink request on a fresh socket; its ack into @ack. */
static int fs_rtnl(struct nlmsghdr *nlh, int nth, unsigned int n,
		   struct fs_run *r)
{
	struct sf_sock s = { 0 };
	int one = 1, len;

	memset(r, 0, sizeof(*r));
	r->n = n;
	s.nl = mnl_socket_open(NETLINK_ROUTE);
	if (!s.nl)
		return -errno;
	if (mnl_socket_setsockopt(s.nl, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    mnl_socket_setsockopt(s.nl, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    mnl_socket_bind(s.nl, 0, MNL_SOCKET_AUTOPID)) {
		sf_close(&s);
		return -errno;
	}
	s.portid = mnl_socket_get_portid(s.nl);
	s.seq = nlh->nlmsg_seq;
	if (nth >= 0 && fs_arm(nth, n)) {
		sf_close(&s);
		return -errno;
	}
	if (mnl_socket_sendto(s.nl, nlh, nlh->nlmsg_len) < 0) {
		r->send_err = errno;
	} else {
		len = sf_recv(&s, NULL, NULL, &r->ack);
		if (len < 0)
			r->recv_err = -len;
	}
	if (nth >= 0) {
		fs_armed(nth, &r->left);
		fs_arm(nth, 0);
	}
	sf_close(&s);
	return 0;
}

/* RTM_NEWLINK of a dummy called @name; its ifindex, 0 on failure. */
static uint32_t fs_rtnl_dummy(const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlattr *linkinfo;
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;
	struct fs_run r;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
			   NLM_F_EXCL;
	nlh->nlmsg_seq = 1;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "dummy");
	mnl_attr_nest_end(nlh, linkinfo);
	if (fs_rtnl(nlh, -1, 0, &r) || r.send_err || r.recv_err || r.ack.err)
		return 0;
	return if_nametoindex(name);
}

/*
 * RTM_DELLINK of an attached device, with fail-nth: either the device and
 * its port are gone (the notifier detached it), or both are still there.
 */
TEST_F_TIMEOUT(fs, device_deleted, 600)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;
	struct sf_ack ack;
	struct fs_run r;
	unsigned int n, sites = 0, failed = 0, lost = 0;
	uint32_t ifindex;
	const char *diff;
	int gone;

	ASSERT_EQ(0, fs_state(&self->sk, &fs_before));
	for (n = 0; n <= FS_MAX_N; n++) {
		ifindex = if_nametoindex("fd0");
		if (!ifindex)
			ifindex = fs_rtnl_dummy("fd0");
		ASSERT_NE(0U, ifindex);
		sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, ifindex, &ack,
			    NULL);
		ASSERT_ACK(ack, 0, "");
		ASSERT_EQ(0, fs_state(&self->sk, &fs_after));
		ASSERT_EQ(fs_before.n + 1, fs_after.n);

		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = RTM_DELLINK;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		nlh->nlmsg_seq = n + 1;
		ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
		ifm->ifi_family = AF_UNSPEC;
		ifm->ifi_index = ifindex;
		ASSERT_EQ(0, fs_rtnl(nlh, self->nth, n, &r));

		gone = !if_nametoindex("fd0");
		if (r.send_err) {
			ASSERT_TRUE(n && fs_clean_syscall_errno(r.send_err))
				TH_LOG("fault %u: sendmsg: %s", n,
				       strerror(r.send_err));
			failed++;
		} else if (r.recv_err) {
			ASSERT_TRUE(n && (r.recv_err == ENOBUFS ||
					  r.recv_err == EFAULT))
				TH_LOG("fault %u: recvmsg: %s", n,
				       strerror(r.recv_err));
			lost++;
		} else if (r.ack.err) {
			ASSERT_TRUE(n && fs_clean_errno(r.ack.err))
				TH_LOG("fault %u: %s \"%s\"", n,
				       strerror(r.ack.err), r.ack.msg);
			failed++;
		} else {
			ASSERT_TRUE(gone)
				TH_LOG("fault %u: deleted, still there", n);
		}
		ASSERT_EQ(0, fs_state(&self->sk, &fs_got));
		diff = fs_diff(&fs_got, gone ? &fs_before : &fs_after);
		ASSERT_EQ(NULL, diff)
			TH_LOG("fault %u, device %s: the ports: %s", n,
			       gone ? "deleted" : "still there", diff);
		if (!gone) {
			sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_DEL,
				    ifindex, &ack, NULL);
			ASSERT_ACK(ack, 0, "");
		}
		if (n && r.left) {
			ASSERT_TRUE(gone && !r.ack.err && !r.recv_err);
			sites = n - 1;
			break;
		}
	}
	ASSERT_GE(FS_MAX_N, n);
	ASSERT_LT(0U, sites);
	ASSERT_EQ(self->refcnt, fs_refcnt_settles(self->refcnt));
	ksft_print_msg("RTM_DELLINK of a port: %u faults in turn: %u failed, %u answers lost\n",
		       sites, failed, lost);
}

int main(int argc, char **argv)
{
	const char *why = fs_unsupported();

	if (why) {
		ksft_print_header();
		ksft_exit_skip("%s\n", why);
	}
	return test_harness_run(argc, argv);
}
