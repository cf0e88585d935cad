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
	struct sf_rule rule;
	uint32_t generation;
	int err;

	if (sfnl_genl_cmd(nlh) != SLOTFILTER_CMD_FW_GET)
		return MNL_CB_OK;
	err = sf_rule_msg_parse(nlh, &generation, &rule);
	if (err) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	if (generation != d->rs->fw.generation)
		d->stale = true;
	if (sf_ruleset_insert(d->rs, d->rs->n, &rule)) {
		sf_rule_free(&rule);
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* The ruleset as it is now, settings and rules of one generation. */
int ruleset_read(struct sf_ruleset *rs)
{
	struct rules_dump d = { .rs = rs };
	struct nlmsghdr *nlh;
	int tries, ret, err;

	memset(rs, 0, sizeof(*rs));
	for (tries = 0; tries < READ_TRIES; tries++) {
		sf_ruleset_free(rs);
		nlh = slotctl_request(SLOTFILTER_CMD_FW_GET, 0);
		ret = slotctl_talk(nlh, fw_get_cb, &rs->fw);
		if (ret)
			return ret;
		d.stale = false;
		nlh = slotctl_request(SLOTFILTER_CMD_FW_GET, NLM_F_DUMP);
		err = slotctl_try(nlh, rules_cb, &d);
		if (err && err != -EINTR)
			return slotctl_report(err);
		if (!err && !d.stale)
			return 0;
	}
	errorf("the ruleset kept changing while it was read; try again");
	return 1;
}

/*
 * Replace the ruleset with @rs, if its generation is still the one read.
 * On success rs->fw.generation is the new one. If the kernel refused one
 * rule in particular (its extended ack points into it), *@bad_rule is its
 * index, else -1.
 */
int ruleset_commit(struct sf_ruleset *rs, long *bad_rule)
{
	struct nlmsghdr *nlh;
	struct sf_fw fw;
	int ret;

	if (bad_rule)
		*bad_rule = -1;
	if (rs->n > SLOTFILTER_RULES_MAX) {
		errorf("%zu rules: a ruleset holds at most %d", rs->n,
		       SLOTFILTER_RULES_MAX);
		return 1;
	}
	nlh = slotctl_request_big(SLOTFILTER_CMD_FW_REPLACE, 0, sf_fw_size(rs));
	sf_fw_put(nlh, rs, true);
	memset(&fw, 0, sizeof(fw));
	fw.generation = rs->fw.generation;
	ret = slotctl_talk(nlh, fw_get_cb, &fw);
	if (!ret)
		rs->fw.generation = fw.generation;
	else if (bad_rule)
		*bad_rule = sf_fw_rule_at(nlh, slotctl_ext_offs());
	return ret;
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
