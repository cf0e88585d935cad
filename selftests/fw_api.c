// SPDX-License-Identifier: GPL-2.0
/*
 * The firewall's generic netlink API (uapi/linux/slotfilter.h: PORT_TAG and
 * PORT_UNTAG, the SET_* commands, FW_REPLACE, FW_GET, FW_RESET, FLOW_GET and
 * the FW_LOG event), spoken raw and checked exactly: the errno, the extack
 * message, and where the kernel sets it, the NLMSGERR_ATTR_OFFS of the
 * attribute it blames; then that a refused request changed nothing.
 *
 * Each test runs in a network namespace of its own (see sfnl_test.h). The
 * traffic tests use a veth pair, once over IPv4 and once over IPv6:
 *
 *     test netns                          netns peer
 *     p0 HERE (port) <------ veth ------> w0 THERE
 *
 * HERE/THERE are 10.9.0.1/10.9.0.2 or fd00:9::1/fd00:9::2; neighbours are
 * static and IPv6 is off in the IPv4 variant, so the test's own packets
 * are all there is on the wire, apart from IPv6 router solicitations and
 * MLD reports (neighbour discovery passes the firewall; MLD is judged).
 *
 * Requests are written as text (see "requests from text" below), which
 * keeps each case on one line; building a text again gives the same
 * attributes, so the rules a dump returns are compared, attribute by
 * attribute and byte for byte, with the rules that were sent.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/errqueue.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/slotfilter.h>

/* The 6.1 harness has a signal handler with an unused parameter. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop

#include "sfnl_test.h"

/* The defaults the uapi documents, which FW_GET shows in a fresh netns. */
static const int64_t sf_timeout_default[SLOTFILTER_TIMEOUT_MAX + 1] = {
	[SLOTFILTER_TIMEOUT_TCP_SYN]		= 120,
	[SLOTFILTER_TIMEOUT_TCP_ESTABLISHED]	= 5 * 24 * 3600,
	[SLOTFILTER_TIMEOUT_TCP_FIN]		= 120,
	[SLOTFILTER_TIMEOUT_TCP_CLOSE]		= 10,
	[SLOTFILTER_TIMEOUT_UDP]		= 60,
	[SLOTFILTER_TIMEOUT_ICMP]		= 30,
	[SLOTFILTER_TIMEOUT_OTHER]		= 600,
};

#define SF_FLOW_MAX_DEFAULT	65536
#define SF_FLOW_SIZE_GOAL	192
#define SF_REPLY_ONLY		"reply attribute: not accepted in requests"
#define SF_STALE		"stale generation: the ruleset changed since it was read"
#define SF_BAD_SET_NAME \
	"invalid set name: 1 to 31 characters of A-Z a-z 0-9 _ . -"
#define SF_BAD_TAG_NAME \
	"slotfilter: invalid tag name: 1 to 31 characters of A-Z a-z 0-9 _ . -"
#define SF_NAME_32	"abcdefghijklmnopqrstuvwxyz012345"

/* ---- requests from text ------------------------------------------------- */

/*
 * A request is a line of space-separated key=value tokens, each one
 * attribute, put in the order written. In FW requests, '|' starts a
 * SLOTFILTER_FW_A_RULE nest whose tokens are rule attributes:
 *
 *     default=drop flags=1 | id=1 action=allow proto=tcp dport=22 | ...
 *
 * Values: numbers, $N (the ifindex sf_ifx[N]), names for actions (allow,
 * drop, reject), rule directions (any, in, out) and protocols (tcp, udp,
 * icmp, icmpv6). Addresses (src, dst, elem) are [ADDR][/PLEN][@SET], each
 * part an attribute of the nest, ADDR a v4/v6 address or 0xHEX bytes;
 * ranges (sport, dport) are [MIN][-MAX]; timeouts=syn:30,udp:10 (or tN:V
 * for type N); to=$0,web,7 lists ifindexes and tags ("to=" is empty).
 * A flag (log) has no value; aN=V is a u32 of type N.
 *
 * A '^' before a token, or before a part of a value, notes the offset the
 * attribute it starts will have (sf_marks[], in order); a '^' token at the
 * start of a rule notes the rule's nest. That is what NLMSGERR_ATTR_OFFS
 * must be when the kernel blames that attribute.
 */

enum sf_kind {
	SF_K_U8, SF_K_U16, SF_K_U32, SF_K_U64, SF_K_STR, SF_K_FLAG,
	SF_K_ACTION, SF_K_DIR, SF_K_PROTO, SF_K_ADDR, SF_K_RANGE,
	SF_K_TIMEOUTS, SF_K_APPLIED,
};

struct sf_key {
	const char *name;
	uint16_t type;
	enum sf_kind kind;
};

static const struct sf_key sf_fw_keys[] = {
	{ "gen", SLOTFILTER_FW_A_GENERATION, SF_K_U32 },
	{ "default", SLOTFILTER_FW_A_DEFAULT, SF_K_ACTION },
	{ "flags", SLOTFILTER_FW_A_FLAGS, SF_K_U32 },
	{ "timeouts", SLOTFILTER_FW_A_TIMEOUTS, SF_K_TIMEOUTS },
	{ "flow_max", SLOTFILTER_FW_A_FLOW_MAX, SF_K_U32 },
	{ "nrules", SLOTFILTER_FW_A_NRULES, SF_K_U32 },
	{ "memory", SLOTFILTER_FW_A_MEMORY, SF_K_U64 },
	{ "flows", SLOTFILTER_FW_A_FLOWS, SF_K_U32 },
	{ "refused", SLOTFILTER_FW_A_FLOWS_REFUSED, SF_K_U64 },
	{ "flow_size", SLOTFILTER_FW_A_FLOW_SIZE, SF_K_U32 },
	{ "rule_id", SLOTFILTER_FW_A_RULE_ID, SF_K_U32 },
	{ NULL }
};

static const struct sf_key sf_rule_keys[] = {
	{ "id", SLOTFILTER_RULE_A_ID, SF_K_U32 },
	{ "dir", SLOTFILTER_RULE_A_DIRECTION, SF_K_DIR },
	{ "to", SLOTFILTER_RULE_A_APPLIED_TO, SF_K_APPLIED },
	{ "src", SLOTFILTER_RULE_A_SRC, SF_K_ADDR },
	{ "dst", SLOTFILTER_RULE_A_DST, SF_K_ADDR },
	{ "proto", SLOTFILTER_RULE_A_PROTO, SF_K_PROTO },
	{ "sport", SLOTFILTER_RULE_A_SPORT, SF_K_RANGE },
	{ "dport", SLOTFILTER_RULE_A_DPORT, SF_K_RANGE },
	{ "type", SLOTFILTER_RULE_A_ICMP_TYPE, SF_K_U8 },
	{ "code", SLOTFILTER_RULE_A_ICMP_CODE, SF_K_U8 },
	{ "action", SLOTFILTER_RULE_A_ACTION, SF_K_ACTION },
	{ "log", SLOTFILTER_RULE_A_LOG, SF_K_FLAG },
	{ "packets", SLOTFILTER_RULE_A_PACKETS, SF_K_U64 },
	{ "bytes", SLOTFILTER_RULE_A_BYTES, SF_K_U64 },
	{ "flows", SLOTFILTER_RULE_A_FLOWS, SF_K_U64 },
	{ "last_hit", SLOTFILTER_RULE_A_LAST_HIT, SF_K_U64 },
	{ NULL }
};

static const struct sf_key sf_set_keys[] = {
	{ "name", SLOTFILTER_SET_A_NAME, SF_K_STR },
	{ "elem", SLOTFILTER_SET_A_ELEM, SF_K_ADDR },
	{ "nelems", SLOTFILTER_SET_A_NELEMS, SF_K_U32 },
	{ "users", SLOTFILTER_SET_A_USERS, SF_K_U32 },
	{ NULL }
};

static const struct sf_key sf_port_keys[] = {
	{ "ifindex", SLOTFILTER_PORT_A_IFINDEX, SF_K_U32 },
	{ "tag", SLOTFILTER_PORT_A_TAG, SF_K_STR },
	{ "tags", SLOTFILTER_PORT_A_TAGS, SF_K_U32 },
	{ NULL }
};

static const struct sf_key sf_flow_keys[] = {
	{ "ifindex", SLOTFILTER_FLOW_A_IFINDEX, SF_K_U32 },
	{ NULL }
};

/* What a request text is read with. */
struct sf_req {
	const struct sf_key *keys;	/* of the top level */
	const char *text;
};

static int sf_marks[8];
static int sf_nmarks;
static uint32_t sf_ifx[8];		/* $0 .. $7 */

static __attribute__((noreturn))
void sf_bad_text(const char *why, const char *where)
{
	fprintf(stderr, "fw_api: bad request text: %s: \"%s\"\n", why, where);
	abort();
}

static void sf_mark(const struct nlmsghdr *nlh)
{
	if (sf_nmarks == (int)ARRAY_SIZE(sf_marks))
		sf_bad_text("too many marks", "^");
	sf_marks[sf_nmarks++] = nlh->nlmsg_len;
}

/* Eats a '^' at *@p: the next attribute put is marked. */
static void sf_caret(const struct nlmsghdr *nlh, const char **p)
{
	if (**p == '^') {
		sf_mark(nlh);
		(*p)++;
	}
}

static uint64_t sf_num(const char *v, const char **end)
{
	char *e;
	uint64_t n;

	if (v[0] == '$' && v[1] >= '0' && v[1] <= '7') {
		*end = v + 2;
		return sf_ifx[v[1] - '0'];
	}
	errno = 0;
	n = strtoull(v, &e, 0);
	if (e == v || errno)
		sf_bad_text("not a number", v);
	*end = e;
	return n;
}

/* A whole value that is a number. */
static uint64_t sf_val(const char *v)
{
	const char *end;
	uint64_t n = sf_num(v, &end);

	if (*end)
		sf_bad_text("junk after a number", v);
	return n;
}

static uint64_t sf_named(const char *v, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(v, names[i]))
			return i;
	return sf_val(v);
}

static uint8_t sf_proto(const char *v)
{
	if (!strcmp(v, "tcp"))
		return IPPROTO_TCP;
	if (!strcmp(v, "udp"))
		return IPPROTO_UDP;
	if (!strcmp(v, "icmp"))
		return IPPROTO_ICMP;
	if (!strcmp(v, "icmpv6"))
		return IPPROTO_ICMPV6;
	return sf_val(v);
}

/* An address in text: v4, v6, or 0xHEX for raw bytes. Its length. */
static int sf_addr_bytes(const char *text, uint8_t *a, int max)
{
	int n = 0;

	if (!strncmp(text, "0x", 2)) {
		for (text += 2; text[0] && text[1] && n < max; text += 2)
			if (sscanf(text, "%2hhx", &a[n++]) != 1)
				sf_bad_text("bad hex address", text);
		return n;
	}
	if (inet_pton(AF_INET, text, a) == 1)
		return 4;
	if (inet_pton(AF_INET6, text, a) == 1)
		return 16;
	sf_bad_text("bad address", text);
}

/* [ADDR][/PLEN][@SET] as a nest of enum slotfilter_addr_attr. */
static void sf_put_addr(struct nlmsghdr *nlh, uint16_t type, const char *v)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	const char *p = v, *end;
	uint8_t a[32];
	char text[64];
	size_t n;

	if (*p && *p != '/' && *p != '@') {
		sf_caret(nlh, &p);
		n = strcspn(p, "/@");
		if (n >= sizeof(text))
			sf_bad_text("address too long", v);
		memcpy(text, p, n);
		text[n] = '\0';
		mnl_attr_put(nlh, SLOTFILTER_ADDR_A_ADDR,
			     sf_addr_bytes(text, a, sizeof(a)), a);
		p += n;
	}
	if (*p == '/') {
		p++;
		sf_caret(nlh, &p);
		mnl_attr_put_u8(nlh, SLOTFILTER_ADDR_A_PLEN, sf_num(p, &end));
		p = end;
	}
	if (*p == '@') {
		p++;
		sf_caret(nlh, &p);
		mnl_attr_put_strz(nlh, SLOTFILTER_ADDR_A_SET, p);
		p += strlen(p);
	}
	if (*p)
		sf_bad_text("junk in an address", v);
	mnl_attr_nest_end(nlh, nest);
}

/* [MIN][-MAX] as a nest of enum slotfilter_range_attr. */
static void sf_put_range(struct nlmsghdr *nlh, uint16_t type, const char *v)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	const char *p = v;

	if (*p != '-') {
		sf_caret(nlh, &p);
		mnl_attr_put_u16(nlh, SLOTFILTER_RANGE_A_MIN, sf_num(p, &p));
	}
	if (*p == '-') {
		p++;
		sf_caret(nlh, &p);
		mnl_attr_put_u16(nlh, SLOTFILTER_RANGE_A_MAX, sf_num(p, &p));
	}
	if (*p)
		sf_bad_text("junk in a range", v);
	mnl_attr_nest_end(nlh, nest);
}

static void sf_put_timeouts(struct nlmsghdr *nlh, uint16_t type, char *v)
{
	static const char *const names[] = {
		NULL, "syn", "est", "fin", "close", "udp", "icmp", "other",
	};
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	char *item, *save, *colon;
	const char *p;
	unsigned long t;

	for (item = strtok_r(v, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		p = item;
		sf_caret(nlh, &p);
		colon = strchr(p, ':');
		if (!colon)
			sf_bad_text("timeout without a value", item);
		*colon = '\0';
		t = p[0] == 't' ? sf_val(p + 1) :
		    sf_named(p, names, ARRAY_SIZE(names));
		mnl_attr_put_u32(nlh, t, sf_val(colon + 1));
	}
	mnl_attr_nest_end(nlh, nest);
}

static void sf_put_applied(struct nlmsghdr *nlh, uint16_t type, char *v)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	char *item, *save;
	const char *p;

	for (item = strtok_r(v, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		p = item;
		sf_caret(nlh, &p);
		if (*p == '$' || isdigit((unsigned char)*p))
			mnl_attr_put_u32(nlh, SLOTFILTER_APPLIED_A_IFINDEX,
					 sf_val(p));
		else
			mnl_attr_put_strz(nlh, SLOTFILTER_APPLIED_A_TAG, p);
	}
	mnl_attr_nest_end(nlh, nest);
}

static void sf_put_token(struct nlmsghdr *nlh, const struct sf_key *keys,
			 char *tok)
{
	static const char *const actions[] = { "allow", "drop", "reject" };
	static const char *const dirs[] = { "any", "in", "out" };
	const struct sf_key *k;
	char *v = (char *)"";
	char *eq;

	if (*tok == '^') {
		sf_mark(nlh);
		tok++;
	}
	eq = strchr(tok, '=');
	if (eq) {
		*eq = '\0';
		v = eq + 1;
	}
	if (tok[0] == 'a' && isdigit((unsigned char)tok[1])) {
		mnl_attr_put_u32(nlh, sf_val(tok + 1), sf_val(v));
		return;
	}
	for (k = keys; k->name; k++)
		if (!strcmp(k->name, tok))
			break;
	if (!k->name)
		sf_bad_text("unknown key", tok);
	switch (k->kind) {
	case SF_K_U8:
		mnl_attr_put_u8(nlh, k->type, sf_val(v));
		break;
	case SF_K_U16:
		mnl_attr_put_u16(nlh, k->type, sf_val(v));
		break;
	case SF_K_U32:
		mnl_attr_put_u32(nlh, k->type, sf_val(v));
		break;
	case SF_K_U64:
		mnl_attr_put_u64(nlh, k->type, sf_val(v));
		break;
	case SF_K_STR:
		mnl_attr_put_strz(nlh, k->type, v);
		break;
	case SF_K_FLAG:
		mnl_attr_put(nlh, k->type, 0, NULL);
		break;
	case SF_K_ACTION:
		mnl_attr_put_u8(nlh, k->type,
				sf_named(v, actions, ARRAY_SIZE(actions)));
		break;
	case SF_K_DIR:
		mnl_attr_put_u8(nlh, k->type,
				sf_named(v, dirs, ARRAY_SIZE(dirs)));
		break;
	case SF_K_PROTO:
		mnl_attr_put_u8(nlh, k->type, sf_proto(v));
		break;
	case SF_K_ADDR:
		sf_put_addr(nlh, k->type, v);
		break;
	case SF_K_RANGE:
		sf_put_range(nlh, k->type, v);
		break;
	case SF_K_TIMEOUTS:
		sf_put_timeouts(nlh, k->type, v);
		break;
	case SF_K_APPLIED:
		sf_put_applied(nlh, k->type, v);
		break;
	}
}

/* The tokens of one segment (up to '|' or the end). */
static void sf_put_tokens(struct nlmsghdr *nlh, const struct sf_key *keys,
			  char *seg)
{
	char *tok, *save;

	for (tok = strtok_r(seg, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		sf_put_token(nlh, keys, tok);
}

/* sf_build_t of a request text (struct sf_req). */
static void sf_build_text(struct nlmsghdr *nlh, const void *arg)
{
	const struct sf_req *req = arg;
	char *text = strdup(req->text), *seg, *next;
	struct nlattr *rule;

	if (!text)
		abort();
	sf_nmarks = 0;
	next = strchr(text, '|');
	if (next)
		*next++ = '\0';
	sf_put_tokens(nlh, req->keys, text);
	while (next) {
		seg = next;
		next = strchr(seg, '|');
		if (next)
			*next++ = '\0';
		seg += strspn(seg, " ");
		if (seg[0] == '^' && (seg[1] == ' ' || !seg[1])) {
			sf_mark(nlh);
			seg++;
		}
		rule = mnl_attr_nest_start(nlh, SLOTFILTER_FW_A_RULE);
		sf_put_tokens(nlh, sf_rule_keys, seg);
		mnl_attr_nest_end(nlh, rule);
	}
	free(text);
}

static int sf_req_talk(struct sf_sock *s, uint8_t cmd, uint16_t flags,
		       const struct sf_key *keys, const char *text,
		       mnl_cb_t cb, void *data, struct sf_ack *ack)
{
	struct sf_req req = { keys, text };

	return sf_talk(s, cmd, flags, sf_build_text, &req, cb, data, ack);
}

/* ---- decoding ------------------------------------------------------------ */

/* FW_GET (doit) and the reply to FW_REPLACE. Absent fields stay -1. */
struct sf_fw_info {
	int cmd;
	int64_t gen, def, flags, flow_max, nrules, memory, flows, refused;
	int64_t flow_size;
	int64_t timeout[SLOTFILTER_TIMEOUT_MAX + 1];
	int ntimeouts;
	int nmsgs;
	int bad;			/* attributes of the wrong size */
};

static int64_t sf_get_uint(const struct nlattr *a, enum mnl_attr_data_type t,
			   int *bad)
{
	if (mnl_attr_validate(a, t)) {
		(*bad)++;
		return -1;
	}
	switch (t) {
	case MNL_TYPE_U8:
		return mnl_attr_get_u8(a);
	case MNL_TYPE_U16:
		return mnl_attr_get_u16(a);
	case MNL_TYPE_U32:
		return mnl_attr_get_u32(a);
	default:
		return mnl_attr_get_u64(a);
	}
}

static int sf_fw_msg(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct sf_fw_info *fw = data;
	const struct nlattr *a, *t;
	int i;

	memset(fw, 0xff, offsetof(struct sf_fw_info, ntimeouts));
	fw->ntimeouts = 0;
	fw->bad = 0;
	fw->nmsgs++;
	fw->cmd = genl->cmd;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case SLOTFILTER_FW_A_GENERATION:
			fw->gen = sf_get_uint(a, MNL_TYPE_U32, &fw->bad);
			break;
		case SLOTFILTER_FW_A_DEFAULT:
			fw->def = sf_get_uint(a, MNL_TYPE_U8, &fw->bad);
			break;
		case SLOTFILTER_FW_A_FLAGS:
			fw->flags = sf_get_uint(a, MNL_TYPE_U32, &fw->bad);
			break;
		case SLOTFILTER_FW_A_TIMEOUTS:
			mnl_attr_for_each_nested(t, a) {
				i = mnl_attr_get_type(t);
				if (i < 1 || i > SLOTFILTER_TIMEOUT_MAX) {
					fw->bad++;
					continue;
				}
				fw->timeout[i] = sf_get_uint(t, MNL_TYPE_U32,
							     &fw->bad);
				fw->ntimeouts++;
			}
			break;
		case SLOTFILTER_FW_A_FLOW_MAX:
			fw->flow_max = sf_get_uint(a, MNL_TYPE_U32, &fw->bad);
			break;
		case SLOTFILTER_FW_A_NRULES:
			fw->nrules = sf_get_uint(a, MNL_TYPE_U32, &fw->bad);
			break;
		case SLOTFILTER_FW_A_MEMORY:
			fw->memory = sf_get_uint(a, MNL_TYPE_U64, &fw->bad);
			break;
		case SLOTFILTER_FW_A_FLOWS:
			fw->flows = sf_get_uint(a, MNL_TYPE_U32, &fw->bad);
			break;
		case SLOTFILTER_FW_A_FLOWS_REFUSED:
			fw->refused = sf_get_uint(a, MNL_TYPE_U64, &fw->bad);
			break;
		case SLOTFILTER_FW_A_FLOW_SIZE:
			fw->flow_size = sf_get_uint(a, MNL_TYPE_U32, &fw->bad);
			break;
		}
	}
	return MNL_CB_OK;
}

/* One rule of an FW_GET dump. */
struct sf_rule_info {
	int64_t gen;
	int64_t id;
	int64_t packets, bytes, flows, last_hit;
	int nrules;			/* FW_A_RULE nests in the message */
	size_t len;			/* of conf */
	uint8_t conf[512];		/* the nest's attributes but counters */
};

struct sf_rules {
	int n, cap;
	struct sf_rule_info *v;
	int intr;			/* messages with NLM_F_DUMP_INTR */
	int bad;
};

static void sf_parse_rule(const struct nlattr *nest, struct sf_rule_info *r,
			  int *bad)
{
	const struct nlattr *a;
	size_t size;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case SLOTFILTER_RULE_A_PACKETS:
			r->packets = sf_get_uint(a, MNL_TYPE_U64, bad);
			continue;
		case SLOTFILTER_RULE_A_BYTES:
			r->bytes = sf_get_uint(a, MNL_TYPE_U64, bad);
			continue;
		case SLOTFILTER_RULE_A_FLOWS:
			r->flows = sf_get_uint(a, MNL_TYPE_U64, bad);
			continue;
		case SLOTFILTER_RULE_A_LAST_HIT:
			r->last_hit = sf_get_uint(a, MNL_TYPE_U64, bad);
			continue;
		case SLOTFILTER_RULE_A_PAD:
			continue;
		case SLOTFILTER_RULE_A_ID:
			r->id = sf_get_uint(a, MNL_TYPE_U32, bad);
			break;
		}
		size = MNL_ALIGN(a->nla_len);
		if (r->len + size > sizeof(r->conf)) {
			(*bad)++;
			continue;
		}
		memcpy(r->conf + r->len, a, size);
		r->len += size;
	}
}

static int sf_rules_msg(const struct nlmsghdr *nlh, void *data)
{
	struct sf_rules *rules = data;
	const struct nlattr *a;
	struct sf_rule_info *r;

	if (rules->n == rules->cap) {
		int cap = rules->cap ? 2 * rules->cap : 16;
		void *v = realloc(rules->v, cap * sizeof(*rules->v));

		if (!v)
			return MNL_CB_ERROR;
		rules->v = v;
		rules->cap = cap;
	}
	r = &rules->v[rules->n++];
	memset(r, 0xff, offsetof(struct sf_rule_info, nrules));
	memset(&r->nrules, 0, sizeof(*r) - offsetof(struct sf_rule_info, nrules));
	rules->intr += !!(nlh->nlmsg_flags & NLM_F_DUMP_INTR);
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case SLOTFILTER_FW_A_GENERATION:
			r->gen = sf_get_uint(a, MNL_TYPE_U32, &rules->bad);
			break;
		case SLOTFILTER_FW_A_RULE:
			r->nrules++;
			sf_parse_rule(a, r, &rules->bad);
			break;
		default:
			rules->bad++;
		}
	}
	return MNL_CB_OK;
}

/* An address set element, or a flow's address. */
struct sf_elem {
	uint8_t len;			/* 4 or 16 */
	uint8_t addr[16];
	int plen;
};

/* A set of a SET_GET dump, from its messages (consecutive, same name). */
struct sf_set_info {
	char name[SLOTFILTER_NAME_MAX];
	int64_t nelems, users;
	int nmsgs;
	int nheads;			/* messages carrying NELEMS or USERS */
	int n, cap;
	struct sf_elem *v;
};

struct sf_sets {
	int n, cap;
	struct sf_set_info *v;
	int bad;
};

static void sf_parse_elem(const struct nlattr *nest, struct sf_elem *e,
			  int *bad)
{
	const struct nlattr *a;

	memset(e, 0, sizeof(*e));
	e->plen = -1;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case SLOTFILTER_ADDR_A_ADDR:
			e->len = mnl_attr_get_payload_len(a);
			if (e->len != 4 && e->len != 16) {
				(*bad)++;
				e->len = 0;
				break;
			}
			memcpy(e->addr, mnl_attr_get_payload(a), e->len);
			break;
		case SLOTFILTER_ADDR_A_PLEN:
			e->plen = sf_get_uint(a, MNL_TYPE_U8, bad);
			break;
		default:
			(*bad)++;
		}
	}
}

static int sf_sets_msg(const struct nlmsghdr *nlh, void *data)
{
	struct sf_sets *sets = data;
	struct sf_set_info *set = NULL;
	const struct nlattr *a;
	bool head = false;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != SLOTFILTER_SET_A_NAME)
			continue;
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) ||
		    strlen(mnl_attr_get_str(a)) >= SLOTFILTER_NAME_MAX) {
			sets->bad++;
			return MNL_CB_OK;
		}
		if (sets->n &&
		    !strcmp(sets->v[sets->n - 1].name, mnl_attr_get_str(a)))
			set = &sets->v[sets->n - 1];
		if (!set) {
			if (sets->n == sets->cap) {
				int cap = sets->cap ? 2 * sets->cap : 16;
				void *v = realloc(sets->v,
						  cap * sizeof(*sets->v));

				if (!v)
					return MNL_CB_ERROR;
				sets->v = v;
				sets->cap = cap;
			}
			set = &sets->v[sets->n++];
			memset(set, 0, sizeof(*set));
			set->nelems = -1;
			set->users = -1;
			strcpy(set->name, mnl_attr_get_str(a));
		}
	}
	if (!set) {
		sets->bad++;
		return MNL_CB_OK;
	}
	set->nmsgs++;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case SLOTFILTER_SET_A_NAME:
			break;
		case SLOTFILTER_SET_A_NELEMS:
			set->nelems = sf_get_uint(a, MNL_TYPE_U32, &sets->bad);
			head = true;
			break;
		case SLOTFILTER_SET_A_USERS:
			set->users = sf_get_uint(a, MNL_TYPE_U32, &sets->bad);
			head = true;
			break;
		case SLOTFILTER_SET_A_ELEM:
			if (set->n == set->cap) {
				int cap = set->cap ? 2 * set->cap : 64;
				void *v = realloc(set->v, cap * sizeof(*set->v));

				if (!v)
					return MNL_CB_ERROR;
				set->v = v;
				set->cap = cap;
			}
			sf_parse_elem(a, &set->v[set->n++], &sets->bad);
			break;
		default:
			sets->bad++;
		}
	}
	set->nheads += head;
	return MNL_CB_OK;
}

static void sf_sets_free(struct sf_sets *sets)
{
	int i;

	for (i = 0; i < sets->n; i++)
		free(sets->v[i].v);
	free(sets->v);
	memset(sets, 0, sizeof(*sets));
}

/* A FLOW_GET message or an FW_LOG event. Absent fields stay -1. */
struct sf_flow_info {
	int cmd;
	int64_t ifindex, dir, proto, sport, dport, state, expires, rule_id;
	int64_t id, action, suppressed;
	struct sf_elem src, dst;
	int bad;
};

struct sf_flows {
	int n;
	struct sf_flow_info v[16];
	int more;			/* flows beyond v[] */
};

static void sf_parse_flow(const struct nlmsghdr *nlh, struct sf_flow_info *f)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	struct sf_elem *e;

	memset(f, 0xff, offsetof(struct sf_flow_info, src));
	memset(&f->src, 0, sizeof(f->src) + sizeof(f->dst));
	f->src.plen = -1;
	f->dst.plen = -1;
	f->bad = 0;
	f->cmd = genl->cmd;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case SLOTFILTER_FLOW_A_IFINDEX:
			f->ifindex = sf_get_uint(a, MNL_TYPE_U32, &f->bad);
			break;
		case SLOTFILTER_FLOW_A_DIRECTION:
			f->dir = sf_get_uint(a, MNL_TYPE_U8, &f->bad);
			break;
		case SLOTFILTER_FLOW_A_PROTO:
			f->proto = sf_get_uint(a, MNL_TYPE_U8, &f->bad);
			break;
		case SLOTFILTER_FLOW_A_SRC:
		case SLOTFILTER_FLOW_A_DST:
			e = mnl_attr_get_type(a) == SLOTFILTER_FLOW_A_SRC ?
			    &f->src : &f->dst;
			e->len = mnl_attr_get_payload_len(a);
			if (e->len != 4 && e->len != 16) {
				f->bad++;
				e->len = 0;
				break;
			}
			memcpy(e->addr, mnl_attr_get_payload(a), e->len);
			break;
		case SLOTFILTER_FLOW_A_SPORT:
			f->sport = sf_get_uint(a, MNL_TYPE_U16, &f->bad);
			break;
		case SLOTFILTER_FLOW_A_DPORT:
			f->dport = sf_get_uint(a, MNL_TYPE_U16, &f->bad);
			break;
		case SLOTFILTER_FLOW_A_STATE:
			f->state = sf_get_uint(a, MNL_TYPE_U8, &f->bad);
			break;
		case SLOTFILTER_FLOW_A_EXPIRES:
			f->expires = sf_get_uint(a, MNL_TYPE_U32, &f->bad);
			break;
		case SLOTFILTER_FLOW_A_RULE_ID:
			f->rule_id = sf_get_uint(a, MNL_TYPE_U32, &f->bad);
			break;
		case SLOTFILTER_FLOW_A_ID:
			f->id = sf_get_uint(a, MNL_TYPE_U32, &f->bad);
			break;
		case SLOTFILTER_FLOW_A_ACTION:
			f->action = sf_get_uint(a, MNL_TYPE_U8, &f->bad);
			break;
		case SLOTFILTER_FLOW_A_SUPPRESSED:
			f->suppressed = sf_get_uint(a, MNL_TYPE_U32, &f->bad);
			break;
		default:
			f->bad++;
		}
	}
}

static int sf_flows_msg(const struct nlmsghdr *nlh, void *data)
{
	struct sf_flows *flows = data;

	if (flows->n == (int)ARRAY_SIZE(flows->v))
		flows->more++;
	else
		sf_parse_flow(nlh, &flows->v[flows->n++]);
	return MNL_CB_OK;
}

/* A PORT_GET reply: its tags only. */
struct sf_tags {
	int n;
	char tag[SLOTFILTER_PORT_TAGS_MAX + 1][SLOTFILTER_NAME_MAX];
	int ports;			/* messages */
	int bad;
};

static int sf_tags_msg(const struct nlmsghdr *nlh, void *data)
{
	struct sf_tags *tags = data;
	const struct nlattr *a, *t;

	tags->ports++;
	tags->n = 0;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != SLOTFILTER_PORT_A_TAGS)
			continue;
		mnl_attr_for_each_nested(t, a) {
			if (mnl_attr_get_type(t) != SLOTFILTER_PORT_A_TAG ||
			    mnl_attr_validate(t, MNL_TYPE_NUL_STRING) ||
			    strlen(mnl_attr_get_str(t)) >= SLOTFILTER_NAME_MAX ||
			    tags->n == (int)ARRAY_SIZE(tags->tag)) {
				tags->bad++;
				continue;
			}
			strcpy(tags->tag[tags->n++], mnl_attr_get_str(t));
		}
	}
	return MNL_CB_OK;
}

/* ---- the commands -------------------------------------------------------- */

static int sf_fw_get(struct sf_sock *s, struct sf_fw_info *fw,
		     struct sf_ack *ack)
{
	memset(fw, 0, sizeof(*fw));
	return sf_req_talk(s, SLOTFILTER_CMD_FW_GET, NLM_F_ACK, sf_fw_keys, "",
			   sf_fw_msg, fw, ack);
}

/* FW_REPLACE with @text; the reply (an FW_GET message) goes to @fw. */
static int sf_replace(struct sf_sock *s, const char *text,
		      struct sf_fw_info *fw, struct sf_ack *ack)
{
	struct sf_fw_info ignored;

	if (!fw)
		fw = &ignored;
	memset(fw, 0, sizeof(*fw));
	return sf_req_talk(s, SLOTFILTER_CMD_FW_REPLACE, NLM_F_ACK, sf_fw_keys,
			   text, sf_fw_msg, fw, ack);
}

static int sf_rules_dump(struct sf_sock *s, struct sf_rules *rules,
			 struct sf_ack *ack)
{
	free(rules->v);
	memset(rules, 0, sizeof(*rules));
	return sf_req_talk(s, SLOTFILTER_CMD_FW_GET, NLM_F_DUMP, sf_fw_keys, "",
			   sf_rules_msg, rules, ack);
}

/* SET_GET dump, of the set @name only if not NULL. */
static int sf_sets_dump(struct sf_sock *s, const char *name,
			struct sf_sets *sets, struct sf_ack *ack)
{
	char text[64];

	sf_sets_free(sets);
	text[0] = '\0';
	if (name)
		snprintf(text, sizeof(text), "name=%s", name);
	return sf_req_talk(s, SLOTFILTER_CMD_SET_GET, NLM_F_DUMP, sf_set_keys,
			   text, sf_sets_msg, sets, ack);
}

static int sf_set_cmd(struct sf_sock *s, uint8_t cmd, const char *text,
		      struct sf_ack *ack)
{
	return sf_req_talk(s, cmd, NLM_F_ACK, sf_set_keys, text, NULL, NULL,
			   ack);
}

/* FLOW_GET dump, of the port @ifindex only if not 0. */
static int sf_flows_dump(struct sf_sock *s, uint32_t ifindex,
			 struct sf_flows *flows, struct sf_ack *ack)
{
	char text[32];

	memset(flows, 0, sizeof(*flows));
	text[0] = '\0';
	if (ifindex)
		snprintf(text, sizeof(text), "ifindex=%u", ifindex);
	return sf_req_talk(s, SLOTFILTER_CMD_FLOW_GET, NLM_F_DUMP, sf_flow_keys,
			   text, sf_flows_msg, flows, ack);
}

/* PORT_TAG or PORT_UNTAG of @tag on @ifindex. */
static int sf_tag(struct sf_sock *s, uint8_t cmd, uint32_t ifindex,
		  const char *tag, struct sf_ack *ack)
{
	char text[128];

	snprintf(text, sizeof(text), "ifindex=%u tag=%s", ifindex, tag);
	return sf_req_talk(s, cmd, NLM_F_ACK, sf_port_keys, text, NULL, NULL,
			   ack);
}

static int sf_port_tags(struct sf_sock *s, uint32_t ifindex,
			struct sf_tags *tags, struct sf_ack *ack)
{
	char text[32];

	memset(tags, 0, sizeof(*tags));
	snprintf(text, sizeof(text), "ifindex=%u", ifindex);
	return sf_req_talk(s, SLOTFILTER_CMD_PORT_GET, NLM_F_ACK, sf_port_keys,
			   text, sf_tags_msg, tags, ack);
}

static int sf_port_add(struct sf_sock *s, uint32_t ifindex,
		       struct sf_ack *ack)
{
	return sf_talk(s, SLOTFILTER_CMD_PORT_ADD, NLM_F_ACK, sf_put_ifindex,
		       &ifindex, NULL, NULL, ack);
}

/*
 * The FW_A_RULE nests of the FW_REPLACE request @text, as sf_build_text()
 * puts them: where each starts (an offset into the request) and its
 * payload. Returns how many; @buf must hold the request.
 */
static int sf_sent_rules(const char *text, void *buf,
			 const struct nlattr **rule, int max)
{
	struct sf_req req = { sf_fw_keys, text };
	const struct nlmsghdr *nlh;
	const struct nlattr *a;
	int n = 0;

	nlh = sf_msg(buf, 0, SLOTFILTER_CMD_FW_REPLACE, 0, sf_build_text,
		     &req);
	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == SLOTFILTER_FW_A_RULE && n < max)
			rule[n++] = a;
	return n;
}

/*
 * Two attribute streams hold the same attributes, in the same order, byte
 * for byte; the padding after an attribute does not count (libmnl before
 * 1.0.5 leaves it as the buffer was, and the kernel keeps what it got).
 */
static bool sf_attrs_eq(const void *a, int alen, const void *b, int blen)
{
	const struct nlattr *x = a, *y = b;

	while (mnl_attr_ok(x, alen) && mnl_attr_ok(y, blen)) {
		if (x->nla_type != y->nla_type || x->nla_len != y->nla_len)
			return false;
		if (x->nla_type & NLA_F_NESTED) {
			if (!sf_attrs_eq(mnl_attr_get_payload(x),
					 mnl_attr_get_payload_len(x),
					 mnl_attr_get_payload(y),
					 mnl_attr_get_payload_len(y)))
				return false;
		} else if (memcmp(mnl_attr_get_payload(x),
				  mnl_attr_get_payload(y),
				  mnl_attr_get_payload_len(x))) {
			return false;
		}
		alen -= MNL_ALIGN(x->nla_len);
		blen -= MNL_ALIGN(y->nla_len);
		x = (const void *)((const char *)x + MNL_ALIGN(x->nla_len));
		y = (const void *)((const char *)y + MNL_ALIGN(y->nla_len));
	}
	return !alen && !blen;
}

/* A dumped rule is what was sent (counters aside). */
static bool sf_rule_is(const struct sf_rule_info *got,
		       const struct nlattr *sent)
{
	return got->nrules == 1 &&
	       sf_attrs_eq(got->conf, got->len, mnl_attr_get_payload(sent),
			   mnl_attr_get_payload_len(sent));
}

/* Prints what sf_rule_is() found different. */
static void sf_rule_diff(const struct sf_rule_info *got,
			 const struct nlattr *sent)
{
	const uint8_t *p = mnl_attr_get_payload(sent);
	size_t i;

	fprintf(stderr, "#   got: ");
	for (i = 0; i < got->len; i++)
		fprintf(stderr, "%02x%s", got->conf[i], i % 4 == 3 ? " " : "");
	fprintf(stderr, "\n#  sent: ");
	for (i = 0; i < mnl_attr_get_payload_len(sent); i++)
		fprintf(stderr, "%02x%s", p[i], i % 4 == 3 ? " " : "");
	fprintf(stderr, "\n");
}

/* ---- traffic ------------------------------------------------------------- */

struct sf_sa {
	int family;
	socklen_t len;
	struct sockaddr_storage ss;
};

static void sf_sa(struct sf_sa *a, int family, const char *text,
		  uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (void *)&a->ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		inet_pton(AF_INET, text, &sin->sin_addr);
		a->len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (void *)&a->ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		inet_pton(AF_INET6, text, &sin6->sin6_addr);
		a->len = sizeof(*sin6);
	}
}

/* The address @text as a flow or log event carries it. */
static struct sf_elem sf_elem_of(int family, const char *text)
{
	struct sf_elem e = { .plen = -1 };

	e.len = family == AF_INET ? 4 : 16;
	inet_pton(family, text, e.addr);
	return e;
}

static bool sf_elem_eq(const struct sf_elem *a, const struct sf_elem *b)
{
	return a->len == b->len && !memcmp(a->addr, b->addr, a->len) &&
	       a->plen == b->plen;
}

/* A socket in the namespace @netns; the caller stays in @home. */
static int sf_socket_in(int netns, int home, int domain, int type, int proto)
{
	int fd;

	if (setns(netns, CLONE_NEWNET))
		return -1;
	fd = socket(domain, type, proto);
	if (setns(home, CLONE_NEWNET)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int64_t sf_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define SF_ECHO_DATA	56

static uint16_t sf_csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum);
}

/*
 * Sends one ICMP (ICMPv6) echo request of 56 data bytes with identifier
 * @id from the namespace @netns to @dst, and waits up to @ms for its reply.
 * 0 if it came, ETIMEDOUT if not, another errno on failure.
 */
static int sf_echo(int netns, int home, int family, const char *dst,
		   uint16_t id, int ms)
{
	bool v4 = family == AF_INET;
	uint8_t pkt[8 + SF_ECHO_DATA], buf[1500];
	struct icmphdr *ih = (void *)pkt;
	int64_t deadline = sf_now_ms() + ms;
	struct sf_sa to;
	int fd, err = ETIMEDOUT;

	fd = sf_socket_in(netns, home, family, SOCK_RAW,
			  v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (fd < 0)
		return errno;
	memset(pkt, 0xa5, sizeof(pkt));
	ih->type = v4 ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	ih->code = 0;
	ih->checksum = 0;
	ih->un.echo.id = htons(id);
	ih->un.echo.sequence = htons(1);
	if (v4)
		ih->checksum = sf_csum(pkt, sizeof(pkt));
	sf_sa(&to, family, dst, 0);
	if (sendto(fd, pkt, sizeof(pkt), 0, (void *)&to.ss, to.len) < 0) {
		err = errno;
		goto out;
	}
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - sf_now_ms();
		const struct icmphdr *rh;
		ssize_t len;

		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			break;
		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0)
			continue;
		rh = (const void *)buf;
		if (v4) {
			size_t hl = (buf[0] & 0xf) * 4;

			if ((size_t)len < hl + 8)
				continue;
			rh = (const void *)(buf + hl);
		}
		if (rh->type == (v4 ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY) &&
		    rh->un.echo.id == htons(id)) {
			err = 0;
			break;
		}
	}
out:
	close(fd);
	return err;
}

/* A TCP or UDP socket of @netns bound to the wildcard address, @port. */
static int sf_server(int netns, int home, int family, int type,
		     uint16_t port)
{
	struct sf_sa any;
	int fd, one = 1;

	fd = sf_socket_in(netns, home, family, type | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	sf_sa(&any, family, family == AF_INET ? "0.0.0.0" : "::", port);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (void *)&any.ss, any.len) ||
	    (type == SOCK_STREAM && listen(fd, 8))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* connect() from @netns to @dst:@port; its outcome as an errno. */
static int sf_connect(int netns, int home, int family, const char *dst,
		      uint16_t port)
{
	struct pollfd pfd = { .events = POLLOUT };
	socklen_t len = sizeof(int);
	struct sf_sa to;
	int err = 0;

	pfd.fd = sf_socket_in(netns, home, family, SOCK_STREAM | SOCK_NONBLOCK,
			      0);
	if (pfd.fd < 0)
		return errno;
	sf_sa(&to, family, dst, port);
	if (connect(pfd.fd, (void *)&to.ss, to.len) && errno != EINPROGRESS)
		err = errno;
	else if (poll(&pfd, 1, 5000) != 1)
		err = ETIMEDOUT;
	else if (getsockopt(pfd.fd, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	close(pfd.fd);
	return err;
}

/* What a connected UDP sender learnt from the ICMP error it got. */
struct sf_udp_err {
	int send_errno;			/* of send(), 0 if it went */
	int recv_errno;			/* of recv() after the error */
	int origin, type, code, errnum;	/* of its sock_extended_err */
};

/*
 * Sends one datagram from @netns to @dst:@port on a connected socket with
 * IP(V6)_RECVERR and waits up to 5 s for an error. 0 and @e filled if one
 * came, ETIMEDOUT if none. With IP(V6)_RECVERR, send() reports what the
 * local stack did to the datagram: ENOBUFS when a hook on the way out
 * dropped it.
 */
static int sf_udp_probe(int netns, int home, int family, const char *dst,
			uint16_t port, struct sf_udp_err *e)
{
	bool v4 = family == AF_INET;
	struct pollfd pfd = { .events = 0 };
	char cbuf[512], data[16];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	struct sf_sa to;
	int one = 1, err = 0;

	memset(e, 0, sizeof(*e));
	pfd.fd = sf_socket_in(netns, home, family, SOCK_DGRAM, 0);
	if (pfd.fd < 0)
		return errno;
	sf_sa(&to, family, dst, port);
	if (setsockopt(pfd.fd, v4 ? SOL_IP : SOL_IPV6,
		       v4 ? IP_RECVERR : IPV6_RECVERR, &one, sizeof(one)) ||
	    connect(pfd.fd, (void *)&to.ss, to.len)) {
		err = errno;
		goto out;
	}
	if (send(pfd.fd, "probe", 5, 0) != 5)
		e->send_errno = errno;
	if (poll(&pfd, 1, 5000) != 1) {
		err = ETIMEDOUT;
		goto out;
	}
	if (recv(pfd.fd, data, sizeof(data), MSG_DONTWAIT) < 0)
		e->recv_errno = errno;
	if (recvmsg(pfd.fd, &msg, MSG_ERRQUEUE) < 0) {
		err = errno;
		goto out;
	}
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		struct sock_extended_err ee;

		if (!((cm->cmsg_level == SOL_IP &&
		       cm->cmsg_type == IP_RECVERR) ||
		      (cm->cmsg_level == SOL_IPV6 &&
		       cm->cmsg_type == IPV6_RECVERR)))
			continue;
		memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
		e->origin = ee.ee_origin;
		e->type = ee.ee_type;
		e->code = ee.ee_code;
		e->errnum = ee.ee_errno;
	}
out:
	close(pfd.fd);
	return err;
}

/* Sends @n datagrams from @netns, from port @sport to @dst:@dport. */
static int sf_udp_send(int netns, int home, int family, const char *dst,
		       uint16_t sport, uint16_t dport, int n)
{
	struct sf_sa from, to;
	int fd, err = 0;

	fd = sf_socket_in(netns, home, family, SOCK_DGRAM, 0);
	if (fd < 0)
		return errno;
	sf_sa(&from, family, family == AF_INET ? "0.0.0.0" : "::", sport);
	sf_sa(&to, family, dst, dport);
	if (bind(fd, (void *)&from.ss, from.len))
		err = errno;
	while (!err && n--)
		if (sendto(fd, "logme", 5, 0, (void *)&to.ss, to.len) != 5)
			err = errno;
	close(fd);
	return err;
}

/* ---- fixtures ------------------------------------------------------------ */

/* Lets a request of a few MiB through (netlink_sendmsg() checks sndbuf). */
static int sf_big_sndbuf(struct sf_sock *s)
{
	int size = 8 << 20;

	return setsockopt(mnl_socket_get_fd(s->nl), SOL_SOCKET, SO_SNDBUFFORCE,
			  &size, sizeof(size));
}

FIXTURE(fw) {
	struct sf_sock sk;
	int netns;
};

FIXTURE_SETUP(fw)
{
	int err;

	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %m");
	self->netns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->netns);
	err = sf_open(&self->sk);
	ASSERT_EQ(0, err)
		TH_LOG("cannot resolve the family \"%s\": %s (is the module there?)",
		       SLOTFILTER_GENL_NAME, strerror(-err));
	ASSERT_EQ(0, sf_big_sndbuf(&self->sk));
}

FIXTURE_TEARDOWN(fw)
{
	sf_close(&self->sk);
	if (self->netns > 0)
		close(self->netns);
}

/* FW_GET shows @gen and @nrules, and the dump holds exactly @text's rules. */
#define ASSERT_RULESET(s, gen_, text) do {				\
	static char _buf[1 << 16];					\
	const struct nlattr *_sent[32];					\
	struct sf_rules _rules = { 0 };					\
	struct sf_fw_info _fw;						\
	struct sf_ack _ack;						\
	int _n, _i;							\
									\
	_n = sf_sent_rules(text, _buf, _sent, ARRAY_SIZE(_sent));	\
	sf_fw_get(s, &_fw, &_ack);					\
	ASSERT_ACK(_ack, 0, "");					\
	ASSERT_EQ(gen_, _fw.gen);					\
	ASSERT_EQ(_n, _fw.nrules);					\
	ASSERT_LT(0, sf_rules_dump(s, &_rules, &_ack));			\
	ASSERT_ACK(_ack, 0, "");					\
	ASSERT_EQ(_n, _rules.n);					\
	ASSERT_EQ(0, _rules.bad);					\
	ASSERT_EQ(0, _rules.intr);					\
	for (_i = 0; _i < _n; _i++) {					\
		ASSERT_EQ(gen_, _rules.v[_i].gen);			\
		if (!sf_rule_is(&_rules.v[_i], _sent[_i]))		\
			sf_rule_diff(&_rules.v[_i], _sent[_i]);		\
		ASSERT_TRUE(sf_rule_is(&_rules.v[_i], _sent[_i]))	\
			TH_LOG("rule %d differs from the one sent", _i);\
	}								\
	free(_rules.v);							\
} while (0)

/* ---- the ruleset --------------------------------------------------------- */

/* A fresh namespace: generation 0, default allow, every default. */
TEST_F(fw, fresh)
{
	struct sf_rules rules = { 0 };
	struct sf_sets sets = { 0 };
	struct sf_flows flows;
	struct sf_fw_info fw;
	struct sf_ack ack;
	int i;

	sf_fw_get(&self->sk, &fw, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(1, fw.nmsgs);
	ASSERT_EQ(SLOTFILTER_CMD_FW_GET, fw.cmd);
	ASSERT_EQ(0, fw.bad);
	ASSERT_EQ(0, fw.gen);
	ASSERT_EQ(SLOTFILTER_ACTION_ALLOW, fw.def);
	ASSERT_EQ(0, fw.flags);
	ASSERT_EQ(SLOTFILTER_TIMEOUT_MAX, fw.ntimeouts);
	for (i = 1; i <= SLOTFILTER_TIMEOUT_MAX; i++)
		ASSERT_EQ(sf_timeout_default[i], fw.timeout[i])
			TH_LOG("timeout %d", i);
	ASSERT_EQ(SF_FLOW_MAX_DEFAULT, fw.flow_max);
	ASSERT_EQ(0, fw.nrules);
	ASSERT_EQ(0, fw.memory);
	ASSERT_EQ(0, fw.flows);
	ASSERT_EQ(0, fw.refused);
	ASSERT_LT(0, fw.flow_size);
	ASSERT_GE(SF_FLOW_SIZE_GOAL, fw.flow_size);

	ASSERT_LT(0, sf_rules_dump(&self->sk, &rules, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, rules.n);
	ASSERT_LT(0, sf_sets_dump(&self->sk, NULL, &sets, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, sets.n);
	ASSERT_LT(0, sf_flows_dump(&self->sk, 0, &flows, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, flows.n);
}

/*
 * What FW_REPLACE takes comes back from FW_GET: the options in the doit,
 * every rule in the dump with exactly the attributes sent, in order. Each
 * commit bumps the generation by one, and its reply carries the new one.
 */
TEST_F(fw, replace_then_get)
{
	static const char *const first =
		"default=drop flags=1 timeouts=syn:30,udp:10 flow_max=1000"
		" | id=10 action=allow dir=in to=$0,web src=10.0.0.0/8"
		" dst=@web proto=tcp sport=1024-65535 dport=22 log"
		" | id=20 action=drop dir=out proto=icmp type=8 code=0"
		" | id=30 action=reject src=fd00::/64 dst=fd00:1::1 proto=udp"
		" dport=53-54"
		" | id=5 action=allow proto=icmpv6 type=128"
		" | id=7 action=drop dir=any src=192.168.1.7 dst=@web";
	static const char *const second = "gen=1 | id=20 action=drop";
	struct sf_sets sets = { 0 };
	struct sf_fw_info fw;
	struct sf_ack ack;
	int i;

	sf_ifx[0] = sf_dummy("sf0");
	ASSERT_NE(0U, sf_ifx[0]);
	sf_port_add(&self->sk, sf_ifx[0], &ack);
	ASSERT_ACK(ack, 0, "");
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "name=web elem=10.1.0.0/16",
		   &ack);
	ASSERT_ACK(ack, 0, "");

	sf_replace(&self->sk, first, &fw, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(1, fw.nmsgs);
	ASSERT_EQ(SLOTFILTER_CMD_FW_GET, fw.cmd);
	ASSERT_EQ(1, fw.gen);
	ASSERT_RULESET(&self->sk, 1, first);

	sf_fw_get(&self->sk, &fw, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, fw.bad);
	ASSERT_EQ(SLOTFILTER_ACTION_DROP, fw.def);
	ASSERT_EQ(SLOTFILTER_FW_F_TCP_STRICT, fw.flags);
	ASSERT_EQ(SLOTFILTER_TIMEOUT_MAX, fw.ntimeouts);
	for (i = 1; i <= SLOTFILTER_TIMEOUT_MAX; i++)
		ASSERT_EQ(i == SLOTFILTER_TIMEOUT_TCP_SYN ? 30 :
			  i == SLOTFILTER_TIMEOUT_UDP ? 10 :
			  sf_timeout_default[i], fw.timeout[i])
			TH_LOG("timeout %d", i);
	ASSERT_EQ(1000, fw.flow_max);
	ASSERT_EQ(5, fw.nrules);
	ASSERT_LT(0, fw.memory);
	ASSERT_EQ(0, fw.flows);

	/* Two rules name the set. */
	ASSERT_LT(0, sf_sets_dump(&self->sk, "web", &sets, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(1, sets.n);
	ASSERT_EQ(2, sets.v[0].users);

	/* The generation read is the current one: accepted. */
	sf_replace(&self->sk, second, &fw, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(2, fw.gen);
	ASSERT_RULESET(&self->sk, 2, second);
	/* What a request leaves out is back at its default. */
	sf_fw_get(&self->sk, &fw, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(SLOTFILTER_ACTION_ALLOW, fw.def);
	ASSERT_EQ(0, fw.flags);
	for (i = 1; i <= SLOTFILTER_TIMEOUT_MAX; i++)
		ASSERT_EQ(sf_timeout_default[i], fw.timeout[i]);
	ASSERT_EQ(SF_FLOW_MAX_DEFAULT, fw.flow_max);
	ASSERT_LT(0, sf_sets_dump(&self->sk, "web", &sets, &ack));
	ASSERT_EQ(0, sets.v[0].users);

	/* An empty ruleset is a commit too. */
	sf_replace(&self->sk, "", &fw, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(3, fw.gen);
	ASSERT_RULESET(&self->sk, 3, "");
	sf_sets_free(&sets);
}

/* A writer that read an older generation is refused, and nothing changes. */
TEST_F(fw, stale_generation)
{
	static const char *const base = "default=drop | id=1 action=allow proto=udp";
	struct sf_fw_info fw;
	struct sf_ack ack;

	sf_replace(&self->sk, base, &fw, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(1, fw.gen);

	sf_replace(&self->sk, "^gen=0 | id=2 action=drop", &fw, &ack);
	ASSERT_ACK(ack, EBUSY, SF_STALE);
	ASSERT_EQ(sf_marks[0], ack.offs);
	ASSERT_EQ(0, fw.nmsgs);
	ASSERT_RULESET(&self->sk, 1, base);
	sf_fw_get(&self->sk, &fw, &ack);
	ASSERT_EQ(SLOTFILTER_ACTION_DROP, fw.def);

	/* A generation from the future is as stale. */
	sf_replace(&self->sk, "^gen=2", &fw, &ack);
	ASSERT_ACK(ack, EBUSY, SF_STALE);
	ASSERT_EQ(sf_marks[0], ack.offs);
	ASSERT_RULESET(&self->sk, 1, base);

	/* Checked before the rules: a stale request with a bad rule. */
	sf_replace(&self->sk, "^gen=0 | id=0", &fw, &ack);
	ASSERT_EQ(ERANGE, ack.err) TH_LOG("policy first: %s", ack.msg);
	sf_replace(&self->sk, "^gen=0 | action=allow", &fw, &ack);
	ASSERT_ACK(ack, EBUSY, SF_STALE);

	sf_replace(&self->sk, "gen=1 | id=2 action=drop", &fw, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(2, fw.gen);
	ASSERT_RULESET(&self->sk, 2, "| id=2 action=drop");
}

/* SLOTFILTER_RULES_MAX rules are a ruleset; one more is refused. */
struct sf_many {
	int n;
	uint32_t first_id;
};

static void sf_build_many_rules(struct nlmsghdr *nlh, const void *arg)
{
	const struct sf_many *m = arg;
	struct nlattr *rule;
	int i;

	for (i = 0; i < m->n; i++) {
		rule = mnl_attr_nest_start(nlh, SLOTFILTER_FW_A_RULE);
		mnl_attr_put_u32(nlh, SLOTFILTER_RULE_A_ID, m->first_id + i);
		mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_PROTO, IPPROTO_UDP);
		mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_ACTION,
				SLOTFILTER_ACTION_DROP);
		mnl_attr_nest_end(nlh, rule);
	}
}

TEST_F_TIMEOUT(fw, rules_max, 120)
{
	struct sf_many m = { SLOTFILTER_RULES_MAX + 1, 1 };
	struct sf_fw_info fw;
	struct sf_ack ack;

	sf_talk(&self->sk, SLOTFILTER_CMD_FW_REPLACE, NLM_F_ACK,
		sf_build_many_rules, &m, sf_fw_msg, &fw, &ack);
	ASSERT_ACK(ack, E2BIG, "slotfilter: a ruleset holds at most 65536 rules");
	sf_fw_get(&self->sk, &fw, &ack);
	ASSERT_EQ(0, fw.gen);

	m.n = SLOTFILTER_RULES_MAX;
	memset(&fw, 0, sizeof(fw));
	sf_talk(&self->sk, SLOTFILTER_CMD_FW_REPLACE, NLM_F_ACK,
		sf_build_many_rules, &m, sf_fw_msg, &fw, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(1, fw.gen);
	ASSERT_EQ(SLOTFILTER_RULES_MAX, fw.nrules);
}

/* FW_RESET names a rule that does not exist. */
TEST_F(fw, reset_unknown)
{
	struct sf_ack ack;

	sf_req_talk(&self->sk, SLOTFILTER_CMD_FW_RESET, NLM_F_ACK, sf_fw_keys,
		    "^rule_id=1", NULL, NULL, &ack);
	ASSERT_ACK(ack, ENOENT, "no rule with this id");
	ASSERT_EQ(sf_marks[0], ack.offs);
	sf_req_talk(&self->sk, SLOTFILTER_CMD_FW_RESET, NLM_F_ACK, sf_fw_keys,
		    "", NULL, NULL, &ack);
	ASSERT_ACK(ack, 0, "");
	sf_replace(&self->sk, "| id=1 action=drop", NULL, &ack);
	ASSERT_ACK(ack, 0, "");
	sf_req_talk(&self->sk, SLOTFILTER_CMD_FW_RESET, NLM_F_ACK, sf_fw_keys,
		    "^rule_id=2", NULL, NULL, &ack);
	ASSERT_ACK(ack, ENOENT, "no rule with this id");
	ASSERT_EQ(sf_marks[0], ack.offs);
	sf_req_talk(&self->sk, SLOTFILTER_CMD_FW_RESET, NLM_F_ACK, sf_fw_keys,
		    "^rule_id=0", NULL, NULL, &ack);
	ASSERT_ACK(ack, ERANGE, "integer out of range");
	ASSERT_EQ(sf_marks[0], ack.offs);
	sf_req_talk(&self->sk, SLOTFILTER_CMD_FW_RESET, NLM_F_ACK, sf_fw_keys,
		    "rule_id=1", NULL, NULL, &ack);
	ASSERT_ACK(ack, 0, "");
}

/*
 * Every rejection of a ruleset, one variant each: the request (with the
 * attribute the kernel must blame marked), the errno and the message.
 * Setup commits a ruleset of two rules (generation 1); whatever a refused
 * request held, generation 1 stays as it was.
 *
 *     $0 = sf0, a port; $1 = sf1, a device that is not a port
 */
FIXTURE(fw_bad) {
	struct sf_sock sk;
};

FIXTURE_VARIANT(fw_bad) {
	const char *req;
	int err;
	const char *msg;
};

static const char *const sf_bad_base =
	"default=drop | id=1 action=allow proto=tcp dport=22"
	" | id=2 action=drop src=@web to=$0,db";

FIXTURE_SETUP(fw_bad)
{
	struct sf_ack ack;
	int err;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	err = sf_open(&self->sk);
	ASSERT_EQ(0, err) TH_LOG("%s", strerror(-err));
	sf_ifx[0] = sf_dummy("sf0");
	sf_ifx[1] = sf_dummy("sf1");
	ASSERT_NE(0U, sf_ifx[0]);
	ASSERT_NE(0U, sf_ifx[1]);
	sf_port_add(&self->sk, sf_ifx[0], &ack);
	ASSERT_ACK(ack, 0, "");
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "name=web elem=10.1.0.0/16",
		   &ack);
	ASSERT_ACK(ack, 0, "");
	sf_replace(&self->sk, sf_bad_base, NULL, &ack);
	ASSERT_ACK(ack, 0, "");
}

FIXTURE_TEARDOWN(fw_bad)
{
	sf_close(&self->sk);
}

#define SF_BAD(name_, req_, err_, msg_)					\
	FIXTURE_VARIANT_ADD(fw_bad, name_) {				\
		.req = req_, .err = err_, .msg = msg_,			\
	}

/* Port ranges (ruleset.c). */
SF_BAD(reversed_port_range, "| id=9 action=allow proto=tcp ^dport=90-80",
	EINVAL, "port range starts above its end");
SF_BAD(reversed_sport_range, "| id=9 action=allow proto=udp ^sport=2-1",
	EINVAL, "port range starts above its end");
SF_BAD(port_range_without_start, "| id=9 action=allow proto=udp ^sport=-80",
	EINVAL, "port range without a start");
SF_BAD(ports_without_proto, "|^ id=9 action=allow dport=80",
	EINVAL, "ports need protocol tcp, udp, udplite or sctp");
SF_BAD(ports_with_icmp, "|^ id=9 action=allow proto=icmp sport=80",
	EINVAL, "ports need protocol tcp, udp, udplite or sctp");
/* ICMP type and code. */
SF_BAD(icmp_type_without_proto, "|^ id=9 action=allow type=8",
	EINVAL, "ICMP type and code need protocol icmp or icmpv6");
SF_BAD(icmp_code_with_tcp, "|^ id=9 action=allow proto=tcp code=0",
	EINVAL, "ICMP type and code need protocol icmp or icmpv6");
/* Prefixes (set.c's sf_prefix_parse() and the policy). */
SF_BAD(plen_33_ipv4, "| id=9 action=allow src=10.0.0.0/^33",
	EINVAL, "prefix length out of range for the address family");
SF_BAD(plen_129_ipv6, "| id=9 action=allow dst=fd00::/^129",
	ERANGE, "integer out of range");
SF_BAD(host_bits_ipv4, "| id=9 action=allow src=^10.0.0.1/24",
	EINVAL, "address has bits set beyond its prefix length");
SF_BAD(host_bits_ipv6, "| id=9 action=allow dst=^fd00::1:0/96",
	EINVAL, "address has bits set beyond its prefix length");
SF_BAD(address_length, "| id=9 action=allow src=^0x0a0000",
	EINVAL, "an address is 4 (IPv4) or 16 (IPv6) bytes");
SF_BAD(address_too_long,
	"| id=9 action=allow src=^0x0a0000000a0000000a0000000a00000001",
	ERANGE, "Attribute failed policy validation");
SF_BAD(prefix_without_address, "| id=9 action=allow ^src=/8",
	EINVAL, "address without ADDR");
SF_BAD(prefix_and_set, "| id=9 action=allow ^src=10.0.0.0/8@web",
	EINVAL, "an address is a prefix or a set, not both");
SF_BAD(unknown_set, "| id=9 action=allow dst=@^nope",
	ENOENT, "no set of this name");
/* Families. */
SF_BAD(mixed_families, "| id=9 action=allow src=10.0.0.0/8 ^dst=fd00::/64",
	EINVAL, "the rule mixes IPv4 and IPv6");
SF_BAD(mixed_families_v6_first, "| id=9 action=allow src=::1 ^dst=10.0.0.1",
	EINVAL, "the rule mixes IPv4 and IPv6");
SF_BAD(icmp_with_ipv6, "| id=9 action=allow proto=icmp ^dst=fd00::1",
	EINVAL, "the rule mixes IPv4 and IPv6");
SF_BAD(icmpv6_with_ipv4, "| id=9 action=allow proto=icmpv6 ^src=10.0.0.1",
	EINVAL, "the rule mixes IPv4 and IPv6");
/* Ids and actions. */
SF_BAD(duplicate_id,
	"| id=5 action=allow | id=6 action=drop |^ id=5 action=drop",
	EEXIST, "duplicate rule id");
SF_BAD(duplicate_id_far,
	"| id=5 action=allow | id=1 action=drop | id=2 action=drop"
	" |^ id=1 action=allow | id=5 action=drop",
	EEXIST, "duplicate rule id");
SF_BAD(missing_id, "| id=3 action=allow |^ action=allow proto=tcp",
	EINVAL, "a rule needs an id and an action");
SF_BAD(missing_action, "|^ id=3 proto=tcp",
	EINVAL, "a rule needs an id and an action");
SF_BAD(empty_rule, "|^",
	EINVAL, "a rule needs an id and an action");
SF_BAD(id_zero, "| ^id=0 action=allow",
	ERANGE, "integer out of range");
SF_BAD(action_out_of_range, "| id=9 ^action=3",
	ERANGE, "integer out of range");
SF_BAD(direction_out_of_range, "| id=9 action=drop ^dir=3",
	ERANGE, "integer out of range");
/* Applied-to. */
SF_BAD(applied_not_a_port, "| id=9 action=allow to=$0,^$1",
	ENOENT, "applied-to names a device that is not a port");
SF_BAD(applied_no_device, "| id=9 action=allow to=^999999",
	ENOENT, "applied-to names a device that is not a port");
SF_BAD(applied_empty, "| id=9 action=allow ^to=",
	EINVAL, "applied-to names no port and no tag");
SF_BAD(applied_bad_tag, "| id=9 action=allow to=web,^bad!tag",
	EINVAL, "invalid tag name");
SF_BAD(applied_empty_tag, "| id=9 action=allow to=^",
	EINVAL, "invalid tag name");
SF_BAD(applied_long_tag, "| id=9 action=allow to=^" SF_NAME_32,
	EINVAL, "Attribute failed policy validation");
SF_BAD(applied_ifindex_zero, "| id=9 action=allow to=^0",
	ERANGE, "integer out of range");
/* The ruleset's options. */
SF_BAD(default_reject, "^default=reject",
	EINVAL, "the default action is allow or drop");
SF_BAD(default_out_of_range, "^default=3",
	ERANGE, "integer out of range");
SF_BAD(unknown_flag, "^flags=8",
	EINVAL, "reserved bit set");
SF_BAD(timeout_zero, "timeouts=syn:30,^udp:0",
	ERANGE, "integer out of range");
SF_BAD(timeout_over_10_days, "timeouts=^est:864001",
	ERANGE, "integer out of range");
SF_BAD(timeout_unknown, "timeouts=^t8:5",
	EINVAL, "Unknown attribute type");
SF_BAD(flow_max_zero, "^flow_max=0",
	ERANGE, "integer out of range");
SF_BAD(flow_max_over, "^flow_max=16777217",
	ERANGE, "integer out of range");
/* Reply attributes, and attributes the policy does not know. */
SF_BAD(reply_nrules, "^nrules=2", EINVAL, SF_REPLY_ONLY);
SF_BAD(reply_memory, "^memory=2", EINVAL, SF_REPLY_ONLY);
SF_BAD(reply_flows, "^flows=2", EINVAL, SF_REPLY_ONLY);
SF_BAD(reply_flows_refused, "^refused=2", EINVAL, SF_REPLY_ONLY);
SF_BAD(reply_flow_size, "^flow_size=2", EINVAL, SF_REPLY_ONLY);
SF_BAD(reply_packets, "| id=9 action=allow ^packets=1", EINVAL, SF_REPLY_ONLY);
SF_BAD(reply_bytes, "| id=9 action=allow ^bytes=1", EINVAL, SF_REPLY_ONLY);
SF_BAD(reply_rule_flows, "| id=9 action=allow ^flows=1", EINVAL, SF_REPLY_ONLY);
SF_BAD(reply_last_hit, "| id=9 action=allow ^last_hit=1",
	EINVAL, SF_REPLY_ONLY);
SF_BAD(rule_pad, "| id=9 action=allow ^a17=0", EINVAL, "Unsupported attribute");
SF_BAD(rule_unknown, "| id=9 action=allow ^a30=0",
	EINVAL, "Unknown attribute type");
SF_BAD(fw_unknown, "^a30=0", EINVAL, "Unknown attribute type");

/* A later rule is wrong: what the rules before took is given back. */
SF_BAD(after_set_and_tag, "| id=3 action=allow src=@web to=newtag"
	" | id=4 action=allow proto=tcp ^dport=2-1",
	EINVAL, "port range starts above its end");

TEST_F_TIMEOUT(fw_bad, refused, 60)
{
	struct sf_sets sets = { 0 };
	struct sf_fw_info fw;
	struct sf_ack ack;

	sf_replace(&self->sk, variant->req, &fw, &ack);
	ASSERT_ACK(ack, variant->err, variant->msg);
	ASSERT_EQ(0, fw.nmsgs);
	ASSERT_EQ(1, sf_nmarks);
	ASSERT_EQ(sf_marks[0], ack.offs)
		TH_LOG("the offset blames another attribute");

	ASSERT_RULESET(&self->sk, 1, sf_bad_base);
	sf_fw_get(&self->sk, &fw, &ack);
	ASSERT_EQ(SLOTFILTER_ACTION_DROP, fw.def);
	ASSERT_EQ(0, fw.flags);
	ASSERT_EQ(SF_FLOW_MAX_DEFAULT, fw.flow_max);
	ASSERT_EQ(sf_timeout_default[SLOTFILTER_TIMEOUT_UDP],
		  fw.timeout[SLOTFILTER_TIMEOUT_UDP]);
	ASSERT_LT(0, sf_sets_dump(&self->sk, NULL, &sets, &ack));
	ASSERT_EQ(1, sets.n);
	ASSERT_EQ(1, sets.v[0].users);
	sf_sets_free(&sets);

	/* The set is still deletable once the ruleset lets it go. */
	sf_replace(&self->sk, "gen=1", &fw, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(2, fw.gen);
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_DEL, "name=web", &ack);
	ASSERT_ACK(ack, 0, "");
}

/* ---- address sets -------------------------------------------------------- */

/* An element as SET_GET returns it. */
static struct sf_elem sf_elem(const char *addr, int plen)
{
	struct sf_elem e = { .plen = plen };

	e.len = strchr(addr, ':') ? 16 : 4;
	inet_pton(e.len == 4 ? AF_INET : AF_INET6, addr, e.addr);
	return e;
}

/* The set @name holds exactly @want[@n], in this order. */
#define ASSERT_SET(s, name_, want, n_, users_) do {			\
	struct sf_sets _sets = { 0 };					\
	struct sf_ack _ack;						\
	int _i;								\
									\
	ASSERT_LT(0, sf_sets_dump(s, name_, &_sets, &_ack));		\
	ASSERT_ACK(_ack, 0, "");					\
	ASSERT_EQ(0, _sets.bad);					\
	ASSERT_EQ(1, _sets.n);						\
	ASSERT_STREQ(name_, _sets.v[0].name);				\
	ASSERT_EQ(1, _sets.v[0].nheads);				\
	ASSERT_EQ(n_, _sets.v[0].nelems);				\
	ASSERT_EQ(users_, _sets.v[0].users);				\
	ASSERT_EQ(n_, _sets.v[0].n);					\
	for (_i = 0; _i < (n_); _i++)					\
		ASSERT_TRUE(sf_elem_eq(&(want)[_i], &_sets.v[0].v[_i]))	\
			TH_LOG("element %d", _i);			\
	sf_sets_free(&_sets);						\
} while (0)

/*
 * A set keeps its elements sorted, IPv4 first, each once, and reports
 * their number and the rules that use it.
 */
TEST_F(fw, set_add)
{
	const struct sf_elem want[] = {
		sf_elem("10.0.0.0", 8), sf_elem("10.0.0.0", 16),
		sf_elem("10.1.0.0", 16), sf_elem("10.2.0.0", 16),
		sf_elem("192.168.1.7", 32), sf_elem("::1", 128),
		sf_elem("fd00::", 64),
	};
	struct sf_sets sets = { 0 };
	struct sf_ack ack;

	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD,
		   "name=web elem=fd00::/64 elem=10.2.0.0/16 elem=10.1.0.0/16"
		   " elem=192.168.1.7 elem=10.1.0.0/16 elem=::1/128"
		   " elem=10.0.0.0/16 elem=10.0.0.0/8", &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_SET(&self->sk, "web", want, 7, 0);

	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "name=web elem=10.9.0.0/16",
		   &ack);
	ASSERT_ACK(ack, EEXIST, "slotfilter: a set of this name exists");
	ASSERT_SET(&self->sk, "web", want, 7, 0);

	/* An empty set, and the dump of every set, in the order made. */
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "name=a.b_c-9", &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_SET(&self->sk, "a.b_c-9", want, 0, 0);
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD,
		   "name=abcdefghijklmnopqrstuvwxyz01234 elem=::/0", &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_LT(0, sf_sets_dump(&self->sk, NULL, &sets, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(3, sets.n);
	ASSERT_STREQ("web", sets.v[0].name);
	ASSERT_STREQ("a.b_c-9", sets.v[1].name);
	ASSERT_STREQ("abcdefghijklmnopqrstuvwxyz01234", sets.v[2].name);
	ASSERT_EQ(1, sets.v[2].n);
	ASSERT_EQ(0, sets.v[2].v[0].plen);
	/* A name that is no set dumps nothing. */
	ASSERT_LT(0, sf_sets_dump(&self->sk, "nope", &sets, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, sets.n);
	sf_sets_free(&sets);
}

/* Element changes are all or nothing; adding one already there is fine. */
TEST_F(fw, set_elems)
{
	struct sf_elem want[] = {
		sf_elem("10.0.0.0", 8), sf_elem("10.1.0.0", 16),
		sf_elem("10.3.0.0", 16), sf_elem("fd00::", 64),
	};
	struct sf_ack ack;

	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD,
		   "name=web elem=10.0.0.0/8 elem=10.1.0.0/16 elem=fd00::/64",
		   &ack);
	ASSERT_ACK(ack, 0, "");

	/* One new, one there already. */
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ELEM_ADD,
		   "name=web elem=10.1.0.0/16 elem=10.3.0.0/16", &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_SET(&self->sk, "web", want, 4, 0);
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ELEM_ADD,
		   "name=web elem=10.3.0.0/16 elem=10.3.0.0/16", &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_SET(&self->sk, "web", want, 4, 0);

	/* One there, one not: nothing is deleted. */
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ELEM_DEL,
		   "name=web elem=10.3.0.0/16 elem=10.4.0.0/16", &ack);
	ASSERT_ACK(ack, ENOENT, "slotfilter: element is not in the set");
	ASSERT_SET(&self->sk, "web", want, 4, 0);
	/* A prefix is deleted by its exact length. */
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ELEM_DEL,
		   "name=web elem=10.0.0.0/16", &ack);
	ASSERT_ACK(ack, ENOENT, "slotfilter: element is not in the set");
	ASSERT_SET(&self->sk, "web", want, 4, 0);

	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ELEM_DEL,
		   "name=web elem=10.3.0.0/16 elem=10.0.0.0/8", &ack);
	ASSERT_ACK(ack, 0, "");
	want[0] = want[1];
	want[1] = want[3];
	ASSERT_SET(&self->sk, "web", want, 2, 0);
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ELEM_DEL,
		   "name=web elem=10.1.0.0/16 elem=fd00::/64", &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_SET(&self->sk, "web", want, 0, 0);
	/* Deleting from an empty set. */
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ELEM_DEL,
		   "name=web elem=10.1.0.0/16", &ack);
	ASSERT_ACK(ack, ENOENT, "slotfilter: element is not in the set");
}

/* USERS counts the rules of the ruleset that use a set. */
TEST_F(fw, set_users)
{
	const struct sf_elem web[] = { sf_elem("10.1.0.0", 16) };
	struct sf_ack ack;

	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "name=web elem=10.1.0.0/16",
		   &ack);
	ASSERT_ACK(ack, 0, "");
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "name=db", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_replace(&self->sk, "| id=1 action=allow src=@web | id=2 action=drop"
		   " dst=@web | id=3 action=drop src=@db", NULL, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_SET(&self->sk, "web", web, 1, 2);
	ASSERT_SET(&self->sk, "db", web, 0, 1);

	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_DEL, "name=web", &ack);
	ASSERT_ACK(ack, EBUSY, "slotfilter: set is used by the ruleset");
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_DEL, "name=nope", &ack);
	ASSERT_ACK(ack, ENOENT, "slotfilter: no set of this name");

	/* Elements change under a ruleset that uses the set. */
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ELEM_ADD,
		   "name=web elem=10.2.0.0/16", &ack);
	ASSERT_ACK(ack, 0, "");

	sf_replace(&self->sk, "| id=3 action=drop src=@db", NULL, &ack);
	ASSERT_ACK(ack, 0, "");
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_DEL, "name=web", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_DEL, "name=web", &ack);
	ASSERT_ACK(ack, ENOENT, "slotfilter: no set of this name");
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_DEL, "name=db", &ack);
	ASSERT_ACK(ack, EBUSY, "slotfilter: set is used by the ruleset");
}

/* A rule that names a set as source and destination is one user. */
TEST_F(fw, set_users_per_rule)
{
	struct sf_elem web = { 0 };
	struct sf_ack ack;

	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "name=web", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_replace(&self->sk, "| id=1 action=allow src=@web dst=@web", NULL,
		   &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_SET(&self->sk, "web", &web, 0, 1);
}

/* Bad set requests change nothing. */
TEST_F(fw, set_refused)
{
	const struct sf_elem want[] = { sf_elem("10.1.0.0", 16) };
	struct sf_sets sets = { 0 };
	struct sf_ack ack;

	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "name=web elem=10.1.0.0/16",
		   &ack);
	ASSERT_ACK(ack, 0, "");

	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "elem=10.2.0.0/16", &ack);
	ASSERT_ACK(ack, EINVAL,
		   "slotfilter: missing set name (SLOTFILTER_SET_A_NAME)");
	ASSERT_EQ(SLOTFILTER_SET_A_NAME, ack.miss_type);
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "^name=bad!", &ack);
	ASSERT_ACK(ack, EINVAL, SF_BAD_SET_NAME);
	ASSERT_EQ(sf_marks[0], ack.offs);
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "^name=", &ack);
	ASSERT_ACK(ack, EINVAL, SF_BAD_SET_NAME);
	ASSERT_EQ(sf_marks[0], ack.offs);
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "^name=" SF_NAME_32, &ack);
	ASSERT_ACK(ack, EINVAL, "Attribute failed policy validation");
	ASSERT_EQ(sf_marks[0], ack.offs);
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD,
		   "name=x elem=10.2.0.0/16 ^elem=@web", &ack);
	ASSERT_ACK(ack, EINVAL, "a set element is a prefix, not a set");
	ASSERT_EQ(sf_marks[0], ack.offs);
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD,
		   "name=x elem=^10.2.0.1/16", &ack);
	ASSERT_ACK(ack, EINVAL, "address has bits set beyond its prefix length");
	ASSERT_EQ(sf_marks[0], ack.offs);
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD,
		   "name=x elem=10.2.0.0/^33", &ack);
	ASSERT_ACK(ack, EINVAL,
		   "prefix length out of range for the address family");
	ASSERT_EQ(sf_marks[0], ack.offs);
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD,
		   "name=x elem=fd00::/^129", &ack);
	ASSERT_ACK(ack, ERANGE, "integer out of range");
	ASSERT_EQ(sf_marks[0], ack.offs);
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "name=x ^elem=/8", &ack);
	ASSERT_ACK(ack, EINVAL, "address without ADDR");
	ASSERT_EQ(sf_marks[0], ack.offs);
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "name=x ^nelems=1", &ack);
	ASSERT_ACK(ack, EINVAL, SF_REPLY_ONLY);
	ASSERT_EQ(sf_marks[0], ack.offs);
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "name=x ^users=1", &ack);
	ASSERT_ACK(ack, EINVAL, SF_REPLY_ONLY);
	ASSERT_EQ(sf_marks[0], ack.offs);

	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ELEM_ADD, "name=web", &ack);
	ASSERT_ACK(ack, EINVAL,
		   "slotfilter: no element given (SLOTFILTER_SET_A_ELEM)");
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ELEM_DEL, "name=web", &ack);
	ASSERT_ACK(ack, EINVAL,
		   "slotfilter: no element given (SLOTFILTER_SET_A_ELEM)");
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ELEM_ADD,
		   "name=nope elem=10.2.0.0/16", &ack);
	ASSERT_ACK(ack, ENOENT, "slotfilter: no set of this name");
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ELEM_ADD,
		   "name=web elem=10.2.0.0/16 elem=^10.3.0.1/16", &ack);
	ASSERT_ACK(ack, EINVAL, "address has bits set beyond its prefix length");
	ASSERT_EQ(sf_marks[0], ack.offs);
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_DEL, "", &ack);
	ASSERT_ACK(ack, EINVAL,
		   "slotfilter: missing set name (SLOTFILTER_SET_A_NAME)");

	ASSERT_LT(0, sf_sets_dump(&self->sk, NULL, &sets, &ack));
	ASSERT_EQ(1, sets.n);
	sf_sets_free(&sets);
	ASSERT_SET(&self->sk, "web", want, 1, 0);
}

/* SET_ADD with @n elements made by sf_gen_elem(@first + i). */
struct sf_gen_set {
	const char *name;
	int first, n;
};

/* Element @i: 10.x.y.z/32 for even @i, fd00::x/128 for odd, out of order. */
static void sf_gen_elem(struct nlmsghdr *nlh, int i)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, SLOTFILTER_SET_A_ELEM);
	uint32_t k = (uint32_t)i * 2654435761u;		/* a permutation */
	uint8_t a[16] = { 0xfd };

	if (i & 1) {
		memcpy(a + 12, &k, 4);
		mnl_attr_put(nlh, SLOTFILTER_ADDR_A_ADDR, 16, a);
	} else {
		k = htonl(0x0a000000 | (k & 0xffffff));
		mnl_attr_put(nlh, SLOTFILTER_ADDR_A_ADDR, 4, &k);
	}
	mnl_attr_nest_end(nlh, nest);
}

static void sf_build_gen_set(struct nlmsghdr *nlh, const void *arg)
{
	const struct sf_gen_set *g = arg;
	int i;

	mnl_attr_put_strz(nlh, SLOTFILTER_SET_A_NAME, g->name);
	for (i = 0; i < g->n; i++)
		sf_gen_elem(nlh, g->first + i);
}

static int sf_elem_cmp(const struct sf_elem *a, const struct sf_elem *b)
{
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return memcmp(a->addr, b->addr, a->len) ?: a->plen - b->plen;
}

/* A set of 10000 elements dumps whole, sorted, over several messages. */
TEST_F(fw, set_large)
{
	struct sf_gen_set g = { "big", 0, 10000 };
	struct sf_sets sets = { 0 };
	const struct sf_set_info *set;
	struct sf_ack ack;
	int i, reads;

	sf_talk(&self->sk, SLOTFILTER_CMD_SET_ADD, NLM_F_ACK, sf_build_gen_set,
		&g, NULL, NULL, &ack);
	ASSERT_ACK(ack, 0, "");
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "name=after elem=::/0",
		   &ack);
	ASSERT_ACK(ack, 0, "");

	reads = sf_sets_dump(&self->sk, NULL, &sets, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_LT(1, reads);
	ASSERT_EQ(0, sets.bad);
	ASSERT_EQ(2, sets.n);
	set = &sets.v[0];
	ASSERT_STREQ("big", set->name);
	ASSERT_LT(1, set->nmsgs);
	ASSERT_EQ(1, set->nheads);
	ASSERT_EQ(10000, set->nelems);
	ASSERT_EQ(0, set->users);
	ASSERT_EQ(10000, set->n);
	for (i = 0; i < set->n; i++) {
		ASSERT_EQ(set->v[i].len == 4 ? 32 : 128, set->v[i].plen);
		if (i) {
			ASSERT_GT(0, sf_elem_cmp(&set->v[i - 1], &set->v[i]))
				TH_LOG("elements %d and %d", i - 1, i);
		}
	}
	ASSERT_EQ(4, set->v[4999].len);
	ASSERT_EQ(16, set->v[5000].len);
	ASSERT_STREQ("after", sets.v[1].name);
	ASSERT_EQ(1, sets.v[1].n);
	sf_sets_free(&sets);
}

/* SLOTFILTER_SET_ELEMS_MAX elements, not one more. */
TEST_F_TIMEOUT(fw, set_elems_max, 120)
{
	struct sf_gen_set g = { "big", 0, SLOTFILTER_SET_ELEMS_MAX + 1 };
	struct sf_sets sets = { 0 };
	struct sf_ack ack;

	sf_talk(&self->sk, SLOTFILTER_CMD_SET_ADD, NLM_F_ACK, sf_build_gen_set,
		&g, NULL, NULL, &ack);
	ASSERT_ACK(ack, ENOSPC, "slotfilter: a set holds at most 65536 elements");
	ASSERT_LT(0, sf_sets_dump(&self->sk, NULL, &sets, &ack));
	ASSERT_EQ(0, sets.n);

	g.n = SLOTFILTER_SET_ELEMS_MAX;
	sf_talk(&self->sk, SLOTFILTER_CMD_SET_ADD, NLM_F_ACK, sf_build_gen_set,
		&g, NULL, NULL, &ack);
	ASSERT_ACK(ack, 0, "");
	g.first = SLOTFILTER_SET_ELEMS_MAX;
	g.n = 1;
	sf_talk(&self->sk, SLOTFILTER_CMD_SET_ELEM_ADD, NLM_F_ACK,
		sf_build_gen_set, &g, NULL, NULL, &ack);
	ASSERT_ACK(ack, ENOSPC, "slotfilter: a set holds at most 65536 elements");
	ASSERT_LT(0, sf_sets_dump(&self->sk, "big", &sets, &ack));
	ASSERT_EQ(1, sets.n);
	ASSERT_EQ(SLOTFILTER_SET_ELEMS_MAX, sets.v[0].nelems);
	ASSERT_EQ(SLOTFILTER_SET_ELEMS_MAX, sets.v[0].n);
	sf_sets_free(&sets);

	/* Replacing one element in a full set: delete, then add. */
	g.first = 0;
	sf_talk(&self->sk, SLOTFILTER_CMD_SET_ELEM_DEL, NLM_F_ACK,
		sf_build_gen_set, &g, NULL, NULL, &ack);
	ASSERT_ACK(ack, 0, "");
	g.first = SLOTFILTER_SET_ELEMS_MAX;
	sf_talk(&self->sk, SLOTFILTER_CMD_SET_ELEM_ADD, NLM_F_ACK,
		sf_build_gen_set, &g, NULL, NULL, &ack);
	ASSERT_ACK(ack, 0, "");
}

/* "Adding an element already there is not an error", full set or not. */
TEST_F_TIMEOUT(fw, set_full_add_existing, 120)
{
	struct sf_gen_set g = { "big", 0, SLOTFILTER_SET_ELEMS_MAX };
	struct sf_ack ack;

	sf_talk(&self->sk, SLOTFILTER_CMD_SET_ADD, NLM_F_ACK, sf_build_gen_set,
		&g, NULL, NULL, &ack);
	ASSERT_ACK(ack, 0, "");
	g.first = 7;
	g.n = 1;
	sf_talk(&self->sk, SLOTFILTER_CMD_SET_ELEM_ADD, NLM_F_ACK,
		sf_build_gen_set, &g, NULL, NULL, &ack);
	ASSERT_ACK(ack, 0, "");
}

/*
 * Many sets in one dump: each set's first message, and only that one,
 * carries NELEMS and USERS, wherever a message boundary falls.
 */
TEST_F_TIMEOUT(fw, set_dump_many, 120)
{
	struct sf_sets sets = { 0 };
	char text[128], name[SLOTFILTER_NAME_MAX];
	struct sf_ack ack;
	int i, len;

	for (i = 0; i < 300; i++) {
		len = 1 + i % 31;
		snprintf(name, sizeof(name), "%0*d", len, i);
		snprintf(text, sizeof(text), "name=%s elem=10.%d.0.0/16", name,
			 i % 256);
		sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, text, &ack);
		ASSERT_ACK(ack, 0, "");
	}
	ASSERT_LT(1, sf_sets_dump(&self->sk, NULL, &sets, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, sets.bad);
	ASSERT_EQ(300, sets.n);
	for (i = 0; i < 300; i++) {
		EXPECT_EQ(1, sets.v[i].nheads)
			TH_LOG("set %s: NELEMS in %d of its %d messages",
			       sets.v[i].name, sets.v[i].nheads,
			       sets.v[i].nmsgs);
		ASSERT_EQ(1, sets.v[i].n);
		ASSERT_EQ(1, sets.v[i].nelems);
	}
	sf_sets_free(&sets);
}

/* ---- port tags ----------------------------------------------------------- */

/* The tags of @ifindex are exactly the strings of @want (NULL-ended). */
#define ASSERT_TAGS(s, ifindex, ...) do {				\
	const char *const _want[] = { __VA_ARGS__, NULL };		\
	struct sf_tags _tags;						\
	struct sf_ack _ack;						\
	int _i;								\
									\
	sf_port_tags(s, ifindex, &_tags, &_ack);			\
	ASSERT_ACK(_ack, 0, "");					\
	ASSERT_EQ(1, _tags.ports);					\
	ASSERT_EQ(0, _tags.bad);					\
	for (_i = 0; _want[_i]; _i++) {					\
		ASSERT_LT(_i, _tags.n);					\
		ASSERT_STREQ(_want[_i], _tags.tag[_i]);			\
	}								\
	ASSERT_EQ(_i, _tags.n);						\
} while (0)

/* Tagging and untagging; PORT_GET lists the tags in the order added. */
TEST_F(fw, tags)
{
	uint32_t p0, p1, d2;
	struct sf_ack ack;

	p0 = sf_dummy("sf0");
	p1 = sf_dummy("sf1");
	d2 = sf_dummy("sf2");
	ASSERT_NE(0U, p0);
	ASSERT_NE(0U, p1);
	ASSERT_NE(0U, d2);
	sf_port_add(&self->sk, p0, &ack);
	ASSERT_ACK(ack, 0, "");
	sf_port_add(&self->sk, p1, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_TAGS(&self->sk, p0, NULL);
	sf_ifx[0] = p0;

	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p0, "web", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p0, "db", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p0, "a-1.x_Y", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p0,
	       "abcdefghijklmnopqrstuvwxyz01234", &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_TAGS(&self->sk, p0, "web", "db", "a-1.x_Y",
		    "abcdefghijklmnopqrstuvwxyz01234");

	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p0, "db", &ack);
	ASSERT_ACK(ack, EEXIST, "slotfilter: the port carries this tag already");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p1, "db", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_UNTAG, p1, "web", &ack);
	ASSERT_ACK(ack, ENOENT, "slotfilter: the port does not carry this tag");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_UNTAG, p0, "nope", &ack);
	ASSERT_ACK(ack, ENOENT, "slotfilter: the port does not carry this tag");

	/* Untagging keeps the others in order. */
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_UNTAG, p0, "db", &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_TAGS(&self->sk, p0, "web", "a-1.x_Y",
		    "abcdefghijklmnopqrstuvwxyz01234");
	ASSERT_TAGS(&self->sk, p1, "db");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p0, "db", &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_TAGS(&self->sk, p0, "web", "a-1.x_Y",
		    "abcdefghijklmnopqrstuvwxyz01234", "db");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_UNTAG, p0, "web", &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_TAGS(&self->sk, p0, "a-1.x_Y", "abcdefghijklmnopqrstuvwxyz01234",
		    "db");

	/* Refused requests. */
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, d2, "web", &ack);
	ASSERT_ACK(ack, ENOENT, SF_NOT_A_PORT);
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_UNTAG, d2, "web", &ack);
	ASSERT_ACK(ack, ENOENT, SF_NOT_A_PORT);
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p0, "bad!", &ack);
	ASSERT_ACK(ack, EINVAL, SF_BAD_TAG_NAME);
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p0, "", &ack);
	ASSERT_ACK(ack, EINVAL, SF_BAD_TAG_NAME);
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_UNTAG, p0, "", &ack);
	ASSERT_ACK(ack, EINVAL, SF_BAD_TAG_NAME);
	sf_req_talk(&self->sk, SLOTFILTER_CMD_PORT_TAG, NLM_F_ACK, sf_port_keys,
		    "ifindex=$0 ^tag=" SF_NAME_32, NULL, NULL, &ack);
	ASSERT_ACK(ack, EINVAL, "Attribute failed policy validation");
	ASSERT_EQ(sf_marks[0], ack.offs);
	sf_req_talk(&self->sk, SLOTFILTER_CMD_PORT_TAG, NLM_F_ACK, sf_port_keys,
		    "ifindex=$0", NULL, NULL, &ack);
	ASSERT_ACK(ack, EINVAL, "slotfilter: missing tag (SLOTFILTER_PORT_A_TAG)");
	ASSERT_EQ(SLOTFILTER_PORT_A_TAG, ack.miss_type);
	sf_req_talk(&self->sk, SLOTFILTER_CMD_PORT_UNTAG, NLM_F_ACK,
		    sf_port_keys, "tag=db", NULL, NULL, &ack);
	ASSERT_ACK(ack, EINVAL,
		   "slotfilter: missing port ifindex (SLOTFILTER_PORT_A_IFINDEX)");
	ASSERT_EQ(SLOTFILTER_PORT_A_IFINDEX, ack.miss_type);
	sf_req_talk(&self->sk, SLOTFILTER_CMD_PORT_TAG, NLM_F_ACK, sf_port_keys,
		    "ifindex=$0 tag=x ^tags=1", NULL, NULL, &ack);
	ASSERT_ACK(ack, EINVAL, SF_REPLY_ONLY);
	ASSERT_EQ(sf_marks[0], ack.offs);
	ASSERT_TAGS(&self->sk, p0, "a-1.x_Y", "abcdefghijklmnopqrstuvwxyz01234",
		    "db");

	/* A port's tags go with it. */
	ASSERT_EQ(0, sf_sh("ip link del sf0"));
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_UNTAG, p1, "db", &ack);
	ASSERT_ACK(ack, 0, "");
}

/* A port carries SLOTFILTER_PORT_TAGS_MAX tags. */
TEST_F(fw, tags_per_port_max)
{
	const char *want[SLOTFILTER_PORT_TAGS_MAX];
	char names[SLOTFILTER_PORT_TAGS_MAX + 1][8];
	struct sf_tags tags;
	struct sf_ack ack;
	uint32_t p0;
	int i;

	p0 = sf_dummy("sf0");
	ASSERT_NE(0U, p0);
	sf_port_add(&self->sk, p0, &ack);
	ASSERT_ACK(ack, 0, "");
	for (i = 0; i <= SLOTFILTER_PORT_TAGS_MAX; i++)
		snprintf(names[i], sizeof(names[i]), "t%d", i);
	for (i = 0; i < SLOTFILTER_PORT_TAGS_MAX; i++) {
		sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p0, names[i], &ack);
		ASSERT_ACK(ack, 0, "");
		want[i] = names[i];
	}
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p0, "t16", &ack);
	ASSERT_ACK(ack, ENOSPC, "slotfilter: a port carries at most 16 tags");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p0, "t3", &ack);
	ASSERT_ACK(ack, EEXIST, "slotfilter: the port carries this tag already");

	sf_port_tags(&self->sk, p0, &tags, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(SLOTFILTER_PORT_TAGS_MAX, tags.n);
	for (i = 0; i < SLOTFILTER_PORT_TAGS_MAX; i++)
		ASSERT_STREQ(want[i], tags.tag[i]);

	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_UNTAG, p0, "t0", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p0, "t16", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_port_tags(&self->sk, p0, &tags, &ack);
	ASSERT_EQ(SLOTFILTER_PORT_TAGS_MAX, tags.n);
	ASSERT_STREQ("t1", tags.tag[0]);
	ASSERT_STREQ("t16", tags.tag[SLOTFILTER_PORT_TAGS_MAX - 1]);
}

/*
 * A namespace has SLOTFILTER_TAGS_MAX distinct tags, held by ports and by
 * the ruleset's applied-to; an id is free again when its last user goes.
 */
TEST_F(fw, tags_per_netns_max)
{
	const int ports = SLOTFILTER_TAGS_MAX / SLOTFILTER_PORT_TAGS_MAX;
	const char *const full =
		"slotfilter: too many distinct tags in this namespace (64)";
	uint32_t p[SLOTFILTER_TAGS_MAX / SLOTFILTER_PORT_TAGS_MAX + 1];
	char name[16];
	struct sf_ack ack;
	int i, t;

	for (i = 0; i <= ports; i++) {
		snprintf(name, sizeof(name), "sf%d", i);
		p[i] = sf_dummy(name);
		ASSERT_NE(0U, p[i]);
		sf_port_add(&self->sk, p[i], &ack);
		ASSERT_ACK(ack, 0, "");
	}
	/* The ruleset holds "ghost", which no port carries. */
	sf_replace(&self->sk, "| id=1 action=drop to=ghost", NULL, &ack);
	ASSERT_ACK(ack, 0, "");
	for (t = 0; t < SLOTFILTER_TAGS_MAX - 1; t++) {
		snprintf(name, sizeof(name), "t%d", t);
		sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG,
		       p[t / SLOTFILTER_PORT_TAGS_MAX], name, &ack);
		ASSERT_ACK(ack, 0, "");
	}
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p[ports], "t63", &ack);
	ASSERT_ACK(ack, ENOSPC, full);
	/* A tag that exists takes no new id. */
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p[ports], "t5", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p[ports], "ghost", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_UNTAG, p[ports], "ghost", &ack);
	ASSERT_ACK(ack, 0, "");

	/* A ruleset naming a 65th tag is refused as a whole. */
	sf_replace(&self->sk, "| id=2 action=allow to=t1 | id=3 action=allow"
		   " to=t2,^new", NULL, &ack);
	ASSERT_ACK(ack, ENOSPC, full);
	ASSERT_EQ(sf_marks[0], ack.offs);

	/* Committing a ruleset without "ghost" frees its id. */
	sf_replace(&self->sk, "| id=1 action=drop to=t0", NULL, &ack);
	ASSERT_ACK(ack, 0, "");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p[ports], "t63", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p[ports], "t64", &ack);
	ASSERT_ACK(ack, ENOSPC, full);

	/* A refused ruleset gives back the ids its rules took. */
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_UNTAG, p[ports], "t63", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_replace(&self->sk, "| id=1 action=drop to=leak | id=1 action=drop",
		   NULL, &ack);
	ASSERT_ACK(ack, EEXIST, "duplicate rule id");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p[ports], "t63", &ack);
	ASSERT_ACK(ack, 0, "");

	/* Untagging the last user of a tag frees its id. */
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_UNTAG, p[0], "t15", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, p[ports], "t64", &ack);
	ASSERT_ACK(ack, 0, "");
}

/* ---- privilege ----------------------------------------------------------- */

/* What a caller without CAP_NET_ADMIN over the namespace got. */
struct sf_unpriv {
	int unshare_errno;
	int open_err;
	struct sf_ack cfg[12];		/* the configuration commands */
	int ncfg;
	struct sf_ack get, dump, sets, flows;
	struct sf_fw_info fw;
	int nrules, nsets, nflows;
};

static void sf_unpriv_child(void *arg)
{
	static const struct {
		uint8_t cmd;
		const struct sf_key *keys;
		const char *text;
	} cfg[] = {
		{ SLOTFILTER_CMD_PORT_ADD, sf_port_keys, "ifindex=$1" },
		{ SLOTFILTER_CMD_PORT_DEL, sf_port_keys, "ifindex=$0" },
		{ SLOTFILTER_CMD_PORT_TAG, sf_port_keys, "ifindex=$0 tag=db" },
		{ SLOTFILTER_CMD_PORT_UNTAG, sf_port_keys, "ifindex=$0 tag=web" },
		{ SLOTFILTER_CMD_SET_ADD, sf_set_keys, "name=new" },
		{ SLOTFILTER_CMD_SET_DEL, sf_set_keys, "name=spare" },
		{ SLOTFILTER_CMD_SET_ELEM_ADD, sf_set_keys,
		  "name=web elem=10.2.0.0/16" },
		{ SLOTFILTER_CMD_SET_ELEM_DEL, sf_set_keys,
		  "name=web elem=10.1.0.0/16" },
		{ SLOTFILTER_CMD_FW_REPLACE, sf_fw_keys, "gen=1" },
		{ SLOTFILTER_CMD_FW_RESET, sf_fw_keys, "" },
	};
	struct sf_unpriv *r = arg;
	struct sf_sets sets = { 0 };
	struct sf_rules rules = { 0 };
	struct sf_flows flows;
	struct sf_sock s;
	int i;

	/* No uid map: the caller becomes nobody, with no capability in
	 * the user namespace that owns the test's network namespace.
	 */
	if (unshare(CLONE_NEWUSER)) {
		r->unshare_errno = errno;
		return;
	}
	r->open_err = sf_open(&s);
	if (r->open_err)
		return;
	for (i = 0; i < (int)ARRAY_SIZE(cfg); i++)
		sf_req_talk(&s, cfg[i].cmd, NLM_F_ACK, cfg[i].keys,
			    cfg[i].text, NULL, NULL, &r->cfg[r->ncfg++]);
	sf_fw_get(&s, &r->fw, &r->get);
	if (sf_rules_dump(&s, &rules, &r->dump) > 0)
		r->nrules = rules.n;
	if (sf_sets_dump(&s, NULL, &sets, &r->sets) > 0)
		r->nsets = sets.n;
	if (sf_flows_dump(&s, 0, &flows, &r->flows) > 0)
		r->nflows = flows.n;
	free(rules.v);
	sf_sets_free(&sets);
	sf_close(&s);
}

/*
 * Every configuration command needs CAP_NET_ADMIN over the namespace
 * (EPERM from the genetlink core, no message); reading needs nothing.
 */
TEST_F(fw, unprivileged)
{
	static const char *const rules = "| id=1 action=allow src=@web to=web";
	struct sf_unpriv *r = sf_shared(sizeof(*r));
	const struct sf_elem web = sf_elem("10.1.0.0", 16);
	struct sf_ack ack;
	int i;

	ASSERT_NE(NULL, r);
	sf_ifx[0] = sf_dummy("sf0");
	sf_ifx[1] = sf_dummy("sf1");
	ASSERT_NE(0U, sf_ifx[0]);
	ASSERT_NE(0U, sf_ifx[1]);
	sf_port_add(&self->sk, sf_ifx[0], &ack);
	ASSERT_ACK(ack, 0, "");
	sf_tag(&self->sk, SLOTFILTER_CMD_PORT_TAG, sf_ifx[0], "web", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "name=web elem=10.1.0.0/16",
		   &ack);
	ASSERT_ACK(ack, 0, "");
	sf_set_cmd(&self->sk, SLOTFILTER_CMD_SET_ADD, "name=spare", &ack);
	ASSERT_ACK(ack, 0, "");
	sf_replace(&self->sk, rules, NULL, &ack);
	ASSERT_ACK(ack, 0, "");

	ASSERT_EQ(0, sf_child(sf_unpriv_child, r));
	ASSERT_EQ(0, r->unshare_errno)
		TH_LOG("unshare(CLONE_NEWUSER): %s", strerror(r->unshare_errno));
	ASSERT_EQ(0, r->open_err);
	ASSERT_EQ(10, r->ncfg);
	for (i = 0; i < r->ncfg; i++)
		ASSERT_ACK(r->cfg[i], EPERM, "");
	ASSERT_ACK(r->get, 0, "");
	ASSERT_EQ(1, r->fw.gen);
	ASSERT_EQ(1, r->fw.nrules);
	ASSERT_ACK(r->dump, 0, "");
	ASSERT_EQ(1, r->nrules);
	ASSERT_ACK(r->sets, 0, "");
	ASSERT_EQ(2, r->nsets);
	ASSERT_ACK(r->flows, 0, "");
	ASSERT_EQ(0, r->nflows);

	/* And nothing changed. */
	ASSERT_RULESET(&self->sk, 1, rules);
	ASSERT_SET(&self->sk, "web", &web, 1, 1);
	ASSERT_SET(&self->sk, "spare", &web, 0, 0);
	ASSERT_TAGS(&self->sk, sf_ifx[0], "web");
	munmap(r, sizeof(*r));
}

/* ---- traffic through the firewall ---------------------------------------- */

FIXTURE(fwnet) {
	struct sf_sock sk;
	int home, peer;			/* the test's netns, the peer's */
	uint32_t port;			/* p0 */
};

FIXTURE_VARIANT(fwnet) {
	int family;
	const char *here, *there;	/* p0's address, w0's */
	int plen;
	const char *icmp;		/* the protocol's name in rules */
	int echo;			/* ICMP(v6) type of an echo request */
	int ip_hlen;
	int echo_len;			/* bytes of an echo request's frame */
	int dropped_send;		/* sf_echo() through a drop at egress */
	/* What the sender of a rejected datagram learns. */
	int ee_origin, ee_type, ee_code, ee_errno;
};

FIXTURE_VARIANT_ADD(fwnet, ipv4) {
	.family = AF_INET,
	.here = "10.9.0.1", .there = "10.9.0.2", .plen = 24,
	.icmp = "icmp", .echo = 8,
	.ip_hlen = 20,
	.echo_len = 14 + 20 + 8 + SF_ECHO_DATA,
	/* raw_sendmsg() hides the ENOBUFS of a dropped packet */
	.dropped_send = ETIMEDOUT,
	/* ICMP_DEST_UNREACH / ICMP_PKT_FILTERED (icmp_err_convert[]) */
	.ee_origin = SO_EE_ORIGIN_ICMP, .ee_type = 3, .ee_code = 13,
	.ee_errno = EHOSTUNREACH,
};

FIXTURE_VARIANT_ADD(fwnet, ipv6) {
	.family = AF_INET6,
	.here = "fd00:9::1", .there = "fd00:9::2", .plen = 64,
	.icmp = "icmpv6", .echo = 128,
	.ip_hlen = 40,
	.echo_len = 14 + 40 + 8 + SF_ECHO_DATA,
	/* rawv6_sendmsg() does not */
	.dropped_send = ENOBUFS,
	/* ICMPV6_DEST_UNREACH / ICMPV6_ADM_PROHIBITED (tab_unreach[]) */
	.ee_origin = SO_EE_ORIGIN_ICMP6, .ee_type = 1, .ee_code = 1,
	.ee_errno = EACCES,
};

FIXTURE_SETUP(fwnet)
{
	const char *nodad = variant->family == AF_INET6 ? " nodad" : "";
	struct sf_ack ack;
	int err;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	self->home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->home);
	if (variant->family == AF_INET)
		ASSERT_EQ(0, sf_no_ipv6());
	self->peer = sf_netns_new(self->home);
	ASSERT_LE(0, self->peer);
	ASSERT_EQ(0, setns(self->peer, CLONE_NEWNET));
	if (variant->family == AF_INET)
		ASSERT_EQ(0, sf_no_ipv6());
	ASSERT_EQ(0, setns(self->home, CLONE_NEWNET));

	ASSERT_EQ(0, sf_sh("ip link add p0 address 02:00:00:00:00:01 type veth "
			   "peer name w0 address 02:00:00:00:00:02 netns %s",
			   sf_netns_path(self->peer)));
	ASSERT_EQ(0, sf_sh("ip addr add %s/%d dev p0%s && "
			   "ip neigh replace %s lladdr 02:00:00:00:00:02 "
			   "dev p0 nud permanent", variant->here, variant->plen,
			   nodad, variant->there));
	ASSERT_EQ(0, setns(self->peer, CLONE_NEWNET));
	ASSERT_EQ(0, sf_sh("ip addr add %s/%d dev w0%s && "
			   "ip neigh replace %s lladdr 02:00:00:00:00:01 "
			   "dev w0 nud permanent && ip link set w0 up",
			   variant->there, variant->plen, nodad,
			   variant->here));
	ASSERT_EQ(0, setns(self->home, CLONE_NEWNET));
	self->port = if_nametoindex("p0");
	ASSERT_NE(0U, self->port);
	err = sf_open(&self->sk);
	ASSERT_EQ(0, err) TH_LOG("%s", strerror(-err));
	sf_port_add(&self->sk, self->port, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, sf_sh("ip link set p0 up"));
}

FIXTURE_TEARDOWN(fwnet)
{
	sf_close(&self->sk);
	if (self->peer > 0)
		close(self->peer);
	if (self->home > 0)
		close(self->home);
}

/* FW_REPLACE of a formatted text, which must be accepted. */
static __attribute__((format(printf, 3, 4)))
int sf_replacef(struct sf_sock *s, struct sf_ack *ack, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return sf_replace(s, text, NULL, ack);
}

/* The rule @id of an FW_GET dump; NULL if absent. */
static const struct sf_rule_info *sf_rule_find(const struct sf_rules *rules,
					       int64_t id)
{
	int i;

	for (i = 0; i < rules->n; i++)
		if (rules->v[i].id == id)
			return &rules->v[i];
	return NULL;
}

/* Rule @id's counters, from a fresh dump. */
#define ASSERT_COUNTERS(s, id_, packets_, bytes_, flows_) do {		\
	struct sf_rules _rules = { 0 };					\
	const struct sf_rule_info *_r;					\
	struct sf_ack _ack;						\
									\
	ASSERT_LT(0, sf_rules_dump(s, &_rules, &_ack));			\
	ASSERT_ACK(_ack, 0, "");					\
	_r = sf_rule_find(&_rules, id_);				\
	ASSERT_NE(NULL, _r) TH_LOG("no rule %d", id_);			\
	ASSERT_EQ(packets_, _r->packets) TH_LOG("rule %d", id_);	\
	ASSERT_EQ(bytes_, _r->bytes) TH_LOG("rule %d", id_);		\
	ASSERT_EQ(flows_, _r->flows) TH_LOG("rule %d", id_);		\
	if (packets_) {							\
		ASSERT_LT(0, _r->last_hit);				\
	} else {							\
		ASSERT_EQ(0, _r->last_hit);				\
	}								\
	free(_rules.v);							\
} while (0)

/*
 * Default drop with one rule allowing ICMP echo in: the peer's ping is
 * answered (its reply passes as part of the flow), one from the port's
 * side is not; the one flow is listed with its opener and rule. (The rule
 * names the echo type: the peer's MLD reports are ICMPv6 too.)
 */
TEST_F_TIMEOUT(fwnet, icmp_flow, 90)
{
	const struct sf_elem here = sf_elem_of(variant->family, variant->here);
	const struct sf_elem there = sf_elem_of(variant->family, variant->there);
	const int proto = variant->family == AF_INET ? IPPROTO_ICMP :
						       IPPROTO_ICMPV6;
	const struct sf_flow_info *f;
	struct sf_flows flows;
	struct sf_fw_info fw;
	struct sf_ack ack;

	sf_replacef(&self->sk, &ack,
		    "default=drop | id=5 action=allow dir=in proto=%s type=%d",
		    variant->icmp, variant->echo);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, sf_echo(self->peer, self->home, variant->family,
			     variant->here, 0x1234, 5000));
	ASSERT_EQ(variant->dropped_send,
		  sf_echo(self->home, self->home, variant->family,
			  variant->there, 0x4321, 1000));
	/* Later packets of the flow pass without a rule. */
	ASSERT_EQ(0, sf_echo(self->peer, self->home, variant->family,
			     variant->here, 0x1234, 5000));

	ASSERT_LT(0, sf_flows_dump(&self->sk, 0, &flows, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(1, flows.n);
	f = &flows.v[0];
	ASSERT_EQ(0, f->bad);
	ASSERT_EQ(SLOTFILTER_CMD_FLOW_GET, f->cmd);
	ASSERT_EQ(self->port, f->ifindex);
	ASSERT_EQ(SLOTFILTER_DIR_INGRESS, f->dir);
	ASSERT_EQ(proto, f->proto);
	ASSERT_TRUE(sf_elem_eq(&there, &f->src));
	ASSERT_TRUE(sf_elem_eq(&here, &f->dst));
	ASSERT_EQ(0x1234, f->sport);
	ASSERT_EQ(0x1234, f->dport);
	ASSERT_EQ(SLOTFILTER_TCP_NONE, f->state);
	ASSERT_LT(0, f->expires);
	ASSERT_GE(sf_timeout_default[SLOTFILTER_TIMEOUT_ICMP] * 1000,
		  f->expires);
	ASSERT_EQ(5, f->rule_id);
	ASSERT_LE(0, f->id);
	ASSERT_EQ(-1, f->action);

	ASSERT_LT(0, sf_flows_dump(&self->sk, self->port, &flows, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(1, flows.n);
	ASSERT_LT(0, sf_flows_dump(&self->sk, self->port + 100, &flows, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, flows.n);

	sf_fw_get(&self->sk, &fw, &ack);
	ASSERT_EQ(1, fw.flows);
	ASSERT_EQ(0, fw.refused);
	/* The rule judged the flow's first packet only. */
	ASSERT_COUNTERS(&self->sk, 5, 1, variant->echo_len, 1);
}

/* Reject answers TCP with a RST: the client sees ECONNREFUSED. */
TEST_F_TIMEOUT(fwnet, reject_tcp, 90)
{
	struct sf_ack ack;
	int fd[4], i, c;

	sf_replacef(&self->sk, &ack,
		    "| id=3 action=reject dir=in proto=tcp dport=8080"
		    " | id=4 action=reject dir=out proto=tcp dport=8082");
	ASSERT_ACK(ack, 0, "");
	fd[0] = sf_server(self->home, self->home, variant->family, SOCK_STREAM,
			  8080);
	fd[1] = sf_server(self->home, self->home, variant->family, SOCK_STREAM,
			  8081);
	fd[2] = sf_server(self->peer, self->home, variant->family, SOCK_STREAM,
			  8082);
	fd[3] = sf_server(self->peer, self->home, variant->family, SOCK_STREAM,
			  8083);
	for (i = 0; i < 4; i++)
		ASSERT_LE(0, fd[i]);

	/* In through the port: the RST goes back out of it. */
	ASSERT_EQ(ECONNREFUSED, sf_connect(self->peer, self->home,
					   variant->family, variant->here,
					   8080));
	ASSERT_EQ(0, sf_connect(self->peer, self->home, variant->family,
				variant->here, 8081));
	/* Out of the port: the RST comes back in through it. */
	ASSERT_EQ(ECONNREFUSED, sf_connect(self->home, self->home,
					   variant->family, variant->there,
					   8082));
	ASSERT_EQ(0, sf_connect(self->home, self->home, variant->family,
				variant->there, 8083));

	/* The servers saw the allowed connections only. */
	for (i = 0; i < 4; i++) {
		c = accept(fd[i], NULL, NULL);
		if (i & 1) {
			ASSERT_LE(0, c) TH_LOG("server %d: %m", i);
		} else {
			ASSERT_EQ(-1, c) TH_LOG("server %d", i);
		}
		if (c >= 0)
			close(c);
		close(fd[i]);
	}
	/* One SYN each (with MSS, SACK, timestamps, window scale). */
	ASSERT_COUNTERS(&self->sk, 3, 1, 14 + variant->ip_hlen + 40, 0);
	ASSERT_COUNTERS(&self->sk, 4, 1, 14 + variant->ip_hlen + 40, 0);
}

/*
 * Reject answers UDP with ICMP administratively prohibited (ICMPv6
 * administratively prohibited): a connected sender with IP(V6)_RECVERR
 * reads the error and finds it on its error queue.
 */
TEST_F_TIMEOUT(fwnet, reject_udp, 90)
{
	struct sf_udp_err e;
	char buf[16];
	struct sf_ack ack;
	int fd[2], i;

	sf_replacef(&self->sk, &ack,
		    "| id=6 action=reject dir=in proto=udp dport=9000"
		    " | id=7 action=reject dir=out proto=udp dport=9001");
	ASSERT_ACK(ack, 0, "");
	fd[0] = sf_server(self->home, self->home, variant->family, SOCK_DGRAM,
			  9000);
	fd[1] = sf_server(self->peer, self->home, variant->family, SOCK_DGRAM,
			  9001);
	ASSERT_LE(0, fd[0]);
	ASSERT_LE(0, fd[1]);

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, i ? sf_udp_probe(self->home, self->home,
					      variant->family, variant->there,
					      9001, &e) :
				 sf_udp_probe(self->peer, self->home,
					      variant->family, variant->here,
					      9000, &e))
			TH_LOG("%s: no error came back", i ? "egress" : "ingress");
		/* Out of the port, the firewall drops it on the way. */
		ASSERT_EQ(i ? ENOBUFS : 0, e.send_errno)
			TH_LOG("send: %s", strerror(e.send_errno));
		ASSERT_EQ(variant->ee_errno, e.recv_errno)
			TH_LOG("recv: %s", strerror(e.recv_errno));
		ASSERT_EQ(variant->ee_origin, e.origin);
		ASSERT_EQ(variant->ee_type, e.type);
		ASSERT_EQ(variant->ee_code, e.code);
		ASSERT_EQ(variant->ee_errno, e.errnum);
		ASSERT_EQ(-1, recv(fd[i], buf, sizeof(buf), MSG_DONTWAIT));
		close(fd[i]);
	}
	ASSERT_COUNTERS(&self->sk, 6, 1, 14 + variant->ip_hlen + 8 + 5, 0);
	ASSERT_COUNTERS(&self->sk, 7, 1, 14 + variant->ip_hlen + 8 + 5, 0);
}

/* Reads FW_LOG events for up to @ms; how many went to @ev[@max]. */
static int sf_events(struct sf_sock *s, struct sf_flow_info *ev, int max,
		     int ms, int *other)
{
	static char buf[1 << 16];
	int64_t deadline = sf_now_ms() + ms;
	int n = 0;

	for (;;) {
		struct pollfd pfd = {
			.fd = mnl_socket_get_fd(s->nl), .events = POLLIN,
		};
		const struct nlmsghdr *nlh = (const void *)buf;
		int64_t left = deadline - sf_now_ms();
		int len;

		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			return n;
		len = recv(pfd.fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (len < 0)
			return -errno;
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type != s->family) {
				(*other)++;
				continue;
			}
			if (n < max)
				sf_parse_flow(nlh, &ev[n]);
			n++;
		}
	}
}

/* A rule with LOG sends an FW_LOG event for every packet it judges. */
TEST_F_TIMEOUT(fwnet, log_events, 90)
{
	const struct sf_elem here = sf_elem_of(variant->family, variant->here);
	const struct sf_elem there = sf_elem_of(variant->family, variant->there);
	struct sf_flow_info ev[8];
	struct sf_family f;
	struct sf_sock es;
	struct sf_ack ack;
	int i, grp = -1, other = 0, n;

	ASSERT_EQ(0, sf_open(&es));
	ASSERT_EQ(0, sf_get_family(&es, SLOTFILTER_GENL_NAME, &f, &ack));
	for (i = 0; i < f.ngrps; i++)
		if (!strcmp(f.grp[i].name, SLOTFILTER_GENL_MCGRP_EVENTS))
			grp = f.grp[i].id;
	ASSERT_LT(0, grp) TH_LOG("no \"%s\" group", SLOTFILTER_GENL_MCGRP_EVENTS);
	ASSERT_EQ(0, mnl_socket_setsockopt(es.nl, NETLINK_ADD_MEMBERSHIP, &grp,
					   sizeof(grp)));

	sf_replacef(&self->sk, &ack,
		    "| id=7 action=drop dir=in proto=udp dport=9999 log"
		    " | id=8 action=drop dir=in proto=udp dport=9998");
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, sf_udp_send(self->peer, self->home, variant->family,
				 variant->here, 40000, 9998, 2));
	ASSERT_EQ(0, sf_udp_send(self->peer, self->home, variant->family,
				 variant->here, 40000, 9999, 3));

	n = sf_events(&es, ev, ARRAY_SIZE(ev), 2000, &other);
	ASSERT_EQ(3, n);
	ASSERT_EQ(0, other);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, ev[i].bad);
		ASSERT_EQ(SLOTFILTER_CMD_FW_LOG, ev[i].cmd);
		ASSERT_EQ(7, ev[i].rule_id);
		ASSERT_EQ(self->port, ev[i].ifindex);
		ASSERT_EQ(SLOTFILTER_DIR_INGRESS, ev[i].dir);
		ASSERT_EQ(IPPROTO_UDP, ev[i].proto);
		ASSERT_TRUE(sf_elem_eq(&there, &ev[i].src));
		ASSERT_TRUE(sf_elem_eq(&here, &ev[i].dst));
		ASSERT_EQ(40000, ev[i].sport);
		ASSERT_EQ(9999, ev[i].dport);
		ASSERT_EQ(SLOTFILTER_ACTION_DROP, ev[i].action);
		ASSERT_EQ(-1, ev[i].suppressed);
		ASSERT_EQ(-1, ev[i].state);
		ASSERT_EQ(-1, ev[i].expires);
	}
	ASSERT_COUNTERS(&self->sk, 7, 3, 3 * (14 + variant->ip_hlen + 8 + 5), 0);
	ASSERT_COUNTERS(&self->sk, 8, 2, 2 * (14 + variant->ip_hlen + 8 + 5), 0);
	sf_close(&es);
}

/* A rule id in both rulesets keeps its counters across the commit. */
TEST_F_TIMEOUT(fwnet, counters_carry_over, 90)
{
	const int64_t len = variant->echo_len;
	struct sf_rules rules = { 0 };
	struct sf_flows flows;
	struct sf_ack ack;
	int id;

	sf_replacef(&self->sk, &ack,
		    "default=drop | id=1 action=allow dir=in proto=%s type=%d"
		    " | id=2 action=allow proto=udp", variant->icmp,
		    variant->echo);
	ASSERT_ACK(ack, 0, "");
	for (id = 100; id < 103; id++)
		ASSERT_EQ(0, sf_echo(self->peer, self->home, variant->family,
				     variant->here, id, 5000));
	ASSERT_COUNTERS(&self->sk, 1, 3, 3 * len, 3);
	ASSERT_COUNTERS(&self->sk, 2, 0, 0, 0);

	sf_replacef(&self->sk, &ack,
		    "default=drop | id=3 action=allow proto=udp"
		    " | id=1 action=allow dir=in proto=%s type=%d",
		    variant->icmp, variant->echo);
	ASSERT_ACK(ack, 0, "");
	ASSERT_LT(0, sf_rules_dump(&self->sk, &rules, &ack));
	ASSERT_EQ(2, rules.n);
	ASSERT_EQ(3, rules.v[0].id);
	ASSERT_EQ(1, rules.v[1].id);
	free(rules.v);
	ASSERT_COUNTERS(&self->sk, 1, 3, 3 * len, 3);
	ASSERT_COUNTERS(&self->sk, 3, 0, 0, 0);

	/* Counting goes on from there; the flows stayed. */
	ASSERT_EQ(0, sf_echo(self->peer, self->home, variant->family,
			     variant->here, 103, 5000));
	ASSERT_COUNTERS(&self->sk, 1, 4, 4 * len, 4);
	ASSERT_LT(0, sf_flows_dump(&self->sk, 0, &flows, &ack));
	ASSERT_EQ(4, flows.n);

	/* A reset zeroes what was carried over too. */
	sf_req_talk(&self->sk, SLOTFILTER_CMD_FW_RESET, NLM_F_ACK, sf_fw_keys,
		    "rule_id=1", NULL, NULL, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_COUNTERS(&self->sk, 1, 0, 0, 0);
	ASSERT_EQ(0, sf_echo(self->peer, self->home, variant->family,
			     variant->here, 104, 5000));
	ASSERT_COUNTERS(&self->sk, 1, 1, len, 1);

	/* A rule that leaves and comes back starts again from zero. */
	sf_replacef(&self->sk, &ack, "default=drop | id=3 action=allow proto=udp");
	ASSERT_ACK(ack, 0, "");
	sf_replacef(&self->sk, &ack,
		    "default=drop | id=1 action=allow dir=in proto=%s type=%d",
		    variant->icmp, variant->echo);
	ASSERT_ACK(ack, 0, "");
	ASSERT_COUNTERS(&self->sk, 1, 0, 0, 0);
}

/* FW_RESET zeroes one rule's counters, or every rule's. */
TEST_F_TIMEOUT(fwnet, reset, 90)
{
	const int64_t udp_len = 14 + variant->ip_hlen + 8 + 5;
	struct sf_ack ack;
	int fd;

	sf_replacef(&self->sk, &ack,
		    "default=drop | id=1 action=allow dir=in proto=%s type=%d"
		    " | id=2 action=allow dir=in proto=udp", variant->icmp,
		    variant->echo);
	ASSERT_ACK(ack, 0, "");
	fd = sf_server(self->home, self->home, variant->family, SOCK_DGRAM,
		       9000);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sf_echo(self->peer, self->home, variant->family,
			     variant->here, 200, 5000));
	ASSERT_EQ(0, sf_udp_send(self->peer, self->home, variant->family,
				 variant->here, 40001, 9000, 1));
	ASSERT_COUNTERS(&self->sk, 1, 1, variant->echo_len, 1);
	ASSERT_COUNTERS(&self->sk, 2, 1, udp_len, 1);

	sf_req_talk(&self->sk, SLOTFILTER_CMD_FW_RESET, NLM_F_ACK, sf_fw_keys,
		    "rule_id=1", NULL, NULL, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_COUNTERS(&self->sk, 1, 0, 0, 0);
	ASSERT_COUNTERS(&self->sk, 2, 1, udp_len, 1);

	sf_req_talk(&self->sk, SLOTFILTER_CMD_FW_RESET, NLM_F_ACK, sf_fw_keys,
		    "^rule_id=9", NULL, NULL, &ack);
	ASSERT_ACK(ack, ENOENT, "no rule with this id");
	ASSERT_EQ(sf_marks[0], ack.offs);
	ASSERT_COUNTERS(&self->sk, 2, 1, udp_len, 1);

	sf_req_talk(&self->sk, SLOTFILTER_CMD_FW_RESET, NLM_F_ACK, sf_fw_keys,
		    "", NULL, NULL, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_COUNTERS(&self->sk, 1, 0, 0, 0);
	ASSERT_COUNTERS(&self->sk, 2, 0, 0, 0);

	/* And counting starts again. */
	ASSERT_EQ(0, sf_echo(self->peer, self->home, variant->family,
			     variant->here, 201, 5000));
	ASSERT_COUNTERS(&self->sk, 1, 1, variant->echo_len, 1);
	close(fd);
}

TEST_HARNESS_MAIN
