// SPDX-License-Identifier: GPL-2.0
/*
 * fwmsg_test.c - the firewall's messages: encoded, sized, decoded
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include <linux/genetlink.h>

#include "fixture.h"
#include "fwmsg.h"
#include "test.h"

/* A rule with every field set. */
static void full_rule(struct sf_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->id = 42;
	r->action = SLOTFILTER_ACTION_REJECT;
	r->dir = SLOTFILTER_RULE_DIR_EGRESS;
	sf_rule_add_port(r, 5);
	sf_rule_add_port(r, 7);
	sf_rule_add_tag(r, "web");
	sf_rule_add_tag(r, "a-name-of-31-characters-exactly");
	r->src.kind = SF_MATCH_PREFIX;
	r->src.prefix.family = AF_INET6;
	r->src.prefix.plen = 64;
	inet_pton(AF_INET6, "fd00:1::", r->src.prefix.addr);
	r->dst.kind = SF_MATCH_SET;
	strcpy(r->dst.set, "db");
	r->has_proto = true;
	r->proto = 17;
	r->sport = (struct sf_range){ true, 1, 2 };
	r->dport = (struct sf_range){ true, 53, 53 };
	r->has_icmp_type = r->has_icmp_code = true;
	r->icmp_type = 3;
	r->icmp_code = 4;
	r->log = true;
}

/* The bytes a put wrote: what the message grew by. */
static size_t put_rule(struct nlmsghdr *nlh, const struct sf_rule *r)
{
	size_t before = nlh->nlmsg_len;

	sf_rule_put(nlh, SLOTFILTER_FW_A_RULE, r);
	return nlh->nlmsg_len - before;
}

TEST(fwmsg_rule_roundtrip_and_size)
{
	static union fx_buf buf;
	struct sf_rule want, got, minimal = { .id = 1 };
	struct nlmsghdr *nlh;
	struct nlattr *attr;

	full_rule(&want);
	nlh = fx_genl_msg(&buf, SLOTFILTER_CMD_FW_REPLACE, 0);
	CHECK_INT(put_rule(nlh, &want), sf_rule_size(&want));
	attr = (struct nlattr *)((char *)mnl_nlmsg_get_payload(nlh) +
				 GENL_HDRLEN);
	CHECK_INT(sf_rule_parse(attr, &got), 0);
	CHECK(sf_rule_equal(&want, &got));
	CHECK_INT(got.n_ports, 2);
	CHECK_INT(got.ports[1], 7);
	CHECK_STR(got.tags[1], "a-name-of-31-characters-exactly");
	sf_rule_free(&got);

	/* the smallest rule: id, action */
	nlh = fx_genl_msg(&buf, SLOTFILTER_CMD_FW_REPLACE, 0);
	CHECK_INT(put_rule(nlh, &minimal), sf_rule_size(&minimal));
	CHECK_INT(sf_rule_size(&minimal), 4 + 8 + 8);
	CHECK_INT(sf_rule_parse(attr, &got), 0);
	CHECK(sf_rule_equal(&minimal, &got));
	CHECK_INT(got.dir, SLOTFILTER_RULE_DIR_ANY);
	CHECK_INT(got.src.kind, SF_MATCH_ANY);
	sf_rule_free(&got);
	sf_rule_free(&want);
}

TEST(fwmsg_rule_equal_sees_each_field)
{
	struct sf_rule a, b;

	full_rule(&a);
	full_rule(&b);
	CHECK(sf_rule_equal(&a, &b));
	b.packets = 99;		/* counters do not count */
	CHECK(sf_rule_equal(&a, &b));
	b.ports[1] = 8;
	CHECK(!sf_rule_equal(&a, &b));
	b.ports[1] = 7;
	strcpy(b.tags[0], "wex");
	CHECK(!sf_rule_equal(&a, &b));
	strcpy(b.tags[0], "web");
	b.src.prefix.plen = 65;
	CHECK(!sf_rule_equal(&a, &b));
	b.src.prefix.plen = 64;
	b.dport.max = 54;
	CHECK(!sf_rule_equal(&a, &b));
	b.dport.max = 53;
	b.log = false;
	CHECK(!sf_rule_equal(&a, &b));
	b.log = true;
	CHECK(sf_rule_equal(&a, &b));
	sf_rule_free(&a);
	sf_rule_free(&b);
}

TEST(fwmsg_rule_requires_id_and_action)
{
	static union fx_buf buf;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct sf_rule rule;

	nlh = fx_genl_msg(&buf, SLOTFILTER_CMD_FW_GET, 0);
	nest = mnl_attr_nest_start(nlh, SLOTFILTER_FW_A_RULE);
	mnl_attr_put_u32(nlh, SLOTFILTER_RULE_A_ID, 3);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(sf_rule_parse(nest, &rule), -EBADMSG);

	/* an address of 5 bytes */
	nlh = fx_genl_msg(&buf, SLOTFILTER_CMD_FW_GET, 0);
	nest = mnl_attr_nest_start(nlh, SLOTFILTER_FW_A_RULE);
	mnl_attr_put_u32(nlh, SLOTFILTER_RULE_A_ID, 3);
	mnl_attr_put_u8(nlh, SLOTFILTER_RULE_A_ACTION, 0);
	{
		struct nlattr *src = mnl_attr_nest_start(nlh,
							 SLOTFILTER_RULE_A_SRC);

		mnl_attr_put(nlh, SLOTFILTER_ADDR_A_ADDR, 5, "abcde");
		mnl_attr_nest_end(nlh, src);
	}
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(sf_rule_parse(nest, &rule), -EBADMSG);
}

/* A dump message as the kernel sends it, counters padded. */
TEST(fwmsg_rule_dump_message)
{
	static union fx_buf buf;
	struct sf_rule want, got;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t gen = 0;

	full_rule(&want);
	nlh = fx_genl_msg(&buf, SLOTFILTER_CMD_FW_GET, 0);
	mnl_attr_put_u32(nlh, SLOTFILTER_FW_A_GENERATION, 17);
	sf_rule_put(nlh, SLOTFILTER_FW_A_RULE, &want);
	/* reopen the rule's nest to add the counters */
	nest = (struct nlattr *)((char *)mnl_nlmsg_get_payload(nlh) +
				 GENL_HDRLEN + 8);
	fx_put_u64(nlh, SLOTFILTER_RULE_A_PACKETS, 1000, SLOTFILTER_RULE_A_PAD);
	fx_put_u64(nlh, SLOTFILTER_RULE_A_BYTES, 64000, SLOTFILTER_RULE_A_PAD);
	fx_put_u64(nlh, SLOTFILTER_RULE_A_FLOWS, 3, SLOTFILTER_RULE_A_PAD);
	fx_put_u64(nlh, SLOTFILTER_RULE_A_LAST_HIT, 1500,
		   SLOTFILTER_RULE_A_PAD);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(sf_rule_msg_parse(nlh, &gen, &got), 0);
	CHECK_INT(gen, 17);
	CHECK(sf_rule_equal(&want, &got));
	CHECK_INT(got.packets, 1000);
	CHECK_INT(got.bytes, 64000);
	CHECK_INT(got.flows, 3);
	CHECK_INT(got.last_hit, 1500);
	sf_rule_free(&got);
	sf_rule_free(&want);

	/* no generation: malformed */
	nlh = fx_genl_msg(&buf, SLOTFILTER_CMD_FW_GET, 0);
	sf_rule_put(nlh, SLOTFILTER_FW_A_RULE, &(struct sf_rule){ .id = 1 });
	CHECK_INT(sf_rule_msg_parse(nlh, &gen, &got), -EBADMSG);
}

/* FW_REPLACE: what sf_fw_size() promised is enough, and it decodes. */
TEST(fwmsg_fw_replace)
{
	struct sf_ruleset rs = { 0 };
	struct nlmsghdr *nlh;
	struct sf_rule rule;
	struct sf_fw fw;
	char *buf;
	size_t size;
	int i;

	rs.fw.generation = 9;
	rs.fw.def = SLOTFILTER_ACTION_DROP;
	rs.fw.flags = SLOTFILTER_FW_F_TCP_STRICT;
	rs.fw.timeouts[SLOTFILTER_TIMEOUT_UDP] = 30;
	rs.fw.flow_max = 1000;
	for (i = 0; i < 1000; i++) {
		full_rule(&rule);
		rule.id = i + 1;
		CHECK_INT(sf_ruleset_insert(&rs, rs.n, &rule), 0);
	}
	size = sf_fw_size(&rs);
	buf = calloc(1, size + 64);
	memset(buf + size, 0x5a, 64);
	nlh = fx_genl_msg(buf, SLOTFILTER_CMD_FW_REPLACE, 0);
	sf_fw_put(nlh, &rs, true);
	CHECK(nlh->nlmsg_len <= size);
	CHECK(size - nlh->nlmsg_len < 16);
	CHECK(buf[size] == 0x5a && buf[size + 63] == 0x5a);

	CHECK_INT(sf_fw_parse(nlh, &fw), 0);
	CHECK_INT(fw.generation, 9);
	CHECK_INT(fw.def, SLOTFILTER_ACTION_DROP);
	CHECK_INT(fw.flags, SLOTFILTER_FW_F_TCP_STRICT);
	CHECK_INT(fw.timeouts[SLOTFILTER_TIMEOUT_UDP], 30);
	CHECK_INT(fw.timeouts[SLOTFILTER_TIMEOUT_TCP_SYN], 0);
	CHECK_INT(fw.flow_max, 1000);

	/* no generation, no timeouts: neither is sent */
	rs.fw.timeouts[SLOTFILTER_TIMEOUT_UDP] = 0;
	rs.fw.flow_max = 0;
	nlh = fx_genl_msg(buf, SLOTFILTER_CMD_FW_REPLACE, 0);
	sf_fw_put(nlh, &rs, false);
	CHECK(mnl_attr_get_type((struct nlattr *)((char *)
		mnl_nlmsg_get_payload(nlh) + GENL_HDRLEN)) ==
	      SLOTFILTER_FW_A_DEFAULT);
	CHECK_INT(sf_fw_parse(nlh, &fw), -EBADMSG);	/* a reply has one */
	free(buf);

	CHECK_INT(sf_ruleset_find(&rs, 500), 499);
	sf_ruleset_remove(&rs, 0);
	CHECK_INT(rs.n, 999);
	CHECK_INT(rs.rules[0].id, 2);
	CHECK_INT(sf_ruleset_find(&rs, 1), -1);
	sf_ruleset_free(&rs);
}

/* The FW_GET doit reply, as the kernel would send it. */
TEST(fwmsg_fw_get_reply)
{
	static union fx_buf buf;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct sf_fw fw;
	unsigned int t;

	nlh = fx_genl_msg(&buf, SLOTFILTER_CMD_FW_GET, 0);
	mnl_attr_put_u32(nlh, SLOTFILTER_FW_A_GENERATION, 3);
	mnl_attr_put_u8(nlh, SLOTFILTER_FW_A_DEFAULT, 1);
	mnl_attr_put_u32(nlh, SLOTFILTER_FW_A_FLAGS, 6);
	nest = mnl_attr_nest_start(nlh, SLOTFILTER_FW_A_TIMEOUTS);
	for (t = 1; t <= SLOTFILTER_TIMEOUT_MAX; t++)
		mnl_attr_put_u32(nlh, t, t * 10);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, SLOTFILTER_FW_A_FLOW_MAX, 65536);
	mnl_attr_put_u32(nlh, SLOTFILTER_FW_A_NRULES, 2);
	fx_put_u64(nlh, SLOTFILTER_FW_A_MEMORY, 123456, SLOTFILTER_FW_A_PAD);
	mnl_attr_put_u32(nlh, SLOTFILTER_FW_A_FLOWS, 12);
	fx_put_u64(nlh, SLOTFILTER_FW_A_FLOWS_REFUSED, 4, SLOTFILTER_FW_A_PAD);
	mnl_attr_put_u32(nlh, SLOTFILTER_FW_A_FLOW_SIZE, 160);
	CHECK_INT(sf_fw_parse(nlh, &fw), 0);
	CHECK_INT(fw.generation, 3);
	CHECK_INT(fw.def, 1);
	CHECK_INT(fw.flags, 6);
	CHECK_INT(fw.timeouts[SLOTFILTER_TIMEOUT_OTHER], 70);
	CHECK_INT(fw.flow_max, 65536);
	CHECK_INT(fw.nrules, 2);
	CHECK_INT(fw.memory, 123456);
	CHECK_INT(fw.flows, 12);
	CHECK_INT(fw.flows_refused, 4);
	CHECK_INT(fw.flow_size, 160);
}

static struct nlmsghdr *set_msg(void *buf, const char *name, bool first,
				const char *const *elems)
{
	struct nlmsghdr *nlh = fx_genl_msg(buf, SLOTFILTER_CMD_SET_GET, 0);
	struct sf_prefix p;
	char msg[128];

	mnl_attr_put_strz(nlh, SLOTFILTER_SET_A_NAME, name);
	if (first) {
		mnl_attr_put_u32(nlh, SLOTFILTER_SET_A_NELEMS, 3);
		mnl_attr_put_u32(nlh, SLOTFILTER_SET_A_USERS, 1);
	}
	for (; *elems; elems++) {
		sf_prefix_parse(*elems, &p, msg, sizeof(msg));
		sf_prefix_put(nlh, SLOTFILTER_SET_A_ELEM, &p);
	}
	return nlh;
}

/* A set over two messages, then another set, then an empty one. */
TEST(fwmsg_set_dump)
{
	static const char *const a1[] = { "10.0.0.0/8", "10.1.0.1", NULL };
	static const char *const a2[] = { "fd00::/64", NULL };
	static const char *const none[] = { NULL };
	static union fx_buf buf;
	struct sf_sets sets = { 0 };
	char s[SF_PREFIX_STRLEN];

	CHECK_INT(sf_sets_add_msg(&sets, set_msg(&buf, "a", true, a1)), 0);
	CHECK_INT(sf_sets_add_msg(&sets, set_msg(&buf, "a", false, a2)), 0);
	CHECK_INT(sf_sets_add_msg(&sets, set_msg(&buf, "b", true, a2)), 0);
	CHECK_INT(sf_sets_add_msg(&sets, set_msg(&buf, "c", true, none)), 0);
	CHECK_INT(sets.n, 3);
	CHECK_STR(sets.sets[0].name, "a");
	CHECK_INT(sets.sets[0].n, 3);
	CHECK_INT(sets.sets[0].nelems, 3);
	CHECK_INT(sets.sets[0].users, 1);
	sf_prefix_format(&sets.sets[0].elems[2], s);
	CHECK_STR(s, "fd00::/64");
	sf_prefix_format(&sets.sets[0].elems[1], s);
	CHECK_STR(s, "10.1.0.1");
	CHECK_INT(sets.sets[1].n, 1);
	CHECK_INT(sets.sets[2].n, 0);
	CHECK(sf_sets_find(&sets, "b") == &sets.sets[1]);
	CHECK(sf_sets_find(&sets, "d") == NULL);
	sf_sets_free(&sets);
}

TEST(fwmsg_set_sort_dedups)
{
	static const char *const in[] = {
		"fd00::/64", "10.0.0.0/8", "10.0.0.0/16", "9.0.0.0/8",
		"10.0.0.0/8", "::1",
	};
	static const char *const want[] = {
		"9.0.0.0/8", "10.0.0.0/8", "10.0.0.0/16", "::1", "fd00::/64",
	};
	struct sf_set set = { .n = 0 };
	char s[SF_PREFIX_STRLEN], msg[128];
	struct sf_prefix p;
	unsigned int i;

	for (i = 0; i < 6; i++) {
		CHECK_INT(sf_prefix_parse(in[i], &p, msg, sizeof(msg)), 0);
		CHECK_INT(sf_set_push(&set, &p), 0);
	}
	sf_set_sort(&set);
	CHECK_INT(set.n, 5);
	for (i = 0; i < set.n && i < 5; i++) {
		sf_prefix_format(&set.elems[i], s);
		CHECK_STR(s, want[i]);
	}
	sf_set_free(&set);
}

TEST(fwmsg_flow_parse)
{
	static union fx_buf buf;
	struct nlmsghdr *nlh;
	struct sf_flow f;
	uint8_t a4[4] = { 10, 0, 0, 1 }, b4[4] = { 10, 0, 0, 2 };
	uint8_t a6[16] = { 0xfd };

	nlh = fx_genl_msg(&buf, SLOTFILTER_CMD_FLOW_GET, 0);
	mnl_attr_put_u32(nlh, SLOTFILTER_FLOW_A_IFINDEX, 5);
	mnl_attr_put_u8(nlh, SLOTFILTER_FLOW_A_DIRECTION, 1);
	mnl_attr_put_u8(nlh, SLOTFILTER_FLOW_A_PROTO, 6);
	mnl_attr_put(nlh, SLOTFILTER_FLOW_A_SRC, 4, a4);
	mnl_attr_put(nlh, SLOTFILTER_FLOW_A_DST, 4, b4);
	mnl_attr_put_u16(nlh, SLOTFILTER_FLOW_A_SPORT, 40000);
	mnl_attr_put_u16(nlh, SLOTFILTER_FLOW_A_DPORT, 80);
	mnl_attr_put_u8(nlh, SLOTFILTER_FLOW_A_STATE, 3);
	mnl_attr_put_u32(nlh, SLOTFILTER_FLOW_A_EXPIRES, 1500);
	mnl_attr_put_u32(nlh, SLOTFILTER_FLOW_A_RULE_ID, 10);
	mnl_attr_put_u32(nlh, SLOTFILTER_FLOW_A_ID, 77);
	CHECK_INT(sf_flow_parse(nlh, &f), 0);
	CHECK_INT(f.ifindex, 5);
	CHECK_INT(f.dir, 1);
	CHECK_INT(f.src.family, AF_INET);
	CHECK_INT(f.dst.addr[3], 2);
	CHECK(f.has_sport && f.sport == 40000);
	CHECK(f.has_dport && f.dport == 80);
	CHECK(f.has_state && f.state == 3);
	CHECK(f.has_expires && f.expires == 1500);
	CHECK(f.has_rule_id && f.rule_id == 10);
	CHECK(!f.has_action);

	/* addresses of two families */
	nlh = fx_genl_msg(&buf, SLOTFILTER_CMD_FLOW_GET, 0);
	mnl_attr_put_u32(nlh, SLOTFILTER_FLOW_A_IFINDEX, 5);
	mnl_attr_put_u8(nlh, SLOTFILTER_FLOW_A_DIRECTION, 1);
	mnl_attr_put_u8(nlh, SLOTFILTER_FLOW_A_PROTO, 6);
	mnl_attr_put(nlh, SLOTFILTER_FLOW_A_SRC, 4, a4);
	mnl_attr_put(nlh, SLOTFILTER_FLOW_A_DST, 16, a6);
	CHECK_INT(sf_flow_parse(nlh, &f), -EBADMSG);
}

/* The kernel's NLMSGERR_ATTR_OFFS into a rule names that rule. */
TEST(fwmsg_fw_rule_at)
{
	static union fx_buf buf;
	struct sf_ruleset rs = { 0 };
	struct nlmsghdr *nlh;
	struct sf_rule rule;
	const struct nlattr *attr;
	long i = 0, offs;

	for (i = 0; i < 5; i++) {
		full_rule(&rule);
		rule.id = i + 1;
		sf_ruleset_insert(&rs, rs.n, &rule);
	}
	nlh = fx_genl_msg(&buf, SLOTFILTER_CMD_FW_REPLACE, 0);
	sf_fw_put(nlh, &rs, true);
	CHECK_INT(sf_fw_rule_at(nlh, 0), -1);
	CHECK_INT(sf_fw_rule_at(nlh, 20), -1);		/* GENERATION */
	CHECK_INT(sf_fw_rule_at(nlh, nlh->nlmsg_len), -1);
	i = 0;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != SLOTFILTER_FW_A_RULE)
			continue;
		offs = (const char *)attr - (const char *)nlh;
		CHECK_INT(sf_fw_rule_at(nlh, offs), i);
		CHECK_INT(sf_fw_rule_at(nlh, offs + attr->nla_len - 1), i);
		i++;
	}
	CHECK_INT(i, 5);
	sf_ruleset_free(&rs);
}
