// SPDX-License-Identifier: GPL-2.0
/*
 * fwmsg.c - decode and encode the firewall's messages
 *
 * Decoders check everything against a policy (attr.c) before use. A
 * reply without a rule's id or action, a flow without its endpoints, an
 * address that is neither 4 nor 16 bytes, is malformed (-EBADMSG). Values
 * the kernel leaves out read as their defaults.
 *
 * Encoders write what the uapi's header comment describes, leaving out
 * what equals the kernel's default (direction any, applied-to every
 * port), so that 10,000 simple rules stay a few hundred kilobytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>

#include "attr.h"
#include "fwmsg.h"

/* Bytes of an attribute with @len bytes of payload. */
#define ATTR_SIZE(len)	(MNL_ATTR_HDRLEN + MNL_ALIGN(len))

static void *grow(void *array, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 8;
	void *p;

	if (need <= *cap)
		return array;
	while (n < need)
		n *= 2;
	p = realloc(array, n * elem);
	if (p)
		*cap = n;
	return p;
}

/* Make room for one more element of (*array)[*n]; -ENOMEM. */
#define PUSH_ROOM(array, n, cap)					\
	({								\
		void *_p = grow((array), &(cap), (n) + 1,		\
				sizeof(*(array)));			\
		if (_p)							\
			(array) = _p;					\
		_p ? 0 : -ENOMEM;					\
	})

/* ---- rules ---- */

void sf_rule_free(struct sf_rule *rule)
{
	free(rule->ports);
	free(rule->tags);
	rule->ports = NULL;
	rule->tags = NULL;
	rule->n_ports = 0;
	rule->n_tags = 0;
}

int sf_rule_add_port(struct sf_rule *rule, uint32_t ifindex)
{
	uint32_t *p = realloc(rule->ports,
			      (rule->n_ports + 1) * sizeof(*rule->ports));

	if (!p)
		return -ENOMEM;
	rule->ports = p;
	p[rule->n_ports++] = ifindex;
	return 0;
}

int sf_rule_add_tag(struct sf_rule *rule, const char *tag)
{
	char (*t)[SLOTFILTER_NAME_MAX] = realloc(rule->tags,
			(rule->n_tags + 1) * sizeof(*rule->tags));

	if (!t)
		return -ENOMEM;
	rule->tags = t;
	strncpy(t[rule->n_tags], tag, sizeof(*t) - 1);
	t[rule->n_tags++][sizeof(*t) - 1] = '\0';
	return 0;
}

int sf_rule_copy(struct sf_rule *dst, const struct sf_rule *src)
{
	*dst = *src;
	dst->ports = NULL;
	dst->tags = NULL;
	if (src->n_ports) {
		dst->ports = malloc(src->n_ports * sizeof(*src->ports));
		if (!dst->ports)
			goto err;
		memcpy(dst->ports, src->ports,
		       src->n_ports * sizeof(*src->ports));
	}
	if (src->n_tags) {
		dst->tags = malloc(src->n_tags * sizeof(*src->tags));
		if (!dst->tags)
			goto err;
		memcpy(dst->tags, src->tags, src->n_tags * sizeof(*src->tags));
	}
	return 0;
err:
	sf_rule_free(dst);
	return -ENOMEM;
}

static bool match_equal(const struct sf_match *a, const struct sf_match *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == SF_MATCH_PREFIX)
		return !sf_prefix_cmp(&a->prefix, &b->prefix);
	if (a->kind == SF_MATCH_SET)
		return !strcmp(a->set, b->set);
	return true;
}

static bool range_equal(const struct sf_range *a, const struct sf_range *b)
{
	return a->present == b->present &&
	       (!a->present || (a->min == b->min && a->max == b->max));
}

/* The same rule as configured; counters do not count. */
bool sf_rule_equal(const struct sf_rule *a, const struct sf_rule *b)
{
	unsigned int i;

	if (a->id != b->id || a->action != b->action || a->dir != b->dir ||
	    strcmp(a->service, b->service) ||
	    a->n_ports != b->n_ports || a->n_tags != b->n_tags ||
	    a->has_proto != b->has_proto || a->log != b->log ||
	    (a->has_proto && a->proto != b->proto) ||
	    a->has_icmp_type != b->has_icmp_type ||
	    (a->has_icmp_type && a->icmp_type != b->icmp_type) ||
	    a->has_icmp_code != b->has_icmp_code ||
	    (a->has_icmp_code && a->icmp_code != b->icmp_code) ||
	    !range_equal(&a->sport, &b->sport) ||
	    !range_equal(&a->dport, &b->dport) ||
	    !match_equal(&a->src, &b->src) || !match_equal(&a->dst, &b->dst))
		return false;
	for (i = 0; i < a->n_ports; i++) {
		if (a->ports[i] != b->ports[i])
			return false;
	}
	for (i = 0; i < a->n_tags; i++) {
		if (strcmp(a->tags[i], b->tags[i]))
			return false;
	}
	return true;
}

/* ---- rulesets ---- */

/* Insert @rule at @pos; the ruleset takes over its arrays. */
int sf_ruleset_insert(struct sf_ruleset *rs, size_t pos, struct sf_rule *rule)
{
	if (PUSH_ROOM(rs->rules, rs->n, rs->cap))
		return -ENOMEM;
	memmove(&rs->rules[pos + 1], &rs->rules[pos],
		(rs->n - pos) * sizeof(*rs->rules));
	rs->rules[pos] = *rule;
	rs->n++;
	return 0;
}

void sf_ruleset_remove(struct sf_ruleset *rs, size_t pos)
{
	sf_rule_free(&rs->rules[pos]);
	memmove(&rs->rules[pos], &rs->rules[pos + 1],
		(rs->n - pos - 1) * sizeof(*rs->rules));
	rs->n--;
}

/* The position of rule @id, or -1. */
long sf_ruleset_find(const struct sf_ruleset *rs, uint32_t id)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		if (rs->rules[i].id == id)
			return i;
	}
	return -1;
}

void sf_ruleset_free(struct sf_ruleset *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		sf_rule_free(&rs->rules[i]);
	free(rs->rules);
	sf_list_free(&rs->redirects);
	memset(rs, 0, sizeof(*rs));
}

/* Insert @rule at @pos of @l; the list takes over its arrays. */
int sf_list_insert(struct sf_rule_list *l, size_t pos, struct sf_rule *rule)
{
	if (PUSH_ROOM(l->rules, l->n, l->cap))
		return -ENOMEM;
	memmove(&l->rules[pos + 1], &l->rules[pos],
		(l->n - pos) * sizeof(*l->rules));
	l->rules[pos] = *rule;
	l->n++;
	return 0;
}

void sf_list_remove(struct sf_rule_list *l, size_t pos)
{
	sf_rule_free(&l->rules[pos]);
	memmove(&l->rules[pos], &l->rules[pos + 1],
		(l->n - pos - 1) * sizeof(*l->rules));
	l->n--;
}

/* The position of service @service's redirect rule @id, or -1. */
long sf_redirect_find(const struct sf_rule_list *l, const char *service,
		      uint32_t id)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->rules[i].id == id && !strcmp(l->rules[i].service,
						    service))
			return i;
	}
	return -1;
}

void sf_list_free(struct sf_rule_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		sf_rule_free(&l->rules[i]);
	free(l->rules);
	memset(l, 0, sizeof(*l));
}

/* ---- decoding ---- */

static const struct sfnl_policy fw_policy[SLOTFILTER_FW_A_MAX + 1] = {
	[SLOTFILTER_FW_A_GENERATION]	= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_FW_A_DEFAULT]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_FW_A_FLAGS]		= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_FW_A_TIMEOUTS]	= { .type = MNL_TYPE_NESTED },
	[SLOTFILTER_FW_A_FLOW_MAX]	= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_FW_A_RULE]		= { .type = MNL_TYPE_NESTED },
	[SLOTFILTER_FW_A_NRULES]	= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_FW_A_MEMORY]	= { .type = MNL_TYPE_U64 },
	[SLOTFILTER_FW_A_FLOWS]		= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_FW_A_FLOWS_REFUSED]	= { .type = MNL_TYPE_U64 },
	[SLOTFILTER_FW_A_FLOW_SIZE]	= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_FW_A_REDIRECT]	= { .type = MNL_TYPE_NESTED },
};

static const struct sfnl_policy timeout_policy[SLOTFILTER_TIMEOUT_MAX + 1] = {
	[SLOTFILTER_TIMEOUT_TCP_SYN]		= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_TIMEOUT_TCP_ESTABLISHED]	= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_TIMEOUT_TCP_FIN]		= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_TIMEOUT_TCP_CLOSE]		= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_TIMEOUT_UDP]		= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_TIMEOUT_ICMP]		= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_TIMEOUT_OTHER]		= { .type = MNL_TYPE_U32 },
};

static const struct sfnl_policy rule_policy[SLOTFILTER_RULE_A_MAX + 1] = {
	[SLOTFILTER_RULE_A_ID]		= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_RULE_A_DIRECTION]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_RULE_A_APPLIED_TO]	= { .type = MNL_TYPE_NESTED },
	[SLOTFILTER_RULE_A_SRC]		= { .type = MNL_TYPE_NESTED },
	[SLOTFILTER_RULE_A_DST]		= { .type = MNL_TYPE_NESTED },
	[SLOTFILTER_RULE_A_PROTO]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_RULE_A_SPORT]	= { .type = MNL_TYPE_NESTED },
	[SLOTFILTER_RULE_A_DPORT]	= { .type = MNL_TYPE_NESTED },
	[SLOTFILTER_RULE_A_ICMP_TYPE]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_RULE_A_ICMP_CODE]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_RULE_A_ACTION]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_RULE_A_LOG]		= { .type = MNL_TYPE_FLAG },
	[SLOTFILTER_RULE_A_PACKETS]	= { .type = MNL_TYPE_U64 },
	[SLOTFILTER_RULE_A_BYTES]	= { .type = MNL_TYPE_U64 },
	[SLOTFILTER_RULE_A_FLOWS]	= { .type = MNL_TYPE_U64 },
	[SLOTFILTER_RULE_A_LAST_HIT]	= { .type = MNL_TYPE_U64 },
	[SLOTFILTER_RULE_A_SERVICE]	= { .type = MNL_TYPE_NUL_STRING,
					    .max_len = SLOTFILTER_NAME_MAX },
};

static const struct sfnl_policy addr_policy[SLOTFILTER_ADDR_A_MAX + 1] = {
	[SLOTFILTER_ADDR_A_ADDR]	= { .type = MNL_TYPE_BINARY,
					    .max_len = 16 },
	[SLOTFILTER_ADDR_A_PLEN]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_ADDR_A_SET]		= { .type = MNL_TYPE_NUL_STRING,
					    .max_len = SLOTFILTER_NAME_MAX },
};

static const struct sfnl_policy range_policy[SLOTFILTER_RANGE_A_MAX + 1] = {
	[SLOTFILTER_RANGE_A_MIN]	= { .type = MNL_TYPE_U16 },
	[SLOTFILTER_RANGE_A_MAX]	= { .type = MNL_TYPE_U16 },
};

static uint64_t get_u64(const struct nlattr *attr)
{
	return attr ? mnl_attr_get_u64(attr) : 0;
}

static uint32_t get_u32(const struct nlattr *attr)
{
	return attr ? mnl_attr_get_u32(attr) : 0;
}

int sf_fw_parse(const struct nlmsghdr *nlh, struct sf_fw *fw)
{
	const struct nlattr *tb[SLOTFILTER_FW_A_MAX + 1];
	const struct nlattr *tt[SLOTFILTER_TIMEOUT_MAX + 1];
	unsigned int t;

	memset(fw, 0, sizeof(*fw));
	if (sfnl_parse_genl(nlh, fw_policy, SLOTFILTER_FW_A_MAX, tb) ||
	    !tb[SLOTFILTER_FW_A_GENERATION])
		return -EBADMSG;
	fw->generation = mnl_attr_get_u32(tb[SLOTFILTER_FW_A_GENERATION]);
	if (tb[SLOTFILTER_FW_A_DEFAULT])
		fw->def = mnl_attr_get_u8(tb[SLOTFILTER_FW_A_DEFAULT]);
	fw->flags = get_u32(tb[SLOTFILTER_FW_A_FLAGS]);
	fw->flow_max = get_u32(tb[SLOTFILTER_FW_A_FLOW_MAX]);
	fw->nrules = get_u32(tb[SLOTFILTER_FW_A_NRULES]);
	fw->memory = get_u64(tb[SLOTFILTER_FW_A_MEMORY]);
	fw->flows = get_u32(tb[SLOTFILTER_FW_A_FLOWS]);
	fw->flows_refused = get_u64(tb[SLOTFILTER_FW_A_FLOWS_REFUSED]);
	fw->flow_size = get_u32(tb[SLOTFILTER_FW_A_FLOW_SIZE]);
	if (!tb[SLOTFILTER_FW_A_TIMEOUTS])
		return 0;
	if (sfnl_parse_nested(tb[SLOTFILTER_FW_A_TIMEOUTS], timeout_policy,
			      SLOTFILTER_TIMEOUT_MAX, tt))
		return -EBADMSG;
	for (t = 1; t <= SLOTFILTER_TIMEOUT_MAX; t++)
		fw->timeouts[t] = get_u32(tt[t]);
	return 0;
}

int sf_prefix_parse_nest(const struct nlattr *nest, struct sf_prefix *p)
{
	const struct nlattr *tb[SLOTFILTER_ADDR_A_MAX + 1];
	const struct nlattr *addr;
	unsigned int len;

	memset(p, 0, sizeof(*p));
	if (sfnl_parse_nested(nest, addr_policy, SLOTFILTER_ADDR_A_MAX, tb) ||
	    !tb[SLOTFILTER_ADDR_A_ADDR])
		return -EBADMSG;
	addr = tb[SLOTFILTER_ADDR_A_ADDR];
	len = mnl_attr_get_payload_len(addr);
	p->family = sf_family_of_len(len);
	if (!p->family)
		return -EBADMSG;
	memcpy(p->addr, mnl_attr_get_payload(addr), len);
	p->plen = len * 8;
	if (tb[SLOTFILTER_ADDR_A_PLEN])
		p->plen = mnl_attr_get_u8(tb[SLOTFILTER_ADDR_A_PLEN]);
	return p->plen > len * 8 ? -EBADMSG : 0;
}

static int match_parse(const struct nlattr *nest, struct sf_match *m)
{
	const struct nlattr *tb[SLOTFILTER_ADDR_A_MAX + 1];

	if (!nest)
		return 0;
	if (sfnl_parse_nested(nest, addr_policy, SLOTFILTER_ADDR_A_MAX, tb))
		return -EBADMSG;
	if (tb[SLOTFILTER_ADDR_A_SET]) {
		m->kind = SF_MATCH_SET;
		strcpy(m->set, mnl_attr_get_str(tb[SLOTFILTER_ADDR_A_SET]));
		return 0;
	}
	m->kind = SF_MATCH_PREFIX;
	return sf_prefix_parse_nest(nest, &m->prefix);
}

static int range_parse(const struct nlattr *nest, struct sf_range *r)
{
	const struct nlattr *tb[SLOTFILTER_RANGE_A_MAX + 1];

	if (!nest)
		return 0;
	if (sfnl_parse_nested(nest, range_policy, SLOTFILTER_RANGE_A_MAX, tb) ||
	    !tb[SLOTFILTER_RANGE_A_MIN])
		return -EBADMSG;
	r->present = true;
	r->min = mnl_attr_get_u16(tb[SLOTFILTER_RANGE_A_MIN]);
	r->max = tb[SLOTFILTER_RANGE_A_MAX] ?
		 mnl_attr_get_u16(tb[SLOTFILTER_RANGE_A_MAX]) : r->min;
	return 0;
}

static int applied_parse(const struct nlattr *nest, struct sf_rule *rule)
{
	const struct nlattr *a;
	int err = 0;

	if (!nest)
		return 0;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case SLOTFILTER_APPLIED_A_IFINDEX:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return -EBADMSG;
			err = sf_rule_add_port(rule, mnl_attr_get_u32(a));
			break;
		case SLOTFILTER_APPLIED_A_TAG:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 ||
			    mnl_attr_get_payload_len(a) > SLOTFILTER_NAME_MAX)
				return -EBADMSG;
			err = sf_rule_add_tag(rule, mnl_attr_get_str(a));
			break;
		}
		if (err)
			return err;
	}
	return 0;
}

static void get_u8_opt(const struct nlattr *attr, bool *has, uint8_t *v)
{
	*has = attr != NULL;
	if (attr)
		*v = mnl_attr_get_u8(attr);
}

int sf_rule_parse(const struct nlattr *nest, struct sf_rule *rule)
{
	const struct nlattr *tb[SLOTFILTER_RULE_A_MAX + 1];
	int err;

	memset(rule, 0, sizeof(*rule));
	if (sfnl_parse_nested(nest, rule_policy, SLOTFILTER_RULE_A_MAX, tb) ||
	    !tb[SLOTFILTER_RULE_A_ID] || !tb[SLOTFILTER_RULE_A_ACTION])
		return -EBADMSG;
	rule->id = mnl_attr_get_u32(tb[SLOTFILTER_RULE_A_ID]);
	rule->action = mnl_attr_get_u8(tb[SLOTFILTER_RULE_A_ACTION]);
	if (tb[SLOTFILTER_RULE_A_DIRECTION])
		rule->dir = mnl_attr_get_u8(tb[SLOTFILTER_RULE_A_DIRECTION]);
	get_u8_opt(tb[SLOTFILTER_RULE_A_PROTO], &rule->has_proto,
		   &rule->proto);
	get_u8_opt(tb[SLOTFILTER_RULE_A_ICMP_TYPE], &rule->has_icmp_type,
		   &rule->icmp_type);
	get_u8_opt(tb[SLOTFILTER_RULE_A_ICMP_CODE], &rule->has_icmp_code,
		   &rule->icmp_code);
	rule->log = tb[SLOTFILTER_RULE_A_LOG] != NULL;
	if (tb[SLOTFILTER_RULE_A_SERVICE])
		strcpy(rule->service,
		       mnl_attr_get_str(tb[SLOTFILTER_RULE_A_SERVICE]));
	rule->packets = get_u64(tb[SLOTFILTER_RULE_A_PACKETS]);
	rule->bytes = get_u64(tb[SLOTFILTER_RULE_A_BYTES]);
	rule->flows = get_u64(tb[SLOTFILTER_RULE_A_FLOWS]);
	rule->last_hit = get_u64(tb[SLOTFILTER_RULE_A_LAST_HIT]);
	if (match_parse(tb[SLOTFILTER_RULE_A_SRC], &rule->src) ||
	    match_parse(tb[SLOTFILTER_RULE_A_DST], &rule->dst) ||
	    range_parse(tb[SLOTFILTER_RULE_A_SPORT], &rule->sport) ||
	    range_parse(tb[SLOTFILTER_RULE_A_DPORT], &rule->dport))
		return -EBADMSG;
	err = applied_parse(tb[SLOTFILTER_RULE_A_APPLIED_TO], rule);
	if (err)
		sf_rule_free(rule);
	return err;
}

/*
 * One message of an FW_GET dump: the generation and one rule, a firewall
 * rule (SLOTFILTER_FW_A_RULE) or a redirect rule (SLOTFILTER_FW_A_REDIRECT,
 * which must name its service, *@redirect true).
 */
int sf_any_rule_msg_parse(const struct nlmsghdr *nlh, uint32_t *generation,
			  struct sf_rule *rule, bool *redirect)
{
	const struct nlattr *tb[SLOTFILTER_FW_A_MAX + 1];
	int err;

	memset(rule, 0, sizeof(*rule));
	if (sfnl_parse_genl(nlh, fw_policy, SLOTFILTER_FW_A_MAX, tb) ||
	    !tb[SLOTFILTER_FW_A_GENERATION] ||
	    !tb[SLOTFILTER_FW_A_RULE] == !tb[SLOTFILTER_FW_A_REDIRECT])
		return -EBADMSG;
	*generation = mnl_attr_get_u32(tb[SLOTFILTER_FW_A_GENERATION]);
	*redirect = tb[SLOTFILTER_FW_A_REDIRECT] != NULL;
	err = sf_rule_parse(*redirect ? tb[SLOTFILTER_FW_A_REDIRECT] :
			    tb[SLOTFILTER_FW_A_RULE], rule);
	if (!err && *redirect != !!rule->service[0]) {
		sf_rule_free(rule);
		err = -EBADMSG;
	}
	return err;
}

/* One message of an FW_GET dump that must be a firewall rule. */
int sf_rule_msg_parse(const struct nlmsghdr *nlh, uint32_t *generation,
		      struct sf_rule *rule)
{
	bool redirect;
	int err = sf_any_rule_msg_parse(nlh, generation, rule, &redirect);

	if (!err && redirect) {
		sf_rule_free(rule);
		err = -EBADMSG;
	}
	return err;
}

/* ---- encoding ---- */

size_t sf_prefix_size(const struct sf_prefix *p)
{
	return MNL_ATTR_HDRLEN + ATTR_SIZE(sf_addr_len(p->family)) +
	       ATTR_SIZE(1);
}

void sf_prefix_put(struct nlmsghdr *nlh, uint16_t type,
		   const struct sf_prefix *p)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put(nlh, SLOTFILTER_ADDR_A_ADDR, sf_addr_len(p->family),
		     p->addr);
	mnl_attr_put_u8(nlh, SLOTFILTER_ADDR_A_PLEN, p->plen);
	mnl_attr_nest_end(nlh, nest);
}

static size_t match_size(const struct sf_match *m)
{
	if (m->kind == SF_MATCH_PREFIX)
		return sf_prefix_size(&m->prefix);
	if (m->kind == SF_MATCH_SET)
		return MNL_ATTR_HDRLEN + ATTR_SIZE(strlen(m->set) + 1);
	return 0;
}

static void match_put(struct nlmsghdr *nlh, uint16_t type,
		      const struct sf_match *m)
{
	struct nlattr *nest;

	if (m->kind == SF_MATCH_PREFIX) {
		sf_prefix_put(nlh, type, &m->prefix);
	} else if (m->kind == SF_MATCH_SET) {
		nest = mnl_attr_nest_start(nlh, type);
		mnl_attr_put_strz(nlh, SLOTFILTER_ADDR_A_SET, m->set);
		mnl_attr_nest_end(nlh, nest);
	}
}

static void range_put(struct nlmsghdr *nlh, uint16_t type,
		      const struct sf_range *r)
{
	struct nlattr *nest;

	if (!r->present)
		return;
	nest = mnl_attr_nest_start(nlh, type);
	mnl_attr_put_u16(nlh, SLOTFILTER_RANGE_A_MIN, r->min);
	mnl_attr_put_u16(nlh, SLOTFILTER_RANGE_A_MAX, r->max);
	mnl_attr_nest_end(nlh, nest);
}

static size_t range_size(const struct sf_range *r)
{
	return r->present ? MNL_ATTR_HDRLEN + 2 * ATTR_SIZE(2) : 0;
}

/* Bytes sf_rule_put() writes for @rule. */
size_t sf_rule_size(const struct sf_rule *rule)
{
	size_t len = MNL_ATTR_HDRLEN + ATTR_SIZE(4) + ATTR_SIZE(1);
	unsigned int i;

	if (rule->dir != SLOTFILTER_RULE_DIR_ANY)
		len += ATTR_SIZE(1);
	if (rule->n_ports || rule->n_tags) {
		len += MNL_ATTR_HDRLEN + rule->n_ports * ATTR_SIZE(4);
		for (i = 0; i < rule->n_tags; i++)
			len += ATTR_SIZE(strlen(rule->tags[i]) + 1);
	}
	len += match_size(&rule->src) + match_size(&rule->dst);
	len += range_size(&rule->sport) + range_size(&rule->dport);
	len += (rule->has_proto + rule->has_icmp_type + rule->has_icmp_code) *
	       ATTR_SIZE(1);
	if (rule->log)
		len += ATTR_SIZE(0);
	if (rule->service[0])
		len += ATTR_SIZE(strlen(rule->service) + 1);
	return len;
}

void sf_rule_put(struct nlmsghdr *nlh, uint16_t type,
		 const struct sf_rule *rule)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type), *applied;
	unsigned int i;

	mnl_attr_put_u32(nlh, SLOTFILTER_RULE_A_ID, rule->id);
	if (rule->dir != SLOTFILTER_RULE_DIR_ANY)
		mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_DIRECTION, rule->dir);
	if (rule->n_ports || rule->n_tags) {
		applied = mnl_attr_nest_start(nlh, SLOTFILTER_RULE_A_APPLIED_TO);
		for (i = 0; i < rule->n_ports; i++)
			mnl_attr_put_u32(nlh, SLOTFILTER_APPLIED_A_IFINDEX,
					 rule->ports[i]);
		for (i = 0; i < rule->n_tags; i++)
			mnl_attr_put_strz(nlh, SLOTFILTER_APPLIED_A_TAG,
					  rule->tags[i]);
		mnl_attr_nest_end(nlh, applied);
	}
	match_put(nlh, SLOTFILTER_RULE_A_SRC, &rule->src);
	match_put(nlh, SLOTFILTER_RULE_A_DST, &rule->dst);
	if (rule->has_proto)
		mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_PROTO, rule->proto);
	range_put(nlh, SLOTFILTER_RULE_A_SPORT, &rule->sport);
	range_put(nlh, SLOTFILTER_RULE_A_DPORT, &rule->dport);
	if (rule->has_icmp_type)
		mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_ICMP_TYPE,
				rule->icmp_type);
	if (rule->has_icmp_code)
		mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_ICMP_CODE,
				rule->icmp_code);
	mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_ACTION, rule->action);
	if (rule->log)
		mnl_attr_put(nlh, SLOTFILTER_RULE_A_LOG, 0, NULL);
	if (rule->service[0])
		mnl_attr_put_strz(nlh, SLOTFILTER_RULE_A_SERVICE,
				  rule->service);
	mnl_attr_nest_end(nlh, nest);
}

/* Bytes of an FW_REPLACE request for @rs, headers included: at most. */
size_t sf_fw_size(const struct sf_ruleset *rs)
{
	size_t len = MNL_NLMSG_HDRLEN + GENL_HDRLEN + 4 * ATTR_SIZE(4);
	unsigned int t;
	size_t i;

	len += MNL_ATTR_HDRLEN;
	for (t = 1; t <= SLOTFILTER_TIMEOUT_MAX; t++) {
		if (rs->fw.timeouts[t])
			len += ATTR_SIZE(4);
	}
	for (i = 0; i < rs->n; i++)
		len += sf_rule_size(&rs->rules[i]);
	for (i = 0; i < rs->redirects.n; i++)
		len += sf_rule_size(&rs->redirects.rules[i]);
	return len;
}

/*
 * The ruleset as FW_REPLACE wants it; with @generation, the one read, so
 * that a commit in between fails with -EBUSY instead of being undone.
 */
void sf_fw_put(struct nlmsghdr *nlh, const struct sf_ruleset *rs,
	       bool generation)
{
	const struct sf_fw *fw = &rs->fw;
	struct nlattr *nest;
	unsigned int t;
	size_t i;

	if (generation)
		mnl_attr_put_u32(nlh, SLOTFILTER_FW_A_GENERATION,
				 fw->generation);
	mnl_attr_put_u8(nlh, SLOTFILTER_FW_A_DEFAULT, fw->def);
	mnl_attr_put_u32(nlh, SLOTFILTER_FW_A_FLAGS, fw->flags);
	if (fw->flow_max)
		mnl_attr_put_u32(nlh, SLOTFILTER_FW_A_FLOW_MAX, fw->flow_max);
	nest = mnl_attr_nest_start(nlh, SLOTFILTER_FW_A_TIMEOUTS);
	for (t = 1; t <= SLOTFILTER_TIMEOUT_MAX; t++) {
		if (fw->timeouts[t])
			mnl_attr_put_u32(nlh, t, fw->timeouts[t]);
	}
	/* only if it holds any: the kernel's defaults need no nest */
	if ((char *)mnl_nlmsg_get_payload_tail(nlh) >
	    (char *)nest + MNL_ATTR_HDRLEN)
		mnl_attr_nest_end(nlh, nest);
	else
		mnl_attr_nest_cancel(nlh, nest);
	for (i = 0; i < rs->n; i++)
		sf_rule_put(nlh, SLOTFILTER_FW_A_RULE, &rs->rules[i]);
	for (i = 0; i < rs->redirects.n; i++)
		sf_rule_put(nlh, SLOTFILTER_FW_A_REDIRECT,
			    &rs->redirects.rules[i]);
}

/*
 * Which rule of an FW_REPLACE request byte @offs is in (the kernel's
 * NLMSGERR_ATTR_OFFS for a refused rule points into it), or -1.
 */
static long nest_at(const struct nlmsghdr *nlh, long offs, uint16_t type)
{
	const struct nlattr *attr;
	long i = 0, start;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != type)
			continue;
		start = (const char *)attr - (const char *)nlh;
		if (offs >= start && offs < start + attr->nla_len)
			return i;
		i++;
	}
	return -1;
}

long sf_fw_rule_at(const struct nlmsghdr *nlh, long offs)
{
	return nest_at(nlh, offs, SLOTFILTER_FW_A_RULE);
}

/* The same for the redirect rules: an index into rs->redirects. */
long sf_fw_redirect_at(const struct nlmsghdr *nlh, long offs)
{
	return nest_at(nlh, offs, SLOTFILTER_FW_A_REDIRECT);
}

/* ---- sets ---- */

static const struct sfnl_policy set_policy[SLOTFILTER_SET_A_MAX + 1] = {
	[SLOTFILTER_SET_A_NAME]		= { .type = MNL_TYPE_NUL_STRING,
					    .max_len = SLOTFILTER_NAME_MAX },
	[SLOTFILTER_SET_A_NELEMS]	= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_SET_A_USERS]	= { .type = MNL_TYPE_U32 },
};

int sf_set_push(struct sf_set *set, const struct sf_prefix *p)
{
	if (PUSH_ROOM(set->elems, set->n, set->cap))
		return -ENOMEM;
	set->elems[set->n++] = *p;
	return 0;
}

static int prefix_qcmp(const void *a, const void *b)
{
	return sf_prefix_cmp(a, b);
}

/* Sort the elements in the kernel's order and drop duplicates. */
void sf_set_sort(struct sf_set *set)
{
	size_t i, n = 0;

	qsort(set->elems, set->n, sizeof(*set->elems), prefix_qcmp);
	for (i = 0; i < set->n; i++) {
		if (n && !sf_prefix_cmp(&set->elems[n - 1], &set->elems[i]))
			continue;
		set->elems[n++] = set->elems[i];
	}
	set->n = n;
}

void sf_set_free(struct sf_set *set)
{
	free(set->elems);
	set->elems = NULL;
	set->n = 0;
	set->cap = 0;
}

/*
 * Add one message of a SET_GET dump: a set's first message (it carries
 * NELEMS) starts a set, the others continue the last one.
 */
int sf_sets_add_msg(struct sf_sets *sets, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[SLOTFILTER_SET_A_MAX + 1];
	const struct nlattr *a;
	struct sf_prefix p;
	struct sf_set *set;
	const char *name;
	int err;

	if (sfnl_parse_genl(nlh, set_policy, SLOTFILTER_SET_A_MAX, tb) ||
	    !tb[SLOTFILTER_SET_A_NAME])
		return -EBADMSG;
	name = mnl_attr_get_str(tb[SLOTFILTER_SET_A_NAME]);
	set = sets->n ? &sets->sets[sets->n - 1] : NULL;
	if (!set || tb[SLOTFILTER_SET_A_NELEMS] || strcmp(set->name, name)) {
		if (PUSH_ROOM(sets->sets, sets->n, sets->cap))
			return -ENOMEM;
		set = &sets->sets[sets->n++];
		memset(set, 0, sizeof(*set));
		strcpy(set->name, name);
		set->nelems = get_u32(tb[SLOTFILTER_SET_A_NELEMS]);
		set->users = get_u32(tb[SLOTFILTER_SET_A_USERS]);
	}
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != SLOTFILTER_SET_A_ELEM)
			continue;
		if (sf_prefix_parse_nest(a, &p))
			return -EBADMSG;
		err = sf_set_push(set, &p);
		if (err)
			return err;
	}
	return 0;
}

struct sf_set *sf_sets_find(const struct sf_sets *sets, const char *name)
{
	size_t i;

	for (i = 0; i < sets->n; i++) {
		if (!strcmp(sets->sets[i].name, name))
			return &sets->sets[i];
	}
	return NULL;
}

void sf_sets_free(struct sf_sets *sets)
{
	size_t i;

	for (i = 0; i < sets->n; i++)
		sf_set_free(&sets->sets[i]);
	free(sets->sets);
	memset(sets, 0, sizeof(*sets));
}

/* ---- flows and log events ---- */

static const struct sfnl_policy flow_policy[SLOTFILTER_FLOW_A_MAX + 1] = {
	[SLOTFILTER_FLOW_A_IFINDEX]	= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_FLOW_A_DIRECTION]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_FLOW_A_PROTO]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_FLOW_A_SRC]		= { .type = MNL_TYPE_BINARY,
					    .max_len = 16 },
	[SLOTFILTER_FLOW_A_DST]		= { .type = MNL_TYPE_BINARY,
					    .max_len = 16 },
	[SLOTFILTER_FLOW_A_SPORT]	= { .type = MNL_TYPE_U16 },
	[SLOTFILTER_FLOW_A_DPORT]	= { .type = MNL_TYPE_U16 },
	[SLOTFILTER_FLOW_A_STATE]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_FLOW_A_EXPIRES]	= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_FLOW_A_RULE_ID]	= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_FLOW_A_ID]		= { .type = MNL_TYPE_U32 },
	[SLOTFILTER_FLOW_A_ACTION]	= { .type = MNL_TYPE_U8 },
	[SLOTFILTER_FLOW_A_SUPPRESSED]	= { .type = MNL_TYPE_U32 },
};

static int addr_get(const struct nlattr *attr, struct sf_prefix *p)
{
	unsigned int len;

	if (!attr)
		return -EBADMSG;
	len = mnl_attr_get_payload_len(attr);
	p->family = sf_family_of_len(len);
	if (!p->family)
		return -EBADMSG;
	memcpy(p->addr, mnl_attr_get_payload(attr), len);
	p->plen = len * 8;
	return 0;
}

static void get_u32_opt(const struct nlattr *attr, bool *has, uint32_t *v)
{
	*has = attr != NULL;
	*v = attr ? mnl_attr_get_u32(attr) : 0;
}

static void get_u16_opt(const struct nlattr *attr, bool *has, uint16_t *v)
{
	*has = attr != NULL;
	*v = attr ? mnl_attr_get_u16(attr) : 0;
}

/*
 * A FLOW_GET reply or an FW_LOG event: port, direction, protocol and
 * both addresses (of one family) are required, the rest is optional.
 */
int sf_flow_parse(const struct nlmsghdr *nlh, struct sf_flow *flow)
{
	const struct nlattr *tb[SLOTFILTER_FLOW_A_MAX + 1];
	bool has_suppressed;

	memset(flow, 0, sizeof(*flow));
	if (sfnl_parse_genl(nlh, flow_policy, SLOTFILTER_FLOW_A_MAX, tb) ||
	    !tb[SLOTFILTER_FLOW_A_IFINDEX] || !tb[SLOTFILTER_FLOW_A_DIRECTION] ||
	    !tb[SLOTFILTER_FLOW_A_PROTO] ||
	    addr_get(tb[SLOTFILTER_FLOW_A_SRC], &flow->src) ||
	    addr_get(tb[SLOTFILTER_FLOW_A_DST], &flow->dst) ||
	    flow->src.family != flow->dst.family)
		return -EBADMSG;
	flow->ifindex = mnl_attr_get_u32(tb[SLOTFILTER_FLOW_A_IFINDEX]);
	flow->dir = mnl_attr_get_u8(tb[SLOTFILTER_FLOW_A_DIRECTION]);
	flow->proto = mnl_attr_get_u8(tb[SLOTFILTER_FLOW_A_PROTO]);
	get_u16_opt(tb[SLOTFILTER_FLOW_A_SPORT], &flow->has_sport,
		    &flow->sport);
	get_u16_opt(tb[SLOTFILTER_FLOW_A_DPORT], &flow->has_dport,
		    &flow->dport);
	get_u8_opt(tb[SLOTFILTER_FLOW_A_STATE], &flow->has_state,
		   &flow->state);
	get_u8_opt(tb[SLOTFILTER_FLOW_A_ACTION], &flow->has_action,
		   &flow->action);
	get_u32_opt(tb[SLOTFILTER_FLOW_A_EXPIRES], &flow->has_expires,
		    &flow->expires);
	get_u32_opt(tb[SLOTFILTER_FLOW_A_RULE_ID], &flow->has_rule_id,
		    &flow->rule_id);
	get_u32_opt(tb[SLOTFILTER_FLOW_A_ID], &flow->has_id, &flow->id);
	get_u32_opt(tb[SLOTFILTER_FLOW_A_SUPPRESSED], &has_suppressed,
		    &flow->suppressed);
	return 0;
}
