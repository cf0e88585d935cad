// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_webrep_extract.c - libFuzzer target for webrep's parsers of
 * packets: l4.c (which ips shares), extract.c, and the flow buffer of
 * webrep_flow.c
 *
 *	make -C tools fuzz-webrep-extract [FUZZ_SECONDS=300]
 *
 * Each input goes whole to sd_l4_parse(), whose payload must lie in it
 * (and within what the IP header says), and to the three extractors,
 * whose names must be NUL-terminated, shorter than WR_HOST_MAX and in
 * lowercase. Then the input is sent as a stream in two segments (the
 * first byte says where it is cut) through a wr_flow, as webrep does:
 * whatever an extractor decides on the first segment (anything but
 * WR_X_MORE) it must decide the same, with the same name, on the whole.
 * Seeds: slotd/fuzz_corpus_webrep_extract/.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "l4.h"
#include "webrep_flow.h"

static void check_name(const char *s)
{
	size_t n = strnlen(s, WR_HOST_MAX);

	if (n == WR_HOST_MAX)
		abort();
	for (; *s; s++) {
		if (*s >= 'A' && *s <= 'Z')
			abort();
	}
}

/* The same decision on @a (a prefix) and @b, unless @a wanted more. */
static void same(enum wr_x xa, const char *a, enum wr_x xb, const char *b)
{
	if (xa == WR_X_MORE)
		return;
	if (xa != xb || (xa == WR_X_FOUND && strcmp(a, b)))
		abort();
}

static void stream(const uint8_t *data, size_t size)
{
	static struct wr_flows *flows;
	char ha[WR_HOST_MAX], hb[WR_HOST_MAX];
	struct wr_http pa, pb;
	struct wr_flow *f;
	size_t cut;

	if (!flows && !(flows = wr_flows_new(4)))
		abort();
	if (size < 3)
		return;
	cut = 1 + data[0] % (size - 2);	/* both segments have bytes */
	data++;
	size--;
	f = wr_flow_new(flows, 1, 1, 0, 1000, 0);
	if (!f)
		abort();
	if (wr_flow_add(f, 1000, data, cut) != WR_SEG_NEW ||
	    wr_flow_add(f, 1000, data, cut) != WR_SEG_OLD)
		abort();
	same(wr_http_request(f->buf, f->len, &pa), pa.host,
	     wr_http_request(data, size, &pb), pb.host);
	same(wr_tls_sni(f->buf, f->len, ha), ha, wr_tls_sni(data, size, hb),
	     hb);
	if (wr_flow_add(f, 1000 + cut, data + cut, size - cut) != WR_SEG_NEW)
		abort();
	if (size <= WR_FLOW_BUF &&
	    (f->len != size || memcmp(f->buf, data, size)))
		abort();
	wr_flow_del(flows, f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char host[WR_HOST_MAX];
	struct wr_http h;
	struct sd_l4 l4;

	if (!sd_l4_parse(data, size, &l4) &&
	    (l4.payload < data || l4.payload + l4.payload_len > data + size ||
	     l4.payload_len > l4.seg_len ||
	     (l4.has_ports && l4.proto != IPPROTO_TCP &&
	      l4.proto != IPPROTO_UDP)))
		abort();
	wr_http_request(data, size, &h);
	check_name(h.host);
	if (strnlen(h.url, WR_URL_MAX) == WR_URL_MAX ||
	    strnlen(h.method, sizeof(h.method)) == sizeof(h.method))
		abort();
	wr_tls_sni(data, size, host);
	check_name(host);
	wr_dns_query(data, size, host);
	check_name(host);
	stream(data, size);
	return 0;
}
