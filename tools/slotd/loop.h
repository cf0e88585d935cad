/* SPDX-License-Identifier: GPL-2.0 */
/*
 * loop.h - slotd's event loop: file descriptors on epoll, one thread
 *
 * sd_io_del() may be called from any callback, for any io, including one
 * whose event is pending in the same round: the io is only marked, and
 * freed once the round is over, so no callback runs for it after its
 * deletion and no pointer to it dangles during the round.
 */
#ifndef SD_LOOP_H
#define SD_LOOP_H

#include <stdint.h>
#include <sys/epoll.h>

struct sd_loop;
struct sd_io;

typedef void (*sd_io_fn)(void *arg, uint32_t events);

struct sd_loop *sd_loop_new(void);
void sd_loop_free(struct sd_loop *loop);
struct sd_io *sd_io_add(struct sd_loop *loop, int fd, uint32_t events,
			sd_io_fn fn, void *arg);
int sd_io_mod(struct sd_io *io, uint32_t events);
void sd_io_del(struct sd_io *io);
/* Wait up to @timeout_ms (-1: forever) and run the callbacks due. */
int sd_loop_run(struct sd_loop *loop, int timeout_ms);

uint64_t sd_now_ms(void);

#endif /* SD_LOOP_H */
