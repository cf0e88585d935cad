/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slotctl.h - what slotctl's files share
 */
#ifndef SLOTCTL_H
#define SLOTCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

#define PROG_NAME	"slotctl"

/* Global options; -j and -p live in the print layer. */
struct slotctl_opts {
	bool stats;
};

/*
 * One entry of a dispatch table: an object (slotctl.c) or one of its
 * commands. @fn gets the words after @name.
 */
struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv, const struct slotctl_opts *opts);
	void (*usage)(FILE *fp);	/* objects only */
};

/* args.c: command line words and diagnostics */
void errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void set_usage(void (*usage)(FILE *fp));
void usage_error(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
void missing_arg(const char *keyword) __attribute__((noreturn));
void dup_arg(const char *keyword) __attribute__((noreturn));
void no_more_args(int argc, char **argv);
const struct cmd *find_cmd(const struct cmd *cmds, const char *name);
const char *check_ifname(const char *name);
unsigned int get_ifindex(const char *name);

/* Step to the value of the keyword at *argv; the caller's argc, argv. */
#define NEXT_ARG()					\
	do {						\
		argv++;					\
		if (--argc <= 0)			\
			missing_arg(argv[-1]);		\
	} while (0)

/* session.c: the netlink session with the kernel */
struct nlmsghdr *slotctl_request(uint8_t cmd, uint16_t flags);
int slotctl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
void slotctl_close(void);

/* port.c */
struct sf_port;
int do_port(int argc, char **argv, const struct slotctl_opts *opts);
void port_usage(FILE *fp);
void port_print(const struct sf_port *port, bool stats);

#endif /* SLOTCTL_H */
