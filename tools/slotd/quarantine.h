/* SPDX-License-Identifier: GPL-2.0 */
/*
 * quarantine.h - ports that sent an attack, tagged "quarantine" for a while
 *
 * A kind that sees an attack calls sd_service_quarantine() (service.h).
 * slotd tags the port the packet came from (PORT_TAG "quarantine"): the
 * firewall's rules applied to that tag then cut the workload off, its
 * established flows included (the kernel judges them again). With a TTL,
 * slotd removes the tag when it runs out; `slotctl port untag` removes it
 * at any time (slotd then only notes it). Each step is logged and sent to
 * `slotctl monitor` as an alert of the service that asked:
 *
 *	{"event_type":"quarantine","action":"tagged","port":"veth1",
 *	 "ifindex":7,"ttl":60,"reason":"sid 1000001: ..."}
 *
 * with action "tagged", "extended" (tagged again before the TTL ran out:
 * the later end wins), "released" (TTL over) or "gone" (the tag or the
 * port was removed by someone else before the TTL ran out).
 */
#ifndef SD_QUARANTINE_H
#define SD_QUARANTINE_H

#include <stdint.h>

#define SD_QUARANTINE_TAG	"quarantine"

struct slotd;

/* Untags what ran out at @now; the ms until the next one (-1: none). */
int64_t sd_quarantine_tick(struct slotd *sd, uint64_t now);
/* Forgets every entry (the tags stay: slotd's exit releases nothing). */
void sd_quarantine_free(struct slotd *sd);

#endif /* SD_QUARANTINE_H */
