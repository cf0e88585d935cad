// SPDX-License-Identifier: GPL-2.0
/*
 * flows.c - slotctl fw flows: the connections the firewall tracks
 *
 * SYNOPSIS
 *	slotctl [-j [-p]] fw flows [dev IFNAME]
 *
 * TEXT OUTPUT: one line per flow
 *
 *	PROTO SRC[:PORT] -> DST[:PORT] dev IFNAME DIR [state STATE] expires Ns rule ID
 *
 * SRC is the endpoint that opened the flow, DIR the direction its first
 * packet went; IPv6 endpoints with a port are written [ADDR]:PORT. TCP,
 * UDP, UDP-Lite and SCTP show ports, ICMP the echo id ("id N" after DST),
 * other protocols nothing. "state" is TCP's only; "expires" rounds up to
 * whole seconds; "rule default" is a flow the default action allowed.
 *
 * JSON: an array of
 *
 *	{"id":N,"ifindex":N,"dev":"veth0","dir":"ingress","proto":"tcp",
 *	 "src":"10.0.0.1","sport":N,"dst":"10.0.0.2","dport":N,
 *	 "icmp-id":null,"state":"established"|null,"expires-ms":N,"rule":N}
 *
 * Ports are null but for protocols with ports, icmp-id but for ICMP; rule
 * 0 is the default action.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "attr.h"
#include "fwmsg.h"
#include "names.h"
#include "print.h"
#include "slotctl.h"

static bool is_icmp(unsigned int proto)
{
	return proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;
}

/* "10.0.0.1:80", "[fd00::1]:80", or the address alone. */
static void endpoint_print(const char *key, const char *port_key,
			   const struct sf_prefix *addr, bool has_port,
			   uint16_t port)
{
	char buf[SF_PREFIX_STRLEN];
	bool v6 = addr->family == AF_INET6;

	sf_prefix_format(addr, buf);
	if (!has_port) {
		print_string(PRINT_ANY, key, "%s", buf);
		print_null(PRINT_JSON, port_key, NULL);
		return;
	}
	print_string(PRINT_ANY, key, v6 ? "[%s]" : "%s", buf);
	print_uint(PRINT_ANY, port_key, ":%u", port);
}

/* PROTO SRC -> DST, as "fw flows" and "monitor" print them. */
void tuple_print(const struct sf_flow *flow)
{
	bool ports = sf_proto_has_ports(flow->proto);
	const char *name = sf_proto_name(flow->proto);
	char num[4];

	snprintf(num, sizeof(num), "%u", flow->proto);
	print_string(PRINT_ANY, "proto", "%s ", name ?: num);
	endpoint_print("src", "sport", &flow->src, ports && flow->has_sport,
		       flow->sport);
	print_text(" -> ");
	endpoint_print("dst", "dport", &flow->dst, ports && flow->has_dport,
		       flow->dport);
	if (is_icmp(flow->proto) && flow->has_sport)
		print_uint(PRINT_ANY, "icmp-id", " id %u", flow->sport);
	else
		print_null(PRINT_JSON, "icmp-id", NULL);
}

/* " dev NAME" (JSON: ifindex, and dev null if it has no name here). */
void dev_print(uint32_t ifindex)
{
	char name[IF_NAMESIZE];

	print_uint(PRINT_JSON, "ifindex", NULL, ifindex);
	if (if_indextoname(ifindex, name)) {
		print_string(PRINT_ANY, "dev", " dev %s", name);
	} else {
		print_null(PRINT_JSON, "dev", NULL);
		print_uint(PRINT_FP, NULL, " dev #%u", ifindex);
	}
}

void flow_print(const struct sf_flow *flow)
{
	open_json_object(NULL);
	if (flow->has_id)
		print_uint(PRINT_JSON, "id", NULL, flow->id);
	tuple_print(flow);
	dev_print(flow->ifindex);
	print_string(PRINT_ANY, "dir", " %s", sf_dir_name(flow->dir));
	if (flow->has_state && flow->proto == IPPROTO_TCP)
		print_string(PRINT_ANY, "state", " state %s",
			     sf_tcp_state_name(flow->state));
	else
		print_null(PRINT_JSON, "state", NULL);
	print_uint(PRINT_JSON, "expires-ms", NULL, flow->expires);
	print_uint(PRINT_FP, NULL, " expires %us",
		   flow->expires / 1000 + !!(flow->expires % 1000));
	print_uint(PRINT_JSON, "rule", NULL, flow->rule_id);
	if (flow->rule_id)
		print_uint(PRINT_FP, NULL, " rule %u", flow->rule_id);
	else
		print_text(" rule default");
	print_nl();
	close_json_object();
}

static int flows_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sf_flow flow;

	(void)data;
	if (sfnl_genl_cmd(nlh) != SLOTFILTER_CMD_FLOW_GET)
		return MNL_CB_OK;
	if (sf_flow_parse(nlh, &flow)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	flow_print(&flow);
	return MNL_CB_OK;
}

int fw_flows(int argc, char **argv, const struct slotctl_opts *opts)
{
	unsigned int ifindex = 0;
	struct nlmsghdr *nlh;
	int ret;

	(void)opts;
	if (argc > 0) {
		if (strcmp(*argv, "dev"))
			usage_error("unexpected argument \"%s\"", *argv);
		NEXT_ARG();
		ifindex = get_ifindex(check_ifname(*argv));
		no_more_args(argc - 1, argv + 1);
	}
	nlh = slotctl_request(SLOTFILTER_CMD_FLOW_GET, NLM_F_DUMP);
	if (ifindex)
		mnl_attr_put_u32(nlh, SLOTFILTER_FLOW_A_IFINDEX, ifindex);
	open_json_array(NULL);
	ret = slotctl_talk(nlh, flows_cb, NULL);
	close_json_array();
	return ret;
}
