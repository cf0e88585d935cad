// SPDX-License-Identifier: GPL-2.0
/*
 * stats.c - sum the threads' counters and print them
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"

static void fz_add(uint64_t *sum, const uint64_t *s, size_t n)
{
	while (n--)
		*sum++ += *s++;
}

void fz_stats_add(struct fz_stats *sum, const struct fz_stats *s)
{
	fz_add(sum->sent, s->sent, FZ_ARRAY_SIZE(s->sent));
	fz_add(sum->accepted, s->accepted, FZ_ARRAY_SIZE(s->accepted));
	fz_add(sum->rejected, s->rejected, FZ_ARRAY_SIZE(s->rejected));
	fz_add(sum->silent, s->silent, FZ_ARRAY_SIZE(s->silent));
	fz_add(sum->errnos, s->errnos, FZ_ARRAY_SIZE(s->errnos));
	fz_add(sum->send_errors, s->send_errors, FZ_ARRAY_SIZE(s->send_errors));
	fz_add(sum->config, s->config, FZ_ARRAY_SIZE(s->config));
	fz_add(sum->cmd_sent, s->cmd_sent, FZ_ARRAY_SIZE(s->cmd_sent));
	fz_add(sum->cmd_accepted, s->cmd_accepted,
	       FZ_ARRAY_SIZE(s->cmd_accepted));
	sum->replies += s->replies;
	sum->acks += s->acks;
	sum->dones += s->dones;
	sum->receives += s->receives;
	sum->sends += s->sends;
	sum->bytes += s->bytes;
	sum->early += s->early;
	sum->timeouts += s->timeouts;
	sum->overruns += s->overruns;
	sum->reopens += s->reopens;
	sum->config_failed += s->config_failed;
	sum->failures += s->failures;
}

static const char *fz_errno_label(unsigned int err, char *buf, size_t len)
{
	const char *name = err ? strerrorname_np(err) : "0";

	if (name)
		return name;
	snprintf(buf, len, "errno %u", err);
	return buf;
}

static void fz_print_errnos(const char *title, const uint64_t *count)
{
	const char *sep = "";
	unsigned int err;
	char buf[16];

	printf("%s:", title);
	for (err = 0; err < 256; err++) {
		if (!count[err])
			continue;
		printf("%s %s %llu", sep, fz_errno_label(err, buf, sizeof(buf)),
		       (unsigned long long)count[err]);
		sep = ",";
	}
	printf("%s\n", *sep ? "" : " none");
}

void fz_stats_print(const struct fz_stats *s, const struct fz_family *fam,
		    double seconds)
{
	uint64_t sent = 0, acc = 0, rej = 0, sil = 0, other = 0;
	unsigned int c;

	printf("%-18s %10s %10s %10s %10s\n", "category", "sent", "accepted",
	       "rejected", "unanswered");
	for (c = 0; c < FZ_CAT_MAX; c++) {
		if (!s->sent[c])
			continue;
		printf("%-18s %10llu %10llu %10llu %10llu\n", fz_cat_names[c],
		       (unsigned long long)s->sent[c],
		       (unsigned long long)s->accepted[c],
		       (unsigned long long)s->rejected[c],
		       (unsigned long long)s->silent[c]);
		sent += s->sent[c];
		acc += s->accepted[c];
		rej += s->rejected[c];
		sil += s->silent[c];
	}
	printf("%-18s %10llu %10llu %10llu %10llu\n", "total",
	       (unsigned long long)sent, (unsigned long long)acc,
	       (unsigned long long)rej, (unsigned long long)sil);
	printf("(sent - accepted - rejected - unanswered: requests abandoned with their socket)\n");
	fz_print_errnos("answers by errno", s->errnos);
	printf("accepted/sent by command:");
	for (c = 0; c < 256; c++) {
		if (!fz_family_op(fam, c)) {
			other += s->cmd_sent[c];
			continue;
		}
		printf(" %u: %llu/%llu", c,
		       (unsigned long long)s->cmd_accepted[c],
		       (unsigned long long)s->cmd_sent[c]);
	}
	printf(", unknown ones: 0/%llu\n", (unsigned long long)other);
	printf("messages received: %llu acks, %llu dumps done, %llu replies, in %llu reads\n",
	       (unsigned long long)s->acks, (unsigned long long)s->dones,
	       (unsigned long long)s->replies,
	       (unsigned long long)s->receives);
	fz_print_errnos("send errors", s->send_errors);
	printf("configuration changes:");
	for (c = 0; c < FZ_CFG_MAX; c++)
		printf("%s %s %llu", c ? "," : "", fz_cfg_names[c],
		       (unsigned long long)s->config[c]);
	printf(" (%llu failed)\n", (unsigned long long)s->config_failed);
	printf("refused before the attribute the policy refuses (hidden validators): %llu\n",
	       (unsigned long long)s->early);
	printf("timeouts %llu, overruns %llu, sockets reopened %llu\n",
	       (unsigned long long)s->timeouts,
	       (unsigned long long)s->overruns,
	       (unsigned long long)s->reopens);
	printf("%.1f s: %llu requests in %llu sends (%.1f MiB), %.0f requests/s\n",
	       seconds, (unsigned long long)sent,
	       (unsigned long long)s->sends, s->bytes / 1048576.0,
	       seconds > 0 ? sent / seconds : 0.0);
	printf("failed checks: %llu\n", (unsigned long long)s->failures);
}
