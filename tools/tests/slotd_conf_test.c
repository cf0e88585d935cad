// SPDX-License-Identifier: GPL-2.0
/*
 * slotd_conf_test.c - slotd's configuration: contents, every error with
 * its FILE:LINE, -s arguments, slotd -t
 */
#include <stdlib.h>
#include <unistd.h>

#include "../slotd/conf.h"
#include "test.h"

/* Parse @text as "s.conf" and finish; the errors as printed. */
static const char *parse(struct sd_conf *conf, const char *text)
{
	struct capture c;

	sd_conf_init(conf);
	sd_conf_parse(conf, "s.conf", text);
	sd_conf_finish(conf);
	sd_conf_print_errors(conf, capture_open(&c));
	return capture_close(&c);
}

TEST(slotd_conf_contents)
{
	static const char text[] =
		"# slotd.conf\n"
		"\n"
		"service ips builtin:noop verdict=continue-flow gso   # comment\n"
		"service web unix:/run/web.sock probe-interval=50 max-inflight=8\n"
		"probe-interval 200\n"
		"probe-timeout 900\n"
		"batch 16\n"
		"\tservice  blk  builtin:drop\n";
	const struct sd_svc_conf *sc;
	struct sd_conf conf;

	CHECK_STR(parse(&conf, text), "");
	CHECK_INT(conf.n_svcs, 3);
	CHECK_INT(conf.batch, 16);
	sc = sd_conf_find(&conf, "ips");
	CHECK(sc && sc->target == SD_TARGET_BUILTIN);
	if (sc) {
		CHECK_STR(sc->kind, "noop");
		CHECK(sc->gso);
		CHECK_STR(sd_svc_conf_opt(sc, "verdict"), "continue-flow");
		CHECK_INT(sc->probe_interval_ms, 200);
		CHECK_INT(sc->probe_timeout_ms, 900);
		CHECK_STR(sc->where, "s.conf:3");
	}
	sc = sd_conf_find(&conf, "web");
	CHECK(sc && sc->target == SD_TARGET_UNIX);
	if (sc) {
		CHECK_STR(sc->path, "/run/web.sock");
		CHECK(!sc->gso);
		CHECK_INT(sc->probe_interval_ms, 50);
		CHECK_INT(sc->probe_timeout_ms, 900);
		CHECK_INT(sc->max_inflight, 8);
		CHECK_INT(sc->n_opts, 0);
	}
	sc = sd_conf_find(&conf, "blk");
	CHECK(sc && !strcmp(sc->kind, "drop") && sc->n_opts == 0);
	CHECK(!sd_conf_find(&conf, "nope"));
	sd_conf_free(&conf);
}

TEST(slotd_conf_defaults)
{
	struct sd_conf conf;

	CHECK_STR(parse(&conf, "service a builtin:hang health=failing"), "");
	CHECK_INT(conf.probe_interval_ms, 1000);
	CHECK_INT(conf.probe_timeout_ms, 3000);
	CHECK_INT(conf.batch, 64);
	CHECK_INT(conf.svcs[0].probe_interval_ms, 1000);
	CHECK_STR(sd_svc_conf_opt(&conf.svcs[0], "health"), "failing");
	sd_conf_free(&conf);
}

TEST(slotd_conf_errors)
{
	static const char text[] =
		"service\n"					/* 1 */
		"service a\n"					/* 2 */
		"service a builtin:noop\n"			/* 3: ok */
		"service a builtin:noop\n"			/* 4 */
		"service b builtin:nope\n"			/* 5 */
		"service c unix:run/x\n"			/* 6 */
		"service d tcp:1.2.3.4\n"			/* 7 */
		"service e/f builtin:noop\n"			/* 8 */
		"service abcdefghijklmnopqrstuvwxyz0123456 builtin:noop\n"
		"service g builtin:noop verdict=drop\n"		/* 10 */
		"service h builtin:noop color=red\n"		/* 11 */
		"service i unix:/x color=red\n"			/* 12 */
		"service j builtin:noop probe-interval=5\n"	/* 13 */
		"service k builtin:noop gso=1\n"		/* 14 */
		"service l builtin:noop gso gso\n"		/* 15 */
		"service m builtin:noop max-inflight=0\n"	/* 16 */
		"service n builtin:hang health=maybe\n"		/* 17 */
		"probe-interval\n"				/* 18 */
		"probe-timeout 1x\n"				/* 19 */
		"batch 0\n"					/* 20 */
		"batch 2000\n"					/* 21 */
		"frobnicate 1\n"				/* 22 */
		"service o builtin:drop =x\n"			/* 23 */
		"service p builtin:drop verdict=continue\n"	/* 24 */
		"service q unix:/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
		"service r builtin:noop probe-timeout=3600001\n"	/* 26 */
		"batch 3\n"					/* 27: ok */
		"batch 4\n";					/* 28 */
	struct sd_conf conf;

	CHECK_STR(parse(&conf, text),
		"s.conf:1: want: service NAME TARGET [OPTION...]\n"
		"s.conf:2: want: service NAME TARGET [OPTION...]\n"
		"s.conf:4: service 'a' is already defined at s.conf:3\n"
		"s.conf:5: unknown built-in kind 'nope'\n"
		"s.conf:6: socket path 'run/x' is not absolute\n"
		"s.conf:7: target 'tcp:1.2.3.4' is neither builtin:KIND nor unix:/PATH\n"
		"s.conf:8: bad service name 'e/f': 1 to 31 characters of A-Z a-z 0-9 _ . -\n"
		"s.conf:9: bad service name 'abcdefghijklmnopqrstuvwxyz0123456': 1 to 31 characters of A-Z a-z 0-9 _ . -\n"
		"s.conf:10: verdict 'drop': want continue or continue-flow\n"
		"s.conf:11: unknown option 'color'\n"
		"s.conf:12: unknown option 'color'\n"
		"s.conf:13: option 'probe-interval' wants a number from 10 to 3600000\n"
		"s.conf:14: option 'gso' takes no value\n"
		"s.conf:15: option 'gso' given twice\n"
		"s.conf:16: option 'max-inflight' wants a number from 1 to 1048576\n"
		"s.conf:17: health 'maybe': want up or failing\n"
		"s.conf:18: 'probe-interval' wants one number from 10 to 3600000\n"
		"s.conf:19: 'probe-timeout' wants one number from 10 to 3600000\n"
		"s.conf:20: 'batch' wants one number from 1 to 1024\n"
		"s.conf:21: 'batch' wants one number from 1 to 1024\n"
		"s.conf:22: unknown statement 'frobnicate'\n"
		"s.conf:23: bad option '=x'\n"
		"s.conf:24: verdict 'continue': want drop or drop-flow\n"
		"s.conf:25: socket path is longer than 107 bytes\n"
		"s.conf:26: option 'probe-timeout' wants a number from 10 to 3600000\n"
		"s.conf:28: 'batch' given twice\n");
	/* Only the good line made a service. */
	CHECK_INT(conf.n_svcs, 1);
	CHECK_INT(conf.n_errs, 26);
	CHECK_INT(conf.batch, 3);
	sd_conf_free(&conf);
}

TEST(slotd_conf_args)
{
	struct sd_conf conf;
	struct capture c;

	sd_conf_init(&conf);
	CHECK_INT(sd_conf_arg(&conf, "a=builtin:noop,verdict=continue-flow,gso"), 0);
	CHECK_INT(sd_conf_arg(&conf, "b=unix:/run/b.sock,probe-timeout=100"), 0);
	CHECK_INT(sd_conf_arg(&conf, "nothing"), 1);
	CHECK_INT(sd_conf_arg(&conf, "a=builtin:drop"), 1);
	CHECK_INT(sd_conf_arg(&conf, "c=builtin:noop,,gso"), 1);
	CHECK_INT(sd_conf_finish(&conf), 3);
	sd_conf_print_errors(&conf, capture_open(&c));
	CHECK_STR(capture_close(&c),
		  "-s nothing: want NAME=TARGET[,OPTION...]\n"
		  "-s a=builtin:drop: service 'a' is already defined at -s a=builtin:noop,verdict=continue-flow,gso\n"
		  "-s c=builtin:noop,,gso: bad option ''\n");
	CHECK_INT(conf.n_svcs, 2);
	CHECK(conf.svcs[0].gso);
	CHECK_STR(sd_svc_conf_opt(&conf.svcs[0], "verdict"), "continue-flow");
	CHECK_INT(conf.svcs[1].probe_timeout_ms, 100);
	CHECK_INT(conf.svcs[1].probe_interval_ms, 1000);
	sd_conf_free(&conf);
}

TEST(slotd_conf_same_target)
{
	struct sd_conf conf;

	CHECK_STR(parse(&conf,
			"service a builtin:noop\n"
			"service b builtin:noop verdict=continue-flow\n"
			"service c builtin:drop\n"
			"service d builtin:noop gso\n"
			"service e unix:/x\n"
			"service f unix:/x probe-interval=20\n"
			"service g unix:/y\n"), "");
	CHECK(sd_svc_conf_same_target(&conf.svcs[0], &conf.svcs[1]));
	CHECK(!sd_svc_conf_same_target(&conf.svcs[0], &conf.svcs[2]));
	CHECK(!sd_svc_conf_same_target(&conf.svcs[0], &conf.svcs[3]));
	CHECK(!sd_svc_conf_same_target(&conf.svcs[0], &conf.svcs[4]));
	CHECK(sd_svc_conf_same_target(&conf.svcs[4], &conf.svcs[5]));
	CHECK(!sd_svc_conf_same_target(&conf.svcs[4], &conf.svcs[6]));
	sd_conf_free(&conf);
}

TEST(slotd_conf_check_binary)
{
	char path[] = "/tmp/sdconf.XXXXXX";
	char *ok[] = { SLOTD_BIN, "-t", "-s", "x=builtin:noop", NULL };
	char *bad[] = { SLOTD_BIN, "-t", "-c", path, "-s", "y=builtin:no",
			NULL };
	char *missing[] = { SLOTD_BIN, "-t", "-c", "/nonexistent/slotd.conf",
			    NULL };
	char *usage[] = { SLOTD_BIN, "-x", NULL };
	static const char text[] = "service a builtin:noop\nbatch x\n";
	char expect[256];
	struct run r;
	int fd = mkstemp(path);

	CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	CHECK_INT(run_prog(ok, NULL, &r), 0);
	CHECK_STR(r.out, "configuration ok: 1 service\n");
	run_free(&r);
	CHECK_INT(run_prog(bad, NULL, &r), 1);
	snprintf(expect, sizeof(expect),
		 "%s:2: 'batch' wants one number from 1 to 1024\n"
		 "-s y=builtin:no: unknown built-in kind 'no'\n", path);
	CHECK_STR(r.err, expect);
	run_free(&r);
	CHECK_INT(run_prog(missing, NULL, &r), 1);
	CHECK_STR(r.err, "/nonexistent/slotd.conf: No such file or directory\n");
	run_free(&r);
	CHECK_INT(run_prog(usage, NULL, &r), 2);
	run_free(&r);
	unlink(path);
}
