// SPDX-License-Identifier: GPL-2.0
/*
 * model.c - what the kernel must answer to a request, before it is sent
 *
 * A userspace model of the path a generic netlink request takes in the
 * kernel (6.1 and 6.12 agree on all of it), step by step, each step able to
 * decide the answer:
 *
 *   netlink_rcv_skb()        nlmsg_len < 16 or beyond the bytes sent: the
 *                            rest of the send is dropped, no answer at all;
 *                            no NLM_F_REQUEST: not handled, acked with 0
 *                            only if NLM_F_ACK asks for it
 *   genl_family_rcv_msg()    nlmsg_len short of the genl header: -EINVAL
 *                            (no extack message); genl_header_check() from
 *                            resv_start_op on: reserved != 0 or flags other
 *                            than REQUEST/ACK/ECHO/DUMP: -EINVAL; unknown
 *                            command: -EOPNOTSUPP; GENL_(UNS_)ADMIN_PERM
 *                            without CAP_NET_ADMIN: -EPERM; NLM_F_DUMP on an
 *                            op without dumpit, or none on one without doit:
 *                            -EOPNOTSUPP (6.2+ finds that out before the
 *                            permission check, 6.1 after it)
 *   __nla_validate_parse()   strict validation against the op's policy
 *   (lib/nlattr.c)           (NL_VALIDATE_STRICT): the first attribute in
 *                            byte order that breaks a rule decides the errno
 *                            and NLMSGERR_ATTR_OFFS; bytes left over at any
 *                            level: -EINVAL without an offset
 *
 * Whatever passes all that reaches the family's handler, whose answer the
 * model does not predict (want = 0): exchange.c then only requires an errno
 * from the expected set. The per-attribute rules follow validate_nla():
 * note that its default errno is -ERANGE (a flag with a payload, a string
 * or binary too long, a nest of 1-3 bytes), -EINVAL being for wrong
 * integer lengths, NLA_F_NESTED misuse, unknown or rejected types, missing
 * NULs and bitfield bits.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"

struct fz_viol {
	int err, alt, offs;
	const char *why;
};

static bool fz_viol(struct fz_viol *v, int err, int alt, int offs,
		    const char *why)
{
	v->err = err;
	v->alt = alt;
	v->offs = offs;
	v->why = why;
	return true;
}

static uint16_t get16(const uint8_t *p)
{
	uint16_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

/* validate_nla() wants these exact lengths under NL_VALIDATE_STRICT_ATTRS. */
static int fz_exact_len(uint32_t nl_type)
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
	default:
		return 0;
	}
}

static bool fz_is_signed(uint32_t nl_type)
{
	return nl_type == NL_ATTR_TYPE_S8 || nl_type == NL_ATTR_TYPE_S16 ||
	       nl_type == NL_ATTR_TYPE_S32 || nl_type == NL_ATTR_TYPE_S64 ||
	       nl_type == FZ_NL_ATTR_TYPE_SINT;
}

static bool fz_is_int(uint32_t nl_type)
{
	return fz_exact_len(nl_type) || nl_type == FZ_NL_ATTR_TYPE_UINT ||
	       nl_type == FZ_NL_ATTR_TYPE_SINT;
}

/* An integer payload of a valid length, sign-extended for signed types. */
static uint64_t fz_int_value(uint32_t nl_type, const uint8_t *data, int len)
{
	bool s = fz_is_signed(nl_type);

	switch (len) {
	case 1:
		return s ? (uint64_t)(int64_t)(int8_t)data[0] : data[0];
	case 2:
		return s ? (uint64_t)(int64_t)(int16_t)get16(data) : get16(data);
	case 4:
		return s ? (uint64_t)(int64_t)(int32_t)get32(data) : get32(data);
	default:
		return get64(data);
	}
}

static bool fz_model_attrs(const struct fz_family *fam, int pidx,
			   const uint8_t *msg, int off, int len,
			   unsigned int depth, struct fz_viol *v);

static bool fz_model_bitfield(const struct fz_attr *a, const uint8_t *data,
			      int pos, struct fz_viol *v)
{
	uint32_t value = get32(data), selector = get32(data + 4);
	uint32_t mask = a->bitfield_mask;

	if (!mask || selector & ~mask || value & ~mask || value & ~selector)
		return fz_viol(v, EINVAL, 0, pos, "bitfield32 bits");
	return false;
}

static bool fz_model_array(const struct fz_family *fam,
			   const struct fz_attr *a, const uint8_t *msg,
			   int pos, int attrlen, unsigned int depth,
			   struct fz_viol *v)
{
	int rem = attrlen, epos = pos + NLA_HDRLEN;

	/* nla_validate_array(): entries only, leftovers are not checked */
	while (rem >= NLA_HDRLEN) {
		uint16_t elen = get16(msg + epos);

		if (elen < NLA_HDRLEN || elen > rem)
			break;
		if (elen - NLA_HDRLEN != 0 && elen - NLA_HDRLEN < NLA_HDRLEN)
			return fz_viol(v, ERANGE, 0, epos,
				       "array element too short");
		if (elen > NLA_HDRLEN &&
		    fz_model_attrs(fam, a->policy, msg, epos + NLA_HDRLEN,
				   elen - NLA_HDRLEN, depth + 1, v))
			return true;
		rem -= NLA_ALIGN(elen);
		epos += NLA_ALIGN(elen);
	}
	return false;
}

/* validate_nla() for one listed attribute at @pos. */
static bool fz_model_attr(const struct fz_family *fam,
			  const struct fz_attr *a, const uint8_t *msg,
			  int pos, unsigned int depth, struct fz_viol *v)
{
	int attrlen = get16(msg + pos) - NLA_HDRLEN;
	bool flagged = get16(msg + pos + 2) & NLA_F_NESTED;
	const uint8_t *data = msg + pos + NLA_HDRLEN;
	int exact = fz_exact_len(a->nl_type);
	bool nest = a->nl_type == NL_ATTR_TYPE_NESTED ||
		    a->nl_type == NL_ATTR_TYPE_NESTED_ARRAY;
	uint64_t value;
	int minlen;

	if (exact && attrlen != exact)
		return fz_viol(v, EINVAL, 0, pos, "integer of the wrong length");
	if (nest && !flagged)
		return fz_viol(v, EINVAL, 0, pos, "NLA_F_NESTED missing");
	if (!nest && flagged)
		return fz_viol(v, EINVAL, 0, pos, "NLA_F_NESTED not expected");

	switch (a->nl_type) {
	case NL_ATTR_TYPE_FLAG:
		if (attrlen > 0)
			return fz_viol(v, ERANGE, 0, pos, "flag with a payload");
		break;
	case NL_ATTR_TYPE_BITFIELD32:
		if (attrlen != 8)
			return fz_viol(v, ERANGE, 0, pos,
				       "bitfield32 of the wrong length");
		if (fz_model_bitfield(a, data, pos, v))
			return true;
		break;
	case NL_ATTR_TYPE_NUL_STRING:
		minlen = attrlen;
		if (a->has_max_len && (int)a->max_len + 1 < minlen)
			minlen = a->max_len + 1;
		if (!minlen || !memchr(data, '\0', minlen))
			return fz_viol(v, EINVAL, 0, pos, "string without NUL");
		/* fall through */
	case NL_ATTR_TYPE_STRING:
		if (attrlen < 1)
			return fz_viol(v, ERANGE, 0, pos, "empty string");
		if (a->has_max_len) {
			int l = attrlen;

			if (data[l - 1] == '\0')
				l--;
			if (l > (int)a->max_len)
				return fz_viol(v, ERANGE, 0, pos,
					       "string too long");
		}
		break;
	case NL_ATTR_TYPE_BINARY:
		/* pt->len and ranges give -ERANGE; RANGE_WARN_TOO_LONG -EINVAL */
		if (a->has_max_len && attrlen > (int)a->max_len)
			return fz_viol(v, ERANGE, EINVAL, pos,
				       "binary too long");
		if (a->has_min_len && attrlen < (int)a->min_len)
			return fz_viol(v, ERANGE, 0, pos, "binary too short");
		break;
	case NL_ATTR_TYPE_NESTED:
		if (attrlen == 0)
			break;
		if (attrlen < NLA_HDRLEN)
			return fz_viol(v, ERANGE, 0, pos, "nest of 1-3 bytes");
		if (a->policy >= 0 &&
		    fz_model_attrs(fam, a->policy, msg, pos + NLA_HDRLEN,
				   attrlen, depth + 1, v))
			return true;
		break;
	case NL_ATTR_TYPE_NESTED_ARRAY:
		if (attrlen == 0)
			break;
		if (attrlen < NLA_HDRLEN)
			return fz_viol(v, ERANGE, 0, pos, "array of 1-3 bytes");
		if (a->policy >= 0 &&
		    fz_model_array(fam, a, msg, pos, attrlen, depth, v))
			return true;
		break;
	case FZ_NL_ATTR_TYPE_UINT:
	case FZ_NL_ATTR_TYPE_SINT:
		if (attrlen != 4 && attrlen != 8)
			return fz_viol(v, EINVAL, ERANGE, pos,
				       "variable integer of the wrong length");
		break;
	default:
		break;
	}

	if (!fz_is_int(a->nl_type))
		return false;
	value = fz_int_value(a->nl_type, data, attrlen);
	if (a->has_mask && value & ~a->mask)
		return fz_viol(v, EINVAL, 0, pos, "bits outside the mask");
	if (a->has_range_u && !fz_is_signed(a->nl_type) &&
	    (value < a->min_u || value > a->max_u))
		return fz_viol(v, ERANGE, 0, pos, "integer out of range");
	if (a->has_range_s && fz_is_signed(a->nl_type) &&
	    ((int64_t)value < a->min_s || (int64_t)value > a->max_s))
		return fz_viol(v, ERANGE, 0, pos, "integer out of range");
	return false;
}

/* __nla_validate_parse() over [off, off + len) of @msg with policy @pidx. */
static bool fz_model_attrs(const struct fz_family *fam, int pidx,
			   const uint8_t *msg, int off, int len,
			   unsigned int depth, struct fz_viol *v)
{
	const struct fz_policy *pol = &fam->policies[pidx];
	int rem = len, pos = off;

	if (depth >= FZ_POLICY_DEPTH)
		return fz_viol(v, EINVAL, 0, -1, "policy recursion too deep");
	while (rem >= NLA_HDRLEN) {
		uint16_t nla_len = get16(msg + pos);
		uint16_t type = get16(msg + pos + 2) & FZ_TYPE_MASK;
		const struct fz_attr *a;

		if (nla_len < NLA_HDRLEN || nla_len > rem)
			break;
		a = type ? fz_policy_attr(pol, type) : NULL;
		if (!a)
			return fz_viol(v, EINVAL, 0, pos,
				       "attribute type not in the policy");
		if (fz_model_attr(fam, a, msg, pos, depth, v))
			return true;
		rem -= NLA_ALIGN(nla_len);
		pos += NLA_ALIGN(nla_len);
	}
	if (rem > 0)
		return fz_viol(v, EINVAL, 0, -1, "bytes left over");
	return false;
}

static void fz_expect_fail(struct fz_expect *e, int err, bool no_msg,
			   const char *why)
{
	e->answer = FZ_ANS_ERROR;
	e->want = err;
	e->no_msg = no_msg;
	e->why = why;
}

/*
 * Predict the answer to the message at @msg, of which @sent bytes (it and
 * everything after it in the same send) reach the kernel.
 */
void fz_model_expect(const struct fz_family *fam, const void *msg,
		     size_t sent, const struct fz_model_opts *o,
		     struct fz_expect *e)
{
	const struct nlmsghdr *nlh = msg;
	const struct genlmsghdr *genl = (const void *)((const uint8_t *)msg +
						       NLMSG_HDRLEN);
	unsigned int hdrlen = GENL_HDRLEN + fam->hdrsize;
	unsigned int attroff = NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen);
	uint16_t flags;
	const struct fz_op *op;
	struct fz_viol v;
	bool admin;
	int pidx;

	memset(e, 0, sizeof(*e));
	e->offs = -1;
	e->answer = FZ_ANS_ERROR;
	if (sent < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN ||
	    nlh->nlmsg_len > sent) {
		e->answer = FZ_ANS_NONE;
		e->stops = true;
		e->why = "nlmsg_len outside the bytes sent";
		return;
	}
	flags = nlh->nlmsg_flags;
	if (!(flags & NLM_F_REQUEST) || nlh->nlmsg_type < NLMSG_MIN_TYPE) {
		e->answer = flags & NLM_F_ACK ? FZ_ANS_ACK0 : FZ_ANS_NONE;
		e->why = "not a request";
		return;
	}
	if (!(flags & NLM_F_ACK))
		e->answer = FZ_ANS_MAYBE;
	if (nlh->nlmsg_type != fam->id)
		return;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + hdrlen)
		return fz_expect_fail(e, EINVAL, true, "genl header cut short");
	if (genl->cmd >= fam->resv_start_op) {
		uint16_t f = flags;

		if ((f & NLM_F_DUMP) == NLM_F_DUMP)
			f &= ~NLM_F_DUMP;
		if (genl->reserved)
			return fz_expect_fail(e, EINVAL, false,
					      "genl reserved field not 0");
		if (f & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO))
			return fz_expect_fail(e, EINVAL, false,
					      "reserved nlmsg_flags");
	}
	op = fz_family_op(fam, genl->cmd);
	if (!op)
		return fz_expect_fail(e, EOPNOTSUPP, true, "unknown command");
	admin = o->unpriv &&
		op->flags & (GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM);
	e->dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	if (e->dump)
		e->answer = FZ_ANS_ERROR;	/* NLMSG_DONE or an error */
	if (!(op->flags & (e->dump ? GENL_CMD_CAP_DUMP : GENL_CMD_CAP_DO))) {
		/* 6.1 checks permissions first, 6.2+ looks up the split op */
		fz_expect_fail(e, EOPNOTSUPP, true, e->dump ?
			       "dump of an op without dumpit" :
			       "doit of an op without doit");
		e->want_alt = admin ? EPERM : 0;
		return;
	}
	if (admin)
		return fz_expect_fail(e, EPERM, true, "no CAP_NET_ADMIN");
	pidx = e->dump ? op->dump_policy : op->do_policy;
	if (pidx < 0)
		return;
	memset(&v, 0, sizeof(v));
	if (fz_model_attrs(fam, pidx, msg, attroff,
			   (int)nlh->nlmsg_len - (int)attroff, 0, &v)) {
		fz_expect_fail(e, v.err, false, v.why);
		e->want_alt = v.alt;
		e->offs = v.offs;
	}
}
