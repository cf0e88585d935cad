// SPDX-License-Identifier: GPL-2.0
/*
 * family.c - learn a generic netlink family from the controller
 *
 * CTRL_CMD_GETFAMILY gives the family's id, version and its operations with
 * their flags (GENL_ADMIN_PERM, GENL_CMD_CAP_DO/DUMP/HASPOL...).
 * CTRL_CMD_GETPOLICY, a dump, gives for each operation the index of the
 * policy its doit and its dumpit validate with (CTRL_ATTR_OP_POLICY), then
 * every policy reachable from them, one attribute per message
 * (CTRL_ATTR_POLICY: policy index -> attribute type -> NL_POLICY_TYPE_ATTR_*).
 *
 * The dump leaves out attributes the kernel rejects (NLA_REJECT) or does
 * not describe (NLA_UNSPEC; on 6.1 also NLA_MIN_LEN, NLA_BE16, NLA_BE32):
 * an attribute type that is not listed is one a strictly validating family
 * must refuse, which is what model.c predicts.
 *
 * Both requests go through the shared sfnl layer, bound to the controller
 * itself ("nlctrl"), so nothing here opens sockets or resolves names twice.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "attr.h"
#include "fuzz.h"
#include "sfnl.h"

static const char *const nl_type_names[] = {
	[NL_ATTR_TYPE_INVALID]		= "invalid",
	[NL_ATTR_TYPE_FLAG]		= "flag",
	[NL_ATTR_TYPE_U8]		= "u8",
	[NL_ATTR_TYPE_U16]		= "u16",
	[NL_ATTR_TYPE_U32]		= "u32",
	[NL_ATTR_TYPE_U64]		= "u64",
	[NL_ATTR_TYPE_S8]		= "s8",
	[NL_ATTR_TYPE_S16]		= "s16",
	[NL_ATTR_TYPE_S32]		= "s32",
	[NL_ATTR_TYPE_S64]		= "s64",
	[NL_ATTR_TYPE_BINARY]		= "binary",
	[NL_ATTR_TYPE_STRING]		= "string",
	[NL_ATTR_TYPE_NUL_STRING]	= "nul-string",
	[NL_ATTR_TYPE_NESTED]		= "nested",
	[NL_ATTR_TYPE_NESTED_ARRAY]	= "nested-array",
	[NL_ATTR_TYPE_BITFIELD32]	= "bitfield32",
	[FZ_NL_ATTR_TYPE_SINT]		= "sint",
	[FZ_NL_ATTR_TYPE_UINT]		= "uint",
};

const struct fz_op *fz_family_op(const struct fz_family *fam, unsigned int cmd)
{
	unsigned int i;

	for (i = 0; i < fam->n_ops; i++)
		if (fam->ops[i].cmd == cmd)
			return &fam->ops[i];
	return NULL;
}

const struct fz_attr *fz_policy_attr(const struct fz_policy *pol,
				     unsigned int type)
{
	unsigned int i;

	for (i = 0; i < pol->n_attrs; i++)
		if (pol->attrs[i].type == type)
			return &pol->attrs[i];
	return NULL;
}

static int fz_op_parse(const struct nlattr *nest, struct fz_family *fam)
{
	static const struct sfnl_policy policy[CTRL_ATTR_OP_MAX + 1] = {
		[CTRL_ATTR_OP_ID]	= { .type = MNL_TYPE_U32 },
		[CTRL_ATTR_OP_FLAGS]	= { .type = MNL_TYPE_U32 },
	};
	const struct nlattr *tb[CTRL_ATTR_OP_MAX + 1];
	struct fz_op *op;
	uint32_t cmd;

	if (sfnl_parse_nested(nest, policy, CTRL_ATTR_OP_MAX, tb) ||
	    !tb[CTRL_ATTR_OP_ID])
		return -EBADMSG;
	cmd = mnl_attr_get_u32(tb[CTRL_ATTR_OP_ID]);
	if (cmd > 255 || fam->n_ops == FZ_MAX_OPS)
		return -E2BIG;
	op = &fam->ops[fam->n_ops++];
	op->cmd = cmd;
	op->flags = tb[CTRL_ATTR_OP_FLAGS] ?
		    mnl_attr_get_u32(tb[CTRL_ATTR_OP_FLAGS]) : 0;
	op->do_policy = -1;
	op->dump_policy = -1;
	return 0;
}

static int fz_family_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct sfnl_policy policy[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID]	= { .type = MNL_TYPE_U16 },
		[CTRL_ATTR_FAMILY_NAME]	= { .type = MNL_TYPE_NUL_STRING },
		[CTRL_ATTR_VERSION]	= { .type = MNL_TYPE_U32 },
		[CTRL_ATTR_HDRSIZE]	= { .type = MNL_TYPE_U32 },
		[CTRL_ATTR_OPS]		= { .type = MNL_TYPE_NESTED },
	};
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct fz_family *fam = data;
	const struct nlattr *op;

	if (sfnl_parse_genl(nlh, policy, CTRL_ATTR_MAX, tb) ||
	    !tb[CTRL_ATTR_FAMILY_ID])
		goto bad;
	fam->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		fam->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_HDRSIZE])
		fam->hdrsize = mnl_attr_get_u32(tb[CTRL_ATTR_HDRSIZE]);
	if (tb[CTRL_ATTR_OPS])
		mnl_attr_for_each_nested(op, tb[CTRL_ATTR_OPS])
			if (fz_op_parse(op, fam))
				goto bad;
	return MNL_CB_OK;
bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

/* CTRL_ATTR_OP_POLICY: { cmd: { CTRL_ATTR_POLICY_DO, _DUMP } } */
static int fz_op_policy_parse(const struct nlattr *nest, struct fz_family *fam)
{
	static const struct sfnl_policy policy[CTRL_ATTR_POLICY_DUMP_MAX + 1] = {
		[CTRL_ATTR_POLICY_DO]	= { .type = MNL_TYPE_U32 },
		[CTRL_ATTR_POLICY_DUMP]	= { .type = MNL_TYPE_U32 },
	};
	const struct nlattr *tb[CTRL_ATTR_POLICY_DUMP_MAX + 1];
	const struct nlattr *cmd;
	struct fz_op *op;

	mnl_attr_for_each_nested(cmd, nest) {
		if (sfnl_parse_nested(cmd, policy, CTRL_ATTR_POLICY_DUMP_MAX,
				      tb))
			return -EBADMSG;
		op = (struct fz_op *)fz_family_op(fam, mnl_attr_get_type(cmd));
		if (!op)
			return -EBADMSG;
		if (tb[CTRL_ATTR_POLICY_DO])
			op->do_policy = mnl_attr_get_u32(tb[CTRL_ATTR_POLICY_DO]);
		if (tb[CTRL_ATTR_POLICY_DUMP])
			op->dump_policy =
				mnl_attr_get_u32(tb[CTRL_ATTR_POLICY_DUMP]);
		if (op->do_policy >= FZ_MAX_POLICIES ||
		    op->dump_policy >= FZ_MAX_POLICIES)
			return -E2BIG;
	}
	return 0;
}

static int fz_attr_parse(const struct nlattr *nest, struct fz_policy *pol)
{
	static const struct sfnl_policy policy[NL_POLICY_TYPE_ATTR_MAX + 1] = {
		[NL_POLICY_TYPE_ATTR_TYPE]		= { MNL_TYPE_U32 },
		[NL_POLICY_TYPE_ATTR_MIN_VALUE_S]	= { MNL_TYPE_U64 },
		[NL_POLICY_TYPE_ATTR_MAX_VALUE_S]	= { MNL_TYPE_U64 },
		[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]	= { MNL_TYPE_U64 },
		[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]	= { MNL_TYPE_U64 },
		[NL_POLICY_TYPE_ATTR_MIN_LENGTH]	= { MNL_TYPE_U32 },
		[NL_POLICY_TYPE_ATTR_MAX_LENGTH]	= { MNL_TYPE_U32 },
		[NL_POLICY_TYPE_ATTR_POLICY_IDX]	= { MNL_TYPE_U32 },
		[NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE]	= { MNL_TYPE_U32 },
		[NL_POLICY_TYPE_ATTR_BITFIELD32_MASK]	= { MNL_TYPE_U32 },
		[NL_POLICY_TYPE_ATTR_MASK]		= { MNL_TYPE_U64 },
	};
	const struct nlattr *tb[NL_POLICY_TYPE_ATTR_MAX + 1];
	struct fz_attr *a;

	if (sfnl_parse_nested(nest, policy, NL_POLICY_TYPE_ATTR_MAX, tb) ||
	    !tb[NL_POLICY_TYPE_ATTR_TYPE])
		return -EBADMSG;
	if (pol->n_attrs == FZ_MAX_ATTRS)
		return -E2BIG;
	a = &pol->attrs[pol->n_attrs++];
	memset(a, 0, sizeof(*a));
	a->type = mnl_attr_get_type(nest);
	a->nl_type = mnl_attr_get_u32(tb[NL_POLICY_TYPE_ATTR_TYPE]);
	a->policy = -1;
	if (tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U] &&
	    tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]) {
		a->has_range_u = true;
		a->min_u = mnl_attr_get_u64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]);
		a->max_u = mnl_attr_get_u64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]);
	}
	if (tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_S] &&
	    tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_S]) {
		a->has_range_s = true;
		a->min_s = mnl_attr_get_u64(tb[NL_POLICY_TYPE_ATTR_MIN_VALUE_S]);
		a->max_s = mnl_attr_get_u64(tb[NL_POLICY_TYPE_ATTR_MAX_VALUE_S]);
	}
	if (tb[NL_POLICY_TYPE_ATTR_MASK]) {
		a->has_mask = true;
		a->mask = mnl_attr_get_u64(tb[NL_POLICY_TYPE_ATTR_MASK]);
	}
	if (tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH]) {
		a->has_min_len = true;
		a->min_len = mnl_attr_get_u32(tb[NL_POLICY_TYPE_ATTR_MIN_LENGTH]);
	}
	if (tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH]) {
		a->has_max_len = true;
		a->max_len = mnl_attr_get_u32(tb[NL_POLICY_TYPE_ATTR_MAX_LENGTH]);
	}
	if (tb[NL_POLICY_TYPE_ATTR_BITFIELD32_MASK])
		a->bitfield_mask =
			mnl_attr_get_u32(tb[NL_POLICY_TYPE_ATTR_BITFIELD32_MASK]);
	if (tb[NL_POLICY_TYPE_ATTR_POLICY_IDX]) {
		uint32_t idx = mnl_attr_get_u32(tb[NL_POLICY_TYPE_ATTR_POLICY_IDX]);

		if (idx >= FZ_MAX_POLICIES)
			return -E2BIG;
		a->policy = idx;
	}
	if (tb[NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE])
		a->policy_maxtype =
			mnl_attr_get_u32(tb[NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE]);
	return 0;
}

/* CTRL_ATTR_POLICY: { policy index: { attribute type: { ... } } } */
static int fz_policy_parse(const struct nlattr *nest, struct fz_family *fam)
{
	const struct nlattr *idx, *attr;
	struct fz_policy *pol;
	unsigned int i;
	int err;

	mnl_attr_for_each_nested(idx, nest) {
		i = mnl_attr_get_type(idx);
		if (i >= FZ_MAX_POLICIES)
			return -E2BIG;
		pol = &fam->policies[i];
		pol->present = true;
		if (i + 1 > fam->n_policies)
			fam->n_policies = i + 1;
		mnl_attr_for_each_nested(attr, idx) {
			err = fz_attr_parse(attr, pol);
			if (err)
				return err;
		}
	}
	return 0;
}

static int fz_getpolicy_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct sfnl_policy policy[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID]	= { .type = MNL_TYPE_U16 },
		[CTRL_ATTR_POLICY]	= { .type = MNL_TYPE_NESTED },
		[CTRL_ATTR_OP_POLICY]	= { .type = MNL_TYPE_NESTED },
	};
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct fz_family *fam = data;
	int err = 0;

	if (sfnl_parse_genl(nlh, policy, CTRL_ATTR_MAX, tb)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (tb[CTRL_ATTR_OP_POLICY])
		err = fz_op_policy_parse(tb[CTRL_ATTR_OP_POLICY], fam);
	if (!err && tb[CTRL_ATTR_POLICY])
		err = fz_policy_parse(tb[CTRL_ATTR_POLICY], fam);
	if (err) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/*
 * Fill @fam from the kernel. Resolving the family by name makes the kernel
 * load its module. Returns 0 or a negative errno (-ENOENT: no such family).
 */
int fz_family_learn(struct fz_family *fam, const char *name)
{
	struct nlmsghdr *nlh;
	struct sfnl *nl;
	int err;

	memset(fam, 0, sizeof(*fam));
	snprintf(fam->name, sizeof(fam->name), "%s", name);
	nl = sfnl_open();
	if (!nl)
		return -errno;
	err = sfnl_resolve(nl, "nlctrl");
	if (err)
		goto out;

	nlh = sfnl_request(nl, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	err = sfnl_talk(nl, nlh, fz_family_cb, fam);
	if (err)
		goto out;

	nlh = sfnl_request(nl, CTRL_CMD_GETPOLICY, NLM_F_DUMP);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, fam->id);
	err = sfnl_talk(nl, nlh, fz_getpolicy_cb, fam);
	/* A family without any policy has nothing to dump. */
	if (err == -ENODATA || err == -EOPNOTSUPP)
		err = 0;
out:
	if (err && sfnl_ext_msg(nl))
		fprintf(stderr, "nlfuzz: %s: %s\n", name, sfnl_ext_msg(nl));
	sfnl_close(nl);
	return err;
}

static const char *fz_nl_type_name(uint32_t t)
{
	if (t < FZ_ARRAY_SIZE(nl_type_names) &&
	    nl_type_names[t])
		return nl_type_names[t];
	return "?";
}

static void fz_attr_print(const struct fz_attr *a)
{
	printf("#     attr %u: %s", a->type, fz_nl_type_name(a->nl_type));
	if (a->has_range_u)
		printf(" [%llu, %llu]", (unsigned long long)a->min_u,
		       (unsigned long long)a->max_u);
	if (a->has_range_s)
		printf(" [%lld, %lld]", (long long)a->min_s,
		       (long long)a->max_s);
	if (a->has_mask)
		printf(" mask 0x%llx", (unsigned long long)a->mask);
	if (a->has_min_len || a->has_max_len)
		printf(" len [%u, %u]", a->min_len,
		       a->has_max_len ? a->max_len : 65531);
	if (a->nl_type == NL_ATTR_TYPE_BITFIELD32)
		printf(" mask 0x%x", a->bitfield_mask);
	if (a->policy >= 0)
		printf(" -> policy %d (maxtype %u)", a->policy,
		       a->policy_maxtype);
	printf("\n");
}

void fz_family_print(const struct fz_family *fam)
{
	unsigned int i, j;

	printf("# family %s: id %u, version %u, %u ops, %u policies\n",
	       fam->name, fam->id, fam->version, fam->n_ops, fam->n_policies);
	for (i = 0; i < fam->n_ops; i++) {
		const struct fz_op *op = &fam->ops[i];

		printf("#   op %u: flags 0x%x%s%s%s%s, policy do %d dump %d\n",
		       op->cmd, op->flags,
		       op->flags & GENL_CMD_CAP_DO ? " do" : "",
		       op->flags & GENL_CMD_CAP_DUMP ? " dump" : "",
		       op->flags & GENL_ADMIN_PERM ? " admin" : "",
		       op->flags & GENL_UNS_ADMIN_PERM ? " uns-admin" : "",
		       op->do_policy, op->dump_policy);
	}
	for (i = 0; i < fam->n_policies; i++) {
		if (!fam->policies[i].present)
			continue;
		printf("#   policy %u:\n", i);
		for (j = 0; j < fam->policies[i].n_attrs; j++)
			fz_attr_print(&fam->policies[i].attrs[j]);
	}
}
