// SPDX-License-Identifier: GPL-2.0
/*
 * service_test.c - services and redirect rules on slotctl's side: the
 * SERVICE_GET reply decoded from a message laid out as the kernel writes
 * it, the SERVICE_ADD/SET and FW_REPLACE encodings, the service and
 * redirect words (every error), "service show" and "redirect show" text
 * and JSON, "service"/"redirect" lines of a file (every error with its
 * line and column), and the save-parse-save round trip with both.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/genetlink.h>

#include "attr.h"
#include "config.h"
#include "fixture.h"
#include "fwmsg.h"
#include "print.h"
#include "slotctl.h"
#include "svcmsg.h"
#include "test.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_WORDS	32

static int split(const char *line, char *buf, char **argv)
{
	int argc = 0;
	char *w;

	strcpy(buf, line);
	for (w = strtok(buf, " "); w && argc < MAX_WORDS; w = strtok(NULL, " "))
		argv[argc++] = w;
	return argc;
}

/* ---- SERVICE_GET ---- */

/* A reply as sf_fill_service() writes it: u64s padded, latency i + 1. */
static struct nlmsghdr *service_msg(void *buf, const struct sf_service *svc)
{
	struct nlmsghdr *nlh = fx_genl_msg(buf, SLOTFILTER_CMD_SERVICE_GET, 1);
	struct nlattr *nest;
	unsigned int i;

	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, svc->name);
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_SLOT, svc->slot);
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_FAILURE_POLICY, svc->policy);
	mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_TIMEOUT, svc->timeout);
	mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_QUEUE_MAX, svc->queue_max);
	mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_COPY, svc->copy);
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_STATE, svc->state);
	mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_FLAGS, svc->flags);
	mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_NREDIRECTS, svc->nredirects);
	mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_HELD, svc->held);
	mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_MOST_HELD, svc->most_held);
	nest = mnl_attr_nest_start(nlh, SLOTFILTER_SERVICE_A_STATS);
	for (i = SLOTFILTER_STAT_REDIRECTED; i < SLOTFILTER_STAT_PAD; i++)
		fx_put_u64(nlh, i, svc->stats[i], SLOTFILTER_STAT_PAD);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, SLOTFILTER_SERVICE_A_LATENCY);
	for (i = 0; i < SLOTFILTER_LATENCY_BUCKETS; i++)
		fx_put_u64(nlh, i + 1, svc->latency[i],
			   SLOTFILTER_LATENCY_BUCKETS + 1);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void sample_service(struct sf_service *svc)
{
	unsigned int i;

	memset(svc, 0, sizeof(*svc));
	strcpy(svc->name, "ips");
	svc->slot = 4;
	svc->policy = SLOTFILTER_FAIL_CLOSED;
	svc->timeout = 250;
	svc->queue_max = 64;
	svc->copy = 128;
	svc->state = SLOTFILTER_SERVICE_UP;
	svc->flags = SLOTFILTER_SERVICE_F_GSO;
	svc->nredirects = 2;
	svc->held = 3;
	svc->most_held = 17;
	for (i = SLOTFILTER_STAT_REDIRECTED; i < SLOTFILTER_STAT_PAD; i++)
		svc->stats[i] = 100 + i;
	svc->latency[0] = 1;
	svc->latency[3] = 40;
	svc->latency[SLOTFILTER_LATENCY_BUCKETS - 1] = 2;
}

TEST(svcmsg_parse_reply)
{
	union fx_buf buf;
	struct sf_service want, got;
	unsigned int i;

	sample_service(&want);
	CHECK_INT(sf_service_parse(service_msg(buf.data, &want), &got), 0);
	CHECK_STR(got.name, "ips");
	CHECK_INT(got.slot, 4);
	CHECK_INT(got.policy, SLOTFILTER_FAIL_CLOSED);
	CHECK_INT(got.timeout, 250);
	CHECK_INT(got.queue_max, 64);
	CHECK_INT(got.copy, 128);
	CHECK_INT(got.state, SLOTFILTER_SERVICE_UP);
	CHECK_INT(got.flags, SLOTFILTER_SERVICE_F_GSO);
	CHECK_INT(got.nredirects, 2);
	CHECK_INT(got.held, 3);
	CHECK_INT(got.most_held, 17);
	for (i = SLOTFILTER_STAT_REDIRECTED; i < SLOTFILTER_STAT_PAD; i++)
		CHECK_INT(got.stats[i], 100 + i);
	for (i = 0; i < SLOTFILTER_LATENCY_BUCKETS; i++)
		CHECK_INT(got.latency[i], want.latency[i]);
	CHECK(sf_service_same(&got, &want));
}

TEST(svcmsg_parse_malformed)
{
	union fx_buf buf;
	struct sf_service svc;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	/* no slot */
	nlh = fx_genl_msg(buf.data, SLOTFILTER_CMD_SERVICE_GET, 1);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, "ips");
	CHECK_INT(sf_service_parse(nlh, &svc), -EBADMSG);
	/* no name */
	nlh = fx_genl_msg(buf.data, SLOTFILTER_CMD_SERVICE_GET, 1);
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_SLOT, 4);
	CHECK_INT(sf_service_parse(nlh, &svc), -EBADMSG);
	/* a counter that is not a u64 */
	nlh = fx_genl_msg(buf.data, SLOTFILTER_CMD_SERVICE_GET, 1);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, "ips");
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_SLOT, 4);
	nest = mnl_attr_nest_start(nlh, SLOTFILTER_SERVICE_A_STATS);
	mnl_attr_put_u32(nlh, SLOTFILTER_STAT_DROPPED, 1);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(sf_service_parse(nlh, &svc), -EBADMSG);
	/* a slot of the wrong size */
	nlh = fx_genl_msg(buf.data, SLOTFILTER_CMD_SERVICE_GET, 1);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, "ips");
	mnl_attr_put_u32(nlh, SLOTFILTER_SERVICE_A_SLOT, 4);
	CHECK_INT(sf_service_parse(nlh, &svc), -EBADMSG);
	/* counters a newer kernel adds are skipped */
	nlh = fx_genl_msg(buf.data, SLOTFILTER_CMD_SERVICE_GET, 1);
	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, "ips");
	mnl_attr_put_u8(nlh, SLOTFILTER_SERVICE_A_SLOT, 4);
	nest = mnl_attr_nest_start(nlh, SLOTFILTER_SERVICE_A_STATS);
	mnl_attr_put_u32(nlh, SLOTFILTER_STAT_PAD + 1, 1);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(sf_service_parse(nlh, &svc), 0);
}

/* SERVICE_ADD and SET carry NAME and exactly the options asked for. */
TEST(svcmsg_request)
{
	const struct nlattr *tb[SLOTFILTER_SERVICE_A_MAX + 1];
	static const struct sfnl_policy pol[SLOTFILTER_SERVICE_A_MAX + 1] = {
		[SLOTFILTER_SERVICE_A_NAME] = { MNL_TYPE_NUL_STRING, 32 },
		[SLOTFILTER_SERVICE_A_SLOT] = { MNL_TYPE_U8, 0 },
		[SLOTFILTER_SERVICE_A_FAILURE_POLICY] = { MNL_TYPE_U8, 0 },
		[SLOTFILTER_SERVICE_A_TIMEOUT] = { MNL_TYPE_U32, 0 },
		[SLOTFILTER_SERVICE_A_QUEUE_MAX] = { MNL_TYPE_U32, 0 },
		[SLOTFILTER_SERVICE_A_COPY] = { MNL_TYPE_U32, 0 },
	};
	union fx_buf buf;
	struct sf_service svc;
	struct nlmsghdr *nlh;

	sample_service(&svc);
	nlh = fx_genl_msg(buf.data, SLOTFILTER_CMD_SERVICE_ADD, 1);
	sf_service_put(nlh, &svc, SF_SVC_ALL);
	CHECK_INT(sfnl_parse_genl(nlh, pol, SLOTFILTER_SERVICE_A_MAX, tb), 0);
	CHECK_STR(mnl_attr_get_str(tb[SLOTFILTER_SERVICE_A_NAME]), "ips");
	CHECK_INT(mnl_attr_get_u8(tb[SLOTFILTER_SERVICE_A_SLOT]), 4);
	CHECK_INT(mnl_attr_get_u8(tb[SLOTFILTER_SERVICE_A_FAILURE_POLICY]), 1);
	CHECK_INT(mnl_attr_get_u32(tb[SLOTFILTER_SERVICE_A_TIMEOUT]), 250);
	CHECK_INT(mnl_attr_get_u32(tb[SLOTFILTER_SERVICE_A_QUEUE_MAX]), 64);
	CHECK_INT(mnl_attr_get_u32(tb[SLOTFILTER_SERVICE_A_COPY]), 128);

	nlh = fx_genl_msg(buf.data, SLOTFILTER_CMD_SERVICE_SET, 1);
	sf_service_put(nlh, &svc, SF_SVC_SLOT | SF_SVC_COPY);
	CHECK_INT(sfnl_parse_genl(nlh, pol, SLOTFILTER_SERVICE_A_MAX, tb), 0);
	CHECK(tb[SLOTFILTER_SERVICE_A_NAME] && tb[SLOTFILTER_SERVICE_A_SLOT] &&
	      tb[SLOTFILTER_SERVICE_A_COPY]);
	CHECK(!tb[SLOTFILTER_SERVICE_A_FAILURE_POLICY] &&
	      !tb[SLOTFILTER_SERVICE_A_TIMEOUT] &&
	      !tb[SLOTFILTER_SERVICE_A_QUEUE_MAX]);
}

/* ---- service words ---- */

TEST(service_words)
{
	static const char *const lines[] = {
		"ips slot 4 failure-policy open timeout 1000 queue-max 1024 copy full",
		"web.rep slot 11 failure-policy closed timeout 60000 queue-max 65536 copy 4294967295",
		"a slot 5 failure-policy open timeout 1 queue-max 1 copy 1",
	};
	char buf[256], *argv[MAX_WORDS];
	struct sf_service svc;
	struct parse_err e;
	struct capture c;
	unsigned int i;
	int argc;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		memset(&svc, 0, sizeof(svc));
		argc = split(lines[i], buf, argv);
		CHECK_INT(service_parse(argc, argv, &svc, &e), SF_SVC_ALL);
		service_write(capture_open(&c), &svc);
		CHECK_STR(capture_close(&c), lines[i]);
	}
	/* what is not given stays as it was: the caller's defaults */
	memset(&svc, 0, sizeof(svc));
	sf_service_defaults(&svc);
	argc = split("x copy 96 slot 7", buf, argv);
	CHECK_INT(service_parse(argc, argv, &svc, &e),
		  SF_SVC_SLOT | SF_SVC_COPY);
	service_write(capture_open(&c), &svc);
	CHECK_STR(capture_close(&c),
		  "x slot 7 failure-policy open timeout 1000 queue-max 1024 copy 96");
}

struct bad {
	const char *line;
	int word;
	const char *msg;
};

static const struct bad bad_services[] = {
	{ "", 0, "missing service name" },
	{ "a/b slot 4", 0,
	  "invalid service name \"a/b\": 1 to 31 characters of A-Z a-z 0-9 _ . -" },
	{ "abcdefghijabcdefghijabcdefghijab slot 4", 0,
	  "invalid service name \"abcdefghijabcdefghijabcdefghijab\": 1 to 31 characters of A-Z a-z 0-9 _ . -" },
	{ "ips slot", 2, "missing argument after \"slot\"" },
	{ "ips slot 3", 2, "slot 3 out of range (4-11)" },
	{ "ips slot 12", 2, "slot 12 out of range (4-11)" },
	{ "ips slot four", 2, "invalid slot \"four\"" },
	{ "ips slot 4 slot 5", 3, "\"slot\" given more than once" },
	{ "ips failure-policy maybe", 2,
	  "invalid failure-policy \"maybe\" (open or closed)" },
	{ "ips timeout 0", 2, "timeout 0 out of range (1-60000)" },
	{ "ips timeout 60001", 2, "timeout 60001 out of range (1-60000)" },
	{ "ips queue-max 0", 2, "queue-max 0 out of range (1-65536)" },
	{ "ips queue-max 65537", 2, "queue-max 65537 out of range (1-65536)" },
	{ "ips copy 0", 2, "copy 0 out of range (1-4294967295)" },
	{ "ips copy 4294967296", 2,
	  "copy 4294967296 out of range (1-4294967295)" },
	{ "ips copy half", 2,
	  "invalid copy \"half\" (full or a number of bytes)" },
	{ "ips frob 1", 1,
	  "unknown service word \"frob\" (slot, failure-policy, timeout, queue-max or copy)" },
};

TEST(service_words_errors)
{
	char buf[256], *argv[MAX_WORDS];
	struct sf_service svc;
	struct parse_err e;
	unsigned int i;
	int argc;

	for (i = 0; i < ARRAY_SIZE(bad_services); i++) {
		const struct bad *b = &bad_services[i];

		argc = split(b->line, buf, argv);
		if (service_parse(argc, argv, &svc, &e) >= 0)
			test_fail(__FILE__, __LINE__, "\"%s\" parsed", b->line);
		else if (strcmp(e.msg, b->msg) || e.word != b->word)
			test_fail(__FILE__, __LINE__,
				  "\"%s\": word %d \"%s\", want word %d \"%s\"",
				  b->line, e.word, e.msg, b->word, b->msg);
	}
}

/* ---- redirect words ---- */

static bool fake_service(const char *name, int word, unsigned int off,
			 void *ctx)
{
	(void)word;
	(void)off;
	(void)ctx;
	return !strcmp(name, "ips") || !strcmp(name, "web");
}

static const struct rule_env red_env = { NULL, NULL, NULL, fake_service };

static const char *written(const struct sf_rule *rule)
{
	struct capture c;

	rule_write(capture_open(&c), rule, ifindex_name);
	return capture_close(&c);
}

TEST(redirect_words_roundtrip)
{
	static const char *const lines[] = {
		"service ips 10 redirect",
		"service ips 1 skip dir egress",
		"service web 4294967295 redirect dir ingress applied-to tag web,db src 10.0.0.0/8 dst @db proto tcp sport 1-1023 dport 80",
		"service ips 7 redirect src fd00::/64 proto icmpv6 icmp-type 128 icmp-code 0",
	};
	char buf[512], *argv[MAX_WORDS];
	struct sf_rule rule, again;
	struct parse_err e;
	unsigned int i;
	int argc;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		argc = split(lines[i], buf, argv);
		CHECK_INT(redirect_parse(&rule, argc, argv, &red_env, &e), 0);
		CHECK_STR(written(&rule), lines[i]);
		argc = split(written(&rule), buf, argv);
		CHECK_INT(redirect_parse(&again, argc, argv, &red_env, &e), 0);
		CHECK(sf_rule_equal(&rule, &again));
		sf_rule_free(&rule);
		sf_rule_free(&again);
	}
	argc = split("service web 3 skip proto udp", buf, argv);
	CHECK_INT(redirect_parse(&rule, argc, argv, &red_env, &e), 0);
	CHECK_STR(rule.service, "web");
	CHECK_INT(rule.id, 3);
	CHECK_INT(rule.action, SLOTFILTER_ACTION_SKIP);
	CHECK_INT(rule.proto, 17);
	sf_rule_free(&rule);
}

struct bad_off {
	const char *line;
	int word;
	unsigned int off;
	const char *msg;
};

static const struct bad_off bad_redirects[] = {
	{ "", 0, 0, "missing \"service NAME\"" },
	{ "10 redirect", 0, 0, "unexpected word \"10\" (service NAME first)" },
	{ "service", 1, 0, "missing argument after \"service\"" },
	{ "service a:b 10 redirect", 1, 0,
	  "invalid service name \"a:b\": 1 to 31 characters of A-Z a-z 0-9 _ . -" },
	{ "service nosuch 10 redirect", 1, 0, "unknown service \"nosuch\"" },
	{ "service ips", 2, 0, "missing rule id" },
	{ "service ips 0 redirect", 2, 0, "rule id 0 out of range (1-4294967295)" },
	{ "service ips x redirect", 2, 0, "invalid rule id \"x\"" },
	{ "service ips 10", 3, 0, "missing action (redirect or skip)" },
	{ "service ips 10 allow", 3, 0,
	  "invalid action \"allow\" (redirect or skip)" },
	{ "service ips 10 redirect log", 4, 0, "redirect rules do not log" },
	{ "service ips 10 redirect frob", 4, 0, "unknown rule word \"frob\"" },
	{ "service ips 10 redirect dport 80", 4, 0,
	  "\"dport\" needs proto tcp, udp, udplite or sctp" },
	{ "service ips 10 redirect proto tcp proto udp", 6, 0,
	  "\"proto\" given more than once" },
	{ "service ips 10 redirect src 10.0.0.1/8", 5, 0,
	  "\"10.0.0.1/8\" has host bits set: did you mean 10.0.0.0/8?" },
	{ "service ips 10 redirect applied-to tag a,,b", 6, 2,
	  "empty tag name in list \"a,,b\"" },
};

TEST(redirect_words_errors)
{
	char buf[256], *argv[MAX_WORDS];
	struct sf_rule rule;
	struct parse_err e;
	unsigned int i;
	int argc;

	for (i = 0; i < ARRAY_SIZE(bad_redirects); i++) {
		const struct bad_off *b = &bad_redirects[i];

		argc = split(b->line, buf, argv);
		if (!redirect_parse(&rule, argc, argv, &red_env, &e))
			test_fail(__FILE__, __LINE__, "\"%s\" parsed", b->line);
		else if (strcmp(e.msg, b->msg) || e.word != b->word ||
			 e.off != b->off)
			test_fail(__FILE__, __LINE__,
				  "\"%s\": word %d+%u \"%s\", want word %d+%u \"%s\"",
				  b->line, e.word, e.off, e.msg, b->word,
				  b->off, b->msg);
		sf_rule_free(&rule);
	}
	/* a firewall rule does not take redirect's actions */
	argc = split("10 redirect", buf, argv);
	CHECK(rule_parse(&rule, argc, argv, NULL, &e));
	CHECK_STR(e.msg, "invalid action \"redirect\" (allow, drop or reject)");
	sf_rule_free(&rule);
}

/* ---- FW_REPLACE and FW_GET dumps with redirect rules ---- */

static void add_redirect(struct sf_ruleset *rs, const char *line)
{
	char buf[512], *argv[MAX_WORDS];
	struct sf_rule rule;
	struct parse_err e;
	int argc = split(line, buf, argv);

	CHECK_INT(redirect_parse(&rule, argc, argv, NULL, &e), 0);
	sf_list_insert(&rs->redirects, rs->redirects.n, &rule);
}

static void add_rule(struct sf_ruleset *rs, const char *line)
{
	char buf[512], *argv[MAX_WORDS];
	struct sf_rule rule;
	struct parse_err e;
	int argc = split(line, buf, argv);

	CHECK_INT(rule_parse(&rule, argc, argv, NULL, &e), 0);
	sf_ruleset_insert(rs, rs->n, &rule);
}

TEST(fwmsg_replace_with_redirects)
{
	static char big[65536] __attribute__((aligned(8)));
	struct sf_ruleset rs = { .fw = { .generation = 3, .flow_max = 100 } };
	const struct nlattr *attr;
	struct nlmsghdr *nlh;
	struct sf_rule rule;
	unsigned int n_rules = 0, n_red = 0;
	long offs = -1, red_offs = -1;

	add_rule(&rs, "1 allow");
	add_rule(&rs, "2 drop proto udp");
	add_redirect(&rs, "service ips 10 redirect proto tcp dport 80");
	add_redirect(&rs, "service web 10 skip dir egress");
	nlh = fx_genl_msg(big, SLOTFILTER_CMD_FW_REPLACE, 1);
	sf_fw_put(nlh, &rs, true);
	CHECK(nlh->nlmsg_len <= sf_fw_size(&rs));
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) == SLOTFILTER_FW_A_RULE) {
			CHECK_INT(sf_rule_parse(attr, &rule), 0);
			CHECK_STR(rule.service, "");
			CHECK(sf_rule_equal(&rule, &rs.rules[n_rules++]));
			sf_rule_free(&rule);
		} else if (mnl_attr_get_type(attr) ==
			   SLOTFILTER_FW_A_REDIRECT) {
			CHECK_INT(sf_rule_parse(attr, &rule), 0);
			CHECK(sf_rule_equal(&rule,
					    &rs.redirects.rules[n_red]));
			if (n_red == 1)
				red_offs = (const char *)attr + 8 -
					   (const char *)nlh;
			n_red++;
			sf_rule_free(&rule);
		} else if (mnl_attr_get_type(attr) == SLOTFILTER_FW_A_FLAGS) {
			offs = (const char *)attr - (const char *)nlh;
		}
	}
	CHECK_INT(n_rules, 2);
	CHECK_INT(n_red, 2);
	CHECK_INT(sf_fw_redirect_at(nlh, red_offs), 1);
	CHECK_INT(sf_fw_rule_at(nlh, red_offs), -1);
	CHECK_INT(sf_fw_redirect_at(nlh, offs), -1);
	sf_ruleset_free(&rs);
}

/* A dump message carrying a redirect rule, as sf_nl_fw_dump() would. */
static struct nlmsghdr *redirect_msg(void *buf, uint16_t type,
				     const char *line)
{
	struct nlmsghdr *nlh = fx_genl_msg(buf, SLOTFILTER_CMD_FW_GET, 1);
	char words[512], *argv[MAX_WORDS];
	struct sf_rule rule;
	struct parse_err e;
	int argc = split(line, words, argv);

	if (!strncmp(line, "service ", 8))
		CHECK_INT(redirect_parse(&rule, argc, argv, NULL, &e), 0);
	else
		CHECK_INT(rule_parse(&rule, argc, argv, NULL, &e), 0);
	nlh->nlmsg_flags = NLM_F_MULTI;
	mnl_attr_put_u32(nlh, SLOTFILTER_FW_A_GENERATION, 9);
	sf_rule_put(nlh, type, &rule);
	sf_rule_free(&rule);
	return nlh;
}

TEST(fwmsg_dump_redirect)
{
	union fx_buf buf;
	struct sf_rule rule;
	uint32_t gen = 0;
	bool redirect;

	CHECK_INT(sf_any_rule_msg_parse(redirect_msg(buf.data,
			SLOTFILTER_FW_A_REDIRECT, "service ips 10 skip proto tcp"),
			&gen, &rule, &redirect), 0);
	CHECK(redirect);
	CHECK_INT(gen, 9);
	CHECK_STR(rule.service, "ips");
	CHECK_INT(rule.action, SLOTFILTER_ACTION_SKIP);
	sf_rule_free(&rule);
	CHECK_INT(sf_any_rule_msg_parse(redirect_msg(buf.data,
			SLOTFILTER_FW_A_RULE, "5 allow"), &gen, &rule,
			&redirect), 0);
	CHECK(!redirect);
	sf_rule_free(&rule);
	/* a firewall-only reader refuses a redirect rule */
	CHECK_INT(sf_rule_msg_parse(redirect_msg(buf.data,
			SLOTFILTER_FW_A_REDIRECT, "service ips 10 skip"),
			&gen, &rule), -EBADMSG);
	/* a redirect rule without its service, a rule with one */
	CHECK_INT(sf_any_rule_msg_parse(redirect_msg(buf.data,
			SLOTFILTER_FW_A_REDIRECT, "5 allow"), &gen, &rule,
			&redirect), -EBADMSG);
	CHECK_INT(sf_any_rule_msg_parse(redirect_msg(buf.data,
			SLOTFILTER_FW_A_RULE, "service ips 10 skip"), &gen,
			&rule, &redirect), -EBADMSG);
}

/* ---- service show, redirect show ---- */

struct show {
	struct sf_services svcs;
	struct sf_rule_list red;
	bool stats;
};

static void show_services(void *arg)
{
	struct show *s = arg;

	services_print(&s->svcs, s->stats);
}

static void two_services(struct sf_services *svcs)
{
	svcs->svcs = calloc(2, sizeof(*svcs->svcs));
	svcs->n = svcs->cap = 2;
	sample_service(&svcs->svcs[0]);
	strcpy(svcs->svcs[1].name, "web");
	svcs->svcs[1].slot = 6;
	sf_service_defaults(&svcs->svcs[1]);
}

TEST(service_show_text)
{
	struct show s = { .stats = false };

	two_services(&s.svcs);
	CHECK_STR(capture_print(false, false, show_services, &s),
		  "service ips slot 4 failure-policy closed timeout 250 queue-max 64 copy 128\n"
		  "  state up gso held 3 most-held 17 redirect-rules 2\n"
		  "service web slot 6 failure-policy open timeout 1000 queue-max 1024 copy full\n"
		  "  state no-helper held 0 most-held 0 redirect-rules 0\n");
	s.stats = true;
	CHECK_STR(capture_print(false, false, show_services, &s),
		  "service ips slot 4 failure-policy closed timeout 250 queue-max 64 copy 128\n"
		  "  state up gso held 3 most-held 17 redirect-rules 2\n"
		  "    redirected 101 continued 102 dropped 103 timed-out 104 failed-open 105 failed-closed 106\n"
		  "    failures: no-helper 107 queue-full 108 deadline 109 helper-gone 110 failing 111\n"
		  "    flow-continued 112 flow-dropped 113 late 114 rewritten 115 teardown 116\n"
		  "    latency: <1us 1 <8us 40 >=4194304us 2\n"
		  "service web slot 6 failure-policy open timeout 1000 queue-max 1024 copy full\n"
		  "  state no-helper held 0 most-held 0 redirect-rules 0\n"
		  "    redirected 0 continued 0 dropped 0 timed-out 0 failed-open 0 failed-closed 0\n"
		  "    failures: no-helper 0 queue-full 0 deadline 0 helper-gone 0 failing 0\n"
		  "    flow-continued 0 flow-dropped 0 late 0 rewritten 0 teardown 0\n"
		  "    latency: none\n");
	s.svcs.n = 0;
	CHECK_STR(capture_print(false, false, show_services, &s), "");
	CHECK_STR(capture_print(true, false, show_services, &s), "[]\n");
	sf_services_free(&s.svcs);
}

TEST(service_show_json)
{
	struct show s = { .stats = false };
	char *out;

	two_services(&s.svcs);
	out = strdup(capture_print(true, false, show_services, &s));
	CHECK(python_ok(out,
		"import json, sys\n"
		"d = json.load(sys.stdin)\n"
		"assert len(d) == 2\n"
		"c = {k: v for k, v in zip(['redirected', 'continued', 'dropped',\n"
		"  'timed-out', 'failed-open', 'failed-closed', 'no-helper',\n"
		"  'queue-full', 'deadline', 'helper-gone', 'failing',\n"
		"  'flow-continued', 'flow-dropped', 'late', 'rewritten',\n"
		"  'teardown'], range(101, 117))}\n"
		"lat = [0] * 24\n"
		"lat[0] = 1; lat[3] = 40; lat[23] = 2\n"
		"assert d[0] == {'name': 'ips', 'slot': 4,\n"
		"  'failure-policy': 'closed', 'timeout': 250, 'queue-max': 64,\n"
		"  'copy': 128, 'state': 'up', 'gso': True, 'held': 3,\n"
		"  'most-held': 17, 'redirect-rules': 2, 'counters': c,\n"
		"  'latency': lat}, d[0]\n"
		"assert d[1]['copy'] is None and d[1]['state'] == 'no-helper'\n"
		"assert d[1]['gso'] is False and d[1]['latency'] == [0] * 24\n"
		"assert d[1]['counters']['teardown'] == 0\n"));
	/* -s changes nothing in JSON */
	s.stats = true;
	CHECK_STR(capture_print(true, false, show_services, &s), out);
	free(out);
	sf_services_free(&s.svcs);
}

static void show_redirects(void *arg)
{
	struct show *s = arg;

	redirects_print(&s->red, NULL, s->stats);
}

TEST(redirect_show)
{
	struct sf_ruleset rs = { .fw = { .flow_max = 1 } };
	struct show s = { .stats = false };
	char *out;

	add_redirect(&rs, "service web 1 redirect proto tcp dport 80");
	add_redirect(&rs, "service ips 10 skip src 10.0.0.0/8");
	add_redirect(&rs, "service web 2 skip");
	add_redirect(&rs, "service ips 5 redirect dir ingress");
	rs.redirects.rules[1].packets = 7;
	rs.redirects.rules[1].bytes = 700;
	rs.redirects.rules[1].last_hit = 1500;
	two_services(&s.svcs);
	/* services in slot order: ips (4) then web (6), rules in order */
	redirects_sort(&rs.redirects, &s.svcs);
	s.red = rs.redirects;
	CHECK_STR(capture_print(false, false, show_redirects, &s),
		  "redirect service ips 10 skip src 10.0.0.0/8\n"
		  "redirect service ips 5 redirect dir ingress\n"
		  "redirect service web 1 redirect proto tcp dport 80\n"
		  "redirect service web 2 skip\n");
	s.stats = true;
	CHECK_STR(capture_print(false, false, show_redirects, &s),
		  "redirect service ips 10 skip src 10.0.0.0/8\n"
		  "    packets 7 bytes 700 flows 0 last-hit 1.500s ago\n"
		  "redirect service ips 5 redirect dir ingress\n"
		  "    packets 0 bytes 0 flows 0 last-hit never\n"
		  "redirect service web 1 redirect proto tcp dport 80\n"
		  "    packets 0 bytes 0 flows 0 last-hit never\n"
		  "redirect service web 2 skip\n"
		  "    packets 0 bytes 0 flows 0 last-hit never\n");
	out = strdup(capture_print(true, false, show_redirects, &s));
	CHECK(python_ok(out,
		"import json, sys\n"
		"d = json.load(sys.stdin)\n"
		"assert [(r['service'], r['id']) for r in d] == [('ips', 10), ('ips', 5), ('web', 1), ('web', 2)]\n"
		"assert d[0] == {'service': 'ips', 'id': 10, 'action': 'skip',\n"
		"  'dir': 'any', 'applied-to': {'ports': [], 'tags': []},\n"
		"  'src': '10.0.0.0/8', 'dst': None, 'proto': None,\n"
		"  'sport': None, 'dport': None, 'icmp-type': None,\n"
		"  'icmp-code': None, 'packets': 7, 'bytes': 700, 'flows': 0,\n"
		"  'last-hit-ms': 1500}, d[0]\n"
		"assert d[2]['dport'] == {'min': 80, 'max': 80}\n"));
	free(out);
	/* unknown services sort last, by name */
	s.svcs.n = 1;
	redirects_sort(&rs.redirects, &s.svcs);
	s.stats = false;
	CHECK_STR(capture_print(false, false, show_redirects, &s),
		  "redirect service ips 10 skip src 10.0.0.0/8\n"
		  "redirect service ips 5 redirect dir ingress\n"
		  "redirect service web 1 redirect proto tcp dport 80\n"
		  "redirect service web 2 skip\n");
	sf_services_free(&s.svcs);
	sf_ruleset_free(&rs);
}

/* ---- the file ---- */

static bool fake_service_exists(const char *name, void *ctx)
{
	(void)ctx;
	return !strcmp(name, "ksvc");
}

static const struct config_env cfg_env = {
	NULL, NULL, NULL, NULL, fake_service_exists
};

static char *text_copy;

static size_t parse_file(struct config *cfg, const char *text,
			 const char **errs)
{
	struct capture c;
	size_t n;

	free(text_copy);
	text_copy = strdup(text);
	n = config_parse(cfg, "f.conf", text_copy, strlen(text), &cfg_env);
	config_print_errors(cfg, capture_open(&c));
	*errs = capture_close(&c);
	return n;
}

TEST(config_services)
{
	static const char text[] =
		"service ips slot 4\n"
		"service web slot 6 failure-policy closed timeout 50 copy 128\n"
		"redirect service ips 10 redirect proto tcp dport 80\n"
		"redirect service ksvc 1 skip\n"
		"redirect service ips 11 skip dir egress\n";
	struct config cfg;
	const char *errs;

	CHECK_INT(parse_file(&cfg, text, &errs), 0);
	CHECK_STR(errs, "");
	CHECK_INT(cfg.svcs.n, 2);
	CHECK_STR(cfg.svcs.svcs[0].name, "ips");
	CHECK_INT(cfg.svcs.svcs[0].slot, 4);
	CHECK_INT(cfg.svcs.svcs[0].policy, SLOTFILTER_FAIL_OPEN);
	CHECK_INT(cfg.svcs.svcs[0].timeout, 1000);
	CHECK_INT(cfg.svcs.svcs[0].queue_max, 1024);
	CHECK_INT(cfg.svcs.svcs[0].copy, 0);
	CHECK_INT(cfg.svcs.svcs[1].policy, SLOTFILTER_FAIL_CLOSED);
	CHECK_INT(cfg.svcs.svcs[1].timeout, 50);
	CHECK_INT(cfg.svcs.svcs[1].copy, 128);
	CHECK_INT(cfg.rs.n, 0);
	CHECK_INT(cfg.rs.redirects.n, 3);
	CHECK_STR(cfg.rs.redirects.rules[1].service, "ksvc");
	CHECK_INT(cfg.red_pos[2].line, 5);
	CHECK_INT(cfg.red_pos[2].col, 22);
	CHECK(config_service_used(&cfg, "ksvc"));
	CHECK(config_service_used(&cfg, "ips"));
	CHECK(!config_service_used(&cfg, "web"));
	config_free(&cfg);
}

TEST(config_service_errors)
{
	static const char text[] =
/*  1 */	"service ips\n"
/*  2 */	"service ips slot 3\n"
/*  3 */	"service a/b slot 4\n"
/*  4 */	"service ips slot 4 queue-max 9\n"
/*  5 */	"service web slot 4\n"
/*  6 */	"service ips slot 5\n"
/*  7 */	"service x slot 7 frob 1\n"
/*  8 */	"redirect service nosuch 1 redirect\n"
/*  9 */	"redirect service ips 1 redirect log\n"
/* 10 */	"redirect service ips 2 redirect\n"
/* 11 */	"redirect service ips 2 skip\n"
/* 12 */	"redirect service ksvc 2 skip\n"
/* 13 */	"redirect ips 3 redirect\n"
/* 14 */	"redirect service ips 4 allow\n"
/* 15 */	"service x slot\n"
/* 16 */	"service y slot 8 timeout 0\n";
	struct config cfg;
	const char *errs;

	CHECK_INT(parse_file(&cfg, text, &errs), 13);
	CHECK_STR(errs,
		  "f.conf:1:13: missing \"slot N\" (4-11)\n"
		  "f.conf:2:18: slot 3 out of range (4-11)\n"
		  "f.conf:3:9: invalid service name \"a/b\": 1 to 31 characters of A-Z a-z 0-9 _ . -\n"
		  "f.conf:5:18: slot 4 taken by service \"ips\" (line 4)\n"
		  "f.conf:6:9: service \"ips\" defined twice (first at line 4)\n"
		  "f.conf:7:18: unknown service word \"frob\" (slot, failure-policy, timeout, queue-max or copy)\n"
		  "f.conf:8:18: unknown service \"nosuch\"\n"
		  "f.conf:9:33: redirect rules do not log\n"
		  "f.conf:11:22: duplicate redirect rule id 2 of service \"ips\" (first at line 10)\n"
		  "f.conf:13:10: unexpected word \"ips\" (service NAME first)\n"
		  "f.conf:14:24: invalid action \"allow\" (redirect or skip)\n"
		  "f.conf:15:16: missing argument after \"slot\"\n"
		  "f.conf:16:26: timeout 0 out of range (1-60000)\n");
	config_free(&cfg);
}

/* ---- save ---- */

static const char saved[] =
	"set web 10.0.0.0/8\n"
	"service ips slot 4 failure-policy closed timeout 250 queue-max 64 copy 128\n"
	"service web slot 6 failure-policy open timeout 1000 queue-max 1024 copy full\n"
	"firewall default allow\n"
	"firewall option tcp-strict off\n"
	"firewall option non-ip allow\n"
	"firewall option existing-flows keep\n"
	"firewall timeout tcp-syn 120\n"
	"firewall timeout tcp-established 432000\n"
	"firewall timeout tcp-fin 120\n"
	"firewall timeout tcp-close 10\n"
	"firewall timeout udp 60\n"
	"firewall timeout icmp 30\n"
	"firewall timeout other 600\n"
	"firewall flow-max 65536\n"
	"rule 1 allow proto tcp dport 22\n"
	"redirect service ips 10 skip src @web\n"
	"redirect service ips 5 redirect dir ingress proto tcp\n"
	"redirect service web 1 redirect proto tcp dport 80\n";

static const char *save_text(const struct sf_sets *sets,
			     const struct sf_services *svcs,
			     const struct sf_ruleset *rs)
{
	struct capture c;

	save_write(capture_open(&c), NULL, 0, sets, svcs, rs, ifindex_name);
	return capture_close(&c);
}

TEST(save_services_round_trip)
{
	struct sf_ruleset rs = { .fw = { .flow_max = 65536,
		.timeouts = { 0, 120, 432000, 120, 10, 60, 30, 600 } } };
	struct sf_services svcs = { 0 };
	struct sf_sets sets = { 0 };
	struct sf_prefix p;
	struct config cfg;
	const char *errs;
	char msg[64], *first;

	sets.sets = calloc(1, sizeof(*sets.sets));
	sets.n = sets.cap = 1;
	strcpy(sets.sets[0].name, "web");
	sf_prefix_parse("10.0.0.0/8", &p, msg, sizeof(msg));
	sf_set_push(&sets.sets[0], &p);
	two_services(&svcs);
	add_rule(&rs, "1 allow proto tcp dport 22");
	/* the kernel's order: by service id, not slot */
	add_redirect(&rs, "service web 1 redirect proto tcp dport 80");
	add_redirect(&rs, "service ips 10 skip src @web");
	add_redirect(&rs, "service ips 5 redirect dir ingress proto tcp");
	redirects_sort(&rs.redirects, &svcs);
	first = strdup(save_text(&sets, &svcs, &rs));
	CHECK_STR(first, saved);

	/* parsed back: the same state, saved the same */
	CHECK_INT(parse_file(&cfg, first, &errs), 0);
	CHECK_STR(errs, "");
	CHECK_INT(cfg.svcs.n, 2);
	CHECK(sf_service_same(&cfg.svcs.svcs[0], &svcs.svcs[0]));
	CHECK(sf_service_same(&cfg.svcs.svcs[1], &svcs.svcs[1]));
	CHECK(config_timeouts_complete(&cfg));
	redirects_sort(&cfg.rs.redirects, &cfg.svcs);
	CHECK_STR(save_text(&cfg.sets, &cfg.svcs, &cfg.rs), first);
	config_free(&cfg);
	free(first);
	sf_sets_free(&sets);
	sf_services_free(&svcs);
	sf_ruleset_free(&rs);
}
