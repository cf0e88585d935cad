/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fwmsg.h - the firewall's messages: rulesets, rules, sets, flows, events
 *
 * Plain structs for what SLOTFILTER_CMD_FW_GET, SET_GET, FLOW_GET and the
 * FW_LOG event carry, decoders for the kernel's replies, and encoders for
 * FW_REPLACE and set elements. An encoder's *_size() says beforehand how
 * many bytes it will write, so a request of 10,000 rules can be sized
 * exactly (sfnl_request_big()).
 */
#ifndef SF_FWMSG_H
#define SF_FWMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/slotfilter.h>

#include "prefix.h"

enum sf_match_kind {
	SF_MATCH_ANY,
	SF_MATCH_PREFIX,
	SF_MATCH_SET,
};

/* A rule's source or destination. */
struct sf_match {
	uint8_t kind;			/* enum sf_match_kind */
	struct sf_prefix prefix;
	char set[SLOTFILTER_NAME_MAX];
};

struct sf_range {
	bool present;
	uint16_t min, max;
};

/*
 * One rule. Applied-to is the ports (ifindexes) then the tags; neither
 * means every port. The arrays belong to the rule (sf_rule_free()).
 * A redirect rule names its service; a firewall rule's @service is "".
 */
struct sf_rule {
	uint32_t id;
	char service[SLOTFILTER_NAME_MAX];
	uint8_t action;			/* enum slotfilter_action */
	uint8_t dir;			/* enum slotfilter_rule_dir */
	unsigned int n_ports, n_tags;
	uint32_t *ports;
	char (*tags)[SLOTFILTER_NAME_MAX];
	struct sf_match src, dst;
	bool has_proto, has_icmp_type, has_icmp_code, log;
	uint8_t proto, icmp_type, icmp_code;
	struct sf_range sport, dport;
	/* FW_GET dumps only */
	uint64_t packets, bytes, flows, last_hit;
};

/* The ruleset's settings (FW_GET doit); 0 = absent for timeouts, flow_max. */
struct sf_fw {
	uint32_t generation;
	uint8_t def;			/* SLOTFILTER_ACTION_ALLOW or _DROP */
	uint32_t flags;			/* SLOTFILTER_FW_F_* */
	uint32_t timeouts[SLOTFILTER_TIMEOUT_MAX + 1];
	uint32_t flow_max;
	/* reply only */
	uint32_t nrules, flows, flow_size;
	uint64_t memory, flows_refused;
};

/*
 * The firewall's rules in order, and the redirect rules (each naming its
 * service; ids are unique within a service, each service's rules in
 * order, services in any order relative to each other).
 */
struct sf_rule_list {
	struct sf_rule *rules;
	size_t n, cap;
};

struct sf_ruleset {
	struct sf_fw fw;
	struct sf_rule *rules;
	size_t n, cap;
	struct sf_rule_list redirects;
};

/* Protocols whose rules may match ports (the kernel's list). */
static inline bool sf_proto_has_ports(unsigned int proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_SCTP || proto == IPPROTO_UDPLITE;
}

void sf_rule_free(struct sf_rule *rule);
int sf_rule_copy(struct sf_rule *dst, const struct sf_rule *src);
bool sf_rule_equal(const struct sf_rule *a, const struct sf_rule *b);
int sf_rule_add_port(struct sf_rule *rule, uint32_t ifindex);
int sf_rule_add_tag(struct sf_rule *rule, const char *tag);

int sf_ruleset_insert(struct sf_ruleset *rs, size_t pos, struct sf_rule *rule);
void sf_ruleset_remove(struct sf_ruleset *rs, size_t pos);
long sf_ruleset_find(const struct sf_ruleset *rs, uint32_t id);
void sf_ruleset_free(struct sf_ruleset *rs);

int sf_list_insert(struct sf_rule_list *l, size_t pos, struct sf_rule *rule);
void sf_list_remove(struct sf_rule_list *l, size_t pos);
long sf_redirect_find(const struct sf_rule_list *l, const char *service,
		      uint32_t id);
void sf_list_free(struct sf_rule_list *l);

int sf_fw_parse(const struct nlmsghdr *nlh, struct sf_fw *fw);
int sf_rule_parse(const struct nlattr *nest, struct sf_rule *rule);
int sf_rule_msg_parse(const struct nlmsghdr *nlh, uint32_t *generation,
		      struct sf_rule *rule);
int sf_any_rule_msg_parse(const struct nlmsghdr *nlh, uint32_t *generation,
			  struct sf_rule *rule, bool *redirect);

size_t sf_rule_size(const struct sf_rule *rule);
void sf_rule_put(struct nlmsghdr *nlh, uint16_t type,
		 const struct sf_rule *rule);
size_t sf_fw_size(const struct sf_ruleset *rs);
void sf_fw_put(struct nlmsghdr *nlh, const struct sf_ruleset *rs,
	       bool generation);
long sf_fw_rule_at(const struct nlmsghdr *nlh, long offs);
long sf_fw_redirect_at(const struct nlmsghdr *nlh, long offs);

size_t sf_prefix_size(const struct sf_prefix *p);
void sf_prefix_put(struct nlmsghdr *nlh, uint16_t type,
		   const struct sf_prefix *p);
int sf_prefix_parse_nest(const struct nlattr *nest, struct sf_prefix *p);

/* An address set; a dump gives it in one or more messages. */
struct sf_set {
	char name[SLOTFILTER_NAME_MAX];
	uint32_t nelems, users;
	struct sf_prefix *elems;
	size_t n, cap;
};

struct sf_sets {
	struct sf_set *sets;
	size_t n, cap;
};

int sf_set_push(struct sf_set *set, const struct sf_prefix *p);
void sf_set_sort(struct sf_set *set);
void sf_set_free(struct sf_set *set);
int sf_sets_add_msg(struct sf_sets *sets, const struct nlmsghdr *nlh);
struct sf_set *sf_sets_find(const struct sf_sets *sets, const char *name);
void sf_sets_free(struct sf_sets *sets);

/* A FLOW_GET reply or an FW_LOG event. */
struct sf_flow {
	uint32_t ifindex, rule_id, id, expires, suppressed;
	uint8_t dir, proto, state, action;
	bool has_sport, has_dport, has_state, has_expires, has_id;
	bool has_action, has_rule_id;
	struct sf_prefix src, dst;
	uint16_t sport, dport;
};

int sf_flow_parse(const struct nlmsghdr *nlh, struct sf_flow *flow);

#endif /* SF_FWMSG_H */
