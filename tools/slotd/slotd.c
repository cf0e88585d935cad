// SPDX-License-Identifier: GPL-2.0
/*
 * slotd.c - the slotfilter helper: main(), signals, reload
 *
 * SYNOPSIS
 *	slotd [-c FILE] [-s NAME=TARGET[,OPTION...]]... [-t] [-V]
 *
 * Binds to the slotfilter services of its configuration (FILE, by default
 * /etc/slotfilter/slotd.conf, read unless only -s is given; see conf.c),
 * receives the packets the kernel holds for them, hands each to its
 * service and returns the verdicts. -t checks the configuration, prints
 * its errors and exits. Runs in the foreground and logs to stderr.
 *
 *	SIGHUP	read the configuration again; on errors keep the running one
 *	SIGUSR1	log each service's state and counters
 *	SIGTERM, SIGINT  exit; the kernel applies each service's failure
 *		policy to the packets still held
 *
 * Exit status: 0 after SIGTERM, 1 on a bad configuration or when the
 * kernel has no slotfilter family, 2 on bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

#ifndef SLOTCTL_VERSION
#define SLOTCTL_VERSION "?"
#endif

struct args {
	const char *file;		/* -c, or NULL */
	char **specs;			/* -s */
	int n_specs;
	bool test;
};

static void usage(FILE *fp)
{
	fputs("Usage: slotd [ -c FILE ] [ -s NAME=TARGET[,OPTION...] ]... [ -t ] [ -V ]\n"
	      "  -c FILE  configuration file (default " SD_CONF_DEFAULT ",\n"
	      "           not read when only -s is given)\n"
	      "  -s SPEC  a service, as a \"service\" line: NAME=builtin:KIND[,OPT...]\n"
	      "           or NAME=unix:/PATH[,OPT...]\n"
	      "  -t       check the configuration and exit\n"
	      "  -V       print the version and exit\n", fp);
}

/* Build the configuration the arguments describe; -1 on errors. */
static int load_conf(const struct args *a, struct sd_conf *conf)
{
	int i;

	sd_conf_init(conf);
	if (a->file || !a->n_specs)
		sd_conf_load(conf, a->file ? a->file : SD_CONF_DEFAULT);
	for (i = 0; i < a->n_specs; i++)
		sd_conf_arg(conf, a->specs[i]);
	if (sd_conf_finish(conf)) {
		sd_conf_print_errors(conf, stderr);
		sd_conf_free(conf);
		return -1;
	}
	return 0;
}

static int signals_fd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

struct run {
	struct slotd sd;
	const struct args *args;
	int sigfd;
	bool stop;
};

static void on_signal(void *arg, uint32_t events)
{
	struct run *r = arg;
	struct signalfd_siginfo si;
	struct sd_conf conf;

	(void)events;
	while (read(r->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGUSR1) {
			sd_daemon_report(&r->sd);
			continue;
		}
		if (si.ssi_signo != SIGHUP) {
			sd_info("%s: exiting", strsignal(si.ssi_signo));
			r->stop = true;
			continue;
		}
		sd_info("SIGHUP: reloading the configuration");
		if (load_conf(r->args, &conf)) {
			sd_err("the configuration has errors; nothing changed");
			continue;
		}
		sd_daemon_apply(&r->sd, &conf);
	}
}

int main(int argc, char **argv)
{
	const struct sd_kernel *kern;
	struct args a = { 0 };
	struct sd_conf conf;
	struct sd_io *sio;
	struct run r = { .args = &a };
	int opt, ret = 0;

	a.specs = calloc(argc, sizeof(*a.specs));
	if (!a.specs)
		return 1;
	while ((opt = getopt(argc, argv, "c:s:tVh")) != -1) {
		switch (opt) {
		case 'c':
			a.file = optarg;
			break;
		case 's':
			a.specs[a.n_specs++] = optarg;
			break;
		case 't':
			a.test = true;
			break;
		case 'V':
			printf("slotd %s\n", SLOTCTL_VERSION);
			free(a.specs);
			return 0;
		case 'h':
			usage(stdout);
			free(a.specs);
			return 0;
		default:
			usage(stderr);
			free(a.specs);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		free(a.specs);
		return 2;
	}
	sd_log_init();
	if (load_conf(&a, &conf)) {
		free(a.specs);
		return 1;
	}
	if (a.test) {
		printf("configuration ok: %zu service%s\n", conf.n_svcs,
		       conf.n_svcs == 1 ? "" : "s");
		sd_conf_free(&conf);
		free(a.specs);
		return 0;
	}
	if (!conf.n_svcs)
		sd_warn("no service configured: waiting for SIGHUP");
	kern = sd_kernel_netlink();
	if (!kern) {
		sd_conf_free(&conf);
		free(a.specs);
		return 1;
	}
	r.sigfd = signals_fd();
	if (r.sigfd < 0 || sd_daemon_init(&r.sd, kern)) {
		sd_err("cannot set up: %s", strerror(errno));
		return 1;
	}
	sio = sd_io_add(r.sd.loop, r.sigfd, EPOLLIN, on_signal, &r);
	sd_daemon_apply(&r.sd, &conf);
	sd_info("running %zu service%s", r.sd.conf.n_svcs,
		r.sd.conf.n_svcs == 1 ? "" : "s");
	while (!r.stop) {
		ret = sd_daemon_step(&r.sd, -1);
		if (ret) {
			sd_err("event loop: %s", strerror(-ret));
			break;
		}
	}
	sd_io_del(sio);
	sd_daemon_fini(&r.sd);
	sd_kernel_netlink_free();
	close(r.sigfd);
	free(a.specs);
	return ret ? 1 : 0;
}
