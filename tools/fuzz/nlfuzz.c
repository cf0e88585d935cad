// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz - a generic netlink fuzzer for the slotfilter family
 *
 *   nlfuzz [--duration S] [--threads N] [--seed X] [--dev NAME]...
 *          [--netns PATH] [--devices N] [--no-churn] [--no-unpriv] ...
 *
 * It learns the family's ops and policies from the kernel, then runs N
 * workers (own socket each), an unprivileged worker and a churn thread
 * (devices and ports coming and going) for S seconds, and prints what it
 * sent and what came back. Exit status: 0 when every check passed, 1 when
 * one failed (each failure is printed with the request that caused it),
 * 2 for usage errors or when the family cannot be learnt.
 *
 * Run it only where the module may break the kernel: in the test VM
 * (selftests/fuzz_netlink.sh), never on a machine you care about.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <linux/slotfilter.h>

#include "fuzz.h"
#include "rtnl.h"

#define FZ_MAX_DEVS	16

static void usage(FILE *f)
{
	fprintf(f,
		"usage: nlfuzz [options]\n"
		"  --duration S       seconds to run (default 30)\n"
		"  --threads N        fuzzing workers, one socket each (default 4)\n"
		"  --seed X           seed of the generators (default: random, printed)\n"
		"  --dev NAME         a device the churn thread attaches and detaches\n"
		"                     (repeatable; the harness passes its traffic ports)\n"
		"  --netns PATH       a netns the churn thread moves devices to and\n"
		"                     attaches them in\n"
		"  --devices N        dummy devices the churn thread keeps (default 16)\n"
		"  --churn-delay US   pause between configuration changes (default 2000)\n"
		"  --no-churn         create the devices, then change nothing\n"
		"  --no-unpriv        no worker without CAP_NET_ADMIN\n"
		"  --timeout MS       longest wait for an answer (default 10000)\n"
		"  --family NAME      the family to fuzz (default " SLOTFILTER_GENL_NAME ")\n"
		"  --resv-start-op N  first command whose genl header the kernel checks\n"
		"                     (the family's resv_start_op, default 0)\n"
		"  --errno NAME       another errno a valid request may get (repeatable;\n"
		"                     the uapi's and the core's are expected already)\n"
		"  --max-reports N    failures printed in full, at most 3 per check\n"
		"                     (default 50)\n"
		"  --print-family     print what was learnt about the family\n"
		"  -v, --verbose\n");
}

static uint64_t fz_default_seed(void)
{
	uint64_t seed;

	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (uint64_t)time(NULL) * 2654435761u ^ getpid();
	return seed;
}

static int fz_parse_uint(const char *s, unsigned long long max,
			 unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *end || *v > max ? -1 : 0;
}

/* The uapi's promise: every op validates its input with a policy. */
static unsigned int fz_check_family(const struct fz_family *fam)
{
	unsigned int i, bad = 0;

	if (!fam->n_ops) {
		printf("FAIL family %s has no ops\n", fam->name);
		return 1;
	}
	for (i = 0; i < fam->n_ops; i++) {
		const struct fz_op *op = &fam->ops[i];

		if ((op->flags & GENL_CMD_CAP_DO && op->do_policy < 0) ||
		    (op->flags & GENL_CMD_CAP_DUMP && op->dump_policy < 0)) {
			printf("FAIL op %u has no policy: its attributes are not validated\n",
			       op->cmd);
			bad++;
		}
	}
	return bad;
}

/*
 * The errnos a request may get when the model cannot predict its answer:
 * the netlink and genetlink cores' own, and those uapi/linux/slotfilter.h
 * documents. --errno adds to them.
 */
static const int fz_default_errnos[] = {
	0, EINVAL, ERANGE, EOPNOTSUPP, EPERM, EMSGSIZE, ENOMEM, ENOBUFS,
	ENOENT, EEXIST, ENODEV, EBUSY, ENOSPC,
};

static int fz_errno_by_name(const char *name)
{
	unsigned long long v;
	int err;

	if (!fz_parse_uint(name, 255, &v))
		return v;
	for (err = 1; err < 256; err++)
		if (strerrorname_np(err) && !strcmp(strerrorname_np(err), name))
			return err;
	return -1;
}

static double fz_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Join @t, or report it hung after @deadline (CLOCK_REALTIME). */
static bool fz_join(pthread_t t, const struct timespec *deadline)
{
	return pthread_timedjoin_np(t, NULL, deadline) == 0;
}

int main(int argc, char **argv)
{
	enum {
		OPT_SEED = 256, OPT_DURATION, OPT_THREADS, OPT_DEV, OPT_NETNS,
		OPT_DEVICES, OPT_CHURN_DELAY, OPT_NO_CHURN, OPT_NO_UNPRIV,
		OPT_TIMEOUT, OPT_FAMILY, OPT_RESV, OPT_MAX_REPORTS, OPT_PRINT,
		OPT_ERRNO,
	};
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "dev", required_argument, NULL, OPT_DEV },
		{ "netns", required_argument, NULL, OPT_NETNS },
		{ "devices", required_argument, NULL, OPT_DEVICES },
		{ "churn-delay", required_argument, NULL, OPT_CHURN_DELAY },
		{ "no-churn", no_argument, NULL, OPT_NO_CHURN },
		{ "no-unpriv", no_argument, NULL, OPT_NO_UNPRIV },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "family", required_argument, NULL, OPT_FAMILY },
		{ "resv-start-op", required_argument, NULL, OPT_RESV },
		{ "max-reports", required_argument, NULL, OPT_MAX_REPORTS },
		{ "print-family", no_argument, NULL, OPT_PRINT },
		{ "errno", required_argument, NULL, OPT_ERRNO },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct fz_ctx ctx = {
		.duration = 30, .threads = 4, .unpriv = true, .churn = true,
		.devices = 16, .churn_delay_us = 2000, .timeout_ms = 10000,
		.max_reports = 50,
		.pool.lock = PTHREAD_MUTEX_INITIALIZER,
		.dict.lock = PTHREAD_MUTEX_INITIALIZER,
		.print_lock = PTHREAD_MUTEX_INITIALIZER,
	};
	const char *devs[FZ_MAX_DEVS], *family = SLOTFILTER_GENL_NAME;
	unsigned long long v;
	struct fz_worker *w;
	struct fz_stats sum = { 0 };
	unsigned int i, n, resv = 0, hung = 0;
	bool print_family = false, seeded = false;
	struct timespec deadline;
	struct fz_rtnl *rt;
	uint32_t ifindex[FZ_MAX_POOL];
	pthread_t *tid;
	double start, elapsed;
	int opt, err;

	for (i = 0; i < FZ_ARRAY_SIZE(fz_default_errnos); i++)
		ctx.errnos[fz_default_errnos[i]] = true;
	while ((opt = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_ERRNO:
			err = fz_errno_by_name(optarg);
			if (err < 0)
				goto bad;
			ctx.errnos[err] = true;
			break;
		case OPT_SEED:
			if (fz_parse_uint(optarg, UINT64_MAX, &v))
				goto bad;
			ctx.seed = v;
			seeded = true;
			break;
		case OPT_DURATION:
			ctx.duration = strtod(optarg, NULL);
			if (ctx.duration <= 0)
				goto bad;
			break;
		case OPT_THREADS:
			if (fz_parse_uint(optarg, 256, &v) || !v)
				goto bad;
			ctx.threads = v;
			break;
		case OPT_DEV:
			if (ctx.n_devs == FZ_MAX_DEVS)
				goto bad;
			devs[ctx.n_devs++] = optarg;
			break;
		case OPT_NETNS:
			ctx.netns = optarg;
			break;
		case OPT_DEVICES:
			if (fz_parse_uint(optarg, 64, &v))
				goto bad;
			ctx.devices = v;
			break;
		case OPT_CHURN_DELAY:
			if (fz_parse_uint(optarg, 999999, &v))
				goto bad;
			ctx.churn_delay_us = v;
			break;
		case OPT_NO_CHURN:
			ctx.churn = false;
			break;
		case OPT_NO_UNPRIV:
			ctx.unpriv = false;
			break;
		case OPT_TIMEOUT:
			if (fz_parse_uint(optarg, 3600000, &v) || !v)
				goto bad;
			ctx.timeout_ms = v;
			break;
		case OPT_FAMILY:
			family = optarg;
			break;
		case OPT_RESV:
			if (fz_parse_uint(optarg, 256, &v))
				goto bad;
			resv = v;
			break;
		case OPT_MAX_REPORTS:
			if (fz_parse_uint(optarg, UINT32_MAX, &v))
				goto bad;
			ctx.max_reports = v;
			break;
		case OPT_PRINT:
			print_family = true;
			break;
		case 'v':
			ctx.verbose++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	if (optind != argc)
		goto bad;
	ctx.devs = devs;
	if (!seeded)
		ctx.seed = fz_default_seed();
	setvbuf(stdout, NULL, _IOLBF, 0);

	err = fz_family_learn(&ctx.fam, family);
	if (err) {
		fprintf(stderr, "nlfuzz: cannot learn family %s: %s\n", family,
			strerror(-err));
		return 2;
	}
	ctx.fam.resv_start_op = resv;
	if (print_family || ctx.verbose)
		fz_family_print(&ctx.fam);
	printf("nlfuzz: family %s (id %u, version %u): %u ops, %u policies\n",
	       ctx.fam.name, ctx.fam.id, ctx.fam.version, ctx.fam.n_ops,
	       ctx.fam.n_policies);
	printf("nlfuzz: seed 0x%016" PRIx64 " (replay: --seed 0x%016" PRIx64
	       "), %u workers%s%s, %.0f s\n", ctx.seed, ctx.seed, ctx.threads,
	       ctx.unpriv ? " + 1 unprivileged" : "",
	       ctx.churn ? " + churn" : "", ctx.duration);
	atomic_store(&ctx.failures, fz_check_family(&ctx.fam));

	rt = fz_rtnl_open();
	n = 0;
	if (rt) {
		err = fz_rtnl_list(rt, ifindex, FZ_MAX_POOL);
		n = err > 0 ? err : 0;
		fz_rtnl_close(rt);
	}
	fz_pool_set(&ctx.pool, ifindex, n);

	n = ctx.threads + ctx.unpriv + 1;
	w = calloc(n, sizeof(*w));
	tid = calloc(n, sizeof(*tid));
	if (!w || !tid)
		return 2;
	start = fz_now();
	for (i = 0; i < n; i++) {
		bool churn = i == n - 1;

		w[i].ctx = &ctx;
		w[i].id = i;
		w[i].unpriv = ctx.unpriv && i == ctx.threads;
		if (churn)
			snprintf(w[i].name, sizeof(w[i].name), "churn");
		else if (w[i].unpriv)
			snprintf(w[i].name, sizeof(w[i].name), "unpriv");
		else
			snprintf(w[i].name, sizeof(w[i].name), "w%u", i);
		fz_rand_init(&w[i].rand, ctx.seed, i);
		w[i].seq = (uint32_t)fz_rand64(&w[i].rand);
		err = pthread_create(&tid[i], NULL,
				     churn ? fz_churn_main : fz_worker_main,
				     &w[i]);
		if (err) {
			fprintf(stderr, "nlfuzz: pthread_create: %s\n",
				strerror(err));
			return 2;
		}
	}

	while (!atomic_load(&ctx.stop)) {
		elapsed = fz_now() - start;
		if (elapsed >= ctx.duration)
			break;
		usleep(elapsed + 0.2 < ctx.duration ? 200000 :
		       (useconds_t)((ctx.duration - elapsed) * 1e6));
	}
	atomic_store(&ctx.stop, true);

	/* a worker waits at most one receive timeout before it sees stop */
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += ctx.timeout_ms / 1000 * 2 + 10;
	for (i = 0; i < n; i++) {
		if (!fz_join(tid[i], &deadline)) {
			printf("FAIL %s did not stop: a netlink call hangs\n",
			       w[i].name);
			hung++;
			continue;
		}
		fz_stats_add(&sum, &w[i].stats);
	}
	elapsed = fz_now() - start;
	sum.failures = atomic_load(&ctx.failures) + hung;
	fz_stats_print(&sum, &ctx.fam, elapsed);
	fz_fail_summary();
	printf("nlfuzz: seed 0x%016" PRIx64 ": %s\n", ctx.seed,
	       sum.failures ? "FAILED" : "passed");
	if (hung)
		_exit(1);
	return sum.failures ? 1 : 0;

bad:
	usage(stderr);
	return 2;
}
