// SPDX-License-Identifier: GPL-2.0
/*
 * port_test.c - "slotctl port show" output, text and JSON
 */
#include <stdlib.h>

#include <linux/slotfilter.h>

#include "fixture.h"
#include "print.h"
#include "slotctl.h"
#include "test.h"

struct show {
	const struct sf_port *ports;
	unsigned int n;
	bool stats;
};

/* What port_show() does around the answer's messages. */
static void show(void *arg)
{
	const struct show *s = arg;
	unsigned int i;

	open_json_array(NULL);
	for (i = 0; i < s->n; i++)
		port_print(&s->ports[i], s->stats);
	close_json_array();
}

static const char *show_sample(bool json, bool pretty, bool stats)
{
	static struct sf_port port[2];
	struct show s = { port, 1, stats };

	fx_sample_port(&port[0]);
	return capture_print(json, pretty, show, &s);
}

TEST(port_show_text)
{
	CHECK_STR(show_sample(false, false, false),
		  "port veth0 ifindex 5\n"
		  "  ingress: slots: 2 firewall 4 service\n"
		  "  egress:  slots: (empty)\n");
}

TEST(port_show_text_stats)
{
	CHECK_STR(show_sample(false, false, true),
		  "port veth0 ifindex 5\n"
		  "  ingress: slots: 2 firewall 4 service\n"
		  "    packets 1200 bytes 96000 drops 3 stolen 1\n"
		  "    slot 2 firewall: packets 1200 bytes 96000 drops 2\n"
		  "    slot 4 service: packets 1198 bytes 95840 drops 1\n"
		  "  egress:  slots: (empty)\n"
		  "    packets 1180 bytes 94400 drops 0 stolen 0\n");
}

TEST(port_show_text_two_ports)
{
	struct sf_port port[2];
	struct show s = { port, 2, false };

	fx_sample_port(&port[0]);
	fx_sample_port(&port[1]);
	port[1].ifindex = 6;
	strcpy(port[1].ifname, "tap1");
	memset(port[1].dirs, 0, sizeof(port[1].dirs));
	port[1].dirs[1].slots[11].filter = SLOTFILTER_FILTER_SERVICE;
	CHECK_STR(capture_print(false, false, show, &s),
		  "port veth0 ifindex 5\n"
		  "  ingress: slots: 2 firewall 4 service\n"
		  "  egress:  slots: (empty)\n"
		  "port tap1 ifindex 6\n"
		  "  ingress: slots: (empty)\n"
		  "  egress:  slots: 11 service\n");
}

TEST(port_show_json_has_everything)
{
	const char *s = show_sample(true, false, false);

	CHECK(!strncmp(s, "[{\"ifindex\":5,\"ifname\":\"veth0\",\"tags\":[],"
			  "\"ingress\":"
			  "{\"packets\":1200,\"bytes\":96000,\"drops\":3,"
			  "\"stolen\":1,\"slots\":[{\"slot\":0,"
			  "\"filter\":\"none\",\"packets\":0,\"bytes\":0,"
			  "\"drops\":0},{\"slot\":1,", 150));
	CHECK(python_ok(s,
		"import json, sys\n"
		"d = json.load(sys.stdin)\n"
		"assert len(d) == 1\n"
		"p = d[0]\n"
		"assert sorted(p) == [\"egress\", \"ifindex\", \"ifname\", \"ingress\", \"tags\"]\n"
		"assert p[\"tags\"] == []\n"
		"for dir in (p[\"ingress\"], p[\"egress\"]):\n"
		"    assert sorted(dir) == [\"bytes\", \"drops\", \"packets\", \"slots\", \"stolen\"]\n"
		"    assert [s[\"slot\"] for s in dir[\"slots\"]] == list(range(12))\n"
		"    for s in dir[\"slots\"]:\n"
		"        assert sorted(s) == [\"bytes\", \"drops\", \"filter\", \"packets\", \"slot\"]\n"
		"i = p[\"ingress\"][\"slots\"]\n"
		"assert i[2] == dict(slot=2, filter=\"firewall\", packets=1200, bytes=96000, drops=2)\n"
		"assert i[4][\"filter\"] == \"service\" and i[4][\"drops\"] == 1\n"
		"assert p[\"egress\"][\"packets\"] == 1180\n"));
}

TEST(port_show_tags)
{
	struct sf_port port;
	struct show s = { &port, 1, false };
	const char *out;

	fx_sample_port(&port);
	port.n_tags = 2;
	strcpy(port.tags[0], "web");
	strcpy(port.tags[1], "db.1");
	CHECK_STR(capture_print(false, false, show, &s),
		  "port veth0 ifindex 5\n"
		  "  tags: web db.1\n"
		  "  ingress: slots: 2 firewall 4 service\n"
		  "  egress:  slots: (empty)\n");
	out = capture_print(true, false, show, &s);
	CHECK(!strncmp(out, "[{\"ifindex\":5,\"ifname\":\"veth0\","
			    "\"tags\":[\"web\",\"db.1\"],\"ingress\":", 60));
}

TEST(port_show_json_ignores_stats_flag)
{
	char *without = strdup(show_sample(true, false, false));

	CHECK_STR(show_sample(true, false, true), without);
	free(without);
}

TEST(port_show_json_pretty_valid)
{
	const char *s = show_sample(true, true, true);

	CHECK(!strncmp(s, "[\n    {\n        \"ifindex\": 5,\n", 30));
	CHECK(json_valid(s));
}

TEST(port_show_empty)
{
	struct show s = { NULL, 0, true };

	CHECK_STR(capture_print(false, false, show, &s), "");
	CHECK_STR(capture_print(true, false, show, &s), "[]\n");
	CHECK_STR(capture_print(true, true, show, &s), "[]\n");
}

TEST(port_show_json_escapes_ifname)
{
	struct sf_port port;
	struct show s = { &port, 1, false };

	fx_sample_port(&port);
	strcpy(port.ifname, "a\"b\\c\xff");
	CHECK(python_ok(capture_print(true, false, show, &s),
			"import json, sys; "
			"assert json.load(sys.stdin)[0][\"ifname\"] == "
			"\"a\\\"b\\\\c\\ufffd\""));
}
