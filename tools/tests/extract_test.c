// SPDX-License-Identifier: GPL-2.0
/*
 * extract_test.c - the HTTP, TLS and DNS name extractors (extract.c) on
 * real bytes, cut short at every length, and malformed
 */
#include <stdint.h>

#include "../slotd/extract.h"
#include "test.h"

/*
 * A ClientHello as Python's ssl module (OpenSSL 3.0) sends it for
 * server_hostname="www.Example.COM": one 512-byte record, the
 * server_name extension first (at 118, the name at 127..141), padding
 * last.
 */
const uint8_t wr_test_hello[517];
const uint8_t wr_test_hello[517] = {
	0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x14,
	0x42, 0xbd, 0x1e, 0x37, 0x70, 0xd5, 0x6a, 0x75, 0x56, 0xab, 0xde, 0x96,
	0x3a, 0x05, 0x0e, 0x94, 0x0f, 0x77, 0xb7, 0x11, 0x86, 0x7b, 0x31, 0x84,
	0xc4, 0x5b, 0xb7, 0x54, 0x3f, 0x9b, 0x38, 0x20, 0x0b, 0x90, 0x9b, 0x07,
	0x2d, 0x6e, 0x3c, 0x03, 0xd1, 0x77, 0xb7, 0x27, 0xfc, 0xaf, 0xd0, 0xd2,
	0x29, 0x6c, 0xf2, 0x5c, 0xa6, 0x38, 0x17, 0x6a, 0xdb, 0xe4, 0x7f, 0xa0,
	0xfe, 0x61, 0x0f, 0x4c, 0x00, 0x24, 0x13, 0x02, 0x13, 0x03, 0x13, 0x01,
	0xc0, 0x2c, 0xc0, 0x30, 0xc0, 0x2b, 0xc0, 0x2f, 0xcc, 0xa9, 0xcc, 0xa8,
	0xc0, 0x24, 0xc0, 0x28, 0xc0, 0x23, 0xc0, 0x27, 0x00, 0x9f, 0x00, 0x9e,
	0x00, 0x6b, 0x00, 0x67, 0x00, 0xff, 0x01, 0x00, 0x01, 0x8f, 0x00, 0x00,
	0x00, 0x14, 0x00, 0x12, 0x00, 0x00, 0x0f, 0x77, 0x77, 0x77, 0x2e, 0x45,
	0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x43, 0x4f, 0x4d, 0x00, 0x0b,
	0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x16, 0x00, 0x14,
	0x00, 0x1d, 0x00, 0x17, 0x00, 0x1e, 0x00, 0x19, 0x00, 0x18, 0x01, 0x00,
	0x01, 0x01, 0x01, 0x02, 0x01, 0x03, 0x01, 0x04, 0x00, 0x23, 0x00, 0x00,
	0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x2a,
	0x00, 0x28, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07, 0x08, 0x08,
	0x08, 0x09, 0x08, 0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06,
	0x04, 0x01, 0x05, 0x01, 0x06, 0x01, 0x03, 0x03, 0x03, 0x01, 0x03, 0x02,
	0x04, 0x02, 0x05, 0x02, 0x06, 0x02, 0x00, 0x2b, 0x00, 0x05, 0x04, 0x03,
	0x04, 0x03, 0x03, 0x00, 0x2d, 0x00, 0x02, 0x01, 0x01, 0x00, 0x33, 0x00,
	0x26, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0x3f, 0x4e, 0xec, 0x3c, 0x28,
	0x24, 0x03, 0x32, 0x4a, 0x6f, 0x21, 0x45, 0xfe, 0x22, 0x87, 0x60, 0x5f,
	0x84, 0xe1, 0x9a, 0xe5, 0x54, 0x3c, 0x85, 0xb3, 0xad, 0x3f, 0xc0, 0xa8,
	0xb1, 0x1e, 0x68, 0x00, 0x15, 0x00, 0xde, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00,
};

#define hello		wr_test_hello
#define SNI_END		142	/* the name's last byte, plus one */

static const uint8_t *u8(const char *s)
{
	return (const uint8_t *)s;
}

static enum wr_x http(const char *req, struct wr_http *h)
{
	return wr_http_request(u8(req), strlen(req), h);
}

TEST(extract_tls_sni_real_hello)
{
	char host[WR_HOST_MAX];
	unsigned int bad = 0;
	size_t len;

	CHECK_INT(wr_tls_sni(hello, sizeof(hello), host), WR_X_FOUND);
	CHECK_STR(host, "www.example.com");
	/* Every cut before the name's end asks for more, every later finds. */
	CHECK_INT(wr_tls_sni(hello, 0, host), WR_X_NONE);
	for (len = 1; len < sizeof(hello); len++) {
		enum wr_x want = len < SNI_END ? WR_X_MORE : WR_X_FOUND;

		if (wr_tls_sni(hello, len, host) != want) {
			printf("  cut at %zu: %s\n", len,
			       wr_x_name(wr_tls_sni(hello, len, host)));
			bad++;
		}
	}
	CHECK_INT(bad, 0);
	CHECK_STR(host, "www.example.com");
}

TEST(extract_tls_malformed)
{
	char host[WR_HOST_MAX];
	uint8_t b[sizeof(hello)];

#define MUT(off, val, want)						\
	do {								\
		memcpy(b, hello, sizeof(b));				\
		b[off] = (val);						\
		CHECK_INT(wr_tls_sni(b, sizeof(b), host), want);	\
	} while (0)
	MUT(0, 0x17, WR_X_NONE);	/* application data */
	MUT(1, 0x02, WR_X_NONE);	/* SSL 2 */
	MUT(2, 0x05, WR_X_NONE);	/* no TLS 1.4 */
	MUT(5, 0x02, WR_X_NONE);	/* a ServerHello */
	MUT(3, 0x01, WR_X_BAD);		/* record shorter than its hello */
	MUT(3, 0x41, WR_X_BAD);		/* record over 16 KiB */
	MUT(43, 33, WR_X_BAD);		/* session id of 33 bytes */
	MUT(117, 0x8e, WR_X_BAD);	/* extensions overrun the hello */
	MUT(121, 0x15, WR_X_BAD);	/* server_name overruns extensions */
	MUT(123, 0x13, WR_X_BAD);	/* name list != extension body */
	MUT(130, 0x00, WR_X_BAD);	/* a NUL in the name */
	MUT(126, 0x00, WR_X_BAD);	/* an empty name */
	/* Another name type than host_name is skipped: no SNI. */
	memcpy(b, hello, sizeof(b));
	b[124] = 1;
	CHECK_INT(wr_tls_sni(b, sizeof(b), host), WR_X_FOUND);
	CHECK_STR(host, "");
	/* An odd cipher suite length. */
	memcpy(b, hello, sizeof(b));
	b[77] |= 1;
	CHECK_INT(wr_tls_sni(b, sizeof(b), host), WR_X_BAD);
#undef MUT
}

TEST(extract_tls_without_sni)
{
	/* A TLS 1.2 ClientHello without extensions: found, no name. */
	static const uint8_t b[] = {
		0x16, 0x03, 0x01, 0x00, 0x2d,
		0x01, 0x00, 0x00, 0x29, 0x03, 0x03,
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
		0x00, 0x00, 0x02, 0xc0, 0x2f, 0x01, 0x00,
	};
	char host[WR_HOST_MAX] = "x";

	CHECK_INT(wr_tls_sni(b, sizeof(b), host), WR_X_FOUND);
	CHECK_STR(host, "");
	CHECK_INT(wr_tls_sni(b, sizeof(b) - 1, host), WR_X_MORE);
}

TEST(extract_http_requests)
{
	struct wr_http h;

	CHECK_INT(http("GET /a/b?c=d HTTP/1.1\r\nHost: www.Example.com\r\n"
		       "Accept: */*\r\n\r\n", &h), WR_X_FOUND);
	CHECK_STR(h.method, "GET");
	CHECK_STR(h.host, "www.example.com");
	CHECK_STR(h.url, "/a/b?c=d");
	/* Odd spacing and case, bare LF, a port, a trailing dot. */
	CHECK_INT(http("post \t /x  http/1.0\nuser-agent: a\nHOST:\t"
		       "Bad.Example.:8080  \n\n", &h), WR_X_FOUND);
	CHECK_STR(h.method, "POST");
	CHECK_STR(h.host, "bad.example");
	CHECK_STR(h.url, "/x");
	/* The absolute form wins over Host (RFC 9112 3.2.2). */
	CHECK_INT(http("GET http://user@Abs.Example:81/p%2Fq%64 HTTP/1.1\r\n"
		       "Host: other.example\r\n\r\n", &h), WR_X_FOUND);
	CHECK_STR(h.host, "abs.example");
	CHECK_STR(h.url, "/p%2Fqd");	/* only unreserved are decoded */
	CHECK_INT(http("GET https://abs.example HTTP/1.1\r\n", &h),
		  WR_X_FOUND);
	CHECK_STR(h.url, "/");
	CHECK_INT(http("CONNECT tunnel.example:443 HTTP/1.1\r\n", &h),
		  WR_X_FOUND);
	CHECK_STR(h.host, "tunnel.example");
	CHECK_STR(h.url, "");
	CHECK_INT(http("GET / HTTP/1.1\r\nHost: [2001:DB8::1]:80\r\n\r\n", &h),
		  WR_X_FOUND);
	CHECK_STR(h.host, "2001:db8::1");
	/* No Host: found, without a name. */
	CHECK_INT(http("GET / HTTP/1.0\r\nAccept: x\r\n\r\n", &h),
		  WR_X_FOUND);
	CHECK_STR(h.host, "");
	/* A header that only starts like Host does not count. */
	CHECK_INT(http("GET / HTTP/1.1\r\nHostile: a\r\nHost: b\r\n\r\n", &h),
		  WR_X_FOUND);
	CHECK_STR(h.host, "b");
}

TEST(extract_http_partial_and_bad)
{
	const char *req = "GET /index.html HTTP/1.1\r\nHost: a.example\r\n";
	unsigned int bad = 0;
	struct wr_http h;
	size_t len;

	/* Every cut before the Host line's end asks for more. */
	for (len = 1; len < strlen(req); len++) {
		if (wr_http_request(u8(req), len, &h) != WR_X_MORE) {
			printf("  cut at %zu\n", len);
			bad++;
		}
	}
	CHECK_INT(bad, 0);
	CHECK_INT(http(req, &h), WR_X_FOUND);
	CHECK_STR(h.host, "a.example");
	CHECK_INT(http("", &h), WR_X_NONE);
	CHECK_INT(http("GETX / HTTP/1.1\r\n", &h), WR_X_NONE);
	CHECK_INT(http("SSH-2.0-OpenSSH_9.2\r\n", &h), WR_X_NONE);
	CHECK_INT(http("\x16\x03\x01", &h), WR_X_NONE);
	CHECK_INT(http("GET /\r\n", &h), WR_X_BAD);		/* HTTP/0.9 */
	CHECK_INT(http("GET  HTTP/1.1\r\n", &h), WR_X_BAD);
	CHECK_INT(http("GET / HTTP/x.1\r\n", &h), WR_X_BAD);
	CHECK_INT(http("GET / HTTP/1.1 junk\r\n", &h), WR_X_BAD);
	CHECK_INT(http("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", &h), WR_X_BAD);
	CHECK_INT(http("GET http://[::1/ HTTP/1.1\r\n", &h), WR_X_BAD);
}

TEST(extract_http_long_names)
{
	char req[1024], name[300];
	struct wr_http h;

	memset(name, 'a', sizeof(name));
	name[255] = '\0';
	snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: %s\r\n", name);
	CHECK_INT(http(req, &h), WR_X_FOUND);
	CHECK_INT(strlen(h.host), 255);
	name[255] = 'a';
	name[256] = '\0';
	snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: %s\r\n", name);
	CHECK_INT(http(req, &h), WR_X_BAD);
	/* A path longer than WR_URL_MAX is cut. */
	memset(req, 'p', sizeof(req));
	memcpy(req, "GET /", 5);
	strcpy(req + 1000, " HTTP/1.1\r\nHost: h\r\n");
	CHECK_INT(http(req, &h), WR_X_FOUND);
	CHECK_INT(strlen(h.url), 996);
}

/* A DNS query for @qname (wire format, @qlen bytes). */
static size_t dns(uint8_t *b, uint8_t flags, const char *qname, size_t qlen)
{
	static const uint8_t hdr[12] = { 0x12, 0x34, 0x01, 0x00, 0, 1 };

	memcpy(b, hdr, 12);
	b[2] |= flags;
	memcpy(b + 12, qname, qlen);
	memcpy(b + 12 + qlen, "\x00\x01\x00\x01", 4);
	return 12 + qlen + 4;
}

#define Q(s)	s, sizeof(s) - 1

TEST(extract_dns_queries)
{
	char name[WR_HOST_MAX], big[300];
	uint8_t b[600];
	size_t n, i;

	n = dns(b, 0, Q("\x03www\x07" "Example\x03" "com\x00"));
	CHECK_INT(wr_dns_query(b, n, name), WR_X_FOUND);
	CHECK_STR(name, "www.example.com");
	CHECK_INT(wr_dns_query(b, n - 1, name), WR_X_BAD);	/* cut */
	CHECK_INT(wr_dns_query(b, 11, name), WR_X_BAD);
	n = dns(b, 0x80, Q("\x03www\x03" "com\x00"));		/* response */
	CHECK_INT(wr_dns_query(b, n, name), WR_X_NONE);
	n = dns(b, 0x28, Q("\x03www\x03" "com\x00"));		/* UPDATE */
	CHECK_INT(wr_dns_query(b, n, name), WR_X_NONE);
	n = dns(b, 0, Q("\x00"));				/* the root */
	CHECK_INT(wr_dns_query(b, n, name), WR_X_NONE);
	n = dns(b, 0, Q("\x03www\xc0\x0c"));			/* a pointer */
	CHECK_INT(wr_dns_query(b, n, name), WR_X_BAD);
	n = dns(b, 0, Q("\x03www\x40"));			/* ext. label */
	CHECK_INT(wr_dns_query(b, n, name), WR_X_BAD);
	n = dns(b, 0, Q("\x03www\x03w\x00w\x00"));		/* a NUL */
	CHECK_INT(wr_dns_query(b, n, name), WR_X_BAD);
	CHECK_STR(name, "");		/* not "www.w" unterminated */
	n = dns(b, 0, Q("\x09www\x00"));			/* overruns */
	CHECK_INT(wr_dns_query(b, n - 4, name), WR_X_BAD);
	/* Names up to 255 bytes on the wire; beyond, refused. */
	for (i = 0; i < 300; i += 4)
		memcpy(big + i, "\x03" "abc", 4);
	big[252] = 0;
	n = dns(b, 0, big, 253);
	CHECK_INT(wr_dns_query(b, n, name), WR_X_FOUND);
	CHECK_INT(strlen(name), 251);
	big[252] = 3;
	big[256] = 0;
	n = dns(b, 0, big, 257);
	CHECK_INT(wr_dns_query(b, n, name), WR_X_BAD);
	/* No question. */
	n = dns(b, 0, Q("\x03www\x00"));
	b[5] = 0;
	CHECK_INT(wr_dns_query(b, n, name), WR_X_NONE);
}
