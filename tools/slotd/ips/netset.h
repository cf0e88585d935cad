/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netset.h - the address and port lists of IPS rules, and variables
 *
 * A list is "any", one element, or "[a, b, ...]" (nested lists allowed);
 * an element is a prefix (10.0.0.0/8, 2001:db8::/32, 10.0.0.1) or a
 * port or range (80, 1024:, :1023, 8000:8080), maybe negated with "!",
 * or "$NAME", a variable. "!any" and a negated list holding negated
 * elements are refused: neither can be said as "some of these, none of
 * those", which is what a list means here.
 *
 * Variables (defaults, overridden by "var"/"ipvar"/"portvar" lines):
 * HOME_NET, EXTERNAL_NET any; HTTP_SERVERS, SMTP_SERVERS, SQL_SERVERS,
 * DNS_SERVERS $HOME_NET; HTTP_PORTS 80; SSH_PORTS 22; ORACLE_PORTS 1521;
 * SHELLCODE_PORTS !80.
 */
#ifndef IPS_NETSET_H
#define IPS_NETSET_H

#include "rule.h"

int ips_addrs_parse(struct ips_addrs *a, const char *s,
		    const struct ips_var *vars, unsigned int n_vars,
		    char *err, size_t len);
int ips_ports_parse(struct ips_ports *p, const char *s,
		    const struct ips_var *vars, unsigned int n_vars,
		    char *err, size_t len);
void ips_addrs_free(struct ips_addrs *a);
void ips_ports_free(struct ips_ports *p);

bool ips_addrs_match(const struct ips_addrs *a, int family,
		     const uint8_t *addr);
bool ips_ports_match(const struct ips_ports *p, uint16_t port);

#endif /* IPS_NETSET_H */
