// SPDX-License-Identifier: GPL-2.0
/*
 * log.c - slotd's log lines on stderr
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

static bool journal;
static const char *prog = "slotd";

void sd_log_init(void)
{
	/* systemd sets JOURNAL_STREAM when stderr is connected to it. */
	journal = getenv("JOURNAL_STREAM") != NULL;
}

void sd_log_name(const char *name)
{
	prog = name;
}

void sd_log(int prio, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (journal)
		fprintf(stderr, "<%d>%s\n", prio, line);
	else
		fprintf(stderr, "%s: %s\n", prog, line);
}
