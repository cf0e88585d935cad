// SPDX-License-Identifier: GPL-2.0
/*
 * dict.c - names the kernel accepted, offered again
 *
 * Many commands name an object an earlier command created (a set, a tag):
 * a random name almost never hits one. Every string attribute of a request
 * the kernel accepted goes into a small shared ring, and the generators
 * draw string values from it half of the time, so deletes, lookups and
 * element changes reach objects that exist. The strings are found by
 * walking the request with the op's policy, as model.c does.
 */
#include <string.h>

#include "fuzz.h"

static void fz_dict_add(struct fz_dict *d, const char *s, size_t len)
{
	unsigned int i;

	if (!len || len >= FZ_DICT_LEN)
		return;
	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->n; i++)
		if (!strncmp(d->str[i], s, len) && !d->str[i][len])
			goto out;
	memcpy(d->str[d->next], s, len);
	d->str[d->next][len] = '\0';
	d->next = (d->next + 1) % FZ_DICT_SIZE;
	if (d->n < FZ_DICT_SIZE)
		d->n++;
out:
	pthread_mutex_unlock(&d->lock);
}

/* Copy a remembered string into @buf (FZ_DICT_LEN); its length, or -1. */
int fz_dict_pick(struct fz_dict *d, struct fz_rand *r, char *buf)
{
	int len = -1;

	pthread_mutex_lock(&d->lock);
	if (d->n) {
		strcpy(buf, d->str[fz_below(r, d->n)]);
		len = strlen(buf);
	}
	pthread_mutex_unlock(&d->lock);
	return len;
}

static void fz_dict_walk(struct fz_dict *d, const struct fz_family *fam,
			 int pidx, const uint8_t *p, int len,
			 unsigned int depth)
{
	const struct fz_attr *a;

	if (pidx < 0 || depth > FZ_POLICY_DEPTH)
		return;
	while (len >= NLA_HDRLEN) {
		const struct nlattr *nla = (const void *)p;
		int plen = nla->nla_len - NLA_HDRLEN;

		if (nla->nla_len < NLA_HDRLEN || nla->nla_len > len)
			return;
		a = fz_policy_attr(&fam->policies[pidx],
				   nla->nla_type & FZ_TYPE_MASK);
		if (a && (a->nl_type == NL_ATTR_TYPE_NUL_STRING ||
			  a->nl_type == NL_ATTR_TYPE_STRING))
			fz_dict_add(d, (const char *)(p + NLA_HDRLEN),
				    strnlen((const char *)(p + NLA_HDRLEN),
					    plen));
		else if (a && a->nl_type == NL_ATTR_TYPE_NESTED)
			fz_dict_walk(d, fam, a->policy, p + NLA_HDRLEN, plen,
				     depth + 1);
		p += NLA_ALIGN(nla->nla_len);
		len -= NLA_ALIGN(nla->nla_len);
	}
}

/* Remember the strings of @nlh, a request the kernel accepted. */
void fz_dict_learn(struct fz_dict *d, const struct fz_family *fam,
		   const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	unsigned int off = NLMSG_HDRLEN + GENL_HDRLEN +
			   NLMSG_ALIGN(fam->hdrsize);
	const struct fz_op *op;
	int pidx;

	if (nlh->nlmsg_len <= off)
		return;
	op = fz_family_op(fam, genl->cmd);
	if (!op)
		return;
	pidx = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP ?
	       op->dump_policy : op->do_policy;
	fz_dict_walk(d, fam, pidx, (const uint8_t *)nlh + off,
		     nlh->nlmsg_len - off, 0);
}
