// SPDX-License-Identifier: GPL-2.0
/*
 * loop.c - slotd's event loop (see loop.h)
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"

#define EVENTS_MAX	64

struct sd_io {
	struct sd_loop *loop;
	int fd;
	sd_io_fn fn;			/* NULL once deleted */
	void *arg;
	struct sd_io *next_dead;
};

struct sd_loop {
	int epfd;
	struct sd_io *dead;		/* freed at the end of the round */
	unsigned int live;
};

struct sd_loop *sd_loop_new(void)
{
	struct sd_loop *loop = calloc(1, sizeof(*loop));

	if (!loop)
		return NULL;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		free(loop);
		return NULL;
	}
	return loop;
}

static void reap(struct sd_loop *loop)
{
	struct sd_io *io;

	while ((io = loop->dead)) {
		loop->dead = io->next_dead;
		free(io);
	}
}

/* Every io must have been deleted. */
void sd_loop_free(struct sd_loop *loop)
{
	if (!loop)
		return;
	reap(loop);
	close(loop->epfd);
	free(loop);
}

struct sd_io *sd_io_add(struct sd_loop *loop, int fd, uint32_t events,
			sd_io_fn fn, void *arg)
{
	struct sd_io *io = calloc(1, sizeof(*io));
	struct epoll_event ev = { .events = events };

	if (!io)
		return NULL;
	*io = (struct sd_io){ loop, fd, fn, arg, NULL };
	ev.data.ptr = io;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		free(io);
		return NULL;
	}
	loop->live++;
	return io;
}

int sd_io_mod(struct sd_io *io, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = io };

	return epoll_ctl(io->loop->epfd, EPOLL_CTL_MOD, io->fd, &ev) ?
	       -errno : 0;
}

/* Stop watching; the fd stays open (its owner closes it). */
void sd_io_del(struct sd_io *io)
{
	if (!io)
		return;
	epoll_ctl(io->loop->epfd, EPOLL_CTL_DEL, io->fd, NULL);
	io->fn = NULL;
	io->next_dead = io->loop->dead;
	io->loop->dead = io;
	io->loop->live--;
}

int sd_loop_run(struct sd_loop *loop, int timeout_ms)
{
	struct epoll_event evs[EVENTS_MAX];
	int n, i;

	n = epoll_wait(loop->epfd, evs, EVENTS_MAX, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n; i++) {
		struct sd_io *io = evs[i].data.ptr;

		if (io->fn)
			io->fn(io->arg, evs[i].events);
	}
	reap(loop);
	return n;
}

uint64_t sd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
