// SPDX-License-Identifier: GPL-2.0
/*
 * extract.c - HTTP/1.x request host and URL, TLS ClientHello SNI, DNS
 * query name, from untrusted bytes
 *
 * Written here rather than taken from nDPI (issue 6 prefers it): nDPI's
 * per-flow detection wants every packet of a flow and its own flow
 * state, while webrep needs one name from the first bytes of a stream,
 * and asks for continue-flow as soon as it has it. The three parsers are
 * small, loop only over bytes they have bounds-checked, never recurse,
 * and are fuzzed (fuzz_webrep_extract.c).
 *
 * HTTP: a request line "METHOD SP target SP HTTP/d.d" with a method of
 * RFC 9110 in any case, blanks being runs of spaces and tabs, lines
 * ending in LF or CRLF. The host is the absolute-form target's authority
 * (RFC 9112 3.2.2: it overrides Host), CONNECT's authority, or the first
 * Host header (name in any case, value trimmed); userinfo and port are
 * cut. A request whose headers end without a Host is FOUND with host "".
 *
 * TLS: one record of type handshake (0x16, version 3.x) whose first
 * handshake message is a ClientHello; the SNI is the first host_name of
 * the server_name extension. The record may arrive in pieces (WR_X_MORE
 * until it is whole or the SNI is seen); a ClientHello continued in a
 * second record is WR_X_BAD, as are lengths that disagree.
 *
 * DNS: a standard query (QR 0, opcode 0) with at least one question;
 * the first question's name. Compression pointers have no place in a
 * query's first name and are refused, as are names longer than 255
 * bytes on the wire.
 */
#include <string.h>
#include <strings.h>

#include "extract.h"

static const char *const methods[] = {
	"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
	"TRACE", "PATCH",
};

static uint8_t lc(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lc(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int unreserved(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

/* Copy a name lowercased, without a trailing dot; -1 if it cannot be one. */
static int copy_name(const uint8_t *s, size_t n, char *out)
{
	size_t i;

	if (n && s[n - 1] == '.')
		n--;
	if (n >= WR_HOST_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		if (!s[i]) {
			out[0] = '\0';
			return -1;
		}
		out[i] = lc(s[i]);
	}
	out[n] = '\0';
	return 0;
}

/* The host of an authority "[userinfo@]host[:port]". */
static int authority_host(const uint8_t *a, size_t n, char *out)
{
	size_t i, end;

	for (i = n; i > 0; i--) {
		if (a[i - 1] == '@') {
			a += i;
			n -= i;
			break;
		}
	}
	if (n && a[0] == '[') {
		for (end = 1; end < n && a[end] != ']'; end++)
			;
		if (end == n)
			return -1;
		return copy_name(a + 1, end - 1, out);	/* without [ ] */
	}
	for (end = 0; end < n && a[end] != ':'; end++)
		;
	return copy_name(a, end, out);
}

/* The path, with %XX of unreserved characters decoded, cut to fit. */
static void copy_url(const uint8_t *s, size_t n, char *out)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n && o < WR_URL_MAX - 1; i++) {
		if (s[i] == '%' && i + 2 < n) {
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi >= 0 && lo >= 0 && unreserved(hi << 4 | lo)) {
				out[o++] = (char)(hi << 4 | lo);
				i += 2;
				continue;
			}
		}
		out[o++] = s[i] ? (char)s[i] : '?';
	}
	out[o] = '\0';
}

/* FOUND when @p starts with a method and a blank, MORE with a prefix. */
static enum wr_x http_method(const uint8_t *p, size_t len, struct wr_http *h,
			     size_t *off)
{
	enum wr_x ret = WR_X_NONE;
	size_t i, n;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		n = strlen(methods[i]);
		if (strncasecmp((const char *)p, methods[i],
				len < n ? len : n))
			continue;
		if (len <= n) {
			ret = WR_X_MORE;
			continue;
		}
		if (!blank(p[n]))
			continue;
		strcpy(h->method, methods[i]);
		*off = n;
		return WR_X_FOUND;
	}
	return ret;
}

/* The end of the line starting at @pos (its LF), or 0 if it has none. */
static size_t line_end(const uint8_t *p, size_t len, size_t pos)
{
	const uint8_t *lf = memchr(p + pos, '\n', len - pos);

	return lf ? (size_t)(lf - p) : 0;
}

/* The request target: the host it names, if any, and the path. */
static enum wr_x http_target(const uint8_t *t, size_t n, struct wr_http *h)
{
	size_t i = 0, skip = 0;

	if (!strcmp(h->method, "CONNECT"))
		return authority_host(t, n, h->host) ? WR_X_BAD : WR_X_FOUND;
	if (n >= 7 && !strncasecmp((const char *)t, "http://", 7))
		skip = 7;
	else if (n >= 8 && !strncasecmp((const char *)t, "https://", 8))
		skip = 8;
	if (skip) {
		for (i = skip; i < n && t[i] != '/' && t[i] != '?' &&
			       t[i] != '#'; i++)
			;
		if (authority_host(t + skip, i - skip, h->host))
			return WR_X_BAD;
		if (i == n) {
			strcpy(h->url, "/");
			return WR_X_FOUND;
		}
	}
	copy_url(t + i, n - i, h->url);
	return WR_X_FOUND;
}

static enum wr_x http_request_line(const uint8_t *p, size_t le, size_t pos,
				   struct wr_http *h)
{
	size_t t;

	while (pos < le && blank(p[pos]))
		pos++;
	for (t = pos; pos < le && !blank(p[pos]); pos++)
		;
	if (pos == t || http_target(p + t, pos - t, h) != WR_X_FOUND)
		return WR_X_BAD;
	while (pos < le && blank(p[pos]))
		pos++;
	if (le - pos < 8 || strncasecmp((const char *)p + pos, "HTTP/", 5) ||
	    p[pos + 5] < '0' || p[pos + 5] > '9' || p[pos + 6] != '.' ||
	    p[pos + 7] < '0' || p[pos + 7] > '9')
		return WR_X_BAD;
	for (pos += 8; pos < le && blank(p[pos]); pos++)
		;
	return pos == le ? WR_X_FOUND : WR_X_BAD;
}

enum wr_x wr_http_request(const uint8_t *p, size_t len, struct wr_http *h)
{
	size_t pos = 0, lf, le;
	enum wr_x ret;

	memset(h, 0, sizeof(*h));
	if (!len)
		return WR_X_NONE;
	ret = http_method(p, len, h, &pos);
	if (ret != WR_X_FOUND)
		return ret;
	lf = line_end(p, len, pos);
	if (!lf)
		return WR_X_MORE;
	le = lf && p[lf - 1] == '\r' ? lf - 1 : lf;
	if (http_request_line(p, le, pos, h) != WR_X_FOUND)
		return WR_X_BAD;
	if (h->host[0] || !strcmp(h->method, "CONNECT"))
		return WR_X_FOUND;
	for (pos = lf + 1; pos < len; pos = lf + 1) {
		lf = line_end(p, len, pos);
		if (!lf)
			return WR_X_MORE;
		le = lf > pos && p[lf - 1] == '\r' ? lf - 1 : lf;
		if (le == pos)
			return WR_X_FOUND;	/* the headers end */
		if (le - pos < 5 || strncasecmp((const char *)p + pos,
						"host:", 5))
			continue;
		for (pos += 5; pos < le && blank(p[pos]); pos++)
			;
		while (le > pos && blank(p[le - 1]))
			le--;
		return authority_host(p + pos, le - pos, h->host) ?
		       WR_X_BAD : WR_X_FOUND;
	}
	return WR_X_MORE;
}

/*
 * A reader over a TLS record: @end is where the bytes we have stop,
 * @limit where the message does. Reading past @end is WR_X_MORE if the
 * message goes on beyond what we have, WR_X_BAD if it does not.
 */
struct cur {
	const uint8_t *p;
	size_t pos, end, limit;
};

static enum wr_x need(const struct cur *c, size_t n, size_t limit)
{
	if (c->pos + n > limit)
		return WR_X_BAD;
	if (c->pos + n > c->end)
		return WR_X_MORE;
	return WR_X_FOUND;
}

#define NEED(c, n, limit)						\
	do {								\
		enum wr_x _r = need(c, n, limit);			\
		if (_r != WR_X_FOUND)					\
			return _r;					\
	} while (0)

static size_t u16(struct cur *c)
{
	c->pos += 2;
	return (size_t)c->p[c->pos - 2] << 8 | c->p[c->pos - 1];
}

/* The server_name extension's body, [c->pos, end). */
static enum wr_x sni_ext(struct cur *c, size_t end, char *host)
{
	size_t n;
	uint8_t type;

	NEED(c, 2, end);
	n = u16(c);
	if (c->pos + n != end)
		return WR_X_BAD;
	while (c->pos < end) {
		NEED(c, 3, end);
		type = c->p[c->pos++];
		n = u16(c);
		NEED(c, n, end);
		if (type == 0) {
			if (!n || copy_name(c->p + c->pos, n, host))
				return WR_X_BAD;
			return WR_X_FOUND;
		}
		c->pos += n;
	}
	return WR_X_FOUND;
}

static enum wr_x client_hello(struct cur *c, char *host)
{
	size_t n, ext_end, type;

	NEED(c, 2 + 32 + 1, c->limit);		/* version, random, sid */
	c->pos += 34;
	n = c->p[c->pos++];
	if (n > 32)
		return WR_X_BAD;
	NEED(c, n + 2, c->limit);
	c->pos += n;
	n = u16(c);				/* cipher suites */
	if (!n || n & 1)
		return WR_X_BAD;
	NEED(c, n + 1, c->limit);
	c->pos += n;
	n = c->p[c->pos++];			/* compression methods */
	NEED(c, n, c->limit);
	c->pos += n;
	if (c->pos == c->limit)
		return WR_X_FOUND;		/* no extensions */
	NEED(c, 2, c->limit);
	n = u16(c);
	ext_end = c->pos + n;
	if (ext_end != c->limit)
		return WR_X_BAD;
	while (c->pos < ext_end) {
		NEED(c, 4, ext_end);
		type = u16(c);
		n = u16(c);
		if (c->pos + n > ext_end)
			return WR_X_BAD;
		if (type == 0)
			return sni_ext(c, c->pos + n, host);
		NEED(c, n, ext_end);
		c->pos += n;
	}
	return WR_X_FOUND;
}

enum wr_x wr_tls_sni(const uint8_t *p, size_t len, char host[WR_HOST_MAX])
{
	struct cur c = { .p = p, .pos = 5 };
	size_t rlen, hlen;

	host[0] = '\0';
	if (!len || p[0] != 0x16 || (len > 1 && p[1] != 3) ||
	    (len > 2 && p[2] > 4) || (len > 5 && p[5] != 1))
		return WR_X_NONE;
	if (len < 9)
		return WR_X_MORE;
	rlen = (size_t)p[3] << 8 | p[4];
	hlen = (size_t)p[6] << 16 | (size_t)p[7] << 8 | p[8];
	/* The ClientHello must fit its record: not split across records. */
	if (rlen > 16384 || hlen + 4 > rlen)
		return WR_X_BAD;
	c.pos = 9;
	c.limit = 9 + hlen;
	c.end = len < c.limit ? len : c.limit;
	return client_hello(&c, host);
}

static enum wr_x dns_name(const uint8_t *p, size_t len, char *name)
{
	size_t pos = 12, o = 0, n;

	if (len < 12)
		return WR_X_BAD;
	if (p[2] & 0xf8 || !(p[4] | p[5]))	/* QR, opcode; QDCOUNT */
		return WR_X_NONE;
	for (;;) {
		if (pos >= len)
			return WR_X_BAD;
		n = p[pos++];
		if (!n)
			break;
		/* 255 bytes on the wire at most, the root label included */
		if (n & 0xc0 || pos + n > len || pos - 12 + n + 1 > 255)
			return WR_X_BAD;
		if (o)
			name[o++] = '.';
		if (copy_name(p + pos, n, name + o) ||
		    strlen(name + o) != n)
			return WR_X_BAD;
		o += n;
		pos += n;
	}
	if (pos + 4 > len)
		return WR_X_BAD;
	name[o] = '\0';
	return o ? WR_X_FOUND : WR_X_NONE;
}

enum wr_x wr_dns_query(const uint8_t *p, size_t len, char name[WR_HOST_MAX])
{
	enum wr_x x = dns_name(p, len, name);

	if (x != WR_X_FOUND)
		name[0] = '\0';
	return x;
}

const char *wr_x_name(enum wr_x x)
{
	static const char *const names[] = {
		[WR_X_NONE] = "none", [WR_X_MORE] = "more",
		[WR_X_FOUND] = "found", [WR_X_BAD] = "bad",
	};

	return x <= WR_X_BAD ? names[x] : "?";
}
