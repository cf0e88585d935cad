// SPDX-License-Identifier: GPL-2.0
/*
 * frame.c - encode and decode the frames of slotsvc.h
 *
 * The decoder is the one place that reads bytes a service sent, so it
 * reads them as untrusted: fixed parts are copied out with memcpy() (a
 * datagram need not be aligned), every length is checked against the
 * frame before it is used, and the first rule broken is named in @why.
 * It keeps no state: what needs the connection's state (the HELLO came
 * first, the version was offered, the packet ids are in flight, the PONG
 * answers the PING) is judged by the caller.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "frame.h"

static const char *const type_names[__SLOTSVC_T_MAX] = {
	[SLOTSVC_T_HELLO]	= "HELLO",
	[SLOTSVC_T_HELLO_REPLY]	= "HELLO_REPLY",
	[SLOTSVC_T_PACKET]	= "PACKET",
	[SLOTSVC_T_VERDICT]	= "VERDICT",
	[SLOTSVC_T_PING]	= "PING",
	[SLOTSVC_T_PONG]	= "PONG",
	[SLOTSVC_T_CLOSE]	= "CLOSE",
	[SLOTSVC_T_ALERT]	= "ALERT",
	[SLOTSVC_T_QUARANTINE]	= "QUARANTINE",
};

/* Who may send each type. */
static const enum sd_side type_sender[__SLOTSVC_T_MAX] = {
	[SLOTSVC_T_HELLO]	= SD_SIDE_SLOTD,
	[SLOTSVC_T_HELLO_REPLY]	= SD_SIDE_SERVICE,
	[SLOTSVC_T_PACKET]	= SD_SIDE_SLOTD,
	[SLOTSVC_T_VERDICT]	= SD_SIDE_SERVICE,
	[SLOTSVC_T_PING]	= SD_SIDE_SLOTD,
	[SLOTSVC_T_PONG]	= SD_SIDE_SERVICE,
	[SLOTSVC_T_CLOSE]	= SD_SIDE_SLOTD,
	[SLOTSVC_T_ALERT]	= SD_SIDE_SERVICE,
	[SLOTSVC_T_QUARANTINE]	= SD_SIDE_SERVICE,
};

static void put_hdr(void *buf, uint16_t type, size_t len)
{
	struct slotsvc_hdr hdr = { .type = type, .len = len };

	memcpy(buf, &hdr, sizeof(hdr));
}

/* Copy @s into a NUL-padded field of @size bytes; false if too long. */
static bool put_name(char *field, size_t size, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n >= size)
		return false;
	memset(field, 0, size);
	memcpy(field, s ? s : "", n);
	return true;
}

size_t sd_frame_hello(void *buf, size_t size, const char *service)
{
	struct slotsvc_hello h = {
		.version_min = SLOTSVC_VERSION_MIN,
		.version_max = SLOTSVC_VERSION,
		.frame_max = SLOTSVC_FRAME_MAX,
	};

	if (size < sizeof(h) ||
	    !put_name(h.service, sizeof(h.service), service))
		return 0;
	memcpy(buf, &h, sizeof(h));
	put_hdr(buf, SLOTSVC_T_HELLO, sizeof(h));
	return sizeof(h);
}

size_t sd_frame_hello_reply(void *buf, size_t size, uint32_t version,
			    uint32_t max_inflight, const char *name)
{
	struct slotsvc_hello_reply r = {
		.version = version,
		.max_inflight = max_inflight,
	};

	if (size < sizeof(r) || !put_name(r.name, sizeof(r.name), name))
		return 0;
	memcpy(buf, &r, sizeof(r));
	put_hdr(buf, SLOTSVC_T_HELLO_REPLY, sizeof(r));
	return sizeof(r);
}

size_t sd_frame_packet(void *buf, size_t size, const struct sd_packet *pkt)
{
	struct slotsvc_packet p = {
		.id = pkt->id,
		.flow_id = pkt->flow_id,
		.ifindex = pkt->ifindex,
		.rule_id = pkt->rule_id,
		.orig_len = pkt->orig_len,
		.generation = pkt->generation,
		.l3proto = pkt->l3proto,
		.direction = pkt->dir,
		.slot = pkt->slot,
		.ntags = pkt->ntags,
		.pflags = pkt->gso ? SLOTSVC_PACKET_F_GSO : 0,
	};
	size_t tags = (size_t)pkt->ntags * SLOTSVC_NAME_MAX;
	size_t len = sizeof(p) + tags + pkt->len;
	char *t = (char *)buf + sizeof(p);
	unsigned int i;

	if (pkt->ntags > SLOTSVC_TAGS_MAX || len > size ||
	    len > SLOTSVC_FRAME_MAX ||
	    !put_name(p.ifname, sizeof(p.ifname), pkt->ifname) ||
	    !put_name(p.service, sizeof(p.service), pkt->service))
		return 0;
	for (i = 0; i < pkt->ntags; i++, t += SLOTSVC_NAME_MAX) {
		if (!put_name(t, SLOTSVC_NAME_MAX, pkt->tags[i]))
			return 0;
	}
	memcpy(buf, &p, sizeof(p));
	put_hdr(buf, SLOTSVC_T_PACKET, len);
	if (pkt->len)
		memcpy(t, pkt->data, pkt->len);
	return len;
}

size_t sd_frame_ping(void *buf, size_t size, uint16_t type, uint64_t cookie)
{
	struct slotsvc_ping p = { .cookie = cookie };

	if (size < sizeof(p))
		return 0;
	memcpy(buf, &p, sizeof(p));
	put_hdr(buf, type, sizeof(p));
	return sizeof(p);
}

size_t sd_frame_close(void *buf, size_t size, const char *msg)
{
	size_t len = sizeof(struct slotsvc_close) + strlen(msg) + 1;

	if (len > size)
		return 0;
	put_hdr(buf, SLOTSVC_T_CLOSE, len);
	memcpy((char *)buf + sizeof(struct slotsvc_close), msg,
	       strlen(msg) + 1);
	return len;
}

/* Whether @s is @min .. @max - 1 bytes without a newline: a line. */
static bool line_ok(const char *s, size_t min, size_t max)
{
	size_t n = strnlen(s, max);

	return n >= min && n < max && !memchr(s, '\n', n);
}

size_t sd_frame_alert(void *buf, size_t size, const char *json)
{
	size_t n = strnlen(json, SLOTSVC_ALERT_MAX);
	size_t len = sizeof(struct slotsvc_alert) + n + 1;

	if (!line_ok(json, 1, SLOTSVC_ALERT_MAX) || len > size)
		return 0;
	put_hdr(buf, SLOTSVC_T_ALERT, len);
	memcpy((char *)buf + sizeof(struct slotsvc_alert), json, n + 1);
	return len;
}

size_t sd_frame_quarantine(void *buf, size_t size, uint64_t id, uint32_t ttl,
			   const char *reason)
{
	struct slotsvc_quarantine q = { .id = id, .ttl = ttl };
	size_t n = strnlen(reason, SLOTSVC_REASON_MAX);
	size_t len = sizeof(q) + n + 1;

	if (ttl > SLOTSVC_TTL_MAX || !line_ok(reason, 0, SLOTSVC_REASON_MAX) ||
	    len > size)
		return 0;
	memcpy(buf, &q, sizeof(q));
	put_hdr(buf, SLOTSVC_T_QUARANTINE, len);
	memcpy((char *)buf + sizeof(q), reason, n + 1);
	return len;
}

void sd_vframe_init(struct sd_vframe *vf, void *buf, size_t size)
{
	vf->buf = buf;
	vf->size = size;
	vf->len = sizeof(struct slotsvc_verdicts);
	vf->count = 0;
}

bool sd_vframe_add(struct sd_vframe *vf, const struct sd_verdict *v)
{
	struct slotsvc_verdict e = {
		.id = v->id,
		.verdict = v->verdict,
		.vflags = v->repl ? SLOTSVC_VERDICT_F_REPLACE : 0,
		.len = v->repl ? v->repl_len : 0,
	};
	size_t need = sizeof(e) + SLOTSVC_ALIGN(e.len);

	if (vf->count == SLOTSVC_VERDICTS_MAX || vf->len + need > vf->size ||
	    vf->len + need > SLOTSVC_FRAME_MAX)
		return false;
	memcpy(vf->buf + vf->len, &e, sizeof(e));
	memset(vf->buf + vf->len + sizeof(e), 0, SLOTSVC_ALIGN(e.len));
	if (e.len)
		memcpy(vf->buf + vf->len + sizeof(e), v->repl, e.len);
	vf->len += need;
	vf->count++;
	return true;
}

/* The frame's length; 0 if it holds no verdict. */
size_t sd_vframe_end(struct sd_vframe *vf)
{
	struct slotsvc_verdicts h = { .count = vf->count };

	if (!vf->count)
		return 0;
	h.hdr.type = SLOTSVC_T_VERDICT;
	h.hdr.len = vf->len;
	memcpy(vf->buf, &h, sizeof(h));
	return vf->len;
}

__attribute__((format(printf, 2, 3)))
static int reject(struct sd_frame *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->why, sizeof(f->why), fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

/* Whether a NUL-padded field holds a NUL-terminated string. */
static bool name_ok(const char *field, size_t size)
{
	return memchr(field, '\0', size) != NULL;
}

static bool zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--) {
		if (*b++)
			return false;
	}
	return true;
}

static int want_len(struct sd_frame *f, size_t want)
{
	if (f->len != want)
		return reject(f, "%s frame of %u bytes, want %zu",
			      type_names[f->type], f->len, want);
	return 0;
}

static int decode_hello(const uint8_t *buf, struct sd_frame *f)
{
	struct slotsvc_hello h;

	if (want_len(f, sizeof(h)))
		return -EBADMSG;
	memcpy(&h, buf, sizeof(h));
	if (h.reserved)
		return reject(f, "HELLO: reserved field is not 0");
	if (!name_ok(h.service, sizeof(h.service)))
		return reject(f, "HELLO: service name is not NUL-terminated");
	if (!h.version_min || h.version_min > h.version_max)
		return reject(f, "HELLO: bad version range %u..%u",
			      h.version_min, h.version_max);
	f->u.hello.version_min = h.version_min;
	f->u.hello.version_max = h.version_max;
	f->u.hello.frame_max = h.frame_max;
	f->u.hello.service = (const char *)buf +
			     offsetof(struct slotsvc_hello, service);
	return 0;
}

static int decode_reply(const uint8_t *buf, struct sd_frame *f)
{
	struct slotsvc_hello_reply r;

	if (want_len(f, sizeof(r)))
		return -EBADMSG;
	memcpy(&r, buf, sizeof(r));
	if (!zero(r.reserved, sizeof(r.reserved)))
		return reject(f, "HELLO_REPLY: reserved field is not 0");
	if (!name_ok(r.name, sizeof(r.name)))
		return reject(f, "HELLO_REPLY: name is not NUL-terminated");
	f->u.reply.version = r.version;
	f->u.reply.max_inflight = r.max_inflight;
	f->u.reply.name = (const char *)buf +
			  offsetof(struct slotsvc_hello_reply, name);
	return 0;
}

static int decode_packet(const uint8_t *buf, struct sd_frame *f)
{
	struct sd_packet *pkt = &f->u.packet;
	struct slotsvc_packet p;
	size_t tags;
	unsigned int i;

	if (f->len < sizeof(p))
		return reject(f, "PACKET frame of %u bytes, want at least %zu",
			      f->len, sizeof(p));
	memcpy(&p, buf, sizeof(p));
	if (p.ntags > SLOTSVC_TAGS_MAX)
		return reject(f, "PACKET: %u tags, at most %u", p.ntags,
			      SLOTSVC_TAGS_MAX);
	tags = (size_t)p.ntags * SLOTSVC_NAME_MAX;
	if (f->len < sizeof(p) + tags)
		return reject(f, "PACKET: %u tags do not fit %u bytes",
			      p.ntags, f->len);
	if (p.pflags & ~SLOTSVC_PACKET_F_GSO)
		return reject(f, "PACKET: unknown flags 0x%x", p.pflags);
	if (p.direction > SLOTSVC_DIR_EGRESS)
		return reject(f, "PACKET: bad direction %u", p.direction);
	if (!name_ok(p.ifname, sizeof(p.ifname)) ||
	    !name_ok(p.service, sizeof(p.service)))
		return reject(f, "PACKET: a name is not NUL-terminated");
	memset(pkt, 0, sizeof(*pkt));
	for (i = 0; i < p.ntags; i++) {
		const char *t = (const char *)buf + sizeof(p) +
				i * SLOTSVC_NAME_MAX;

		if (!name_ok(t, SLOTSVC_NAME_MAX))
			return reject(f, "PACKET: tag %u is not NUL-terminated",
				      i);
		pkt->tags[i] = t;
	}
	pkt->id = p.id;
	pkt->flow_id = p.flow_id;
	pkt->ifindex = p.ifindex;
	pkt->rule_id = p.rule_id;
	pkt->orig_len = p.orig_len;
	pkt->generation = p.generation;
	pkt->l3proto = p.l3proto;
	pkt->dir = p.direction;
	pkt->slot = p.slot;
	pkt->gso = p.pflags & SLOTSVC_PACKET_F_GSO;
	pkt->ifname = (const char *)buf + offsetof(struct slotsvc_packet,
						   ifname);
	pkt->service = (const char *)buf + offsetof(struct slotsvc_packet,
						    service);
	pkt->ntags = p.ntags;
	pkt->data = buf + sizeof(p) + tags;
	pkt->len = f->len - sizeof(p) - tags;
	return 0;
}

/*
 * Whether @p is an IPv4 or IPv6 packet whose header says it is @len bytes
 * long: the kernel refuses a VERDICT message with any other replacement
 * whole, so slotd refuses it here, before it can cost other verdicts.
 */
static bool ip_packet(const uint8_t *p, uint32_t len)
{
	uint32_t ihl;

	if (len >= 20 && p[0] >> 4 == 4) {
		ihl = (p[0] & 0xf) * 4U;
		return ihl >= 20 && ihl <= len &&
		       ((uint32_t)p[2] << 8 | p[3]) == len;
	}
	if (len >= 40 && p[0] >> 4 == 6)
		return ((uint32_t)p[4] << 8 | p[5]) + 40 == len;
	return false;
}

/* Check entry @i at @at of a VERDICT frame; its size in *@size. */
static int check_verdict(const uint8_t *at, const uint8_t *end,
			 unsigned int i, struct sd_frame *f, size_t *size)
{
	struct slotsvc_verdict e;
	size_t padded;

	if ((size_t)(end - at) < sizeof(e))
		return reject(f, "VERDICT: entry %u of %u is cut short", i,
			      f->u.verdicts.count);
	memcpy(&e, at, sizeof(e));
	if (e.verdict == SLOTSVC_V_UNSPEC || e.verdict >= __SLOTSVC_V_MAX)
		return reject(f, "VERDICT: entry %u: unknown verdict %u", i,
			      e.verdict);
	if (e.vflags & ~SLOTSVC_VERDICT_F_REPLACE)
		return reject(f, "VERDICT: entry %u: unknown flags 0x%x", i,
			      e.vflags);
	if (e.pad)
		return reject(f, "VERDICT: entry %u: padding is not 0", i);
	if (!(e.vflags & SLOTSVC_VERDICT_F_REPLACE)) {
		if (e.len)
			return reject(f, "VERDICT: entry %u: length %u without a replacement",
				      i, e.len);
		*size = sizeof(e);
		return 0;
	}
	if (e.verdict != SLOTSVC_V_CONTINUE &&
	    e.verdict != SLOTSVC_V_CONTINUE_FLOW)
		return reject(f, "VERDICT: entry %u: a %s verdict cannot replace the packet",
			      i, sd_verdict_name(e.verdict));
	if (!e.len || e.len > SLOTSVC_REPLACE_MAX)
		return reject(f, "VERDICT: entry %u: replacement of %u bytes, want 1 to %u",
			      i, e.len, SLOTSVC_REPLACE_MAX);
	padded = SLOTSVC_ALIGN(e.len);
	if ((size_t)(end - at) - sizeof(e) < padded)
		return reject(f, "VERDICT: entry %u: replacement of %u bytes runs past the frame",
			      i, e.len);
	if (!zero(at + sizeof(e) + e.len, padded - e.len))
		return reject(f, "VERDICT: entry %u: padding is not 0", i);
	if (!ip_packet(at + sizeof(e), e.len))
		return reject(f, "VERDICT: entry %u: the replacement is not an IPv4 or IPv6 packet of %u bytes",
			      i, e.len);
	*size = sizeof(e) + padded;
	return 0;
}

static int decode_verdicts(const uint8_t *buf, struct sd_frame *f)
{
	const uint8_t *at, *end = buf + f->len;
	struct slotsvc_verdicts h;
	unsigned int i;
	size_t size = 0;

	if (f->len < sizeof(h))
		return reject(f, "VERDICT frame of %u bytes, want at least %zu",
			      f->len, sizeof(h));
	memcpy(&h, buf, sizeof(h));
	if (h.pad)
		return reject(f, "VERDICT: padding is not 0");
	if (!h.count || h.count > SLOTSVC_VERDICTS_MAX)
		return reject(f, "VERDICT: count %u, want 1 to %u", h.count,
			      SLOTSVC_VERDICTS_MAX);
	f->u.verdicts.count = h.count;
	at = buf + sizeof(h);
	for (i = 0; i < h.count; i++, at += size) {
		if (check_verdict(at, end, i, f, &size))
			return -EBADMSG;
	}
	if (at != end)
		return reject(f, "VERDICT: %zu bytes after the last of %u entries",
			      (size_t)(end - at), h.count);
	f->u.verdicts.next = buf + sizeof(h);
	f->u.verdicts.end = end;
	return 0;
}

static int decode_close(const uint8_t *buf, struct sd_frame *f)
{
	size_t n = f->len - sizeof(struct slotsvc_close);

	if (!n || buf[f->len - 1] != '\0' ||
	    memchr(buf + sizeof(struct slotsvc_close), '\0', n) !=
	    buf + f->len - 1)
		return reject(f, "CLOSE: the message is not one NUL-terminated string");
	f->u.msg = (const char *)buf + sizeof(struct slotsvc_close);
	return 0;
}

/*
 * The @what of a frame of @type, from @at to the frame's @end: @min ..
 * @max - 1 bytes with neither NUL nor newline, then the frame's last
 * byte, a NUL.
 */
static int check_line(struct sd_frame *f, const char *what,
		      const uint8_t *at, const uint8_t *end, size_t min,
		      size_t max)
{
	const char *type = type_names[f->type];
	size_t n = end - at;

	if (!n || end[-1] != '\0')
		return reject(f, "%s: the %s is not NUL-terminated at the end of the frame",
			      type, what);
	n--;
	if (memchr(at, '\0', n))
		return reject(f, "%s: the %s holds a NUL before the end of the frame",
			      type, what);
	if (memchr(at, '\n', n))
		return reject(f, "%s: the %s holds a newline", type, what);
	if (n < min)
		return reject(f, "%s: the %s is empty", type, what);
	if (n >= max)
		return reject(f, "%s: the %s of %zu bytes is too long, at most %zu",
			      type, what, n, max - 1);
	return 0;
}

static int decode_alert(const uint8_t *buf, struct sd_frame *f)
{
	const uint8_t *at = buf + sizeof(struct slotsvc_alert);

	if (check_line(f, "text", at, buf + f->len, 1, SLOTSVC_ALERT_MAX))
		return -EBADMSG;
	f->u.alert = (const char *)at;
	return 0;
}

static int decode_quarantine(const uint8_t *buf, struct sd_frame *f)
{
	const uint8_t *at = buf + sizeof(struct slotsvc_quarantine);
	struct slotsvc_quarantine q;

	if (f->len < sizeof(q) + 1)
		return reject(f, "QUARANTINE frame of %u bytes, want at least %zu",
			      f->len, sizeof(q) + 1);
	memcpy(&q, buf, sizeof(q));
	if (q.reserved)
		return reject(f, "QUARANTINE: reserved field is not 0");
	if (q.ttl > SLOTSVC_TTL_MAX)
		return reject(f, "QUARANTINE: ttl %u, at most %u", q.ttl,
			      SLOTSVC_TTL_MAX);
	if (check_line(f, "reason", at, buf + f->len, 0, SLOTSVC_REASON_MAX))
		return -EBADMSG;
	f->u.quarantine.id = q.id;
	f->u.quarantine.ttl = q.ttl;
	f->u.quarantine.reason = (const char *)at;
	return 0;
}

int sd_frame_decode(const void *buf, size_t len, enum sd_side from,
		    struct sd_frame *f)
{
	struct slotsvc_hdr hdr;
	struct slotsvc_ping ping;

	memset(f, 0, sizeof(*f));
	if (len < sizeof(hdr))
		return reject(f, "frame of %zu bytes is shorter than its header",
			      len);
	memcpy(&hdr, buf, sizeof(hdr));
	if (len > SLOTSVC_FRAME_MAX)
		return reject(f, "frame of %zu bytes, at most %u", len,
			      SLOTSVC_FRAME_MAX);
	if (hdr.len != len)
		return reject(f, "header says %u bytes, the frame has %zu",
			      hdr.len, len);
	if (hdr.type == SLOTSVC_T_UNSPEC || hdr.type >= __SLOTSVC_T_MAX)
		return reject(f, "unknown frame type %u", hdr.type);
	if (type_sender[hdr.type] != from)
		return reject(f, "%s %s frame cannot come from %s",
			      hdr.type == SLOTSVC_T_ALERT ? "an" : "a",
			      type_names[hdr.type],
			      from == SD_SIDE_SERVICE ? "a service" : "slotd");
	if (hdr.flags)
		return reject(f, "%s: unknown header flags 0x%x",
			      type_names[hdr.type], hdr.flags);
	f->type = hdr.type;
	f->len = hdr.len;
	switch (hdr.type) {
	case SLOTSVC_T_HELLO:
		return decode_hello(buf, f);
	case SLOTSVC_T_HELLO_REPLY:
		return decode_reply(buf, f);
	case SLOTSVC_T_PACKET:
		return decode_packet(buf, f);
	case SLOTSVC_T_VERDICT:
		return decode_verdicts(buf, f);
	case SLOTSVC_T_CLOSE:
		return decode_close(buf, f);
	case SLOTSVC_T_ALERT:
		return decode_alert(buf, f);
	case SLOTSVC_T_QUARANTINE:
		return decode_quarantine(buf, f);
	default:		/* PING, PONG */
		if (want_len(f, sizeof(ping)))
			return -EBADMSG;
		memcpy(&ping, buf, sizeof(ping));
		f->u.cookie = ping.cookie;
		return 0;
	}
}

bool sd_frame_next_verdict(struct sd_frame *f, struct sd_verdict *v)
{
	struct slotsvc_verdict e;

	if (f->type != SLOTSVC_T_VERDICT ||
	    f->u.verdicts.next >= f->u.verdicts.end)
		return false;
	memcpy(&e, f->u.verdicts.next, sizeof(e));
	v->id = e.id;
	v->verdict = e.verdict;
	v->repl = e.len ? f->u.verdicts.next + sizeof(e) : NULL;
	v->repl_len = e.len;
	f->u.verdicts.next += sizeof(e) + SLOTSVC_ALIGN(e.len);
	return true;
}

static const char *const verdict_names[__SLOTSVC_V_MAX] = {
	[SLOTSVC_V_CONTINUE]		= "continue",
	[SLOTSVC_V_DROP]		= "drop",
	[SLOTSVC_V_CONTINUE_FLOW]	= "continue-flow",
	[SLOTSVC_V_DROP_FLOW]		= "drop-flow",
	[SLOTSVC_V_REJECT]		= "reject",
	[SLOTSVC_V_REJECT_FLOW]		= "reject-flow",
};

const char *sd_verdict_name(int verdict)
{
	if (verdict <= 0 || verdict >= __SLOTSVC_V_MAX)
		return "?";
	return verdict_names[verdict];
}

/* A verdict by name, or -EINVAL. */
int sd_verdict_parse(const char *s)
{
	int v;

	for (v = SLOTSVC_V_CONTINUE; v < __SLOTSVC_V_MAX; v++) {
		if (!strcmp(s, verdict_names[v]))
			return v;
	}
	return -EINVAL;
}
