// SPDX-License-Identifier: GPL-2.0
/*
 * fwshow_test.c - "slotctl fw show" and "fw rule show", text and JSON,
 * and "fw set show", from synthetic state
 */
#include <stdlib.h>

#include "fwmsg.h"
#include "print.h"
#include "slotctl.h"
#include "test.h"

static void sample(struct sf_ruleset *rs)
{
	static const char *const rules[] = {
		"10 allow dir ingress applied-to port lo tag web src 10.0.0.0/8 proto tcp dport 22 log",
		"20 reject dst @db proto 47",
	};
	char buf[256], *argv[32];
	struct sf_rule rule;
	struct parse_err e;
	unsigned int i;
	int argc;

	memset(rs, 0, sizeof(*rs));
	rs->fw = (struct sf_fw){
		.generation = 7, .def = SLOTFILTER_ACTION_DROP,
		.flags = SLOTFILTER_FW_F_NONIP_DROP,
		.timeouts = { 0, 60, 432000, 120, 10, 30, 30, 600 },
		.flow_max = 65536, .nrules = 2, .memory = 4096, .flows = 12,
		.flows_refused = 3, .flow_size = 160,
	};
	for (i = 0; i < 2; i++) {
		strcpy(buf, rules[i]);
		for (argc = 0, argv[0] = strtok(buf, " "); argv[argc];
		     argv[++argc] = strtok(NULL, " "))
			;
		CHECK_INT(rule_parse(&rule, argc, argv, NULL, &e), 0);
		if (rule.n_ports)
			rule.ports[0] = 1;	/* lo */
		rule.packets = 5 + i;
		rule.bytes = 300;
		rule.flows = 2;
		rule.last_hit = i ? 0 : 3250;
		sf_ruleset_insert(rs, rs->n, &rule);
	}
}

struct show {
	struct sf_ruleset rs;
	bool stats, rules_only;
};

static void show(void *arg)
{
	struct show *s = arg;

	if (s->rules_only)
		rules_print(&s->rs, NULL, s->stats);
	else
		fw_print(&s->rs, s->stats);
}

static const char *show_sample(bool json, bool stats, bool rules_only)
{
	static struct show s;
	const char *out;

	sample(&s.rs);
	s.stats = stats;
	s.rules_only = rules_only;
	out = capture_print(json, false, show, &s);
	sf_ruleset_free(&s.rs);
	return out;
}

TEST(fw_show_text)
{
	CHECK_STR(show_sample(false, false, false),
		  "firewall generation 7 default drop rules 2\n"
		  "  options: tcp-strict off non-ip drop existing-flows keep\n"
		  "  timeouts: tcp-syn 60 tcp-established 432000 tcp-fin 120 tcp-close 10 udp 30 icmp 30 other 600\n"
		  "  flows: 12 max 65536 refused 3\n"
		  "  memory: ruleset 4096 bytes flow 160 bytes\n"
		  "rule 10 allow dir ingress applied-to port lo tag web src 10.0.0.0/8 proto tcp dport 22 log\n"
		  "rule 20 reject dst @db proto 47\n");
}

TEST(fw_show_text_stats)
{
	const char *s = show_sample(false, true, true);

	CHECK_STR(s,
		  "rule 10 allow dir ingress applied-to port lo tag web src 10.0.0.0/8 proto tcp dport 22 log\n"
		  "    packets 5 bytes 300 flows 2 last-hit 3.250s ago\n"
		  "rule 20 reject dst @db proto 47\n"
		  "    packets 6 bytes 300 flows 2 last-hit never\n");
}

TEST(fw_show_json)
{
	char *s = strdup(show_sample(true, false, false));

	CHECK(python_ok(s,
		"import json, sys\n"
		"d = json.load(sys.stdin)\n"
		"assert d['generation'] == 7 and d['default'] == 'drop'\n"
		"assert d['options'] == {'tcp-strict': False, 'non-ip': 'drop', 'existing-flows': 'keep'}\n"
		"assert d['timeouts']['tcp-established'] == 432000\n"
		"assert len(d['timeouts']) == 7\n"
		"assert d['flows'] == 12 and d['flow-max'] == 65536\n"
		"assert d['flows-refused'] == 3 and d['memory'] == 4096\n"
		"assert d['flow-size'] == 160 and d['rules-count'] == 2\n"
		"r = d['rules']\n"
		"assert r[0] == {'id': 10, 'action': 'allow', 'dir': 'ingress',\n"
		"  'applied-to': {'ports': ['lo'], 'tags': ['web']},\n"
		"  'src': '10.0.0.0/8', 'dst': None, 'proto': 'tcp', 'sport': None,\n"
		"  'dport': {'min': 22, 'max': 22}, 'icmp-type': None,\n"
		"  'icmp-code': None, 'log': True, 'packets': 5, 'bytes': 300,\n"
		"  'flows': 2, 'last-hit-ms': 3250}, r[0]\n"
		"assert r[1]['dst'] == '@db' and r[1]['proto'] == '47'\n"
		"assert r[1]['applied-to'] == {'ports': [], 'tags': []}\n"));
	/* -s changes nothing in JSON */
	CHECK_STR(show_sample(true, true, false), s);
	free(s);
}

TEST(fw_rule_show_json_empty)
{
	struct show s = { .rules_only = true };

	CHECK_STR(capture_print(true, false, show, &s), "[]\n");
	CHECK_STR(capture_print(false, false, show, &s), "");
}

static void print_sets(void *arg)
{
	struct sf_sets *sets = arg;
	size_t i;

	open_json_array(NULL);
	for (i = 0; i < sets->n; i++)
		set_print(&sets->sets[i]);
	close_json_array();
}

TEST(fw_set_show)
{
	struct sf_sets sets = { 0 };
	struct sf_set set = { .name = "web", .users = 2 };
	struct parse_err e;
	const char *s;

	CHECK_INT(word_prefixes("10.0.0.0/24,fd00::1", &set, &e), 0);
	sets.sets = &set;
	sets.n = 1;
	CHECK_STR(capture_print(false, false, print_sets, &sets),
		  "set web elements 2 users 2\n"
		  "  10.0.0.0/24\n"
		  "  fd00::1\n");
	s = capture_print(true, false, print_sets, &sets);
	CHECK_STR(s, "[{\"name\":\"web\",\"users\":2,"
		     "\"elements\":[\"10.0.0.0/24\",\"fd00::1\"]}]\n");
	sf_set_free(&set);
}

TEST(words_prefixes_errors)
{
	struct sf_set set = { .n = 0 };
	struct parse_err e;

	CHECK_INT(word_prefixes("10.0.0.1,", &set, &e), 0);
	CHECK_INT(set.n, 1);
	CHECK_INT(word_prefixes("10.0.0.1,,10.0.0.2", &set, &e), -1);
	CHECK_STR(e.msg, "empty element in list \"10.0.0.1,,10.0.0.2\"");
	CHECK_INT(e.off, 9);
	CHECK_INT(word_prefixes("10.0.0.1,11.0.0.0/7", &set, &e), -1);
	CHECK_STR(e.msg, "\"11.0.0.0/7\" has host bits set: did you mean 10.0.0.0/7?");
	CHECK_INT(e.off, 9);
	sf_set_free(&set);
}
