/* SPDX-License-Identifier: GPL-2.0 */
/*
 * frame.h - encode and decode the frames of slotsvc.h
 *
 * Encoders write one frame into @buf and return its length, or 0 when it
 * does not fit @size. The decoder checks a whole frame against every rule
 * of slotsvc.h that can be judged from the frame alone, before anything
 * is used: a frame it accepts can be walked without further checks. On
 * rejection it returns -EBADMSG and says why in @f->why.
 */
#ifndef SD_FRAME_H
#define SD_FRAME_H

#include "slotd.h"

enum sd_side {
	SD_SIDE_SLOTD,			/* the frame was sent by slotd */
	SD_SIDE_SERVICE,		/* by a service */
};

struct sd_frame {
	uint16_t type;
	uint32_t len;
	union {
		struct {
			uint32_t version_min;
			uint32_t version_max;
			uint32_t frame_max;
			const char *service;
		} hello;
		struct {
			uint32_t version;
			uint32_t max_inflight;
			const char *name;
		} reply;
		struct sd_packet packet;
		struct {
			uint32_t count;
			const uint8_t *next;	/* the entries, walked */
			const uint8_t *end;
		} verdicts;
		uint64_t cookie;	/* PING, PONG */
		const char *msg;	/* CLOSE */
		const char *alert;	/* ALERT: its JSON text */
		struct {
			uint64_t id;
			uint32_t ttl;
			const char *reason;
		} quarantine;
	} u;
	char why[112];
};

size_t sd_frame_hello(void *buf, size_t size, const char *service);
size_t sd_frame_hello_reply(void *buf, size_t size, uint32_t version,
			    uint32_t max_inflight, const char *name);
size_t sd_frame_packet(void *buf, size_t size, const struct sd_packet *pkt);
size_t sd_frame_ping(void *buf, size_t size, uint16_t type, uint64_t cookie);
size_t sd_frame_close(void *buf, size_t size, const char *msg);
/* 0 also for what the decoder would refuse (empty, too long, a newline). */
size_t sd_frame_alert(void *buf, size_t size, const char *json);
size_t sd_frame_quarantine(void *buf, size_t size, uint64_t id, uint32_t ttl,
			   const char *reason);

/* A VERDICT frame built one verdict at a time. */
struct sd_vframe {
	uint8_t *buf;
	size_t size;
	size_t len;
	uint32_t count;
};

void sd_vframe_init(struct sd_vframe *vf, void *buf, size_t size);
bool sd_vframe_add(struct sd_vframe *vf, const struct sd_verdict *v);
size_t sd_vframe_end(struct sd_vframe *vf);

int sd_frame_decode(const void *buf, size_t len, enum sd_side from,
		    struct sd_frame *f);
/* The next verdict of a decoded VERDICT frame; false after the last. */
bool sd_frame_next_verdict(struct sd_frame *f, struct sd_verdict *v);

#endif /* SD_FRAME_H */
