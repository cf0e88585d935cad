// SPDX-License-Identifier: GPL-2.0
/*
 * save_test.c - "slotctl save" output from synthetic state, and the
 * round trip: what save writes, the file parser reads back to the same
 * state, and save writes the same text again
 */
#include <stdlib.h>

#include "config.h"
#include "portmsg.h"
#include "test.h"

static const char *fake_ifname(uint32_t ifindex, char *buf)
{
	snprintf(buf, IF_NAMESIZE, "veth%u", ifindex - 5);
	return buf;
}

static unsigned int fake_ifindex(const char *name, void *ctx)
{
	(void)ctx;
	return strncmp(name, "veth", 4) ? 0 : 5 + atoi(name + 4);
}

static const struct config_env env = {
	fake_ifindex, NULL, NULL, NULL, NULL
};

static const char saved[] =
	"port veth0 tags web,db\n"
	"port veth1\n"
	"set web 10.0.0.0/24,10.0.1.0/24,10.0.2.0/24,10.0.3.0/24,10.0.4.0/24,10.0.5.0/24,10.0.6.0/24,10.0.7.0/24,\n"
	"    10.0.8.0/24,fd00::/64\n"
	"set empty\n"
	"firewall default drop\n"
	"firewall option tcp-strict on\n"
	"firewall option non-ip allow\n"
	"firewall option existing-flows reevaluate\n"
	"firewall timeout tcp-syn 60\n"
	"firewall timeout tcp-established 432000\n"
	"firewall timeout tcp-fin 120\n"
	"firewall timeout tcp-close 10\n"
	"firewall timeout udp 30\n"
	"firewall timeout icmp 30\n"
	"firewall timeout other 600\n"
	"firewall flow-max 65536\n"
	"rule 10 allow dir ingress applied-to port veth0 tag web src @web proto tcp dport 80-443 log\n"
	"rule 5 reject dst fd00::1 proto icmpv6 icmp-type 128\n"
	"rule 20 drop\n";

static void sample(struct sf_port *ports, struct sf_sets *sets,
		   struct sf_ruleset *rs)
{
	static const char *const rules[] = {
		"10 allow dir ingress applied-to port veth0 tag web src @web proto tcp dport 80-443 log",
		"5 reject dst fd00::1 proto icmpv6 icmp-type 128",
		"20 drop",
	};
	struct sf_set *set;
	struct sf_prefix p;
	struct parse_err e;
	struct sf_rule rule;
	char buf[256], *argv[32], msg[128];
	unsigned int i;
	int argc;

	memset(ports, 0, 2 * sizeof(*ports));
	ports[0] = (struct sf_port){ .ifindex = 5, .ifname = "veth0",
				     .n_tags = 2 };
	strcpy(ports[0].tags[0], "web");
	strcpy(ports[0].tags[1], "db");
	ports[1] = (struct sf_port){ .ifindex = 6, .ifname = "veth1" };

	memset(sets, 0, sizeof(*sets));
	sets->sets = calloc(2, sizeof(*sets->sets));
	sets->n = sets->cap = 2;
	set = &sets->sets[0];
	strcpy(set->name, "web");
	sf_prefix_parse("fd00::/64", &p, msg, sizeof(msg));
	sf_set_push(set, &p);
	for (i = 0; i < 9; i++) {
		snprintf(buf, sizeof(buf), "10.0.%u.0/24", i);
		sf_prefix_parse(buf, &p, msg, sizeof(msg));
		sf_set_push(set, &p);
	}
	sf_set_sort(set);
	strcpy(sets->sets[1].name, "empty");

	memset(rs, 0, sizeof(*rs));
	rs->fw = (struct sf_fw){
		.generation = 7, .def = SLOTFILTER_ACTION_DROP,
		.flags = SLOTFILTER_FW_F_TCP_STRICT | SLOTFILTER_FW_F_REEVALUATE,
		.timeouts = { 0, 60, 432000, 120, 10, 30, 30, 600 },
		.flow_max = 65536,
	};
	for (i = 0; i < 3; i++) {
		strcpy(buf, rules[i]);
		for (argc = 0, argv[0] = strtok(buf, " "); argv[argc];
		     argv[++argc] = strtok(NULL, " "))
			;
		CHECK_INT(rule_parse(&rule, argc, argv, NULL, &e), 0);
		rule.packets = 1000 * i;	/* never saved */
		if (rule.n_ports)
			rule.ports[0] = 5;
		sf_ruleset_insert(rs, rs->n, &rule);
	}
}

static const char *save(const struct sf_port *ports, size_t n_ports,
			const struct sf_sets *sets,
			const struct sf_ruleset *rs)
{
	static const struct sf_services none;
	struct capture c;

	save_write(capture_open(&c), ports, n_ports, sets, &none, rs,
		   fake_ifname);
	return capture_close(&c);
}

TEST(save_output)
{
	struct sf_port ports[2];
	struct sf_ruleset rs;
	struct sf_sets sets;

	sample(ports, &sets, &rs);
	CHECK_STR(save(ports, 2, &sets, &rs), saved);
	sf_sets_free(&sets);
	sf_ruleset_free(&rs);
}

TEST(save_nothing)
{
	struct sf_ruleset rs = { .fw = { .flow_max = 65536 } };
	struct sf_sets sets = { 0 };

	CHECK_STR(save(NULL, 0, &sets, &rs),
		  "firewall default allow\n"
		  "firewall option tcp-strict off\n"
		  "firewall option non-ip allow\n"
		  "firewall option existing-flows keep\n"
		  "firewall flow-max 65536\n");
}

/* The file save writes parses to the same state, which saves the same. */
TEST(save_parse_save)
{
	struct sf_port ports[2];
	struct config cfg;
	char *text = strdup(saved);
	unsigned int i;

	CHECK_INT(config_parse(&cfg, "saved", text, strlen(text), &env), 0);
	CHECK(config_timeouts_complete(&cfg));
	CHECK_INT(cfg.n_ports, 2);
	memset(ports, 0, sizeof(ports));
	for (i = 0; i < 2 && i < cfg.n_ports; i++) {
		ports[i].ifindex = cfg.ports[i].ifindex;
		strcpy(ports[i].ifname, cfg.ports[i].name);
		ports[i].n_tags = cfg.ports[i].n_tags;
		memcpy(ports[i].tags, cfg.ports[i].tags,
		       sizeof(ports[i].tags));
	}
	CHECK_INT(cfg.rs.rules[0].ports[0], 5);
	CHECK_STR(save(ports, 2, &cfg.sets, &cfg.rs), saved);
	config_free(&cfg);
	free(text);
}
