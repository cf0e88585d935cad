// SPDX-License-Identifier: GPL-2.0
/*
 * ruleset.c - what the kernel holds, read whole, and the ruleset written
 *
 * Every command that changes the firewall reads, modifies and writes the
 * whole ruleset: FW_GET (doit) for the settings and the generation, an
 * FW_GET dump for the rules, then FW_REPLACE carrying the generation read.
 * If another commit came in between, the kernel refuses it (-EBUSY, with
 * its message) instead of this one silently undoing the other.
 *
 * The ruleset holds the firewall's rules and the services' redirect rules:
 * the dump gives both (SLOTFILTER_FW_A_RULE, SLOTFILTER_FW_A_REDIRECT),
 * and a commit carries both, so changing one kind never loses the other.
 * As a guard, the redirect rules read are counted against what the
 * services say they have (SERVICE_GET's NREDIRECTS): a kernel that did
 * not dump them all would otherwise have them deleted by the next commit.
 *
 * The settings and the rules come from two requests. Each dump message
 * carries the generation it belongs to: a dump of another generation than
 * the settings (a commit in between), or one the kernel marked
 * NLM_F_DUMP_INTR (-EINTR from sfnl), is read again.
 *
 * Functions here print their errors and return the exit status (0 or 1).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/slotfilter.h>

#include "attr.h"
#include "fwmsg.h"
#include "portmsg.h"
#include "slotctl.h"
#include "svcmsg.h"

#define READ_TRIES	5

struct rules_dump {
	struct sf_ruleset *rs;
	bool stale;		/* another generation, or interrupted */
};

static int fw_get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sf_fw *fw = data;

	if (sfnl_genl_cmd(nlh) != SLOTFILTER_CMD_FW_GET)
		return MNL_CB_OK;
	if (sf_fw_parse(nlh, fw)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int rules_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rules_dump *d = data;
	struct sf_rule_list *red = &d->rs->redirects;
	struct sf_rule rule;
	uint32_t generation;
	bool redirect;
	int err;

	if (sfnl_genl_cmd(nlh) != SLOTFILTER_CMD_FW_GET)
		return MNL_CB_OK;
	err = sf_any_rule_msg_parse(nlh, &generation, &rule, &redirect);
	if (err) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	if (generation != d->rs->fw.generation)
		d->stale = true;
	if (redirect ? sf_list_insert(red, red->n, &rule) :
	    sf_ruleset_insert(d->rs, d->rs->n, &rule)) {
		sf_rule_free(&rule);
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* Redirect rules the services have, by their SERVICE_GET; -1: error. */
static long redirects_expected(void)
{
	struct sf_services svcs;
	long n = 0;
	size_t i;

	if (services_read(&svcs, NULL)) {
		sf_services_free(&svcs);
		return -1;
	}
	for (i = 0; i < svcs.n; i++)
		n += svcs.svcs[i].nredirects;
	sf_services_free(&svcs);
	return n;
}

/* The ruleset as it is now, settings and rules of one generation. */
int ruleset_read(struct sf_ruleset *rs)
{
	struct rules_dump d = { .rs = rs };
	struct nlmsghdr *nlh;
	bool mismatch = false;
	int tries, ret, err;
	long want = 0;

	memset(rs, 0, sizeof(*rs));
	for (tries = 0; tries < READ_TRIES; tries++) {
		sf_ruleset_free(rs);
		mismatch = false;
		nlh = slotctl_request(SLOTFILTER_CMD_FW_GET, 0);
		ret = slotctl_talk(nlh, fw_get_cb, &rs->fw);
		if (ret)
			return ret;
		d.stale = false;
		nlh = slotctl_request(SLOTFILTER_CMD_FW_GET, NLM_F_DUMP);
		err = slotctl_try(nlh, rules_cb, &d);
		if (err && err != -EINTR)
			return slotctl_report(err);
		if (err || d.stale)
			continue;
		want = redirects_expected();
		if (want < 0)
			return 1;
		if ((size_t)want == rs->redirects.n)
			return 0;
		mismatch = true;
	}
	if (mismatch) {
		errorf("the services have %ld redirect rules but the kernel's ruleset dump gave %zu: not changing or showing a ruleset that would lose some",
		       want, rs->redirects.n);
		return 1;
	}
	errorf("the ruleset kept changing while it was read; try again");
	return 1;
}

/*
 * Replace the ruleset with @rs, if its generation is still the one read.
 * On success rs->fw.generation is the new one. If the kernel refused one
 * rule in particular (its extended ack points into it), *@bad_rule is its
 * index (in rs->rules), or *@bad_redirect (in rs->redirects), else -1.
 */
int ruleset_commit(struct sf_ruleset *rs, long *bad_rule, long *bad_redirect)
{
	struct nlmsghdr *nlh;
	struct sf_fw fw;
	int ret;

	if (bad_rule)
		*bad_rule = -1;
	if (bad_redirect)
		*bad_redirect = -1;
	if (rs->n > SLOTFILTER_RULES_MAX) {
		errorf("%zu rules: a ruleset holds at most %d", rs->n,
		       SLOTFILTER_RULES_MAX);
		return 1;
	}
	if (rs->redirects.n > SLOTFILTER_RULES_MAX) {
		errorf("%zu redirect rules: a ruleset holds at most %d",
		       rs->redirects.n, SLOTFILTER_RULES_MAX);
		return 1;
	}
	nlh = slotctl_request_big(SLOTFILTER_CMD_FW_REPLACE, 0, sf_fw_size(rs));
	sf_fw_put(nlh, rs, true);
	memset(&fw, 0, sizeof(fw));
	fw.generation = rs->fw.generation;
	ret = slotctl_talk(nlh, fw_get_cb, &fw);
	if (!ret)
		rs->fw.generation = fw.generation;
	if (ret && bad_rule)
		*bad_rule = sf_fw_rule_at(nlh, slotctl_ext_offs());
	if (ret && bad_redirect)
		*bad_redirect = sf_fw_redirect_at(nlh, slotctl_ext_offs());
	return ret;
}

static int services_cb(const struct nlmsghdr *nlh, void *data)
{
	int err;

	if (sfnl_genl_cmd(nlh) != SLOTFILTER_CMD_SERVICE_GET)
		return MNL_CB_OK;
	err = sf_services_add_msg(data, nlh);
	if (err) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* Every service in slot order, or only @name (-ENOENT if unknown). */
int services_read(struct sf_services *svcs, const char *name)
{
	struct nlmsghdr *nlh;

	memset(svcs, 0, sizeof(*svcs));
	nlh = slotctl_request(SLOTFILTER_CMD_SERVICE_GET, name ? 0 : NLM_F_DUMP);
	if (name)
		mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, name);
	return slotctl_talk(nlh, services_cb, svcs);
}

static int sets_cb(const struct nlmsghdr *nlh, void *data)
{
	int err;

	if (sfnl_genl_cmd(nlh) != SLOTFILTER_CMD_SET_GET)
		return MNL_CB_OK;
	err = sf_sets_add_msg(data, nlh);
	if (err) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* Every set, or only set @name (-ENOENT from the kernel if unknown). */
int sets_read(struct sf_sets *sets, const char *name)
{
	struct nlmsghdr *nlh = slotctl_request(SLOTFILTER_CMD_SET_GET,
					       NLM_F_DUMP);

	memset(sets, 0, sizeof(*sets));
	if (name)
		mnl_attr_put_strz(nlh, SLOTFILTER_SET_A_NAME, name);
	return slotctl_talk(nlh, sets_cb, sets);
}

struct ports_dump {
	struct sf_port *ports;
	size_t n, cap;
};

static int ports_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ports_dump *d = data;
	struct sf_port *p;

	if (sfnl_genl_cmd(nlh) != SLOTFILTER_CMD_PORT_GET)
		return MNL_CB_OK;
	if (d->n == d->cap) {
		p = realloc(d->ports, (d->cap ? 2 * d->cap : 16) * sizeof(*p));
		if (!p) {
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
		d->ports = p;
		d->cap = d->cap ? 2 * d->cap : 16;
	}
	if (sf_port_parse(nlh, &d->ports[d->n])) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	d->n++;
	return MNL_CB_OK;
}

/* Every port of the namespace, in ascending ifindex order. */
int ports_read(struct sf_port **ports, size_t *n)
{
	struct ports_dump d = { 0 };
	int ret;

	ret = slotctl_talk(slotctl_request(SLOTFILTER_CMD_PORT_GET,
					   NLM_F_DUMP), ports_cb, &d);
	*ports = d.ports;
	*n = d.n;
	return ret;
}
