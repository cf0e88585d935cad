// SPDX-License-Identifier: GPL-2.0
/*
 * gen.c - build requests from the family's ops and policies
 *
 * Every request starts as a well-formed one for a random op: its policy's
 * listed attributes with values inside their ranges, integers often the
 * ifindex of a device that exists (fz_pool). A category then breaks it in
 * one way (a boundary value, a wrong length, a lie in nla_len or nlmsg_len,
 * wrong nesting, an unknown type or command, odd flags, thousands of
 * attributes...). gen.c does not decide what the kernel must answer: the
 * bytes are handed to model.c, so a mutation that happens to produce a
 * valid request is judged as one.
 *
 * Messages are laid out back to back in the worker's send buffer, each in
 * NLMSG_ALIGN(nlmsg_len) bytes, as the kernel steps through a batch. Only
 * the last message of a batch may lie about its length (the kernel drops
 * the rest of the send when one does).
 */
#include <string.h>

#include "fuzz.h"

#define FZ_MAX_MSG	(100 * 1024)	/* below the default sk_sndbuf */
#define FZ_MAX_PAYLOAD	(65535 - NLA_HDRLEN)

const char *const fz_cat_names[FZ_CAT_MAX] = {
	[FZ_CAT_VALID]		= "valid",
	[FZ_CAT_BOUNDARY]	= "boundary",
	[FZ_CAT_BADLEN]		= "bad-length",
	[FZ_CAT_TRUNC]		= "truncated",
	[FZ_CAT_NEST]		= "bad-nesting",
	[FZ_CAT_MISSING]	= "missing",
	[FZ_CAT_REPEAT]		= "repeated",
	[FZ_CAT_UNKNOWN_ATTR]	= "unknown-attr",
	[FZ_CAT_UNKNOWN_CMD]	= "unknown-cmd",
	[FZ_CAT_HEADER]		= "header",
	[FZ_CAT_FLAGS]		= "flags",
	[FZ_CAT_HUGE]		= "huge",
	[FZ_CAT_RANDOM]		= "random",
	[FZ_CAT_DUMP]		= "dump",
	[FZ_CAT_DUMP_INTR]	= "dump-interrupted",
	[FZ_CAT_DUMP_CLOSE]	= "dump-closed",
	[FZ_CAT_UNPRIV]		= "unprivileged",
};

/* Relative weights of the categories a batch is made of. */
static const unsigned int fz_cat_weight[FZ_CAT_MAX] = {
	[FZ_CAT_VALID]		= 14,
	[FZ_CAT_BOUNDARY]	= 10,
	[FZ_CAT_BADLEN]		= 10,
	[FZ_CAT_TRUNC]		= 8,
	[FZ_CAT_NEST]		= 8,
	[FZ_CAT_MISSING]	= 6,
	[FZ_CAT_REPEAT]		= 6,
	[FZ_CAT_UNKNOWN_ATTR]	= 8,
	[FZ_CAT_UNKNOWN_CMD]	= 4,
	[FZ_CAT_HEADER]		= 6,
	[FZ_CAT_FLAGS]		= 8,
	[FZ_CAT_HUGE]		= 2,
	[FZ_CAT_RANDOM]		= 8,
};

struct fz_gen {
	struct fz_worker *w;
	struct fz_rand *r;
	const struct fz_family *fam;
	struct nlmsghdr *nlh;
	size_t cap;			/* room from nlh on */
	const struct fz_op *op;
	int pidx;			/* the policy of the op, -1 */
	bool dump;
};

enum fz_cat fz_gen_pick(struct fz_worker *w)
{
	unsigned int total = 0, x, c;

	for (c = 0; c < FZ_CAT_MAX; c++)
		total += fz_cat_weight[c];
	x = fz_below(&w->rand, total);
	for (c = 0; c < FZ_CAT_MAX; c++) {
		if (x < fz_cat_weight[c])
			return c;
		x -= fz_cat_weight[c];
	}
	return FZ_CAT_VALID;
}

static const struct fz_policy *fz_gen_policy(const struct fz_gen *g, int pidx)
{
	if (pidx < 0 || !g->fam->policies[pidx].present)
		return NULL;
	return &g->fam->policies[pidx];
}

static const struct fz_attr *fz_gen_any_attr(struct fz_gen *g, int pidx)
{
	const struct fz_policy *pol = fz_gen_policy(g, pidx);

	if (!pol || !pol->n_attrs)
		return NULL;
	return &pol->attrs[fz_below(g->r, pol->n_attrs)];
}

static bool fz_put(struct fz_gen *g, uint16_t type, const void *data,
		   size_t len)
{
	if (len > FZ_MAX_PAYLOAD)
		return false;
	return mnl_attr_put_check(g->nlh, g->cap, type, len, data);
}

static struct nlattr *fz_nest_start(struct fz_gen *g, uint16_t type)
{
	return mnl_attr_nest_start_check(g->nlh, g->cap, type);
}

static void fz_nest_end(struct fz_gen *g, struct nlattr *nest)
{
	if ((uint8_t *)mnl_nlmsg_get_payload_tail(g->nlh) - (uint8_t *)nest >
	    0xffff)
		mnl_attr_nest_cancel(g->nlh, nest);
	else
		mnl_attr_nest_end(g->nlh, nest);
}

/* Integers */

static int fz_int_width(uint32_t nl_type)
{
	switch (nl_type) {
	case NL_ATTR_TYPE_U8:
	case NL_ATTR_TYPE_S8:
		return 1;
	case NL_ATTR_TYPE_U16:
	case NL_ATTR_TYPE_S16:
		return 2;
	case NL_ATTR_TYPE_U32:
	case NL_ATTR_TYPE_S32:
		return 4;
	case NL_ATTR_TYPE_U64:
	case NL_ATTR_TYPE_S64:
		return 8;
	case FZ_NL_ATTR_TYPE_UINT:
	case FZ_NL_ATTR_TYPE_SINT:
		return -1;
	default:
		return 0;
	}
}

static bool fz_signed(uint32_t nl_type)
{
	return nl_type == NL_ATTR_TYPE_S8 || nl_type == NL_ATTR_TYPE_S16 ||
	       nl_type == NL_ATTR_TYPE_S32 || nl_type == NL_ATTR_TYPE_S64 ||
	       nl_type == FZ_NL_ATTR_TYPE_SINT;
}

/* The range a valid value lies in, as two's complement for signed types. */
static void fz_int_range(const struct fz_attr *a, uint64_t *lo, uint64_t *hi)
{
	int width = fz_int_width(a->nl_type);
	int bits = width > 0 ? width * 8 : 64;

	if (fz_signed(a->nl_type)) {
		int64_t max = bits == 64 ? INT64_MAX :
			      ((int64_t)1 << (bits - 1)) - 1;

		*lo = a->has_range_s ? (uint64_t)a->min_s : (uint64_t)(-max - 1);
		*hi = a->has_range_s ? (uint64_t)a->max_s : (uint64_t)max;
	} else {
		*lo = a->has_range_u ? a->min_u : 0;
		*hi = a->has_range_u ? a->max_u :
		      bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
	}
}

static uint64_t fz_between(struct fz_rand *r, uint64_t lo, uint64_t hi,
			   bool sign)
{
	uint64_t span;

	if (sign) {
		span = (uint64_t)((int64_t)hi - (int64_t)lo);
		if (span == UINT64_MAX)
			return fz_rand64(r);
		return (uint64_t)((int64_t)lo +
				  (int64_t)(fz_rand64(r) % (span + 1)));
	}
	span = hi - lo;
	if (span == UINT64_MAX)
		return fz_rand64(r);
	return lo + fz_rand64(r) % (span + 1);
}

static bool fz_in(uint64_t v, uint64_t lo, uint64_t hi, bool sign)
{
	if (sign)
		return (int64_t)v >= (int64_t)lo && (int64_t)v <= (int64_t)hi;
	return v >= lo && v <= hi;
}

static uint64_t fz_valid_int(struct fz_gen *g, const struct fz_attr *a)
{
	bool sign = fz_signed(a->nl_type);
	uint64_t lo, hi, v;

	fz_int_range(a, &lo, &hi);
	switch (fz_below(g->r, 6)) {
	case 0:
		v = lo;
		break;
	case 1:
		v = hi;
		break;
	case 2:
		v = fz_between(g->r, lo, hi, sign);
		break;
	case 3:
		v = fz_below(g->r, 17);
		break;
	default:
		/* a device of the netns: ifindex-like attributes hit real ones */
		v = fz_chance(g->r, 90) ? fz_pool_pick(&g->w->ctx->pool, g->r) :
		    fz_below(g->r, 64);
		break;
	}
	if (!fz_in(v, lo, hi, sign))
		v = fz_between(g->r, lo, hi, sign);
	if (a->has_mask)
		v &= a->mask;
	return v;
}

static uint64_t fz_boundary_int(struct fz_gen *g, const struct fz_attr *a)
{
	uint64_t lo, hi;

	fz_int_range(a, &lo, &hi);
	if (a->has_mask && fz_chance(g->r, 50))
		return (fz_rand64(g->r) & a->mask) | (~a->mask & -~a->mask);
	switch (fz_below(g->r, 10)) {
	case 0:
		return lo;
	case 1:
		return hi;
	case 2:
		return lo - 1;
	case 3:
		return hi + 1;
	case 4:
		return 0;
	case 5:
		return UINT32_MAX;
	case 6:
		return UINT64_MAX;
	case 7:
		return (uint64_t)INT64_MIN;
	case 8:
		return (uint64_t)INT32_MAX + 1;
	default:
		return 1;
	}
}

static bool fz_put_int(struct fz_gen *g, uint16_t type,
		       const struct fz_attr *a, uint64_t v)
{
	int width = fz_int_width(a->nl_type);
	uint8_t u8 = v;
	uint16_t u16 = v;
	uint32_t u32 = v;

	if (width < 0)
		width = fz_chance(g->r, 50) ? 8 : 4;
	switch (width) {
	case 1:
		return fz_put(g, type, &u8, 1);
	case 2:
		return fz_put(g, type, &u16, 2);
	case 4:
		return fz_put(g, type, &u32, 4);
	default:
		return fz_put(g, type, &v, 8);
	}
}

/* Valid attributes */

static void fz_gen_attrs(struct fz_gen *g, int pidx, unsigned int depth,
			 unsigned int percent);

/*
 * How many of a policy's attributes to put in: some attributes exclude
 * others (an address or a set name), some are required: vary it.
 */
static unsigned int fz_some(struct fz_gen *g)
{
	static const unsigned int percent[] = { 25, 50, 75, 90, 100 };

	return percent[fz_below(g->r, FZ_ARRAY_SIZE(percent))];
}

static size_t fz_str_len(struct fz_gen *g, const struct fz_attr *a)
{
	size_t lo = a->has_min_len ? a->min_len : 0;
	size_t hi = a->has_max_len ? a->max_len : 24;

	if (hi < lo)
		hi = lo;
	if (hi > 512)
		hi = fz_chance(g->r, 90) ? lo + 32 : hi;
	return lo + fz_below(g->r, hi - lo + 1);
}

static void fz_fill_text(struct fz_gen *g, char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		s[i] = 'a' + fz_below(g->r, 26);
}

static void fz_gen_nest(struct fz_gen *g, const struct fz_attr *a,
			uint16_t type, unsigned int depth)
{
	struct nlattr *nest = fz_nest_start(g, type);
	unsigned int i, n;

	if (!nest)
		return;
	if (a->nl_type == NL_ATTR_TYPE_NESTED_ARRAY) {
		n = fz_below(g->r, 4);
		for (i = 0; i < n; i++) {
			struct nlattr *entry = fz_nest_start(g, i + 1);

			if (!entry)
				break;
			fz_gen_attrs(g, a->policy, depth + 1, fz_some(g));
			fz_nest_end(g, entry);
		}
	} else {
		fz_gen_attrs(g, a->policy, depth + 1, fz_some(g));
	}
	fz_nest_end(g, nest);
}

/* One valid attribute of type @type (normally a->type) shaped by @a. */
static void fz_gen_attr(struct fz_gen *g, const struct fz_attr *a,
			uint16_t type, unsigned int depth)
{
	uint8_t buf[1024];
	uint32_t bf[2];
	size_t len;

	if (fz_int_width(a->nl_type)) {
		fz_put_int(g, type, a, fz_valid_int(g, a));
		return;
	}
	switch (a->nl_type) {
	case NL_ATTR_TYPE_FLAG:
		fz_put(g, type, NULL, 0);
		break;
	case NL_ATTR_TYPE_STRING:
	case NL_ATTR_TYPE_NUL_STRING:
		len = fz_str_len(g, a);
		if (len > sizeof(buf) - 1)
			len = sizeof(buf) - 1;
		if (a->nl_type == NL_ATTR_TYPE_STRING && !len)
			len = 1;
		fz_fill_text(g, (char *)buf, len);
		buf[len] = '\0';
		/* a name the kernel took before, if it fits */
		if (fz_chance(g->r, 50)) {
			int l = fz_dict_pick(&g->w->ctx->dict, g->r,
					     (char *)buf + 512);

			if (l > 0 && (!a->has_max_len || l <= (int)a->max_len) &&
			    l >= (int)(a->has_min_len ? a->min_len : 0)) {
				len = l;
				memcpy(buf, buf + 512, len + 1);
			}
		}
		if (a->nl_type == NL_ATTR_TYPE_NUL_STRING || fz_chance(g->r, 50))
			len++;
		fz_put(g, type, buf, len);
		break;
	case NL_ATTR_TYPE_BINARY:
		/* the sizes binary attributes tend to have: addresses... */
		switch (fz_below(g->r, 4)) {
		case 0:
			len = a->has_max_len ? a->max_len : 16;
			break;
		case 1:
			len = fz_chance(g->r, 50) ? 4 : 16;
			break;
		default:
			len = fz_str_len(g, a);
			break;
		}
		if (len > sizeof(buf))
			len = sizeof(buf);
		/* all zeroes or all ones pass checks random bytes fail */
		switch (fz_below(g->r, 4)) {
		case 0:
			memset(buf, 0, len);
			break;
		case 1:
			memset(buf, 0xff, len);
			break;
		default:
			fz_fill(g->r, buf, len);
			break;
		}
		fz_put(g, type, buf, len);
		break;
	case NL_ATTR_TYPE_BITFIELD32:
		bf[1] = (uint32_t)fz_rand64(g->r) & a->bitfield_mask;
		bf[0] = (uint32_t)fz_rand64(g->r) & bf[1];
		fz_put(g, type, bf, sizeof(bf));
		break;
	case NL_ATTR_TYPE_NESTED:
	case NL_ATTR_TYPE_NESTED_ARRAY:
		if (depth < 4)
			fz_gen_nest(g, a, type, depth);
		else
			fz_put(g, type | NLA_F_NESTED, NULL, 0);
		break;
	default:
		len = fz_below(g->r, 16);
		fz_fill(g->r, buf, len);
		fz_put(g, type, buf, len);
		break;
	}
}

/* Each listed attribute of policy @pidx with @percent chance, in order. */
static void fz_gen_attrs(struct fz_gen *g, int pidx, unsigned int depth,
			 unsigned int percent)
{
	const struct fz_policy *pol = fz_gen_policy(g, pidx);
	unsigned int i;

	if (!pol)
		return;
	for (i = 0; i < pol->n_attrs; i++)
		if (fz_chance(g->r, percent))
			fz_gen_attr(g, &pol->attrs[i], pol->attrs[i].type,
				    depth);
}

/* Broken attributes */

/* A listed attribute with a payload of the wrong size or shape. */
#define FZ_BADLEN_RANDOM	600

static void fz_gen_badlen(struct fz_gen *g, const struct fz_attr *a)
{
	static const uint8_t lens[] = { 0, 1, 2, 3, 5, 6, 7, 8, 9, 12, 16 };
	/* Room for one byte past the longest attribute (U16_MAX) and a NUL;
	 * random bytes only in the first FZ_BADLEN_RANDOM. */
	uint8_t buf[UINT16_MAX + 2];
	size_t len;

	fz_fill(g->r, buf, FZ_BADLEN_RANDOM);
	switch (a->nl_type) {
	case NL_ATTR_TYPE_STRING:
	case NL_ATTR_TYPE_NUL_STRING:
	case NL_ATTR_TYPE_BINARY:
		switch (fz_below(g->r, 4)) {
		case 0:		/* no NUL at all */
			len = 1 + fz_below(g->r, 16);
			fz_fill_text(g, (char *)buf, len);
			break;
		case 1:		/* one byte too long */
			len = a->has_max_len ? a->max_len + 1 : 70;
			if (len > sizeof(buf) - 2)
				len = sizeof(buf) - 2;
			fz_fill_text(g, (char *)buf, len);
			buf[len] = '\0';
			len += fz_below(g->r, 2);
			break;
		case 2:		/* one byte too short, or empty */
			len = a->has_min_len && a->min_len ? a->min_len - 1 : 0;
			break;
		default:
			len = fz_below(g->r, FZ_BADLEN_RANDOM);
			break;
		}
		fz_put(g, a->type, buf, len);
		return;
	case NL_ATTR_TYPE_FLAG:
		fz_put(g, a->type, buf, 1 + fz_below(g->r, 8));
		return;
	default:
		len = lens[fz_below(g->r, sizeof(lens))];
		fz_put(g, a->type, buf, len);
		return;
	}
}

/* nla_len that lies or bytes that are no attribute: at the end. */
static void fz_gen_trunc(struct fz_gen *g)
{
	struct nlmsghdr *nlh = g->nlh;
	uint8_t *tail = mnl_nlmsg_get_payload_tail(nlh);
	const struct fz_attr *a = fz_gen_any_attr(g, g->pidx);
	uint16_t type = a ? a->type : 1 + fz_below(g->r, 8);
	uint32_t v = fz_pool_pick(&g->w->ctx->pool, g->r);
	struct nlattr *attr = (struct nlattr *)tail;

	if (!fz_put(g, type, &v, sizeof(v)))
		return;
	switch (fz_below(g->r, 4)) {
	case 0:		/* nla_len runs past the end of the message */
		attr->nla_len += 1 + fz_below(g->r, 64);
		break;
	case 1:		/* nla_len shorter than an attribute header */
		attr->nla_len = fz_below(g->r, NLA_HDRLEN);
		break;
	case 2:		/* 1-3 bytes after the last attribute */
		nlh->nlmsg_len -= NLA_ALIGN(attr->nla_len);
		nlh->nlmsg_len += 1 + fz_below(g->r, 3);
		break;
	default:	/* nla_len odd and longer than what follows */
		attr->nla_len = NLA_HDRLEN + 1 + fz_below(g->r, 7);
		if (attr->nla_len <= NLA_HDRLEN + sizeof(v))
			attr->nla_len += 4;
		break;
	}
}

/* Nested where flat is expected and back, or nests very deep. */
static void fz_gen_badnest(struct fz_gen *g, unsigned int depth)
{
	const struct fz_attr *a = fz_gen_any_attr(g, g->pidx);
	uint16_t type = a ? a->type : 1 + fz_below(g->r, 16);
	struct nlattr *nest[400];
	unsigned int i, n;
	uint32_t v;

	switch (fz_below(g->r, 4)) {
	case 0:		/* a nest of random attributes, NLA_F_NESTED or not */
		nest[0] = fz_nest_start(g, type);
		if (!nest[0])
			return;
		if (fz_chance(g->r, 50))
			nest[0]->nla_type &= ~NLA_F_NESTED;
		n = fz_below(g->r, 4);
		for (i = 0; i < n; i++) {
			v = fz_pool_pick(&g->w->ctx->pool, g->r);
			fz_put(g, 1 + fz_below(g->r, 8), &v, sizeof(v));
		}
		fz_nest_end(g, nest[0]);
		break;
	case 1:		/* a listed attribute, valid, with the flag flipped */
		if (!a)
			return;
		nest[0] = mnl_nlmsg_get_payload_tail(g->nlh);
		fz_gen_attr(g, a, type, depth);
		if ((uint8_t *)mnl_nlmsg_get_payload_tail(g->nlh) >
		    (uint8_t *)nest[0])
			nest[0]->nla_type ^= NLA_F_NESTED;
		break;
	case 2:		/* the content of a nest at the top, or the reverse */
		if (a && a->policy >= 0) {
			fz_gen_attrs(g, a->policy, depth + 1, 80);
		} else {
			nest[0] = fz_nest_start(g, type);
			if (!nest[0])
				return;
			fz_gen_attrs(g, g->pidx, depth + 1, 80);
			fz_nest_end(g, nest[0]);
		}
		break;
	default:	/* deep: up to 400 levels */
		n = 2 + fz_below(g->r, fz_chance(g->r, 50) ? 16 : 398);
		for (i = 0; i < n; i++) {
			nest[i] = fz_nest_start(g, fz_chance(g->r, 80) ? type :
						1 + fz_below(g->r, 16));
			if (!nest[i])
				break;
		}
		n = i;
		if (a && fz_chance(g->r, 50))
			fz_gen_attr(g, a, a->type, FZ_POLICY_DEPTH);
		while (n--)
			fz_nest_end(g, nest[n]);
		break;
	}
}

static void fz_gen_unknown_attr(struct fz_gen *g)
{
	const struct fz_policy *pol = fz_gen_policy(g, g->pidx);
	uint16_t type, highest = 0;
	uint8_t buf[64];
	unsigned int i;

	for (i = 0; pol && i < pol->n_attrs; i++)
		if (pol->attrs[i].type > highest)
			highest = pol->attrs[i].type;
	switch (fz_below(g->r, 4)) {
	case 0:
		type = 0;
		break;
	case 1:
		type = 1 + fz_below(g->r, highest + 3);
		break;
	case 2:
		type = FZ_TYPE_MASK;
		break;
	default:
		type = fz_below(g->r, FZ_TYPE_MASK + 1);
		break;
	}
	if (fz_chance(g->r, 20))
		type |= NLA_F_NET_BYTEORDER;
	if (fz_chance(g->r, 20))
		type |= NLA_F_NESTED;
	fz_fill(g->r, buf, sizeof(buf));
	fz_put(g, type, buf, fz_below(g->r, sizeof(buf)));
}

/* Thousands of attributes, or one of 64 KiB. */
static void fz_gen_huge(struct fz_gen *g, unsigned int depth)
{
	const struct fz_attr *a = fz_gen_any_attr(g, g->pidx);
	static uint8_t big[FZ_MAX_PAYLOAD];
	unsigned int i, n, bad;

	switch (fz_below(g->r, 3)) {
	case 0:		/* one attribute many times, maybe one broken */
		n = 1000 + fz_below(g->r, 8000);
		bad = fz_chance(g->r, 50) ? fz_below(g->r, n) : n;
		for (i = 0; i < n; i++) {
			if (!a || i == bad)
				fz_gen_badlen(g, a ? a : &(struct fz_attr){
					.type = 1 + fz_below(g->r, 8),
					.nl_type = NL_ATTR_TYPE_U32 });
			else
				fz_gen_attr(g, a, a->type, depth);
			if (g->nlh->nlmsg_len > FZ_MAX_MSG)
				break;
		}
		break;
	case 1:		/* a 64 KiB attribute of any type */
		fz_put(g, fz_chance(g->r, 50) && a ? a->type :
		       fz_below(g->r, 64), big,
		       FZ_MAX_PAYLOAD - fz_below(g->r, 64));
		break;
	default:	/* every type once, then again */
		n = 1 + fz_below(g->r, 3);
		while (n--)
			for (i = 0; i <= FZ_TYPE_MASK; i += 1 + fz_below(g->r, 4))
				if (!fz_put(g, i, NULL, 0) ||
				    g->nlh->nlmsg_len > FZ_MAX_MSG)
					break;
		break;
	}
}

/* Random bytes, or random attributes with random lengths. */
static void fz_gen_random(struct fz_gen *g)
{
	uint8_t *tail = mnl_nlmsg_get_payload_tail(g->nlh);
	size_t len = fz_below(g->r, 512);
	unsigned int i, n;
	uint8_t buf[32];

	if (fz_chance(g->r, 40)) {
		fz_fill(g->r, tail, len);
		g->nlh->nlmsg_len += len;
		return;
	}
	n = fz_below(g->r, 8);
	for (i = 0; i < n; i++) {
		const struct fz_attr *a = fz_gen_any_attr(g, g->pidx);
		uint16_t type = a && fz_chance(g->r, 70) ? a->type :
				fz_below(g->r, 32);

		fz_fill(g->r, buf, sizeof(buf));
		fz_put(g, type | (fz_chance(g->r, 10) ? NLA_F_NESTED : 0), buf,
		       fz_below(g->r, 13));
	}
}

/* Messages */

static uint16_t fz_random_flags(struct fz_rand *r)
{
	static const uint16_t bits[] = {
		NLM_F_MULTI, NLM_F_ECHO, NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED,
		NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, 0x1000, 0x8000,
	};
	uint16_t f = 0;
	unsigned int i;

	if (fz_chance(r, 95))
		f |= NLM_F_REQUEST;
	if (fz_chance(r, 60))
		f |= NLM_F_ACK;
	if (fz_chance(r, 30))
		f |= NLM_F_DUMP;
	for (i = 0; i < FZ_ARRAY_SIZE(bits); i++)
		if (fz_chance(r, 8))
			f |= bits[i];
	if (fz_chance(r, 5))
		f = (uint16_t)fz_rand64(r);
	return f;
}

static void fz_gen_pick_op(struct fz_gen *g, bool want_dump)
{
	const struct fz_family *fam = g->fam;
	unsigned int i, n = 0;
	const struct fz_op *dumps[FZ_MAX_OPS];

	for (i = 0; i < fam->n_ops; i++)
		if (fam->ops[i].flags & GENL_CMD_CAP_DUMP)
			dumps[n++] = &fam->ops[i];
	if (want_dump && n)
		g->op = dumps[fz_below(g->r, n)];
	else if (fam->n_ops)
		g->op = &fam->ops[fz_below(g->r, fam->n_ops)];
	else
		g->op = NULL;
	g->dump = g->op && g->op->flags & GENL_CMD_CAP_DUMP &&
		  (want_dump || !(g->op->flags & GENL_CMD_CAP_DO));
	g->pidx = !g->op ? -1 : g->dump ? g->op->dump_policy :
		  g->op->do_policy;
}

static uint8_t fz_unknown_cmd(struct fz_gen *g)
{
	unsigned int tries;
	uint8_t cmd = 0;

	for (tries = 0; tries < 64; tries++) {
		cmd = fz_chance(g->r, 50) ? fz_below(g->r, g->fam->n_ops + 4) :
		      fz_below(g->r, 256);
		if (!fz_family_op(g->fam, cmd))
			break;
	}
	return cmd;
}

static bool fz_gen_start(struct fz_gen *g, struct fz_worker *w,
			 struct fz_batch *b, uint8_t cmd, uint16_t flags)
{
	struct genlmsghdr *genl;
	size_t hdr = GENL_HDRLEN + NLMSG_ALIGN(g->fam->hdrsize);

	g->cap = FZ_SEND_SIZE - b->len;
	if (g->cap > FZ_MAX_MSG)
		g->cap = FZ_MAX_MSG;
	if (g->cap < NLMSG_HDRLEN + hdr + 64)
		return false;
	g->nlh = mnl_nlmsg_put_header(w->sbuf + b->len);
	g->nlh->nlmsg_type = g->fam->id;
	g->nlh->nlmsg_flags = flags;
	g->nlh->nlmsg_seq = ++w->seq;
	genl = mnl_nlmsg_put_extra_header(g->nlh, hdr);
	genl->cmd = cmd;
	genl->version = g->fam->version;
	return true;
}

/* Mess with the headers; @last: the message may lie about its length. */
static void fz_gen_header(struct fz_gen *g, bool last, size_t *slot)
{
	struct genlmsghdr *genl = mnl_nlmsg_get_payload(g->nlh);
	unsigned int kind = fz_below(g->r, last ? 6 : 3);

	switch (kind) {
	case 0:
		genl->version = fz_rand64(g->r);
		break;
	case 1:
		genl->reserved = 1 + fz_below(g->r, 0xffff);
		break;
	case 2:		/* shorter than the genl header */
		g->nlh->nlmsg_len = NLMSG_HDRLEN + fz_below(g->r, GENL_HDRLEN);
		*slot = NLMSG_ALIGN(g->nlh->nlmsg_len);
		break;
	case 3:		/* shorter than a netlink header */
		g->nlh->nlmsg_len = fz_below(g->r, NLMSG_HDRLEN);
		break;
	case 4:		/* longer than the bytes sent */
		g->nlh->nlmsg_len += 1 + fz_below(g->r, 4096);
		break;
	default:	/* a send shorter than a netlink header */
		*slot = 1 + fz_below(g->r, NLMSG_HDRLEN - 1);
		break;
	}
}

/*
 * Append one request of category @cat to @b and predict its answer.
 * @last: no message follows it in this batch.
 */
void fz_gen(struct fz_worker *w, struct fz_batch *b, enum fz_cat cat,
	    bool last)
{
	struct fz_gen g = { .w = w, .r = &w->rand, .fam = &w->ctx->fam };
	struct fz_model_opts o = { .unpriv = w->unpriv };
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	struct fz_req *req = &b->req[b->n];
	unsigned int i;
	uint8_t cmd;
	size_t slot;

	fz_gen_pick_op(&g, cat == FZ_CAT_DUMP || cat == FZ_CAT_DUMP_INTR ||
		       cat == FZ_CAT_DUMP_CLOSE ||
		       (cat == FZ_CAT_VALID && fz_chance(g.r, 30)));
	cmd = g.op ? g.op->cmd : 0;
	if (g.dump)
		flags |= NLM_F_DUMP;
	if (cat == FZ_CAT_UNKNOWN_CMD)
		cmd = fz_unknown_cmd(&g);
	if (cat == FZ_CAT_FLAGS)
		flags = fz_random_flags(g.r);
	else if (!g.dump && fz_chance(g.r, 15))
		flags &= ~NLM_F_ACK;
	if (!fz_gen_start(&g, w, b, cmd, flags))
		return;

	switch (cat) {
	case FZ_CAT_BOUNDARY: {
		const struct fz_attr *a = fz_gen_any_attr(&g, g.pidx);

		fz_gen_attrs(&g, g.pidx, 0, 40);
		if (a && fz_int_width(a->nl_type))
			fz_put_int(&g, a->type, a, fz_boundary_int(&g, a));
		else if (a)
			fz_gen_badlen(&g, a);
		fz_gen_attrs(&g, g.pidx, 0, 30);
		break;
	}
	case FZ_CAT_BADLEN: {
		const struct fz_attr *a = fz_gen_any_attr(&g, g.pidx);

		fz_gen_attrs(&g, g.pidx, 0, 40);
		if (a)
			fz_gen_badlen(&g, a);
		fz_gen_attrs(&g, g.pidx, 0, 30);
		break;
	}
	case FZ_CAT_TRUNC:
		fz_gen_attrs(&g, g.pidx, 0, 60);
		fz_gen_trunc(&g);
		break;
	case FZ_CAT_NEST:
		fz_gen_attrs(&g, g.pidx, 0, 40);
		fz_gen_badnest(&g, 0);
		fz_gen_attrs(&g, g.pidx, 0, 30);
		break;
	case FZ_CAT_MISSING:
		fz_gen_attrs(&g, g.pidx, 0, fz_chance(g.r, 30) ? 0 : 50);
		break;
	case FZ_CAT_REPEAT: {
		const struct fz_attr *a = fz_gen_any_attr(&g, g.pidx);
		unsigned int i, n = 2 + fz_below(g.r, 15);

		fz_gen_attrs(&g, g.pidx, 0, 50);
		for (i = 0; a && i < n; i++) {
			if (fz_chance(g.r, 5))
				fz_gen_badlen(&g, a);
			else
				fz_gen_attr(&g, a, a->type, 0);
		}
		break;
	}
	case FZ_CAT_UNKNOWN_ATTR:
		fz_gen_attrs(&g, g.pidx, 0, 50);
		fz_gen_unknown_attr(&g);
		fz_gen_attrs(&g, g.pidx, 0, 30);
		break;
	case FZ_CAT_HUGE:
		fz_gen_huge(&g, 0);
		break;
	case FZ_CAT_RANDOM:
		fz_gen_random(&g);
		break;
	case FZ_CAT_DUMP:
	case FZ_CAT_DUMP_INTR:
	case FZ_CAT_DUMP_CLOSE:
		/* mostly whole-table dumps, sometimes with the op's filters */
		fz_gen_attrs(&g, g.pidx, 0, 15);
		break;
	default:
		fz_gen_attrs(&g, g.pidx, 0, fz_some(&g));
		break;
	}

	slot = NLMSG_ALIGN(g.nlh->nlmsg_len);
	if (cat == FZ_CAT_HEADER)
		fz_gen_header(&g, last, &slot);

	memset(req, 0, sizeof(*req));
	req->cat = w->unpriv ? FZ_CAT_UNPRIV : cat;
	req->off = b->len;
	req->len = slot;
	req->seq = g.nlh->nlmsg_seq;
	req->flags = g.nlh->nlmsg_flags;
	req->cmd = cmd;
	fz_model_expect(g.fam, g.nlh, slot, &o, &req->exp);
	req->ack_offs = -1;
	for (i = 0; i < b->n; i++)
		if (b->req[i].exp.dump)
			req->after_dump = true;
	b->len += slot;
	b->n++;
	w->nmsg++;
}
