// SPDX-License-Identifier: GPL-2.0
/*
 * fwshow.c - slotctl fw show, fw rule show: the ruleset, text and JSON
 *
 * TEXT OUTPUT of "fw show" (stable: scripts may parse it)
 *
 *	firewall generation N default allow|drop rules N
 *	  options: tcp-strict on|off non-ip allow|drop existing-flows keep|reevaluate
 *	  timeouts: tcp-syn S tcp-established S tcp-fin S tcp-close S udp S icmp S other S
 *	  flows: N max N refused N
 *	  memory: ruleset N bytes flow N bytes
 *	rule ID ACTION [WORDS]...
 *	    packets N bytes N flows N last-hit S.MMMs ago|never	(-s only)
 *
 * A rule line is "rule" and the rule's words, exactly as a file for
 * "slotctl apply" takes them (rule.c writes both). "fw rule show" prints
 * only the rule lines. "flows" counts the flows tracked now, "refused"
 * those not tracked since the table was full; memory is the compiled
 * ruleset's and one tracked flow's.
 *
 * JSON OUTPUT (-j), always complete, -s or not: "fw show" an object
 *
 *	{"generation":N,"default":"drop","rules-count":N,
 *	 "options":{"tcp-strict":false,"non-ip":"allow","existing-flows":"keep"},
 *	 "timeouts":{"tcp-syn":S,...},"flows":N,"flow-max":N,
 *	 "flows-refused":N,"memory":N,"flow-size":N,"rules":[RULE,...]}
 *
 * and "fw rule show" the array of rules, each
 *
 *	{"id":N,"action":"allow","dir":"any",
 *	 "applied-to":{"ports":["veth0"],"tags":["web"]},
 *	 "src":"10.0.0.0/8"|"@SET"|null,"dst":...,"proto":"tcp"|"47"|null,
 *	 "sport":{"min":N,"max":N}|null,"dport":...,
 *	 "icmp-type":N|null,"icmp-code":N|null,"log":false,
 *	 "packets":N,"bytes":N,"flows":N,"last-hit-ms":N}
 *
 * Keys are the words slotctl reads. "applied-to" with both lists empty
 * means every port; "last-hit-ms" is how long ago, 0 for never.
 */
#include <inttypes.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "fwmsg.h"
#include "names.h"
#include "print.h"
#include "slotctl.h"

static void match_print(const char *key, const struct sf_match *m)
{
	char buf[SF_PREFIX_STRLEN + 1];

	if (m->kind == SF_MATCH_ANY) {
		print_null(PRINT_JSON, key, NULL);
		return;
	}
	if (m->kind == SF_MATCH_SET)
		snprintf(buf, sizeof(buf), "@%s", m->set);
	else
		sf_prefix_format(&m->prefix, buf);
	print_string(PRINT_JSON, key, NULL, buf);
}

static void range_print(const char *key, const struct sf_range *r)
{
	if (!r->present) {
		print_null(PRINT_JSON, key, NULL);
		return;
	}
	open_json_object(key);
	print_uint(PRINT_JSON, "min", NULL, r->min);
	print_uint(PRINT_JSON, "max", NULL, r->max);
	close_json_object();
}

static void u8_print(const char *key, bool has, uint8_t v)
{
	if (has)
		print_uint(PRINT_JSON, key, NULL, v);
	else
		print_null(PRINT_JSON, key, NULL);
}

static void rule_json(const struct sf_rule *rule)
{
	char name[IF_NAMESIZE], proto[4];
	unsigned int i;

	if (rule->service[0])
		print_string(PRINT_JSON, "service", NULL, rule->service);
	print_uint(PRINT_JSON, "id", NULL, rule->id);
	print_string(PRINT_JSON, "action", NULL, sf_action_name(rule->action));
	print_string(PRINT_JSON, "dir", NULL, sf_rule_dir_name(rule->dir));
	open_json_object("applied-to");
	open_json_array("ports");
	for (i = 0; i < rule->n_ports; i++)
		print_string(PRINT_JSON, NULL, NULL,
			     ifindex_name(rule->ports[i], name));
	close_json_array();
	open_json_array("tags");
	for (i = 0; i < rule->n_tags; i++)
		print_string(PRINT_JSON, NULL, NULL, rule->tags[i]);
	close_json_array();
	close_json_object();
	match_print("src", &rule->src);
	match_print("dst", &rule->dst);
	if (rule->has_proto) {
		snprintf(proto, sizeof(proto), "%u", rule->proto);
		print_string(PRINT_JSON, "proto", NULL,
			     sf_proto_name(rule->proto) ?: proto);
	} else {
		print_null(PRINT_JSON, "proto", NULL);
	}
	range_print("sport", &rule->sport);
	range_print("dport", &rule->dport);
	u8_print("icmp-type", rule->has_icmp_type, rule->icmp_type);
	u8_print("icmp-code", rule->has_icmp_code, rule->icmp_code);
	if (!rule->service[0])
		print_bool(PRINT_JSON, "log", NULL, rule->log);
}

/*
 * One rule: its line, with -s its counters' line. A redirect rule's line
 * is "redirect service NAME ...", its JSON has "service" and no "log".
 */
void rule_print(const struct sf_rule *rule, bool stats)
{
	enum output_type t = stats ? PRINT_ANY : PRINT_JSON;
	char *words = NULL;
	size_t len = 0;
	FILE *fp;

	open_json_object(NULL);
	if (!is_json_context()) {
		fp = open_memstream(&words, &len);
		if (fp) {
			rule_write(fp, rule, ifindex_name);
			fclose(fp);
		}
		print_text("%s %s\n", rule->service[0] ? "redirect" : "rule",
			   words ? words : "?");
		free(words);
	}
	rule_json(rule);
	if (stats)
		print_text("   ");
	print_u64(t, "packets", " packets %" PRIu64, rule->packets);
	print_u64(t, "bytes", " bytes %" PRIu64, rule->bytes);
	print_u64(t, "flows", " flows %" PRIu64, rule->flows);
	print_u64(PRINT_JSON, "last-hit-ms", NULL, rule->last_hit);
	if (stats && rule->last_hit)
		print_text(" last-hit %" PRIu64 ".%03us ago",
			   rule->last_hit / 1000,
			   (unsigned int)(rule->last_hit % 1000));
	else if (stats)
		print_text(" last-hit never");
	if (stats)
		print_nl();
	close_json_object();
}

/* The rules, in JSON an array: member @key of an object, or NULL. */
void rules_print(const struct sf_ruleset *rs, const char *key, bool stats)
{
	size_t i;

	open_json_array(key);
	for (i = 0; i < rs->n; i++)
		rule_print(&rs->rules[i], stats);
	close_json_array();
}

static void header_print(const struct sf_fw *fw, size_t nrules)
{
	static const char *const option_keys[] = {
		"tcp-strict", "non-ip", "existing-flows"
	};
	char fmt[40];
	unsigned int i;

	print_uint(PRINT_ANY, "generation", "firewall generation %u",
		   fw->generation);
	print_string(PRINT_ANY, "default", " default %s",
		     sf_action_name(fw->def));
	print_uint(PRINT_ANY, "rules-count", " rules %u", nrules);
	print_nl();

	open_json_object("options");
	print_text("  options:");
	print_bool(PRINT_JSON, "tcp-strict", NULL,
		   fw->flags & SLOTFILTER_FW_F_TCP_STRICT);
	for (i = 0; i < 3; i++) {
		snprintf(fmt, sizeof(fmt), " %s %%s", option_keys[i]);
		print_string(i ? PRINT_ANY : PRINT_FP, option_keys[i], fmt,
			     setting_option_word(fw, i));
	}
	print_nl();
	close_json_object();

	open_json_object("timeouts");
	print_text("  timeouts:");
	for (i = 1; i <= SLOTFILTER_TIMEOUT_MAX; i++) {
		snprintf(fmt, sizeof(fmt), " %s %%u", sf_timeout_name(i));
		print_uint(PRINT_ANY, sf_timeout_name(i), fmt, fw->timeouts[i]);
	}
	print_nl();
	close_json_object();

	print_uint(PRINT_ANY, "flows", "  flows: %u", fw->flows);
	print_uint(PRINT_ANY, "flow-max", " max %u", fw->flow_max);
	print_u64(PRINT_ANY, "flows-refused", " refused %" PRIu64,
		  fw->flows_refused);
	print_nl();
	print_u64(PRINT_ANY, "memory", "  memory: ruleset %" PRIu64 " bytes",
		  fw->memory);
	print_uint(PRINT_ANY, "flow-size", " flow %u bytes", fw->flow_size);
	print_nl();
}

void fw_print(const struct sf_ruleset *rs, bool stats)
{
	open_json_object(NULL);
	header_print(&rs->fw, rs->n);
	rules_print(rs, "rules", stats);
	close_json_object();
}

int fw_show(int argc, char **argv, const struct slotctl_opts *opts)
{
	struct sf_ruleset rs;
	int ret;

	no_more_args(argc, argv);
	ret = ruleset_read(&rs);
	if (!ret)
		fw_print(&rs, opts->stats);
	sf_ruleset_free(&rs);
	return ret;
}

int fw_rule_show(int argc, char **argv, const struct slotctl_opts *opts)
{
	struct sf_ruleset rs;
	int ret;

	no_more_args(argc, argv);
	ret = ruleset_read(&rs);
	if (!ret)
		rules_print(&rs, NULL, opts->stats);
	sf_ruleset_free(&rs);
	return ret;
}
