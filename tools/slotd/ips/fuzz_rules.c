// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_rules.c - libFuzzer target for the IPS rules parser (rule.c,
 * netset.c)
 *
 *	make -C tools fuzz-ips-rules [FUZZ_SECONDS=60]
 *
 * Every input is parsed as a rules file. Each statement is a rule that
 * loads or one error line, so errors never outnumber the lines; every
 * rule loaded has a sid, and its lists are matched against an address
 * and a port to walk them. Seeds: slotd/ips/fuzz_corpus/.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "netset.h"
#include "rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t addr[16] = { 10, 0, 0, 1 };
	struct ips_rules rs;
	unsigned int i, lines = 1;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	ips_rules_init(&rs);
	if (ips_rules_parse(&rs, "fuzz", text))
		abort();	/* only -ENOMEM, which the fuzzer never sees */
	if (rs.n_errs > lines || rs.rejected > rs.n_errs)
		abort();
	for (i = 0; i < rs.n; i++) {
		const struct ips_rule *r = &rs.v[i];

		if (!r->sid || !r->msg || !r->category || !r->priority)
			abort();
		ips_addrs_match(&r->src, AF_INET, addr);
		ips_addrs_match(&r->dst, AF_INET6, addr);
		ips_ports_match(&r->sport, 80);
		ips_ports_match(&r->dport, 0);
	}
	ips_rules_free(&rs);
	free(text);
	return 0;
}
