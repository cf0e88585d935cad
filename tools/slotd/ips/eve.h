/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eve.h - IPS alerts as JSON lines in Suricata's EVE "alert" format
 *
 * One line per alert:
 *
 *	{"timestamp":"2024-05-01T12:00:00.000123+0000","flow_id":7,
 *	 "event_type":"alert","src_ip":"10.0.0.1","src_port":40000,
 *	 "dest_ip":"10.0.0.2","dest_port":80,"proto":"TCP",
 *	 "alert":{"action":"blocked","gid":1,"signature_id":1000001,
 *	          "rev":1,"signature":"...","category":"...","severity":1},
 *	 "slotfilter":{"port":"veth0","direction":"ingress","slot":4,
 *	               "service":"ips"}}
 *
 * timestamp is UTC; flow_id is the kernel's (0: none); ports are left
 * out for protocols without them, as Suricata does.
 */
#ifndef IPS_EVE_H
#define IPS_EVE_H

#include <stdio.h>

#include "../l4.h"
#include "../slotd.h"
#include "rule.h"

void ips_eve_alert(FILE *fp, const struct ips_rule *r,
		   const struct sd_l4 *p, const struct sd_packet *sp,
		   bool blocked, uint64_t now_us);

#endif /* IPS_EVE_H */
