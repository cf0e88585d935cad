// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: every command of the slotfilter family, run with the
 * calling thread's Nth fault injected, for N = 1, 2, ... until a run goes
 * through without spending the fault. A generic netlink request is handled
 * in the sender's context (sendmsg runs the doit; a dump's later parts run
 * in recvmsg), so /proc/thread-self/fail-nth armed around the request
 * reaches every allocation on its way: the request's skb, the parsed
 * attributes, slotfilter's own, the netfilter hooks', the reply and the ack.
 *
 * The command first runs once without a fault (N = 0): the reference. It
 * must give its usual answer; the state it leaves is "after", the one it
 * started from "before" (the same for reads and refusals). Then each run
 * with a fault must either
 *
 *   - succeed: the state is "after", and a read answered exactly what the
 *     reference did, or
 *   - fail with ENOMEM or ENOBUFS (from sendmsg or in the ack), or EFAULT
 *     from sendmsg: the state is "before", or
 *   - lose its answer (an ack or a dump part could not be allocated: the
 *     read fails with ENOBUFS; or could not be copied out: EFAULT): the
 *     state is "after", since the one fault was spent on the answer.
 *
 * After a run that took effect the command is undone (a detach for an
 * attach, the previous ruleset for a FW_REPLACE...) without a fault, and
 * the state must be "before" again.
 *
 * The state is what a socket that is never armed reads: the PORT_GET dump
 * (ports, their tags and counters), the SET_GET dump, FW_GET (the ruleset's
 * settings and its memory), the FW_GET dump (the rules) and the FLOW_GET
 * dump, every message kept byte for byte but for the ruleset's generation
 * (which each commit bumps: checked on its own). The devices are down and
 * IPv6 is off, so no packet moves a counter. After each test the module's
 * reference count is back where it was (a dump that failed gave back the
 * module reference it took), and the debug kernel's kmemleak scans at the
 * end of the VM run find what was freed too little.
 *
 * fail-nth counts every fault injection site the kernel has, not only
 * failslab's: with CONFIG_FAULT_INJECTION_USERCOPY (the debug kernel) the
 * copies from and to userspace fail in turn too (EFAULT), reading fail-nth
 * back included (EFAULT there means the command left the fault unspent).
 * Percpu allocations (the ports' counters) have no fault injection.
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
/* A command making more allocations than this is an endless loop. */
#define FS_MAX_N	5000U
/* Bytes of answers a blob holds. */
#define FS_BLOB_MAX	(256 << 10)

/* ---- answers as bytes ---------------------------------------------------- */

/*
 * The messages of one or more answers, each from its genetlink header on,
 * with FW_A_GENERATION zeroed; the state is five answers in a row.
 */
enum fs_section {
	FS_PORTS, FS_SETS, FS_FW, FS_RULES, FS_FLOWS, FS_SERVICES, FS_NSECTIONS
};

static const char * const fs_section_name[] = {
	[FS_PORTS] = "the PORT_GET dump", [FS_SETS] = "the SET_GET dump",
	[FS_FW] = "FW_GET", [FS_RULES] = "the FW_GET dump",
	[FS_FLOWS] = "the FLOW_GET dump",
	[FS_SERVICES] = "the SERVICE_GET dump",
};

struct fs_blob {
	size_t len;
	int nmsgs;
	int full;			/* an answer did not fit */
	int64_t generation;		/* the last FW_A_GENERATION seen */
	size_t end[FS_NSECTIONS];	/* where each section of a state ends */
	unsigned char b[FS_BLOB_MAX] __attribute__((aligned(8)));
};

/* Large: static rather than on the stack of the test. */
static struct fs_blob fs_before, fs_after, fs_got, fs_reply, fs_ref_reply;

static int fs_blob_msg(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	struct fs_blob *blob = data;
	uint32_t len32 = len;		/* keeps the copies 4-byte aligned */

	if (blob->len + sizeof(len32) + len > sizeof(blob->b)) {
		blob->full = 1;
		return MNL_CB_OK;
	}
	memcpy(blob->b + blob->len, &len32, sizeof(len32));
	memcpy(blob->b + blob->len + sizeof(len32), genl, len);
	if (genl->cmd == SLOTFILTER_CMD_FW_GET && len >= GENL_HDRLEN) {
		/* The copy's attributes: zero the generation in it. */
		void *attrs = blob->b + blob->len + sizeof(len32) + GENL_HDRLEN;
		struct nlattr *attr;

		mnl_attr_for_each_payload(attrs, len - GENL_HDRLEN) {
			if (mnl_attr_get_type(attr) != SLOTFILTER_FW_A_GENERATION ||
			    mnl_attr_validate(attr, MNL_TYPE_U32))
				continue;
			blob->generation = mnl_attr_get_u32(attr);
			memset(mnl_attr_get_payload(attr), 0, sizeof(uint32_t));
		}
	}
	blob->len += sizeof(len32) + len;
	blob->nmsgs++;
	return MNL_CB_OK;
}

static void fs_blob_reset(struct fs_blob *blob)
{
	blob->len = 0;
	blob->nmsgs = 0;
	blob->full = 0;
	blob->generation = -1;
}

/* One answer appended to @blob; 0 or -errno. */
static int fs_read_into(struct sf_sock *s, uint8_t cmd, uint16_t flags,
			struct fs_blob *blob)
{
	struct sf_ack ack;
	int err;

	err = sf_talk(s, cmd, flags, NULL, NULL, fs_blob_msg, blob, &ack);
	if (err < 0)
		return err;
	if (ack.err)
		return -ack.err;
	return blob->full ? -E2BIG : 0;
}

/* The state of the namespace, read on @s, into @blob; 0 or -errno. */
static int fs_state(struct sf_sock *s, struct fs_blob *blob)
{
	static const struct {
		uint8_t cmd;
		uint16_t flags;
	} reads[FS_NSECTIONS] = {
		[FS_PORTS] = { SLOTFILTER_CMD_PORT_GET, NLM_F_DUMP },
		[FS_SETS] = { SLOTFILTER_CMD_SET_GET, NLM_F_DUMP },
		[FS_FW] = { SLOTFILTER_CMD_FW_GET, NLM_F_ACK },
		[FS_RULES] = { SLOTFILTER_CMD_FW_GET, NLM_F_DUMP },
		[FS_FLOWS] = { SLOTFILTER_CMD_FLOW_GET, NLM_F_DUMP },
		[FS_SERVICES] = { SLOTFILTER_CMD_SERVICE_GET, NLM_F_DUMP },
	};
	int i, err;

	fs_blob_reset(blob);
	for (i = 0; i < FS_NSECTIONS; i++) {
		err = fs_read_into(s, reads[i].cmd, reads[i].flags, blob);
		if (err)
			return err;
		blob->end[i] = blob->len;
	}
	return 0;
}

/*
 * In @blob, the message and the top-level attribute holding byte @at, in
 * words ("message 3, attribute 8").
 */
static const char *fs_where(const struct fs_blob *blob, size_t at)
{
	static char where[64];
	size_t pos = 0, off, alen;
	uint32_t len;
	int msg = 0;

	while (pos + sizeof(len) <= blob->len) {
		memcpy(&len, blob->b + pos, sizeof(len));
		if (at < pos + sizeof(len) + len)
			break;
		pos += sizeof(len) + len;
		msg++;
	}
	off = at - pos - sizeof(len);
	if (at < pos + sizeof(len) || off < GENL_HDRLEN) {
		snprintf(where, sizeof(where), "message %d, its header", msg);
		return where;
	}
	for (pos += sizeof(len) + GENL_HDRLEN, off -= GENL_HDRLEN;;) {
		const struct nlattr *a = (const void *)(blob->b + pos);

		if (pos + sizeof(*a) > blob->len) {
			snprintf(where, sizeof(where), "message %d, its end",
				 msg);
			return where;
		}
		alen = NLA_ALIGN(a->nla_len);
		if (!alen || off < alen) {
			snprintf(where, sizeof(where), "message %d, attribute %d",
				 msg, a->nla_type & NLA_TYPE_MASK);
			return where;
		}
		pos += alen;
		off -= alen;
	}
}

/* Where the states @a and @b differ, in words; NULL if they do not. */
static const char *fs_diff(const struct fs_blob *a, const struct fs_blob *b)
{
	static char why[200];
	size_t i, n = a->len < b->len ? a->len : b->len;
	int s;

	if (a->len == b->len && !memcmp(a->b, b->b, a->len))
		return NULL;
	for (i = 0; i < n && a->b[i] == b->b[i]; i++)
		;
	for (s = 0; s < FS_NSECTIONS - 1 && i >= a->end[s]; s++)
		;
	snprintf(why, sizeof(why),
		 "%s differs at byte %zu (%s) of %zu, %zu expected; %d messages, %d expected",
		 fs_section_name[s], i, fs_where(a, i), a->len, b->len,
		 a->nmsgs, b->nmsgs);
	return why;
}

/* ---- building requests --------------------------------------------------- */

/* A prefix "ADDR/PLEN" (IPv4 or IPv6) as ADDR and PLEN in a nest @type. */
static void fs_put_prefix(struct nlmsghdr *nlh, uint16_t type,
			  const char *prefix)
{
	char addr[INET6_ADDRSTRLEN];
	unsigned char bin[16];
	const char *slash = strchr(prefix, '/');
	int v6 = !!strchr(prefix, ':');
	struct nlattr *nest;

	snprintf(addr, sizeof(addr), "%.*s", (int)(slash - prefix), prefix);
	inet_pton(v6 ? AF_INET6 : AF_INET, addr, bin);
	nest = mnl_attr_nest_start(nlh, type);
	mnl_attr_put(nlh, SLOTFILTER_ADDR_A_ADDR, v6 ? 16 : 4, bin);
	mnl_attr_put_u8(nlh, SLOTFILTER_ADDR_A_PLEN, atoi(slash + 1));
	mnl_attr_nest_end(nlh, nest);
}

/* A port and a tag (PORT_TAG, PORT_UNTAG). */
struct fs_tag {
	uint32_t ifindex;
	const char *tag;
};

static void fs_put_tag(struct nlmsghdr *nlh, const void *arg)
{
	const struct fs_tag *t = arg;

	mnl_attr_put_u32(nlh, SLOTFILTER_PORT_A_IFINDEX, t->ifindex);
	mnl_attr_put_strz(nlh, SLOTFILTER_PORT_A_TAG, t->tag);
}

/* A set name and elements (SET_*), the list ending with NULL. */
struct fs_set {
	const char *name;
	const char *elems[8];
};

static void fs_put_set(struct nlmsghdr *nlh, const void *arg)
{
	const struct fs_set *set = arg;
	int i;

	mnl_attr_put_strz(nlh, SLOTFILTER_SET_A_NAME, set->name);
	for (i = 0; set->elems[i]; i++)
		fs_put_prefix(nlh, SLOTFILTER_SET_A_ELEM, set->elems[i]);
}

/*
 * A ruleset of four rules that use what the firewall can use: a tag, a
 * port and a set in applied-to and addresses, prefixes of both families,
 * port ranges, ICMP type, logging, every action; and non-default settings.
 */
static void fs_put_ruleset(struct nlmsghdr *nlh, const void *arg)
{
	const uint32_t *port = arg;
	struct nlattr *rule, *nest;

	mnl_attr_put_u8(nlh, SLOTFILTER_FW_A_DEFAULT, SLOTFILTER_ACTION_DROP);
	mnl_attr_put_u32(nlh, SLOTFILTER_FW_A_FLAGS, SLOTFILTER_FW_F_TCP_STRICT);
	nest = mnl_attr_nest_start(nlh, SLOTFILTER_FW_A_TIMEOUTS);
	mnl_attr_put_u32(nlh, SLOTFILTER_TIMEOUT_UDP, 30);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, SLOTFILTER_FW_A_FLOW_MAX, 1000);

	rule = mnl_attr_nest_start(nlh, SLOTFILTER_FW_A_RULE);
	mnl_attr_put_u32(nlh, SLOTFILTER_RULE_A_ID, 1);
	mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_DIRECTION,
			SLOTFILTER_RULE_DIR_INGRESS);
	nest = mnl_attr_nest_start(nlh, SLOTFILTER_RULE_A_APPLIED_TO);
	mnl_attr_put_strz(nlh, SLOTFILTER_APPLIED_A_TAG, "web");
	mnl_attr_put_u32(nlh, SLOTFILTER_APPLIED_A_IFINDEX, *port);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, SLOTFILTER_RULE_A_SRC);
	mnl_attr_put_strz(nlh, SLOTFILTER_ADDR_A_SET, "s1");
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_PROTO, IPPROTO_TCP);
	nest = mnl_attr_nest_start(nlh, SLOTFILTER_RULE_A_DPORT);
	mnl_attr_put_u16(nlh, SLOTFILTER_RANGE_A_MIN, 80);
	mnl_attr_put_u16(nlh, SLOTFILTER_RANGE_A_MAX, 443);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_ACTION, SLOTFILTER_ACTION_ALLOW);
	mnl_attr_put(nlh, SLOTFILTER_RULE_A_LOG, 0, NULL);
	mnl_attr_nest_end(nlh, rule);

	rule = mnl_attr_nest_start(nlh, SLOTFILTER_FW_A_RULE);
	mnl_attr_put_u32(nlh, SLOTFILTER_RULE_A_ID, 2);
	fs_put_prefix(nlh, SLOTFILTER_RULE_A_DST, "10.0.0.0/8");
	mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_PROTO, IPPROTO_ICMP);
	mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_ICMP_TYPE, 8);
	mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_ACTION, SLOTFILTER_ACTION_DROP);
	mnl_attr_nest_end(nlh, rule);

	rule = mnl_attr_nest_start(nlh, SLOTFILTER_FW_A_RULE);
	mnl_attr_put_u32(nlh, SLOTFILTER_RULE_A_ID, 3);
	mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_DIRECTION,
			SLOTFILTER_RULE_DIR_EGRESS);
	fs_put_prefix(nlh, SLOTFILTER_RULE_A_SRC, "2001:db8::/32");
	mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_PROTO, IPPROTO_ICMPV6);
	mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_ACTION, SLOTFILTER_ACTION_REJECT);
	mnl_attr_nest_end(nlh, rule);

	rule = mnl_attr_nest_start(nlh, SLOTFILTER_FW_A_RULE);
	mnl_attr_put_u32(nlh, SLOTFILTER_RULE_A_ID, 4);
	mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_PROTO, IPPROTO_UDP);
	nest = mnl_attr_nest_start(nlh, SLOTFILTER_RULE_A_SPORT);
	mnl_attr_put_u16(nlh, SLOTFILTER_RANGE_A_MIN, 53);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_ACTION, SLOTFILTER_ACTION_ALLOW);
	mnl_attr_nest_end(nlh, rule);
}

/* A service: its name, and with a slot its options too. */
struct fs_service {
	const char *name;
	uint8_t slot;
};

static void fs_put_service(struct nlmsghdr *nlh, const void *arg)
{
	const struct fs_service *sv = arg;

	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, sv->name);
	if (!sv->slot)
		return;
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_SLOT, sv->slot);
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_FAILURE_POLICY,
			SLOTFILTER_FAIL_CLOSED);
	mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_TIMEOUT, 250);
	mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_QUEUE_MAX, 64);
	mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_COPY, 128);
}

/* The four rules of fs_put_ruleset() and two redirect rules for "sv". */
static void fs_put_redirects(struct nlmsghdr *nlh, const void *arg)
{
	struct nlattr *rule;
	int i;

	fs_put_ruleset(nlh, arg);
	for (i = 1; i <= 2; i++) {
		rule = mnl_attr_nest_start(nlh, SLOTFILTER_FW_A_REDIRECT);
		mnl_attr_put_strz(nlh, SLOTFILTER_RULE_A_SERVICE, "sv");
		mnl_attr_put_u32(nlh, SLOTFILTER_RULE_A_ID, i);
		fs_put_prefix(nlh, SLOTFILTER_RULE_A_SRC,
			      i == 1 ? "10.0.0.0/8" : "2001:db8::/32");
		mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_ACTION,
				i == 1 ? SLOTFILTER_ACTION_REDIRECT :
					 SLOTFILTER_ACTION_SKIP);
		mnl_attr_nest_end(nlh, rule);
	}
}

static void fs_put_rule_id(struct nlmsghdr *nlh, const void *arg)
{
	mnl_attr_put_u32(nlh, SLOTFILTER_FW_A_RULE_ID, *(const uint32_t *)arg);
}

/* ---- fault injection ----------------------------------------------------- */

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

/* One request as the tests send it. */
struct fs_req {
	uint8_t cmd;
	uint16_t flags;			/* NLM_F_ACK (doit) or NLM_F_DUMP */
	sf_build_t build;		/* its attributes, NULL: none */
	const void *arg;
};

/* A command under test. */
struct fs_op {
	const char *name;
	struct fs_req req;
	int want_err;			/* its answer when nothing fails */
	int reply;			/* compare its answer's messages */
	struct fs_req undo;		/* puts "before" back; cmd 0: a read */
};

/* One run of a command, armed with fail-nth = n. */
struct fs_run {
	unsigned int n;
	int send_err;			/* errno of sendmsg, 0 */
	int recv_err;			/* errno of a read, 0 */
	struct sf_ack ack;
	unsigned int left;		/* fail-nth afterwards; 0: spent */
};

/* How the runs of one command went. */
struct fs_tally {
	unsigned int sites;		/* fault sites on the command's way */
	unsigned int enomem, enobufs;	/* failed cleanly */
	unsigned int efault;		/* a copy from userspace failed */
	unsigned int lost;		/* took effect, answer lost */
	unsigned int absorbed;		/* fault spent, still succeeded */
	char msgs[512];			/* extack messages of the failures */
};

/*
 * Runs @req once on a fresh socket (a dump that failed to start stays
 * "running" on its socket) with this thread's @n-th fault injected.
 * Between arming and reading back, nothing allocates in userspace: the
 * answer goes to the static fs_reply, the buffers are static or on a stack
 * that the reference run has touched, and all memory is locked.
 */
static int fs_attempt(int nth, uint16_t family, const struct fs_req *req,
		      unsigned int n, struct fs_run *r)
{
	struct sf_sock s;
	int err;

	memset(r, 0, sizeof(*r));
	fs_blob_reset(&fs_reply);
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
	r->send_err = -sf_send(&s, s.family, req->cmd, req->flags, req->build,
			       req->arg);
	if (!r->send_err) {
		err = sf_recv(&s, fs_blob_msg, &fs_reply, &r->ack);
		if (err < 0)
			r->recv_err = -err;
	}
	err = fs_armed(nth, &r->left);
	fs_arm(nth, 0);
	sf_close(&s);
	return err ? -EIO : 0;
}

/* @req without a fault, on @s; its errno, or -1 if it got no answer. */
static int fs_plain(struct sf_sock *s, const struct fs_req *req)
{
	struct sf_ack ack;

	if (sf_talk(s, req->cmd, req->flags, req->build, req->arg, NULL, NULL,
		    &ack) < 0)
		return -1;
	return ack.err;
}

static int fs_refcnt(void)
{
	char buf[32];

	if (sf_read(FS_REFCNT, buf, sizeof(buf)))
		return -1;
	return atoi(buf);
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

static void fs_note_msg(struct fs_tally *t, const char *msg)
{
	size_t len = strlen(t->msgs);

	if (msg[0] && !strstr(t->msgs, msg) &&
	    len + strlen(msg) + 5 < sizeof(t->msgs))
		snprintf(t->msgs + len, sizeof(t->msgs) - len, "%s\"%s\"",
			 len ? ", " : "", msg);
}

/* ---- the fixture --------------------------------------------------------- */

FIXTURE(fs) {
	struct sf_sock sk;		/* never armed */
	int netns;
	int nth;			/* /proc/thread-self/fail-nth */
	int refcnt;			/* the module's, at the start */
	uint32_t keep[FS_NKEEP];	/* ports all along */
	uint32_t target;		/* a device the commands act on */
};

/*
 * The namespace the commands start from: eight ports (fk0 and fk1 tagged
 * "web", fk2 "db"), a dummy fs0 that is not a port, two sets (s1 with
 * prefixes of both families, s2 empty) and the default ruleset, committed.
 */
FIXTURE_SETUP(fs)
{
	static const struct fs_set s1 = {
		"s1", { "192.0.2.0/24", "198.51.100.7/32", "2001:db8::/48" },
	};
	static const struct fs_set s2 = { "s2", { NULL } };
	static const char * const tags[] = { "web", "web", "db" };
	char name[IFNAMSIZ];
	struct fs_tag tag;
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
	for (i = 0; i < (int)ARRAY_SIZE(tags); i++) {
		tag = (struct fs_tag){ self->keep[i], tags[i] };
		ASSERT_EQ(0, fs_plain(&self->sk, &(struct fs_req){
			SLOTFILTER_CMD_PORT_TAG, NLM_F_ACK, fs_put_tag, &tag }));
	}
	ASSERT_EQ(0, fs_plain(&self->sk, &(struct fs_req){
		SLOTFILTER_CMD_SET_ADD, NLM_F_ACK, fs_put_set, &s1 }));
	ASSERT_EQ(0, fs_plain(&self->sk, &(struct fs_req){
		SLOTFILTER_CMD_SET_ADD, NLM_F_ACK, fs_put_set, &s2 }));
	/* A namespace that never had a ruleset reports MEMORY 0; one that
	 * was given the default one, its size: start from the latter, which
	 * is what FW_REPLACE's undo gives back.
	 */
	ASSERT_EQ(0, fs_plain(&self->sk, &(struct fs_req){
		SLOTFILTER_CMD_FW_REPLACE, NLM_F_ACK, NULL, NULL }));
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

/* ---- the loop ------------------------------------------------------------ */

/* The state, and the ruleset generation it carries, into @blob. */
#define ASSERT_STATE(blob) \
	ASSERT_EQ(0, fs_state(&self->sk, (blob))) TH_LOG("cannot read the state")

/*
 * Puts "before" back after @op took effect, and checks it is back; the
 * state is in fs_got after.
 */
static void fs_undo(struct __test_metadata *_metadata, FIXTURE_DATA(fs) *self,
		    const struct fs_op *op, unsigned int n)
{
	const char *diff;

	if (fs_diff(&fs_after, &fs_before))
		ASSERT_EQ(0, fs_plain(&self->sk, &op->undo))
			TH_LOG("%s, fault %u: cannot undo it", op->name, n);
	ASSERT_STATE(&fs_got);
	diff = fs_diff(&fs_got, &fs_before);
	ASSERT_EQ(NULL, diff) TH_LOG("%s, fault %u: undone, %s", op->name, n,
				     diff);
}

/*
 * Runs @op for N = 0 (no fault: the reference), then 1, 2, ... until the
 * fault is no longer spent, checking every outcome.
 */
static void fs_loop(struct __test_metadata *_metadata, FIXTURE_DATA(fs) *self,
		    const struct fs_op *op)
{
	struct fs_tally t = { 0 };
	int64_t gen, want_gen;
	const char *diff;
	struct fs_run r;
	unsigned int n;
	int commits;			/* it makes a new ruleset generation */
	int effect;			/* the command took effect */

	/* The reference run: "before", "after" and the answer. */
	ASSERT_STATE(&fs_before);
	ASSERT_EQ(0, fs_attempt(self->nth, self->sk.family, &op->req, 0, &r))
		TH_LOG("%s: cannot run it", op->name);
	ASSERT_EQ(0, r.send_err) TH_LOG("%s: sendmsg: %s", op->name,
					strerror(r.send_err));
	ASSERT_EQ(0, r.recv_err) TH_LOG("%s: recvmsg: %s", op->name,
					strerror(r.recv_err));
	ASSERT_EQ(op->want_err, r.ack.err)
		TH_LOG("%s without a fault: %s \"%s\"", op->name,
		       strerror(r.ack.err), r.ack.msg);
	fs_ref_reply = fs_reply;
	ASSERT_STATE(&fs_after);
	commits = fs_after.generation != fs_before.generation;
	ASSERT_TRUE(op->undo.cmd || !fs_diff(&fs_after, &fs_before))
		TH_LOG("%s changes the state: it needs an undo", op->name);
	fs_undo(_metadata, self, op, 0);
	gen = fs_got.generation;

	for (n = 1; n <= FS_MAX_N; n++) {
		ASSERT_EQ(0, fs_attempt(self->nth, self->sk.family, &op->req, n,
					&r))
			TH_LOG("%s: cannot run with fail-nth %u", op->name, n);

		if (r.send_err) {
			/* The request never reached slotfilter. */
			ASSERT_TRUE(fs_clean_syscall_errno(r.send_err))
				TH_LOG("%s, fault %u: sendmsg failed with %s",
				       op->name, n, strerror(r.send_err));
			effect = 0;
			fs_count(&t, r.send_err);
		} else if (r.recv_err) {
			/* The answer was lost: the command itself ran. */
			ASSERT_TRUE(r.recv_err == ENOBUFS || r.recv_err == EFAULT)
				TH_LOG("%s, fault %u: recvmsg failed with %s",
				       op->name, n, strerror(r.recv_err));
			effect = 1;
			t.lost++;
		} else if (r.ack.err == op->want_err) {
			effect = 1;
			if (op->reply) {
				diff = fs_diff(&fs_reply, &fs_ref_reply);
				ASSERT_EQ(NULL, diff)
					TH_LOG("%s, fault %u: the answer: %s",
					       op->name, n, diff);
			}
			if (!r.left)
				t.absorbed++;
		} else {
			ASSERT_TRUE(fs_clean_errno(r.ack.err))
				TH_LOG("%s, fault %u: %s \"%s\"", op->name, n,
				       strerror(r.ack.err), r.ack.msg);
			effect = 0;
			fs_count(&t, r.ack.err);
			fs_note_msg(&t, r.ack.msg);
		}
		/* A fault not spent is a run like the reference. */
		ASSERT_TRUE(!r.left || (effect && !r.recv_err))
			TH_LOG("%s failed with fault %u not injected", op->name,
			       n);

		ASSERT_STATE(&fs_got);
		diff = fs_diff(&fs_got, effect ? &fs_after : &fs_before);
		ASSERT_EQ(NULL, diff)
			TH_LOG("%s, fault %u (%s): %s", op->name, n,
			       r.send_err ? "sendmsg failed" :
			       r.recv_err ? "answer lost" :
			       effect ? "succeeded" : "failed", diff);
		/* Only a commit that took effect makes a new generation. */
		want_gen = commits && effect ? gen + 1 : gen;
		ASSERT_EQ(want_gen, fs_got.generation)
			TH_LOG("%s, fault %u: generation %" PRId64 " after %" PRId64,
			       op->name, n, fs_got.generation, gen);
		if (effect)
			fs_undo(_metadata, self, op, n);
		gen = fs_got.generation;
		if (r.left) {
			t.sites = n - 1;
			break;
		}
	}
	ASSERT_GE(FS_MAX_N, n) TH_LOG("%s: still failing at fault %u",
				      op->name, n);
	ASSERT_LT(0U, t.sites)
		TH_LOG("%s: no fault was injected: is fail-nth counting?",
		       op->name);
	ASSERT_EQ(self->refcnt, fs_refcnt_settles(self->refcnt))
		TH_LOG("%s: the module's references did not come back",
		       op->name);
	ksft_print_msg("%s: %u faults in turn: failed %u ENOMEM, %u ENOBUFS, %u EFAULT; %u answers lost; %u absorbed%s%s\n",
		       op->name, t.sites, t.enomem, t.enobufs, t.efault, t.lost,
		       t.absorbed, t.msgs[0] ? "; messages: " : "", t.msgs);
}

/* Request shorthands. */
#define FS_DO(c, b, a)		{ SLOTFILTER_CMD_##c, NLM_F_ACK, (b), (a) }
#define FS_DUMP(c, b, a)	{ SLOTFILTER_CMD_##c, NLM_F_DUMP, (b), (a) }

/* ---- ports --------------------------------------------------------------- */

/*
 * After all its failures, the port attached without a fault still works:
 * its hooks count what its device sends.
 */
TEST_F_TIMEOUT(fs, port_add, 900)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(9),
	};
	const struct fs_op op = {
		.name = "PORT_ADD",
		.req = FS_DO(PORT_ADD, sf_put_ifindex, &self->target),
		.undo = FS_DO(PORT_DEL, sf_put_ifindex, &self->target),
	};
	struct sf_port_info p;
	struct sf_ack ack;
	int fd, i;

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

/* fk4: a port without a tag, which the undo brings back as it was. */
TEST_F_TIMEOUT(fs, port_del, 900)
{
	const struct fs_op op = {
		.name = "PORT_DEL",
		.req = FS_DO(PORT_DEL, sf_put_ifindex, &self->keep[4]),
		.undo = FS_DO(PORT_ADD, sf_put_ifindex, &self->keep[4]),
	};

	fs_loop(_metadata, self, &op);
}

TEST_F_TIMEOUT(fs, port_get, 900)
{
	const struct fs_op op = {
		.name = "PORT_GET",
		.req = FS_DO(PORT_GET, sf_put_ifindex, &self->keep[0]),
		.reply = 1,
	};

	fs_loop(_metadata, self, &op);
}

/* A dump of eight ports takes several reads: each one's faults in turn. */
TEST_F_TIMEOUT(fs, port_dump, 900)
{
	const struct fs_op op = {
		.name = "PORT_GET dump",
		.req = FS_DUMP(PORT_GET, NULL, NULL),
		.reply = 1,
	};

	fs_loop(_metadata, self, &op);
}

TEST_F_TIMEOUT(fs, port_dump_filtered, 900)
{
	const struct fs_op op = {
		.name = "PORT_GET dump of one port",
		.req = FS_DUMP(PORT_GET, sf_put_ifindex, &self->keep[2]),
		.reply = 1,
	};

	fs_loop(_metadata, self, &op);
}

/* The refusals too: a fault may turn them into ENOMEM, nothing else. */
TEST_F_TIMEOUT(fs, port_add_existing, 900)
{
	const struct fs_op op = {
		.name = "PORT_ADD of a port",
		.req = FS_DO(PORT_ADD, sf_put_ifindex, &self->keep[0]),
		.want_err = EEXIST,
	};

	fs_loop(_metadata, self, &op);
}

TEST_F_TIMEOUT(fs, port_del_not_a_port, 900)
{
	const struct fs_op op = {
		.name = "PORT_DEL of a device that is not a port",
		.req = FS_DO(PORT_DEL, sf_put_ifindex, &self->target),
		.want_err = ENOENT,
	};

	fs_loop(_metadata, self, &op);
}

/* ---- tags ---------------------------------------------------------------- */

TEST_F_TIMEOUT(fs, port_tag, 900)
{
	const struct fs_tag tag = { self->keep[3], "app" };
	const struct fs_op op = {
		.name = "PORT_TAG",
		.req = FS_DO(PORT_TAG, fs_put_tag, &tag),
		.undo = FS_DO(PORT_UNTAG, fs_put_tag, &tag),
	};

	fs_loop(_metadata, self, &op);
}

TEST_F_TIMEOUT(fs, port_untag, 900)
{
	const struct fs_tag tag = { self->keep[0], "web" };
	const struct fs_op op = {
		.name = "PORT_UNTAG",
		.req = FS_DO(PORT_UNTAG, fs_put_tag, &tag),
		.undo = FS_DO(PORT_TAG, fs_put_tag, &tag),
	};

	fs_loop(_metadata, self, &op);
}

/* ---- sets ---------------------------------------------------------------- */

TEST_F_TIMEOUT(fs, set_add, 900)
{
	static const struct fs_set set = {
		"s3", { "203.0.113.0/24", "10.1.0.0/16", "2001:db8:1::/64",
			"2001:db8:2::1/128" },
	};
	const struct fs_op op = {
		.name = "SET_ADD",
		.req = FS_DO(SET_ADD, fs_put_set, &set),
		.undo = FS_DO(SET_DEL, fs_put_set, &(struct fs_set){ .name = "s3" }),
	};

	fs_loop(_metadata, self, &op);
}

TEST_F_TIMEOUT(fs, set_del, 900)
{
	static const struct fs_set set = { "s2", { NULL } };
	const struct fs_op op = {
		.name = "SET_DEL",
		.req = FS_DO(SET_DEL, fs_put_set, &set),
		.undo = FS_DO(SET_ADD, fs_put_set, &set),
	};

	fs_loop(_metadata, self, &op);
}

TEST_F_TIMEOUT(fs, set_elem_add, 900)
{
	static const struct fs_set elems = {
		"s1", { "192.0.2.128/25", "203.0.113.9/32", "2001:db8:ffff::/48" },
	};
	const struct fs_op op = {
		.name = "SET_ELEM_ADD",
		.req = FS_DO(SET_ELEM_ADD, fs_put_set, &elems),
		.undo = FS_DO(SET_ELEM_DEL, fs_put_set, &elems),
	};

	fs_loop(_metadata, self, &op);
}

TEST_F_TIMEOUT(fs, set_elem_del, 900)
{
	static const struct fs_set elems = {
		"s1", { "198.51.100.7/32", "2001:db8::/48" },
	};
	const struct fs_op op = {
		.name = "SET_ELEM_DEL",
		.req = FS_DO(SET_ELEM_DEL, fs_put_set, &elems),
		.undo = FS_DO(SET_ELEM_ADD, fs_put_set, &elems),
	};

	fs_loop(_metadata, self, &op);
}

TEST_F_TIMEOUT(fs, set_dump, 900)
{
	const struct fs_op op = {
		.name = "SET_GET dump",
		.req = FS_DUMP(SET_GET, NULL, NULL),
		.reply = 1,
	};

	fs_loop(_metadata, self, &op);
}

/* ---- services ------------------------------------------------------------ */

static const struct fs_service fs_sv = { "sv", 5 };

TEST_F_TIMEOUT(fs, service_add, 900)
{
	const struct fs_op op = {
		.name = "SERVICE_ADD",
		.req = FS_DO(SERVICE_ADD, fs_put_service, &fs_sv),
		.undo = FS_DO(SERVICE_DEL, fs_put_service, &fs_sv),
	};

	fs_loop(_metadata, self, &op);
}

TEST_F_TIMEOUT(fs, service_move, 900)
{
	static const struct fs_service to = { "sv", 9 };
	const struct fs_op op = {
		.name = "SERVICE_SET slot",
		.req = FS_DO(SERVICE_SET, fs_put_service, &to),
		.undo = FS_DO(SERVICE_SET, fs_put_service, &fs_sv),
	};

	ASSERT_EQ(0, fs_plain(&self->sk, &(struct fs_req)
			      FS_DO(SERVICE_ADD, fs_put_service, &fs_sv)));
	fs_loop(_metadata, self, &op);
}

TEST_F_TIMEOUT(fs, service_del, 900)
{
	const struct fs_op op = {
		.name = "SERVICE_DEL",
		.req = FS_DO(SERVICE_DEL, fs_put_service, &fs_sv),
		.undo = FS_DO(SERVICE_ADD, fs_put_service, &fs_sv),
	};

	ASSERT_EQ(0, fs_plain(&self->sk, &op.undo));
	fs_loop(_metadata, self, &op);
}

TEST_F_TIMEOUT(fs, service_dump, 900)
{
	const struct fs_op op = {
		.name = "SERVICE_GET dump",
		.req = FS_DUMP(SERVICE_GET, NULL, NULL),
		.reply = 1,
	};

	ASSERT_EQ(0, fs_plain(&self->sk, &(struct fs_req)
			      FS_DO(SERVICE_ADD, fs_put_service, &fs_sv)));
	fs_loop(_metadata, self, &op);
}

/* Firewall rules and redirect rules in one commit, and back. */
TEST_F_TIMEOUT(fs, fw_replace_redirects, 900)
{
	const struct fs_op op = {
		.name = "FW_REPLACE with redirect rules",
		.req = FS_DO(FW_REPLACE, fs_put_redirects, &self->keep[2]),
		.reply = 1,
		.undo = FS_DO(FW_REPLACE, NULL, NULL),
	};

	ASSERT_EQ(0, fs_plain(&self->sk, &(struct fs_req)
			      FS_DO(SERVICE_ADD, fs_put_service, &fs_sv)));
	fs_loop(_metadata, self, &op);
}

/* ---- the firewall -------------------------------------------------------- */

/* From the default ruleset to four rules, and back. */
TEST_F_TIMEOUT(fs, fw_replace, 900)
{
	const struct fs_op op = {
		.name = "FW_REPLACE",
		.req = FS_DO(FW_REPLACE, fs_put_ruleset, &self->keep[2]),
		.reply = 1,
		.undo = FS_DO(FW_REPLACE, NULL, NULL),
	};

	fs_loop(_metadata, self, &op);
}

/* From four rules to the default ruleset: the old one is freed. */
TEST_F_TIMEOUT(fs, fw_replace_empty, 900)
{
	const struct fs_op op = {
		.name = "FW_REPLACE to the default",
		.req = FS_DO(FW_REPLACE, NULL, NULL),
		.reply = 1,
		.undo = FS_DO(FW_REPLACE, fs_put_ruleset, &self->keep[2]),
	};

	ASSERT_EQ(0, fs_plain(&self->sk, &op.undo));
	fs_loop(_metadata, self, &op);
}

/* The reads of a ruleset, and its counters reset (all, or one rule). */
TEST_F_TIMEOUT(fs, fw_reads, 900)
{
	static const uint32_t rule = 2;
	const struct fs_op ops[] = {
		{
			.name = "FW_GET",
			.req = FS_DO(FW_GET, NULL, NULL),
			.reply = 1,
		}, {
			.name = "FW_GET dump",
			.req = FS_DUMP(FW_GET, NULL, NULL),
			.reply = 1,
		}, {
			.name = "FLOW_GET dump",
			.req = FS_DUMP(FLOW_GET, NULL, NULL),
			.reply = 1,
		}, {
			.name = "FW_RESET",
			.req = FS_DO(FW_RESET, NULL, NULL),
		}, {
			.name = "FW_RESET of a rule",
			.req = FS_DO(FW_RESET, fs_put_rule_id, &rule),
		},
	};
	unsigned int i;

	ASSERT_EQ(0, fs_plain(&self->sk, &(struct fs_req)
			      FS_DO(FW_REPLACE, fs_put_ruleset, &self->keep[2])));
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		fs_loop(_metadata, self, &ops[i]);
}

/* ---- a port's device deleted under faults -------------------------------- */

/* An rtnetlink request on a fresh socket, with fail-nth @n if @nth >= 0. */
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
 * RTM_DELLINK of an attached, tagged device, with fail-nth: either the
 * device and its port are gone (the notifier detached it), or both are
 * still there.
 */
TEST_F_TIMEOUT(fs, device_deleted, 900)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int n, sites = 0, failed = 0, lost = 0;
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;
	struct fs_tag tag;
	struct sf_ack ack;
	const char *diff;
	uint32_t ifindex;
	struct fs_run r;
	int gone;

	ASSERT_STATE(&fs_before);
	for (n = 0; n <= FS_MAX_N; n++) {
		ifindex = if_nametoindex("fd0");
		if (!ifindex)
			ifindex = fs_rtnl_dummy("fd0");
		ASSERT_NE(0U, ifindex);
		sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, ifindex, &ack,
			    NULL);
		ASSERT_ACK(ack, 0, "");
		tag = (struct fs_tag){ ifindex, "web" };
		ASSERT_EQ(0, fs_plain(&self->sk, &(struct fs_req)
				      FS_DO(PORT_TAG, fs_put_tag, &tag)));
		ASSERT_STATE(&fs_after);

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
		ASSERT_STATE(&fs_got);
		diff = fs_diff(&fs_got, gone ? &fs_before : &fs_after);
		ASSERT_EQ(NULL, diff)
			TH_LOG("fault %u, device %s: %s", n,
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
