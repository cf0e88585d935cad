// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_frame.c - libFuzzer target for the frame decoder (frame.c)
 *
 *	make -C tools fuzz-slotsvc [FUZZ_SECONDS=60]
 *
 * Every input is decoded as if a service sent it and as if slotd did. An
 * accepted frame must be walkable, and must encode back to itself: a
 * PACKET through sd_frame_packet(), a VERDICT through sd_vframe_add(),
 * an ALERT through sd_frame_alert(), a QUARANTINE through
 * sd_frame_quarantine().
 * Seeds: slotd/fuzz_corpus/.
 */
#include <stdlib.h>
#include <string.h>

#include "frame.h"

static uint8_t out[SLOTSVC_FRAME_MAX];

static void check_verdicts(struct sd_frame *f, const uint8_t *data,
			   size_t size)
{
	struct sd_vframe vf;
	struct sd_verdict v;
	unsigned int n = 0;

	sd_vframe_init(&vf, out, sizeof(out));
	while (sd_frame_next_verdict(f, &v)) {
		if (!sd_vframe_add(&vf, &v))
			abort();
		n++;
	}
	if (n != f->u.verdicts.count || sd_vframe_end(&vf) != size ||
	    memcmp(out, data, size))
		abort();
}

static void check_packet(const struct sd_frame *f, const uint8_t *data,
			 size_t size)
{
	size_t len = sd_frame_packet(out, sizeof(out), &f->u.packet);
	struct sd_frame g;

	/* Names are NUL-padded when encoded: compare what they decode to. */
	if (len != size || sd_frame_decode(out, len, SD_SIDE_SLOTD, &g) ||
	    g.u.packet.id != f->u.packet.id ||
	    g.u.packet.len != f->u.packet.len ||
	    memcmp(g.u.packet.data, f->u.packet.data, f->u.packet.len) ||
	    strcmp(g.u.packet.ifname, f->u.packet.ifname))
		abort();
	(void)data;
}

/* ALERT and QUARANTINE have one encoding: byte for byte. */
static void check_event(const struct sd_frame *f, const uint8_t *data,
			size_t size)
{
	size_t len;

	if (f->type == SLOTSVC_T_ALERT)
		len = sd_frame_alert(out, sizeof(out), f->u.alert);
	else
		len = sd_frame_quarantine(out, sizeof(out),
					  f->u.quarantine.id,
					  f->u.quarantine.ttl,
					  f->u.quarantine.reason);
	if (len != size || memcmp(out, data, size))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sd_frame f;

	if (!sd_frame_decode(data, size, SD_SIDE_SERVICE, &f)) {
		if (f.type == SLOTSVC_T_VERDICT)
			check_verdicts(&f, data, size);
		if (f.type == SLOTSVC_T_ALERT ||
		    f.type == SLOTSVC_T_QUARANTINE)
			check_event(&f, data, size);
	}
	if (!sd_frame_decode(data, size, SD_SIDE_SLOTD, &f) &&
	    f.type == SLOTSVC_T_PACKET)
		check_packet(&f, data, size);
	return 0;
}
