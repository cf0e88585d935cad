/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz.h - what the parts of nlfuzz share
 *
 * nlfuzz learns a generic netlink family from the kernel (family.c), builds
 * requests from what it learnt (gen.c), predicts what the kernel must answer
 * to each one with a model of its attribute validation (model.c), sends
 * them and checks every answer (exchange.c). Workers (worker.c) do that in
 * a loop, each on its own socket, while the churn thread (churn.c) adds and
 * removes devices and ports. Nothing here knows slotfilter's attributes:
 * only the checks of PORT_GET replies (exchange.c) and the ports the churn
 * thread attaches use the uapi header.
 */
#ifndef SF_FUZZ_H
#define SF_FUZZ_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "rand.h"

/* Newer kernels' attribute types (6.6+), unknown to 6.1's headers. */
#define FZ_NL_ATTR_TYPE_SINT	16
#define FZ_NL_ATTR_TYPE_UINT	17

#define FZ_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The attribute type without NLA_F_NESTED and NLA_F_NET_BYTEORDER. */
#define FZ_TYPE_MASK		((uint16_t)NLA_TYPE_MASK)

#define FZ_MAX_OPS		64
#define FZ_MAX_POLICIES		32
#define FZ_MAX_ATTRS		64	/* listed attributes per policy */
#define FZ_MAX_POOL		256	/* ifindexes known in the netns */
#define FZ_BATCH_MAX		8	/* requests in one send */
#define FZ_SEND_SIZE		(128 * 1024)
#define FZ_RECV_SIZE		(256 * 1024)
/* The kernel's MAX_POLICY_RECURSION_DEPTH (lib/nlattr.c). */
#define FZ_POLICY_DEPTH		10

/* One attribute of a policy, as CTRL_CMD_GETPOLICY describes it. */
struct fz_attr {
	uint16_t type;
	uint32_t nl_type;		/* enum netlink_attribute_type */
	bool has_range_u, has_range_s, has_mask, has_min_len, has_max_len;
	uint64_t min_u, max_u, mask;
	int64_t min_s, max_s;
	uint32_t min_len, max_len;
	uint32_t bitfield_mask;
	int policy;			/* nested: index of its policy, or -1 */
	uint32_t policy_maxtype;
};

struct fz_policy {
	bool present;
	unsigned int n_attrs;
	struct fz_attr attrs[FZ_MAX_ATTRS];
};

struct fz_op {
	uint8_t cmd;
	uint32_t flags;			/* GENL_ADMIN_PERM, GENL_CMD_CAP_* */
	int do_policy;			/* policy index, or -1 */
	int dump_policy;
};

struct fz_family {
	char name[GENL_NAMSIZ];
	uint16_t id;
	uint32_t version;
	uint32_t hdrsize;
	unsigned int n_ops;
	struct fz_op ops[FZ_MAX_OPS];
	unsigned int n_policies;	/* highest index + 1 */
	struct fz_policy policies[FZ_MAX_POLICIES];
	unsigned int resv_start_op;	/* genl_header_check() from this cmd */
};

int fz_family_learn(struct fz_family *fam, const char *name);
const struct fz_op *fz_family_op(const struct fz_family *fam, unsigned int cmd);
const struct fz_attr *fz_policy_attr(const struct fz_policy *pol,
				     unsigned int type);
void fz_family_print(const struct fz_family *fam);

/* What requests are made of; every one is counted under one. */
enum fz_cat {
	FZ_CAT_VALID,		/* well-formed, values in range */
	FZ_CAT_BOUNDARY,	/* min, max, min-1, max+1, 0, UINT_MAX... */
	FZ_CAT_BADLEN,		/* wrong type or length of a payload */
	FZ_CAT_TRUNC,		/* truncated, overflowing nla_len, leftovers */
	FZ_CAT_NEST,		/* nested for flat and back, deep nesting */
	FZ_CAT_MISSING,		/* listed attributes left out */
	FZ_CAT_REPEAT,		/* an attribute more than once */
	FZ_CAT_UNKNOWN_ATTR,	/* types the policy does not list */
	FZ_CAT_UNKNOWN_CMD,	/* commands the family does not have */
	FZ_CAT_HEADER,		/* genl version/reserved, lying nlmsg_len */
	FZ_CAT_FLAGS,		/* random nlmsg_flags: dump on doit... */
	FZ_CAT_HUGE,		/* thousands of attributes, 64 KiB ones */
	FZ_CAT_RANDOM,		/* random bytes after the genl header */
	FZ_CAT_DUMP,		/* a dump read to its end */
	FZ_CAT_DUMP_INTR,	/* a dump with configuration changes inside */
	FZ_CAT_DUMP_CLOSE,	/* socket closed in the middle of a dump */
	FZ_CAT_UNPRIV,		/* from a thread without CAP_NET_ADMIN */
	FZ_CAT_MAX
};

extern const char *const fz_cat_names[FZ_CAT_MAX];

/* What the kernel must answer to one request (model.c). */
enum fz_answer {
	FZ_ANS_ERROR,		/* an NLMSG_ERROR, or a dump's NLMSG_DONE */
	FZ_ANS_MAYBE,		/* doit without NLM_F_ACK: nothing if it worked */
	FZ_ANS_ACK0,		/* not a request, NLM_F_ACK: an ack of 0 */
	FZ_ANS_NONE,		/* dropped unseen: nothing at all */
};

struct fz_expect {
	enum fz_answer answer;
	bool dump;		/* handled as a dump */
	int want;		/* errno it must fail with, 0: not predicted */
	int want_alt;		/* another acceptable one, 0: none */
	int offs;		/* NLMSGERR_ATTR_OFFS it must name, -1: any */
	bool no_msg;		/* may come without an extack message */
	bool stops;		/* the kernel reads no further message */
	const char *why;	/* the rule that predicted @want */
};

struct fz_model_opts {
	bool unpriv;		/* the sender lacks CAP_NET_ADMIN */
};

void fz_model_expect(const struct fz_family *fam, const void *msg,
		     size_t sent, const struct fz_model_opts *o,
		     struct fz_expect *e);

/* The ifindexes of the devices in the fuzzer's netns (churn.c fills it). */
struct fz_pool {
	pthread_mutex_t lock;
	unsigned int n;
	uint32_t ifindex[FZ_MAX_POOL];
};

uint32_t fz_pool_pick(struct fz_pool *pool, struct fz_rand *r);
void fz_pool_set(struct fz_pool *pool, const uint32_t *ifindex,
		 unsigned int n);

/* Configuration changes, counted in fz_stats.config[] (churn.c). */
enum fz_cfg {
	FZ_CFG_ADD_DEV,
	FZ_CFG_DEL_DEV,
	FZ_CFG_ATTACH,
	FZ_CFG_DETACH,
	FZ_CFG_UPDOWN,
	FZ_CFG_RENAME,
	FZ_CFG_MOVE,
	FZ_CFG_MAX
};

extern const char *const fz_cfg_names[FZ_CFG_MAX];

/* Strings of accepted requests, offered to the generators (dict.c). */
#define FZ_DICT_SIZE	64
#define FZ_DICT_LEN	64

struct fz_dict {
	pthread_mutex_t lock;
	unsigned int n, next;
	char str[FZ_DICT_SIZE][FZ_DICT_LEN];
};

int fz_dict_pick(struct fz_dict *d, struct fz_rand *r, char *buf);
void fz_dict_learn(struct fz_dict *d, const struct fz_family *fam,
		   const struct nlmsghdr *nlh);

/* Per-thread counters, summed at the end (stats.c). */
struct fz_stats {
	uint64_t sent[FZ_CAT_MAX];
	uint64_t accepted[FZ_CAT_MAX];	/* answered 0 (or nothing, no ack) */
	uint64_t rejected[FZ_CAT_MAX];	/* answered an error */
	uint64_t silent[FZ_CAT_MAX];	/* dropped unseen, as predicted */
	uint64_t errnos[256];		/* answers by errno, [0] = success */
	uint64_t cmd_sent[256], cmd_accepted[256];	/* by genl command */
	uint64_t replies;		/* data messages */
	uint64_t acks, dones;		/* NLMSG_ERROR, NLMSG_DONE */
	uint64_t receives;		/* buffers read */
	uint64_t sends, bytes;
	uint64_t send_errors[256];	/* by errno */
	uint64_t early;			/* refused before the model's offset */
	uint64_t timeouts, overruns, reopens;
	uint64_t config[FZ_CFG_MAX];
	uint64_t config_failed;
	uint64_t failures;
};

void fz_stats_add(struct fz_stats *sum, const struct fz_stats *s);
void fz_stats_print(const struct fz_stats *s, const struct fz_family *fam,
		    double seconds);

/* Options and state shared by all threads. */
struct fz_ctx {
	struct fz_family fam;
	struct fz_pool pool;
	struct fz_dict dict;
	uint64_t seed;
	double duration;
	unsigned int threads;
	bool unpriv;
	bool churn;
	unsigned int devices;		/* dummy devices the churn thread keeps */
	unsigned int churn_delay_us;
	int timeout_ms;			/* per receive */
	const char *netns;		/* a second netns for the churn thread */
	bool errnos[256];		/* expected when not predicted */
	const char *const *devs;	/* --dev: attached and detached by churn */
	unsigned int n_devs;
	int verbose;
	unsigned int max_reports;
	atomic_bool stop;
	atomic_uint reports;
	atomic_ullong failures;
	pthread_mutex_t print_lock;
};

/* One thread's sockets and counters. */
struct fz_worker {
	struct fz_ctx *ctx;
	unsigned int id;
	char name[16];			/* "w0", "unpriv", "churn" */
	struct fz_rand rand;
	struct sfnl *nl;		/* the socket it fuzzes with */
	struct sfnl *cfg;		/* a second one for its own changes */
	uint32_t portid;
	uint32_t seq;
	bool unpriv;
	bool cap_ack, ext_ack;		/* NETLINK_CAP_ACK, NETLINK_EXT_ACK */
	uint64_t nmsg;			/* requests built so far */
	struct fz_stats stats;
	uint8_t *sbuf;			/* FZ_SEND_SIZE */
	uint8_t *rbuf;			/* FZ_RECV_SIZE */
	const void *answer;		/* being checked: fz_fail() prints it */
	size_t answer_len;
};

/* One request of a batch: where it is, what it must get, what it got. */
struct fz_req {
	enum fz_cat cat;
	size_t off, len;		/* in the send buffer: bytes sent */
	uint32_t seq;
	uint16_t flags;
	uint8_t cmd;
	struct fz_expect exp;
	/* answer */
	bool done;			/* its NLMSG_ERROR or NLMSG_DONE came */
	int err;			/* positive errno, 0 */
	unsigned int replies;
	uint32_t last_ifindex;		/* dumps: ascending order */
	int ack_offs;			/* NLMSGERR_ATTR_OFFS, -1 */
	char ack_msg[96];		/* NLMSGERR_ATTR_MSG, "" */
	bool after_dump;		/* a dump precedes it in its batch */
};

struct fz_batch {
	unsigned int n;
	struct fz_req req[FZ_BATCH_MAX + 1];	/* + the sentinel */
	size_t len;			/* bytes in the send buffer */
	bool dump_interrupt;		/* reconfigure after the first part */
	bool close_early;		/* give up after @keep_parts receives */
	unsigned int keep_parts;
};

int fz_worker_open(struct fz_worker *w, bool resolve);
void fz_worker_close(struct fz_worker *w);
int fz_exchange(struct fz_worker *w, struct fz_batch *b);
void fz_check_reply(struct fz_worker *w, struct fz_req *req,
		    const struct nlmsghdr *nlh);
void fz_worker_reconfigure(struct fz_worker *w);
void fz_fail(struct fz_worker *w, const struct fz_req *req,
	     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void fz_fail_summary(void);
void fz_note(struct fz_worker *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* gen.c: append one request of @cat to @b in @w's send buffer. */
void fz_gen(struct fz_worker *w, struct fz_batch *b, enum fz_cat cat,
	    bool last);
enum fz_cat fz_gen_pick(struct fz_worker *w);

void *fz_worker_main(void *arg);
void *fz_churn_main(void *arg);

#endif /* SF_FUZZ_H */
