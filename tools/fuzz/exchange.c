// SPDX-License-Identifier: GPL-2.0
/*
 * exchange.c - send a batch of requests, read every answer, check it
 *
 * A batch is one send() of up to FZ_BATCH_MAX requests. The kernel handles
 * them one after the other in that call; dumps go on as the socket is read.
 * When any request may go unanswered (no NLM_F_ACK, not a request, a lying
 * nlmsg_len), an NLMSG_NOOP with NLM_F_ACK follows in a send of its own:
 * once its ack is in, whatever was to come for the batch's doit requests
 * has come, so silence can be told from slowness without waiting. Every
 * receive has a timeout: a kernel that does not answer is reported, never
 * waited for.
 *
 * Checks on every message received: it parses (lengths, alignment, the
 * attribute tree of data messages, the ack's TLVs), it is addressed to this
 * socket, it answers a request of the batch that is still open, and it is
 * of a type that request can get. Then per request: the answer model.c
 * predicted (the errno, NLMSGERR_ATTR_OFFS, nothing at all), or, where it
 * could not predict, an errno from the expected set; an extack message with
 * every rejection the uapi promises one for; an NLMSG_ERROR echoing the
 * request byte for byte. replies.c checks what data messages say.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"
#include "sfnl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* Errnos a request may get when the model did not predict its answer. */
static bool fz_errno_expected(const struct fz_ctx *ctx, int err)
{
	return err >= 0 && err < 256 && ctx->errnos[err];
}

static const char *fz_errname(int err)
{
	const char *s = err ? strerrorname_np(err) : "0";

	return s ? s : "?";
}

/* The first 128 bytes, or (-v) all of them: a report is a reproducer. */
static void fz_hexdump(FILE *f, const char *what, const uint8_t *p,
		       size_t len, bool all)
{
	size_t i, n = all || len < 128 ? len : 128;

	fprintf(f, "    %s (%zu bytes):", what, len);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%02x", i % 32 ? (i % 4 ? "" : " ") : "\n      ",
			p[i]);
	fprintf(f, "%s\n", n < len ? " ..." : "");
}

/* Failures by the check that found them: its format string. */
#define FZ_KINDS	64
#define FZ_KIND_REPORTS	3	/* printed in full per kind */

static struct fz_kind {
	const char *fmt;
	uint64_t count;
} fz_kinds[FZ_KINDS];

void fz_fail(struct fz_worker *w, const struct fz_req *req,
	     const char *fmt, ...)
{
	struct fz_ctx *ctx = w->ctx;
	struct fz_kind *k = NULL;
	unsigned int i;
	va_list ap;

	w->stats.failures++;
	atomic_fetch_add(&ctx->failures, 1);
	pthread_mutex_lock(&ctx->print_lock);
	for (i = 0; i < FZ_KINDS; i++) {
		if (fz_kinds[i].fmt == fmt || !fz_kinds[i].fmt) {
			k = &fz_kinds[i];
			k->fmt = fmt;
			break;
		}
	}
	if ((k && k->count++ >= FZ_KIND_REPORTS) ||
	    atomic_fetch_add(&ctx->reports, 1) >= ctx->max_reports)
		goto out;
	printf("FAIL %s", w->name);
	if (req)
		printf(" request %s seq %u cmd %u flags 0x%x", fz_cat_names[req->cat],
		       req->seq, req->cmd, req->flags);
	printf(": ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (req) {
		if (req->exp.why)
			printf("    model: %s\n", req->exp.why);
		fz_hexdump(stdout, "request", w->sbuf + req->off, req->len,
			   ctx->verbose);
	}
	if (w->answer)
		fz_hexdump(stdout, "answer", w->answer, w->answer_len,
			   ctx->verbose);
	fflush(stdout);
out:
	pthread_mutex_unlock(&ctx->print_lock);
}

/* How many failures each check found (only its first ones are printed). */
void fz_fail_summary(void)
{
	unsigned int i;

	for (i = 0; i < FZ_KINDS && fz_kinds[i].fmt; i++)
		printf("failures: %llu x \"%s\"\n",
		       (unsigned long long)fz_kinds[i].count, fz_kinds[i].fmt);
}

void fz_note(struct fz_worker *w, const char *fmt, ...)
{
	va_list ap;

	if (!w->ctx->verbose)
		return;
	pthread_mutex_lock(&w->ctx->print_lock);
	printf("%s: ", w->name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	pthread_mutex_unlock(&w->ctx->print_lock);
}

/* Sockets */

/*
 * Open @w's socket. @resolve: look the family up on it first, which also
 * makes it receive (see worker.c for why a dump may want it not to have).
 */
int fz_worker_open(struct fz_worker *w, bool resolve)
{
	struct timeval tv = {
		.tv_sec = w->ctx->timeout_ms / 1000,
		.tv_usec = w->ctx->timeout_ms % 1000 * 1000,
	};
	int cap_ack, ext_ack, rcvbuf = 4 << 20;
	struct sockaddr_nl sa;
	socklen_t salen = sizeof(sa);
	int err, fd;

	w->nl = sfnl_open();
	if (!w->nl)
		return -errno;
	if (resolve) {
		err = sfnl_resolve(w->nl, w->ctx->fam.name);
		if (err)
			goto err;
		if (sfnl_family_id(w->nl) != w->ctx->fam.id) {
			err = -ESTALE;	/* the module was reloaded */
			goto err;
		}
	}
	fd = sfnl_fd(w->nl);
	/* sfnl turns both on; a quarter of the sockets go without each */
	cap_ack = fz_chance(&w->rand, 75);
	ext_ack = fz_chance(&w->rand, 75);
	if (setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &cap_ack,
		       sizeof(cap_ack)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &ext_ack,
		       sizeof(ext_ack)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &salen)) {
		err = -errno;
		goto err;
	}
	/* room for every answer to a batch; unprivileged: what it may */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	w->cap_ack = cap_ack;
	w->ext_ack = ext_ack;
	w->portid = sa.nl_pid;
	return 0;
err:
	sfnl_close(w->nl);
	w->nl = NULL;
	return err;
}

void fz_worker_close(struct fz_worker *w)
{
	sfnl_close(w->nl);
	w->nl = NULL;
}

/* Answers */

static struct fz_req *fz_find(struct fz_batch *b, unsigned int n,
			      uint32_t seq)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (b->req[i].seq == seq)
			return &b->req[i];
	return NULL;
}

/* The request as the kernel echoes it in an NLMSG_ERROR. */
static void fz_check_echo(struct fz_worker *w, struct fz_req *req,
			  const struct nlmsghdr *nlh, const uint8_t *sent)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	const struct nlmsghdr *orig = (const void *)sent;
	size_t echo;

	if (nlh->nlmsg_flags & NLM_F_CAPPED) {
		echo = sizeof(struct nlmsghdr);
		if (!w->cap_ack && e->error)
			fz_fail(w, req, "error capped without NETLINK_CAP_ACK");
	} else {
		echo = orig->nlmsg_len;
		if (w->cap_ack || !e->error)
			fz_fail(w, req, "ack not capped (NETLINK_CAP_ACK %d, error %d)",
				w->cap_ack, e->error);
	}
	if (plen < sizeof(e->error) + echo ||
	    memcmp(&e->msg, sent, echo)) {
		fz_fail(w, req, "the NLMSG_ERROR does not echo the request");
	}
}

static void fz_check_extack(struct fz_worker *w, struct fz_req *req,
			    const struct sfnl_ack *ack, const uint8_t *sent)
{
	const struct nlmsghdr *orig = (const void *)sent;
	unsigned int attroff = NLMSG_HDRLEN + GENL_HDRLEN +
			       NLMSG_ALIGN(w->ctx->fam.hdrsize);
	int err = -ack->error;

	if (ack->has_offs &&
	    (ack->offs < attroff || ack->offs + NLA_HDRLEN > orig->nlmsg_len))
		fz_fail(w, req, "NLMSGERR_ATTR_OFFS %u is not inside the attributes",
			ack->offs);
	req->ack_offs = ack->has_offs ? (int)ack->offs : -1;
	snprintf(req->ack_msg, sizeof(req->ack_msg), "%s",
		 ack->msg ? ack->msg : "");
	if (!w->ext_ack || !err)
		return;
	/* uapi: every rejection but the core's own carries a message */
	if (!ack->msg && !ack->has_miss_type && !req->exp.no_msg &&
	    err != ENOMEM && err != ENOBUFS &&
	    !(err == EBUSY && req->after_dump))
		fz_fail(w, req, "%s without an extack message", fz_errname(err));
	if (ack->has_miss_type && err != EINVAL)
		fz_fail(w, req, "NLMSGERR_ATTR_MISS_TYPE %u with %s",
			ack->miss_type, fz_errname(err));
}

static void fz_on_ack(struct fz_worker *w, struct fz_req *req,
		      const struct nlmsghdr *nlh, const uint8_t *sent)
{
	struct sfnl_ack ack;

	if (sfnl_parse_ack(nlh, &ack)) {
		fz_fail(w, req, "malformed %s",
			nlh->nlmsg_type == NLMSG_DONE ? "NLMSG_DONE" : "NLMSG_ERROR");
		return;
	}
	if (req->done) {
		fz_fail(w, req, "a second answer (%s, error %d)",
			nlh->nlmsg_type == NLMSG_DONE ? "NLMSG_DONE" : "NLMSG_ERROR",
			ack.error);
		return;
	}
	req->done = true;
	req->err = -ack.error;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		w->stats.dones++;
		if (!req->exp.dump)
			fz_fail(w, req, "NLMSG_DONE for a request that is no dump");
		if (!(nlh->nlmsg_flags & NLM_F_MULTI))
			fz_fail(w, req, "NLMSG_DONE without NLM_F_MULTI");
	} else {
		w->stats.acks++;
		fz_check_echo(w, req, nlh, sent);
	}
	fz_check_extack(w, req, &ack, sent);
}

/* One message of an answer, checked with the message at hand for fz_fail(). */
static void fz_on_answer(struct fz_worker *w, struct fz_batch *b,
			 struct fz_req *req, const struct nlmsghdr *nlh,
			 const uint8_t *sentinel)
{
	const uint8_t *sent;

	if (!req) {
		fz_fail(w, NULL, "answer (type %u) to seq %u, which was not sent",
			nlh->nlmsg_type, nlh->nlmsg_seq);
		return;
	}
	sent = req == &b->req[b->n] ? sentinel : w->sbuf + req->off;
	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR:
	case NLMSG_DONE:
		if (nlh->nlmsg_pid != w->portid)
			fz_fail(w, req, "answer addressed to port %u, not %u",
				nlh->nlmsg_pid, w->portid);
		fz_on_ack(w, req, nlh, sent);
		return;
	default:
		if (nlh->nlmsg_type != w->ctx->fam.id) {
			fz_fail(w, req, "answer of type %u", nlh->nlmsg_type);
			return;
		}
		if (req->done)
			fz_fail(w, req, "reply after the answer ended");
		req->replies++;
		w->stats.replies++;
		fz_check_reply(w, req, nlh);
		return;
	}
}

static void fz_on_message(struct fz_worker *w, struct fz_batch *b,
			  unsigned int n, const struct nlmsghdr *nlh,
			  const uint8_t *sentinel)
{
	struct fz_req *req = fz_find(b, n, nlh->nlmsg_seq);

	w->answer = nlh;
	w->answer_len = nlh->nlmsg_len;
	fz_on_answer(w, b, req, nlh, sentinel);
	w->answer = NULL;
}

/* Every answer that must come has come. */
static bool fz_complete(const struct fz_batch *b, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct fz_req *req = &b->req[i];

		if (req->exp.answer != FZ_ANS_MAYBE &&
		    req->exp.answer != FZ_ANS_NONE && !req->done)
			return false;
	}
	return true;
}

/* A request the model says must fail, failed: the right way? */
static void fz_judge_rejection(struct fz_worker *w, struct fz_req *req,
			       int got)
{
	const struct fz_expect *e = &req->exp;

	/* the core refuses a second dump on a socket before it validates */
	if (got == EBUSY && req->after_dump)
		return;
	/*
	 * Refused at an attribute before the first one the policy refuses:
	 * by a check the policy dump does not show (a validation function,
	 * NLA_POLICY_VALIDATE_FN), which runs as the attributes are parsed.
	 */
	if (e->offs >= 0 && req->ack_offs >= 0 && req->ack_offs < e->offs &&
	    fz_errno_expected(w->ctx, got)) {
		w->stats.early++;
		fz_note(w, "refused early: %s at %d (\"%s\"), the policy at %d",
			fz_errname(got), req->ack_offs, req->ack_msg, e->offs);
		return;
	}
	/* without extended acks nothing tells where it was refused */
	if (!w->ext_ack && fz_errno_expected(w->ctx, got))
		return;
	if (got != e->want && got != e->want_alt) {
		fz_fail(w, req, "%s at offset %d (\"%s\"), want %s at %d",
			fz_errname(got), req->ack_offs, req->ack_msg,
			fz_errname(e->want), e->offs);
		return;
	}
	if (!w->ext_ack || e->offs < 0)
		return;
	if (req->ack_offs < 0)
		fz_fail(w, req, "%s (\"%s\") without NLMSGERR_ATTR_OFFS, want %d",
			fz_errname(got), req->ack_msg, e->offs);
	else if (req->ack_offs != e->offs)
		fz_fail(w, req, "NLMSGERR_ATTR_OFFS %d (\"%s\"), want %d",
			req->ack_offs, req->ack_msg, e->offs);
}

static void fz_judge(struct fz_worker *w, struct fz_req *req)
{
	const struct fz_expect *e = &req->exp;
	int got;

	switch (e->answer) {
	case FZ_ANS_NONE:
		if (req->done || req->replies)
			fz_fail(w, req, "answered (%s, %u replies) a message the kernel must drop",
				fz_errname(req->err), req->replies);
		else
			w->stats.silent[req->cat]++;
		return;
	case FZ_ANS_ACK0:
		if (!req->done || req->err || req->replies)
			fz_fail(w, req, "not acked with 0 (%s, %u replies)",
				req->done ? fz_errname(req->err) : "nothing",
				req->replies);
		w->stats.accepted[req->cat]++;
		w->stats.errnos[0]++;
		return;
	default:
		break;
	}
	if (!req->done && e->answer == FZ_ANS_ERROR) {
		fz_fail(w, req, "no answer");
		return;
	}
	got = req->done ? req->err : 0;
	if (e->want && !got)
		fz_fail(w, req, "accepted%s, want %s (%s)",
			req->done ? "" : " (no ack asked, none came)",
			fz_errname(e->want), e->why);
	else if (e->want)
		fz_judge_rejection(w, req, got);
	else if (!fz_errno_expected(w->ctx, got))
		fz_fail(w, req, "unexpected errno %s (%d, \"%s\")",
			fz_errname(got), got, req->ack_msg);
	if (got) {
		w->stats.rejected[req->cat]++;
		if (req->cat == FZ_CAT_VALID && w->ctx->verbose > 1)
			fz_note(w, "valid request, cmd %u: %s (\"%s\")",
				req->cmd, fz_errname(got), req->ack_msg);
	} else {
		w->stats.accepted[req->cat]++;
		w->stats.cmd_accepted[req->cmd]++;
		if (req->len >= NLMSG_HDRLEN && !e->dump)
			fz_dict_learn(&w->ctx->dict, &w->ctx->fam,
				      (const void *)(w->sbuf + req->off));
	}
	w->stats.cmd_sent[req->cmd]++;
	w->stats.errnos[got < 256 ? got : 255]++;
}

/*
 * Read one buffer of answers. Returns its length, or a negative errno
 * (-EAGAIN: the receive timed out).
 */
static ssize_t fz_receive(struct fz_worker *w)
{
	ssize_t len;

	do {
		len = recv(sfnl_fd(w->nl), w->rbuf, FZ_RECV_SIZE, MSG_TRUNC);
	} while (len < 0 && errno == EINTR);
	if (len < 0)
		return -errno;
	if (len > FZ_RECV_SIZE) {
		fz_fail(w, NULL, "an answer of %zd bytes", len);
		return -EMSGSIZE;
	}
	return len;
}

static void fz_process(struct fz_worker *w, struct fz_batch *b,
		       unsigned int n, size_t len, const uint8_t *sentinel)
{
	const struct nlmsghdr *nlh = (const void *)w->rbuf;
	int rem = len;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem))
		fz_on_message(w, b, n, nlh, sentinel);
	if (rem) {
		w->answer = w->rbuf;
		w->answer_len = len;
		fz_fail(w, NULL, "%d bytes after the last answer", rem);
		w->answer = NULL;
	}
}

/*
 * Send @b and check what comes back. Returns 0, or a negative errno when
 * the socket is out of step (timeout, overrun, closed on purpose): the
 * caller opens a new one.
 */
int fz_exchange(struct fz_worker *w, struct fz_batch *b)
{
	struct nlmsghdr sentinel = {
		.nlmsg_len = NLMSG_HDRLEN,
		.nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
	};
	unsigned int i, n = b->n, parts = 0;
	bool need_sentinel = false;
	struct timespec start, now;
	ssize_t len;
	int fd = sfnl_fd(w->nl);

	if (!b->n)
		return 0;
	for (i = 0; i < b->n; i++)
		if (b->req[i].exp.answer != FZ_ANS_ERROR)
			need_sentinel = true;
	if (send(fd, w->sbuf, b->len, 0) < 0) {
		w->stats.send_errors[errno < 256 ? errno : 255]++;
		return 0;
	}
	w->stats.sends++;
	w->stats.bytes += b->len;
	for (i = 0; i < b->n; i++)
		w->stats.sent[b->req[i].cat]++;
	if (need_sentinel) {
		struct fz_req *req = &b->req[n++];

		memset(req, 0, sizeof(*req));
		sentinel.nlmsg_seq = ++w->seq;
		req->seq = sentinel.nlmsg_seq;
		req->exp.answer = FZ_ANS_ERROR;
		req->exp.offs = -1;
		req->ack_offs = -1;
		req->exp.why = "NLMSG_NOOP sentinel";
		if (send(fd, &sentinel, sizeof(sentinel), 0) < 0) {
			fz_fail(w, NULL, "send of the sentinel: %s",
				strerror(errno));
			return -errno;
		}
	}

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!fz_complete(b, n)) {
		if (b->close_early && parts >= b->keep_parts)
			return -ECONNABORTED;
		/* answers that keep coming but never end: an endless dump */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 +
		    (now.tv_nsec - start.tv_nsec) / 1000000 >
		    w->ctx->timeout_ms) {
			for (i = 0; i < b->n && b->req[i].done; i++)
				;
			fz_fail(w, i < b->n ? &b->req[i] : NULL,
				"answers still coming after %d ms (%u reads)",
				w->ctx->timeout_ms, parts);
			return -ETIMEDOUT;
		}
		len = fz_receive(w);
		if (len == -EAGAIN) {
			for (i = 0; i < n; i++)
				if (!b->req[i].done &&
				    b->req[i].exp.answer == FZ_ANS_ERROR)
					break;
			w->stats.timeouts++;
			fz_fail(w, i < b->n ? &b->req[i] : NULL,
				"no answer within %d ms", w->ctx->timeout_ms);
			return -ETIMEDOUT;
		}
		if (len == -ENOBUFS) {
			/* the socket overran: answers are lost, not wrong */
			w->stats.overruns++;
			return -ENOBUFS;
		}
		if (len < 0) {
			fz_fail(w, NULL, "recv: %s", strerror(-len));
			return len;
		}
		parts++;
		w->stats.receives++;
		if (b->dump_interrupt && parts == 1)
			fz_worker_reconfigure(w);
		fz_process(w, b, n, len, (const uint8_t *)&sentinel);
	}
	for (i = 0; i < b->n; i++)
		fz_judge(w, &b->req[i]);
	return 0;
}
