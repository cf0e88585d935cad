// SPDX-License-Identifier: GPL-2.0
/*
 * slotd_fake.c - a fake kernel for slotd's host tests (slotd_fake.h)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../slotd/frame.h"
#include "slotd_fake.h"

static int fake_bind(void *ctx, const char *service, bool gso,
		     struct sd_kchan **kc, struct sd_kbind *info, char *err,
		     size_t errlen)
{
	struct fake_kernel *fk = ctx;
	struct sd_kchan *c;
	int sv[2];

	(void)gso;
	fk->binds++;
	if (fk->refuse && !strcmp(fk->refuse, service)) {
		snprintf(err, errlen, "no service '%s' in the kernel", service);
		return -ENOENT;
	}
	if (fk->n_chans == FAKE_CHANS ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv))
		return -ENOMEM;
	c = &fk->chans[fk->n_chans++];
	*c = (struct sd_kchan){ fk, "", sv[0], sv[1], true };
	snprintf(c->service, sizeof(c->service), "%s", service);
	info->fail_verdict = !strncmp(service, "closed", 6) ? SD_V_DROP :
			     SD_V_CONTINUE;
	*kc = c;
	return 0;
}

static int fake_fd(struct sd_kchan *kc)
{
	return kc->fd;
}

static int fake_recv(struct sd_kchan *kc, sd_packet_fn fn, void *arg)
{
	static uint8_t buf[SLOTSVC_FRAME_MAX];
	struct sd_frame f;
	ssize_t n;

	while ((n = recv(kc->fd, buf, sizeof(buf), 0)) > 0) {
		if (sd_frame_decode(buf, n, SD_SIDE_SLOTD, &f))
			return -EBADMSG;
		fn(arg, &f.u.packet);
	}
	return n == 0 ? -EPIPE : 0;
}

static size_t fake_verdict_size(const struct sd_verdict *v)
{
	return 16 + SLOTSVC_ALIGN(v->repl_len);
}

static int fake_verdicts(struct sd_kchan *kc, const struct sd_verdict *v,
			 unsigned int n)
{
	struct fake_kernel *fk = kc->fk;
	unsigned int i;

	fk->messages++;
	if (n > fk->largest)
		fk->largest = n;
	for (i = 0; i < n && fk->n_v < FAKE_VERDICTS; i++) {
		struct fake_verdict *r = &fk->v[fk->n_v++];

		r->id = v[i].id;
		r->verdict = v[i].verdict;
		strcpy(r->service, kc->service);
		r->repl_len = v[i].repl ? v[i].repl_len : 0;
		memcpy(r->repl, v[i].repl ? v[i].repl : (const uint8_t *)"",
		       r->repl_len < 64 ? r->repl_len : 64);
	}
	return 0;
}

static int fake_health(struct sd_kchan *kc, bool up, const char *why)
{
	struct fake_kernel *fk = kc->fk;
	size_t len = strlen(fk->health);

	snprintf(fk->health + len, sizeof(fk->health) - len, "%s%s:%s",
		 len ? " " : "", kc->service, up ? "up" : "failing");
	if (why) {
		len = strlen(fk->why);
		snprintf(fk->why + len, sizeof(fk->why) - len, "%s:%s\n",
			 kc->service, why);
	}
	return 0;
}

static int fake_alert(struct sd_kchan *kc, const char *json)
{
	struct fake_kernel *fk = kc->fk;
	size_t len = strlen(fk->alerts);

	snprintf(fk->alerts + len, sizeof(fk->alerts) - len, "%s %s\n",
		 kc->service, json);
	return 0;
}

static int fake_port_tag(void *ctx, uint32_t ifindex, const char *tag,
			 bool add, char *err, size_t errlen)
{
	struct fake_kernel *fk = ctx;
	size_t len = strlen(fk->tags);

	snprintf(fk->tags + len, sizeof(fk->tags) - len, "%s %u %s\n",
		 add ? "tag" : "untag", ifindex, tag);
	if (fk->tag_err)
		snprintf(err, errlen, "fake: %s", strerror(-fk->tag_err));
	return fk->tag_err;
}

static void fake_close(struct sd_kchan *kc)
{
	close(kc->fd);
	close(kc->peer);
	kc->open = false;
}

void fake_init(struct fake_kernel *fk, size_t verdict_room)
{
	memset(fk, 0, sizeof(*fk));
	fk->ops = (struct sd_kernel){
		.ctx = fk,
		.bind = fake_bind,
		.fd = fake_fd,
		.recv = fake_recv,
		.verdict_size = fake_verdict_size,
		.verdict_room = verdict_room,
		.verdicts = fake_verdicts,
		.health = fake_health,
		.alert = fake_alert,
		.close = fake_close,
		.port_tag = fake_port_tag,
	};
}

void fake_fini(struct fake_kernel *fk)
{
	unsigned int i;

	for (i = 0; i < fk->n_chans; i++) {
		if (fk->chans[i].open)
			fake_close(&fk->chans[i]);
	}
}

/* The open channel of @service, or NULL. */
struct sd_kchan *fake_chan(struct fake_kernel *fk, const char *service)
{
	unsigned int i;

	for (i = 0; i < fk->n_chans; i++) {
		if (fk->chans[i].open && !strcmp(fk->chans[i].service, service))
			return &fk->chans[i];
	}
	return NULL;
}

int fake_hold_packet(struct fake_kernel *fk, const struct sd_packet *p)
{
	static uint8_t buf[SLOTSVC_FRAME_MAX];
	struct sd_kchan *c = fake_chan(fk, p->service);
	size_t len = sd_frame_packet(buf, sizeof(buf), p);

	if (!c || !len)
		return -ENOENT;
	return send(c->peer, buf, len, 0) == (ssize_t)len ? 0 : -errno;
}

int fake_hold(struct fake_kernel *fk, const char *service, uint64_t id,
	      const char *payload)
{
	struct sd_packet p = {
		.id = id,
		.flow_id = id * 10,
		.ifindex = 5,
		.rule_id = 1,
		.orig_len = strlen(payload),
		.generation = 1,
		.l3proto = 0x0800,
		.dir = SLOTSVC_DIR_INGRESS,
		.slot = 4,
		.ifname = "veth0",
		.service = service,
		.ntags = 1,
		.tags = { "web" },
		.data = (const uint8_t *)payload,
		.len = strlen(payload),
	};

	return fake_hold_packet(fk, &p);
}

/* The last verdict recorded for @id, or NULL. */
const struct fake_verdict *fake_verdict(const struct fake_kernel *fk,
					uint64_t id)
{
	unsigned int i = fk->n_v;

	while (i--) {
		if (fk->v[i].id == id)
			return &fk->v[i];
	}
	return NULL;
}
