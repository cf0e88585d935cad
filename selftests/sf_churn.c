// SPDX-License-Identifier: GPL-2.0
/*
 * sf_churn: configuration requests in a tight loop, for stress.sh. Shell
 * commands cost a process each (half a second under TCG); this sends
 * hundreds of requests a second from one process, in the network
 * namespace it runs in.
 *
 *   sf_churn [-N NETNS] [-s] [-d USEC] [-n ROUNDS | -w FILE] OP...
 *   sf_churn [-N NETNS] -l
 *
 *   OP: add:IFNAME, del:IFNAME, get:IFNAME (PORT_ADD, PORT_DEL, PORT_GET
 *       doit of the device named IFNAME now), dump (a full PORT_GET dump,
 *       checked: ascending ifindex, two directions of 12 slots each).
 *   -n  ROUNDS rounds of the OPs, in order (default 1)
 *   -w  as many rounds as it takes FILE to disappear (checked each round)
 *   -N  work in the network namespace NETNS (a path, or a name under
 *       /run/netns), entered with setns(): cheaper than `ip netns exec`
 *   -l  list the ports of the namespace: their names, by ifindex, on one
 *       line (`slotctl port show`, without starting slotctl)
 *   -d  sleep USEC microseconds after each round (leave the CPU to others)
 *   -s  strict: every request must succeed; without it, the failures that
 *       races with other processes allow are counted, not reported:
 *       EEXIST (add), ENOENT "device is not a port" (del, get), ENODEV or
 *       no device of that name (the device is gone), and the family gone
 *       (ENOENT without a message, EPROTONOSUPPORT for a dump, or no
 *       family to resolve: the module is being unloaded; it is resolved
 *       again, which loads it again).
 *
 * Prints one summary line; every other failure is printed on its own line
 * and makes the exit status 1. The summary has "counting N": the GET
 * replies whose counters had moved (the port saw traffic).
 */
#define _GNU_SOURCE
#include "sfnl_ports.h"

#include <getopt.h>

enum churn_kind { CHURN_ADD, CHURN_DEL, CHURN_GET, CHURN_DUMP };

struct churn_op {
	enum churn_kind kind;
	const char *dev;
};

struct churn_stats {
	unsigned long requests, ok, eexist, enoent, nodev, family_gone;
	unsigned long counting, bad;
};

static struct churn_stats st;
static int strict;

static void __attribute__((format(printf, 1, 2))) churn_bad(const char *fmt, ...)
{
	va_list ap;

	st.bad++;
	if (st.bad > 20)
		return;
	va_start(ap, fmt);
	printf("sf_churn: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

static const char *churn_name(const struct churn_op *op)
{
	static const char * const names[] = {
		[CHURN_ADD] = "add", [CHURN_DEL] = "del",
		[CHURN_GET] = "get", [CHURN_DUMP] = "dump",
	};

	return names[op->kind];
}

/* A dump: well formed, ports in ascending ifindex order. */
static void churn_check_dump(const struct sf_ports *ports)
{
	int i, d;

	for (i = 0; i < ports->n; i++) {
		const struct sf_port_info *p = &ports->v[i];

		if (p->bad || !p->ifname[0] || p->ndirs != SLOTFILTER_DIR_COUNT) {
			churn_bad("dump: entry %d (ifindex %" PRId64 ") malformed",
				  i, p->ifindex);
			return;
		}
		for (d = 0; d < SLOTFILTER_DIR_COUNT; d++)
			if (p->dir[d].nslots != SLOTFILTER_NUM_SLOTS) {
				churn_bad("dump: %s has %d slots in direction %d",
					  p->ifname, p->dir[d].nslots, d);
				return;
			}
		if (i && p->ifindex <= ports->v[i - 1].ifindex) {
			churn_bad("dump: ifindex %" PRId64 " after %" PRId64,
				  p->ifindex, ports->v[i - 1].ifindex);
			return;
		}
	}
}

/* One request and its outcome; -1 if the family must be resolved again. */
static int churn_one(struct sf_sock *s, const struct churn_op *op)
{
	static const uint8_t cmd[] = {
		[CHURN_ADD] = SLOTFILTER_CMD_PORT_ADD,
		[CHURN_DEL] = SLOTFILTER_CMD_PORT_DEL,
		[CHURN_GET] = SLOTFILTER_CMD_PORT_GET,
	};
	struct sf_port_info p;
	struct sf_ports ports;
	struct sf_ack ack;
	uint32_t ifindex = 0;
	int rc, want_enoent;

	if (op->kind != CHURN_DUMP) {
		ifindex = if_nametoindex(op->dev);
		if (!ifindex) {
			st.nodev++;
			if (strict)
				churn_bad("%s %s: no such device", churn_name(op),
					  op->dev);
			return 0;
		}
	}
	st.requests++;
	memset(&ports, 0, sizeof(ports));
	if (op->kind == CHURN_DUMP)
		rc = sf_dump(s, 0, &ports, &ack);
	else
		rc = sf_port_cmd(s, cmd[op->kind], ifindex, &ack, &p);
	if (rc < 0) {
		free(ports.v);
		churn_bad("%s %s: no answer: %s", churn_name(op),
			  op->dev ? op->dev : "", strerror(-rc));
		return -1;
	}

	want_enoent = op->kind == CHURN_DEL || op->kind == CHURN_GET;
	if (!ack.err) {
		st.ok++;
		if (op->kind == CHURN_DUMP)
			churn_check_dump(&ports);
		else if (op->kind == CHURN_GET &&
			 (p.dir[0].packets > 0 || p.dir[1].packets > 0))
			st.counting++;
		free(ports.v);
		return 0;
	}
	free(ports.v);
	if ((ack.err == ENOENT && !ack.msg[0]) ||
	    (ack.err == EPROTONOSUPPORT && op->kind == CHURN_DUMP)) {
		/* The family this socket resolved is gone, or going: its
		 * module cannot be held for a dump while it unloads.
		 */
		st.family_gone++;
		if (strict)
			churn_bad("%s: the family is gone", churn_name(op));
		return -1;
	}
	if (ack.err == EEXIST && op->kind == CHURN_ADD) {
		st.eexist++;
	} else if (ack.err == ENOENT && want_enoent &&
		   !strcmp(ack.msg, SF_NOT_A_PORT)) {
		st.enoent++;
	} else if (ack.err == ENODEV && op->kind == CHURN_ADD) {
		st.nodev++;
	} else {
		churn_bad("%s %s: %s \"%s\"", churn_name(op),
			  op->dev ? op->dev : "", strerror(ack.err), ack.msg);
		return 0;
	}
	/* A race that -s says cannot happen. */
	if (strict)
		churn_bad("%s %s: %s \"%s\"", churn_name(op), op->dev,
			  strerror(ack.err), ack.msg);
	return 0;
}

static int churn_parse(const char *arg, struct churn_op *op)
{
	static const char * const kinds[] = { "add:", "del:", "get:" };
	unsigned int k;

	if (!strcmp(arg, "dump")) {
		op->kind = CHURN_DUMP;
		op->dev = NULL;
		return 0;
	}
	for (k = 0; k < 3; k++) {
		if (!strncmp(arg, kinds[k], 4) && arg[4]) {
			op->kind = k;
			op->dev = arg + 4;
			return 0;
		}
	}
	return -1;
}

/* Enters the network namespace @name: a path, or a name under /run/netns. */
static int churn_setns(const char *name)
{
	char path[256];
	int fd, err;

	snprintf(path, sizeof(path), "%s%s", strchr(name, '/') ? "" : "/run/netns/",
		 name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	err = setns(fd, CLONE_NEWNET);
	close(fd);
	return err;
}

/* -l: the names of the ports, by ifindex, on one line. */
static int churn_list(void)
{
	struct sf_ports ports;
	struct sf_sock s;
	struct sf_ack ack;
	int err, i;

	err = sf_open(&s);
	if (err) {
		fprintf(stderr, "sf_churn: cannot resolve the family: %s\n",
			strerror(-err));
		return 1;
	}
	err = sf_dump(&s, 0, &ports, &ack);
	sf_close(&s);
	if (err < 0 || ack.err) {
		fprintf(stderr, "sf_churn: dump: %s\n",
			strerror(err < 0 ? -err : ack.err));
		free(ports.v);
		return 1;
	}
	for (i = 0; i < ports.n; i++)
		printf("%s%s", i ? " " : "", ports.v[i].ifname);
	printf("\n");
	free(ports.v);
	return 0;
}

int main(int argc, char **argv)
{
	const char *while_file = NULL;
	struct churn_op *ops;
	unsigned long rounds = 1, r;
	struct sf_sock s = { 0 };
	int c, i, nops, err, list = 0;
	unsigned int delay = 0;

	while ((c = getopt(argc, argv, "N:ld:sn:w:")) != -1) {
		switch (c) {
		case 'd':
			delay = strtoul(optarg, NULL, 0);
			break;
		case 'N':
			if (churn_setns(optarg)) {
				fprintf(stderr, "sf_churn: netns %s: %s\n",
					optarg, strerror(errno));
				return 1;
			}
			break;
		case 'l':
			list = 1;
			break;
		case 's':
			strict = 1;
			break;
		case 'n':
			rounds = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			while_file = optarg;
			break;
		default:
			goto usage;
		}
	}
	nops = argc - optind;
	if (list)
		return nops ? 2 : churn_list();
	if (nops < 1)
		goto usage;
	ops = calloc(nops, sizeof(*ops));
	if (!ops)
		return 1;
	for (i = 0; i < nops; i++)
		if (churn_parse(argv[optind + i], &ops[i]))
			goto usage;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (r = 0; while_file ? !access(while_file, F_OK) : r < rounds; r++) {
		for (i = 0; i < nops; i++) {
			if (!s.nl) {
				err = sf_open(&s);
				if (err) {
					/* The module is being unloaded. */
					st.family_gone++;
					if (strict)
						churn_bad("cannot resolve the family: %s",
							  strerror(-err));
					continue;
				}
			}
			if (churn_one(&s, &ops[i]) < 0)
				sf_close(&s);
		}
		if (delay)
			usleep(delay);
	}
	sf_close(&s);
	printf("sf_churn: %lu rounds, %lu requests: %lu ok, EEXIST %lu, ENOENT %lu, no device %lu, family gone %lu, counting %lu, unexpected %lu\n",
	       r, st.requests, st.ok, st.eexist, st.enoent, st.nodev,
	       st.family_gone, st.counting, st.bad);
	return st.bad ? 1 : 0;

usage:
	fprintf(stderr, "usage: %s [-N NETNS] [-s] [-d USEC] [-n ROUNDS | -w FILE] {add|del|get}:IFNAME|dump...\n"
		"       %s [-N NETNS] -l\n", argv[0], argv[0]);
	return 2;
}
