// SPDX-License-Identifier: GPL-2.0
/*
 * apply.c - slotctl apply -f FILE: make the kernel's state what a file says
 *
 * SYNOPSIS
 *	slotctl apply -f FILE		(FILE "-": standard input)
 *
 * First the whole file is parsed and checked (config.c), against the
 * devices of this network namespace and the kernel's ports and sets; if
 * anything is wrong, every error is printed as FILE:LINE:COL: message and
 * nothing is changed (status 1). Then, in this order:
 *
 *  1. the ruleset is read (its generation is the one the commit carries);
 *  2. each listed port is attached if it is not, and its tags are made
 *     exactly those listed (untag first: a port carries at most 16);
 *  3. each listed set is created, or its elements are made exactly those
 *     listed with SET_ELEM_ADD/DEL, so the rules using it are not
 *     recompiled (add first, so that no packet sees the set missing an
 *     element it keeps, unless that would overflow the set);
 *  4. each listed service is created (SERVICE_ADD with every option), or
 *     changed where it differs (SERVICE_SET with what differs; options
 *     the line leaves out are the defaults). Services that move go in an
 *     order that keeps slots free (one moves to a free slot for a while
 *     to break a cycle); a slot held by a service the file does not list,
 *     which no redirect rule of the ruleset or the file names, is freed
 *     by deleting that service first;
 *  5. one FW_REPLACE carries everything the file says about the firewall
 *     and the redirect rules, settings it does not give at their
 *     defaults, with the generation of step 1: a commit by someone else
 *     meanwhile makes it fail (-EBUSY) instead of being undone. It is
 *     left out when the ruleset is already what the file says (every
 *     setting given and equal, the same rules, each service's redirect
 *     rules the same in the same order);
 *  6. the sets the file does not list are deleted, but those its rules
 *     use (they must exist, and are left as they are); so are the
 *     services, but those its redirect rules name.
 *
 * Ports the file does not list are left alone. A kernel error stops
 * there (status 1): steps before it stay done, and the ruleset is only
 * ever replaced whole.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "portmsg.h"
#include "slotctl.h"
#include "svcmsg.h"

void apply_usage(FILE *fp)
{
	fputs("Usage: slotctl apply -f FILE\n", fp);
}

/*
 * The kernel's ports and sets, read on first need. If they cannot be read
 * (the error is printed), the file's references are not judged and the
 * apply fails after the file's own errors are printed.
 */
struct kstate {
	bool loaded, failed;
	struct sf_port *ports;
	size_t n_ports;
	struct sf_sets sets;
	struct sf_services svcs;
};

static bool kstate_load(struct kstate *k)
{
	if (!k->loaded && !k->failed) {
		if (ports_read(&k->ports, &k->n_ports) ||
		    sets_read(&k->sets, NULL) ||
		    services_read(&k->svcs, NULL))
			k->failed = true;
		else
			k->loaded = true;
	}
	return k->loaded;
}

static struct sf_port *kstate_port(struct kstate *k, unsigned int ifindex)
{
	size_t i;

	for (i = 0; i < k->n_ports; i++) {
		if (k->ports[i].ifindex == ifindex)
			return &k->ports[i];
	}
	return NULL;
}

static unsigned int env_ifindex(const char *name, void *ctx)
{
	(void)ctx;
	return if_nametoindex(name);
}

static bool env_set_exists(const char *name, void *ctx)
{
	struct kstate *k = ctx;

	return !kstate_load(k) || sf_sets_find(&k->sets, name) != NULL;
}

static bool env_is_port(unsigned int ifindex, void *ctx)
{
	struct kstate *k = ctx;

	return !kstate_load(k) || kstate_port(k, ifindex) != NULL;
}

static bool env_service_exists(const char *name, void *ctx)
{
	struct kstate *k = ctx;

	return !kstate_load(k) || sf_services_find(&k->svcs, name) != NULL;
}

/* The file, with a NUL after it. */
static char *read_file(const char *path, size_t *len)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t cap = 1 << 16, n = 0, got;
	char *buf = NULL, *p;

	if (!fp) {
		errorf("cannot open \"%s\": %s", path, strerror(errno));
		exit(1);
	}
	for (;;) {
		p = realloc(buf, cap + 1);
		if (!p) {
			errorf("out of memory reading \"%s\"", path);
			exit(1);
		}
		buf = p;
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (n < cap)
			break;
		cap *= 2;
	}
	if (ferror(fp)) {
		errorf("cannot read \"%s\": %s", path, strerror(errno));
		exit(1);
	}
	if (fp != stdin)
		fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int port_cmd(uint8_t cmd, unsigned int ifindex, const char *tag)
{
	struct nlmsghdr *nlh = slotctl_request(cmd, 0);

	mnl_attr_put_u32(nlh, SLOTFILTER_PORT_A_IFINDEX, ifindex);
	if (tag)
		mnl_attr_put_strz(nlh, SLOTFILTER_PORT_A_TAG, tag);
	return slotctl_talk(nlh, NULL, NULL);
}

static bool has_tag(const char (*tags)[SLOTFILTER_NAME_MAX], unsigned int n,
		    const char *tag)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!strcmp(tags[i], tag))
			return true;
	}
	return false;
}

static int apply_port(struct kstate *k, const struct cfg_port *want)
{
	const struct sf_port *have = kstate_port(k, want->ifindex);
	unsigned int i, n_have = have ? have->n_tags : 0;
	int ret = 0;

	if (!have)
		ret = port_cmd(SLOTFILTER_CMD_PORT_ADD, want->ifindex, NULL);
	for (i = 0; !ret && i < n_have; i++) {
		if (!has_tag(want->tags, want->n_tags, have->tags[i]))
			ret = port_cmd(SLOTFILTER_CMD_PORT_UNTAG, want->ifindex,
				       have->tags[i]);
	}
	for (i = 0; !ret && i < want->n_tags; i++) {
		if (!have || !has_tag(have->tags, n_have, want->tags[i]))
			ret = port_cmd(SLOTFILTER_CMD_PORT_TAG, want->ifindex,
				       want->tags[i]);
	}
	return ret;
}

static int elem_cmd(uint8_t cmd, const struct sf_set *elems)
{
	if (!elems->n)
		return 0;
	return slotctl_talk(set_request(cmd, elems), NULL, NULL);
}

/* Both sorted: what @want has and @have not go to @add, the reverse @del. */
static void set_diff(const struct sf_set *want, const struct sf_set *have,
		     struct sf_set *add, struct sf_set *del)
{
	size_t i = 0, j = 0;
	int c;

	while (i < want->n || j < have->n) {
		c = i == want->n ? 1 : j == have->n ? -1 :
		    sf_prefix_cmp(&want->elems[i], &have->elems[j]);
		if (c < 0)
			sf_set_push(add, &want->elems[i++]);
		else if (c > 0)
			sf_set_push(del, &have->elems[j++]);
		else
			i++, j++;
	}
}

static int apply_set(struct kstate *k, const struct sf_set *want)
{
	struct sf_set *have = sf_sets_find(&k->sets, want->name);
	struct sf_set add = { .n = 0 }, del = { .n = 0 };
	int ret;

	if (!have)
		return slotctl_talk(set_request(SLOTFILTER_CMD_SET_ADD, want),
				    NULL, NULL);
	sf_set_sort(have);
	strcpy(add.name, want->name);
	strcpy(del.name, want->name);
	set_diff(want, have, &add, &del);
	if (have->n + add.n > SLOTFILTER_SET_ELEMS_MAX) {
		ret = elem_cmd(SLOTFILTER_CMD_SET_ELEM_DEL, &del);
		if (!ret)
			ret = elem_cmd(SLOTFILTER_CMD_SET_ELEM_ADD, &add);
	} else {
		ret = elem_cmd(SLOTFILTER_CMD_SET_ELEM_ADD, &add);
		if (!ret)
			ret = elem_cmd(SLOTFILTER_CMD_SET_ELEM_DEL, &del);
	}
	sf_set_free(&add);
	sf_set_free(&del);
	return ret;
}

/* ---- services ---- */

static int service_cmd(uint8_t cmd, const struct sf_service *svc,
		       unsigned int opts)
{
	struct nlmsghdr *nlh = slotctl_request(cmd, 0);

	sf_service_put(nlh, svc, opts);
	return slotctl_talk(nlh, NULL, NULL);
}

/* What SERVICE_SET must carry to make @have @want; 0: nothing. */
static unsigned int service_diff(const struct sf_service *want,
				 const struct sf_service *have)
{
	unsigned int opts = 0;

	if (want->slot != have->slot)
		opts |= SF_SVC_SLOT;
	if (want->policy != have->policy)
		opts |= SF_SVC_POLICY;
	if (want->timeout != have->timeout)
		opts |= SF_SVC_TIMEOUT;
	if (want->queue_max != have->queue_max)
		opts |= SF_SVC_QUEUE_MAX;
	if (want->copy != have->copy)
		opts |= SF_SVC_COPY;
	return opts;
}

/* Whether the kernel's service @svc may go before the commit. */
static bool service_unneeded(const struct config *cfg,
			     const struct sf_service *svc)
{
	return !sf_services_find(&cfg->svcs, svc->name) && !svc->nredirects &&
	       !config_service_used(cfg, svc->name);
}

/*
 * Create @want, or make the kernel's @h (its twin, or NULL) @want; @have
 * and @occupant follow (an added service joins @have).
 */
static int service_make(struct sf_services *have, long *occupant,
			const struct sf_service *want, struct sf_service *h)
{
	struct sf_service *p;
	unsigned int opts;
	int ret;

	if (h) {
		opts = service_diff(want, h);
		ret = opts ? service_cmd(SLOTFILTER_CMD_SERVICE_SET, want,
					 opts) : 0;
		occupant[h->slot] = -1;
		occupant[want->slot] = h - have->svcs;
		*h = *want;
		return ret;
	}
	ret = service_cmd(SLOTFILTER_CMD_SERVICE_ADD, want, SF_SVC_ALL);
	if (ret)
		return ret;
	p = realloc(have->svcs, (have->n + 1) * sizeof(*p));
	if (!p) {
		errorf("out of memory");
		return 1;
	}
	have->svcs = p;
	have->cap = have->n + 1;
	occupant[want->slot] = have->n;
	have->svcs[have->n++] = *want;
	return 0;
}

/*
 * Make the kernel's services those of the file (deleting the unlisted
 * ones is left for after the commit). k->svcs follows every change.
 * occupant[slot]: the index in k->svcs of the service there, or -1.
 */
static int apply_services(const struct config *cfg, struct kstate *k)
{
	struct sf_services *have = &k->svcs;
	long occupant[SLOTFILTER_NUM_SLOTS];
	bool *done = calloc(cfg->svcs.n + 1, sizeof(*done));
	size_t i, left = cfg->svcs.n;
	const struct sf_service *want;
	struct sf_service *h, tmp;
	unsigned int slot;
	bool progress;
	long o;
	int ret = 0;

	if (!done) {
		errorf("out of memory");
		return 1;
	}
	for (slot = 0; slot < SLOTFILTER_NUM_SLOTS; slot++)
		occupant[slot] = -1;
	for (i = 0; i < have->n; i++)
		occupant[have->svcs[i].slot] = i;
	while (!ret && left) {
		progress = false;
		for (i = 0; !ret && i < cfg->svcs.n; i++) {
			if (done[i])
				continue;
			want = &cfg->svcs.svcs[i];
			h = sf_services_find(have, want->name);
			o = occupant[want->slot];
			if (o >= 0 && &have->svcs[o] != h) {
				if (!service_unneeded(cfg, &have->svcs[o]))
					continue;	/* wait for it to move */
				tmp = have->svcs[o];
				ret = service_cmd(SLOTFILTER_CMD_SERVICE_DEL,
						  &tmp, 0);
				have->svcs[o].slot = 0;
				have->svcs[o].name[0] = '\0';
				occupant[want->slot] = -1;
				if (ret)
					break;
			}
			ret = service_make(have, occupant, want, h);
			done[i] = true;
			left--;
			progress = true;
		}
		if (ret || progress || !left)
			continue;
		/*
		 * No service could go where it wants: a cycle of moves, one of
		 * which goes to a free slot first; or a slot the kernel will
		 * not give (its message says why).
		 */
		for (slot = SLOTFILTER_SLOT_SERVICE_FIRST;
		     slot <= SLOTFILTER_SLOT_SERVICE_LAST; slot++) {
			if (occupant[slot] < 0)
				break;
		}
		for (i = 0; i < cfg->svcs.n; i++) {
			want = &cfg->svcs.svcs[i];
			o = occupant[want->slot];
			if (!done[i] && o >= 0 &&
			    sf_services_find(&cfg->svcs, have->svcs[o].name))
				break;
		}
		if (slot > SLOTFILTER_SLOT_SERVICE_LAST || i == cfg->svcs.n) {
			for (i = 0; done[i]; i++)
				;
			want = &cfg->svcs.svcs[i];
			h = sf_services_find(have, want->name);
			ret = service_make(have, occupant, want, h);
			done[i] = true;
			left--;
			continue;
		}
		h = &have->svcs[o];
		tmp = *h;
		tmp.slot = slot;
		ret = service_cmd(SLOTFILTER_CMD_SERVICE_SET, &tmp,
				  SF_SVC_SLOT);
		occupant[h->slot] = -1;
		occupant[slot] = o;
		h->slot = slot;
	}
	free(done);
	return ret;
}

/* After the commit: the services neither listed nor named by a rule. */
static int delete_services(const struct config *cfg, struct kstate *k)
{
	const struct sf_service *svc;
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < k->svcs.n; i++) {
		svc = &k->svcs.svcs[i];
		if (!svc->name[0] || sf_services_find(&cfg->svcs, svc->name) ||
		    config_service_used(cfg, svc->name))
			continue;
		ret = service_cmd(SLOTFILTER_CMD_SERVICE_DEL, svc, 0);
	}
	return ret;
}

/* Each service's redirect rules the same, in the same order. */
static bool redirects_same(const struct sf_rule_list *a,
			   const struct sf_rule_list *b)
{
	size_t *x, *y, i;
	bool same;

	if (a->n != b->n)
		return false;
	x = redirects_order(a, NULL);
	y = redirects_order(b, NULL);
	same = x && y;
	for (i = 0; same && i < a->n; i++)
		same = sf_rule_equal(&a->rules[x[i]], &b->rules[y[i]]);
	free(x);
	free(y);
	return same;
}

/* Whether the kernel's ruleset @have is already what the file says. */
static bool firewall_same(const struct config *cfg,
			  const struct sf_ruleset *have)
{
	const struct sf_fw *a = &cfg->rs.fw, *b = &have->fw;
	unsigned int t;
	size_t i;

	if (a->def != b->def || a->flow_max != b->flow_max ||
	    (a->flags ^ b->flags) & SLOTFILTER_FW_F_ALL ||
	    !config_timeouts_complete(cfg) || cfg->rs.n != have->n)
		return false;
	for (t = 1; t <= SLOTFILTER_TIMEOUT_MAX; t++) {
		if (a->timeouts[t] != b->timeouts[t])
			return false;
	}
	for (i = 0; i < have->n; i++) {
		if (!sf_rule_equal(&cfg->rs.rules[i], &have->rules[i]))
			return false;
	}
	return redirects_same(&cfg->rs.redirects, &have->redirects);
}

static int apply_config(struct config *cfg, struct kstate *k)
{
	struct sf_ruleset have;
	struct nlmsghdr *nlh;
	long bad = -1, bad_red = -1;
	const char *name;
	size_t i;
	int ret;

	if (!kstate_load(k))
		return 1;
	ret = ruleset_read(&have);
	for (i = 0; !ret && i < cfg->n_ports; i++)
		ret = apply_port(k, &cfg->ports[i]);
	for (i = 0; !ret && i < cfg->sets.n; i++)
		ret = apply_set(k, &cfg->sets.sets[i]);
	if (!ret)
		ret = apply_services(cfg, k);
	if (!ret && !firewall_same(cfg, &have)) {
		cfg->rs.fw.generation = have.fw.generation;
		ret = ruleset_commit(&cfg->rs, &bad, &bad_red);
		if (bad >= 0)
			fprintf(stderr, "%s:%u:%u: the kernel refused this rule\n",
				cfg->file, cfg->rule_pos[bad].line,
				cfg->rule_pos[bad].col);
		if (bad_red >= 0)
			fprintf(stderr, "%s:%u:%u: the kernel refused this redirect rule\n",
				cfg->file, cfg->red_pos[bad_red].line,
				cfg->red_pos[bad_red].col);
	}
	for (i = 0; !ret && i < k->sets.n; i++) {
		name = k->sets.sets[i].name;
		if (sf_sets_find(&cfg->sets, name) ||
		    config_set_used(cfg, name))
			continue;
		nlh = slotctl_request(SLOTFILTER_CMD_SET_DEL, 0);
		mnl_attr_put_strz(nlh, SLOTFILTER_SET_A_NAME, name);
		ret = slotctl_talk(nlh, NULL, NULL);
	}
	if (!ret)
		ret = delete_services(cfg, k);
	sf_ruleset_free(&have);
	return ret;
}

int do_apply(int argc, char **argv, const struct slotctl_opts *opts)
{
	struct kstate k = { .loaded = false };
	const struct config_env env = {
		env_ifindex, env_set_exists, env_is_port, &k,
		env_service_exists
	};
	const char *path = NULL;
	struct config cfg;
	size_t len;
	char *text;
	int ret;

	(void)opts;
	while (argc > 0) {
		if (strcmp(*argv, "-f") && strcmp(*argv, "file"))
			usage_error("unexpected argument \"%s\"", *argv);
		NEXT_ARG();
		if (path)
			dup_arg("-f");
		path = *argv;
		argc--;
		argv++;
	}
	if (!path)
		usage_error("missing \"-f FILE\"");
	text = read_file(path, &len);
	if (config_parse(&cfg, strcmp(path, "-") ? path : "<stdin>", text,
			 len, &env) || k.failed) {
		config_print_errors(&cfg, stderr);
		ret = 1;
	} else {
		ret = apply_config(&cfg, &k);
	}
	config_free(&cfg);
	free(text);
	free(k.ports);
	sf_sets_free(&k.sets);
	sf_services_free(&k.svcs);
	return ret;
}
