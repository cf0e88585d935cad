/* SPDX-License-Identifier: GPL-2.0 */
/*
 * extract.h - the name a connection asks for: HTTP Host and URL, TLS SNI,
 * DNS query name
 *
 * Each extractor reads untrusted bytes (the start of a TCP stream, or
 * one UDP payload) and answers:
 *
 *	WR_X_NONE	not this protocol
 *	WR_X_MORE	this protocol so far, but the bytes end before the
 *			name does: call again with more
 *	WR_X_FOUND	done; the name is in the output ("" when the
 *			protocol's message is complete and has none)
 *	WR_X_BAD	this protocol, but malformed
 *
 * Names come out lowercased, without a trailing dot; an HTTP Host loses
 * its port. None of them recurses or reads past @len.
 */
#ifndef WR_EXTRACT_H
#define WR_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#define WR_HOST_MAX	256	/* a name and its NUL */
#define WR_URL_MAX	1024	/* a path kept for lookups and logs */

enum wr_x {
	WR_X_NONE,
	WR_X_MORE,
	WR_X_FOUND,
	WR_X_BAD,
};

struct wr_http {
	char method[16];
	char host[WR_HOST_MAX];
	char url[WR_URL_MAX];	/* the path, unreserved %XX decoded */
};

enum wr_x wr_http_request(const uint8_t *p, size_t len, struct wr_http *h);
enum wr_x wr_tls_sni(const uint8_t *p, size_t len, char host[WR_HOST_MAX]);
enum wr_x wr_dns_query(const uint8_t *p, size_t len, char name[WR_HOST_MAX]);

const char *wr_x_name(enum wr_x x);

#endif /* WR_EXTRACT_H */
